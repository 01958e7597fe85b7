//! `corridor serve` (the HTTP API) and `corridor table` (many lanes at once).

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use corridor_engine::{Engine, QueryError, TableAnswer, TableRequest};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::{emit, internal, Failure};

/// Options of `corridor serve`.
pub struct ServeArgs {
    pub listen: String,
    pub max_concurrent: Option<usize>,
    pub timeout_ms: u64,
    pub max_body_bytes: usize,
    pub api_key: Option<String>,
    pub cors_origins: Vec<String>,
    pub rate_limit: Option<u32>,
    pub header_timeout_ms: u64,
    pub body_timeout_ms: u64,
    pub max_connections_per_ip: usize,
    pub max_connections: usize,
    pub write_timeout_ms: u64,
    pub drain_timeout_ms: u64,
    pub network_dir: Option<PathBuf>,
}

fn bad_option(field: &str, message: String) -> Failure {
    Failure::from(QueryError::InvalidValue {
        field: field.into(),
        message,
        suggestions: vec![],
    })
}

/// Refuses options that would make a server that answers nothing or guards nothing:
/// an empty API key (an empty header would pass), zero rates, caps and timeouts.
fn check_args(args: &ServeArgs) -> Result<(), Failure> {
    if args.api_key.as_deref().is_some_and(|k| k.trim().is_empty()) {
        return Err(bad_option(
            "api-key",
            "an empty API key would let an empty header in; give a key, or omit --api-key".into(),
        ));
    }
    if args.rate_limit == Some(0) {
        return Err(bad_option(
            "rate-limit",
            "0 requests per second would refuse every request; give at least 1, or omit --rate-limit for no limit".into(),
        ));
    }
    if args.max_concurrent == Some(0) {
        return Err(bad_option(
            "max-concurrent",
            "0 queries at once would answer every query 503; give at least 1".into(),
        ));
    }
    if args.max_connections == 0 {
        return Err(bad_option(
            "max-connections",
            "0 would refuse every connection; give at least 1".into(),
        ));
    }
    if args.max_connections_per_ip == 0 {
        return Err(bad_option(
            "max-connections-per-ip",
            "0 would refuse every connection; give at least 1".into(),
        ));
    }
    for (field, v) in [
        ("timeout-ms", args.timeout_ms),
        ("header-timeout-ms", args.header_timeout_ms),
        ("body-timeout-ms", args.body_timeout_ms),
        ("drain-timeout-ms", args.drain_timeout_ms),
        ("write-timeout-ms", args.write_timeout_ms),
    ] {
        if v == 0 {
            return Err(bad_option(field, "0 ms; give at least 1".into()));
        }
    }
    Ok(())
}

