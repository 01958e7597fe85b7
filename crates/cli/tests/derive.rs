//! `corridor derive-geometry` end to end: the mini data folder measured on tiny rail, road and
//! sea networks the test writes (a sound rail line, a road detour, a missing road, a Caspian
//! lane, rail ends the network does not join), then validate, route and staleness.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use corridor_testkit::workspace_root as root;

fn corridor(nets: &Path) -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.env("CORRIDOR_DATA", nets).env_remove("CORRIDOR_PYTHON");
    c
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap()
}

/// An scgraph-data module: `nodes` joined in a chain, km as the literal (the importer raises
/// arcs to their great-circle length).
fn module(name: &str, chains: &[&[(f64, f64)]]) -> String {
    let mut nodes = Vec::new();
    let mut graph: Vec<Vec<(usize, f64)>> = Vec::new();
    for chain in chains {
        let base = nodes.len();
        for (i, p) in chain.iter().enumerate() {
            nodes.push(*p);
            graph.push(Vec::new());
            if i > 0 {
                graph[base + i - 1].push((base + i, 0.0));
                graph[base + i].push((base + i - 1, 0.0));
            }
        }
    }
    let g: Vec<String> = graph
        .iter()
        .map(|adj| {
            let e: Vec<String> = adj.iter().map(|(j, km)| format!("{j}: {km}")).collect();
            format!("{{{}}}", e.join(", "))
        })
        .collect();
    let n: Vec<String> = nodes
        .iter()
        .map(|(lat, lon)| format!("[{lat}, {lon}]"))
        .collect();
    format!(
        "\nfrom scgraph.core import GeoGraph\ngraph=[{}]\nnodes=[{}]\n{name}_geograph = GeoGraph(graph=graph, nodes=nodes)\n",
        g.join(", "),
        n.join(", ")
    )
}

/// Networks under the mini fixture's places: alpha (44.0,88.0), bravo (45.0,82.6), charlie
/// (45.2,82.5), delta (43.6,51.2), echo (40.0,49.4), foxtrot (41.7,44.8).
fn networks(dir: &Path) -> PathBuf {
    let nets = dir.join("nets");
    let pkg = dir.join("scgraph_data");
    std::fs::create_dir_all(&pkg).unwrap();
    let rail = module(
        "world_railways",
        &[
            // alpha → bravo along a sound line with a bend.
            &[(44.0, 88.0), (45.0, 85.3), (45.0, 82.6)],
            // charlie → delta across the steppe.
            &[(45.2, 82.5), (46.0, 75.0), (45.5, 65.0), (43.6, 51.2)],
            // echo and foxtrot on lines that do not meet.
            &[(40.0, 49.4), (40.1, 49.0)],
            &[(41.7, 44.8), (41.6, 45.2)],
        ],
    );
    std::fs::write(pkg.join("world_railways.py"), rail).unwrap();
    // alpha → bravo by road only through a far detour; nothing near charlie or delta.
    let road = module(
        "world_highways",
        &[&[(44.0, 88.0), (38.0, 86.0), (45.0, 82.6)]],
    );
    std::fs::write(pkg.join("world_highways.py"), road).unwrap();
    let marnet = dir.join("searoute");
    std::fs::create_dir_all(marnet.join("data")).unwrap();
    std::fs::write(
        marnet.join("data/marnet_searoute.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[51.2,43.6],[50.8,42.0],[49.4,40.0]]}}]}"#,
    )
    .unwrap();
    for only in ["rail", "road"] {
        corridor(&nets)
            .args(["import", "scgraph-data", "--quiet", "--only", only])
            .arg("--package-dir")
            .arg(&pkg)
            .assert()
            .success();
    }
    corridor(&nets)
        .args(["import", "marnet", "--quiet", "--package-dir"])
        .arg(&marnet)
        .assert()
        .success();
    nets
}

/// The mini fixture in a temporary folder, with the network sources added.
fn data(dir: &Path) -> PathBuf {
    let d = dir.join("data");
    std::fs::create_dir_all(&d).unwrap();
    for e in std::fs::read_dir(root().join("tests/fixtures/mini")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), d.join(e.file_name())).unwrap();
    }
    let mut sources = std::fs::read_to_string(d.join("sources.csv")).unwrap();
    for n in ["RAIL", "ROAD", "SEA"] {
        sources.push_str(&format!(
            "SRC-NET-{n},test {n} network,test,,2026,written by the test\n"
        ));
    }
    std::fs::write(d.join("sources.csv"), sources).unwrap();
    d
}

fn rows(file: &Path) -> Vec<csv::StringRecord> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    r.records().map(Result::unwrap).collect()
}

