//! Baseline against scenarios, lane by lane (`corridor compare`, `/v1/compare`).
//!
//! The caller builds one [`Engine`] on the baseline data and one per scenario (the scenario
//! crate applies the scenario to the data; the engine does not depend on it), and
//! [`compare`] routes every lane of a [`TableRequest`] on each: the best itinerary for the
//! request's objective (time by default), its transit days, cost and CO2e, the deltas against
//! the baseline, and the corridor used (countries in order and the key crossings: sea and
//! ferry legs, border crossings, sea passages), so a diversion shows. A lane that has a
//! baseline route and none under a scenario is flagged `lost_every_route`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::answer::{DataInfo, Itinerary, ScenarioRef};
use crate::error::QueryError;
use crate::route::Engine;
use crate::table::TableRequest;

/// The best itinerary of one lane on one network, as compared.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct LaneOutcome {
    /// Transit time, days (typical).
    pub transit_days: f64,
    /// Cost, USD.
    pub cost_usd: f64,
    /// CO2e, kg (well-to-wheel); null when a leg has no factor.
    pub co2e_kg: Option<f64>,
    /// Countries crossed, in order.
    pub countries: Vec<String>,
    /// The key crossings, in order: sea and ferry legs (`ferry: Port of Aktau → Port of
    /// Baku (Alat)`), the sea passages used (`passage: suez`) and the borders crossed
    /// (`border CN>KZ: Khorgos → Nur Zholy`).
    pub crossings: Vec<String>,
}

impl LaneOutcome {
    fn of(it: &Itinerary) -> LaneOutcome {
        let t = &it.totals;
        // (position in the itinerary, text): sea and ferry legs, their passages, borders.
        let mut steps: Vec<(u32, String)> = Vec::new();
        for l in &it.legs {
            if matches!(l.mode.as_str(), "sea" | "ferry") {
                steps.push((
                    l.seq,
                    format!("{}: {} → {}", l.mode, l.from.name, l.to.name),
                ));
            }
            for p in &l.passages {
                steps.push((l.seq, format!("passage: {p}")));
            }
        }
        for b in &it.borders {
            steps.push((
                b.seq,
                format!(
                    "border {}>{}: {} → {}",
                    b.from_country, b.to_country, b.from.name, b.to.name
                ),
            ));
        }
        steps.sort_by_key(|(seq, _)| *seq);
        let mut crossings: Vec<String> = Vec::new();
        for (_, s) in steps {
            if !crossings.contains(&s) {
                crossings.push(s);
            }
        }
        LaneOutcome {
            transit_days: t.transit_days,
            cost_usd: t.cost_usd,
            co2e_kg: t.co2e_complete.then_some(t.co2e_kg),
            countries: t.countries.clone(),
            crossings,
        }
    }
}

/// One lane under one scenario, against the baseline.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ScenarioLane {
    /// The scenario (its name; several stacked are joined with ` + `).
    pub scenario: String,
    /// The best itinerary under the scenario; null when there is none (see `error`).
    pub outcome: Option<LaneOutcome>,
    /// Why there is no outcome: an error code (`NoRoute`, …).
    pub error: Option<String>,
    /// The error's message.
    pub message: Option<String>,
    /// Scenario minus baseline, days (null unless both have a route).
    pub delta_days: Option<f64>,
    /// Scenario minus baseline, USD.
    pub delta_cost_usd: Option<f64>,
    /// Scenario minus baseline, kg CO2e (null if either CO2e is incomplete).
    pub delta_co2e_kg: Option<f64>,
    /// The corridor changed: other countries or other crossings than the baseline's.
    pub diverted: bool,
    /// The baseline has a route and the scenario has none.
    pub lost_every_route: bool,
}

/// One lane: the baseline and every scenario.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct CompareLane {
    /// Origin as asked.
    pub from: String,
    /// Destination as asked.
    pub to: String,
    /// The best itinerary on the baseline; null when there is none (see `error`).
    pub baseline: Option<LaneOutcome>,
    /// Why the baseline has no outcome (`NoRoute`, `UnknownPlace`, …).
    pub error: Option<String>,
    /// The error's message.
    pub message: Option<String>,
    /// Each scenario, in the order given.
    pub scenarios: Vec<ScenarioLane>,
}

/// The answer of `corridor compare` and `/v1/compare`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct CompareAnswer {
    /// Schema version of the answers.
    pub schema_version: String,
    /// The baseline data.
    pub data: DataInfo,
    /// The scenarios compared, in order, with the short hashes of their texts.
    pub scenarios: Vec<ScenarioRef>,
    /// The objective of every lane (`time` by default).
    pub optimize: String,
    /// The lanes, in the order asked.
    pub lanes: Vec<CompareLane>,
}

/// The best itinerary of a lane, or the per-lane refusal (error code, message). Refusals that
/// are about the whole request (a bad option) are returned as errors.
fn best(
    engine: &Engine,
    req: &TableRequest,
    from: &str,
    to: &str,
) -> Result<Result<LaneOutcome, (String, String)>, QueryError> {
    match engine.route(&Engine::cell_request(req, from, to)) {
        Ok(a) => Ok(match a.itineraries.first() {
            Some(it) => Ok(LaneOutcome::of(it)),
            None => Err(("NoRoute".into(), "no itinerary".into())),
        }),
        Err(
            e @ (QueryError::NoRoute { .. }
            | QueryError::UnknownPlace { .. }
            | QueryError::BudgetExceeded { .. }),
        ) => Ok(Err((e.code().into(), e.to_string()))),
        Err(QueryError::InvalidValue { field, message, .. })
            if field == "from" || field == "to" =>
        {
            Ok(Err(("InvalidValue".into(), format!("{field}: {message}"))))
        }
        Err(e) => Err(e),
    }
}

