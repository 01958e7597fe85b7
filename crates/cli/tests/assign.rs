//! `corridor assign --tntp DIR` end to end on Sioux Falls (../shared/reference/tntp beside the
//! repository, or $CORRIDOR_REFERENCE_DIR) and on broken folders the tests write; and
//! `corridor assign --demand` on the corridor network with capacities an overlay adds.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

fn sioux_falls() -> PathBuf {
    let reference = std::env::var_os("CORRIDOR_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference")
        });
    let dir = reference.join("tntp/SiouxFalls");
    assert!(
        dir.is_dir(),
        "the Sioux Falls reference files are missing: expected {} (../shared/reference/tntp/SiouxFalls beside the repository; set CORRIDOR_REFERENCE_DIR to the reference folder if it lies elsewhere)",
        dir.display()
    );
    dir
}

fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}

/// (from, to, flow) rows of a `from,to,flow,cost` CSV or of SiouxFalls_flow.tntp.
fn rows(text: &str, sep: Option<char>) -> Vec<(u32, u32, f64)> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = match sep {
                Some(c) => l.split(c).collect(),
                None => l.split_whitespace().collect(),
            };
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn csv_flows_match_the_best_known_within_half_a_percent() {
    let dir = sioux_falls();
    for algorithm in ["bfw", "gp"] {
        let out = corridor()
            .args([
                "assign",
                "--format",
                "csv",
                "--gap",
                "1e-5",
                "--threads",
                "2",
                "--algorithm",
                algorithm,
            ])
            .arg("--tntp")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("from,to,flow,cost\n"));
        let got = rows(&text, Some(','));
        let best = rows(
            &std::fs::read_to_string(dir.join("SiouxFalls_flow.tntp")).unwrap(),
            None,
        );
        assert_eq!(got.len(), 76);
        for (g, b) in got.iter().zip(&best) {
            assert_eq!((g.0, g.1), (b.0, b.1));
            assert!(
                (g.2 - b.2).abs() <= 0.005 * b.2,
                "{algorithm} {g:?} vs {b:?}"
            );
        }
    }
}

#[test]
fn json_reports_convergence_per_iteration() {
    let out = corridor()
        .args([
            "assign",
            "--format",
            "json",
            "--algorithm",
            "gp",
            "--gap",
            "1e-8",
        ])
        .arg("--tntp")
        .arg(sioux_falls())
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["convergence"];
    assert_eq!(c["converged"], true);
    assert!(c["relative_gap"].as_f64().unwrap() <= 1e-8);
    let per = c["per_iteration"].as_array().unwrap();
    assert_eq!(per.len() as u64, c["iterations"].as_u64().unwrap());
    assert_eq!(per.last().unwrap()["relative_gap"], c["relative_gap"]);
    assert!(v["best_known_max_relative_deviation"].as_f64().unwrap() < 1e-4);
    assert_eq!(v["links"].as_array().unwrap().len(), 76);
    // nothing but JSON on stdout (no progress bar)
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn max_iter_too_small_answers_not_converged_and_table_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.txt");
    corridor()
        .args([
            "assign",
            "--algorithm",
            "fw",
            "--gap",
            "1e-6",
            "--max-iter",
            "3",
            "-o",
        ])
        .arg(&file)
        .arg("--tntp")
        .arg(sioux_falls())
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("after 3 iteration(s)") && text.contains("NOT converged"),
        "{text}"
    );
    assert!(
        text.contains("SiouxFalls: 24 nodes, 76 links, 24 zones"),
        "{text}"
    );
}

#[test]
fn malformed_tntp_is_invalid_data_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let net = std::fs::read_to_string(sioux_falls().join("SiouxFalls_net.tntp")).unwrap();
    let trips = std::fs::read_to_string(sioux_falls().join("SiouxFalls_trips.tntp")).unwrap();
    // line 13 is the second link row (1 -> 3); drop its ';'
    let broken: Vec<String> = net
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 12 {
                l.replace(';', "")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(dir.path().join("X_net.tntp"), broken.join("\n")).unwrap();
    std::fs::write(dir.path().join("X_trips.tntp"), &trips).unwrap();
    corridor()
        .args(["assign", "--tntp"])
        .arg(dir.path())
        .assert()
        .code(4)
        .stderr(
            predicate::str::contains("X_net.tntp:13:")
                .and(predicate::str::contains("does not end with ';'")),
        );
    // negative demand: the trips file's line, exit 4 and JSON on stdout with --format json
    std::fs::write(dir.path().join("X_net.tntp"), &net).unwrap();
    std::fs::write(
        dir.path().join("X_trips.tntp"),
        trips.replacen("2 :    100.0", "2 :   -100.0", 1),
    )
    .unwrap();
    let out = corridor()
        .args(["assign", "--format", "json", "--tntp"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "InvalidData");
    assert_eq!(v["problems"][0]["line"], 7);
    // bad options
    corridor()
        .args(["assign", "--gap=-1", "--tntp"])
        .arg(sioux_falls())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("gap"));
}

