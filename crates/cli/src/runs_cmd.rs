//! `corridor runs list|show|diff`: the runs recorded in the results store (SQLite file or
//! PostgreSQL), one run's record and rows, and two runs compared lane by lane.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use corridor_batch::diff::{diff, flow_diff, FlowDiff};
use corridor_batch::store::RunInfo;
use corridor_batch::{export, Store};

use crate::batch_cmd::{failure, store_url};
use crate::{emit, internal, Failure};

/// Arguments of `corridor runs`.
#[derive(Args, Debug)]
pub struct RunsArgs {
    #[command(subcommand)]
    what: RunsCommand,
    /// Results store: a SQLite file or `postgres://…` (default: $CORRIDOR_STORE, else
    /// ./corridor-runs.sqlite).
    #[arg(long, global = true, value_name = "FILE|URL")]
    store: Option<String>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = RunsFormat::Table)]
    format: RunsFormat,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, short, global = true, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum RunsCommand {
    /// Every run, newest first.
    List,
    /// One run: what it ran (job, data hash, scenarios, code version, timings); its rows
    /// with --format csv.
    Show {
        /// The run id.
        id: i64,
        /// The run's flows (`[flows]` of the job) instead: each capacity's load and V/C per
        /// scenario and demand factor, and each assignment's convergence.
        #[arg(long)]
        flows: bool,
    },
    /// Two runs lane by lane: transit, cost and CO2e in each and B − A.
    Diff {
        /// Run A (the earlier, say).
        a: i64,
        /// Run B.
        b: i64,
        /// Only lanes (or capacities) that changed.
        #[arg(long)]
        changed: bool,
        /// Compare the flows (V/C per capacity, scenario and demand factor) instead of lanes.
        #[arg(long)]
        flows: bool,
    },
}

/// Output formats of `corridor runs`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RunsFormat {
    /// Human-readable.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
}

impl RunsArgs {
    /// Whether errors go out as JSON.
    pub fn wants_json(&self) -> bool {
        self.format == RunsFormat::Json
    }
}

fn json(v: &impl serde::Serialize) -> Result<String, Failure> {
    Ok(serde_json::to_string_pretty(v).map_err(internal)? + "\n")
}

fn line(r: &RunInfo) -> String {
    format!(
        "{:>4}  {:<9} {:<24} {:>6} lanes  {:>4}/{:<4} parts  data {}  {}  {}",
        r.run_id,
        r.status,
        r.meta.job_name,
        r.meta.lanes,
        r.parts_done,
        r.meta.parts,
        r.meta.data_hash,
        r.started_utc,
        r.meta.code_version
    )
}

fn f(v: Option<f64>, d: usize) -> String {
    v.map(|x| format!("{x:.d$}")).unwrap_or_else(|| "—".into())
}

