//! A run's tables as CSV and Parquet, each file written atomically:
//! - `results`: the columns of `corridor table`'s CSV, with `scenario` and `lane` first, and
//!   `geometry` when the job keeps each row's line (WKT in the CSV; WKB in a GeoParquet file,
//!   which GeoPandas' `read_parquet` opens as a GeoDataFrame);
//! - `flows` and `flow_runs` when the job has `[flows]`: each capacity's load per scenario and
//!   demand factor, and each assignment's convergence and corridor shares.

use std::path::Path;
use std::sync::Arc;

use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::failure::Failure;
use crate::flows::{FlowRow, FlowRun};
use crate::part::{parse_wkt, Row};
use crate::store::Store;

/// The columns of `results`, in order (CSV header, Parquet schema); `geometry` follows when the
/// job keeps lines.
pub const COLUMNS: [&str; 15] = [
    "scenario",
    "lane",
    "from",
    "to",
    "distance_km",
    "transit_h",
    "transit_days_p50",
    "transit_days_p90",
    "cost_usd",
    "co2e_kg",
    "borders_crossed",
    "countries",
    "compliance",
    "error",
    "message",
];

/// One column of a table to write.
enum Col {
    Str(Vec<String>),
    OptStr(Vec<Option<String>>),
    Int(Vec<i64>),
    OptInt(Vec<Option<i64>>),
    Num(Vec<f64>),
    OptNum(Vec<Option<f64>>),
    Bool(Vec<bool>),
    /// A line as WKT: text in CSV, WKB in Parquet.
    Geom(Vec<Option<String>>),
}

impl Col {
    fn schema_line(&self, name: &str) -> String {
        let (rep, ty) = match self {
            Col::Str(_) => ("REQUIRED", "BYTE_ARRAY"),
            Col::OptStr(_) => ("OPTIONAL", "BYTE_ARRAY"),
            Col::Int(_) => ("REQUIRED", "INT64"),
            Col::OptInt(_) => ("OPTIONAL", "INT64"),
            Col::Num(_) => ("REQUIRED", "DOUBLE"),
            Col::OptNum(_) => ("OPTIONAL", "DOUBLE"),
            Col::Bool(_) => ("REQUIRED", "BOOLEAN"),
            Col::Geom(_) => ("OPTIONAL", "BYTE_ARRAY"),
        };
        let utf8 = matches!(self, Col::Str(_) | Col::OptStr(_));
        format!(
            "  {rep} {ty} {name}{};\n",
            if utf8 { " (UTF8)" } else { "" }
        )
    }

    fn cell(&self, i: usize) -> String {
        let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        match self {
            Col::Str(v) => v[i].clone(),
            Col::OptStr(v) | Col::Geom(v) => v[i].clone().unwrap_or_default(),
            Col::Int(v) => v[i].to_string(),
            Col::OptInt(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
            Col::Num(v) => v[i].to_string(),
            Col::OptNum(v) => num(v[i]),
            Col::Bool(v) => v[i].to_string(),
        }
    }
}

/// A table: named columns of equal length.
struct Table {
    name: &'static str,
    rows: usize,
    cols: Vec<(&'static str, Col)>,
}

fn io(path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure::new("Internal", format!("cannot write {}: {e}", path.display()))
}

/// Writes `bytes` to `path` atomically (a temporary file in the same folder, renamed).
fn atomic(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(path, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io(path, e))?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all().map_err(|e| io(path, e))?;
    tmp.persist(path).map_err(|e| io(path, e))?;
    Ok(())
}

/// A line as WKB (ISO, little-endian `LineString`).
fn wkb(points: &[[f64; 2]]) -> Vec<u8> {
    let mut b = Vec::with_capacity(9 + 16 * points.len());
    b.push(1u8);
    b.extend_from_slice(&2u32.to_le_bytes());
    b.extend_from_slice(&(points.len() as u32).to_le_bytes());
    for p in points {
        b.extend_from_slice(&p[0].to_le_bytes());
        b.extend_from_slice(&p[1].to_le_bytes());
    }
    b
}

impl Table {
    fn csv_text(&self) -> Result<String, Failure> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let e = |e: csv::Error| Failure::new("Internal", e.to_string());
        w.write_record(self.cols.iter().map(|(n, _)| *n))
            .map_err(e)?;
        for i in 0..self.rows {
            w.write_record(self.cols.iter().map(|(_, c)| c.cell(i)))
                .map_err(e)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|x| Failure::new("Internal", x.to_string()))?;
        String::from_utf8(bytes).map_err(|x| Failure::new("Internal", x.to_string()))
    }

