//! Endpoints on the physical networks (`corridor import …`): `/v1/path`, and the
//! OSRM-compatible `/route/v1/{profile}/{coordinates}` and `/table/v1/{profile}/{coordinates}`
//! so that existing OSRM clients work unchanged.
//!
//! Profiles: `driving` → `road`, `train` → `rail`, `ship` → `sea`. Distances are metres and
//! durations seconds, as in OSRM. The physical networks carry lengths only, so a duration is
//! the length at the profile's typical speed ([`speed_kmh`]); `weight_name` is `duration`.
//! Networks are opened (memory-mapped) and their R-trees built on first use.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use corridor_physical::query::{self, Endpoint, Method, Passages, PathRequest, Prepared};
use corridor_physical::{Budget, Snap};
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

/// The physical networks of the data directory, opened on first use and shared (the query
/// facade's cache; hierarchies open on the first query that can use them).
pub type Physical = corridor_physical::query::Networks;

/// A response that ends a query early (boxed: a `Response` is large).
type Refusal = Box<Response>;

fn refuse(r: impl IntoResponse) -> Refusal {
    Box::new(r.into_response())
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

fn open(st: &AppState, network: &str) -> Result<Arc<Prepared>, Refusal> {
    st.physical
        .get(network)
        .map_err(|e| stopped_or_internal(st, network, e))
}

/// A physical error that is neither the client's nor a missing path: 503 when the budget
/// ran out (or the client left), 503 `NetworkUnavailable` when the network's file is missing
/// or broken (the server's fault; no path in the body), else 500 with the details in the log.
fn stopped_or_internal(st: &AppState, network: &str, e: corridor_physical::Error) -> Refusal {
    if let corridor_physical::Error::Stopped { .. } = e {
        return refuse(ApiError::Timeout(st.cfg.timeout.as_millis() as u64));
    }
    if crate::readiness::is_server_fault(&e) {
        return Box::new(crate::readiness::unavailable(network, &e));
    }
    tracing::error!(error = %e, "physical network query failed");
    refuse(OsrmError(
        StatusCode::INTERNAL_SERVER_ERROR,
        "InternalError",
        "the network file cannot be read; see the server log".into(),
    ))
}

/// Raises the flag when dropped: when the handler's future is dropped (the client went away,
/// or the time limit struck) the search running on the blocking pool stops.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Runs `f` on the blocking pool under a permit, with a [`Budget`] that ends at the time
/// limit or when the request is dropped.
async fn blocking<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(Budget) -> Result<T, Refusal> + Send + 'static,
) -> Result<T, Response> {
    let permit = st
        .permits
        .clone()
        .try_acquire_owned()
        .map_err(|_| ApiError::Overloaded.into_response())?;
    let cancel = Arc::new(AtomicBool::new(false));
    let _guard = CancelOnDrop(cancel.clone());
    let budget = Budget::unlimited()
        .with_timeout(st.cfg.timeout)
        .with_cancel(cancel);
    let task = tokio::task::spawn_blocking(move || {
        let r = f(budget);
        drop(permit);
        r
    });
    match tokio::time::timeout(st.cfg.timeout, task).await {
        Err(_) => Err(ApiError::Timeout(st.cfg.timeout.as_millis() as u64).into_response()),
        Ok(Err(_)) => Err(ApiError::Internal.into_response()),
        Ok(Ok(r)) => r.map_err(|b| *b),
    }
}

/// Snaps OSRM coordinate `i` within its radius (default [`DEFAULT_RADIUS_KM`]).
fn snap_coordinate(
    l: &Prepared,
    o: &Options,
    i: usize,
    (lat, lon): (f64, f64),
) -> Result<Snap, Refusal> {
    let max_km = o
        .radiuses
        .get(i)
        .copied()
        .flatten()
        .map(|m| m / 1000.0)
        .unwrap_or(DEFAULT_RADIUS_KM);
    l.snap(lat, lon, max_km)
        .map_err(|e| refuse(bad("NoSegment", format!("coordinate {i}: {e}"))))
}

