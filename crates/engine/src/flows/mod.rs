//! Flows: the equilibrium assignment of a demand (TEU per year between places) on the
//! corridor network, with the capacities of `capacity.csv` as delays; loads, volume/capacity,
//! delays, the bottlenecks and the flows by corridor out (`corridor assign`, docs/flows.md).
//!
//! The stages: the demand is resolved to places ([`AssignRequest`]); the plan of a 1 TEU
//! container gives each arc's and transfer's time and price (the same cost model as a route);
//! [`graph`] makes the search's states the nodes of an assignment network with the capacities
//! on its links; `corridor-assign` finds the user equilibrium (or system optimum); [`report`]
//! turns the link flows back into loads of the data's links and places.

pub mod compare;
pub mod graph;
pub mod report;
pub mod request;

use corridor_assign::{Algorithm, CostWeights, Demand, Network, Objective, Options};
use corridor_data::DemandRow;
use serde::Serialize;

use crate::error::QueryError;
use crate::route::plan::{Active, Refusal};
use crate::route::{Engine, RouteRequest};
pub use compare::{compare, FlowComparison};
pub use report::{Bottleneck, Convergence, CorridorFlow, FlowAnswer, LinkLoad, OdResult, PathUse};
pub use request::{DemandInput, FlowRequest};

/// Default value of time, USD per TEU-hour: 0.8 % of the goods' value per day (the middle of
/// Hummels & Schaur 2013, "Time as a Trade Barrier", AER 103(7): 0.6–2.1 % per day) on
/// USD 60,000 per TEU of China–Europe rail cargo (estimate: high-value electronics, machinery
/// and car parts; docs/flows.md).
pub const DEFAULT_VOT_USD_PER_TEU_H: f64 = 20.0;
/// Most assignments run to share a capacity between links (see [`Engine::assign_flows`]).
pub const MAX_SHARING_ROUNDS: usize = 30;
/// The shared flows are settled when no link's preload moves by more than this share of its
/// group's flow.
pub const SHARING_TOLERANCE: f64 = 1e-3;
/// Most demand rows a request may carry.
pub const MAX_DEMAND_ROWS: usize = 10_000;

/// What to assign and how.
#[derive(Debug, Clone)]
pub struct AssignRequest {
    /// The demand rows; `None`: the data's `demand.csv`.
    pub demand: Option<Vec<DemandRow>>,
    /// Every demand figure is multiplied by this (2: trade doubles).
    pub demand_factor: f64,
    /// Use the planned capacities (announced expansions) where the data has them, and allow
    /// planned links.
    pub planned: bool,
    /// `--avoid` rules as a route takes them (`country:RU`, `passage:suez`, …).
    pub avoid: Vec<String>,
    /// Value of time, USD per TEU-hour.
    pub vot: f64,
    /// The algorithm.
    pub algorithm: Algorithm,
    /// User equilibrium or system optimum.
    pub objective: Objective,
    /// Target relative gap.
    pub gap: f64,
    /// Most iterations.
    pub max_iter: usize,
}

impl Default for AssignRequest {
    fn default() -> Self {
        AssignRequest {
            demand: None,
            demand_factor: 1.0,
            planned: false,
            avoid: Vec::new(),
            vot: DEFAULT_VOT_USD_PER_TEU_H,
            algorithm: Algorithm::GradientProjection,
            objective: Objective::UserEquilibrium,
            gap: 1e-6,
            max_iter: 500,
        }
    }
}

/// The query echo of an answer.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AssignQuery {
    /// Demand rows assigned.
    pub demand_rows: usize,
    /// Where the demand came from (`demand.csv of the data`, or the file given).
    pub demand_from: String,
    /// The factor applied.
    pub demand_factor: f64,
    /// Planned capacities used.
    pub planned: bool,
    /// Avoid rules.
    pub avoid: Vec<String>,
    /// Value of time, USD per TEU-hour.
    pub value_of_time_usd_per_teu_h: f64,
    /// Algorithm (`gradient_projection`, `biconjugate_frank_wolfe`, …).
    pub algorithm: String,
    /// Objective (`user_equilibrium`, `system_optimum`).
    pub objective: String,
    /// Target gap.
    pub gap: f64,
    /// Most iterations.
    pub max_iter: usize,
}

fn bad(field: &str, message: String) -> QueryError {
    QueryError::InvalidValue {
        field: field.into(),
        message,
        suggestions: vec![],
    }
}

impl Engine {
    /// Assigns the demand; `progress` is called after every iteration with (iteration, gap).
    pub fn assign_flows(
        &self,
        req: &AssignRequest,
        demand_from: &str,
        progress: &mut dyn FnMut(usize, f64),
    ) -> Result<FlowAnswer, QueryError> {
        self.assign_flows_until(req, demand_from, progress, None)
    }