/// Runs `corridor runs`.
pub fn run(a: RunsArgs) -> Result<(), Failure> {
    let url = store_url(&a.store, Path::new("."));
    let mut store = Store::open(&url).map_err(failure)?;
    let text = match a.what {
        RunsCommand::List => {
            let runs = store.runs().map_err(failure)?;
            match a.format {
                RunsFormat::Json => json(&runs)?,
                RunsFormat::Csv => {
                    let mut s = String::from("run_id,status,job_name,lanes,parts_done,parts,data_hash,started_utc,finished_utc,code_version\n");
                    for r in &runs {
                        let _ = writeln!(
                            s,
                            "{},{},\"{}\",{},{},{},{},{},{},{}",
                            r.run_id,
                            r.status,
                            r.meta.job_name.replace('"', "\"\""),
                            r.meta.lanes,
                            r.parts_done,
                            r.meta.parts,
                            r.meta.data_hash,
                            r.started_utc,
                            r.finished_utc.clone().unwrap_or_default(),
                            r.meta.code_version
                        );
                    }
                    s
                }
                RunsFormat::Table => {
                    let mut s = format!("{} run(s) in {url}\n", runs.len());
                    for r in &runs {
                        s.push_str(&line(r));
                        s.push('\n');
                    }
                    s
                }
            }
        }
        RunsCommand::Show { id, flows: true } => {
            store.run(id).map_err(failure)?;
            show_flows(&mut store, id, a.format)?
        }
        RunsCommand::Show { id, flows: false } => {
            let r = store.run(id).map_err(failure)?;
            match a.format {
                RunsFormat::Json => json(&r)?,
                RunsFormat::Csv => export::csv_text(&store.rows(id).map_err(failure)?)
                    .map_err(failure)?,
                RunsFormat::Table => format!(
                    "run {}: {} ({})\n  job       {} ({}, hash {})\n  data      {} (hash {})\n  scenarios {}\n  code      {}\n  lanes     {} × {} part(s) of {} done\n  started   {}\n  finished  {}\n  seconds   {} wall (last session), {:.2} computing parts\n",
                    r.run_id,
                    r.meta.job_name,
                    r.status,
                    r.meta.job_name,
                    r.meta.job_path,
                    r.meta.job_hash,
                    r.meta.data_label,
                    r.meta.data_hash,
                    r.meta.scenarios,
                    r.meta.code_version,
                    r.meta.lanes,
                    r.parts_done,
                    r.meta.parts,
                    r.started_utc,
                    r.finished_utc.clone().unwrap_or_else(|| "—".into()),
                    f(r.wall_seconds, 2),
                    r.part_seconds
                ),
            }
        }
        RunsCommand::Diff {
            a: x,
            b: y,
            changed,
            flows: true,
        } => {
            store.run(x).map_err(failure)?;
            store.run(y).map_err(failure)?;
            let mut d = flow_diff(
                &store.flows(x).map_err(failure)?,
                &store.flows(y).map_err(failure)?,
            );
            if changed {
                d.retain(|l| l.status != "same");
            }
            diff_flows_text(&d, x, y, a.format)?
        }
        RunsCommand::Diff {
            a: x,
            b: y,
            changed,
            flows: false,
        } => {
            store.run(x).map_err(failure)?;
            store.run(y).map_err(failure)?;
            let mut d = diff(
                &store.rows(x).map_err(failure)?,
                &store.rows(y).map_err(failure)?,
            );
            if changed {
                d.retain(|l| l.status != "same");
            }
            match a.format {
                RunsFormat::Json => json(&d)?,
                RunsFormat::Csv => {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    let e = |e: csv::Error| internal(e);
                    w.write_record([
                        "scenario",
                        "from",
                        "to",
                        "status",
                        "transit_h_a",
                        "transit_h_b",
                        "delta_transit_h",
                        "cost_usd_a",
                        "cost_usd_b",
                        "delta_cost_usd",
                        "co2e_kg_a",
                        "co2e_kg_b",
                        "delta_co2e_kg",
                        "countries_a",
                        "countries_b",
                        "error_a",
                        "error_b",
                    ])
                    .map_err(e)?;
                    let n = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
                    for l in &d {
                        w.write_record([
                            l.scenario.clone(),
                            l.from.clone(),
                            l.to.clone(),
                            l.status.into(),
                            n(l.transit_h[0]),
                            n(l.transit_h[1]),
                            n(l.delta_transit_h),
                            n(l.cost_usd[0]),
                            n(l.cost_usd[1]),
                            n(l.delta_cost_usd),
                            n(l.co2e_kg[0]),
                            n(l.co2e_kg[1]),
                            n(l.delta_co2e_kg),
                            l.countries[0].clone().unwrap_or_default(),
                            l.countries[1].clone().unwrap_or_default(),
                            l.error[0].clone().unwrap_or_default(),
                            l.error[1].clone().unwrap_or_default(),
                        ])
                        .map_err(e)?;
                    }
                    String::from_utf8(w.into_inner().map_err(internal)?).map_err(internal)?
                }
                RunsFormat::Table => {
                    let same = d.iter().filter(|l| l.status == "same").count();
                    let mut s =
                        format!("run {x} → run {y}: {} lane(s), {same} unchanged\n", d.len());
                    for l in d.iter().filter(|l| l.status != "same") {
                        let _ = writeln!(
                            s,
                            "  {:<8} {} → {} [{}]: transit {} → {} h ({}), cost {} → {} USD ({}){}",
                            l.status,
                            l.from,
                            l.to,
                            l.scenario,
                            f(l.transit_h[0], 1),
                            f(l.transit_h[1], 1),
                            f(l.delta_transit_h, 1),
                            f(l.cost_usd[0], 0),
                            f(l.cost_usd[1], 0),
                            f(l.delta_cost_usd, 0),
                            if l.countries[0] != l.countries[1] {
                                format!(
                                    "; corridor {} → {}",
                                    l.countries[0].clone().unwrap_or_default(),
                                    l.countries[1].clone().unwrap_or_default()
                                )
                            } else {
                                String::new()
                            }
                        );
                    }
                    s
                }
            }
        }
    };
    emit(&text, a.output.as_deref())
}

