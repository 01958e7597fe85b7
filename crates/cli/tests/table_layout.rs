//! `corridor table --layout matrix --unit days` (issue 20): origins × destinations in the unit
//! asked, equal to the long layout's figures, and clear errors for combinations that mean
//! nothing.

use assert_cmd::Command;

fn corridor() -> Command {
    Command::cargo_bin("corridor").expect("binary")
}

fn csv(args: &[&str]) -> Vec<Vec<String>> {
    let out = corridor().args(args).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    csv::Reader::from_reader(out.stdout.as_slice())
        .records()
        .map(|r| r.expect("csv row").iter().map(str::to_string).collect())
        .collect()
}

const LANES: [&str; 10] = [
    "table", "--from", "Xi'an", "--from", "Urumqi", "--to", "Duisburg", "--to", "Baku", "--to",
];

#[test]
fn matrix_in_days_equals_the_long_table_in_hours() {
    let mut m_args = LANES.to_vec();
    m_args.extend(["Nowhereville", "--layout", "matrix", "--unit", "days"]);
    let out = corridor().args(&m_args).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(first, "transit_days from \\ to,Duisburg,Baku,Nowhereville");
    let matrix = csv(&m_args);
    assert_eq!(matrix.len(), 2, "one row per origin: {matrix:?}");
    let mut l_args = LANES.to_vec();
    l_args.push("Nowhereville");
    let long = csv(&l_args);
    assert_eq!(long.len(), 6);
    for row in &long {
        let r = matrix
            .iter()
            .position(|m| m[0] == row[0])
            .expect("origin row");
        let c = ["Duisburg", "Baku", "Nowhereville"]
            .iter()
            .position(|d| *d == row[1])
            .expect("destination column");
        let cell = &matrix[r][c + 1];
        if row[3].is_empty() {
            assert_eq!(cell, &format!("[{}]", row[9]), "no route: the error code");
        } else {
            let hours: f64 = row[3].parse().expect("transit_h");
            let days: f64 = cell.parse().expect("days");
            assert!((days - hours / 24.0).abs() < 0.006, "{days} d vs {hours} h");
        }
    }
}

#[test]
fn long_table_in_days_renames_the_column() {
    let out = corridor()
        .args([
            "table", "--from", "Xi'an", "--to", "Duisburg", "--unit", "days",
        ])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("from,to,distance_km,transit_days,"),
        "{text}"
    );
}

#[test]
fn meaningless_combinations_are_refused() {
    for (args, needle) in [
        (
            vec!["--layout", "matrix", "--format", "json"],
            "--layout matrix is a CSV layout",
        ),
        (
            vec!["--layout", "matrix", "--value", "p90"],
            "add --reliability",
        ),
    ] {
        let out = corridor()
            .args(["table", "--from", "Xi'an", "--to", "Duisburg"])
            .args(&args)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}