/// An overlay of the embedded data with capacities on the two China–Kazakhstan rail
/// crossings, and a demand file, in a scratch folder.
fn corridor_case() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("meta.csv"), "key,value\nbase,embedded\n").unwrap();
    std::fs::write(
        data.join("capacity.csv"),
        "id,element,link,place,carrier,direction,status,figure,unit,teu_per_year,conversion,year,source,note\n\
         CAP-CNKZ-DOSTYK-BORDER,link,BD-CN-alashankou--KZ-dostyk-wagon,,,forward,operating,12,trains/day,473040,12 × 108 × 365,2021,SRC-EST-COORD-SITE,test\n\
         CAP-CNKZ-KHORGOS-BORDER,link,BD-CN-khorgos-rail--KZ-altynkol-wagon,,,forward,operating,8,trains/day,315360,8 × 108 × 365,2025,SRC-EST-COORD-SITE,test\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("od.csv"),
        "id,from,to,teu_per_year\nx,Xi'an,Duisburg,400000\nc,Chongqing,Almaty,200000\n",
    )
    .unwrap();
    dir
}

fn corridor_assign(dir: &tempfile::TempDir, extra: &[&str]) -> assert_cmd::assert::Assert {
    let data = dir.path().join("data");
    let od = dir.path().join("od.csv");
    let mut args = vec![
        "--data".to_string(),
        data.display().to_string(),
        "assign".into(),
        "--demand".into(),
        od.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    corridor().args(args).assert()
}

#[test]
fn corridor_network_flows_in_every_format() {
    let dir = corridor_case();
    let out = corridor_assign(&dir, &["--demand-factor", "2", "--format", "json"]).success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["demand_teu_per_year"], serde_json::json!(1_200_000.0));
    let b = &v["bottlenecks"];
    assert!(b.as_array().unwrap().len() >= 2, "{b}");
    assert!(b[0]["source"]
        .as_str()
        .unwrap()
        .starts_with("SRC-EST-COORD-SITE"));
    assert!(v["convergence"]["converged"].as_bool().unwrap());
    corridor_assign(&dir, &["--format", "csv"])
        .success()
        .stdout(predicate::str::starts_with(
            "rank,id,name,element,target,direction,load_teu_per_year",
        ));
    let out = corridor_assign(&dir, &["--format", "geojson"]).success();
    let g: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    assert!(g["features"].as_array().unwrap().len() > 5);
    corridor_assign(&dir, &["--format", "html"])
        .success()
        .stdout(predicate::str::contains("<svg").and(predicate::str::contains("Dostyk")));
    corridor_assign(&dir, &["--demand-factor", "2", "--compare"])
        .success()
        .stdout(
            predicate::str::contains("against the baseline")
                .and(predicate::str::contains("bottlenecks")),
        );
}

#[test]
fn corridor_network_bad_input_is_named() {
    let dir = corridor_case();
    std::fs::write(
        dir.path().join("od.csv"),
        "from,to,teu_per_year\nXi'an,Duisburg,abc\n",
    )
    .unwrap();
    corridor_assign(&dir, &[])
        .code(4)
        .stderr(predicate::str::contains("od.csv:2"));
    std::fs::write(
        dir.path().join("od.csv"),
        "from,to,teu_per_year\nAtlantis,Duisburg,5\n",
    )
    .unwrap();
    corridor_assign(&dir, &[])
        .code(2)
        .stderr(predicate::str::contains("Atlantis"));
    corridor_assign(&dir, &["--demand-factor=-1"])
        .code(2)
        .stderr(predicate::str::contains("demand-factor"));
    corridor()
        .args(["assign", "--tntp", "x", "--demand", "y"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

/// A demand "file" that is a device or a folder is refused before any read (`/dev/zero` was
/// read without end).
#[test]
fn a_demand_file_that_is_not_a_file_is_refused() {
    for path in ["/dev/zero", "/tmp"] {
        corridor()
            .args(["assign", "--demand", path])
            .timeout(std::time::Duration::from_secs(30))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a regular file"));
    }
}
