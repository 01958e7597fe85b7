//! # corridor-assign: static traffic assignment
//!
//! Demand between zones in, link flows and costs out: the user equilibrium (Wardrop's first
//! principle: no traveller can lower their cost by changing path) or the system optimum
//! (least total cost) of a network whose link costs rise with flow.
//!
//! - [`network`] holds the [`Network`] (links with BPR parameters, zones, the first thru
//!   node, a forward-star index) and the [`Demand`].
//! - [`tntp`] reads the TNTP format of the public TransportationNetworks collection
//!   (`*_net.tntp`, `*_trips.tntp`, `*_flow.tntp`).
//! - [`vdf`] has the link cost functions (BPR plus generalised cost) for either [`Objective`].
//! - [`shortest_path`] has Dijkstra trees and all-or-nothing loading, parallel over origins.
//! - [`frank_wolfe`] has Frank–Wolfe and the conjugate and bi-conjugate variants of
//!   Mitradjieva & Lindberg (2013).
//! - [`gradient_projection`] has the path-based gradient projection of Jayakrishnan et al.
//!   (1994), which reaches relative gaps of 1e-10 that the Frank–Wolfe family cannot.
//!
//! The relative gap reported after every iteration is (TSTT − SPTT) / TSTT, where
//! TSTT = Σ_a x_a·c_a(x_a) is the total cost at the current flows and SPTT = Σ_od d_od·κ_od the
//! cost if every trip took a current shortest path (κ_od its cost). Under system optimum the
//! costs c are the marginal costs c(x) + x·c'(x). See docs/assignment.md.
//!
//! ```
//! use corridor_assign::{assign, Algorithm, Delay, Demand, Link, Network, Options};
//!
//! // Pigou: 1 unit from 1 to 2 over a fixed road (cost 1) and a congestible one (cost x).
//! let link = |cap: f64, t0: f64, b: f64, power: f64| Link {
//!     from: 0, to: 1, capacity: cap, free_flow_time: t0, b, power, length: 0.0, toll: 0.0,
//!     delay: Delay::Bpr, preload: 0.0,
//! };
//! let net = Network::new(2, 2, 0, vec![link(1.0, 1.0, 0.0, 1.0), link(1.0, 1e-9, 1e9, 1.0)]).unwrap();
//! let mut demand = Demand::new(2);
//! demand.add(0, 1, 1.0).unwrap();
//! let opts = Options { algorithm: Algorithm::GradientProjection, gap: 1e-10, ..Options::default() };
//! let a = assign(&net, &demand, &opts).unwrap();
//! assert!(a.converged);
//! assert!((a.flows[1] - 1.0).abs() < 1e-6); // everyone takes the congestible road
//! ```

#![deny(missing_docs)]

mod error;
pub mod frank_wolfe;
pub mod gradient_projection;
mod heap;
pub mod network;
pub mod shortest_path;
pub mod tntp;
pub mod vdf;

use std::time::Instant;

pub use error::Error;
pub use network::{CostWeights, Delay, Demand, Link, Network, QUEUE_RHO_MAX};
pub use vdf::{CostModel, Objective};

/// The assignment algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// All-or-nothing at free-flow costs: the baseline without congestion.
    AllOrNothing,
    /// Frank–Wolfe (linear approximation with an exact line search).
    FrankWolfe,
    /// Conjugate Frank–Wolfe (Mitradjieva & Lindberg 2013).
    ConjugateFrankWolfe,
    /// Bi-conjugate Frank–Wolfe (Mitradjieva & Lindberg 2013).
    BiconjugateFrankWolfe,
    /// Path-based gradient projection with Newton steps (Jayakrishnan et al. 1994).
    GradientProjection,
}

/// What to compute and when to stop.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// User equilibrium or system optimum.
    pub objective: Objective,
    /// Stop at this relative gap or below.
    pub gap: f64,
    /// Stop after this many iterations (shortest-path rounds) at the latest.
    pub max_iter: usize,
    /// Weights of toll and length in the generalised cost.
    pub weights: CostWeights,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            algorithm: Algorithm::BiconjugateFrankWolfe,
            objective: Objective::UserEquilibrium,
            gap: 1e-5,
            max_iter: 1000,
            weights: CostWeights::default(),
        }
    }
}

/// One iteration's convergence record.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Iteration {
    /// 1-based iteration number.
    pub iteration: usize,
    /// Relative gap (TSTT − SPTT) / TSTT of the flows of this iteration.
    pub relative_gap: f64,
    /// Seconds since the start of the assignment.
    pub seconds: f64,
}

/// The answer: flows, costs and how it converged.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Assignment {
    /// The algorithm used.
    pub algorithm: Algorithm,
    /// The objective.
    pub objective: Objective,
    /// Flow of each link, in the network's link order.
    pub flows: Vec<f64>,
    /// Travel (generalised) cost of each link at its flow.
    pub costs: Vec<f64>,
    /// Total cost Σ x·c(x) with travel costs.
    pub total_cost: f64,
    /// The relative gap reached (that of the last iteration).
    pub relative_gap: f64,
    /// Whether the gap reached is at or below the target.
    pub converged: bool,
    /// Every iteration's gap.
    pub iterations: Vec<Iteration>,
    /// Seconds in all.
    pub seconds: f64,
    /// The paths used and their flows (gradient projection only; empty for the link-based
    /// algorithms).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathFlow>,
}

