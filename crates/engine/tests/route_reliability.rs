//! `reliability` on route requests: the stage that puts the kernel's percentiles into answers.
//! References: percentiles are ordered by definition; every draw lies between the answer's
//! best case (sum of lows) and worst case (sum of highs); a seeded generator replays; the
//! on-time probability is an empirical CDF (non-decreasing in the deadline, in [0, 1]); a
//! Tue/Fri ferry reached by a truck of uncertain time splits arrivals between two sailings.

use std::path::PathBuf;

use corridor_data::Dataset;
use corridor_engine::{Engine, QueryError, RouteRequest};

fn req(from: &str, to: &str, seed: u64) -> RouteRequest {
    RouteRequest {
        from: from.into(),
        to: to.into(),
        reliability: true,
        seed: Some(seed),
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

fn p(it: &corridor_engine::answer::Itinerary) -> [f64; 4] {
    let t = &it.totals;
    [
        t.transit_days_p50.unwrap(),
        t.transit_days_p80.unwrap(),
        t.transit_days_p90.unwrap(),
        t.transit_days_p95.unwrap(),
    ]
}

#[test]
fn xian_duisburg_percentiles_are_ordered_bounded_and_seeded() {
    let e = Engine::new(Dataset::embedded().unwrap());
    let a = e.route(&req("Xi'an", "Duisburg", 1)).unwrap();
    let it = &a.itineraries[0];
    let q = p(it);
    assert!(q[0] <= q[1] && q[1] <= q[2] && q[2] <= q[3], "{q:?}");
    let (lo, hi) = (
        it.totals.transit_h_low / 24.0,
        it.totals.transit_h_high / 24.0,
    );
    assert!(lo <= q[0] && q[0] <= hi, "{lo} {q:?} {hi}");
    let r = it.reliability.as_ref().unwrap();
    assert_eq!((r.draws, r.seed), (10_000, 1));
    assert!(it.totals.on_time_probability.is_none());
    // Same seed, same figures; another seed, other figures.
    let again = e.route(&req("Xi'an", "Duisburg", 1)).unwrap();
    assert_eq!(p(&again.itineraries[0]), q);
    let other = e.route(&req("Xi'an", "Duisburg", 2)).unwrap();
    assert_ne!(p(&other.itineraries[0]), q);
    // Not asked: no reliability fields (answers stay as before).
    let mut plain = req("Xi'an", "Duisburg", 1);
    plain.reliability = false;
    let a = e.route(&plain).unwrap();
    assert!(a.itineraries[0].reliability.is_none());
    let json = serde_json::to_string(&a).unwrap();
    assert!(!json.contains("transit_days_p50") && !json.contains("\"reliability\""));
}

#[test]
fn on_time_probability_grows_with_the_deadline() {
    let e = Engine::new(Dataset::embedded().unwrap());
    let mut last = -1.0;
    for d in [10.0, 15.0, 16.0, 17.0, 18.0, 40.0] {
        let mut r = req("Xi'an", "Duisburg", 1);
        r.deadline_days = Some(d);
        let a = e.route(&r).unwrap();
        let q = a.itineraries[0].totals.on_time_probability.unwrap();
        assert!(
            (0.0..=1.0).contains(&q) && q >= last,
            "{d}: {q} after {last}"
        );
        last = q;
    }
    assert_eq!(last, 1.0);
}

#[test]
fn over_limit_draws_are_refused_naming_the_field() {
    let e = Engine::new(Dataset::embedded().unwrap());
    for n in [0, 1_000_001, u32::MAX] {
        let mut r = req("Xi'an", "Duisburg", 1);
        r.draws = Some(n);
        match e.route(&r) {
            Err(QueryError::InvalidValue { field, .. }) => assert_eq!(field, "draws"),
            other => panic!("{n}: {other:?}"),
        }
    }
    // The work of one query is bounded: 1,000,000 draws for one itinerary pass, but not for
    // each of the 50 candidates of the p90 front.
    let mut r = req("Xi'an", "Duisburg", 1);
    r.draws = Some(1_000_000);
    r.lane.optimize = None;
    r.time_criterion = Some("p90".into());
    match e.route(&r) {
        Err(QueryError::InvalidValue { field, message, .. }) => {
            assert_eq!(field, "draws");
            assert!(message.contains("at most 40000 draws"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let mut r = req("Xi'an", "Duisburg", 1);
    r.deadline_days = Some(f64::NAN);
    assert!(
        matches!(e.route(&r), Err(QueryError::InvalidValue { field, .. }) if field == "deadline_days")
    );
}

#[test]
fn on_the_clock_a_missed_ferry_gives_a_multimodal_answer() {
    // CN-alpha → AZ-echo leaving Mon 30 Nov: rail and truck of uncertain time to the Tue/Fri
    // ferry; some boxes catch Friday's sailing, the rest Tuesday's four days later. The modes
    // sit one sailing gap apart (Fri → Tue = 4 days) and share all the draws between them.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/timed");
    let e = Engine::new(Dataset::load_dir(&dir).unwrap());
    let mut r = req("CN-alpha", "AZ-echo", 5);
    r.depart = Some("2026-11-30T08:00".into());
    let a = e.route(&r).unwrap();
    let rel = a.itineraries[0].reliability.clone().unwrap();
    assert!(rel.multimodal && rel.modes.len() == 2, "{:?}", rel.modes);
    let (m0, m1) = (&rel.modes[0], &rel.modes[1]);
    assert!(
        ((m1.at_days - m0.at_days) - 4.0).abs() < 0.1,
        "{:?}",
        rel.modes
    );
    assert!((m0.share + m1.share - 1.0).abs() < 1e-9);
    assert!(m0.share > 0.05 && m1.share > 0.05, "{:?}", rel.modes);
    // Leaving a day later, every draw misses Friday's sailing and takes the next Tuesday's.
    r.depart = Some("2026-12-01T08:00".into());
    let a = e.route(&r).unwrap();
    assert!(!a.itineraries[0].reliability.as_ref().unwrap().multimodal);
}

#[test]
fn the_p90_front_holds_the_candidate_with_the_lowest_p90() {
    // Oracle: every candidate (the front at its largest, 50) with its P90, same seed.
    let e = Engine::new(Dataset::embedded().unwrap());
    for (from, to) in [
        ("Xi'an", "Duisburg"),
        ("Urumqi", "Baku"),
        ("Almaty", "Poti"),
    ] {
        let mut all = req(from, to, 1);
        all.optimize = None;
        all.alternatives = Some(50);
        let every = e.route(&all).unwrap();
        let best = every
            .itineraries
            .iter()
            .map(|it| it.totals.transit_days_p90.unwrap())
            .fold(f64::INFINITY, f64::min);
        let mut r = req(from, to, 1);
        r.optimize = None;
        r.reliability = false;
        r.time_criterion = Some("p90".into());
        let a = e.route(&r).unwrap();
        assert!(!a.itineraries.is_empty() && a.itineraries.len() <= 5);
        let first = &a.itineraries[0];
        assert_eq!(first.totals.transit_days_p90, Some(best), "{from}-{to}");
        assert_eq!(first.labels[0], "fastest_p90");
        // No kept itinerary is dominated on (P90, cost, CO2e, risk) by another kept one.
        let f = |it: &corridor_engine::answer::Itinerary| {
            let t = &it.totals;
            [t.transit_days_p90.unwrap(), t.cost_usd, t.co2e_kg, t.risk_h]
        };
        for a_ in &a.itineraries {
            for b in &a.itineraries {
                let (x, y) = (f(a_), f(b));
                let dom =
                    x.iter().zip(&y).all(|(p, q)| p <= q) && x.iter().zip(&y).any(|(p, q)| p < q);
                assert!(!dom, "{from}-{to}: {x:?} dominates {y:?}");
            }
        }
    }
    let mut r = req("Xi'an", "Duisburg", 1);
    r.time_criterion = Some("p90".into());
    assert!(matches!(e.route(&r), Err(QueryError::InvalidQuery { .. })));
    r.optimize = None;
    r.time_criterion = Some("p99".into());
    assert!(
        matches!(e.route(&r), Err(QueryError::InvalidValue { field, .. }) if field == "time_criterion")
    );
}

/// A correlation outside 0..=1 is refused on route and on table, with or without
/// `reliability` (schemathesis found `/v1/table?correlation=-1.0` answered 200).
#[test]
fn a_correlation_outside_zero_to_one_is_refused() {
    let e = Engine::new(Dataset::embedded().unwrap());
    for rho in [-1.0, 1.5, f64::NAN] {
        let mut r = req("Urumqi", "Baku", 1);
        r.lane.correlation = Some(rho);
        assert!(
            matches!(e.route(&r), Err(QueryError::InvalidValue { ref field, .. }) if field == "correlation"),
            "route, rho {rho}"
        );
        let t = corridor_engine::TableRequest {
            from: vec!["Urumqi".into()],
            to: vec!["Baku".into()],
            lane: corridor_engine::LaneOptions {
                correlation: Some(rho),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(
            matches!(e.table(&t, |_, _| {}), Err(QueryError::InvalidValue { ref field, .. }) if field == "correlation"),
            "table, rho {rho}"
        );
    }
}
