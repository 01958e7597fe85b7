//! Rendering answers: a readable table, GeoJSON, place lists.

use corridor_data::Dataset;
use corridor_engine::answer::{Itinerary, RouteAnswer};
use geojson::{Feature, FeatureCollection, Geometry, JsonObject, Value};

mod notes;

/// `x` rounded, with a comma every three digits (`1,306,180`).
pub(crate) fn thousands(x: f64) -> String {
    let n = x.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

fn hours(h: f64) -> String {
    if h >= 48.0 {
        format!("{:.1} d", h / 24.0)
    } else {
        format!("{h:.1} h")
    }
}

/// The answer as a table for people, laid out for 100 columns. Compliance flags are listed
/// once under the itineraries; `verbose` adds what each requires, the legs it applies to and
/// the legs whose physical-network check failed.
pub fn table(a: &RouteAnswer, verbose: bool) -> String {
    let flags = notes::Flags::of(a);
    let mut s = String::new();
    let q = &a.query;
    s.push_str(&format!(
        "{} → {} · {} {} · {}\n",
        q.from.label,
        q.to.label,
        q.cargo.label,
        q.commodity,
        match q.alternatives {
            Some(_) => "alternatives".to_string(),
            None => format!("optimise {}", q.optimize),
        }
    ));
    if !q.via.is_empty() {
        let v: Vec<&str> = q.via.iter().map(|v| v.label.as_str()).collect();
        s.push_str(&format!("via {}\n", v.join(", ")));
    }
    if let Some(n) = q.alternatives {
        s.push_str(&format!(
            "{} alternatives (up to {n}) {} over time, cost, CO2e and risk{}\n",
            a.itineraries.len(),
            if q.all_alternatives {
                "on the Pareto front"
            } else {
                "of distinct corridors from the Pareto front"
            },
            if a.incomplete {
                " (incomplete: search budget reached)"
            } else {
                ""
            }
        ));
    }
    let limits: Vec<String> = [
        ("max transshipments", q.max_transshipments),
        ("max borders", q.max_borders),
    ]
    .iter()
    .filter_map(|(k, v)| v.map(|n| format!("{k} {n}")))
    .collect();
    let mut limits = limits;
    if let Some(d) = q.max_days {
        limits.push(format!("max days {d}"));
    }
    if q.all_alternatives {
        limits.push("all alternatives (whole front)".into());
    }
    if !limits.is_empty() {
        s.push_str(&format!("limits: {}\n", limits.join(", ")));
    }
    let c = &q.constraints;
    let mut cs: Vec<String> = Vec::new();
    if c.reefer {
        cs.push("reefer".into());
    }
    if let Some(d) = &c.dangerous_goods {
        cs.push(format!("dangerous goods class {d}"));
    }
    if c.goods != "general" {
        cs.push(format!("{} goods", c.goods));
    }
    if c.customs != "standard" {
        cs.push(format!("customs {}", c.customs));
    }
    if let Some(g) = q.cargo.gross_t_per_box {
        if !cs.is_empty() || g > 30.0 {
            cs.push(format!("{g:.2} t gross per box"));
        }
    }
    if !cs.is_empty() {
        s.push_str(&format!("cargo: {}\n", cs.join(", ")));
    }
    if !q.avoid.is_empty() {
        let v: Vec<String> = q
            .avoid
            .iter()
            .map(|x| format!("{}:{}", x.kind, x.value))
            .collect();
        s.push_str(&format!("avoiding {}\n", v.join(", ")));
    }
    for (i, it) in a.itineraries.iter().enumerate() {
        s.push('\n');
        s.push_str(&format!("Itinerary {} [{}]\n", i + 1, it.labels.join(", ")));
        if !it.explanation.is_empty() {
            s.push_str(&format!("  {}\n", it.explanation));
        }
        if !it.corridor.is_empty() {
            s.push_str(&format!("  corridor: {}\n", it.corridor));
        }
        itinerary_table(it, verbose, &mut s);
        if let Some(line) = flags.itinerary_line(i + 1) {
            s.push_str(&line);
        }
        reliability_lines(it, &mut s);
    }
    s.push_str(&flags.section(verbose));
    let legend = notes::legend(a);
    if !legend.is_empty() {
        s.push('\n');
        s.push_str(&legend);
    }
    s.push_str(&format!(
        "\nData: {} {} (hash {}, figures as of {}; {}) · corridor {}\n",
        a.data.name, a.data.version, a.data.hash, a.data.as_of, a.data.origin, a.generator.version
    ));
    if !a.data.scenarios.is_empty() {
        let list: Vec<String> = a
            .data
            .scenarios
            .iter()
            .map(|s| format!("{} (hash {})", s.name, s.hash))
            .collect();
        s.push_str(&format!(
            "Scenario: {}
",
            list.join(" + ")
        ));
    }
    for w in &a.warnings {
        s.push_str(&format!("note: {w}\n"));
    }
    notes::wrap(&s, notes::WIDTH)
}

/// With `--reliability`: the percentiles, the on-time probability and the modes.
fn reliability_lines(it: &Itinerary, s: &mut String) {
    let (Some(r), t) = (&it.reliability, &it.totals) else {
        return;
    };
    let p = |x: Option<f64>| x.map_or_else(|| "n/a".into(), |d| format!("{d:.1}"));
    s.push_str(&format!(
        "  reliability ({} draws, seed {}): P50 {} · P80 {} · P90 {} · P95 {} days (mean {:.1})\n",
        r.draws,
        r.seed,
        p(t.transit_days_p50),
        p(t.transit_days_p80),
        p(t.transit_days_p90),
        p(t.transit_days_p95),
        r.transit_days_mean
    ));
    if let (Some(q), Some(d)) = (t.on_time_probability, r.deadline_days) {
        s.push_str(&format!(
            "  on time (within {d:.1} days): {:.0}%\n",
            q * 100.0
        ));
    }
    if r.multimodal {
        let parts: Vec<String> = r
            .modes
            .iter()
            .map(|m| format!("{:.0}% arrive around day {:.1}", m.share * 100.0, m.at_days))
            .collect();
        let kind = match r.modes.len() {
            2 => "bimodal".to_string(),
            n => format!("{n} modes"),
        };
        s.push_str(&format!("  {kind}: {}\n", parts.join(", ")));
    }
}

fn itinerary_table(it: &Itinerary, verbose: bool, s: &mut String) {
    push_steps(&step_cells(it), s);
    push_totals(it, verbose, s);
    push_notes(it, s);
}

/// One row per leg, transfer and border in travel order: (step, label, km, moving, wait,
/// dwell, cost, CO2e).
fn step_cells(it: &Itinerary) -> Vec<[String; 8]> {
    enum Row<'a> {
        Leg(&'a corridor_engine::answer::Leg),
        Transfer(&'a corridor_engine::answer::TransferStep),
        Border(&'a corridor_engine::answer::BorderStep),
    }
    let mut rows: Vec<(u32, Row)> = Vec::new();
    rows.extend(it.legs.iter().map(|l| (l.seq, Row::Leg(l))));
    rows.extend(it.transfers.iter().map(|t| (t.seq, Row::Transfer(t))));
    rows.extend(it.borders.iter().map(|b| (b.seq, Row::Border(b))));
    rows.sort_by_key(|r| r.0);
    // (step, label, km, moving, wait, dwell, cost, co2)
    rows.iter()
        .map(|(_, r)| match r {
            Row::Leg(l) => [
                l.mode.clone(),
                format!("{} → {} ({})", l.from.name, l.to.name, l.carrier),
                thousands(l.distance_km),
                hours(l.moving_h),
                hours(l.wait_h),
                hours(l.dwell_h),
                thousands(l.cost_usd),
                l.co2e_kg.map(thousands).unwrap_or_else(|| "n/a".into()),
            ],
            Row::Transfer(t) => [
                "transfer".into(),
                format!(
                    "{}: {} {} → {}",
                    t.place.name, t.kind, t.from_carrier, t.to_carrier
                ),
                String::new(),
                String::new(),
                String::new(),
                hours(t.dwell_h),
                thousands(t.cost_usd),
                t.co2e_kg.map(thousands).unwrap_or_else(|| "n/a".into()),
            ],
            Row::Border(b) => [
                "border".into(),
                format!(
                    "{} ({}) → {} ({})",
                    b.from.name, b.from_country, b.to.name, b.to_country
                ),
                String::new(),
                String::new(),
                String::new(),
                hours(b.dwell_h),
                thousands(b.cost_usd),
                String::new(),
            ],
        })
        .collect()
}

/// The step table, its label column as wide as its widest label up to [`LABEL_MAX`]
/// characters; a longer label continues on the next lines of its column, so a row fits in
/// 100 columns.
fn push_steps(cells: &[[String; 8]], s: &mut String) {
    let w = cells
        .iter()
        .map(|c| c[1].chars().count())
        .max()
        .unwrap_or(0)
        .clamp(9, LABEL_MAX);
    let header = [
        "step",
        "from → to",
        "km",
        "moving",
        "wait",
        "dwell",
        "cost USD",
        "CO2e kg",
    ];
    let line = |n: &str, c: &[&str]| {
        format!(
            "  {} {} {} {:>6} {:>7} {:>6} {:>6} {:>8} {:>7}",
            pad(n, 3),
            pad(c[0], 8),
            pad(c[1], w),
            c[2],
            c[3],
            c[4],
            c[5],
            c[6],
            c[7]
        )
    };
    s.push_str(line("#", &header).trim_end());
    s.push('\n');
    for (i, c) in cells.iter().enumerate() {
        let label = notes::wrap_cell(&c[1], w);
        let mut refs: Vec<&str> = c.iter().map(String::as_str).collect();
        refs[1] = &label[0];
        s.push_str(line(&(i + 1).to_string(), &refs).trim_end());
        s.push('\n');
        for more in &label[1..] {
            s.push_str(&format!("  {} {} {more}\n", pad("", 3), pad("", 8)));
        }
    }
}

/// The widest the label column of the step table grows (the rest of a row takes 62).
const LABEL_MAX: usize = 38;

/// The totals: time, clock, distance, cost, CO2e, countries.
fn push_totals(it: &Itinerary, verbose: bool, s: &mut String) {
    let t = &it.totals;
    s.push_str(&format!(
        "  Total: {} km · {:.1} days typical ({:.1}–{:.1} days best/worst case) · moving {} · waiting {} · dwell {}\n",
        thousands(t.distance_km),
        t.transit_days,
        t.transit_h_low / 24.0,
        t.transit_h_high / 24.0,
        hours(t.moving_h),
        hours(t.wait_h),
        hours(t.dwell_h)
    ));
    if let (Some(d), Some(a)) = (&t.depart_local, &t.arrive_local) {
        s.push_str(&format!("  Clock: depart {d} → arrive {a}\n"));
    }
    // Which legs the physical networks could not confirm is for the data's maintainers:
    // --verbose and the JSON's network_check name them.
    let unmeasured: Vec<&str> = it
        .legs
        .iter()
        .filter(|l| verbose && l.network_check.is_some())
        .map(|l| l.link_id.as_str())
        .collect();
    if t.network_distance_km > 0.0 || !unmeasured.is_empty() {
        s.push_str(&format!(
            "  Distance: {} of {} km measured on physical networks (OSM rail/road, marnet; {} km on estimated connectors), the rest as stated in the data{}\n",
            thousands(t.network_distance_km),
            thousands(t.distance_km),
            thousands(t.connector_km),
            if unmeasured.is_empty() {
                String::new()
            } else {
                format!(
                    "; network check failed for {} (see network_check in --format json)",
                    unmeasured.join(", ")
                )
            }
        ));
    }
    let cb = &t.cost_breakdown;
    s.push_str(&format!(
        "  Cost: USD {} (line haul {}, handling {}, border fees {}, gauge change {}{})\n",
        thousands(t.cost_usd),
        thousands(cb.line_haul_usd),
        thousands(cb.handling_usd),
        thousands(cb.border_fees_usd),
        thousands(cb.gauge_change_usd),
        if cb.reefer_usd > 0.0 {
            format!(", reefer {}", thousands(cb.reefer_usd))
        } else {
            String::new()
        }
    ));
    s.push_str(&format!(
        "  CO2e: {} kg WTW (TTW {}, WTT {}{}; legs {}, hubs {}){} · {} tkm · {} MJ · {} g/tkm ({})\n",
        thousands(t.co2e_kg),
        thousands(t.co2e_ttw_kg),
        thousands(t.co2e_wtt_kg),
        if t.co2e_unsplit_kg > 0.0 {
            format!(", not split {}", thousands(t.co2e_unsplit_kg))
        } else {
            String::new()
        },
        thousands(t.co2e_legs_kg),
        thousands(t.co2e_hubs_kg),
        if t.co2e_complete {
            ""
        } else {
            " incomplete: some legs or hubs have no factor"
        },
        thousands(t.tkm),
        thousands(t.energy_mj),
        t.intensity_g_per_tkm
            .map(|v| format!("{v:.1}"))
            .unwrap_or_else(|| "n/a".into()),
        t.emission_method
    ));
    s.push_str(&format!(
        "  Countries: {} · {} border crossing(s) · {} transshipment(s) · modes: {}\n",
        t.countries.join(" → "),
        t.borders_crossed,
        t.transshipments,
        t.modes.join(", ")
    ));
}

/// Customs regimes applied and warnings, one line each (compliance flags are listed once
/// per answer, see [`notes::Flags`]).
fn push_notes(it: &Itinerary, s: &mut String) {
    for b in &it.borders {
        if let Some(c) = &b.customs {
            s.push_str(&format!(
                "  customs: {} at {} ({}): dwell {} instead of {}{} (source {})\n",
                c.regime,
                b.link_id,
                c.id,
                hours(b.dwell_h),
                hours(c.standard_dwell_h),
                if c.fee_usd > 0.0 {
                    format!(", fee USD {}", thousands(c.fee_usd))
                } else {
                    String::new()
                },
                c.source
            ));
        }
    }
    for l in &it.legs {
        if let Some(r) = &l.rate_period {
            s.push_str(&format!(
                "  rate: {} priced for {} .. {} at {} {} per {} (source {})\n",
                l.link_id,
                r.valid_from,
                r.valid_to,
                r.currency,
                thousands(r.cost_fixed),
                r.cost_unit,
                r.source
            ));
        }
    }
    let reefer: Vec<_> = it
        .legs
        .iter()
        .filter_map(|l| l.reefer.as_ref().map(|r| (l, r)))
        .collect();
    if !reefer.is_empty() {
        let confirmed: Vec<String> = reefer
            .iter()
            .filter(|(_, r)| r.power == "confirmed")
            .map(|(l, _)| l.link_id.clone())
            .collect();
        let assumed: Vec<String> = reefer
            .iter()
            .filter(|(_, r)| r.power != "confirmed")
            .map(|(l, _)| l.link_id.clone())
            .collect();
        let mut charged: Vec<String> = Vec::new();
        for (l, r) in &reefer {
            if let (Some(id), Some(src)) = (&r.surcharge_rule, &r.surcharge_source) {
                charged.push(format!(
                    "{} USD {} ({id}, {src})",
                    l.link_id,
                    thousands(r.surcharge_usd)
                ));
            }
        }
        s.push_str(&format!(
            "  reefer: power confirmed on {} of {} legs{}{}; surcharges {}\n",
            confirmed.len(),
            reefer.len(),
            if confirmed.is_empty() {
                String::new()
            } else {
                format!(" ({})", confirmed.join(", "))
            },
            if assumed.is_empty() {
                String::new()
            } else {
                format!(", assumed on {}", assumed.join(", "))
            },
            if charged.is_empty() {
                "none in the data".to_string()
            } else {
                charged.join("; ")
            }
        ));
    }
    let holds = it
        .borders
        .iter()
        .map(|b| (&b.link_id, &b.calendar_hold))
        .chain(it.legs.iter().map(|l| (&l.link_id, &l.calendar_hold)));
    for (id, h) in holds {
        if let Some(h) = h {
            let why: Vec<String> = h
                .closures
                .iter()
                .map(|c| {
                    let days = if c.weekdays.is_empty() {
                        String::new()
                    } else {
                        format!(" on {}", c.weekdays.join("|"))
                    };
                    format!(
                        "{} {} {} .. {}{}: {} (source {})",
                        c.element, c.effect, c.from_date, c.to_date, days, c.reason, c.source
                    )
                })
                .collect();
            s.push_str(&format!(
                "  held: {} before {} by the closure calendar: {}\n",
                hours(h.hours),
                id,
                why.join("; ")
            ));
        }
    }
    for l in &it.legs {
        if let Some(t) = &l.train {
            let days = if t.weekdays.is_empty() {
                String::new()
            } else {
                format!(" on {}", t.weekdays.join("|"))
            };
            s.push_str(&format!(
                "  train: {} waiting at {} for a block train on {} ({} a week{}; source {})\n",
                hours(t.wait_h),
                l.from.name,
                l.link_id,
                t.departures_per_week,
                days,
                t.sources.join(", ")
            ));
        }
    }
    for w in &it.warnings {
        s.push_str(&format!("  warning: {w}\n"));
    }
}

/// The answer as an RFC 7946 FeatureCollection: one LineString feature per leg, with the leg's
/// JSON as properties plus `itinerary` (index) and `labels`.
pub fn geojson(a: &RouteAnswer) -> Result<String, serde_json::Error> {
    let mut features = Vec::new();
    for (i, it) in a.itineraries.iter().enumerate() {
        for leg in &it.legs {
            let mut props: JsonObject = match serde_json::to_value(leg)? {
                serde_json::Value::Object(m) => m,
                _ => JsonObject::new(),
            };
            props.remove("geometry");
            props.insert("itinerary".into(), i.into());
            props.insert("labels".into(), serde_json::to_value(&it.labels)?);
            let coords: Vec<Vec<f64>> = leg.geometry.iter().map(|p| vec![p[0], p[1]]).collect();
            features.push(Feature {
                bbox: None,
                geometry: Some(Geometry::new(Value::LineString(coords))),
                id: None,
                properties: Some(props),
                foreign_members: None,
            });
        }
    }
    let mut fm = JsonObject::new();
    fm.insert("schema_version".into(), a.schema_version.clone().into());
    fm.insert("data".into(), serde_json::to_value(&a.data)?);
    fm.insert("query".into(), serde_json::to_value(&a.query)?);
    let fc = FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(fm),
    };
    serde_json::to_string_pretty(&fc)
}

/// Places as JSON.
pub fn places_json(ds: &Dataset, idx: &[usize]) -> serde_json::Value {
    serde_json::Value::Array(
        idx.iter()
            .map(|&i| {
                let p = &ds.places[i];
                serde_json::json!({
                    "id": p.id, "name": p.name, "aliases": p.aliases, "country": p.country,
                    "lat": p.lat, "lon": p.lon, "kind": p.kind.as_str(), "gauge_mm": p.gauges_mm,
                    "group": p.group, "timezone": p.timezone,
                })
            })
            .collect(),
    )
}

/// Places as a table.
pub fn places_table(ds: &Dataset, idx: &[usize]) -> String {
    let mut s = format!(
        "{} {} {} {} {}\n",
        pad("id", 22),
        pad("name", 34),
        pad("cc", 3),
        pad("kind", 17),
        "aliases"
    );
    for &i in idx {
        let p = &ds.places[i];
        s.push_str(&format!(
            "{} {} {} {} {}\n",
            pad(&p.id, 22),
            pad(&p.name, 34),
            pad(&p.country, 3),
            pad(p.kind.as_str(), 17),
            p.aliases.join(", ")
        ));
    }
    s.push_str(&format!("{} place(s)\n", idx.len()));
    s
}
