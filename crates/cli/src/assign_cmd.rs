//! `corridor assign`: static traffic assignment (user equilibrium or system optimum). With
//! `--tntp DIR`, of a network in the TNTP format of the TransportationNetworks collection
//! (this module); without it, of a demand on the corridor network (`flows_cmd`). The work is
//! done by `corridor-assign` and `corridor_engine::flows`; these modules parse arguments, show
//! progress and render the answer as a table, CSV, JSON or GeoJSON.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use corridor_assign::{tntp, Algorithm, Assignment, CostWeights, Objective, Options};
use serde_json::json;

use crate::{emit, Failure};

/// Arguments of `corridor assign`.
#[derive(Args, Debug)]
pub(crate) struct AssignArgs {
    /// Folder in the TNTP format: NAME_net.tntp, NAME_trips.tntp (and NAME_flow.tntp, the
    /// best-known flows, compared with when present). Without it: the corridor network.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["demand", "demand_factor", "planned", "avoid", "value_of_time", "scenario", "compare"])]
    pub(crate) tntp: Option<PathBuf>,
    /// Demand file (columns from,to,teu_per_year[,id,commodity,year,source,method]; TEU per
    /// year, places by id or name). Default: the data's demand.csv (docs/flows.md).
    #[arg(long, value_name = "FILE")]
    pub(crate) demand: Option<PathBuf>,
    /// Multiply every demand figure (2: trade doubles).
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub(crate) demand_factor: f64,
    /// Use the announced expansions (planned rows of capacity.csv) and allow planned links.
    #[arg(long)]
    pub(crate) planned: bool,
    /// Avoid rules as `route` takes them (`country:RU`, `passage:suez`, `link:ID`; repeatable).
    #[arg(long, value_name = "KIND:VALUE", num_args = 1..)]
    pub(crate) avoid: Vec<String>,
    /// Value of time, USD per TEU-hour (generalised cost = price + value of time × hours).
    #[arg(long, value_name = "USD", default_value_t = corridor_engine::flows::DEFAULT_VOT_USD_PER_TEU_H)]
    pub(crate) value_of_time: f64,
    /// What-if scenarios (docs/scenarios.md): shipped names or TOML files, applied in order.
    #[arg(long = "scenario", value_name = "FILE|NAME")]
    pub(crate) scenario: Vec<String>,
    /// Also assign the baseline (the data without the scenarios, demand factor 1, operating
    /// capacities, no avoid rules) and show what diverts and what saturates.
    #[arg(long)]
    pub(crate) compare: bool,
    /// aon (all-or-nothing at free flow), fw (Frank–Wolfe), cfw (conjugate FW), bfw
    /// (bi-conjugate FW), gp (path-based gradient projection: gaps of 1e-8 and below).
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Gp)]
    pub(crate) algorithm: AlgorithmArg,
    /// ue (user equilibrium) or so (system optimum).
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Ue)]
    pub(crate) objective: ObjectiveArg,
    /// Target relative gap (TSTT − SPTT) / TSTT.
    #[arg(long, default_value_t = 1e-5)]
    pub(crate) gap: f64,
    /// Most iterations; past them the answer is the gap reached, marked not converged.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub(crate) max_iter: usize,
    /// Threads for the shortest-path searches (default: all cores).
    #[arg(long, value_name = "N")]
    pub(crate) threads: Option<usize>,
    /// Generalised cost per unit of toll (the network's README gives it; default 0).
    #[arg(long, value_name = "W", default_value_t = 0.0)]
    toll_weight: f64,
    /// Generalised cost per unit of length (the network's README gives it; default 0).
    #[arg(long, value_name = "W", default_value_t = 0.0)]
    distance_weight: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AssignFormat::Table)]
    pub(crate) format: AssignFormat,
    /// Write the answer to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub(crate) quiet: bool,
}