/// The fastest route alpha → bravo on data folder `d`, avoiding `avoid`, as JSON.
fn alpha_bravo(nets: &Path, d: &Path, avoid: &str) -> serde_json::Value {
    let out = corridor(nets)
        .arg("--data")
        .arg(d)
        .args(["route", "CN-alpha", "CN-bravo", "--optimize", "time"])
        .args(["--avoid", avoid, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out.stdout)
}

#[test]
fn derive_measures_judges_and_routing_uses_the_network_km() {
    let dir = tempfile::tempdir().unwrap();
    let nets = networks(dir.path());
    let d = data(dir.path());
    let out = corridor(&nets)
        .arg("--data")
        .arg(&d)
        .args(["derive-geometry", "--quiet"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("3 measured, 1 rejected, 2 unrouted"),
        "{stderr}"
    );
    let file = d.join("link_geometry.csv");
    let by: std::collections::HashMap<String, csv::StringRecord> = rows(&file)
        .into_iter()
        .map(|r| (r[0].to_string(), r))
        .collect();
    // link,network,status,distance_km,connector_km,snap_from_km,snap_to_km,stated_km,geometry,reason,source
    let status = |id: &str| by[id][2].to_string();
    assert_eq!(status("ab-rail"), "measured");
    assert_eq!(status("cd-rail"), "measured");
    assert_eq!(status("de-ferry"), "measured");
    assert_eq!(&by["de-ferry"][1], "sea");
    assert_eq!(status("ab-road"), "rejected");
    assert!(by["ab-road"][9].contains("a detour"), "{:?}", by["ab-road"]);
    assert_eq!(status("cd-road"), "unrouted");
    assert!(by["cd-road"][9].contains("from the road network"));
    assert_eq!(status("ef-rail"), "unrouted");
    assert!(by["ef-rail"][9].contains("does not join"));
    // alpha → bravo: ~235 + ~212 km along the line (great circle 442 km).
    let ab: f64 = by["ab-rail"][3].parse().unwrap();
    assert!((440.0..500.0).contains(&ab), "{ab}");
    assert_eq!(&by["ab-rail"][10], "SRC-NET-RAIL");

    // validate: ok, and the review lists the rejected and unrouted rows and the gap.
    let out = corridor(&nets)
        .arg("validate")
        .arg(&d)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v = json(&out.stdout);
    assert_eq!(v["links_measured"], 3);
    let review: Vec<String> = v["review"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect();
    assert!(review.iter().any(|m| m.starts_with("ab-road: rejected")));
    assert!(review.iter().any(|m| m.starts_with("ef-rail: unrouted")));

    // route: the rail leg uses the network km, keeps the stated 500 km, draws the line.
    let v = alpha_bravo(&nets, &d, "mode:road");
    let leg = &v["itineraries"][0]["legs"][0];
    assert_eq!(leg["link_id"], "ab-rail");
    assert_eq!(leg["distance_method"], "network");
    assert_eq!(leg["distance_km"].as_f64().unwrap(), ab);
    assert_eq!(leg["stated_distance_km"].as_f64().unwrap(), 500.0);
    assert_eq!(leg["distance_source"], "SRC-NET-RAIL");
    assert_eq!(leg["geometry"].as_array().unwrap().len(), 3);
    assert_eq!(
        v["itineraries"][0]["totals"]["network_distance_km"]
            .as_f64()
            .unwrap(),
        ab
    );
    // The road leg keeps its stated length and says why.
    let v = alpha_bravo(&nets, &d, "mode:rail");
    let leg = &v["itineraries"][0]["legs"][0];
    assert_eq!(leg["distance_method"], "stated");
    assert_eq!(leg["distance_km"].as_f64().unwrap(), 520.0);
    assert!(leg["network_check"]
        .as_str()
        .unwrap()
        .starts_with("rejected on the road network"));

    // A changed stated length makes the row stale: invalid data naming the fix.
    let links = std::fs::read_to_string(d.join("links.csv")).unwrap();
    std::fs::write(
        d.join("links.csv"),
        links.replace(
            "ab-rail,CN-alpha,CN-bravo,rail,,1435,true,operating,500,",
            "ab-rail,CN-alpha,CN-bravo,rail,,1435,true,operating,510,",
        ),
    )
    .unwrap();
    let out = corridor(&nets).arg("validate").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("link_geometry.csv:")
            && text.contains("stale row")
            && text.contains("rerun corridor derive-geometry"),
        "{text}"
    );
    // Deriving again (which reads only the curated files) repairs it.
    corridor(&nets)
        .arg("--data")
        .arg(&d)
        .args(["derive-geometry", "--quiet"])
        .assert()
        .success();
    corridor(&nets).arg("validate").arg(&d).assert().success();
}

#[test]
fn malformed_rows_are_reported_at_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(dir.path());
    std::fs::write(
        d.join("link_geometry.csv"),
        "link,network,status,distance_km,connector_km,snap_from_km,snap_to_km,stated_km,geometry,reason,source\n\
         ab-rail,rail,measured,480,0,0.1,0.1,500,~~~~,,SRC-NET-RAIL\n\
         ab-road,rail,rejected,600,0,0.1,0.1,520,,,SRC-NET-RAIL\n\
         zz-rail,rail,unrouted,,0,,,500,,no path,SRC-NET-RAIL\n\
         cd-rail,rail,ok,2500,0,1,1,2600,,,SRC-NET-RAIL\n\
         de-ferry,sea,unrouted,,0,,,430,,no lane,SRC-NOPE\n",
    )
    .unwrap();
    let out = corridor(dir.path())
        .arg("validate")
        .arg(&d)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let v = json(&out.stdout);
    let problems: Vec<(u64, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["file"] == "link_geometry.csv")
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let at = |line: u64, what: &str| {
        assert!(
            problems.iter().any(|(l, m)| *l == line && m.contains(what)),
            "line {line}: {what} not in {problems:?}"
        )
    };
    at(2, "not an encoded polyline");
    at(3, "needs a reason");
    at(4, "unknown link 'zz-rail'");
    at(5, "status 'ok' is not one of measured, rejected, unrouted");
    at(6, "unknown source 'SRC-NOPE'");
}

#[test]
fn derive_without_output_or_networks_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = corridor(dir.path())
        .args(["derive-geometry", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o FILE"));
    let d = data(dir.path());
    let out = corridor(dir.path())
        .arg("--data")
        .arg(&d)
        .args(["derive-geometry", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("corridor import"), "{err}");
    assert!(!d.join("link_geometry.csv").exists());
}
