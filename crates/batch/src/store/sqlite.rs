//! The store in one SQLite file (rusqlite, SQLite bundled: no server, no system library).

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::{
    insert_row, row_columns, schema, RunInfo, RunMeta, FLOW_COLUMNS, FLOW_RUN_COLUMNS, INSERT_FLOW,
    INSERT_FLOW_RUN, INSERT_PART, INSERT_RUN, RUN_COLUMNS,
};
use crate::failure::Failure;
use crate::flows::{FlowRow, FlowRun};
use crate::part::{PartResult, Row};

/// A SQLite store.
pub struct Sqlite {
    conn: Connection,
}

fn err(e: rusqlite::Error) -> Failure {
    Failure::store(e)
}

impl Sqlite {
    /// Opens or creates the file and its tables.
    pub fn open(path: &Path) -> Result<Sqlite, Failure> {
        let conn = Connection::open(path)
            .map_err(|e| Failure::store(format!("cannot open {}: {e}", path.display())))?;
        // WAL: readers (`corridor runs`) do not block a run; a crash loses no committed part.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(err)?;
        conn.execute_batch(&schema("TEXT")).map_err(err)?;
        // A store made before rows kept their line gains the column (NULL for old rows).
        let has_geometry: bool = conn
            .query_row(
                "SELECT COUNT(*) FROM pragma_table_info('results') WHERE name = 'geometry'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(err)?
            > 0;
        if !has_geometry {
            conn.execute_batch("ALTER TABLE results ADD COLUMN geometry TEXT")
                .map_err(err)?;
        }
        Ok(Sqlite { conn })
    }

    pub(super) fn begin(&mut self, m: &RunMeta, now: &str) -> Result<(i64, bool), Failure> {
        let tx = self.conn.transaction().map_err(err)?;
        let open: Option<i64> = tx
            .query_row(
                "SELECT run_id FROM runs WHERE run_key = $1 AND status = 'running' ORDER BY run_id DESC LIMIT 1",
                params![m.run_key],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        if let Some(id) = open {
            tx.commit().map_err(err)?;
            return Ok((id, true));
        }
        let id: i64 = tx
            .query_row("SELECT COALESCE(MAX(run_id), 0) + 1 FROM runs", [], |r| {
                r.get(0)
            })
            .map_err(err)?;
        tx.execute(
            INSERT_RUN,
            params![
                id,
                m.run_key,
                m.job_name,
                m.job_path,
                m.job_hash,
                m.job_text,
                m.data_hash,
                m.data_label,
                m.scenarios,
                m.code_version,
                m.lanes,
                m.parts,
                now
            ],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok((id, false))
    }

    pub(super) fn done_parts(&mut self, id: i64) -> Result<Vec<(String, usize)>, Failure> {
        let mut st = self
            .conn
            .prepare("SELECT scenario, chunk FROM parts WHERE run_id = $1")
            .map_err(err)?;
        let rows = st
            .query_map(params![id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    pub(super) fn write_part(&mut self, id: i64, p: &PartResult, now: &str) -> Result<(), Failure> {
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut ins = tx.prepare_cached(&insert_row("$18")).map_err(err)?;
            for r in &p.rows {
                ins.execute(params![
                    id,
                    r.scenario_pos as i64,
                    r.scenario,
                    r.lane as i64,
                    r.from,
                    r.to,
                    r.distance_km,
                    r.transit_h,
                    r.transit_days_p50,
                    r.transit_days_p90,
                    r.cost_usd,
                    r.co2e_kg,
                    r.borders_crossed,
                    r.countries,
                    r.compliance,
                    r.error,
                    r.message,
                    r.geometry
                ])
                .map_err(err)?;
            }
            let mut ins = tx.prepare_cached(INSERT_FLOW).map_err(err)?;
            for f in &p.flows {
                ins.execute(params![
                    id,
                    f.scenario_pos as i64,
                    f.scenario,
                    f.demand_factor,
                    f.pos as i64,
                    f.capacity_id,
                    f.name,
                    f.element,
                    f.target,
                    f.direction,
                    f.load_teu_per_year,
                    f.load_trains_per_day,
                    f.capacity_teu_per_year,
                    f.vc,
                    f.delay_h,
                    f.capacity_needed_teu_per_year,
                    i64::from(f.planned),
                    f.source
                ])
                .map_err(err)?;
            }
            if let Some(f) = &p.flow_run {
                tx.execute(
                    INSERT_FLOW_RUN,
                    params![
                        id,
                        f.scenario_pos as i64,
                        f.scenario,
                        f.demand_factor,
                        f.demand_teu_per_year,
                        f.total_cost_usd_per_year,
                        f.relative_gap,
                        i64::from(f.converged),
                        f.iterations,
                        f.corridors,
                        f.warnings
                    ],
                )
                .map_err(err)?;
            }
        }
        tx.execute(
            INSERT_PART,
            params![
                id,
                p.part.scenario,
                p.part.chunk as i64,
                p.rows.len() as i64,
                p.seconds,
                p.worker,
                now
            ],
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    pub(super) fn finish(&mut self, id: i64, now: &str, wall: f64) -> Result<(), Failure> {
        self.conn
            .execute(
                "UPDATE runs SET status = 'complete', finished_utc = $1, wall_seconds = $2 WHERE run_id = $3",
                params![now, wall, id],
            )
            .map_err(err)?;
        Ok(())
    }

    pub(super) fn runs(&mut self, id: Option<i64>) -> Result<Vec<RunInfo>, Failure> {
        let sql = format!(
            "SELECT {RUN_COLUMNS}, (SELECT COUNT(*) FROM parts p WHERE p.run_id = runs.run_id), (SELECT COALESCE(SUM(seconds), 0) FROM parts p WHERE p.run_id = runs.run_id) FROM runs WHERE ($1 IS NULL OR run_id = $1) ORDER BY run_id DESC"
        );
        let mut st = self.conn.prepare(&sql).map_err(err)?;
        let rows = st
            .query_map(params![id], |r| {
                Ok(RunInfo {
                    run_id: r.get(0)?,
                    meta: RunMeta {
                        run_key: r.get(1)?,
                        job_name: r.get(2)?,
                        job_path: r.get(3)?,
                        job_hash: r.get(4)?,
                        job_text: r.get(5)?,
                        data_hash: r.get(6)?,
                        data_label: r.get(7)?,
                        scenarios: r.get(8)?,
                        code_version: r.get(9)?,
                        lanes: r.get(10)?,
                        parts: r.get(11)?,
                    },
                    status: r.get(12)?,
                    started_utc: r.get(13)?,
                    finished_utc: r.get(14)?,
                    wall_seconds: r.get(15)?,
                    parts_done: r.get(16)?,
                    part_seconds: r.get(17)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    pub(super) fn rows(&mut self, id: i64) -> Result<Vec<Row>, Failure> {
        let sql = format!(
            "SELECT {} FROM results WHERE run_id = $1 ORDER BY scenario_pos, lane",
            row_columns("geometry")
        );
        let mut st = self.conn.prepare(&sql).map_err(err)?;
        let rows = st
            .query_map(params![id], |r| {
                Ok(Row {
                    scenario_pos: r.get::<_, i64>(0)? as usize,
                    scenario: r.get(1)?,
                    lane: r.get::<_, i64>(2)? as usize,
                    from: r.get(3)?,
                    to: r.get(4)?,
                    distance_km: r.get(5)?,
                    transit_h: r.get(6)?,
                    transit_days_p50: r.get(7)?,
                    transit_days_p90: r.get(8)?,
                    cost_usd: r.get(9)?,
                    co2e_kg: r.get(10)?,
                    borders_crossed: r.get(11)?,
                    countries: r.get(12)?,
                    compliance: r.get(13)?,
                    error: r.get(14)?,
                    message: r.get(15)?,
                    geometry: r.get(16)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    pub(super) fn flows(&mut self, id: i64) -> Result<Vec<FlowRow>, Failure> {
        let sql = format!(
            "SELECT {FLOW_COLUMNS} FROM flows WHERE run_id = $1 ORDER BY scenario_pos, demand_factor, pos"
        );
        let mut st = self.conn.prepare(&sql).map_err(err)?;
        let rows = st
            .query_map(params![id], |r| {
                Ok(FlowRow {
                    scenario_pos: r.get::<_, i64>(0)? as usize,
                    scenario: r.get(1)?,
                    demand_factor: r.get(2)?,
                    pos: r.get::<_, i64>(3)? as usize,
                    capacity_id: r.get(4)?,
                    name: r.get(5)?,
                    element: r.get(6)?,
                    target: r.get(7)?,
                    direction: r.get(8)?,
                    load_teu_per_year: r.get(9)?,
                    load_trains_per_day: r.get(10)?,
                    capacity_teu_per_year: r.get(11)?,
                    vc: r.get(12)?,
                    delay_h: r.get(13)?,
                    capacity_needed_teu_per_year: r.get(14)?,
                    planned: r.get::<_, i64>(15)? != 0,
                    source: r.get(16)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    pub(super) fn flow_runs(&mut self, id: i64) -> Result<Vec<FlowRun>, Failure> {
        let sql = format!(
            "SELECT {FLOW_RUN_COLUMNS} FROM flow_runs WHERE run_id = $1 ORDER BY scenario_pos, demand_factor"
        );
        let mut st = self.conn.prepare(&sql).map_err(err)?;
        let rows = st
            .query_map(params![id], |r| {
                Ok(FlowRun {
                    scenario_pos: r.get::<_, i64>(0)? as usize,
                    scenario: r.get(1)?,
                    demand_factor: r.get(2)?,
                    demand_teu_per_year: r.get(3)?,
                    total_cost_usd_per_year: r.get(4)?,
                    relative_gap: r.get(5)?,
                    converged: r.get::<_, i64>(6)? != 0,
                    iterations: r.get(7)?,
                    corridors: r.get(8)?,
                    warnings: r.get(9)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }
}