/// A path of an OD pair and the flow on it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PathFlow {
    /// Origin zone (0-based).
    pub origin: u32,
    /// Destination zone (0-based).
    pub destination: u32,
    /// Link ids, origin first.
    pub links: Vec<u32>,
    /// Flow.
    pub flow: f64,
}

/// Runs an assignment.
pub fn assign(net: &Network, demand: &Demand, opts: &Options) -> Result<Assignment, Error> {
    assign_with_progress(net, demand, opts, &mut |_| {})
}

/// Runs an assignment and calls `progress` after every iteration.
pub fn assign_with_progress(
    net: &Network,
    demand: &Demand,
    opts: &Options,
    progress: &mut dyn FnMut(&Iteration),
) -> Result<Assignment, Error> {
    assign_until(net, demand, opts, progress, None)
}

/// As [`assign_with_progress`], stopping after the iteration that passes `deadline` (the
/// answer is then the gap reached, not converged unless it met the target): a server bounds
/// an assignment's time with it.
pub fn assign_until(
    net: &Network,
    demand: &Demand,
    opts: &Options,
    progress: &mut dyn FnMut(&Iteration),
    deadline: Option<Instant>,
) -> Result<Assignment, Error> {
    if !(opts.gap.is_finite() && opts.gap >= 0.0) {
        return Err(Error::invalid(
            "gap",
            format!("{} is not a number >= 0", opts.gap),
        ));
    }
    if opts.max_iter == 0 {
        return Err(Error::invalid("max-iter", "must be at least 1"));
    }
    for (name, w) in [
        ("toll weight", opts.weights.toll),
        ("distance weight", opts.weights.distance),
    ] {
        if !(w.is_finite() && w >= 0.0) {
            return Err(Error::invalid(name, format!("{w} is not a number >= 0")));
        }
    }
    if demand.zone_count() > net.zone_count() {
        return Err(Error::invalid(
            "demand",
            format!(
                "the demand has {} zones, the network {}",
                demand.zone_count(),
                net.zone_count()
            ),
        ));
    }
    let model = CostModel::new(net, opts.weights, opts.objective);
    let mut run = Run {
        net,
        demand,
        model: &model,
        start: Instant::now(),
        iterations: Vec::new(),
        progress,
        target: opts.gap,
        deadline,
    };
    let mut paths = Vec::new();
    let flows = match opts.algorithm {
        Algorithm::AllOrNothing => {
            let cost: Vec<f64> = (0..model.len()).map(|a| model.effective(a, 0.0)).collect();
            let (x, _) = run.aon(&cost)?;
            run.gap(&x)?;
            x
        }
        Algorithm::GradientProjection => {
            let (x, p) = gradient_projection::run(&mut run, opts.max_iter)?;
            paths = p;
            x
        }
        fw => frank_wolfe::run(&mut run, fw, opts.max_iter)?,
    };
    let costs: Vec<f64> = (0..model.len()).map(|a| model.cost(a, flows[a])).collect();
    let total_cost = flows.iter().zip(&costs).map(|(x, c)| x * c).sum();
    let relative_gap = run.iterations.last().map_or(f64::NAN, |i| i.relative_gap);
    Ok(Assignment {
        algorithm: opts.algorithm,
        objective: opts.objective,
        converged: relative_gap <= opts.gap,
        relative_gap,
        flows,
        costs,
        total_cost,
        seconds: run.start.elapsed().as_secs_f64(),
        iterations: run.iterations,
        paths,
    })
}

/// State shared by the algorithms: the inputs, the clock and the convergence record.
pub(crate) struct Run<'a> {
    pub(crate) net: &'a Network,
    pub(crate) demand: &'a Demand,
    pub(crate) model: &'a CostModel,
    start: Instant,
    iterations: Vec<Iteration>,
    progress: &'a mut dyn FnMut(&Iteration),
    pub(crate) target: f64,
    deadline: Option<Instant>,
}

impl Run<'_> {
    /// All-or-nothing under `cost`, with unreachable demand as an error.
    pub(crate) fn aon(&self, cost: &[f64]) -> Result<(Vec<f64>, f64), Error> {
        shortest_path::all_or_nothing(self.net, self.demand, cost).map_err(|u| {
            Error::invalid(
                format!("demand {} -> {}", u.origin + 1, u.destination + 1),
                "no path joins these zones; remove the demand or add the missing links",
            )
        })
    }

    /// Effective link costs at flows `x`.
    pub(crate) fn costs(&self, x: &[f64]) -> Vec<f64> {
        (0..x.len())
            .map(|a| self.model.effective(a, x[a]))
            .collect()
    }

    /// Records an iteration with the relative gap from TSTT and SPTT; true when converged.
    pub(crate) fn record(&mut self, tstt: f64, sptt: f64) -> bool {
        let gap = if tstt > 0.0 {
            ((tstt - sptt) / tstt).max(0.0)
        } else {
            0.0
        };
        let it = Iteration {
            iteration: self.iterations.len() + 1,
            relative_gap: gap,
            seconds: self.start.elapsed().as_secs_f64(),
        };
        (self.progress)(&it);
        self.iterations.push(it);
        gap <= self.target || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Records the gap of flows `x` (one all-or-nothing); returns (converged, AON flows, costs).
    pub(crate) fn gap(&mut self, x: &[f64]) -> Result<(bool, Vec<f64>, Vec<f64>), Error> {
        let cost = self.costs(x);
        let (y, sptt) = self.aon(&cost)?;
        let tstt: f64 = x.iter().zip(&cost).map(|(x, c)| x * c).sum();
        Ok((self.record(tstt, sptt), y, cost))
    }
}
