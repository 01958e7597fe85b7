//! Runs one assignment of a TNTP folder and prints JSON: what `corridor assign --tntp DIR
//! --format json` prints, less the CLI around it, so that the benchmark
//! (bench/assign_vs_aequilibrae.sh) needs a release build of this crate only.
//!
//! ```text
//! cargo run --release -p corridor-assign --example tntp_assign -- DIR \
//!     [--algorithm fw|cfw|bfw|gp|aon] [--objective ue|so] [--gap G] [--max-iter N] \
//!     [--threads N] [--toll-weight W] [--distance-weight W]
//! ```
//!
//! JSON: `{network, algorithm, threads, convergence {converged, relative_gap, iterations,
//! seconds, per_iteration}, total_cost, objective (Beckmann's, or the total cost under system
//! optimum), best_known {max_rel, mean_rel, links}, flows[]}`, flows
//! in the net file's link order.

use std::path::PathBuf;
use std::process::ExitCode;

use corridor_assign::{assign, tntp, Algorithm, CostModel, CostWeights, Objective, Options};
use serde_json::json;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tntp_assign: {e}");
            ExitCode::from(2)
        }
    }
}

fn value<T: std::str::FromStr>(
    args: &mut impl Iterator<Item = String>,
    flag: &str,
) -> Result<T, String> {
    let v = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
    v.parse()
        .map_err(|_| format!("{flag}: {v:?} is not a valid value"))
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut opts = Options {
        algorithm: Algorithm::GradientProjection,
        ..Options::default()
    };
    let mut threads: Option<usize> = None;
    let mut weights = CostWeights::default();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--algorithm" => {
                opts.algorithm = match value::<String>(&mut args, &a)?.as_str() {
                    "aon" => Algorithm::AllOrNothing,
                    "fw" => Algorithm::FrankWolfe,
                    "cfw" => Algorithm::ConjugateFrankWolfe,
                    "bfw" => Algorithm::BiconjugateFrankWolfe,
                    "gp" => Algorithm::GradientProjection,
                    other => {
                        return Err(format!("unknown algorithm {other:?} (aon|fw|cfw|bfw|gp)"))
                    }
                }
            }
            "--objective" => {
                opts.objective = match value::<String>(&mut args, &a)?.as_str() {
                    "ue" => Objective::UserEquilibrium,
                    "so" => Objective::SystemOptimum,
                    other => return Err(format!("unknown objective {other:?} (ue|so)")),
                }
            }
            "--gap" => opts.gap = value(&mut args, &a)?,
            "--max-iter" => opts.max_iter = value(&mut args, &a)?,
            "--threads" => threads = Some(value(&mut args, &a)?),
            "--toll-weight" => weights.toll = value(&mut args, &a)?,
            "--distance-weight" => weights.distance = value(&mut args, &a)?,
            _ if dir.is_none() && !a.starts_with("--") => dir = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a:?}")),
        }
    }
    opts.weights = weights;
    let dir = dir.ok_or("give a TNTP folder")?;
    let folder = tntp::read_dir(&dir).map_err(|e| e.to_string())?;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        pool = pool.num_threads(n);
    }
    let pool = pool.build().map_err(|e| e.to_string())?;
    let a = pool
        .install(|| assign(&folder.network, &folder.demand, &opts))
        .map_err(|e| e.to_string())?;
    let best = folder
        .best_known
        .as_ref()
        .and_then(|best| tntp::deviation(&folder.network, best, &a.flows, 1.0))
        .map(
            |(max_rel, mean_rel, n)| json!({"max_rel": max_rel, "mean_rel": mean_rel, "links": n}),
        );
    // the Beckmann objective (UE) or total cost (SO) the algorithm minimises: the README of a
    // TNTP network gives its optimal value
    let model = CostModel::new(&folder.network, opts.weights, opts.objective);
    let objective: f64 = (0..model.len())
        .map(|i| model.objective_term(i, a.flows[i]))
        .sum();
    let out = json!({
        "network": folder.name,
        "algorithm": a.algorithm,
        "threads": pool.current_num_threads(),
        "weights": opts.weights,
        "convergence": {
            "converged": a.converged,
            "relative_gap": a.relative_gap,
            "iterations": a.iterations.len(),
            "seconds": a.seconds,
            "per_iteration": a.iterations,
        },
        "total_cost": a.total_cost,
        "objective": objective,
        "best_known": best,
        "warnings": folder.warnings,
        "flows": a.flows,
    });
    println!("{out}");
    Ok(())
}
