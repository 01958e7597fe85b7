//! `ApiError`: the CONVENTIONS.md error vocabulary as HTTP responses.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use corridor_engine::{ErrorBody, QueryError};

/// An error answered as JSON `{code, message, field?, suggestions?}`.
#[derive(Debug)]
pub enum ApiError {
    /// A query error from the engine (400/404/413/422).
    Query(QueryError),
    /// Too many queries in flight: 503 with `Retry-After`.
    Overloaded,
    /// The query ran past the time limit: 503 with `Retry-After`.
    Timeout(u64),
    /// The request body did not arrive within the body timeout (ms): 408, code `Timeout`.
    BodyTimeout(u64),
    /// Missing or wrong API key: 401.
    Unauthorized,
    /// Per-client rate limit exceeded: 429 with `Retry-After`.
    RateLimited,
    /// No such endpoint: 404.
    NotFound(String),
    /// A bug: 500 (details in the log, not the answer).
    Internal,
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        ApiError::Query(e)
    }
}

impl ApiError {
    /// Shorthand for a bad field.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Query(QueryError::InvalidValue {
            field: field.into(),
            message: message.into(),
            suggestions: vec![],
        })
    }

    /// Status and body.
    pub fn parts(&self) -> (StatusCode, ErrorBody, Option<u64>) {
        let plain = |code: &str, message: String| ErrorBody {
            code: code.into(),
            message,
            field: None,
            suggestions: None,
        };
        match self {
            ApiError::Query(e) => (
                StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
                e.body(),
                None,
            ),
            ApiError::Overloaded => (
                StatusCode::SERVICE_UNAVAILABLE,
                plain(
                    "Overloaded",
                    "too many queries in flight; retry shortly".into(),
                ),
                Some(1),
            ),
            ApiError::Timeout(ms) => (
                StatusCode::SERVICE_UNAVAILABLE,
                plain(
                    "Timeout",
                    format!("the query took longer than {ms} ms; retry, or narrow it"),
                ),
                Some(1),
            ),
            ApiError::BodyTimeout(ms) => (
                StatusCode::REQUEST_TIMEOUT,
                plain(
                    "Timeout",
                    format!("the request body did not arrive within {ms} ms"),
                ),
                None,
            ),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                plain(
                    "Unauthorized",
                    "missing or wrong API key (send it as X-API-Key or Authorization: Bearer)"
                        .into(),
                ),
                None,
            ),
            ApiError::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                plain(
                    "RateLimited",
                    "too many requests from this client; slow down".into(),
                ),
                Some(1),
            ),
            ApiError::NotFound(path) => (
                StatusCode::NOT_FOUND,
                plain(
                    "NotFound",
                    format!("no endpoint at {path}; see /openapi.json"),
                ),
                None,
            ),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                plain("Internal", "internal error; it has been logged".into()),
                None,
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body, retry) = self.parts();
        let mut resp = (status, axum::Json(body)).into_response();
        if let Some(s) = retry {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        resp
    }
}
