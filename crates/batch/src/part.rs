//! Parts: the unit of work and of resumption (one scenario × one chunk of lanes), and the
//! rows they produce. The same function computes a part in `corridor batch`, in the Python
//! package and on a Ray worker, so every way of running a job gives the same rows.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::engines::Engines;
use crate::failure::Failure;
use crate::job::Job;

/// One part of a job.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Part {
    /// Position of the scenario in the job's list.
    pub scenario_pos: usize,
    /// The scenario (`baseline`, a shipped name or a path).
    pub scenario: String,
    /// Chunk number, 0 first: lanes' chunks first, then one per demand factor of `[flows]`.
    pub chunk: usize,
    /// For a flows part: the position of its demand factor in `[flows]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flows: Option<usize>,
}

/// One result row: a lane on a scenario, the columns of `corridor table`'s CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Position of the scenario in the job.
    pub scenario_pos: usize,
    /// The scenario.
    pub scenario: String,
    /// Lane number in the job, 0 first.
    pub lane: usize,
    /// Origin as given.
    pub from: String,
    /// Destination as given.
    pub to: String,
    /// Distance of the best itinerary, km.
    pub distance_km: Option<f64>,
    /// Typical transit time, h.
    pub transit_h: Option<f64>,
    /// With `reliability`: median transit days.
    pub transit_days_p50: Option<f64>,
    /// With `reliability`: 90th percentile of transit days.
    pub transit_days_p90: Option<f64>,
    /// Cost for the cargo, USD.
    pub cost_usd: Option<f64>,
    /// Well-to-wheel CO2e, kg.
    pub co2e_kg: Option<f64>,
    /// Borders crossed.
    pub borders_crossed: Option<i64>,
    /// Countries in order, space-separated.
    pub countries: String,
    /// Compliance flag ids, space-separated.
    pub compliance: String,
    /// Error code when the lane has no answer (`NoRoute`, …).
    pub error: Option<String>,
    /// The error's message.
    pub message: Option<String>,
    /// With `geometry = true`: the itinerary's line as WKT (`LINESTRING (lon lat, …)`, WGS 84).
    pub geometry: Option<String>,
}

/// A computed part: its rows and how long it took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartResult {
    /// The part.
    pub part: Part,
    /// Its rows, in lane order (none for a flows part).
    pub rows: Vec<Row>,
    /// A flows part: each capacity's load.
    #[serde(default)]
    pub flows: Vec<crate::flows::FlowRow>,
    /// A flows part: the assignment's summary.
    #[serde(default)]
    pub flow_run: Option<crate::flows::FlowRun>,
    /// Seconds computing it.
    pub seconds: f64,
    /// Who computed it (`host/pid`).
    pub worker: String,
}

impl Job {
    /// Every part, scenario by scenario: the chunks of lanes, then one part per demand
    /// factor of `[flows]`.
    pub fn parts(&self) -> Vec<Part> {
        let mut out = Vec::new();
        let factors = self.flows.as_ref().map_or(0, |f| f.demand_factors.len());
        for (pos, s) in self.scenarios.iter().enumerate() {
            for chunk in 0..self.chunks() {
                out.push(Part {
                    scenario_pos: pos,
                    scenario: s.clone(),
                    chunk,
                    flows: None,
                });
            }
            for k in 0..factors {
                out.push(Part {
                    scenario_pos: pos,
                    scenario: s.clone(),
                    chunk: self.chunks() + k,
                    flows: Some(k),
                });
            }
        }
        out
    }
}

/// This process, as a worker name.
pub fn worker_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into());
    format!("{host}/{}", std::process::id())
}

/// A line as WKT (`LINESTRING (lon lat, …)`), numbers as Rust prints them (they read back to
/// the same values); `None` for fewer than two points.
pub fn wkt(line: &[[f64; 2]]) -> Option<String> {
    if line.len() < 2 {
        return None;
    }
    let pts: Vec<String> = line.iter().map(|p| format!("{} {}", p[0], p[1])).collect();
    Some(format!("LINESTRING ({})", pts.join(", ")))
}

/// The points of a WKT `LINESTRING` ([`wkt`]'s text, or PostGIS's `ST_AsText`).
pub fn parse_wkt(text: &str) -> Option<Vec<[f64; 2]>> {
    let body = text
        .trim()
        .strip_prefix("LINESTRING")?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    body.split(',')
        .map(|p| {
            let mut it = p.split_whitespace().map(str::parse::<f64>);
            match (it.next(), it.next(), it.next()) {
                (Some(Ok(x)), Some(Ok(y)), None) => Some([x, y]),
                _ => None,
            }
        })
        .collect()
}

