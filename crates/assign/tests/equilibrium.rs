//! Equilibrium conditions checked directly on small networks with closed-form answers, and
//! all-or-nothing against a brute-force shortest path oracle (Floyd–Warshall).

use corridor_assign::shortest_path::all_or_nothing;
use corridor_assign::{
    assign, Algorithm, CostModel, CostWeights, Delay, Demand, Link, Network, Objective, Options,
};

/// Each algorithm with the gap it reaches on these networks in reasonable time (plain
/// Frank–Wolfe converges sublinearly) and the flow tolerance that gap allows.
fn target(alg: Algorithm) -> (f64, f64) {
    match alg {
        Algorithm::FrankWolfe => (1e-5, 2e-2),
        Algorithm::ConjugateFrankWolfe => (1e-7, 1e-3),
        Algorithm::BiconjugateFrankWolfe => (1e-8, 1e-3),
        _ => (1e-10, 1e-4),
    }
}

const ALL: [Algorithm; 4] = [
    Algorithm::FrankWolfe,
    Algorithm::ConjugateFrankWolfe,
    Algorithm::BiconjugateFrankWolfe,
    Algorithm::GradientProjection,
];

/// A link with cost t0 + k·x (BPR with power 1, capacity 1, b = k / t0).
fn affine(from: u32, to: u32, t0: f64, k: f64) -> Link {
    Link {
        from,
        to,
        capacity: 1.0,
        free_flow_time: t0,
        b: k / t0,
        power: 1.0,
        length: 0.0,
        toll: 0.0,
        delay: Default::default(),
        preload: 0.0,
    }
}

fn run(
    net: &Network,
    demand: &Demand,
    algorithm: Algorithm,
    objective: Objective,
    gap: f64,
) -> corridor_assign::Assignment {
    let opts = Options {
        algorithm,
        objective,
        gap,
        max_iter: 100_000,
        weights: CostWeights::default(),
    };
    let a = assign(net, demand, &opts).unwrap();
    assert!(
        a.converged,
        "{algorithm:?} {objective:?}: gap {}",
        a.relative_gap
    );
    a
}

/// Two parallel links 1 → 2: a fixed road (cost 20) and a congestible one (10 + x), 15 units.
/// UE: 10 + x_B = 20 → x_B = 10, x_A = 5, total 300. SO: marginal 10 + 2x_B = 20 → x_B = 5,
/// total 10·20 + 5·15 = 275.
#[test]
fn two_link_network_matches_the_closed_form() {
    let fixed = Link {
        b: 0.0,
        ..affine(0, 1, 20.0, 1.0)
    };
    let net = Network::new(2, 2, 0, vec![fixed, affine(0, 1, 10.0, 1.0)]).unwrap();
    let mut d = Demand::new(2);
    d.add(0, 1, 15.0).unwrap();
    for alg in ALL {
        let (gap, tol) = target(alg);
        let ue = run(&net, &d, alg, Objective::UserEquilibrium, gap);
        assert!(
            (ue.flows[1] - 10.0).abs() < tol,
            "{alg:?} UE {:?}",
            ue.flows
        );
        assert!((ue.total_cost - 300.0).abs() < 15.0 * tol);
        let so = run(&net, &d, alg, Objective::SystemOptimum, gap);
        assert!((so.flows[1] - 5.0).abs() < tol, "{alg:?} SO {:?}", so.flows);
        assert!((so.total_cost - 275.0).abs() < 15.0 * tol);
        assert!(so.total_cost <= ue.total_cost);
    }
}