    /// One row group, uncompressed; a `geo` key (GeoParquet 1.0.0) when a column is a line.
    fn write_parquet(&self, path: &Path) -> Result<(), Failure> {
        let pe = |e: parquet::errors::ParquetError| io(path, e);
        let mut text = format!("message {} {{\n", self.name);
        for (n, c) in &self.cols {
            text.push_str(&c.schema_line(n));
        }
        text.push('}');
        let schema = Arc::new(parse_message_type(&text).map_err(pe)?);
        let geo = self
            .cols
            .iter()
            .find(|(_, c)| matches!(c, Col::Geom(_)))
            .map(|(n, _)| {
                serde_json::json!({
                    "version": "1.0.0",
                    "primary_column": n,
                    "columns": {*n: {"encoding": "WKB", "geometry_types": ["LineString"]}},
                })
                .to_string()
            });
        let props = Arc::new(
            WriterProperties::builder()
                .set_key_value_metadata(geo.map(|g| vec![KeyValue::new("geo".into(), g)]))
                .build(),
        );
        atomic(path, |file| {
            let mut w = SerializedFileWriter::new(file, schema, props).map_err(pe)?;
            let mut rg = w.next_row_group().map_err(pe)?;
            for (_, c) in &self.cols {
                let mut col = rg
                    .next_column()
                    .map_err(pe)?
                    .ok_or_else(|| io(path, "schema ended early"))?;
                match c {
                    Col::Str(v) => {
                        let v: Vec<ByteArray> = v.iter().map(|s| bytes(s)).collect();
                        col.typed::<ByteArrayType>()
                            .write_batch(&v, None, None)
                            .map_err(pe)?;
                    }
                    Col::OptStr(v) => {
                        let (v, d) = optional(v.iter().map(|s| s.as_deref().map(bytes)));
                        col.typed::<ByteArrayType>()
                            .write_batch(&v, Some(&d), None)
                            .map_err(pe)?;
                    }
                    Col::Geom(v) => {
                        let (v, d) = optional(v.iter().map(|s| {
                            s.as_deref()
                                .and_then(parse_wkt)
                                .map(|p| ByteArray::from(wkb(&p)))
                        }));
                        col.typed::<ByteArrayType>()
                            .write_batch(&v, Some(&d), None)
                            .map_err(pe)?;
                    }
                    Col::Int(v) => {
                        col.typed::<Int64Type>()
                            .write_batch(v, None, None)
                            .map_err(pe)?;
                    }
                    Col::OptInt(v) => {
                        let (v, d) = optional(v.iter().copied());
                        col.typed::<Int64Type>()
                            .write_batch(&v, Some(&d), None)
                            .map_err(pe)?;
                    }
                    Col::Num(v) => {
                        col.typed::<DoubleType>()
                            .write_batch(v, None, None)
                            .map_err(pe)?;
                    }
                    Col::OptNum(v) => {
                        let (v, d) = optional(v.iter().copied());
                        col.typed::<DoubleType>()
                            .write_batch(&v, Some(&d), None)
                            .map_err(pe)?;
                    }
                    Col::Bool(v) => {
                        col.typed::<BoolType>()
                            .write_batch(v, None, None)
                            .map_err(pe)?;
                    }
                }
                col.close().map_err(pe)?;
            }
            rg.close().map_err(pe)?;
            w.close().map_err(pe)?;
            Ok(())
        })
    }

