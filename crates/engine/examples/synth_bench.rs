//! Scaling benchmark on synthetic corridor-like networks (issue 6): for each size, the time to
//! generate, parse and validate, and build the engine, then single-objective and Pareto query
//! times (p50/p90 over seeded origin–destination pairs), the raw front's size, labels created
//! and budget hits, with growth ratios between sizes.
//!
//! Run (release; the numbers in docs/benchmarks.md):
//! `cargo run --release -p corridor-engine --example synth_bench -- --sizes 1000,10000,100000`
//!
//! Options: `--sizes N,N,…` (default 1000,10000,100000), `--seed S` (1), `--pairs P` (20),
//! `--reps R` (3; a query's time is the median of R runs), `--cargo C` (10t: air competes),
//! `--max-labels N` (the engine's default budget), `--epsilon E` (0.02).
use std::time::Instant;

use corridor_engine::{Engine, ParetoConfig, RouteRequest};
use corridor_synth::SynthConfig;

struct Opts {
    sizes: Vec<usize>,
    seed: u64,
    pairs: usize,
    reps: usize,
    cargo: String,
    config: ParetoConfig,
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        sizes: vec![1_000, 10_000, 100_000],
        seed: 1,
        pairs: 20,
        reps: 3,
        cargo: "10t".into(),
        config: ParetoConfig::default(),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let bad = |v: &str| format!("{flag} {v}: not a number");
        match flag.as_str() {
            "--sizes" => {
                let v = value()?;
                o.sizes = v
                    .split(',')
                    .map(|s| s.trim().parse::<usize>().map_err(|_| bad(s)))
                    .collect::<Result<_, _>>()?;
            }
            "--seed" => {
                let v = value()?;
                o.seed = v.parse().map_err(|_| bad(&v))?;
            }
            "--pairs" => {
                let v = value()?;
                o.pairs = v.parse().map_err(|_| bad(&v))?;
            }
            "--reps" => {
                let v = value()?;
                o.reps = v.parse::<usize>().map_err(|_| bad(&v))?.max(1);
            }
            "--cargo" => o.cargo = value()?,
            "--max-labels" => {
                let v = value()?;
                o.config.max_labels = v.parse().map_err(|_| bad(&v))?;
            }
            "--epsilon" => {
                let v = value()?;
                o.config.epsilon = v.parse().map_err(|_| bad(&v))?;
            }
            other => {
                return Err(format!(
                    "unknown option {other} (see the file's doc comment)"
                ))
            }
        }
    }
    Ok(o)
}

/// Median of `reps` runs of `f`, in ms, and the last result.
fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut ms = Vec::with_capacity(reps);
    let mut last = None;
    for _ in 0..reps {
        let t = Instant::now();
        last = Some(f());
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], last.expect("reps ≥ 1"))
}

