//! The engine on generated corridor-like networks (corridor-synth): a 1,000-place network
//! routes between seeded random pairs and its fronts hold real trade-offs; on small generated
//! networks the exact front (ε = 0) equals brute-force enumeration of every simple path.

use std::collections::BTreeSet;

use corridor_data::Mode;
use corridor_engine::{Engine, ParetoConfig, RouteRequest};
use corridor_network::Network;
use corridor_synth::{dataset, od_pairs, SynthConfig};

mod common;
use common::{all_paths, close, pareto_set};

fn engine(places: usize, seed: u64) -> Engine {
    Engine::new(dataset(&SynthConfig { places, seed }).unwrap())
}

fn req(from: &str, to: &str, cargo: &str) -> RouteRequest {
    RouteRequest {
        from: from.into(),
        to: to.into(),
        lane: corridor_engine::LaneOptions {
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some(cargo.into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    }
}

/// SplitMix64 for picking random pairs (no dependency on the generator's internals).
fn pick(state: &mut u64, n: usize) -> usize {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) % n as u64) as usize
}

#[test]
fn a_1k_network_routes_between_random_pairs() {
    let e = engine(1000, 1);
    let ds = e.dataset();
    let mut state = 42u64;
    for _ in 0..30 {
        let (o, d) = (pick(&mut state, 1000), pick(&mut state, 1000));
        if o == d {
            continue;
        }
        let (from, to) = (&ds.places[o].id, &ds.places[d].id);
        let fastest = RouteRequest {
            lane: corridor_engine::LaneOptions {
                optimize: Some("time".into()),
                ..(req(from, to, "2xFEU")).lane
            },
            ..req(from, to, "2xFEU")
        };
        let a = e
            .route(&fastest)
            .unwrap_or_else(|err| panic!("{from} → {to}: {err}"));
        let it = &a.itineraries[0];
        // Legs and border steps, in order, form one chain from FROM to TO.
        let mut steps: Vec<(u32, &str, &str)> = it
            .legs
            .iter()
            .map(|l| (l.seq, l.from.id.as_str(), l.to.id.as_str()))
            .chain(
                it.borders
                    .iter()
                    .map(|b| (b.seq, b.from.id.as_str(), b.to.id.as_str())),
            )
            .collect();
        steps.sort();
        assert_eq!(steps.first().unwrap().1, from);
        assert_eq!(steps.last().unwrap().2, to);
        assert!(steps.windows(2).all(|w| w[0].2 == w[1].1), "{steps:?}");
        assert_eq!(it.totals.borders_crossed as usize, it.borders.len());
        assert!(it.totals.transit_h > 0.0 && it.totals.cost_usd > 0.0);
    }
}

#[test]
fn corridor_fronts_trade_sea_rail_road_and_air() {
    let e = engine(300, 1);
    let mut modes: BTreeSet<String> = BTreeSet::new();
    let mut multi = 0;
    for (from, to) in od_pairs(e.dataset(), 6, 1) {
        let a = e.route(&req(&from, &to, "10t")).unwrap();
        assert!(!a.incomplete, "{from} → {to} hit the label budget");
        let its = &a.itineraries;
        // The fastest is first and no itinerary beats the cheapest on cost.
        let min_cost = its
            .iter()
            .map(|i| i.totals.cost_usd)
            .fold(f64::INFINITY, f64::min);
        assert!(its[0].labels.contains(&"fastest".to_string()));
        assert!(its
            .iter()
            .all(|i| i.totals.transit_h >= its[0].totals.transit_h));
        let cheapest = its
            .iter()
            .find(|i| i.labels.contains(&"cheapest".to_string()))
            .unwrap();
        assert_eq!(cheapest.totals.cost_usd, min_cost);
        if its.len() >= 3 {
            multi += 1;
        }
        let f = e.pareto_front(&req(&from, &to, "10t")).unwrap();
        assert!(!f.paths.is_empty() && f.labels > f.paths.len());
        for i in its {
            modes.extend(i.legs.iter().map(|l| l.mode.clone()));
            if !i.borders.is_empty() {
                modes.insert("border".into());
            }
        }
    }
    assert!(
        multi >= 5,
        "only {multi} of 10 fronts have three or more itineraries"
    );
    for m in ["sea", "rail", "road", "air", "border"] {
        assert!(modes.contains(m), "no front uses {m}: {modes:?}");
    }
}

#[test]
fn exact_front_on_small_generated_networks_matches_brute_force() {
    let (mut compared, mut multi, mut extra) = (0, 0, 0);
    for seed in 1..=2 {
        let ds = dataset(&SynthConfig { places: 12, seed }).unwrap();
        let net = Network::build(ds.clone());
        let e = Engine::new(ds.clone()).with_pareto_config(ParetoConfig {
            epsilon: 0.0,
            max_labels: 1_000_000,
        });
        let n = ds.places.len();
        for o in 0..n {
            for d in 0..n {
                // Half the ordered pairs of each seed (the enumeration is the slow part).
                if o == d || (o + d + seed as usize) % 2 == 1 {
                    continue;
                }
                // Containers do not fly: the engine leaves air out for 1xFEU, so does the oracle.
                let want = pareto_set(&all_paths(&net, o, d, &|a| a.mode != Mode::Air));
                let r = RouteRequest {
                    alternatives: Some(50),
                    all_alternatives: true,
                    ..req(&ds.places[o].id, &ds.places[d].id, "1xFEU")
                };
                let a = e.route(&r).unwrap();
                assert!(!a.incomplete);
                let fig = |t: &corridor_engine::answer::Totals| {
                    [t.transit_h, t.cost_usd, t.co2e_kg, t.risk_h]
                };
                let got: Vec<[f64; 4]> = a.itineraries.iter().map(|i| fig(&i.totals)).collect();
                let front = pareto_set(&got);
                assert_eq!(
                    front.len(),
                    want.len(),
                    "engine {front:?} vs brute force {want:?}"
                );
                // Matched by closeness both ways (sums in another order differ in the last bit).
                let same = |g: &[f64; 4], w: &[f64; 4]| (0..4).all(|k| close(g[k], w[k]));
                for g in &front {
                    assert!(want.iter().any(|w| same(g, w)), "{front:?} vs {want:?}");
                }
                for w in &want {
                    assert!(front.iter().any(|g| same(g, w)), "{front:?} vs {want:?}");
                }
                // A member the others dominate on the four criteria is there for crossing
                // fewer borders than every one that dominates it (the fewest-borders optimum).
                let le =
                    |x: &[f64; 4], y: &[f64; 4]| (0..4).all(|k| x[k] <= y[k] || close(x[k], y[k]));
                for i in &a.itineraries {
                    let (f, b) = (fig(&i.totals), i.totals.borders_crossed);
                    if front.iter().any(|w| (0..4).all(|k| close(w[k], f[k]))) {
                        continue;
                    }
                    extra += 1;
                    for j in &a.itineraries {
                        let g = fig(&j.totals);
                        if le(&g, &f) && !(0..4).all(|k| close(g[k], f[k])) {
                            assert!(
                                j.totals.borders_crossed > b,
                                "{f:?} ({b} borders) dominated by {g:?}"
                            );
                        }
                    }
                }
                compared += 1;
                multi += usize::from(want.len() > 1);
            }
        }
    }
    assert!(
        compared >= 120 && multi >= 30,
        "{compared} compared, {multi} with trade-offs, {extra} kept for fewer borders"
    );
}