/// `corridor runs show ID --flows`.
fn show_flows(store: &mut Store, id: i64, format: RunsFormat) -> Result<String, Failure> {
    let flows = store.flows(id).map_err(failure)?;
    let runs = store.flow_runs(id).map_err(failure)?;
    Ok(match format {
        RunsFormat::Json => json(&serde_json::json!({"flow_runs": runs, "flows": flows}))?,
        RunsFormat::Csv => export::flows_csv_text(&flows).map_err(failure)?,
        RunsFormat::Table => {
            if runs.is_empty() {
                return Ok(format!(
                    "run {id} has no flows (its job has no [flows]; docs/batch.md)\n"
                ));
            }
            let mut s = String::new();
            for r in &runs {
                let _ = writeln!(
                    s,
                    "{} × {}: {:.0} TEU/year, gap {:.1e} after {} iteration(s){}",
                    r.scenario,
                    r.demand_factor,
                    r.demand_teu_per_year,
                    r.relative_gap,
                    r.iterations,
                    if r.converged { "" } else { " (not converged)" }
                );
                let top = flows
                    .iter()
                    .filter(|f| f.scenario == r.scenario && f.demand_factor == r.demand_factor)
                    .take(5);
                for f in top {
                    let _ = writeln!(
                        s,
                        "  V/C {:.2}  {} ({}): {:.0} of {:.0} TEU/year, delay {:.1} h [{}]",
                        f.vc,
                        f.name,
                        f.direction,
                        f.load_teu_per_year,
                        f.capacity_teu_per_year,
                        f.delay_h,
                        f.source
                    );
                }
            }
            s
        }
    })
}

/// `corridor runs diff A B --flows`.
fn diff_flows_text(d: &[FlowDiff], x: i64, y: i64, format: RunsFormat) -> Result<String, Failure> {
    let n = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    Ok(match format {
        RunsFormat::Json => json(&d)?,
        RunsFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "scenario",
                "demand_factor",
                "capacity_id",
                "name",
                "direction",
                "status",
                "load_teu_per_year_a",
                "load_teu_per_year_b",
                "vc_a",
                "vc_b",
                "delta_vc",
            ])
            .map_err(internal)?;
            for l in d {
                w.write_record([
                    l.scenario.clone(),
                    l.demand_factor.to_string(),
                    l.capacity_id.clone(),
                    l.name.clone(),
                    l.direction.clone(),
                    l.status.into(),
                    n(l.load_teu_per_year[0]),
                    n(l.load_teu_per_year[1]),
                    n(l.vc[0]),
                    n(l.vc[1]),
                    n(l.delta_vc),
                ])
                .map_err(internal)?;
            }
            String::from_utf8(w.into_inner().map_err(internal)?).map_err(internal)?
        }
        RunsFormat::Table => {
            let same = d.iter().filter(|l| l.status == "same").count();
            let mut s = format!(
                "run {x} → run {y}: {} capacity figure(s), {same} unchanged\n",
                d.len()
            );
            for l in d.iter().filter(|l| l.status != "same") {
                let _ = writeln!(
                    s,
                    "  {:<8} {} ({}) [{} × {}]: V/C {} → {} ({})",
                    l.status,
                    l.name,
                    l.direction,
                    l.scenario,
                    l.demand_factor,
                    f(l.vc[0], 2),
                    f(l.vc[1], 2),
                    f(l.delta_vc, 2)
                );
            }
            s
        }
    })
}
