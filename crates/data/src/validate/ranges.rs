//! Physical ranges of the figures of links, transfers and timetables: a number that parses but could not be true (a wait of
//! a million years, a sailing once per 1e300 weeks, a price of 1e308 USD/km) would pass the
//! format checks and then overflow the clock search or be labelled "cheapest" as infinity.
//! The bounds are generous: they catch typos and hostile files, not unusual corridors.

use super::Ctx;
use crate::model::*;

/// Longest leg, km: the Earth's circumference.
pub const MAX_DISTANCE_KM: f64 = 40_000.0;
/// Fastest mode, km/h (air freight cruises below this).
pub const MAX_SPEED_KMH: f64 = 1_200.0;
/// Longest moving time, wait or dwell on one link, hours: one year.
pub const MAX_HOURS: f64 = 8_760.0;
/// Departures per week: at least one a year, at most one a minute.
pub const DEPARTURES_PER_WEEK: (f64, f64) = (1.0 / 52.0, 10_080.0);
/// Highest fixed charge per unit, in the price's currency.
pub const MAX_FIXED: f64 = 10_000_000.0;
/// Highest charge per unit-km.
pub const MAX_PER_KM: f64 = 10_000.0;
/// Largest capacity figure in any unit.
pub const MAX_CAPACITY: f64 = 1e9;

/// A figure as a reader would write it: plain in the everyday range, else in e-notation
/// (`1e-300`, not three hundred zeros).
fn num(v: f64) -> String {
    if v == 0.0 || (1e-4..1e9).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Earliest date a service or closure may name: the clock search counts from the Unix epoch.
pub const FIRST_DATE: (i32, u32, u32) = (1970, 1, 1);
/// Latest date a service or closure may name (a year 200000 date overflows the clock search).
pub const LAST_DATE: (i32, u32, u32) = (2199, 12, 31);

fn range3(field: &str, r: &Range3, lo: f64, hi: f64, at: (&str, u64), cx: &mut Ctx<'_>) {
    for (end, v) in [("low", r.low), ("typical", r.typical), ("high", r.high)] {
        if !(lo..=hi).contains(&v) {
            cx.push(
                at.0,
                at.1,
                format!(
                    "{field} {end} {} is outside the physical range {}..{hi}",
                    num(v),
                    num(lo)
                ),
            );
        }
    }
}

/// Every figure of a link within its physical range, at the link's line.
pub(super) fn link(l: &Link, cx: &mut Ctx<'_>) {
    if l.distance_km > MAX_DISTANCE_KM {
        cx.push(
            "links.csv",
            l.line,
            format!(
                "distance_km {} is longer than the Earth's circumference ({MAX_DISTANCE_KM} km)",
                num(l.distance_km)
            ),
        );
    }
    if let Some(s) = &l.speed_kmh {
        range3(
            "speed_kmh",
            s,
            f64::MIN_POSITIVE,
            MAX_SPEED_KMH,
            ("links.csv", l.line),
            cx,
        );
    }
    for (field, r) in [
        ("moving_h", &l.moving_h),
        ("wait_h", &l.wait_h),
        ("dwell_h", &l.dwell_h),
    ] {
        if let Some(r) = r {
            range3(field, r, 0.0, MAX_HOURS, ("links.csv", l.line), cx);
        }
    }
    if let Some(d) = l.departures_per_week {
        let (lo, hi) = DEPARTURES_PER_WEEK;
        if !(lo..=hi).contains(&d) {
            cx.push(
                "links.csv",
                l.line,
                format!(
                    "departures_per_week {} is outside {lo:.4}..{hi} (once a year to once a minute)",
                    num(d)
                ),
            );
        }
    }
    if let Some(p) = &l.price {
        if p.fixed.abs() > MAX_FIXED || p.per_km.abs() > MAX_PER_KM {
            cx.push(
                "links.csv",
                l.line,
                format!(
                    "price {} fixed + {} per km is outside the physical range (at most {MAX_FIXED} fixed, {MAX_PER_KM} per km, per unit)",
                    num(p.fixed),
                    num(p.per_km)
                ),
            );
        }
    }
    if let Some(c) = l.capacity {
        if !(c > 0.0 && c <= MAX_CAPACITY) {
            cx.push(
                "links.csv",
                l.line,
                format!("capacity {} is outside 0..{MAX_CAPACITY}", num(c)),
            );
        }
    }
}

/// A transfer's dwell hours and charge within their physical ranges, at the row's line.
pub(super) fn transfer(t: &Transfer, cx: &mut Ctx<'_>) {
    range3(
        "hours",
        &t.hours,
        0.0,
        MAX_HOURS,
        ("transfers.csv", t.line),
        cx,
    );
    if let Some(p) = &t.price {
        if !(0.0..=MAX_FIXED).contains(&p.fixed.abs()) {
            cx.push(
                "transfers.csv",
                t.line,
                format!(
                    "cost {} is outside the physical range 0..{MAX_FIXED} per unit",
                    num(p.fixed)
                ),
            );
        }
    }
}

/// A date of services.csv or closures.csv between [`FIRST_DATE`] and [`LAST_DATE`].
pub(super) fn date(file: &str, line: u64, col: &str, d: chrono::NaiveDate, cx: &mut Ctx<'_>) {
    let ymd = |(y, m, d): (i32, u32, u32)| chrono::NaiveDate::from_ymd_opt(y, m, d);
    if let (Some(first), Some(last)) = (ymd(FIRST_DATE), ymd(LAST_DATE)) {
        if d < first || d > last {
            cx.push(file, line, format!("{col} {d} is outside {first}..{last}"));
        }
    }
}

/// Departures per week of each link's timetable (a row per weekday set and time) at most
/// [`DEPARTURES_PER_WEEK`]'s upper bound (one a minute), reported at the row that passes it.
pub(super) fn services(services: &[Service], cx: &mut Ctx<'_>) {
    let (_, hi) = DEPARTURES_PER_WEEK;
    let mut per_link: std::collections::HashMap<&str, usize> = Default::default();
    for s in services {
        if let Some(d) = s.departures_per_week {
            let (lo, hi) = DEPARTURES_PER_WEEK;
            if d < lo || d > hi {
                cx.push(
                    "services.csv",
                    s.line,
                    format!(
                        "departures_per_week {} is outside {lo:.4}..{hi} (once a year to once a minute)",
                        num(d)
                    ),
                );
            }
        }
        let n = per_link.entry(s.link.as_str()).or_default();
        let before = *n;
        *n += s.weekdays.len();
        if before as f64 <= hi && *n as f64 > hi {
            cx.push(
                "services.csv",
                s.line,
                format!(
                    "link '{}' has {} departures a week by this row, more than {hi} (one a minute)",
                    s.link, *n
                ),
            );
        }
        for (col, d) in [("valid_from", s.valid_from), ("valid_to", s.valid_to)] {
            if let Some(d) = d {
                date("services.csv", s.line, col, d, cx);
            }
        }
    }
}
