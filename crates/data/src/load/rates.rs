//! Rows of `sea_rates.csv`: a link's price by dated rate period.

use super::reader::{FromRow, Row};
use crate::model::*;

impl FromRow for SeaRate {
    const FILE: &'static str = "sea_rates.csv";
    const REQUIRED: &'static [&'static str] = &[
        "link",
        "valid_from",
        "valid_to",
        "cost_fixed",
        "cost_unit",
        "currency",
        "price_year",
        "source",
    ];
    const OPTIONAL: &'static [&'static str] = &["note"];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let link = row.req_str("link");
        let valid_from = row.opt_date("valid_from");
        let valid_to = row.opt_date("valid_to");
        for (col, d) in [("valid_from", valid_from), ("valid_to", valid_to)] {
            if d.is_none() && row.raw(col).is_empty() {
                row.problem(format!("missing {col} (a date YYYY-MM-DD)"));
            }
        }
        if let (Some(a), Some(b)) = (valid_from, valid_to) {
            if b < a {
                row.problem(format!(
                    "valid_to {b} is before valid_from {a}: give the period's first day, then its last"
                ));
            }
        }
        if row.raw("cost_fixed").is_empty() {
            row.problem("missing cost_fixed (the period's price per cost_unit)".into());
        }
        let price = row.price("cost_fixed", None);
        if let Some(p) = &price {
            if !(p.fixed.is_finite() && p.fixed > 0.0) {
                row.problem(format!(
                    "cost_fixed {} is not a price above 0: give the rate as published",
                    p.fixed
                ));
            }
        }
        let source = row.req_str("source");
        let note = row.opt_str("note").unwrap_or_default();
        let (Some(valid_from), Some(valid_to), Some(price)) = (valid_from, valid_to, price) else {
            return None;
        };
        if !row.ok {
            return None;
        }
        Some(SeaRate {
            link,
            valid_from,
            valid_to,
            price,
            source,
            note,
            line: row.line,
        })
    }
}
