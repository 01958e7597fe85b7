//! Brute force shared by the oracle tests: every simple path in the (place, carrier) state
//! graph and the non-dominated set of their figures.
#![allow(dead_code)]

use corridor_emissions::calc::{self as em, DistanceKind, FactorSet, Tce};
use corridor_engine::Cargo;
use corridor_network::{Arc, Carrier, Network};

/// Figures of every simple path in the (place, carrier) graph: [time h, cost USD, CO2e kg,
/// risk h] for one FEU, computed from the data without the engine's search, over the arcs
/// `usable` accepts (the engine's own filters, e.g. no air for containers).
pub fn all_paths(
    net: &Network,
    from: usize,
    to: usize,
    usable: &dyn Fn(&Arc) -> bool,
) -> Vec<[f64; 4]> {
    let additive = |ai: usize, ready: f64| {
        let arc = &net.arcs[ai];
        Some(ready + arc.moving_h.typical + arc.wait_h.typical + arc.dwell_h.typical)
    };
    all_paths_with(net, from, to, usable, &additive)
}

/// As [`all_paths`], with the time after each arc given by `clock` (arc, hours when the cargo
/// is ready for it) → hours at its head, `None` if it cannot be taken.
pub fn all_paths_with(
    net: &Network,
    from: usize,
    to: usize,
    usable: &dyn Fn(&Arc) -> bool,
    clock: &dyn Fn(usize, f64) -> Option<f64>,
) -> Vec<[f64; 4]> {
    let ds = &net.dataset;
    let cargo = Cargo::parse("1xFEU").unwrap();
    let set = FactorSet::from_dataset(ds);
    let arc_fig = |ai: usize| -> Option<[f64; 4]> {
        let arc = &net.arcs[ai];
        if !usable(arc) {
            return None;
        }
        let t = arc.moving_h.typical + arc.wait_h.typical + arc.dwell_h.typical;
        let c = arc
            .price
            .map(|p| cargo.units(p.unit, true) * (p.fixed + p.per_km * arc.distance_km))
            .unwrap_or(0.0);
        let shipment = em::Shipment {
            net_t: cargo.net_t(),
            teu: cargo.teu(),
            containers: cargo.boxes(),
        };
        let factor = arc
            .emission_factor
            .map(|fi| &ds.emission_factors[fi as usize]);
        let tce = Tce::new(
            "x",
            arc.mode,
            arc.distance_km,
            DistanceKind::Network,
            shipment,
            factor,
        );
        let e = em::transport(&tce, &set)
            .ok()
            .and_then(|r| r.co2e_kg)
            .unwrap_or(0.0);
        let r = (arc.dwell_h.high - arc.dwell_h.typical) + (arc.wait_h.high - arc.wait_h.typical);
        Some([t, c, e, r])
    };
    // Each arc's figures once: the enumeration visits arcs many times.
    let figs: Vec<Option<[f64; 4]>> = (0..net.arcs.len()).map(arc_fig).collect();
    #[allow(clippy::too_many_arguments)]
    fn dfs(
        net: &Network,
        figs: &[Option<[f64; 4]>],
        clock: &dyn Fn(usize, f64) -> Option<f64>,
        cargo: &Cargo,
        (place, c, came): (usize, Carrier, Option<usize>),
        to: usize,
        acc: [f64; 4],
        seen: &mut [bool],
        out: &mut Vec<[f64; 4]>,
    ) {
        if place == to {
            out.push(acc);
            return;
        }
        for ai in net.out_arcs(place) {
            let arc = &net.arcs[ai];
            let Some(a) = figs[ai] else {
                continue;
            };
            let Some(c2) = net.departing_carrier(arc, c) else {
                continue;
            };
            // As the engine: no rail U-turn (out and back on one line on one train).
            if came.is_some_and(|a| c == c2 && net.view().rail_u_turn(a, ai)) {
                continue;
            }
            let tr = match net.transfer(place, c, c2) {
                Err(()) => continue,
                Ok(None) => [0.0; 4],
                Ok(Some(r)) => {
                    let usd = r
                        .price
                        .as_ref()
                        .map(|p| p.fixed * cargo.units(p.unit, true))
                        .unwrap_or(0.0);
                    // The random data has no hub emission factors: hub CO2e is null, counted 0.
                    [r.hours.typical, usd, 0.0, r.hours.high - r.hours.typical]
                }
            };
            // Each (place, carrier) state at most once: simple paths in the state graph.
            let next = arc.to.index() * net.n_carriers() + c2.0 as usize;
            if seen[next] {
                continue;
            }
            let Some(arrive) = clock(ai, acc[0] + tr[0]) else {
                continue;
            };
            seen[next] = true;
            let mut acc2: [f64; 4] = std::array::from_fn(|k| acc[k] + tr[k] + a[k]);
            acc2[0] = arrive;
            dfs(
                net,
                figs,
                clock,
                cargo,
                (arc.to.index(), c2, Some(ai)),
                to,
                acc2,
                seen,
                out,
            );
            seen[next] = false;
        }
    }
    let mut out = Vec::new();
    let mut seen = vec![false; net.dataset.places.len() * net.n_carriers()];
    seen[from * net.n_carriers() + Carrier::NONE.0 as usize] = true;
    dfs(
        net,
        &figs,
        clock,
        &cargo,
        (from, Carrier::NONE, None),
        to,
        [0.0; 4],
        &mut seen,
        &mut out,
    );
    out
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

/// The non-dominated, distinct vectors, sorted.
pub fn pareto_set(v: &[[f64; 4]]) -> Vec<[f64; 4]> {
    let le = |a: &[f64; 4], b: &[f64; 4]| (0..4).all(|k| a[k] <= b[k] || close(a[k], b[k]));
    let eq = |a: &[f64; 4], b: &[f64; 4]| (0..4).all(|k| close(a[k], b[k]));
    let lex = |a: &[f64; 4], b: &[f64; 4]| {
        a.iter()
            .zip(b)
            .fold(std::cmp::Ordering::Equal, |o, (x, y)| {
                o.then(x.total_cmp(y))
            })
    };
    // A sweep in lexicographic order keeps a small candidate set (only a vector before another
    // can dominate it), so the exact test below runs on few vectors (paths run to 10^5).
    let mut sorted = v.to_vec();
    sorted.sort_by(lex);
    let mut cand: Vec<[f64; 4]> = Vec::new();
    for x in &sorted {
        if !cand.iter().any(|y| le(y, x)) {
            cand.push(*x);
        }
    }
    let mut out: Vec<[f64; 4]> = Vec::new();
    for x in &cand {
        if v.iter().any(|y| le(y, x) && !eq(y, x)) || out.iter().any(|y| eq(y, x)) {
            continue;
        }
        out.push(*x);
    }
    out.sort_by(lex);
    out
}
