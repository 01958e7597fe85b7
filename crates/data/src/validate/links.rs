//! Cross-file checks of links.csv and transfers.csv.

use std::collections::HashSet;

use super::{is_country, suggest_id, Ctx, Lookups, GC_SLACK_KM, PASSAGES};
use crate::geodesy::great_circle_km;
use crate::load::Records;
use crate::model::*;

/// Every link: its references, its shape and its ends. Returns the places some link joins.
pub(super) fn links<'a>(r: &'a Records, cx: &mut Ctx<'a>, lk: &Lookups<'a>) -> HashSet<&'a str> {
    let mut link_ids: HashSet<String> = HashSet::new();
    let mut connected: HashSet<&str> = HashSet::new();
    for l in &r.links {
        references(l, r, cx, lk, &mut link_ids);
        shape(l, cx);
        super::ranges::link(l, cx);
        let from = lk.places.get(l.from.as_str());
        let to = lk.places.get(l.to.as_str());
        if let (Some(a), Some(b)) = (from, to) {
            connected.insert(&a.id);
            connected.insert(&b.id);
            ends(l, a, b, cx);
        }
        if l.mode != Mode::Border && l.distance_km <= 0.0 {
            cx.push("links.csv", l.line, "distance_km must be > 0".into());
        }
    }
    connected
}

/// Unique ids, sources, currencies, places, emission factors (and grid factors for electric
/// ones).
fn references<'a>(
    l: &'a Link,
    r: &'a Records,
    cx: &mut Ctx<'a>,
    lk: &Lookups<'a>,
    link_ids: &mut HashSet<String>,
) {
    let file = "links.csv";
    let mut ids = vec![l.id.clone()];
    if l.bidirectional {
        ids.push(format!("{}~r", l.id));
    }
    for id in ids {
        if !link_ids.insert(id.clone()) {
            cx.push(file, l.line, format!("duplicate link id '{id}'"));
        }
    }
    for (col, id) in [
        ("distance_source", Some(&l.distance_source)),
        ("time_source", l.time_source.as_ref()),
        ("wait_source", l.wait_source.as_ref()),
        ("dwell_source", l.dwell_source.as_ref()),
        ("cost_source", l.cost_source.as_ref()),
        ("capacity_source", l.capacity_source.as_ref()),
        ("source", Some(&l.source)),
    ] {
        if let Some(id) = id {
            cx.src(file, l.line, col, id);
        }
    }
    lk.check_price(cx, file, l.line, &l.price);
    let from = lk.places.get(l.from.as_str());
    let to = lk.places.get(l.to.as_str());
    for (col, id, pl) in [("from", &l.from, from), ("to", &l.to, to)] {
        if pl.is_none() {
            let hint = suggest_id(id, r.places.iter().map(|p| p.id.as_str()));
            cx.push(
                file,
                l.line,
                format!("{col} '{id}' is not a place in places.csv{hint}"),
            );
        }
    }
    if l.from == l.to {
        cx.push(
            file,
            l.line,
            format!("link goes from '{}' to itself", l.from),
        );
    }
    if let Some(ef) = &l.emission_factor {
        match lk.factors.get(ef.as_str()) {
            None => cx.push(
                file,
                l.line,
                format!("emission_factor '{ef}' is not an id in emission_factors.csv"),
            ),
            Some(f) if f.mode != l.mode => cx.push(
                file,
                l.line,
                format!(
                    "emission_factor '{ef}' is for {} but the link is {}",
                    f.mode, l.mode
                ),
            ),
            _ => {}
        }
    }
    // Electric factors take the grid factor of every land country the link runs in.
    let factor = match &l.emission_factor {
        Some(ef) => lk.factors.get(ef.as_str()).copied(),
        None => lk.defaults.get(&l.mode).copied(),
    };
    if let (Some(f), Some(a), Some(b)) = (factor, from, to) {
        if f.kwh.is_some() {
            let mut cs: Vec<&str> = vec![a.country.as_str(), b.country.as_str()];
            cs.extend(l.countries.iter().map(String::as_str));
            for c in cs {
                if !lk.grid.contains(c) {
                    cx.push(
                        file,
                        l.line,
                        format!(
                            "emission factor '{}' is electric (kwh) but grid_factors.csv has no row for {c}",
                            f.id
                        ),
                    );
                }
            }
        }
    }
    if l.emission_factor.is_none() && !lk.defaults.contains_key(&l.mode) {
        cx.push(
            file,
            l.line,
            format!(
                "no emission_factor and emission_factors.csv has no default_for {}",
                l.mode
            ),
        );
    }
}

