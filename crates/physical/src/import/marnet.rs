//! The marnet sea lanes shipped by the PyPI package `searoute`
//! (`searoute/data/marnet_searoute.geojson`): GeoJSON line strings, some tagged with the
//! passage they run through (`suez`, `panama`, `malacca`, `gibraltar`, `babalmandab`,
//! `bosporus`, `dardanelles`, `south_africa`, …). Each arc keeps its passage as the tag
//! `passage=NAME`, so routes can later avoid or report passages.
//!
//! marnet leaves two passages untagged: the Northern Sea Route and the Volga–Don (which joins
//! the Caspian to the Sea of Azov through Russia's inland waterways). An untagged arc whose
//! two ends both lie inside [`NORTHERN_SEA_ROUTE`] or [`VOLGA_DON`] is tagged
//! `passage=northern_sea_route` or `passage=volga_don`, so that queries can close them (both
//! are closed by default, see [`crate::passage`]).
//!
//! Longitudes beyond ±180° (marnet draws the Bering strait up to 190°) are folded back, so
//! the lanes join across the antimeridian. Arc lengths are great-circle lengths.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::builder::NetworkBuilder;
use crate::error::{Error, Result};
use crate::format::{Meta, Network};
use crate::geodesy::normalize_lon;

/// The file inside the package folder.
pub const FILE: &str = "data/marnet_searoute.geojson";

/// How to install the package.
pub const INSTALL_HINT: &str = "python3 -m venv .venv && .venv/bin/pip install searoute";

/// Attribution of the sea lanes.
pub const ATTRIBUTION: &str = "marnet maritime network from searoute (Apache-2.0, Gent Halili; derived from Eurostat SeaRoute)";

/// The Northern Sea Route, as a polygon of `[lat, lon]` vertices with longitudes in
/// 0..360° (it crosses the antimeridian). Drawn by hand on the marnet lanes (searoute 1.x):
/// the west edge runs from the mainland south of the Kara Gate (70.4° N, 58° E) along the
/// east side of Novaya Zemlya to Cape Zhelaniya (77° N, 68.6° E) and on to the pole, so the
/// Barents Sea, the Pechora Sea and Murmansk stay outside; the east edge is the 1867
/// US–Russia line (168° 58′ W = 191.02°) from the pole down to the Bering Strait; the south
/// edge crosses the strait at 65.8° N, runs west over Chukotka and then over land at 64° N,
/// so the Bering Sea and the Gulf of Anadyr stay outside.
///
/// marnet tags a few arcs of the Chukchi Sea west of the 1867 line `northwest`, although
/// they are the approach to the Northern Sea Route (without them the route cannot be
/// reached from the Bering Strait): arcs wholly inside this polygon are tagged
/// `northern_sea_route` whether marnet left them untagged or tagged them `northwest`.
pub const NORTHERN_SEA_ROUTE: &[[f64; 2]] = &[
    [64.0, 58.0],
    [70.4, 58.0],
    [77.0, 68.6],
    [89.9, 68.6],
    [89.9, 191.02],
    [65.8, 191.02],
    [65.8, 175.0],
    [64.0, 175.0],
];

/// The Volga–Don waterway, as a polygon of `[lat, lon]` vertices (longitudes 0..360°).
/// Drawn by hand around the marnet lane that runs from the Don delta (47.1° N, 39.04° E, east
/// of Taganrog Bay) up the Don, through the Volga–Don canal to Volgograd and down the Volga
/// past Astrakhan to the Volga–Caspian channel: the west edge (38.95° E) leaves the Sea of
/// Azov outside, the south edge (45.25° N at the Volga mouth) leaves the open Caspian outside.
pub const VOLGA_DON: &[[f64; 2]] = &[
    [46.9, 38.95],
    [47.6, 38.95],
    [49.0, 42.5],
    [49.2, 45.0],
    [47.5, 47.6],
    [46.6, 48.6],
    [45.25, 48.3],
    [45.25, 47.2],
];

/// The passages marnet leaves untagged, with their polygons.
pub const POLYGON_PASSAGES: [(&str, &[[f64; 2]]); 2] = [
    ("northern_sea_route", NORTHERN_SEA_ROUTE),
    ("volga_don", VOLGA_DON),
];