/// Braess (1968) in the textbook numbers: s→a 10x, a→t 50 + x, s→b 50 + x, b→t 10x, bridge
/// a→b 10 + x, 6 units s → t. With the bridge the UE puts 2 units on each of the three paths
/// (cost 92 each); without it 3 and 3 (cost 83). Zones s and t lie below the first thru node,
/// so no path may pass through them.
#[test]
fn braess_paradox_matches_the_closed_form() {
    let eps = 1e-7; // t0 > 0 for the pure 10x links
    let links = vec![
        affine(0, 2, eps, 10.0), // s→a
        affine(2, 1, 50.0, 1.0), // a→t
        affine(0, 3, 50.0, 1.0), // s→b
        affine(3, 1, eps, 10.0), // b→t
        affine(2, 3, 10.0, 1.0), // a→b
    ];
    let mut d = Demand::new(2);
    d.add(0, 1, 6.0).unwrap();
    let with = Network::new(4, 2, 2, links.clone()).unwrap();
    let without = Network::new(4, 2, 2, links[..4].to_vec()).unwrap();
    for alg in ALL {
        let (gap, tol) = target(alg);
        let a = run(&with, &d, alg, Objective::UserEquilibrium, gap);
        for (x, want) in a.flows.iter().zip([4.0, 2.0, 2.0, 4.0, 2.0]) {
            assert!((x - want).abs() < tol, "{alg:?}: {:?}", a.flows);
        }
        let slack = 6.0 * tol;
        assert!(
            (a.total_cost - 6.0 * 92.0).abs() < slack,
            "{alg:?}: {}",
            a.total_cost
        );
        let b = run(&without, &d, alg, Objective::UserEquilibrium, gap);
        assert!(
            (b.total_cost - 6.0 * 83.0).abs() < slack,
            "{alg:?}: {}",
            b.total_cost
        );
        // the system optimum costs no more than either equilibrium (it may leave the bridge)
        let so = run(&with, &d, alg, Objective::SystemOptimum, gap);
        assert!(so.total_cost <= b.total_cost * (1.0 + gap) && so.total_cost <= a.total_cost);
    }
}

/// A deterministic pseudo-random generator (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A strongly connected random network: a ring both ways plus random chords, BPR power 4.
fn random_network(n: usize, zones: usize, first_thru: usize, seed: u64) -> (Network, Demand) {
    let mut r = Lcg(seed);
    let mut links = Vec::new();
    let link = |from: usize, to: usize, r: &mut Lcg| Link {
        from: from as u32,
        to: to as u32,
        capacity: 50.0 + 200.0 * r.next(),
        free_flow_time: 1.0 + 9.0 * r.next(),
        b: 0.15,
        power: 4.0,
        length: 0.0,
        toll: 0.0,
        delay: Default::default(),
        preload: 0.0,
    };
    // a two-way ring over the nodes paths may pass through, random chords, and every node below
    // the first thru node joined both ways to two of them
    let thru = n - first_thru;
    let pick = |r: &mut Lcg| first_thru + ((r.next() * thru as f64) as usize) % thru;
    for i in 0..thru {
        let (v, w) = (first_thru + i, first_thru + (i + 1) % thru);
        links.push(link(v, w, &mut r));
        links.push(link(w, v, &mut r));
    }
    for z in 0..first_thru {
        for _ in 0..2 {
            let v = pick(&mut r);
            links.push(link(z, v, &mut r));
            links.push(link(v, z, &mut r));
        }
    }
    for _ in 0..2 * n {
        let (a, b) = (
            (r.next() * n as f64) as usize,
            (r.next() * n as f64) as usize,
        );
        if a != b {
            links.push(link(a, b, &mut r));
        }
    }
    let net = Network::new(n, zones, first_thru, links).unwrap();
    let mut d = Demand::new(zones);
    for o in 0..zones {
        for t in 0..zones {
            if o != t && r.next() < 0.7 {
                d.add(o, t, (100.0 * r.next()).round()).unwrap();
            }
        }
    }
    (net, d)
}

/// Floyd–Warshall with only passable nodes as intermediates: the brute-force oracle.
fn floyd_warshall(net: &Network, cost: &[f64]) -> Vec<Vec<f64>> {
    let n = net.node_count();
    let mut d = vec![vec![f64::INFINITY; n]; n];
    for (v, row) in d.iter_mut().enumerate() {
        row[v] = 0.0;
    }
    for (a, l) in net.links().iter().enumerate() {
        let (i, j) = (l.from as usize, l.to as usize);
        d[i][j] = d[i][j].min(cost[a]);
    }
    for k in net.first_thru_node()..n {
        for i in 0..n {
            for j in 0..n {
                if d[i][k] + d[k][j] < d[i][j] {
                    d[i][j] = d[i][k] + d[k][j];
                }
            }
        }
    }
    d
}

