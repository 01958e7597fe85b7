//! The `corridor` binary end to end, on the hand-built `mini` fixture (independent of the
//! embedded data, so these tests pin behaviour, not figures).

use assert_cmd::Command;
use predicates::prelude::*;

use corridor_testkit::workspace_root as root;

fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}

fn mini() -> String {
    corridor_testkit::fixture_dir("mini").display().to_string()
}

fn schema() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("schema/route-answer.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The committed schema is what the code generates. Regenerate with `UPDATE_GOLDEN=1`.
#[test]
fn committed_schema_matches_the_code() {
    let path = root().join("schema/route-answer.schema.json");
    let generated = serde_json::to_string_pretty(&corridor_engine_schema()).unwrap() + "\n";
    corridor_testkit::assert_golden(&path, &generated);
}

fn corridor_engine_schema() -> serde_json::Value {
    let out = corridor().args(["schema", "route"]).output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn route_json_validates_against_the_schema() {
    let out = corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "Alpha",
            "Foxtrot",
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
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema()).unwrap();
    // Without --optimize: the Pareto front, same schema.
    let front = corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "Alpha",
            "Echo port",
            "--alternatives",
            "3",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(front.status.success());
    let f: serde_json::Value = serde_json::from_slice(&front.stdout).unwrap();
    assert!(validator.is_valid(&f));
    assert!(f["itineraries"].as_array().unwrap().len() >= 2);
    assert_eq!(f["query"]["alternatives"], 3);
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(v["itineraries"].as_array().unwrap().len(), 1);
    assert_eq!(v["data"]["name"], "mini");
    assert_eq!(v["query"]["cargo"]["teu"], 4.0);
    // A document that breaks the schema is caught (the check can fail).
    let mut bad = v.clone();
    bad["itineraries"][0]["totals"]["cost_usd"] = "cheap".into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn geojson_is_a_feature_collection_of_lon_lat_lines() {
    let out = corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "Alpha",
            "Foxtrot",
            "--format",
            "geojson",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let f = &v["features"][0];
    assert_eq!(f["geometry"]["type"], "LineString");
    // Alpha is at lat 44, lon 88: GeoJSON wants [lon, lat].
    assert_eq!(
        f["geometry"]["coordinates"][0],
        serde_json::json!([88.0, 44.0])
    );
    assert!(f["properties"]["distance_km"].is_number());
    assert!(f["properties"]["geometry"].is_null());
}

#[test]
fn table_shows_legs_and_totals() {
    corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "alpha city",
            "FOXTROT",
            "--avoid",
            "mode:road",
        ])
        .assert()
        .success()
        // The label column wraps at 38 characters: the transfer continues on the next line.
        .stdout(predicate::str::contains(
            "transfer Charlie: gauge_transshipment",
        ))
        .stdout(predicate::str::contains("wagon:1435 → wagon:1520"))
        .stdout(predicate::str::contains("Total:"))
        .stdout(predicate::str::contains("CN → KZ → AZ"));
}

#[test]
fn unknown_place_exits_2_with_a_suggestion() {
    corridor()
        .args(["--data", &mini(), "route", "Alpah", "Foxtrot"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown place 'Alpah': did you mean Alpha",
        ));
    let out = corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "Alpah",
            "Foxtrot",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "UnknownPlace");
    assert_eq!(v["field"], "from");
    assert!(v["suggestions"][0].as_str().unwrap().starts_with("Alpha"));
}

#[test]
fn no_route_exits_3_naming_the_constraint() {
    corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "Alpha",
            "Foxtrot",
            "--avoid",
            "mode:ferry",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "--avoid mode:ferry cut off the last route",
        ));
}

#[test]
fn contradictory_constraints_exit_2() {
    corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "Alpha",
            "Foxtrot",
            "--via",
            "Charlie",
            "--avoid",
            "country:KZ",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("contradictory constraints"));
}

