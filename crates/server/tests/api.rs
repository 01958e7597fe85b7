//! Every endpoint in-process (no socket), with bad inputs and each limit. Answers are checked
//! against the OpenAPI document the server publishes.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
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

fn router() -> Router {
    app(engine(), Config::default())
}

async fn send(r: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let resp = r.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

async fn get(r: &Router, uri: &str) -> (StatusCode, Value) {
    let (s, _, b) = send(r, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

async fn post(r: &Router, uri: &str, body: &str) -> (StatusCode, Value) {
    let req = Request::post(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (s, _, b) = send(r, req).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

/// Validates `v` against `#/components/schemas/NAME` of the published OpenAPI document.
fn check(name: &str, v: &Value) {
    let mut doc = corridor_server::openapi::document();
    doc["$ref"] = json!(format!("#/components/schemas/{name}"));
    let validator = jsonschema::validator_for(&doc).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
}

#[tokio::test]
async fn route_get_and_post_agree_and_match_the_schema() {
    let r = router();
    let (s, a) = get(&r, "/v1/route?from=Xi%27an&to=Duisburg&cargo=2xFEU").await;
    assert_eq!(s, StatusCode::OK, "{a}");
    check("RouteAnswer", &a);
    assert_eq!(a["query"]["cargo"]["label"], "2xFEU");
    let (s, b) = post(
        &r,
        "/v1/route",
        r#"{"from": "Xi'an", "to": "Duisburg", "cargo": "2xFEU"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(a["itineraries"], b["itineraries"]);
    // The same answer as the CLI's library call.
    let lib = engine()
        .route(&corridor_engine::RouteRequest {
            from: "Xi'an".into(),
            to: "Duisburg".into(),
            lane: corridor_engine::LaneOptions {
                shipment: corridor_engine::ShipmentOptions {
                    cargo: Some("2xFEU".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..Default::default()
        })
        .unwrap();
    let lib: Value = serde_json::from_str(&serde_json::to_string(&lib).unwrap()).unwrap();
    assert_eq!(lib, a);
}

#[tokio::test]
async fn route_errors_use_the_vocabulary() {
    let r = router();
    let (s, e) = get(&r, "/v1/route?from=Aktow&to=Baku").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    check("ErrorBody", &e);
    assert_eq!(e["code"], "UnknownPlace");
    assert_eq!(e["field"], "from");
    assert!(
        e["suggestions"][0].as_str().unwrap().contains("Aktau"),
        "{e}"
    );

    let (s, e) = get(
        &r,
        "/v1/route?from=Kashgar&to=Andijan&via=Makmal&avoid=mode:road",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["code"], "NoRoute");

    let (s, e) = get(&r, "/v1/route?from=Urumqi&to=Baku&optimize=speediest").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("InvalidValue"), Some("optimize"))
    );

    let (s, e) = get(&r, "/v1/route?from=Urumqi&to=Baku&colour=red").await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidQuery"))
    );
    assert!(e["message"].as_str().unwrap().contains("colour"));

    let (s, e) = get(&r, "/v1/route?to=Baku").await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("from"))
    );

    let (s, e) = get(&r, "/v1/route?from=Urumqi&to=Baku&cargo=99999xFEU").await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("TooBig"))
    );

    let (s, e) = post(&r, "/v1/route", "{not json").await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidQuery"))
    );
    let (s, e) = post(
        &r,
        "/v1/route",
        r#"{"from": "Urumqi", "to": "Baku", "colour": 1}"#,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("colour"), "{e}");

    let big = format!(
        r#"{{"from": "Urumqi", "to": "Baku", "via": ["{}"]}}"#,
        "x".repeat(100_000)
    );
    let (s, e) = post(&r, "/v1/route", &big).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("TooBig")),
        "{e}"
    );

    let (s, e) = get(&r, "/v2/route").await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("NotFound"))
    );
}

