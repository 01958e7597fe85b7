//! `-o FILE` under careless use, absurd leg distances, and clap errors with `--format json`.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::process::Command as Proc;
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;

fn corridor() -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.timeout(Duration::from_secs(60));
    c
}

fn tmp_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect()
}

#[test]
fn output_refuses_links_fifos_and_inputs_and_keeps_the_mode() {
    let d = tempfile::tempdir().unwrap();
    // A symbolic link: refused, the link and its target untouched.
    let target = d.path().join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = d.path().join("link.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = corridor()
        .args(["route", "Aktau", "Baku", "-o"])
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    // A FIFO (a stand-in for any special file, /dev/null included): refused, still a FIFO.
    let fifo = d.path().join("fifo");
    assert!(Proc::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = corridor()
        .args(["route", "Aktau", "Baku", "--format", "json", "-o"])
        .arg(&fifo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["code"].as_str(), v["field"].as_str()),
        (Some("InvalidValue"), Some("output"))
    );
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    // The command's own input: refused, unchanged.
    let pairs = d.path().join("lanes.csv");
    std::fs::write(&pairs, "from,to\nAktau,Baku\n").unwrap();
    let out = corridor()
        .args(["table", "--pairs"])
        .arg(&pairs)
        .arg("-o")
        .arg(&pairs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("input"));
    assert_eq!(
        std::fs::read_to_string(&pairs).unwrap(),
        "from,to\nAktau,Baku\n"
    );
    // A private answer stays private: 0600 is kept when the file is replaced.
    let private = d.path().join("answer.csv");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    corridor()
        .args(["table", "--pairs"])
        .arg(&pairs)
        .arg("-o")
        .arg(&private)
        .assert()
        .success();
    let m = std::fs::metadata(&private).unwrap();
    assert_eq!(m.permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&private)
        .unwrap()
        .starts_with("from,to"));
    // A new file is 0644 as before.
    let fresh = d.path().join("fresh.csv");
    corridor()
        .args(["table", "--pairs"])
        .arg(&pairs)
        .arg("-o")
        .arg(&fresh)
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
        0o644
    );
    assert!(tmp_files(d.path()).is_empty());
}

#[test]
fn no_temporary_file_is_left_after_sigint_or_sigterm() {
    for sig in ["-INT", "-TERM"] {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("answer.txt");
        let mut child = Proc::cargo_bin("corridor")
            .unwrap()
            .args(["route", "Aktau", "Baku", "-o"])
            .arg(&out)
            .env("CORRIDOR_TEST_WRITE_PAUSE_MS", "8000")
            .spawn()
            .unwrap();
        // Wait for the temporary file to appear, then signal.
        let t0 = Instant::now();
        while tmp_files(d.path()).is_empty() {
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "no temporary file appeared"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(Proc::new("kill")
            .args([sig, &child.id().to_string()])
            .status()
            .unwrap()
            .success());
        let status = child.wait().unwrap();
        assert!(!status.success(), "{sig}: {status:?}");
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "{sig}: waited for the pause"
        );
        assert_eq!(tmp_files(d.path()), Vec::<String>::new(), "{sig}");
        assert!(!out.exists(), "{sig}");
    }
}

#[test]
fn a_leg_distance_beyond_the_earth_is_refused() {
    let out = corridor()
        .args(["emissions", "--leg", "road:Aktau-Baku:1e308km"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("distance_km") && err.contains("40000"),
        "{err}"
    );
    let out = corridor()
        .args([
            "emissions",
            "--leg",
            "road:Aktau-Baku:1e308km",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["field"], "distance_km", "{v}");
    // A real distance still works.
    corridor()
        .args(["emissions", "--leg", "road:Aktau-Baku:680km"])
        .assert()
        .success();
}

#[test]
fn clap_errors_honour_format_json() {
    for args in [
        &["route", "Aktau", "Baku", "--format", "json", "--bogus"][..],
        &[
            "route",
            "Aktau",
            "Baku",
            "--format=json",
            "--max-borders",
            "many",
        ][..],
        &["emissions", "--format", "json", "--nope"][..],
    ] {
        let out = corridor().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out:?}"));
        let code = v["code"].as_str().unwrap();
        assert!(code == "InvalidValue" || code == "InvalidQuery", "{v}");
        assert!(!v["message"].as_str().unwrap().is_empty(), "{v}");
        assert!(!out.stderr.is_empty());
    }
    let out = corridor()
        .args([
            "route",
            "Aktau",
            "Baku",
            "--format",
            "json",
            "--max-borders",
            "many",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["code"].as_str(), v["field"].as_str()),
        (Some("InvalidValue"), Some("max-borders"))
    );
    // Without --format json the error stays clap's text, exit 2.
    let out = corridor().args(["route", "--bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
