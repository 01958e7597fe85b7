//! The store in one SQLite file (rusqlite, SQLite bundled: no server, no system library).

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::{
    RunInfo, RunMeta, INSERT_PART, INSERT_ROW, INSERT_RUN, ROW_COLUMNS, RUN_COLUMNS, SCHEMA,
};
use crate::failure::Failure;
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
        conn.execute_batch(SCHEMA).map_err(err)?;
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
            let mut ins = tx.prepare_cached(INSERT_ROW).map_err(err)?;
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
                    r.message
                ])
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
            "SELECT {ROW_COLUMNS} FROM results WHERE run_id = $1 ORDER BY scenario_pos, lane"
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
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }
}
