//! The Pareto front (issue 6) on the hand-built `tests/fixtures/mini` network, where the
//! fastest route (road, ro-ro ferry) and the lowest-CO2e one (rail, rail ferry) share no leg
//! before the ferry: a time-only search scored for CO2e afterwards would never offer the
//! greener route.

use corridor_engine::{Engine, ParetoConfig, QueryError, RouteRequest};

fn engine() -> Engine {
    corridor_testkit::fixture_engine("mini")
}

fn req(from: &str, to: &str) -> RouteRequest {
    corridor_testkit::request(from, to, Some("2xFEU"), None)
}

fn single(e: &Engine, o: &str) -> corridor_engine::answer::Itinerary {
    let r = RouteRequest {
        lane: corridor_engine::LaneOptions {
            optimize: Some(o.into()),
            ..(req("Alpha", "Echo port")).lane
        },
        ..req("Alpha", "Echo port")
    };
    e.route(&r).unwrap().itineraries.remove(0)
}

#[test]
fn front_holds_a_greener_route_that_time_only_search_misses() {
    let e = engine();
    let fastest = single(&e, "time");
    let a = e.route(&req("Alpha", "Echo port")).unwrap();
    assert!(!a.incomplete);
    assert_eq!(a.query.alternatives, Some(5));
    assert!(a.itineraries.len() >= 2, "{:?}", a.itineraries.len());
    // Fastest first, and the same route as --optimize time.
    let first = &a.itineraries[0];
    assert!(first.labels.contains(&"fastest".to_string()));
    assert_eq!(first.totals.transit_h, fastest.totals.transit_h);
    let green = a
        .itineraries
        .iter()
        .find(|i| i.labels.contains(&"lowest_co2e".to_string()))
        .unwrap();
    assert!(
        green.totals.co2e_kg < 0.5 * fastest.totals.co2e_kg,
        "{} vs {}",
        green.totals.co2e_kg,
        fastest.totals.co2e_kg
    );
    assert!(green.totals.transit_h > fastest.totals.transit_h);
    assert!(green.legs.iter().any(|l| l.mode == "rail"));
    assert!(fastest.legs.iter().all(|l| l.mode != "rail"));
    // Each alternative explains itself against the fastest.
    assert!(
        green.explanation.contains("slower") && green.explanation.contains("less CO2e"),
        "{}",
        green.explanation
    );
    assert!(a.warnings.iter().any(|w| w.contains("Pareto front")));
}

#[test]
fn every_single_criterion_optimum_is_on_the_front() {
    let e = engine();
    let a = e.route(&req("Alpha", "Echo port")).unwrap();
    for (o, label, key) in [
        ("time", "fastest", 0),
        ("cost", "cheapest", 1),
        ("co2", "lowest_co2e", 2),
    ] {
        let best = single(&e, o);
        let fig = |t: &corridor_engine::answer::Totals| [t.transit_h, t.cost_usd, t.co2e_kg][key];
        let on = a
            .itineraries
            .iter()
            .find(|i| i.labels.contains(&label.to_string()))
            .unwrap_or_else(|| panic!("no {label}"));
        assert!(
            (fig(&on.totals) - fig(&best.totals)).abs() < 1e-6,
            "{label}: front {} vs optimum {}",
            fig(&on.totals),
            fig(&best.totals)
        );
    }
    // risk_h is the sum over dwells and waits of high − typical.
    for it in &a.itineraries {
        let sum: f64 = it
            .legs
            .iter()
            .map(|l| (l.wait_h_high - l.wait_h) + (l.dwell_h_high - l.dwell_h))
            .sum::<f64>()
            + it.transfers
                .iter()
                .map(|t| t.dwell_h_high - t.dwell_h)
                .sum::<f64>()
            + it.borders
                .iter()
                .map(|b| b.dwell_h_high - b.dwell_h)
                .sum::<f64>();
        assert!(
            (sum - it.totals.risk_h).abs() < 1e-6,
            "{sum} vs {}",
            it.totals.risk_h
        );
    }
}

