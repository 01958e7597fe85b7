//! Flows in batch: a job's `[flows]` table assigns the corridor demand (the data's
//! `demand.csv`, or a demand file of the job's own) once per scenario and demand factor, as
//! `corridor assign` does, and keeps every capacity's load, V/C and delay, and each
//! assignment's convergence and corridor shares (docs/batch.md).
//!
//! ```toml
//! [flows]
//! demand_factors = [1, 2]      # required: one assignment per factor (and per scenario)
//! demand = "od.csv"            # default: demand.csv of the data
//! planned = false              # the rest as `corridor assign` (docs/flows.md)
//! avoid = ["country:RU"]
//! value_of_time = 20
//! algorithm = "gp"
//! objective = "ue"
//! gap = 1e-6
//! max_iter = 500
//! ```

use std::path::Path;

use corridor_data::DemandRow;
use corridor_engine::flows::{FlowAnswer, FlowRequest};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::engines::Engines;
use crate::failure::Failure;
use crate::job::{to_json, Checker, Job};
use crate::part::{worker_name, Part, PartResult};

/// Keys of `[flows]`.
pub const KEYS: [&str; 9] = [
    "demand_factors",
    "demand",
    "planned",
    "avoid",
    "value_of_time",
    "algorithm",
    "objective",
    "gap",
    "max_iter",
];
/// Most demand factors in one job.
pub const MAX_FACTORS: usize = 50;

/// A job's `[flows]`, checked.
#[derive(Debug, Clone)]
pub struct FlowsSpec {
    /// One assignment per factor, in this order.
    pub demand_factors: Vec<f64>,
    /// Everything else of the assignment (its `demand_factor` is set per part).
    pub request: FlowRequest,
    /// The job's demand rows; `None`: the data's `demand.csv`.
    pub demand: Option<Vec<DemandRow>>,
    /// Where the demand comes from, for the answers.
    pub demand_from: String,
}

/// One capacity of one assignment (scenario × demand factor): the columns of
/// `corridor assign --format csv`'s capacities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowRow {
    /// Position of the scenario in the job.
    pub scenario_pos: usize,
    /// The scenario.
    pub scenario: String,
    /// The demand factor.
    pub demand_factor: f64,
    /// Position of the capacity in the answer (by V/C, highest first).
    pub pos: usize,
    /// The capacity row's id (capacity.csv).
    pub capacity_id: String,
    /// Its name.
    pub name: String,
    /// `link`, `place` or `transfer`.
    pub element: String,
    /// The link, place or transfer it binds.
    pub target: String,
    /// `forward`, `reverse`, `both`, `load` or `unload`.
    pub direction: String,
    /// Load, TEU per year.
    pub load_teu_per_year: f64,
    /// Load in trains a day.
    pub load_trains_per_day: f64,
    /// Capacity, TEU per year.
    pub capacity_teu_per_year: f64,
    /// Volume over capacity.
    pub vc: f64,
    /// Delay of one TEU at this load, hours.
    pub delay_h: f64,
    /// The capacity V/C 0.8 needs, where the load is above it.
    pub capacity_needed_teu_per_year: Option<f64>,
    /// A planned (announced) capacity.
    pub planned: bool,
    /// The capacity's source id(s).
    pub source: String,
}

/// One assignment (scenario × demand factor): what it carried and how far it converged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowRun {
    /// Position of the scenario in the job.
    pub scenario_pos: usize,
    /// The scenario.
    pub scenario: String,
    /// The demand factor.
    pub demand_factor: f64,
    /// Demand assigned, TEU per year.
    pub demand_teu_per_year: f64,
    /// Generalised cost of all the demand, USD per year.
    pub total_cost_usd_per_year: f64,
    /// Relative gap reached.
    pub relative_gap: f64,
    /// Whether the target gap was reached.
    pub converged: bool,
    /// Iterations.
    pub iterations: i64,
    /// Shares by corridor, JSON `[{"corridor", "teu_per_year", "share"}]`.
    pub corridors: String,
    /// The answer's warnings, `; `-separated.
    pub warnings: String,
}

