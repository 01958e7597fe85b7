//! `corridor serve` as a real process on loopback with a client that never reads its answers
//! (issue 17): the connection is dropped after the write timeout and its slot freed, so the
//! same client can connect again under a per-client cap of 1. Bounded: a few seconds, two
//! connections.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command as Proc, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

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
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = err.read_to_end(&mut sink);
    });
    Server { child, addr }
}

#[test]
fn a_client_that_never_reads_its_answers_is_dropped_after_the_write_timeout() {
    let srv = start(&[
        "--write-timeout-ms",
        "700",
        "--header-timeout-ms",
        "20000",
        "--max-connections-per-ip",
        "1",
    ]);
    // Many pipelined requests for a large answer, never read: the socket buffers fill and
    // the server's writes stall.
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    let req = b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
    let many: Vec<u8> = req.iter().copied().cycle().take(req.len() * 3000).collect();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = s.write_all(&many);
    // While stalled, the one slot of this client is taken: another connection is refused.
    std::thread::sleep(Duration::from_millis(200));
    // After the write timeout the stalled connection is dropped and the slot freed.
    let t0 = Instant::now();
    let answered = loop {
        std::thread::sleep(Duration::from_millis(300));
        let mut c = TcpStream::connect(&srv.addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut text = String::new();
        let _ = c.read_to_string(&mut text);
        if text.starts_with("HTTP/1.1 200") {
            break true;
        }
        assert!(text.starts_with("HTTP/1.1 503"), "{text}");
        if t0.elapsed() > Duration::from_secs(8) {
            break false;
        }
    };
    assert!(
        answered,
        "the stalled connection still held the slot after 8 s"
    );
    // And the stalled connection was closed: reading it ends (EOF or reset) well before all
    // 3,000 answers arrive.
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut got = 0usize;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    let one = 10_000; // an /openapi.json answer is larger than this
    assert!(got < 3000 * one, "{got} bytes: every answer was written");
}
