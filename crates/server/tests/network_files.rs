//! Network files under careless operation (issue 17): a file rewritten in place while the
//! server holds it, a corrupt file, a missing one. The server neither dies nor blames the
//! client: the answers are correct (its own copy) or 503 `NetworkUnavailable` without a
//! file path, and `/readyz` names the broken networks.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use corridor_data::Dataset;
use corridor_engine::Engine;
use corridor_physical::{Meta, Network, NetworkBuilder, NetworkDir};
use corridor_server::{app, Config};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Dostyk → Aktogay → Almaty, 310 + 590 km, as network `name`.
fn line(name: &str, km: f64) -> Network {
    let mut b = NetworkBuilder::new();
    let dostyk = b.add_node(45.25, 82.48).unwrap();
    let aktogay = b.add_node(46.95, 79.66).unwrap();
    let almaty = b.add_node(43.34, 76.95).unwrap();
    let t = b.tag("highway=trunk").unwrap();
    b.add_edge(dostyk, aktogay, Some(310_000.0), t).unwrap();
    b.add_edge(aktogay, almaty, Some(km * 1000.0 - 310_000.0), t)
        .unwrap();
    b.build(
        Meta {
            name: name.into(),
            ..Meta::default()
        },
        false,
    )
    .unwrap()
}

async fn get(r: &axum::Router, uri: &str) -> (StatusCode, String) {
    let resp = r
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let s = resp.status();
    let b = resp.into_body().collect().await.unwrap().to_bytes();
    (s, String::from_utf8_lossy(&b).into_owned())
}

fn router(dir: &std::path::Path) -> axum::Router {
    let engine = Arc::new(Engine::new(Dataset::embedded().unwrap()));
    app(
        engine,
        Config {
            network_dir: Some(dir.to_path_buf()),
            ..Config::default()
        },
    )
}

const OSRM: &str = "/route/v1/driving/82.48,45.25;76.95,43.34";
const PATH: &str = "/v1/path?network=road&from=45.25,82.48&to=43.34,76.95";

/// Overwriting the file in place (truncate, then different bytes) while the server holds the
/// network: with a memory map this was SIGBUS or an out-of-bounds panic in the search; the
/// server's own copy answers as before.
#[tokio::test]
async fn a_network_rewritten_in_place_while_served_does_not_crash_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let store = NetworkDir::new(dir.path());
    let file = store.save("road", &line("road", 900.0)).unwrap();
    let r = router(dir.path());
    let (s, body) = get(&r, OSRM).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["routes"][0]["distance"], 900_000.0);
    // In place: same inode, truncated, then other bytes (a bigger network, then garbage).
    let other = line("road", 1200.0);
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&file)
            .unwrap();
        f.write_all(&other.as_bytes()[..100]).unwrap();
        f.write_all(&vec![0xff; 4096]).unwrap();
    }
    for uri in [OSRM, PATH, "/table/v1/driving/82.48,45.25;76.95,43.34"] {
        let (s, body) = get(&r, uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {body}");
    }
    let (_, body) = get(&r, OSRM).await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["routes"][0]["distance"], 900_000.0, "the copy held");
}

/// A corrupt network file is the server's fault: 503 `NetworkUnavailable` with a JSON body
/// and no file path, on `/v1/path` (it was 400 InvalidValue echoing the path) and on the
/// OSRM endpoints (500); a network never imported is 404 `NetworkNotImported`; `/readyz` says
/// which network is broken, `/healthz` stays live.
#[tokio::test]
async fn a_corrupt_network_is_503_a_missing_one_404_without_a_path_and_readyz_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = NetworkDir::new(dir.path());
    store.save("rail", &line("rail", 900.0)).unwrap();
    let road = store.save("road", &line("road", 900.0)).unwrap();
    let mut bytes = std::fs::read(&road).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55; // the checksum no longer matches
    std::fs::write(&road, &bytes).unwrap();
    let r = router(dir.path());
    let secret = dir.path().display().to_string();
    for uri in [PATH, OSRM, "/table/v1/driving/82.48,45.25;76.95,43.34"] {
        let (s, body) = get(&r, uri).await;
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{uri}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: {e}"));
        assert_eq!(v["code"], "NetworkUnavailable", "{uri}: {body}");
        assert!(v["message"].is_string(), "{body}");
        assert!(!body.contains(&secret) && !body.contains(".cnet"), "{body}");
    }
    // A network never imported is not a fault: 404 naming the import command, no path.
    let (s, body) = get(&r, "/v1/path?network=sea&from=45.25,82.48&to=43.34,76.95").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["code"], "NetworkNotImported", "{body}");
    assert!(
        v["message"].as_str().unwrap().contains("corridor import"),
        "{body}"
    );
    assert!(!body.contains(&secret) && !body.contains(".cnet"), "{body}");
    let (s, body) = get(&r, "/readyz").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["ready"], false);
    assert_eq!(
        v["networks"],
        serde_json::json!([{"name": "rail", "ok": true}, {"name": "road", "ok": false, "code": "InvalidData"}])
    );
    assert!(!body.contains(&secret), "{body}");
    let (s, _) = get(&r, "/healthz").await;
    assert_eq!(s, StatusCode::OK);
    // Replaced by rename (as `corridor import` writes), a new server is ready.
    store.save("road", &line("road", 900.0)).unwrap();
    let (s, body) = get(&router(dir.path()), "/readyz").await;
    assert_eq!(s, StatusCode::OK, "{body}");
}
