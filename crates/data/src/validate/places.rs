//! Cross-file checks of groups.csv and places.csv.

use std::collections::{HashMap, HashSet};

use super::{is_country, Ctx};
use crate::load::Records;
use crate::model::*;

/// Groups and places: unique ids, coordinates and countries in range, groups that exist and
/// have places. Returns the places by id.
pub(super) fn groups_and_places<'a>(
    r: &'a Records,
    cx: &mut Ctx<'a>,
) -> HashMap<&'a str, &'a Place> {
    let mut groups: HashMap<&str, &Group> = HashMap::new();
    for g in &r.groups {
        if groups.insert(&g.id, g).is_some() {
            cx.push(
                "groups.csv",
                g.line,
                format!("duplicate group id '{}'", g.id),
            );
        }
        if !is_country(&g.country) {
            cx.push(
                "groups.csv",
                g.line,
                format!("country '{}' is not an ISO 3166-1 alpha-2 code", g.country),
            );
        }
    }
    let mut places: HashMap<&str, &Place> = HashMap::new();
    let mut group_used: HashSet<&str> = HashSet::new();
    for pl in &r.places {
        if places.insert(&pl.id, pl).is_some() {
            cx.push(
                "places.csv",
                pl.line,
                format!("duplicate place id '{}'", pl.id),
            );
        }
        if !(-90.0..=90.0).contains(&pl.lat) {
            cx.push(
                "places.csv",
                pl.line,
                format!("lat {} is out of range -90..90", pl.lat),
            );
        }
        if pl.timezone.parse::<chrono_tz::Tz>().is_err() {
            cx.push(
                "places.csv",
                pl.line,
                format!(
                    "timezone '{}' is not an IANA time zone name (e.g. Asia/Almaty, Europe/Berlin); clock times would be read in the wrong zone",
                    pl.timezone
                ),
            );
        }
        if !(-180.0..=180.0).contains(&pl.lon) {
            cx.push(
                "places.csv",
                pl.line,
                format!("lon {} is out of range -180..180", pl.lon),
            );
        }
        if !is_country(&pl.country) {
            cx.push(
                "places.csv",
                pl.line,
                format!("country '{}' is not an ISO 3166-1 alpha-2 code", pl.country),
            );
        }
        if let Some(g) = &pl.group {
            if groups.contains_key(g.as_str()) {
                group_used.insert(g);
            } else {
                cx.push(
                    "places.csv",
                    pl.line,
                    format!("group '{g}' is not an id in groups.csv"),
                );
            }
        }
        cx.src("places.csv", pl.line, "source", &pl.source);
    }
    for g in &r.groups {
        if !group_used.contains(g.id.as_str()) {
            cx.push(
                "groups.csv",
                g.line,
                format!("group '{}' has no places", g.id),
            );
        }
    }
    places
}
