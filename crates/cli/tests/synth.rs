//! `corridor synth` (hidden): writes a synthetic data folder that `validate` and `route` take.

use assert_cmd::Command;
use predicates::prelude::*;

fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}

#[test]
fn synth_writes_a_folder_that_validates_and_routes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("synth");
    let o = out.to_str().unwrap();
    corridor()
        .args(["synth", "--places", "300", "--seed", "5", "-o", o])
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote 300 places"));
    corridor()
        .args(["validate", o])
        .assert()
        .success()
        .stdout(predicate::str::contains("300 places"));
    // From the east coast to the west coast of the synthetic band.
    let a = corridor()
        .args([
            "--data",
            o,
            "route",
            "XD-porte0",
            "XA-portw0",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(v["data"]["version"], "synth-1");
    assert!(!v["itineraries"].as_array().unwrap().is_empty());
    // The same seed writes the same files: the same data hash.
    let again = dir.path().join("again");
    corridor()
        .args(["synth", "--places", "300", "--seed", "5", "-o"])
        .arg(&again)
        .assert()
        .success();
    for f in ["places.csv", "links.csv", "transfers.csv", "sources.csv"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn synth_refuses_a_size_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    corridor()
        .args(["synth", "--places", "5", "-o"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--places 5 is out of range")
                .and(predicate::str::contains("12 to 1000000")),
        );
}
