//! Endpoints on the physical networks (`corridor import …`): `/v1/path`, and the
//! OSRM-compatible `/route/v1/{profile}/{coordinates}` and `/table/v1/{profile}/{coordinates}`
//! so that existing OSRM clients work unchanged.
//!
//! Profiles: `driving` → `road`, `train` → `rail`, `ship` → `sea`. Distances are metres and
//! durations seconds, as in OSRM. The physical networks carry lengths only, so a duration is
//! the length at the profile's typical speed ([`speed_kmh`]); `weight_name` is `duration`.
//! Networks are opened (memory-mapped) and their R-trees built on first use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use corridor_physical::search::{shortest_path_with, Algorithm, TagFilter};
use corridor_physical::{geometry, Network, NetworkDir, Snapper};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::AppState;

/// Most coordinates in one OSRM request (route waypoints or table sources + destinations).
pub const MAX_COORDINATES: usize = 100;

/// Typical speed of a profile, km/h, used to turn lengths into OSRM durations (estimates:
/// truck line haul 60 km/h incl. stops; container train 45 km/h ≈ 1,080 km/day, the upper
/// end of OF-RSV-002/003; container ship 14 kn ≈ 26 km/h slow steaming).
pub fn speed_kmh(network: &str) -> f64 {
    match network {
        "road" => 60.0,
        "rail" => 45.0,
        "sea" => 26.0,
        _ => 40.0,
    }
}

/// A network opened for queries.
pub struct Loaded {
    net: Network,
    snapper: Snapper,
    filter: TagFilter,
}

/// The physical networks of a data directory, opened lazily.
pub struct Physical {
    dir: NetworkDir,
    loaded: Mutex<HashMap<String, Arc<Loaded>>>,
}

impl Physical {
    /// Networks in `dir`.
    pub fn new(dir: NetworkDir) -> Physical {
        Physical {
            dir,
            loaded: Mutex::new(HashMap::new()),
        }
    }

    /// Opens (once) the network `name`.
    pub fn get(&self, name: &str) -> Result<Arc<Loaded>, corridor_physical::Error> {
        if let Some(l) = self.loaded.lock().ok().and_then(|m| m.get(name).cloned()) {
            return Ok(l);
        }
        let net = self.dir.open(name)?;
        let snapper = Snapper::new(&net);
        // As `corridor path`: passages closed to container shipping by default (Northwest
        // Passage, Northern Sea Route, Volga–Don) are not used.
        let closed = corridor_physical::passage::default_closed_tags();
        let tags: Vec<&str> = closed.iter().map(String::as_str).collect();
        let filter = TagFilter::blocking(&net, &tags);
        let l = Arc::new(Loaded {
            net,
            snapper,
            filter,
        });
        if let Ok(mut m) = self.loaded.lock() {
            m.insert(name.to_string(), l.clone());
        }
        Ok(l)
    }
}

/// An OSRM-style error: HTTP 400 (or 404/413) with OSRM's own `{code, message}`.
struct OsrmError(StatusCode, &'static str, String);

impl IntoResponse for OsrmError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({"code": self.1, "message": self.2}))).into_response()
    }
}

fn bad(code: &'static str, msg: impl Into<String>) -> OsrmError {
    OsrmError(StatusCode::BAD_REQUEST, code, msg.into())
}

fn profile_network(profile: &str) -> Result<&'static str, OsrmError> {
    match profile {
        "driving" | "car" | "truck" | "road" => Ok("road"),
        "train" | "rail" => Ok("rail"),
        "ship" | "sea" => Ok("sea"),
        other => Err(bad(
            "InvalidValue",
            format!("profile '{other}' is not one of driving (road), train (rail), ship (sea)"),
        )),
    }
}

