//! The time dimension: departure instants, timetabled services (`services.csv`) and closures
//! (`closures.csv`), with IANA zones from the tz database (`chrono-tz`).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use corridor_data::{ClosureEffect, Dataset, Place, ServiceWaits};
use corridor_network::{Arc, Graph, Network};

/// How many days ahead a departure is looked for (a year: weekly services with a later
/// `valid_from` are found; multi-week journeys never wrap around a day or a week).
const HORIZON_DAYS: i64 = 400;

/// The zone of a place; UTC where the data's zone is not an IANA name.
pub fn zone(ds: &Dataset, place: usize) -> Tz {
    place_zone(&ds.places[place])
}

/// The zone of a place row; UTC where the data's zone is not an IANA name.
pub fn place_zone(p: &Place) -> Tz {
    p.timezone.parse::<Tz>().unwrap_or(Tz::UTC)
}

/// Parses `--depart`: `YYYY-MM-DDTHH:MM[:SS]` with an offset (`Z`, `+05:00`) or without one
/// (then local to the origin's zone `tz`).
pub fn parse_depart(s: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    for f in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%:z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive = s.strip_suffix('Z').or_else(|| s.strip_suffix('z'));
    for f in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(naive.unwrap_or(s), f) {
            if naive.is_some() {
                return Ok(n.and_utc());
            }
            return local_instant(tz, n)
                .ok_or_else(|| format!("'{s}' does not exist in {tz} (a clock change skips it)"));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let n = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        return local_instant(tz, n).ok_or_else(|| format!("'{s}' does not exist in {tz}"));
    }
    Err(format!(
        "'{s}' is not a date-time: write e.g. 2026-12-01T08:00 (local time, {tz}) or 2026-12-01T08:00+05:00"
    ))
}

/// A local wall-clock time as an instant: the earlier of two at a fall-back, `None` in a gap.
fn local_instant(tz: Tz, n: NaiveDateTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&n)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// RFC 3339 in UTC (`2026-12-01T03:00:00Z`).
pub fn fmt_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// RFC 3339 with the local offset and the IANA zone in brackets (RFC 9557):
/// `2026-12-01T08:00:00+05:00[Asia/Almaty]`.
pub fn fmt_local(t: DateTime<Utc>, tz: Tz) -> String {
    format!(
        "{}[{}]",
        t.with_timezone(&tz).format("%Y-%m-%dT%H:%M:%S%:z"),
        tz.name()
    )
}

/// Hours after `base` as an instant (millisecond resolution).
pub fn at(base: DateTime<Utc>, h: f64) -> DateTime<Utc> {
    base + Duration::milliseconds((h * 3_600_000.0).round() as i64)
}

/// An instant as hours after `base`.
pub fn hours(base: DateTime<Utc>, t: DateTime<Utc>) -> f64 {
    (t - base).num_milliseconds() as f64 / 3_600_000.0
}

/// Whether a closure row names this arc: `ID` closes both directions, `ID~r` only the reverse.
fn names_arc(id: &str, arc: &Arc, g: Graph<'_>) -> bool {
    let l = g.link(arc.link as usize);
    match id.strip_suffix("~r") {
        Some(base) => arc.reversed && l.id == base,
        None => l.id == id,
    }
}

/// Services and closures indexed by arc and place.
#[derive(Debug, Clone, Default)]
pub struct Timetable {
    /// Timetabled service rows (indices into `dataset.services`, weekdays given) per arc;
    /// empty = no timetable.
    pub services: Vec<Vec<usize>>,
    /// Per arc: its timetable is a train that starts at the tail (`waits=boarding`), waited
    /// for only by cargo boarding there.
    boarding: Vec<bool>,
    /// Closure rows per arc (link closures).
    pub link_closures: Vec<Vec<usize>>,
    /// Closure rows per place.
    pub place_closures: Vec<Vec<usize>>,
    zones: Vec<Tz>,
}

impl Timetable {
    /// Indexes the dataset's services and closures over the network's arcs.
    pub fn new(net: &Network) -> Timetable {
        let mut t = Timetable::default();
        t.extend(net.view());
        t
    }

