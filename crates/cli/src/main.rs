//! `corridor`: multimodal freight routes across the Eurasian corridors, from the command line.
//!
//! Run `corridor route "Xi'an" Duisburg` for the fastest itinerary on the embedded network,
//! `corridor places --search akt` to find place ids, `corridor validate DIR` to check a data
//! folder. Exit codes: 0 ok, 1 internal error, 2 bad request (unknown place, bad value),
//! 3 no route, 4 invalid data.

mod assign_cmd;
mod batch_cmd;
mod compare_cmd;
mod compare_html;
mod derive_cmd;
mod emissions_cmd;
mod flows_cmd;
mod flows_html;
mod output;
mod physical_cmd;
mod runs_cmd;
mod scenario_args;
mod serve_cmd;
mod table_matrix;
mod write;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use corridor_data::Dataset;
use corridor_engine::{Engine, QueryError, RouteRequest, TableRequest};

/// Multimodal freight route planner for the Eurasian corridors.
#[derive(Parser, Debug)]
#[command(name = "corridor", version, about, long_about = None)]
struct Cli {
    /// Data folder in the corridor CSV format, or an overlay of rows laid over the embedded
    /// network or another folder (docs/data-format.md) (default: the embedded Eurasian network).
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Human-readable table.
    Table,
    /// JSON (stable, documented in docs/json-output.md).
    Json,
    /// RFC 7946 GeoJSON FeatureCollection, one feature per leg.
    Geojson,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum TableFormat {
    /// CSV with a header row.
    Csv,
    /// JSON (the /v1/table answer).
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Itineraries from FROM to TO: the Pareto front, or the best for --optimize.
    Route {
        /// The request: FROM, TO and the options (the fields of the JSON request, as flags).
        #[command(flatten)]
        req: RouteRequest,
        /// Measure door-to-door legs (FROM/TO as points) on this imported road network (e.g.
        /// `road`, from `corridor import scgraph-data --only road`); without it they are
        /// estimated as great circle x 1.25.
        #[arg(long, value_name = "NAME")]
        door_network: Option<String>,
        /// Folder of the imported networks (default: $CORRIDOR_DATA, else
        /// ~/.local/share/corridor).
        #[arg(long, value_name = "DIR")]
        network_dir: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Write the answer to FILE (atomically) instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Table format: print what each compliance flag requires and the legs it applies to,
        /// and the legs whose physical-network check failed.
        #[arg(long, short)]
        verbose: bool,
    },
    /// List or search places.
    Places {
        /// Only places in this country (ISO code, e.g. KZ).
        #[arg(long)]
        country: Option<String>,
        /// Only places whose id, name or alias contains this (any script, accents ignored).
        #[arg(long)]
        search: Option<String>,
        /// Output format (table or json).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Check a data folder and report every problem as file:line.
    Validate {
        /// The folder (default: the --data folder, else the embedded network). An overlay is
        /// checked merged over its base.
        dir: Option<PathBuf>,
        /// Output format (table or json).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Serve the HTTP API (JSON, OpenAPI at /openapi.json) on the network.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Engine queries at once, at least 1; more get 503 + Retry-After (default: 64 per core).
        #[arg(long)]
        max_concurrent: Option<usize>,
        /// Time limit per query, ms (503 Timeout beyond).
        #[arg(long, default_value_t = 10_000)]
        timeout_ms: u64,
        /// Largest request body, bytes.
        #[arg(long, default_value_t = 64 * 1024)]
        max_body_bytes: usize,
        /// Require this API key (X-API-Key or Authorization: Bearer); also env CORRIDOR_API_KEY.
        #[arg(long)]
        api_key: Option<String>,
        /// Allow this CORS origin (repeatable; `*` for any).
        #[arg(long = "cors-origin")]
        cors_origins: Vec<String>,
        /// Requests per second per client, at least 1 (429 beyond); omit for no limit.
        #[arg(long)]
        rate_limit: Option<u32>,
        /// Longest a client may take to send a request's headers, ms; also the keep-alive
        /// idle limit.
        #[arg(long, default_value_t = 10_000)]
        header_timeout_ms: u64,
        /// Longest a client may take to send a request's body, ms (408 beyond).
        #[arg(long, default_value_t = 30_000)]
        body_timeout_ms: u64,
        /// Open connections allowed from one client address (more are answered 503 and closed).
        #[arg(long, default_value_t = 64)]
        max_connections_per_ip: usize,
        /// Open connections allowed in all (keep it under the process's file limit, `ulimit -n`).
        #[arg(long, default_value_t = 768)]
        max_connections: usize,
        /// Longest a connection may stall writing an answer its client does not read, ms.
        #[arg(long, default_value_t = 30_000)]
        write_timeout_ms: u64,
        /// On SIGTERM/Ctrl-C, longest to wait for requests in flight, ms.
        #[arg(long, default_value_t = 10_000)]
        drain_timeout_ms: u64,
        /// Imported physical networks for /v1/path and the OSRM endpoints (default: $CORRIDOR_DATA
        /// or $XDG_DATA_HOME/corridor).
        #[arg(long, value_name = "DIR")]
        network_dir: Option<PathBuf>,
        /// Measure door-to-door legs of /v1/route (from/to as points) on this road network of
        /// the network folder (e.g. `road`); without it they are estimated.
        #[arg(long, value_name = "NAME")]
        door_network: Option<String>,
    },
    /// Totals of the best itinerary for many lanes (CSV or JSON), with a progress bar.
    Table {
        /// CSV of lanes with a header row `from,to`.
        #[arg(long, value_name = "FILE")]
        pairs: Option<PathBuf>,
        /// Origins, destinations and the options for every lane (the fields of the JSON
        /// request, as flags).
        #[command(flatten)]
        req: TableRequest,
        /// csv (default) or json.
        #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
        format: TableFormat,
        /// CSV layout: one row per lane (long), or origins × destinations of one figure
        /// (matrix, with --value and --unit).
        #[arg(long, value_enum, default_value_t = table_matrix::Layout::Long)]
        layout: table_matrix::Layout,
        /// With --layout matrix: the figure in the cells.
        #[arg(long, value_enum, default_value_t = table_matrix::Value::Transit)]
        value: table_matrix::Value,
        /// Unit of transit times: hours or days (default: hours in the long layout, where the
        /// column is then `transit_h`, days in the matrix).
        #[arg(long, value_enum)]
        unit: Option<table_matrix::TimeUnit>,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Physical network distances instead (rail, road, sea, road+sea, …; FROM/TO may be
        /// lat,lon): a matrix on the contraction hierarchy when prepared.
        #[arg(long)]
        network: Option<String>,
        /// Folder of imported networks (with --network).
        #[arg(long, value_name = "DIR", requires = "network")]
        network_dir: Option<PathBuf>,
        /// With --network: refuse points farther than this from the network, km.
        #[arg(long, default_value_t = corridor_physical::DEFAULT_MAX_SNAP_KM, requires = "network")]
        max_snap_km: f64,
        /// With --network: open a passage closed by default, passage:NAME (repeatable).
        #[arg(long, value_name = "passage:NAME", requires = "network")]
        allow: Vec<String>,
    },
    /// Import a physical network (OSM rail/road, sea lanes) into the network folder.
    Import(physical_cmd::ImportArgs),
    /// Shortest path on a physical network between places or lat,lon points.
    Path(physical_cmd::PathArgs),
    /// Build the contraction hierarchy of an imported network (faster `path` and `table`).
    Prepare(physical_cmd::PrepareArgs),
    /// Measure the rail, road, sea and ferry links on the imported networks and write
    /// link_geometry.csv (network km, connectors, lines; sound or not, with the reason).
    DeriveGeometry(derive_cmd::DeriveArgs),
    /// Baseline against what-if scenarios, lane by lane: transit days, cost, CO2e, their
    /// deltas and the corridor used (table, CSV, JSON or a self-contained HTML report).
    Compare(compare_cmd::CompareArgs),
    /// Emissions (ISO 14083 / GLEC v3.1) of a chain of legs: table, JSON, HTML report or iLEAP.
    Emissions(emissions_cmd::EmissionsArgs),
    /// Flows: the equilibrium assignment of a demand (TEU/year) on the corridor network with
    /// its capacities — bottlenecks, loads, flows by corridor (docs/flows.md); or of a TNTP
    /// network (`--tntp DIR`).
    Assign(assign_cmd::AssignArgs),
    /// Run a job file (lanes × scenarios × options) into the results store; Parquet and CSV.
    Batch(batch_cmd::BatchArgs),
    /// The runs in the results store: list, show, diff two runs lane by lane.
    Runs(runs_cmd::RunsArgs),
    /// Write a seeded synthetic corridor-like data folder (for benchmarks; docs/benchmarks.md).
    #[command(hide = true)]
    Synth {
        /// Number of places, exactly (12 to 1000000).
        #[arg(long, default_value_t = 10_000)]
        places: usize,
        /// Seed: the same seed writes the same files (the same data hash).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder to write the CSV files to (created if missing).
        #[arg(long, short, value_name = "DIR")]
        output: PathBuf,
    },
    /// Print the JSON Schema of the route answer (or of errors).
    Schema {
        /// `route` or `error`.
        #[arg(default_value = "route")]
        which: String,
    },
}

/// What share of each kind of figure rests on estimates and proxies (`validate`).
fn provenance_table(prov: &[corridor_data::provenance::FieldProvenance]) -> String {
    let mut s = String::from(
        "  figures by field: how many cite an estimate or are marked proxy, and the oldest dated source\n",
    );
    for f in prov {
        s.push_str(&format!(
            "    {:<22} {:<36} {:>4}  estimated {:>3.0}%  proxy {:>3.0}%  oldest {}\n",
            f.file,
            f.field,
            f.figures,
            f.estimated_share() * 100.0,
            f.proxy_share() * 100.0,
            f.oldest
                .as_ref()
                .map_or("—".to_string(), |(y, id)| format!("{y} ({id})"))
        ));
    }
    s
}

/// An error with its exit code.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) json: Option<serde_json::Value>,
    pub(crate) text: String,
}

impl From<QueryError> for Failure {
    fn from(e: QueryError) -> Self {
        Failure {
            code: e.exit_code(),
            json: serde_json::to_value(e.body()).ok(),
            text: e.to_string(),
        }
    }
}

pub(crate) fn data_failure(e: corridor_data::DataError) -> Failure {
    let mut text = format!("invalid data in {}:", e.label);
    for p in &e.problems {
        text.push_str(&format!("\n  {p}"));
    }
    text.push_str(
        "\n(run `corridor validate DIR` for the full report; the format is in docs/data-format.md)",
    );
    Failure {
        code: 4,
        json: Some(serde_json::json!({
            "code": "InvalidData",
            "message": format!("invalid data in {}: {} problem(s)", e.label, e.problems.len()),
            "problems": e.problems.iter().map(|p| serde_json::json!({"file": p.file, "line": p.line, "message": p.message})).collect::<Vec<_>>(),
        })),
        text,
    }
}

pub(crate) fn internal(e: impl std::fmt::Display) -> Failure {
    Failure {
        code: 1,
        json: Some(serde_json::json!({"code": "Internal", "message": e.to_string()})),
        text: format!("internal error: {e}"),
    }
}

pub(crate) fn load(data: &Option<PathBuf>) -> Result<Dataset, Failure> {
    match data {
        Some(dir) => Dataset::load_dir(dir),
        None => Dataset::embedded(),
    }
    .map_err(data_failure)
}

/// Writes `text` to `path` ([`write::atomic`]: a regular file, not an input, by rename), or stdout.
pub(crate) fn emit(text: &str, path: Option<&Path>) -> Result<(), Failure> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error.
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(internal),
            }
        }
        Some(p) => write::atomic(text, p),
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Route {
            req,
            door_network,
            network_dir,
            format,
            output,
            verbose,
        } => {
            let ds = scenario_args::load_with(&cli.data, &req.scenario)?;
            let engine = with_door_roads(Engine::new(ds), door_network, network_dir)?;
            let answer = engine.route(&req)?;
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&answer).map_err(internal)? + "\n",
                Format::Geojson => output::geojson(&answer).map_err(internal)? + "\n",
                Format::Table => output::table(&answer, verbose),
            };
            emit(&text, output.as_deref())
        }
        Command::Places {
            country,
            search,
            format,
        } => {
            let ds = load(&cli.data)?;
            let mut idx: Vec<usize> = match &search {
                Some(q) => ds.search(q),
                None => (0..ds.places.len()).collect(),
            };
            if let Some(c) = &country {
                let c = c.to_ascii_uppercase();
                if c.len() != 2 {
                    return Err(QueryError::InvalidValue {
                        field: "country".into(),
                        message: format!("'{c}' is not an ISO 3166-1 alpha-2 code (e.g. KZ)"),
                        suggestions: vec![],
                    }
                    .into());
                }
                idx.retain(|&i| ds.places[i].country == c);
            }
            idx.sort_by(|&a, &b| {
                (&ds.places[a].country, &ds.places[a].name)
                    .cmp(&(&ds.places[b].country, &ds.places[b].name))
            });
            let text = match format {
                Format::Json => {
                    serde_json::to_string_pretty(&output::places_json(&ds, &idx))
                        .map_err(internal)?
                        + "\n"
                }
                _ => output::places_table(&ds, &idx),
            };
            emit(&text, None)
        }
        Command::Validate { dir, format } => {
            let (label, result) = match dir.as_ref().or(cli.data.as_ref()) {
                Some(d) => (d.display().to_string(), Dataset::load_dir(d)),
                None => ("embedded default network".to_string(), Dataset::embedded()),
            };
            match result {
                Ok(ds) => {
                    // Not errors: what a reviewer should look at (stated vs network lengths).
                    let review = corridor_data::geometry::review(&ds.link_geometry);
                    // Rows in the old one-source transfers layout (read, to be reviewed).
                    let sources_review = &ds.review;
                    let prov = corridor_data::provenance::report(&ds);
                    let measured = ds
                        .link_geometry
                        .iter()
                        .filter(|g| g.status == corridor_data::geometry::GeometryStatus::Measured)
                        .count();
                    let text = match format {
                        Format::Json => serde_json::to_string_pretty(&serde_json::json!({
                            "ok": true, "folder": label, "problems": [],
                            "places": ds.places.len(), "links": ds.links.len(),
                            "transfers": ds.transfers.len(), "sources": ds.sources.len(),
                            "links_measured": measured,
                            "links_checked": ds.link_geometry.len(),
                            "layers": ds.layers.iter().map(|l| serde_json::json!({"label": l.label, "hash": l.hash})).collect::<Vec<_>>(),
                            "review": review.iter().chain(sources_review).map(|p| serde_json::json!({"file": p.file, "line": p.line, "message": p.message})).collect::<Vec<_>>(),
                            "provenance": prov.iter().map(|f| serde_json::json!({
                                "file": f.file, "field": f.field, "figures": f.figures,
                                "estimated": f.estimated, "proxy": f.proxy,
                                "estimated_share": f.estimated_share(), "proxy_share": f.proxy_share(),
                                "oldest_year": f.oldest.as_ref().map(|o| o.0),
                                "oldest_source": f.oldest.as_ref().map(|o| o.1.clone()),
                            })).collect::<Vec<_>>(),
                        }))
                        .map_err(internal)?
                            + "\n",
                        _ => {
                            let mut s = String::new();
                            for p in review.iter().chain(sources_review) {
                                s.push_str(&format!("review: {p}\n"));
                            }
                            s.push_str(&format!(
                                "{label}: ok ({} places, {} links, {} transfer rules, {} sources; data {} {}, hash {})\n",
                                ds.places.len(),
                                ds.links.len(),
                                ds.transfers.len(),
                                ds.sources.len(),
                                ds.meta.name,
                                ds.meta.version,
                                ds.hash
                            ));
                            if ds.layers.len() > 1 {
                                let layers: Vec<String> = ds
                                    .layers
                                    .iter()
                                    .map(|l| format!("{} ({})", l.label, l.hash))
                                    .collect();
                                s.push_str(&format!("  layers, bottom first: {}\n", layers.join(", ")));
                            }
                            if !ds.link_geometry.is_empty() {
                                s.push_str(&format!(
                                    "  {measured} of {} rail, road, sea and ferry links measured on the physical networks ({}); {} to review above: stated and network lengths more than {:.0}% apart, or the network length not used\n",
                                    ds.link_geometry.len(),
                                    corridor_data::geometry::FILE,
                                    review.len(),
                                    corridor_data::geometry::GAP_WARN * 100.0
                                ));
                            }
                            s.push_str(&provenance_table(&prov));
                            s
                        }
                    };
                    emit(&text, None)
                }
                Err(e) => {
                    let text = match format {
                        Format::Json => serde_json::to_string_pretty(&serde_json::json!({
                            "ok": false, "folder": label,
                            "problems": e.problems.iter().map(|p| serde_json::json!({"file": p.file, "line": p.line, "message": p.message})).collect::<Vec<_>>(),
                        }))
                        .map_err(internal)?
                            + "\n",
                        _ => {
                            let mut s = String::new();
                            for p in &e.problems {
                                s.push_str(&format!("{p}\n"));
                            }
                            s.push_str(&format!("{label}: {} problem(s)\n", e.problems.len()));
                            s
                        }
                    };
                    emit(&text, None)?;
                    Err(Failure {
                        code: 4,
                        json: None,
                        text: String::new(),
                    })
                }
            }
        }
        Command::Serve {
            listen,
            max_concurrent,
            timeout_ms,
            max_body_bytes,
            api_key,
            cors_origins,
            rate_limit,
            header_timeout_ms,
            body_timeout_ms,
            max_connections_per_ip,
            max_connections,
            write_timeout_ms,
            drain_timeout_ms,
            network_dir,
            door_network,
        } => serve_cmd::serve(
            with_door_roads(
                Engine::new(load(&cli.data)?),
                door_network,
                network_dir.clone(),
            )?,
            serve_cmd::ServeArgs {
                listen,
                max_concurrent,
                timeout_ms,
                max_body_bytes,
                api_key,
                cors_origins,
                rate_limit,
                header_timeout_ms,
                body_timeout_ms,
                max_connections_per_ip,
                max_connections,
                write_timeout_ms,
                drain_timeout_ms,
                network_dir,
            },
        ),
        Command::Table {
            pairs,
            req,
            format,
            output,
            network: Some(network),
            network_dir,
            max_snap_km,
            allow,
            layout,
            value,
            unit,
        } => {
            if layout != table_matrix::Layout::Long
                || value != table_matrix::Value::Transit
                || unit.is_some()
            {
                return Err(QueryError::InvalidQuery {
                    message: "--layout, --value and --unit lay out corridor tables; a --network table lists distances per pair: leave them out".into(),
                }
                .into());
            }
            if !req.scenario.is_empty() {
                return Err(QueryError::InvalidQuery {
                    message: "--scenario changes the corridor network, not the physical networks of --network; leave one out".into(),
                }
                .into());
            }
            physical_cmd::table(
                physical_cmd::TableArgs {
                    network,
                    network_dir,
                    pairs,
                    from: req.from,
                    to: req.to,
                    max_snap_km,
                    allow,
                    avoid: req.lane.avoid,
                    json: format == TableFormat::Json,
                    output,
                },
                &cli.data,
            )
        }
        Command::Table {
            pairs,
            req,
            format,
            output,
            layout,
            value,
            unit,
            ..
        } => serve_cmd::table(
            &Engine::new(scenario_args::load_with(&cli.data, &req.scenario)?),
            serve_cmd::TableArgs {
                pairs,
                req,
                json: format == TableFormat::Json,
                output,
                layout,
                value,
                unit,
            },
        ),
        Command::Import(args) => physical_cmd::import(args),
        Command::Path(args) => physical_cmd::path(args, &cli.data),
        Command::Prepare(args) => physical_cmd::prepare(args),
        Command::DeriveGeometry(args) => derive_cmd::run(args, &cli.data),
        Command::Emissions(args) => emissions_cmd::run(args, &cli.data),
        Command::Assign(args) => assign_cmd::run(args, &cli.data),
        Command::Batch(args) => batch_cmd::run(args, &cli.data),
        Command::Runs(args) => runs_cmd::run(args),
        Command::Compare(args) => compare_cmd::run(args, &cli.data),
        Command::Synth {
            places,
            seed,
            output,
        } => {
            let cfg = corridor_synth::SynthConfig { places, seed };
            let ds = corridor_synth::write_dir(&cfg, &output).map_err(|e| match e {
                corridor_synth::SynthError::Size(_) => QueryError::InvalidValue {
                    field: "places".into(),
                    message: e.to_string(),
                    suggestions: vec![],
                }
                .into(),
                corridor_synth::SynthError::Data(d) => data_failure(d),
                e => internal(e),
            })?;
            emit(
                &format!(
                    "wrote {} places and {} links to {} (data hash {}); check it with `corridor validate {}`\n",
                    ds.places.len(),
                    ds.links.len(),
                    output.display(),
                    ds.hash,
                    output.display()
                ),
                None,
            )
        }
        Command::Schema { which } => {
            let v = match which.as_str() {
                "route" => corridor_engine::answer_schema(),
                "error" => corridor_engine::error_schema(),
                other => {
                    return Err(QueryError::InvalidValue {
                        field: "which".into(),
                        message: format!("'{other}' is not one of route, error"),
                        suggestions: vec!["route".into(), "error".into()],
                    }
                    .into())
                }
            };
            emit(
                &(serde_json::to_string_pretty(&v).map_err(internal)? + "\n"),
                None,
            )
        }
    }
}