impl AssignArgs {
    /// Whether errors go out as JSON too.
    pub(crate) fn wants_json(&self) -> bool {
        self.format == AssignFormat::Json
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum AlgorithmArg {
    /// All-or-nothing at free-flow costs (no congestion).
    Aon,
    /// Frank–Wolfe.
    Fw,
    /// Conjugate Frank–Wolfe.
    Cfw,
    /// Bi-conjugate Frank–Wolfe.
    Bfw,
    /// Path-based gradient projection.
    Gp,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ObjectiveArg {
    /// User equilibrium.
    Ue,
    /// System optimum.
    So,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum AssignFormat {
    /// A summary and the most loaded links (corridor network: the bottleneck list).
    Table,
    /// TNTP: `from,to,flow,cost` per link, in the net file's order. Corridor network: one row
    /// per capacity (the bottleneck list, every column).
    Csv,
    /// Everything, with the convergence record.
    Json,
    /// Corridor network only: the loaded links as GeoJSON lines (RFC 7946) with their loads.
    Geojson,
    /// Corridor network only: a self-contained HTML report with charts.
    Html,
}

impl AssignArgs {
    /// The algorithm chosen.
    pub(crate) fn algorithm(&self) -> Algorithm {
        match self.algorithm {
            AlgorithmArg::Aon => Algorithm::AllOrNothing,
            AlgorithmArg::Fw => Algorithm::FrankWolfe,
            AlgorithmArg::Cfw => Algorithm::ConjugateFrankWolfe,
            AlgorithmArg::Bfw => Algorithm::BiconjugateFrankWolfe,
            AlgorithmArg::Gp => Algorithm::GradientProjection,
        }
    }
    /// The objective chosen.
    pub(crate) fn objective(&self) -> Objective {
        match self.objective {
            ObjectiveArg::Ue => Objective::UserEquilibrium,
            ObjectiveArg::So => Objective::SystemOptimum,
        }
    }
}

fn failure(e: corridor_assign::Error) -> Failure {
    use corridor_assign::Error as E;
    match &e {
        E::Parse {
            file,
            line,
            message,
        } => Failure {
            code: 4,
            json: Some(json!({
                "code": "InvalidData",
                "message": e.to_string(),
                "problems": [{"file": file.display().to_string(), "line": line, "message": message}],
            })),
            text: format!("invalid data: {e}"),
        },
        E::InvalidValue { field, message } => Failure {
            code: 2,
            json: Some(json!({"code": "InvalidValue", "field": field, "message": message})),
            text: e.to_string(),
        },
        _ => Failure {
            code: 2,
            json: Some(json!({"code": "InvalidValue", "field": "tntp", "message": e.to_string()})),
            text: e.to_string(),
        },
    }
}

/// Runs `corridor assign`.
pub(crate) fn run(args: AssignArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    let Some(dir) = args.tntp.clone() else {
        return crate::flows_cmd::run(args, data);
    };
    if matches!(args.format, AssignFormat::Geojson | AssignFormat::Html) {
        return Err(failure(corridor_assign::Error::InvalidValue {
            field: "format".into(),
            message: "geojson and html are for the corridor network: for a TNTP network use table, csv or json".into(),
        }));
    }
    let folder = tntp::read_dir(&dir).map_err(failure)?;
    let opts = Options {
        algorithm: args.algorithm(),
        objective: args.objective(),
        gap: args.gap,
        max_iter: args.max_iter,
        weights: CostWeights {
            toll: args.toll_weight,
            distance: args.distance_weight,
        },
    };
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        if n == 0 {
            return Err(failure(corridor_assign::Error::InvalidValue {
                field: "threads".into(),
                message: "must be at least 1".into(),
            }));
        }
        builder = builder.num_threads(n);
    }
    let pool = builder.build().map_err(crate::internal)?;
    let show = !args.quiet && args.format != AssignFormat::Json;
    let bar = crate::physical_cmd::progress_bar(1000, "gap", show);
    let log_target = args.gap.max(1e-300).log10();
    let mut first_log: Option<f64> = None;
    let mut progress = |it: &corridor_assign::Iteration| {
        let g = it.relative_gap.max(1e-300).log10();
        let g0 = *first_log.get_or_insert(g);
        if g0 > log_target {
            let done = ((g0 - g) / (g0 - log_target)).clamp(0.0, 1.0);
            bar.set_position((done * 1000.0) as u64);
        }
        bar.set_message(format!("{:.2e}", it.relative_gap));
    };
    let threads = pool.current_num_threads();
    let result = pool.install(|| {
        corridor_assign::assign_with_progress(&folder.network, &folder.demand, &opts, &mut progress)
    });
    bar.finish_and_clear();
    let a = result.map_err(failure)?;
    for w in &folder.warnings {
        eprintln!("corridor: warning: {w}");
    }
    let text = match args.format {
        AssignFormat::Csv => csv(&folder, &a)?,
        AssignFormat::Json => {
            serde_json::to_string_pretty(&to_json(&folder, &a, &opts, threads))
                .map_err(crate::internal)?
                + "\n"
        }
        AssignFormat::Table | AssignFormat::Geojson | AssignFormat::Html => {
            table(&folder, &a, &opts, threads)
        }
    };
    emit(&text, args.output.as_deref())
}

pub(crate) fn algorithm_name(a: Algorithm) -> &'static str {
    match a {
        Algorithm::AllOrNothing => "all-or-nothing",
        Algorithm::FrankWolfe => "Frank-Wolfe",
        Algorithm::ConjugateFrankWolfe => "conjugate Frank-Wolfe",
        Algorithm::BiconjugateFrankWolfe => "bi-conjugate Frank-Wolfe",
        Algorithm::GradientProjection => "gradient projection",
    }
}

/// Largest relative deviation from the best-known flows, when the folder has them and they
/// list the same links in the same order.
fn best_known_deviation(folder: &tntp::Folder, a: &Assignment) -> Option<f64> {
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

fn csv(folder: &tntp::Folder, a: &Assignment) -> Result<String, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["from", "to", "flow", "cost"])
        .map_err(crate::internal)?;
    for (l, (x, c)) in folder
        .network
        .links()
        .iter()
        .zip(a.flows.iter().zip(&a.costs))
    {
        w.write_record([
            (l.from + 1).to_string(),
            (l.to + 1).to_string(),
            x.to_string(),
            c.to_string(),
        ])
        .map_err(crate::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(crate::internal)?).map_err(crate::internal)
}

fn to_json(
    folder: &tntp::Folder,
    a: &Assignment,
    opts: &Options,
    threads: usize,
) -> serde_json::Value {
    let net = &folder.network;
    json!({
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
        "best_known_max_relative_deviation": best_known_deviation(folder, a),
        "links": net.links().iter().zip(a.flows.iter().zip(&a.costs)).map(|(l, (x, c))| json!({
            "from": l.from + 1,
            "to": l.to + 1,
            "flow": x,
            "cost": c,
            "volume_capacity": if l.capacity > 0.0 { Some(x / l.capacity) } else { None },
        })).collect::<Vec<_>>(),
        "warnings": folder.warnings,
    })
}

fn table(folder: &tntp::Folder, a: &Assignment, opts: &Options, threads: usize) -> String {
    let net = &folder.network;
    let mut s = String::new();
    let objective = match a.objective {
        Objective::UserEquilibrium => "user equilibrium",
        Objective::SystemOptimum => "system optimum",
    };
    let _ = writeln!(
        s,
        "{}: {} nodes, {} links, {} zones, demand {:.1}",
        folder.name,
        net.node_count(),
        net.links().len(),
        net.zone_count(),
        folder.demand.total()
    );
    let _ = writeln!(
        s,
        "{objective} by {} on {threads} thread(s)",
        algorithm_name(a.algorithm)
    );
    let _ = writeln!(
        s,
        "relative gap {:.3e} after {} iteration(s) in {:.3} s: {}",
        a.relative_gap,
        a.iterations.len(),
        a.seconds,
        if a.converged {
            format!("converged (target {:.0e})", opts.gap)
        } else {
            format!(
                "NOT converged (target {:.0e}; raise --max-iter or the gap)",
                opts.gap
            )
        }
    );
    let _ = writeln!(s, "total cost Σ flow·cost {:.6e}", a.total_cost);
    if let Some(d) = best_known_deviation(folder, a) {
        let _ = writeln!(
            s,
            "largest deviation from the best-known flows: {:.4}%",
            d * 100.0
        );
    }
    let mut order: Vec<usize> = (0..net.links().len())
        .filter(|&i| net.links()[i].capacity > 0.0)
        .collect();
    let vc = |i: usize| a.flows[i] / net.links()[i].capacity;
    order.sort_by(|&i, &j| vc(j).total_cmp(&vc(i)));
    let _ = writeln!(s, "\nmost loaded links (volume / capacity):");
    let _ = writeln!(
        s,
        "{:>8} {:>8} {:>14} {:>12} {:>8}",
        "from", "to", "flow", "cost", "V/C"
    );
    for &i in order.iter().take(10) {
        let l = &net.links()[i];
        let _ = writeln!(
            s,
            "{:>8} {:>8} {:>14.2} {:>12.4} {:>8.3}",
            l.from + 1,
            l.to + 1,
            a.flows[i],
            a.costs[i],
            vc(i)
        );
    }
    let _ = writeln!(s, "(every link: --format csv or --format json)");
    s
}
