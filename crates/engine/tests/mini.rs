//! Engine behaviour on the hand-built `tests/fixtures/mini` network:
//!
//! ```text
//!  CN-alpha ──rail 1435 / road── CN-bravo ═border═ KZ-charlie ──rail 1520 / road── KZ-delta
//!                                         (gauge change 1435→1520 here)            │ ferry (truck|wagon)
//!                                                         AZ-foxtrot ──rail 1520── AZ-echo
//! ```

use corridor_engine::{Engine, QueryError, RouteRequest};

fn engine() -> Engine {
    corridor_testkit::fixture_engine("mini")
}

fn req(from: &str, to: &str) -> RouteRequest {
    corridor_testkit::request(from, to, Some("2xFEU"), Some("time"))
}

#[test]
fn truck_rolls_onto_the_ferry_without_a_lift() {
    let e = engine();
    let mut r = req("Alpha", "Echo port");
    r.avoid = vec!["mode:rail".into()];
    let a = e.route(&r).unwrap();
    let it = &a.itineraries[0];
    let ferry = it.legs.iter().find(|l| l.mode == "ferry").unwrap();
    assert_eq!(ferry.carrier, "truck");
    assert!(
        it.transfers.is_empty(),
        "a ro-ro truck needs no lift: {:?}",
        it.transfers
    );
    assert_eq!(it.totals.cost_breakdown.handling_usd, 0.0);
}

#[test]
fn gauge_change_happens_once_and_only_where_gauges_differ() {
    let e = engine();
    let mut r = req("Alpha", "Foxtrot");
    r.avoid = vec!["mode:road".into()];
    let a = e.route(&r).unwrap();
    let it = &a.itineraries[0];
    let kinds: Vec<(&str, &str)> = it
        .transfers
        .iter()
        .map(|t| (t.place.id.as_str(), t.kind.as_str()))
        .collect();
    assert_eq!(kinds, vec![("KZ-charlie", "gauge_transshipment")]);
    let t = &it.transfers[0];
    assert_eq!(
        (t.from_carrier.as_str(), t.to_carrier.as_str()),
        ("wagon:1435", "wagon:1520")
    );
    // USD 200 per box, 2 boxes.
    assert_eq!(it.totals.cost_breakdown.gauge_change_usd, 400.0);
    // The 1520 wagon rolls onto the ferry and off again: no further transfer.
    let ferry = it.legs.iter().find(|l| l.mode == "ferry").unwrap();
    assert_eq!(ferry.carrier, "wagon:1520");
    // Totals add up.
    let sum: f64 = it
        .legs
        .iter()
        .map(|l| l.moving_h + l.wait_h + l.dwell_h)
        .sum::<f64>()
        + it.transfers.iter().map(|t| t.dwell_h).sum::<f64>()
        + it.borders.iter().map(|b| b.dwell_h).sum::<f64>();
    assert!((sum - it.totals.transit_h).abs() < 1e-9);
    assert!(
        it.totals.transit_h_low <= it.totals.transit_h
            && it.totals.transit_h <= it.totals.transit_h_high
    );
}

#[test]
fn objectives_pick_different_routes() {
    let e = engine();
    let fast = e.route(&req("Alpha", "Foxtrot")).unwrap();
    let mut r = req("Alpha", "Foxtrot");
    r.optimize = Some("cost".into());
    let cheap = e.route(&r).unwrap();
    let (f, c) = (&fast.itineraries[0].totals, &cheap.itineraries[0].totals);
    assert!(f.transit_h <= c.transit_h);
    assert!(c.cost_usd <= f.cost_usd);
    assert!(
        c.cost_usd < f.cost_usd,
        "rail is cheaper here: {} vs {}",
        c.cost_usd,
        f.cost_usd
    );
    r.optimize = Some("co2".into());
    let green = e.route(&r).unwrap();
    assert!(green.itineraries[0].totals.co2e_kg <= f.co2e_kg);
    assert_eq!(green.itineraries[0].labels, vec!["lowest_co2e"]);
}

