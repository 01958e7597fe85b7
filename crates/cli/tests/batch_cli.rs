//! `corridor batch` and `corridor runs` end to end: a bad job refused with every line, an
//! interrupted run resumed, the exports, and two runs diffed.

use assert_cmd::Command;

const JOB: &str = r#"name = "cli-demo"
scenarios = ["baseline", "caspian-backlog"]
lanes = [["Xi'an", "Duisburg"], ["Urumqi", "Baku"], ["Xi'an", "Baku"]]
chunk = 2
[options]
cargo = "2xFEU"
"#;

fn corridor(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.current_dir(dir).env_remove("CORRIDOR_STORE");
    c
}

#[test]
fn a_bad_job_names_every_problem_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "name = \"x\"\ncolour = 1\nlanes = [[\"Aktauu\", \"Baku\"]]\n[options]\ncargo = \"z\"\n",
    )
    .unwrap();
    let out = corridor(dir.path())
        .args(["batch", "bad.toml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "InvalidJob");
    let lines: Vec<u64> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 3, 5]);
    assert!(
        !dir.path().join("corridor-runs.sqlite").exists(),
        "no store before the job is sound"
    );
}

#[test]
fn an_interrupted_batch_resumes_exports_and_diffs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("job.toml"), JOB).unwrap();
    let out = corridor(dir.path())
        .args(["batch", "job.toml", "--max-parts", "1", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an incomplete run is not a success"
    );
    let out = corridor(dir.path())
        .args(["batch", "job.toml", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["run"]["resumed"], true);
    assert_eq!(v["run"]["computed"], 3);
    assert_eq!(v["run"]["skipped"], 1);
    let csv = std::fs::read_to_string(dir.path().join("cli-demo-results/results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 3);
    assert!(dir.path().join("cli-demo-results/results.parquet").exists());
    // A second, uninterrupted run: the same rows, lane by lane.
    corridor(dir.path())
        .args(["batch", "job.toml", "--quiet"])
        .assert()
        .success();
    let out = corridor(dir.path())
        .args([
            "runs",
            "diff",
            "1",
            "2",
            "--store",
            "corridor-runs.sqlite",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let d: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d.len(), 6);
    assert!(
        d.iter()
            .all(|l| l["status"] == "same" && l["delta_transit_h"] == 0.0),
        "{d:?}"
    );
    let out = corridor(dir.path())
        .args([
            "runs",
            "list",
            "--store",
            "corridor-runs.sqlite",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let runs: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(runs.len(), 2);
    assert!(runs
        .iter()
        .all(|r| r["status"] == "complete" && r["parts_done"] == 4));
    let out = corridor(dir.path())
        .args(["runs", "show", "9", "--store", "corridor-runs.sqlite"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no run 9"));
}

#[test]
fn flows_in_a_batch_are_shown_and_diffed_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    let job = "name = \"fl\"\n[flows]\ndemand_factors = [1, 2]\n";
    std::fs::write(dir.path().join("job.toml"), job).unwrap();
    corridor(dir.path())
        .args(["batch", "job.toml", "--quiet"])
        .assert()
        .success();
    for f in [
        "flows.csv",
        "flows.parquet",
        "flow_runs.csv",
        "flow_runs.parquet",
    ] {
        assert!(dir.path().join("fl-results").join(f).exists(), "{f}");
    }
    // The same demand with the planned capacities: a second run of a changed job.
    std::fs::write(
        dir.path().join("job.toml"),
        format!("{job}planned = true\n"),
    )
    .unwrap();
    corridor(dir.path())
        .args(["batch", "job.toml", "--quiet"])
        .assert()
        .success();
    let out = corridor(dir.path())
        .args([
            "runs",
            "show",
            "1",
            "--flows",
            "--store",
            "corridor-runs.sqlite",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("baseline × 2:"), "{text}");
    assert!(text.contains("Dostyk"), "{text}");
    let out = corridor(dir.path())
        .args([
            "runs",
            "diff",
            "1",
            "2",
            "--flows",
            "--changed",
            "--store",
            "corridor-runs.sqlite",
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
    let d: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    // Planned capacities change V/C somewhere at × 2 (Altynkol's expansion), nothing is "same".
    assert!(
        !d.is_empty() && d.iter().all(|x| x["status"] != "same"),
        "{d:?}"
    );
    assert!(
        d.iter().any(|x| x["demand_factor"] == 2.0
            && x["status"] == "changed"
            && x["delta_vc"].as_f64().is_some_and(|v| v.abs() > 0.05)),
        "{d:?}"
    );
    let out = corridor(dir.path())
        .args([
            "runs",
            "show",
            "2",
            "--flows",
            "--store",
            "corridor-runs.sqlite",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        csv.starts_with("scenario,demand_factor,capacity_id,"),
        "{csv}"
    );
    assert!(csv.contains(",true,"), "planned rows are marked: {csv}");
}
