//! The route query: request → resolved plan → search → itinerary with every figure sourced.

use std::cell::RefCell;
use std::collections::BTreeSet;

use corridor_data::{Carries, Commodity, Dataset, Mode, Resolved, Status, Transfer};
use corridor_emissions::calc::{self as em, DistanceKind, FactorSet, Tce};
use corridor_emissions::chain::{Element, Footprint, PlaceInfo};
use corridor_network::Network;
use serde::{Deserialize, Serialize};

use crate::answer::*;
use crate::cargo::{Cargo, CargoError, PAYLOAD_T_PER_TEU};
use crate::constraints::{CargoOptions, Constraints, CUT_ALL};
use crate::error::QueryError;
use crate::pareto::{self, Crit, FrontPath, ParetoConfig, ParetoInput, CO2E, COST, RISK, TIME};
use crate::search::{shortest, SearchInput, Step, Weight, Workspace};

/// Most `--via` places in one request.
pub const MAX_VIA: usize = 8;
/// Most `--avoid` items in one request.
pub const MAX_AVOID: usize = 64;
/// Default number of alternatives (the Pareto front) when no `--optimize` is given.
pub const DEFAULT_ALTERNATIVES: u32 = 5;
/// Most alternatives in one answer.
pub const MAX_ALTERNATIVES: u32 = 50;
/// Largest `budget_ms` (ten minutes).
pub const MAX_BUDGET_MS: u64 = 600_000;

mod clock;

/// What to minimise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Optimize {
    /// Door-to-door transit time (typical).
    #[default]
    Time,
    /// Total cost in USD.
    Cost,
    /// Well-to-wheel CO2e.
    Co2,
}

impl Optimize {
    /// Parses `time`, `cost`, `co2` (also `co2e`).
    pub fn parse(s: &str) -> Option<Optimize> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "time" | "fastest" => Optimize::Time,
            "cost" | "cheapest" => Optimize::Cost,
            "co2" | "co2e" | "emissions" => Optimize::Co2,
            _ => return None,
        })
    }
    /// Name.
    pub fn as_str(self) -> &'static str {
        match self {
            Optimize::Time => "time",
            Optimize::Cost => "cost",
            Optimize::Co2 => "co2",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Optimize::Time => "fastest",
            Optimize::Cost => "cheapest",
            Optimize::Co2 => "lowest_co2e",
        }
    }
}

/// A route request as typed by a user (CLI flags or API parameters, same names): the route's
/// own fields, and the [`LaneOptions`](crate::options::LaneOptions) a table cell shares,
/// flattened (the JSON is flat). Dereferences to those options, so `req.cargo` reads through;
/// read JSON with [`options::from_json`](crate::options::from_json), which refuses unknown
/// fields (serde's `deny_unknown_fields` does not work with `flatten`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[schemars(
    description = "A route request as typed by a user (CLI flags or API parameters, same names).",
    extend("additionalProperties" = false)
)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct RouteRequest {
    /// Origin: place id (KZSCO), name or alias (Aktau, 阿克套, Актау), city (Xi'an), or a point
    /// `lat,lon` (door to door: road pre-carriage to the best of the nearest terminals).
    #[schemars(length(min = 1))]
    #[cfg_attr(feature = "clap", arg(allow_hyphen_values = true))]
    pub from: String,
    /// Destination: as `from` (a point gets road on-carriage from the nearest terminals).
    #[schemars(length(min = 1))]
    #[cfg_attr(feature = "clap", arg(allow_hyphen_values = true))]
    pub to: String,
    /// Places to pass through, in order (repeatable).
    #[serde(default)]
    #[schemars(length(max = 8), inner(length(min = 1)))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "PLACE"))]
    pub via: Vec<String>,
    /// Cargo, objective and what to avoid (shared with every cell of a table).
    #[serde(flatten)]
    #[cfg_attr(feature = "clap", command(flatten))]
    pub lane: crate::options::LaneOptions,
    /// Most alternatives (the Pareto front over time, cost, CO2e and risk) when no `optimize`
    /// is given; default 5. Not with `optimize`.
    #[serde(default)]
    #[schemars(range(min = 1, max = 50))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "N"))]
    pub alternatives: Option<u32>,
    /// Most transshipments (lifts, gauge changes).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long, value_name = "N"))]
    pub max_transshipments: Option<u32>,
    /// Most borders crossed.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long, value_name = "N"))]
    pub max_borders: Option<u32>,
    /// Departure instant, RFC 3339 (`2026-12-01T08:00+05:00`); without an offset, local to the
    /// origin. Turns on the time-dependent search (timetables, closures), for one objective or
    /// the Pareto front.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("examples" = ["2026-12-01T08:00+05:00", "2026-12-01T08:00"]))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "DATETIME"))]
    pub depart: Option<String>,
    /// Latest arrival, RFC 3339; without an offset, local to the destination. Alone: the latest
    /// departure that still arrives by then (one itinerary). With `depart`: a window (depart no
    /// earlier, arrive no later) for any objective or the front.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("examples" = ["2026-12-20T18:00+01:00", "2026-12-20T18:00"]))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "DATETIME"))]
    pub arrive_by: Option<String>,
    /// Wall-clock budget of the search in milliseconds: past it, the front found so far
    /// (`incomplete`) or `BudgetExceeded` if nothing was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 600000))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "MS"))]
    pub budget_ms: Option<u64>,
}

impl std::ops::Deref for RouteRequest {
    type Target = crate::options::LaneOptions;
    fn deref(&self) -> &crate::options::LaneOptions {
        &self.lane
    }
}

impl std::ops::DerefMut for RouteRequest {
    fn deref_mut(&mut self) -> &mut crate::options::LaneOptions {
        &mut self.lane
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Avoid {
    Country(String),
    Place(Vec<usize>),
    Mode(Mode),
    Link(String),
    Passage(String),
}

impl Avoid {
    fn kind(&self) -> &'static str {
        match self {
            Avoid::Country(_) => "country",
            Avoid::Place(_) => "place",
            Avoid::Mode(_) => "mode",
            Avoid::Link(_) => "link",
            Avoid::Passage(_) => "passage",
        }
    }
}

struct Plan {
    from: (String, Resolved),
    to: (String, Resolved),
    via: Vec<(String, Resolved)>,
    cargo: Cargo,
    commodity: Commodity,
    optimize: Optimize,
    avoid: Vec<(Avoid, String, String)>, // (avoid, value label, as typed)
    include_planned: bool,
    /// `Some(n)`: answer the Pareto front, at most n itineraries; `None`: one, for `optimize`.
    alternatives: Option<u32>,
    max_transshipments: Option<u32>,
    max_borders: Option<u32>,
    /// `--depart` as an instant.
    depart: Option<chrono::DateTime<chrono::Utc>>,
    /// `--arrive-by` as an instant.
    arrive_by: Option<chrono::DateTime<chrono::Utc>>,
    /// `--budget-ms` and the instant it runs out (from the start of planning).
    budget: Option<(u64, std::time::Instant)>,
    /// Whether the request gave `budget_ms` (then the answer echoes the budget that applied).
    echo_budget: bool,
    /// When planning started (budgets count from there).
    started: std::time::Instant,
    /// Reefer, dangerous goods, goods, customs regime.
    opts: CargoOptions,
    /// Per-arc filters and customs for this cargo.
    cons: Constraints,
}

impl Plan {
    fn deadline(&self) -> Option<std::time::Instant> {
        self.budget.map(|b| b.1)
    }
    fn out_of_time(&self) -> bool {
        self.deadline()
            .is_some_and(|d| std::time::Instant::now() >= d)
    }
    fn limits(&self) -> (Option<u32>, Option<u32>) {
        (self.max_borders, self.max_transshipments)
    }
    fn constrained(&self) -> bool {
        self.max_borders.is_some() || self.max_transshipments.is_some()
    }
}

/// Which constraints are active, for the search and for explaining a missing route.
#[derive(Clone, Copy)]
struct Active {
    commodity: bool,
    suspended: bool,
    planned: bool,
    n_avoid: usize,
    n_via: usize,
    /// Cargo constraint kinds in force (bits of `constraints::CUT_*`).
    cuts: u8,
}

impl Active {
    /// Every constraint of the plan.
    fn all(plan: &Plan) -> Active {
        Active {
            commodity: true,
            suspended: true,
            planned: !plan.include_planned,
            n_avoid: plan.avoid.len(),
            n_via: plan.via.len(),
            cuts: CUT_ALL,
        }
    }
}

/// The route engine over one network. Cheap to share (`&Engine` is `Sync`); the search
/// buffers are per thread.
pub struct Engine {
    net: Network,
    pareto: ParetoConfig,
    /// Per arc: CO2e (WTW, kg) per unit of activity (net t for per-tkm factors, TEU for
    /// per-TEU-km factors) over the arc, precomputed with the full method: emissions are linear
    /// in the cargo, so the search scales this instead of running the method per arc and query.
    arc_co2_per_unit: Vec<Option<(f64, corridor_data::EmissionBasis)>>,
    /// Measures door-to-door road legs on a real road network (else they are estimated).
    door_roads: Option<crate::door::SharedDoorRoads>,
    /// Services and closures indexed by arc and place (for clock queries).
    timetable: crate::timed::Timetable,
    /// The arcs each cargo rule and customs row covers (built once).
    rules: crate::constraints::RuleIndex,
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

impl Engine {
    /// Builds the engine over a checked dataset.
    pub fn new(ds: Dataset) -> Engine {
        let net = Network::build(ds);
        let timetable = crate::timed::Timetable::new(&net);
        let mut e = Engine {
            net,
            timetable,
            pareto: ParetoConfig::default(),
            arc_co2_per_unit: Vec::new(),
            door_roads: None,
            rules: Default::default(),
        };
        e.arc_co2_per_unit = e.precompute_arc_co2();
        e.rules = crate::constraints::RuleIndex::new(&e.net);
        e
    }