/// Reads `[flows]` (every problem named with its line); `None` if absent or wrong.
pub(crate) fn read(
    c: &mut Checker,
    root: &toml_edit::Table,
    dir: &Path,
    engines: &Engines,
    hasher: &mut Sha256,
) -> Option<FlowsSpec> {
    let item = root.get("flows")?;
    let Some(t) = item.as_table_like() else {
        c.at(item.span(), "`flows` must be a table ([flows])");
        return None;
    };
    let before = c.problems.len();
    let mut map = serde_json::Map::new();
    let mut factors = Vec::new();
    let mut demand = None;
    let mut demand_from = "demand.csv of the data".to_string();
    for (k, v) in t.iter() {
        let span = t.key(k).and_then(|k| k.span());
        if !KEYS.contains(&k) {
            let why = if k == "demand_factor" {
                "is not a [flows] key; give demand_factors = [1, 2]".to_string()
            } else {
                format!("is not a [flows] key; they are {}", KEYS.join(", "))
            };
            c.at(span, format!("`{k}` {why}"));
            continue;
        }
        let Some(v) = v.as_value() else {
            c.at(span, format!("[flows]: `{k}` must be a value"));
            continue;
        };
        match k {
            "demand_factors" => {
                let list: Option<Vec<f64>> = v.as_array().and_then(|a| {
                    a.iter()
                        .map(|x| x.as_float().or_else(|| x.as_integer().map(|i| i as f64)))
                        .collect()
                });
                match list {
                    Some(l) if !l.is_empty() && l.len() <= MAX_FACTORS => {
                        for f in &l {
                            if !(f.is_finite() && (0.001..=1000.0).contains(f)) {
                                c.at(
                                    span.clone(),
                                    format!("[flows]: demand factor {f} must be from 0.001 to 1000 (2: the demand doubles)"),
                                );
                            } else if factors.contains(f) {
                                c.at(
                                    span.clone(),
                                    format!("[flows]: demand factor {f} is listed twice"),
                                );
                            } else {
                                factors.push(*f);
                            }
                        }
                    }
                    _ => c.at(
                        span,
                        format!("[flows]: `demand_factors` must be an array of 1 to {MAX_FACTORS} numbers, e.g. [1, 2]"),
                    ),
                }
            }
            "demand" => match v.as_str() {
                None => c.at(
                    span,
                    "[flows]: `demand` must be a string (a CSV path: from,to,teu_per_year)",
                ),
                Some(rel) => {
                    use corridor_data::flows::{read_demand_file, DemandFileError};
                    let p = dir.join(rel);
                    match read_demand_file(&p) {
                        Err(DemandFileError::Unreadable(m)) => c.at(span, format!("[flows]: {m}")),
                        Err(DemandFileError::Invalid(problems)) => {
                            let file = p.display().to_string();
                            for pr in problems {
                                c.problems.push(crate::failure::Problem {
                                    file: file.clone(),
                                    line: pr.line,
                                    message: pr.message,
                                });
                            }
                        }
                        Ok((text, rows)) => {
                            hasher.update(text.as_bytes());
                            demand_from = p.display().to_string();
                            demand = Some(rows);
                        }
                    }
                }
            },
            _ => {
                map.insert(k.to_string(), to_json(v));
            }
        }
    }
    if !t.contains_key("demand_factors") {
        c.at(
            item.span(),
            "[flows] has no `demand_factors`: give e.g. demand_factors = [1, 2]",
        );
    }
    let request: FlowRequest = match serde_json::from_value(Value::Object(map)) {
        Ok(r) => r,
        Err(e) => {
            c.at(item.span(), format!("[flows]: {e}"));
            return None;
        }
    };
    // The algorithm and objective are named even when other keys are wrong too.
    if let Err(e) = request.to_assign() {
        c.at(item.span(), format!("[flows]: {e}"));
    }
    if c.problems.len() > before {
        return None;
    }
    let spec = FlowsSpec {
        demand_factors: factors,
        request,
        demand,
        demand_from,
    };
    // A trial on the network as is: unknown places in the demand, bad algorithm, objective,
    // gap or avoid rule are named now, before any work.
    if let Ok(engine) = engines.get(&[]) {
        let trial = spec.request_for(spec.demand_factors[0]).and_then(|mut r| {
            r.max_iter = 1;
            engine
                .assign_flows(&r, &spec.demand_from, &mut |_, _| {})
                .map(|_| ())
        });
        if let Err(e) = trial {
            c.at(item.span(), format!("[flows]: {e}"));
            return None;
        }
    }
    Some(spec)
}

