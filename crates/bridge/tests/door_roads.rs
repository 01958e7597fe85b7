//! Door-to-door legs measured on an imported road network (`--door-network road`), on a
//! two-road network built here: one road joins the point to Warsaw's rail terminal, so that
//! leg is measured and drawn; the other terminals are off the network, so theirs are
//! estimated with the reason in a warning.

use std::sync::Arc;

use corridor_bridge::NetworkDoorRoads;
use corridor_data::Dataset;
use corridor_engine::door::{DOOR_FROM, DOOR_ROAD_SOURCE, DOOR_SOURCE};
use corridor_engine::{Engine, RouteRequest};
use corridor_physical::query::Networks;
use corridor_physical::{Meta, NetworkBuilder, NetworkDir};

const DOOR: (f64, f64) = (52.05, 21.45);
const WARSAW: (f64, f64) = (52.23, 21.01);

fn engine_with_roads(dir: &std::path::Path) -> Engine {
    let mut b = NetworkBuilder::new();
    let a = b.add_node(DOOR.0, DOOR.1).unwrap();
    let mid = b.add_node(52.10, 21.30).unwrap();
    let w = b.add_node(WARSAW.0, WARSAW.1).unwrap();
    let t = b.tag("highway=primary speed_kmh=70").unwrap();
    b.add_edge(a, mid, Some(14_000.0), t).unwrap();
    b.add_edge(mid, w, Some(26_000.0), t).unwrap();
    let net = b
        .build(
            Meta {
                name: "road".into(),
                source: "test network".into(),
                attribution: "none".into(),
                ..Meta::default()
            },
            false,
        )
        .unwrap();
    let store = NetworkDir::new(dir);
    store.save("road", &net).unwrap();
    let roads = NetworkDoorRoads::open(&Networks::new(store), "road").unwrap();
    Engine::new(Dataset::embedded().unwrap()).with_door_roads(Arc::new(roads))
}

#[test]
fn door_legs_follow_the_road_network_where_it_reaches() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine_with_roads(dir.path());
    let mut r = RouteRequest {
        from: format!("{},{}", DOOR.0, DOOR.1),
        to: "Duisburg".into(),
        lane: corridor_engine::LaneOptions {
            optimize: Some("time".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    // Only Warsaw: the measured leg.
    r.avoid = vec!["place:PL-lodz-olechow".into()];
    let a = e.route(&r).unwrap();
    let leg = &a.itineraries[0].legs[0];
    assert_eq!(leg.from.id, DOOR_FROM);
    assert_eq!(leg.to.id, "PLWAW");
    assert_eq!(leg.distance_source, DOOR_ROAD_SOURCE);
    assert!((leg.distance_km - 40.0).abs() < 0.05, "{}", leg.distance_km);
    // Drawn along the road: door, the middle node, Warsaw.
    assert!(leg.geometry.len() >= 3, "{:?}", leg.geometry);
    assert!(leg
        .geometry
        .iter()
        .any(|p| (p[0] - 21.30).abs() < 1e-6 && (p[1] - 52.10).abs() < 1e-6));
    assert!(
        a.warnings[0].contains("road network 'road'"),
        "{:?}",
        a.warnings
    );
}

#[test]
fn terminals_off_the_road_network_get_estimated_legs_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine_with_roads(dir.path());
    let r = RouteRequest {
        from: format!("{},{}", DOOR.0, DOOR.1),
        to: "Duisburg".into(),
        lane: corridor_engine::LaneOptions {
            optimize: Some("time".into()),
            avoid: vec!["place:PLWAW".into()],
            ..Default::default()
        },
        ..Default::default()
    };
    let a = e.route(&r).unwrap();
    let leg = &a.itineraries[0].legs[0];
    assert_eq!(leg.from.id, DOOR_FROM);
    assert_ne!(leg.to.id, "PLWAW");
    assert_eq!(leg.distance_source, DOOR_SOURCE);
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("not on the road network") && w.contains("no road within")),
        "{:?}",
        a.warnings
    );
}