#[test]
fn no_route_names_the_constraint() {
    let e = engine();
    let mut r = req("Alpha", "Foxtrot");
    r.avoid = vec!["mode:air".into(), "country:KZ".into()];
    match e.route(&r) {
        Err(QueryError::NoRoute {
            constraint,
            message,
        }) => {
            assert_eq!(
                constraint.as_deref(),
                Some("--avoid country:KZ"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    let mut r = req("Alpha", "Foxtrot");
    r.avoid = vec!["mode:ferry".into()];
    match e.route(&r) {
        Err(e @ QueryError::NoRoute { .. }) => {
            assert_eq!(e.exit_code(), 3);
            assert!(e.to_string().contains("--avoid mode:ferry"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn via_forces_the_route() {
    let e = engine();
    let mut r = req("Alpha", "Foxtrot");
    r.via = vec!["Delta port".into()];
    let a = e.route(&r).unwrap();
    assert!(a.itineraries[0].legs.iter().any(|l| l.to.id == "KZ-delta"));
}

#[test]
fn bad_requests_are_named() {
    let e = engine();
    let err = e.route(&req("Alpah", "Foxtrot")).unwrap_err();
    assert_eq!(err.code(), "UnknownPlace");
    assert!(err.to_string().contains("did you mean Alpha"), "{err}");
    let mut r = req("Alpha", "Foxtrot");
    r.via = vec!["Charlie".into()];
    r.avoid = vec!["place:KZ-charlie".into()];
    let err = e.route(&r).unwrap_err();
    assert_eq!(err.code(), "InvalidQuery");
    assert!(err.to_string().contains("contradictory"), "{err}");
    let err = e.route(&req("Alpha", "Alpha rail terminal")).unwrap_err();
    assert_eq!(err.code(), "InvalidQuery");
    let mut r = req("Alpha", "Foxtrot");
    r.cargo = Some("2xFEU".into());
    r.commodity = Some("gas".into());
    assert_eq!(e.route(&r).unwrap_err().code(), "InvalidQuery");
    r.commodity = Some("plutonium".into());
    assert_eq!(e.route(&r).unwrap_err().code(), "InvalidValue");
    r.commodity = None;
    r.cargo = Some("999999xFEU".into());
    assert_eq!(e.route(&r).unwrap_err().code(), "TooBig");
    r.cargo = None;
    r.avoid = vec!["planet:mars".into()];
    assert_eq!(e.route(&r).unwrap_err().code(), "InvalidValue");
    r.avoid = vec!["link:ab-rial".into()];
    let err = e.route(&r).unwrap_err();
    assert!(err.to_string().contains("did you mean 'ab-rail'"), "{err}");
}

#[test]
fn payload_per_teu_scales_tonne_km_not_boxes() {
    let e = engine();
    let mut r = req("Alpha", "Foxtrot");
    r.optimize = Some("time".into());
    let base = e.route(&r).unwrap();
    r.payload_t_per_teu = Some(14.5);
    let heavy = e.route(&r).unwrap();
    assert_eq!(heavy.query.cargo.net_t, 58.0);
    assert_eq!(heavy.query.cargo.teu, base.query.cargo.teu);
    let (b, h) = (&base.itineraries[0].totals, &heavy.itineraries[0].totals);
    assert!(
        (h.tkm / b.tkm - 1.45).abs() < 1e-9,
        "{} vs {}",
        h.tkm,
        b.tkm
    );
    r.payload_t_per_teu = Some(-1.0);
    let err = e.route(&r).unwrap_err();
    assert_eq!(err.code(), "InvalidValue");
    assert!(err.to_string().contains("payload_t_per_teu"), "{err}");
}

#[test]
fn a_table_reports_pair_problems_in_their_cells() {
    use corridor_engine::TableRequest;
    let e = engine();
    let t = TableRequest {
        pairs: vec![
            ["Alpha".into(), "Foxtrot".into()],
            // Two names of one place: this pair's problem, reported in its cell.
            ["Alpha".into(), "Alpha rail terminal".into()],
            ["Alpah".into(), "Foxtrot".into()],
        ],
        lane: corridor_engine::LaneOptions {
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some("2xFEU".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let a = e.table(&t, |_, _| {}).unwrap();
    assert!(a.cells[0].error.is_none() && a.cells[0].transit_h.is_some());
    assert_eq!(a.cells[1].error.as_deref(), Some("InvalidQuery"));
    assert_eq!(
        a.cells[1].message.as_deref(),
        Some("from 'Alpha' and to 'Alpha rail terminal' are the same place")
    );
    assert_eq!(a.cells[2].error.as_deref(), Some("UnknownPlace"));
    // A contradiction of the request as a whole fails the table, not a cell.
    let t = TableRequest {
        pairs: vec![["Alpha".into(), "Foxtrot".into()]],
        lane: corridor_engine::LaneOptions {
            avoid: vec!["place:CN-alpha".into()],
            ..Default::default()
        },
        ..Default::default()
    };
    match e.table(&t, |_, _| {}) {
        Err(QueryError::InvalidQuery { message }) => {
            assert!(message.contains("contradictory constraints"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}
