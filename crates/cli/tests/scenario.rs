//! `--scenario` on route, table and emissions, and `corridor compare`, end to end on the
//! embedded network and the shipped scenarios (docs/scenarios.md).

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

use corridor_testkit::workspace_root as root;

fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = corridor().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// SHA-256 of a shipped scenario's file, first 16 hex: computed here from the file itself.
fn short_hash(name: &str) -> String {
    let text = std::fs::read(root().join(format!("scenarios/{name}.toml"))).unwrap();
    let h = Sha256::digest(&text);
    h.iter().map(|b| format!("{b:02x}")).collect::<String>()[..16].to_string()
}

fn days(a: &Value) -> f64 {
    a["itineraries"][0]["totals"]["transit_days"]
        .as_f64()
        .unwrap()
}

const URUMQI_BAKU: [&str; 10] = [
    "route",
    "Urumqi",
    "Baku",
    "--avoid",
    "country:RU",
    "country:IR",
    "--optimize",
    "time",
    "--format",
    "json",
];

/// The Caspian backlog (+240 h on every Caspian crossing) moves Urumqi→Baku avoiding Russia
/// and Iran by at least 9 days (it has no way round the Caspian then), and the answer names
/// the scenario with the hash of its text next to the data hash.
#[test]
fn caspian_backlog_moves_urumqi_baku_and_is_named_with_its_hash() {
    let base = json(&URUMQI_BAKU);
    let mut args = URUMQI_BAKU.to_vec();
    args.extend(["--scenario", "caspian-backlog"]);
    let with = json(&args);
    assert!(
        days(&with) - days(&base) >= 9.0,
        "{} → {}",
        days(&base),
        days(&with)
    );
    assert!(base["data"].get("scenarios").is_none(), "{}", base["data"]);
    let s = &with["data"]["scenarios"];
    assert_eq!(s.as_array().unwrap().len(), 1, "{s}");
    assert_eq!(s[0]["name"], "caspian-backlog");
    assert_eq!(s[0]["hash"], short_hash("caspian-backlog"));
    let layers = with["data"]["layers"].as_array().unwrap();
    assert_eq!(layers.last().unwrap()["label"], "scenario caspian-backlog");
    // The same by file path, and the table output says so.
    let path = root().join("scenarios/caspian-backlog.toml");
    corridor()
        .args(&URUMQI_BAKU[..8])
        .args(["--scenario", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Scenario: caspian-backlog (hash {})",
            short_hash("caspian-backlog")
        )));
}

/// An unknown name is a bad request (exit 2) listing every shipped scenario.
#[test]
fn unknown_scenario_lists_the_shipped_ones() {
    let out = corridor()
        .args(["route", "Urumqi", "Baku", "--scenario", "caspian-backlogg"])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["code"], "InvalidValue");
    assert_eq!(e["field"], "scenario");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for f in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let name = f.unwrap().path();
        let stem = name.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(stderr.contains(&stem), "{stem} not in {stderr}");
    }
}

/// A malformed file is invalid data (exit 4) with file:line, as text and as JSON.
#[test]
fn malformed_scenario_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.toml");
    std::fs::write(
        &p,
        "name = \"bad\"\ndescription = \"x\"\nsource = \"S\"\n\n[[change]]\nreason = \"r\"\nsource = \"S\"\nwait_h = { add = 1 \n",
    )
    .unwrap();
    let ps = p.to_str().unwrap();
    corridor()
        .args(["route", "Urumqi", "Baku", "--scenario", ps])
        .assert()
        .code(4)
        .stderr(predicate::str::contains(format!("{ps}:8")));
    let out = corridor()
        .args([
            "table",
            "--from",
            "Urumqi",
            "--to",
            "Baku",
            "--scenario",
            ps,
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["code"], "InvalidData");
    assert_eq!(e["problems"][0]["file"], ps);
    assert_eq!(e["problems"][0]["line"], 8);
}

const LANES: [[&str; 2]; 3] = [
    ["Urumqi", "Baku"],
    ["Xi'an", "Duisburg"],
    ["Urumqi", "Tbilisi"],
];
const SCENARIOS: [&str; 2] = ["caspian-backlog", "no-russia-belarus"];

fn lanes_file(dir: &std::path::Path) -> String {
    let p = dir.join("lanes.csv");
    let mut s = String::from("from,to\n");
    for [f, t] in LANES {
        s.push_str(&format!("\"{f}\",{t}\n"));
    }
    std::fs::write(&p, s).unwrap();
    p.display().to_string()
}

