//! Stage 2, the plan: the request resolved and validated: endpoints as place sets, the
//! contradictions no search can resolve refused, the clock window, the budget, the cargo
//! constraints, and the plan's cost model (stage 3), built once here.

use corridor_data::{Commodity, Resolved};

use super::costs::CostModel;
use super::request::{
    Avoid, AvoidRule, Optimize, Options, RouteRequest, DEFAULT_ALTERNATIVES, MAX_AVOID, MAX_VIA,
};
use super::Engine;
use crate::cargo::Cargo;
use crate::constraints::{CargoOptions, Constraints, CUT_ALL};
use crate::error::QueryError;

/// Why the route pipeline refused a request, as data: callers branch on the variant, never
/// on message text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Refusal {
    /// `from` and `to` (as typed) resolve to a common place: a problem of this pair only (a
    /// table reports it in the pair's cell).
    SamePlace { from: String, to: String },
    /// Any other error, as the interfaces show it.
    Query(QueryError),
}

impl From<QueryError> for Refusal {
    fn from(e: QueryError) -> Refusal {
        Refusal::Query(e)
    }
}

impl From<Refusal> for QueryError {
    fn from(r: Refusal) -> QueryError {
        match r {
            Refusal::SamePlace { from, to } => QueryError::InvalidQuery {
                message: format!("from '{from}' and to '{to}' are the same place"),
            },
            Refusal::Query(e) => e,
        }
    }
}

/// A resolved, validated query.
pub(crate) struct Plan {
    /// Origin as typed and resolved.
    pub(crate) from: (String, Resolved),
    /// Destination as typed and resolved.
    pub(crate) to: (String, Resolved),
    /// Via places as typed and resolved, in order.
    pub(crate) via: Vec<(String, Resolved)>,
    pub(crate) cargo: Cargo,
    pub(crate) commodity: Commodity,
    pub(crate) optimize: Optimize,
    pub(crate) avoid: Vec<AvoidRule>,
    pub(crate) include_planned: bool,
    /// `Some(n)`: answer the Pareto front, at most n itineraries; `None`: one, for `optimize`.
    pub(crate) alternatives: Option<u32>,
    /// The whole front (no short-list rules: [`super::families`]).
    pub(crate) all_alternatives: bool,
    /// `max_days`: itineraries slower than this are left out.
    pub(crate) max_days: Option<f64>,
    pub(crate) max_transshipments: Option<u32>,
    pub(crate) max_borders: Option<u32>,
    /// `--depart` as an instant.
    pub(crate) depart: Option<chrono::DateTime<chrono::Utc>>,
    /// `--arrive-by` as an instant.
    pub(crate) arrive_by: Option<chrono::DateTime<chrono::Utc>>,
    /// The budget that applies in ms (the request's, capped by the caller's) and the instant
    /// it runs out (from the start of planning).
    pub(crate) budget: Option<(u64, std::time::Instant)>,
    /// Whether the request gave `budget_ms` (then the answer echoes the budget that applied).
    pub(crate) echo_budget: bool,
    /// Reefer, dangerous goods, goods, customs regime.
    pub(crate) opts: CargoOptions,
    /// Per-arc filters and customs for this cargo.
    pub(crate) cons: Constraints,
    /// Per-arc and per-transfer figures for this cargo (stage 3).
    pub(crate) costs: CostModel,
    /// What the answer says about pre- and on-carriage: the door note of a door query
    /// ([`crate::door`]); `None`: terminal to terminal.
    pub(crate) carriage_note: Option<String>,
    /// Whether the commodity was given (`--commodity`) rather than read from the cargo.
    pub(crate) commodity_given: bool,
}

impl Plan {
    pub(crate) fn deadline(&self) -> Option<std::time::Instant> {
        self.budget.map(|b| b.1)
    }
    pub(crate) fn out_of_time(&self) -> bool {
        self.deadline()
            .is_some_and(|d| std::time::Instant::now() >= d)
    }
    /// (`--max-borders`, `--max-transshipments`).
    pub(crate) fn limits(&self) -> (Option<u32>, Option<u32>) {
        (self.max_borders, self.max_transshipments)
    }
    /// Whether limits apply that Dijkstra ignores (then label-setting runs).
    pub(crate) fn constrained(&self) -> bool {
        self.max_borders.is_some() || self.max_transshipments.is_some()
    }
    /// Whether the query runs on the clock (`--depart` and/or `--arrive-by`).
    pub(crate) fn on_clock(&self) -> bool {
        self.depart.is_some() || self.arrive_by.is_some()
    }
}

/// Which constraints are active, for the search and for explaining a missing route.
#[derive(Clone, Copy)]
pub(crate) struct Active {
    pub(crate) commodity: bool,
    pub(crate) suspended: bool,
    pub(crate) planned: bool,
    pub(crate) n_avoid: usize,
    pub(crate) n_via: usize,
    /// Cargo constraint kinds in force (bits of `constraints::CUT_*`).
    pub(crate) cuts: u8,
}

