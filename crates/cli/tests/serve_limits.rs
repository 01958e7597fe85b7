//! `corridor serve` as a real process on loopback, under slow and hostile clients: half-sent
//! headers and bodies time out, idle keep-alive connections close, the per-client connection
//! cap holds, SIGTERM exits within its drain time while a slow client hangs, and long unknown
//! names are answered at once. Each case is bounded (a few seconds, under 20 connections).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command as Proc, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;

/// A server process; killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Server {
    let mut child = Proc::cargo_bin("corridor")
        .unwrap()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
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
    // Keep draining the access log so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = err.read_to_end(&mut sink);
    });
    Server { child, addr }
}

fn connect(addr: &str) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
    s
}

/// Reads until the server closes (EOF or reset); the bytes and how long it took.
fn read_until_closed(s: &mut TcpStream) -> (String, Duration) {
    let t0 = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("still open after {:?}: {e}", t0.elapsed()),
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), t0.elapsed())
}

const SHORT: &[&str] = &[
    "--header-timeout-ms",
    "800",
    "--body-timeout-ms",
    "800",
    "--max-connections-per-ip",
    "6",
];

#[test]
fn half_sent_headers_and_bodies_time_out_and_idle_connections_close() {
    let srv = start(SHORT);
    // Half the headers, then nothing: closed after the header timeout.
    let mut s = connect(&srv.addr);
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let (_, took) = read_until_closed(&mut s);
    assert!(took < Duration::from_secs(4), "{took:?}");
    // Headers, half the body: 408 Timeout (JSON), then closed.
    let mut s = connect(&srv.addr);
    s.write_all(
        b"POST /v1/route HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"from\":",
    )
    .unwrap();
    let (text, took) = read_until_closed(&mut s);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"code\":\"Timeout\""), "{text}");
    assert!(took < Duration::from_secs(4), "{took:?}");
    // A whole request on a keep-alive connection, answered; then idle: closed.
    let mut s = connect(&srv.addr);
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let (text, took) = read_until_closed(&mut s);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[test]
fn the_per_client_connection_cap_holds_and_frees() {
    let srv = start(SHORT);
    let held: Vec<TcpStream> = (0..6).map(|_| connect(&srv.addr)).collect();
    // Give the server the time to accept the six.
    std::thread::sleep(Duration::from_millis(200));
    let mut extra = connect(&srv.addr);
    let (text, took) = read_until_closed(&mut extra);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("\"code\":\"Overloaded\""), "{text}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    // Once they are closed, the client may connect again.
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    let mut s = connect(&srv.addr);
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (text, _) = read_until_closed(&mut s);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

#[test]
fn sigterm_exits_within_the_drain_time_while_a_slow_client_hangs() {
    let mut srv = start(&[
        "--header-timeout-ms",
        "60000",
        "--body-timeout-ms",
        "60000",
        "--drain-timeout-ms",
        "1500",
    ]);
    // One client stuck in its headers, one in its body.
    let mut a = connect(&srv.addr);
    a.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut b = connect(&srv.addr);
    b.write_all(
        b"POST /v1/route HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let t0 = Instant::now();
    let killed = Proc::new("kill")
        .args(["-TERM", &srv.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(st) = srv.child.try_wait().unwrap() {
            break st;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(8),
            "still running {:?} after SIGTERM",
            t0.elapsed()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
}

#[test]
fn long_unknown_names_are_answered_at_once() {
    let srv = start(SHORT);
    let body = serde_json::json!({"from": ["Z".repeat(8000)], "to": vec!["Baku"; 60]}).to_string();
    let mut s = connect(&srv.addr);
    let t0 = Instant::now();
    write!(
        s,
        "POST /v1/table HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let (text, _) = read_until_closed(&mut s);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert!(text.contains("\"field\":\"from\""), "{text}");
    assert!(text.contains("at most 200"), "{text}");
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    // A route right after is answered normally.
    let mut s = connect(&srv.addr);
    s.write_all(
        b"GET /v1/route?from=Aktau&to=Baku HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let (text, _) = read_until_closed(&mut s);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

#[test]
fn options_that_would_guard_or_answer_nothing_are_refused() {
    for (args, field) in [
        (&["--api-key", ""][..], "api-key"),
        (&["--rate-limit", "0"][..], "rate-limit"),
        (&["--max-concurrent", "0"][..], "max-concurrent"),
        (
            &["--max-connections-per-ip", "0"][..],
            "max-connections-per-ip",
        ),
        (&["--header-timeout-ms", "0"][..], "header-timeout-ms"),
    ] {
        let out = Command::cargo_bin("corridor")
            .unwrap()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(field), "{args:?}: {err}");
    }
}

fn metric(addr: &str, name: &str) -> f64 {
    let mut s = connect(addr);
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (text, _) = read_until_closed(&mut s);
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok()))
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

#[test]
fn a_table_stops_when_its_client_leaves() {
    let srv = start(&["--timeout-ms", "60000"]);
    let mut s = connect(&srv.addr);
    s.write_all(b"GET /v1/places?limit=100 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (text, _) = read_until_closed(&mut s);
    let body = text.split_once("\r\n\r\n").unwrap().1;
    let places: Vec<serde_json::Value> = serde_json::from_str(body).unwrap();
    let ids: Vec<&str> = places.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 100);
    // 100 × 100 = 10,000 cells: many seconds of work.
    let req = serde_json::json!({"from": ids, "to": ids}).to_string();
    let mut s = connect(&srv.addr);
    write!(
        s,
        "POST /v1/table HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{req}",
        req.len()
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(metric(&srv.addr, "corridor_queries_in_flight"), 1.0);
    drop(s); // the client leaves
    let t0 = Instant::now();
    while metric(&srv.addr, "corridor_queries_in_flight") != 0.0 {
        assert!(
            t0.elapsed() < Duration::from_secs(3),
            "the table still runs {:?} after its client left",
            t0.elapsed()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
