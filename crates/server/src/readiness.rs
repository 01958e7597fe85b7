//! Network files as the server's own fault: a missing, corrupt or stale file answers 503
//! `NetworkUnavailable` (no file path in the body; the details go to the log), and
//! `GET /readyz` opens every network of the data directory and lists the broken ones.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::AppState;

/// The error code of a network the server cannot serve (its file is missing or broken).
pub const UNAVAILABLE: &str = "NetworkUnavailable";

/// Whether `e` is the server's fault (its network files), not the request's.
pub fn is_server_fault(e: &corridor_physical::Error) -> bool {
    use corridor_physical::Error as E;
    matches!(
        e,
        E::MissingNetwork { .. }
            | E::MissingHierarchy { .. }
            | E::Io { .. }
            | E::Input { .. }
            | E::Foreign { .. }
            | E::Truncated { .. }
            | E::Version { .. }
            | E::Corrupt { .. }
            | E::StaleHierarchy { .. }
            | E::InvalidNetwork { .. }
    )
}

/// The error code of a network this server has not imported (404: not a fault, not retryable).
pub const NOT_IMPORTED: &str = "NetworkNotImported";

/// For network `name`: 404 `{code: NetworkNotImported, message}` naming the import command when
/// the server has no such network; else 503 `{code: NetworkUnavailable, message}` with
/// `Retry-After` (its file is broken: the server's fault), the error logged with its path. The
/// body has the shape of both the API's errors and OSRM's (`{code, message}`).
pub fn unavailable(name: &str, e: &corridor_physical::Error) -> Response {
    if let corridor_physical::Error::MissingNetwork { command, .. } = e {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({
                "code": NOT_IMPORTED,
                "message": format!(
                    "the '{name}' network is not imported on this server (its operator runs `{command}`)"
                ),
            })),
        )
            .into_response();
    }
    tracing::error!(network = name, error = %e, "network file cannot be served");
    let mut resp = (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({
            "code": UNAVAILABLE,
            "message": format!(
                "the '{name}' network cannot be served: its file is broken on the server (details in the server log; GET /readyz lists the broken networks)"
            ),
        })),
    )
        .into_response();
    resp.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from_static("30"),
    );
    resp
}

/// One network in the `/readyz` answer.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NetworkReady {
    /// Network name (the file is `NAME.cnet` in the network directory).
    pub name: String,
    /// Whether it opened and passed its checks.
    pub ok: bool,
    /// The error code when it did not (`InvalidData`, `Internal`); no path, no details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// `/readyz` answer.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Ready {
    /// True when every network of the network directory opens.
    pub ready: bool,
    /// Each network file found, by name.
    pub networks: Vec<NetworkReady>,
}

/// The readiness of each network named in the directory (opened once; broken ones are tried
/// again on each call).
pub fn check(st: &AppState) -> Ready {
    let names = st.physical.dir().list();
    let networks: Vec<NetworkReady> = names
        .into_iter()
        .map(|name| match st.physical.get(&name) {
            Ok(_) => NetworkReady {
                name,
                ok: true,
                code: None,
            },
            Err(e) => {
                tracing::error!(network = %name, error = %e, "readiness: network file broken");
                NetworkReady {
                    name,
                    ok: false,
                    code: Some(e.code().to_string()),
                }
            }
        })
        .collect();
    Ready {
        ready: networks.iter().all(|n| n.ok),
        networks,
    }
}

/// `GET /readyz`: 200 when every network file opens, else 503 naming the broken ones.
pub async fn readyz(State(st): State<AppState>) -> Response {
    let r = tokio::task::spawn_blocking(move || check(&st)).await;
    match r {
        Ok(ready) => {
            let status = if ready.ready {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (status, Json(ready)).into_response()
        }
        Err(_) => crate::error::ApiError::Internal.into_response(),
    }
}

/// The schema of the `/readyz` answer.
pub fn schema() -> Value {
    serde_json::to_value(schemars::schema_for!(Ready)).unwrap_or(Value::Null)
}
