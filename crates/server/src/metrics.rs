//! Prometheus metrics in the text exposition format (version 0.0.4): request counts by
//! endpoint and status, a latency histogram per endpoint, queries in flight.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Histogram bucket upper bounds, seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Hist {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Metrics shared by all requests.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Hist>>,
    /// Engine queries running now.
    pub in_flight: AtomicU64,
    /// Queries refused because the server was at its concurrency cap.
    pub overloaded: AtomicU64,
}

impl Metrics {
    /// Records one finished request.
    pub fn record(&self, endpoint: &str, status: u16, took: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((endpoint.to_string(), status)).or_default() += 1;
        }
        if let Ok(mut h) = self.latency.lock() {
            let e = h.entry(endpoint.to_string()).or_default();
            let s = took.as_secs_f64();
            for (i, b) in BUCKETS.iter().enumerate() {
                if s <= *b {
                    e.counts[i] += 1;
                }
            }
            e.count += 1;
            e.sum += s;
        }
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut s = String::new();
        s.push_str("# HELP corridor_http_requests_total HTTP requests by endpoint and status.\n");
        s.push_str("# TYPE corridor_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((ep, status), n) in m.iter() {
                let _ = writeln!(
                    s,
                    "corridor_http_requests_total{{endpoint=\"{ep}\",status=\"{status}\"}} {n}"
                );
            }
        }
        s.push_str("# HELP corridor_http_request_duration_seconds Request latency by endpoint.\n");
        s.push_str("# TYPE corridor_http_request_duration_seconds histogram\n");
        if let Ok(h) = self.latency.lock() {
            for (ep, hist) in h.iter() {
                for (i, b) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        s,
                        "corridor_http_request_duration_seconds_bucket{{endpoint=\"{ep}\",le=\"{b}\"}} {}",
                        hist.counts[i]
                    );
                }
                let _ = writeln!(s, "corridor_http_request_duration_seconds_bucket{{endpoint=\"{ep}\",le=\"+Inf\"}} {}", hist.count);
                let _ = writeln!(
                    s,
                    "corridor_http_request_duration_seconds_sum{{endpoint=\"{ep}\"}} {}",
                    hist.sum
                );
                let _ = writeln!(
                    s,
                    "corridor_http_request_duration_seconds_count{{endpoint=\"{ep}\"}} {}",
                    hist.count
                );
            }
        }
        s.push_str("# HELP corridor_queries_in_flight Engine queries running now.\n# TYPE corridor_queries_in_flight gauge\n");
        let _ = writeln!(
            s,
            "corridor_queries_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        s.push_str("# HELP corridor_overloaded_total Queries refused at the concurrency cap (503).\n# TYPE corridor_overloaded_total counter\n");
        let _ = writeln!(
            s,
            "corridor_overloaded_total {}",
            self.overloaded.load(Ordering::Relaxed)
        );
        s
    }
}
