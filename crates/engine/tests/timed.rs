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
        depart: Some(depart.into()),
        lane: corridor_engine::LaneOptions {
            optimize: Some("time".into()),
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some("1xFEU".into()),
                ..Default::default()
            },
            ..Default::default()
        },
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
        lane: corridor_engine::LaneOptions {
            avoid: vec!["mode:ferry".into()],
            ..(req("AZ-echo", "AZ-foxtrot", d)).lane
        },
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
fn depart_checks_its_value_and_answers_any_objective() {
    let e = engine();
    let r = req("KZ-delta", "AZ-echo", "next tuesday");
    match e.route(&r) {
        Err(QueryError::InvalidValue { field, .. }) => assert_eq!(field, "depart"),
        other => panic!("{other:?}"),
    }
    // Cost and the front work on the clock too (the only route is the ferry).
    let mut r = req("KZ-delta", "AZ-echo", "2026-11-30T08:00");
    r.optimize = Some("cost".into());
    let a = e.route(&r).unwrap();
    assert_eq!(a.itineraries[0].labels, vec!["cheapest"]);
    assert_eq!(arrive(&a), t("2026-12-02T01:00:00Z"));
    r.optimize = None;
    let a = e.route(&r).unwrap();
    assert_eq!(arrive(&a), t("2026-12-02T01:00:00Z"));
    assert!(a.itineraries[0].labels.contains(&"fastest".to_string()));
}