    fn write_csv(&self, path: &Path) -> Result<(), Failure> {
        let text = self.csv_text()?;
        atomic(path, |f| {
            use std::io::Write;
            f.write_all(text.as_bytes()).map_err(|e| io(path, e))
        })
    }
}

/// Values and definition levels of an optional column.
fn optional<T>(vals: impl Iterator<Item = Option<T>>) -> (Vec<T>, Vec<i16>) {
    let mut v = Vec::new();
    let mut def = Vec::new();
    for x in vals {
        match x {
            Some(x) => {
                v.push(x);
                def.push(1);
            }
            None => def.push(0),
        }
    }
    (v, def)
}

fn bytes(s: &str) -> ByteArray {
    ByteArray::from(s.as_bytes().to_vec())
}

fn results(rows: &[Row]) -> Table {
    let s = |f: fn(&Row) -> String| Col::Str(rows.iter().map(f).collect());
    let n = |f: fn(&Row) -> Option<f64>| Col::OptNum(rows.iter().map(f).collect());
    let mut cols = vec![
        ("scenario", s(|r| r.scenario.clone())),
        (
            "lane",
            Col::Int(rows.iter().map(|r| r.lane as i64).collect()),
        ),
        ("from", s(|r| r.from.clone())),
        ("to", s(|r| r.to.clone())),
        ("distance_km", n(|r| r.distance_km)),
        ("transit_h", n(|r| r.transit_h)),
        ("transit_days_p50", n(|r| r.transit_days_p50)),
        ("transit_days_p90", n(|r| r.transit_days_p90)),
        ("cost_usd", n(|r| r.cost_usd)),
        ("co2e_kg", n(|r| r.co2e_kg)),
        (
            "borders_crossed",
            Col::OptInt(rows.iter().map(|r| r.borders_crossed).collect()),
        ),
        ("countries", s(|r| r.countries.clone())),
        ("compliance", s(|r| r.compliance.clone())),
        (
            "error",
            Col::OptStr(rows.iter().map(|r| r.error.clone()).collect()),
        ),
        (
            "message",
            Col::OptStr(rows.iter().map(|r| r.message.clone()).collect()),
        ),
    ];
    if rows.iter().any(|r| r.geometry.is_some()) {
        cols.push((
            "geometry",
            Col::Geom(rows.iter().map(|r| r.geometry.clone()).collect()),
        ));
    }
    Table {
        name: "results",
        rows: rows.len(),
        cols,
    }
}

fn flows(rows: &[FlowRow]) -> Table {
    let s = |f: fn(&FlowRow) -> String| Col::Str(rows.iter().map(f).collect());
    let n = |f: fn(&FlowRow) -> f64| Col::Num(rows.iter().map(f).collect());
    let cols = vec![
        ("scenario", s(|r| r.scenario.clone())),
        ("demand_factor", n(|r| r.demand_factor)),
        ("capacity_id", s(|r| r.capacity_id.clone())),
        ("name", s(|r| r.name.clone())),
        ("element", s(|r| r.element.clone())),
        ("target", s(|r| r.target.clone())),
        ("direction", s(|r| r.direction.clone())),
        ("load_teu_per_year", n(|r| r.load_teu_per_year)),
        ("load_trains_per_day", n(|r| r.load_trains_per_day)),
        ("capacity_teu_per_year", n(|r| r.capacity_teu_per_year)),
        ("vc", n(|r| r.vc)),
        ("delay_h", n(|r| r.delay_h)),
        (
            "capacity_needed_teu_per_year",
            Col::OptNum(
                rows.iter()
                    .map(|r| r.capacity_needed_teu_per_year)
                    .collect(),
            ),
        ),
        (
            "planned",
            Col::Bool(rows.iter().map(|r| r.planned).collect()),
        ),
        ("source", s(|r| r.source.clone())),
        (
            "rank",
            Col::Int(rows.iter().map(|r| r.pos as i64 + 1).collect()),
        ),
    ];
    Table {
        name: "flows",
        rows: rows.len(),
        cols,
    }
}

fn flow_runs(rows: &[FlowRun]) -> Table {
    let s = |f: fn(&FlowRun) -> String| Col::Str(rows.iter().map(f).collect());
    let n = |f: fn(&FlowRun) -> f64| Col::Num(rows.iter().map(f).collect());
    let cols = vec![
        ("scenario", s(|r| r.scenario.clone())),
        ("demand_factor", n(|r| r.demand_factor)),
        ("demand_teu_per_year", n(|r| r.demand_teu_per_year)),
        ("total_cost_usd_per_year", n(|r| r.total_cost_usd_per_year)),
        ("relative_gap", n(|r| r.relative_gap)),
        (
            "converged",
            Col::Bool(rows.iter().map(|r| r.converged).collect()),
        ),
        (
            "iterations",
            Col::Int(rows.iter().map(|r| r.iterations).collect()),
        ),
        ("corridors", s(|r| r.corridors.clone())),
        ("warnings", s(|r| r.warnings.clone())),
    ];
    Table {
        name: "flow_runs",
        rows: rows.len(),
        cols,
    }
}

/// The rows as CSV text (numbers unrounded: the CSV reads back to the same values).
///
/// # Errors
/// `Internal` (a CSV writer error).
pub fn csv_text(rows: &[Row]) -> Result<String, Failure> {
    results(rows).csv_text()
}

/// The flows as CSV text.
///
/// # Errors
/// `Internal`.
pub fn flows_csv_text(rows: &[FlowRow]) -> Result<String, Failure> {
    flows(rows).csv_text()
}

/// Writes the rows as CSV to `path`.
///
/// # Errors
/// `Internal` naming the file.
pub fn write_csv(rows: &[Row], path: &Path) -> Result<(), Failure> {
    results(rows).write_csv(path)
}

/// Writes the rows as Parquet to `path` (GeoParquet when they keep lines).
///
/// # Errors
/// `Internal` naming the file.
pub fn write_parquet(rows: &[Row], path: &Path) -> Result<(), Failure> {
    results(rows).write_parquet(path)
}

/// Writes every table of run `id` into `out`: `results.{parquet,csv}`, and with flows
/// `flows.{parquet,csv}` and `flow_runs.{parquet,csv}`. Answers the files written.
///
/// # Errors
/// `Store`; `Internal` naming a file that cannot be written.
pub fn write_run(store: &mut Store, id: i64, out: &Path) -> Result<Vec<String>, Failure> {
    let mut tables = vec![results(&store.rows(id)?)];
    let f = store.flows(id)?;
    let r = store.flow_runs(id)?;
    if !r.is_empty() {
        tables.push(flows(&f));
        tables.push(flow_runs(&r));
    }
    let mut files = Vec::new();
    for t in &tables {
        let pq = out.join(format!("{}.parquet", t.name));
        let csv = out.join(format!("{}.csv", t.name));
        t.write_parquet(&pq)?;
        t.write_csv(&csv)?;
        files.push(pq.display().to_string());
        files.push(csv.display().to_string());
    }
    Ok(files)
}
