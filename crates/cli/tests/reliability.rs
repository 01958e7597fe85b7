//! `--reliability` on `route` and `table` (the figures themselves are checked against
//! references in the engine's tests; here: the flags reach the engine and the output shows them).

use std::path::PathBuf;

use assert_cmd::Command;

fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}

fn timed() -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.join("tests/fixtures/timed").display().to_string()
}

fn stdout(args: &[&str]) -> String {
    let out = corridor().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn route_prints_percentiles_on_time_and_seeded_json() {
    let base = [
        "route",
        "Xi'an",
        "Duisburg",
        "--optimize",
        "time",
        "--reliability",
    ];
    let text = stdout(&[&base[..], &["--seed", "1", "--deadline-days", "17"]].concat());
    assert!(
        text.contains("reliability (10000 draws, seed 1): P50 "),
        "{text}"
    );
    assert!(text.contains("on time (within 17.0 days): "), "{text}");
    let json = |seed: &str| -> serde_json::Value {
        let t = stdout(&[&base[..], &["--seed", seed, "--format", "json"]].concat());
        serde_json::from_str(&t).unwrap()
    };
    let (a, b, c) = (json("1"), json("1"), json("2"));
    let p = |v: &serde_json::Value, k: &str| v["itineraries"][0]["totals"][k].as_f64().unwrap();
    let q: Vec<f64> = [
        "transit_days_p50",
        "transit_days_p80",
        "transit_days_p90",
        "transit_days_p95",
    ]
    .iter()
    .map(|k| p(&a, k))
    .collect();
    assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    let lo = p(&a, "transit_h_low") / 24.0;
    let hi = p(&a, "transit_h_high") / 24.0;
    assert!(lo <= q[0] && q[0] <= hi);
    assert_eq!(a["itineraries"], b["itineraries"]);
    assert_ne!(p(&a, "transit_days_p50"), p(&c, "transit_days_p50"));
}

#[test]
fn route_on_the_clock_names_the_two_sailings() {
    let text = stdout(&[
        "--data",
        &timed(),
        "route",
        "CN-alpha",
        "AZ-echo",
        "--optimize",
        "time",
        "--depart",
        "2026-11-30T08:00",
        "--reliability",
        "--seed",
        "5",
    ]);
    assert!(text.contains("bimodal: "), "{text}");
    assert_eq!(text.matches("arrive around day").count(), 2, "{text}");
}

#[test]
fn over_limit_draws_exit_2_naming_the_field() {
    let out = corridor()
        .args([
            "route",
            "Xi'an",
            "Duisburg",
            "--reliability",
            "--draws",
            "1000001",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("draws: 1000001 draws asked for"));
}

#[test]
fn table_adds_p50_and_p90_columns_only_when_asked() {
    let args = ["table", "--from", "Xi'an", "--to", "Duisburg"];
    let plain = stdout(&args);
    assert!(!plain.contains("transit_days_p50"));
    let rel = stdout(&[&args[..], &["--reliability", "--seed", "1"]].concat());
    let mut lines = rel.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |k: &str| {
        row[head.iter().position(|h| *h == k).unwrap()]
            .parse::<f64>()
            .unwrap()
    };
    assert!(col("transit_days_p50") <= col("transit_days_p90"));
    let json = stdout(&[&args[..], &["--reliability", "--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["cells"][0]["transit_days_p90"].as_f64().is_some());
}

/// `--deadline-days` on `table`: an `on_time_pct` column (only then) and the cell's
/// `on_time_probability` in JSON, equal to the route's for the same lane, seed and deadline
/// (a table cell is that route's first itinerary).
#[test]
fn table_deadline_adds_on_time_column_equal_to_the_routes() {
    let args = [
        "table",
        "--from",
        "Xi'an",
        "--to",
        "Duisburg",
        "--reliability",
        "--seed",
        "3",
        "--draws",
        "4000",
    ];
    let rel = stdout(&args);
    assert!(!rel.contains("on_time_pct"), "{rel}");
    let text = stdout(&[&args[..], &["--deadline-days", "17"]].concat());
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let pct: f64 = row[head.iter().position(|h| *h == "on_time_pct").unwrap()]
        .parse()
        .unwrap();
    let json = stdout(&[&args[..], &["--deadline-days", "17", "--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let p = v["cells"][0]["on_time_probability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert!((pct - 100.0 * p).abs() < 0.051, "{pct} vs {p}");
    let route = stdout(&[
        "route",
        "Xi'an",
        "Duisburg",
        "--optimize",
        "time",
        "--reliability",
        "--seed",
        "3",
        "--draws",
        "4000",
        "--deadline-days",
        "17",
        "--format",
        "json",
    ]);
    let r: serde_json::Value = serde_json::from_str(&route).unwrap();
    assert_eq!(
        r["itineraries"][0]["totals"]["on_time_probability"].as_f64(),
        Some(p)
    );
}
