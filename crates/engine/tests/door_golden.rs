//! Goldens of door-to-door answers: the whole JSON answer of varied point queries (point →
//! terminal, terminal → point, point → point, on the clock, the Pareto front, with avoid, and
//! with door legs measured on a road network), so a change in how doors are routed shows as a
//! byte difference. The files in `tests/golden_door/` are written by
//! `UPDATE_GOLDEN=1 cargo test -p corridor-engine --test door_golden`, never by hand.

use std::path::PathBuf;
use std::sync::Arc;

use corridor_engine::door::{great_circle_km, DoorRoad, DoorRoads};
use corridor_engine::{Engine, RouteRequest};
use corridor_testkit::{assert_golden, embedded_dataset as dataset, embedded_engine as engine};

/// A road network stand-in: legs to targets east of the point are measured (great circle ×
/// 1.4, drawn through the midpoint), the others have no path.
struct EastRoads;

impl DoorRoads for EastRoads {
    fn legs(
        &self,
        point: (f64, f64),
        targets: &[(f64, f64)],
        inbound: bool,
    ) -> Vec<Result<DoorRoad, String>> {
        targets
            .iter()
            .map(|&t| {
                if t.1 < point.1 {
                    return Err("no path on the stand-in network".into());
                }
                let mid = ((point.0 + t.0) / 2.0, (point.1 + t.1) / 2.0);
                let line = if inbound {
                    vec![t, mid, point]
                } else {
                    vec![point, mid, t]
                };
                Ok(DoorRoad {
                    km: great_circle_km(point, t) * 1.4,
                    line,
                })
            })
            .collect()
    }
    fn label(&self) -> String {
        "east stand-in".into()
    }
}

fn req(from: &str, to: &str, optimize: Option<&str>) -> RouteRequest {
    RouteRequest {
        from: from.into(),
        to: to.into(),
        lane: corridor_engine::LaneOptions {
            optimize: optimize.map(str::to_string),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn check(name: &str, e: &Engine, r: &RouteRequest) {
    let got = match e.route(r) {
        Ok(a) => serde_json::to_string_pretty(&a).expect("answer serialises"),
        Err(err) => format!("error: {err:?}"),
    } + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden_door")
        .join(format!("{name}.json"));
    assert_golden(&path, &got);
}

#[test]
fn door_answers_match_their_goldens() {
    let e = engine();
    check(
        "point_to_terminal_time",
        e,
        &req("43.30,76.95", "Duisburg", Some("time")),
    );
    check(
        "terminal_to_point_cost",
        e,
        &req("Xi'an", "52.05,21.45", Some("cost")),
    );
    check(
        "point_to_point_co2e",
        e,
        &req("43.30,76.95", "51.43,6.76", Some("co2e")),
    );
    let mut r = req("43.30,76.95", "Duisburg", Some("time"));
    r.depart = Some("2026-12-01T08:00+05:00".into());
    check("point_depart", e, &r);
    let mut r = req("43.30,76.95", "51.43,6.76", None);
    r.depart = Some("2026-12-01T08:00+05:00".into());
    check("point_to_point_depart_front", e, &r);
    check("point_front", e, &req("43.30,76.95", "Duisburg", None));
    let mut r = req("43.30,76.95", "Duisburg", Some("time"));
    r.avoid = vec!["place:KZALA".into(), "country:RU".into()];
    check("point_avoid", e, &r);
    let mut r = req("Duisburg", "43.30,76.95", Some("cost"));
    r.via = vec!["Warsaw".into()];
    check("terminal_via_to_point", e, &r);
    check("point_at_sea", e, &req("Xi'an", "43.0,34.0", Some("time")));
    let roads = Engine::new(dataset().clone()).with_door_roads(Arc::new(EastRoads));
    check(
        "roads_point_to_point",
        &roads,
        &req("52.05,21.45", "43.30,76.95", Some("time")),
    );
    check(
        "roads_point_front",
        &roads,
        &req("52.05,21.45", "Xi'an", None),
    );
}
