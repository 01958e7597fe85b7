//! The marnet sea lanes shipped by the PyPI package `searoute`
//! (`searoute/data/marnet_searoute.geojson`): GeoJSON line strings, some tagged with the
//! passage they run through (`suez`, `panama`, `malacca`, `gibraltar`, `babalmandab`,
//! `bosporus`, `dardanelles`, `south_africa`, …). Each arc keeps its passage as the tag
//! `passage=NAME`, so routes can later avoid or report passages.
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
            let mut prev: Option<u32> = None;
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
                if let Some(p) = prev {
                    if p != id {
                        b.add_edge(p, id, None, tag)?;
                    }
                }
                prev = Some(id);
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
    fn rejects_foreign_json() {
        assert!(parse(b"[1,2]", "x").is_err());
        assert!(parse(b"{\"features\":[{\"geometry\":{\"type\":\"Point\"}}]}", "x").is_err());
        let e = parse(b"{oops", "x").unwrap_err();
        assert!(matches!(e, Error::Parse { .. }));
    }
}