    /// CO2e per unit of activity for every arc (see `arc_co2_per_unit`).
    fn precompute_arc_co2(&self) -> Vec<Option<(f64, corridor_data::EmissionBasis)>> {
        let ds = &self.net.dataset;
        let set = FactorSet::from_dataset(ds);
        // A reference shipment of 1 t and 1 TEU: the factor's basis picks which one counts.
        let unit = em::Shipment {
            net_t: 1.0,
            teu: 1.0,
            containers: 1.0,
        };
        (0..self.net.arcs.len())
            .map(|ai| {
                let arc = &self.net.arcs[ai];
                let f = arc
                    .emission_factor
                    .map(|fi| &ds.emission_factors[fi as usize])?;
                let t = self.tce(ai, unit, Some(f));
                em::transport(&t, &set)
                    .ok()?
                    .co2e_kg
                    .map(|kg| (kg, f.basis))
            })
            .collect()
    }

    /// The arc as a transport chain element for a shipment.
    fn tce<'a>(
        &'a self,
        ai: usize,
        shipment: em::Shipment,
        factor: Option<&'a corridor_data::EmissionFactor>,
    ) -> Tce<'a> {
        let net = &self.net;
        let ds = &net.dataset;
        let arc = &net.arcs[ai];
        let mut t = Tce::new(
            &arc.link_id(ds),
            arc.mode,
            arc.distance_km,
            DistanceKind::Network,
            shipment,
            factor,
        );
        t.countries = arc
            .countries
            .iter()
            .map(|&i| net.countries[i as usize].clone())
            .collect();
        t
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

    /// The network.
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// The dataset.
    pub fn dataset(&self) -> &Dataset {
        &self.net.dataset
    }

