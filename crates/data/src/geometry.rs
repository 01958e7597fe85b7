//! Corridor links measured on the physical networks: `link_geometry.csv` (optional, derived).
//!
//! The corridor layer states a length for every link (`links.csv`, `distance_km` with its
//! source, often an estimate). `corridor derive-geometry` routes every rail, road, sea and
//! ferry link on the imported OpenStreetMap rail and road networks and the marnet sea lanes
//! and writes one row per link: the network km, the km on estimated connectors, how far each
//! end had to be moved to reach the network, the simplified line, and whether the measurement
//! is *sound* (see [`GeometryStatus`]). The file is committed beside the curated files, so the
//! embedded default needs neither Python nor the networks at run time.
//!
//! When a data folder has the file, [`apply`] replaces the length of every link with a sound
//! measurement by the network km (routing, cost, time and CO2e then use it) and keeps the
//! stated length and its source in the row ([`LinkGeometry::stated_km`]). Rows that are not
//! sound keep the stated length, with the reason. [`review`] lists links whose stated and
//! network lengths differ by more than [`GAP_WARN`] for `corridor validate`.

use std::collections::HashMap;

use crate::model::{Link, Mode};
use crate::problem::Problem;

/// The file name in a data folder.
pub const FILE: &str = "link_geometry.csv";

/// A stated and a network length that differ by more than this share are listed by
/// [`review`] (`corridor validate`).
pub const GAP_WARN: f64 = 0.15;

/// How far the first and last points of a line may lie from the link's places, km
/// (coordinates carry five decimals in the polyline; places two).
pub const END_TOLERANCE_KM: f64 = 1.0;

/// What became of a link's measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryStatus {
    /// Routed on the network and sound: its km replace the stated length.
    Measured,
    /// Routed, but not sound (a detour where the network lacks a line, too many connector km,
    /// an end far from the network): the stated length stays, with the reason.
    Rejected,
    /// No path on the network (the reason says why): the stated length stays.
    Unrouted,
}

impl GeometryStatus {
    /// Parses the `status` column.
    pub fn parse(s: &str) -> Option<GeometryStatus> {
        match s {
            "measured" => Some(GeometryStatus::Measured),
            "rejected" => Some(GeometryStatus::Rejected),
            "unrouted" => Some(GeometryStatus::Unrouted),
            _ => None,
        }
    }
    /// The `status` column's word.
    pub fn as_str(self) -> &'static str {
        match self {
            GeometryStatus::Measured => "measured",
            GeometryStatus::Rejected => "rejected",
            GeometryStatus::Unrouted => "unrouted",
        }
    }
}

/// The physical network a link of a mode is measured on.
pub fn network_for(mode: Mode) -> Option<&'static str> {
    match mode {
        Mode::Rail => Some("rail"),
        Mode::Road => Some("road"),
        Mode::Sea | Mode::Ferry => Some("sea"),
        _ => None,
    }
}

/// One row of `link_geometry.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkGeometry {
    /// Link id (the direction of `links.csv`; a bidirectional link's reverse uses the line
    /// reversed).
    pub link: String,
    /// Physical network: `rail`, `road` or `sea`.
    pub network: String,
    /// Measured, rejected or unrouted.
    pub status: GeometryStatus,
    /// Length on the network from place to place, km: the path between the snapped nodes
    /// plus the two snap distances (great circle). `None` when unrouted.
    pub distance_km: Option<f64>,
    /// Km of the path on connector arcs added by `import --heal` (estimates).
    pub connector_km: f64,
    /// Distance from the origin place to the node it was snapped to, km.
    pub snap_from_km: Option<f64>,
    /// Distance from the destination place to its node, km.
    pub snap_to_km: Option<f64>,
    /// The stated length in `links.csv` when the row was derived, km (a changed stated
    /// length makes the row stale).
    pub stated_km: f64,
    /// Source id of the stated length (filled in from `links.csv` when applied).
    pub stated_source: String,
    /// The simplified line, (lat, lon), from the origin place to the destination place.
    /// Empty unless measured.
    pub points: Vec<(f64, f64)>,
    /// Why the row is rejected or unrouted (empty when measured).
    pub reason: String,
    /// Source id of the network measurement (`sources.csv`).
    pub source: String,
    /// Line in the file.
    pub line: u64,
}

/// Encodes (lat, lon) points as a Google encoded polyline (precision 5). Longitudes unwrapped
/// past ±180° are folded back first; [`line_lon_lat`] unwraps them again.
pub fn encode_polyline(points: &[(f64, f64)]) -> String {
    let line: geo_types::LineString<f64> = points
        .iter()
        .map(|&(lat, lon)| geo_types::coord! { x: (lon + 540.0).rem_euclid(360.0) - 180.0, y: lat })
        .collect();
    polyline::encode_coordinates(line, 5).unwrap_or_default()
}

/// Decodes a Google encoded polyline (precision 5) to (lat, lon) points.
pub fn decode_polyline(s: &str) -> Result<Vec<(f64, f64)>, String> {
    let line = polyline::decode_polyline(s, 5).map_err(|e| e.to_string())?;
    Ok(line.coords().map(|c| (c.y, c.x)).collect())
}

