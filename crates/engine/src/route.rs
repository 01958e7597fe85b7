//! The route query, in stages a reader follows forward:
//!
//! 1. [`request`]: what the user typed ([`RouteRequest`], [`Optimize`]); options and avoid
//!    rules parsed and checked before any place is looked up.
//! 2. `plan`: the resolved, validated query (endpoints, limits, clock window, budget, cargo
//!    constraints).
//! 3. `costs`: the plan's cost model, built once: what every arc and transfer rule costs this
//!    cargo (time low/typical/high, money, CO2e, capacity), the one place where data turns
//!    into weights.
//! 4. `searches`: adapters from plan and costs to the kernels ([`crate::search`],
//!    [`crate::pareto`]) — allowed arcs, masks, weights.
//! 5. `front` (one objective, or the Pareto front with its selection and labels) and `clock`
//!    (the same on the clock: `--depart`, `--arrive-by`).
//! 6. `explain`: why there is no route (the constraint that cut the last one off).
//! 7. `itinerary`: a found path turned into legs, transfers, borders and totals.
//! 8. `assemble`: the answer around the itineraries (query echo, warnings) and the texts
//!    explaining alternatives.
//! 9. `reliability` (when asked): Monte Carlo P50–P95 transit days per itinerary.
//!
//! [`Engine::route`] runs them in that order: plan (with its costs) → search → assembly. A
//! point endpoint (door to door, [`crate::door`]) first becomes a query-local virtual place
//! with road legs to the nearest terminals (a [`corridor_network::Overlay`] on the shared base
//! network); the same stages then run over the [`corridor_network::Graph`] of both.

use corridor_data::Dataset;
use corridor_network::{Graph, Network, Overlay};

use crate::answer::{DataInfo, LayerRef, RouteAnswer, ScenarioRef};

/// How a scenario's provenance layer is labelled (`scenario NAME`, by
/// `corridor_scenario::with_scenarios`): [`Engine::data_info`] lists such layers as scenarios.
pub const SCENARIO_LAYER: &str = "scenario ";
use crate::error::QueryError;
use crate::pareto::{self, ParetoConfig};

mod assemble;
mod clock;
pub(crate) mod costs;
mod driver_search;
mod driving;
mod explain;
mod families;
mod front;
pub(crate) mod itinerary;
pub(crate) mod plan;
mod rates;
mod reliability;
pub mod request;
mod searches;

pub use request::{
    Optimize, RouteRequest, DEFAULT_ALTERNATIVES, MAX_ALTERNATIVES, MAX_AVOID, MAX_BUDGET_MS,
    MAX_VIA,
};

use plan::{Active, Refusal};

/// The route engine over one network. Cheap to share (`&Engine` is `Sync`); the search
/// buffers are per thread.
pub struct Engine {
    /// The base network, shared with the door engines derived from this one.
    base: std::sync::Arc<Network>,
    /// Query-local virtual places and arcs (door endpoints) over `base`: `Some` only in the
    /// engine of one door query ([`crate::door`]).
    doors: Option<Overlay>,
    pareto: ParetoConfig,
    /// Per arc: CO2e (WTW, kg) per unit of activity (net t for per-tkm factors, TEU for
    /// per-TEU-km factors) over the arc, precomputed with the full method: emissions are linear
    /// in the cargo, so each plan's cost model scales this instead of running the method per
    /// arc and query.
    arc_co2_per_unit: Vec<Option<(f64, corridor_data::EmissionBasis)>>,
    /// Measures door-to-door road legs on a real road network (else they are estimated).
    door_roads: Option<crate::door::SharedDoorRoads>,
    /// Services and closures indexed by arc and place (for clock queries).
    timetable: crate::timed::Timetable,
    /// The arcs each cargo rule and customs row covers (built once).
    rules: crate::constraints::RuleIndex,
}

impl Engine {
    /// Builds the engine over a checked dataset.
    pub fn new(ds: Dataset) -> Engine {
        let net = Network::build(ds);
        let mut e = Engine {
            base: std::sync::Arc::new(net),
            doors: None,
            timetable: Default::default(),
            pareto: ParetoConfig::default(),
            arc_co2_per_unit: Vec::new(),
            door_roads: None,
            rules: Default::default(),
        };
        e.index_new_arcs();
        e
    }

    /// The engine of one door query: this engine's network with the virtual places and arcs
    /// of `doors` on top. Nothing of the base is rebuilt or copied but the per-arc indices
    /// (timetable, CO2e cache, rule index), which are extended by the virtual arcs.
    pub(crate) fn with_overlay(&self, doors: Overlay) -> Engine {
        let mut e = Engine {
            base: self.base.clone(),
            doors: Some(doors),
            timetable: self.timetable.clone(),
            pareto: self.pareto,
            arc_co2_per_unit: self.arc_co2_per_unit.clone(),
            door_roads: None,
            rules: self.rules.clone(),
        };
        e.index_new_arcs();
        e
    }

    /// Indexes the arcs and places of [`Engine::g`] that the per-arc indices do not cover yet
    /// (all on a new engine, the virtual ones on a door engine).
    fn index_new_arcs(&mut self) {
        let from = self.arc_co2_per_unit.len();
        let co2 = self.precompute_arc_co2(from);
        self.arc_co2_per_unit.extend(co2);
        let g = Graph::new(&self.base, self.doors.as_ref());
        self.timetable.extend(g);
        self.rules.extend(g);
    }