fn parse_coordinates(s: &str) -> Result<Vec<(f64, f64)>, OsrmError> {
    let s = s.strip_suffix(".json").unwrap_or(s);
    if s.starts_with("polyline(") {
        return Err(bad(
            "NotImplemented",
            "polyline-encoded coordinates are not supported; send lon,lat;lon,lat",
        ));
    }
    let mut out = Vec::new();
    // Plain decimal numbers only (as OSRM and the OpenAPI pattern): no exponents, no '+'.
    let plain = |x: &str| {
        let x = x.trim().strip_prefix('-').unwrap_or(x.trim());
        !x.is_empty()
            && x.chars().all(|c| c.is_ascii_digit() || c == '.')
            && x.matches('.').count() <= 1
    };
    for (i, c) in s.split(';').enumerate() {
        if !c.split(',').all(plain) {
            return Err(bad(
                "InvalidUrl",
                format!("coordinate {i} '{c}' is not lon,lat in decimal degrees"),
            ));
        }
        let (lon, lat) = c
            .split_once(',')
            .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)))
            .ok_or_else(|| bad("InvalidUrl", format!("coordinate {i} '{c}' is not lon,lat")))?;
        if !(-180.0..=180.0).contains(&lon)
            || !(-90.0..=90.0).contains(&lat)
            || !lon.is_finite()
            || !lat.is_finite()
        {
            return Err(bad(
                "InvalidValue",
                format!("coordinate {i} '{c}' is out of range (lon ±180, lat ±90)"),
            ));
        }
        out.push((lat, lon));
    }
    if out.len() > MAX_COORDINATES {
        return Err(OsrmError(
            StatusCode::BAD_REQUEST,
            "TooBig",
            format!("{} coordinates; at most {MAX_COORDINATES}", out.len()),
        ));
    }
    Ok(out)
}

/// OSRM query options, with the unsupported ones refused as `NotImplemented`.
struct Options {
    geometries: String,
    overview: String,
    radiuses: Vec<Option<f64>>,
    annotations: Vec<String>,
    sources: Option<Vec<usize>>,
    destinations: Option<Vec<usize>>,
}

