//! From what the engine answers to time components: a [`RouteAnswer`] itinerary (its legs,
//! transfers and borders in `seq` order) and the dataset that answered it become a
//! [`TimeModel`].
//!
//! Per arc (leg or border) the cargo meets, as `route.rs` times it: the wait for a departure,
//! then the moving time, then the dwell within the service. A transfer is its dwell.
//!
//! - Ranges (`*_h`, `*_h_low`, `*_h_high`) become distributions of the chosen [`Family`].
//! - A wait derived from `departures_per_week` (no `wait_h` in links.csv) is the wait for a
//!   service with a regular headway: uniform on [0, 168 / departures_per_week] hours.
//! - On the clock (a start instant: `MapOptions::depart` or the answer's `depart_utc`), a link
//!   with rows in `services.csv` waits for its next departure instead, in the origin's zone,
//!   skipping departures that `closures.csv` blocks (as `route.rs` does, with the typical trip
//!   time for the arrival day).
//! - The answer's `BorderStep` gives only the dwell; the moving time and wait of a border
//!   link come from its row in links.csv (as `corridor-network` derives them).
//!
//! [`RouteAnswer`]: crate::RouteAnswer

use super::dist::{Dist, Family};
use super::error::ReliabilityError;
use super::model::TimeModel;
use super::schedule::{Schedule, Weekly};
use crate::answer::{BorderStep, Itinerary, Leg, TransferStep};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use corridor_data::model::{Link, Range3};
use corridor_data::Dataset;

/// How an itinerary is mapped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapOptions {
    /// How (low, typical, high) ranges are read.
    pub family: Family,
    /// The start instant; `None` takes the itinerary's `totals.depart_utc` when it has one.
    /// Without a start, timetables are not used (every wait is frequency-based or stated).
    pub depart: Option<DateTime<Utc>>,
    /// How far ahead timetabled departures are listed, days.
    pub horizon_days: u32,
}

impl Default for MapOptions {
    fn default() -> MapOptions {
        MapOptions {
            family: Family::Pert,
            depart: None,
            horizon_days: 400,
        }
    }
}

enum Step<'a> {
    Leg(&'a Leg),
    Transfer(&'a TransferStep),
    Border(&'a BorderStep),
}

/// The link row of an answer's link id (`ID` or `ID~r`).
fn link_row<'a>(ds: &'a Dataset, id: &str) -> Option<&'a Link> {
    let base = id.strip_suffix("~r").unwrap_or(id);
    ds.links.iter().find(|l| l.id == base)
}

/// Moving time of a link row, as `corridor-network` derives it.
fn link_moving(l: &Link) -> Range3 {
    match (l.moving_h, l.speed_kmh) {
        (Some(h), _) => h,
        (None, Some(s)) => Range3 {
            typical: l.distance_km / s.typical,
            low: l.distance_km / s.high,
            high: l.distance_km / s.low,
        },
        (None, None) => Range3::ZERO,
    }
}

/// Wait of a link row, as `corridor-network` derives it.
fn link_wait(l: &Link) -> Range3 {
    match (l.wait_h, l.departures_per_week) {
        (Some(w), _) => w,
        (None, Some(d)) => Range3 {
            typical: 84.0 / d,
            low: 0.0,
            high: 168.0 / d,
        },
        (None, None) => Range3::ZERO,
    }
}

fn range(
    model: &mut TimeModel,
    label: String,
    r: (f64, f64, f64),
    family: Family,
) -> Result<(), ReliabilityError> {
    let (low, typical, high) = r;
    if low == 0.0 && typical == 0.0 && high == 0.0 {
        return Ok(());
    }
    let d = Dist::from_range(&label, low, typical, high, family)?;
    model.duration(label, d);
    Ok(())
}

struct Clock {
    t0: DateTime<Utc>,
    horizon_days: u32,
}

