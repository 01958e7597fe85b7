//! # corridor-server: the HTTP API
//!
//! An interface stage (data → build → engine → **interfaces**): versioned JSON endpoints that
//! mirror the CLI with the same request and answer types, an OpenAPI 3.1 document generated
//! from those types, Prometheus metrics, and the limits a shared service needs.
//!
//! - [`app`] builds the `axum::Router` (tests drive it in-process with `oneshot`, no socket);
//!   [`serve`] binds it and serves it with [`listen`] (header, body and idle timeouts,
//!   connection caps per client, a bounded drain on SIGTERM/Ctrl-C).
//! - Engine queries run on the blocking pool (`spawn_blocking`) under a concurrency cap
//!   (503 + `Retry-After` beyond it) and a time limit; panics become 500 and the server lives on.
//! - Errors use the vocabulary of CONVENTIONS.md ([`error::ApiError`]), axum's own included.
//! - The rate limit is per client ([`limits`]); place names are bounded in length before any
//!   "did you mean" matching.
//!
//! Endpoints: `GET|POST /v1/route`, `GET /v1/places`, `GET|POST /v1/table`,
//! `GET|POST /v1/emissions`, `GET /v1/path`,
//! OSRM-compatible `GET /route/v1/{profile}/{coordinates}` and `GET /table/v1/{profile}/…`,
//! `GET /healthz`, `GET /readyz`, `GET /metrics`, `GET /openapi.json`.
#![deny(missing_docs)]

pub mod error;
pub mod flows;
mod guard;
pub mod limits;
pub mod listen;
pub mod metrics;
pub mod openapi;
pub mod params;
pub mod physical;
pub mod readiness;
pub mod scenario_list;
pub mod scenarios;
pub mod web;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use corridor_engine::{Engine, QueryError, RouteRequest, TableRequest};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use error::ApiError;
use metrics::Metrics;

/// Limits and options of a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Engine queries allowed at once; more get 503 + Retry-After.
    pub max_concurrent: usize,
    /// Longest a query may run before the answer is 503 (Timeout).
    pub timeout: Duration,
    /// Search budget of a route query (`budget_ms` may ask for less, not more): past it the
    /// front found so far comes back marked `incomplete`, or 422 BudgetExceeded if none was
    /// found. Keep it under `timeout`, so that a long search answers instead of timing out.
    pub query_budget: Duration,
    /// Largest request body, bytes (413 beyond).
    pub max_body_bytes: usize,
    /// If set, every endpoint but `/healthz` needs this key (`X-API-Key` or `Authorization: Bearer`).
    pub api_key: Option<String>,
    /// Origins allowed by CORS (`*` for any); empty: no CORS headers.
    pub cors_origins: Vec<String>,
    /// Requests per second per client (API key, else peer address); `None`: unlimited.
    pub rate_limit_per_s: Option<u32>,
    /// Folder of imported physical networks (`corridor import`), for `/v1/path` and the
    /// OSRM-compatible endpoints; `None`: the default data directory.
    pub network_dir: Option<std::path::PathBuf>,
    /// Longest a connection may take to send a request's headers; also how long an idle
    /// keep-alive connection stays open waiting for the next request.
    pub header_timeout: Duration,
    /// Longest a request may take to send its body (408 `Timeout` past it).
    pub body_timeout: Duration,
    /// Open connections allowed from one peer address; more are answered 503 and closed.
    pub max_connections_per_ip: usize,
    /// Open connections allowed in all (keep it under the process's file limit).
    pub max_connections: usize,
    /// Longest a connection may stall on writing an answer (a client that does not read it)
    /// before it is dropped; the timer restarts whenever bytes go out.
    pub write_timeout: Duration,
    /// On shutdown, longest to wait for requests in flight before closing their connections.
    pub drain_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Config {
            max_concurrent: 64 * cores,
            timeout: Duration::from_secs(10),
            query_budget: Duration::from_secs(2),
            max_body_bytes: 64 * 1024,
            api_key: None,
            cors_origins: vec![],
            rate_limit_per_s: None,
            network_dir: None,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections_per_ip: 64,
            max_connections: 768,
            write_timeout: Duration::from_secs(30),
            drain_timeout: Duration::from_secs(10),
        }
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    engine: Arc<Engine>,
    cfg: Arc<Config>,
    metrics: Arc<Metrics>,
    permits: Arc<Semaphore>,
    limiter: Arc<limits::Limiter>,
    next_id: Arc<AtomicU64>,
    physical: Arc<physical::Physical>,
    scenarios: Arc<scenarios::Cache>,
}