/// Whether `(lat, lon)` lies inside `polygon` (`[lat, lon]` vertices, longitudes 0..360°;
/// ray casting on the plate carrée, which is what the polygons were drawn on).
pub fn inside(polygon: &[[f64; 2]], lat: f64, lon: f64) -> bool {
    let x = lon.rem_euclid(360.0);
    let mut odd = false;
    let mut j = polygon.len().wrapping_sub(1);
    for (i, &[yi, xi]) in polygon.iter().enumerate() {
        let [yj, xj] = polygon[j];
        if (yi > lat) != (yj > lat) && x < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            odd = !odd;
        }
        j = i;
    }
    odd
}

/// The polygon passage both points lie in, if any.
fn polygon_passage(a: [f64; 2], b: [f64; 2]) -> Option<&'static str> {
    POLYGON_PASSAGES
        .iter()
        .find(|(_, poly)| inside(poly, a[0], a[1]) && inside(poly, b[0], b[1]))
        .map(|(name, _)| *name)
}

fn parse_err(label: &str, reason: String) -> Error {
    Error::Parse {
        file: label.to_string(),
        line: 1,
        column: 1,
        reason,
    }
}

/// Builds the sea network from marnet GeoJSON text; `label` names the file in errors.
///
/// # Errors
/// [`Error::Parse`] for text that is not a FeatureCollection of (Multi)LineStrings.
pub fn parse(text: &[u8], label: &str) -> Result<NetworkBuilder> {
    let doc: Value = serde_json::from_slice(text).map_err(|e| Error::Parse {
        file: label.to_string(),
        line: e.line(),
        column: e.column(),
        reason: e.to_string(),
    })?;
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| parse_err(label, "not a GeoJSON FeatureCollection".into()))?;
    let mut b = NetworkBuilder::new();
    // Coordinates rounded to 1e-7° identify nodes.
    let mut ids: HashMap<(i64, i64), u32> = HashMap::new();
    let key = |lat: f64, lon: f64| ((lat * 1e7).round() as i64, (lon * 1e7).round() as i64);
    for (i, f) in features.iter().enumerate() {
        let passage = f
            .get("properties")
            .and_then(|p| p.get("passage"))
            .and_then(Value::as_str);
        let tag = match passage {
            Some(p) if !p.is_empty() => b.tag(&format!("passage={p}"))?,
            _ => crate::NO_TAG,
        };
        let geom = f
            .get("geometry")
            .ok_or_else(|| parse_err(label, format!("feature {i} has no geometry")))?;
        let coords = geom.get("coordinates");
        let lines: Vec<&Value> = match geom.get("type").and_then(Value::as_str) {
            Some("LineString") => coords.into_iter().collect(),
            Some("MultiLineString") => coords
                .and_then(Value::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            other => {
                return Err(parse_err(
                    label,
                    format!("feature {i}: geometry {other:?} is not a LineString"),
                ))
            }
        };
        for line in lines {
            let pts = line
                .as_array()
                .ok_or_else(|| parse_err(label, format!("feature {i}: bad coordinates")))?;
            let mut prev: Option<(u32, [f64; 2])> = None;
            for pt in pts {
                let (lon, lat) = match pt.as_array().map(|a| a.as_slice()) {
                    Some([lon, lat, ..]) => (lon.as_f64(), lat.as_f64()),
                    _ => (None, None),
                };
                let (Some(lon), Some(lat)) = (lon, lat) else {
                    return Err(parse_err(
                        label,
                        format!("feature {i}: a position is [lon, lat]"),
                    ));
                };
                let lon = normalize_lon(lon);
                let id = match ids.get(&key(lat, lon)) {
                    Some(&id) => id,
                    None => {
                        let id = b.add_node(lat, lon)?;
                        ids.insert(key(lat, lon), id);
                        id
                    }
                };
                if let Some((p, at)) = prev {
                    if p != id {
                        let tag = match polygon_passage(at, [lat, lon]) {
                            Some(name) if tag == crate::NO_TAG || passage == Some("northwest") => {
                                b.tag(&format!("passage={name}"))?
                            }
                            _ => tag,
                        };
                        b.add_edge(p, id, None, tag)?;
                    }
                }
                prev = Some((id, [lat, lon]));
            }
        }
    }
    Ok(b)
}

