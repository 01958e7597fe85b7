//! The query facade: the algorithm chosen in one place (hierarchy when prepared and fit,
//! else A*/Dijkstra), answers equal to plain Dijkstra (the reference), passage options, and
//! budgets that stop every search.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use corridor_physical::query::{Closures, Endpoint, Method, Passages, PathRequest, Prepared};
use corridor_physical::search::{AStar, Algorithm, Dijkstra, TagFilter};
use corridor_physical::{ch, Budget, Error, Meta, Network, NetworkBuilder, NetworkDir, Stopped};

mod common;
use common::{random_graph, Rng};

fn saved(dir: &std::path::Path, name: &str, net: &Network) -> NetworkDir {
    let store = NetworkDir::new(dir);
    store.save(name, net).unwrap();
    store
}

/// Prepares `name` as `corridor prepare` does: default-closed passages left out.
fn prepare(store: &NetworkDir, name: &str) {
    let net = store.open(name).unwrap();
    let blocked = Closures::resolve(&net, &Passages::default())
        .unwrap()
        .blocked;
    let refs: Vec<&str> = blocked.iter().map(String::as_str).collect();
    let h = ch::build(
        &net,
        &TagFilter::blocking(&net, &refs),
        &blocked,
        &ch::Params::default(),
        &|_| {},
    );
    h.write(&store.ch_path(name).unwrap()).unwrap();
}

fn at(lat: f64, lon: f64) -> Endpoint {
    Endpoint::point(&format!("{lat},{lon}")).unwrap().unwrap()
}

#[test]
fn the_hierarchy_answers_when_prepared_and_the_lengths_equal_dijkstra() {
    let mut rng = Rng(0xfacade);
    let (net, _) = random_graph(&mut rng, 60, 240, true);
    let dir = tempfile::tempdir().unwrap();
    let store = saved(dir.path(), "road", &net);
    let n = net.node_count() as u32;
    let mut dij = Dijkstra::new(n as usize);
    let nodes: Vec<u32> = (0..n).collect();
    let reference: Vec<Vec<Option<u64>>> = nodes
        .iter()
        .map(|&s| {
            dij.run(&net, s, None);
            nodes.iter().map(|&t| dij.distance(t)).collect()
        })
        .collect();
    for prepared in [false, true] {
        if prepared {
            prepare(&store, "road");
        }
        let p = Prepared::open(&store, "road").unwrap();
        let s = p
            .search(&Passages::default(), Method::Auto, Budget::unlimited())
            .unwrap();
        assert_eq!(s.algorithm(), if prepared { "ch" } else { "astar" });
        let m = s.matrix(&nodes, &nodes, &|_| {}).unwrap();
        assert_eq!(m.algorithm, if prepared { "ch" } else { "dijkstra" });
        assert_eq!(m.rows, reference, "prepared: {prepared}");
        for (i, &a) in nodes.iter().enumerate().step_by(7) {
            for (j, &b) in nodes.iter().enumerate().step_by(5) {
                let got = s.path(a, b).unwrap().map(|p| p.length_m);
                assert_eq!(got, reference[i][j], "{a}→{b} prepared: {prepared}");
            }
        }
        // Method::Ch without a hierarchy is an error naming the fix; an explicit search
        // skips the hierarchy.
        let ch = p.search(&Passages::default(), Method::Ch, Budget::unlimited());
        match (prepared, ch) {
            (true, Ok(s)) => assert_eq!(s.algorithm(), "ch"),
            (false, Err(Error::MissingHierarchy { network, detail })) => {
                assert_eq!((network.as_str(), detail.as_str()), ("road", ""))
            }
            (_, other) => panic!("prepared {prepared}: {other:?}"),
        }
        let bi = p
            .search(
                &Passages::default(),
                Method::Search(Algorithm::Bidirectional),
                Budget::unlimited(),
            )
            .unwrap();
        assert_eq!(bi.algorithm(), "bidirectional");
    }
}

/// A sea network: A —suez— B (short), A — C — B around the Cape (long), and D reached only
/// through the Northwest Passage (closed by default).
fn sea() -> (Network, [u32; 4]) {
    let mut b = NetworkBuilder::new();
    let suez = b.tag("passage=suez").unwrap();
    let nw = b.tag("passage=northwest").unwrap();
    let a = b.add_node(31.0, 32.0).unwrap();
    let bb = b.add_node(12.0, 44.0).unwrap();
    let c = b.add_node(-34.0, 18.0).unwrap();
    let d = b.add_node(74.0, -95.0).unwrap();
    b.add_edge(a, bb, None, suez).unwrap();
    b.add_edge(a, c, None, 0).unwrap();
    b.add_edge(c, bb, None, 0).unwrap();
    b.add_edge(a, d, None, nw).unwrap();
    let net = b
        .build(
            Meta {
                name: "sea".into(),
                ..Meta::default()
            },
            false,
        )
        .unwrap();
    (net, [a, bb, c, d])
}