#[test]
fn validate_reports_every_seeded_defect() {
    let dir = root().join("tests/fixtures/defects");
    corridor()
        .args(["validate", &dir.display().to_string()])
        .assert()
        .code(4)
        .stdout(predicate::str::contains(
            "links.csv:5: to 'KZ-delat' is not a place in places.csv (did you mean 'KZ-delta'?)",
        ))
        .stdout(predicate::str::contains(
            "places.csv:3: lat 95 is out of range",
        ))
        .stdout(predicate::str::contains("10 problem(s)"));
    corridor()
        .args(["validate", &mini()])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok (6 places"));
}

#[test]
fn empty_or_missing_data_folder_is_invalid_data() {
    let dir = tempfile::tempdir().unwrap();
    corridor()
        .args([
            "--data",
            &dir.path().display().to_string(),
            "route",
            "A",
            "B",
        ])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("places.csv: missing"));
    corridor()
        .args(["--data", "/nonexistent/corridor-data", "places"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("is not a folder"));
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answer.json");
    corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "Alpha",
            "Foxtrot",
            "--format",
            "json",
            "-o",
            &path.display().to_string(),
        ])
        .assert()
        .success();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["schema_version"], "1.0");
    // A failed query leaves the old file untouched.
    corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "Alpha",
            "Nowhere",
            "--format",
            "json",
            "-o",
            &path.display().to_string(),
        ])
        .assert()
        .code(2);
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v, again);
    // An unwritable target is an error, and leaves no temp files behind.
    let bad = dir.path().join("no/such/dir/answer.json");
    corridor()
        .args([
            "--data",
            &mini(),
            "route",
            "Alpha",
            "Foxtrot",
            "-o",
            &bad.display().to_string(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn places_search_and_country_filter() {
    corridor()
        .args(["--data", &mini(), "places", "--search", "чарли"])
        .assert()
        .success()
        .stdout(predicate::str::contains("KZ-charlie"))
        .stdout(predicate::str::contains("1 place(s)"));
    let out = corridor()
        .args([
            "--data",
            &mini(),
            "places",
            "--country",
            "az",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
}

#[test]
fn depart_adds_clock_times_that_validate_against_the_schema() {
    let timed = root().join("tests/fixtures/timed").display().to_string();
    let out = corridor()
        .args([
            "--data",
            &timed,
            "route",
            "KZ-delta",
            "AZ-echo",
            "--optimize",
            "time",
            "--depart",
            "2026-11-30T08:00",
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
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let t = &v["itineraries"][0]["totals"];
    assert_eq!(t["depart_utc"], "2026-11-30T03:00:00Z");
    assert_eq!(t["arrive_local"], "2026-12-02T05:00:00+04:00[Asia/Baku]");
    // A closure that cuts the only route: NoRoute (exit 3) naming it.
    let out = corridor()
        .args([
            "--data",
            &timed,
            "route",
            "AZ-echo",
            "AZ-foxtrot",
            "--avoid",
            "mode:ferry",
            "--optimize",
            "time",
            "--depart",
            "2026-12-05T08:00",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("closures.csv:2"));
}

/// `--arrive-by` (the latest departure), the front with `--depart`, and `--budget-ms 0`
/// (BudgetExceeded, exit 3) from the command line; the answers meet the schema.
#[test]
fn arrive_by_front_on_the_clock_and_budget_ms() {
    let timed = root().join("tests/fixtures/timed").display().to_string();
    let run = |extra: &[&str]| {
        let mut args = vec!["--data", &timed, "route", "KZ-charlie", "AZ-echo"];
        args.extend_from_slice(extra);
        corridor().args(&args).output().unwrap()
    };
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let json = |out: &std::process::Output| -> serde_json::Value {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        v
    };
    let v = json(&run(&[
        "--arrive-by",
        "2026-12-20T18:00",
        "--format",
        "json",
    ]));
    let it = &v["itineraries"][0];
    assert_eq!(it["labels"][0], "latest_departure");
    assert_eq!(v["query"]["arrive_by"], "2026-12-20T14:00:00Z");
    assert!(it["totals"]["arrive_utc"].as_str().unwrap() <= "2026-12-20T14:00:00Z");
    let v = json(&run(&["--depart", "2026-11-28T08:00", "--format", "json"]));
    let its = v["itineraries"].as_array().unwrap();
    assert!(its.iter().all(|i| i["totals"]["arrive_utc"].is_string()));
    assert!(its.iter().any(|i| i["labels"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l == "cheapest")));
    let out = run(&["--depart", "2026-11-28T08:00", "--budget-ms", "0"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 ms"));
}

/// Door to door from the command line: a point as FROM (negative coordinates need no `--`),
/// JSON that meets the schema, GeoJSON whose first feature starts at the point, and a clear
/// error for a point without terminals in its country.
#[test]
fn route_from_a_point_is_door_to_door() {
    let out = corridor()
        .args([
            "route",
            "43.30,76.95",
            "Duisburg",
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
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let leg = &v["itineraries"][0]["legs"][0];
    assert_eq!(leg["from"]["id"], "DOOR-FROM");
    assert_eq!(leg["from"]["lat"], 43.3);
    assert_eq!(leg["mode"], "road");
    // A point south of the equator and west of Greenwich parses as coordinates (and is at sea).
    corridor()
        .args(["route", "-33.9,-40.0", "Duisburg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no country"));
    corridor()
        .args(["route", "59.91,10.75", "Duisburg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no terminal of the network in NO"));
}

fn constraints_fixture() -> String {
    root()
        .join("tests/fixtures/constraints")
        .display()
        .to_string()
}

#[test]
fn cargo_constraints_on_the_command_line() {
    // Customs regime and compliance flags: lines in the table, fields in schema-valid JSON.
    let args = [
        "--data",
        &constraints_fixture(),
        "route",
        "Charlie",
        "Alpha",
        "--optimize",
        "time",
        "--avoid",
        "mode:rail",
        "--customs",
        "tir",
    ];
    let out = corridor().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("cargo: customs tir"), "{text}");
    assert!(
        text.contains(
            "customs: tir at bc-border~r (CU-T-TIR): dwell 2.0 h instead of 10.0 h, fee USD 30"
        ),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("] document ") && l.contains("TIR Convention — TIR carnet")),
        "{text}"
    );
    let json = corridor()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(v["query"]["constraints"]["customs"], "tir");
    assert_eq!(
        v["itineraries"][0]["borders"][0]["customs"]["id"],
        "CU-T-TIR"
    );
    assert_eq!(v["itineraries"][0]["compliance"][0]["id"], "CP-T-TIR");
    // A shipment too big for one sailing of either crossing: exit 3 naming the capacity.
    corridor()
        .args([
            "--data",
            &constraints_fixture(),
            "route",
            "Alpha",
            "Echo port",
            "--cargo",
            "60xFEU",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "capacity per departure for --cargo 60xFEU cut off the last route",
        ));
    // A bad class names the flag and exits 2.
    corridor()
        .args([
            "--data",
            &constraints_fixture(),
            "route",
            "Alpha",
            "Echo port",
            "--dangerous-goods",
            "12",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dangerous_goods"));
    // The table command takes the same options: the ferry bans class 3, so the cell takes the
    // slower sea feeder.
    let cell = |extra: &[&str]| {
        let data = constraints_fixture();
        let mut args = vec![
            "--data",
            &data,
            "table",
            "--from",
            "Alpha",
            "--to",
            "Echo port",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let out = corridor().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            v["cells"][0]["compliance"],
            serde_json::json!(["CP-T-KZ-ROAD", "CP-T-AZ"])
        );
        v["cells"][0]["transit_h"].as_f64().unwrap()
    };
    let (plain, dg) = (cell(&[]), cell(&["--dangerous-goods", "3"]));
    assert!(dg > plain + 1.0, "{dg} vs {plain}");
    // CSV: the flags' ids in their own column.
    let out = corridor()
        .args([
            "--data",
            &constraints_fixture(),
            "table",
            "--from",
            "Alpha",
            "--to",
            "Echo port",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.starts_with("from,to,distance_km,transit_h,cost_usd,co2e_kg,borders_crossed,countries,compliance,error,message\n"), "{csv}");
    assert!(csv.contains(",CN KZ AZ,CP-T-KZ-ROAD CP-T-AZ,,"), "{csv}");
}

#[test]
fn table_takes_payload_per_teu_like_route() {
    // `corridor table` reads the same shipment options as `corridor route` (one clap struct):
    // a cell with --payload-t-per-teu equals the fastest route with it.
    let json = |args: &[&str]| -> serde_json::Value {
        let out = corridor().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let cell = |payload: &[&str]| {
        // By rail (the 29 t EU road limit would cut the heavy box's last truck mile and
        // change the route).
        let mut a = vec![
            "table",
            "--from",
            "Xi'an",
            "--to",
            "Duisburg",
            "--format",
            "json",
            "--avoid",
            "mode:road",
        ];
        a.extend_from_slice(payload);
        json(&a)["cells"][0]["co2e_kg"].as_f64().unwrap()
    };
    let route = json(&[
        "route",
        "Xi'an",
        "Duisburg",
        "--optimize",
        "time",
        "--payload-t-per-teu",
        "13",
        "--avoid",
        "mode:road",
        "--format",
        "json",
    ]);
    let routed = route["itineraries"][0]["totals"]["co2e_kg"]
        .as_f64()
        .unwrap();
    let (light, heavy) = (cell(&[]), cell(&["--payload-t-per-teu", "13"]));
    assert_eq!(heavy, routed);
    // 13 t per TEU instead of the default 10 (26 t + 3.94 t tare per FEU, under ISO 668's
    // 30.48 t gross): more tonne-km, more CO2e.
    assert!(heavy > light * 1.1, "{heavy} vs {light}");
    let out = corridor()
        .args([
            "table",
            "--from",
            "Xi'an",
            "--to",
            "Duisburg",
            "--payload-t-per-teu",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A lane file that is a device or a folder is refused before any read (`--pairs /dev/zero`
/// read one record without bound; issue 17); so is a file of more lanes than a table takes.
#[test]
fn pairs_must_be_a_regular_bounded_file() {
    for path in ["/dev/zero", "/"] {
        corridor()
            .args(["table", "--pairs", path])
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is not a regular file"));
    }
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("lanes.csv");
    let mut text = String::from("from,to\n");
    for _ in 0..=corridor_engine::table::MAX_CELLS {
        text.push_str("Almaty,Baku\n");
    }
    std::fs::write(&big, text).unwrap();
    corridor()
        .args(["table", "--pairs"])
        .arg(&big)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than 10000 lanes"));
}

/// Issue 20: the text answer fits 100 columns, lists each compliance flag once per answer
/// (not per itinerary), and keeps network-check details for --verbose.
#[test]
fn route_table_fits_100_columns_and_lists_flags_once() {
    let out = corridor()
        .args(["route", "Xi'an", "Duisburg"])
        .output()
        .expect("run corridor");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for l in text.lines() {
        assert!(l.chars().count() <= 100, "{} chars: {l}", l.chars().count());
    }
    // Two Russian itineraries each carry the EU transit-ban flag: it is printed once.
    assert_eq!(
        text.matches("EU Council — Regulation (EU) No 833/2014")
            .count(),
        1,
        "{text}"
    );
    assert!(text.contains("itineraries 1, 2"), "{text}");
    assert!(
        text.contains("  flags: sanction BY [3] · sanction RU [1][2][4]"),
        "{text}"
    );
    assert!(!text.contains("network check failed"), "{text}");
    assert!(text.contains("delay risk: hours by which"), "{text}");
    let verbose = corridor()
        .args(["route", "Xi'an", "Duisburg", "--verbose"])
        .output()
        .expect("run corridor");
    let v = String::from_utf8_lossy(&verbose.stdout);
    assert!(v.contains("network check failed for"), "{v}");
    assert!(
        v.contains("source SRC-FI-MFA-2023-EU11, as of 2023-06-23"),
        "{v}"
    );
    assert!(v.contains("may not transit through Russia"), "{v}");
}

/// A dated query names the sea rate period that priced a leg (sea_rates.csv); an undated one
/// does not.
#[test]
fn table_names_the_dated_rate_period() {
    let args = |depart: Option<&str>| {
        let mut a = vec!["route", "Shanghai", "Rotterdam", "--optimize", "cost"];
        for x in ["passage:suez", "mode:rail", "mode:road", "mode:air"] {
            a.extend(["--avoid", x]);
        }
        if let Some(d) = depart {
            a.extend(["--depart", d]);
        }
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let out = corridor()
        .args(args(Some("2024-01-26T08:00")))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "rate: SE-CNSHA-NLRTM-CAPE priced for 2024-01-25 .. 2024-01-31 at USD 4,984 per feu"
        ),
        "{text}"
    );
    let out = corridor().args(args(None)).output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("rate: "));
}