/// The scenario label of an engine: the names of the scenarios its data carries.
fn label(engine: &Engine) -> (String, String) {
    let s = engine.data_info().scenarios;
    if s.is_empty() {
        let d = engine.data_info();
        return (d.origin, d.hash);
    }
    (
        s.iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        s.iter()
            .map(|r| r.hash.as_str())
            .collect::<Vec<_>>()
            .join("+"),
    )
}

/// Compares every lane of `req` on `base` and on each of `variants` (one engine per scenario,
/// in order), calling `progress(done, total)` after each lane.
pub fn compare(
    base: &Engine,
    variants: &[&Engine],
    req: &TableRequest,
    progress: impl FnMut(usize, usize),
) -> Result<CompareAnswer, QueryError> {
    compare_while(base, variants, req, progress, || true)
}

/// [`compare`], asking `go` before each lane: once it answers `false` (the caller no longer
/// waits) the comparison stops with `BudgetExceeded` instead of running on.
pub fn compare_while(
    base: &Engine,
    variants: &[&Engine],
    req: &TableRequest,
    mut progress: impl FnMut(usize, usize),
    mut go: impl FnMut() -> bool,
) -> Result<CompareAnswer, QueryError> {
    let lanes = req.lanes()?;
    if let Some((f, t)) = lanes.first() {
        base.check_options(&Engine::cell_request(req, f, t))?;
    }
    let labels: Vec<(String, String)> = variants.iter().map(|e| label(e)).collect();
    let mut out = Vec::with_capacity(lanes.len());
    for (i, (from, to)) in lanes.iter().enumerate() {
        if !go() {
            return Err(crate::table::stopped());
        }
        let baseline = best(base, req, from, to)?;
        let mut scenarios = Vec::with_capacity(variants.len());
        for (engine, (name, _)) in variants.iter().zip(&labels) {
            let r = best(engine, req, from, to)?;
            scenarios.push(versus(name, baseline.as_ref().ok(), r));
        }
        let (b, error, message) = match baseline {
            Ok(b) => (Some(b), None, None),
            Err((c, m)) => (None, Some(c), Some(m)),
        };
        out.push(CompareLane {
            from: from.clone(),
            to: to.clone(),
            baseline: b,
            error,
            message,
            scenarios,
        });
        progress(i + 1, lanes.len());
    }
    Ok(CompareAnswer {
        schema_version: crate::answer::SCHEMA_VERSION.into(),
        data: base.data_info(),
        scenarios: labels
            .into_iter()
            .map(|(name, hash)| ScenarioRef { name, hash })
            .collect(),
        optimize: req.optimize.clone().unwrap_or_else(|| "time".into()),
        lanes: out,
    })
}

/// A scenario's outcome against the baseline's.
fn versus(
    name: &str,
    base: Option<&LaneOutcome>,
    r: Result<LaneOutcome, (String, String)>,
) -> ScenarioLane {
    match r {
        Ok(o) => ScenarioLane {
            scenario: name.into(),
            delta_days: base.map(|b| o.transit_days - b.transit_days),
            delta_cost_usd: base.map(|b| o.cost_usd - b.cost_usd),
            delta_co2e_kg: base.and_then(|b| Some(o.co2e_kg? - b.co2e_kg?)),
            diverted: base
                .is_some_and(|b| b.countries != o.countries || b.crossings != o.crossings),
            lost_every_route: false,
            outcome: Some(o),
            error: None,
            message: None,
        },
        Err((code, message)) => ScenarioLane {
            scenario: name.into(),
            lost_every_route: base.is_some() && code == "NoRoute",
            outcome: None,
            error: Some(code),
            message: Some(message),
            delta_days: None,
            delta_cost_usd: None,
            delta_co2e_kg: None,
            diverted: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_data::Dataset;

    /// The baseline against itself: no delta, no diversion; deltas equal separate routes.
    #[test]
    fn a_network_against_itself_changes_nothing() {
        let e = Engine::new(Dataset::embedded().unwrap());
        let req = TableRequest {
            pairs: vec![["Urumqi".into(), "Baku".into()]],
            ..Default::default()
        };
        let a = compare(&e, &[&e], &req, |_, _| {}).unwrap();
        let lane = &a.lanes[0];
        let b = lane.baseline.as_ref().unwrap();
        let direct = e
            .route(&Engine::cell_request(&req, "Urumqi", "Baku"))
            .unwrap();
        assert_eq!(b.transit_days, direct.itineraries[0].totals.transit_days);
        let s = &lane.scenarios[0];
        assert_eq!(s.delta_days, Some(0.0));
        assert_eq!(s.delta_cost_usd, Some(0.0));
        assert!(!s.diverted && !s.lost_every_route);
        assert!(
            b.countries.first().map(String::as_str) == Some("CN"),
            "{b:?}"
        );
    }
}
