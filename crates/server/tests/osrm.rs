//! `/v1/path` and the OSRM-compatible endpoints on a small network the test builds.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use corridor_data::Dataset;
use corridor_engine::Engine;
use corridor_physical::{Meta, NetworkBuilder, NetworkDir};
use corridor_server::{app, Config};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A road network along a line Dostyk → Aktogay → Almaty (lengths as given), saved as `road`.
fn network_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut b = NetworkBuilder::new();
    let dostyk = b.add_node(45.25, 82.48).unwrap();
    let aktogay = b.add_node(46.95, 79.66).unwrap();
    let almaty = b.add_node(43.34, 76.95).unwrap();
    let t = b.tag("highway=trunk").unwrap();
    b.add_edge(dostyk, aktogay, Some(310_000.0), t).unwrap();
    b.add_edge(aktogay, almaty, Some(590_000.0), t).unwrap();
    let net = b
        .build(
            Meta {
                name: "road".into(),
                ..Meta::default()
            },
            false,
        )
        .unwrap();
    NetworkDir::new(dir.path()).save("road", &net).unwrap();
    dir
}

async fn get(r: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let resp = r
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let s = resp.status();
    let b = resp.into_body().collect().await.unwrap().to_bytes();
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

#[tokio::test]
async fn osrm_route_table_and_path() {
    let dir = network_dir();
    let engine = Arc::new(Engine::new(Dataset::embedded().unwrap()));
    let r = app(
        engine,
        Config {
            network_dir: Some(dir.path().to_path_buf()),
            ..Config::default()
        },
    );

    // OSRM route: lon,lat order, metres and seconds, polyline by default.
    let (s, v) = get(&r, "/route/v1/driving/82.48,45.25;76.95,43.34").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["code"], "Ok");
    assert_eq!(v["routes"][0]["distance"], 900_000.0);
    let dur = v["routes"][0]["duration"].as_f64().unwrap();
    assert!((dur - 900_000.0 / (60.0 / 3.6)).abs() < 1e-6, "{dur}");
    assert!(v["routes"][0]["geometry"].is_string());
    assert_eq!(v["waypoints"][0]["location"][0], 82.48);
    assert_eq!(v["routes"][0]["legs"].as_array().unwrap().len(), 1);

    let (_, v) = get(
        &r,
        "/route/v1/driving/82.48,45.25;79.66,46.95;76.95,43.34?geometries=geojson&overview=full",
    )
    .await;
    assert_eq!(v["routes"][0]["legs"].as_array().unwrap().len(), 2);
    assert_eq!(v["routes"][0]["geometry"]["type"], "LineString");
    assert_eq!(
        v["routes"][0]["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // OSRM's own error codes.
    let (s, v) = get(&r, "/route/v1/driving/82.48,45.25;76.95,43.34?steps=true").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("NotImplemented"))
    );
    let (s, v) = get(&r, "/route/v1/driving/182.48,45.25;76.95,43.34").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidValue"))
    );
    let (s, v) = get(&r, "/route/v1/driving/banana").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidUrl"))
    );
    let (s, v) = get(&r, "/route/v1/driving/0,0;76.95,43.34").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("NoSegment"))
    );
    // A network the server has not imported: 404 naming the import command, no path (a
    // broken file is 503 NetworkUnavailable, tests/network_files.rs).
    let (s, v) = get(&r, "/route/v1/train/82.48,45.25;76.95,43.34").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["code"], "NetworkNotImported");
    assert!(
        v["message"].as_str().unwrap().contains("corridor import"),
        "{v}"
    );
    let (s, v) = get(&r, "/route/v1/hovercraft/82.48,45.25;76.95,43.34").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidValue"))
    );

    // OSRM table.
    let (s, v) = get(&r, "/table/v1/driving/82.48,45.25;79.66,46.95;76.95,43.34?annotations=distance,duration&sources=0").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["distances"][0],
        serde_json::json!([0.0, 310_000.0, 900_000.0])
    );
    assert_eq!(v["durations"][0].as_array().unwrap().len(), 3);
    assert_eq!(v["sources"].as_array().unwrap().len(), 1);
    let (s, v) = get(&r, "/table/v1/driving/82.48,45.25;76.95,43.34?sources=5").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidValue"))
    );

    // corridor's own /v1/path, with places resolved from the corridor data.
    let (s, v) = get(&r, "/v1/path?network=road&from=45.2,82.5&to=Almaty").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["distance_km"], 900.0);
    assert!(v["from"]["snap"]["distance_km"].as_f64().unwrap() < 10.0);
    let (s, v) = get(&r, "/v1/path?network=road&from=Aktow&to=Almaty").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("UnknownPlace"))
    );
    let (s, v) = get(&r, "/v1/path?network=road&from=0,0&to=Almaty").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("NoSnap"))
    );
    // The message names the API's parameter, not the CLI's flag.
    let m = v["message"].as_str().unwrap();
    assert!(m.contains("max_snap_km") && !m.contains("--"), "{m}");
    let (s, v) = get(&r, "/v1/path?network=rail&from=Dostyk&to=Almaty").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("NetworkNotImported"))
    );
}

