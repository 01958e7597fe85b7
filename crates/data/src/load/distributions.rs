//! Rows of `distributions.csv`: published percentiles and samples of times (border dwell,
//! port waits, …) for the reliability model. Cross-file checks (the element exists, the
//! sources exist) are in `validate::distributions`.

use super::reader::{FromRow, Row};
use crate::model::*;

/// `p:hours|p:hours|…` as (probability, hours) points, increasing from p = 0 to p = 1.
fn percentiles(row: &mut Row<'_>, items: &[String]) -> Option<Vec<(f64, f64)>> {
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let parsed = it.split_once(':').and_then(|(p, h)| {
            Some((p.trim().parse::<f64>().ok()?, h.trim().parse::<f64>().ok()?))
        });
        match parsed {
            Some((p, h)) if p.is_finite() && h.is_finite() => out.push((p, h)),
            _ => {
                row.problem(format!(
                    "points: '{it}' is not probability:hours (e.g. 0.5:72)"
                ));
                return None;
            }
        }
    }
    if out.len() < 2 || out[0].0 != 0.0 || out[out.len() - 1].0 != 1.0 {
        row.problem(
            "points: percentiles must start at probability 0 (the minimum) and end at 1 (the maximum), e.g. 0:24|0.5:60|1:336".into(),
        );
        return None;
    }
    for w in out.windows(2) {
        if w[1].0 <= w[0].0 || w[1].1 < w[0].1 {
            row.problem(format!(
                "points: {}:{} after {}:{}; probabilities must increase and hours not decrease",
                w[1].0, w[1].1, w[0].0, w[0].1
            ));
            return None;
        }
    }
    Some(out)
}

/// `hours|hours|…` as observations.
fn samples(row: &mut Row<'_>, items: &[String]) -> Option<Vec<f64>> {
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        match it.parse::<f64>() {
            Ok(h) if h.is_finite() => out.push(h),
            _ => {
                row.problem(format!("points: '{it}' is not a number of hours"));
                return None;
            }
        }
    }
    if out.is_empty() {
        row.problem("points: no observations; give hours separated by |".into());
        return None;
    }
    Some(out)
}

impl FromRow for Distribution {
    const FILE: &'static str = "distributions.csv";
    const REQUIRED: &'static [&'static str] =
        &["id", "element", "quantity", "form", "points", "source"];
    const OPTIONAL: &'static [&'static str] = &["year", "note"];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let id = row.req_str("id");
        let element = row.req_str("element");
        match element.split_once(':') {
            Some(("link" | "place", id)) if !id.is_empty() => {}
            _ if element.is_empty() => {}
            _ => row.problem(format!("element '{element}' is not link:ID or place:ID")),
        }
        let quantity = row.req_str("quantity");
        if !quantity.is_empty() && !DISTRIBUTION_QUANTITIES.contains(&quantity.as_str()) {
            row.problem(format!(
                "quantity '{quantity}' is not one of {}",
                DISTRIBUTION_QUANTITIES.join(", ")
            ));
        }
        if element.starts_with("place:") && quantity != "dwell_h" && !quantity.is_empty() {
            row.problem(format!(
                "a place's distribution is the dwell of its transfers: quantity must be dwell_h, not '{quantity}'"
            ));
        }
        let items = row.list("points");
        let form = match row.raw("form") {
            "percentiles" => percentiles(row, &items).map(DistributionForm::Percentiles),
            "samples" => samples(row, &items).map(DistributionForm::Samples),
            other => {
                row.problem(format!("form '{other}' is not percentiles or samples"));
                None
            }
        };
        if let Some(f) = &form {
            let negative = match f {
                DistributionForm::Percentiles(p) => p.iter().any(|x| x.1 < 0.0),
                DistributionForm::Samples(s) => s.iter().any(|x| *x < 0.0),
            };
            if negative {
                row.problem("points: a negative time; times are ≥ 0 hours".into());
            }
        }
        let sources = row.list("source");
        if sources.is_empty() {
            row.problem("missing source".into());
        }
        let year = row.opt_str("year");
        Some(Distribution {
            id,
            element,
            quantity,
            form: form?,
            year,
            sources,
            line: row.line,
        })
    }
}
