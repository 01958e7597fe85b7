//! `corridor import` and `corridor path` end to end, on networks the tests build: the
//! committed OSM fixture and a tiny scgraph-data package written to a temporary folder.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

use corridor_testkit::workspace_root as root;

fn corridor(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.env("CORRIDOR_DATA", dir).env_remove("CORRIDOR_PYTHON");
    c
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap()
}

/// A fake scgraph_data package: world_railways from Cape Town to Durban (negative latitudes).
fn tiny_package(dir: &Path) -> PathBuf {
    let pkg = dir.join("scgraph_data");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("world_railways.py"),
        "\nfrom scgraph.core import GeoGraph\ngraph=[{1: 960.0}, {0: 960.0, 2: 620.0}, {1: 620.0}]\nnodes=[[-33.92, 18.43], [-29.12, 26.21], [-29.87, 31.02]]\nworld_railways_geograph = GeoGraph(graph=graph, nodes=nodes)\n",
    )
    .unwrap();
    pkg
}

#[test]
fn osm_import_then_path_between_places() {
    let dir = tempfile::tempdir().unwrap();
    let pbf = root().join("tests/fixtures/osm/fixture.osm.pbf");
    corridor(dir.path())
        .args(["import", "osm"])
        .arg(&pbf)
        .args(["--network", "rail"])
        .assert()
        .success()
        .stdout(predicate::str::contains("13 nodes, 24 arcs"))
        .stdout(predicate::str::contains("1 connected component(s)"));
    assert!(dir.path().join("rail.cnet").exists());
    let out = corridor(dir.path())
        .args([
            "path",
            "--network",
            "rail",
            "Małaszewicze",
            "Brest",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    let km = v["distance_km"].as_f64().unwrap();
    assert!((14.0..16.0).contains(&km), "{km}");
    assert_eq!(v["from"]["label"], "Małaszewicze (PL-malaszewicze, PL)");
    assert!(v["from"]["snap"]["distance_km"].as_f64().unwrap() < 1.0);
    assert_eq!(v["geometry"]["type"], "LineString");
    let first = &v["geometry"]["coordinates"][0];
    // GeoJSON order: [lon, lat].
    assert!((first[0].as_f64().unwrap() - 23.53).abs() < 0.01, "{first}");
    let tags: Vec<&str> = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tag"].as_str().unwrap())
        .collect();
    assert!(tags.contains(&"railway=rail gauge=1435") && tags.contains(&"railway=rail gauge=1520"));
    // Every algorithm gives the same length; GeoJSON output is a Feature.
    for algo in ["dijkstra", "bidirectional"] {
        let out = corridor(dir.path())
            .args([
                "path",
                "52.03,23.53",
                "52.1,23.73",
                "--algorithm",
                algo,
                "--format",
                "geojson",
            ])
            .output()
            .unwrap();
        let g = json(&out.stdout);
        assert_eq!(g["type"], "Feature");
        assert_eq!(g["properties"]["distance_km"].as_f64().unwrap(), km);
    }
    corridor(dir.path())
        .args(["path", "PL-malaszewicze", "BY-brest"])
        .assert()
        .success()
        .stdout(predicate::str::contains("km"))
        .stdout(predicate::str::contains("OpenStreetMap contributors"));
}

#[test]
fn scgraph_import_and_negative_coordinates() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = tiny_package(dir.path());
    let nets = dir.path().join("networks");
    corridor(&nets)
        .args(["import", "scgraph-data", "--only", "rail", "--package-dir"])
        .arg(&pkg)
        .assert()
        .success()
        .stdout(predicate::str::contains("rail: 3 nodes, 4 arcs"));
    let out = corridor(&nets)
        .args(["path", "-33.9,18.4", "-29.9,31.0", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    assert_eq!(v["distance_km"].as_f64().unwrap(), 1580.0);
    assert_eq!(v["nodes"], 3);
    assert!(v["source"].as_str().unwrap().contains("world_railways"));
    // NoSnap: exit 2, code and distance in the JSON.
    let out = corridor(&nets)
        .args(["path", "-33.9,18.4", "51.5,-0.1", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out.stdout);
    assert_eq!(v["code"], "NoSnap");
    assert!(v["distance_km"].as_f64().unwrap() > 8000.0);
    assert_eq!(v["limit_km"].as_f64().unwrap(), 50.0);
    // The JSON names the option as the API does; the text adds the CLI's flag.
    let m = v["message"].as_str().unwrap();
    assert!(m.contains("max_snap_km") && !m.contains("--"), "{m}");
    corridor(&nets)
        .args(["path", "-33.9,18.4", "51.5,-0.1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--max-snap-km KM"));
    // A wider limit still refuses London, and accepts a point 60 km off the line.
    corridor(&nets)
        .args(["path", "-33.9,18.4", "-30.3,31.0", "--max-snap-km", "100"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1580.0 km"));
}

#[test]
fn missing_networks_and_packages_say_what_to_run() {
    let dir = tempfile::tempdir().unwrap();
    corridor(dir.path())
        .args(["path", "--network", "sea", "Aktau", "Baku"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("corridor import marnet"));
    corridor(dir.path())
        .args(["path", "--network", "road", "0,0", "1,1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "corridor import scgraph-data --only road",
        ));
    corridor(dir.path())
        .args(["import", "scgraph-data", "--python", "/nonexistent/python3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pip install 'scgraph-data==2.*'"));
    corridor(dir.path())
        .args(["path", "Narnia", "Brest"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown place"));
    corridor(dir.path())
        .args(["path", "95,0", "Brest"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("latitude"));
}

#[test]
fn a_damaged_network_file_is_invalid_data() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rail.cnet"), b"CORRNET\x1a\x01\x00").unwrap();
    corridor(dir.path())
        .args(["path", "0,0", "1,1"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("truncated"));
    std::fs::write(dir.path().join("rail.cnet"), b"<html>not a network</html>").unwrap();
    corridor(dir.path())
        .args(["path", "0,0", "1,1"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("not a corridor network file"));
}

#[test]
fn prepare_then_path_and_table_use_the_hierarchy() {
    let dir = tempfile::tempdir().unwrap();
    let pbf = root().join("tests/fixtures/osm/fixture.osm.pbf");
    corridor(dir.path())
        .args([
            "import",
            "osm",
            &pbf.display().to_string(),
            "--network",
            "road",
        ])
        .assert()
        .success();
    // Before prepare: asking for the CH names the command to run.
    corridor(dir.path())
        .args([
            "path",
            "--network",
            "road",
            "--algorithm",
            "ch",
            "52.02,23.30",
            "52.09,23.70",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("corridor prepare"));
    let astar = corridor(dir.path())
        .args([
            "path",
            "--network",
            "road",
            "--algorithm",
            "astar",
            "52.02,23.30",
            "52.09,23.70",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        astar.status.success(),
        "{}",
        String::from_utf8_lossy(&astar.stderr)
    );
    corridor(dir.path())
        .args(["prepare", "--network", "road"])
        .assert()
        .success();
    assert!(dir.path().join("road.ch").exists());
    let ch = corridor(dir.path())
        .args([
            "path",
            "--network",
            "road",
            "52.02,23.30",
            "52.09,23.70",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        ch.status.success(),
        "{}",
        String::from_utf8_lossy(&ch.stderr)
    );
    let (a, c) = (json(&astar.stdout), json(&ch.stdout));
    assert_eq!(
        a["distance_km"], c["distance_km"],
        "CH and A* agree: {a} vs {c}"
    );
    // The matrix on the physical network, CSV.
    let out = corridor(dir.path())
        .args([
            "table",
            "--network",
            "road",
            "--from",
            "52.02,23.30",
            "--from",
            "52.09,23.70",
            "--to",
            "52.09,23.70",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
}

/// A fake searoute package: a Shanghai→Rotterdam-like toy with a Suez lane, a longer Cape
/// lane, a shorter "Arctic" lane inside the Northern Sea Route polygon, and a Caspian node
/// reachable only up the Don and down the Volga (inside the Volga–Don polygon).
fn toy_marnet(dir: &Path) -> PathBuf {
    let pkg = dir.join("searoute");
    std::fs::create_dir_all(pkg.join("data")).unwrap();
    let line = |props: &str, pts: &[(f64, f64)]| {
        let c: Vec<String> = pts
            .iter()
            .map(|(lat, lon)| format!("[{lon},{lat}]"))
            .collect();
        format!(
            r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}"#,
            c.join(",")
        )
    };
    let (sha, sin, bab) = ((31.2, 121.5), (1.3, 103.8), (12.6, 43.4));
    let (suez_s, said, gib, rtm) = ((27.9, 33.6), (31.3, 32.3), (36.0, -5.6), (51.9, 4.1));
    let features = [
        // Suez lane.
        line("", &[sha, sin, (6.0, 80.0), bab]),
        line(r#""passage":"suez""#, &[bab, suez_s, said]),
        line("", &[said, (36.0, 15.0), gib, rtm]),
        // Cape lane.
        line("", &[sin, (-10.0, 80.0), (-25.0, 50.0), (-34.5, 20.0)]),
        line(
            r#""passage":"south_africa""#,
            &[
                (-34.5, 20.0),
                (-15.0, 0.0),
                (0.0, -10.0),
                (20.0, -20.0),
                (36.0, -12.0),
                gib,
            ],
        ),
        // Arctic lane: Bering Sea (outside), Laptev and Kara seas (inside), Barents (outside).
        line(
            "",
            &[
                sha,
                (50.0, 155.0),
                (64.5, -172.0),
                (70.0, 170.0),
                (76.0, 110.0),
                (73.0, 65.0),
                (71.0, 40.0),
                (62.0, 5.0),
                rtm,
            ],
        ),
        // Med → Bosporus → Azov → Don → Volga → Caspian → Baku.
        line(
            "",
            &[
                said,
                (37.0, 25.0),
                (41.2, 29.1),
                (45.3, 36.5),
                (46.82, 37.66),
                (47.1, 39.04),
                (47.56, 42.09),
                (48.5, 44.5),
                (47.22, 47.08),
                (45.39, 47.78),
                (45.12, 47.8),
                (40.4, 49.9),
            ],
        ),
    ];
    std::fs::write(
        pkg.join("data/marnet_searoute.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    pkg
}

#[test]
fn passages_closed_by_default_avoided_and_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = toy_marnet(dir.path());
    corridor(dir.path())
        .args(["import", "marnet", "--package-dir"])
        .arg(&pkg)
        .assert()
        .success()
        .stdout(predicate::str::contains("passage=northern_sea_route"))
        .stdout(predicate::str::contains("passage=volga_don"));
    let path = |extra: &[&str]| {
        let out = corridor(dir.path())
            .args(["path", "--network", "sea", "31.2,121.5", "51.9,4.1"])
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = json(&out.stdout);
        let tags: Vec<String> = v["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["tag"].as_str().unwrap().to_string())
            .collect();
        (v["distance_km"].as_f64().unwrap(), tags)
    };
    let (suez_km, tags) = path(&[]);
    assert!(tags.contains(&"passage=suez".to_string()), "{tags:?}");
    let (cape_km, tags) = path(&["--avoid", "passage:suez"]);
    assert!(
        tags.contains(&"passage=south_africa".to_string()),
        "{tags:?}"
    );
    assert!(cape_km > suez_km);
    // Suez and the Cape avoided: only the Arctic is left, and it is closed.
    corridor(dir.path())
        .args(["path", "--network", "sea", "31.2,121.5", "51.9,4.1"])
        .args([
            "--avoid",
            "passage:cape_of_good_hope",
            "--avoid",
            "passage:suez",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "closed passage: northern_sea_route",
        ));
    let (arctic_km, tags) = path(&["--allow", "passage:northern_sea_route"]);
    assert!(
        tags.contains(&"passage=northern_sea_route".to_string()),
        "{tags:?}"
    );
    assert!(arctic_km < suez_km);
    // Unknown passage names are refused with the list.
    corridor(dir.path())
        .args(["path", "--network", "sea", "31.2,121.5", "51.9,4.1"])
        .args(["--avoid", "passage:atlantis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("volga_don"));
    // The Caspian: only through the Volga–Don, which is closed; the message names it.
    corridor(dir.path())
        .args(["path", "--network", "sea", "31.2,121.5", "40.4,49.9"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("closed passage: volga_don"))
        .stderr(predicate::str::contains("allow passage:volga_don opens it"));
    corridor(dir.path())
        .args(["path", "--network", "sea", "31.2,121.5", "40.4,49.9"])
        .args(["--allow", "passage:volga_don"])
        .assert()
        .success()
        .stdout(predicate::str::contains("passage=volga_don"));
    // The matrix says the same per lane.
    corridor(dir.path())
        .args(["table", "--network", "sea", "--from", "31.2,121.5"])
        .args([
            "--to",
            "40.4,49.9",
            "--to",
            "51.9,4.1",
            "--avoid",
            "passage:suez",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "closed passage: suez (avoided), volga_don (closed by default",
        ));
}

#[test]
fn import_heal_bridges_a_gap_and_path_reports_connector_km() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("scgraph_data");
    std::fs::create_dir_all(&pkg).unwrap();
    // Two lines along 10° E, 3 km apart (0.027°), far from any corridor place.
    std::fs::write(
        pkg.join("world_railways.py"),
        "graph=[{1: 11.2}, {0: 11.2}, {3: 11.2}, {2: 11.2}]\nnodes=[[25.0, 10.0], [25.1, 10.0], [25.127, 10.0], [25.227, 10.0]]\n",
    )
    .unwrap();
    corridor(dir.path())
        .args([
            "import",
            "scgraph-data",
            "--only",
            "rail",
            "--heal",
            "--package-dir",
        ])
        .arg(&pkg)
        .assert()
        .success()
        .stdout(predicate::str::contains("healed: 1 connector(s)"))
        .stdout(predicate::str::contains("components 2 → 1"));
    let out = corridor(dir.path())
        .args([
            "path",
            "--network",
            "rail",
            "25.0,10.0",
            "25.227,10.0",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    let c = v["connector_km"].as_f64().unwrap();
    assert!((c - 3.0).abs() < 0.01, "{v}");
    // Within one line: no connector.
    let out = corridor(dir.path())
        .args([
            "path",
            "--network",
            "rail",
            "25.0,10.0",
            "25.1,10.0",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out.stdout)["connector_km"], 0.0);
}

/// An empty or wayless extract is refused and leaves the existing network as it was (it
/// replaced a good network with an empty one; issue 17).
#[test]
fn an_empty_extract_does_not_replace_a_network() {
    let dir = tempfile::tempdir().unwrap();
    let pbf = root().join("tests/fixtures/osm/fixture.osm.pbf");
    corridor(dir.path())
        .args(["import", "osm"])
        .arg(&pbf)
        .args(["--network", "road"])
        .assert()
        .success();
    let before = std::fs::read(dir.path().join("road.cnet")).unwrap();
    let empty = dir.path().join("empty.osm.pbf");
    std::fs::write(&empty, b"").unwrap();
    corridor(dir.path())
        .args(["import", "osm"])
        .arg(&empty)
        .args(["--network", "road"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("holds no road ways")
                .and(predicate::str::contains("unchanged")),
        );
    assert_eq!(std::fs::read(dir.path().join("road.cnet")).unwrap(), before);
}