#[test]
fn all_or_nothing_matches_brute_force_shortest_paths() {
    for seed in 1..=20 {
        let first_thru = if seed % 2 == 0 { 6 } else { 0 };
        let (net, demand) = random_network(30, 6, first_thru, seed);
        let model = CostModel::new(&net, CostWeights::default(), Objective::UserEquilibrium);
        let mut r = Lcg(seed * 7);
        let cost: Vec<f64> = (0..net.links().len())
            .map(|a| model.cost(a, 300.0 * r.next()))
            .collect();
        let (flows, sptt) = all_or_nothing(&net, &demand, &cost).unwrap();
        let fw = floyd_warshall(&net, &cost);
        let mut want = 0.0;
        for (o, row) in fw.iter().enumerate().take(demand.zone_count()) {
            for &(t, q) in demand.from_origin(o) {
                want += q * row[t as usize];
            }
        }
        assert!(
            (sptt - want).abs() <= 1e-9 * want,
            "seed {seed}: {sptt} vs {want}"
        );
        // the loaded flows lie on shortest paths: their cost is exactly SPTT
        let loaded: f64 = flows.iter().zip(&cost).map(|(x, c)| x * c).sum();
        assert!((loaded - want).abs() <= 1e-9 * want, "seed {seed}");
        // and never pass through a zone below the first thru node
        for (a, l) in net.links().iter().enumerate() {
            if (l.from as usize) < first_thru && flows[a] > 0.0 {
                let from_origin: f64 = demand
                    .from_origin(l.from as usize)
                    .iter()
                    .map(|(_, q)| q)
                    .sum();
                assert!(
                    flows[a] <= from_origin + 1e-9,
                    "seed {seed}: flow passes through zone {}",
                    l.from + 1
                );
            }
        }
    }
}

/// Chicago Sketch's shape: zones that may be passed through (FIRST THRU NODE 1) but hang on one
/// connector pair each, with demand from only some zones to some others. The searches label
/// such zones without expanding them and stop at the last destination; Floyd–Warshall, which
/// may pass through every node, checks that this loses no shortest path.
#[test]
fn all_or_nothing_with_pendant_zones_matches_brute_force() {
    for seed in 1..=20u64 {
        let (n, zones) = (40, 12);
        let mut r = Lcg(seed * 11);
        let link = |from: usize, to: usize, r: &mut Lcg| Link {
            from: from as u32,
            to: to as u32,
            capacity: 100.0,
            free_flow_time: 1.0 + 9.0 * r.next(),
            b: 0.15,
            power: 4.0,
            length: 0.0,
            toll: 0.0,
            delay: Default::default(),
            preload: 0.0,
        };
        let mut links = Vec::new();
        for i in zones..n {
            let j = if i + 1 == n { zones } else { i + 1 };
            links.push(link(i, j, &mut r));
            links.push(link(j, i, &mut r));
        }
        for _ in 0..n {
            let a = zones + (r.next() * (n - zones) as f64) as usize % (n - zones);
            let b = zones + (r.next() * (n - zones) as f64) as usize % (n - zones);
            if a != b {
                links.push(link(a, b, &mut r));
            }
        }
        for z in 0..zones {
            let v = zones + (r.next() * (n - zones) as f64) as usize % (n - zones);
            links.push(link(z, v, &mut r));
            links.push(link(v, z, &mut r));
            if seed % 2 == 0 {
                // a parallel connector: still one neighbour
                links.push(link(v, z, &mut r));
            }
        }
        let net = Network::new(n, zones, 0, links).unwrap();
        let mut demand = Demand::new(zones);
        for o in 0..zones {
            for t in 0..zones {
                if o != t && r.next() < 0.3 {
                    demand.add(o, t, 1.0 + (10.0 * r.next()).round()).unwrap();
                }
            }
        }
        let cost: Vec<f64> = net.links().iter().map(|l| l.free_flow_time).collect();
        let (flows, sptt) = all_or_nothing(&net, &demand, &cost).unwrap();
        let fw = floyd_warshall(&net, &cost);
        let mut want = 0.0;
        for (o, row) in fw.iter().enumerate().take(zones) {
            for &(t, q) in demand.from_origin(o) {
                want += q * row[t as usize];
            }
        }
        assert!(
            (sptt - want).abs() <= 1e-9 * want,
            "seed {seed}: {sptt} vs {want}"
        );
        let loaded: f64 = flows.iter().zip(&cost).map(|(x, c)| x * c).sum();
        assert!((loaded - want).abs() <= 1e-9 * want, "seed {seed}");
        // the public full tree agrees with the oracle on every node
        let mut tree = corridor_assign::shortest_path::Tree::new(n);
        for (o, row) in fw.iter().enumerate().take(zones) {
            tree.grow(&net, &cost, o);
            for (v, &d) in row.iter().enumerate() {
                assert!(
                    (tree.dist[v] - d).abs() <= 1e-9 * d.max(1.0),
                    "seed {seed} {o}->{v}"
                );
            }
        }
    }
}

