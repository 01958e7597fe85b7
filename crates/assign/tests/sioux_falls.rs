//! Sioux Falls (TNTP, LeBlanc et al. 1975) against the published best-known flows of the
//! TransportationNetworks collection (SiouxFalls_flow.tntp, github.com/bstabler/
//! TransportationNetworks), kept in ../shared/reference/tntp beside the repository.

use std::path::PathBuf;

use corridor_assign::{assign, tntp, Algorithm, Objective, Options};

fn folder() -> tntp::Folder {
    // ../shared beside the repository (as in CI); CORRIDOR_REFERENCE_DIR overrides it for
    // checkouts elsewhere (e.g. git worktrees)
    let reference = std::env::var_os("CORRIDOR_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference")
        });
    let dir = reference.join("tntp/SiouxFalls");
    assert!(
        dir.is_dir(),
        "the Sioux Falls reference files are missing: expected {} (the shared reference folder beside the repository, ../shared/reference/tntp/SiouxFalls; set CORRIDOR_REFERENCE_DIR to the reference folder if it lies elsewhere)",
        dir.display()
    );
    tntp::read_dir(&dir).expect("Sioux Falls reads")
}

/// Largest relative deviation |x − x*| / x* from the best-known flows.
fn max_deviation(f: &tntp::Folder, flows: &[f64]) -> f64 {
    let best = f.best_known.as_ref().expect("SiouxFalls_flow.tntp");
    assert_eq!(best.len(), f.network.links().len());
    let mut worst: f64 = 0.0;
    for (l, (b, x)) in f.network.links().iter().zip(best.iter().zip(flows)) {
        assert_eq!((l.from, l.to), (b.from, b.to), "flow file in link order");
        worst = worst.max((x - b.flow).abs() / b.flow);
    }
    worst
}

#[test]
fn reads_the_published_files() {
    let f = folder();
    assert_eq!(f.name, "SiouxFalls");
    assert_eq!(f.network.node_count(), 24);
    assert_eq!(f.network.zone_count(), 24);
    assert_eq!(f.network.links().len(), 76);
    // <TOTAL OD FLOW> 360600.0 in SiouxFalls_trips.tntp
    assert!((f.demand.total() - 360_600.0).abs() < 1e-6);
    assert!(f.warnings.is_empty(), "{:?}", f.warnings);
}

#[test]
fn every_algorithm_reaches_1e5_within_half_a_percent_of_best_known() {
    let f = folder();
    for algorithm in [
        Algorithm::FrankWolfe,
        Algorithm::ConjugateFrankWolfe,
        Algorithm::BiconjugateFrankWolfe,
        Algorithm::GradientProjection,
    ] {
        let opts = Options {
            algorithm,
            gap: 1e-5,
            max_iter: 20_000,
            ..Options::default()
        };
        let a = assign(&f.network, &f.demand, &opts).unwrap();
        assert!(
            a.converged,
            "{algorithm:?}: gap {} after {} iterations",
            a.relative_gap,
            a.iterations.len()
        );
        let dev = max_deviation(&f, &a.flows);
        eprintln!(
            "{algorithm:?}: {} iterations, gap {:.2e}, max deviation {:.4}%",
            a.iterations.len(),
            a.relative_gap,
            dev * 100.0
        );
        assert!(dev < 0.005, "{algorithm:?}: max deviation {dev}");
    }
}

#[test]
fn gradient_projection_reaches_1e8_and_matches_best_known() {
    let f = folder();
    let opts = Options {
        algorithm: Algorithm::GradientProjection,
        gap: 1e-8,
        max_iter: 2_000,
        ..Options::default()
    };
    let a = assign(&f.network, &f.demand, &opts).unwrap();
    assert!(
        a.converged,
        "gap {} after {} iterations",
        a.relative_gap,
        a.iterations.len()
    );
    let dev = max_deviation(&f, &a.flows);
    eprintln!(
        "GP 1e-8: {} iterations, gap {:.2e}, max deviation {:.5}%",
        a.iterations.len(),
        a.relative_gap,
        dev * 100.0
    );
    // at 1e-8 the equilibrium link flows (unique) agree with the published ones to a few parts
    // in a million (measured 2.2e-6)
    assert!(dev < 1e-3, "max deviation {dev}");
}

#[test]
fn system_optimum_costs_no_more_than_user_equilibrium() {
    let f = folder();
    let run = |objective| {
        let opts = Options {
            algorithm: Algorithm::GradientProjection,
            objective,
            gap: 1e-8,
            max_iter: 2_000,
            ..Options::default()
        };
        assign(&f.network, &f.demand, &opts).unwrap()
    };
    let ue = run(Objective::UserEquilibrium);
    let so = run(Objective::SystemOptimum);
    assert!(so.converged && ue.converged);
    eprintln!(
        "UE total {:.1}, SO total {:.1}",
        ue.total_cost, so.total_cost
    );
    assert!(so.total_cost <= ue.total_cost);
    // and it is a real improvement on a congested network
    assert!(so.total_cost < 0.999 * ue.total_cost);
}
