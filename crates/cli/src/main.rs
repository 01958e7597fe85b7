//! `corridor`: multimodal freight routes across the Eurasian corridors, from the command line.
//!
//! Run `corridor route "Xi'an" Duisburg` for the fastest itinerary on the embedded network,
//! `corridor places --search akt` to find place ids, `corridor validate DIR` to check a data
//! folder. Exit codes: 0 ok, 1 internal error, 2 bad request (unknown place, bad value),
//! 3 no route, 4 invalid data.

mod assign_cmd;
mod derive_cmd;
mod emissions_cmd;
mod output;
mod physical_cmd;
mod serve_cmd;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use corridor_data::Dataset;
use corridor_engine::{Engine, QueryError, RouteRequest};

/// Multimodal freight route planner for the Eurasian corridors.
#[derive(Parser, Debug)]
#[command(name = "corridor", version, about, long_about = None)]
struct Cli {
    /// Data folder in the corridor CSV format (default: the embedded Eurasian network).
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

/// Cargo constraints shared by `route` and `table`.
#[derive(clap::Args, Debug, Clone, Default)]
struct CargoFlags {
    /// Refrigerated container: only legs and places with reefer power (cargo_rules.csv
    /// no_reefer); heavier tare (3.08 t per 20 ft, 4.8 t per 40 ft, cargo_rules.csv) counts toward weight limits.
    #[arg(long)]
    reefer: bool,
    /// Dangerous goods of this UN class or division (e.g. 3, 2.1, 1.1): legs and places that
    /// ban it are not used.
    #[arg(long, value_name = "CLASS")]
    dangerous_goods: Option<String>,
    /// general | agricultural (agricultural goods qualify for green channels).
    #[arg(long, value_name = "KIND")]
    goods: Option<String>,
    /// Customs regime: standard | tir | green_channel | bonded; where the data gives it at a
    /// border, its dwell and fee replace the standard ones.
    #[arg(long, value_name = "REGIME")]
    customs: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Itineraries from FROM to TO: the Pareto front, or the best for --optimize.
    Route {
        /// Origin: place id (KZSCO), name or alias (Aktau, 阿克套, Актау), city (Xi'an), or a
        /// point lat,lon (door to door: road pre-carriage to the best nearby terminal).
        #[arg(allow_hyphen_values = true)]
        from: String,
        /// Destination: as FROM (a point gets road on-carriage).
        #[arg(allow_hyphen_values = true)]
        to: String,
        /// Cargo: 2xFEU, 3xTEU or 40t (default 1xFEU; 10 t net per TEU).
        #[arg(long)]
        cargo: Option<String>,
        /// Net tonnes per loaded TEU (default 10, the GLEC default; 6 light, 14.5 heavy).
        #[arg(long, value_name = "T")]
        payload_t_per_teu: Option<f64>,
        /// container | bulk | liquid | gas (pipelines carry only liquid and gas).
        #[arg(long)]
        commodity: Option<String>,
        /// time | cost | co2.
        #[arg(long)]
        optimize: Option<String>,
        /// Pass through this place (repeatable, in order).
        #[arg(long, value_name = "PLACE")]
        via: Vec<String>,
        /// country:RU, place:KZSCO, mode:air, link:ID, passage:suez (repeatable).
        #[arg(long, value_name = "KIND:VALUE", num_args = 1..)]
        avoid: Vec<String>,
        /// Allow planned and under-construction links.
        #[arg(long)]
        include_planned: bool,
        /// Without --optimize: at most N alternatives from the Pareto front over time, cost,
        /// CO2e and risk (default 5).
        #[arg(long, value_name = "N")]
        alternatives: Option<u32>,
        /// At most N transshipments (lifts, gauge changes).
        #[arg(long, value_name = "N")]
        max_transshipments: Option<u32>,
        /// At most N borders crossed.
        #[arg(long, value_name = "N")]
        max_borders: Option<u32>,
        #[command(flatten)]
        cargo_flags: CargoFlags,
        /// Depart at this instant (RFC 3339, e.g. 2026-12-01T08:00+05:00; without an offset,
        /// local to the origin): waits for timetabled services, closures apply; for one
        /// objective or the Pareto front.
        #[arg(long, value_name = "DATETIME")]
        depart: Option<String>,
        /// Arrive by this instant (without an offset, local to the destination). Alone: the
        /// latest departure that still arrives by then. With --depart: a window (depart no
        /// earlier, arrive no later).
        #[arg(long, value_name = "DATETIME")]
        arrive_by: Option<String>,
        /// Search budget in milliseconds: past it, the front found so far (marked incomplete)
        /// or BudgetExceeded (exit 3) if nothing was found.
        #[arg(long, value_name = "MS")]
        budget_ms: Option<u64>,
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
        /// The folder (default: the embedded network).
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
        /// Engine queries at once; more get 503 + Retry-After (default: 64 per core).
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
        /// Requests per second per client (429 beyond).
        #[arg(long)]
        rate_limit: Option<u32>,
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
        /// Origins (with --to: every origin × every destination).
        #[arg(long)]
        from: Vec<String>,
        /// Destinations.
        #[arg(long)]
        to: Vec<String>,
        /// Cargo for every lane.
        #[arg(long)]
        cargo: Option<String>,
        /// Commodity for every lane.
        #[arg(long)]
        commodity: Option<String>,
        /// time | cost | co2.
        #[arg(long)]
        optimize: Option<String>,
        /// Constraints for every lane (repeatable).
        #[arg(long, num_args = 1..)]
        avoid: Vec<String>,
        /// Allow planned links.
        #[arg(long)]
        include_planned: bool,
        #[command(flatten)]
        cargo_flags: CargoFlags,
        /// csv (default) or json.
        #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
        format: TableFormat,
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
    /// Emissions (ISO 14083 / GLEC v3.1) of a chain of legs: table, JSON, HTML report or iLEAP.
    Emissions(emissions_cmd::EmissionsArgs),
    /// Traffic assignment (user equilibrium or system optimum) of a TNTP network: flows,
    /// costs and the relative gap per iteration.
    Assign(assign_cmd::AssignArgs),
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

/// Writes `text` to `path` atomically (temp file in the same folder, then rename), or stdout.
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
        Some(p) => {
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let fail = |e: std::io::Error| Failure {
                code: 2,
                json: Some(
                    serde_json::json!({"code": "InvalidValue", "field": "output", "message": format!("cannot write {}: {e}", p.display())}),
                ),
                text: format!("cannot write {}: {e}", p.display()),
            };
            let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(fail)?;
            // A temporary file is private (0600); the answer is an ordinary file.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                tmp.as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644))
                    .map_err(fail)?;
            }
            tmp.write_all(text.as_bytes()).map_err(fail)?;
            tmp.as_file().sync_all().map_err(fail)?;
            tmp.persist(p).map_err(|e| fail(e.error))?;
            Ok(())
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Route {
            from,
            to,
            cargo,
            payload_t_per_teu,
            commodity,
            optimize,
            via,
            avoid,
            include_planned,
            alternatives,
            max_transshipments,
            max_borders,
            cargo_flags,
            depart,
            arrive_by,
            budget_ms,
            door_network,
            network_dir,
            format,
            output,
        } => {
            let ds = load(&cli.data)?;
            let engine = with_door_roads(Engine::new(ds), door_network, network_dir)?;
            let req = RouteRequest {
                from,
                to,
                via,
                cargo,
                commodity,
                optimize,
                avoid,
                include_planned,
                alternatives,
                max_transshipments,
                max_borders,
                payload_t_per_teu,
                depart,
                arrive_by,
                budget_ms,
                reefer: cargo_flags.reefer,
                dangerous_goods: cargo_flags.dangerous_goods,
                goods: cargo_flags.goods,
                customs: cargo_flags.customs,
            };
            let answer = engine.route(&req)?;
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&answer).map_err(internal)? + "\n",
                Format::Geojson => output::geojson(&answer).map_err(internal)? + "\n",
                Format::Table => output::table(&answer),
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
            let (label, result) = match &dir {
                Some(d) => (d.display().to_string(), Dataset::load_dir(d)),
                None => ("embedded default network".to_string(), Dataset::embedded()),
            };
            match result {
                Ok(ds) => {
                    // Not errors: what a reviewer should look at (stated vs network lengths).
                    let review = corridor_data::geometry::review(&ds.link_geometry);
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
                            "review": review.iter().map(|p| serde_json::json!({"file": p.file, "line": p.line, "message": p.message})).collect::<Vec<_>>(),
                        }))
                        .map_err(internal)?
                            + "\n",
                        _ => {
                            let mut s = String::new();
                            for p in &review {
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
                            if !ds.link_geometry.is_empty() {
                                s.push_str(&format!(
                                    "  {measured} of {} rail, road, sea and ferry links measured on the physical networks ({}); {} to review above: stated and network lengths more than {:.0}% apart, or the network length not used\n",
                                    ds.link_geometry.len(),
                                    corridor_data::geometry::FILE,
                                    review.len(),
                                    corridor_data::geometry::GAP_WARN * 100.0
                                ));
                            }
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
                network_dir,
            },
        ),
        Command::Table {
            pairs,
            from,
            to,
            format,
            output,
            network: Some(network),
            network_dir,
            max_snap_km,
            allow,
            avoid,
            ..
        } => physical_cmd::table(
            physical_cmd::TableArgs {
                network,
                network_dir,
                pairs,
                from,
                to,
                max_snap_km,
                allow,
                avoid,
                json: format == TableFormat::Json,
                output,
            },
            &cli.data,
        ),
        Command::Table {
            pairs,
            from,
            to,
            cargo,
            commodity,
            optimize,
            avoid,
            include_planned,
            cargo_flags,
            format,
            output,
            ..
        } => serve_cmd::table(
            &Engine::new(load(&cli.data)?),
            serve_cmd::TableArgs {
                pairs,
                from,
                to,
                cargo,
                commodity,
                optimize,
                avoid,
                include_planned,
                reefer: cargo_flags.reefer,
                dangerous_goods: cargo_flags.dangerous_goods,
                goods: cargo_flags.goods,
                customs: cargo_flags.customs,
                json: format == TableFormat::Json,
                output,
            },
        ),
        Command::Import(args) => physical_cmd::import(args),
        Command::Path(args) => physical_cmd::path(args, &cli.data),
        Command::Prepare(args) => physical_cmd::prepare(args),
        Command::DeriveGeometry(args) => derive_cmd::run(args, &cli.data),
        Command::Emissions(args) => emissions_cmd::run(args, &cli.data),
        Command::Assign(args) => assign_cmd::run(args),
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
    let physical = corridor_server::physical::Physical::new(
        corridor_physical::NetworkDir::or_default(network_dir.as_deref()),
    );
    let roads = corridor_server::physical::NetworkDoorRoads::open(&physical, &name)
        .map_err(physical_cmd::failure)?;
    Ok(engine.with_door_roads(std::sync::Arc::new(roads)))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
