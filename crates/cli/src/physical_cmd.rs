//! `corridor import …`, `corridor prepare …`, `corridor path …` and `corridor table --network
//! …`: physical networks (OSM rail and road, sea lanes) imported into the data directory,
//! their contraction hierarchies, shortest paths and distance matrices on them. The work is
//! done by `corridor-physical`; this module parses arguments, resolves places and renders
//! answers.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};
use corridor_engine::QueryError;
use corridor_physical::ch;
use corridor_physical::import::{marnet, osm, python, scgraph};
use corridor_physical::query::{self, Closures, Passages};
use corridor_physical::search::TagFilter;
use corridor_physical::{Network, NetworkDir};

use crate::{emit, Failure};

mod paths;

pub(crate) use paths::{path, table, PathArgs, TableArgs};

/// Arguments of `corridor import`.
#[derive(Args, Debug)]
pub(crate) struct ImportArgs {
    #[command(subcommand)]
    source: ImportSource,
    /// Folder of imported networks (default: $CORRIDOR_DATA, else $XDG_DATA_HOME/corridor,
    /// else ~/.local/share/corridor).
    #[arg(long, global = true, value_name = "DIR")]
    network_dir: Option<PathBuf>,
    /// No progress bars.
    #[arg(long, global = true)]
    quiet: bool,
    /// Bridge gaps between connected components with connector arcs tagged
    /// connector=estimated (great-circle length, at most 25 km, 5 km within 10 km of a
    /// station, border or port of the embedded corridor layer).
    #[arg(long, global = true)]
    heal: bool,
}

/// `--heal`: connectors added to `net` before it is saved, and the line that says so.
fn heal_if(net: Network, heal: bool, show: bool) -> Result<(Network, String), Failure> {
    if !heal {
        return Ok((net, String::new()));
    }
    let places = corridor_data::Dataset::embedded()
        .map_err(crate::internal)?
        .places
        .iter()
        .map(|p| [p.lat, p.lon])
        .collect();
    let params = corridor_physical::heal::HealParams {
        places,
        ..Default::default()
    };
    let (healed, r) = corridor_physical::heal::heal(&net, &params, show).map_err(failure)?;
    let line = format!(
        "  healed: {} connector(s) tagged connector=estimated, {:.1} km in all (longest {:.2} km); components {} → {} ({} round(s))\n",
        grouped(r.connectors),
        r.connector_km,
        r.longest_km,
        grouped(r.components_before as u64),
        grouped(r.components_after as u64),
        r.rounds
    );
    Ok((healed, line))
}

