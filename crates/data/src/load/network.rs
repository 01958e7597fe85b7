//! Rows of the network files: sources, city groups, places, links and transfer rules.

use super::reader::{FromRow, Row};
use crate::model::*;

impl FromRow for Source {
    const FILE: &'static str = "sources.csv";
    const REQUIRED: &'static [&'static str] = &["id", "title", "publisher", "url", "date", "note"];
    const OPTIONAL: &'static [&'static str] = &[];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let s = Source {
            id: row.req_str("id"),
            title: row.req_str("title"),
            publisher: row.raw("publisher").into(),
            url: row.raw("url").into(),
            date: row.raw("date").into(),
            note: row.raw("note").into(),
            line: row.line,
        };
        Some(s)
    }
}

impl FromRow for Group {
    const FILE: &'static str = "groups.csv";
    const REQUIRED: &'static [&'static str] = &["id", "name", "aliases", "country"];
    const OPTIONAL: &'static [&'static str] = &[];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let g = Group {
            id: row.req_str("id"),
            name: row.req_str("name"),
            aliases: row.list("aliases"),
            country: row.req_str("country"),
            line: row.line,
        };
        Some(g)
    }
}

impl FromRow for Place {
    const FILE: &'static str = "places.csv";
    const REQUIRED: &'static [&'static str] = &[
        "id", "name", "aliases", "country", "lat", "lon", "kind", "gauge_mm", "group", "timezone",
        "source",
    ];
    const OPTIONAL: &'static [&'static str] = &[];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let id = row.req_str("id");
        let name = row.req_str("name");
        let aliases = row.list("aliases");
        let country = row.req_str("country");
        let lat = row.req_f64("lat");
        let lon = row.req_f64("lon");
        let kind = row.enum_req(
            "kind",
            PlaceKind::parse,
            "rail_terminal, sea_port, dry_port, border_post, airport, pipeline_station, road_hub",
        );
        let mut gauges_mm = Vec::new();
        for g in row.list("gauge_mm") {
            match g.parse::<u16>() {
                Ok(v) if v > 0 => gauges_mm.push(v),
                _ => row.problem(format!("gauge_mm '{g}' is not a gauge in mm")),
            }
        }
        let group = row.opt_str("group");
        let timezone = row.req_str("timezone");
        let source = row.req_str("source");
        let kind = kind?;
        Some(Place {
            id,
            name,
            aliases,
            country,
            lat,
            lon,
            kind,
            gauges_mm,
            group,
            timezone,
            source,
            line: row.line,
        })
    }
}