    /// Which data answers come from.
    pub fn data_info(&self) -> DataInfo {
        let ds = &self.net.dataset;
        DataInfo {
            name: ds.meta.name.clone(),
            version: ds.meta.version.clone(),
            hash: ds.hash.clone(),
            as_of: ds.meta.as_of.clone(),
            origin: ds.label.clone(),
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
        if let Some(answer) = self.route_door(req, cap_ms)? {
            return Ok(answer);
        }
        let mut plan = self.plan(req)?;
        if let Some(cap) = cap_ms {
            let ms = plan.budget.map_or(cap, |(b, _)| b.min(cap));
            plan.budget = Some((ms, plan.started + std::time::Duration::from_millis(ms)));
        }
        let all = Active::all(&plan);
        if plan.depart.is_some() || plan.arrive_by.is_some() {
            return self.route_clock(&plan, all);
        }
        if let Some(n) = plan.alternatives {
            return self.route_front(&plan, all, n as usize);
        }
        let mut incomplete = false;
        let found = if plan.constrained() {
            // Borders and transshipments are resources: label-setting on the objective.
            let f = self.run_front(&plan, all, Some(plan.optimize), plan.limits());
            if f.paths.is_empty() && f.incomplete {
                return Err(self.budget_error(&plan, f.timed_out));
            }
            incomplete = f.incomplete;
            f.paths
                .into_iter()
                .min_by(|a, b| {
                    let k = |p: &FrontPath| {
                        Self::weight(plan.optimize, p.crit[TIME], p.crit[COST], p.crit[CO2E])
                    };
                    let (ka, kb) = (k(a), k(b));
                    ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
                })
                .map(|p| p.steps)
        } else {
            self.run(&plan, all).map(|(_, s)| s)
        };
        let Some(steps) = found else {
            return Err(self.explain_no_route(&plan));
        };
        let mut itinerary = self.itinerary(&plan, &steps);
        itinerary.labels = vec![plan.optimize.label().into()];
        let mut answer = self.answer(&plan, vec![itinerary], incomplete);
        if incomplete {
            // The best found before the budget ran out, not necessarily the optimum.
            answer.warnings.push(self.incomplete_warning(&plan));
        }
        Ok(answer)
    }

    /// The raw Pareto front of a request, as the answer without `optimize` starts from: the
    /// label-setting search over time, cost, CO2e and risk with the engine's ε and label
    /// budget, before the exact single-criterion optima are added and the list is cut to
    /// `alternatives`. For benchmarks and diagnostics: its size, the labels created and
    /// whether the budget ran out (`incomplete`).
    pub fn pareto_front(&self, req: &RouteRequest) -> Result<pareto::Front, QueryError> {
        let plan = self.plan(req)?;
        let all = Active::all(&plan);
        Ok(self.run_front(&plan, all, None, plan.limits()))
    }

    fn budget_error(&self, plan: &Plan, timed_out: bool) -> QueryError {
        match plan.budget {
            Some((ms, _)) if timed_out => QueryError::BudgetExceeded {
                message: format!(
                    "the search reached its time budget of {ms} ms before finding any route; give a larger budget (--budget-ms, API budget_ms, up to the server's), ask for one itinerary with --optimize time, or loosen --max-borders / --max-transshipments"
                ),
            },
            _ => QueryError::BudgetExceeded {
                message: format!(
                    "the multi-criteria search reached its budget of {} labels before finding any route; ask for one itinerary with --optimize time|cost|co2, or loosen --max-borders / --max-transshipments",
                    self.pareto.max_labels
                ),
            },
        }
    }

    /// The Pareto front, the exact single-criterion optima added, labelled and explained.
    fn route_front(&self, plan: &Plan, all: Active, n: usize) -> Result<RouteAnswer, QueryError> {
        let (ac, tc) = self.criteria(plan, true);
        let front = self.run_front_with(plan, all, None, plan.limits(), &ac, &tc);
        if front.paths.is_empty() {
            if front.incomplete {
                return Err(self.budget_error(plan, front.timed_out));
            }
            return Err(self.explain_no_route(plan));
        }
        let mut cands: Vec<FrontPath> = Vec::new();
        // The exact optima first (they win ties), unless limits apply that Dijkstra ignores.
        if !plan.constrained() {
            let border: Vec<f64> = self
                .net
                .arcs
                .iter()
                .map(|a| f64::from(u8::from(a.mode == Mode::Border)))
                .collect();
            let objectives: [fn(&Crit, f64) -> Weight; 5] = [
                |c, _| Weight(c[TIME], c[COST]),
                |c, _| Weight(c[COST], c[TIME]),
                |c, _| Weight(c[CO2E], c[TIME]),
                |c, _| Weight(c[RISK], c[TIME]),
                |c, b| Weight(b, c[TIME]),
            ];
            for obj in objectives {
                let aw: Vec<Weight> = ac.iter().zip(&border).map(|(c, &b)| obj(c, b)).collect();
                let tw: Vec<Weight> = tc.iter().map(|c| obj(c, 0.0)).collect();
                if let Some((_, steps)) = self.run_weighted(plan, all, &aw, &tw) {
                    let p = self.path_figures(&ac, &tc, steps);
                    if !cands.iter().any(|c| c.steps == p.steps) {
                        cands.push(p);
                    }
                }
            }
        }
        for p in front.paths {
            if !cands.iter().any(|c| c.steps == p.steps) {
                cands.push(p);
            }
        }
        self.front_answer(plan, cands, n, front.incomplete, None)
    }

    /// The answer for front candidates: the non-dominated ones, labelled (each criterion's
    /// best), at most `n`, fastest first, explained; with `clock`, clock times on every one.
    fn front_answer(
        &self,
        plan: &Plan,
        cands: Vec<FrontPath>,
        n: usize,
        incomplete: bool,
        clock: Option<(chrono::DateTime<chrono::Utc>, &crate::timed::Timetable)>,
    ) -> Result<RouteAnswer, QueryError> {
        // Only non-dominated ones (fewer borders counts as a win of its own).
        let dominated = |i: usize, cands: &[FrontPath]| {
            cands.iter().enumerate().any(|(j, o)| {
                j != i
                    && pareto::dominates_crit(&o.crit, &cands[i].crit)
                    && o.borders <= cands[i].borders
                    && (!pareto::dominates_crit(&cands[i].crit, &o.crit)
                        || o.borders < cands[i].borders
                        || j < i)
            })
        };
        let keep: Vec<bool> = (0..cands.len()).map(|i| !dominated(i, &cands)).collect();
        let mut cands: Vec<FrontPath> = cands
            .into_iter()
            .zip(keep)
            .filter_map(|(c, k)| k.then_some(c))
            .collect();
        // Labels; the first candidate wins ties.
        let argmin = |f: &dyn Fn(&FrontPath) -> f64, cands: &[FrontPath]| {
            let mut best = 0;
            for (i, c) in cands.iter().enumerate() {
                if f(c) < f(&cands[best]) - 1e-9 * (1.0 + f(&cands[best]).abs()) {
                    best = i;
                }
            }
            best
        };
        let mins: Crit = std::array::from_fn(|k| {
            cands
                .iter()
                .map(|c| c.crit[k])
                .fold(f64::INFINITY, f64::min)
        });
        let score = |c: &FrontPath| -> f64 {
            (0..3)
                .map(|k| {
                    if mins[k] > 0.0 {
                        c.crit[k] / mins[k]
                    } else {
                        1.0
                    }
                })
                .sum()
        };
        let picks = [
            ("fastest", argmin(&|c| c.crit[TIME], &cands)),
            ("cheapest", argmin(&|c| c.crit[COST], &cands)),
            ("lowest_co2e", argmin(&|c| c.crit[CO2E], &cands)),
            ("lowest_risk", argmin(&|c| c.crit[RISK], &cands)),
            ("fewest_borders", argmin(&|c| f64::from(c.borders), &cands)),
            ("balanced", argmin(&score, &cands)),
        ];
        let mut chosen: Vec<usize> = Vec::new();
        for (_, i) in picks {
            if !chosen.contains(&i) && chosen.len() < n {
                chosen.push(i);
            }
        }
        let mut rest: Vec<usize> = (0..cands.len()).filter(|i| !chosen.contains(i)).collect();
        rest.sort_by(|&a, &b| {
            score(&cands[a])
                .total_cmp(&score(&cands[b]))
                .then(a.cmp(&b))
        });
        for i in rest {
            if chosen.len() >= n {
                break;
            }
            chosen.push(i);
        }
        chosen.sort_by(|&a, &b| {
            cands[a].crit[TIME]
                .total_cmp(&cands[b].crit[TIME])
                .then(cands[a].crit[COST].total_cmp(&cands[b].crit[COST]))
                .then(a.cmp(&b))
        });
        let mut its: Vec<Itinerary> = Vec::new();
        for &i in &chosen {
            let steps = std::mem::take(&mut cands[i].steps);
            let mut it = self.itinerary(plan, &steps);
            if let Some((t0, tt)) = clock {
                self.clock(plan, &steps, &mut it, t0, tt);
            }
            it.labels = picks
                .iter()
                .filter(|(_, j)| *j == i)
                .map(|(l, _)| l.to_string())
                .collect();
            if it.labels.is_empty() {
                // On the front, but best at none of the criteria: a trade-off between them.
                it.labels.push("trade_off".into());
            }
            its.push(it);
        }
        explain(&mut its);
        Ok(self.answer(plan, its, incomplete))
    }

    /// The criteria of a found path, summed in the search's order.
    fn path_figures(&self, ac: &[Crit], tc: &[Crit], steps: Vec<Step>) -> FrontPath {
        let net = &self.net;
        let mut crit = [0.0; 4];
        let (mut borders, mut trans) = (0, 0);
        for st in &steps {
            let arc = &net.arcs[st.arc];
            let here = arc.from as usize;
            let mut t = [0.0; 4];
            if let Ok(Some(_)) = net.transfer(here, st.before, st.after) {
                if let Some(ri) = net.transfer_index(here, st.before, st.after) {
                    t = tc[ri];
                    trans += 1;
                }
            }
            for k in 0..4 {
                crit[k] += t[k] + ac[st.arc][k];
            }
            if arc.mode == Mode::Border {
                borders += 1;
            }
        }
        FrontPath {
            crit,
            borders,
            transshipments: trans,
            steps,
        }
    }

    fn resolve(&self, field: &str, input: &str) -> Result<Resolved, QueryError> {
        let ds = &self.net.dataset;
        ds.resolve(input)
            .map_err(|e| QueryError::from_name(field, e))
    }

    fn plan(&self, req: &RouteRequest) -> Result<Plan, QueryError> {
        let started = std::time::Instant::now();
        let ds = &self.net.dataset;
        if req.via.len() > MAX_VIA {
            return Err(QueryError::TooBig {
                message: format!("{} via places given; at most {MAX_VIA}", req.via.len()),
            });
        }
        if req.avoid.len() > MAX_AVOID {
            return Err(QueryError::TooBig {
                message: format!("{} avoid items given; at most {MAX_AVOID}", req.avoid.len()),
            });
        }
        let (cargo, commodity, optimize, avoid, opts) = self.options(req)?;
        let from = (req.from.clone(), self.resolve("from", &req.from)?);
        let to = (req.to.clone(), self.resolve("to", &req.to)?);
        let mut via = Vec::new();
        for v in &req.via {
            via.push((v.clone(), self.resolve("via", v)?));
        }
        // Contradictions that no search can resolve.
        let overlap = from.1.places.iter().any(|p| to.1.places.contains(p));
        if overlap {
            return Err(QueryError::InvalidQuery {
                message: format!("from '{}' and to '{}' are the same place", req.from, req.to),
            });
        }
        let endpoints = std::iter::once(("from", &from))
            .chain(std::iter::once(("to", &to)))
            .chain(via.iter().map(|v| ("via", v)));
        for (field, (input, r)) in endpoints {
            for (a, label, typed) in &avoid {
                let hit = r.places.iter().all(|&p| {
                    let pl = &ds.places[p];
                    match a {
                        Avoid::Country(c) => &pl.country == c,
                        Avoid::Place(ps) => ps.contains(&p),
                        _ => false,
                    }
                });
                if hit {
                    return Err(QueryError::InvalidQuery {
                        message: format!(
                            "contradictory constraints: {field} '{input}' is in the avoided {} {label} (--avoid {typed})",
                            a.kind()
                        ),
                    });
                }
            }
        }
        let alternatives = match (&req.optimize, req.alternatives) {
            (Some(_), None) => None,
            (None, n) => Some(n.unwrap_or(DEFAULT_ALTERNATIVES)),
            (Some(o), Some(_)) => {
                return Err(QueryError::InvalidQuery {
                    message: format!("--optimize {o} asks for one itinerary and --alternatives for several: give one of them"),
                })
            }
        };
        let instant = |field: &str, v: &Option<String>, place: usize| match v {
            None => Ok(None),
            Some(d) => {
                let tz = crate::timed::zone(ds, place);
                let bad = |m: String| QueryError::InvalidValue {
                    field: field.into(),
                    message: m,
                    suggestions: vec![],
                };
                let t = crate::timed::parse_depart(d, tz).map_err(bad)?;
                // Timetables are searched 400 days around it: keep the clock arithmetic far
                // from the ends of the calendar.
                use chrono::Datelike;
                if !(1970..=2200).contains(&t.year()) {
                    return Err(bad(format!(
                        "'{d}' is outside the years 1970 to 2200 that timetables are searched in"
                    )));
                }
                Ok(Some(t))
            }
        };
        // A time without offset is local to the origin for `depart`, to the destination for
        // `arrive_by`.
        let depart = instant("depart", &req.depart, from.1.places[0])?;
        let arrive_by = instant("arrive_by", &req.arrive_by, to.1.places[0])?;
        if let (Some(d), Some(a)) = (depart, arrive_by) {
            if a <= d {
                return Err(QueryError::InvalidQuery {
                    message: format!(
                        "--arrive-by {} is not after --depart {}: give a window that ends after it starts",
                        crate::timed::fmt_utc(a),
                        crate::timed::fmt_utc(d)
                    ),
                });
            }
        }
        if arrive_by.is_some() && depart.is_none() {
            if optimize != Optimize::Time || req.alternatives.is_some() {
                return Err(QueryError::InvalidQuery {
                    message: "--arrive-by alone answers the latest departure (one itinerary, by time): for the cheapest, the lowest CO2e or the front arriving by then, give --depart too (a window: depart no earlier, arrive no later)".into(),
                });
            }
            if req.max_borders.is_some() || req.max_transshipments.is_some() {
                return Err(QueryError::InvalidQuery {
                    message: "--arrive-by alone does not combine with --max-borders / --max-transshipments: give --depart too (a window)".into(),
                });
            }
        }
        let alternatives = if arrive_by.is_some() && depart.is_none() {
            None
        } else {
            alternatives
        };
        let budget = req
            .budget_ms
            .map(|ms| (ms, started + std::time::Duration::from_millis(ms)));
        let cons = Constraints::new(&self.net, &self.rules, &opts, &cargo, commodity)?;
        Ok(Plan {
            opts,
            cons,
            depart,
            arrive_by,
            budget,
            echo_budget: req.budget_ms.is_some(),
            started,
            from,
            to,
            via,
            cargo,
            commodity,
            optimize,
            avoid,
            include_planned: req.include_planned,
            alternatives,
            max_transshipments: req.max_transshipments,
            max_borders: req.max_borders,
        })
    }

    /// Parses and checks the request's options (cargo, commodity, objective, constraints),
    /// everything but the places: request-wide errors come before any place is looked up.
    #[allow(clippy::type_complexity)]
    fn options(
        &self,
        req: &RouteRequest,
    ) -> Result<
        (
            Cargo,
            Commodity,
            Optimize,
            Vec<(Avoid, String, String)>,
            CargoOptions,
        ),
        QueryError,
    > {
        let cargo = match &req.cargo {
            None => Cargo::default(),
            Some(s) => Cargo::parse(s).map_err(|e| match e {
                CargoError::TooBig(m) => QueryError::TooBig { message: m },
                CargoError::Syntax(m) | CargoError::NotPositive(m) => QueryError::InvalidValue {
                    field: "cargo".into(),
                    message: m,
                    suggestions: vec![],
                },
            })?,
        };
        let cargo = match req.payload_t_per_teu {
            None => cargo,
            Some(p) => cargo
                .with_payload(p)
                .map_err(|e| QueryError::InvalidValue {
                    field: "payload_t_per_teu".into(),
                    message: match e {
                        CargoError::Syntax(m)
                        | CargoError::NotPositive(m)
                        | CargoError::TooBig(m) => m,
                    },
                    suggestions: vec![],
                })?,
        };
        let commodity = match &req.commodity {
            None => {
                if cargo.is_boxes() {
                    Commodity::Container
                } else {
                    Commodity::Bulk
                }
            }
            Some(s) => Commodity::parse(s).ok_or_else(|| QueryError::InvalidValue {
                field: "commodity".into(),
                message: format!("'{s}' is not one of container, bulk, liquid, gas"),
                suggestions: vec![],
            })?,
        };
        if cargo.is_boxes() && commodity == Commodity::Gas {
            return Err(QueryError::InvalidQuery {
                message: "gas moves by pipeline, not in containers: give the cargo in tonnes (e.g. --cargo 100000t --commodity gas)".into(),
            });
        }
        if cargo.is_boxes() && commodity == Commodity::Bulk {
            return Err(QueryError::InvalidQuery {
                message: "bulk cargo is not in containers: give it in tonnes (e.g. --cargo 500t) or use --commodity container".into(),
            });
        }
        if !cargo.is_boxes() && commodity == Commodity::Container {
            // Containerised cargo given as tonnage: fine, TEU follow from the default payload.
        }
        let optimize = match &req.optimize {
            None => Optimize::Time,
            Some(s) => Optimize::parse(s).ok_or_else(|| QueryError::InvalidValue {
                field: "optimize".into(),
                message: format!("'{s}' is not one of time, cost, co2"),
                suggestions: vec![],
            })?,
        };
        if let Some(n) = req.alternatives {
            if n == 0 || n > MAX_ALTERNATIVES {
                return Err(QueryError::InvalidValue {
                    field: "alternatives".into(),
                    message: format!("{n} alternatives asked for; give 1 to {MAX_ALTERNATIVES}"),
                    suggestions: vec![],
                });
            }
        }
        if let Some(ms) = req.budget_ms {
            if ms > MAX_BUDGET_MS {
                return Err(QueryError::InvalidValue {
                    field: "budget_ms".into(),
                    message: format!("{ms} ms asked for; give 0 to {MAX_BUDGET_MS} (ten minutes)"),
                    suggestions: vec![],
                });
            }
        }
        let mut avoid = Vec::new();
        for a in &req.avoid {
            let parsed = self.parse_avoid(a)?;
            avoid.push(parsed);
        }
        let opts = CargoOptions::parse(
            req.reefer,
            req.dangerous_goods.as_deref(),
            req.goods.as_deref(),
            req.customs.as_deref(),
            commodity,
        )?;
        Ok((cargo, commodity, optimize, avoid, opts))
    }

    /// Checks a request's options without routing (used by tables before any cell runs).
    pub fn check_options(&self, req: &RouteRequest) -> Result<(), QueryError> {
        self.options(req).map(|_| ())
    }

    fn parse_avoid(&self, s: &str) -> Result<(Avoid, String, String), QueryError> {
        let ds = &self.net.dataset;
        let net = &self.net;
        let bad = |msg: String, suggestions: Vec<String>| QueryError::InvalidValue {
            field: "avoid".into(),
            message: msg,
            suggestions,
        };
        let (kind, value) = match s.split_once(':') {
            Some((k, v)) => (Some(k.trim().to_ascii_lowercase()), v.trim().to_string()),
            None => (None, s.trim().to_string()),
        };
        if value.is_empty() {
            return Err(bad(
                format!("'{s}' has no value: write e.g. country:RU"),
                vec![],
            ));
        }
        let country = |v: &str| {
            let up = v.to_ascii_uppercase();
            net.countries.contains(&up).then_some(up)
        };
        let passage = |v: &str| {
            let low = v.to_ascii_lowercase().replace(['-', ' '], "_");
            corridor_data::validate::PASSAGES
                .contains(&low.as_str())
                .then_some(low)
        };
        let link = |v: &str| {
            ds.links
                .iter()
                .any(|l| l.id == v || format!("{}~r", l.id) == v)
        };
        let res = match kind.as_deref() {
            Some("country") => match country(&value) {
                Some(c) => Avoid::Country(c),
                None if value.len() == 2 && value.chars().all(|c| c.is_ascii_alphabetic()) => {
                    // A valid code that is not in the data: nothing to avoid, but say so.
                    Avoid::Country(value.to_ascii_uppercase())
                }
                None => {
                    return Err(bad(
                        format!("country '{value}' is not an ISO 3166-1 alpha-2 code (e.g. RU, KZ)"),
                        vec![],
                    ))
                }
            },
            Some("place") => Avoid::Place(self.resolve("avoid", &value)?.places),
            Some("mode") => Avoid::Mode(Mode::parse(&value).ok_or_else(|| {
                bad(
                    format!("mode '{value}' is not one of road, rail, sea, ferry, iww, air, pipeline, border"),
                    vec![],
                )
            })?),
            Some("link") => {
                if !link(&value) {
                    let hint = corridor_data::validate::suggest_id(&value, ds.links.iter().map(|l| l.id.as_str()));
                    return Err(bad(format!("link '{value}' is not in the data{hint}"), vec![]));
                }
                Avoid::Link(value.clone())
            }
            Some("passage") => Avoid::Passage(passage(&value).ok_or_else(|| {
                bad(
                    format!(
                        "passage '{value}' is unknown (known: {})",
                        corridor_data::validate::PASSAGES.join(", ")
                    ),
                    vec![],
                )
            })?),
            Some(k) => {
                return Err(bad(
                    format!("'{k}' is not one of country, place, mode, link, passage"),
                    vec![],
                ))
            }
            None => {
                // Bare value: accept it where it is unambiguous.
                let mut cands: Vec<Avoid> = Vec::new();
                if let Some(c) = country(&value) {
                    cands.push(Avoid::Country(c));
                }
                if let Some(m) = Mode::parse(&value) {
                    cands.push(Avoid::Mode(m));
                }
                if let Some(p) = passage(&value) {
                    cands.push(Avoid::Passage(p));
                }
                if link(&value) {
                    cands.push(Avoid::Link(value.clone()));
                }
                if let Ok(r) = ds.resolve(&value) {
                    cands.push(Avoid::Place(r.places));
                }
                match cands.len() {
                    1 => cands.remove(0),
                    0 => return Err(bad(
                        format!("'{value}' is not a known country, place, mode, link or passage: write kind:value, e.g. country:RU"),
                        vec![],
                    )),
                    _ => {
                        let kinds: Vec<String> = cands.iter().map(|c| format!("{}:{value}", c.kind())).collect();
                        return Err(bad(
                            format!("'{value}' is ambiguous: write one of {}", kinds.join(", ")),
                            kinds,
                        ));
                    }
                }
            }
        };
        let label = match &res {
            Avoid::Country(c) => c.clone(),
            Avoid::Place(ps) => ps
                .iter()
                .map(|&p| ds.places[p].id.clone())
                .collect::<Vec<_>>()
                .join("|"),
            Avoid::Mode(m) => m.to_string(),
            Avoid::Link(l) => l.clone(),
            Avoid::Passage(p) => p.clone(),
        };
        Ok((res, label, s.to_string()))
    }

    fn allowed(&self, plan: &Plan, act: Active) -> Vec<bool> {
        let net = &self.net;
        let ds = &net.dataset;
        let avoid = &plan.avoid[..act.n_avoid];
        net.arcs
            .iter()
            .enumerate()
            .map(|(ai, arc)| {
                if !plan.cons.allows(ai, act.cuts) {
                    return false;
                }
                if act.commodity {
                    if arc.commodities & plan.commodity.bit() == 0 {
                        return false;
                    }
                    // Boxes neither flow through pipelines nor fly: an ISO container is not an
                    // air cargo unit (air freight is loose cargo priced per kg).
                    if matches!(arc.mode, Mode::Pipeline | Mode::Air) && plan.cargo.is_boxes() {
                        return false;
                    }
                }
                match arc.status {
                    Status::Operating => {}
                    Status::Suspended if act.suspended => return false,
                    Status::Planned | Status::UnderConstruction if act.planned => return false,
                    _ => {}
                }
                for (a, _, _) in avoid {
                    let hit = match a {
                        Avoid::Country(c) => arc
                            .countries
                            .iter()
                            .any(|&i| &net.countries[i as usize] == c),
                        Avoid::Place(ps) => {
                            ps.contains(&(arc.from as usize)) || ps.contains(&(arc.to as usize))
                        }
                        Avoid::Mode(m) => arc.mode == *m,
                        Avoid::Link(id) => {
                            let l = &ds.links[arc.link as usize];
                            if let Some(base) = id.strip_suffix("~r") {
                                arc.reversed && l.id == base
                            } else {
                                l.id == *id
                            }
                        }
                        Avoid::Passage(p) => {
                            arc.passages.iter().any(|&i| &net.passages[i as usize] == p)
                        }
                    };
                    if hit {
                        return false;
                    }
                }
                true
            })
            .collect()
    }

    /// Per-arc (time h, cost USD) for the plan's cargo.
    fn arc_figures(&self, plan: &Plan, ai: usize) -> (f64, f64) {
        let net = &self.net;
        let arc = &net.arcs[ai];
        let time = arc.moving_h.typical + arc.wait_h.typical + self.arc_dwell(plan, ai).typical;
        let containerised = plan.commodity == Commodity::Container;
        let cost = arc
            .price
            .map(|p| {
                plan.cargo.units(p.unit, containerised) * (p.fixed + p.per_km * arc.distance_km)
            })
            .unwrap_or(0.0);
        let fee = plan.cons.customs[ai].as_ref().map_or(0.0, |c| c.fee_usd);
        (time, cost + fee)
    }

    /// Dwell on an arc: the customs regime's where one applies, else the link's.
    fn arc_dwell(&self, plan: &Plan, ai: usize) -> corridor_data::Range3 {
        match &plan.cons.customs[ai] {
            Some(c) => c.dwell_h,
            None => self.net.arcs[ai].dwell_h,
        }
    }

    /// The cargo as the emission method sees it.
    fn shipment(&self, plan: &Plan) -> em::Shipment {
        let containerised = plan.commodity == Commodity::Container;
        em::Shipment {
            net_t: plan.cargo.net_t(),
            teu: plan.cargo.teu(),
            containers: if containerised {
                plan.cargo.boxes()
            } else {
                0.0
            },
        }
    }

    fn place_info(&self, p: usize) -> PlaceInfo {
        let pl = &self.net.dataset.places[p];
        PlaceInfo {
            id: pl.id.clone(),
            name: pl.name.clone(),
            country: pl.country.clone(),
            lat: pl.lat,
            lon: pl.lon,
        }
    }

    /// The arc as a transport chain element (ISO 14083 / GLEC, `corridor-emissions`).
    fn arc_emissions(&self, plan: &Plan, ai: usize) -> em::TceResult {
        let net = &self.net;
        let ds = &net.dataset;
        let arc = &net.arcs[ai];
        let factor = arc
            .emission_factor
            .map(|fi| &ds.emission_factors[fi as usize]);
        let t = self.tce(ai, self.shipment(plan), factor);
        em::transport(&t, &FactorSet::from_dataset(ds)).unwrap_or_else(|e| em::TceResult {
            id: t.id.clone(),
            mode: arc.mode.as_str().into(),
            distance_km: arc.distance_km,
            distance_kind: DistanceKind::Network,
            emission_distance_km: arc.distance_km,
            tkm: plan.cargo.net_t() * arc.distance_km,
            teu_km: plan.cargo.teu() * arc.distance_km,
            energy_mj: None,
            co2e_kg: None,
            co2e_ttw_kg: None,
            co2e_wtt_kg: None,
            intensity_g_per_tkm: None,
            factor: None,
            grid: vec![],
            pollutants: vec![],
            missing: Some(e.message),
        })
    }

    /// The hub operation of a transfer rule at a place.
    fn hub_emissions(&self, plan: &Plan, rule: &Transfer, place: usize) -> em::HocResult {
        let ds = &self.net.dataset;
        let ship_side = rule.from.carries == Carries::Box || rule.to.carries == Carries::Box;
        let set = FactorSet::from_dataset(ds);
        let pl = &ds.places[place];
        em::hub(&em::Hoc {
            id: format!("{}:{}", pl.id, rule.kind.as_str()),
            kind: rule.kind,
            place: pl.id.clone(),
            country: pl.country.clone(),
            shipment: self.shipment(plan),
            factor: set.hub_for(rule.kind, ship_side),
        })
    }

    fn weight(optimize: Optimize, time: f64, cost: f64, co2: f64) -> Weight {
        match optimize {
            Optimize::Time => Weight(time, cost),
            Optimize::Cost => Weight(cost, time),
            Optimize::Co2 => Weight(co2, time),
        }
    }

    /// Per-arc and per-transfer-rule criteria `[time h, cost USD, CO2e kg, risk h]` for the
    /// plan's cargo. CO2e only `with_co2` (it is the costliest figure); else 0.
    fn criteria(&self, plan: &Plan, with_co2: bool) -> (Vec<Crit>, Vec<Crit>) {
        let net = &self.net;
        let ds = &net.dataset;
        let arc_crit: Vec<Crit> = (0..net.arcs.len())
            .map(|ai| {
                let arc = &net.arcs[ai];
                let (t, c) = self.arc_figures(plan, ai);
                let e = if with_co2 {
                    match self.arc_co2_per_unit[ai] {
                        Some((kg, corridor_data::EmissionBasis::Tkm)) => kg * plan.cargo.net_t(),
                        Some((kg, corridor_data::EmissionBasis::TeuKm)) => kg * plan.cargo.teu(),
                        None => 0.0,
                    }
                } else {
                    0.0
                };
                let dwell = self.arc_dwell(plan, ai);
                let r = (dwell.high - dwell.typical).max(0.0)
                    + (arc.wait_h.high - arc.wait_h.typical).max(0.0);
                [t, c, e, r]
            })
            .collect();
        let containerised = plan.commodity == Commodity::Container;
        let set = FactorSet::from_dataset(ds);
        let transfer_crit: Vec<Crit> = ds
            .transfers
            .iter()
            .map(|t| {
                let cost = t
                    .price
                    .as_ref()
                    .map(|p| {
                        p.fixed
                            * ds.usd_per(&p.currency).unwrap_or(0.0)
                            * plan.cargo.units(p.unit, containerised)
                    })
                    .unwrap_or(0.0);
                let co2 = if with_co2 {
                    let ship_side = t.from.carries == Carries::Box || t.to.carries == Carries::Box;
                    em::hub(&em::Hoc {
                        id: String::new(),
                        kind: t.kind,
                        place: String::new(),
                        country: String::new(),
                        shipment: self.shipment(plan),
                        factor: set.hub_for(t.kind, ship_side),
                    })
                    .co2e_kg
                    .unwrap_or(0.0)
                } else {
                    0.0
                };
                let r = (t.hours.high - t.hours.typical).max(0.0);
                [t.hours.typical, cost, co2, r]
            })
            .collect();
        (arc_crit, transfer_crit)
    }

    /// Targets and via masks of the plan.
    fn masks(&self, plan: &Plan, act: Active) -> (Vec<bool>, Vec<Vec<bool>>) {
        let n = self.net.dataset.places.len();
        let mut is_target = vec![false; n];
        for &p in &plan.to.1.places {
            is_target[p] = true;
        }
        let vias: Vec<Vec<bool>> = plan.via[..act.n_via]
            .iter()
            .map(|(_, r)| {
                let mut m = vec![false; n];
                for &p in &r.places {
                    m[p] = true;
                }
                m
            })
            .collect();
        (is_target, vias)
    }

    fn run(&self, plan: &Plan, act: Active) -> Option<(Weight, Vec<Step>)> {
        let (ac, tc) = self.criteria(plan, plan.optimize == Optimize::Co2);
        let w = |c: &Crit| Self::weight(plan.optimize, c[TIME], c[COST], c[CO2E]);
        let aw: Vec<Weight> = ac.iter().map(w).collect();
        let tw: Vec<Weight> = tc.iter().map(w).collect();
        self.run_weighted(plan, act, &aw, &tw)
    }

    fn run_weighted(
        &self,
        plan: &Plan,
        act: Active,
        arc_weight: &[Weight],
        transfer_weight: &[Weight],
    ) -> Option<(Weight, Vec<Step>)> {
        let net = &self.net;
        let allowed = self.allowed(plan, act);
        let (is_target, vias) = self.masks(plan, act);
        let input = SearchInput {
            allowed: &allowed,
            arc_weight,
            transfer_weight,
            sources: &plan.from.1.places,
            is_target: &is_target,
            vias: &vias,
        };
        WORKSPACE.with(|ws| shortest(net, &input, &mut ws.borrow_mut()))
    }

    /// The Pareto search under the plan's limits: over all four criteria (`objective` None),
    /// or over one (a constrained single-objective query, exact: ε = 0).
    fn run_front(
        &self,
        plan: &Plan,
        act: Active,
        objective: Option<Optimize>,
        limits: (Option<u32>, Option<u32>),
    ) -> pareto::Front {
        let with_co2 = objective.is_none_or(|o| o == Optimize::Co2);
        let (ac, tc) = self.criteria(plan, with_co2);
        self.run_front_with(plan, act, objective, limits, &ac, &tc)
    }

    fn run_front_with(
        &self,
        plan: &Plan,
        act: Active,
        objective: Option<Optimize>,
        limits: (Option<u32>, Option<u32>),
        ac: &[Crit],
        tc: &[Crit],
    ) -> pareto::Front {
        let k = objective.map(|o| match o {
            Optimize::Time => TIME,
            Optimize::Cost => COST,
            Optimize::Co2 => CO2E,
        });
        self.front_search(plan, act, k, false, limits, ac, tc, |ai, t, tr| {
            Some(t + (tr + ac[ai][TIME]))
        })
    }

    /// The label-setting search over all four criteria (`objective` None, the engine's ε), or
    /// over one criterion (exact, ε = 0), with the time criterion in dominance too if
    /// `with_time`; `arc_time` as in [`pareto::front_with`]. `with_time` is the search on the
    /// clock; without it the time is the sum of the arcs' figures (`arc_time` must be that
    /// sum) and [`pareto::front`] runs, which can bound the time left from below.
    #[allow(clippy::too_many_arguments)]
    fn front_search(
        &self,
        plan: &Plan,
        act: Active,
        objective: Option<usize>,
        with_time: bool,
        (max_borders, max_transshipments): (Option<u32>, Option<u32>),
        ac: &[Crit],
        tc: &[Crit],
        arc_time: impl FnMut(usize, f64, f64) -> Option<f64>,
    ) -> pareto::Front {
        let allowed = self.allowed(plan, act);
        let (is_target, vias) = self.masks(plan, act);
        let (active, order, config) = match objective {
            None => ([true; 4], [TIME, COST, CO2E, RISK], self.pareto),
            Some(k) => {
                let mut active = [false; 4];
                active[k] = true;
                active[TIME] |= with_time;
                let order = match k {
                    TIME => [TIME, COST, CO2E, RISK],
                    COST => [COST, TIME, CO2E, RISK],
                    CO2E => [CO2E, TIME, COST, RISK],
                    _ => [RISK, TIME, COST, CO2E],
                };
                (
                    active,
                    order,
                    ParetoConfig {
                        epsilon: 0.0,
                        ..self.pareto
                    },
                )
            }
        };
        let input = ParetoInput {
            allowed: &allowed,
            arc_crit: ac,
            transfer_crit: tc,
            sources: &plan.from.1.places,
            is_target: &is_target,
            vias: &vias,
            active,
            order,
            max_borders,
            max_transshipments,
            config,
            deadline: plan.deadline(),
        };
        if with_time {
            pareto::front_with(&self.net, &input, arc_time)
        } else {
            pareto::front(&self.net, &input)
        }
    }

    /// Adds constraints one at a time; the first whose addition leaves no route is named.
    fn explain_no_route(&self, plan: &Plan) -> QueryError {
        let from = &plan.from.1.label;
        let to = &plan.to.1.label;
        let mut act = Active {
            commodity: false,
            suspended: false,
            planned: false,
            n_avoid: 0,
            n_via: 0,
            cuts: 0,
        };
        if self.run(plan, act).is_none() {
            return QueryError::NoRoute {
                message: format!(
                    "no route from {from} to {to}: they are not connected in the network (even with every constraint lifted); check the data's links"
                ),
                constraint: None,
            };
        }
        let mut ladder: Vec<(Active, String, String)> = Vec::new();
        act.commodity = true;
        ladder.push((
            act,
            format!(
                "--commodity {} with --cargo {}",
                plan.commodity.as_str(),
                plan.cargo.label()
            ),
            format!(
                "no route between {from} and {to} carries {} as {} (containers do not fly or flow through pipelines: give air or pipeline cargo in tonnes, e.g. --cargo 2t)",
                plan.commodity.as_str(),
                plan.cargo.label()
            ),
        ));
        act.suspended = true;
        ladder.push((
            act,
            "suspended links".into(),
            "the only routes use suspended links".into(),
        ));
        if !plan.include_planned {
            act.planned = true;
            ladder.push((
                act,
                "planned links excluded".into(),
                "the only routes use planned or under-construction links: add --include-planned to consider them".into(),
            ));
        }
        for i in 0..plan.avoid.len() {
            act.n_avoid = i + 1;
            let typed = &plan.avoid[i].2;
            ladder.push((
                act,
                format!("--avoid {typed}"),
                format!("--avoid {typed} cut off the last route (routes exist without it)"),
            ));
        }
        let cut_steps = plan.cons.ladder(&plan.opts, &plan.cargo);
        for (bit, name, why) in cut_steps {
            act.cuts |= bit;
            ladder.push((act, name, why));
        }
        for i in 0..plan.via.len() {
            act.n_via = i + 1;
            let typed = &plan.via[i].0;
            ladder.push((
                act,
                format!("--via {typed}"),
                format!(
                    "--via {typed} cannot be reached and left again under the other constraints"
                ),
            ));
        }
        // With every constraint but the planned-link exclusion, is there a route? Then say so.
        let planned_hint = !plan.include_planned
            && self
                .run(
                    plan,
                    Active {
                        planned: false,
                        ..ladder.last().map(|l| l.0).unwrap_or(act)
                    },
                )
                .is_some();
        let mut prev: Option<Active> = None;
        for (a, constraint, why) in ladder {
            if self.run(plan, a).is_none() {
                // A cargo constraint: name the rules that cut the route found without it.
                let added = a.cuts & !prev.map_or(0, |p| p.cuts);
                let why = if added != 0 {
                    let mut rs = prev
                        .and_then(|p| self.run(plan, p))
                        .map(|(_, steps)| plan.cons.reasons(steps.iter().map(|s| s.arc), added))
                        .unwrap_or_default();
                    if rs.is_empty() {
                        rs = plan.cons.all_reasons(added, 5);
                    }
                    format!("{why}; it was cut at: {}", rs.join("; "))
                } else {
                    why
                };
                let hint = if planned_hint && constraint != "planned links excluded" {
                    " (a route exists over planned or under-construction links: add --include-planned)"
                } else {
                    ""
                };
                return QueryError::NoRoute {
                    message: format!("no route from {from} to {to}: {why}{hint}"),
                    constraint: Some(constraint),
                };
            }
            prev = Some(a);
        }
        // Every other constraint leaves a route: the limits on borders and transshipments
        // cut it off. Add them one at a time (time only, exact).
        let full = Active::all(plan);
        let mut limited = (None, None);
        let limits = [
            ("--max-borders", plan.max_borders, "borders crossed"),
            (
                "--max-transshipments",
                plan.max_transshipments,
                "transshipments (lifts, gauge changes)",
            ),
        ];
        for (flag, limit, what) in limits {
            let Some(n) = limit else { continue };
            if flag == "--max-borders" {
                limited.0 = Some(n);
            } else {
                limited.1 = Some(n);
            }
            let f = self.run_front(plan, full, Some(Optimize::Time), limited);
            if f.paths.is_empty() && !f.incomplete {
                // Say so when the limit alone leaves a route and the cargo constraints do not.
                let without = Active { cuts: 0, ..full };
                let g = self.run_front(plan, without, Some(Optimize::Time), limited);
                let hint = if !g.paths.is_empty() && plan.cons.cut.iter().any(|&m| m != 0) {
                    format!(
                        "; with the cargo constraints ({}) in force — without them a route within the limit exists",
                        crate::constraints::flags(&plan.opts, &plan.cargo).join(", ")
                    )
                } else {
                    String::new()
                };
                return QueryError::NoRoute {
                    message: format!(
                        "no route from {from} to {to}: {flag} {n} cut off the last route (every route needs more {what}){hint}"
                    ),
                    constraint: Some(format!("{flag} {n}")),
                };
            }
        }
        QueryError::NoRoute {
            message: format!("no route from {from} to {to}"),
            constraint: None,
        }
    }

    /// Earliest-arrival search; on failure, the closures that blocked an arc.
    fn run_timed(
        &self,
        plan: &Plan,
        act: Active,
        t0: chrono::DateTime<chrono::Utc>,
        closures: bool,
    ) -> Result<(f64, Vec<Step>), BTreeSet<usize>> {
        let net = &self.net;
        let (ac, tc) = self.criteria(plan, false);
        let aw: Vec<Weight> = ac.iter().map(|c| Weight(c[TIME], c[COST])).collect();
        let tw: Vec<Weight> = tc.iter().map(|c| Weight(c[TIME], c[COST])).collect();
        let allowed = self.allowed(plan, act);
        let (is_target, vias) = self.masks(plan, act);
        let input = SearchInput {
            allowed: &allowed,
            arc_weight: &aw,
            transfer_weight: &tw,
            sources: &plan.from.1.places,
            is_target: &is_target,
            vias: &vias,
        };
        let mut blocked = BTreeSet::new();
        let found = WORKSPACE.with(|ws| {
            crate::search::shortest_with(net, &input, &mut ws.borrow_mut(), |ai, w| {
                let (_, arr_h) = self.arc_clock(plan, ai, w.0, t0, closures, &mut blocked)?;
                Some(Weight(arr_h, w.1 + aw[ai].1))
            })
        });
        found.map(|(w, s)| (w.0, s)).ok_or(blocked)
    }

    /// (departure, arrival) in hours after `t0` of an arc boarded at `ready_h`: the wait is
    /// until the next timetabled departure, or the expected wait.
    ///
    /// With `closures`, a closed link or place is not offered: on a timetabled link the cargo
    /// waits for the first departure that is not closed; elsewhere the arc is cut (the closures
    /// that cut or delayed something go into `blocked`).
    fn arc_clock(
        &self,
        plan: &Plan,
        ai: usize,
        ready_h: f64,
        t0: chrono::DateTime<chrono::Utc>,
        closures: bool,
        blocked: &mut BTreeSet<usize>,
    ) -> Option<(f64, f64)> {
        use crate::timed::{at, hours};
        let tt = &self.timetable;
        let arc = &self.net.arcs[ai];
        // The dwell of the plan's customs regime where one applies.
        let trip = arc.moving_h.typical + self.arc_dwell(plan, ai).typical;
        if !tt.is_timetabled(ai) {
            let dep_h = ready_h + arc.wait_h.typical;
            if closures {
                if let Some(ci) = tt.closure(&self.net, ai, at(t0, dep_h), at(t0, dep_h + trip)) {
                    blocked.insert(ci);
                    return None;
                }
            }
            return Some((dep_h, dep_h + trip));
        }
        let mut ready = at(t0, ready_h);
        // A closure lasts days; a few hundred skipped departures cover any plausible one.
        for _ in 0..500 {
            let dep = tt.next_departure(&self.net, ai, ready)?;
            let dep_h = hours(t0, dep).max(ready_h);
            if closures {
                if let Some(ci) = tt.closure(&self.net, ai, dep, at(t0, dep_h + trip)) {
                    blocked.insert(ci);
                    ready = dep + chrono::Duration::minutes(1);
                    continue;
                }
            }
            return Some((dep_h, dep_h + trip));
        }
        None
    }

    /// Puts clock times on the legs and totals of a timed itinerary; timetabled waits replace
    /// the expected ones.
    fn clock(
        &self,
        plan: &Plan,
        steps: &[Step],
        it: &mut Itinerary,
        t0: chrono::DateTime<chrono::Utc>,
        tt: &crate::timed::Timetable,
    ) {
        use crate::timed::{at, fmt_local, fmt_utc};
        let net = &self.net;
        let mut t = 0.0;
        let mut legs = it.legs.iter_mut();
        let mut extra_wait = 0.0;
        for st in steps {
            let arc = &net.arcs[st.arc];
            let here = arc.from as usize;
            if let Ok(Some(rule)) = net.transfer(here, st.before, st.after) {
                t += rule.hours.typical;
            }
            let Some((dep, arr)) = self.arc_clock(plan, st.arc, t, t0, true, &mut BTreeSet::new())
            else {
                return;
            };
            if arc.mode != Mode::Border {
                if let Some(leg) = legs.next() {
                    let (zf, zt) = (tt.zone(here), tt.zone(arc.to as usize));
                    // The leg starts when the cargo is ready for it (its wait is part of it).
                    let (start, end) = (at(t0, t), at(t0, arr));
                    if tt.is_timetabled(st.arc) {
                        leg.wait_h = dep - t;
                        extra_wait += leg.wait_h - arc.wait_h.typical;
                    }
                    leg.depart_utc = Some(fmt_utc(start));
                    leg.depart_local = Some(fmt_local(start, zf));
                    leg.arrive_utc = Some(fmt_utc(end));
                    leg.arrive_local = Some(fmt_local(end, zt));
                }
            }
            t = arr;
        }
        let tot = &mut it.totals;
        tot.wait_h += extra_wait;
        tot.transit_h = tot.moving_h + tot.wait_h + tot.dwell_h;
        tot.transit_days = tot.transit_h / 24.0;
        let zf = tt.zone(plan.from.1.places[0]);
        let last = steps
            .last()
            .map(|s| net.arcs[s.arc].to as usize)
            .unwrap_or(0);
        let zt = tt.zone(last);
        tot.depart_utc = Some(fmt_utc(t0));
        tot.depart_local = Some(fmt_local(t0, zf));
        tot.arrive_utc = Some(fmt_utc(at(t0, t)));
        tot.arrive_local = Some(fmt_local(at(t0, t), zt));
    }

    fn place_ref(&self, p: usize) -> PlaceRef {
        let pl = &self.net.dataset.places[p];
        PlaceRef {
            id: pl.id.clone(),
            name: pl.name.clone(),
            country: pl.country.clone(),
            lat: pl.lat,
            lon: pl.lon,
        }
    }

    fn itinerary(&self, plan: &Plan, steps: &[Step]) -> Itinerary {
        let net = &self.net;
        let ds = &net.dataset;
        let containerised = plan.commodity == Commodity::Container;
        let mut legs = Vec::new();
        let mut transfers = Vec::new();
        let mut borders = Vec::new();
        let mut warnings = Vec::new();
        let mut seq = 0u32;
        let mut totals = Totals {
            distance_km: 0.0,
            network_distance_km: 0.0,
            connector_km: 0.0,
            moving_h: 0.0,
            wait_h: 0.0,
            dwell_h: 0.0,
            transit_h: 0.0,
            transit_h_low: 0.0,
            transit_h_high: 0.0,
            transit_days: 0.0,
            cost_usd: 0.0,
            cost_breakdown: CostBreakdown::default(),
            co2e_kg: 0.0,
            co2e_ttw_kg: 0.0,
            co2e_wtt_kg: 0.0,
            co2e_complete: true,
            tkm: 0.0,
            co2e_legs_kg: 0.0,
            co2e_hubs_kg: 0.0,
            co2e_unsplit_kg: 0.0,
            energy_mj: 0.0,
            intensity_g_per_tkm: None,
            nox_kg: None,
            so2_kg: None,
            pm_kg: None,
            emission_method: corridor_emissions::METHOD.into(),
            risk_h: 0.0,
            borders_crossed: 0,
            transshipments: 0,
            countries: vec![],
            modes: vec![],
            depart_utc: None,
            depart_local: None,
            arrive_utc: None,
            arrive_local: None,
        };
        let push_country = |c: &str, list: &mut Vec<String>| {
            if list.last().map(String::as_str) != Some(c) {
                list.push(c.to_string());
            }
        };
        let mut estimated_legs = 0;
        let mut elements: Vec<Element> = Vec::new();
        let mut non_operating = BTreeSet::new();
        for st in steps {
            let arc = &net.arcs[st.arc];
            let here = arc.from as usize;
            // Transfer at the arc's tail?
            if let Ok(Some(rule)) = net.transfer(here, st.before, st.after) {
                let usd = rule
                    .price
                    .as_ref()
                    .map(|p| {
                        p.fixed
                            * ds.usd_per(&p.currency).unwrap_or(0.0)
                            * plan.cargo.units(p.unit, containerised)
                    })
                    .unwrap_or(0.0);
                let mut cb = CostBreakdown::default();
                if rule.kind.is_gauge_change() {
                    cb.gauge_change_usd = usd;
                } else {
                    cb.handling_usd = usd;
                }
                totals.dwell_h += rule.hours.typical;
                totals.transit_h_low += rule.hours.low;
                totals.transit_h_high += rule.hours.high;
                totals.cost_breakdown.add(&cb);
                totals.transshipments += 1;
                totals.risk_h += (rule.hours.high - rule.hours.typical).max(0.0);
                let hr = self.hub_emissions(plan, rule, here);
                if hr.co2e_kg.is_none() {
                    warnings.push(format!(
                        "transfer at {} ({}): {}; its CO2e is null and not in the total",
                        ds.places[here].id,
                        rule.kind.as_str(),
                        hr.missing.clone().unwrap_or_default()
                    ));
                }
                elements.push(Element::Hub {
                    seq,
                    label: format!("{} {}", ds.places[here].name, rule.kind.as_str()),
                    place: Some(self.place_info(here)),
                    result: hr.clone(),
                });
                transfers.push(TransferStep {
                    seq,
                    place: self.place_ref(here),
                    kind: rule.kind.as_str().into(),
                    from_carrier: net.carrier_name(st.before),
                    to_carrier: net.carrier_name(st.after),
                    dwell_h: rule.hours.typical,
                    dwell_h_low: rule.hours.low,
                    dwell_h_high: rule.hours.high,
                    cost_usd: usd,
                    cost_breakdown: cb,
                    source: rule.source.clone(),
                    co2e_kg: hr.co2e_kg,
                    co2e_ttw_kg: hr.co2e_ttw_kg,
                    co2e_wtt_kg: hr.co2e_wtt_kg,
                    co2e_missing: hr.missing.clone(),
                    hub_activity: hr.activity,
                    hub_activity_unit: hr.activity_unit.clone(),
                    hub_factor: hr.factor.as_ref().map(|f| HubFactorRef {
                        id: f.id.clone(),
                        hub_type: f.hub_type.clone(),
                        description: f.description.clone(),
                        basis: f.basis.clone(),
                        wtw: f.wtw,
                        reference: f.reference.clone(),
                        source: f.source.clone(),
                    }),
                });
                seq += 1;
            }
            let link = &ds.links[arc.link as usize];
            let (_, cost) = self.arc_figures(plan, st.arc);
            let dwell = self.arc_dwell(plan, st.arc);
            let from = arc.from as usize;
            let to = arc.to as usize;
            push_country(&ds.places[from].country, &mut totals.countries);
            for c in &link.countries {
                push_country(c, &mut totals.countries);
            }
            push_country(&ds.places[to].country, &mut totals.countries);
            if arc.status != Status::Operating {
                non_operating.insert(format!("{} ({})", arc.link_id(ds), arc.status.as_str()));
            }
            totals.dwell_h += dwell.typical;
            totals.wait_h += arc.wait_h.typical;
            totals.risk_h += (dwell.high - dwell.typical).max(0.0)
                + (arc.wait_h.high - arc.wait_h.typical).max(0.0);
            totals.moving_h += arc.moving_h.typical;
            totals.transit_h_low += dwell.low + arc.wait_h.low + arc.moving_h.low;
            totals.transit_h_high += dwell.high + arc.wait_h.high + arc.moving_h.high;
            if arc.mode == Mode::Border {
                totals.borders_crossed += 1;
                totals.cost_breakdown.border_fees_usd += cost;
                borders.push(BorderStep {
                    seq,
                    link_id: arc.link_id(ds),
                    from: self.place_ref(from),
                    to: self.place_ref(to),
                    from_country: ds.places[from].country.clone(),
                    to_country: ds.places[to].country.clone(),
                    carrier: net.carrier_name(st.after),
                    dwell_h: dwell.typical,
                    dwell_h_low: dwell.low,
                    dwell_h_high: dwell.high,
                    cost_usd: cost,
                    source: match &plan.cons.customs[st.arc] {
                        Some(c) => Some(ds.constraints.customs[c.rule].source.clone()),
                        None => link.dwell_source.clone(),
                    },
                    customs: plan.cons.customs[st.arc].as_ref().map(|c| {
                        let r = &ds.constraints.customs[c.rule];
                        CustomsRef {
                            regime: r.regime.as_str().into(),
                            id: r.id.clone(),
                            standard_dwell_h: arc.dwell_h.typical,
                            fee_usd: c.fee_usd,
                            source: r.source.clone(),
                        }
                    }),
                });
                seq += 1;
                continue;
            }
            let mode = arc.mode.as_str().to_string();
            if !totals.modes.contains(&mode) {
                totals.modes.push(mode.clone());
            }
            let tr = self.arc_emissions(plan, st.arc);
            let tkm = tr.tkm;
            if tr.co2e_kg.is_none() {
                warnings.push(format!(
                    "leg {} ({}): no public emission factor for {}; its CO2e is null and not in the total",
                    arc.link_id(ds),
                    arc.mode,
                    arc.mode
                ));
            }
            elements.push(Element::Leg {
                seq,
                label: format!(
                    "{} {} → {}",
                    arc.mode, ds.places[from].name, ds.places[to].name
                ),
                from: Some(self.place_info(from)),
                to: Some(self.place_info(to)),
                result: tr.clone(),
            });
            let pollutant = |name: &str| {
                tr.pollutants
                    .iter()
                    .find(|p| p.pollutant == name)
                    .and_then(|p| p.kg)
            };
            totals.distance_km += arc.distance_km;
            totals.tkm += tkm;
            totals.cost_breakdown.line_haul_usd += cost;
            let is_est = |id: &Option<String>| {
                id.as_deref()
                    .and_then(|i| ds.source(i))
                    .is_some_and(|s| s.is_estimate())
            };
            if is_est(&Some(link.distance_source.clone()))
                || is_est(&link.time_source)
                || is_est(&link.cost_source)
            {
                estimated_legs += 1;
            }
            let checked = ds.link_geometry(&link.id);
            let measured =
                checked.filter(|g| g.status == corridor_data::geometry::GeometryStatus::Measured);
            let geometry = match measured {
                Some(g) => corridor_data::geometry::line_lon_lat(&g.points, arc.reversed),
                None => {
                    let mut pts: Vec<(f64, f64)> = link.waypoints.clone();
                    if arc.reversed {
                        pts.reverse();
                    }
                    let mut geometry = vec![[ds.places[from].lon, ds.places[from].lat]];
                    geometry.extend(pts.iter().map(|&(lat, lon)| [lon, lat]));
                    geometry.push([ds.places[to].lon, ds.places[to].lat]);
                    geometry
                }
            };
            let network_check = match checked {
                Some(g) if measured.is_none() => Some(format!(
                    "{} on the {} network{}: {}",
                    g.status.as_str(),
                    g.network,
                    g.distance_km
                        .map(|km| format!(" ({km:.0} km)"))
                        .unwrap_or_default(),
                    g.reason
                )),
                _ => None,
            };
            let connector_km = measured.map_or(0.0, |g| g.connector_km);
            if measured.is_some() {
                totals.network_distance_km += arc.distance_km;
                totals.connector_km += connector_km;
            }
            legs.push(Leg {
                seq,
                link_id: arc.link_id(ds),
                from: self.place_ref(from),
                to: self.place_ref(to),
                mode,
                carrier: net.carrier_name(st.after),
                distance_km: arc.distance_km,
                distance_source: link.distance_source.clone(),
                distance_method: if measured.is_some() {
                    "network"
                } else {
                    "stated"
                }
                .into(),
                stated_distance_km: measured.map(|g| g.stated_km),
                stated_distance_source: measured.map(|g| g.stated_source.clone()),
                connector_km,
                network_check,
                moving_h: arc.moving_h.typical,
                moving_h_low: arc.moving_h.low,
                moving_h_high: arc.moving_h.high,
                wait_h: arc.wait_h.typical,
                wait_h_low: arc.wait_h.low,
                wait_h_high: arc.wait_h.high,
                dwell_h: dwell.typical,
                dwell_h_low: dwell.low,
                dwell_h_high: dwell.high,
                cost_usd: cost,
                cost_breakdown: CostBreakdown {
                    line_haul_usd: cost,
                    ..Default::default()
                },
                co2e_kg: tr.co2e_kg,
                co2e_ttw_kg: tr.co2e_ttw_kg,
                co2e_wtt_kg: tr.co2e_wtt_kg,
                tkm,
                energy_mj: tr.energy_mj,
                intensity_g_per_tkm: tr.intensity_g_per_tkm,
                emission_distance_km: tr.emission_distance_km,
                co2e_missing: tr.missing.clone(),
                nox_kg: pollutant("nox"),
                so2_kg: pollutant("so2"),
                pm_kg: pollutant("pm"),
                emission_factor: tr.factor.as_ref().map(|f| FactorRef {
                    id: f.id.clone(),
                    description: f.description.clone(),
                    basis: f.basis.clone(),
                    wtw: f.wtw,
                    source: f.source.clone(),
                    ttw: f.ttw,
                    wtt: f.wtt,
                    vehicle: f.vehicle.clone(),
                    energy_carrier: f.energy_carrier.clone(),
                    reference: f.reference.clone(),
                    multiplier: f.multiplier,
                    adjustments: f.adjustments.clone(),
                    grid: tr
                        .grid
                        .iter()
                        .map(|g| GridRef {
                            country: g.country.clone(),
                            share: g.share,
                            g_per_kwh: g.g_per_kwh,
                            source: g.source.clone(),
                        })
                        .collect(),
                }),
                countries: arc
                    .countries
                    .iter()
                    .map(|&i| net.countries[i as usize].clone())
                    .collect(),
                passages: arc
                    .passages
                    .iter()
                    .map(|&i| net.passages[i as usize].clone())
                    .collect(),
                status: arc.status.as_str().into(),
                sources: LegSources {
                    link: link.source.clone(),
                    time: link.time_source.clone(),
                    wait: link.wait_source.clone(),
                    cost: link.cost_source.clone(),
                },
                geometry,
                depart_utc: None,
                depart_local: None,
                arrive_utc: None,
                arrive_local: None,
            });
            seq += 1;
        }
        let fp = Footprint::new(self.shipment(plan), elements);
        let ft = &fp.totals;
        totals.co2e_kg = ft.co2e_kg;
        totals.co2e_ttw_kg = ft.co2e_ttw_kg;
        totals.co2e_wtt_kg = ft.co2e_wtt_kg;
        totals.co2e_complete = ft.complete;
        totals.co2e_legs_kg = ft.co2e_legs_kg;
        totals.co2e_hubs_kg = ft.co2e_hubs_kg;
        totals.co2e_unsplit_kg = ft.co2e_unsplit_kg;
        totals.energy_mj = ft.energy_mj;
        totals.intensity_g_per_tkm = ft.intensity_g_per_tkm;
        totals.nox_kg = ft.nox_kg;
        totals.so2_kg = ft.so2_kg;
        totals.pm_kg = ft.pm_kg;
        totals.transit_h = totals.moving_h + totals.wait_h + totals.dwell_h;
        totals.transit_days = totals.transit_h / 24.0;
        totals.cost_usd = totals.cost_breakdown.total();
        // Measured legs carry 0.1 km; sums of them should not show float noise.
        for km in [
            &mut totals.distance_km,
            &mut totals.network_distance_km,
            &mut totals.connector_km,
        ] {
            *km = (*km * 10.0).round() / 10.0;
        }
        if estimated_legs > 0 {
            warnings.push(format!(
                "{estimated_legs} of {} legs use estimated figures (sources whose note starts with 'estimate:')",
                legs.len()
            ));
        }
        if !non_operating.is_empty() {
            warnings.push(format!(
                "uses links that are not operating: {}",
                non_operating.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        let on_route: Vec<(usize, corridor_network::Carrier)> =
            steps.iter().map(|st| (st.arc, st.after)).collect();
        if plan.opts.customs != corridor_data::constraints::Regime::Standard
            && plan.cons.warnings.is_empty()
            && !steps.iter().any(|st| plan.cons.customs[st.arc].is_some())
        {
            let at: BTreeSet<&str> = ds
                .constraints
                .customs
                .iter()
                .filter(|r| r.regime == plan.opts.customs)
                .map(|r| r.link.as_str())
                .collect();
            warnings.push(format!(
                "--customs {} applies at none of this itinerary's borders (the data gives it at {}); the standard dwell is used",
                plan.opts.customs.as_str(),
                at.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        Itinerary {
            compliance: crate::constraints::compliance_flags(net, &on_route, plan.opts.customs),
            labels: vec![plan.optimize.label().into()],
            explanation: String::new(),
            totals,
            legs,
            transfers,
            borders,
            warnings,
        }
    }

    fn answer(&self, plan: &Plan, itineraries: Vec<Itinerary>, incomplete: bool) -> RouteAnswer {
        let ds = &self.net.dataset;
        let echo = |(input, r): &(String, Resolved)| EndpointEcho {
            input: input.clone(),
            label: r.label.clone(),
            group: r.group.clone(),
            places: r.places.iter().map(|&p| ds.places[p].id.clone()).collect(),
        };
        let years: BTreeSet<i32> = ds
            .links
            .iter()
            .filter_map(|l| l.price.as_ref().map(|p| p.price_year))
            .collect();
        let mut warnings = vec![
            "terminal to terminal: pre- and on-carriage to the door and origin/destination terminal handling are not included".to_string(),
            format!(
                "costs in USD at the rates of fx.csv; prices are of their stated years ({}), not inflation-adjusted",
                match (years.first(), years.last()) {
                    (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
                    (Some(a), _) => a.to_string(),
                    _ => "none".into(),
                }
            ),
            format!(
                "CO2e per {} for legs and hubs (transfers), default factors of the data folder: {}; credit: {}; see docs/emissions.md",
                corridor_emissions::METHOD,
                corridor_emissions::GLEC_VERSION,
                corridor_emissions::GLEC_CREDIT
            ),
        ];
        if let Some(n) = plan.alternatives {
            warnings.push(format!(
                "alternatives: the Pareto front over transit time, cost, CO2e and risk (up to {n}, fastest first), with {:.0}% ε-dominance; {}",
                self.pareto.epsilon * 100.0,
                if plan.constrained() {
                    "under --max-borders/--max-transshipments the optima are those of the ε-front"
                } else {
                    "each single-criterion optimum is on it (exact)"
                }
            ));
            if incomplete {
                warnings.push(self.incomplete_warning(plan));
            }
        }
        if plan.depart.is_some() || plan.arrive_by.is_some() {
            warnings.push(
                "clock times: links with a timetable (services.csv) wait for their next departure and closures (closures.csv) apply; other links keep their expected, frequency-based wait".into(),
            );
        }
        if plan.commodity == Commodity::Container && !plan.cargo.is_boxes() {
            warnings.push(format!(
                "containerised tonnage: {:.1} TEU at {} t net per TEU",
                plan.cargo.teu(),
                plan.cargo.payload_t_per_teu()
            ));
        }
        warnings.extend(plan.cons.warnings.iter().cloned());
        if plan.opts.reefer {
            warnings.push("reefer: legs and places are taken as giving reefer power unless cargo_rules.csv says otherwise (no_reefer); confirm plugs and gensets with the operators".into());
        }
        if let Some(c) = &plan.opts.dangerous_goods {
            warnings.push(format!(
                "dangerous goods class {c}: only the bans in cargo_rules.csv are applied; ADR/RID/IMDG documents, segregation and quantity limits are not checked"
            ));
        }
        RouteAnswer {
            schema_version: SCHEMA_VERSION.into(),
            generator: Generator {
                name: "corridor".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            query: QueryEcho {
                depart: plan.depart.map(crate::timed::fmt_utc),
                arrive_by: plan.arrive_by.map(crate::timed::fmt_utc),
                budget_ms: plan.budget.filter(|_| plan.echo_budget).map(|b| b.0),
                from: echo(&plan.from),
                to: echo(&plan.to),
                via: plan.via.iter().map(echo).collect(),
                cargo: CargoEcho {
                    label: plan.cargo.label(),
                    boxes: plan.cargo.boxes(),
                    teu: plan.cargo.teu(),
                    net_t: plan.cargo.net_t(),
                    payload_t_per_teu: plan.cargo.payload_t_per_teu(),
                    note: if plan.cargo.payload_t_per_teu() == PAYLOAD_T_PER_TEU {
                        "default net payload 10 t per loaded TEU (GLEC Framework default); tare excluded from tonne-km".into()
                    } else {
                        "net payload per loaded TEU as given (payload_t_per_teu); tare excluded from tonne-km".into()
                    },
                    gross_t_per_box: plan.cons.gross_t_per_box,
                    tare_t_per_box: plan.cons.tare_t_per_box,
                    tare_source: plan.cons.tare_source.clone(),
                },
                commodity: plan.commodity.as_str().into(),
                optimize: plan.optimize.as_str().into(),
                avoid: plan
                    .avoid
                    .iter()
                    .map(|(a, label, _)| AvoidEcho {
                        kind: a.kind().into(),
                        value: label.clone(),
                    })
                    .collect(),
                include_planned: plan.include_planned,
                alternatives: plan.alternatives,
                max_transshipments: plan.max_transshipments,
                max_borders: plan.max_borders,
                constraints: ConstraintsEcho {
                    reefer: plan.opts.reefer,
                    dangerous_goods: plan.opts.dangerous_goods.clone(),
                    goods: plan.opts.goods.as_str().into(),
                    customs: plan.opts.customs.as_str().into(),
                },
            },
            data: self.data_info(),
            itineraries,
            warnings,
            incomplete,
        }
    }
}

fn days(h: f64) -> String {
    format!("{:.1} days", h / 24.0)
}

fn usd(x: f64) -> String {
    let n = x.abs().round() as i64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("USD {out}")
}

/// What `it` wins and loses against `base`, e.g. "3.5 days slower, USD 1,900 cheaper,
/// 41% less CO2e".
fn versus(it: &Totals, base: &Totals) -> Vec<String> {
    let mut parts = Vec::new();
    let dt = it.transit_h - base.transit_h;
    if dt.abs() >= 0.05 * 24.0 {
        let w = if dt > 0.0 { "slower" } else { "faster" };
        parts.push(format!("{} {w}", days(dt.abs())));
    }
    let dc = it.cost_usd - base.cost_usd;
    if dc.abs() >= 0.5 {
        let w = if dc > 0.0 { "dearer" } else { "cheaper" };
        parts.push(format!("{} {w}", usd(dc)));
    }
    if base.co2e_kg > 0.0 {
        let pct = (it.co2e_kg / base.co2e_kg - 1.0) * 100.0;
        if pct.abs() >= 0.5 {
            let w = if pct > 0.0 { "more" } else { "less" };
            parts.push(format!("{:.0}% {w} CO2e", pct.abs()));
        }
    }
    let dr = it.risk_h - base.risk_h;
    if dr.abs() >= 1.0 {
        let w = if dr > 0.0 { "more" } else { "less" };
        parts.push(format!("{:.0} h {w} delay risk", dr.abs()));
    }
    let db = i64::from(it.borders_crossed) - i64::from(base.borders_crossed);
    if db != 0 {
        let w = if db > 0 { "more" } else { "fewer" };
        let s = if db.abs() == 1 { "border" } else { "borders" };
        parts.push(format!("{} {w} {s}", db.abs()));
    }
    parts
}

/// Explains each alternative against the fastest (and the fastest against the cheapest).
fn explain(its: &mut [Itinerary]) {
    let totals: Vec<Totals> = its.iter().map(|i| i.totals.clone()).collect();
    let find = |label: &str| its.iter().position(|i| i.labels.iter().any(|l| l == label));
    let fastest = find("fastest").unwrap_or(0);
    let cheapest = find("cheapest").unwrap_or(0);
    for (i, it) in its.iter_mut().enumerate() {
        let wins = if it.labels.is_empty() {
            "on the front".to_string()
        } else {
            it.labels.join(", ").replace('_', " ")
        };
        let t = &totals[i];
        let head = format!(
            "{wins}: {}, {}, {} kg CO2e, {:.0} h delay risk, {} border{}",
            days(t.transit_h),
            usd(t.cost_usd),
            &usd(t.co2e_kg)[4..],
            t.risk_h,
            t.borders_crossed,
            if t.borders_crossed == 1 { "" } else { "s" }
        );
        let (base, name) = if i != fastest {
            (fastest, "the fastest")
        } else if cheapest != i {
            (cheapest, "the cheapest")
        } else {
            it.explanation = format!("{head}; best on every criterion of the front");
            continue;
        };
        let v = versus(t, &totals[base]);
        it.explanation = if v.is_empty() {
            format!("{head}; about the same as {name}")
        } else {
            format!("{head}; against {name}: {}", v.join(", "))
        };
    }
}