    /// Indexes the arcs and places of `g` past those already indexed (the virtual ones of a
    /// door query: services and closures name the data's links and places, so theirs are
    /// empty unless the data names them).
    pub fn extend(&mut self, g: Graph<'_>) {
        let ds = g.dataset();
        let new_arcs = self.services.len()..g.n_arcs();
        self.services.extend(new_arcs.clone().map(|ai| {
            let id = g.link_id(g.arc(ai));
            (0..ds.services.len())
                .filter(|&i| {
                    ds.services[i].link == id && ds.services[i].departures_per_week.is_none()
                })
                .collect::<Vec<_>>()
        }));
        let from = self.boarding.len();
        self.boarding
            .extend(self.services[from..].iter().map(|rows| {
                rows.first()
                    .is_some_and(|&i| ds.services[i].waits == ServiceWaits::Boarding)
            }));
        self.link_closures.extend(new_arcs.map(|ai| {
            let a = g.arc(ai);
            (0..ds.closures.len())
                .filter(|&i| {
                    ds.closures[i]
                        .link
                        .as_deref()
                        .is_some_and(|l| names_arc(l, a, g))
                })
                .collect::<Vec<_>>()
        }));
        let new_places = self.place_closures.len()..g.n_places();
        self.place_closures.extend(new_places.clone().map(|p| {
            let id = g.place(p).id.as_str();
            (0..ds.closures.len())
                .filter(|&i| ds.closures[i].place.as_deref() == Some(id))
                .collect::<Vec<_>>()
        }));
        self.zones
            .extend(new_places.map(|p| place_zone(g.place(p))));
    }

    /// The zone of a place.
    pub fn zone(&self, place: usize) -> Tz {
        self.zones[place]
    }

    /// Whether the arc runs to a timetable.
    pub fn is_timetabled(&self, ai: usize) -> bool {
        !self.services[ai].is_empty()
    }

    /// Whether the arc's timetable applies to cargo that `boards` it or not: every
    /// consignment waits for a timetabled link, only boarding ones for a train that starts at
    /// the tail (`waits=boarding`).
    pub fn applies(&self, ai: usize, boards: bool) -> bool {
        self.is_timetabled(ai) && (boards || !self.boarding[ai])
    }

    /// The first timetabled departure of the arc at or after `t`, or `None` within the horizon.
    pub fn next_departure(
        &self,
        g: Graph<'_>,
        ai: usize,
        t: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let ds = g.dataset();
        let tz = self.zones[g.arc(ai).from.index()];
        let start = t.with_timezone(&tz).date_naive();
        let mut best: Option<DateTime<Utc>> = None;
        for k in -1..=HORIZON_DAYS {
            let day = start + Duration::days(k);
            for &si in &self.services[ai] {
                let s = &ds.services[si];
                use chrono::Datelike;
                if !s.weekdays.contains(&day.weekday())
                    || s.valid_from.is_some_and(|f| day < f)
                    || s.valid_to.is_some_and(|e| day > e)
                {
                    continue;
                }
                let n = day.and_time(s.departure_local);
                // In a spring-forward gap the departure is at the first valid minute after it.
                let dep =
                    local_instant(tz, n).or_else(|| local_instant(tz, n + Duration::hours(1)));
                if let Some(d) = dep {
                    if d >= t && best.is_none_or(|b| d < b) {
                        best = Some(d);
                    }
                }
            }
            if best.is_some() && k >= 1 {
                break;
            }
        }
        best
    }