    /// The network as queries see it: the base, and the door places and arcs of a door
    /// engine.
    pub(crate) fn g(&self) -> Graph<'_> {
        Graph::new(&self.base, self.doors.as_ref())
    }

    /// Sets the ε and label budget of the Pareto search (see [`crate::pareto`]).
    pub fn with_pareto_config(mut self, config: ParetoConfig) -> Engine {
        self.pareto = config;
        self
    }

    /// Measures door-to-door road legs (FROM/TO given as points) on a road network.
    pub fn with_door_roads(mut self, roads: crate::door::SharedDoorRoads) -> Engine {
        self.door_roads = Some(roads);
        self
    }

    /// The road network door legs are measured on, if any.
    pub fn door_roads(&self) -> Option<&crate::door::SharedDoorRoads> {
        self.door_roads.as_ref()
    }

    /// The ε and label budget of the Pareto search.
    pub fn pareto_config(&self) -> ParetoConfig {
        self.pareto
    }

    /// The base network (without the virtual places and arcs of a door query).
    pub fn network(&self) -> &Network {
        &self.base
    }

    /// The dataset of the base network.
    pub fn dataset(&self) -> &Dataset {
        &self.base.dataset
    }

    /// Which data answers come from.
    pub fn data_info(&self) -> DataInfo {
        let ds = &self.base.dataset;
        DataInfo {
            name: ds.meta.name.clone(),
            version: ds.meta.version.clone(),
            hash: ds.hash.clone(),
            as_of: ds.meta.as_of.clone(),
            origin: ds.label.clone(),
            layers: if ds.layers.len() > 1 {
                ds.layers
                    .iter()
                    .map(|l| LayerRef {
                        label: l.label.clone(),
                        hash: l.hash.clone(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            scenarios: ds
                .layers
                .iter()
                .filter_map(|l| {
                    l.label
                        .strip_prefix(SCENARIO_LAYER)
                        .map(|name| ScenarioRef {
                            name: name.to_string(),
                            hash: l.hash.clone(),
                        })
                })
                .collect(),
        }
    }

    /// Answers a route request with the best itinerary for its objective.
    pub fn route(&self, req: &RouteRequest) -> Result<RouteAnswer, QueryError> {
        self.route_capped(req, None)
    }

    /// As [`Engine::route`], with the search budget capped at `cap_ms` milliseconds (a
    /// server's per-query budget): the request's `budget_ms` may lower it, not raise it. The
    /// answer echoes `budget_ms` only if the request gave one (then the budget that applied),
    /// so the same request answers the same with and without a cap that was not reached.
    pub fn route_capped(
        &self,
        req: &RouteRequest,
        cap_ms: Option<u64>,
    ) -> Result<RouteAnswer, QueryError> {
        self.route_pipeline(req, cap_ms).map_err(QueryError::from)
    }

    /// The pipeline: doors (a point endpoint becomes a virtual place of a door engine) → plan (its
    /// cost model built once) → search → assembly. Refusals keep their data (see
    /// [`Refusal`]) for callers that branch on them.
    pub(crate) fn route_pipeline(
        &self,
        req: &RouteRequest,
        cap_ms: Option<u64>,
    ) -> Result<RouteAnswer, Refusal> {
        if let Some(door) = self.door_query(req)? {
            let note = door.carriage_note();
            let answer = door.engine.answer_request(&door.req, cap_ms, Some(note))?;
            return Ok(door.finish(answer));
        }
        self.answer_request(req, cap_ms, None)
    }

    /// Plan → search → assembly for a request between places of this engine's network;
    /// `carriage_note` replaces the answer's terminal-to-terminal note (door to door).
    fn answer_request(
        &self,
        req: &RouteRequest,
        cap_ms: Option<u64>,
        carriage_note: Option<String>,
    ) -> Result<RouteAnswer, Refusal> {
        let mut plan = self.plan(req, cap_ms)?;
        plan.carriage_note = carriage_note;
        let all = Active::all(&plan);
        let answer = if plan.on_clock() {
            self.route_clock(&plan, all)
        } else if let Some(n) = plan.alternatives {
            self.route_front(&plan, all, reliability::candidates(req, n as usize))
        } else {
            self.route_single(&plan, all)
        };
        let mut answer = answer?;
        if let Some(ask) = reliability::Ask::of(req, &plan) {
            self.add_reliability(&ask, &mut answer)?;
            if let Some(n) = plan.alternatives.filter(|_| reliability::p90(req)) {
                reliability::select_p90(&mut answer, n as usize);
            }
        }
        Ok(answer)
    }

    /// The raw Pareto front of a request, as the answer without `optimize` starts from: the
    /// label-setting search over time, cost, CO2e and risk with the engine's ε and label
    /// budget, before the exact single-criterion optima are added and the list is cut to
    /// `alternatives`. For benchmarks and diagnostics: its size, the labels created and
    /// whether the budget ran out (`incomplete`).
    pub fn pareto_front(&self, req: &RouteRequest) -> Result<pareto::Front, QueryError> {
        let plan = self.plan(req, None)?;
        let all = Active::all(&plan);
        Ok(self.run_front(&plan, all, None, plan.limits()))
    }
}
