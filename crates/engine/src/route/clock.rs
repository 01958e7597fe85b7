//! Routes on the clock: `--depart` (earliest arrival, or the time-dependent Pareto front and
//! the other objectives), `--arrive-by` alone (the latest departure that still arrives by
//! then) and both together (a window: depart no earlier, arrive no later).
//!
//! Every search here uses the same arc function ([`Engine::arc_clock`]): a timetabled link
//! waits for its next departure that is not closed, other links keep their expected wait and
//! are cut while closed. Clock time is a criterion *during* the search (labels carry the hours
//! since the departure), so a route's cost and CO2e are weighed against when it arrives, not
//! against its expected transit time.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, Utc};
use corridor_data::{ClosureEffect, Mode};

use super::plan::{Active, Plan};
use super::request::Optimize;
use super::Engine;
use crate::answer::{CalendarHold, ClosureRef, Itinerary, RouteAnswer};
use crate::error::QueryError;
use crate::pareto::{self, FrontPath, CO2E, COST, RISK, TIME};
use crate::search::Step;
use crate::timed::{at, fmt_local, fmt_utc, hours, Timetable};

/// How far before `--arrive-by` a departure is looked for (the timetable horizon).
const LOOKBACK_MIN: i64 = 400 * 24 * 60;

impl Engine {
    /// Answers a request with `depart` and/or `arrive_by`.
    pub(crate) fn route_clock(&self, plan: &Plan, all: Active) -> Result<RouteAnswer, QueryError> {
        let tt = &self.timetable;
        let (t0, latest) = match (plan.depart, plan.arrive_by) {
            (Some(d), _) => (d, false),
            (None, Some(a)) => (self.latest_departure(plan, all, a)?, true),
            (None, None) => {
                return Err(QueryError::InvalidQuery {
                    message: "a clock query needs --depart or --arrive-by".into(),
                })
            }
        };
        // The window's end in hours after t0 (slack for the minute grid of the times).
        let by_h = plan.arrive_by.map(|a| hours(t0, a) + 1e-9);
        if let Some(n) = plan.alternatives {
            return self.route_front_clock(plan, all, n as usize, t0, tt, by_h);
        }
        let (steps, incomplete) = if plan.optimize == Optimize::Time && !plan.constrained() {
            match self.run_timed(plan, all, t0, true) {
                Ok((arr, steps)) if by_h.is_none_or(|b| arr <= b) => {
                    // Road legs rest along their chains, which the search weighs per leg: when
                    // the found path's chains rest longer, the front's paths are timed so too.
                    let delta = self.chain_delta(plan, &steps);
                    if delta > 1e-9 {
                        let f = self.run_front_clock(plan, all, None, t0, by_h);
                        (
                            self.chained_fastest(plan, f.paths, arr + delta, steps),
                            false,
                        )
                    } else {
                        (steps, false)
                    }
                }
                _ => return Err(self.explain_no_route_clock(plan, all, t0, by_h)),
            }
        } else {
            // Cost, CO2e, or limits on borders/transshipments: label-setting over the
            // objective and the clock (a cheaper label that arrives later is kept).
            let k = match plan.optimize {
                Optimize::Time => TIME,
                Optimize::Cost => COST,
                Optimize::Co2 => CO2E,
            };
            let f = self.run_front_clock(plan, all, Some(k), t0, by_h);
            let best = f.paths.into_iter().min_by(|a, b| {
                a.crit[k]
                    .total_cmp(&b.crit[k])
                    .then(a.crit[TIME].total_cmp(&b.crit[TIME]))
            });
            match best {
                Some(p) => (p.steps, f.incomplete),
                None if f.incomplete => return Err(self.budget_error(plan, f.timed_out)),
                None => return Err(self.explain_no_route_clock(plan, all, t0, by_h)),
            }
        };
        let mut it = self.itinerary(plan, &steps);
        it.labels = vec![if latest {
            "latest_departure".into()
        } else {
            plan.optimize.label().into()
        }];
        self.clock(plan, &steps, &mut it, t0, tt);
        let mut answer = self.answer(plan, vec![it], incomplete);
        if incomplete {
            answer.warnings.push(self.incomplete_warning(plan));
        }
        Ok(answer)
    }

