//! `corridor emissions` end to end on the embedded network: the three output formats, the
//! atomic report file, the iLEAP export against its committed schema, and bad input (exit 2,
//! JSON error body per CONVENTIONS).

use assert_cmd::Command;
use predicates::prelude::*;

fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}

use corridor_testkit::workspace_root as root;

const CHAIN: [&str; 6] = [
    "--leg",
    "road:Urumqi-Khorgos",
    "--leg",
    "rail:Khorgos-Aktau",
    "--leg",
    "ferry:Aktau-Baku",
];

#[test]
fn json_has_legs_hubs_and_totals() {
    let out = corridor()
        .args(["emissions", "--cargo", "2xFEU", "--format", "json"])
        .args(CHAIN)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let fp = &v["footprint"];
    assert_eq!(fp["method"], "ISO 14083:2023 / GLEC Framework v3.1");
    let els = fp["elements"].as_array().unwrap();
    // road, hub (truck → wagon lift at Khorgos), rail, ferry (wagon rolls on: no hub)
    let types: Vec<&str> = els.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["leg", "hub", "leg", "leg"]);
    let total = fp["totals"]["co2e_kg"].as_f64().unwrap();
    let sum: f64 = els
        .iter()
        .map(|e| e["result"]["co2e_kg"].as_f64().unwrap())
        .sum();
    assert!((total - sum).abs() < 1e-6);
    assert_eq!(fp["totals"]["complete"], true);
    // The road leg uses the network's link distance; the ferry gets the sea DAF.
    assert_eq!(els[0]["result"]["distance_kind"], "network");
    assert!(
        els[3]["result"]["emission_distance_km"].as_f64().unwrap()
            > els[3]["result"]["distance_km"].as_f64().unwrap()
    );
}

#[test]
fn given_distance_and_vehicle_class() {
    let out = corridor()
        .args([
            "emissions",
            "--leg",
            "road:Urumqi-Khorgos:700km",
            "--leg",
            "rail/electric:Khorgos-Aktau:2500km",
            "--cargo",
            "40t",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let rail = &v["footprint"]["elements"][2]["result"];
    assert_eq!(rail["distance_km"], 2500.0);
    assert_eq!(rail["factor"]["id"], "EF-RAIL-ELEC-EU");
    let grid: Vec<&str> = rail["grid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["country"].as_str().unwrap())
        .collect();
    assert!(grid.contains(&"KZ"), "{grid:?}");
    assert_eq!(rail["co2e_ttw_kg"], 0.0);
}

#[test]
fn html_report_is_written_atomically_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    corridor()
        .args(["emissions", "--format", "html", "-o"])
        .arg(&path)
        .args(CHAIN)
        .assert()
        .success()
        .stdout("");
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"), "inline chart");
    assert!(html.contains("GLEC Framework v3.1, Smart Freight Centre"));
    assert!(html.contains("SRC-GLEC-V31"), "sources listed");
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains("http-equiv"), "no external resources");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temp files left");
}

#[test]
fn ileap_export_validates_against_the_committed_schema() {
    let out = corridor()
        .args(["emissions", "--format", "ileap", "--shipment-id", "S-1"])
        .args(CHAIN)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/ileap-shipment-footprint.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(v["shipmentFootprint"]["tces"].as_array().unwrap().len(), 4);
    assert_eq!(v["shipmentFootprint"]["shipmentId"], "S-1");
}

#[test]
fn table_names_factors_and_credit() {
    corridor()
        .args(["emissions"])
        .args(CHAIN)
        .assert()
        .success()
        .stdout(predicate::str::contains("EF-ROAD-CN-ART"))
        .stdout(predicate::str::contains("HUB-TRANSSHIP"))
        .stdout(predicate::str::contains("Smart Freight Centre"));
}

fn error_json(args: &[&str]) -> serde_json::Value {
    let out = corridor()
        .arg("emissions")
        .args(args)
        .args(["--format", "json"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn bad_input_is_a_clear_error() {
    let e = error_json(&["--leg", "rail/maglev:Khorgos-Aktau"]);
    assert_eq!(e["code"], "InvalidValue");
    assert_eq!(e["field"], "vehicle");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("unknown rail vehicle class 'maglev'"));
    let e = error_json(&["--leg", "road:Urumqi-Khorgos", "--load-factor", "-0.5"]);
    assert_eq!(e["field"], "load_factor");
    let e = error_json(&["--leg", "road:Urumqi-Khorgos:0km"]);
    assert_eq!(e["field"], "distance_km");
    assert!(e["message"].as_str().unwrap().contains("no distance"));
    let e = error_json(&["--leg", "road:Urumqi-Atlantis"]);
    assert_eq!(e["code"], "UnknownPlace");
    let e = error_json(&["--leg", "road:Urumqi-Khorgos", "--payload-t-per-teu", "0"]);
    assert_eq!(e["field"], "payload_t_per_teu");
    let e = error_json(&["--leg", "hovercraft:Urumqi-Khorgos"]);
    assert_eq!(e["code"], "InvalidValue");
    corridor()
        .args(["emissions"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no legs"));
}

#[test]
fn legs_from_a_csv_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("legs.csv");
    std::fs::write(
        &p,
        "mode,from,to,distance_km,vehicle,load_factor,empty_running\nroad,Urumqi,Khorgos,,,,\nrail,Khorgos,Aktau,2500,electric,,\n",
    )
    .unwrap();
    let out = corridor()
        .args(["emissions", "--format", "json", "--legs"])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["legs"].as_array().unwrap().len(), 2);
}

/// Issue 20: a chain whose leg begins away from where the previous one ended says so; a chain
/// through the same stop (a city's road port then its rail terminal) does not.
#[test]
fn a_gap_in_the_chain_is_named() {
    let out = corridor()
        .args([
            "emissions",
            "--leg",
            "road:Urumqi-Khorgos",
            "--leg",
            "rail:Almaty-Aktau",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("leg 2 begins at Almaty (KZALA), but leg 1 ends at Khorgos"),
        "{warnings}"
    );
    let out = corridor()
        .args([
            "emissions",
            "--leg",
            "road:Urumqi-Khorgos",
            "--leg",
            "rail:Khorgos-Aktau",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        !v["warnings"].to_string().contains("begins at"),
        "{}",
        v["warnings"]
    );
}
