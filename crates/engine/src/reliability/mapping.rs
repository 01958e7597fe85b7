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
//! - A published distribution (`distributions.csv`: percentiles or samples) of an element's
//!   time replaces the range's family, when the figure is still the one the distribution
//!   describes: the link's (or transfer's) source for that time is one of the distribution's
//!   sources. A scenario or overlay that rewrites the figure (citing its own source), or a
//!   customs regime that replaces a border's standard dwell, gets the range's family again.
//!   The component carries the distribution's id ([`Component::published`]).
//! - With `MapOptions::correlation` > 0 every random duration joins the group of the country
//!   it starts in (`country:KZ`, the leg's origin, the transfer's place, the border's exit
//!   side) with that rho: a common shock per country and draw (`docs/reliability.md`).
//!
//! [`Component::published`]: super::Component::published
//!
//! [`RouteAnswer`]: crate::RouteAnswer

use super::dist::{Dist, Family};
use super::error::ReliabilityError;
use super::model::TimeModel;
use super::schedule::{Schedule, Weekly};
use crate::answer::{BorderStep, Itinerary, Leg, TransferStep};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use corridor_data::model::{Distribution, DistributionForm, Link};
use corridor_data::{ClosureEffect, Dataset};

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
    /// Correlation (rho, in [0, 1]) of the delays within one country: every random duration
    /// joins its country's group (`country:XX`) with a common shock per draw. 0 (the
    /// default): independent draws, exactly as without groups.
    pub correlation: f64,
}