/// Builds the router over an engine.
pub fn app(engine: Arc<Engine>, cfg: Config) -> Router {
    let state = AppState {
        engine,
        permits: Arc::new(Semaphore::new(cfg.max_concurrent.max(1))),
        cfg: Arc::new(cfg.clone()),
        metrics: Arc::new(Metrics::default()),
        limiter: Arc::new(limits::Limiter::default()),
        next_id: Arc::new(AtomicU64::new(1)),
        scenarios: Arc::new(scenarios::Cache::default()),
        physical: Arc::new(physical::Physical::new(
            // Held in memory, not mapped: a file rewritten in place cannot fault the server.
            corridor_physical::NetworkDir::or_default(cfg.network_dir.as_deref()).in_memory(),
        )),
    };
    finish(routes(), state, &cfg)
}

fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/route", get(route_get).post(route_post))
        .route("/v1/places", get(places))
        .route("/v1/table", get(table_get).post(table_post))
        .route("/v1/compare", get(compare_get).post(compare_post))
        .route("/v1/scenarios", get(scenario_list::scenarios))
        .route("/v1/emissions", get(emissions_get).post(emissions_post))
        .route(
            "/v1/assign",
            get(flows::assign_get).post(flows::assign_post),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(readiness::readyz))
        .route("/metrics", get(metrics_text))
        .route("/openapi.json", get(openapi_json))
        .route("/v1/path", get(physical::path))
        .route(
            "/route/v1/{profile}/{coordinates}",
            get(physical::osrm_route),
        )
        .route(
            "/table/v1/{profile}/{coordinates}",
            get(physical::osrm_table),
        )
        .merge(web::routes())
}

/// Adds the fallback and the layers (guard, panic catcher, body limit, CORS).
fn finish(routes: Router<AppState>, state: AppState, cfg: &Config) -> Router {
    let mut router = routes
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::read_body,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("handler panicked");
                ApiError::Internal.into_response()
            },
        ))
        .layer(axum::extract::DefaultBodyLimit::max(cfg.max_body_bytes))
        .with_state(state);
    if !cfg.cors_origins.is_empty() {
        let origin = if cfg.cors_origins.iter().any(|o| o == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                cfg.cors_origins
                    .iter()
                    .filter_map(|o| HeaderValue::from_str(o).ok()),
            )
        };
        router = router.layer(
            CorsLayer::new()
                .allow_origin(origin)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([
                    header::CONTENT_TYPE,
                    header::AUTHORIZATION,
                    "x-api-key".parse().expect("static header name"),
                ]),
        );
    }
    router
}

/// Counts a query in `corridor_queries_in_flight` while it lives (a panic included).
struct InFlight(Arc<Metrics>);

impl InFlight {
    fn new(m: Arc<Metrics>) -> InFlight {
        m.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(m)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Set when the request has been answered (a timeout) or its client has gone: work that
/// checks it stops.
#[derive(Clone, Default)]
pub struct Stop(Arc<std::sync::atomic::AtomicBool>);

impl Stop {
    /// True once the answer no longer waits for this work.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Sets the [`Stop`] when dropped: when the handler's future ends, on a timeout or because
/// the connection closed.
struct StopOnDrop(Stop);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0 .0.store(true, Ordering::Relaxed);
    }
}

/// Runs an engine query on the blocking pool, under the concurrency cap and time limit.
async fn run<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&Engine) -> Result<T, QueryError> + Send + 'static,
) -> Result<T, ApiError> {
    run_stoppable(st, move |e, _| f(e)).await
}

/// As [`run`], and `f` is given a [`Stop`] set once the answer no longer waits for it.
async fn run_stoppable<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&Engine, &Stop) -> Result<T, QueryError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = st.permits.clone().try_acquire_owned().map_err(|_| {
        st.metrics.overloaded.fetch_add(1, Ordering::Relaxed);
        ApiError::Overloaded
    })?;
    let in_flight = InFlight::new(st.metrics.clone());
    let engine = st.engine.clone();
    let stop = Stop::default();
    let _stop_on_drop = StopOnDrop(stop.clone());
    let task = tokio::task::spawn_blocking(move || {
        let _in_flight = in_flight;
        let _permit = permit;
        f(&engine, &stop)
    });
    match tokio::time::timeout(st.cfg.timeout, task).await {
        Err(_) => Err(ApiError::Timeout(st.cfg.timeout.as_millis() as u64)),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "query task failed");
            Err(ApiError::Internal)
        }
        Ok(Ok(r)) => r.map_err(ApiError::Query),
    }
}