/// glibc malloc tuning for a long-running server: two arenas and no heap trimming below 64 MiB,
/// so the resident set stays steady under load instead of swinging with per-thread arenas and
/// trims (measured with bench/load.sh, docs/benchmarks.md). Same effect as the environment
/// variables MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=67108864.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_ARENA_MAX: i32 = -8;
    // SAFETY: mallopt is glibc's documented, thread-safe tuning call; it is made once, before
    // the runtime starts its threads, with valid parameter numbers and values.
    unsafe {
        mallopt(M_ARENA_MAX, 2);
        mallopt(M_TRIM_THRESHOLD, 64 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

pub fn serve(engine: Engine, args: ServeArgs) -> Result<(), Failure> {
    check_args(&args)?;
    tune_malloc();
    let addr: SocketAddr = args.listen.parse().map_err(|_| {
        Failure::from(QueryError::InvalidValue {
            field: "listen".into(),
            message: format!(
                "'{}' is not an address:port (e.g. 127.0.0.1:8080)",
                args.listen
            ),
            suggestions: vec![],
        })
    })?;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    let mut cfg = corridor_server::Config::default();
    if let Some(n) = args.max_concurrent {
        cfg.max_concurrent = n;
    }
    cfg.timeout = Duration::from_millis(args.timeout_ms);
    cfg.header_timeout = Duration::from_millis(args.header_timeout_ms);
    cfg.body_timeout = Duration::from_millis(args.body_timeout_ms);
    cfg.max_connections_per_ip = args.max_connections_per_ip;
    cfg.max_connections = args.max_connections;
    cfg.write_timeout = Duration::from_millis(args.write_timeout_ms);
    cfg.drain_timeout = Duration::from_millis(args.drain_timeout_ms);
    // The search budget ends before the timeout, so that long searches answer (incomplete).
    cfg.query_budget = cfg.query_budget.min(cfg.timeout * 3 / 4);
    cfg.max_body_bytes = args.max_body_bytes;
    cfg.api_key = args.api_key.or_else(|| {
        std::env::var("CORRIDOR_API_KEY")
            .ok()
            .filter(|k| !k.is_empty())
    });
    cfg.cors_origins = args.cors_origins;
    cfg.rate_limit_per_s = args.rate_limit;
    cfg.network_dir = args.network_dir;
    // Queries are CPU-bound and short (~0.1 ms): a blocking pool of a few threads per core
    // keeps the cores busy without a thread per connection (and memory steady under load).
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(2 * cores)
        .enable_all()
        .build()
        .map_err(internal)?;
    let started = Instant::now();
    let served = rt.block_on(corridor_server::serve(Arc::new(engine), cfg, addr, |bound| {
        eprintln!(
            "corridor: serving http://{bound} (ready in {} ms; /openapi.json, /healthz, /metrics; Ctrl-C or SIGTERM to stop)",
            started.elapsed().as_millis()
        );
    }));
    // Queries still running after the drain are abandoned, not waited for.
    rt.shutdown_timeout(Duration::from_secs(1));
    served.map_err(|e| Failure {
        code: 2,
        json: None,
        text: format!("cannot serve on {addr}: {e}"),
    })
}

/// Options of `corridor table`.
pub struct TableArgs {
    pub pairs: Option<PathBuf>,
    /// Origins, destinations and the options; its `pairs` are read from the `pairs` file.
    pub req: TableRequest,
    pub json: bool,
    pub output: Option<PathBuf>,
    /// Long (a row per lane) or matrix (origins × destinations).
    pub layout: crate::table_matrix::Layout,
    /// The figure of a matrix.
    pub value: crate::table_matrix::Value,
    /// The unit of transit times, if given.
    pub unit: Option<crate::table_matrix::TimeUnit>,
}

/// Largest lane file read, bytes (10,000 lanes of two long names fit many times over).
pub(crate) const MAX_PAIRS_BYTES: u64 = 16 * 1024 * 1024;

/// Reads lanes from a CSV with a `from,to` header (other columns are ignored).
pub(crate) fn read_pairs(path: &Path) -> Result<Vec<[String; 2]>, Failure> {
    let bad = |line: u64, msg: String| {
        Failure::from(QueryError::InvalidValue {
            field: "pairs".into(),
            message: if line == 0 {
                format!("{}: {msg}", path.display())
            } else {
                format!("{}:{line}: {msg}", path.display())
            },
            suggestions: vec![],
        })
    };
    crate::write::note_input(path);
    // A lane file is a regular file of bounded size: a device (/dev/zero), a FIFO or a
    // folder would be read without end or fail obscurely.
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            return Err(bad(
                0,
                "is not a regular file: give a CSV file of lanes".into(),
            ))
        }
        Ok(m) if m.len() > MAX_PAIRS_BYTES => {
            return Err(bad(
                0,
                format!(
                "is {} bytes; a lane file is at most {MAX_PAIRS_BYTES} bytes ({} lanes per table)",
                m.len(),
                corridor_engine::table::MAX_CELLS
            ),
            ))
        }
        Ok(_) => {}
        Err(e) => return Err(bad(0, format!("cannot be read: {e}"))),
    }
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| bad(0, format!("cannot be read: {e}")))?;
    let headers = rdr
        .headers()
        .map_err(|e| bad(1, format!("unreadable header: {e}")))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(fi), Some(ti)) = (col("from"), col("to")) else {
        return Err(bad(1, "needs a header row with columns from,to".into()));
    };
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            bad(
                e.position().map(|p| p.line()).unwrap_or(0),
                format!("malformed CSV: {e}"),
            )
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let f = rec.get(fi).unwrap_or("").trim();
        let t = rec.get(ti).unwrap_or("").trim();
        if f.is_empty() || t.is_empty() {
            return Err(bad(line, "empty from or to".into()));
        }
        out.push([f.to_string(), t.to_string()]);
        if out.len() > corridor_engine::table::MAX_CELLS {
            return Err(bad(
                line,
                format!(
                    "more than {} lanes; split the file (one table is at most that many)",
                    corridor_engine::table::MAX_CELLS
                ),
            ));
        }
    }
    Ok(out)
}

