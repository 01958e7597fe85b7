//! The Rust side of `bench/ch_vs_scgraph.py`: imports, prepares and queries a network and
//! prints JSON that the Python driver merges with scgraph's figures.
//!
//! ```text
//! cargo run --release -p corridor-physical --example bench_ch -- import DIR NAME PACKAGE_DIR
//! cargo run --release -p corridor-physical --example bench_ch -- build  DIR NAME
//! cargo run --release -p corridor-physical --example bench_ch -- query  DIR NAME PAIRS.tsv REPS
//! ```
//!
//! `PAIRS.tsv`: one OD pair a line, `lat lon lat lon` (tab-separated). `query` snaps each end
//! once to its nearest node in a component both ends reach (as `corridor path`) (and prints the node coordinates, which the driver gives to
//! scgraph), then times per pair the CH path query (unpacked), the length-only query and a
//! plain Dijkstra, and an N×N matrix of all the snapped points. "load" is open network +
//! open hierarchy (with all checks) + the first query answered.

use std::time::Instant;

use corridor_physical::ch::{self, Params};
use corridor_physical::import::scgraph;
use corridor_physical::search::{Dijkstra, TagFilter};
use corridor_physical::{ChQuery, NetworkDir, Snapper};
use serde_json::json;

fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_else(|| usage());
    let store = NetworkDir::new(arg(1));
    let name = arg(2);
    match arg(0).as_str() {
        "import" => {
            let t = Instant::now();
            let net = scgraph::import(std::path::Path::new(&arg(3)), &name, false).unwrap();
            store.save(&name, &net).unwrap();
            let v = json!({"import_s": t.elapsed().as_secs_f64(), "nodes": net.node_count(), "arcs": net.arc_count()});
            println!("{v}");
        }
        "build" => {
            let net = store.open(&name).unwrap();
            let t = Instant::now();
            let h = ch::build(
                &net,
                &TagFilter::default(),
                &[],
                &Params::default(),
                &|_| {},
            );
            let build_s = t.elapsed().as_secs_f64();
            h.write(&store.ch_path(&name).unwrap()).unwrap();
            let v = json!({
                "build_s": build_s,
                "build_peak_mb": peak_mb(),
                "nodes": h.node_count(),
                "up_arcs": h.arc_count(),
                "shortcuts": h.meta().shortcuts,
                "file_mb": h.as_bytes().len() as f64 / 1e6,
            });
            println!("{v}");
        }
        "query" => query(&store, &name, &arg(3), arg(4).parse().unwrap_or(21)),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("usage: bench_ch import|build|query DIR NAME [PACKAGE_DIR | PAIRS.tsv REPS]");
    std::process::exit(2)
}

fn query(store: &NetworkDir, name: &str, pairs_file: &str, reps: usize) {
    let text = std::fs::read_to_string(pairs_file).unwrap();
    let od: Vec<[f64; 4]> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Vec<f64> = l.split('\t').map(|x| x.trim().parse().unwrap()).collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect();

    // Load: open (mmap + checksums + structure checks) and the first query answered.
    let t = Instant::now();
    let net = store.open(name).unwrap();
    let h = store
        .open_ch(name, &net)
        .unwrap()
        .expect("run `bench_ch build` first");
    let mut q = ChQuery::new(net.node_count());
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    let _ = q.path(&net, &h, 0, (net.node_count() / 2) as u32);
    let load_ms = t.elapsed().as_secs_f64() * 1e3;

    let t = Instant::now();
    let snapper = Snapper::new(&net);
    let snap_index_ms = t.elapsed().as_secs_f64() * 1e3;

    let mut dij = Dijkstra::new(net.node_count());
    let mut rows = Vec::new();
    let mut points: Vec<u32> = Vec::new();
    for p in &od {
        // As `corridor path` does: the nearest nodes of one connected component.
        let (a, b) = snapper
            .snap_pair(&net, (p[0], p[1]), (p[2], p[3]), 500.0)
            .unwrap();
        points.extend([a.node, b.node]);
        let mut path_us = Vec::new();
        let mut dist_us = Vec::new();
        let mut km = None;
        let mut nodes = 0;
        for _ in 0..reps {
            let t = Instant::now();
            let path = q.path(&net, &h, a.node, b.node);
            path_us.push(t.elapsed().as_secs_f64() * 1e6);
            km = path.as_ref().map(|p| p.length_m as f64 / 1000.0);
            nodes = path.map_or(0, |p| p.nodes.len());
            let t = Instant::now();
            let d = q.distance(&h, a.node, b.node);
            dist_us.push(t.elapsed().as_secs_f64() * 1e6);
            assert_eq!(d.map(|d| d as f64 / 1000.0), km);
        }
        let t = Instant::now();
        let dp = dij.path(&net, a.node, b.node);
        let dijkstra_ms = t.elapsed().as_secs_f64() * 1e3;
        let dijkstra_km = dp.map(|p| p.length_m as f64 / 1000.0);
        rows.push(json!({
            "from": [a.lat, a.lon], "to": [b.lat, b.lon],
            "from_node": a.node, "to_node": b.node,
            "from_snap_km": a.distance_m / 1000.0, "to_snap_km": b.distance_m / 1000.0,
            "km": km, "dijkstra_km": dijkstra_km, "path_nodes": nodes,
            "path_us": median(path_us), "length_us": median(dist_us),
            "settled": q.settled(), "dijkstra_ms": dijkstra_ms,
        }));
    }
    points.sort_unstable();
    points.dedup();
    let mut matrix_ms = Vec::new();
    let mut matrix_1t_ms = Vec::new();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for _ in 0..5 {
        let t = Instant::now();
        let m = ch::matrix(&h, &points, &points, &|_| {});
        matrix_ms.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(m.len(), points.len());
        let t = Instant::now();
        one.install(|| ch::matrix(&h, &points, &points, &|_| {}));
        matrix_1t_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let cells = (points.len() * points.len()) as f64;
    let v = json!({
        "network": name,
        "nodes": net.node_count(),
        "open_ms": open_ms,
        "load_ms": load_ms,
        "snap_index_ms": snap_index_ms,
        "pairs": rows,
        "matrix_points": points.len(),
        "matrix_ms": median(matrix_ms.clone()),
        "matrix_us_per_pair": median(matrix_ms) * 1e3 / cells,
        "matrix_1thread_us_per_pair": median(matrix_1t_ms) * 1e3 / cells,
        "peak_mb": peak_mb(),
    });
    println!("{v}");
}