/// Computes one part: its lanes in parallel (rayon; the rows keep lane order, and each lane's
/// draws are seeded by the job, so the rows do not depend on the thread count).
///
/// # Errors
/// A request-wide error of the engine (never for a lane without a route: that is a row with
/// `error`), or a scenario that cannot be applied.
pub fn compute(job: &Job, engines: &Engines, part: &Part) -> Result<PartResult, Failure> {
    if let Some(k) = part.flows {
        return crate::flows::compute(job, engines, part, k);
    }
    let t = std::time::Instant::now();
    let engine = engines.get(std::slice::from_ref(&part.scenario))?;
    let start = part.chunk * job.chunk;
    let end = (start + job.chunk).min(job.lanes.len());
    let lanes = job.lanes.get(start..end).unwrap_or(&[]);
    let rows = lanes
        .par_iter()
        .enumerate()
        .map(|(i, (f, to))| {
            let (c, line) = if job.geometry {
                engine.table_cell_traced(&job.options, f, to)?
            } else {
                (engine.table_cell(&job.options, f, to)?, None)
            };
            Ok(Row {
                scenario_pos: part.scenario_pos,
                scenario: part.scenario.clone(),
                lane: start + i,
                from: c.from,
                to: c.to,
                distance_km: c.distance_km,
                transit_h: c.transit_h,
                transit_days_p50: c.transit_days_p50,
                transit_days_p90: c.transit_days_p90,
                cost_usd: c.cost_usd,
                co2e_kg: c.co2e_kg,
                borders_crossed: c.borders_crossed.map(i64::from),
                countries: c.countries.join(" "),
                compliance: c.compliance.join(" "),
                error: c.error,
                message: c.message,
                geometry: line.and_then(|l| wkt(&l)),
            })
        })
        .collect::<Result<Vec<_>, corridor_engine::QueryError>>()?;
    Ok(PartResult {
        part: part.clone(),
        rows,
        flows: vec![],
        flow_run: None,
        seconds: t.elapsed().as_secs_f64(),
        worker: worker_name(),
    })
}

/// A computed part as text that reads back bit for bit (floats as their IEEE bits: JSON
/// decimal floats may come back one ulp off), for passing parts between processes (Ray).
pub mod wire {
    use serde::{Deserialize, Serialize};

    use super::{Part, PartResult, Row};
    use crate::failure::Failure;

    #[derive(Serialize, Deserialize)]
    struct WireRow {
        scenario_pos: usize,
        scenario: String,
        lane: usize,
        from: String,
        to: String,
        /// distance_km, transit_h, transit_days_p50, transit_days_p90, cost_usd, co2e_kg.
        bits: [Option<u64>; 6],
        borders_crossed: Option<i64>,
        countries: String,
        compliance: String,
        error: Option<String>,
        message: Option<String>,
        #[serde(default)]
        geometry: Option<String>,
    }

    /// Flows travel as serde_json writes them: shortest round-trip decimals, read back exactly
    /// (serde_json's `float_roundtrip`, enabled by this crate).
    #[derive(Serialize, Deserialize)]
    struct WirePart {
        part: Part,
        rows: Vec<WireRow>,
        #[serde(default)]
        flows: Vec<crate::flows::FlowRow>,
        #[serde(default)]
        flow_run: Option<crate::flows::FlowRun>,
        seconds_bits: u64,
        worker: String,
    }

    /// The part as text.
    pub fn encode(r: &PartResult) -> Result<String, Failure> {
        let b = |v: Option<f64>| v.map(f64::to_bits);
        let w = WirePart {
            part: r.part.clone(),
            flows: r.flows.clone(),
            flow_run: r.flow_run.clone(),
            seconds_bits: r.seconds.to_bits(),
            worker: r.worker.clone(),
            rows: r
                .rows
                .iter()
                .map(|x| WireRow {
                    scenario_pos: x.scenario_pos,
                    scenario: x.scenario.clone(),
                    lane: x.lane,
                    from: x.from.clone(),
                    to: x.to.clone(),
                    bits: [
                        b(x.distance_km),
                        b(x.transit_h),
                        b(x.transit_days_p50),
                        b(x.transit_days_p90),
                        b(x.cost_usd),
                        b(x.co2e_kg),
                    ],
                    borders_crossed: x.borders_crossed,
                    countries: x.countries.clone(),
                    compliance: x.compliance.clone(),
                    error: x.error.clone(),
                    message: x.message.clone(),
                    geometry: x.geometry.clone(),
                })
                .collect(),
        };
        serde_json::to_string(&w).map_err(|e| Failure::new("Internal", e.to_string()))
    }

    /// The part back from [`encode`]'s text.
    pub fn decode(text: &str) -> Result<PartResult, Failure> {
        let w: WirePart = serde_json::from_str(text)
            .map_err(|e| Failure::new("InvalidQuery", format!("not a computed part: {e}")))?;
        let f = |v: Option<u64>| v.map(f64::from_bits);
        Ok(PartResult {
            part: w.part,
            flows: w.flows,
            flow_run: w.flow_run,
            seconds: f64::from_bits(w.seconds_bits),
            worker: w.worker,
            rows: w
                .rows
                .into_iter()
                .map(|x| Row {
                    scenario_pos: x.scenario_pos,
                    scenario: x.scenario,
                    lane: x.lane,
                    from: x.from,
                    to: x.to,
                    distance_km: f(x.bits[0]),
                    transit_h: f(x.bits[1]),
                    transit_days_p50: f(x.bits[2]),
                    transit_days_p90: f(x.bits[3]),
                    cost_usd: f(x.bits[4]),
                    co2e_kg: f(x.bits[5]),
                    borders_crossed: x.borders_crossed,
                    countries: x.countries,
                    compliance: x.compliance,
                    error: x.error,
                    message: x.message,
                    geometry: x.geometry,
                })
                .collect(),
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_part_reads_back_bit_for_bit() {
            let (job, engines) = crate::Job::parse(
                std::path::Path::new("j.toml"),
                "name = \"w\"\nlanes = [[\"Urumqi\", \"Baku\"], [\"Xi'an\", \"Duisburg\"]]\n",
            )
            .unwrap();
            let mut r = super::super::compute(&job, &engines, &job.parts()[0]).unwrap();
            // A figure that serde_json's default float parser reads back one ulp off.
            r.rows[0].transit_h = Some(197.418_629_715_165_54);
            let back = decode(&encode(&r).unwrap()).unwrap();
            assert_eq!(back, r);
            assert_eq!(
                back.rows[0].transit_h.map(f64::to_bits),
                Some(197.418_629_715_165_54f64.to_bits())
            );
        }
    }
}
