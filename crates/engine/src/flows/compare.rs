//! A flow run against its baseline: what diverts, what saturates, what capacity would relieve
//! it (`corridor assign --compare`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::report::{FlowAnswer, BOTTLENECK_VC};

/// One capacity in both runs.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CapacityChange {
    /// Capacity row id.
    pub id: String,
    /// What it binds.
    pub name: String,
    /// Direction.
    pub direction: String,
    /// V/C in the baseline (absent: not in the baseline's data).
    pub vc_baseline: Option<f64>,
    /// V/C in the run (absent: not in the run's data, e.g. closed).
    pub vc: Option<f64>,
    /// Load change, TEU per year.
    pub load_change_teu_per_year: f64,
}

/// One corridor's flow in both runs.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CorridorChange {
    /// The corridor in words.
    pub corridor: String,
    /// TEU per year in the baseline.
    pub baseline_teu_per_year: f64,
    /// TEU per year in the run.
    pub teu_per_year: f64,
}

/// The run against the baseline.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FlowComparison {
    /// Capacities, the largest rise of V/C first.
    pub capacities: Vec<CapacityChange>,
    /// Corridors, the largest change of flow first.
    pub corridors: Vec<CorridorChange>,
    /// Capacities at or over V/C 0.8 in the run that were under it in the baseline.
    pub newly_saturated: Vec<String>,
    /// Total generalised cost change, USD per year.
    pub total_cost_change_usd_per_year: f64,
}

/// Compares `run` with `baseline`.
pub fn compare(baseline: &FlowAnswer, run: &FlowAnswer) -> FlowComparison {
    let key = |id: &str, d: &str| format!("{id}/{d}");
    let mut caps: BTreeMap<String, CapacityChange> = BTreeMap::new();
    for c in &baseline.capacities {
        caps.insert(
            key(&c.id, &c.direction),
            CapacityChange {
                id: c.id.clone(),
                name: c.name.clone(),
                direction: c.direction.clone(),
                vc_baseline: Some(c.vc),
                vc: None,
                load_change_teu_per_year: -c.load_teu_per_year,
            },
        );
    }
    for c in &run.capacities {
        let e = caps
            .entry(key(&c.id, &c.direction))
            .or_insert_with(|| CapacityChange {
                id: c.id.clone(),
                name: c.name.clone(),
                direction: c.direction.clone(),
                vc_baseline: None,
                vc: None,
                load_change_teu_per_year: 0.0,
            });
        e.vc = Some(c.vc);
        e.load_change_teu_per_year += c.load_teu_per_year;
    }
    let mut capacities: Vec<CapacityChange> = caps.into_values().collect();
    let rise = |c: &CapacityChange| c.vc.unwrap_or(0.0) - c.vc_baseline.unwrap_or(0.0);
    capacities.sort_by(|a, b| rise(b).total_cmp(&rise(a)).then(a.id.cmp(&b.id)));
    let newly_saturated = capacities
        .iter()
        .filter(|c| {
            c.vc.is_some_and(|v| v >= BOTTLENECK_VC)
                && c.vc_baseline.is_none_or(|v| v < BOTTLENECK_VC)
        })
        .map(|c| c.name.clone())
        .collect();
    let mut cors: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for c in &baseline.corridors {
        cors.entry(c.corridor.clone()).or_default().0 += c.teu_per_year;
    }
    for c in &run.corridors {
        cors.entry(c.corridor.clone()).or_default().1 += c.teu_per_year;
    }
    let mut corridors: Vec<CorridorChange> = cors
        .into_iter()
        .map(|(corridor, (b, r))| CorridorChange {
            corridor,
            baseline_teu_per_year: b,
            teu_per_year: r,
        })
        .collect();
    corridors.sort_by(|a, b| {
        (b.teu_per_year - b.baseline_teu_per_year)
            .abs()
            .total_cmp(&(a.teu_per_year - a.baseline_teu_per_year).abs())
    });
    FlowComparison {
        capacities,
        corridors,
        newly_saturated,
        total_cost_change_usd_per_year: run.total_cost_usd_per_year
            - baseline.total_cost_usd_per_year,
    }
}
