//! Cross-file checks of emission_factors.csv and the optional factor files.

use std::collections::{HashMap, HashSet};

use super::{suggest_id, Ctx, Lookups};
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

/// traction.csv: each row names a rail link of links.csv (once), has a known source, does not
/// contradict an electric factor the link already names, and an electrified link has a grid
/// factor for every land country it runs in.
pub(super) fn traction<'a>(r: &'a Records, cx: &mut Ctx<'a>, lk: &Lookups<'a>) {
    const FILE: &str = crate::traction::FILE;
    let links: HashMap<&str, &Link> = r.links.iter().map(|l| (l.id.as_str(), l)).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    for t in &r.traction {
        cx.src(FILE, t.line, "source", &t.source);
        if !seen.insert(&t.link) {
            cx.push(FILE, t.line, format!("second row for link '{}'", t.link));
        }
        let Some(l) = links.get(t.link.as_str()) else {
            let hint = suggest_id(&t.link, r.links.iter().map(|l| l.id.as_str()));
            cx.push(
                FILE,
                t.line,
                format!("link '{}' is not an id in links.csv{hint}", t.link),
            );
            continue;
        };
        if l.mode != Mode::Rail {
            cx.push(
                FILE,
                t.line,
                format!(
                    "link '{}' is {}: traction applies to rail links only (remove the row)",
                    t.link, l.mode
                ),
            );
            continue;
        }
        let factor = match &l.emission_factor {
            Some(ef) => lk.factors.get(ef.as_str()).copied(),
            None => lk.defaults.get(&l.mode).copied(),
        };
        if factor.is_some_and(|f| f.kwh.is_some()) && t.electrified_share < 1.0 {
            cx.push(
                FILE,
                t.line,
                format!(
                    "link '{}' names the electric factor '{}' in links.csv but traction is {}: fix one of them",
                    t.link,
                    l.emission_factor.as_deref().unwrap_or_default(),
                    t.traction.as_str()
                ),
            );
        }
        if t.electrified_share > 0.0 {
            if !r
                .emission_factors
                .iter()
                .any(|f| f.mode == Mode::Rail && f.kwh.is_some())
            {
                cx.push(
                    FILE,
                    t.line,
                    "electric traction needs an electric rail factor (mode rail, kwh) in emission_factors.csv".into(),
                );
            }
            let mut cs: Vec<&str> = Vec::new();
            for id in [&l.from, &l.to] {
                if let Some(p) = lk.places.get(id.as_str()) {
                    cs.push(&p.country);
                }
            }
            cs.extend(l.countries.iter().map(String::as_str));
            cs.dedup();
            for c in cs {
                if !lk.grid.contains(c) {
                    cx.push(
                        FILE,
                        t.line,
                        format!(
                            "link '{}' is electrified but grid_factors.csv has no row for {c} (add one, or mark the link diesel)",
                            t.link
                        ),
                    );
                }
            }
        }
    }
}

/// driving_rules.csv: one row per country (and at most one `all`), each with a known source.
pub(super) fn driving_rules<'a>(r: &'a Records, cx: &mut Ctx<'a>) {
    const FILE: &str = crate::driving::FILE;
    let mut seen: HashSet<&str> = HashSet::new();
    for d in &r.driving_rules {
        cx.src(FILE, d.line, "source", &d.source);
        if !seen.insert(&d.country) {
            cx.push(
                FILE,
                d.line,
                format!("second row for country '{}'", d.country),
            );
        }
    }
}
