//! A run's rows as CSV (the columns of `corridor table`'s CSV, with `scenario` and `lane`
//! first) and as Parquet (the same columns, typed), each written atomically.

use std::path::Path;
use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::failure::Failure;
use crate::part::Row;

/// The columns, in order (CSV header, Parquet schema).
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

const SCHEMA: &str = "message results {
  REQUIRED BYTE_ARRAY scenario (UTF8);
  REQUIRED INT64 lane;
  REQUIRED BYTE_ARRAY from (UTF8);
  REQUIRED BYTE_ARRAY to (UTF8);
  OPTIONAL DOUBLE distance_km;
  OPTIONAL DOUBLE transit_h;
  OPTIONAL DOUBLE transit_days_p50;
  OPTIONAL DOUBLE transit_days_p90;
  OPTIONAL DOUBLE cost_usd;
  OPTIONAL DOUBLE co2e_kg;
  OPTIONAL INT64 borders_crossed;
  REQUIRED BYTE_ARRAY countries (UTF8);
  REQUIRED BYTE_ARRAY compliance (UTF8);
  OPTIONAL BYTE_ARRAY error (UTF8);
  OPTIONAL BYTE_ARRAY message (UTF8);
}";

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

fn num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The rows as CSV text (numbers unrounded: the CSV reads back to the same values).
pub fn csv_text(rows: &[Row]) -> Result<String, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let e = |e: csv::Error| Failure::new("Internal", e.to_string());
    w.write_record(COLUMNS).map_err(e)?;
    for r in rows {
        w.write_record([
            r.scenario.clone(),
            r.lane.to_string(),
            r.from.clone(),
            r.to.clone(),
            num(r.distance_km),
            num(r.transit_h),
            num(r.transit_days_p50),
            num(r.transit_days_p90),
            num(r.cost_usd),
            num(r.co2e_kg),
            r.borders_crossed.map(|b| b.to_string()).unwrap_or_default(),
            r.countries.clone(),
            r.compliance.clone(),
            r.error.clone().unwrap_or_default(),
            r.message.clone().unwrap_or_default(),
        ])
        .map_err(e)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|x| Failure::new("Internal", x.to_string()))?;
    String::from_utf8(bytes).map_err(|x| Failure::new("Internal", x.to_string()))
}

/// Writes the rows as CSV to `path`.
pub fn write_csv(rows: &[Row], path: &Path) -> Result<(), Failure> {
    let text = csv_text(rows)?;
    atomic(path, |f| {
        use std::io::Write;
        f.write_all(text.as_bytes()).map_err(|e| io(path, e))
    })
}

/// Values and definition levels of an optional column.
fn optional<T: Clone>(vals: impl Iterator<Item = Option<T>>) -> (Vec<T>, Vec<i16>) {
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

/// Writes the rows as Parquet to `path` (one row group, uncompressed).
pub fn write_parquet(rows: &[Row], path: &Path) -> Result<(), Failure> {
    let pe = |e: parquet::errors::ParquetError| io(path, e);
    let schema = Arc::new(parse_message_type(SCHEMA).map_err(pe)?);
    let props = Arc::new(WriterProperties::builder().build());
    atomic(path, |file| {
        let mut w = SerializedFileWriter::new(file, schema, props).map_err(pe)?;
        let mut rg = w.next_row_group().map_err(pe)?;
        let strings =
            |f: &dyn Fn(&Row) -> &str| rows.iter().map(|r| bytes(f(r))).collect::<Vec<_>>();
        let doubles = |f: &dyn Fn(&Row) -> Option<f64>| optional(rows.iter().map(f));
        let opt_strings =
            |f: &dyn Fn(&Row) -> Option<&str>| optional(rows.iter().map(|r| f(r).map(bytes)));
        let lanes: Vec<i64> = rows.iter().map(|r| r.lane as i64).collect();
        for name in COLUMNS {
            let mut col = rg
                .next_column()
                .map_err(pe)?
                .ok_or_else(|| io(path, "schema ended early"))?;
            match name {
                "scenario" | "from" | "to" | "countries" | "compliance" => {
                    let v = strings(&|r: &Row| match name {
                        "scenario" => r.scenario.as_str(),
                        "from" => r.from.as_str(),
                        "to" => r.to.as_str(),
                        "countries" => r.countries.as_str(),
                        _ => r.compliance.as_str(),
                    });
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, None, None)
                        .map_err(pe)?;
                }
                "lane" => {
                    col.typed::<Int64Type>()
                        .write_batch(&lanes, None, None)
                        .map_err(pe)?;
                }
                "borders_crossed" => {
                    let (v, d) = optional(rows.iter().map(|r| r.borders_crossed));
                    col.typed::<Int64Type>()
                        .write_batch(&v, Some(&d), None)
                        .map_err(pe)?;
                }
                "error" | "message" => {
                    let (v, d) = opt_strings(&|r: &Row| {
                        if name == "error" {
                            r.error.as_deref()
                        } else {
                            r.message.as_deref()
                        }
                    });
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, Some(&d), None)
                        .map_err(pe)?;
                }
                _ => {
                    let (v, d) = doubles(&|r: &Row| match name {
                        "distance_km" => r.distance_km,
                        "transit_h" => r.transit_h,
                        "transit_days_p50" => r.transit_days_p50,
                        "transit_days_p90" => r.transit_days_p90,
                        "cost_usd" => r.cost_usd,
                        _ => r.co2e_kg,
                    });
                    col.typed::<DoubleType>()
                        .write_batch(&v, Some(&d), None)
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
