//! The corridor test cases' helpers: a forced route, its golden summary
//! (`tests/golden/corridors/NAME.txt`) and checks against published ranges.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

use corridor_engine::answer::Itinerary;
use corridor_engine::{RouteAnswer, RouteRequest};
pub use corridor_testkit::embedded_engine as engine;

pub fn route(from: &str, to: &str, via: &[&str], avoid: &[&str], cargo: &str) -> RouteRequest {
    RouteRequest {
        from: from.into(),
        to: to.into(),
        via: via.iter().map(|s| s.to_string()).collect(),
        lane: corridor_engine::LaneOptions {
            avoid: avoid.iter().map(|s| s.to_string()).collect(),
            optimize: Some("time".into()),
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some(cargo.into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    }
}

pub fn summary(name: &str, req: &RouteRequest, a: &RouteAnswer) -> String {
    let it = &a.itineraries[0];
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {name}: {} → {} ({}, {})",
        req.from, req.to, a.query.cargo.label, a.query.optimize
    );
    if !req.via.is_empty() {
        let _ = writeln!(s, "via: {}", req.via.join(", "));
    }
    if !req.avoid.is_empty() {
        let _ = writeln!(s, "avoid: {}", req.avoid.join(", "));
    }
    let _ = writeln!(s, "countries: {}", it.totals.countries.join(" "));
    let mut steps: Vec<(u32, String)> = Vec::new();
    for l in &it.legs {
        steps.push((
            l.seq,
            format!(
                "{:<8} {} → {} ({}) {:.0} km",
                l.mode, l.from.id, l.to.id, l.carrier, l.distance_km
            ),
        ));
    }
    for t in &it.transfers {
        steps.push((
            t.seq,
            format!(
                "transfer {} {} {} → {}",
                t.place.id, t.kind, t.from_carrier, t.to_carrier
            ),
        ));
    }
    for b in &it.borders {
        steps.push((
            b.seq,
            format!("border   {} → {} ({:.1} h)", b.from.id, b.to.id, b.dwell_h),
        ));
    }
    steps.sort();
    for (_, st) in steps {
        let _ = writeln!(s, "  {st}");
    }
    let t = &it.totals;
    let _ = writeln!(
        s,
        "totals: {:.0} km · {:.1} d ({:.1}–{:.1}) · USD {:.0} · {:.0} kg CO2e · {} borders · {} transshipments",
        t.distance_km,
        t.transit_days,
        t.transit_h_low / 24.0,
        t.transit_h_high / 24.0,
        t.cost_usd,
        t.co2e_kg,
        t.borders_crossed,
        t.transshipments
    );
    s
}

/// Runs a case: routes, compares the golden, returns the itinerary for the case's checks.
pub fn case(name: &str, req: RouteRequest) -> Itinerary {
    let a = engine()
        .route(&req)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let text = summary(name, &req, &a);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden/corridors")
        .join(format!("{name}.txt"));
    corridor_testkit::assert_golden(&path, &text);
    a.itineraries.into_iter().next().unwrap()
}

pub fn countries(it: &Itinerary) -> Vec<&str> {
    it.totals.countries.iter().map(String::as_str).collect()
}

/// Asserts `value` lies in `[low × (1 − tol), high × (1 + tol)]`.
pub fn within(what: &str, value: f64, low: f64, high: f64, tol: f64) {
    let (lo, hi) = (low * (1.0 - tol), high * (1.0 + tol));
    assert!(
        (lo..=hi).contains(&value),
        "{what} = {value:.1} outside published {low}–{high} widened by {:.0}% to {lo:.1}–{hi:.1}",
        tol * 100.0
    );
}

pub fn visits(it: &Itinerary, id: &str) -> bool {
    it.legs.iter().any(|l| l.from.id == id || l.to.id == id)
}