    /// The time-dependent Pareto front from `t0`, each single-criterion optimum added (exact:
    /// a two-criteria search over it and the clock), labelled and explained.
    fn route_front_clock(
        &self,
        plan: &Plan,
        all: Active,
        n: usize,
        t0: DateTime<Utc>,
        tt: &Timetable,
        by_h: Option<f64>,
    ) -> Result<RouteAnswer, QueryError> {
        let front = self.run_front_clock(plan, all, None, t0, by_h);
        if front.paths.is_empty() {
            if front.incomplete {
                return Err(self.budget_error(plan, front.timed_out));
            }
            return Err(self.explain_no_route_clock(plan, all, t0, by_h));
        }
        let mut incomplete = front.incomplete;
        let mut cands: Vec<FrontPath> = Vec::new();
        let add = |p: FrontPath, cands: &mut Vec<FrontPath>| {
            if !cands.iter().any(|c| c.steps == p.steps) {
                cands.push(p);
            }
        };
        // With ε > 0 the front may have dropped an optimum for a near one: search each exactly.
        if self.pareto.epsilon > 0.0 && !plan.constrained() {
            if let Ok((arr, steps)) = self.run_timed(plan, all, t0, true) {
                if by_h.is_none_or(|b| arr <= b) {
                    let (ac, tc) = plan.costs.criteria(self, true);
                    let mut p = self.path_figures(plan, ac, tc, steps);
                    p.crit[TIME] = arr;
                    add(p, &mut cands);
                }
            }
            for k in [COST, CO2E, RISK] {
                let f = self.run_front_clock(plan, all, Some(k), t0, by_h);
                incomplete |= f.incomplete;
                let best = f.paths.into_iter().min_by(|a, b| {
                    a.crit[k]
                        .total_cmp(&b.crit[k])
                        .then(a.crit[TIME].total_cmp(&b.crit[TIME]))
                });
                if let Some(p) = best {
                    // The search over the clock and one criterion leaves CO2e out unless it is
                    // that criterion (zero in `crit`): figure the path on every criterion, or a
                    // cost optimum would pass for the lowest CO2e and hide the real one.
                    let (ac, tc) = plan.costs.criteria(self, true);
                    let arrival = p.crit[TIME];
                    let mut full = self.path_figures(plan, ac, tc, p.steps);
                    full.crit[TIME] = arrival;
                    add(full, &mut cands);
                }
            }
        }
        for p in front.paths {
            add(p, &mut cands);
        }
        // Road legs rest along their chains, not from a fresh start each as searched.
        self.chain_correct(plan, &mut cands);
        self.front_answer(plan, cands, n, incomplete, Some((t0, tt)), Vec::new())
    }

    /// Label-setting on the clock from `t0`: over all four criteria (`objective` None, the
    /// engine's ε), or over the clock and one criterion (exact, ε = 0). Labels arriving after
    /// `by_h` are not created (arrival only grows along a path, so this prunes nothing useful).
    pub(crate) fn run_front_clock(
        &self,
        plan: &Plan,
        act: Active,
        objective: Option<usize>,
        t0: DateTime<Utc>,
        by_h: Option<f64>,
    ) -> pareto::Front {
        let with_co2 = objective.is_none_or(|k| k == CO2E);
        let (ac, tc) = plan.costs.criteria(self, with_co2);
        let mut blocked = BTreeSet::new();
        let arc_time = |ai, t, tr, boards| {
            let (_, arr) = self.arc_clock(plan, ai, (t + tr, boards), t0, true, &mut blocked)?;
            by_h.is_none_or(|b| arr <= b).then_some(arr)
        };
        self.front_search(plan, act, objective, true, plan.limits(), ac, tc, arc_time)
    }