fn waypoint(s: &Snap) -> Value {
    json!({"hint": "", "distance": s.distance_m, "name": "", "location": [s.lon, s.lat]})
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
    let r = blocking(&st, move |budget| {
        let l = open(&st2, &network)?;
        let speed = speed_kmh(&network) / 3.6; // m/s
        let snaps = pts
            .iter()
            .enumerate()
            .map(|(i, &p)| snap_coordinate(&l, &o, i, p))
            .collect::<Result<Vec<_>, _>>()?;
        let search = l
            .search(&Passages::default(), Method::Auto, budget)
            .map_err(|e| stopped_or_internal(&st2, &network, e))?;
        let mut legs = Vec::new();
        let mut nodes: Vec<u32> = Vec::new();
        let mut total = 0u64;
        for w in snaps.windows(2) {
            let p = search
                .path(w[0].node, w[1].node)
                .map_err(|e| stopped_or_internal(&st2, &network, e))?
                .ok_or_else(|| {
                    refuse(bad(
                        "NoRoute",
                        "no route between the coordinates on this network",
                    ))
                })?;
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
            let pts = corridor_physical::geometry::line(l.network(), &nodes, tol);
            route["geometry"] = match o.geometries.as_str() {
                "geojson" => json!({"type": "LineString", "coordinates": pts}),
                "polyline6" => json!(encode(&pts, 6)),
                _ => json!(encode(&pts, 5)),
            };
        }
        let waypoints: Vec<Value> = snaps.iter().map(waypoint).collect();
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
    let r = blocking(&st, move |budget| {
        let l = open(&st2, &network)?;
        let speed = speed_kmh(&network) / 3.6;
        let snaps = pts
            .iter()
            .enumerate()
            .map(|(i, &p)| snap_coordinate(&l, &o, i, p))
            .collect::<Result<Vec<_>, _>>()?;
        let all: Vec<usize> = (0..pts.len()).collect();
        let src = o.sources.clone().unwrap_or_else(|| all.clone());
        let dst = o.destinations.clone().unwrap_or(all);
        let node = |i: &usize| snaps[*i].node;
        let (src_nodes, dst_nodes): (Vec<u32>, Vec<u32>) = (
            src.iter().map(node).collect(),
            dst.iter().map(node).collect(),
        );
        // The hierarchy's many-to-many search when the network is prepared, else one
        // Dijkstra per source; both stop at the time limit or when the client leaves.
        let m = l
            .search(&Passages::default(), Method::Auto, budget)
            .and_then(|s| s.matrix(&src_nodes, &dst_nodes, &|_| {}))
            .map_err(|e| stopped_or_internal(&st2, &network, e))?;
        let cells = |f: &dyn Fn(f64) -> f64| -> Value {
            m.rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|d| d.map_or(Value::Null, |d| json!(f(d as f64))))
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let mut out = json!({
            "code": "Ok",
            "sources": src.iter().map(|&i| waypoint(&snaps[i])).collect::<Vec<_>>(),
            "destinations": dst.iter().map(|&i| waypoint(&snaps[i])).collect::<Vec<_>>(),
        });
        if o.annotations.iter().any(|a| a == "duration") {
            out["durations"] = cells(&|m| m / speed);
        }
        if o.annotations.iter().any(|a| a == "distance") {
            out["distances"] = cells(&|m| m);
        }
        Ok(out)
    })
    .await;
    match r {
        Ok(v) => Json(v).into_response(),
        Err(resp) => resp,
    }
}

/// The query of `GET /v1/path`.
struct PathQuery {
    network: String,
    from: String,
    to: String,
    max_snap_km: f64,
    simplify_km: f64,
    passages: Passages,
}

/// A number of km from 0 to 1000 (`positive`: more than 0).
fn km(field: &str, v: &str, positive: bool) -> Result<f64, ApiError> {
    v.parse::<f64>()
        .ok()
        .filter(|x| (*x > 0.0 || (!positive && *x == 0.0)) && *x <= 1000.0)
        .ok_or_else(|| {
            ApiError::invalid(
                field,
                format!(
                    "'{v}' is not a number of km from {} to 1000",
                    if positive { "more than 0" } else { "0" }
                ),
            )
        })
}

fn parse_path_query(q: &str) -> Result<PathQuery, ApiError> {
    let (mut network, mut from, mut to) = (None, None, None);
    let mut max_snap_km = DEFAULT_RADIUS_KM;
    let mut simplify_km = 1.0;
    let mut passages = Passages::default();
    for (k, v) in form_urlencoded::parse(q.as_bytes()) {
        match k.as_ref() {
            "network" if network.is_none() => network = Some(v.into_owned()),
            "from" if from.is_none() => from = Some(v.into_owned()),
            "to" if to.is_none() => to = Some(v.into_owned()),
            "max_snap_km" => max_snap_km = km("max_snap_km", &v, true)?,
            "simplify_km" => simplify_km = km("simplify_km", &v, false)?,
            // Repeatable, or comma-separated: passage:NAME.
            "allow" => passages.allow.extend(v.split(',').map(|x| x.trim().to_string())),
            "avoid" => passages.avoid.extend(v.split(',').map(|x| x.trim().to_string())),
            other @ ("network" | "from" | "to") => {
                return Err(ApiError::invalid(other, format!("'{other}' given twice")))
            }
            other => {
                return Err(ApiError::Query(corridor_engine::QueryError::InvalidQuery {
                    message: format!(
                        "unknown parameter '{other}' (known: network, from, to, max_snap_km, simplify_km, allow, avoid)"
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
    Ok(PathQuery {
        network,
        from: from.ok_or_else(|| ApiError::invalid("from", "missing: a place or lat,lon"))?,
        to: to.ok_or_else(|| ApiError::invalid("to", "missing: a place or lat,lon"))?,
        max_snap_km,
        simplify_km,
        passages,
    })
}

/// A physical error of `/v1/path` in CONVENTIONS.md's vocabulary: unknown passage 400, no
/// snap 404, no path 422, time limit 503, a missing or broken network file 503
/// `NetworkUnavailable` (logged with its path; the body names no path), else 500 (logged).
fn path_error(st: &AppState, network: &str, e: corridor_physical::Error) -> Refusal {
    let e = match corridor_bridge::query_error(e) {
        Ok(q) => return refuse(ApiError::Query(q)),
        Err(e) => e,
    };
    if crate::readiness::is_server_fault(&e) {
        return Box::new(crate::readiness::unavailable(network, &e));
    }
    match e.code() {
        "NoSnap" => refuse((StatusCode::NOT_FOUND, Json(query::error_json(&e)))),
        "InvalidValue" => refuse((StatusCode::BAD_REQUEST, Json(query::error_json(&e)))),
        "Timeout" => refuse(ApiError::Timeout(st.cfg.timeout.as_millis() as u64)),
        _ => {
            tracing::error!(error = %e, "physical network query failed");
            refuse(ApiError::Internal)
        }
    }
}

/// `GET /v1/path?network=rail&from=…&to=…[&max_snap_km=50][&simplify_km=1][&allow=passage:NAME]
/// [&avoid=passage:NAME]`: shortest path on a physical network between places (names as for
/// routes) or `lat,lon` points, answered as `corridor path --format json` answers.
pub async fn path(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let q = parse_path_query(q.as_deref().unwrap_or(""))?;
    let ds = st.engine.dataset();
    let end = |field: &str, input: &str| {
        corridor_bridge::endpoint(field, input, || Ok::<_, std::convert::Infallible>(ds))
            .unwrap_or_else(|never| match never {})
            .map_err(ApiError::Query)
    };
    let (from, to): (Endpoint, Endpoint) = (end("from", &q.from)?, end("to", &q.to)?);
    let st2 = st.clone();
    let r = blocking(&st, move |budget| {
        let l = st2
            .physical
            .get(&q.network)
            .map_err(|e| path_error(&st2, &q.network, e))?;
        let req = PathRequest {
            max_snap_km: q.max_snap_km,
            passages: q.passages,
            budget,
            ..PathRequest::new(from, to)
        };
        let a = l.path(&req).map_err(|e| path_error(&st2, &q.network, e))?;
        let mut v = a.to_json(&l, q.simplify_km);
        // Between two named places, the path set against the corridor route on the same mode
        // (as `corridor path` does): a much longer path means the network lacks a line.
        let detour = corridor_bridge::corridor_detour(
            &st2.engine,
            &q.network,
            &q.from,
            &q.to,
            a.distance_km(),
        );
        if let Some(w) = v
            .get_mut("warnings")
            .and_then(serde_json::Value::as_array_mut)
        {
            w.extend(detour.into_iter().map(serde_json::Value::String));
        }
        Ok(v)
    })
    .await;
    Ok(match r {
        Ok(v) => Json(v).into_response(),
        Err(resp) => resp,
    })
}
