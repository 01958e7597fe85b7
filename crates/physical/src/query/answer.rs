//! Point-to-point queries between places or points: [`PathRequest`] in, [`PathAnswer`] out,
//! and the answer's JSON (`corridor path --format json` and `GET /v1/path` alike).

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::{json, Value};

use super::{Method, Passages, Prepared};
use crate::budget::Budget;
use crate::error::{Error, Result};
use crate::search::Path;
use crate::snap::{Snap, DEFAULT_MAX_SNAP_KM};
use crate::{geometry, heal, measure};

/// An end of a query as understood: what the user wrote, how it reads, and the point.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The input as given.
    pub input: String,
    /// A label: `lat,lon`, or a place's `name (id, country)`.
    pub label: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

impl Endpoint {
    /// `lat,lon` in degrees, if `input` is written so: `None` when it is not two numbers
    /// (a place name, say), `Some(Err(message))` when they are out of range.
    pub fn point(input: &str) -> Option<std::result::Result<Endpoint, String>> {
        let (a, b) = input.split_once(',')?;
        let (lat, lon) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Some(Err(format!(
                "'{input}': latitude must be within ±90 and longitude within ±180 (write lat,lon)"
            )));
        }
        Some(Ok(Endpoint {
            input: input.into(),
            label: format!("{lat},{lon}"),
            lat,
            lon,
        }))
    }

    fn json(&self, s: &Snap) -> Value {
        json!({
            "input": self.input,
            "label": self.label,
            "lat": self.lat,
            "lon": self.lon,
            "snap": {
                "node": s.node,
                "lat": s.lat,
                "lon": s.lon,
                "distance_km": round3(s.distance_m / 1000.0),
            },
        })
    }
}

/// A shortest path between two points.
#[derive(Debug, Clone)]
pub struct PathRequest {
    /// Origin.
    pub from: Endpoint,
    /// Destination.
    pub to: Endpoint,
    /// Refuse a point farther than this from the network, km.
    pub max_snap_km: f64,
    /// Passages to open or close.
    pub passages: Passages,
    /// Algorithm choice.
    pub method: Method,
    /// Deadline and cancellation.
    pub budget: Budget,
}

impl PathRequest {
    /// From `from` to `to` with the defaults: 50 km snap limit, default passage closures,
    /// [`Method::Auto`], no budget.
    pub fn new(from: Endpoint, to: Endpoint) -> PathRequest {
        PathRequest {
            from,
            to,
            max_snap_km: DEFAULT_MAX_SNAP_KM,
            passages: Passages::default(),
            method: Method::Auto,
            budget: Budget::unlimited(),
        }
    }
}

/// A shortest path with what is known about it.
#[derive(Debug, Clone)]
pub struct PathAnswer {
    /// Origin.
    pub from: Endpoint,
    /// Destination.
    pub to: Endpoint,
    /// The origin's node.
    pub from_snap: Snap,
    /// The destination's node.
    pub to_snap: Snap,
    /// The path between the two nodes.
    pub path: Path,
    /// `ch`, `astar`, `bidirectional` or `dijkstra`.
    pub algorithm: &'static str,
    /// Time the search took, ms.
    pub search_ms: f64,
    /// Metres by arc tag (gauge, road class, passage), longest first (untagged arcs left out).
    pub tags: Vec<(String, u64)>,
    /// Metres on connectors added by `import --heal` (estimated, not surveyed).
    pub connector_m: u64,
    /// Default closures that apply, a stale hierarchy skipped, a suspicious detour.
    pub warnings: Vec<String>,
}

