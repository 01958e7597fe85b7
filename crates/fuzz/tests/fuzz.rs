//! The fuzz targets (see the crate docs): each test runs one parser on mutated fixtures for
//! its time budget and fails on any panic, naming the saved inputs.

use std::path::{Path, PathBuf};

use corridor_fuzz::{budget, run};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn assert_clean(r: corridor_fuzz::Report) {
    assert!(r.findings.is_empty(), "panics on {:?}", r.findings);
}

/// The data folder: one file of the mini fixture mutated, the whole folder loaded and checked.
#[test]
fn fuzz_data_folder() {
    let raw = corridor_data::RawFiles::read_dir(&fixtures().join("mini")).unwrap();
    let mut names: Vec<&'static str> = raw.files.keys().copied().collect();
    names.sort();
    let seeds: Vec<Vec<u8>> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut s = vec![i as u8];
            s.extend_from_slice(raw.files[n].as_bytes());
            s
        })
        .collect();
    assert_clean(run("data", &seeds, budget(), |b| {
        let Some((&which, text)) = b.split_first() else {
            return;
        };
        let mut r = raw.clone();
        let name = names[which as usize % names.len()];
        r.files
            .insert(name, String::from_utf8_lossy(text).into_owned());
        let _ = corridor_data::Dataset::from_raw(&r);
    }));
}

/// Scenario TOML files: the shipped scenarios mutated, parsed.
#[test]
fn fuzz_scenario_toml() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    assert_clean(run("scenario", &seeds, budget(), |b| {
        let _ = corridor_scenario::parse("fuzz.toml", &String::from_utf8_lossy(b));
    }));
}

/// A small built network's bytes (and its hierarchy's), mutated: a file that opens must
/// answer a search without panicking.
fn network() -> corridor_physical::Network {
    let mut b = corridor_physical::NetworkBuilder::new();
    let mut prev = None;
    for i in 0..12 {
        let v = b
            .add_node(40.0 + i as f64 * 0.3, 60.0 + (i % 4) as f64 * 0.5)
            .unwrap();
        if let Some(u) = prev {
            b.add_edge(u, v, None, corridor_physical::NO_TAG).unwrap();
        }
        if i >= 3 && i % 3 == 0 {
            b.add_edge(v, v - 3, None, corridor_physical::NO_TAG)
                .unwrap();
        }
        prev = Some(v);
    }
    b.build(corridor_physical::Meta::default(), false).unwrap()
}

#[test]
fn fuzz_network_and_hierarchy_files() {
    use corridor_physical::{ch, search::TagFilter, ChQuery, ContractionHierarchy, Network};
    let net = network();
    let h = ch::build(
        &net,
        &TagFilter::default(),
        &[],
        &ch::Params::default(),
        &|_| {},
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.ch");
    let mut seeds = vec![[&[0u8][..], net.as_bytes()].concat()];
    seeds.push([&[1u8][..], h.as_bytes()].concat());
    assert_clean(run("network-files", &seeds, budget(), |b| {
        let Some((&which, bytes)) = b.split_first() else {
            return;
        };
        if which % 2 == 0 {
            if let Ok(n) = Network::from_bytes(bytes, Path::new("fuzz.cnet")) {
                let count = n.node_count() as u32;
                if count > 0 {
                    let mut d = corridor_physical::search::Dijkstra::new(n.node_count());
                    d.run(&n, 0, None);
                    let _ = d.distance(count - 1);
                }
            }
        } else {
            let _ = std::fs::write(&path, bytes);
            if let Ok(c) = ContractionHierarchy::read(&path, &net) {
                let n = net.node_count() as u32;
                let mut q = ChQuery::new(net.node_count());
                for (s, t) in [(0, n - 1), (n - 1, 0), (3, 7)] {
                    let _ = q.path(&net, &c, s, t);
                }
            }
        }
    }));
}

/// The OSM PBF importer on mutated bytes of the committed fixture.
#[test]
fn fuzz_osm_pbf() {
    use corridor_physical::import::osm::{import, Kind};
    let seed = std::fs::read(fixtures().join("osm/fixture.osm.pbf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.osm.pbf");
    assert_clean(run("osm-pbf", &[seed], budget(), |b| {
        let _ = std::fs::write(&path, b);
        for kind in [Kind::Rail, Kind::Road] {
            let _ = import(&path, kind, "fuzz", false);
        }
    }));
}

/// Query strings of the GET endpoints, parsed as the server parses them.
#[test]
fn fuzz_query_strings() {
    use corridor_server::params;
    let seeds: Vec<Vec<u8>> = [
        "from=Urumqi&to=Baku&cargo=box&modes=rail,sea&avoid=country:RU&depart=2026-03-01T08:00Z",
        "from=Dostyk&from=Khorgos&to=Baku&to=Poti&objective=time&limit=3",
        "leg=road:Urumqi-Khorgos:650km&leg=rail:Khorgos-Aktau&cargo=feu&mass_t=20",
        "from=Aktau&to=Baku&reliability=true&draws=500&seed=7&deadline_days=12.5",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    assert_clean(run("query-strings", &seeds, budget(), |b| {
        let q = String::from_utf8_lossy(b);
        let _ = params::route_request(&q);
        let _ = params::table_request(&q);
        let _ = params::emissions_request(&q);
    }));
}

/// Request bodies and query strings through the whole router (no socket): never a 5xx but
/// 503 (time limit), never a body that is not JSON.
#[test]
fn fuzz_request_bodies() {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let engine = std::sync::Arc::new(corridor_engine::Engine::new(
        corridor_data::Dataset::embedded().unwrap(),
    ));
    let app = corridor_server::app(engine, corridor_server::Config::default());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let seeds: Vec<Vec<u8>> = [
        "0/v1/route{\"from\":\"Urumqi\",\"to\":\"Baku\",\"cargo\":\"box\"}",
        "1/v1/table{\"from\":[\"Dostyk\"],\"to\":[\"Baku\",\"Poti\"]}",
        "2/v1/emissions{\"legs\":[{\"mode\":\"rail\",\"from\":\"Khorgos\",\"to\":\"Aktau\"}]}",
        "3/v1/route?from=Urumqi&to=Baku&objective=cost",
        "4/v1/path?network=rail&from=Dostyk&to=Almaty",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    assert_clean(run("requests", &seeds, budget(), |b| {
        let Some((&which, rest)) = b.split_first() else {
            return;
        };
        let text = String::from_utf8_lossy(rest);
        let (uri, body) = match text.find('{') {
            Some(i) => (text[..i].to_string(), text[i..].to_string()),
            None => (text.to_string(), String::new()),
        };
        let uri: String = uri
            .chars()
            .filter(|c| !c.is_control() && *c != ' ')
            .collect();
        let req = if which % 2 == 0 && !body.is_empty() {
            Request::post(&uri)
                .header("content-type", "application/json")
                .body(Body::from(body))
        } else {
            Request::get(&uri).body(Body::empty())
        };
        let Ok(req) = req else { return };
        let (status, bytes) = rt.block_on(async {
            let resp = app.clone().oneshot(req).await.unwrap();
            let s = resp.status();
            (s, resp.into_body().collect().await.unwrap().to_bytes())
        });
        assert!(
            status.as_u16() < 500 || status.as_u16() == 503,
            "{status} for {uri}"
        );
        if !status.is_success() {
            assert!(
                serde_json::from_slice::<serde_json::Value>(&bytes).is_ok(),
                "{status} for {uri}: not JSON"
            );
        }
    }));
}
