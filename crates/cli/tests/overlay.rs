//! `--data OVERLAY`: a folder of added, changed and removed rows over the embedded network or
//! another folder, used by `route` and checked merged by `validate`.

use assert_cmd::Command;
use predicates::prelude::*;

fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}

fn mini() -> String {
    corridor_testkit::fixture_dir("mini").display().to_string()
}

const PLACES_HEADER: &str = "id,name,aliases,country,lat,lon,kind,gauge_mm,group,timezone,source";
const MINI_LINKS_HEADER: &str = "id,from,to,mode,carries,gauge_mm,bidirectional,status,distance_km,distance_source,speed_kmh,moving_h,time_source,departures_per_week,wait_h,wait_h_low,wait_h_high,wait_source,dwell_h,dwell_h_low,dwell_h_high,dwell_source,cost_fixed,cost_per_km,cost_unit,currency,price_year,cost_source,countries,passages,commodities,source";

/// An overlay folder over `base` with `files`.
fn overlay(base: &str, files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("meta.csv"),
        format!("key,value\nbase,{base}\n"),
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn route_json(data: &str, from: &str, to: &str) -> serde_json::Value {
    let out = corridor()
        .args([
            "--data",
            data,
            "route",
            from,
            to,
            "--cargo",
            "2xFEU",
            "--optimize",
            "time",
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
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_terminal_added_over_the_embedded_network_routes() {
    // A terminal 14 km (great circle) from the Port of Aktau, reached by road.
    let dir = overlay(
        "embedded",
        &[
            (
                "sources.csv",
                "id,title,publisher,url,date,note\nT-OV,Overlay test figures,corridor tests,,2026,estimate: invented for this test\n".into(),
            ),
            (
                "places.csv",
                format!("{PLACES_HEADER}\nKZ-ovterm,Overlay test terminal,,KZ,43.70,51.35,rail_terminal,1520,,Asia/Aqtau,T-OV\n"),
            ),
            (
                "links.csv",
                "id,from,to,mode,bidirectional,status,distance_km,distance_source,speed_kmh,time_source,source\nRD-ovterm--KZSCO,KZ-ovterm,KZSCO,road,true,operating,20,T-OV,40,T-OV,T-OV\n".into(),
            ),
        ],
    );
    let d = dir.path().display().to_string();
    let v = route_json(&d, "KZ-ovterm", "Baku");
    let it = &v["itineraries"][0];
    assert_eq!(it["legs"][0]["from"]["id"], "KZ-ovterm", "{it:#}");
    assert_eq!(it["legs"][0]["link_id"], "RD-ovterm--KZSCO", "{it:#}");
    // The answer's data hash is the merged one, not the embedded network's.
    let embedded = corridor()
        .args(["validate", "--format", "json"])
        .output()
        .unwrap();
    let embedded: serde_json::Value = serde_json::from_slice(&embedded.stdout).unwrap();
    let layered = corridor()
        .args(["--data", &d, "validate", "--format", "json"])
        .output()
        .unwrap();
    let layered: serde_json::Value = serde_json::from_slice(&layered.stdout).unwrap();
    assert_eq!(layered["ok"], true, "{layered:#}");
    assert_eq!(
        layered["places"].as_u64().unwrap(),
        embedded["places"].as_u64().unwrap() + 1
    );
    assert_eq!(layered["layers"][0]["label"], "embedded default network");
    assert_eq!(layered["layers"][1]["label"], d.as_str());
    assert_ne!(v["data"]["hash"], embedded["layers"][0]["hash"]);
}

#[test]
fn a_replaced_tariff_changes_the_cost() {
    // The Caspian ferry of the mini network: 1000 USD per FEU, replaced by 3000. The route
    // (fastest, the only crossing) is the same, so 2 FEU cost 2 × 2000 USD more.
    let before = route_json(&mini(), "Alpha", "Foxtrot");
    let dir = overlay(
        &mini(),
        &[(
            "links.csv",
            format!("{MINI_LINKS_HEADER}\nde-ferry,KZ-delta,AZ-echo,ferry,truck|wagon,,true,operating,430,T-EST,,20,T-EST,,48,24,240,T-EST,,,,,3000,,feu,USD,2025,T-EST,,,,T-EST\n"),
        )],
    );
    let after = route_json(&dir.path().display().to_string(), "Alpha", "Foxtrot");
    let links = |v: &serde_json::Value| -> Vec<String> {
        v["itineraries"][0]["legs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["link_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(links(&before), links(&after));
    assert!(links(&after).contains(&"de-ferry".to_string()));
    let cost = |v: &serde_json::Value| v["itineraries"][0]["totals"]["cost_usd"].as_f64().unwrap();
    assert!(
        (cost(&after) - cost(&before) - 4000.0).abs() < 0.01,
        "{} → {}",
        cost(&before),
        cost(&after)
    );
}

#[test]
fn validate_checks_the_data_folder_merged_on_its_base() {
    // `--data DIR validate` checks DIR (it used to check the embedded network).
    corridor()
        .args(["--data", &mini(), "validate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok (6 places"));
    let good = overlay(
        &mini(),
        &[(
            "remove.csv",
            "file,id,reason\nlinks.csv,ab-road,test: closed\n".into(),
        )],
    );
    corridor()
        .args(["--data", &good.path().display().to_string(), "validate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok (6 places, 6 links"))
        .stdout(predicate::str::contains("layers, bottom first: "));
    let bad = overlay(
        &mini(),
        &[(
            "places.csv",
            format!(
                "{PLACES_HEADER}\nKZ-golf,Golf,,KZ,95,51.6,rail_terminal,1520,,Asia/Aqtau,T-EST\n"
            ),
        )],
    );
    let b = bad.path().display().to_string();
    corridor()
        .args(["--data", &b, "validate"])
        .assert()
        .code(4)
        .stdout(predicate::str::contains(format!(
            "{b}/places.csv:2: lat 95 is out of range"
        )));
    // And `route` on a broken overlay fails as invalid data, naming the layer.
    corridor()
        .args(["--data", &b, "route", "Alpha", "Foxtrot"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains(format!("{b}/places.csv:2")));
}

/// transfers.csv in the old one-source layout (an overlay's row over the embedded network):
/// read, both figures citing the row's `source`, and listed by `validate` as a `review:` note
/// at the overlay's file and line, not an error; the split layout is not listed.
#[test]
fn validate_lists_one_source_transfers_for_review() {
    let old = "place,place_kinds,from_carrier,to_carrier,kind,hours,hours_low,hours_high,cost,cost_unit,currency,price_year,source,note\n\
               KZ-dostyk,,wagon:1435,wagon:1520,gauge_transshipment,5,2,24,329,box,USD,2020,SRC-XINHUA-2016-DOSTYK,test\n";
    let dir = overlay("embedded", &[("transfers.csv", old.into())]);
    let d = dir.path().display().to_string();
    corridor()
        .args(["--data", &d, "validate"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "review: {d}/transfers.csv:2: 1 row (line 2) without time_source or cost_source"
        )));
    let out = corridor()
        .args(["--data", &d, "validate", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = v["review"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["file"] == format!("{d}/transfers.csv").as_str() && p["line"] == 2)
        .count();
    assert_eq!(listed, 1, "{}", v["review"]);
    // the embedded network's own rows give each figure its source: no such note
    corridor()
        .args(["validate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("without time_source or cost_source").not());
}
