//! The results store: every run recorded (the job, the data hash, the scenarios' hashes, the
//! code version, timings) with its result rows, in one SQLite file by default or on a
//! PostgreSQL server (`postgres://…`), with the same schema ([`SCHEMA`]). Each part is
//! written in one transaction with its rows, so an interrupted run leaves whole parts only,
//! and a resumed run skips them.

mod postgres;
mod sqlite;

use serde::{Deserialize, Serialize};

use crate::failure::Failure;
use crate::flows::{FlowRow, FlowRun};
use crate::part::{Part, PartResult, Row};

/// The schema, the same on SQLite and PostgreSQL (types both read the same way) but for the
/// type of `results.geometry` ([`schema`]): WKT text, or PostGIS `geometry(LineString, 4326)`
/// on a PostgreSQL server with PostGIS.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    run_id BIGINT PRIMARY KEY,
    run_key TEXT NOT NULL,
    job_name TEXT NOT NULL,
    job_path TEXT NOT NULL,
    job_hash TEXT NOT NULL,
    job_text TEXT NOT NULL,
    data_hash TEXT NOT NULL,
    data_label TEXT NOT NULL,
    scenarios TEXT NOT NULL,
    code_version TEXT NOT NULL,
    lanes BIGINT NOT NULL,
    parts BIGINT NOT NULL,
    status TEXT NOT NULL,
    started_utc TEXT NOT NULL,
    finished_utc TEXT,
    wall_seconds DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS parts (
    run_id BIGINT NOT NULL REFERENCES runs(run_id),
    scenario TEXT NOT NULL,
    chunk BIGINT NOT NULL,
    lanes BIGINT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    worker TEXT NOT NULL,
    finished_utc TEXT NOT NULL,
    PRIMARY KEY (run_id, scenario, chunk)
);
CREATE TABLE IF NOT EXISTS results (
    run_id BIGINT NOT NULL REFERENCES runs(run_id),
    scenario_pos BIGINT NOT NULL,
    scenario TEXT NOT NULL,
    lane BIGINT NOT NULL,
    from_place TEXT NOT NULL,
    to_place TEXT NOT NULL,
    distance_km DOUBLE PRECISION,
    transit_h DOUBLE PRECISION,
    transit_days_p50 DOUBLE PRECISION,
    transit_days_p90 DOUBLE PRECISION,
    cost_usd DOUBLE PRECISION,
    co2e_kg DOUBLE PRECISION,
    borders_crossed BIGINT,
    countries TEXT NOT NULL,
    compliance TEXT NOT NULL,
    error TEXT,
    message TEXT,
    geometry GEOMETRY_TYPE,
    PRIMARY KEY (run_id, scenario, lane)
);
CREATE TABLE IF NOT EXISTS flows (
    run_id BIGINT NOT NULL REFERENCES runs(run_id),
    scenario_pos BIGINT NOT NULL,
    scenario TEXT NOT NULL,
    demand_factor DOUBLE PRECISION NOT NULL,
    pos BIGINT NOT NULL,
    capacity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    element TEXT NOT NULL,
    target TEXT NOT NULL,
    direction TEXT NOT NULL,
    load_teu_per_year DOUBLE PRECISION NOT NULL,
    load_trains_per_day DOUBLE PRECISION NOT NULL,
    capacity_teu_per_year DOUBLE PRECISION NOT NULL,
    vc DOUBLE PRECISION NOT NULL,
    delay_h DOUBLE PRECISION NOT NULL,
    capacity_needed_teu_per_year DOUBLE PRECISION,
    planned BIGINT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (run_id, scenario, demand_factor, pos)
);
CREATE TABLE IF NOT EXISTS flow_runs (
    run_id BIGINT NOT NULL REFERENCES runs(run_id),
    scenario_pos BIGINT NOT NULL,
    scenario TEXT NOT NULL,
    demand_factor DOUBLE PRECISION NOT NULL,
    demand_teu_per_year DOUBLE PRECISION NOT NULL,
    total_cost_usd_per_year DOUBLE PRECISION NOT NULL,
    relative_gap DOUBLE PRECISION NOT NULL,
    converged BIGINT NOT NULL,
    iterations BIGINT NOT NULL,
    corridors TEXT NOT NULL,
    warnings TEXT NOT NULL,
    PRIMARY KEY (run_id, scenario, demand_factor)
);
";

/// [`SCHEMA`] with `results.geometry` of type `geometry_type`.
pub fn schema(geometry_type: &str) -> String {
    SCHEMA.replace("GEOMETRY_TYPE", geometry_type)
}

