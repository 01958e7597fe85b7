//! Stage 5, front selection: from the searches' candidates to the itineraries an answer
//! shows. One objective: the best (label-setting under limits). No objective: the Pareto
//! front with the exact single-criterion optima added, the dominated dropped, each
//! criterion's best labelled, at most `alternatives`, fastest first, explained.

use corridor_data::Mode;

use super::assemble::explain_alternatives;
use super::plan::{Active, Plan};
use super::request::MAX_ALTERNATIVES;
use super::Engine;
use crate::answer::{Itinerary, RouteAnswer};
use crate::error::QueryError;
use crate::pareto::{self, Crit, FrontPath, CO2E, COST, RISK, TIME};
use crate::search::{Step, Weight};

impl Engine {
    /// The best itinerary for the plan's objective (not on the clock).
    pub(crate) fn route_single(&self, plan: &Plan, all: Active) -> Result<RouteAnswer, QueryError> {
        let mut incomplete = false;
        let found = if plan.constrained() {
            // Borders and transshipments are resources: label-setting on the objective.
            let f = self.run_front(plan, all, Some(plan.optimize), plan.limits());
            if f.paths.is_empty() && f.incomplete {
                return Err(self.budget_error(plan, f.timed_out));
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
        } else if plan.optimize == super::request::Optimize::Time {
            // Exact with the drivers' rests along each chain of road legs; past its label
            // budget, Dijkstra and the chained check of its path.
            match self.fastest_chained(plan, all) {
                Ok(found) => found.map(|(_, s)| s),
                Err(()) => self
                    .run(plan, all)
                    .map(|(_, s)| self.fastest_with_chain_rests(plan, all, s)),
            }
        } else {
            self.run(plan, all).map(|(_, s)| s)
        };
        let Some(steps) = found else {
            return Err(self.explain_no_route(plan));
        };
        let mut itinerary = self.itinerary(plan, &steps);
        itinerary.labels = vec![plan.optimize.label().into()];
        let mut answer = self.answer(plan, vec![itinerary], incomplete);
        if incomplete {
            // The best found before the budget ran out, not necessarily the optimum.
            answer.warnings.push(self.incomplete_warning(plan));
        }
        Ok(answer)
    }

    /// The fastest path when its road legs rest along their chains: the search weighs each
    /// road leg's rests from a fresh start (a lower bound), so when the found path's chains
    /// rest longer, the paths of the Pareto front are timed with their chains too and the
    /// fastest of them (the found one on a tie) is taken.
    fn fastest_with_chain_rests(&self, plan: &Plan, all: Active, steps: Vec<Step>) -> Vec<Step> {
        let delta = self.chain_delta(plan, &steps);
        if delta <= 1e-9 {
            return steps;
        }
        let (ac, tc) = plan.costs.criteria(self, false);
        let base = self.path_figures(plan, ac, tc, steps);
        let best_h = base.crit[TIME] + delta;
        let front = self.run_front_with(plan, all, None, plan.limits(), ac, tc);
        self.chained_fastest(plan, front.paths, best_h, base.steps)
    }

    /// The Pareto front, the exact single-criterion optima added, labelled and explained.
    pub(crate) fn route_front(
        &self,
        plan: &Plan,
        all: Active,
        n: usize,
    ) -> Result<RouteAnswer, QueryError> {
        let (ac, tc) = plan.costs.criteria(self, true);
        let front = self.run_front_with(plan, all, None, plan.limits(), ac, tc);
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
                .g()
                .arcs()
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
                if let Some((_, steps)) = self.run_weighted(plan, all, &aw, &tw, |c| obj(c, 0.0)) {
                    let p = self.path_figures(plan, ac, tc, steps);
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
        // Road legs rest along their chains (the itinerary's count), not from a fresh start
        // each as searched: every path's time as the itinerary will show it.
        self.chain_correct(plan, &mut cands);
        // The best of each corridor family the fastest hides (not with the whole front asked
        // for, nor under limits that Dijkstra ignores); a family only on a dominated path is
        // not shown by the front, so it is not taken as seen.
        let mut others = match cands
            .iter()
            .min_by(|a, b| a.crit[TIME].total_cmp(&b.crit[TIME]))
        {
            Some(fastest) if !plan.all_alternatives && !plan.constrained() => {
                let seen: Vec<String> = cands
                    .iter()
                    .zip(non_dominated(&cands))
                    .filter(|(_, k)| *k)
                    .map(|(c, _)| self.family_key(c))
                    .collect();
                self.other_corridors(plan, all, fastest, ac, tc, &seen)
            }
            _ => Vec::new(),
        };
        self.chain_correct(plan, &mut others);
        self.front_answer(plan, cands, n, front.incomplete, None, others)
    }

    /// The answer for front candidates: the non-dominated ones, labelled (each criterion's
    /// best), at most `n`, fastest first, explained; with `clock`, clock times on every one.
    /// Unless the plan asks for all alternatives, the short-list rules of
    /// [`super::families`] apply, and `others` (the best of other corridor families) fill the
    /// places the front leaves.
    pub(crate) fn front_answer(
        &self,
        plan: &Plan,
        cands: Vec<FrontPath>,
        n: usize,
        incomplete: bool,
        clock: Option<(chrono::DateTime<chrono::Utc>, &crate::timed::Timetable)>,
        others: Vec<FrontPath>,
    ) -> Result<RouteAnswer, QueryError> {
        // Only non-dominated ones (fewer borders counts as a win of its own).
        let keep = non_dominated(&cands);
        let cands: Vec<FrontPath> = cands
            .into_iter()
            .zip(keep)
            .filter_map(|(c, k)| k.then_some(c))
            .collect();
        let (mut cands, left_out) = self.short_list(plan, cands)?;
        let left_out = super::families::left_out_text(&left_out);
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
        let left = self.fill_alternatives(plan, &mut cands, &mut chosen, rest, others, n);
        let first_other = left.first_other;
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
            if it.labels.is_empty() && i >= first_other {
                // The best of a corridor family the fastest hides (off the front).
                it.labels.push("other_corridor".into());
            } else if it.labels.is_empty() {
                // On the front, but best at none of the criteria: a trade-off between them.
                it.labels.push("trade_off".into());
            }
            it.corridor = super::families::corridor_name(&it);
            its.push(it);
        }
        explain_alternatives(&mut its);
        let mut answer = self.answer(plan, its, incomplete);
        if !left_out.is_empty() || left.same_family > 0 || left.beyond > 0 {
            let mut parts: Vec<String> = left_out;
            if left.same_family > 0 {
                parts.push(format!(
                    "{} more of a corridor family already shown",
                    left.same_family
                ));
            }
            if left.beyond > 0 {
                parts.push(format!(
                    "{} more of the front beyond the {n} places (alternatives)",
                    left.beyond
                ));
            }
            let more = if plan.all_alternatives {
                format!("raise alternatives (--alternatives, up to {MAX_ALTERNATIVES}) to see more")
            } else {
                "all_alternatives (--all-alternatives) shows the whole front".to_string()
            };
            answer.warnings.push(format!(
                "left out of the alternatives: {}; {more} (docs/alternatives.md)",
                parts.join("; ")
            ));
        }
        Ok(answer)
    }

    /// The candidates the short list keeps (all of them with `all_alternatives`), and why the
    /// others are left out. The fastest always stays, unless `max_days` removes every one
    /// (then `NoRoute` says so).
    fn short_list(
        &self,
        plan: &Plan,
        cands: Vec<FrontPath>,
    ) -> Result<(Vec<FrontPath>, Vec<super::families::Implausible>), QueryError> {
        if plan.all_alternatives && plan.max_days.is_none() {
            return Ok((cands, Vec::new()));
        }
        let fastest_h = cands
            .iter()
            .map(|c| c.crit[TIME])
            .fold(f64::INFINITY, f64::min);
        let mut kept = Vec::new();
        let mut why = Vec::new();
        for c in cands {
            let reason = if plan.all_alternatives {
                plan.max_days
                    .filter(|&d| c.crit[TIME] / 24.0 > d)
                    .map(|d| super::families::Implausible::OverMaxDays(c.crit[TIME] / 24.0, d))
            } else {
                self.implausible(plan, &c, fastest_h)
            };
            match reason {
                Some(r) => why.push(r),
                None => kept.push(c),
            }
        }
        if kept.is_empty() {
            return Err(QueryError::NoRoute {
                message: format!(
                    "no itinerary within max_days {}: the fastest takes {:.1} days",
                    plan.max_days.unwrap_or_default(),
                    fastest_h / 24.0
                ),
                constraint: Some("max_days".into()),
            });
        }
        Ok((kept, why))
    }

    /// The criteria of a found path, summed in the search's order.
    pub(crate) fn path_figures(
        &self,
        plan: &Plan,
        ac: &[Crit],
        tc: &[Crit],
        steps: Vec<Step>,
    ) -> FrontPath {
        let net = self.g();
        let bc = plan.costs.board_crit();
        let mut crit = [0.0; 4];
        let (mut borders, mut trans) = (0, 0);
        for st in &steps {
            let arc = net.arc(st.arc.index());
            let here = arc.from.index();
            let mut t = [0.0; 4];
            if let Ok(Some(_)) = net.transfer(here, st.before, st.after) {
                if let Some(ri) = net.transfer_index(here, st.before, st.after) {
                    t = tc[ri];
                    trans += 1;
                }
            }
            if st.boards() {
                for k in 0..4 {
                    t[k] += bc[st.arc.index()][k];
                }
            }
            for k in 0..4 {
                crit[k] += t[k] + ac[st.arc.index()][k];
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
}

/// Which candidates no other dominates (fewer borders counts as a win of its own; of equal
/// ones the first is kept).
fn non_dominated(cands: &[FrontPath]) -> Vec<bool> {
    let dominated = |i: usize| {
        cands.iter().enumerate().any(|(j, o)| {
            j != i
                && pareto::dominates_crit(&o.crit, &cands[i].crit)
                && o.borders <= cands[i].borders
                && (!pareto::dominates_crit(&cands[i].crit, &o.crit)
                    || o.borders < cands[i].borders
                    || j < i)
        })
    };
    (0..cands.len()).map(|i| !dominated(i)).collect()
}
