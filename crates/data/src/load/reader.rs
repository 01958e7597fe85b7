//! CSV reading: the header checked against the known columns, each row read by column name
//! with every problem reported as file:line.

use std::collections::HashMap;

use crate::model::*;
use crate::problem::{Problem, LISTED_PER_FILE};

/// A row being read: looks fields up by column name and records problems.
pub(crate) struct Row<'a> {
    file: &'static str,
    pub(crate) line: u64,
    cols: &'a HashMap<String, usize>,
    rec: &'a csv::StringRecord,
    problems: &'a mut Vec<Problem>,
    pub(crate) ok: bool,
}

impl Row<'_> {
    pub(crate) fn problem(&mut self, msg: String) {
        self.ok = false;
        self.problems.push(Problem {
            file: self.file.into(),
            line: self.line,
            message: msg,
        });
    }
    pub(crate) fn raw(&self, col: &str) -> &str {
        self.cols
            .get(col)
            .and_then(|&i| self.rec.get(i))
            .map(str::trim)
            .unwrap_or("")
    }
    pub(crate) fn opt_str(&self, col: &str) -> Option<String> {
        let v = self.raw(col);
        (!v.is_empty()).then(|| v.to_string())
    }
    pub(crate) fn opt_date(&mut self, col: &str) -> Option<chrono::NaiveDate> {
        let v = self.raw(col).to_string();
        if v.is_empty() {
            return None;
        }
        match chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.problem(format!("{col} '{v}' is not a date YYYY-MM-DD"));
                None
            }
        }
    }
    pub(crate) fn req_str(&mut self, col: &str) -> String {
        let v = self.raw(col).to_string();
        if v.is_empty() {
            self.problem(format!("missing {col}"));
        }
        v
    }
    pub(crate) fn list(&self, col: &str) -> Vec<String> {
        self.raw(col)
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }
    pub(crate) fn opt_f64(&mut self, col: &str) -> Option<f64> {
        let v = self.raw(col);
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                let msg = format!("{col} '{v}' is not a number");
                self.problem(msg);
                None
            }
        }
    }
    pub(crate) fn req_f64(&mut self, col: &str) -> f64 {
        match self.opt_f64(col) {
            Some(x) => x,
            None => {
                if self.raw(col).is_empty() {
                    self.problem(format!("missing {col}"));
                }
                0.0
            }
        }
    }
    pub(crate) fn nonneg(&mut self, col: &str, v: Option<f64>) -> Option<f64> {
        if let Some(x) = v {
            if x < 0.0 {
                self.problem(format!("{col} is negative ({x}); figures must be ≥ 0"));
            }
        }
        v
    }
    /// Reads `base`, `base_low`, `base_high` as a range. Low/high default to typical.
    pub(crate) fn range(&mut self, base: &str, low_is_small: bool) -> Option<Range3> {
        let t = self.opt_f64(base);
        let l = self.opt_f64(&format!("{base}_low"));
        let h = self.opt_f64(&format!("{base}_high"));
        let t = self.nonneg(base, t);
        let l = self.nonneg(&format!("{base}_low"), l);
        let h = self.nonneg(&format!("{base}_high"), h);
        match t {
            None => {
                if l.is_some() || h.is_some() {
                    self.problem(format!("{base}_low/{base}_high given without {base}"));
                }
                None
            }
            Some(t) => {
                let r = Range3 {
                    typical: t,
                    low: l.unwrap_or(t),
                    high: h.unwrap_or(t),
                };
                if low_is_small && !(r.low <= r.typical && r.typical <= r.high) {
                    self.problem(format!(
                        "{base} range out of order: need {base}_low ≤ {base} ≤ {base}_high, got {} ≤ {} ≤ {}",
                        r.low, r.typical, r.high
                    ));
                }
                Some(r)
            }
        }
    }
    pub(crate) fn enum_req<T>(
        &mut self,
        col: &str,
        parse: fn(&str) -> Option<T>,
        allowed: &str,
    ) -> Option<T> {
        let v = self.raw(col).to_string();
        if v.is_empty() {
            self.problem(format!("missing {col} (one of {allowed})"));
            return None;
        }
        let r = parse(&v);
        if r.is_none() {
            self.problem(format!("{col} '{v}' is not one of {allowed}"));
        }
        r
    }
    pub(crate) fn bool(&mut self, col: &str) -> bool {
        match self.raw(col).to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            other => {
                let msg = format!("{col} '{other}' is not true or false");
                self.problem(msg);
                false
            }
        }
    }
    pub(crate) fn price(&mut self, fixed_col: &str, per_km_col: Option<&str>) -> Option<Price> {
        let fixed = self.opt_f64(fixed_col);
        let fixed = self.nonneg(fixed_col, fixed);
        let per_km = per_km_col.and_then(|c| {
            let v = self.opt_f64(c);
            self.nonneg(c, v)
        });
        if fixed.is_none() && per_km.is_none() {
            for c in ["cost_unit", "currency", "price_year"] {
                if !self.raw(c).is_empty() {
                    self.problem(format!("{c} given without a cost"));
                    break;
                }
            }
            return None;
        }
        let unit = self.enum_req(
            "cost_unit",
            CostUnit::parse,
            "feu, teu, box, truck, wagon, t, kg",
        );
        let currency = self.req_str("currency");
        let year = self.raw("price_year").to_string();
        let price_year = match year.parse::<i32>() {
            Ok(y) if (1950..=2100).contains(&y) => y,
            _ => {
                self.problem(format!(
                    "price_year '{year}' is not a year (prices carry the year they were quoted)"
                ));
                0
            }
        };
        Some(Price {
            fixed: fixed.unwrap_or(0.0),
            per_km: per_km.unwrap_or(0.0),
            unit: unit?,
            currency,
            price_year,
        })
    }
}

