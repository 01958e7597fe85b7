//! The middleware around every handler: request ids, the API key, the rate limit, metrics and
//! the access log ([`guard`]); the body read under its timeout and size limit ([`read_body`]);
//! every error answer as the documented JSON.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use corridor_engine::QueryError;

use crate::error::ApiError;
use crate::{limits, AppState};

/// Paths open without the API key: the web page and its files (the page then sends the key it
/// is given), the API description and the health check.
fn is_public(endpoint: &str) -> bool {
    matches!(
        endpoint,
        "/" | "/index.html"
            | "/app.js"
            | "/scenario.js"
            | "/reliability.js"
            | "/options.js"
            | "/flags.js"
            | "/flows.js"
            | "/style.css"
            | "/vendor/{*file}"
            | "/openapi.json"
            | "/healthz"
            | "/readyz"
    )
}

/// Request ids, API key, rate limit, metrics and the access log.
pub(crate) async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let endpoint = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(String::from)
        .unwrap_or_else(|| format!("req-{:08x}", st.next_id.fetch_add(1, Ordering::Relaxed)));
    let presented = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .or_else(|| {
            req.headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
        });
    let configured = st.cfg.api_key.as_deref();
    let authorized = match configured {
        None => true,
        Some(want) => presented.is_some_and(|k| limits::key_matches(k, want)),
    };
    // The bucket: the configured key when it was presented, else the peer address.
    let client = st.limiter.client(
        configured,
        presented,
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip()),
    );
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut resp = if !authorized && !is_public(&endpoint) {
        ApiError::Unauthorized.into_response()
    } else {
        match st.cfg.rate_limit_per_s {
            Some(rate)
                if !matches!(endpoint.as_str(), "/healthz" | "/readyz")
                    && !st.limiter.take(client, rate) =>
            {
                ApiError::RateLimited.into_response()
            }
            _ => next.run(req).await,
        }
    };
    if resp.status().is_client_error() || resp.status().is_server_error() {
        resp = as_json_error(resp, &endpoint, &method, &path).await;
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    let took = start.elapsed();
    st.metrics.record(&endpoint, resp.status().as_u16(), took);
    tracing::info!(request_id = %id, %method, %path, status = resp.status().as_u16(), ms = took.as_secs_f64() * 1e3, "request");
    resp
}

/// An error answer that is not JSON (axum's own: 405 with an empty body, a path segment that
/// is not UTF-8 as text/plain) as the documented JSON error, same status; the OSRM endpoints
/// get OSRM's `InvalidUrl`.
async fn as_json_error(resp: Response, endpoint: &str, method: &Method, path: &str) -> Response {
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_string();
    let status = parts.status;
    let message = if status == StatusCode::METHOD_NOT_ALLOWED {
        format!("{method} is not allowed on {path}; see /openapi.json for the methods of each path")
    } else if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text
    };
    let code = if endpoint.starts_with("/route/v1/") || endpoint.starts_with("/table/v1/") {
        "InvalidUrl"
    } else if status.is_server_error() {
        "Internal"
    } else {
        "InvalidQuery"
    };
    let mut out = (
        status,
        Json(serde_json::json!({"code": code, "message": message})),
    )
        .into_response();
    for h in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(v) = parts.headers.get(&h) {
            out.headers_mut().insert(h, v.clone());
        }
    }
    out
}

/// Reads the whole request body under the body timeout and size limit, before any handler.
pub(crate) async fn read_body(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let max = st.cfg.max_body_bytes;
    match tokio::time::timeout(st.cfg.body_timeout, axum::body::to_bytes(body, max)).await {
        Err(_) => ApiError::BodyTimeout(st.cfg.body_timeout.as_millis() as u64).into_response(),
        Ok(Err(e)) => {
            let too_big = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if too_big {
                ApiError::Query(QueryError::TooBig {
                    message: format!("request body over {max} bytes"),
                })
                .into_response()
            } else {
                ApiError::Query(QueryError::InvalidQuery {
                    message: format!("the request body could not be read: {e}"),
                })
                .into_response()
            }
        }
        Ok(Ok(bytes)) => next.run(Request::from_parts(parts, bytes.into())).await,
    }
}
