//! `scenario` on /v1/route and /v1/table, and /v1/compare, in-process (no socket).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use corridor_data::Dataset;
use corridor_engine::Engine;
use corridor_server::{app, Config};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

fn router() -> Router {
    app(
        Arc::new(Engine::new(Dataset::embedded().expect("embedded data"))),
        Config::default(),
    )
}

async fn send(r: &Router, req: Request<Body>) -> (StatusCode, Value) {
    let resp = r.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let b = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

async fn get(r: &Router, uri: &str) -> (StatusCode, Value) {
    send(r, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(r: &Router, uri: &str, body: &Value) -> (StatusCode, Value) {
    let req = Request::post(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    send(r, req).await
}

fn days(a: &Value) -> f64 {
    a["itineraries"][0]["totals"]["transit_days"]
        .as_f64()
        .unwrap()
}

const LANE: &str = "/v1/route?from=Urumqi&to=Baku&avoid=country:RU,country:IR&optimize=time";

/// The Caspian backlog by name moves Urumqi→Baku (avoiding RU and IR) by ≥ 9 days, and the
/// answer names it with its hash; the same scenario's text in a POST body answers the same.
#[tokio::test]
async fn route_with_a_shipped_scenario_and_with_its_text() {
    let r = router();
    let (s, base) = get(&r, LANE).await;
    assert_eq!(s, StatusCode::OK, "{base}");
    let (s, with) = get(&r, &format!("{LANE}&scenario=caspian-backlog")).await;
    assert_eq!(s, StatusCode::OK, "{with}");
    assert!(days(&with) - days(&base) >= 9.0);
    let sc = corridor_scenario::shipped("caspian-backlog")
        .unwrap()
        .unwrap();
    assert_eq!(with["data"]["scenarios"][0]["name"], "caspian-backlog");
    assert_eq!(with["data"]["scenarios"][0]["hash"], sc.short_hash());
    assert!(base["data"].get("scenarios").is_none());

    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/caspian-backlog.toml"),
    )
    .unwrap();
    let body = json!({"from": "Urumqi", "to": "Baku", "avoid": ["country:RU", "country:IR"],
                      "optimize": "time", "scenario_toml": [text]});
    let (s, posted) = post(&r, "/v1/route", &body).await;
    assert_eq!(s, StatusCode::OK, "{posted}");
    assert_eq!(days(&posted), days(&with));
}

/// A name that is not shipped (a path included: the server reads no files) is 400 naming the
/// field and listing the shipped ones; a malformed text is 400 with its line.
#[tokio::test]
async fn unknown_and_malformed_scenarios_are_refused() {
    let r = router();
    for name in [
        "nope",
        "%2Fetc%2Fpasswd",
        "scenarios%2Fcaspian-backlog.toml",
    ] {
        let (s, e) = get(&r, &format!("{LANE}&scenario={name}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert_eq!(e["field"], "scenario", "{e}");
        assert!(
            e["message"].as_str().unwrap().contains("red-sea-closed"),
            "{e}"
        );
    }
    // scenario_toml is for POST bodies: not a query parameter.
    let (s, _) = get(&r, &format!("{LANE}&scenario_toml=x")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let body =
        json!({"from": "Urumqi", "to": "Baku", "scenario_toml": ["name = \"x\"\nfoo = 1\n"]});
    let (s, e) = post(&r, "/v1/route", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["field"], "scenario_toml");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("scenario_toml[0]:2"),
        "{e}"
    );
}

/// /v1/compare: deltas are the differences of separate routes; bounds are enforced.
#[tokio::test]
async fn compare_matches_separate_routes_and_is_bounded() {
    let r = router();
    let (s, a) = get(
        &r,
        "/v1/compare?from=Urumqi&to=Baku&to=Tbilisi&scenario=caspian-backlog&scenario=no-russia-belarus",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["lanes"].as_array().unwrap().len(), 2);
    for (i, to) in ["Baku", "Tbilisi"].iter().enumerate() {
        let (_, b) = get(&r, &format!("/v1/route?from=Urumqi&to={to}&optimize=time")).await;
        let (_, w) = get(
            &r,
            &format!("/v1/route?from=Urumqi&to={to}&optimize=time&scenario=caspian-backlog"),
        )
        .await;
        let c = &a["lanes"][i]["scenarios"][0];
        assert_eq!(c["scenario"], "caspian-backlog");
        assert!((c["delta_days"].as_f64().unwrap() - (days(&w) - days(&b))).abs() < 1e-9);
    }
    // No scenario, too many scenarios, too many lanes.
    let (s, e) = get(&r, "/v1/compare?from=Urumqi&to=Baku").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let six = "&scenario=caspian-backlog".repeat(6);
    let (s, _) = get(&r, &format!("/v1/compare?from=Urumqi&to=Baku{six}")).await;
    assert!(
        s == StatusCode::BAD_REQUEST || s == StatusCode::PAYLOAD_TOO_LARGE,
        "{s}"
    );
    let pairs: Vec<[&str; 2]> = (0..101).map(|_| ["Urumqi", "Baku"]).collect();
    let (s, e) = post(
        &r,
        "/v1/compare",
        &json!({"pairs": pairs, "scenario": ["caspian-backlog"]}),
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
}
