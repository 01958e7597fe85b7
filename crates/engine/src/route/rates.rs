//! Dated rate periods (`sea_rates.csv`): which period prices a link on the query's date.
//!
//! A query with a date (`depart`, else `arrive_by`) prices each link that has a rate period
//! covering that date (UTC) at the period's figure; an undated query, or a date no period
//! covers, keeps the link's own price in `links.csv`. The cost model asks here once per plan;
//! the itinerary names the period it used on the leg.

use std::collections::HashMap;

use chrono::NaiveDate;
use corridor_data::{Dataset, SeaRate};

use crate::answer::RatePeriod;

/// Link id → the `sea_rates.csv` row (index) whose period covers `date`; empty when undated.
pub(crate) fn periods_on(ds: &Dataset, date: Option<NaiveDate>) -> HashMap<String, usize> {
    let Some(d) = date else {
        return HashMap::new();
    };
    ds.sea_rates
        .iter()
        .enumerate()
        .filter(|(_, s)| s.valid_from <= d && d <= s.valid_to)
        .map(|(i, s)| (s.link.clone(), i))
        .collect()
}

/// The period's price for `units` of cargo, USD (NaN where fx.csv lacks the currency, which
/// validation refuses).
pub(crate) fn usd(ds: &Dataset, row: &SeaRate, units: f64) -> f64 {
    units * row.price.fixed * ds.usd_per(&row.price.currency).unwrap_or(f64::NAN)
}

/// The period as the answer names it on the leg.
pub(crate) fn period_ref(row: &SeaRate) -> RatePeriod {
    RatePeriod {
        valid_from: row.valid_from.to_string(),
        valid_to: row.valid_to.to_string(),
        cost_fixed: row.price.fixed,
        cost_unit: row.price.unit.as_str().into(),
        currency: row.price.currency.clone(),
        source: row.source.clone(),
    }
}