    /// The closure (index into `dataset.closures`) that blocks the arc for cargo leaving at
    /// `dep` and arriving at `arr`, if any: the link on any day of the trip (origin's dates),
    /// the origin place on the day of departure, the destination place on the day of arrival.
    /// Rows of effect `closed` and `wait` close; `delay` rows never do ([`Self::delay`]).
    pub fn closure(
        &self,
        g: Graph<'_>,
        ai: usize,
        dep: DateTime<Utc>,
        arr: DateTime<Utc>,
    ) -> Option<usize> {
        let ds = g.dataset();
        let arc = g.arc(ai);
        let (from, to) = (arc.from.index(), arc.to.index());
        if self.link_closures[ai].is_empty()
            && self.place_closures[from].is_empty()
            && self.place_closures[to].is_empty()
        {
            // Nothing can close it: no calendar arithmetic on the hot path.
            return None;
        }
        let dep_day = dep.with_timezone(&self.zones[from]).date_naive();
        let arr_day_o = arr.with_timezone(&self.zones[from]).date_naive();
        let arr_day = arr.with_timezone(&self.zones[to]).date_naive();
        let link = self.link_closures[ai].iter().copied().find(|&i| {
            let c = &ds.closures[i];
            c.closes()
                && if c.effect == ClosureEffect::Wait {
                    // A wait row holds the cargo until it opens: only its departure day counts.
                    c.covers(dep_day)
                } else {
                    c.covers_any(dep_day, arr_day_o)
                }
        });
        link.or_else(|| {
            self.place_closures[from].iter().copied().find(|&i| {
                let c = &ds.closures[i];
                c.closes() && c.covers(dep_day)
            })
        })
        .or_else(|| {
            self.place_closures[to].iter().copied().find(|&i| {
                let c = &ds.closures[i];
                // Cargo may arrive at a place that holds it (a border post closed for the
                // weekend): it waits there for the next arc.
                c.effect == ClosureEffect::Closed && c.covers(arr_day)
            })
        })
    }

    /// The zone and index of an arc's origin, or `None` when no closure row names the arc or
    /// its origin (no calendar arithmetic then).
    fn origin(&self, g: Graph<'_>, ai: usize) -> Option<(Tz, usize)> {
        let from = g.arc(ai).from.index();
        if self.link_closures[ai].is_empty() && self.place_closures[from].is_empty() {
            return None;
        }
        Some((self.zones[from], from))
    }

    /// The closure rows that bear on leaving by arc `ai` from place `from`: the link's and the
    /// place's.
    fn departure_rows(&self, ai: usize, from: usize) -> impl Iterator<Item = usize> + '_ {
        self.link_closures[ai]
            .iter()
            .chain(&self.place_closures[from])
            .copied()
    }

    /// For cargo ready to leave on a link that is not timetabled at `dep`: the instant it may
    /// leave when a `wait` row holds it (the start of the first local day no such row of the
    /// link or of its origin covers) and the last row that held it; `None` when none does.
    pub fn reopen(
        &self,
        g: Graph<'_>,
        ai: usize,
        dep: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, usize)> {
        let ds = g.dataset();
        let (tz, from) = self.origin(g, ai)?;
        let rows = || {
            self.departure_rows(ai, from)
                .filter(|&i| ds.closures[i].effect == ClosureEffect::Wait)
        };
        let mut day = dep.with_timezone(&tz).date_naive();
        let mut held = None;
        // A wait row is at most a month long (validated); weekly rows leave open days.
        for _ in 0..HORIZON_DAYS {
            match rows().find(|&i| ds.closures[i].covers(day)) {
                Some(i) => {
                    held = Some(i);
                    day = day.succ_opt()?;
                }
                None => break,
            }
        }
        let i = held?;
        let start = local_instant(tz, day.and_hms_opt(0, 0, 0)?)
            .or_else(|| local_instant(tz, day.and_hms_opt(1, 0, 0)?))?;
        Some((start.max(dep), i))
    }

    /// The wait a `delay` row adds for cargo leaving on the arc at `dep` (the link's rows and
    /// its origin's), as the instant it may leave and the row: `dep` plus the added hours, but
    /// never past the end of the row's period (so a later departure never leaves earlier).
    pub fn delay(
        &self,
        g: Graph<'_>,
        ai: usize,
        dep: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, usize)> {
        let ds = g.dataset();
        let (tz, from) = self.origin(g, ai)?;
        let day = dep.with_timezone(&tz).date_naive();
        self.departure_rows(ai, from)
            .filter_map(|i| {
                let c = &ds.closures[i];
                let ClosureEffect::Delay(h) = c.effect else {
                    return None;
                };
                if !c.covers(day) {
                    return None;
                }
                let end = c
                    .to_date
                    .succ_opt()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .and_then(|n| local_instant(tz, n))
                    .unwrap_or(dep);
                Some((at(dep, h).min(end.max(dep)), i))
            })
            .max_by_key(|(t, _)| *t)
    }
}
