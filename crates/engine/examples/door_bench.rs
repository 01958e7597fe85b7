//! Door-to-door query time: a timed loop over point queries beside the same queries between
//! terminals, so the cost of the door endpoints shows (median of the runs, in ms).
//!
//! Run (release): `cargo run --release -p corridor-engine --example door_bench -- [REPS]`
use std::time::Instant;

use corridor_data::Dataset;
use corridor_engine::{Engine, RouteRequest};

fn req(from: &str, to: &str, optimize: Option<&str>) -> RouteRequest {
    RouteRequest {
        from: from.into(),
        to: to.into(),
        lane: corridor_engine::LaneOptions {
            optimize: optimize.map(str::to_string),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn median_ms(e: &Engine, r: &RouteRequest, reps: usize) -> f64 {
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let s = Instant::now();
            let a = e.route(r).expect("the query answers");
            std::hint::black_box(a);
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn main() {
    let reps: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let ds = Dataset::embedded().expect("embedded data is valid");
    // What a door query rebuilds today: a dataset copy, then the network, timetable, CO2e
    // cache and rule index of an engine over it.
    let mut build: Vec<f64> = (0..reps)
        .map(|_| {
            let s = Instant::now();
            std::hint::black_box(Engine::new(ds.clone()));
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    build.sort_by(f64::total_cmp);
    let e = Engine::new(ds);
    let cases = [
        (
            "point -> terminal, time",
            "43.30,76.95",
            "Duisburg",
            Some("time"),
        ),
        (
            "terminal -> terminal, time",
            "Almaty",
            "Duisburg",
            Some("time"),
        ),
        (
            "point -> point, cost",
            "43.30,76.95",
            "51.43,6.76",
            Some("cost"),
        ),
        ("point -> terminal, front", "43.30,76.95", "Duisburg", None),
        ("terminal -> terminal, front", "Almaty", "Duisburg", None),
    ];
    println!("{:<30} {:>10}  (median of {reps})", "query", "ms");
    for (name, from, to, opt) in cases {
        let r = req(from, to, opt);
        println!("{name:<30} {:>10.2}", median_ms(&e, &r, reps));
    }
    println!(
        "{:<30} {:>10.2}",
        "engine build (clone + new)",
        build[build.len() / 2]
    );
}