impl Prepared {
    /// The shortest path of `req`: both ends snapped, closures resolved, the algorithm
    /// chosen ([`Prepared::search`]), the path measured by tag.
    ///
    /// # Errors
    /// [`Error::NoSnap`]; those of [`Prepared::search`]; [`Error::NoPath`] saying why
    /// (closed passages, or no connected part near both ends); [`Error::Stopped`].
    pub fn path(&self, req: &PathRequest) -> Result<PathAnswer> {
        let (from_snap, to_snap) = self.snap_pair(
            (req.from.lat, req.from.lon),
            (req.to.lat, req.to.lon),
            req.max_snap_km,
        )?;
        let search = self.search(&req.passages, req.method, req.budget.clone())?;
        let t = Instant::now();
        let found = search.path(from_snap.node, to_snap.node)?;
        let search_ms = t.elapsed().as_secs_f64() * 1000.0;
        let Some(path) = found else {
            return Err(Error::NoPath {
                network: self.name().to_string(),
                from: req.from.label.clone(),
                to: req.to.label.clone(),
                reason: search.no_path(from_snap.node, to_snap.node),
            });
        };
        let net = self.network();
        let (g, meta) = (net.parts(), net.meta());
        let mut by_tag: BTreeMap<u16, u64> = BTreeMap::new();
        for &a in &path.arcs {
            *by_tag.entry(g.tag[a as usize]).or_default() += g.length_m[a as usize] as u64;
        }
        let mut tags: Vec<(String, u64)> = by_tag
            .into_iter()
            .filter(|(t, _)| *t != 0)
            .map(|(t, m)| (meta.tags[t as usize].clone(), m))
            .collect();
        tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut warnings = search.warnings().to_vec();
        // A path far longer than the great circle on land means a missing line.
        warnings.extend(measure::detour_warning(
            &meta.name,
            (req.from.lat, req.from.lon),
            (req.to.lat, req.to.lon),
            path.length_m as f64 / 1000.0,
        ));
        Ok(PathAnswer {
            from: req.from.clone(),
            to: req.to.clone(),
            from_snap,
            to_snap,
            connector_m: heal::connector_m(net, &path.arcs),
            path,
            algorithm: search.algorithm(),
            search_ms,
            tags,
            warnings,
        })
    }
}

impl PathAnswer {
    /// Length, km.
    pub fn distance_km(&self) -> f64 {
        self.path.length_m as f64 / 1000.0
    }

    /// The line as `[lon, lat]` points, simplified to within `simplify_km`.
    pub fn line(&self, p: &Prepared, simplify_km: f64) -> Vec<[f64; 2]> {
        geometry::line(p.network(), &self.path.nodes, simplify_km / 111.32)
    }

    /// The summary as JSON (the properties of `corridor path --format geojson`);
    /// `geometry_points` is the length of the drawn line.
    pub fn properties(&self, p: &Prepared, geometry_points: usize) -> Value {
        let meta = p.network().meta();
        json!({
            "network": meta.name,
            "source": meta.source,
            "attribution": meta.attribution,
            "algorithm": self.algorithm,
            "distance_km": round3(self.distance_km()),
            "connector_km": round3(self.connector_m as f64 / 1000.0),
            "from": self.from.json(&self.from_snap),
            "to": self.to.json(&self.to_snap),
            "nodes": self.path.nodes.len(),
            "settled": self.path.settled,
            "search_ms": (self.search_ms * 10.0).round() / 10.0,
            "tags": self.tags.iter().map(|(t, m)| json!({"tag": t, "distance_km": round3(*m as f64 / 1000.0)})).collect::<Vec<_>>(),
            "geometry_points": geometry_points,
            "warnings": self.warnings,
        })
    }

    /// The answer of `corridor path --format json` and `GET /v1/path`: the summary with a
    /// GeoJSON `geometry` (LineString) simplified to within `simplify_km`.
    pub fn to_json(&self, p: &Prepared, simplify_km: f64) -> Value {
        let line = self.line(p, simplify_km);
        let mut v = self.properties(p, line.len());
        v["geometry"] = json!({"type": "LineString", "coordinates": line});
        v
    }
}

/// The JSON body of an error: `{code, message, field?}`, with `distance_km` and `limit_km`
/// for [`Error::NoSnap`] (as CONVENTIONS.md; the CLI and the server alike).
pub fn error_json(e: &Error) -> Value {
    let mut body = json!({"code": e.code(), "message": e.to_string()});
    if let Some(f) = e.field() {
        body["field"] = json!(f);
    }
    if let Error::NoSnap {
        distance_km,
        limit_km,
        ..
    } = e
    {
        if distance_km.is_finite() {
            body["distance_km"] = json!(round3(*distance_km));
        }
        body["limit_km"] = json!(limit_km);
    }
    body
}

/// Rounded to metres, in km.
pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
