//! Stage 8, the answer: itineraries wrapped with the query as understood (echo), the data
//! they come from and the answer-wide warnings; and the texts that explain alternatives
//! against each other.

use std::collections::BTreeSet;

use corridor_data::{Commodity, Resolved};

use super::plan::Plan;
use super::Engine;
use crate::answer::*;
use crate::cargo::PAYLOAD_T_PER_TEU;

impl Engine {
    /// The answer for a plan's itineraries.
    pub(crate) fn answer(
        &self,
        plan: &Plan,
        itineraries: Vec<Itinerary>,
        incomplete: bool,
    ) -> RouteAnswer {
        let net = self.g();
        let ds = net.dataset();
        let echo = |(input, r): &(String, Resolved)| EndpointEcho {
            input: input.clone(),
            label: r.label.clone(),
            group: r.group.clone(),
            places: r.places.iter().map(|&p| net.place(p).id.clone()).collect(),
        };
        let years: BTreeSet<i32> = ds
            .links
            .iter()
            .filter_map(|l| l.price.as_ref().map(|p| p.price_year))
            .collect();
        let mut warnings = vec![
            plan.carriage_note.clone().unwrap_or_else(|| {
                "terminal to terminal: pre- and on-carriage to the door and origin/destination terminal handling are not included".to_string()
            }),
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
                "alternatives: {} the Pareto front over transit time, cost, CO2e and risk (up to {n}, fastest first), with {:.0}% ε-dominance; {}",
                if plan.all_alternatives {
                    "the whole of"
                } else {
                    "a short list (plausible, one per corridor family, docs/alternatives.md) of"
                },
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
        warnings.extend(self.cargo_warnings(plan));
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
                    .map(|rule| AvoidEcho {
                        kind: rule.what.kind().into(),
                        value: rule.label.clone(),
                    })
                    .collect(),
                include_planned: plan.include_planned,
                alternatives: plan.alternatives,
                max_transshipments: plan.max_transshipments,
                max_borders: plan.max_borders,
                all_alternatives: plan.all_alternatives,
                max_days: plan.max_days,
                constraints: ConstraintsEcho {
                    reefer: plan.opts.reefer,
                    dangerous_goods: plan.opts.dangerous_goods.clone(),
                    goods: plan.opts.goods.as_str().into(),
                    customs: plan.opts.customs.as_str().into(),
                    drivers: (plan.opts.drivers != 1).then_some(plan.opts.drivers),
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
pub(crate) fn explain_alternatives(its: &mut [Itinerary]) {
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

impl Engine {
    /// What the answer says of the cargo: how it was read, and what that leaves out (so the
    /// question can be changed), and the limits of the cargo rules applied.
    fn cargo_warnings(&self, plan: &Plan) -> Vec<String> {
        let mut w = Vec::new();
        if !plan.commodity_given && plan.commodity == Commodity::Bulk {
            w.push(format!(
                "cargo {} read as dry bulk (tonnes without --commodity): bulk prices and rules apply; for goods in containers add --commodity container ({:.1} TEU at {} t net per TEU), for liquids --commodity liquid",
                plan.cargo.label(),
                plan.cargo.teu(),
                plan.cargo.payload_t_per_teu()
            ));
        }
        if plan.cargo.is_boxes()
            && self.g().arcs().any(|a| a.mode == corridor_data::Mode::Air)
            && !plan.avoid.iter().any(|r| {
                matches!(
                    r.what,
                    super::request::Avoid::Mode(corridor_data::Mode::Air)
                )
            })
        {
            w.push(format!(
                "air left out: containers ({}) do not fly (air freight is loose cargo priced per kg); to compare air, give the cargo in tonnes (e.g. --cargo 5t)",
                plan.cargo.label()
            ));
        }
        if plan.commodity == Commodity::Container && !plan.cargo.is_boxes() {
            w.push(format!(
                "containerised tonnage: {:.1} TEU at {} t net per TEU",
                plan.cargo.teu(),
                plan.cargo.payload_t_per_teu()
            ));
        }
        w.extend(plan.cons.warnings.iter().cloned());
        if plan.opts.reefer {
            w.push("reefer: legs and places are taken as giving reefer power unless cargo_rules.csv says otherwise (no_reefer); confirm plugs and gensets with the operators".into());
        }
        if let Some(c) = &plan.opts.dangerous_goods {
            w.push(format!(
                "dangerous goods class {c}: only the bans in cargo_rules.csv are applied; ADR/RID/IMDG documents, segregation and quantity limits are not checked"
            ));
        }
        w
    }
}