    /// As [`Engine::assign_flows`], stopping at `deadline` with the gap reached (marked not
    /// converged, with a warning): what a server answers within its time limit.
    pub fn assign_flows_until(
        &self,
        req: &AssignRequest,
        demand_from: &str,
        progress: &mut dyn FnMut(usize, f64),
        deadline: Option<std::time::Instant>,
    ) -> Result<FlowAnswer, QueryError> {
        if !(req.demand_factor.is_finite()
            && req.demand_factor > 0.0
            && req.demand_factor <= 1000.0)
        {
            return Err(bad(
                "demand-factor",
                format!(
                    "{} is not a number in (0, 1000]; 2 doubles the demand",
                    req.demand_factor
                ),
            ));
        }
        if !(req.vot.is_finite() && (0.0..=10_000.0).contains(&req.vot)) {
            return Err(bad(
                "value-of-time",
                format!("{} is not USD per TEU-hour in 0..=10000", req.vot),
            ));
        }
        if !(req.gap.is_finite() && req.gap > 0.0 && req.gap < 1.0) {
            return Err(bad(
                "gap",
                format!("{} is not a relative gap in (0, 1), e.g. 1e-5", req.gap),
            ));
        }
        if req.max_iter == 0 || req.max_iter > 100_000 {
            return Err(bad(
                "max-iter",
                format!("{} is not in 1..=100000", req.max_iter),
            ));
        }
        let ds = self.g().dataset();
        let rows: &[DemandRow] = req.demand.as_deref().unwrap_or(&ds.demand);
        if rows.is_empty() {
            return Err(QueryError::InvalidQuery {
                message: format!(
                    "no demand to assign: {demand_from} has no rows; give --demand FILE (columns from,to,teu_per_year; docs/flows.md)"
                ),
            });
        }
        if rows.len() > MAX_DEMAND_ROWS {
            return Err(bad(
                "demand",
                format!("{} rows; at most {MAX_DEMAND_ROWS}", rows.len()),
            ));
        }
        // Zones: one per distinct place name in the demand.
        let mut zone_of: std::collections::HashMap<String, usize> = Default::default();
        let mut zones: Vec<(String, Vec<usize>)> = Vec::new();
        let mut pairs: Vec<(usize, usize, f64, &DemandRow)> = Vec::new();
        for d in rows {
            if !(d.teu_per_year.is_finite() && d.teu_per_year > 0.0) {
                return Err(bad(
                    "demand",
                    format!(
                        "row {} ({} → {}): teu_per_year {} must be > 0",
                        d.id, d.from, d.to, d.teu_per_year
                    ),
                ));
            }
            if d.commodity != "container" {
                return Err(bad(
                    "demand",
                    format!("row {}: commodity '{}'; the assignment carries containers (TEU) only: give container", d.id, d.commodity),
                ));
            }
            let mut zone = |name: &'_ str,
                            zone_of: &mut std::collections::HashMap<String, usize>|
             -> Result<usize, QueryError> {
                if let Some(&z) = zone_of.get(name) {
                    return Ok(z);
                }
                let r = self.resolve("demand", name).map_err(|e| match e {
                    QueryError::UnknownPlace { .. } | QueryError::InvalidValue { .. } => bad(
                        "demand",
                        format!("row {} ({} → {}): {e}", d.id, d.from, d.to),
                    ),
                    other => other,
                })?;
                zones.push((r.label.clone(), r.places.clone()));
                zone_of.insert(name.to_string(), zones.len() - 1);
                Ok(zones.len() - 1)
            };
            let o = zone(&d.from, &mut zone_of)?;
            let t = zone(&d.to, &mut zone_of)?;
            if o == t {
                return Err(bad(
                    "demand",
                    format!("row {}: from and to are the same place ({})", d.id, d.from),
                ));
            }
            pairs.push((o, t, d.teu_per_year * req.demand_factor, d));
        }
        // The plan of one TEU: costs per arc and transfer, and the arcs allowed.
        let first = &rows[0];
        let mut rr = RouteRequest {
            from: first.from.clone(),
            to: first.to.clone(),
            ..Default::default()
        };
        rr.lane.shipment.cargo = Some("1xTEU".into());
        rr.lane.avoid = req.avoid.clone();
        rr.lane.include_planned = req.planned;
        let plan = self.plan(&rr, None).map_err(|r| match r {
            Refusal::Query(e) => e,
            Refusal::SamePlace { from, to } => {
                bad("demand", format!("{from} and {to} are one place"))
            }
        })?;
        let allowed = self.allowed(&plan, Active::all(&plan));
        let (ac, tc) = plan.costs.criteria(self, false);
        // Capacities: operating rows, or the planned row of the same binding where one exists.
        let caps = report::capacities_in_use(&ds.capacity, req.planned);
        let mut origin = vec![false; zones.len()];
        let mut destination = vec![false; zones.len()];
        for &(o, t, _, _) in &pairs {
            origin[o] = true;
            destination[t] = true;
        }
        let inputs = graph::Inputs {
            net: self.g(),
            allowed: &allowed,
            arc_crit: ac,
            transfer_crit: tc,
            capacities: caps,
            vot: req.vot,
            zones: zones.iter().map(|z| z.1.clone()).collect(),
            origin,
            destination,
        };
        let fg = graph::FlowGraph::build(&inputs);
        let net = Network::new(
            fg.node_count,
            fg.zone_count,
            fg.zone_count,
            fg.links.clone(),
        )
        .map_err(|e| QueryError::InvalidQuery {
            message: format!("the assignment network could not be built: {e}"),
        })?;
        let mut demand = Demand::new(zones.len());
        for &(o, t, teu, d) in &pairs {
            demand
                .add(o, t, teu)
                .map_err(|e| bad("demand", format!("row {}: {e}", d.id)))?;
        }
        // Every pair must be joined: name the first that is not.
        let model = corridor_assign::CostModel::new(
            &net,
            CostWeights {
                toll: 1.0,
                distance: 0.0,
            },
            Objective::UserEquilibrium,
        );
        let free: Vec<f64> = (0..model.len()).map(|a| model.cost(a, 0.0)).collect();
        if let Err(u) = corridor_assign::shortest_path::all_or_nothing(&net, &demand, &free) {
            let (o, t) = (u.origin as usize, u.destination as usize);
            let row = pairs
                .iter()
                .find(|p| p.0 == o && p.1 == t)
                .map(|p| p.3.id.clone())
                .unwrap_or_default();
            return Err(QueryError::NoRoute {
                message: format!(
                    "demand row {row}: no route joins {} and {} for a container under these options; drop the row or the avoid rule",
                    zones[o].0, zones[t].0
                ),
                constraint: None,
            });
        }
        let opts = Options {
            algorithm: req.algorithm,
            objective: req.objective,
            gap: req.gap,
            max_iter: req.max_iter,
            weights: CostWeights {
                toll: 1.0,
                distance: 0.0,
            },
        };
        let run = |net: &Network, progress: &mut dyn FnMut(usize, f64)| {
            corridor_assign::assign_until(
                net,
                &demand,
                &opts,
                &mut |it| progress(it.iteration, it.relative_gap),
                deadline,
            )
            .map_err(|e| QueryError::InvalidQuery {
                message: e.to_string(),
            })
        };
        let mut a = run(&net, progress)?;
        // A capacity shared by several links (wagons of two gauges on one crossing): each
        // link's queue is preloaded with the others' flow, iterated to a fixed point (where
        // each sees the whole group's utilisation).
        let groups: Vec<&[usize]> = fg
            .bounds
            .iter()
            .filter(|b| {
                b.links.len() > 1
                    && b.links
                        .iter()
                        .all(|&l| fg.links[l].delay == corridor_assign::Delay::Queue)
            })
            .map(|b| &b.links[..])
            .collect();
        let mut links = fg.links.clone();
        let mut shared_net = None;
        let mut rounds = 1usize;
        let mut residual = 0.0f64;
        while !groups.is_empty() {
            residual = 0.0;
            for g in &groups {
                let total: f64 = g.iter().map(|&l| a.flows[l]).sum();
                for &l in g.iter() {
                    let pre = (total - a.flows[l]).max(0.0);
                    // half a step: plain Jacobi steps can swing between the gauges
                    let next = 0.5 * (links[l].preload + pre);
                    residual = residual.max((pre - links[l].preload).abs() / total.max(1.0));
                    links[l].preload = next;
                }
            }
            if residual < SHARING_TOLERANCE || rounds >= MAX_SHARING_ROUNDS {
                break;
            }
            let n = Network::new(fg.node_count, fg.zone_count, fg.zone_count, links.clone())
                .map_err(|e| QueryError::InvalidQuery {
                    message: format!("the assignment network could not be built: {e}"),
                })?;
            a = run(&n, progress)?;
            shared_net = Some(n);
            rounds += 1;
        }
        let net = shared_net.unwrap_or(net);
        let query = AssignQuery {
            demand_rows: rows.len(),
            demand_from: demand_from.to_string(),
            demand_factor: req.demand_factor,
            planned: req.planned,
            avoid: req.avoid.clone(),
            value_of_time_usd_per_teu_h: req.vot,
            algorithm: serde_json::to_value(req.algorithm)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            objective: serde_json::to_value(req.objective)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            gap: req.gap,
            max_iter: req.max_iter,
        };
        let cx = report::Context {
            engine: self,
            graph: &fg,
            net: &net,
            zones: &zones,
            pairs: &pairs,
            vot: req.vot,
            free: &free,
        };
        let mut answer = report::answer(&cx, &a, query);
        answer.convergence.sharing_rounds = rounds;
        let shared = groups
            .iter()
            .filter(|g| g.iter().filter(|&&l| a.flows[l] > 1e-6).count() > 1)
            .count();
        if shared > 0 {
            answer.warnings.push(format!(
                "{} capacit{} shared by wagons of more than one gauge: each gauge's queue carries the others' flow, settled in {rounds} assignment(s) (largest residual {:.1e} of a group's flow{})",
                shared,
                if shared == 1 { "y is" } else { "ies are" },
                residual,
                if residual < SHARING_TOLERANCE { "" } else { "; not settled: read these V/C with care" }
            ));
        }
        if !a.converged && deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            answer.warnings.push(format!(
                "stopped at the time limit after {} iteration(s) with relative gap {:.2e} (target {:.0e}): run it with the CLI for a tighter gap",
                a.iterations.len(),
                a.relative_gap,
                req.gap
            ));
        }
        Ok(answer)
    }
}
