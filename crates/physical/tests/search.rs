//! Differential tests: Dijkstra against Floyd–Warshall, bidirectional Dijkstra and A*
//! against Dijkstra, on seeded random graphs.

use corridor_physical::search::{AStar, BiDijkstra, Dijkstra};
use corridor_physical::{Meta, Network, NetworkBuilder, NO_TAG};

mod common;
use common::{random_graph, Rng};

fn floyd_warshall(n: usize, arcs: &[(u32, u32, u64)]) -> Vec<Vec<u64>> {
    let mut d = vec![vec![u64::MAX; n]; n];
    for (i, row) in d.iter_mut().enumerate() {
        row[i] = 0;
    }
    for &(u, v, w) in arcs {
        let e = &mut d[u as usize][v as usize];
        *e = (*e).min(w);
    }
    for k in 0..n {
        for i in 0..n {
            if d[i][k] == u64::MAX {
                continue;
            }
            for j in 0..n {
                if d[k][j] != u64::MAX && d[i][k] + d[k][j] < d[i][j] {
                    d[i][j] = d[i][k] + d[k][j];
                }
            }
        }
    }
    d
}

/// The path's arcs join its nodes and add up to its length.
fn check_path(net: &Network, p: &corridor_physical::search::Path, s: u32, t: u32) {
    let g = net.parts();
    assert_eq!(p.nodes.first(), Some(&s));
    assert_eq!(p.nodes.last(), Some(&t));
    assert_eq!(p.arcs.len() + 1, p.nodes.len());
    let mut sum = 0u64;
    for (i, &a) in p.arcs.iter().enumerate() {
        let u = p.nodes[i] as usize;
        assert!((g.first_out[u]..g.first_out[u + 1]).contains(&a));
        assert_eq!(g.head[a as usize], p.nodes[i + 1]);
        sum += g.length_m[a as usize] as u64;
    }
    assert_eq!(sum, p.length_m);
}

#[test]
fn dijkstra_matches_floyd_warshall() {
    let mut rng = Rng(0x5eed_0001);
    for round in 0..60 {
        let n = 2 + rng.below(30) as usize;
        let m = rng.below(4 * n as u64) as usize;
        let (net, input) = random_graph(&mut rng, n, m, false);
        let fw = floyd_warshall(n, &input);
        let mut dij = Dijkstra::new(n);
        for s in 0..n as u32 {
            dij.run(&net, s, None);
            for t in 0..n as u32 {
                let expect = Some(fw[s as usize][t as usize]).filter(|&d| d != u64::MAX);
                assert_eq!(dij.distance(t), expect, "round {round}: {s}→{t}");
            }
        }
    }
}

#[test]
fn bidirectional_and_astar_match_dijkstra() {
    let mut rng = Rng(0x5eed_0002);
    for round in 0..80 {
        let spread = round % 4 != 0;
        let n = 2 + rng.below(60) as usize;
        let m = rng.below(5 * n as u64) as usize;
        let (net, _) = random_graph(&mut rng, n, m, spread);
        let (mut dij, mut bi, mut astar) = (Dijkstra::new(n), BiDijkstra::new(n), AStar::new(n));
        for _ in 0..20 {
            let s = rng.below(n as u64) as u32;
            let t = rng.below(n as u64) as u32;
            let reference = dij.path(&net, s, t);
            let b = bi.path(&net, s, t);
            let a = astar.path(&net, s, t);
            let len = |p: &Option<corridor_physical::search::Path>| p.as_ref().map(|p| p.length_m);
            assert_eq!(len(&b), len(&reference), "round {round} bidir {s}→{t}");
            assert_eq!(len(&a), len(&reference), "round {round} astar {s}→{t}");
            for p in [&reference, &b, &a].into_iter().flatten() {
                check_path(&net, p, s, t);
            }
        }
    }
}

#[test]
fn raised_arcs_keep_astar_exact() {
    // An arc claimed shorter than the straight line: the builder raises it, and A* (whose
    // estimate is the straight line) still agrees with Dijkstra.
    let mut b = NetworkBuilder::new();
    let a = b.add_node(0.0, 0.0).unwrap();
    let c = b.add_node(0.0, 1.0).unwrap();
    let d = b.add_node(0.0, 2.0).unwrap();
    b.add_edge(a, c, Some(1000.0), NO_TAG).unwrap();
    b.add_edge(c, d, Some(120_000.0), NO_TAG).unwrap();
    b.add_edge(a, d, Some(300_000.0), NO_TAG).unwrap();
    let net = b.build(Meta::default(), false).unwrap();
    assert_eq!(net.meta().report.arcs_raised, 2);
    let gc = corridor_physical::haversine_m(0.0, 0.0, 0.0, 1.0).ceil() as u64;
    let p = AStar::new(3).path(&net, a, d).unwrap();
    assert_eq!(p.length_m, gc + 120_000);
    assert_eq!(
        Dijkstra::new(3).path(&net, a, d).unwrap().length_m,
        p.length_m
    );
}

#[test]
fn blocked_tags_are_never_used_and_all_algorithms_agree() {
    use corridor_physical::search::{shortest_path_with, Algorithm, TagFilter};
    let mut rng = Rng(0x5eed_0003);
    for round in 0..40 {
        let n = 2 + rng.below(25) as usize;
        let mut b = NetworkBuilder::new();
        let strait = b.tag("passage=suez").unwrap();
        for _ in 0..n {
            b.add_node(43.0 + rng.unit(), 76.0 + rng.unit()).unwrap();
        }
        let mut open_arcs = Vec::new();
        for _ in 0..rng.below(4 * n as u64) {
            let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
            let tag = if rng.below(3) == 0 { strait } else { NO_TAG };
            b.add_arc(u, v, Some(200_000.0 + rng.below(100_000) as f64), tag)
                .unwrap();
            if tag == NO_TAG {
                open_arcs.push((u, v, 0u64));
            }
        }
        let net = b.build(Meta::default(), false).unwrap();
        let filter = TagFilter::blocking(&net, &["passage=suez"]);
        // The oracle: Floyd–Warshall on the open arcs with their stored lengths.
        let g = net.parts();
        let stored: Vec<(u32, u32, u64)> = (0..n)
            .flat_map(|u| (g.first_out[u]..g.first_out[u + 1]).map(move |a| (u as u32, a)))
            .filter(|&(_, a)| g.tag[a as usize] == NO_TAG)
            .map(|(u, a)| (u, g.head[a as usize], g.length_m[a as usize] as u64))
            .collect();
        let fw = floyd_warshall(n, &stored);
        for s in 0..n as u32 {
            for t in 0..n as u32 {
                let expect = Some(fw[s as usize][t as usize]).filter(|&d| d != u64::MAX);
                for algo in [
                    Algorithm::Dijkstra,
                    Algorithm::Bidirectional,
                    Algorithm::AStar,
                ] {
                    let p = shortest_path_with(&net, s, t, algo, &filter);
                    assert_eq!(
                        p.as_ref().map(|p| p.length_m),
                        expect,
                        "round {round} {algo:?} {s}→{t}"
                    );
                    if let Some(p) = p {
                        assert!(p.arcs.iter().all(|&a| g.tag[a as usize] != strait));
                    }
                }
            }
        }
        let _ = open_arcs;
    }
}
