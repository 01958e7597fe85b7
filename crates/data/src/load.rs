//! Reading a data folder: CSV text → typed records, with every problem reported as file:line.
//!
//! Parsing never stops at the first problem: a reviewer wants the whole list. A field that fails
//! to parse is reported and the row is skipped, so later checks do not pile up follow-on errors.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use crate::model::*;

/// One problem in a data folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// File name (e.g. `links.csv`), or the folder.
    pub file: String,
    /// 1-based line, 0 when the problem is about the whole file.
    pub line: u64,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// The files of a data folder, by fixed name.
pub const REQUIRED_FILES: [&str; 8] = [
    "meta.csv",
    "sources.csv",
    "groups.csv",
    "places.csv",
    "links.csv",
    "transfers.csv",
    "fx.csv",
    "emission_factors.csv",
];

/// Files a data folder may have; without them the figures they hold are reported as missing
/// (`null` with a reason), never as 0.
pub const OPTIONAL_FILES: [&str; 9] = [
    "grid_factors.csv",
    "hub_factors.csv",
    "pollutant_factors.csv",
    "services.csv",
    "closures.csv",
    "cargo_rules.csv",
    "customs.csv",
    "compliance.csv",
    crate::geometry::FILE,
];

/// Raw file contents of a data folder, by file name.
#[derive(Debug, Clone, Default)]
pub struct RawFiles {
    /// Label of the folder for messages (a path or `embedded`).
    pub label: String,
    /// File name → contents. Missing files are absent.
    pub files: HashMap<&'static str, String>,
}

impl RawFiles {
    /// Reads the fixed-name files from a folder.
    ///
    /// A missing folder or missing files are reported as problems, not I/O errors, so that
    /// `corridor validate` can list them together with everything else.
    pub fn read_dir(dir: &Path) -> Result<RawFiles, Vec<Problem>> {
        let label = dir.display().to_string();
        if !dir.is_dir() {
            return Err(vec![Problem {
                file: label,
                line: 0,
                message: "is not a folder (point --data at a folder holding places.csv, links.csv, …; see docs/data-format.md)".into(),
            }]);
        }
        let mut files = HashMap::new();
        let mut problems = Vec::new();
        for name in REQUIRED_FILES {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => {
                        files.insert(name, s);
                    }
                    Err(e) => problems.push(Problem {
                        file: name.into(),
                        line: 0,
                        message: format!("is not UTF-8 text ({e})"),
                    }),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => problems.push(Problem {
                    file: name.into(),
                    line: 0,
                    message: format!("missing from {label} (every data folder needs it; see docs/data-format.md)"),
                }),
                Err(e) => problems.push(Problem {
                    file: name.into(),
                    line: 0,
                    message: format!("cannot be read: {e}"),
                }),
            }
        }
        for name in OPTIONAL_FILES {
            match std::fs::read(dir.join(name)) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => {
                        files.insert(name, s);
                    }
                    Err(e) => problems.push(Problem {
                        file: name.into(),
                        line: 0,
                        message: format!("is not UTF-8 text ({e})"),
                    }),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => problems.push(Problem {
                    file: name.into(),
                    line: 0,
                    message: format!("cannot be read: {e}"),
                }),
            }
        }
        if problems.is_empty() {
            Ok(RawFiles { label, files })
        } else {
            Err(problems)
        }
    }
}

/// Parsed records of a data folder, before cross-file checks.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// meta.csv
    pub meta: Meta,
    /// sources.csv
    pub sources: Vec<Source>,
    /// groups.csv
    pub groups: Vec<Group>,
    /// places.csv
    pub places: Vec<Place>,
    /// links.csv
    pub links: Vec<Link>,
    /// transfers.csv
    pub transfers: Vec<Transfer>,
    /// fx.csv
    pub fx: Vec<Fx>,
    /// emission_factors.csv
    pub emission_factors: Vec<EmissionFactor>,
    /// grid_factors.csv (optional file)
    pub grid_factors: Vec<GridFactor>,
    /// hub_factors.csv (optional file)
    pub hub_factors: Vec<HubFactor>,
    /// pollutant_factors.csv (optional file)
    pub pollutant_factors: Vec<PollutantFactor>,
    /// services.csv (optional file)
    pub services: Vec<Service>,
    /// closures.csv (optional file)
    pub closures: Vec<Closure>,
    /// cargo_rules.csv, customs.csv, compliance.csv (optional files)
    pub constraints: crate::constraints::ConstraintData,
    /// link_geometry.csv (optional, derived file)
    pub link_geometry: Vec<crate::geometry::LinkGeometry>,
}

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
    for rec in rdr.records() {
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
}

