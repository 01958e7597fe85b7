//! Cross-file checks of emission_factors.csv and the optional factor files.

use std::collections::{HashMap, HashSet};

use super::{suggest_id, Ctx};
use crate::load::Records;
use crate::model::*;

/// Emission factors: unique ids, one default per mode, sources. Returns the factors by id and
/// the default of each mode.
#[allow(clippy::type_complexity)]
pub(super) fn emission_factors<'a>(
    r: &'a Records,
    cx: &mut Ctx<'a>,
) -> (
    HashMap<&'a str, &'a EmissionFactor>,
    HashMap<Mode, &'a EmissionFactor>,
) {
    let mut factors: HashMap<&str, &EmissionFactor> = HashMap::new();
    let mut defaults: HashMap<Mode, &EmissionFactor> = HashMap::new();
    for f in &r.emission_factors {
        if factors.insert(&f.id, f).is_some() {
            cx.push(
                "emission_factors.csv",
                f.line,
                format!("duplicate factor id '{}'", f.id),
            );
        }
        if let Some(m) = f.default_for {
            if let Some(prev) = defaults.insert(m, f) {
                cx.push(
                    "emission_factors.csv",
                    f.line,
                    format!(
                        "second default for {m} (line {} is already the default)",
                        prev.line
                    ),
                );
            }
        }
        cx.src("emission_factors.csv", f.line, "source", &f.source);
    }
    (factors, defaults)
}

/// grid_factors.csv, hub_factors.csv, pollutant_factors.csv: one row per key, known factors,
/// sources. Returns the countries with a grid factor.
pub(super) fn factor_files<'a>(
    r: &'a Records,
    cx: &mut Ctx<'a>,
    factors: &HashMap<&'a str, &'a EmissionFactor>,
) -> HashSet<&'a str> {
    let grid: HashSet<&str> = r.grid_factors.iter().map(|g| g.country.as_str()).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    for g in &r.grid_factors {
        if !seen.insert(&g.country) {
            cx.push(
                "grid_factors.csv",
                g.line,
                format!("second row for country {}", g.country),
            );
        }
        cx.src("grid_factors.csv", g.line, "source", &g.source);
    }
    let mut seen: HashSet<&str> = HashSet::new();
    for h in &r.hub_factors {
        if !seen.insert(&h.id) {
            cx.push(
                "hub_factors.csv",
                h.line,
                format!("duplicate hub factor id '{}'", h.id),
            );
        }
        cx.src("hub_factors.csv", h.line, "source", &h.source);
    }
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for pf in &r.pollutant_factors {
        if !factors.contains_key(pf.factor.as_str()) {
            let hint = suggest_id(&pf.factor, r.emission_factors.iter().map(|f| f.id.as_str()));
            cx.push(
                "pollutant_factors.csv",
                pf.line,
                format!(
                    "factor '{}' is not an id in emission_factors.csv{hint}",
                    pf.factor
                ),
            );
        }
        if !seen.insert((&pf.factor, &pf.pollutant)) {
            cx.push(
                "pollutant_factors.csv",
                pf.line,
                format!("second {} row for factor {}", pf.pollutant, pf.factor),
            );
        }
        cx.src("pollutant_factors.csv", pf.line, "source", &pf.source);
    }
    grid
}