/// Wardrop's condition on the paths gradient projection returns: every used path of an OD pair
/// costs no more than the shortest (Floyd–Warshall at the final costs) plus the gap allows, and
/// path flows add up to the demand and to the link flows.
#[test]
fn every_used_path_costs_the_minimum_within_the_gap() {
    for (seed, objective) in [
        (3, Objective::UserEquilibrium),
        (4, Objective::UserEquilibrium),
        (5, Objective::SystemOptimum),
    ] {
        let (net, demand) = random_network(25, 8, 8, seed);
        let a = run(
            &net,
            &demand,
            Algorithm::GradientProjection,
            objective,
            1e-10,
        );
        let model = CostModel::new(&net, CostWeights::default(), objective);
        let eff: Vec<f64> = (0..a.flows.len())
            .map(|l| model.effective(l, a.flows[l]))
            .collect();
        let fw = floyd_warshall(&net, &eff);
        let mut link_sum = vec![0.0; a.flows.len()];
        let mut od_sum = std::collections::HashMap::new();
        for p in &a.paths {
            let c: f64 = p.links.iter().map(|&l| eff[l as usize]).sum();
            let min = fw[p.origin as usize][p.destination as usize];
            assert!(
                c <= min * (1.0 + 1e-6),
                "seed {seed}: used path costs {c}, minimum {min}"
            );
            for &l in &p.links {
                link_sum[l as usize] += p.flow;
            }
            *od_sum.entry((p.origin, p.destination)).or_insert(0.0) += p.flow;
        }
        for o in 0..demand.zone_count() {
            for &(t, q) in demand.from_origin(o) {
                let got = od_sum.get(&(o as u32, t)).copied().unwrap_or(0.0);
                assert!(
                    (got - q).abs() <= 1e-9 * q.max(1.0),
                    "seed {seed}: OD {o}->{t}: {got} vs {q}"
                );
            }
        }
        for (x, s) in a.flows.iter().zip(&link_sum) {
            assert!((x - s).abs() <= 1e-6 * x.max(1.0));
        }
        // the FW family reaches the same link flows (unique at equilibrium) to its own gap
        let b = run(
            &net,
            &demand,
            Algorithm::BiconjugateFrankWolfe,
            objective,
            1e-7,
        );
        let total: f64 = a.flows.iter().sum();
        let diff: f64 = a
            .flows
            .iter()
            .zip(&b.flows)
            .map(|(x, y)| (x - y).abs())
            .sum();
        assert!(diff <= 1e-2 * total, "seed {seed}: {diff} of {total}");
    }
}

