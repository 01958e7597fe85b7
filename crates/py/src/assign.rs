//! `assign(tntp=DIR, …)`: static traffic assignment of a TNTP network, the answer of
//! `corridor assign --tntp DIR --format json` (the same keys).

use std::path::PathBuf;

use corridor_assign::{tntp, CostWeights, Objective, Options};
use corridor_batch::Failure;
use pyo3::prelude::*;
use serde_json::json;

use crate::{py_err, to_text};

fn failure(e: corridor_assign::Error) -> Failure {
    use corridor_assign::Error as E;
    match &e {
        E::Parse {
            file,
            line,
            message,
        } => Failure::invalid_data(
            "TNTP folder",
            vec![corridor_batch::failure::Problem {
                file: file.display().to_string(),
                line: *line as u64,
                message: message.clone(),
            }],
        ),
        E::InvalidValue { field, message } => Failure::invalid(field, message.clone()),
        _ => Failure::invalid("tntp", e.to_string()),
    }
}

fn options(
    algorithm: &str,
    objective: &str,
    gap: f64,
    max_iter: usize,
    toll_weight: f64,
    distance_weight: f64,
) -> Result<Options, Failure> {
    let one_of = |field: &str, v: &str, ok: &[&str]| Failure {
        suggestions: ok.iter().map(|s| s.to_string()).collect(),
        ..Failure::invalid(field, format!("'{v}' is not one of {}", ok.join(", ")))
    };
    Ok(Options {
        algorithm: corridor_engine::flows::request::parse_algorithm(algorithm)
            .ok_or_else(|| one_of("algorithm", algorithm, &["aon", "fw", "cfw", "bfw", "gp"]))?,
        objective: match objective {
            "ue" => Objective::UserEquilibrium,
            "so" => Objective::SystemOptimum,
            v => return Err(one_of("objective", v, &["ue", "so"])),
        },
        gap,
        max_iter,
        weights: CostWeights {
            toll: toll_weight,
            distance: distance_weight,
        },
    })
}

/// Runs the assignment of the TNTP folder `tntp` (GIL released) and answers its JSON text.
#[pyfunction]
#[pyo3(signature = (tntp, algorithm="gp", objective="ue", gap=1e-5, max_iter=1000, threads=None, toll_weight=0.0, distance_weight=0.0))]
#[allow(clippy::too_many_arguments)]
pub fn assign_tntp(
    py: Python<'_>,
    tntp: PathBuf,
    algorithm: &str,
    objective: &str,
    gap: f64,
    max_iter: usize,
    threads: Option<usize>,
    toll_weight: f64,
    distance_weight: f64,
) -> PyResult<String> {
    py.allow_threads(|| {
        let opts = options(
            algorithm,
            objective,
            gap,
            max_iter,
            toll_weight,
            distance_weight,
        )?;
        let folder = tntp::read_dir(&tntp).map_err(failure)?;
        let threads = match threads {
            Some(0) => return Err(Failure::invalid("threads", "must be at least 1")),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Failure::new("Internal", e.to_string()))?;
        let a = pool
            .install(|| corridor_assign::assign(&folder.network, &folder.demand, &opts))
            .map_err(failure)?;
        let net = &folder.network;
        to_text(&json!({
            "network": {
                "name": folder.name,
                "nodes": net.node_count(),
                "links": net.links().len(),
                "zones": net.zone_count(),
                "total_demand": folder.demand.total(),
            },
            "algorithm": a.algorithm,
            "objective": a.objective,
            "threads": threads,
            "gap_target": opts.gap,
            "max_iter": opts.max_iter,
            "weights": opts.weights,
            "convergence": {
                "converged": a.converged,
                "relative_gap": a.relative_gap,
                "iterations": a.iterations.len(),
                "seconds": a.seconds,
                "per_iteration": a.iterations,
            },
            "total_cost": a.total_cost,
            "best_known_max_relative_deviation": best_known_deviation(&folder, &a),
            "links": net.links().iter().zip(a.flows.iter().zip(&a.costs)).map(|(l, (x, c))| json!({
                "from": l.from + 1,
                "to": l.to + 1,
                "flow": x,
                "cost": c,
                "volume_capacity": if l.capacity > 0.0 { Some(x / l.capacity) } else { None },
            })).collect::<Vec<_>>(),
            "warnings": folder.warnings,
        }))
    })
    .map_err(py_err)
}

/// Largest relative deviation from the best-known flows, when the folder has them for the
/// same links in the same order (as the CLI reports it).
fn best_known_deviation(folder: &tntp::Folder, a: &corridor_assign::Assignment) -> Option<f64> {
    let best = folder.best_known.as_ref()?;
    let links = folder.network.links();
    if best.len() != links.len()
        || best
            .iter()
            .zip(links)
            .any(|(b, l)| (b.from, b.to) != (l.from, l.to))
    {
        return None;
    }
    Some(
        best.iter()
            .zip(&a.flows)
            .filter(|(b, _)| b.flow > 0.0)
            .map(|(b, x)| (x - b.flow).abs() / b.flow)
            .fold(0.0, f64::max),
    )
}
