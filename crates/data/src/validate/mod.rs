//! Cross-file checks: references, ranges, geography, connectivity.
//!
//! Each check reports file:line and a reason; [`validate`] returns every problem at once.

use std::collections::{HashMap, HashSet};

use crate::load::Records;
use crate::model::*;
use crate::problem::Problem;

mod calendar;
mod constraints;
mod distributions;
mod factors;
mod flows;
mod geometry;
mod links;
mod places;
pub mod ranges;
mod rates;

pub use crate::geodesy::{great_circle_km, EARTH_RADIUS_KM};
pub use crate::problem::suggest_id;

/// Named passages known to corridor.
pub const PASSAGES: [&str; 12] = [
    "suez",
    "bab_el_mandeb",
    "malacca",
    "gibraltar",
    "bosporus",
    "dardanelles",
    "hormuz",
    "cape_of_good_hope",
    "panama",
    "volga_don",
    "northern_sea_route",
    "english_channel",
];

/// Tolerance for the great-circle check: coordinates carry two decimals (±0.6 km each end).
const GC_SLACK_KM: f64 = 2.0;

fn is_country(c: &str) -> bool {
    c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())
}

/// Checks the parsed records against each other. Returns every problem found.
pub fn validate(r: &Records) -> Vec<Problem> {
    validate_citing(r, &[])
}

/// As [`validate`], counting the sources `also_cited` as used (by figures about to be derived
/// from the data, e.g. `corridor derive-geometry`'s network sources).
pub fn validate_citing(r: &Records, also_cited: &[&str]) -> Vec<Problem> {
    validate_with(r, also_cited, &|_| true)
}

/// As [`validate_citing`], requiring only the sources for which `must_be_cited(line)` holds
/// to be cited: in layered data, the top layer's own (a lower layer's source that an overlay
/// left uncited, by replacing or removing the rows citing it, is no fault of either).
/// The source ids a text cites (`SRC-…` words).
pub(super) fn cited(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("SRC-") && w.len() > 4)
        .map(|w| w.trim_end_matches('-'))
}

pub(crate) fn validate_with(
    r: &Records,
    also_cited: &[&str],
    must_be_cited: &dyn Fn(u64) -> bool,
) -> Vec<Problem> {
    let mut cx = Ctx::default();
    for id in also_cited {
        cx.used.insert(id);
    }
    for s in &r.sources {
        if !cx.sources.insert(&s.id) {
            cx.push(
                "sources.csv",
                s.line,
                format!("duplicate source id '{}'", s.id),
            );
        }
    }
    let fx = fx_rates(r, &mut cx);
    let places = places::groups_and_places(r, &mut cx);
    let (factors, defaults) = factors::emission_factors(r, &mut cx);
    calendar::services_and_closures(r, &mut cx);
    rates::sea_rates(r, &mut cx);
    distributions::distributions(r, &mut cx);
    let grid = factors::factor_files(r, &mut cx, &factors);
    let lk = Lookups {
        fx,
        places,
        factors,
        defaults,
        grid,
    };
    let connected = links::links(r, &mut cx, &lk);
    links::transfers(r, &mut cx, &lk);
    factors::traction(r, &mut cx, &lk);
    factors::driving_rules(r, &mut cx);
    flows::capacity_and_demand(r, &mut cx, &lk);

    // Connectivity.
    for pl in &r.places {
        if !connected.contains(pl.id.as_str()) {
            cx.push(
                "places.csv",
                pl.line,
                format!("place '{}' has no links: nothing connects to it", pl.id),
            );
        }
    }

    constraints::validate(r, &mut cx);
    // link_geometry.csv (derived): its own checks; its sources count as used.
    for g in &r.link_geometry {
        cx.used.insert(g.source.as_str());
    }
    cx.p.extend(geometry::validate(r));

    // A figure's source that derives it from others (an estimate computed from a published
    // figure) cites them in its note: those count as used too, through any chain.
    let known: HashMap<&str, &Source> = r.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut todo: Vec<&str> = cx.used.iter().copied().collect();
    while let Some(id) = todo.pop() {
        let Some(s) = known.get(id) else { continue };
        for c in cited(&s.note) {
            if known.contains_key(c) && cx.used.insert(c) {
                todo.push(c);
            }
        }
    }
    // Unused sources are worth flagging: a source list that drifts from the data hides errors.
    for s in &r.sources {
        if !cx.used.contains(s.id.as_str()) && must_be_cited(s.line) {
            cx.push(
                "sources.csv",
                s.line,
                format!("source '{}' is not used by any figure", s.id),
            );
        }
    }
    cx.p.sort();
    cx.p
}

/// Lookups over checked files that later checks consult.
struct Lookups<'a> {
    /// Currencies with a rate in fx.csv.
    fx: HashSet<&'a str>,
    /// Places by id.
    places: HashMap<&'a str, &'a Place>,
    /// Emission factors by id.
    factors: HashMap<&'a str, &'a EmissionFactor>,
    /// The default emission factor of each mode.
    defaults: HashMap<Mode, &'a EmissionFactor>,
    /// Countries with a grid factor.
    grid: HashSet<&'a str>,
}

impl Lookups<'_> {
    /// A price's currency has a rate.
    fn check_price(&self, cx: &mut Ctx<'_>, file: &str, line: u64, price: &Option<Price>) {
        let fx = &self.fx;
        if let Some(pr) = price {
            if !fx.contains(pr.currency.as_str()) {
                cx.push(
                    file,
                    line,
                    format!(
                        "currency '{}' has no rate in fx.csv (add a row: currency,usd_per_unit,year,source)",
                        pr.currency
                    ),
                );
            }
        }
    }
}

/// fx.csv: one rate per currency, each with a source. Returns the currencies.
fn fx_rates<'a>(r: &'a Records, cx: &mut Ctx<'a>) -> HashSet<&'a str> {
    let mut fx: HashSet<&str> = HashSet::new();
    for f in &r.fx {
        if !fx.insert(&f.currency) {
            cx.push(
                "fx.csv",
                f.line,
                format!("duplicate currency '{}'", f.currency),
            );
        }
        cx.src("fx.csv", f.line, "source", &f.source);
    }
    fx
}

#[derive(Default)]
pub(crate) struct Ctx<'a> {
    p: Vec<Problem>,
    sources: HashSet<&'a str>,
    used: HashSet<&'a str>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn push(&mut self, file: &str, line: u64, message: String) {
        self.p.push(Problem {
            file: file.into(),
            line,
            message,
        });
    }
    pub(crate) fn src(&mut self, file: &str, line: u64, col: &str, id: &'a str) {
        if id.is_empty() {
            return;
        }
        if self.sources.contains(id) {
            self.used.insert(id);
        } else {
            self.push(
                file,
                line,
                format!("{col} '{id}' is not an id in sources.csv"),
            );
        }
    }
}
