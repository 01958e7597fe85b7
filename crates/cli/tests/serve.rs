//! `corridor serve` as a real process on a loopback port, and `corridor table`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command as Proc, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;
use predicates::prelude::*;

fn http_get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serves_on_loopback_and_stops_on_sigterm() {
    let mut child = Proc::cargo_bin("corridor")
        .unwrap()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let health = http_get(&addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let route = http_get(&addr, "/v1/route?from=Urumqi&to=Baku&avoid=country:RU");
    assert!(
        route.starts_with("HTTP/1.1 200") && route.contains("\"itineraries\""),
        "{route}"
    );
    let bad = http_get(&addr, "/v1/route?from=Aktow&to=Baku");
    assert!(
        bad.starts_with("HTTP/1.1 404") && bad.contains("UnknownPlace"),
        "{bad}"
    );
    // Graceful shutdown on SIGTERM.
    let killed = Proc::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn serve_rejects_a_bad_address() {
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["serve", "--listen", "not-an-address"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not an address:port"));
}

#[test]
fn table_from_a_pairs_file_as_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let lanes = dir.path().join("lanes.csv");
    std::fs::write(
        &lanes,
        "from,to,note\nXi'an,Duisburg,main\nUrumqi,Baku,tc\nAktow,Baku,typo\n",
    )
    .unwrap();
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args([
            "table",
            "--pairs",
            &lanes.display().to_string(),
            "--cargo",
            "2xFEU",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("from,to,distance_km,transit_h,cost_usd"));
    assert!(lines[1].starts_with("Xi'an,Duisburg,"));
    assert!(lines[3].contains("UnknownPlace"));
    let json_path = dir.path().join("t.json");
    Command::cargo_bin("corridor")
        .unwrap()
        .args([
            "table",
            "--from",
            "Xi'an",
            "--from",
            "Chongqing",
            "--to",
            "Duisburg",
            "--format",
            "json",
            "-o",
            &json_path.display().to_string(),
        ])
        .assert()
        .success();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(v["cells"].as_array().unwrap().len(), 2);
    // A malformed pairs file names the problem.
    std::fs::write(&lanes, "origin,dest\nA,B\n").unwrap();
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["table", "--pairs", &lanes.display().to_string()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "needs a header row with columns from,to",
        ));
}