impl Default for MapOptions {
    fn default() -> MapOptions {
        MapOptions {
            family: Family::Pert,
            depart: None,
            horizon_days: 400,
            correlation: 0.0,
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

/// The distribution a published row describes.
pub fn published_dist(d: &Distribution) -> Dist {
    match &d.form {
        DistributionForm::Percentiles(points) => Dist::Percentiles {
            points: points.clone(),
        },
        DistributionForm::Samples(samples) => Dist::Empirical {
            samples: samples.clone(),
        },
    }
}

/// The published distribution of `quantity` of `element` (`link:ID` / `place:ID`) when the
/// data's figure still cites one of its sources (`source`: the figure's source).
fn published<'a>(
    ds: &'a Dataset,
    element: &str,
    quantity: &str,
    source: Option<&str>,
) -> Option<&'a Distribution> {
    let source = source?;
    ds.distributions.iter().find(|d| {
        d.element == element && d.quantity == quantity && d.sources.iter().any(|s| s == source)
    })
}

/// A time: the published distribution when there is one, else the range under `family`.
fn time(
    model: &mut TimeModel,
    label: String,
    r: (f64, f64, f64),
    family: Family,
    publ: Option<&Distribution>,
) -> Result<(), ReliabilityError> {
    match publ {
        Some(d) => {
            model.duration(format!("{label} [published {}]", d.id), published_dist(d));
            if let Some(c) = model.components.last_mut() {
                c.published = Some(d.id.clone());
                c.typical_h = Some(r.1);
            }
            Ok(())
        }
        None => range(model, label, r, family),
    }
}

struct Clock {
    t0: DateTime<Utc>,
    horizon_days: u32,
}

/// The departures of an arc on the clock, or `None` when it has no timetable (a train that
/// starts at the tail, `waits=boarding`, only for cargo that `boards` there).
fn schedule(
    ds: &Dataset,
    (link_id, from, to): (&str, &str, &str),
    boards: bool,
    trip_h: f64,
    clock: &Clock,
) -> Option<Schedule> {
    let rows: Vec<Weekly> = ds
        .services
        .iter()
        .filter(|s| s.link == link_id && !s.weekdays.is_empty())
        .filter(|s| boards || s.waits == corridor_data::ServiceWaits::All)
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
            (Some(l), _) if l == base || l == link_id => match c.effect {
                ClosureEffect::Closed => c.covers_any(dep_day, arr_day_o),
                ClosureEffect::Wait => c.covers(dep_day),
                ClosureEffect::Delay(_) => false,
            },
            (None, Some(p)) if p == from => c.closes() && c.covers(dep_day),
            (None, Some(p)) if p == to => c.effect == ClosureEffect::Closed && c.covers(arr_day),
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

/// One arc: the wait for its departure, the moving time, the dwell (`standard_dwell`: the
/// dwell is the link's own, not a customs regime's, so a published one may apply).
#[allow(clippy::too_many_arguments)]
fn arc(
    model: &mut TimeModel,
    ds: &Dataset,
    name: &str,
    (link_id, from, to): (&str, &str, &str),
    wait: (f64, f64, f64),
    moving: (f64, f64, f64),
    dwell: (f64, f64, f64),
    clock: Option<(&Clock, bool)>,
    family: Family,
    standard_dwell: bool,
) -> Result<(), ReliabilityError> {
    let row = link_row(ds, link_id);
    let element = row.map(|l| format!("link:{}", l.id)).unwrap_or_default();
    let publ = |q: &str, src: Option<&String>| published(ds, &element, q, src.map(String::as_str));
    let wait_publ = row.and_then(|l| publ("wait_h", l.wait_source.as_ref()));
    let timetable = clock
        .and_then(|(c, boards)| schedule(ds, (link_id, from, to), boards, moving.1 + dwell.1, c));
    if let Some(s) = timetable {
        model.departure(format!("{name} departure"), s);
    } else if wait_publ.is_some() {
        time(model, format!("{name} wait_h"), wait, family, wait_publ)?;
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
    let moving_publ = row.and_then(|l| publ("moving_h", l.time_source.as_ref()));
    time(
        model,
        format!("{name} moving_h"),
        moving,
        family,
        moving_publ,
    )?;
    let dwell_publ = row
        .filter(|_| standard_dwell)
        .and_then(|l| publ("dwell_h", l.dwell_source.as_ref()));
    time(model, format!("{name} dwell_h"), dwell, family, dwell_publ)
}

/// Puts the durations from `from` on in the group of `country` (declared with `rho`).
fn join_country(model: &mut TimeModel, from: usize, country: &str, rho: f64) {
    if rho == 0.0 || from >= model.components.len() {
        return;
    }
    let name = format!("country:{country}");
    model.correlate(name.clone(), rho);
    for c in &mut model.components[from..] {
        if matches!(c.step, super::model::Step::Duration { .. }) {
            c.group = Some(name.clone());
        }
    }
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
        let first = model.components.len();
        let country = match st {
            Step::Leg(l) => &l.from.country,
            Step::Transfer(t) => &t.place.country,
            Step::Border(b) => &b.from_country,
        };
        map_step(&mut model, ds, seq, st, clock.as_ref(), fam)?;
        join_country(&mut model, first, country, opts.correlation);
    }
    Ok(model)
}

/// The components of one step of the itinerary.
fn map_step(
    model: &mut TimeModel,
    ds: &Dataset,
    seq: u32,
    st: Step<'_>,
    clock: Option<&Clock>,
    fam: Family,
) -> Result<(), ReliabilityError> {
    match st {
        Step::Leg(l) => {
            let name = format!("leg {seq} ({})", l.link_id);
            let mut wait = (l.wait_h_low, l.wait_h, l.wait_h_high);
            if let Some(train) = &l.train {
                // Boarded where a block train starts: the wait for it is the wait for a
                // regular headway (a timetable on the clock), the rest of the wait as before.
                let head = 168.0 / train.departures_per_week;
                wait = (
                    wait.0.max(0.0),
                    (wait.1 - head / 2.0).max(0.0),
                    (wait.2 - head).max(0.0),
                );
                if clock.is_none() || train.weekdays.is_empty() {
                    model.duration(
                        format!("{name} train wait (headway)"),
                        Dist::Uniform {
                            low: 0.0,
                            high: head,
                        },
                    );
                }
            }
            arc(
                model,
                ds,
                &name,
                (&l.link_id, &l.from.id, &l.to.id),
                wait,
                (l.moving_h_low, l.moving_h, l.moving_h_high),
                (l.dwell_h_low, l.dwell_h, l.dwell_h_high),
                clock.map(|c| (c, l.train.is_some())),
                fam,
                true,
            )
        }
        Step::Transfer(t) => time(
            model,
            format!("transfer {seq} ({} at {}) dwell_h", t.kind, t.place.id),
            (t.dwell_h_low, t.dwell_h, t.dwell_h_high),
            fam,
            published(
                ds,
                &format!("place:{}", t.place.id),
                "dwell_h",
                Some(&t.time_source),
            ),
        ),
        Step::Border(b) => {
            let row = link_row(ds, &b.link_id).ok_or_else(|| ReliabilityError::Mapping {
                message: format!(
                    "border {seq}: link {} is not in the dataset; map the itinerary with the dataset that answered it",
                    b.link_id
                ),
            })?;
            let (m, w) = (
                corridor_network::link_moving_h(row),
                corridor_network::link_wait_h(row),
            );
            let standard = b.customs.as_ref().is_none_or(|c| c.regime == "standard");
            arc(
                model,
                ds,
                &format!("border {seq} ({})", b.link_id),
                (&b.link_id, &b.from.id, &b.to.id),
                (w.low, w.typical, w.high),
                (m.low, m.typical, m.high),
                (b.dwell_h_low, b.dwell_h, b.dwell_h_high),
                clock.map(|c| (c, false)),
                fam,
                standard,
            )
        }
    }
}