/// The q-quantile (nearest rank) of a sample.
fn quantile(v: &[f64], q: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return f64::NAN;
    }
    let i = ((q * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1;
    s[i]
}

struct Row {
    places: usize,
    links: usize,
    arcs: usize,
    gen_ms: f64,
    load_ms: f64,
    build_ms: f64,
    single: (f64, f64),
    pareto: (f64, f64),
    search: (f64, f64),
    front: (f64, f64),
    labels: (f64, f64),
    budget_hits: usize,
    routed: usize,
    itineraries: f64,
    /// Pareto queries answered with an error, by code.
    errors: Vec<&'static str>,
}

fn measure(o: &Opts, n: usize) -> Result<Row, String> {
    let cfg = SynthConfig {
        places: n,
        seed: o.seed,
    };
    let t = Instant::now();
    let raw = corridor_synth::files(&cfg).map_err(|e| e.to_string())?;
    let gen_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let ds = corridor_data::Dataset::from_raw(&raw).map_err(|e| e.to_string())?;
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let pairs = corridor_synth::od_pairs(&ds, o.pairs, o.seed);
    let links = ds.links.len();
    let t = Instant::now();
    let engine = Engine::new(ds).with_pareto_config(o.config);
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let arcs = engine.network().arcs.len();
    let (mut single, mut pareto, mut search) = (Vec::new(), Vec::new(), Vec::new());
    let (mut front, mut labels, mut its) = (Vec::new(), Vec::new(), Vec::new());
    let (mut budget_hits, mut routed, mut errors) = (0, 0, Vec::new());
    for (from, to) in &pairs {
        let req = RouteRequest {
            from: from.clone(),
            to: to.clone(),
            lane: corridor_engine::LaneOptions {
                shipment: corridor_engine::ShipmentOptions {
                    cargo: Some(o.cargo.clone()),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..Default::default()
        };
        let fastest = RouteRequest {
            lane: corridor_engine::LaneOptions {
                optimize: Some("time".into()),
                ..req.lane.clone()
            },
            ..req.clone()
        };
        let (ms, a) = time(o.reps, || engine.route(&fastest));
        if a.is_err() {
            eprintln!("{n} places: no route {from} → {to}: {a:?}");
            continue;
        }
        routed += 1;
        single.push(ms);
        let (ms, a) = time(o.reps, || engine.route(&req));
        pareto.push(ms);
        match &a {
            Ok(a) => its.push(a.itineraries.len() as f64),
            Err(e) => errors.push(e.code()),
        }
        let (ms, f) = time(o.reps, || engine.pareto_front(&req));
        search.push(ms);
        let f = f.map_err(|e| e.to_string())?;
        front.push(f.paths.len() as f64);
        labels.push(f.labels as f64);
        budget_hits += usize::from(f.incomplete);
    }
    let q = |v: &[f64]| (quantile(v, 0.5), quantile(v, 0.9));
    let mx = |v: &[f64]| v.iter().copied().fold(f64::NAN, f64::max);
    Ok(Row {
        places: n,
        links,
        arcs,
        gen_ms,
        load_ms,
        build_ms,
        single: q(&single),
        pareto: q(&pareto),
        search: q(&search),
        front: (quantile(&front, 0.5), mx(&front)),
        labels: (quantile(&labels, 0.5), mx(&labels)),
        budget_hits,
        routed,
        itineraries: quantile(&its, 0.5),
        errors,
    })
}

fn ms(x: f64) -> String {
    if x < 1.0 {
        format!("{:.0} µs", x * 1e3)
    } else if x < 1e3 {
        format!("{x:.2} ms")
    } else {
        format!("{:.2} s", x / 1e3)
    }
}

fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("synth_bench: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "seed {}, {} OD pairs (east tenth → west tenth), cargo {}, ε {}, label budget {}, median of {} runs per query\n",
        o.seed, o.pairs, o.cargo, o.config.epsilon, o.config.max_labels, o.reps
    );
    let mut rows: Vec<Row> = Vec::new();
    for &n in &o.sizes {
        match measure(&o, n) {
            Ok(r) => {
                eprintln!("{n} places done");
                rows.push(r)
            }
            Err(e) => {
                eprintln!("synth_bench: {n} places: {e}");
                std::process::exit(1);
            }
        }
    }
    println!("| places | links | arcs | generate | parse + validate | engine build | single p50 | single p90 | Pareto query p50 | Pareto query p90 | front search p50 | front search p90 | front size median (max) | labels median (max) | budget hits | itineraries answered (median) | Pareto errors |");
    println!(
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} ({}) | {} ({}) | {} of {} | {} | {} |",
            r.places,
            r.links,
            r.arcs,
            ms(r.gen_ms),
            ms(r.load_ms),
            ms(r.build_ms),
            ms(r.single.0),
            ms(r.single.1),
            ms(r.pareto.0),
            ms(r.pareto.1),
            ms(r.search.0),
            ms(r.search.1),
            r.front.0,
            r.front.1,
            r.labels.0,
            r.labels.1,
            r.budget_hits,
            r.routed,
            r.itineraries,
            if r.errors.is_empty() {
                "0".to_string()
            } else {
                format!("{} {}", r.errors.len(), r.errors[0])
            }
        );
    }
    if rows.len() > 1 {
        println!("\nGrowth from the previous size (ratio of the figures above):\n");
        println!("| places | × places | × parse + validate | × engine build | × single p50 | × Pareto query p50 | × front search p50 | × front size median | × labels median |");
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for w in rows.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            println!(
                "| {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {:.1} |",
                b.places,
                b.places as f64 / a.places as f64,
                b.load_ms / a.load_ms,
                b.build_ms / a.build_ms,
                b.single.0 / a.single.0,
                b.pareto.0 / a.pareto.0,
                b.search.0 / a.search.0,
                b.front.0 / a.front.0,
                b.labels.0 / a.labels.0
            );
        }
    }
}