impl FromRow for Link {
    const FILE: &'static str = "links.csv";
    const REQUIRED: &'static [&'static str] = &[
        "id",
        "from",
        "to",
        "mode",
        "status",
        "distance_km",
        "distance_source",
        "source",
    ];
    const OPTIONAL: &'static [&'static str] = &[
        "carries",
        "gauge_mm",
        "bidirectional",
        "speed_kmh",
        "speed_kmh_low",
        "speed_kmh_high",
        "moving_h",
        "moving_h_low",
        "moving_h_high",
        "time_source",
        "departures_per_week",
        "wait_h",
        "wait_h_low",
        "wait_h_high",
        "wait_source",
        "dwell_h",
        "dwell_h_low",
        "dwell_h_high",
        "dwell_source",
        "cost_fixed",
        "cost_per_km",
        "cost_unit",
        "currency",
        "price_year",
        "cost_source",
        "capacity",
        "capacity_unit",
        "capacity_source",
        "countries",
        "passages",
        "commodities",
        "emission_factor",
        "waypoints",
        "note",
    ];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let id = row.req_str("id");
        let from = row.req_str("from");
        let to = row.req_str("to");
        let mode = row.enum_req(
            "mode",
            Mode::parse,
            "road, rail, sea, ferry, iww, air, pipeline, border",
        );
        let mut carries = Vec::new();
        for c in row.list("carries") {
            match Carries::parse(&c) {
                Some(x) => carries.push(x),
                None => row.problem(format!(
                    "carries '{c}' is not one of truck, wagon, box, air, pipe"
                )),
            }
        }
        if let Some(m) = mode {
            if carries.is_empty() {
                match Carries::implied(m) {
                    Some(c) => carries.push(c),
                    None => row.problem(format!(
                        "a {m} link needs carries (truck, wagon and/or box, |-separated)"
                    )),
                }
            }
        }
        let gauge_mm = match row.opt_str("gauge_mm") {
            None => None,
            Some(g) => match g.parse::<u16>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    row.problem(format!("gauge_mm '{g}' is not a gauge in mm"));
                    None
                }
            },
        };
        if mode == Some(Mode::Rail) && gauge_mm.is_none() && row.raw("gauge_mm").is_empty() {
            row.problem("a rail link needs gauge_mm (e.g. 1435 or 1520)".into());
        }
        let bidirectional = row.bool("bidirectional");
        let status = row.enum_req(
            "status",
            Status::parse,
            "operating, under_construction, planned, suspended",
        );
        let distance_km = row.req_f64("distance_km");
        let distance_km = row.nonneg("distance_km", Some(distance_km)).unwrap_or(0.0);
        let distance_source = row.req_str("distance_source");
        let t = times(row, mode);
        let price = row.price("cost_fixed", Some("cost_per_km"));
        let cost_source = row.opt_str("cost_source");
        if price.is_some() && cost_source.is_none() {
            row.problem("cost given without cost_source".into());
        }
        let capacity = row.opt_f64("capacity");
        let capacity = row.nonneg("capacity", capacity);
        let capacity_unit = row.raw("capacity_unit").to_string();
        let capacity_source = row.opt_str("capacity_source");
        if capacity.is_some() && (capacity_unit.is_empty() || capacity_source.is_none()) {
            row.problem("capacity needs capacity_unit and capacity_source".into());
        }
        let countries = row.list("countries");
        let passages = row.list("passages");
        let commodities = commodities(row, mode);
        let emission_factor = row.opt_str("emission_factor");
        let waypoints = waypoints(row);
        let source = row.req_str("source");
        let note = row.raw("note").to_string();
        let (Some(mode), Some(status)) = (mode, status) else {
            return None;
        };
        Some(Link {
            id,
            from,
            to,
            mode,
            carries,
            gauge_mm,
            bidirectional,
            status,
            distance_km,
            distance_source,
            speed_kmh: t.speed_kmh,
            moving_h: t.moving_h,
            time_source: t.time_source,
            departures_per_week: t.departures_per_week,
            wait_h: t.wait_h,
            wait_source: t.wait_source,
            dwell_h: t.dwell_h,
            dwell_source: t.dwell_source,
            price,
            cost_source,
            capacity,
            capacity_unit,
            capacity_source,
            countries,
            passages,
            commodities,
            emission_factor,
            waypoints,
            source,
            note,
            line: row.line,
        })
    }
}

impl FromRow for Transfer {
    const FILE: &'static str = "transfers.csv";
    const REQUIRED: &'static [&'static str] =
        &["place", "from_carrier", "to_carrier", "kind", "hours"];
    const OPTIONAL: &'static [&'static str] = &[
        "place_kinds",
        "hours_low",
        "hours_high",
        "cost",
        "cost_unit",
        "currency",
        "price_year",
        "source",
        "time_source",
        "cost_source",
        "note",
    ];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let place_raw = row.req_str("place");
        let place = (place_raw != "*").then_some(place_raw.clone());
        let mut place_kinds = Vec::new();
        for k in row.list("place_kinds") {
            match PlaceKind::parse(&k) {
                Some(pk) => place_kinds.push(pk),
                None => row.problem(format!("place_kinds '{k}' is not a place kind")),
            }
        }
        if place.is_none() && place_kinds.is_empty() {
            row.problem(
                "a default row (place '*') needs place_kinds: the kinds of place it applies to"
                    .into(),
            );
        }
        let from = row.enum_req(
            "from_carrier",
            CarrierPattern::parse,
            "truck, wagon, wagon:GAUGE, box, air, pipe",
        );
        let to = row.enum_req(
            "to_carrier",
            CarrierPattern::parse,
            "truck, wagon, wagon:GAUGE, box, air, pipe",
        );
        let kind = row.enum_req(
            "kind",
            TransferKind::parse,
            "lift, gauge_transshipment, bogie_exchange, roll_on, handling",
        );
        let hours = row.range("hours", true);
        if hours.is_none() && row.raw("hours").is_empty() {
            row.problem("missing hours".into());
        }
        let price = row.price("cost", None);
        // Each figure cites its own column; the single `source` of the old layout stands in
        // for a missing one (and is then reported for review, `shared_source`).
        let given_source = row.opt_str("source");
        let given_time = row.opt_str("time_source");
        let given_cost = row.opt_str("cost_source");
        let mut shared_source = false;
        let time_source = match (&given_time, &given_source) {
            (Some(t), _) => t.clone(),
            (None, Some(s)) => {
                shared_source = true;
                s.clone()
            }
            (None, None) => {
                row.problem(
                    "missing time_source: give the source id of the hours in time_source (and of the charge in cost_source)"
                        .into(),
                );
                String::new()
            }
        };
        let cost_source = match (given_cost, &price, &given_source) {
            (Some(_), None, _) => {
                row.problem(
                    "cost_source given without a cost: give cost or leave cost_source empty".into(),
                );
                None
            }
            (Some(c), Some(_), _) => Some(c),
            (None, Some(_), Some(s)) => {
                shared_source = true;
                Some(s.clone())
            }
            (None, Some(_), None) => {
                row.problem(
                    "missing cost_source: give the source id of the charge in cost_source".into(),
                );
                None
            }
            (None, None, _) => None,
        };
        // Without a `source` column the row's source is that of its hours.
        let source = given_source.unwrap_or_else(|| time_source.clone());
        let note = row.raw("note").to_string();
        let (Some(from), Some(to), Some(kind), Some(hours)) = (from, to, kind, hours) else {
            return None;
        };
        Some(Transfer {
            place,
            place_kinds,
            from,
            to,
            kind,
            hours,
            price,
            source,
            time_source,
            cost_source,
            shared_source,
            note,
            line: row.line,
        })
    }
}