/// Refuses a place name longer than [`corridor_data::names::MAX_NAME_CHARS`] up front: "did
/// you mean" matching costs time in proportion to the name's length.
fn check_name(field: &str, name: &str) -> Result<(), ApiError> {
    let max = corridor_data::names::MAX_NAME_CHARS;
    let n = name.chars().count();
    if n > max {
        return Err(ApiError::invalid(
            field,
            format!("a place name of {n} characters; at most {max}"),
        ));
    }
    Ok(())
}

fn check_route_names(req: &RouteRequest) -> Result<(), ApiError> {
    check_name("from", &req.from)?;
    check_name("to", &req.to)?;
    req.via.iter().try_for_each(|v| check_name("via", v))?;
    req.avoid.iter().try_for_each(|v| check_name("avoid", v))
}

fn check_table_names(req: &TableRequest) -> Result<(), ApiError> {
    req.from.iter().try_for_each(|v| check_name("from", v))?;
    req.to.iter().try_for_each(|v| check_name("to", v))?;
    req.pairs
        .iter()
        .flatten()
        .try_for_each(|v| check_name("pairs", v))?;
    req.avoid.iter().try_for_each(|v| check_name("avoid", v))
}

fn json_body<T: serde::de::DeserializeOwned + schemars::JsonSchema + 'static>(
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
    max: usize,
) -> Result<T, ApiError> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::Query(QueryError::TooBig {
                message: format!("request body over {max} bytes"),
            })
        } else {
            ApiError::Query(QueryError::InvalidQuery {
                message: e.body_text(),
            })
        }
    })?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::Query(QueryError::InvalidQuery {
            message: format!("request body is not a valid request: {e}"),
        })
    })?;
    // Every request is a JSON object: serde would also read a struct from an array.
    if !value.is_object() {
        return Err(ApiError::Query(QueryError::InvalidQuery {
            message: "request body is not a valid request: a JSON object is expected".into(),
        }));
    }
    // Unknown fields by the type's schema (flattened requests cannot deny them in serde);
    // serde names the field in its other messages ("missing field `from`").
    corridor_engine::options::from_json(value).map_err(ApiError::Query)
}

async fn route_get(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let req = params::route_request(q.as_deref().unwrap_or(""))?;
    route_answer(st, req).await
}

async fn route_post(
    State(st): State<AppState>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let req: RouteRequest = json_body(body, st.cfg.max_body_bytes)?;
    route_answer(st, req).await
}

async fn route_answer(st: AppState, req: RouteRequest) -> Result<Response, ApiError> {
    check_route_names(&req)?;
    // The server's per-query budget caps the one asked for (and applies when none is).
    let cap = st.cfg.query_budget.as_millis() as u64;
    let cache = st.scenarios.clone();
    let answer = run(&st, move |e| {
        let sc = cache.for_request(e, &req.lane)?;
        sc.as_deref().unwrap_or(e).route_capped(&req, Some(cap))
    })
    .await?;
    Ok(Json(answer).into_response())
}

async fn table_get(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let req = params::table_request(q.as_deref().unwrap_or(""))?;
    table_answer(st, req).await
}

async fn table_post(
    State(st): State<AppState>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let req: TableRequest = json_body(body, st.cfg.max_body_bytes)?;
    table_answer(st, req).await
}

async fn table_answer(st: AppState, req: TableRequest) -> Result<Response, ApiError> {
    req.lanes()?; // size and shape errors before any work
    check_table_names(&req)?;
    let cache = st.scenarios.clone();
    let answer = run_stoppable(&st, move |e, stop| {
        let sc = cache.for_request(e, &req.lane)?;
        table_until_stopped(sc.as_deref().unwrap_or(e), &req, stop)
    })
    .await?;
    Ok(Json(answer).into_response())
}

/// [`Engine::table`], stopping when the answer no longer waits for it (a timeout answered
/// 503, or the client gone): a large table does not run on after its answer.
fn table_until_stopped(
    e: &Engine,
    req: &TableRequest,
    stop: &Stop,
) -> Result<corridor_engine::TableAnswer, QueryError> {
    e.table_while(req, |_, _| {}, || !stop.is_set())
}

async fn compare_get(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let req = params::table_request(q.as_deref().unwrap_or(""))?;
    compare_answer(st, req).await
}

async fn compare_post(
    State(st): State<AppState>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let req: TableRequest = json_body(body, st.cfg.max_body_bytes)?;
    compare_answer(st, req).await
}

/// Most lanes of one `/v1/compare` (each is routed once per scenario and on the baseline).
pub const MAX_COMPARE_LANES: usize = 100;