pub fn table(engine: &Engine, a: TableArgs) -> Result<(), Failure> {
    use crate::table_matrix::{Layout, TimeUnit, Value};
    if a.json && a.layout == Layout::Matrix {
        return Err(QueryError::InvalidQuery {
            message: "--layout matrix is a CSV layout; leave out --format json (the JSON lists cells with their from and to)".into(),
        }
        .into());
    }
    if matches!(a.value, Value::P50 | Value::P90) && !a.req.reliability {
        return Err(QueryError::InvalidQuery {
            message: "--value p50 and p90 come from the reliability draws: add --reliability"
                .into(),
        }
        .into());
    }
    let pairs = match &a.pairs {
        Some(p) => read_pairs(p)?,
        None => vec![],
    };
    let req = TableRequest { pairs, ..a.req };
    let n = req.lanes()?.len();
    let bar = ProgressBar::new(n as u64);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} lanes, {per_sec}, eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let answer = engine.table(&req, |done, _| bar.set_position(done as u64));
    bar.finish_and_clear();
    let answer = answer?;
    let text = if a.json {
        serde_json::to_string_pretty(&answer).map_err(internal)? + "\n"
    } else if a.layout == Layout::Matrix {
        let unit = a.unit.unwrap_or(TimeUnit::Days);
        crate::table_matrix::matrix_csv(&answer, a.value, unit).map_err(internal)?
    } else {
        let on_time = req.reliability && req.deadline_days.is_some();
        table_csv(
            &answer,
            req.reliability,
            a.unit == Some(TimeUnit::Days),
            on_time,
        )
        .map_err(internal)?
    };
    emit(&text, a.output.as_deref())
}

/// CSV of a table; with `reliability`, `transit_days_p50` and `transit_days_p90` follow
/// `transit_h`, and with a deadline too `on_time_pct` (the on-time probability in percent);
/// with `days`, `transit_days` replaces `transit_h`; without them the columns are as before.
fn table_csv(
    t: &TableAnswer,
    reliability: bool,
    days: bool,
    on_time: bool,
) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec![
        "from",
        "to",
        "distance_km",
        if days { "transit_days" } else { "transit_h" },
    ];
    if reliability {
        head.extend(["transit_days_p50", "transit_days_p90"]);
    }
    if on_time {
        head.push("on_time_pct");
    }
    head.extend([
        "cost_usd",
        "co2e_kg",
        "borders_crossed",
        "countries",
        "compliance",
        "error",
        "message",
    ]);
    w.write_record(&head)?;
    let f = |v: Option<f64>, digits: usize| v.map(|x| format!("{x:.digits$}")).unwrap_or_default();
    for c in &t.cells {
        let mut row = vec![
            c.from.clone(),
            c.to.clone(),
            f(c.distance_km, 0),
            if days {
                f(c.transit_h.map(|h| h / 24.0), 2)
            } else {
                f(c.transit_h, 1)
            },
        ];
        if reliability {
            row.extend([f(c.transit_days_p50, 2), f(c.transit_days_p90, 2)]);
        }
        if on_time {
            row.push(f(c.on_time_probability.map(|p| 100.0 * p), 1));
        }
        row.extend([
            f(c.cost_usd, 0),
            f(c.co2e_kg, 0),
            c.borders_crossed.map(|b| b.to_string()).unwrap_or_default(),
            c.countries.join(" "),
            c.compliance.join(" "),
            c.error.clone().unwrap_or_default(),
            c.message.clone().unwrap_or_default(),
        ]);
        w.write_record(&row)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