#[tokio::test]
async fn places_search_and_limits() {
    let r = router();
    let (s, v) = get(&r, "/v1/places?search=%D0%B0%D0%BA%D1%82%D0%B0%D1%83").await; // "актау"
    assert_eq!(s, StatusCode::OK);
    assert!(
        v.as_array().unwrap().iter().any(|p| p["id"] == "KZSCO"),
        "{v}"
    );
    let (_, v) = get(&r, "/v1/places?country=ge&limit=3").await;
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert!(v.as_array().unwrap().iter().all(|p| p["country"] == "GE"));
    let (s, _) = get(&r, "/v1/places?limit=100000").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn table_cells_and_size_limit() {
    let r = router();
    let (s, t) = get(
        &r,
        "/v1/table?from=Xi%27an&from=Urumqi&to=Baku&to=Nowhereville&optimize=cost",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    check("TableAnswer", &t);
    let cells = t["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 4);
    assert!(cells[0]["cost_usd"].as_f64().unwrap() > 0.0);
    assert_eq!(cells[1]["error"], "UnknownPlace");
    let (s, t) = post(
        &r,
        "/v1/table",
        r#"{"pairs": [["Urumqi", "Baku"], ["Chongqing", "Duisburg"]]}"#,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["cells"].as_array().unwrap().len(), 2);
    let many: Vec<String> = (0..101).map(|i| format!("from=P{i}")).collect();
    let to: Vec<String> = (0..101).map(|i| format!("to=Q{i}")).collect();
    let (s, e) = get(
        &r,
        &format!("/v1/table?{}&{}", many.join("&"), to.join("&")),
    )
    .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("TooBig"))
    );
}

#[tokio::test]
async fn health_metrics_openapi() {
    let r = router();
    let (s, h) = get(&r, "/healthz").await;
    assert_eq!(s, StatusCode::OK);
    check("Health", &h);
    let _ = get(&r, "/v1/route?from=Urumqi&to=Baku").await;
    let (s, _, body) = send(&r, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.contains("corridor_http_requests_total{endpoint=\"/v1/route\",status=\"200\"} 1"),
        "{text}"
    );
    assert!(text.contains("corridor_http_request_duration_seconds_count{endpoint=\"/v1/route\"} 1"));
    let (s, doc) = get(&r, "/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    for p in [
        "/v1/route",
        "/v1/table",
        "/v1/places",
        "/healthz",
        "/metrics",
        "/openapi.json",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
}

#[tokio::test]
async fn request_ids_are_echoed_or_made() {
    let r = router();
    let (_, h, _) = send(
        &r,
        Request::get("/healthz")
            .header("x-request-id", "abc-123")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(h["x-request-id"], "abc-123");
    let (_, h, _) = send(&r, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert!(h["x-request-id"].to_str().unwrap().starts_with("req-"));
}

#[tokio::test]
async fn api_key_guards_everything_but_health() {
    let r = app(
        engine(),
        Config {
            api_key: Some("s3cret".into()),
            ..Config::default()
        },
    );
    let (s, e) = get(&r, "/v1/places?search=baku").await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("Unauthorized"))
    );
    let (s, _) = get(&r, "/healthz").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = send(
        &r,
        Request::get("/v1/places?search=baku")
            .header("x-api-key", "s3cret")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = send(
        &r,
        Request::get("/v1/places")
            .header("authorization", "Bearer s3cret")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = send(
        &r,
        Request::get("/v1/places")
            .header("authorization", "Bearer wrong")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn per_client_rate_limit_answers_429() {
    let r = app(
        engine(),
        Config {
            rate_limit_per_s: Some(2),
            ..Config::default()
        },
    );
    let from = |peer: &str, key: &str| {
        let mut req = Request::get("/v1/places?limit=1")
            .header("x-api-key", key)
            .body(Body::empty())
            .unwrap();
        let addr: std::net::SocketAddr = peer.parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        req
    };
    let mut statuses = Vec::new();
    for i in 0..4 {
        // A fresh unconfigured key each time: still the same client (the peer address).
        let (s, h, _) = send(&r, from("192.0.2.1:4000", &format!("client-{i}"))).await;
        if s == StatusCode::TOO_MANY_REQUESTS {
            assert!(h.contains_key("retry-after"));
        }
        statuses.push(s);
    }
    assert_eq!(&statuses[..2], &[StatusCode::OK, StatusCode::OK]);
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS);
    // Another client (peer address) is not affected.
    let (s, _, _) = send(&r, from("192.0.2.2:4000", "client-0")).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn cors_is_opt_in() {
    let r = app(
        engine(),
        Config {
            cors_origins: vec!["https://example.org".into()],
            ..Config::default()
        },
    );
    let (_, h, _) = send(
        &r,
        Request::get("/healthz")
            .header("origin", "https://example.org")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(h["access-control-allow-origin"], "https://example.org");
    let (_, h, _) = send(
        &router(),
        Request::get("/healthz")
            .header("origin", "https://example.org")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(!h.contains_key("access-control-allow-origin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_time_limit_answers_503_with_retry_after() {
    // A 40 × 40 table (1,600 route queries) cannot finish in 1 ms.
    let r = app(
        engine(),
        Config {
            timeout: Duration::from_millis(1),
            ..Config::default()
        },
    );
    let places = [
        "Xi'an",
        "Chongqing",
        "Urumqi",
        "Duisburg",
        "Baku",
        "Tbilisi",
        "Istanbul",
        "Aktau",
    ];
    let from: Vec<String> = (0..40)
        .map(|i| format!("from={}", places[i % places.len()]))
        .collect();
    let to: Vec<String> = (0..40)
        .map(|i| format!("to={}", places[(i + 3) % places.len()]))
        .collect();
    let uri = format!("/v1/table?{}&{}", from.join("&"), to.join("&")).replace('\'', "%27");
    let (s, h, b) = send(&r, Request::get(uri).body(Body::empty()).unwrap()).await;
    assert_eq!(
        s,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        String::from_utf8_lossy(&b)
    );
    assert!(h.contains_key("retry-after"));
    let e: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(e["code"], "Timeout");
    // The server lives on.
    let (s, _) = get(&router(), "/healthz").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_cap_answers_503_and_recovers() {
    let r = app(
        engine(),
        Config {
            max_concurrent: 1,
            ..Config::default()
        },
    );
    let mut saw_503 = false;
    for _round in 0..20 {
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let r = r.clone();
            tasks.push(tokio::spawn(async move {
                let req = Request::get("/v1/route?from=Chongqing&to=Duisburg&optimize=cost")
                    .body(Body::empty())
                    .unwrap();
                let resp = r.oneshot(req).await.unwrap();
                (resp.status(), resp.headers().contains_key("retry-after"))
            }));
        }
        for t in tasks {
            let (s, retry) = t.await.unwrap();
            assert!(
                s == StatusCode::OK || s == StatusCode::SERVICE_UNAVAILABLE,
                "{s}"
            );
            if s == StatusCode::SERVICE_UNAVAILABLE {
                assert!(retry);
                saw_503 = true;
            }
        }
        if saw_503 {
            break;
        }
    }
    assert!(
        saw_503,
        "32 concurrent queries against a cap of 1 never hit the cap"
    );
    let (s, _) = get(&r, "/v1/route?from=Urumqi&to=Baku").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn emissions_chain_get_and_post() {
    let r = router();
    let (s, v) = get(
        &r,
        "/v1/emissions?leg=road:Urumqi-Khorgos&leg=rail:Khorgos-Aktau&cargo=2xFEU",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["legs"].as_array().unwrap().len(), 2);
    assert!(v["footprint"]["totals"].is_object(), "{v}");
    let (s, w) = post(
        &r,
        "/v1/emissions",
        r#"{"leg": ["road:Urumqi-Khorgos", "rail:Khorgos-Aktau"], "cargo": "2xFEU"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["footprint"], w["footprint"]);
    let (s, e) = get(&r, "/v1/emissions?leg=hovercraft:Urumqi-Khorgos").await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("leg")),
        "{e}"
    );
    let (s, e) = get(&r, "/v1/emissions?leg=road:Urumqi-Aktow").await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("UnknownPlace"))
    );
    let (s, e) = get(&r, "/v1/emissions").await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidQuery"))
    );
}

/// Door to door over HTTP: a point as `from` (GET and POST), the answer meets the schema, and
/// a point without terminals in its country is a 400 naming the field.
#[tokio::test]
async fn route_from_a_point_is_door_to_door() {
    let r = router();
    let (s, a) = get(&r, "/v1/route?from=43.30,76.95&to=Duisburg&optimize=time").await;
    assert_eq!(s, StatusCode::OK, "{a}");
    check("RouteAnswer", &a);
    assert_eq!(a["query"]["from"]["input"], "43.30,76.95");
    assert_eq!(a["itineraries"][0]["legs"][0]["from"]["id"], "DOOR-FROM");
    let (s, b) = post(
        &r,
        "/v1/route",
        r#"{"from": "43.30,76.95", "to": "Duisburg", "optimize": "time"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(a["itineraries"], b["itineraries"]);
    let (s, e) = get(&r, "/v1/route?from=59.91,10.75&to=Duisburg").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["code"], "InvalidValue");
    assert_eq!(e["field"], "from");
}

#[tokio::test]
async fn cargo_constraints_over_get_and_post() {
    let r = router();
    // Green channel at Khorgos for agricultural goods, GET and POST alike.
    let q = "/v1/route?from=Urumqi&to=Almaty&optimize=time&avoid=mode:rail&customs=green_channel&goods=agricultural";
    let (s, a) = get(&r, q).await;
    assert_eq!(s, StatusCode::OK, "{a}");
    check("RouteAnswer", &a);
    assert_eq!(a["itineraries"][0]["borders"][0]["dwell_h"], 1.0);
    assert_eq!(
        a["itineraries"][0]["borders"][0]["customs"]["regime"],
        "green_channel"
    );
    let (s, b) = post(
        &r,
        "/v1/route",
        r#"{"from": "Urumqi", "to": "Almaty", "optimize": "time", "avoid": ["mode:rail"], "customs": "green_channel", "goods": "agricultural"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(a["itineraries"], b["itineraries"]);
    // Compliance flags over Russia, with source and date.
    let (s, a) = get(&r, "/v1/route?from=Xi%27an&to=Duisburg&optimize=time").await;
    assert_eq!(s, StatusCode::OK);
    let flags = a["itineraries"][0]["compliance"].as_array().unwrap();
    assert!(flags
        .iter()
        .any(|f| f["id"] == "CP-EU-RU-TRANSIT" && f["as_of"] == "2023-06-23"));
    // Dangerous goods on the Caspian ferries; reefer as a flag.
    let (s, a) = get(
        &r,
        "/v1/route?from=TM-turkmenbashi&to=AZ-alat-port&optimize=time&dangerous_goods=1.1&reefer=true",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["query"]["constraints"]["reefer"], true);
    assert!(a["itineraries"][0]["legs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["mode"] != "ferry"));
    // Errors: a bad class is 400 naming the field; a too-big shipment is 422 naming capacity.
    let (s, e) = get(&r, "/v1/route?from=Aktau&to=Baku&dangerous_goods=x").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["field"], "dangerous_goods");
    let (s, e) = get(
        &r,
        "/v1/route?from=Aktau&to=Baku&optimize=time&cargo=200xFEU&avoid=country:IR,country:RU,country:CN,country:TM",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("capacity per departure"));
    let (s, e) = post(
        &r,
        "/v1/route",
        r#"{"from": "Urumqi", "to": "Almaty", "customs": "green_channel"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["code"], "InvalidQuery");
}

/// `arrive_by` and `budget_ms` on GET and POST: the latest departure arrives in time, the
/// server's budget caps the one asked for, a spent budget is 422 BudgetExceeded.
#[tokio::test]
async fn route_arrive_by_and_budget_ms() {
    let r = app(
        engine(),
        Config {
            query_budget: Duration::from_millis(1500),
            ..Config::default()
        },
    );
    let (s, a) = get(
        &r,
        "/v1/route?from=Aktau&to=Baku&arrive_by=2026-12-20T18:00%2B04:00",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    check("RouteAnswer", &a);
    assert_eq!(a["query"]["arrive_by"], "2026-12-20T14:00:00Z");
    // Not echoed when not asked for: the same request answers as the library does.
    assert!(a["query"].get("budget_ms").is_none(), "{}", a["query"]);
    let t = &a["itineraries"][0]["totals"];
    assert!(
        t["arrive_utc"].as_str().unwrap() <= "2026-12-20T14:00:00Z",
        "{t}"
    );
    let (s, b) = post(
        &r,
        "/v1/route",
        r#"{"from": "Aktau", "to": "Baku", "arrive_by": "2026-12-20T18:00+04:00", "budget_ms": 60000}"#,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["itineraries"][0]["totals"], a["itineraries"][0]["totals"]);
    assert_eq!(
        b["query"]["budget_ms"], 1500,
        "the server's budget caps the one asked for"
    );
    let (s, e) = get(
        &r,
        "/v1/route?from=Aktau&to=Baku&depart=2026-12-01T08:00&budget_ms=0",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["code"], "BudgetExceeded");
    let (s, e) = get(&r, "/v1/route?from=Aktau&to=Baku&arrive_by=tomorrow").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["field"], "arrive_by");
}

#[tokio::test]
async fn route_reliability_on_get_and_post() {
    let r = router();
    let uri = "/v1/route?from=Xi%27an&to=Duisburg&optimize=time&reliability=true&seed=1&draws=2000&deadline_days=17";
    let (s, a) = get(&r, uri).await;
    assert_eq!(s, StatusCode::OK, "{a}");
    check("RouteAnswer", &a);
    let t = &a["itineraries"][0]["totals"];
    let q: Vec<f64> = ["p50", "p80", "p90", "p95"]
        .iter()
        .map(|k| t[format!("transit_days_{k}")].as_f64().unwrap())
        .collect();
    assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    let on_time = t["on_time_probability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&on_time));
    let rel = &a["itineraries"][0]["reliability"];
    assert_eq!(
        (rel["draws"].as_u64(), rel["seed"].as_u64()),
        (Some(2000), Some(1))
    );
    let (s, b) = post(
        &r,
        "/v1/route",
        r#"{"from": "Xi'an", "to": "Duisburg", "optimize": "time", "reliability": true, "seed": 1, "draws": 2000, "deadline_days": 17}"#,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(a["itineraries"], b["itineraries"]);
    let (s, e) = get(
        &r,
        "/v1/route?from=Xi%27an&to=Duisburg&reliability=true&draws=2000000",
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(e.to_string().contains("draws"), "{e}");
}

/// `/v1/assign`: a POST demand answers the flows in the published schema; GET reads the
/// CLI's flags; bad demand, too many rows and too many iterations are refused.
#[tokio::test]
async fn assign_flows_and_limits() {
    let r = router();
    let body = json!({
        "demand": [
            {"from": "Xi'an", "to": "Duisburg", "teu_per_year": 100000.0, "id": "x"},
            {"from": "Urumqi", "to": "Baku", "teu_per_year": 20000.0}
        ],
        "demand_factor": 2.0,
        "gap": 1e-6
    });
    let (s, v) = post(&r, "/v1/assign", &body.to_string()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    check("FlowAnswer", &v);
    assert_eq!(v["demand_teu_per_year"], json!(240000.0));
    assert_eq!(v["od"][0]["id"], "x");
    assert_eq!(v["od"][1]["id"], "row 2");
    assert!(v["convergence"]["converged"].as_bool().unwrap());
    // compare: the run, the baseline and what changed
    let mut b2 = body.clone();
    b2["compare"] = json!(true);
    let (s, v) = post(&r, "/v1/assign", &b2.to_string()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    check("FlowAnswer", &v["baseline"]);
    check("FlowComparison", &v["comparison"]);
    assert_eq!(v["baseline"]["demand_teu_per_year"], json!(120000.0));
    // GET: the flags of the CLI (the data's demand; the embedded data may have none)
    let (s, v) = get(&r, "/v1/assign?demand-factor=2&algorithm=bfw&objective=so").await;
    assert!(
        s == StatusCode::OK || v["message"].as_str().unwrap_or("").contains("no demand"),
        "{s} {v}"
    );
    let (s, v) = get(&r, "/v1/assign?algorithm=magic").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["field"], "algorithm");
    let bad = json!({"demand": [{"from": "Nowhere-ville", "to": "Duisburg", "teu_per_year": 5.0}]});
    let (s, v) = post(&r, "/v1/assign", &bad.to_string()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("Nowhere-ville"),
        "{v}"
    );
    let neg = json!({"demand": [{"from": "Xi'an", "to": "Duisburg", "teu_per_year": -5.0}]});
    let (s, _) = post(&r, "/v1/assign", &neg.to_string()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let rows: Vec<Value> = (0..2001)
        .map(|_| json!({"from": "Xi'an", "to": "Duisburg", "teu_per_year": 1.0}))
        .collect();
    let (s, v) = post(&r, "/v1/assign", &json!({"demand": rows}).to_string()).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    let (s, v) = get(&r, "/v1/assign?max_iter=5000").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}