/// Imports the sea network from the `searoute` package folder.
///
/// # Errors
/// [`Error::Input`] if the file cannot be read; parse and build errors.
pub fn import(package_dir: &Path, show_progress: bool) -> Result<Network> {
    let file = package_dir.join(FILE);
    let text = std::fs::read(&file).map_err(|source| Error::Input {
        path: file.clone(),
        source,
    })?;
    let b = parse(&text, &file.display().to_string())?;
    let meta = Meta {
        name: "sea".into(),
        source: format!("searoute {}", FILE),
        attribution: ATTRIBUTION.into(),
        written_by: format!("corridor {}", env!("CARGO_PKG_VERSION")),
        ..Meta::default()
    };
    b.build(meta, show_progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_kept_and_the_antimeridian_joins() {
        let text = br#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"passage":"suez"},"geometry":{"type":"LineString","coordinates":[[32.3,31.3],[32.5,30.0],[32.6,29.9]]}},
          {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[32.6,29.9],[34.0,27.0]]}},
          {"type":"Feature","properties":null,"geometry":{"type":"MultiLineString","coordinates":[[[179.0,60.0],[180.0,60.0]],[[-180.0,60.0],[-179.0,60.0]],[[190.0,65.0],[-170.0,65.0]]]}}
        ]}"#;
        let b = parse(text, "m.geojson").unwrap();
        let net = b.build(Meta::default(), false).unwrap();
        assert_eq!(net.meta().tags, vec!["".to_string(), "passage=suez".into()]);
        let g = net.parts();
        let suez = g.tag.iter().filter(|&&t| t == 1).count();
        assert_eq!(suez, 4); // two segments, both ways
                             // 179 → 180 ≡ -180 → -179 is one line: 3 nodes, not 4; 190 ≡ -170 is one node.
        assert_eq!(net.node_count(), 4 + 3 + 1);
        assert_eq!(net.meta().report.components.count, 3);
    }

    #[test]
    fn polygons_hold_the_lanes_and_not_the_seas_around_them() {
        // Points of the marnet lanes (searoute 1.x) that must be inside.
        for (lat, lon) in [
            (71.3, 60.5),
            (73.7, 69.6),
            (77.7, 100.5),
            (70.0, 180.0),
            (67.2, -171.7),
        ] {
            assert!(inside(NORTHERN_SEA_ROUTE, lat, lon), "NSR {lat},{lon}");
        }
        // Barents Sea, Murmansk, Bering Sea, Alaska's north coast: outside.
        for (lat, lon) in [
            (69.6, 45.8),
            (69.0, 33.0),
            (60.0, -175.0),
            (70.7, -164.7),
            (64.7, 177.5),
        ] {
            assert!(!inside(NORTHERN_SEA_ROUTE, lat, lon), "not NSR {lat},{lon}");
        }
        for (lat, lon) in [
            (47.1, 39.04),
            (47.56, 42.09),
            (48.62, 44.06),
            (47.22, 47.08),
            (45.39, 47.78),
        ] {
            assert!(inside(VOLGA_DON, lat, lon), "Volga–Don {lat},{lon}");
        }
        // Sea of Azov, Taganrog Bay, the Caspian: outside.
        for (lat, lon) in [(46.82, 37.66), (45.12, 47.8), (43.26, 49.34), (40.4, 49.9)] {
            assert!(!inside(VOLGA_DON, lat, lon), "not Volga–Don {lat},{lon}");
        }
        // An untagged lane inside gets the tag; marnet's `northwest` inside the NSR is re-tagged.
        let text = br#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[46.8,47.4],[47.08,47.22],[39.04,47.1],[37.66,46.82]]}},
          {"type":"Feature","properties":{"passage":"northwest"},"geometry":{"type":"LineString","coordinates":[[-171.7,67.2],[-180,70]]}}
        ]}"#;
        let net = parse(text, "m")
            .unwrap()
            .build(Meta::default(), false)
            .unwrap();
        let tags = &net.meta().tags;
        let g = net.parts();
        let count = |t: &str| {
            let id = tags.iter().position(|x| x == t).unwrap() as u16;
            g.tag.iter().filter(|&&x| x == id).count()
        };
        assert_eq!(count("passage=volga_don"), 4, "{tags:?}"); // two segments inside, both ways
        assert_eq!(count("passage=northern_sea_route"), 2);
        assert_eq!(count("passage=northwest"), 0);
    }

    #[test]
    fn rejects_foreign_json() {
        assert!(parse(b"[1,2]", "x").is_err());
        assert!(parse(b"{\"features\":[{\"geometry\":{\"type\":\"Point\"}}]}", "x").is_err());
        let e = parse(b"{oops", "x").unwrap_err();
        assert!(matches!(e, Error::Parse { .. }));
    }
}