    /// The latest departure (to the minute) whose earliest arrival is no later than `by`.
    ///
    /// Earliest arrival is monotone in the departure (FIFO: waiting for a later departure
    /// never arrives earlier), so the latest feasible minute is found by doubling the lead
    /// time until a departure arrives in time, then bisecting. Departing at the answer's
    /// departure gives the same itinerary (the same deterministic search).
    fn latest_departure(
        &self,
        plan: &Plan,
        all: Active,
        by: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, QueryError> {
        let fits = |m: i64| -> Result<bool, QueryError> {
            if plan.out_of_time() {
                return Err(self.budget_error(plan, true));
            }
            let t = by - Duration::minutes(m);
            Ok(self
                .run_timed(plan, all, t, true)
                .is_ok_and(|(arr, _)| at(t, arr) <= by))
        };
        // The expected (untimed) transit time is a first guess of the lead time.
        let Some((w, _)) = self.run(plan, all) else {
            return Err(self.explain_no_route(plan));
        };
        let mut lead = ((w.0 * 60.0).ceil() as i64).clamp(1, LOOKBACK_MIN);
        let mut late = 0;
        while !fits(lead)? {
            if lead >= LOOKBACK_MIN {
                return Err(QueryError::NoRoute {
                    message: format!(
                        "no route from {} to {} arrives by {}: no departure in the 400 days before it is in time (timetables, closures)",
                        plan.from.1.label,
                        plan.to.1.label,
                        fmt_utc(by)
                    ),
                    constraint: Some(format!("--arrive-by {}", fmt_utc(by))),
                });
            }
            late = lead;
            lead = (lead * 2).min(LOOKBACK_MIN);
        }
        // fits(lead), !fits(late) (late = 0: departing at the deadline arrives after it).
        while lead - late > 1 {
            let mid = late + (lead - late) / 2;
            if fits(mid)? {
                lead = mid;
            } else {
                late = mid;
            }
        }
        let depart = by - Duration::minutes(lead);
        if depart.year() < 1970 {
            // Timetables are searched in 1970..=2200 (the plan refuses other years): a
            // departure before that is outside what the clock can answer.
            return Err(QueryError::NoRoute {
                message: format!(
                    "no route from {} to {} arrives by {}: the latest departure would be {}, before the years 1970 to 2200 that timetables are searched in",
                    plan.from.1.label,
                    plan.to.1.label,
                    fmt_utc(by),
                    fmt_utc(depart)
                ),
                constraint: Some(format!("--arrive-by {}", fmt_utc(by))),
            });
        }
        Ok(depart)
    }

    /// Why a clock query has no route: closures that cut every route (named with their
    /// lines), the `--arrive-by` deadline (with the earliest arrival there is), or the
    /// constraints of [`Engine::explain_no_route`].
    fn explain_no_route_clock(
        &self,
        plan: &Plan,
        all: Active,
        t0: DateTime<Utc>,
        by_h: Option<f64>,
    ) -> QueryError {
        let from = &plan.from.1.label;
        let to = &plan.to.1.label;
        match self.run_timed(plan, all, t0, true) {
            Ok((arr, _)) => {
                if let (Some(b), Some(by)) = (by_h, plan.arrive_by) {
                    if arr > b {
                        return QueryError::NoRoute {
                            message: format!(
                                "no route from {from} to {to} departing {} arrives by {}: the earliest arrival is {}",
                                fmt_utc(t0),
                                fmt_utc(by),
                                fmt_utc(at(t0, arr))
                            ),
                            constraint: Some(format!("--arrive-by {}", fmt_utc(by))),
                        };
                    }
                }
                self.explain_no_route(plan)
            }
            Err(blocked) => {
                if blocked.is_empty() || self.run_timed(plan, all, t0, false).is_err() {
                    return self.explain_no_route(plan);
                }
                let ds = self.g().dataset();
                let names: Vec<String> = blocked
                    .iter()
                    .map(|&i| {
                        let c = &ds.closures[i];
                        format!(
                            "{} {} closed {} to {} ({}; closures.csv:{})",
                            if c.link.is_some() { "link" } else { "place" },
                            c.link.as_deref().or(c.place.as_deref()).unwrap_or(""),
                            c.from_date,
                            c.to_date,
                            c.reason,
                            c.line
                        )
                    })
                    .collect();
                QueryError::NoRoute {
                    message: format!(
                        "no route from {from} to {to} departing {}: closures cut off every route: {}",
                        fmt_utc(t0),
                        names.join("; ")
                    ),
                    constraint: Some(format!("closure: {}", names.join("; "))),
                }
            }
        }
    }

    /// (departure, arrival) in hours after `t0` of an arc left for at `ready_h`: the wait is
    /// until the next timetabled departure, or the expected wait. A train that starts at the
    /// tail (`waits=boarding`) is waited for only by cargo that `boards` there.
    ///
    /// With `closures`, a closed link or place is not offered: on a timetabled link the cargo
    /// waits for the first departure that is not closed; elsewhere the arc is cut (the closures
    /// that cut or delayed something go into `blocked`).
    pub(crate) fn arc_clock(
        &self,
        plan: &Plan,
        ai: usize,
        (ready_h, boards): (f64, bool),
        t0: chrono::DateTime<chrono::Utc>,
        closures: bool,
        blocked: &mut BTreeSet<usize>,
    ) -> Option<(f64, f64)> {
        let tt = &self.timetable;
        let arc = self.g().arc(ai);
        // The dwell of the plan's customs regime where one applies.
        let trip = arc.moving_h.typical + plan.costs.arc(ai).dwell_h.typical;
        // A storm season's added wait (`delay` rows) before anything else.
        let ready_h = match closures.then(|| tt.delay(self.g(), ai, at(t0, ready_h))) {
            Some(Some((t, _))) => hours(t0, t),
            _ => ready_h,
        };
        if !tt.applies(ai, boards) {
            // The expected wait, a road leg's drivers' rests from a fresh start included, and
            // for cargo boarding a train that starts here, the wait for it.
            let cost = plan.costs.arc(ai);
            let board_h = if boards && !tt.is_timetabled(ai) {
                cost.board_wait_h.typical
            } else {
                0.0
            };
            let mut dep_h = ready_h + cost.wait_h.typical + board_h;
            if closures {
                // Held where it stands while a `wait` row closes the link or its origin.
                if let Some((t, _)) = tt.reopen(self.g(), ai, at(t0, dep_h)) {
                    dep_h = hours(t0, t);
                }
                if let Some(ci) = tt.closure(self.g(), ai, at(t0, dep_h), at(t0, dep_h + trip)) {
                    blocked.insert(ci);
                    return None;
                }
            }
            return Some((dep_h, dep_h + trip));
        }
        let mut ready = at(t0, ready_h);
        // A closure lasts days; a few hundred skipped departures cover any plausible one.
        for _ in 0..500 {
            let dep = tt.next_departure(self.g(), ai, ready)?;
            let dep_h = hours(t0, dep).max(ready_h);
            if closures {
                if let Some(ci) = tt.closure(self.g(), ai, dep, at(t0, dep_h + trip)) {
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
    pub(crate) fn clock(
        &self,
        plan: &Plan,
        steps: &[Step],
        it: &mut Itinerary,
        t0: chrono::DateTime<chrono::Utc>,
        tt: &Timetable,
    ) {
        let net = self.g();
        let mut t = 0.0;
        let mut legs = it.legs.iter_mut();
        let mut borders = it.borders.iter_mut();
        let mut extra_wait = 0.0;
        // Road legs rest along the chain of road legs, not from a fresh start each.
        let rests = self.chain_rests(plan, steps);
        for (st, &rest) in steps.iter().zip(&rests) {
            let ai = st.arc.index();
            let arc = net.arc(ai);
            let here = arc.from.index();
            if let Ok(Some(rule)) = net.transfer(here, st.before, st.after) {
                t += rule.hours.typical;
            }
            let mut skipped = BTreeSet::new();
            let boards = st.boards();
            let Some((dep, arr)) = self.arc_clock(plan, ai, (t, boards), t0, true, &mut skipped)
            else {
                return;
            };
            let timetabled = tt.applies(ai, boards);
            // Hours the calendar held it beyond the expected wait (a timetabled link's whole
            // wait is the timetable's, and only closed departures it skipped are a hold).
            let cost = plan.costs.arc(ai);
            let expected_wait = cost.wait_h.typical
                + if boards {
                    cost.board_wait_h.typical
                } else {
                    0.0
                };
            let hold = self.calendar_hold(ai, (t, dep), t0, timetabled, expected_wait, &skipped);
            if arc.mode == Mode::Border {
                if let Some(b) = borders.next() {
                    if let Some(h) = hold {
                        extra_wait += h.hours;
                        b.calendar_hold = Some(h);
                    }
                }
            } else {
                if let Some(leg) = legs.next() {
                    let (zf, zt) = (tt.zone(here), tt.zone(arc.to.index()));
                    // The leg starts when the cargo is ready for it (its wait is part of it).
                    let (start, end) = (at(t0, t), at(t0, arr));
                    if timetabled {
                        leg.wait_h = dep - t;
                        extra_wait += leg.wait_h - expected_wait;
                        if let Some(train) = &mut leg.train {
                            train.wait_h = (leg.wait_h - cost.wait_h.typical).max(0.0);
                        }
                    } else if let Some(h) = &hold {
                        leg.wait_h += h.hours;
                        extra_wait += h.hours;
                    }
                    leg.calendar_hold = hold;
                    leg.depart_utc = Some(fmt_utc(start));
                    leg.depart_local = Some(fmt_local(start, zf));
                    leg.arrive_utc = Some(fmt_utc(end));
                    leg.arrive_local = Some(fmt_local(end, zt));
                }
            }
            t = arr + (rest - plan.costs.arc(ai).rest_h.typical);
        }
        let tot = &mut it.totals;
        tot.wait_h += extra_wait;
        tot.transit_h = tot.moving_h + tot.wait_h + tot.dwell_h;
        tot.transit_days = tot.transit_h / 24.0;
        let zf = tt.zone(plan.from.1.places[0]);
        let last = steps
            .last()
            .map(|s| net.arc(s.arc.index()).to.index())
            .unwrap_or(0);
        let zt = tt.zone(last);
        tot.depart_utc = Some(fmt_utc(t0));
        tot.depart_local = Some(fmt_local(t0, zf));
        tot.arrive_utc = Some(fmt_utc(at(t0, t)));
        tot.arrive_local = Some(fmt_local(at(t0, t), zt));
    }

    /// What the closure calendar did to an arc the cargo was ready for at `ready_h` and left
    /// at `dep_h`: the hours beyond its expected wait (for a timetabled arc, the departures it
    /// skipped as closed count, named by `skipped`) and the rows that held it.
    fn calendar_hold(
        &self,
        ai: usize,
        (ready_h, dep_h): (f64, f64),
        t0: DateTime<Utc>,
        timetabled: bool,
        expected_wait: f64,
        skipped: &BTreeSet<usize>,
    ) -> Option<CalendarHold> {
        let (g, tt) = (self.g(), &self.timetable);
        let mut rows: Vec<usize> = Vec::new();
        let mut t = at(t0, ready_h);
        if let Some((d, i)) = tt.delay(g, ai, t) {
            rows.push(i);
            t = d;
        }
        let hours_held = if timetabled {
            rows.extend(skipped.iter().copied());
            // Against the first departure it could have taken without the calendar.
            match tt.next_departure(g, ai, at(t0, ready_h)) {
                Some(first) => dep_h - hours(t0, first).max(ready_h),
                None => 0.0,
            }
        } else {
            let expected = at(t, expected_wait);
            if let Some((_, i)) = tt.reopen(g, ai, expected) {
                rows.push(i);
            }
            dep_h - ready_h - expected_wait
        };
        if rows.is_empty() || hours_held <= 1e-6 {
            return None;
        }
        let ds = g.dataset();
        let closures = rows
            .iter()
            .map(|&i| {
                let c = &ds.closures[i];
                ClosureRef {
                    element: match (&c.link, &c.place) {
                        (Some(l), _) => format!("link:{l}"),
                        (_, Some(p)) => format!("place:{p}"),
                        _ => String::new(),
                    },
                    effect: match c.effect {
                        ClosureEffect::Closed => "closed",
                        ClosureEffect::Wait => "wait",
                        ClosureEffect::Delay(_) => "delay",
                    }
                    .into(),
                    from_date: c.from_date.to_string(),
                    to_date: c.to_date.to_string(),
                    weekdays: c.weekdays.iter().map(|w| w.to_string()).collect(),
                    added_wait_h: match c.effect {
                        ClosureEffect::Delay(h) => Some(h),
                        _ => None,
                    },
                    reason: c.reason.clone(),
                    source: c.source.clone(),
                }
            })
            .collect();
        Some(CalendarHold {
            hours: hours_held,
            closures,
        })
    }
}