#[test]
fn alternatives_cap_the_front_and_optimize_gives_one() {
    let e = engine();
    let mut r = req("Alpha", "Echo port");
    r.alternatives = Some(1);
    let a = e.route(&r).unwrap();
    assert_eq!(a.itineraries.len(), 1);
    assert!(a.itineraries[0].labels.contains(&"fastest".to_string()));
    r.optimize = Some("co2".into());
    assert!(matches!(e.route(&r), Err(QueryError::InvalidQuery { .. })));
    r.alternatives = None;
    let a = e.route(&r).unwrap();
    assert_eq!(a.itineraries.len(), 1);
    assert_eq!(a.itineraries[0].labels, ["lowest_co2e"]);
    assert_eq!(a.query.alternatives, None);
    r.optimize = None;
    r.alternatives = Some(0);
    assert!(matches!(
        e.route(&r),
        Err(QueryError::InvalidValue { field, .. }) if field == "alternatives"
    ));
}

#[test]
fn max_transshipments_and_max_borders_constrain_and_explain() {
    let e = engine();
    // No lift or gauge change: the road/ro-ro route only.
    let mut r = req("Alpha", "Echo port");
    r.max_transshipments = Some(0);
    let a = e.route(&r).unwrap();
    assert!(a.itineraries.iter().all(|i| i.totals.transshipments == 0));
    // Also for one objective: the greenest route without a transshipment is the road one.
    r.optimize = Some("co2".into());
    let a = e.route(&r).unwrap();
    assert_eq!(a.itineraries[0].totals.transshipments, 0);
    assert!(a.itineraries[0].legs.iter().all(|l| l.mode != "rail"));
    // Every route crosses the CN–KZ border.
    let mut r = req("Alpha", "Echo port");
    r.max_borders = Some(0);
    match e.route(&r) {
        Err(QueryError::NoRoute {
            constraint,
            message,
        }) => {
            assert_eq!(constraint.as_deref(), Some("--max-borders 0"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    r.max_borders = Some(1);
    r.max_transshipments = Some(0);
    r.avoid = vec!["mode:road".into()];
    match e.route(&r) {
        Err(QueryError::NoRoute { constraint, .. }) => {
            assert_eq!(constraint.as_deref(), Some("--max-transshipments 0"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn budget_exhaustion_is_an_error_or_an_incomplete_front() {
    let mut errors = 0;
    let mut incomplete = 0;
    for max_labels in 1..200 {
        let e = engine().with_pareto_config(ParetoConfig {
            epsilon: 0.0,
            max_labels,
        });
        match e.route(&req("Alpha", "Echo port")) {
            Err(err @ QueryError::BudgetExceeded { .. }) => {
                assert_eq!(err.http_status(), 422);
                assert_eq!(err.exit_code(), 3);
                assert_eq!(err.code(), "BudgetExceeded");
                errors += 1;
            }
            Ok(a) if a.incomplete => {
                assert!(!a.itineraries.is_empty());
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

/// One objective under a limit runs the label-setting search: a budget that stops it after a
/// route was found answers that route marked incomplete, with the warning.
#[test]
fn constrained_single_objective_marks_a_budget_cut_answer_incomplete() {
    let full = engine()
        .route(&RouteRequest {
            max_borders: Some(3),
            lane: corridor_engine::LaneOptions {
                optimize: Some("cost".into()),
                ..(req("Alpha", "Echo port")).lane
            },
            ..req("Alpha", "Echo port")
        })
        .unwrap();
    assert!(!full.incomplete);
    let mut incomplete = 0;
    for max_labels in 1..200 {
        let e = engine().with_pareto_config(ParetoConfig {
            epsilon: 0.0,
            max_labels,
        });
        let r = RouteRequest {
            max_borders: Some(3),
            lane: corridor_engine::LaneOptions {
                optimize: Some("cost".into()),
                ..(req("Alpha", "Echo port")).lane
            },
            ..req("Alpha", "Echo port")
        };
        match e.route(&r) {
            Ok(a) if a.incomplete => {
                assert!(a.warnings.iter().any(|w| w.starts_with("incomplete")));
                let c = a.itineraries[0].totals.cost_usd;
                assert!(c >= full.itineraries[0].totals.cost_usd - 1e-6, "{c}");
                incomplete += 1;
            }
            Ok(a) => assert!(
                (a.itineraries[0].totals.cost_usd - full.itineraries[0].totals.cost_usd).abs()
                    < 1e-6
            ),
            Err(QueryError::BudgetExceeded { .. }) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert!(incomplete > 0);
}