/// Reads one CSV file, checks its header against the known columns, and calls `f` per row.
pub(crate) fn read_csv(
    file: &'static str,
    text: &str,
    required: &[&str],
    optional: &[&str],
    problems: &mut Vec<Problem>,
    mut f: impl FnMut(&mut Row<'_>),
) {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(Problem {
                file: file.into(),
                line: 1,
                message: format!("unreadable header row: {e}"),
            });
            return;
        }
    };
    if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
        problems.push(Problem {
            file: file.into(),
            line: 1,
            message: format!(
                "empty file: needs a header row with columns {}",
                required.join(",")
            ),
        });
        return;
    }
    let mut cols = HashMap::new();
    let mut header_ok = true;
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        if !required.contains(&h) && !optional.contains(&h) {
            header_ok = false;
            problems.push(Problem {
                file: file.into(),
                line: 1,
                message: format!(
                    "unknown column '{h}' (known: {})",
                    required
                        .iter()
                        .chain(optional)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        if cols.insert(h.to_string(), i).is_some() {
            header_ok = false;
            problems.push(Problem {
                file: file.into(),
                line: 1,
                message: format!("column '{h}' appears twice"),
            });
        }
    }
    for r in required {
        if !cols.contains_key(*r) {
            header_ok = false;
            problems.push(Problem {
                file: file.into(),
                line: 1,
                message: format!("missing column '{r}'"),
            });
        }
    }
    if !header_ok {
        return;
    }
    let ncols = headers.len();
    // At most LISTED_PER_FILE problems of the file are kept, the rest counted: a file of a
    // million bad rows is reported in a few kB, not held as a million messages.
    let start = problems.len();
    let mut more = 0u64;
    for rec in rdr.records() {
        let listed = problems.len() - start;
        if listed > LISTED_PER_FILE {
            more += (listed - LISTED_PER_FILE) as u64;
            problems.truncate(start + LISTED_PER_FILE);
        }
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(Problem {
                    file: file.into(),
                    line,
                    message: format!("malformed CSV: {e}"),
                });
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.len() == 1 && rec.get(0).is_some_and(|s| s.trim().is_empty()) {
            continue; // blank line
        }
        if rec.len() != ncols {
            problems.push(Problem {
                file: file.into(),
                line,
                message: format!(
                    "has {} fields, the header has {ncols} (a comma inside a value needs \"quotes\")",
                    rec.len()
                ),
            });
            continue;
        }
        let mut row = Row {
            file,
            line,
            cols: &cols,
            rec: &rec,
            problems,
            ok: true,
        };
        f(&mut row);
    }
    let listed = problems.len() - start;
    if listed > LISTED_PER_FILE {
        more += (listed - LISTED_PER_FILE) as u64;
        problems.truncate(start + LISTED_PER_FILE);
    }
    if more > 0 {
        problems.push(Problem::more(file, more));
    }
}

/// A record type read from one CSV file, one row at a time: the table that drives [`read_rows`].
pub(crate) trait FromRow: Sized {
    /// The file's fixed name.
    const FILE: &'static str;
    /// Columns every file of this kind has.
    const REQUIRED: &'static [&'static str];
    /// Columns a file may have.
    const OPTIONAL: &'static [&'static str];
    /// Reads one row. `None` when a field that the record cannot do without failed to parse;
    /// the problems are on the row, and a row with problems is dropped by [`read_rows`].
    fn from_row(row: &mut Row<'_>) -> Option<Self>;
}

/// Reads every row of `text` as a `T`, appending the rows that parsed without problems.
pub(crate) fn read_rows<T: FromRow>(text: &str, out: &mut Vec<T>, problems: &mut Vec<Problem>) {
    read_csv(T::FILE, text, T::REQUIRED, T::OPTIONAL, problems, |row| {
        if let Some(x) = T::from_row(row) {
            if row.ok {
                out.push(x);
            }
        }
    });
}