/// A link's time columns.
struct Times {
    speed_kmh: Option<Range3>,
    moving_h: Option<Range3>,
    time_source: Option<String>,
    departures_per_week: Option<f64>,
    wait_h: Option<Range3>,
    wait_source: Option<String>,
    dwell_h: Option<Range3>,
    dwell_source: Option<String>,
}

/// Reads a link's speed or moving time, departures, wait and dwell, each with its source.
fn times(row: &mut Row<'_>, mode: Option<Mode>) -> Times {
    let speed_kmh = row.range("speed_kmh", true);
    if let Some(s) = speed_kmh {
        if s.low <= 0.0 {
            row.problem("speed_kmh must be > 0".into());
        }
    }
    let moving_h = row.range("moving_h", true);
    let time_source = row.opt_str("time_source");
    if mode.is_some_and(|m| m != Mode::Border) {
        match (speed_kmh.is_some(), moving_h.is_some()) {
            (false, false) => row.problem(
                "needs speed_kmh or moving_h (with time_source) to know how long it takes".into(),
            ),
            (true, true) => {
                row.problem("give speed_kmh or moving_h, not both".into());
            }
            _ => {}
        }
        if time_source.is_none() && (speed_kmh.is_some() || moving_h.is_some()) {
            row.problem("speed or time given without time_source".into());
        }
    }
    let departures_per_week = row.opt_f64("departures_per_week");
    if let Some(d) = departures_per_week {
        if d <= 0.0 {
            row.problem(format!("departures_per_week must be > 0, got {d}"));
        }
    }
    let wait_h = row.range("wait_h", true);
    let wait_source = row.opt_str("wait_source");
    if (wait_h.is_some() || departures_per_week.is_some()) && wait_source.is_none() {
        row.problem("wait or departures_per_week given without wait_source".into());
    }
    let dwell_h = row.range("dwell_h", true);
    let dwell_source = row.opt_str("dwell_source");
    if dwell_h.is_some() && dwell_source.is_none() {
        row.problem("dwell_h given without dwell_source".into());
    }
    Times {
        speed_kmh,
        moving_h,
        time_source,
        departures_per_week,
        wait_h,
        wait_source,
        dwell_h,
        dwell_source,
    }
}

/// Reads a link's commodities (all but gas when none are given; a pipeline must say).
fn commodities(row: &mut Row<'_>, mode: Option<Mode>) -> Vec<Commodity> {
    let mut commodities = Vec::new();
    for c in row.list("commodities") {
        match Commodity::parse(&c) {
            Some(x) => commodities.push(x),
            None => row.problem(format!(
                "commodities '{c}' is not one of container, bulk, liquid, gas"
            )),
        }
    }
    if commodities.is_empty() {
        if mode == Some(Mode::Pipeline) {
            row.problem(
                "a pipeline link must say which commodities it carries (liquid or gas)".into(),
            );
        } else {
            commodities = vec![Commodity::Container, Commodity::Bulk, Commodity::Liquid];
        }
    }
    commodities
}

/// Reads a link's waypoints, `lat lon;lat lon`.
fn waypoints(row: &mut Row<'_>) -> Vec<(f64, f64)> {
    let mut waypoints = Vec::new();
    let wp = row.raw("waypoints").to_string();
    for pt in wp.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let mut it = pt.split_whitespace();
        match (
            it.next().and_then(|x| x.parse::<f64>().ok()),
            it.next().and_then(|x| x.parse::<f64>().ok()),
            it.next(),
        ) {
            (Some(lat), Some(lon), None) => waypoints.push((lat, lon)),
            _ => row.problem(format!("waypoint '{pt}' is not 'lat lon'")),
        }
    }
    waypoints
}
