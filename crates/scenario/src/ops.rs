//! Parsing the operations of a `[[change]]` (`wait_h`, `dwell_h`, `close`, `capacity`, `cost`,
//! `customs_default`): their TOML shape and their checks, each problem at its line.

use chrono::NaiveDate;
use corridor_data::constraints::{Goods, Regime};
use corridor_data::{CostUnit, Price, Range3};
use serde::Deserialize;
use toml::Spanned;

use crate::error::Problems;
use crate::model::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAdjust {
    pub(crate) add: Option<Spanned<f64>>,
    pub(crate) factor: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClose {
    pub(crate) from: Option<Spanned<toml::Value>>,
    pub(crate) to: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCapacity {
    pub(crate) factor: Option<Spanned<f64>>,
    pub(crate) set: Option<Spanned<f64>>,
    pub(crate) unit: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCost {
    pub(crate) factor: Option<Spanned<f64>>,
    pub(crate) fixed: Option<Spanned<f64>>,
    pub(crate) per_km: Option<Spanned<f64>>,
    pub(crate) unit: Option<Spanned<String>>,
    pub(crate) currency: Option<Spanned<String>>,
    pub(crate) price_year: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCustoms {
    pub(crate) regime: Spanned<String>,
    pub(crate) goods: Option<Spanned<String>>,
    pub(crate) dwell_h: Option<Spanned<Vec<f64>>>,
}

pub(crate) fn check_factor(p: &mut Problems<'_>, f: &Spanned<f64>, what: &str) -> Option<f64> {
    let v = *f.get_ref();
    if !v.is_finite() || v <= 0.0 {
        p.at(
            f.span().start,
            format!("{what} factor {v} is not a finite number above 0 (use close to shut a link; 1 changes nothing)"),
        );
        return None;
    }
    Some(v)
}

pub(crate) fn adjust(p: &mut Problems<'_>, a: Spanned<RawAdjust>) -> Option<Adjust> {
    let at = a.span().start;
    let a = a.into_inner();
    match (a.add, a.factor) {
        (Some(h), None) => {
            let v = *h.get_ref();
            if !v.is_finite() {
                p.at(
                    h.span().start,
                    format!("add = {v} is not a finite number of hours"),
                );
                return None;
            }
            Some(Adjust::Add(v))
        }
        (None, Some(f)) => check_factor(p, &f, "the").map(Adjust::Factor),
        _ => {
            p.at(
                at,
                "give exactly one of add (hours) and factor, e.g. { add = 240 } or { factor = 1.5 }",
            );
            None
        }
    }
}

pub(crate) fn date(p: &mut Problems<'_>, v: &Spanned<toml::Value>, key: &str) -> Option<NaiveDate> {
    let text = match v.get_ref() {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        _ => String::new(),
    };
    match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            p.at(
                v.span().start,
                format!("{key} must be a date YYYY-MM-DD (e.g. {key} = 2026-12-01)"),
            );
            None
        }
    }
}

pub(crate) fn close(p: &mut Problems<'_>, c: Spanned<RawClose>) -> Option<Operation> {
    let at = c.span().start;
    let c = c.into_inner();
    match (&c.from, &c.to) {
        (None, None) => Some(Operation::Close {
            from: None,
            to: None,
        }),
        (Some(f), Some(t)) => {
            let from = date(p, f, "from");
            let to = date(p, t, "to");
            let (from, to) = (from?, to?);
            if from > to {
                p.at(
                    f.span().start,
                    format!("closure from {from} is after to {to}: the range is reversed (from is the first closed day, to the last)"),
                );
                return None;
            }
            Some(Operation::Close {
                from: Some(from),
                to: Some(to),
            })
        }
        _ => {
            p.at(at, "a dated closure needs both from and to (close = { from = 2026-12-01, to = 2027-03-31 }); close = {} closes for the whole scenario");
            None
        }
    }
}

pub(crate) fn capacity(p: &mut Problems<'_>, c: Spanned<RawCapacity>) -> Option<Operation> {
    let at = c.span().start;
    let c = c.into_inner();
    match (c.factor, c.set) {
        (Some(f), None) => {
            if let Some(u) = &c.unit {
                p.at(u.span().start, "unit goes with set, not with factor");
                return None;
            }
            check_factor(p, &f, "capacity").map(|f| Operation::Capacity(CapacityChange::Factor(f)))
        }
        (None, Some(s)) => {
            let v = *s.get_ref();
            if !v.is_finite() || v <= 0.0 {
                p.at(
                    s.span().start,
                    format!(
                        "capacity {v} is not a finite number above 0 (use close to shut a link)"
                    ),
                );
                return None;
            }
            let unit = match c.unit {
                Some(u) => {
                    let head = u.get_ref().split("_per_").next().unwrap_or("");
                    if !u.get_ref().contains("_per_")
                        || !corridor_data::constraints::CAPACITY_HEADS.contains(&head)
                    {
                        p.at(u.span().start, format!("capacity unit '{}' is not WHAT_per_DEPARTURE with WHAT one of {} (e.g. trucks_per_sailing)", u.get_ref(), corridor_data::constraints::CAPACITY_HEADS.join(", ")));
                        return None;
                    }
                    Some(u.into_inner())
                }
                None => None,
            };
            Some(Operation::Capacity(CapacityChange::Set { value: v, unit }))
        }
        _ => {
            p.at(
                at,
                "give exactly one of factor and set, e.g. capacity = { factor = 1.5 }",
            );
            None
        }
    }
}

pub(crate) fn cost_change(p: &mut Problems<'_>, c: Spanned<RawCost>) -> Option<Operation> {
    let at = c.span().start;
    let c = c.into_inner();
    let price_keys = c.fixed.is_some()
        || c.per_km.is_some()
        || c.unit.is_some()
        || c.currency.is_some()
        || c.price_year.is_some();
    match (c.factor, price_keys) {
        (Some(f), false) => {
            check_factor(p, &f, "cost").map(|f| Operation::Cost(CostChange::Factor(f)))
        }
        (None, true) => {
            let (Some(unit), Some(currency), Some(year)) = (&c.unit, &c.currency, &c.price_year)
            else {
                p.at(at, "a new price needs fixed and/or per_km, unit, currency and price_year (cost = { fixed = 4984, unit = \"feu\", currency = \"USD\", price_year = 2024 })");
                return None;
            };
            if c.fixed.is_none() && c.per_km.is_none() {
                p.at(at, "a new price needs fixed or per_km");
                return None;
            }
            let mut ok = true;
            let mut num = |v: &Option<Spanned<f64>>, key: &str| -> f64 {
                match v {
                    Some(x) if x.get_ref().is_finite() && *x.get_ref() >= 0.0 => *x.get_ref(),
                    Some(x) => {
                        p.at(
                            x.span().start,
                            format!("{key} = {} is not a finite amount ≥ 0", x.get_ref()),
                        );
                        ok = false;
                        0.0
                    }
                    None => 0.0,
                }
            };
            let fixed = num(&c.fixed, "fixed");
            let per_km = num(&c.per_km, "per_km");
            let Some(unit_v) = CostUnit::parse(unit.get_ref()) else {
                p.at(
                    unit.span().start,
                    format!(
                        "cost unit '{}' is not feu, teu, box, truck, wagon, t or kg",
                        unit.get_ref()
                    ),
                );
                return None;
            };
            let cur = currency.get_ref().trim();
            if cur.len() != 3 || !cur.chars().all(|ch| ch.is_ascii_uppercase()) {
                p.at(
                    currency.span().start,
                    format!("currency '{cur}' is not an ISO 4217 code (e.g. \"USD\")"),
                );
                return None;
            }
            let y = *year.get_ref();
            if !(1900..=2200).contains(&y) {
                p.at(year.span().start, format!("price_year {y} is not a year"));
                return None;
            }
            ok.then(|| {
                Operation::Cost(CostChange::Set(Price {
                    fixed,
                    per_km,
                    unit: unit_v,
                    currency: cur.to_string(),
                    price_year: y as i32,
                }))
            })
        }
        _ => {
            p.at(at, "give either factor or a new price (fixed/per_km, unit, currency, price_year), not both");
            None
        }
    }
}

pub(crate) fn customs(p: &mut Problems<'_>, c: Spanned<RawCustoms>) -> Option<Operation> {
    let c = c.into_inner();
    let Some(regime) = Regime::parse(c.regime.get_ref()) else {
        p.at(
            c.regime.span().start,
            format!(
                "regime '{}' is not tir, green_channel or bonded",
                c.regime.get_ref()
            ),
        );
        return None;
    };
    if regime == Regime::Standard {
        p.at(
            c.regime.span().start,
            "regime 'standard' is already the default: name tir, green_channel or bonded",
        );
        return None;
    }
    let goods = match &c.goods {
        None => None,
        Some(g) => match Goods::parse(g.get_ref()) {
            Some(Goods::General) => None,
            Some(x) => Some(x),
            None => {
                p.at(
                    g.span().start,
                    format!("goods '{}' is not general or agricultural", g.get_ref()),
                );
                return None;
            }
        },
    };
    let dwell_h = match &c.dwell_h {
        None => None,
        Some(d) => {
            let v = d.get_ref();
            let ok = v.len() == 3
                && v.iter().all(|x| x.is_finite() && *x >= 0.0)
                && v[1] <= v[0]
                && v[0] <= v[2];
            if !ok {
                p.at(
                    d.span().start,
                    "dwell_h must be [typical, low, high] hours, finite, ≥ 0, low ≤ typical ≤ high",
                );
                return None;
            }
            Some(Range3 {
                typical: v[0],
                low: v[1],
                high: v[2],
            })
        }
    };
    Some(Operation::CustomsDefault {
        regime,
        goods,
        dwell_h,
    })
}
