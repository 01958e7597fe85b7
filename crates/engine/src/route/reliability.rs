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
}

impl Ask {
    /// The request's reliability, `None` unless `reliability` was asked for.
    pub(crate) fn of(req: &super::RouteRequest, plan: &Plan) -> Option<Ask> {
        if !req.reliability {
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
            &MapOptions::default(),
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
