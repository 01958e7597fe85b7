//! Contraction hierarchies against Dijkstra: distances, unpacked paths and matrices on
//! seeded random graphs and on the OSM fixture; the file round trip, its checks, and
//! determinism (building twice gives the same bytes).

use std::path::PathBuf;

use corridor_physical::ch::{self, ContractionHierarchy, Params};
use corridor_physical::search::{Dijkstra, Path, TagFilter};
use corridor_physical::{ChQuery, Error, Meta, Network, NetworkBuilder, NetworkDir, NO_TAG};

mod common;
use common::{random_graph, Rng};

fn build(net: &Network, params: &Params) -> ContractionHierarchy {
    ch::build(net, &TagFilter::default(), &[], params, &|_| {})
}

/// Tiny witness limits: many searches give up early, so many superfluous shortcuts, which
/// must not change any answer.
fn stingy() -> Params {
    Params {
        witness_settled: 2,
        priority_settled: 1,
    }
}

/// The path's arcs join its nodes and add up to its length.
fn check_path(net: &Network, p: &Path, s: u32, t: u32) {
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

/// Every pair: CH length and unpacked path against Dijkstra.
fn agree_all_pairs(net: &Network, chs: &[ContractionHierarchy], what: &str) {
    let n = net.node_count();
    let mut dij = Dijkstra::new(n);
    let mut q = ChQuery::new(n);
    for s in 0..n as u32 {
        dij.run(net, s, None);
        for t in 0..n as u32 {
            let expect = dij.distance(t);
            for (i, ch) in chs.iter().enumerate() {
                assert_eq!(q.distance(ch, s, t), expect, "{what} ch#{i} {s}→{t}");
                let p = q.path(net, ch, s, t);
                assert_eq!(
                    p.as_ref().map(|p| p.length_m),
                    expect,
                    "{what} ch#{i} path {s}→{t}"
                );
                if let Some(p) = p {
                    check_path(net, &p, s, t);
                }
            }
        }
    }
}

#[test]
fn ch_matches_dijkstra_on_random_graphs() {
    let mut rng = Rng(0x5eed_00c1);
    for round in 0..60 {
        let spread = round % 3 != 0;
        let n = 2 + rng.below(70) as usize;
        let m = rng.below(5 * n as u64) as usize;
        let (net, _) = random_graph(&mut rng, n, m, spread);
        let chs = [build(&net, &Params::default()), build(&net, &stingy())];
        agree_all_pairs(&net, &chs, &format!("round {round}"));
    }
}

#[test]
fn ch_matches_dijkstra_on_a_larger_random_graph() {
    let mut rng = Rng(0x5eed_00c2);
    let n = 600;
    let (net, _) = random_graph(&mut rng, n, 3 * n, true);
    let ch = build(&net, &Params::default());
    let mut dij = Dijkstra::new(n);
    let mut q = ChQuery::new(n);
    for _ in 0..40 {
        let s = rng.below(n as u64) as u32;
        dij.run(&net, s, None);
        for _ in 0..40 {
            let t = rng.below(n as u64) as u32;
            assert_eq!(q.distance(&ch, s, t), dij.distance(t), "{s}→{t}");
            if let Some(p) = q.path(&net, &ch, s, t) {
                check_path(&net, &p, s, t);
            }
        }
    }
}

#[test]
fn matrix_matches_repeated_dijkstra() {
    let mut rng = Rng(0x5eed_00c3);
    for round in 0..20 {
        let n = 2 + rng.below(200) as usize;
        let (net, _) = random_graph(&mut rng, n, 3 * n, round % 2 == 0);
        let ch = build(&net, &Params::default());
        let pick = |rng: &mut Rng| -> Vec<u32> {
            (0..1 + rng.below(12))
                .map(|_| rng.below(n as u64) as u32)
                .collect()
        };
        let (sources, targets) = (pick(&mut rng), pick(&mut rng));
        let m = ch::matrix(&ch, &sources, &targets, &|_| {});
        let mut dij = Dijkstra::new(n);
        assert_eq!(m.len(), sources.len());
        for (i, &s) in sources.iter().enumerate() {
            dij.run(&net, s, None);
            for (j, &t) in targets.iter().enumerate() {
                assert_eq!(m[i][j], dij.distance(t), "round {round} {s}→{t}");
            }
        }
    }
}

#[test]
fn blocked_tags_are_left_out_of_the_hierarchy() {
    let mut rng = Rng(0x5eed_00c4);
    for round in 0..30 {
        let n = 2 + rng.below(40) as usize;
        let mut b = NetworkBuilder::new();
        let strait = b.tag("passage=northwest").unwrap();
        for _ in 0..n {
            b.add_node(43.0 + rng.unit(), 76.0 + rng.unit()).unwrap();
        }
        for _ in 0..rng.below(4 * n as u64) {
            let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
            let tag = if rng.below(3) == 0 { strait } else { NO_TAG };
            b.add_arc(u, v, Some(200_000.0 + rng.below(100_000) as f64), tag)
                .unwrap();
        }
        let net = b.build(Meta::default(), false).unwrap();
        let filter = TagFilter::blocking(&net, &["passage=northwest"]);
        let blocked = vec!["passage=northwest".to_string()];
        let ch = ch::build(&net, &filter, &blocked, &Params::default(), &|_| {});
        assert!(ch.serves(&["passage=northwest"]) && !ch.serves(&[]));
        let mut dij = Dijkstra::new(n);
        dij.set_filter(filter.clone());
        let mut q = ChQuery::new(n);
        for s in 0..n as u32 {
            dij.run(&net, s, None);
            for t in 0..n as u32 {
                assert_eq!(
                    q.distance(&ch, s, t),
                    dij.distance(t),
                    "round {round} {s}→{t}"
                );
                if let Some(p) = q.path(&net, &ch, s, t) {
                    check_path(&net, &p, s, t);
                    let g = net.parts();
                    assert!(p.arcs.iter().all(|&a| g.tag[a as usize] != strait));
                }
            }
        }
    }
}

#[test]
fn building_twice_gives_the_same_bytes() {
    let mut rng = Rng(0x5eed_00c5);
    let (net, _) = random_graph(&mut rng, 800, 3000, true);
    let a = build(&net, &Params::default());
    let b = build(&net, &Params::default());
    assert_eq!(a.as_bytes(), b.as_bytes());
    // And the same bytes after a round trip through a file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.ch");
    a.write(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b.as_bytes());
}

#[test]
fn hierarchy_files_are_checked() {
    let mut rng = Rng(0x5eed_00c6);
    let (net, _) = random_graph(&mut rng, 300, 1000, true);
    let ch = build(&net, &Params::default());
    let dir = tempfile::tempdir().unwrap();
    let store = NetworkDir::new(dir.path());
    assert!(store.open_ch("rail", &net).unwrap().is_none());
    store.save("rail", &net).unwrap();
    let path = store.ch_path("rail").unwrap();
    ch.write(&path).unwrap();
    let net = store.open("rail").unwrap();
    let opened = store.open_ch("rail", &net).unwrap().unwrap();
    assert_eq!(opened.as_bytes(), ch.as_bytes());
    let mut q = ChQuery::new(net.node_count());
    let mut dij = Dijkstra::new(net.node_count());
    dij.run(&net, 7, None);
    assert_eq!(q.distance(&opened, 7, 99), dij.distance(99));

    let bytes = std::fs::read(&path).unwrap();
    // A flipped byte in the arrays: the checksum says so.
    let mut bad = bytes.clone();
    bad[200] ^= 0x40;
    std::fs::write(&path, &bad).unwrap();
    assert!(matches!(
        ContractionHierarchy::open(&path, &net),
        Err(Error::Corrupt { .. })
    ));
    // Cut short.
    std::fs::write(&path, &bytes[..bytes.len() - 9]).unwrap();
    assert!(matches!(
        ContractionHierarchy::open(&path, &net),
        Err(Error::Truncated { .. })
    ));
    // Another version.
    let mut v2 = bytes.clone();
    v2[8] = 2;
    std::fs::write(&path, &v2).unwrap();
    assert!(matches!(
        ContractionHierarchy::open(&path, &net),
        Err(Error::Version { found: 2, .. })
    ));
    // A network file is not a hierarchy file.
    assert!(matches!(
        ContractionHierarchy::open(&store.path("rail").unwrap(), &net),
        Err(Error::Foreign { .. })
    ));
    // The network is imported again (different arcs): the hierarchy is stale.
    std::fs::write(&path, &bytes).unwrap();
    let (other, _) = random_graph(&mut rng, 300, 1001, true);
    store.save("rail", &other).unwrap();
    let other = store.open("rail").unwrap();
    let err = store.open_ch("rail", &other).unwrap_err();
    assert!(matches!(err, Error::StaleHierarchy { .. }), "{err}");
    assert!(
        err.to_string().contains("corridor prepare --network rail"),
        "{err}"
    );
}

#[test]
fn ch_matches_dijkstra_on_the_osm_fixture() {
    use corridor_physical::import::osm::{import, Kind};
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/osm/fixture.osm.pbf");
    for kind in [Kind::Rail, Kind::Road, Kind::Ferry] {
        let (net, _) = import(&fixture, kind, kind.name(), false).unwrap();
        let chs = [build(&net, &Params::default()), build(&net, &stingy())];
        agree_all_pairs(&net, &chs, kind.name());
    }
}

/// A hierarchy file with one shortcut's middle node changed and its checksum recomputed (with
/// the format's own CRC-32 over the payload) passed the open-time checks and then panicked in
/// the query that unpacked the shortcut; now it is refused at open as corrupt (issue 17).
#[test]
fn a_wrong_shortcut_under_a_recomputed_checksum_is_refused_at_open() {
    let mut rng = Rng(0x5eed_00c7);
    let (net, _) = random_graph(&mut rng, 300, 1000, true);
    let ch = build(&net, &Params::default());
    let p = ch.parts();
    let bytes = ch.as_bytes();
    // A forward shortcut r → h and a lower node m whose arcs do not join r and h.
    let mut found = None;
    'search: for r in 0..net.node_count() {
        for a in p.fwd_first[r] as usize..p.fwd_first[r + 1] as usize {
            if p.fwd_mid[a] & ch::ORIGINAL != 0 {
                continue;
            }
            let h = p.fwd_head[a];
            for m in 0..r as u32 {
                let has = |first: &[u32], head: &[u32], x: u32| {
                    head[first[m as usize] as usize..first[m as usize + 1] as usize].contains(&x)
                };
                if !(has(p.bwd_first, p.bwd_head, r as u32) && has(p.fwd_first, p.fwd_head, h)) {
                    found = Some((a, m));
                    break 'search;
                }
            }
        }
    }
    let (arc, wrong_mid) = found.expect("a shortcut to break");
    let at = p.fwd_mid.as_ptr() as usize - bytes.as_ptr() as usize + 4 * arc;
    let mut bad = bytes.to_vec();
    bad[at..at + 4].copy_from_slice(&wrong_mid.to_le_bytes());
    let crc = crc32fast::hash(&bad[64..]);
    bad[40..44].copy_from_slice(&crc.to_le_bytes());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rail.ch");
    std::fs::write(&path, &bad).unwrap();
    let err = ContractionHierarchy::open(&path, &net).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("shortcut"), "{err}");
    // The untouched file still opens and answers.
    std::fs::write(&path, bytes).unwrap();
    assert!(ContractionHierarchy::open(&path, &net).is_ok());
}
