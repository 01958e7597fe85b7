//! The store on a PostgreSQL server (`postgres://user@host/db`), the same schema as SQLite:
//! for teams that share runs. Tested against a real server (`.ci/postgres.sh`,
//! `CORRIDOR_TEST_PG`).

use postgres::{Client, NoTls};

use super::{
    RunInfo, RunMeta, INSERT_PART, INSERT_ROW, INSERT_RUN, ROW_COLUMNS, RUN_COLUMNS, SCHEMA,
};
use crate::failure::Failure;
use crate::part::{PartResult, Row};

/// A PostgreSQL store.
pub struct Postgres {
    client: Client,
}

fn err(e: postgres::Error) -> Failure {
    Failure::store(e)
}

impl Postgres {
    /// Connects and creates the tables if missing.
    pub fn open(url: &str) -> Result<Postgres, Failure> {
        let mut client = Client::connect(url, NoTls)
            .map_err(|e| Failure::store(format!("cannot connect to {}: {e}", redact(url))))?;
        client.batch_execute(SCHEMA).map_err(err)?;
        Ok(Postgres { client })
    }

    pub(super) fn begin(&mut self, m: &RunMeta, now: &str) -> Result<(i64, bool), Failure> {
        let mut tx = self.client.transaction().map_err(err)?;
        // One writer allocates run ids at a time.
        tx.batch_execute("LOCK TABLE runs IN SHARE ROW EXCLUSIVE MODE")
            .map_err(err)?;
        let open = tx
            .query_opt(
                "SELECT run_id FROM runs WHERE run_key = $1 AND status = 'running' ORDER BY run_id DESC LIMIT 1",
                &[&m.run_key],
            )
            .map_err(err)?;
        if let Some(r) = open {
            let id: i64 = r.get(0);
            tx.commit().map_err(err)?;
            return Ok((id, true));
        }
        let id: i64 = tx
            .query_one("SELECT COALESCE(MAX(run_id), 0) + 1 FROM runs", &[])
            .map_err(err)?
            .get(0);
        tx.execute(
            INSERT_RUN,
            &[
                &id,
                &m.run_key,
                &m.job_name,
                &m.job_path,
                &m.job_hash,
                &m.job_text,
                &m.data_hash,
                &m.data_label,
                &m.scenarios,
                &m.code_version,
                &m.lanes,
                &m.parts,
                &now,
            ],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok((id, false))
    }

    pub(super) fn done_parts(&mut self, id: i64) -> Result<Vec<(String, usize)>, Failure> {
        let rows = self
            .client
            .query(
                "SELECT scenario, chunk FROM parts WHERE run_id = $1",
                &[&id],
            )
            .map_err(err)?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as usize))
            .collect())
    }

    pub(super) fn write_part(&mut self, id: i64, p: &PartResult, now: &str) -> Result<(), Failure> {
        let mut tx = self.client.transaction().map_err(err)?;
        let ins = tx.prepare(INSERT_ROW).map_err(err)?;
        for r in &p.rows {
            tx.execute(
                &ins,
                &[
                    &id,
                    &(r.scenario_pos as i64),
                    &r.scenario,
                    &(r.lane as i64),
                    &r.from,
                    &r.to,
                    &r.distance_km,
                    &r.transit_h,
                    &r.transit_days_p50,
                    &r.transit_days_p90,
                    &r.cost_usd,
                    &r.co2e_kg,
                    &r.borders_crossed,
                    &r.countries,
                    &r.compliance,
                    &r.error,
                    &r.message,
                ],
            )
            .map_err(err)?;
        }
        tx.execute(
            INSERT_PART,
            &[
                &id,
                &p.part.scenario,
                &(p.part.chunk as i64),
                &(p.rows.len() as i64),
                &p.seconds,
                &p.worker,
                &now,
            ],
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    pub(super) fn finish(&mut self, id: i64, now: &str, wall: f64) -> Result<(), Failure> {
        self.client
            .execute(
                "UPDATE runs SET status = 'complete', finished_utc = $1, wall_seconds = $2 WHERE run_id = $3",
                &[&now, &wall, &id],
            )
            .map_err(err)?;
        Ok(())
    }

    pub(super) fn runs(&mut self, id: Option<i64>) -> Result<Vec<RunInfo>, Failure> {
        let sql = format!(
            "SELECT {RUN_COLUMNS}, (SELECT COUNT(*) FROM parts p WHERE p.run_id = runs.run_id), (SELECT COALESCE(SUM(seconds), 0) FROM parts p WHERE p.run_id = runs.run_id)::DOUBLE PRECISION FROM runs WHERE ($1::BIGINT IS NULL OR run_id = $1) ORDER BY run_id DESC"
        );
        let rows = self.client.query(&sql, &[&id]).map_err(err)?;
        Ok(rows
            .iter()
            .map(|r| RunInfo {
                run_id: r.get(0),
                meta: RunMeta {
                    run_key: r.get(1),
                    job_name: r.get(2),
                    job_path: r.get(3),
                    job_hash: r.get(4),
                    job_text: r.get(5),
                    data_hash: r.get(6),
                    data_label: r.get(7),
                    scenarios: r.get(8),
                    code_version: r.get(9),
                    lanes: r.get(10),
                    parts: r.get(11),
                },
                status: r.get(12),
                started_utc: r.get(13),
                finished_utc: r.get(14),
                wall_seconds: r.get(15),
                parts_done: r.get(16),
                part_seconds: r.get(17),
            })
            .collect())
    }

    pub(super) fn rows(&mut self, id: i64) -> Result<Vec<Row>, Failure> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM results WHERE run_id = $1 ORDER BY scenario_pos, lane"
        );
        let rows = self.client.query(&sql, &[&id]).map_err(err)?;
        Ok(rows
            .iter()
            .map(|r| Row {
                scenario_pos: r.get::<_, i64>(0) as usize,
                scenario: r.get(1),
                lane: r.get::<_, i64>(2) as usize,
                from: r.get(3),
                to: r.get(4),
                distance_km: r.get(5),
                transit_h: r.get(6),
                transit_days_p50: r.get(7),
                transit_days_p90: r.get(8),
                cost_usd: r.get(9),
                co2e_kg: r.get(10),
                borders_crossed: r.get(11),
                countries: r.get(12),
                compliance: r.get(13),
                error: r.get(14),
                message: r.get(15),
            })
            .collect())
    }
}

/// The URL without its password (for messages).
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            match cred.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
