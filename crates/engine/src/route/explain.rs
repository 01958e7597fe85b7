//! Stage 6, explain: why a request has no route (the constraint that cut the last one off,
//! found by adding constraints one at a time) or none within its budget.

use super::plan::{Active, Plan};
use super::request::Optimize;
use super::Engine;
use crate::error::QueryError;

/// One rung of the ladder of constraints added one at a time.
struct Rung {
    /// The constraints in force up to this rung.
    act: Active,
    /// The constraint added, as given (`--avoid country:KZ`).
    constraint: String,
    /// Why no route is left once it is added.
    why: String,
    /// Whether this rung excludes planned links (no hint to include them on this one).
    planned: bool,
}

impl Rung {
    fn new(act: Active, constraint: String, why: String) -> Rung {
        Rung {
            act,
            constraint,
            why,
            planned: false,
        }
    }
}

impl Engine {
    /// Adds constraints one at a time; the first whose addition leaves no route is named.
    pub(crate) fn explain_no_route(&self, plan: &Plan) -> QueryError {
        let from = &plan.from.1.label;
        let to = &plan.to.1.label;
        let none = Active {
            commodity: false,
            suspended: false,
            planned: false,
            n_avoid: 0,
            n_via: 0,
            cuts: 0,
        };
        if self.run(plan, none).is_none() {
            return QueryError::NoRoute {
                message: format!(
                    "no route from {from} to {to}: they are not connected in the network (even with every constraint lifted); check the data's links"
                ),
                constraint: None,
            };
        }
        let ladder = self.ladder(plan, none);
        // With every constraint but the planned-link exclusion, is there a route? Then say so.
        let planned_hint = !plan.include_planned
            && self
                .run(
                    plan,
                    Active {
                        planned: false,
                        ..ladder.last().map(|r| r.act).unwrap_or(none)
                    },
                )
                .is_some();
        let mut prev: Option<Active> = None;
        for rung in ladder {
            let a = rung.act;
            if self.run(plan, a).is_none() {
                // A cargo constraint: name the rules that cut the route found without it.
                let added = a.cuts & !prev.map_or(0, |p| p.cuts);
                let why = if added != 0 {
                    let mut rs = prev
                        .and_then(|p| self.run(plan, p))
                        .map(|(_, steps)| {
                            plan.cons
                                .reasons(steps.iter().map(|s| s.arc.index()), added)
                        })
                        .unwrap_or_default();
                    if rs.is_empty() {
                        rs = plan.cons.all_reasons(added, 5);
                    }
                    format!("{}; it was cut at: {}", rung.why, rs.join("; "))
                } else {
                    rung.why
                };
                let hint = if planned_hint && !rung.planned {
                    " (a route exists over planned or under-construction links: add --include-planned)"
                } else {
                    ""
                };
                return QueryError::NoRoute {
                    message: format!("no route from {from} to {to}: {why}{hint}"),
                    constraint: Some(rung.constraint),
                };
            }
            prev = Some(a);
        }
        self.explain_limits(plan)
    }

    /// The plan's constraints, added one at a time from `act` (none in force).
    fn ladder(&self, plan: &Plan, mut act: Active) -> Vec<Rung> {
        let from = &plan.from.1.label;
        let to = &plan.to.1.label;
        let mut ladder: Vec<Rung> = Vec::new();
        act.commodity = true;
        ladder.push(Rung::new(
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
        ladder.push(Rung::new(
            act,
            "suspended links".into(),
            "the only routes use suspended links".into(),
        ));
        if !plan.include_planned {
            act.planned = true;
            ladder.push(Rung {
                planned: true,
                ..Rung::new(
                    act,
                    "planned links excluded".into(),
                    "the only routes use planned or under-construction links: add --include-planned to consider them".into(),
                )
            });
        }
        for (i, rule) in plan.avoid.iter().enumerate() {
            act.n_avoid = i + 1;
            let typed = &rule.typed;
            ladder.push(Rung::new(
                act,
                format!("--avoid {typed}"),
                format!("--avoid {typed} cut off the last route (routes exist without it)"),
            ));
        }
        for (bit, name, why) in plan.cons.ladder(&plan.opts, &plan.cargo) {
            act.cuts |= bit;
            ladder.push(Rung::new(act, name, why));
        }
        for (i, (typed, _)) in plan.via.iter().enumerate() {
            act.n_via = i + 1;
            ladder.push(Rung::new(
                act,
                format!("--via {typed}"),
                format!(
                    "--via {typed} cannot be reached and left again under the other constraints"
                ),
            ));
        }
        ladder
    }

    /// Every other constraint leaves a route: the limits on borders and transshipments cut it
    /// off. Adds them one at a time (time only, exact).
    fn explain_limits(&self, plan: &Plan) -> QueryError {
        let from = &plan.from.1.label;
        let to = &plan.to.1.label;
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
        for (i, (flag, limit, what)) in limits.into_iter().enumerate() {
            let Some(n) = limit else { continue };
            if i == 0 {
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

    /// The error of a search that ran out of its budget before finding any route.
    pub(crate) fn budget_error(&self, plan: &Plan, timed_out: bool) -> QueryError {
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

    /// The warning of an answer cut short by a budget.
    pub(crate) fn incomplete_warning(&self, plan: &Plan) -> String {
        match plan.budget {
            Some((ms, _)) if plan.out_of_time() => format!(
                "incomplete: the search stopped at its time budget of {ms} ms (budget_ms); better alternatives may exist"
            ),
            _ => format!(
                "incomplete: the search stopped at its budget of {} labels; better alternatives may exist",
                self.pareto.max_labels
            ),
        }
    }
}
