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
mod demand;
pub mod graph;
pub mod report;
pub mod request;
mod solve;

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

impl AssignRequest {
    /// The baseline a run is compared with (`--compare`): the same demand, algorithm and value
    /// of time, at demand factor 1, operating capacities and no avoid rules (the caller runs it
    /// on the data without the scenarios).
    pub fn baseline(&self) -> AssignRequest {
        AssignRequest {
            demand_factor: 1.0,
            planned: false,
            avoid: Vec::new(),
            ..self.clone()
        }
    }
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
        demand::check(req)?;
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
        let demand::Resolved { zones, pairs } = self.resolve_demand(rows, req.demand_factor)?;
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
        // Trains for every destination: the plan is the first demand row's, and trains for some
        // destination countries (services.csv `to_countries`) depend on each pair's.
        let board_crit: Vec<crate::pareto::Crit> = self
            .g()
            .arcs()
            .map(|a| crate::route::costs::board_crit(a.board_wait_h))
            .collect();
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
            board_crit: &board_crit,
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
        demand::check_reachable(&net, &demand, &free, &zones, &pairs)?;
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
        let solved = solve::solve(&fg, net, &demand, &opts, deadline, progress)?;
        let solve::Solved {
            assignment: a,
            net,
            rounds,
            residual,
            groups,
        } = solved;
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
        let residual: f64 = residual;
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