/// The departures of an arc on the clock, or `None` when it has no timetable.
fn schedule(
    ds: &Dataset,
    link_id: &str,
    from: &str,
    to: &str,
    trip_h: f64,
    clock: &Clock,
) -> Option<Schedule> {
    let rows: Vec<Weekly> = ds
        .services
        .iter()
        .filter(|s| s.link == link_id)
        .map(|s| Weekly {
            weekdays: s.weekdays.clone(),
            time: s.departure_local,
            valid_from: s.valid_from,
            valid_to: s.valid_to,
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let zone = |p: &str| ds.place_index(p).map(|i| crate::timed::zone(ds, i));
    let (zf, zt) = (zone(from).unwrap_or(Tz::UTC), zone(to).unwrap_or(Tz::UTC));
    let base = link_id.strip_suffix("~r").unwrap_or(link_id);
    let closed = |dep: DateTime<Utc>| {
        let arr = crate::timed::at(dep, trip_h);
        let dep_day = dep.with_timezone(&zf).date_naive();
        let arr_day_o = arr.with_timezone(&zf).date_naive();
        let arr_day = arr.with_timezone(&zt).date_naive();
        ds.closures.iter().any(|c| match (&c.link, &c.place) {
            (Some(l), _) if l == base || l == link_id => {
                c.from_date <= arr_day_o && dep_day <= c.to_date
            }
            (None, Some(p)) if p == from => c.from_date <= dep_day && dep_day <= c.to_date,
            (None, Some(p)) if p == to => c.from_date <= arr_day && arr_day <= c.to_date,
            _ => false,
        })
    };
    Some(Schedule::from_weekly(
        &rows,
        zf,
        clock.t0,
        clock.horizon_days,
        &closed,
    ))
}

/// One arc: the wait for its departure, the moving time, the dwell.
#[allow(clippy::too_many_arguments)]
fn arc(
    model: &mut TimeModel,
    ds: &Dataset,
    name: &str,
    (link_id, from, to): (&str, &str, &str),
    wait: (f64, f64, f64),
    moving: (f64, f64, f64),
    dwell: (f64, f64, f64),
    clock: Option<&Clock>,
    family: Family,
) -> Result<(), ReliabilityError> {
    let row = link_row(ds, link_id);
    let timetable = clock.and_then(|c| schedule(ds, link_id, from, to, moving.1 + dwell.1, c));
    if let Some(s) = timetable {
        model.departure(format!("{name} departure"), s);
    } else if row.is_some_and(|l| l.wait_h.is_none() && l.departures_per_week.is_some()) {
        if wait.2 > wait.0 {
            model.duration(
                format!("{name} wait (headway)"),
                Dist::Uniform {
                    low: wait.0,
                    high: wait.2,
                },
            );
        }
    } else {
        range(model, format!("{name} wait_h"), wait, family)?;
    }
    range(model, format!("{name} moving_h"), moving, family)?;
    range(model, format!("{name} dwell_h"), dwell, family)
}

/// The time components of an itinerary the engine answered with the dataset `ds`.
pub fn itinerary_model(
    it: &Itinerary,
    ds: &Dataset,
    opts: &MapOptions,
) -> Result<TimeModel, ReliabilityError> {
    let depart = match (opts.depart, &it.totals.depart_utc) {
        (Some(t), _) => Some(t),
        (None, Some(s)) => Some(
            DateTime::parse_from_rfc3339(s)
                .map_err(|e| ReliabilityError::Mapping {
                    message: format!(
                        "totals.depart_utc '{s}' is not RFC 3339 ({e}); pass MapOptions::depart"
                    ),
                })?
                .with_timezone(&Utc),
        ),
        (None, None) => None,
    };
    let clock = depart.map(|t0| Clock {
        t0,
        horizon_days: opts.horizon_days,
    });
    let mut steps: Vec<(u32, Step)> = Vec::new();
    steps.extend(it.legs.iter().map(|l| (l.seq, Step::Leg(l))));
    steps.extend(it.transfers.iter().map(|t| (t.seq, Step::Transfer(t))));
    steps.extend(it.borders.iter().map(|b| (b.seq, Step::Border(b))));
    steps.sort_by_key(|s| s.0);
    let mut model = TimeModel::new();
    let fam = opts.family;
    for (seq, st) in steps {
        match st {
            Step::Leg(l) => arc(
                &mut model,
                ds,
                &format!("leg {seq} ({})", l.link_id),
                (&l.link_id, &l.from.id, &l.to.id),
                (l.wait_h_low, l.wait_h, l.wait_h_high),
                (l.moving_h_low, l.moving_h, l.moving_h_high),
                (l.dwell_h_low, l.dwell_h, l.dwell_h_high),
                clock.as_ref(),
                fam,
            )?,
            Step::Transfer(t) => range(
                &mut model,
                format!("transfer {seq} ({} at {}) dwell_h", t.kind, t.place.id),
                (t.dwell_h_low, t.dwell_h, t.dwell_h_high),
                fam,
            )?,
            Step::Border(b) => {
                let row = link_row(ds, &b.link_id).ok_or_else(|| ReliabilityError::Mapping {
                    message: format!(
                        "border {seq}: link {} is not in the dataset; map the itinerary with the dataset that answered it",
                        b.link_id
                    ),
                })?;
                let (m, w) = (link_moving(row), link_wait(row));
                arc(
                    &mut model,
                    ds,
                    &format!("border {seq} ({})", b.link_id),
                    (&b.link_id, &b.from.id, &b.to.id),
                    (w.low, w.typical, w.high),
                    (m.low, m.typical, m.high),
                    (b.dwell_h_low, b.dwell_h, b.dwell_h_high),
                    clock.as_ref(),
                    fam,
                )?
            }
        }
    }
    Ok(model)
}