/// `/v1/compare`: the table request's lanes on the baseline and under each scenario (each
/// on its own), bounded to [`MAX_COMPARE_LANES`] × [`scenarios::MAX_SCENARIOS`].
async fn compare_answer(st: AppState, req: TableRequest) -> Result<Response, ApiError> {
    let n = req.lanes()?.len();
    if n > MAX_COMPARE_LANES {
        return Err(ApiError::Query(QueryError::TooBig {
            message: format!("{n} lanes; /v1/compare takes at most {MAX_COMPARE_LANES}"),
        }));
    }
    check_table_names(&req)?;
    let scenarios = scenarios::parse(&req.lane)?;
    if scenarios.is_empty() {
        return Err(ApiError::invalid(
            "scenario",
            "no scenario to compare with the baseline: give scenario (a shipped name, repeatable) or scenario_toml in a POST body".to_string(),
        ));
    }
    let cache = st.scenarios.clone();
    let answer = run_stoppable(&st, move |e, stop| {
        let engines = scenarios
            .iter()
            .map(|s| cache.engine(e, std::slice::from_ref(s)))
            .collect::<Result<Vec<_>, _>>()?;
        let variants: Vec<&Engine> = engines.iter().map(|a| a.as_ref()).collect();
        corridor_engine::compare::compare_while(e, &variants, &req, |_, _| {}, || !stop.is_set())
    })
    .await?;
    Ok(Json(answer).into_response())
}

async fn emissions_get(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let req = params::emissions_request(q.as_deref().unwrap_or(""))?;
    emissions_answer(st, req).await
}

async fn emissions_post(
    State(st): State<AppState>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let req: corridor_engine::chain::EmissionsRequest = json_body(body, st.cfg.max_body_bytes)?;
    emissions_answer(st, req).await
}

async fn emissions_answer(
    st: AppState,
    req: corridor_engine::chain::EmissionsRequest,
) -> Result<Response, ApiError> {
    let answer = run(&st, move |e| e.emissions(&req)).await?;
    Ok(Json(answer).into_response())
}

/// A place as `/v1/places` lists it.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlaceOut {
    /// Place id.
    pub id: String,
    /// English name.
    pub name: String,
    /// Other names (Chinese, Russian, local).
    pub aliases: Vec<String>,
    /// ISO country.
    pub country: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Kind of place.
    pub kind: String,
    /// City group id.
    pub group: Option<String>,
}

/// Most places in one `/v1/places` answer.
pub const MAX_PLACES: usize = 500;

async fn places(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let mut search = None;
    let mut country = None;
    let mut limit = 50usize;
    let mut limit_seen = false;
    for (k, v) in form_urlencoded::parse(q.as_deref().unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "search" | "q" if search.is_none() => search = Some(v.into_owned()),
            "country" if country.is_none() => {
                if v.len() != 2 || !v.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(ApiError::invalid(
                        "country",
                        format!("'{v}' is not an ISO 3166-1 alpha-2 code (e.g. KZ)"),
                    ));
                }
                country = Some(v.to_ascii_uppercase())
            }
            "search" | "q" | "country" => {
                return Err(ApiError::invalid(
                    &k,
                    format!("'{k}' given twice; it takes one value"),
                ))
            }
            "limit" => {
                if std::mem::replace(&mut limit_seen, true) {
                    return Err(ApiError::invalid(
                        "limit",
                        "'limit' given twice; it takes one value",
                    ));
                }
                limit = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_PLACES).contains(n))
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "limit",
                            format!("'{v}' is not a number from 1 to {MAX_PLACES}"),
                        )
                    })?
            }
            other => {
                return Err(ApiError::Query(QueryError::InvalidQuery {
                    message: format!("unknown parameter '{other}' (known: search, country, limit)"),
                }))
            }
        }
    }
    let ds = st.engine.dataset();
    let mut idx = match &search {
        Some(s) => ds.search(s),
        None => (0..ds.places.len()).collect(),
    };
    if let Some(c) = &country {
        idx.retain(|&i| &ds.places[i].country == c);
    }
    idx.sort_by(|&a, &b| ds.places[a].name.cmp(&ds.places[b].name));
    idx.truncate(limit);
    let out: Vec<PlaceOut> = idx
        .into_iter()
        .map(|i| {
            let p = &ds.places[i];
            PlaceOut {
                id: p.id.clone(),
                name: p.name.clone(),
                aliases: p.aliases.clone(),
                country: p.country.clone(),
                lat: p.lat,
                lon: p.lon,
                kind: p.kind.as_str().into(),
                group: p.group.clone(),
            }
        })
        .collect();
    Ok(Json(out).into_response())
}

/// `/healthz` answer.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// Code version.
    pub version: String,
    /// The data served.
    pub data: corridor_engine::answer::DataInfo,
}

