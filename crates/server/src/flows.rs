//! `GET/POST /v1/assign`: flows on the corridor network (docs/flows.md), bounded: at most
//! [`MAX_API_DEMAND_ROWS`] demand rows and [`MAX_API_ITER`] iterations, and stopped at 70 % of
//! the request timeout with the gap reached (marked not converged, with a warning).

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use corridor_engine::flows::{compare, FlowRequest};
use corridor_engine::{LaneOptions, QueryError};

use crate::error::ApiError;
use crate::{json_body, run_stoppable, AppState};

/// Most demand rows in one request.
pub const MAX_API_DEMAND_ROWS: usize = 2000;
/// Most iterations in one request.
pub const MAX_API_ITER: u32 = 2000;

pub(crate) async fn assign_get(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let req: FlowRequest = crate::params::from_query(q.as_deref().unwrap_or(""))?;
    answer(st, req).await
}

pub(crate) async fn assign_post(
    State(st): State<AppState>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let req: FlowRequest = json_body(body, st.cfg.max_body_bytes)?;
    answer(st, req).await
}

async fn answer(st: AppState, req: FlowRequest) -> Result<Response, ApiError> {
    if let Some(d) = &req.demand {
        if d.len() > MAX_API_DEMAND_ROWS {
            return Err(ApiError::Query(QueryError::TooBig {
                message: format!(
                    "{} demand rows; /v1/assign takes at most {MAX_API_DEMAND_ROWS} (the CLI takes more)",
                    d.len()
                ),
            }));
        }
    }
    if req.max_iter.is_some_and(|n| n > MAX_API_ITER) {
        return Err(ApiError::invalid(
            "max_iter",
            format!("at most {MAX_API_ITER} on the API (the CLI takes more)"),
        ));
    }
    let areq = req.to_assign().map_err(ApiError::Query)?;
    let lane = LaneOptions {
        scenario: req.scenario.clone(),
        ..Default::default()
    };
    let scenarios = crate::scenarios::parse(&lane)?;
    let cache = st.scenarios.clone();
    let budget = st.cfg.timeout.mul_f64(if req.compare { 0.35 } else { 0.7 });
    let compare_too = req.compare;
    let value = run_stoppable(&st, move |e, _stop| {
        let run_engine = if scenarios.is_empty() {
            None
        } else {
            Some(cache.engine(e, &scenarios)?)
        };
        let on = run_engine.as_deref().unwrap_or(e);
        let from = "demand.csv of the data";
        let from = if areq.demand.is_some() {
            "the request"
        } else {
            from
        };
        let deadline = Some(Instant::now() + budget);
        let mut check = |_: usize, _: f64| {};
        let mut run = on.assign_flows_until(&areq, from, &mut check, deadline)?;
        if !scenarios.is_empty() {
            run.warnings.push(format!(
                "scenarios applied: {}",
                scenarios
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !compare_too {
            return Ok(serde_json::to_value(&run).unwrap_or_default());
        }
        let breq = areq.baseline();
        let deadline = Some(Instant::now() + budget);
        let base = e.assign_flows_until(&breq, from, &mut check, deadline)?;
        let c = compare(&base, &run);
        Ok(serde_json::json!({"run": run, "baseline": base, "comparison": c}))
    })
    .await?;
    Ok(Json(value).into_response())
}