fn parse_options(q: &str, table: bool) -> Result<Options, OsrmError> {
    let mut o = Options {
        geometries: "polyline".into(),
        overview: "simplified".into(),
        radiuses: vec![],
        annotations: vec!["duration".into()],
        sources: None,
        destinations: None,
    };
    let indices = |v: &str| -> Result<Option<Vec<usize>>, OsrmError> {
        if v == "all" {
            return Ok(None);
        }
        v.split(';')
            .map(|x| {
                x.parse::<usize>()
                    .map_err(|_| bad("InvalidValue", format!("'{x}' is not an index")))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    };
    for (k, v) in form_urlencoded::parse(q.as_bytes()) {
        match (k.as_ref(), v.as_ref(), table) {
            ("geometries", g @ ("polyline" | "polyline6" | "geojson"), false) => {
                o.geometries = g.into()
            }
            ("overview", ov @ ("simplified" | "full" | "false"), false) => o.overview = ov.into(),
            ("steps", "false", false)
            | ("alternatives", "false" | "0", false)
            | ("continue_straight", "default", false) => {}
            ("annotations", "false", false) => {}
            ("generate_hints" | "skip_waypoints", "false", _) => {}
            ("radiuses", r, _) => {
                o.radiuses = r
                    .split(';')
                    .map(|x| match x {
                        "" | "unlimited" => Ok(None),
                        x => x
                            .parse::<f64>()
                            .ok()
                            .filter(|m| *m >= 0.0)
                            .map(Some)
                            .ok_or_else(|| {
                                bad(
                                    "InvalidValue",
                                    format!("radius '{x}' is not a number of metres"),
                                )
                            }),
                    })
                    .collect::<Result<_, _>>()?;
            }
            ("annotations", a, true) => {
                let list: Vec<String> = a.split(',').map(String::from).collect();
                if list.iter().any(|x| x != "duration" && x != "distance") {
                    return Err(bad(
                        "NotImplemented",
                        format!("annotations '{a}': only duration and distance are supported"),
                    ));
                }
                o.annotations = list;
            }
            ("sources", s, true) => o.sources = indices(s)?,
            ("destinations", d, true) => o.destinations = indices(d)?,
            (key, value, _) => {
                return Err(bad(
                    "NotImplemented",
                    format!(
                        "option {key}={value} is not supported by corridor's OSRM-compatible API"
                    ),
                ))
            }
        }
    }
    Ok(o)
}

/// A parsed OSRM request: network name, (lat, lon) points, options.
type Parsed = (String, Vec<(f64, f64)>, Options);

/// Default snap limit for OSRM requests without radiuses, km.
const DEFAULT_RADIUS_KM: f64 = corridor_physical::DEFAULT_MAX_SNAP_KM;

fn open(st: &AppState, network: &str) -> Result<Arc<Loaded>, OsrmError> {
    st.physical.get(network).map_err(|e| match e {
        corridor_physical::Error::MissingNetwork { .. } => {
            OsrmError(StatusCode::BAD_REQUEST, "InvalidValue", e.to_string())
        }
        other => {
            tracing::error!(error = %other, "cannot open network");
            OsrmError(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                "the network file cannot be read; see the server log".into(),
            )
        }
    })
}

async fn blocking<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce() -> Result<T, OsrmError> + Send + 'static,
) -> Result<T, Response> {
    let permit = st
        .permits
        .clone()
        .try_acquire_owned()
        .map_err(|_| ApiError::Overloaded.into_response())?;
    let task = tokio::task::spawn_blocking(move || {
        let r = f();
        drop(permit);
        r
    });
    match tokio::time::timeout(st.cfg.timeout, task).await {
        Err(_) => Err(ApiError::Timeout(st.cfg.timeout.as_millis() as u64).into_response()),
        Ok(Err(_)) => Err(ApiError::Internal.into_response()),
        Ok(Ok(r)) => r.map_err(IntoResponse::into_response),
    }
}

fn encode(points: &[[f64; 2]], precision: u32) -> String {
    let line: geo_types::LineString<f64> = points
        .iter()
        .map(|p| geo_types::coord! { x: p[0], y: p[1] })
        .collect();
    polyline::encode_coordinates(line, precision).unwrap_or_default()
}

/// `GET /route/v1/{profile}/{coordinates}`.
pub async fn osrm_route(
    State(st): State<AppState>,
    Path((profile, coords)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    let run = || -> Result<Parsed, OsrmError> {
        let network = profile_network(&profile)?;
        let pts = parse_coordinates(&coords)?;
        if pts.len() < 2 {
            return Err(bad(
                "InvalidValue",
                "a route needs at least two coordinates",
            ));
        }
        let o = parse_options(q.as_deref().unwrap_or(""), false)?;
        Ok((network.to_string(), pts, o))
    };
    let (network, pts, o) = match run() {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let st2 = st.clone();
    let r = blocking(&st, move || {
        let l = open(&st2, &network)?;
        let speed = speed_kmh(&network) / 3.6; // m/s
        let mut waypoints = Vec::new();
        let mut snaps = Vec::new();
        for (i, &(lat, lon)) in pts.iter().enumerate() {
            let max_km = o.radiuses.get(i).copied().flatten().map(|m| m / 1000.0).unwrap_or(DEFAULT_RADIUS_KM);
            let s = l
                .snapper
                .snap(&l.net, lat, lon, max_km)
                .map_err(|e| bad("NoSegment", format!("coordinate {i}: {e}")))?;
            waypoints.push(json!({"hint": "", "distance": s.distance_m, "name": "", "location": [s.lon, s.lat]}));
            snaps.push(s);
        }
        let mut legs = Vec::new();
        let mut nodes: Vec<u32> = Vec::new();
        let mut total = 0u64;
        for w in snaps.windows(2) {
            let p = shortest_path_with(&l.net, w[0].node, w[1].node, Algorithm::AStar, &l.filter)
                .ok_or_else(|| bad("NoRoute", "no route between the coordinates on this network"))?;
            total += p.length_m;
            let d = p.length_m as f64;
            legs.push(json!({"distance": d, "duration": d / speed, "weight": d / speed, "summary": "", "steps": []}));
            if nodes.last() == p.nodes.first() {
                nodes.extend_from_slice(&p.nodes[1..]);
            } else {
                nodes.extend_from_slice(&p.nodes);
            }
        }
        let d = total as f64;
        let mut route = json!({"distance": d, "duration": d / speed, "weight": d / speed, "weight_name": "duration", "legs": legs});
        if o.overview != "false" {
            let tol = if o.overview == "full" { 0.0 } else { 0.005 };
            let pts = geometry::line(&l.net, &nodes, tol);
            route["geometry"] = match o.geometries.as_str() {
                "geojson" => json!({"type": "LineString", "coordinates": pts}),
                "polyline6" => json!(encode(&pts, 6)),
                _ => json!(encode(&pts, 5)),
            };
        }
        Ok(json!({"code": "Ok", "routes": [route], "waypoints": waypoints}))
    })
    .await;
    match r {
        Ok(v) => Json(v).into_response(),
        Err(resp) => resp,
    }
}

/// `GET /table/v1/{profile}/{coordinates}`.
pub async fn osrm_table(
    State(st): State<AppState>,
    Path((profile, coords)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    let parsed = (|| -> Result<Parsed, OsrmError> {
        let network = profile_network(&profile)?;
        let pts = parse_coordinates(&coords)?;
        let o = parse_options(q.as_deref().unwrap_or(""), true)?;
        for i in o.sources.iter().chain(o.destinations.iter()).flatten() {
            if *i >= pts.len() {
                return Err(bad(
                    "InvalidValue",
                    format!(
                        "index {i} is out of range (there are {} coordinates)",
                        pts.len()
                    ),
                ));
            }
        }
        Ok((network.to_string(), pts, o))
    })();
    let (network, pts, o) = match parsed {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let st2 = st.clone();
    let r = blocking(&st, move || {
        let l = open(&st2, &network)?;
        let speed = speed_kmh(&network) / 3.6;
        let mut snaps = Vec::new();
        for (i, &(lat, lon)) in pts.iter().enumerate() {
            let max_km = o.radiuses.get(i).copied().flatten().map(|m| m / 1000.0).unwrap_or(DEFAULT_RADIUS_KM);
            snaps.push(l.snapper.snap(&l.net, lat, lon, max_km).map_err(|e| bad("NoSegment", format!("coordinate {i}: {e}")))?);
        }
        let all: Vec<usize> = (0..pts.len()).collect();
        let src = o.sources.clone().unwrap_or_else(|| all.clone());
        let dst = o.destinations.clone().unwrap_or(all);
        let wp = |i: usize| json!({"hint": "", "distance": snaps[i].distance_m, "name": "", "location": [snaps[i].lon, snaps[i].lat]});
        let mut durations = Vec::new();
        let mut distances = Vec::new();
        for &s in &src {
            let mut drow = Vec::new();
            let mut mrow = Vec::new();
            for &t in &dst {
                let len = shortest_path_with(&l.net, snaps[s].node, snaps[t].node, Algorithm::AStar, &l.filter).map(|p| p.length_m as f64);
                drow.push(len.map(|m| json!(m / speed)).unwrap_or(Value::Null));
                mrow.push(len.map(|m| json!(m)).unwrap_or(Value::Null));
            }
            durations.push(drow);
            distances.push(mrow);
        }
        let mut out = json!({
            "code": "Ok",
            "sources": src.iter().map(|&i| wp(i)).collect::<Vec<_>>(),
            "destinations": dst.iter().map(|&i| wp(i)).collect::<Vec<_>>(),
        });
        if o.annotations.iter().any(|a| a == "duration") {
            out["durations"] = json!(durations);
        }
        if o.annotations.iter().any(|a| a == "distance") {
            out["distances"] = json!(distances);
        }
        Ok(out)
    })
    .await;
    match r {
        Ok(v) => Json(v).into_response(),
        Err(resp) => resp,
    }
}

/// `GET /v1/path?network=rail&from=…&to=…[&max_snap_km=50]`: shortest path on a physical
/// network between places (names as for routes) or `lat,lon` points.
pub async fn path(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let mut network = None;
    let mut from = None;
    let mut to = None;
    let mut max_km = DEFAULT_RADIUS_KM;
    for (k, v) in form_urlencoded::parse(q.as_deref().unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "network" if network.is_none() => network = Some(v.into_owned()),
            "from" if from.is_none() => from = Some(v.into_owned()),
            "to" if to.is_none() => to = Some(v.into_owned()),
            "max_snap_km" => {
                max_km = v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| *x > 0.0 && *x <= 1000.0)
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "max_snap_km",
                            format!("'{v}' is not a number of km from 0 to 1000"),
                        )
                    })?
            }
            other @ ("network" | "from" | "to") => {
                return Err(ApiError::invalid(other, format!("'{other}' given twice")))
            }
            other => {
                return Err(ApiError::Query(corridor_engine::QueryError::InvalidQuery {
                    message: format!(
                        "unknown parameter '{other}' (known: network, from, to, max_snap_km)"
                    ),
                }))
            }
        }
    }
    let network = network
        .ok_or_else(|| ApiError::invalid("network", "missing: rail, road, sea or road+sea"))?;
    if !matches!(network.as_str(), "rail" | "road" | "sea" | "road+sea") {
        return Err(ApiError::invalid(
            "network",
            format!("'{network}' is not one of rail, road, sea, road+sea"),
        ));
    }
    let from = from.ok_or_else(|| ApiError::invalid("from", "missing: a place or lat,lon"))?;
    let to = to.ok_or_else(|| ApiError::invalid("to", "missing: a place or lat,lon"))?;
    let point = |field: &str, s: &str| -> Result<(String, f64, f64), ApiError> {
        if let Some((a, b)) = s.split_once(',') {
            if let (Ok(lat), Ok(lon)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    return Err(ApiError::invalid(
                        field,
                        format!("'{s}': latitude within ±90, longitude within ±180 (lat,lon)"),
                    ));
                }
                return Ok((format!("{lat},{lon}"), lat, lon));
            }
        }
        let ds = st.engine.dataset();
        let r = ds
            .resolve(s)
            .map_err(|e| ApiError::Query(corridor_engine::QueryError::from_name(field, e)))?;
        let p = &ds.places[r.places[0]];
        Ok((r.label, p.lat, p.lon))
    };
    let (from_label, flat, flon) = point("from", &from)?;
    let (to_label, tlat, tlon) = point("to", &to)?;
    let st2 = st.clone();
    let r = blocking(&st, move || {
        let l = st2.physical.get(&network).map_err(|e| OsrmError(StatusCode::BAD_REQUEST, "InvalidValue", e.to_string()))?;
        let (a, b) = l
            .snapper
            .snap_pair(&l.net, (flat, flon), (tlat, tlon), max_km)
            .map_err(|e| OsrmError(StatusCode::NOT_FOUND, "NoSnap", e.to_string()))?;
        let p = shortest_path_with(&l.net, a.node, b.node, Algorithm::AStar, &l.filter)
            .ok_or_else(|| OsrmError(StatusCode::UNPROCESSABLE_ENTITY, "NoRoute", format!("no {network} path from {from_label} to {to_label}: they lie in different connected parts of the network")))?;
        let line = geometry::line(&l.net, &p.nodes, 0.01);
        let distance_km = p.length_m as f64 / 1000.0;
        let connector_km = corridor_physical::heal::connector_m(&l.net, &p.arcs) as f64 / 1000.0;
        // As `corridor path`: a path far longer than the great circle means a missing line.
        let warnings: Vec<String> =
            corridor_physical::measure::detour_warning(&network, (flat, flon), (tlat, tlon), distance_km)
                .into_iter()
                .collect();
        Ok(json!({
            "network": network,
            "from": {"input": from, "label": from_label, "snap_km": a.distance_m / 1000.0, "node": [a.lon, a.lat]},
            "to": {"input": to, "label": to_label, "snap_km": b.distance_m / 1000.0, "node": [b.lon, b.lat]},
            "distance_km": distance_km,
            "connector_km": connector_km,
            "warnings": warnings,
            "nodes": p.nodes.len(),
            "geometry": {"type": "LineString", "coordinates": line},
        }))
    })
    .await;
    Ok(match r {
        Ok(v) => Json(v).into_response(),
        Err(resp) => resp,
    })
}