#[derive(Subcommand, Debug)]
enum ImportSource {
    /// The OpenStreetMap world networks of the PyPI package scgraph-data 2.x: rail
    /// (world_railways), road (world_highways), road+sea (world_highways_and_marnet).
    #[command(name = "scgraph-data")]
    ScgraphData {
        /// Only these networks (repeatable; default: all three).
        #[arg(long, value_enum)]
        only: Vec<ScgraphNetwork>,
        /// Python interpreter that has the package (default: $CORRIDOR_PYTHON, else
        /// ./.venv/bin/python, else python3).
        #[arg(long, value_name = "PYTHON")]
        python: Option<PathBuf>,
        /// The package folder itself (skips asking Python).
        #[arg(long, value_name = "DIR")]
        package_dir: Option<PathBuf>,
    },
    /// The marnet sea lanes of the PyPI package searoute, as network `sea`, with passage tags.
    Marnet {
        /// Python interpreter that has the package.
        #[arg(long, value_name = "PYTHON")]
        python: Option<PathBuf>,
        /// The package folder itself (skips asking Python).
        #[arg(long, value_name = "DIR")]
        package_dir: Option<PathBuf>,
    },
    /// An OpenStreetMap extract (.osm.pbf).
    Osm {
        /// The extract.
        file: PathBuf,
        /// What to take from it.
        #[arg(long, value_enum)]
        network: OsmNetwork,
        /// Name to store it under (default: the --network value).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ScgraphNetwork {
    /// world_railways.
    Rail,
    /// world_highways.
    Road,
    /// world_highways_and_marnet.
    #[value(name = "road+sea")]
    RoadSea,
}

impl ScgraphNetwork {
    fn name(self) -> &'static str {
        match self {
            ScgraphNetwork::Rail => "rail",
            ScgraphNetwork::Road => "road",
            ScgraphNetwork::RoadSea => "road+sea",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum OsmNetwork {
    /// railway=rail with gauges.
    Rail,
    /// Main highway classes.
    Road,
    /// route=ferry.
    Ferry,
}

/// A physical-network error as the CLI reports it: an unknown passage or no path as the
/// engine's query errors, the rest with their own code (and the snap distances of NoSnap).
/// The errors name options as the API does (`max_snap_km`); the text adds the CLI's flag.
pub fn failure(e: corridor_physical::Error) -> Failure {
    match corridor_bridge::query_error(e) {
        Ok(q) => q.into(),
        Err(e) => {
            let mut text = e.to_string();
            if let corridor_physical::Error::NoSnap { .. } = e {
                text.push_str("; on the command line: --max-snap-km KM");
            }
            Failure {
                code: e.exit_code(),
                json: Some(query::error_json(&e)),
                text,
            }
        }
    }
}

pub(crate) fn invalid(field: &str, message: String) -> Failure {
    QueryError::InvalidValue {
        field: field.into(),
        message,
        suggestions: vec![],
    }
    .into()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn summary(net: &Network, path: &std::path::Path, seconds: f64) -> String {
    let r = &net.meta().report;
    let c = &r.components;
    format!(
        "{}: {} nodes, {} arcs, {} km of arcs; {} connected component(s), the largest has {} nodes ({:.1}% of all); {} arcs raised to their great-circle length (+{:.1} km in all); {} self-loops and {} duplicate arcs dropped\n  wrote {} ({:.1} MB) in {:.1} s\n",
        net.meta().name,
        grouped(r.nodes as u64),
        grouped(r.arcs as u64),
        grouped(r.total_km.round() as u64),
        grouped(c.count as u64),
        grouped(c.largest as u64),
        c.largest_share * 100.0,
        grouped(r.arcs_raised),
        r.raised_m / 1000.0,
        grouped(r.self_loops_dropped),
        grouped(r.duplicates_dropped),
        path.display(),
        net.byte_len() as f64 / 1e6,
        seconds
    )
}

/// `corridor import …`.
pub(crate) fn import(args: ImportArgs) -> Result<(), Failure> {
    let store = NetworkDir::or_default(args.network_dir.as_deref());
    let show = !args.quiet;
    match args.source {
        ImportSource::ScgraphData {
            only,
            python,
            package_dir,
        } => {
            let dir = match package_dir {
                Some(d) => d,
                None => {
                    python::package_dir(python.as_deref(), "scgraph_data", scgraph::INSTALL_HINT)
                        .map_err(failure)?
                }
            };
            let names: Vec<&str> = if only.is_empty() {
                scgraph::NETWORKS.iter().map(|(n, _, _)| *n).collect()
            } else {
                only.iter().map(|n| n.name()).collect()
            };
            for name in names {
                let t = Instant::now();
                eprintln!("corridor: importing {name} from {}", dir.display());
                let net = scgraph::import(&dir, name, show).map_err(failure)?;
                let (net, healed) = heal_if(net, args.heal, show)?;
                let path = store.save(name, &net).map_err(failure)?;
                emit(
                    &format!(
                        "{}{healed}",
                        summary(&net, &path, t.elapsed().as_secs_f64())
                    ),
                    None,
                )?;
            }
            Ok(())
        }
        ImportSource::Marnet {
            python,
            package_dir,
        } => {
            let t = Instant::now();
            let dir = match package_dir {
                Some(d) => d,
                None => python::package_dir(python.as_deref(), "searoute", marnet::INSTALL_HINT)
                    .map_err(failure)?,
            };
            let net = marnet::import(&dir, show).map_err(failure)?;
            let (net, healed) = heal_if(net, args.heal, show)?;
            let path = store.save("sea", &net).map_err(failure)?;
            let passages: Vec<&str> = net
                .meta()
                .tags
                .iter()
                .skip(1)
                .map(String::as_str)
                .filter(|t| t.starts_with("passage="))
                .collect();
            emit(
                &format!(
                    "{}  passages tagged: {}\n{healed}",
                    summary(&net, &path, t.elapsed().as_secs_f64()),
                    passages.join(", ")
                ),
                None,
            )
        }
        ImportSource::Osm {
            file,
            network,
            name,
        } => {
            let t = Instant::now();
            let kind = match network {
                OsmNetwork::Rail => osm::Kind::Rail,
                OsmNetwork::Road => osm::Kind::Road,
                OsmNetwork::Ferry => osm::Kind::Ferry,
            };
            let name = name.unwrap_or_else(|| kind.name().to_string());
            // Check the name before reading a large file.
            store.path(&name).map_err(failure)?;
            let (net, report) = osm::import(&file, kind, &name, show).map_err(failure)?;
            if net.arc_count() == 0 {
                // An empty or wayless extract must not replace a good network with nothing.
                return Err(invalid(
                    "file",
                    format!(
                        "{} holds no {} ways corridor can use ({} taken, {} skipped): nothing was written, the network '{name}' is unchanged",
                        file.display(),
                        kind.name(),
                        grouped(report.ways),
                        grouped(report.ways_skipped)
                    ),
                ));
            }
            let (net, healed) = heal_if(net, args.heal, show)?;
            let path = store.save(&name, &net).map_err(failure)?;
            emit(
                &format!(
                    "{}  {} ways taken, {} skipped, {} segments cut for missing nodes\n{healed}",
                    summary(&net, &path, t.elapsed().as_secs_f64()),
                    grouped(report.ways),
                    grouped(report.ways_skipped),
                    grouped(report.segments_missing_nodes)
                ),
                None,
            )
        }
    }
}

/// Arguments of `corridor prepare`.
#[derive(Args, Debug)]
pub(crate) struct PrepareArgs {
    /// Network to prepare: rail, road, sea, road+sea, ferry, or an `import osm --name`.
    #[arg(long)]
    network: String,
    /// Folder of imported networks (as for `corridor import`).
    #[arg(long, value_name = "DIR")]
    network_dir: Option<PathBuf>,
    /// Nodes a witness search may settle during contraction (more: fewer shortcuts, slower).
    #[arg(long, default_value_t = ch::Params::default().witness_settled, hide = true)]
    witness_settled: usize,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// `corridor prepare --network NAME`: builds the contraction hierarchy `NAME.ch` beside
/// `NAME.cnet`. Arcs of the passages closed by default (northwest, northern_sea_route,
/// volga_don) are left out, as
/// `corridor path` leaves them out.
pub(crate) fn prepare(args: PrepareArgs) -> Result<(), Failure> {
    let store = NetworkDir::or_default(args.network_dir.as_deref());
    let net = store.open(&args.network).map_err(failure)?;
    let blocked = Closures::resolve(&net, &Passages::default())
        .map_err(failure)?
        .blocked;
    let refs: Vec<&str> = blocked.iter().map(String::as_str).collect();
    let filter = TagFilter::blocking(&net, &refs);
    let params = ch::Params {
        witness_settled: args.witness_settled.max(1),
        ..ch::Params::default()
    };
    let bar = progress_bar(net.node_count() as u64, "contracting", !args.quiet);
    let t = Instant::now();
    let h = ch::build(&net, &filter, &blocked, &params, &|done| {
        bar.set_position(done as u64)
    });
    bar.finish_and_clear();
    let secs = t.elapsed().as_secs_f64();
    let path = store.ch_path(&args.network).map_err(failure)?;
    h.write(&path).map_err(failure)?;
    emit(
        &format!(
            "{}: contraction hierarchy of {} nodes, {} up arcs ({} shortcuts){}\n  wrote {} ({:.1} MB) in {:.1} s\n",
            args.network,
            grouped(h.node_count() as u64),
            grouped(h.arc_count() as u64),
            grouped(h.meta().shortcuts),
            if blocked.is_empty() {
                String::new()
            } else {
                format!("; left out: {}", blocked.join(", "))
            },
            path.display(),
            h.as_bytes().len() as f64 / 1e6,
            secs
        ),
        None,
    )
}

pub(crate) fn progress_bar(len: u64, msg: &'static str, show: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !show || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg:>12} [{bar:40}] {pos}/{len} {per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(msg);
    bar
}
