//! The time dimension on `tests/fixtures/timed` (the mini network plus `services.csv`,
//! `closures.csv` and two Polish places for daylight saving).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use corridor_data::Dataset;
use corridor_engine::{Engine, QueryError, RouteAnswer, RouteRequest};

fn engine() -> Engine {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/timed");
    Engine::new(Dataset::load_dir(&dir).unwrap())
}

fn req(from: &str, to: &str, depart: &str) -> RouteRequest {
    RouteRequest {
        from: from.into(),
        to: to.into(),
        cargo: Some("1xFEU".into()),
        optimize: Some("time".into()),
        depart: Some(depart.into()),
        ..Default::default()
    }
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn arrive(a: &RouteAnswer) -> DateTime<Utc> {
    t(a.itineraries[0].totals.arrive_utc.as_deref().unwrap())
}

#[test]
fn tuesday_friday_ferry_monday_vs_wednesday() {
    let e = engine();
    // Mon 2026-11-30 08:00 at Delta (+05:00): next sailing Tue 10:00 → 26 h wait.
    let mon = e
        .route(&req("KZ-delta", "AZ-echo", "2026-11-30T08:00"))
        .unwrap();
    // Wed 2026-12-02 08:00: next sailing Fri 10:00 → 50 h wait.
    let wed = e
        .route(&req("KZ-delta", "AZ-echo", "2026-12-02T08:00"))
        .unwrap();
    let (lm, lw) = (&mon.itineraries[0].legs[0], &wed.itineraries[0].legs[0]);
    assert_eq!(lm.link_id, "de-ferry");
    assert!((lm.wait_h - 26.0).abs() < 1e-9, "{}", lm.wait_h);
    assert!((lw.wait_h - 50.0).abs() < 1e-9, "{}", lw.wait_h);
    assert_eq!(
        mon.itineraries[0].totals.depart_utc.as_deref(),
        Some("2026-11-30T03:00:00Z")
    );
    assert_eq!(
        mon.itineraries[0].totals.depart_local.as_deref(),
        Some("2026-11-30T08:00:00+05:00[Asia/Aqtau]")
    );
    // Tue 05:00Z + 20 h = Wed 01:00Z; Fri 05:00Z + 20 h = Sat 01:00Z.
    assert_eq!(arrive(&mon), t("2026-12-02T01:00:00Z"));
    assert_eq!(arrive(&wed), t("2026-12-05T01:00:00Z"));
    assert!((arrive(&wed) - arrive(&mon)).num_hours() > 24);
    assert_eq!(
        lm.arrive_local.as_deref(),
        Some("2026-12-02T05:00:00+04:00[Asia/Baku]")
    );
    assert!((mon.itineraries[0].totals.transit_h - 46.0).abs() < 1e-9);
}

#[test]
fn daylight_saving_from_the_tz_database() {
    let e = engine();
    // Sat 2026-03-28 08:00 CET; the Sunday 10:00 departure is in CEST (+02:00) = 08:00Z.
    let a = e
        .route(&req("PL-golf", "PL-hotel", "2026-03-28T08:00"))
        .unwrap();
    let leg = &a.itineraries[0].legs[0];
    assert_eq!(
        a.itineraries[0].totals.depart_utc.as_deref(),
        Some("2026-03-28T07:00:00Z")
    );
    assert!((leg.wait_h - 25.0).abs() < 1e-9, "{}", leg.wait_h);
    assert_eq!(arrive(&a), t("2026-03-29T10:00:00Z"));
    assert_eq!(
        leg.arrive_local.as_deref(),
        Some("2026-03-29T12:00:00+02:00[Europe/Warsaw]")
    );
}

#[test]
fn kazakhstan_moved_to_utc_plus_5_on_2024_03_01() {
    let e = engine();
    let before = e
        .route(&req("KZ-charlie", "KZ-delta", "2024-02-29T09:00"))
        .unwrap();
    let after = e
        .route(&req("KZ-charlie", "KZ-delta", "2024-03-02T09:00"))
        .unwrap();
    assert_eq!(
        before.itineraries[0].totals.depart_utc.as_deref(),
        Some("2024-02-29T03:00:00Z")
    );
    assert_eq!(
        after.itineraries[0].totals.depart_utc.as_deref(),
        Some("2024-03-02T04:00:00Z")
    );
    assert_eq!(
        after.itineraries[0].totals.depart_local.as_deref(),
        Some("2024-03-02T09:00:00+05:00[Asia/Almaty]")
    );
    // An explicit offset wins over the origin's zone.
    let z = e
        .route(&req("KZ-charlie", "KZ-delta", "2024-03-02T09:00+06:00"))
        .unwrap();
    assert_eq!(
        z.itineraries[0].totals.depart_utc.as_deref(),
        Some("2024-03-02T03:00:00Z")
    );
}

#[test]
fn closure_removes_the_only_route_on_its_dates_only() {
    let e = engine();
    // (With the ferry, the search waits out the works by sailing to Delta and back.)
    let only_rail = |d: &str| RouteRequest {
        avoid: vec!["mode:ferry".into()],
        ..req("AZ-echo", "AZ-foxtrot", d)
    };
    match e.route(&only_rail("2026-12-05T08:00")) {
        Err(QueryError::NoRoute {
            message,
            constraint,
        }) => {
            assert!(message.contains("ef-rail"), "{message}");
            assert!(message.contains("track works"), "{message}");
            assert!(constraint.unwrap().contains("closures.csv:2"));
        }
        other => panic!("expected NoRoute, got {other:?}"),
    }
    let a = e.route(&only_rail("2026-12-15T08:00")).unwrap();
    assert_eq!(a.itineraries[0].legs[0].link_id, "ef-rail");
    // Without --depart closures do not apply (expected values, no calendar).
    let mut r = only_rail("");
    r.depart = None;
    assert!(e.route(&r).is_ok());
}

#[test]
fn multi_week_itinerary_waits_weeks_for_a_service() {
    let e = engine();
    // The reverse ferry sails Saturdays from 2027-01-01: from Tue 2026-12-01 the first is
    // Sat 2027-01-02 10:00 at Echo (+04:00) = 06:00Z, arriving 20 h later.
    let a = e
        .route(&req("AZ-echo", "KZ-delta", "2026-12-01T08:00"))
        .unwrap();
    let it = &a.itineraries[0];
    assert_eq!(it.legs[0].link_id, "de-ferry~r");
    assert_eq!(arrive(&a), t("2027-01-03T02:00:00Z"));
    assert!(it.totals.transit_days > 31.0, "{}", it.totals.transit_days);
}

#[test]
fn depart_needs_optimize_time() {
    let e = engine();
    let mut r = req("KZ-delta", "AZ-echo", "2026-11-30T08:00");
    r.optimize = Some("cost".into());
    assert!(matches!(e.route(&r), Err(QueryError::InvalidQuery { .. })));
    r.optimize = None;
    assert!(matches!(e.route(&r), Err(QueryError::InvalidQuery { .. })));
    let r = req("KZ-delta", "AZ-echo", "next tuesday");
    match e.route(&r) {
        Err(QueryError::InvalidValue { field, .. }) => assert_eq!(field, "depart"),
        other => panic!("{other:?}"),
    }
}
