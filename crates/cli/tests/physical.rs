//! `corridor import` and `corridor path` end to end, on networks the tests build: the
//! committed OSM fixture and a tiny scgraph-data package written to a temporary folder.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

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
