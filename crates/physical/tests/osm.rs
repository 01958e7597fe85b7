//! OSM import of the committed fixture (tests/fixtures/osm/fixture.osm, and its .osm.pbf made
//! once with osmium): gauges kept, abandoned/tram/tourist/disused lines skipped, road classes
//! and one-way rules, the ferry imported.

use std::path::PathBuf;

use corridor_physical::import::osm::{import, Kind};
use corridor_physical::search::{shortest_path, Algorithm};
use corridor_physical::{Error, Network, Snapper};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/osm/fixture.osm.pbf")
}

fn tag_of(net: &Network, arc: usize) -> &str {
    &net.meta().tags[net.parts().tag[arc] as usize]
}

#[test]
fn rail_keeps_gauges_and_skips_abandoned_tram_tourist_and_disused_lines() {
    let (net, report) = import(&fixture(), Kind::Rail, "rail", false).unwrap();
    assert_eq!(report.ways, 3);
    assert_eq!(report.ways_skipped, 13);
    assert_eq!(net.node_count(), 13);
    assert_eq!(net.arc_count(), 24);
    let mut tags = net.meta().tags.clone();
    tags.sort();
    assert_eq!(
        tags,
        vec![
            "",
            "railway=rail gauge=1435",
            "railway=rail gauge=1520",
            "railway=rail gauge=1520;1435"
        ]
    );
    assert_eq!(net.meta().report.components.count, 1);
    assert!(net
        .meta()
        .attribution
        .contains("OpenStreetMap contributors"));
    // Across the break of gauge, Małaszewicze → Brest: both gauges on the way.
    let s = Snapper::new(&net);
    let from = s.snap(&net, 52.03, 23.53, 5.0).unwrap();
    let to = s.snap(&net, 52.10, 23.73, 5.0).unwrap();
    let p = shortest_path(&net, from.node, to.node, Algorithm::AStar).unwrap();
    let gauges: Vec<&str> = p.arcs.iter().map(|&a| tag_of(&net, a as usize)).collect();
    assert!(gauges.contains(&"railway=rail gauge=1435"));
    assert!(gauges.contains(&"railway=rail gauge=1520"));
    assert!((14_000..16_000).contains(&p.length_m), "{}", p.length_m);
    // Nothing near the abandoned line (51.98–52.00 N, 23.60–23.70 E) but the live lines.
    let near = s.nearest(&net, 51.99, 23.65).unwrap();
    assert!(near.distance_m > 5_000.0);
}

#[test]
fn road_classes_speeds_and_one_way_rules() {
    let (net, report) = import(&fixture(), Kind::Road, "road", false).unwrap();
    assert_eq!(report.ways, 5);
    assert_eq!(net.node_count(), 9);
    // motorway 3 (one-way by default) + primary 4 + trunk_link 1 + tertiary (oneway=-1) 1
    // + secondary 2.
    assert_eq!(net.arc_count(), 11);
    let tags = &net.meta().tags;
    assert!(tags.contains(&"highway=motorway speed_kmh=90".to_string()));
    assert!(tags.contains(&"highway=secondary speed_kmh=60".to_string()));
    assert!(!tags
        .iter()
        .any(|t| t.contains("residential") || t.contains("footway")));
    // The motorway runs west to east only.
    let s = Snapper::new(&net);
    let west = s.snap(&net, 52.01, 23.35, 1.0).unwrap();
    let east = s.snap(&net, 52.04, 23.56, 1.0).unwrap();
    assert!(shortest_path(&net, west.node, east.node, Algorithm::Dijkstra).is_some());
    assert!(shortest_path(&net, east.node, west.node, Algorithm::Dijkstra).is_none());
}

#[test]
fn ferry_is_imported_and_missing_nodes_are_counted() {
    let (net, report) = import(&fixture(), Kind::Ferry, "ferry", false).unwrap();
    assert_eq!(report.ways, 2);
    assert_eq!(report.segments_missing_nodes, 1);
    assert_eq!(net.node_count(), 3);
    assert_eq!(net.arc_count(), 4);
    assert_eq!(net.meta().tags[1], "route=ferry");
    let s = Snapper::new(&net);
    let alat = s.snap(&net, 39.94, 49.41, 5.0).unwrap();
    let aktau = s.snap(&net, 43.61, 51.23, 5.0).unwrap();
    let p = shortest_path(&net, alat.node, aktau.node, Algorithm::Bidirectional).unwrap();
    assert!((430_000..470_000).contains(&p.length_m), "{}", p.length_m);
}

#[test]
fn missing_and_foreign_files_are_errors() {
    let err = import(
        &PathBuf::from("/nonexistent/x.osm.pbf"),
        Kind::Rail,
        "rail",
        false,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Input { .. }), "{err}");
    // The XML source is not PBF.
    let xml = fixture().with_extension("").with_extension("osm");
    let err = import(&xml, Kind::Rail, "rail", false).unwrap_err();
    assert!(
        matches!(err, Error::Parse { .. } | Error::Input { .. }),
        "{err}"
    );
}
