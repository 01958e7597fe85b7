//! `corridor table --layout matrix`: the lanes as an origins × destinations CSV of one figure,
//! in the unit asked (the long layout, one row per lane, stays the default).

use clap::ValueEnum;
use corridor_engine::table::{TableAnswer, TableCell};

/// Rows per lane (long) or origins × destinations (matrix).
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Layout {
    /// One row per lane with every figure (the default).
    #[default]
    Long,
    /// Origins as rows, destinations as columns, one figure per cell (`--value`, `--unit`).
    Matrix,
}

/// The figure a matrix shows.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Value {
    /// Typical transit time (in `--unit`).
    #[default]
    Transit,
    /// Median transit time from `--reliability` (in `--unit`).
    P50,
    /// 90th percentile transit time from `--reliability` (in `--unit`).
    P90,
    /// Cost, USD.
    Cost,
    /// CO2e well to wheel, kg.
    Co2e,
    /// Distance, km.
    Distance,
    /// Borders crossed.
    Borders,
}

/// The unit of times in the table.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum TimeUnit {
    /// Hours.
    Hours,
    /// Days (24 h).
    Days,
}

impl Value {
    /// The cell's figure in `unit`, None when the lane has no answer (or no such figure).
    fn of(self, c: &TableCell, unit: TimeUnit) -> Option<f64> {
        let days = |d: Option<f64>| match unit {
            TimeUnit::Days => d,
            TimeUnit::Hours => d.map(|x| x * 24.0),
        };
        match self {
            Value::Transit => days(c.transit_h.map(|h| h / 24.0)),
            Value::P50 => days(c.transit_days_p50),
            Value::P90 => days(c.transit_days_p90),
            Value::Cost => c.cost_usd,
            Value::Co2e => c.co2e_kg,
            Value::Distance => c.distance_km,
            Value::Borders => c.borders_crossed.map(f64::from),
        }
    }

    /// Digits after the decimal point in the CSV.
    fn digits(self, unit: TimeUnit) -> usize {
        match (self, unit) {
            (Value::Transit | Value::P50 | Value::P90, TimeUnit::Days) => 2,
            (Value::Transit | Value::P50 | Value::P90, TimeUnit::Hours) => 1,
            _ => 0,
        }
    }

    /// The label of the figure, unit included, for the corner cell.
    fn label(self, unit: TimeUnit) -> String {
        let u = match unit {
            TimeUnit::Days => "days",
            TimeUnit::Hours => "h",
        };
        match self {
            Value::Transit => format!("transit_{u}"),
            Value::P50 => format!("transit_{u}_p50"),
            Value::P90 => format!("transit_{u}_p90"),
            Value::Cost => "cost_usd".into(),
            Value::Co2e => "co2e_kg".into(),
            Value::Distance => "distance_km".into(),
            Value::Borders => "borders_crossed".into(),
        }
    }
}

/// The matrix CSV: the corner cell names the figure (`transit_days from \ to`), then one
/// column per destination and one row per origin, in the order first given. A lane with no
/// answer is empty, with its error code in brackets (`[NoRoute]`).
pub fn matrix_csv(t: &TableAnswer, value: Value, unit: TimeUnit) -> Result<String, csv::Error> {
    let mut rows: Vec<&str> = Vec::new();
    let mut cols: Vec<&str> = Vec::new();
    for c in &t.cells {
        if !rows.contains(&c.from.as_str()) {
            rows.push(&c.from);
        }
        if !cols.contains(&c.to.as_str()) {
            cols.push(&c.to);
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let corner = format!("{} from \\ to", value.label(unit));
    let mut head = vec![corner.as_str()];
    head.extend(cols.iter().copied());
    w.write_record(&head)?;
    let digits = value.digits(unit);
    for r in &rows {
        let mut line = vec![r.to_string()];
        for col in &cols {
            let cell = t.cells.iter().find(|c| c.from == *r && c.to == *col);
            line.push(match cell {
                None => String::new(),
                Some(c) => match (value.of(c, unit), &c.error) {
                    (Some(v), _) => format!("{v:.digits$}"),
                    (None, Some(e)) => format!("[{e}]"),
                    (None, None) => String::new(),
                },
            });
        }
        w.write_record(&line)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