fn route_days_cost(from: &str, to: &str, scenario: Option<&str>) -> (f64, f64) {
    let mut args = vec!["route", from, to, "--optimize", "time", "--format", "json"];
    if let Some(s) = scenario {
        args.extend(["--scenario", s]);
    }
    let a = json(&args);
    let t = &a["itineraries"][0]["totals"];
    (
        t["transit_days"].as_f64().unwrap(),
        t["cost_usd"].as_f64().unwrap(),
    )
}

/// compare over 3 lanes × 2 scenarios: the JSON deltas are the differences of separate
/// `route` runs, the CSV agrees with the JSON, and the diversions show.
#[test]
fn compare_deltas_match_separate_routes() {
    let dir = tempfile::tempdir().unwrap();
    let lanes = lanes_file(dir.path());
    let mut args = vec!["compare", "--pairs", &lanes, "--format", "json"];
    for s in SCENARIOS {
        args.extend(["--scenario", s]);
    }
    let a = json(&args);
    assert_eq!(a["scenarios"][1]["hash"], short_hash(SCENARIOS[1]));
    let lanes_out = a["lanes"].as_array().unwrap();
    assert_eq!(lanes_out.len(), 3);
    for (lane, [f, t]) in lanes_out.iter().zip(LANES) {
        let (bd, bc) = route_days_cost(f, t, None);
        assert_eq!(lane["baseline"]["transit_days"].as_f64().unwrap(), bd);
        for (k, s) in SCENARIOS.iter().enumerate() {
            let (sd, sc) = route_days_cost(f, t, Some(s));
            let c = &lane["scenarios"][k];
            assert_eq!(c["scenario"], *s);
            assert!(
                (c["delta_days"].as_f64().unwrap() - (sd - bd)).abs() < 1e-9,
                "{c}"
            );
            assert!(
                (c["delta_cost_usd"].as_f64().unwrap() - (sc - bc)).abs() < 1e-6,
                "{c}"
            );
        }
    }
    // Xi'an→Duisburg goes through Russia and Belarus: without them it is diverted.
    let x = &lanes_out[1]["scenarios"][1];
    assert_eq!(x["diverted"], true, "{x}");
    let c = x["outcome"]["countries"].as_array().unwrap();
    assert!(!c.iter().any(|v| v == "RU" || v == "BY"), "{x}");

    // CSV: one row per lane and scenario, the same deltas (to its 2 decimals).
    let mut args = vec!["compare", "--pairs", &lanes, "--format", "csv"];
    for s in SCENARIOS {
        args.extend(["--scenario", s]);
    }
    let out = corridor().args(&args).output().unwrap();
    assert!(out.status.success());
    let mut rdr = csv::Reader::from_reader(&out.stdout[..]);
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 6);
    for (i, r) in rows.iter().enumerate() {
        let c = &lanes_out[i / 2]["scenarios"][i % 2];
        assert_eq!(&r[col("scenario")], c["scenario"].as_str().unwrap());
        let d: f64 = r[col("delta_days")].parse().unwrap();
        assert!(
            (d - c["delta_days"].as_f64().unwrap()).abs() <= 0.005,
            "{r:?}"
        );
        assert_eq!(&r[col("diverted")], c["diverted"].to_string());
    }
}

/// The HTML report is self-contained: no http(s) URL anywhere, a chart inline.
#[test]
fn compare_html_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    corridor()
        .args([
            "compare",
            "--scenario",
            "caspian-backlog",
            "--from",
            "Urumqi",
        ])
        .args([
            "--to",
            "Baku",
            "--format",
            "html",
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<svg"), "{html}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    assert!(html.contains("caspian-backlog"));
}

/// emissions accepts --scenario (no operation changes a distance or a factor: the footprint is
/// the baseline's) and names it.
#[test]
fn emissions_with_a_scenario_is_the_baseline_footprint_and_names_it() {
    let args = [
        "emissions",
        "--leg",
        "road:Urumqi-Khorgos",
        "--format",
        "json",
    ];
    let base = json(&args);
    let mut a = args.to_vec();
    a.extend(["--scenario", "caspian-backlog"]);
    let with = json(&a);
    assert_eq!(base["footprint"], with["footprint"]);
    assert_eq!(with["data"]["scenarios"][0]["name"], "caspian-backlog");
}