#[test]
fn system_optimum_never_costs_more_than_user_equilibrium() {
    for seed in 10..16 {
        let (net, demand) = random_network(20, 5, 5, seed);
        let ue = run(
            &net,
            &demand,
            Algorithm::GradientProjection,
            Objective::UserEquilibrium,
            1e-10,
        );
        let so = run(
            &net,
            &demand,
            Algorithm::GradientProjection,
            Objective::SystemOptimum,
            1e-10,
        );
        assert!(
            so.total_cost <= ue.total_cost * (1.0 + 1e-9),
            "seed {seed}: {} > {}",
            so.total_cost,
            ue.total_cost
        );
    }
}

/// A queue link (cost b·ρ/(1 − ρ), b = 1, capacity 10) beside a fixed road (cost 1), 8 units.
/// UE: ρ/(1 − ρ) = 1 → ρ = 0.5, 5 units queue. SO: marginal ρ/(1−ρ) + ρ/(1−ρ)² = 1 →
/// (1 − ρ)² = 1/2 → ρ = 1 − 1/√2, 2.93 units queue.
#[test]
fn queue_link_matches_the_closed_form() {
    let queue = Link {
        from: 0,
        to: 1,
        capacity: 10.0,
        free_flow_time: 0.0,
        b: 1.0,
        power: 0.0,
        length: 0.0,
        toll: 0.0,
        delay: Delay::Queue,
        preload: 0.0,
    };
    let fixed = Link {
        b: 0.0,
        ..affine(0, 1, 1.0, 1.0)
    };
    let net = Network::new(2, 2, 0, vec![fixed, queue]).unwrap();
    let mut d = Demand::new(2);
    d.add(0, 1, 8.0).unwrap();
    for alg in ALL {
        let (gap, tol) = target(alg);
        let ue = run(&net, &d, alg, Objective::UserEquilibrium, gap);
        assert!((ue.flows[1] - 5.0).abs() < tol, "{alg:?} UE {:?}", ue.flows);
        let so = run(&net, &d, alg, Objective::SystemOptimum, gap);
        let want = 10.0 * (1.0 - 0.5f64.sqrt());
        assert!(
            (so.flows[1] - want).abs() < tol,
            "{alg:?} SO {:?}",
            so.flows
        );
        assert!(so.total_cost <= ue.total_cost + 1e-9);
    }
}

/// Two parallel queues (capacities 10 and 5, b = 1) under 20 units, more than both can serve:
/// the delays continue as the second-order Taylor polynomial at ρ = 0.95 and the UE (and the
/// SO, by symmetry) loads both to the same utilisation, 4/3 (13.33 and 6.67 units), at a
/// finite cost.
#[test]
fn queues_over_capacity_stay_finite_and_balance() {
    let q = |cap: f64| Link {
        from: 0,
        to: 1,
        capacity: cap,
        free_flow_time: 0.0,
        b: 1.0,
        power: 0.0,
        length: 0.0,
        toll: 0.0,
        delay: Delay::Queue,
        preload: 0.0,
    };
    let net = Network::new(2, 2, 0, vec![q(10.0), q(5.0)]).unwrap();
    let mut d = Demand::new(2);
    d.add(0, 1, 20.0).unwrap();
    for alg in ALL {
        let (gap, tol) = target(alg);
        let ue = run(&net, &d, alg, Objective::UserEquilibrium, gap);
        assert!(
            (ue.flows[0] - 40.0 / 3.0).abs() < 10.0 * tol,
            "{alg:?} {:?}",
            ue.flows
        );
        assert!(ue.costs.iter().all(|c| c.is_finite()));
        // f(0.95) + f'(0.95)·e + f''(0.95)·e²/2 = 19 + 400 e + 8000 e², e = 4/3 − 0.95
        let e = 4.0 / 3.0 - 0.95;
        let want = 19.0 + 400.0 * e + 8000.0 * e * e;
        assert!((ue.costs[0] - want).abs() < 1e-2 * want, "{:?}", ue.costs);
        // SO: equal marginal costs, the same utilisation by symmetry
        let so = run(&net, &d, alg, Objective::SystemOptimum, gap);
        assert!(
            (so.flows[0] - 40.0 / 3.0).abs() < 10.0 * tol,
            "{alg:?} SO {:?}",
            so.flows
        );
    }
}