fn by(from: &str, to: &str, arrive_by: &str) -> RouteRequest {
    RouteRequest {
        from: from.into(),
        to: to.into(),
        arrive_by: Some(arrive_by.into()),
        lane: corridor_engine::LaneOptions {
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some("1xFEU".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    }
}

fn depart(a: &RouteAnswer) -> DateTime<Utc> {
    t(a.itineraries[0].totals.depart_utc.as_deref().unwrap())
}

#[test]
fn arrive_by_across_a_weekly_ferry_picks_the_right_sailing() {
    let e = engine();
    // Tue and Fri sailings at 10:00 Aqtau (05:00Z) arrive 20 h later (Wed / Sat 01:00Z).
    // By Sat 2026-12-05 12:00 Baku (08:00Z): the Friday sailing, ready at 05:00Z on Friday.
    let sat = e
        .route(&by("KZ-delta", "AZ-echo", "2026-12-05T12:00"))
        .unwrap();
    assert_eq!(sat.itineraries[0].labels, vec!["latest_departure"]);
    assert_eq!(depart(&sat), t("2026-12-04T05:00:00Z"));
    assert_eq!(arrive(&sat), t("2026-12-05T01:00:00Z"));
    assert_eq!(sat.query.arrive_by.as_deref(), Some("2026-12-05T08:00:00Z"));
    // By Sat 04:00 Baku (00:00Z) the Friday sailing is an hour late: Tuesday's.
    let early = e
        .route(&by("KZ-delta", "AZ-echo", "2026-12-05T04:00"))
        .unwrap();
    assert_eq!(depart(&early), t("2026-12-01T05:00:00Z"));
    assert_eq!(arrive(&early), t("2026-12-02T01:00:00Z"));
    // The offset of the time (local to the destination when absent) is honoured.
    let z = e
        .route(&by("KZ-delta", "AZ-echo", "2026-12-05T01:00Z"))
        .unwrap();
    assert_eq!(depart(&z), t("2026-12-04T05:00:00Z"));
    let z = e
        .route(&by("KZ-delta", "AZ-echo", "2026-12-05T00:59Z"))
        .unwrap();
    assert_eq!(depart(&z), t("2026-12-01T05:00:00Z"));
}

#[test]
fn arrive_by_is_consistent_with_depart() {
    let e = engine();
    // Rail then the ferry: the latest departure from Charlie is to the minute.
    for deadline in ["2026-12-05T12:00", "2026-12-09T09:30", "2026-12-20T18:00"] {
        let a = e.route(&by("KZ-charlie", "AZ-echo", deadline)).unwrap();
        let dl = t(a.query.arrive_by.as_deref().unwrap());
        let d = depart(&a);
        assert!(arrive(&a) <= dl, "{deadline}: {} > {dl}", arrive(&a));
        let mut r = req("KZ-charlie", "AZ-echo", &crate_fmt(d));
        r.cargo = Some("1xFEU".into());
        let fwd = e.route(&r).unwrap();
        assert_eq!(arrive(&fwd), arrive(&a), "{deadline}");
        let ids = |x: &RouteAnswer| {
            x.itineraries[0]
                .legs
                .iter()
                .map(|l| l.link_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&fwd), ids(&a), "{deadline}");
        // A minute later misses it.
        let later = req(
            "KZ-charlie",
            "AZ-echo",
            &crate_fmt(d + chrono::Duration::minutes(1)),
        );
        let l = e.route(&later).unwrap();
        assert!(
            arrive(&l) > dl,
            "{deadline}: departing a minute later still arrives in time"
        );
    }
}

fn crate_fmt(d: DateTime<Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[test]
fn depart_and_arrive_by_are_a_window() {
    let e = engine();
    // Departing Mon 08:00 Aqtau, the Tuesday sailing arrives Wed 01:00Z (05:00 Baku).
    let mut r = req("KZ-delta", "AZ-echo", "2026-11-30T08:00");
    r.arrive_by = Some("2026-12-02T06:00".into());
    let a = e.route(&r).unwrap();
    assert_eq!(arrive(&a), t("2026-12-02T01:00:00Z"));
    r.optimize = None;
    assert!(e.route(&r).is_ok());
    r.arrive_by = Some("2026-12-02T04:00".into());
    for optimize in [Some("time"), Some("cost"), None] {
        r.optimize = optimize.map(String::from);
        match e.route(&r) {
            Err(QueryError::NoRoute {
                constraint,
                message,
            }) => {
                assert_eq!(
                    constraint.as_deref(),
                    Some("--arrive-by 2026-12-02T00:00:00Z"),
                    "{message}"
                );
                assert!(message.contains("2026-12-02T01:00:00Z"), "{message}");
            }
            other => panic!("{optimize:?}: {other:?}"),
        }
    }
    // A window that ends before it starts, and objectives arrive-by alone cannot answer.
    r.arrive_by = Some("2026-11-30T07:00+05:00".into());
    assert!(matches!(e.route(&r), Err(QueryError::InvalidQuery { .. })));
    let mut r = by("KZ-delta", "AZ-echo", "2026-12-05T12:00");
    r.optimize = Some("cost".into());
    assert!(matches!(e.route(&r), Err(QueryError::InvalidQuery { .. })));
    r.optimize = None;
    for bad in ["soon", "+200000-01-01T00:00Z", "1900-01-01T00:00"] {
        r.arrive_by = Some(bad.into());
        match e.route(&r) {
            Err(QueryError::InvalidValue { field, .. }) => assert_eq!(field, "arrive_by"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    let far = RouteRequest {
        depart: Some("9999-12-31T23:59Z".into()),
        ..req("KZ-delta", "AZ-echo", "")
    };
    match e.route(&far) {
        Err(QueryError::InvalidValue { field, .. }) => assert_eq!(field, "depart"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn budget_of_zero_ms_is_budget_exceeded_not_a_wait() {
    let e = engine();
    for (optimize, depart, arrive_by) in [
        (None, None, None),
        (None, Some("2026-11-30T08:00"), None),
        (Some("cost"), Some("2026-11-30T08:00"), None),
        (None, None, Some("2026-12-05T12:00")),
    ] {
        let r = RouteRequest {
            from: "KZ-charlie".into(),
            to: "AZ-echo".into(),
            depart: depart.map(String::from),
            arrive_by: arrive_by.map(String::from),
            budget_ms: Some(0),
            lane: corridor_engine::LaneOptions {
                optimize: optimize.map(String::from),
                ..Default::default()
            },
            ..Default::default()
        };
        match e.route(&r) {
            Err(err @ QueryError::BudgetExceeded { .. }) => {
                assert_eq!((err.http_status(), err.exit_code()), (422, 3));
                assert!(err.to_string().contains("0 ms"), "{err}");
            }
            other => panic!("{optimize:?} {depart:?} {arrive_by:?}: {other:?}"),
        }
    }
    // A generous budget answers, echoed in the query.
    let r = RouteRequest {
        from: "KZ-charlie".into(),
        to: "AZ-echo".into(),
        depart: Some("2026-11-30T08:00".into()),
        budget_ms: Some(60_000),
        ..Default::default()
    };
    let a = e.route(&r).unwrap();
    assert!(!a.incomplete);
    assert_eq!(a.query.budget_ms, Some(60_000));
    let r = RouteRequest {
        budget_ms: Some(10_000_000),
        ..r
    };
    match e.route(&r) {
        Err(QueryError::InvalidValue { field, .. }) => assert_eq!(field, "budget_ms"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn timed_front_cheapest_arrival_depends_on_the_departure_day() {
    let e = engine();
    let front = |d: &str| {
        let r = RouteRequest {
            from: "KZ-charlie".into(),
            to: "AZ-echo".into(),
            depart: Some(d.into()),
            alternatives: Some(10),
            ..Default::default()
        };
        e.route(&r).unwrap()
    };
    let cheapest = |a: &RouteAnswer| {
        a.itineraries
            .iter()
            .find(|i| i.labels.iter().any(|l| l == "cheapest"))
            .unwrap()
            .clone()
    };
    let sat = front("2026-11-28T08:00");
    let mon = front("2026-11-30T08:00");
    let (cs, cm) = (cheapest(&sat), cheapest(&mon));
    let arr = |i: &corridor_engine::answer::Itinerary| t(i.totals.arrive_utc.as_deref().unwrap());
    // Rail to Delta takes about 2.5 days: from Saturday it makes Tuesday's sailing, from
    // Monday only Friday's; two days later is three days later.
    assert_eq!(arr(&cs), t("2026-12-02T01:00:00Z"));
    assert_eq!(arr(&cm), t("2026-12-05T01:00:00Z"));
    assert_eq!(
        cs.legs.iter().map(|l| &l.link_id).collect::<Vec<_>>(),
        cm.legs.iter().map(|l| &l.link_id).collect::<Vec<_>>()
    );
    // The front's optima are those of the single-objective searches on the clock.
    for (a, d) in [(&sat, "2026-11-28T08:00"), (&mon, "2026-11-30T08:00")] {
        for (label, optimize) in [
            ("fastest", "time"),
            ("cheapest", "cost"),
            ("lowest_co2e", "co2"),
        ] {
            let one = e
                .route(&RouteRequest {
                    from: "KZ-charlie".into(),
                    to: "AZ-echo".into(),
                    depart: Some(d.into()),
                    lane: corridor_engine::LaneOptions {
                        optimize: Some(optimize.into()),
                        ..Default::default()
                    },
                    ..Default::default()
                })
                .unwrap();
            let o = &one.itineraries[0].totals;
            let f = &a
                .itineraries
                .iter()
                .find(|i| i.labels.iter().any(|l| l == label))
                .unwrap()
                .totals;
            match optimize {
                "time" => assert!((f.transit_h - o.transit_h).abs() < 1e-6, "{label} {d}"),
                "cost" => assert!((f.cost_usd - o.cost_usd).abs() < 1e-6, "{label} {d}"),
                _ => assert!((f.co2e_kg - o.co2e_kg).abs() < 1e-6, "{label} {d}"),
            }
        }
        for i in &a.itineraries {
            assert!(i.totals.arrive_utc.is_some() && i.legs.iter().all(|l| l.depart_utc.is_some()));
            assert!(!i.explanation.is_empty());
        }
    }
}

/// The default network's timetables (data/default/services.csv): the Poti-Baku container
/// block train leaves Poti on Tuesdays, the E60 ro-ro Constanta on Tuesdays.
#[test]
fn default_network_timetables() {
    let e = Engine::new(Dataset::embedded().unwrap());
    let rail = |depart: Option<&str>, arrive_by: Option<&str>| RouteRequest {
        from: "Poti".into(),
        to: "Baku".into(),
        depart: depart.map(String::from),
        arrive_by: arrive_by.map(String::from),
        lane: corridor_engine::LaneOptions {
            avoid: vec!["mode:road".into()],
            optimize: Some("time".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    // Sunday 2026-12-20 18:00 Poti: the next train is Tuesday 22nd at 12:00 (+04:00).
    let a = e.route(&rail(Some("2026-12-20T18:00"), None)).unwrap();
    let leg = &a.itineraries[0].legs[0];
    assert_eq!(leg.link_id, "RL-GETBS--GEPTI~r");
    assert!((leg.wait_h - 42.0).abs() < 1e-9, "{}", leg.wait_h);
    // Arriving by Sunday 20th 18:00 Baku: the train of Tuesday 15th.
    let a = e.route(&rail(None, Some("2026-12-20T18:00"))).unwrap();
    assert_eq!(depart(&a), t("2026-12-15T08:00:00Z"));
    // Without a departure, waits are the expected ones: no clock, reproducible.
    let a = e.route(&rail(None, None)).unwrap();
    assert!(a.itineraries[0].totals.depart_utc.is_none());
    assert_eq!(a.itineraries[0].legs[0].wait_h, 0.0);
    // Constanta on Tuesday 2026-12-01 at 08:00: the 12:00 sailing (by sea: with the ships'
    // wait to enter Poti, trucks are as fast round the Black Sea by road).
    let a = e
        .route(&RouteRequest {
            from: "Constanta".into(),
            to: "Poti".into(),
            depart: Some("2026-12-01T08:00".into()),
            lane: corridor_engine::LaneOptions {
                optimize: Some("time".into()),
                avoid: vec!["mode:road".into()],
                ..Default::default()
            },
            ..Default::default()
        })
        .unwrap();
    let leg = &a.itineraries[0].legs[0];
    assert_eq!(leg.link_id, "FR-CONSTANTA-POTI-TRUCK");
    assert!((leg.wait_h - 4.0).abs() < 1e-9, "{}", leg.wait_h);
}

/// A tiny label budget on the front with `--depart`: BudgetExceeded when nothing reached the
/// destination, else the front so far, marked incomplete with a warning.
#[test]
fn timed_front_label_budget_is_an_error_or_an_incomplete_front() {
    let (mut errors, mut incomplete) = (0, 0);
    for max_labels in 1..60 {
        let e = engine().with_pareto_config(corridor_engine::ParetoConfig {
            epsilon: 0.0,
            max_labels,
        });
        let r = RouteRequest {
            from: "Alpha".into(),
            to: "AZ-echo".into(),
            depart: Some("2026-11-30T08:00".into()),
            ..Default::default()
        };
        match e.route(&r) {
            Err(QueryError::BudgetExceeded { message }) => {
                assert!(message.contains("labels"), "{message}");
                errors += 1;
            }
            Ok(a) if a.incomplete => {
                assert!(a.itineraries[0].totals.arrive_utc.is_some());
                assert!(a.warnings.iter().any(|w| w.starts_with("incomplete")));
                incomplete += 1;
            }
            Ok(_) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert!(
        errors > 0 && incomplete > 0,
        "{errors} errors, {incomplete} incomplete"
    );
}

/// A customs regime on the clock: the green channel's border dwell counts in the arrival time
/// (on a route without timetables the clock's transit equals the expected one).
#[test]
fn customs_regime_dwell_on_the_clock() {
    let e = Engine::new(Dataset::embedded().unwrap());
    let r = RouteRequest {
        from: "Urumqi".into(),
        to: "Almaty".into(),
        lane: corridor_engine::LaneOptions {
            optimize: Some("time".into()),
            avoid: vec!["mode:rail".into()],
            shipment: corridor_engine::ShipmentOptions {
                customs: Some("green_channel".into()),
                goods: Some("agricultural".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let untimed = e.route(&r).unwrap();
    let timed = e
        .route(&RouteRequest {
            depart: Some("2026-12-01T08:00".into()),
            ..r.clone()
        })
        .unwrap();
    let (u, t) = (&untimed.itineraries[0], &timed.itineraries[0]);
    assert_eq!(t.borders[0].dwell_h, 1.0);
    assert!((u.totals.transit_h - t.totals.transit_h).abs() < 1e-6);
    let arrive = t.totals.arrive_utc.as_deref().unwrap();
    let expected = chrono::DateTime::parse_from_rfc3339(t.totals.depart_utc.as_deref().unwrap())
        .unwrap()
        + chrono::Duration::milliseconds((u.totals.transit_h * 3_600_000.0).round() as i64);
    assert!(
        (self::t(arrive) - expected.with_timezone(&Utc))
            .num_seconds()
            .abs()
            <= 1
    );
}
