//! Reading `capacity.csv` and `demand.csv` (and `--demand` files).

use super::reader::{read_rows, FromRow, Row};
use crate::flows::{CapDirection, CapElement, Capacity, DemandRow};
use crate::problem::Problem;

/// A positive, finite number in `col`, or a problem naming it.
fn positive(row: &mut Row<'_>, col: &str) -> Option<f64> {
    let v = row.req_f64(col);
    if v.is_finite() && v > 0.0 {
        Some(v)
    } else {
        if !v.is_nan() {
            row.problem(format!("{col} {v} must be a number > 0"));
        }
        None
    }
}

fn year(row: &mut Row<'_>) -> Option<i32> {
    let v = row.raw("year").to_string();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i32>() {
        Ok(y) if (1900..=2100).contains(&y) => Some(y),
        _ => {
            row.problem(format!("year '{v}' is not a year such as 2024"));
            None
        }
    }
}

impl FromRow for Capacity {
    const FILE: &'static str = crate::flows::CAPACITY_FILE;
    const REQUIRED: &'static [&'static str] =
        &["id", "element", "direction", "teu_per_year", "source"];
    const OPTIONAL: &'static [&'static str] = &[
        "link",
        "place",
        "carrier",
        "status",
        "figure",
        "unit",
        "conversion",
        "year",
        "note",
    ];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let id = row.req_str("id");
        let element = row.enum_req(
            "element",
            |s| match s {
                "link" => Some(CapElement::Link),
                "place" => Some(CapElement::Place),
                _ => None,
            },
            "link, place",
        );
        let direction = row.enum_req(
            "direction",
            CapDirection::parse,
            "forward, reverse, both, load, unload",
        );
        let planned = match row.raw("status") {
            "" | "operating" => false,
            "planned" => true,
            other => {
                row.problem(format!("status '{other}' is not one of operating, planned"));
                false
            }
        };
        let teu = positive(row, "teu_per_year");
        let figure = row.opt_f64("figure").unwrap_or(f64::NAN);
        let year = year(row);
        let source = row.req_str("source");
        let (element, direction) = (element?, direction?);
        let (target, carrier) = match element {
            CapElement::Link => {
                if !row.raw("place").is_empty() || !row.raw("carrier").is_empty() {
                    row.problem(
                        "a link row names a link only: leave place and carrier empty".into(),
                    );
                }
                if matches!(direction, CapDirection::Load | CapDirection::Unload) {
                    row.problem(format!(
                        "direction {} is for places; a link row is forward, reverse or both",
                        direction.as_str()
                    ));
                }
                (row.req_str("link"), None)
            }
            CapElement::Place => {
                if !row.raw("link").is_empty() {
                    row.problem("a place row names a place only: leave link empty".into());
                }
                if matches!(direction, CapDirection::Forward | CapDirection::Reverse) {
                    row.problem(format!(
                        "direction {} is for links; a place row is load, unload or both",
                        direction.as_str()
                    ));
                }
                let carrier = row.req_str("carrier");
                if !matches!(
                    carrier.as_str(),
                    "box" | "wagon" | "wagon1520" | "wagon1435" | "truck"
                ) {
                    row.problem(format!(
                        "carrier '{carrier}' is not one of box, wagon, wagon1520, wagon1435, truck"
                    ));
                }
                (row.req_str("place"), Some(carrier))
            }
        };
        Some(Capacity {
            id,
            element,
            target,
            carrier,
            direction,
            planned,
            figure,
            unit: row.raw("unit").to_string(),
            teu_per_year: teu?,
            conversion: row.raw("conversion").to_string(),
            year,
            source,
            note: row.raw("note").to_string(),
            line: row.line,
        })
    }
}

impl FromRow for DemandRow {
    const FILE: &'static str = crate::flows::DEMAND_FILE;
    const REQUIRED: &'static [&'static str] = &["from", "to", "teu_per_year"];
    const OPTIONAL: &'static [&'static str] =
        &["id", "commodity", "year", "source", "method", "note"];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let from = row.req_str("from");
        let to = row.req_str("to");
        let teu = positive(row, "teu_per_year");
        let commodity = match row.raw("commodity") {
            "" => "container".to_string(),
            c => c.to_string(),
        };
        let year = year(row);
        let id = match row.raw("id") {
            "" => format!("line {}", row.line),
            s => s.to_string(),
        };
        Some(DemandRow {
            id,
            from,
            to,
            teu_per_year: teu?,
            commodity,
            year,
            source: row.raw("source").to_string(),
            method: row.raw("method").to_string(),
            line: row.line,
        })
    }
}

/// Reads demand rows (`--demand FILE`).
pub(crate) fn read_demand(text: &str, out: &mut Vec<DemandRow>, problems: &mut Vec<Problem>) {
    read_rows(text, out, problems);
}