/// Parses all files. Returns the records that parsed and every problem found.
pub fn parse(raw: &RawFiles) -> (Records, Vec<Problem>) {
    let mut p = Vec::new();
    let mut r = Records::default();
    let text = |name: &str| raw.files.get(name).map(String::as_str).unwrap_or("");

    // meta.csv
    let mut meta_kv: HashMap<String, (String, u64)> = HashMap::new();
    read_csv(
        "meta.csv",
        text("meta.csv"),
        &["key", "value"],
        &[],
        &mut p,
        |row| {
            let k = row.req_str("key");
            let v = row.raw("value").to_string();
            let line = row.line;
            if meta_kv.insert(k.clone(), (v, line)).is_some() {
                row.problem(format!("key '{k}' appears twice"));
            }
        },
    );
    for key in ["format_version", "name", "version", "as_of"] {
        if !meta_kv.contains_key(key) {
            p.push(Problem {
                file: "meta.csv".into(),
                line: 0,
                message: format!("missing key '{key}'"),
            });
        }
    }
    if let Some((v, line)) = meta_kv.get("format_version") {
        match v.parse::<u32>() {
            Ok(1) => r.meta.format_version = 1,
            _ => p.push(Problem {
                file: "meta.csv".into(),
                line: *line,
                message: format!(
                    "format_version '{v}' is not supported (this corridor reads format_version 1)"
                ),
            }),
        }
    }
    let get = |k: &str| meta_kv.get(k).map(|(v, _)| v.clone()).unwrap_or_default();
    r.meta.name = get("name");
    r.meta.version = get("version");
    r.meta.as_of = get("as_of");

    read_csv(
        "sources.csv",
        text("sources.csv"),
        &["id", "title", "publisher", "url", "date", "note"],
        &[],
        &mut p,
        |row| {
            let s = Source {
                id: row.req_str("id"),
                title: row.req_str("title"),
                publisher: row.raw("publisher").into(),
                url: row.raw("url").into(),
                date: row.raw("date").into(),
                note: row.raw("note").into(),
                line: row.line,
            };
            if row.ok {
                r.sources.push(s);
            }
        },
    );

    read_csv(
        "groups.csv",
        text("groups.csv"),
        &["id", "name", "aliases", "country"],
        &[],
        &mut p,
        |row| {
            let g = Group {
                id: row.req_str("id"),
                name: row.req_str("name"),
                aliases: row.list("aliases"),
                country: row.req_str("country"),
                line: row.line,
            };
            if row.ok {
                r.groups.push(g);
            }
        },
    );

    read_csv(
        "places.csv",
        text("places.csv"),
        &[
            "id", "name", "aliases", "country", "lat", "lon", "kind", "gauge_mm", "group",
            "timezone", "source",
        ],
        &[],
        &mut p,
        |row| {
            let id = row.req_str("id");
            let name = row.req_str("name");
            let aliases = row.list("aliases");
            let country = row.req_str("country");
            let lat = row.req_f64("lat");
            let lon = row.req_f64("lon");
            let kind = row.enum_req(
                "kind",
                PlaceKind::parse,
                "rail_terminal, sea_port, dry_port, border_post, airport, pipeline_station, road_hub",
            );
            let mut gauges_mm = Vec::new();
            for g in row.list("gauge_mm") {
                match g.parse::<u16>() {
                    Ok(v) if v > 0 => gauges_mm.push(v),
                    _ => row.problem(format!("gauge_mm '{g}' is not a gauge in mm")),
                }
            }
            let group = row.opt_str("group");
            let timezone = row.req_str("timezone");
            let source = row.req_str("source");
            if let (true, Some(kind)) = (row.ok, kind) {
                r.places.push(Place {
                    id,
                    name,
                    aliases,
                    country,
                    lat,
                    lon,
                    kind,
                    gauges_mm,
                    group,
                    timezone,
                    source,
                    line: row.line,
                });
            }
        },
    );

    read_csv(
        "links.csv",
        text("links.csv"),
        &[
            "id",
            "from",
            "to",
            "mode",
            "status",
            "distance_km",
            "distance_source",
            "source",
        ],
        &[
            "carries",
            "gauge_mm",
            "bidirectional",
            "speed_kmh",
            "speed_kmh_low",
            "speed_kmh_high",
            "moving_h",
            "moving_h_low",
            "moving_h_high",
            "time_source",
            "departures_per_week",
            "wait_h",
            "wait_h_low",
            "wait_h_high",
            "wait_source",
            "dwell_h",
            "dwell_h_low",
            "dwell_h_high",
            "dwell_source",
            "cost_fixed",
            "cost_per_km",
            "cost_unit",
            "currency",
            "price_year",
            "cost_source",
            "capacity",
            "capacity_unit",
            "capacity_source",
            "countries",
            "passages",
            "commodities",
            "emission_factor",
            "waypoints",
            "note",
        ],
        &mut p,
        |row| parse_link(row, &mut r.links),
    );

    read_csv(
        "transfers.csv",
        text("transfers.csv"),
        &[
            "place",
            "from_carrier",
            "to_carrier",
            "kind",
            "hours",
            "source",
        ],
        &[
            "place_kinds",
            "hours_low",
            "hours_high",
            "cost",
            "cost_unit",
            "currency",
            "price_year",
            "note",
        ],
        &mut p,
        |row| {
            let place_raw = row.req_str("place");
            let place = (place_raw != "*").then_some(place_raw.clone());
            let mut place_kinds = Vec::new();
            for k in row.list("place_kinds") {
                match PlaceKind::parse(&k) {
                    Some(pk) => place_kinds.push(pk),
                    None => row.problem(format!("place_kinds '{k}' is not a place kind")),
                }
            }
            if place.is_none() && place_kinds.is_empty() {
                row.problem(
                    "a default row (place '*') needs place_kinds: the kinds of place it applies to"
                        .into(),
                );
            }
            let from = row.enum_req(
                "from_carrier",
                CarrierPattern::parse,
                "truck, wagon, wagon:GAUGE, box, air, pipe",
            );
            let to = row.enum_req(
                "to_carrier",
                CarrierPattern::parse,
                "truck, wagon, wagon:GAUGE, box, air, pipe",
            );
            let kind = row.enum_req(
                "kind",
                TransferKind::parse,
                "lift, gauge_transshipment, bogie_exchange, roll_on, handling",
            );
            let hours = row.range("hours", true);
            if hours.is_none() && row.raw("hours").is_empty() {
                row.problem("missing hours".into());
            }
            let price = row.price("cost", None);
            let source = row.req_str("source");
            let note = row.raw("note").to_string();
            if let (true, Some(from), Some(to), Some(kind), Some(hours)) =
                (row.ok, from, to, kind, hours)
            {
                r.transfers.push(Transfer {
                    place,
                    place_kinds,
                    from,
                    to,
                    kind,
                    hours,
                    price,
                    source,
                    note,
                    line: row.line,
                });
            }
        },
    );

    read_csv(
        "fx.csv",
        text("fx.csv"),
        &["currency", "usd_per_unit", "year", "source"],
        &[],
        &mut p,
        |row| {
            let currency = row.req_str("currency");
            let usd = row.req_f64("usd_per_unit");
            if usd <= 0.0 && row.ok {
                row.problem(format!("usd_per_unit must be > 0, got {usd}"));
            }
            let year = row.raw("year").parse::<i32>().unwrap_or_else(|_| {
                row.problem("year is not a year".into());
                0
            });
            let source = row.req_str("source");
            if row.ok {
                r.fx.push(Fx {
                    currency,
                    usd_per_unit: usd,
                    year,
                    source,
                    line: row.line,
                });
            }
        },
    );

    read_csv(
        "emission_factors.csv",
        text("emission_factors.csv"),
        &["id", "mode", "basis", "wtw", "ttw", "wtt", "source"],
        &[
            "description",
            "default_for",
            "note",
            "vehicle",
            "energy_carrier",
            "energy_mj",
            "kwh",
            "load_factor",
            "empty_running",
            "daf",
            "daf_km",
            "gross_to_net",
            "reference",
        ],
        &mut p,
        |row| {
            let id = row.req_str("id");
            let mode = row.enum_req(
                "mode",
                Mode::parse,
                "road, rail, sea, ferry, iww, air, pipeline, border",
            );
            let basis = row.enum_req(
                "basis",
                |s| match s {
                    "tkm" => Some(EmissionBasis::Tkm),
                    "teu_km" => Some(EmissionBasis::TeuKm),
                    _ => None,
                },
                "tkm, teu_km",
            );
            let wtw = row.opt_f64("wtw");
            let wtw = row.nonneg("wtw", wtw);
            let ttw = row.opt_f64("ttw");
            let ttw = row.nonneg("ttw", ttw);
            let wtt = row.opt_f64("wtt");
            let wtt = row.nonneg("wtt", wtt);
            let default_for = match row.opt_str("default_for") {
                None => None,
                Some(m) => {
                    let parsed = Mode::parse(&m);
                    if parsed.is_none() {
                        row.problem(format!("default_for '{m}' is not a mode"));
                    }
                    parsed
                }
            };
            let description = row.raw("description").to_string();
            let source = row.req_str("source");
            let note = row.raw("note").to_string();
            let vehicle = row.opt_str("vehicle");
            let energy_carrier = row.opt_str("energy_carrier");
            if let Some(c) = &energy_carrier {
                if !ENERGY_CARRIERS.contains(&c.as_str()) {
                    row.problem(format!(
                        "energy_carrier '{c}' is not one of {}",
                        ENERGY_CARRIERS.join(", ")
                    ));
                }
            }
            let energy_mj = row.opt_f64("energy_mj");
            let energy_mj = row.nonneg("energy_mj", energy_mj);
            let kwh = row.opt_f64("kwh");
            let kwh = row.nonneg("kwh", kwh);
            if kwh.is_some() && energy_carrier.as_deref() != Some("electricity") {
                row.problem("kwh is given but energy_carrier is not electricity".into());
            }
            if kwh.is_some() && wtw.is_some() {
                row.problem(
                    "give either wtw or kwh (electricity: the CO2e follows from the country's grid factor), not both"
                        .into(),
                );
            }
            let load_factor = row.opt_f64("load_factor");
            if let Some(lf) = load_factor {
                if !(lf > 0.0 && lf <= 1.0) {
                    row.problem(format!("load_factor {lf} is not in (0, 1]"));
                }
            }
            let empty_running = row.opt_f64("empty_running");
            if let Some(er) = empty_running {
                if !(0.0..1.0).contains(&er) {
                    row.problem(format!("empty_running {er} is not in [0, 1)"));
                }
            }
            let daf = row.opt_f64("daf");
            if let Some(d) = daf {
                if !(1.0..=2.0).contains(&d) {
                    row.problem(format!("daf {d} is not in [1, 2] (a distance multiplier)"));
                }
            }
            let daf_km = row.opt_f64("daf_km");
            let daf_km = row.nonneg("daf_km", daf_km);
            let gross_to_net = row.opt_f64("gross_to_net");
            if let Some(g) = gross_to_net {
                if g < 1.0 {
                    row.problem(format!("gross_to_net {g} is below 1 (gross ≥ net)"));
                }
            }
            let reference = row.raw("reference").to_string();
            if let (true, Some(mode), Some(basis)) = (row.ok, mode, basis) {
                r.emission_factors.push(EmissionFactor {
                    id,
                    mode,
                    description,
                    basis,
                    wtw,
                    ttw,
                    wtt,
                    default_for,
                    vehicle,
                    energy_carrier,
                    energy_mj,
                    kwh,
                    load_factor,
                    empty_running,
                    daf,
                    daf_km,
                    gross_to_net,
                    reference,
                    source,
                    note,
                    line: row.line,
                });
            }
        },
    );

    if let Some(t) = raw.files.get("services.csv") {
        read_csv(
            "services.csv",
            t,
            &["link", "weekdays", "departure_local", "source"],
            &["valid_from", "valid_to", "note"],
            &mut p,
            |row| {
                let link = row.req_str("link");
                let mut weekdays = Vec::new();
                for w in row.list("weekdays") {
                    match w.parse::<chrono::Weekday>() {
                        Ok(d) => weekdays.push(d),
                        Err(_) => row.problem(format!(
                            "weekday '{w}' is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"
                        )),
                    }
                }
                if weekdays.is_empty() && row.ok {
                    row.problem("missing weekdays (e.g. Tue|Fri)".into());
                }
                let dep = row.raw("departure_local").to_string();
                let departure_local = match chrono::NaiveTime::parse_from_str(&dep, "%H:%M") {
                    Ok(t) => Some(t),
                    Err(_) => {
                        row.problem(format!("departure_local '{dep}' is not a time HH:MM"));
                        None
                    }
                };
                let valid_from = row.opt_date("valid_from");
                let valid_to = row.opt_date("valid_to");
                if let (Some(a), Some(b)) = (valid_from, valid_to) {
                    if b < a {
                        row.problem(format!("valid_to {b} is before valid_from {a}"));
                    }
                }
                let source = row.req_str("source");
                if row.ok {
                    if let Some(departure_local) = departure_local {
                        r.services.push(Service {
                            link,
                            weekdays,
                            departure_local,
                            valid_from,
                            valid_to,
                            source,
                            line: row.line,
                        });
                    }
                }
            },
        );
    }

    if let Some(t) = raw.files.get("closures.csv") {
        read_csv(
            "closures.csv",
            t,
            &["from_date", "to_date", "reason", "source"],
            &["link", "place", "note"],
            &mut p,
            |row| {
                let link = row.opt_str("link");
                let place = row.opt_str("place");
                if link.is_some() == place.is_some() {
                    row.problem("give exactly one of link and place".into());
                }
                let from_date = row.opt_date("from_date");
                let to_date = row.opt_date("to_date");
                if from_date.is_none() && row.raw("from_date").is_empty() {
                    row.problem("missing from_date".into());
                }
                if to_date.is_none() && row.raw("to_date").is_empty() {
                    row.problem("missing to_date".into());
                }
                if let (Some(a), Some(b)) = (from_date, to_date) {
                    if b < a {
                        row.problem(format!("to_date {b} is before from_date {a}"));
                    }
                }
                let reason = row.req_str("reason");
                let source = row.req_str("source");
                if let (true, Some(from_date), Some(to_date)) = (row.ok, from_date, to_date) {
                    r.closures.push(Closure {
                        link,
                        place,
                        from_date,
                        to_date,
                        reason,
                        source,
                        line: row.line,
                    });
                }
            },
        );
    }

    if let Some(t) = raw.files.get("grid_factors.csv") {
        read_csv(
            "grid_factors.csv",
            t,
            &["country", "g_per_kwh", "year", "source"],
            &["note"],
            &mut p,
            |row| {
                let country = row.req_str("country");
                if !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())) {
                    row.problem(format!(
                        "country '{country}' is not an ISO 3166-1 alpha-2 code"
                    ));
                }
                let g = row.req_f64("g_per_kwh");
                let g = row.nonneg("g_per_kwh", Some(g)).unwrap_or(0.0);
                let year = row.raw("year").parse::<i32>().unwrap_or_else(|_| {
                    row.problem("year is not a year".into());
                    0
                });
                let source = row.req_str("source");
                let note = row.raw("note").to_string();
                if row.ok {
                    r.grid_factors.push(GridFactor {
                        country,
                        g_per_kwh: g,
                        year,
                        source,
                        note,
                        line: row.line,
                    });
                }
            },
        );
    }

    if let Some(t) = raw.files.get("hub_factors.csv") {
        read_csv(
            "hub_factors.csv",
            t,
            &["id", "applies_to", "basis", "wtw", "source"],
            &["hub_type", "description", "ttw", "wtt", "reference", "note"],
            &mut p,
            |row| {
                let id = row.req_str("id");
                let applies_to = row.list("applies_to");
                if applies_to.is_empty() {
                    row.problem(
                        "missing applies_to (e.g. lift, lift:box, gauge_transshipment)".into(),
                    );
                }
                for a in &applies_to {
                    let kind = a.split(':').next().unwrap_or("");
                    if TransferKind::parse(kind).is_none() {
                        row.problem(format!(
                            "applies_to '{a}': '{kind}' is not a transfer kind (lift, gauge_transshipment, bogie_exchange, roll_on, handling)"
                        ));
                    }
                }
                let basis = row.enum_req("basis", HubBasis::parse, "t, container, teu");
                let wtw = row.opt_f64("wtw");
                let wtw = row.nonneg("wtw", wtw);
                let ttw = row.opt_f64("ttw");
                let ttw = row.nonneg("ttw", ttw);
                let wtt = row.opt_f64("wtt");
                let wtt = row.nonneg("wtt", wtt);
                let hub_type = row.raw("hub_type").to_string();
                let description = row.raw("description").to_string();
                let reference = row.raw("reference").to_string();
                let source = row.req_str("source");
                let note = row.raw("note").to_string();
                if wtw.is_none() && note.is_empty() {
                    row.problem("empty wtw needs a note saying why no factor exists".into());
                }
                if let (true, Some(basis)) = (row.ok, basis) {
                    r.hub_factors.push(HubFactor {
                        id,
                        applies_to,
                        hub_type,
                        description,
                        basis,
                        wtw,
                        ttw,
                        wtt,
                        reference,
                        source,
                        note,
                        line: row.line,
                    });
                }
            },
        );
    }

    if let Some(t) = raw.files.get(crate::geometry::FILE) {
        crate::geometry::parse(t, &mut r, &mut p);
    }

    if let Some(t) = raw.files.get("pollutant_factors.csv") {
        read_csv(
            "pollutant_factors.csv",
            t,
            &["factor", "pollutant", "g_per_unit", "source"],
            &["note"],
            &mut p,
            |row| {
                let factor = row.req_str("factor");
                let pollutant = row.req_str("pollutant");
                if !POLLUTANTS.contains(&pollutant.as_str()) {
                    row.problem(format!(
                        "pollutant '{pollutant}' is not one of {}",
                        POLLUTANTS.join(", ")
                    ));
                }
                let g = row.req_f64("g_per_unit");
                let g = row.nonneg("g_per_unit", Some(g)).unwrap_or(0.0);
                let source = row.req_str("source");
                let note = row.raw("note").to_string();
                if row.ok {
                    r.pollutant_factors.push(PollutantFactor {
                        factor,
                        pollutant,
                        g_per_unit: g,
                        source,
                        note,
                        line: row.line,
                    });
                }
            },
        );
    }

    crate::constraints::parse(raw, &mut r, &mut p);
    (r, p)
}