async fn healthz(State(st): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        data: st.engine.data_info(),
    })
}

async fn metrics_text(State(st): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        st.metrics.render(),
    )
        .into_response()
}

async fn openapi_json() -> Json<serde_json::Value> {
    Json(openapi::document())
}

async fn not_found(req: Request) -> ApiError {
    ApiError::NotFound(req.uri().path().to_string())
}

/// Binds `addr` and serves until SIGTERM or Ctrl-C, finishing requests in flight (at most
/// [`Config::drain_timeout`]); connections have the timeouts and caps of [`listen`].
pub async fn serve(
    engine: Arc<Engine>,
    cfg: Config,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    let router = app(engine, cfg.clone());
    listen::serve_router(listener, router, &cfg, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use std::time::Instant;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_and_the_server_lives_on() {
        let engine = Arc::new(Engine::new(
            corridor_data::Dataset::embedded().expect("embedded"),
        ));
        let cfg = Config::default();
        let state = AppState {
            engine,
            permits: Arc::new(Semaphore::new(4)),
            cfg: Arc::new(cfg.clone()),
            metrics: Arc::new(Metrics::default()),
            limiter: Arc::new(limits::Limiter::default()),
            next_id: Arc::new(AtomicU64::new(1)),
            scenarios: Arc::new(scenarios::Cache::default()),
            physical: Arc::new(physical::Physical::new(corridor_physical::NetworkDir::new(
                "/nonexistent",
            ))),
        };
        let boom = routes().route("/boom", get(|| async { panic!("boom") as &'static str }));
        let r = finish(boom, state, &cfg);
        let resp = r
            .clone()
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let resp = r
            .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }

    fn state() -> AppState {
        let engine = Arc::new(Engine::new(
            corridor_data::Dataset::embedded().expect("embedded"),
        ));
        AppState {
            engine,
            permits: Arc::new(Semaphore::new(4)),
            cfg: Arc::new(Config::default()),
            metrics: Arc::new(Metrics::default()),
            limiter: Arc::new(limits::Limiter::default()),
            next_id: Arc::new(AtomicU64::new(1)),
            scenarios: Arc::new(scenarios::Cache::default()),
            physical: Arc::new(physical::Physical::new(corridor_physical::NetworkDir::new(
                "/nonexistent",
            ))),
        }
    }

    #[tokio::test]
    async fn a_panicking_query_does_not_leak_the_in_flight_gauge_or_its_permit() {
        let st = state();
        let r: Result<(), ApiError> = run(&st, |_| panic!("boom in a query")).await;
        assert!(matches!(r, Err(ApiError::Internal)), "{r:?}");
        assert_eq!(st.metrics.in_flight.load(Ordering::Relaxed), 0);
        assert!(st
            .metrics
            .render()
            .contains("\ncorridor_queries_in_flight 0\n"));
        assert_eq!(st.permits.available_permits(), 4);
    }

    #[tokio::test]
    async fn a_table_stops_when_its_answer_no_longer_waits_and_matches_the_engine_otherwise() {
        let st = state();
        let req = TableRequest {
            from: vec!["Aktau".into(), "Urumqi".into()],
            to: vec!["Baku".into(), "Aktow".into()],
            ..Default::default()
        };
        let whole = st.engine.table(&req, |_, _| {}).unwrap();
        let ours = table_until_stopped(&st.engine, &req, &Stop::default()).unwrap();
        assert_eq!(
            serde_json::to_value(&whole).unwrap(),
            serde_json::to_value(&ours).unwrap()
        );
        let stop = Stop::default();
        drop(StopOnDrop(stop.clone()));
        assert!(stop.is_set());
        let r = table_until_stopped(&st.engine, &req, &stop);
        assert!(matches!(r, Err(QueryError::BudgetExceeded { .. })), "{r:?}");
        // A timed-out query sets its stop: the work ends instead of running on.
        let st = AppState {
            cfg: Arc::new(Config {
                timeout: Duration::from_millis(50),
                ..Config::default()
            }),
            ..st
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let r: Result<(), ApiError> = run_stoppable(&st, move |_, stop| {
            let t0 = Instant::now();
            while !stop.is_set() && t0.elapsed() < Duration::from_secs(5) {
                std::thread::sleep(Duration::from_millis(5));
            }
            let _ = tx.send(stop.is_set());
            Ok(())
        })
        .await;
        assert!(matches!(r, Err(ApiError::Timeout(50))), "{r:?}");
        assert_eq!(rx.recv_timeout(Duration::from_secs(4)), Ok(true));
    }
}