/// With a contraction hierarchy beside the network, `/v1/path` and the OSRM table use it and
/// answer the same lengths; `/v1/path` answers as `corridor path --format json` and takes
/// the passage options.
#[tokio::test]
async fn prepared_networks_answer_with_the_hierarchy_and_path_takes_passage_options() {
    let dir = network_dir();
    let store = NetworkDir::new(dir.path());
    let net = store.open("road").unwrap();
    let h = corridor_physical::ch::build(
        &net,
        &corridor_physical::search::TagFilter::default(),
        &[],
        &corridor_physical::ch::Params::default(),
        &|_| {},
    );
    h.write(&store.ch_path("road").unwrap()).unwrap();
    let engine = Arc::new(Engine::new(Dataset::embedded().unwrap()));
    let r = app(
        engine,
        Config {
            network_dir: Some(dir.path().to_path_buf()),
            ..Config::default()
        },
    );
    let (s, v) = get(
        &r,
        "/table/v1/driving/82.48,45.25;79.66,46.95;76.95,43.34?annotations=distance",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["distances"],
        serde_json::json!([
            [0.0, 310_000.0, 900_000.0],
            [310_000.0, 0.0, 590_000.0],
            [900_000.0, 590_000.0, 0.0]
        ])
    );
    let (s, v) = get(
        &r,
        "/v1/path?network=road&from=45.25,82.48&to=43.34,76.95&simplify_km=0",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["algorithm"].as_str(), v["distance_km"].as_f64()),
        (Some("ch"), Some(900.0))
    );
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "algorithm",
            "attribution",
            "connector_km",
            "distance_km",
            "from",
            "geometry",
            "geometry_points",
            "network",
            "nodes",
            "search_ms",
            "settled",
            "source",
            "tags",
            "to",
            "warnings"
        ]
    );
    assert_eq!(v["from"]["snap"]["node"], 0);
    assert_eq!(v["geometry"]["coordinates"].as_array().unwrap().len(), 3);
    assert_eq!(
        v["tags"][0],
        serde_json::json!({"tag": "highway=trunk", "distance_km": 900.0})
    );
    // Passage options: a known passage is accepted (the network has none), an unknown one
    // is refused naming the field.
    let (s, v) = get(&r, "/v1/path?network=road&from=45.25,82.48&to=Almaty&avoid=passage:suez&allow=passage:northwest").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = get(
        &r,
        "/v1/path?network=road&from=45.25,82.48&to=Almaty&avoid=passage:atlantis",
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str(), v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidValue"), Some("avoid")),
        "{v}"
    );
    let (s, v) = get(
        &r,
        "/v1/path?network=road&from=45.25,82.48&to=Almaty&simplify_km=-1",
    )
    .await;
    assert_eq!(
        (s, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("simplify_km"))
    );
}

/// A table past the time limit answers 503 `Timeout` and its search stops there (the budget
/// is checked inside the search loop), so the only worker is free again at once: before,
/// the n × m searches ran on to the end after the 503, holding the worker.
#[tokio::test]
async fn a_table_past_the_time_limit_stops_and_frees_its_worker() {
    let dir = tempfile::tempdir().unwrap();
    let side = 100;
    let mut b = NetworkBuilder::new();
    for i in 0..side {
        for j in 0..side {
            b.add_node(50.0 + i as f64 * 0.02, 20.0 + j as f64 * 0.03)
                .unwrap();
        }
    }
    for i in 0..side {
        for j in 0..side {
            let u = (i * side + j) as u32;
            if j + 1 < side {
                b.add_edge(u, u + 1, None, 0).unwrap();
            }
            if i + 1 < side {
                b.add_edge(u, u + side as u32, None, 0).unwrap();
            }
        }
    }
    let net = b
        .build(
            Meta {
                name: "road".into(),
                ..Meta::default()
            },
            false,
        )
        .unwrap();
    NetworkDir::new(dir.path()).save("road", &net).unwrap();
    let engine = Arc::new(Engine::new(Dataset::embedded().unwrap()));
    let r = app(
        engine,
        Config {
            network_dir: Some(dir.path().to_path_buf()),
            max_concurrent: 1,
            timeout: std::time::Duration::from_millis(30),
            ..Config::default()
        },
    );
    // Opens the network (not budgeted: on a busy machine it may outlast the limit, then the
    // worker is busy until it is open).
    let t = std::time::Instant::now();
    while get(&r, "/route/v1/driving/20.0,50.0;20.03,50.0").await.0 != StatusCode::OK {
        assert!(
            t.elapsed() < std::time::Duration::from_secs(60),
            "cannot open the network"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let coords: Vec<String> = (0..100)
        .map(|k| {
            format!(
                "{:.2},{:.2}",
                20.0 + (k % 10) as f64 * 0.3,
                50.0 + (k / 10) as f64 * 0.2
            )
        })
        .collect();
    let (s, v) = get(&r, &format!("/table/v1/driving/{}", coords.join(";"))).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("Timeout")),
        "{v}"
    );
    // The worker is free at once (the full table takes many seconds here).
    let t = std::time::Instant::now();
    loop {
        let (s, v) = get(&r, "/route/v1/driving/20.0,50.0;20.03,50.0").await;
        if s == StatusCode::OK {
            break;
        }
        // Overloaded while the worker is busy; Timeout if this small query itself was
        // scheduled late on a busy machine.
        assert!(v["code"] == "Overloaded" || v["code"] == "Timeout", "{v}");
        assert!(
            t.elapsed() < std::time::Duration::from_secs(2),
            "the worker is still busy"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