#[test]
fn passage_options_close_and_open_passages_and_say_why_no_path_is_left() {
    let (net, [a, bb, c, d]) = sea();
    let dir = tempfile::tempdir().unwrap();
    let store = saved(dir.path(), "sea", &net);
    let p = Prepared::open(&store, "sea").unwrap();
    let req = |to: (f64, f64), allow: &[&str], avoid: &[&str]| PathRequest {
        passages: Passages {
            allow: allow.iter().map(|s| s.to_string()).collect(),
            avoid: avoid.iter().map(|s| s.to_string()).collect(),
        },
        max_snap_km: 1.0,
        ..PathRequest::new(at(31.0, 32.0), at(to.0, to.1))
    };
    let g = net.parts();
    let arc_len = |u: u32, v: u32| -> u64 {
        (g.first_out[u as usize]..g.first_out[u as usize + 1])
            .find(|&x| g.head[x as usize] == v)
            .map(|x| g.length_m[x as usize] as u64)
            .unwrap()
    };
    let direct = p.path(&req((12.0, 44.0), &[], &[])).unwrap();
    assert_eq!(direct.path.nodes, vec![a, bb]);
    assert_eq!(direct.tags[0].0, "passage=suez");
    // The default closure of the Northwest Passage is noted because the network has it.
    assert!(direct.warnings[0].starts_with("passage=northwest is closed by default"));
    let cape = p.path(&req((12.0, 44.0), &[], &["passage:suez"])).unwrap();
    assert_eq!(cape.path.nodes, vec![a, c, bb]);
    assert_eq!(cape.path.length_m, arc_len(a, c) + arc_len(c, bb));
    // Closed by default: no path, and the message names the passage and how to open it.
    let err = p.path(&req((74.0, -95.0), &[], &[])).unwrap_err();
    match &err {
        Error::NoPath {
            network, reason, ..
        } => {
            assert_eq!(network, "sea");
            assert!(
                reason.starts_with("every route crosses a closed passage: northwest (closed by default; allow passage:northwest opens it)"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), "NoRoute");
    let open = p
        .path(&req((74.0, -95.0), &["passage:northwest"], &[]))
        .unwrap();
    assert_eq!(open.path.nodes, vec![a, d]);
    let bad = p
        .path(&req((12.0, 44.0), &[], &["passage:atlantis"]))
        .unwrap_err();
    assert!(
        matches!(&bad, Error::UnknownPassage { field: "avoid", input } if input == "passage:atlantis"),
        "{bad:?}"
    );
    assert_eq!(bad.field(), Some("avoid"));
}

/// A grid big enough that a search settles many more nodes than the budget's check interval.
fn grid(side: usize) -> Network {
    let mut b = NetworkBuilder::new();
    for i in 0..side {
        for j in 0..side {
            b.add_node(50.0 + i as f64 * 0.01, 20.0 + j as f64 * 0.01)
                .unwrap();
        }
    }
    for i in 0..side {
        for j in 0..side {
            let u = (i * side + j) as u32;
            if j + 1 < side {
                b.add_edge(u, u + 1, None, 0).unwrap();
            }
            if i + 1 < side {
                b.add_edge(u, u + side as u32, None, 0).unwrap();
            }
        }
    }
    b.build(Meta::default(), false).unwrap()
}

#[test]
fn a_raised_flag_or_a_past_deadline_stops_every_search() {
    let net = grid(40);
    let (s, t) = (0u32, (40 * 40 - 1) as u32);
    let flag = Arc::new(AtomicBool::new(true));
    let cancelled = Budget::unlimited().with_cancel(flag);
    let past = Budget::unlimited().with_deadline(Instant::now() - Duration::from_millis(5));
    // Inside the loops (the checks every CHECK_EVERY settled nodes).
    for (b, why) in [(&cancelled, Stopped::Cancelled), (&past, Stopped::Deadline)] {
        assert_eq!(AStar::new(1600).path_within(&net, s, t, b), Err(why));
        assert_eq!(Dijkstra::new(1600).run_within(&net, s, None, b), Err(why));
        let h = ch::build(
            &net,
            &TagFilter::default(),
            &[],
            &ch::Params::default(),
            &|_| {},
        );
        assert_eq!(
            ch::matrix_within(&h, &[s, t], &[t, s], &|_| {}, b).map(|_| ()),
            Err(why)
        );
    }
    // Without a budget the same searches answer.
    assert!(AStar::new(1600).path(&net, s, t).is_some());
    // Through the facade: a stopped query is Error::Stopped (code Timeout).
    let dir = tempfile::tempdir().unwrap();
    let store = saved(dir.path(), "road", &net);
    prepare(&store, "road");
    let p = Prepared::open(&store, "road").unwrap();
    for method in [Method::Auto, Method::Search(Algorithm::AStar)] {
        let req = PathRequest {
            budget: cancelled.clone(),
            method,
            ..PathRequest::new(at(50.0, 20.0), at(50.39, 20.39))
        };
        let err = p.path(&req).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Stopped {
                    reason: Stopped::Cancelled
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.code(), "Timeout");
    }
    let m = p
        .search(&Passages::default(), Method::Auto, past.clone())
        .unwrap()
        .matrix(&[s], &[t], &|_| {});
    assert!(matches!(
        m,
        Err(Error::Stopped {
            reason: Stopped::Deadline
        })
    ));
}