/// Countries, passages, waypoints, what each mode carries, gauges.
fn shape(l: &Link, cx: &mut Ctx<'_>) {
    let file = "links.csv";
    for c in &l.countries {
        if !is_country(c) {
            cx.push(
                file,
                l.line,
                format!("countries '{c}' is not an ISO 3166-1 alpha-2 code"),
            );
        }
    }
    for ps in &l.passages {
        if !PASSAGES.contains(&ps.as_str()) {
            cx.push(
                file,
                l.line,
                format!("passage '{ps}' is unknown (known: {})", PASSAGES.join(", ")),
            );
        }
    }
    for (i, (lat, lon)) in l.waypoints.iter().enumerate() {
        if !(-90.0..=90.0).contains(lat) || !(-180.0..=180.0).contains(lon) {
            cx.push(
                file,
                l.line,
                format!("waypoint {} ({lat} {lon}) is out of range", i + 1),
            );
        }
    }
    match l.mode {
        Mode::Border => {
            if l.carries
                .iter()
                .any(|c| !matches!(c, Carries::Truck | Carries::Wagon))
            {
                cx.push(
                    file,
                    l.line,
                    "a border link carries truck and/or wagon".into(),
                );
            }
            if l.dwell_h.is_none() {
                cx.push(
                    file,
                    l.line,
                    "a border link needs dwell_h (processing and queue time) with dwell_source"
                        .into(),
                );
            }
        }
        Mode::Ferry => {
            if l.carries
                .iter()
                .any(|c| !matches!(c, Carries::Truck | Carries::Wagon | Carries::Box))
            {
                cx.push(
                    file,
                    l.line,
                    "a ferry carries truck, wagon and/or box".into(),
                );
            }
        }
        m => {
            if let Some(c) = Carries::implied(m) {
                if l.carries != [c] {
                    cx.push(
                        file,
                        l.line,
                        format!("a {m} link carries {} only", c.as_str()),
                    );
                }
            }
        }
    }
    if l.mode != Mode::Rail && l.gauge_mm.is_some() {
        cx.push(file, l.line, "gauge_mm is only for rail links".into());
    }
}

/// The ends: gauges, borders that join two countries, no land link across a border, a length
/// not below the great-circle distance.
fn ends(l: &Link, a: &Place, b: &Place, cx: &mut Ctx<'_>) {
    let file = "links.csv";
    {
        if let (Mode::Rail, Some(g)) = (l.mode, l.gauge_mm) {
            for end in [a, b] {
                if !end.gauges_mm.contains(&g) {
                    cx.push(
                        file,
                        l.line,
                        format!(
                            "rail gauge {g} mm but place '{}' (places.csv:{}) lists gauge_mm {:?}",
                            end.id, end.line, end.gauges_mm
                        ),
                    );
                }
            }
        }
        if l.mode == Mode::Border {
            if a.country == b.country {
                cx.push(
                    file,
                    l.line,
                    format!(
                        "border link joins two places in {} ('{}', '{}'); a border link joins the two sides of a border",
                        a.country, a.id, b.id
                    ),
                );
            }
        } else {
            let coords_ok =
                |p: &Place| (-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon);
            if matches!(l.mode, Mode::Road | Mode::Rail) && a.country != b.country {
                cx.push(
                    file,
                    l.line,
                    format!(
                        "{} link crosses from {} to {} without a border link: split it at the two border posts",
                        l.mode, a.country, b.country
                    ),
                );
            }
            let mut gc = 0.0;
            let mut prev = (a.lat, a.lon);
            for &(lat, lon) in l.waypoints.iter().chain([(b.lat, b.lon)].iter()) {
                gc += great_circle_km(prev.0, prev.1, lat, lon);
                prev = (lat, lon);
            }
            let direct = great_circle_km(a.lat, a.lon, b.lat, b.lon);
            let (bound, what) = if l.waypoints.is_empty() {
                (direct, "the great-circle distance")
            } else {
                (gc, "the great-circle path through its waypoints")
            };
            if coords_ok(a) && coords_ok(b) && l.distance_km + GC_SLACK_KM < bound {
                cx.push(
                    file,
                    l.line,
                    format!(
                        "distance_km {:.0} is below {what} between '{}' and '{}' ({:.0} km)",
                        l.distance_km, a.id, b.id, bound
                    ),
                );
            }
        }
    }
}

/// Transfer rules: places that exist, a carrier change, gauge changes between wagons,
/// sources and currencies.
pub(super) fn transfers<'a>(r: &'a Records, cx: &mut Ctx<'a>, lk: &Lookups<'a>) {
    // Transfers.
    for t in &r.transfers {
        let file = "transfers.csv";
        super::ranges::transfer(t, cx);
        if let Some(pl) = &t.place {
            if !lk.places.contains_key(pl.as_str()) {
                let hint = suggest_id(pl, r.places.iter().map(|p| p.id.as_str()));
                cx.push(
                    file,
                    t.line,
                    format!("place '{pl}' is not a place in places.csv{hint}"),
                );
            }
        }
        if t.from == t.to {
            cx.push(
                file,
                t.line,
                "from_carrier equals to_carrier: nothing is transferred".into(),
            );
        }
        if t.kind.is_gauge_change()
            && !(t.from.carries == Carries::Wagon && t.to.carries == Carries::Wagon)
        {
            cx.push(
                file,
                t.line,
                "a gauge change goes from wagon:GAUGE to wagon:GAUGE".into(),
            );
        }
        cx.src(file, t.line, "source", &t.source);
        cx.src(file, t.line, "time_source", &t.time_source);
        if let Some(c) = &t.cost_source {
            cx.src(file, t.line, "cost_source", c);
        }
        lk.check_price(cx, file, t.line, &t.price);
    }
}