/// A row's line as GeoJSON-ordered `[lon, lat]` points, reversed for the reverse direction
/// of a bidirectional link, with longitudes unwrapped along the line (a step across the
/// antimeridian continues past ±180°) so that it draws as one piece.
pub fn line_lon_lat(points: &[(f64, f64)], reversed: bool) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(points.len());
    let mut shift = 0.0;
    let mut prev: Option<f64> = None;
    let mut push = |(lat, lon): (f64, f64)| {
        if let Some(p) = prev {
            if lon - p > 180.0 {
                shift -= 360.0;
            } else if lon - p < -180.0 {
                shift += 360.0;
            }
        }
        prev = Some(lon);
        out.push([lon + shift, lat]);
    };
    if reversed {
        points.iter().rev().copied().for_each(&mut push);
    } else {
        points.iter().copied().for_each(&mut push);
    }
    out
}

/// Replaces the length of every link with a sound measurement by the network km and keeps the
/// stated length and source in the geometry row. Returns the row index by link id.
pub(crate) fn apply(links: &mut [Link], rows: &mut [LinkGeometry]) -> HashMap<String, usize> {
    // Validation has checked that every row names a link of its own.
    let index: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, g)| (g.link.clone(), i))
        .collect();
    for link in links.iter_mut() {
        let Some(&i) = index.get(&link.id) else {
            continue;
        };
        let g = &mut rows[i];
        g.stated_km = link.distance_km;
        g.stated_source = link.distance_source.clone();
        if let (GeometryStatus::Measured, Some(km)) = (g.status, g.distance_km) {
            link.distance_km = km;
            link.distance_source = g.source.clone();
        }
    }
    index
}

/// Undoes [`apply`] on records taken from a dataset, so that they are checked and applied again
/// as read: each link gets back its stated length and source. A row whose link a
/// transformation has changed since (another length or source) is dropped: the measurement
/// belongs to the old link, and the new length is used as stated.
pub(crate) fn unapply(links: &mut [Link], rows: &mut Vec<LinkGeometry>) {
    let by_id: HashMap<String, usize> = links
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.clone(), i))
        .collect();
    rows.retain_mut(|g| {
        if g.stated_source.is_empty() {
            return true; // not applied (read from a file)
        }
        let Some(&i) = by_id.get(&g.link) else {
            return true; // validation names the unknown link
        };
        let link = &mut links[i];
        let (km, source) = match (g.status, g.distance_km) {
            (GeometryStatus::Measured, Some(km)) => (km, &g.source),
            _ => (g.stated_km, &g.stated_source),
        };
        if link.distance_km != km || link.distance_source != *source {
            return false;
        }
        link.distance_km = g.stated_km;
        link.distance_source = std::mem::take(&mut g.stated_source);
        true
    });
}

/// Links whose stated and network lengths differ by more than [`GAP_WARN`], and rows that
/// are not used with their reasons: what `corridor validate` lists for a reviewer. These are
/// not errors: the data loads and routes.
pub fn review(rows: &[LinkGeometry]) -> Vec<Problem> {
    let mut out = Vec::new();
    for g in rows {
        match (g.status, g.distance_km) {
            (GeometryStatus::Measured, Some(km)) if g.stated_km > 0.0 => {
                let gap = km / g.stated_km - 1.0;
                if gap.abs() > GAP_WARN {
                    out.push(Problem {
                        file: FILE.into(),
                        line: g.line,
                        message: format!(
                            "{}: stated {:.0} km ({}) but {:.0} km on the {} network ({:+.0}%); the network length is used, check the stated figure",
                            g.link, g.stated_km, g.stated_source, km, g.network, gap * 100.0
                        ),
                    });
                }
            }
            (GeometryStatus::Rejected | GeometryStatus::Unrouted, _) => out.push(Problem {
                file: FILE.into(),
                line: g.line,
                message: format!(
                    "{}: {} on the {} network, the stated {:.0} km ({}) is used: {}",
                    g.link,
                    g.status.as_str(),
                    g.network,
                    g.stated_km,
                    g.stated_source,
                    g.reason
                ),
            }),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyline_round_trip() {
        let pts = vec![(45.25, 82.48), (46.95, 79.66), (43.34, 76.95)];
        let s = encode_polyline(&pts);
        let back = decode_polyline(&s).unwrap();
        assert_eq!(back.len(), 3);
        for (a, b) in pts.iter().zip(&back) {
            assert!((a.0 - b.0).abs() < 1e-5 && (a.1 - b.1).abs() < 1e-5);
        }
        assert!(decode_polyline("not a polyline ~~~").is_err());
    }

    #[test]
    fn lines_unwrap_across_the_antimeridian_and_reverse() {
        let pts = vec![(50.0, 170.0), (52.0, 179.5), (54.0, -178.0)];
        let fwd = line_lon_lat(&pts, false);
        assert_eq!(fwd, vec![[170.0, 50.0], [179.5, 52.0], [182.0, 54.0]]);
        let back = line_lon_lat(&pts, true);
        assert_eq!(back, vec![[-178.0, 54.0], [-180.5, 52.0], [-190.0, 50.0]]);
    }

    #[test]
    fn polylines_fold_unwrapped_longitudes() {
        let s = encode_polyline(&[(50.0, 179.5), (52.0, 182.0)]);
        let back = decode_polyline(&s).unwrap();
        assert!((back[1].1 - -178.0).abs() < 1e-5, "{back:?}");
        assert_eq!(line_lon_lat(&back, false)[1], [182.0, 52.0]);
    }

    #[test]
    fn status_words() {
        for s in [
            GeometryStatus::Measured,
            GeometryStatus::Rejected,
            GeometryStatus::Unrouted,
        ] {
            assert_eq!(GeometryStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(GeometryStatus::parse("ok"), None);
    }
}