impl FlowsSpec {
    /// The assignment request of one demand factor.
    ///
    /// # Errors
    /// A bad algorithm or objective (checked by the job already).
    pub fn request_for(
        &self,
        factor: f64,
    ) -> Result<corridor_engine::flows::AssignRequest, corridor_engine::QueryError> {
        let mut r = self.request.to_assign()?;
        r.demand_factor = factor;
        r.demand = self.demand.clone();
        Ok(r)
    }
}

/// The rows of one assignment's answer.
pub fn rows_of(part: &Part, factor: f64, a: &FlowAnswer) -> (Vec<FlowRow>, FlowRun) {
    let rows = a
        .capacities
        .iter()
        .enumerate()
        .map(|(pos, b)| FlowRow {
            scenario_pos: part.scenario_pos,
            scenario: part.scenario.clone(),
            demand_factor: factor,
            pos,
            capacity_id: b.id.clone(),
            name: b.name.clone(),
            element: b.element.clone(),
            target: b.target.clone(),
            direction: b.direction.clone(),
            load_teu_per_year: b.load_teu_per_year,
            load_trains_per_day: b.load_trains_per_day,
            capacity_teu_per_year: b.capacity_teu_per_year,
            vc: b.vc,
            delay_h: b.delay_h,
            capacity_needed_teu_per_year: b.capacity_needed_teu_per_year,
            planned: b.planned,
            source: b.source.clone(),
        })
        .collect();
    let run = FlowRun {
        scenario_pos: part.scenario_pos,
        scenario: part.scenario.clone(),
        demand_factor: factor,
        demand_teu_per_year: a.demand_teu_per_year,
        total_cost_usd_per_year: a.total_cost_usd_per_year,
        relative_gap: a.convergence.relative_gap,
        converged: a.convergence.converged,
        iterations: a.convergence.iterations as i64,
        corridors: serde_json::to_string(&a.corridors).unwrap_or_else(|_| "[]".into()),
        warnings: a.warnings.join("; "),
    };
    (rows, run)
}

/// Computes a flows part: the assignment of its scenario at its demand factor.
///
/// # Errors
/// An engine error (the job was checked on the network as is; a scenario can still leave a
/// demand pair without a route), or a scenario that cannot be applied.
pub fn compute(job: &Job, engines: &Engines, part: &Part, k: usize) -> Result<PartResult, Failure> {
    let t = std::time::Instant::now();
    let spec = job.flows.as_ref().ok_or_else(|| {
        Failure::new(
            "Internal",
            "a flows part of a job without [flows]".to_string(),
        )
    })?;
    let factor = *spec
        .demand_factors
        .get(k)
        .ok_or_else(|| Failure::new("Internal", format!("no demand factor {k} in the job")))?;
    let engine = engines.get(std::slice::from_ref(&part.scenario))?;
    let req = spec.request_for(factor)?;
    let answer = engine
        .assign_flows(&req, &spec.demand_from, &mut |_, _| {})
        .map_err(|e| {
            let mut f = Failure::from(e);
            f.message = format!(
                "flows of scenario '{}' at demand × {factor}: {}",
                part.scenario, f.message
            );
            f
        })?;
    let (flows, run) = rows_of(part, factor, &answer);
    Ok(PartResult {
        part: part.clone(),
        rows: vec![],
        flows,
        flow_run: Some(run),
        seconds: t.elapsed().as_secs_f64(),
        worker: worker_name(),
    })
}