fn wants_json(cli: &Cli) -> bool {
    match &cli.command {
        Command::Route { format, .. } => *format != Format::Table,
        Command::Places { format, .. } | Command::Validate { format, .. } => {
            *format == Format::Json
        }
        Command::Schema { .. } => true,
        Command::Import(_) | Command::Prepare(_) | Command::DeriveGeometry(_) => false,
        Command::Path(args) => args.wants_json(),
        Command::Emissions(args) => args.wants_json(),
        Command::Assign(args) => args.wants_json(),
        Command::Batch(args) => args.wants_json(),
        Command::Runs(args) => args.wants_json(),
        Command::Compare(args) => args.wants_json(),
        Command::Table { format, .. } => *format == TableFormat::Json,
        Command::Serve { .. } | Command::Synth { .. } => false,
    }
}

/// The engine with door legs measured on the road network `name`, if one is named.
fn with_door_roads(
    engine: Engine,
    name: Option<String>,
    network_dir: Option<PathBuf>,
) -> Result<Engine, Failure> {
    let Some(name) = name else {
        return Ok(engine);
    };
    let networks = corridor_physical::query::Networks::new(
        corridor_physical::NetworkDir::or_default(network_dir.as_deref()),
    );
    let roads =
        corridor_bridge::NetworkDoorRoads::open(&networks, &name).map_err(physical_cmd::failure)?;
    Ok(engine.with_door_roads(std::sync::Arc::new(roads)))
}

