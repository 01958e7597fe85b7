//! The store on a PostgreSQL server (`postgres://user@host/db`), the same schema as SQLite:
//! for teams that share runs. Tested against a real server (`.ci/postgres.sh`,
//! `CORRIDOR_TEST_PG`).

use postgres::{Client, NoTls};

use super::{
    insert_row, row_columns, schema, RunInfo, RunMeta, FLOW_COLUMNS, FLOW_RUN_COLUMNS, INSERT_FLOW,
    INSERT_FLOW_RUN, INSERT_PART, INSERT_RUN, RUN_COLUMNS,
};
use crate::failure::Failure;
use crate::flows::{FlowRow, FlowRun};
use crate::part::{PartResult, Row};

/// A PostgreSQL store.
pub struct Postgres {
    client: Client,
    /// `results.geometry` is PostGIS's `geometry(LineString, 4326)` (else WKT text).
    postgis: bool,
}

/// The type of `results.geometry` with PostGIS.
const POSTGIS_TYPE: &str = "geometry(LineString, 4326)";

fn err(e: postgres::Error) -> Failure {
    Failure::store(e)
}

impl Postgres {
    /// Connects and creates the tables if missing.
    pub fn open(url: &str) -> Result<Postgres, Failure> {
        let mut client = Client::connect(url, NoTls)
            .map_err(|e| Failure::store(format!("cannot connect to {}: {e}", redact(url))))?;
        // PostGIS where the server has it: each row's line as a geometry (SRID 4326) that
        // PostGIS queries and QGIS read; else WKT text, as on SQLite.
        let available = client
            .query_opt(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'",
                &[],
            )
            .map_err(err)?
            .is_some();
        if available {
            // May be refused (not a superuser, or another opener won a race): checked below.
            let _ = client.batch_execute("CREATE EXTENSION IF NOT EXISTS postgis");
        }
        let installed = client
            .query_opt("SELECT 1 FROM pg_extension WHERE extname = 'postgis'", &[])
            .map_err(err)?
            .is_some();
        let gtype = if installed { POSTGIS_TYPE } else { "TEXT" };
        client.batch_execute(&schema(gtype)).map_err(err)?;
        // A store made before rows kept their line gains the column (NULL for old rows).
        client
            .batch_execute(&format!(
                "ALTER TABLE results ADD COLUMN IF NOT EXISTS geometry {gtype}"
            ))
            .map_err(err)?;
        let udt: String = client
            .query_one(
                "SELECT udt_name::TEXT FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'results' AND column_name = 'geometry'",
                &[],
            )
            .map_err(err)?
            .get(0);
        Ok(Postgres {
            client,
            postgis: udt == "geometry",
        })
    }

    pub(super) fn geometry_kind(&self) -> &'static str {
        if self.postgis {
            "postgis"
        } else {
            "wkt"
        }
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
        let ins = tx
            .prepare(&insert_row(if self.postgis {
                "ST_GeomFromText($18::TEXT, 4326)"
            } else {
                "$18"
            }))
            .map_err(err)?;
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
                    &r.geometry,
                ],
            )
            .map_err(err)?;
        }
        let ins = tx.prepare(INSERT_FLOW).map_err(err)?;
        for f in &p.flows {
            tx.execute(
                &ins,
                &[
                    &id,
                    &(f.scenario_pos as i64),
                    &f.scenario,
                    &f.demand_factor,
                    &(f.pos as i64),
                    &f.capacity_id,
                    &f.name,
                    &f.element,
                    &f.target,
                    &f.direction,
                    &f.load_teu_per_year,
                    &f.load_trains_per_day,
                    &f.capacity_teu_per_year,
                    &f.vc,
                    &f.delay_h,
                    &f.capacity_needed_teu_per_year,
                    &i64::from(f.planned),
                    &f.source,
                ],
            )
            .map_err(err)?;
        }
        if let Some(f) = &p.flow_run {
            tx.execute(
                INSERT_FLOW_RUN,
                &[
                    &id,
                    &(f.scenario_pos as i64),
                    &f.scenario,
                    &f.demand_factor,
                    &f.demand_teu_per_year,
                    &f.total_cost_usd_per_year,
                    &f.relative_gap,
                    &i64::from(f.converged),
                    &f.iterations,
                    &f.corridors,
                    &f.warnings,
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
            "SELECT {} FROM results WHERE run_id = $1 ORDER BY scenario_pos, lane",
            row_columns(if self.postgis {
                "ST_AsText(geometry)"
            } else {
                "geometry"
            })
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
                geometry: r.get(16),
            })
            .collect())
    }

    pub(super) fn flows(&mut self, id: i64) -> Result<Vec<FlowRow>, Failure> {
        let sql = format!(
            "SELECT {FLOW_COLUMNS} FROM flows WHERE run_id = $1 ORDER BY scenario_pos, demand_factor, pos"
        );
        let rows = self.client.query(&sql, &[&id]).map_err(err)?;
        Ok(rows
            .iter()
            .map(|r| FlowRow {
                scenario_pos: r.get::<_, i64>(0) as usize,
                scenario: r.get(1),
                demand_factor: r.get(2),
                pos: r.get::<_, i64>(3) as usize,
                capacity_id: r.get(4),
                name: r.get(5),
                element: r.get(6),
                target: r.get(7),
                direction: r.get(8),
                load_teu_per_year: r.get(9),
                load_trains_per_day: r.get(10),
                capacity_teu_per_year: r.get(11),
                vc: r.get(12),
                delay_h: r.get(13),
                capacity_needed_teu_per_year: r.get(14),
                planned: r.get::<_, i64>(15) != 0,
                source: r.get(16),
            })
            .collect())
    }

    pub(super) fn flow_runs(&mut self, id: i64) -> Result<Vec<FlowRun>, Failure> {
        let sql = format!(
            "SELECT {FLOW_RUN_COLUMNS} FROM flow_runs WHERE run_id = $1 ORDER BY scenario_pos, demand_factor"
        );
        let rows = self.client.query(&sql, &[&id]).map_err(err)?;
        Ok(rows
            .iter()
            .map(|r| FlowRun {
                scenario_pos: r.get::<_, i64>(0) as usize,
                scenario: r.get(1),
                demand_factor: r.get(2),
                demand_teu_per_year: r.get(3),
                total_cost_usd_per_year: r.get(4),
                relative_gap: r.get(5),
                converged: r.get::<_, i64>(6) != 0,
                iterations: r.get(7),
                corridors: r.get(8),
                warnings: r.get(9),
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
