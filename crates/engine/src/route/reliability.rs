//! Stage 9, reliability (with `reliability`): each assembled itinerary gets its Monte Carlo
//! transit times from the kernel ([`crate::reliability`]): P50/P80/P90/P95 days in its totals,
//! the on-time probability when there is a deadline, and the draws, seed, method, histogram
//! and modes under `reliability`. On the clock the kernel replays the timetables from the
//! itinerary's `depart_utc`, so a missed sailing shows as a second mode.

use super::plan::Plan;
use super::Engine;
use crate::answer::{Itinerary, ReliabilityInfo, RouteAnswer};
use crate::error::QueryError;
use crate::reliability::{itinerary_reliability, Config, MapOptions, DEFAULT_DRAWS, DEFAULT_SEED};

/// What a plan asks of the reliability stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ask {
    /// Draws and seed.
    pub(crate) config: Config,
    /// Deadline, hours after the start: `deadline_days`, else `arrive_by` − `depart`.
    pub(crate) deadline_h: Option<f64>,
    /// Correlation of delays within a country (`correlation`; 0: independent).
    pub(crate) correlation: f64,
}

impl Ask {
    /// The request's reliability, `None` unless `reliability` was asked for.
    pub(crate) fn of(req: &super::RouteRequest, plan: &Plan) -> Option<Ask> {
        if !req.reliability && !p90(req) {
            return None;
        }
        let window = match (plan.depart, plan.arrive_by) {
            (Some(d), Some(a)) => Some((a - d).num_seconds() as f64 / 3600.0),
            _ => None,
        };
        Some(Ask {
            config: Config {
                draws: req.draws.map_or(DEFAULT_DRAWS, u64::from),
                seed: req.seed.unwrap_or(DEFAULT_SEED),
            },
            deadline_h: req.deadline_days.map(|d| d * 24.0).or(window),
            correlation: req.correlation.unwrap_or(0.0),
        })
    }
}

impl Engine {
    /// Adds the reliability of every itinerary of the answer.
    pub(crate) fn add_reliability(
        &self,
        ask: &Ask,
        answer: &mut RouteAnswer,
    ) -> Result<(), QueryError> {
        for it in &mut answer.itineraries {
            self.itinerary_with_reliability(ask, it)?;
        }
        Ok(())
    }

    /// One itinerary's percentiles, on-time probability and distribution.
    pub(crate) fn itinerary_with_reliability(
        &self,
        ask: &Ask,
        it: &mut Itinerary,
    ) -> Result<(), QueryError> {
        let s = itinerary_reliability(
            it,
            self.dataset(),
            &MapOptions {
                correlation: ask.correlation,
                ..MapOptions::default()
            },
            &ask.config,
            ask.deadline_h,
        )?;
        let t = &mut it.totals;
        t.transit_days_p50 = Some(s.transit_days_p50);
        t.transit_days_p80 = Some(s.transit_days_p80);
        t.transit_days_p90 = Some(s.transit_days_p90);
        t.transit_days_p95 = Some(s.transit_days_p95);
        t.on_time_probability = s.on_time_probability;
        it.reliability = Some(ReliabilityInfo {
            draws: s.draws,
            seed: s.seed,
            method: s.method,
            deadline_days: s.deadline_days,
            transit_days_mean: s.transit_days_mean,
            histogram: s.histogram,
            modes: s.modes,
            multimodal: s.multimodal,
        });
        Ok(())
    }
}

/// Whether the front's time criterion is P90 (`time_criterion = p90`).
pub(crate) fn p90(req: &super::RouteRequest) -> bool {
    req.time_criterion.as_deref() == Some("p90")
}

/// How many front candidates to search for `n` alternatives: `n`, or under `p90` the most an
/// answer may hold ([`super::MAX_ALTERNATIVES`]), so that re-selecting on P90 has a choice.
pub(crate) fn candidates(req: &super::RouteRequest, n: usize) -> usize {
    if p90(req) {
        super::MAX_ALTERNATIVES as usize
    } else {
        n
    }
}

/// The figures the P90 front compares (all minimised): P90 days, cost, CO2e, risk.
fn figures(it: &Itinerary) -> [f64; 4] {
    let t = &it.totals;
    [
        t.transit_days_p90.unwrap_or(f64::INFINITY),
        t.cost_usd,
        t.co2e_kg,
        t.risk_h,
    ]
}

/// Re-selects the answer's itineraries (candidates with their reliability) on P90 instead of
/// typical transit: the non-dominated ones on (P90, cost, CO2e, risk), at most `n`, lowest P90
/// first (that one always kept and labelled `fastest_p90`); an itinerary whose typical and P90
/// ranks disagree with the lowest-P90 one gets the contrast in words in its explanation.
pub(crate) fn select_p90(answer: &mut RouteAnswer, n: usize) {
    let its = std::mem::take(&mut answer.itineraries);
    let f: Vec<[f64; 4]> = its.iter().map(figures).collect();
    let dominates = |a: &[f64; 4], b: &[f64; 4]| {
        a.iter().zip(b).all(|(x, y)| x <= y) && a.iter().zip(b).any(|(x, y)| x < y)
    };
    let mut kept: Vec<(usize, Itinerary)> = its
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !f.iter().any(|o| dominates(o, &f[*i])))
        .collect();
    kept.sort_by(|(a, _), (b, _)| {
        f[*a][0]
            .total_cmp(&f[*b][0])
            .then(f[*a][1].total_cmp(&f[*b][1]))
            .then(a.cmp(b))
    });
    // Identical figures (the same trip found twice) count once.
    kept.dedup_by(|(a, _), (b, _)| f[*a] == f[*b]);
    kept.truncate(n.max(1));
    let mut its: Vec<Itinerary> = kept.into_iter().map(|(_, it)| it).collect();
    if let Some(best) = its.first_mut() {
        best.labels.retain(|l| l != "trade_off");
        best.labels.insert(0, "fastest_p90".into());
    }
    let (bt, bp) = match its.first() {
        Some(b) => (b.totals.transit_days, figures(b)[0]),
        None => return,
    };
    for it in its.iter_mut().skip(1) {
        let (t, p) = (it.totals.transit_days, figures(it)[0]);
        if (t < bt) != (p < bp) || t == bt {
            let words = crate::reliability::contrast(t, p, bt, bp);
            let sep = if it.explanation.is_empty() { "" } else { "; " };
            it.explanation = format!("{}{sep}{words} than the lowest-P90", it.explanation);
        }
    }
    answer.itineraries = its;
    answer.warnings.push(format!(
        "time criterion p90: the front re-selected on P90 transit, cost, CO2e and risk from up to {} candidates (typical-time labels such as fastest refer to the candidates)",
        super::MAX_ALTERNATIVES
    ));
}
