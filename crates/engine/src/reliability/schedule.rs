//! Timetables as the kernel sees them: departure instants in hours after the itinerary's
//! start, either periodic (a weekly pattern in a zone without clock changes) or listed (the
//! calendar of `services.csv` in the origin's zone, clock changes, validity dates and
//! closures included).

use super::error::ReliabilityError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Departures of a service, hours after the itinerary's start instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// A departure at `start + k·period_h + offset` for every integer k and offset.
    Periodic {
        /// Period, hours (168 for a weekly service).
        period_h: f64,
        /// Offsets within the period, hours, in [0, period_h).
        offsets_h: Vec<f64>,
    },
    /// Departures at these hours (ascending); none after the last.
    Listed {
        /// Hours after the start.
        hours: Vec<f64>,
    },
}

/// A weekly service: departure weekdays and local time, optionally limited to dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Weekly {
    /// Weekdays of departure.
    pub weekdays: Vec<Weekday>,
    /// Local departure time.
    pub time: NaiveTime,
    /// First day the service runs, if limited.
    pub valid_from: Option<NaiveDate>,
    /// Last day it runs, if limited.
    pub valid_to: Option<NaiveDate>,
}

impl Schedule {
    /// Checks the figures; `what` names the component in errors.
    pub fn validate(&self, what: &str) -> Result<(), ReliabilityError> {
        let err = |m: String| ReliabilityError::Timetable {
            what: what.to_string(),
            message: m,
        };
        match self {
            Schedule::Periodic {
                period_h,
                offsets_h,
            } => {
                if !(period_h.is_finite() && *period_h > 0.0) {
                    return Err(err(format!(
                        "period is {period_h} h; give a period > 0 (168 for weekly)"
                    )));
                }
                if offsets_h.is_empty() {
                    return Err(err(
                        "no departures in the period; give at least one offset".into()
                    ));
                }
                for (i, o) in offsets_h.iter().enumerate() {
                    if !(o.is_finite() && *o >= 0.0 && o < period_h) {
                        return Err(err(format!(
                            "offsets_h[{i}] = {o} is outside [0, {period_h})"
                        )));
                    }
                    if i > 0 && *o <= offsets_h[i - 1] {
                        return Err(err(format!("offsets_h[{i}] = {o} does not increase")));
                    }
                }
            }
            Schedule::Listed { hours } => {
                if hours.is_empty() {
                    return Err(err(
                        "no departure within the horizon (service ended, outside its validity or closed); check services.csv and closures.csv".into(),
                    ));
                }
                for (i, h) in hours.iter().enumerate() {
                    if !h.is_finite() || (i > 0 && *h < hours[i - 1]) {
                        return Err(err(format!(
                            "hours[{i}] = {h} is not finite or not ascending"
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// The first departure at or after `ready_h`, or `None` past the last listed one (or
    /// for a schedule without departures).
    #[inline]
    pub fn next(&self, ready_h: f64) -> Option<f64> {
        match self {
            Schedule::Periodic {
                period_h,
                offsets_h,
            } => {
                let k = (ready_h / period_h).floor();
                let base = k * period_h;
                let w = ready_h - base;
                for &o in offsets_h {
                    if o >= w {
                        return Some(base + o);
                    }
                }
                offsets_h.first().map(|o| base + period_h + o)
            }
            Schedule::Listed { hours } => {
                let i = hours.partition_point(|&h| h < ready_h);
                hours.get(i).copied()
            }
        }
    }

    /// The departures of weekly services in zone `tz`, hours after `start`, from the day
    /// before `start` to `horizon_days` after it. A departure in a spring-forward gap leaves
    /// at the first valid minute after it; at a fall-back, at the earlier instant (as
    /// `timed.rs` does). Departures for which `closed` is true are dropped.
    pub fn from_weekly(
        services: &[Weekly],
        tz: Tz,
        start: DateTime<Utc>,
        horizon_days: u32,
        closed: &dyn Fn(DateTime<Utc>) -> bool,
    ) -> Schedule {
        let first = start.with_timezone(&tz).date_naive() - Duration::days(1);
        let mut hours = Vec::new();
        for k in 0..=i64::from(horizon_days) + 1 {
            let day = first + Duration::days(k);
            for s in services {
                if !s.weekdays.contains(&day.weekday())
                    || s.valid_from.is_some_and(|f| day < f)
                    || s.valid_to.is_some_and(|e| day > e)
                {
                    continue;
                }
                let n = day.and_time(s.time);
                let dep = tz
                    .from_local_datetime(&n)
                    .earliest()
                    .or_else(|| tz.from_local_datetime(&(n + Duration::hours(1))).earliest());
                if let Some(d) = dep.filter(|d| !closed(d.with_timezone(&Utc))) {
                    let h = (d.with_timezone(&Utc) - start).num_milliseconds() as f64 / 3.6e6;
                    hours.push(h);
                }
            }
        }
        hours.sort_by(f64::total_cmp);
        hours.dedup();
        Schedule::Listed { hours }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periodic_next_wraps_the_week() {
        let s = Schedule::Periodic {
            period_h: 168.0,
            offsets_h: vec![36.0, 108.0],
        };
        assert_eq!(s.next(0.0), Some(36.0));
        assert_eq!(s.next(36.0), Some(36.0));
        assert_eq!(s.next(36.5), Some(108.0));
        assert_eq!(s.next(110.0), Some(168.0 + 36.0));
        assert_eq!(s.next(-10.0), Some(36.0));
    }

    #[test]
    fn weekly_in_a_zone_follows_the_local_clock() {
        // Tue and Fri 12:00 in Asia/Baku (UTC+4, no clock changes since 2016), from Monday
        // 2026-12-07 00:00 UTC: Tue 08:00 UTC = 32 h, Fri 08:00 UTC = 104 h.
        let tz: Tz = "Asia/Baku".parse().unwrap();
        let start = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
        let w = Weekly {
            weekdays: vec![Weekday::Tue, Weekday::Fri],
            time: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            valid_from: None,
            valid_to: None,
        };
        let s = Schedule::from_weekly(std::slice::from_ref(&w), tz, start, 30, &|_| false);
        assert_eq!(s.next(0.0), Some(32.0));
        assert_eq!(s.next(33.0), Some(104.0));
        assert_eq!(s.next(105.0), Some(168.0 + 32.0));
        // A closure of Tue 8 December drops that sailing.
        let d = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let closed = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive() == d;
        let s = Schedule::from_weekly(&[w], tz, start, 30, &closed);
        assert_eq!(s.next(0.0), Some(104.0));
    }
}
