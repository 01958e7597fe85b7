//! Stage 4, the search adapters: from a plan and its cost model to the kernels' inputs
//! (which arcs are allowed, the target and via masks, the weights) and back. Dijkstra
//! ([`crate::search`]) for one objective, label-setting ([`crate::pareto`]) for the front and
//! for limits on borders and transshipments, and earliest arrival on the clock.

use std::cell::RefCell;
use std::collections::BTreeSet;

use corridor_data::{Mode, Status};

use super::plan::{Active, Plan};
use super::request::{Avoid, AvoidRule, Optimize};
use super::Engine;
use crate::pareto::{self, Crit, ParetoConfig, ParetoInput, CO2E, COST, RISK, TIME};
use crate::search::{shortest, SearchInput, Step, Weight, Workspace};

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

impl Engine {
    /// The weight of a (time, cost, CO2e) for an objective: the objective, then a tie-break.
    pub(crate) fn weight(optimize: Optimize, time: f64, cost: f64, co2: f64) -> Weight {
        match optimize {
            Optimize::Time => Weight(time, cost),
            Optimize::Cost => Weight(cost, time),
            Optimize::Co2 => Weight(co2, time),
        }
    }

    /// Which arcs the plan allows under the constraints `act` switches on.
    pub(crate) fn allowed(&self, plan: &Plan, act: Active) -> Vec<bool> {
        let net = self.g();
        let avoid = &plan.avoid[..act.n_avoid];
        net.arcs()
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
                for AvoidRule { what, .. } in avoid {
                    let hit = match what {
                        Avoid::Country(c) => arc
                            .countries
                            .iter()
                            .any(|&i| &net.countries()[i as usize] == c),
                        Avoid::Place(ps) => {
                            ps.contains(&(arc.from.index())) || ps.contains(&(arc.to.index()))
                        }
                        Avoid::Mode(m) => arc.mode == *m,
                        Avoid::Link(id) => {
                            let l = net.link(arc.link as usize);
                            if let Some(base) = id.strip_suffix("~r") {
                                arc.reversed && l.id == base
                            } else {
                                l.id == *id
                            }
                        }
                        Avoid::Passage(p) => arc
                            .passages
                            .iter()
                            .any(|&i| &net.passages()[i as usize] == p),
                    };
                    if hit {
                        return false;
                    }
                }
                true
            })
            .collect()
    }

    /// Targets and via masks of the plan.
    pub(crate) fn masks(&self, plan: &Plan, act: Active) -> (Vec<bool>, Vec<Vec<bool>>) {
        let n = self.g().n_places();
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

    /// Dijkstra on the plan's objective.
    pub(crate) fn run(&self, plan: &Plan, act: Active) -> Option<(Weight, Vec<Step>)> {
        let (ac, tc) = plan.costs.criteria(self, plan.optimize == Optimize::Co2);
        let w = |c: &Crit| Self::weight(plan.optimize, c[TIME], c[COST], c[CO2E]);
        let aw: Vec<Weight> = ac.iter().map(w).collect();
        let tw: Vec<Weight> = tc.iter().map(w).collect();
        self.run_weighted(plan, act, &aw, &tw, w)
    }

    /// Dijkstra on given per-arc and per-transfer-rule weights; `w` weighs criteria as they
    /// do (for what boarding an arc adds).
    pub(crate) fn run_weighted(
        &self,
        plan: &Plan,
        act: Active,
        arc_weight: &[Weight],
        transfer_weight: &[Weight],
        w: impl Fn(&Crit) -> Weight,
    ) -> Option<(Weight, Vec<Step>)> {
        let net = self.g();
        let allowed = self.allowed(plan, act);
        let (is_target, vias) = self.masks(plan, act);
        let bw: Vec<Weight> = plan.costs.board_crit().iter().map(w).collect();
        let input = SearchInput {
            allowed: &allowed,
            arc_weight,
            transfer_weight,
            board_weight: &bw,
            sources: &plan.from.1.places,
            is_target: &is_target,
            vias: &vias,
        };
        WORKSPACE.with(|ws| shortest(net, &input, &mut ws.borrow_mut()))
    }

    /// [`Engine::run_weighted`] with the arcs `blocked` says shut as well (the search for
    /// another corridor family: the fastest's transit country avoided).
    pub(crate) fn run_weighted_blocked(
        &self,
        plan: &Plan,
        act: Active,
        arc_weight: &[Weight],
        transfer_weight: &[Weight],
        w: impl Fn(&Crit) -> Weight,
        blocked: &dyn Fn(usize) -> bool,
    ) -> Option<(Weight, Vec<Step>)> {
        let mut allowed = self.allowed(plan, act);
        for (ai, a) in allowed.iter_mut().enumerate() {
            if *a && blocked(ai) {
                *a = false;
            }
        }
        let (is_target, vias) = self.masks(plan, act);
        let bw: Vec<Weight> = plan.costs.board_crit().iter().map(w).collect();
        let input = SearchInput {
            allowed: &allowed,
            arc_weight,
            transfer_weight,
            board_weight: &bw,
            sources: &plan.from.1.places,
            is_target: &is_target,
            vias: &vias,
        };
        WORKSPACE.with(|ws| shortest(self.g(), &input, &mut ws.borrow_mut()))
    }

    /// The Pareto search under the plan's limits: over all four criteria (`objective` None),
    /// or over one (a constrained single-objective query, exact: ε = 0).
    pub(crate) fn run_front(
        &self,
        plan: &Plan,
        act: Active,
        objective: Option<Optimize>,
        limits: (Option<u32>, Option<u32>),
    ) -> pareto::Front {
        let with_co2 = objective.is_none_or(|o| o == Optimize::Co2);
        let (ac, tc) = plan.costs.criteria(self, with_co2);
        self.run_front_with(plan, act, objective, limits, ac, tc)
    }

    /// As [`Engine::run_front`], on given criteria.
    pub(crate) fn run_front_with(
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
        let bc = plan.costs.board_crit();
        self.front_search(plan, act, k, false, limits, ac, tc, |ai, t, tr, boards| {
            let b = if boards { bc[ai][TIME] } else { 0.0 };
            Some(t + (tr + ac[ai][TIME] + b))
        })
    }

    /// The label-setting search over all four criteria (`objective` None, the engine's ε), or
    /// over one criterion (exact, ε = 0), with the time criterion in dominance too if
    /// `with_time`; `arc_time` as in [`pareto::front_with`]. `with_time` is the search on the
    /// clock; without it the time is the sum of the arcs' figures (`arc_time` must be that
    /// sum) and [`pareto::front`] runs, which can bound the time left from below.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn front_search(
        &self,
        plan: &Plan,
        act: Active,
        objective: Option<usize>,
        with_time: bool,
        (max_borders, max_transshipments): (Option<u32>, Option<u32>),
        ac: &[Crit],
        tc: &[Crit],
        arc_time: impl FnMut(usize, f64, f64, bool) -> Option<f64>,
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
            board_crit: plan.costs.board_crit(),
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
            pareto::front_with(self.g(), &input, arc_time)
        } else {
            pareto::front(self.g(), &input)
        }
    }

    /// Earliest-arrival search; on failure, the closures that blocked an arc.
    pub(crate) fn run_timed(
        &self,
        plan: &Plan,
        act: Active,
        t0: chrono::DateTime<chrono::Utc>,
        closures: bool,
    ) -> Result<(f64, Vec<Step>), BTreeSet<usize>> {
        let net = self.g();
        let (ac, tc) = plan.costs.criteria(self, false);
        let aw: Vec<Weight> = ac.iter().map(|c| Weight(c[TIME], c[COST])).collect();
        let tw: Vec<Weight> = tc.iter().map(|c| Weight(c[TIME], c[COST])).collect();
        let allowed = self.allowed(plan, act);
        let (is_target, vias) = self.masks(plan, act);
        // The clock times boarding itself (`arc_clock`); the tie-break ignores it.
        let bw = vec![Weight(0.0, 0.0); aw.len()];
        let input = SearchInput {
            allowed: &allowed,
            arc_weight: &aw,
            transfer_weight: &tw,
            board_weight: &bw,
            sources: &plan.from.1.places,
            is_target: &is_target,
            vias: &vias,
        };
        let mut blocked = BTreeSet::new();
        let found = WORKSPACE.with(|ws| {
            crate::search::shortest_with(net, &input, &mut ws.borrow_mut(), |ai, w, boards| {
                let (_, arr_h) =
                    self.arc_clock(plan, ai, (w.0, boards), t0, closures, &mut blocked)?;
                Some(Weight(arr_h, w.1 + aw[ai].1))
            })
        });
        found.map(|(w, s)| (w.0, s)).ok_or(blocked)
    }
}