/// Door-to-door road legs measured on a loaded road network (see
/// [`corridor_engine::door::DoorRoads`]): A* between the nodes nearest the two ends (at most
/// [`DOOR_SNAP_KM`] away), plus the two snap distances.
pub struct NetworkDoorRoads {
    loaded: Arc<Loaded>,
}

/// Most km from a door or a terminal to the road network.
pub const DOOR_SNAP_KM: f64 = 25.0;

impl NetworkDoorRoads {
    /// Door roads over the network `name` of `physical` (opened now, so a missing network is
    /// an error at startup, not at the first query).
    pub fn open(
        physical: &Physical,
        name: &str,
    ) -> Result<NetworkDoorRoads, corridor_physical::Error> {
        Ok(NetworkDoorRoads {
            loaded: physical.get(name)?,
        })
    }
}

impl corridor_engine::door::DoorRoads for NetworkDoorRoads {
    fn legs(
        &self,
        point: (f64, f64),
        targets: &[(f64, f64)],
        inbound: bool,
    ) -> Vec<Result<corridor_engine::door::DoorRoad, String>> {
        let l = &*self.loaded;
        let snap = |p: (f64, f64), what: &str| {
            l.snapper
                .snap(&l.net, p.0, p.1, DOOR_SNAP_KM)
                .map_err(|_| format!("no road within {DOOR_SNAP_KM} km of the {what}"))
        };
        let door = snap(point, "point");
        targets
            .iter()
            .map(|&t| {
                let d = door.clone()?;
                let s = snap(t, "terminal")?;
                let (a, b) = if inbound { (s, d) } else { (d, s) };
                let path = shortest_path_with(&l.net, a.node, b.node, Algorithm::AStar, &l.filter)
                    .ok_or_else(|| "the road network joins no path between them".to_string())?;
                let km = (path.length_m as f64 + a.distance_m + b.distance_m) / 1000.0;
                let (start, end) = if inbound { (t, point) } else { (point, t) };
                let mut line = vec![start];
                line.extend(
                    geometry::line(&l.net, &path.nodes, 0.01)
                        .into_iter()
                        .map(|[lon, lat]| (lat, lon)),
                );
                line.push(end);
                Ok(corridor_engine::door::DoorRoad { km, line })
            })
            .collect()
    }

    fn label(&self) -> String {
        let m = self.loaded.net.meta();
        format!("'{}' ({}; {})", m.name, m.source, m.attribution)
    }
}
