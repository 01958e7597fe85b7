//! Imports of the real packages (scgraph-data 2.x, searoute), `#[ignore]`d: they need the
//! packages installed (see docs/physical-networks.md) and take seconds in release mode.
//!
//! `cargo test -p corridor-physical --release -- --ignored` (Python: `$CORRIDOR_PYTHON`, else
//! the workspace's `.venv/bin/python`, else `python3`).

use std::path::PathBuf;
use std::time::Instant;

use corridor_physical::import::{marnet, python, scgraph};
use corridor_physical::search::{shortest_path, shortest_path_with, Algorithm, TagFilter};
use corridor_physical::Snapper;

/// The workspace's virtual environment, unless `$CORRIDOR_PYTHON` says otherwise (tests run
/// in the crate folder, so a relative `.venv` would not be found).
fn python() -> Option<PathBuf> {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    (std::env::var_os("CORRIDOR_PYTHON").is_none() && venv.exists()).then_some(venv)
}

#[test]
#[ignore = "needs the scgraph-data package (pip install 'scgraph-data==2.*')"]
fn world_railways() {
    let dir =
        python::package_dir(python().as_deref(), "scgraph_data", scgraph::INSTALL_HINT).unwrap();
    let t = Instant::now();
    let net = scgraph::import(&dir, "rail", false).unwrap();
    println!(
        "import {:.1} s, {} bytes",
        t.elapsed().as_secs_f64(),
        net.byte_len()
    );
    println!("{:#?}", net.meta().report);
    assert_eq!(net.node_count(), 274_974);
    let s = Snapper::new(&net);
    // Dostyk → Aktau (Mangyshlak), across Kazakhstan.
    let from = s.snap(&net, 45.26, 82.49, 50.0).unwrap();
    let to = s.snap(&net, 43.68, 51.30, 50.0).unwrap();
    let mut lengths = Vec::new();
    for algo in [
        Algorithm::AStar,
        Algorithm::Bidirectional,
        Algorithm::Dijkstra,
    ] {
        let t = Instant::now();
        let p = shortest_path(&net, from.node, to.node, algo).unwrap();
        println!(
            "{}: {:.1} km, {} nodes, {} settled, {:.1} ms",
            algo.name(),
            p.length_m as f64 / 1000.0,
            p.nodes.len(),
            p.settled,
            t.elapsed().as_secs_f64() * 1000.0
        );
        lengths.push(p.length_m);
    }
    assert!(lengths.windows(2).all(|w| w[0] == w[1]));
    assert!((2_500_000..4_500_000).contains(&lengths[0]), "{lengths:?}");
}

#[test]
#[ignore = "needs the searoute package (pip install searoute)"]
fn marnet_sea_lanes() {
    let dir = python::package_dir(python().as_deref(), "searoute", marnet::INSTALL_HINT).unwrap();
    let net = marnet::import(&dir, false).unwrap();
    println!("{:#?}", net.meta().report);
    for p in [
        "suez",
        "panama",
        "malacca",
        "gibraltar",
        "babalmandab",
        "bosporus",
    ] {
        assert!(net.meta().tags.contains(&format!("passage={p}")), "{p}");
    }
    let s = Snapper::new(&net);
    // Shanghai → Rotterdam by sea, without the seasonal Northwest Passage, goes through Suez.
    let from = s.snap(&net, 31.23, 121.9, 200.0).unwrap();
    let to = s.snap(&net, 51.95, 4.0, 200.0).unwrap();
    let filter = TagFilter::blocking(&net, &["passage=northwest"]);
    let p = shortest_path_with(&net, from.node, to.node, Algorithm::AStar, &filter).unwrap();
    let suez = net
        .meta()
        .tags
        .iter()
        .position(|t| t == "passage=suez")
        .unwrap() as u16;
    assert!(p.arcs.iter().any(|&a| net.parts().tag[a as usize] == suez));
    println!("Shanghai → Rotterdam {:.0} km", p.length_m as f64 / 1000.0);
}