impl Active {
    /// Every constraint of the plan.
    pub(crate) fn all(plan: &Plan) -> Active {
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

impl Engine {
    /// Resolves and validates a request; `cap_ms` caps its search budget (a server's
    /// per-query budget: the request's `budget_ms` may lower it, not raise it).
    pub(crate) fn plan(&self, req: &RouteRequest, cap_ms: Option<u64>) -> Result<Plan, Refusal> {
        let started = std::time::Instant::now();
        if req.via.len() > MAX_VIA {
            return Err(QueryError::TooBig {
                message: format!("{} via places given; at most {MAX_VIA}", req.via.len()),
            }
            .into());
        }
        if req.avoid.len() > MAX_AVOID {
            return Err(QueryError::TooBig {
                message: format!("{} avoid items given; at most {MAX_AVOID}", req.avoid.len()),
            }
            .into());
        }
        let Options {
            cargo,
            commodity,
            optimize,
            avoid,
            cargo_opts: opts,
        } = self.options(req)?;
        let from = (req.from.clone(), self.resolve("from", &req.from)?);
        let to = (req.to.clone(), self.resolve("to", &req.to)?);
        let mut via = Vec::new();
        for v in &req.via {
            via.push((v.clone(), self.resolve("via", v)?));
        }
        // Contradictions that no search can resolve.
        if from.1.places.iter().any(|p| to.1.places.contains(p)) {
            return Err(Refusal::SamePlace {
                from: req.from.clone(),
                to: req.to.clone(),
            });
        }
        self.check_endpoints_not_avoided(&from, &to, &via, &avoid)?;
        let alternatives = match (&req.optimize, req.alternatives) {
            (Some(_), None) => None,
            (None, n) => Some(n.unwrap_or(DEFAULT_ALTERNATIVES)),
            (Some(o), Some(_)) => {
                return Err(QueryError::InvalidQuery {
                    message: format!("--optimize {o} asks for one itinerary and --alternatives for several: give one of them"),
                }
                .into())
            }
        };
        let (depart, arrive_by) = self.clock_window(req, &from.1, &to.1, optimize)?;
        let alternatives = if arrive_by.is_some() && depart.is_none() {
            None
        } else {
            alternatives
        };
        let mut budget = req
            .budget_ms
            .map(|ms| (ms, started + std::time::Duration::from_millis(ms)));
        if let Some(cap) = cap_ms {
            let ms = budget.map_or(cap, |(b, _)| b.min(cap));
            budget = Some((ms, started + std::time::Duration::from_millis(ms)));
        }
        let cons = Constraints::new(self.g(), &self.rules, &opts, &cargo, commodity)?;
        // Dated rate periods (sea_rates.csv) price the links on the query's date, if it has one.
        let rate_date = depart.or(arrive_by).map(|t| t.date_naive());
        // Trains for the destination's country (services.csv `to_countries`) where given.
        let dest_country =
            to.1.places
                .first()
                .map(|&p| self.g().place(p).country.clone());
        let costs = CostModel::new(
            self,
            (&cargo, commodity),
            &cons,
            rate_date,
            opts.drivers,
            dest_country.as_deref(),
        );
        Ok(Plan {
            opts,
            cons,
            costs,
            carriage_note: None,
            commodity_given: req.commodity.is_some(),
            depart,
            arrive_by,
            budget,
            echo_budget: req.budget_ms.is_some(),
            from,
            to,
            via,
            cargo,
            commodity,
            optimize,
            avoid,
            include_planned: req.include_planned,
            alternatives,
            all_alternatives: req.all_alternatives,
            max_days: req.max_days,
            max_transshipments: req.max_transshipments,
            max_borders: req.max_borders,
        })
    }

    /// Refuses an endpoint that lies wholly in an avoided country or place.
    fn check_endpoints_not_avoided(
        &self,
        from: &(String, Resolved),
        to: &(String, Resolved),
        via: &[(String, Resolved)],
        avoid: &[AvoidRule],
    ) -> Result<(), QueryError> {
        let net = self.g();
        let endpoints = std::iter::once(("from", from))
            .chain(std::iter::once(("to", to)))
            .chain(via.iter().map(|v| ("via", v)));
        for (field, (input, r)) in endpoints {
            for AvoidRule { what, label, typed } in avoid {
                let hit = r.places.iter().all(|&p| {
                    let pl = net.place(p);
                    match what {
                        Avoid::Country(c) => &pl.country == c,
                        Avoid::Place(ps) => ps.contains(&p),
                        _ => false,
                    }
                });
                if hit {
                    return Err(QueryError::InvalidQuery {
                        message: format!(
                            "contradictory constraints: {field} '{input}' is in the avoided {} {label} (--avoid {typed})",
                            what.kind()
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// `--depart` and `--arrive-by` as instants, checked against each other and the objective.
    #[allow(clippy::type_complexity)]
    fn clock_window(
        &self,
        req: &RouteRequest,
        from: &Resolved,
        to: &Resolved,
        optimize: Optimize,
    ) -> Result<
        (
            Option<chrono::DateTime<chrono::Utc>>,
            Option<chrono::DateTime<chrono::Utc>>,
        ),
        QueryError,
    > {
        let instant = |field: &str, v: &Option<String>, place: usize| match v {
            None => Ok(None),
            Some(d) => {
                let tz = crate::timed::place_zone(self.g().place(place));
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
        let depart = instant("depart", &req.depart, from.places[0])?;
        let arrive_by = instant("arrive_by", &req.arrive_by, to.places[0])?;
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
        Ok((depart, arrive_by))
    }
}