const INSERT_RUN: &str = "INSERT INTO runs (run_id, run_key, job_name, job_path, job_hash, job_text, data_hash, data_label, scenarios, code_version, lanes, parts, status, started_utc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'running', $13)";
const INSERT_PART: &str = "INSERT INTO parts (run_id, scenario, chunk, lanes, seconds, worker, finished_utc) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const INSERT_FLOW: &str = "INSERT INTO flows (run_id, scenario_pos, scenario, demand_factor, pos, capacity_id, name, element, target, direction, load_teu_per_year, load_trains_per_day, capacity_teu_per_year, vc, delay_h, capacity_needed_teu_per_year, planned, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
const INSERT_FLOW_RUN: &str = "INSERT INTO flow_runs (run_id, scenario_pos, scenario, demand_factor, demand_teu_per_year, total_cost_usd_per_year, relative_gap, converged, iterations, corridors, warnings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const RUN_COLUMNS: &str = "run_id, run_key, job_name, job_path, job_hash, job_text, data_hash, data_label, scenarios, code_version, lanes, parts, status, started_utc, finished_utc, wall_seconds";
const FLOW_COLUMNS: &str = "scenario_pos, scenario, demand_factor, pos, capacity_id, name, element, target, direction, load_teu_per_year, load_trains_per_day, capacity_teu_per_year, vc, delay_h, capacity_needed_teu_per_year, planned, source";
const FLOW_RUN_COLUMNS: &str = "scenario_pos, scenario, demand_factor, demand_teu_per_year, total_cost_usd_per_year, relative_gap, converged, iterations, corridors, warnings";

/// The insert of a result row; `geometry_in` turns parameter `$18` (WKT or NULL) into the
/// column's value (`$18`, or PostGIS's `ST_GeomFromText($18, 4326)`).
fn insert_row(geometry_in: &str) -> String {
    format!("INSERT INTO results (run_id, scenario_pos, scenario, lane, from_place, to_place, distance_km, transit_h, transit_days_p50, transit_days_p90, cost_usd, co2e_kg, borders_crossed, countries, compliance, error, message, geometry) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, {geometry_in})")
}

/// The columns of a result row; `geometry_out` reads the geometry as WKT (`geometry`, or
/// PostGIS's `ST_AsText(geometry)`).
fn row_columns(geometry_out: &str) -> String {
    format!("scenario_pos, scenario, lane, from_place, to_place, distance_km, transit_h, transit_days_p50, transit_days_p90, cost_usd, co2e_kg, borders_crossed, countries, compliance, error, message, {geometry_out}")
}

/// What identifies a run before it starts (and what a resumed run must match).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMeta {
    /// Hash of everything below: a run with the same key computes the same rows.
    pub run_key: String,
    /// The job's name.
    pub job_name: String,
    /// The job file.
    pub job_path: String,
    /// The job's hash.
    pub job_hash: String,
    /// The job's text.
    pub job_text: String,
    /// The base data's hash.
    pub data_hash: String,
    /// The base data: name, version and layers.
    pub data_label: String,
    /// The scenarios, JSON `[{"name", "hash"}]` in job order.
    pub scenarios: String,
    /// `corridor VERSION`.
    pub code_version: String,
    /// Lanes in the job.
    pub lanes: i64,
    /// Parts in the job.
    pub parts: i64,
}

/// A run as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// Its id (1, 2, … in the store).
    pub run_id: i64,
    /// What it ran.
    #[serde(flatten)]
    pub meta: RunMeta,
    /// `running` (or interrupted) or `complete`.
    pub status: String,
    /// When it started, RFC 3339 UTC.
    pub started_utc: String,
    /// When it completed.
    pub finished_utc: Option<String>,
    /// Wall seconds of its last session (the one that completed it).
    pub wall_seconds: Option<f64>,
    /// Parts done.
    pub parts_done: i64,
    /// Seconds computing parts, summed.
    pub part_seconds: f64,
}

/// A results store: SQLite (a file path) or PostgreSQL (`postgres://…`).
pub enum Store {
    /// One SQLite file.
    Sqlite(sqlite::Sqlite),
    /// A PostgreSQL database.
    Postgres(Box<postgres::Postgres>),
}

fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Store {
    /// Opens (and creates the tables of) the store at `url`: `postgres://…` or
    /// `postgresql://…` for PostgreSQL, else the path of a SQLite file (created if missing).
    ///
    /// # Errors
    /// `Store` naming the store and why.
    pub fn open(url: &str) -> Result<Store, Failure> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(Box::new(postgres::Postgres::open(url)?)))
        } else {
            Ok(Store::Sqlite(sqlite::Sqlite::open(std::path::Path::new(
                url,
            ))?))
        }
    }

    /// The run to write into: an interrupted run with the same key (resumed), else a new one.
    /// Answers its id and whether it resumes.
    ///
    /// # Errors
    /// `Store`.
    pub fn begin(&mut self, meta: &RunMeta) -> Result<(i64, bool), Failure> {
        match self {
            Store::Sqlite(s) => s.begin(meta, &now_utc()),
            Store::Postgres(s) => s.begin(meta, &now_utc()),
        }
    }

    /// The parts of run `id` already written.
    ///
    /// # Errors
    /// `Store`.
    pub fn done_parts(&mut self, id: i64) -> Result<Vec<(String, usize)>, Failure> {
        match self {
            Store::Sqlite(s) => s.done_parts(id),
            Store::Postgres(s) => s.done_parts(id),
        }
    }

    /// Writes a part and its rows in one transaction.
    ///
    /// # Errors
    /// `Store` (nothing of the part is written then).
    pub fn write_part(&mut self, id: i64, r: &PartResult) -> Result<(), Failure> {
        match self {
            Store::Sqlite(s) => s.write_part(id, r, &now_utc()),
            Store::Postgres(s) => s.write_part(id, r, &now_utc()),
        }
    }

    /// Marks run `id` complete, after checking that every part is written.
    ///
    /// # Errors
    /// `Store`, or `Incomplete` naming the parts missing (the run stays resumable).
    pub fn finish(&mut self, id: i64, expected: &[Part], wall_seconds: f64) -> Result<(), Failure> {
        let done = self.done_parts(id)?;
        let missing: Vec<String> = expected
            .iter()
            .filter(|p| !done.contains(&(p.scenario.clone(), p.chunk)))
            .map(|p| format!("{} chunk {}", p.scenario, p.chunk))
            .collect();
        if !missing.is_empty() {
            return Err(Failure::new(
                "Incomplete",
                format!(
                    "run {id} is missing {} part(s) ({}); run the job again to compute them",
                    missing.len(),
                    missing
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        match self {
            Store::Sqlite(s) => s.finish(id, &now_utc(), wall_seconds),
            Store::Postgres(s) => s.finish(id, &now_utc(), wall_seconds),
        }
    }

    /// Every run, newest first.
    ///
    /// # Errors
    /// `Store`.
    pub fn runs(&mut self) -> Result<Vec<RunInfo>, Failure> {
        match self {
            Store::Sqlite(s) => s.runs(None),
            Store::Postgres(s) => s.runs(None),
        }
    }

    /// Run `id`.
    ///
    /// # Errors
    /// `Store`; `InvalidValue` (field `run`) for an id not in the store.
    pub fn run(&mut self, id: i64) -> Result<RunInfo, Failure> {
        let r = match self {
            Store::Sqlite(s) => s.runs(Some(id)),
            Store::Postgres(s) => s.runs(Some(id)),
        }?;
        r.into_iter().next().ok_or_else(|| {
            Failure::invalid(
                "run",
                format!("no run {id} in the store (see `corridor runs list`)"),
            )
        })
    }

    /// The rows of run `id`, by scenario (job order) then lane.
    ///
    /// # Errors
    /// `Store`.
    pub fn rows(&mut self, id: i64) -> Result<Vec<Row>, Failure> {
        match self {
            Store::Sqlite(s) => s.rows(id),
            Store::Postgres(s) => s.rows(id),
        }
    }

    /// The flows of run `id` (`[flows]`), by scenario (job order), demand factor, then V/C.
    ///
    /// # Errors
    /// `Store`.
    pub fn flows(&mut self, id: i64) -> Result<Vec<FlowRow>, Failure> {
        match self {
            Store::Sqlite(s) => s.flows(id),
            Store::Postgres(s) => s.flows(id),
        }
    }

    /// The assignments of run `id`: one per scenario and demand factor.
    ///
    /// # Errors
    /// `Store`.
    pub fn flow_runs(&mut self, id: i64) -> Result<Vec<FlowRun>, Failure> {
        match self {
            Store::Sqlite(s) => s.flow_runs(id),
            Store::Postgres(s) => s.flow_runs(id),
        }
    }

    /// How the store keeps each row's line: `wkt` (text) or `postgis` (`geometry(LineString,
    /// 4326)`).
    pub fn geometry_kind(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "wkt",
            Store::Postgres(s) => s.geometry_kind(),
        }
    }
}