/// True when the raw arguments ask for a JSON format (`--format json|geojson|ileap`), for
/// errors found before the arguments could be parsed.
fn args_want_json(args: &[std::ffi::OsString]) -> bool {
    let json = |v: &str| matches!(v, "json" | "geojson" | "ileap");
    args.iter().enumerate().any(|(i, a)| match a.to_str() {
        Some("--format") => args.get(i + 1).and_then(|v| v.to_str()).is_some_and(json),
        Some(a) => a.strip_prefix("--format=").is_some_and(json),
        None => false,
    })
}

/// A clap error as the documented JSON error (`InvalidValue` naming the argument, else
/// `InvalidQuery`), on stdout like every `--format json` error; the text stays on stderr.
fn clap_failure(e: &clap::Error) -> serde_json::Value {
    use clap::error::{ContextKind, ContextValue};
    let message = e
        .render()
        .to_string()
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => {
            let field = arg
                .split_whitespace()
                .next()
                .unwrap_or(arg)
                .trim_start_matches('-')
                .to_string();
            serde_json::json!({"code": "InvalidValue", "field": field, "message": message})
        }
        _ => serde_json::json!({"code": "InvalidQuery", "message": message}),
    }
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && args_want_json(&args) => {
            let _ = writeln!(
                std::io::stdout(),
                "{}",
                serde_json::to_string_pretty(&clap_failure(&e)).unwrap_or_default()
            );
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let json = wants_json(&cli);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if json {
                if let Some(j) = &f.json {
                    let _ = writeln!(
                        std::io::stdout(),
                        "{}",
                        serde_json::to_string_pretty(j).unwrap_or_default()
                    );
                }
            }
            if !f.text.is_empty() {
                eprintln!("corridor: {}", f.text);
            }
            ExitCode::from(f.code)
        }
    }
}
