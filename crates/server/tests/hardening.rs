//! Hostile and careless use, in-process: errors are the documented JSON, the API key lets the
//! web page in, long names are refused before any matching, slow bodies time out.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use corridor_data::Dataset;
use corridor_engine::Engine;
use corridor_server::{app, Config};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

fn engine() -> Arc<Engine> {
    static E: OnceLock<Arc<Engine>> = OnceLock::new();
    E.get_or_init(|| Arc::new(Engine::new(Dataset::embedded().expect("embedded data"))))
        .clone()
}

async fn send(r: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let resp = r.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        headers,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn is_json(h: &axum::http::HeaderMap) -> bool {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

#[tokio::test]
async fn method_not_allowed_and_bad_utf8_paths_answer_documented_json() {
    let r = app(engine(), Config::default());
    let (s, h, v) = send(&r, Request::post("/v1/places").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert!(is_json(&h), "{h:?}");
    assert_eq!(v["code"], "InvalidQuery", "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("POST is not allowed"),
        "{v}"
    );
    // A path segment that is not UTF-8 (%FF): the OSRM endpoints answer OSRM's InvalidUrl,
    // the others InvalidQuery; JSON either way.
    let (s, h, v) = send(&r, get("/route/v1/driving/%FF%FE;1,2")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_json(&h), "{h:?}");
    assert_eq!(v["code"], "InvalidUrl", "{v}");
    let (s, h, v) = send(&r, get("/vendor/%FF")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_json(&h), "{h:?}");
    assert_eq!(v["code"], "InvalidQuery", "{v}");
}

#[tokio::test]
async fn with_an_api_key_the_page_and_openapi_are_open_and_the_api_is_not() {
    let r = app(
        engine(),
        Config {
            api_key: Some("s3cret".into()),
            ..Config::default()
        },
    );
    for open in [
        "/",
        "/index.html",
        "/app.js",
        "/style.css",
        "/vendor/d3-geo.min.js",
        "/openapi.json",
        "/healthz",
    ] {
        let (s, _, _) = send(&r, get(open)).await;
        assert_eq!(s, StatusCode::OK, "{open}");
    }
    for closed in ["/v1/places", "/metrics", "/v1/route?from=Aktau&to=Baku"] {
        let (s, _, v) = send(&r, get(closed)).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("Unauthorized")),
            "{closed}"
        );
    }
    // An empty header is not the key.
    let req = Request::get("/v1/places")
        .header("x-api-key", "")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&r, req).await.0, StatusCode::UNAUTHORIZED);
    // The page sends the key it is given (?key= moves to sessionStorage, sent as X-API-Key).
    let js = include_str!("../../../web/app.js");
    assert!(js.contains(r#"headers["X-API-Key"] = key"#));
    assert!(js.contains(r#"p.has("key")"#));
}

#[tokio::test]
async fn long_place_names_are_refused_before_any_matching() {
    let r = app(engine(), Config::default());
    let long = "Z".repeat(8000);
    let to: Vec<&str> = vec!["Baku"; 60];
    let t0 = Instant::now();
    let req = Request::post("/v1/table")
        .header("content-type", "application/json")
        .body(Body::from(json!({"from": [long], "to": to}).to_string()))
        .unwrap();
    let (s, _, v) = send(&r, req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(
        (v["code"].as_str(), v["field"].as_str()),
        (Some("InvalidValue"), Some("from"))
    );
    assert!(
        v["message"].as_str().unwrap().contains("at most 200"),
        "{v}"
    );
    let name = "Q".repeat(60_000);
    let req = Request::post("/v1/route")
        .header("content-type", "application/json")
        .body(Body::from(json!({"from": name, "to": "Baku"}).to_string()))
        .unwrap();
    let (s, _, v) = send(&r, req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["field"], "from", "{v}");
    // Both answered without matching (was minutes and 3 s); a generous bound for a busy CI.
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    // At the limit: an unknown name with 60 destinations is one suggestion search, not 60.
    let at = "Z".repeat(200);
    let t0 = Instant::now();
    let req = Request::post("/v1/table")
        .header("content-type", "application/json")
        .body(Body::from(json!({"from": [at], "to": to}).to_string()))
        .unwrap();
    let (s, _, v) = send(&r, req).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["cells"].as_array().unwrap().len(), 60);
    assert_eq!(v["cells"][59]["error"], "UnknownPlace", "{v}");
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
}

#[tokio::test]
async fn a_body_that_never_finishes_times_out_with_408() {
    let r = app(
        engine(),
        Config {
            body_timeout: Duration::from_millis(300),
            ..Config::default()
        },
    );
    // Half a body, then nothing.
    let stream = futures_like_stream();
    let req = Request::post("/v1/route")
        .header("content-type", "application/json")
        .body(Body::from_stream(stream))
        .unwrap();
    let t0 = Instant::now();
    let (s, _, v) = send(&r, req).await;
    assert_eq!(s, StatusCode::REQUEST_TIMEOUT, "{v}");
    assert_eq!(v["code"], "Timeout");
    assert!(t0.elapsed() < Duration::from_secs(3));
}

/// A body stream that yields one chunk and then never ends.
fn futures_like_stream(
) -> impl futures_core::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send + 'static {
    struct Half(bool);
    impl futures_core::Stream for Half {
        type Item = Result<axum::body::Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            if self.0 {
                std::task::Poll::Pending
            } else {
                self.0 = true;
                std::task::Poll::Ready(Some(Ok(axum::body::Bytes::from_static(b"{\"from\":"))))
            }
        }
    }
    Half(false)
}

#[tokio::test]
async fn an_absurd_leg_distance_is_invalid_not_null_totals() {
    let r = app(engine(), Config::default());
    let (s, _, v) = send(&r, get("/v1/emissions?leg=road:Urumqi-Khorgos:1e308km")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(
        (v["code"].as_str(), v["field"].as_str()),
        (Some("InvalidValue"), Some("distance_km")),
        "{v}"
    );
    let (s, _, v) = send(&r, get("/v1/emissions?leg=road:Urumqi-Khorgos:680km")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}
