//! Cross-file checks of `link_geometry.csv`.

use std::collections::{HashMap, HashSet};

use crate::geodesy::great_circle_km;
use crate::geometry::*;
use crate::load::Records;
use crate::model::{Link, Place};
use crate::problem::Problem;

/// Cross-file checks of `link_geometry.csv`: known links, the right network for the mode,
/// known sources, one row per link, rows that still match `links.csv` and `places.csv`.
pub(super) fn validate(r: &Records) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut push = |line: u64, message: String| {
        out.push(Problem {
            file: FILE.into(),
            line,
            message,
        })
    };
    let links: HashMap<&str, &Link> = r.links.iter().map(|l| (l.id.as_str(), l)).collect();
    let places: HashMap<&str, &Place> = r.places.iter().map(|p| (p.id.as_str(), p)).collect();
    let sources: HashSet<&str> = r.sources.iter().map(|s| s.id.as_str()).collect();
    let mut seen = HashSet::new();
    for g in &r.link_geometry {
        if !sources.contains(g.source.as_str()) {
            push(
                g.line,
                format!("unknown source '{}' (add it to sources.csv)", g.source),
            );
        }
        let Some(link) = links.get(g.link.as_str()) else {
            push(
                g.line,
                format!(
                    "unknown link '{}' (links.csv has no such id; rerun corridor derive-geometry)",
                    g.link
                ),
            );
            continue;
        };
        if !seen.insert(g.link.as_str()) {
            push(g.line, format!("link '{}' has two rows", g.link));
        }
        match network_for(link.mode) {
            Some(n) if n == g.network => {}
            Some(n) => push(
                g.line,
                format!(
                    "link '{}' is {} and is measured on the {n} network, not '{}'",
                    g.link,
                    link.mode.as_str(),
                    g.network
                ),
            ),
            None => push(
                g.line,
                format!(
                    "link '{}' is {}: only rail, road, sea and ferry links are measured on a network",
                    g.link,
                    link.mode.as_str()
                ),
            ),
        }
        if (g.stated_km - link.distance_km).abs() > 0.05 {
            push(
                g.line,
                format!(
                    "stale row: links.csv line {} now states {} km for '{}', the row was derived for {} km (rerun corridor derive-geometry)",
                    link.line, link.distance_km, g.link, g.stated_km
                ),
            );
        }
        if g.status != GeometryStatus::Measured {
            continue;
        }
        let ends = [
            (&link.from, g.points.first(), "starts"),
            (&link.to, g.points.last(), "ends"),
        ];
        for (id, pt, verb) in ends {
            let (Some(place), Some(&(lat, lon))) = (places.get(id.as_str()), pt) else {
                continue;
            };
            let off = great_circle_km(place.lat, place.lon, lat, lon);
            if off > END_TOLERANCE_KM {
                push(
                    g.line,
                    format!(
                        "stale row: the line of '{}' {verb} {off:.1} km from {} ({:.2},{:.2}); the place moved since it was derived (rerun corridor derive-geometry)",
                        g.link, place.id, place.lat, place.lon
                    ),
                );
            }
        }
    }
    out
}