fn parse_link(row: &mut Row<'_>, out: &mut Vec<Link>) {
    let id = row.req_str("id");
    let from = row.req_str("from");
    let to = row.req_str("to");
    let mode = row.enum_req(
        "mode",
        Mode::parse,
        "road, rail, sea, ferry, iww, air, pipeline, border",
    );
    let mut carries = Vec::new();
    for c in row.list("carries") {
        match Carries::parse(&c) {
            Some(x) => carries.push(x),
            None => row.problem(format!(
                "carries '{c}' is not one of truck, wagon, box, air, pipe"
            )),
        }
    }
    if let Some(m) = mode {
        if carries.is_empty() {
            match Carries::implied(m) {
                Some(c) => carries.push(c),
                None => row.problem(format!(
                    "a {m} link needs carries (truck, wagon and/or box, |-separated)"
                )),
            }
        }
    }
    let gauge_mm = match row.opt_str("gauge_mm") {
        None => None,
        Some(g) => match g.parse::<u16>() {
            Ok(v) if v > 0 => Some(v),
            _ => {
                row.problem(format!("gauge_mm '{g}' is not a gauge in mm"));
                None
            }
        },
    };
    if mode == Some(Mode::Rail) && gauge_mm.is_none() && row.raw("gauge_mm").is_empty() {
        row.problem("a rail link needs gauge_mm (e.g. 1435 or 1520)".into());
    }
    let bidirectional = row.bool("bidirectional");
    let status = row.enum_req(
        "status",
        Status::parse,
        "operating, under_construction, planned, suspended",
    );
    let distance_km = row.req_f64("distance_km");
    let distance_km = row.nonneg("distance_km", Some(distance_km)).unwrap_or(0.0);
    let distance_source = row.req_str("distance_source");
    let speed_kmh = row.range("speed_kmh", true);
    if let Some(s) = speed_kmh {
        if s.low <= 0.0 {
            row.problem("speed_kmh must be > 0".into());
        }
    }
    let moving_h = row.range("moving_h", true);
    let time_source = row.opt_str("time_source");
    if mode.is_some_and(|m| m != Mode::Border) {
        match (speed_kmh.is_some(), moving_h.is_some()) {
            (false, false) => row.problem(
                "needs speed_kmh or moving_h (with time_source) to know how long it takes".into(),
            ),
            (true, true) => {
                row.problem("give speed_kmh or moving_h, not both".into());
            }
            _ => {}
        }
        if time_source.is_none() && (speed_kmh.is_some() || moving_h.is_some()) {
            row.problem("speed or time given without time_source".into());
        }
    }
    let departures_per_week = row.opt_f64("departures_per_week");
    if let Some(d) = departures_per_week {
        if d <= 0.0 {
            row.problem(format!("departures_per_week must be > 0, got {d}"));
        }
    }
    let wait_h = row.range("wait_h", true);
    let wait_source = row.opt_str("wait_source");
    if (wait_h.is_some() || departures_per_week.is_some()) && wait_source.is_none() {
        row.problem("wait or departures_per_week given without wait_source".into());
    }
    let dwell_h = row.range("dwell_h", true);
    let dwell_source = row.opt_str("dwell_source");
    if dwell_h.is_some() && dwell_source.is_none() {
        row.problem("dwell_h given without dwell_source".into());
    }
    let price = row.price("cost_fixed", Some("cost_per_km"));
    let cost_source = row.opt_str("cost_source");
    if price.is_some() && cost_source.is_none() {
        row.problem("cost given without cost_source".into());
    }
    let capacity = row.opt_f64("capacity");
    let capacity = row.nonneg("capacity", capacity);
    let capacity_unit = row.raw("capacity_unit").to_string();
    let capacity_source = row.opt_str("capacity_source");
    if capacity.is_some() && (capacity_unit.is_empty() || capacity_source.is_none()) {
        row.problem("capacity needs capacity_unit and capacity_source".into());
    }
    let countries = row.list("countries");
    let passages = row.list("passages");
    let mut commodities = Vec::new();
    for c in row.list("commodities") {
        match Commodity::parse(&c) {
            Some(x) => commodities.push(x),
            None => row.problem(format!(
                "commodities '{c}' is not one of container, bulk, liquid, gas"
            )),
        }
    }
    if commodities.is_empty() {
        if mode == Some(Mode::Pipeline) {
            row.problem(
                "a pipeline link must say which commodities it carries (liquid or gas)".into(),
            );
        } else {
            commodities = vec![Commodity::Container, Commodity::Bulk, Commodity::Liquid];
        }
    }
    let emission_factor = row.opt_str("emission_factor");
    let mut waypoints = Vec::new();
    let wp = row.raw("waypoints").to_string();
    for pt in wp.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let mut it = pt.split_whitespace();
        match (
            it.next().and_then(|x| x.parse::<f64>().ok()),
            it.next().and_then(|x| x.parse::<f64>().ok()),
            it.next(),
        ) {
            (Some(lat), Some(lon), None) => waypoints.push((lat, lon)),
            _ => row.problem(format!("waypoint '{pt}' is not 'lat lon'")),
        }
    }
    let source = row.req_str("source");
    let note = row.raw("note").to_string();
    if let (true, Some(mode), Some(status)) = (row.ok, mode, status) {
        out.push(Link {
            id,
            from,
            to,
            mode,
            carries,
            gauge_mm,
            bidirectional,
            status,
            distance_km,
            distance_source,
            speed_kmh,
            moving_h,
            time_source,
            departures_per_week,
            wait_h,
            wait_source,
            dwell_h,
            dwell_source,
            price,
            cost_source,
            capacity,
            capacity_unit,
            capacity_source,
            countries,
            passages,
            commodities,
            emission_factor,
            waypoints,
            source,
            note,
            line: row.line,
        });
    }
}
