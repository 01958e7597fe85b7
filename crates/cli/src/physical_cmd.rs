//! `corridor import …`, `corridor prepare …`, `corridor path …` and `corridor table --network
//! …`: physical networks (OSM rail and road, sea lanes) imported into the data directory,
//! their contraction hierarchies, shortest paths and distance matrices on them. The work is
//! done by `corridor-physical`; this module parses arguments, resolves places and renders
//! answers.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};
use corridor_engine::QueryError;
use corridor_physical::ch::{self, ContractionHierarchy};
use corridor_physical::import::{marnet, osm, python, scgraph};
use corridor_physical::passage;
use corridor_physical::search::{shortest_path_with, Algorithm, Dijkstra, TagFilter};
use corridor_physical::{geometry, ChQuery, Network, NetworkDir, Snap, Snapper};
use serde_json::{json, Value};

use crate::{emit, Failure};

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

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum PathFormat {
    /// Human-readable summary.
    Table,
    /// JSON.
    Json,
    /// A GeoJSON Feature (LineString) with the summary as properties.
    Geojson,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum AlgorithmArg {
    /// Contraction hierarchy (needs `corridor prepare --network NAME`; the default when
    /// prepared).
    Ch,
    /// A* with the great-circle lower bound.
    Astar,
    /// Bidirectional Dijkstra.
    Bidirectional,
    /// Plain Dijkstra.
    Dijkstra,
}

/// The passages a query closes: those closed by default (northwest, northern_sea_route,
/// volga_don) unless `allow` names them, plus those `avoid` names. `allow` and `avoid` are
/// `passage:NAME` (or a bare NAME for the old `--allow-passage`). Returns the arc tags the
/// network has among them, and a note for each default closure that applies.
fn closed_passages(
    net: &Network,
    allow: &[String],
    avoid: &[String],
) -> Result<(Vec<String>, Vec<String>), Failure> {
    let parse =
        |field: &str, items: &[String]| -> Result<Vec<&'static passage::Passage>, Failure> {
            items
                .iter()
                .map(|s| {
                    let name = s.strip_prefix("passage:").unwrap_or(s);
                    passage::find(name).ok_or_else(|| {
                        invalid(
                            field,
                            format!(
                                "'{s}' is not a passage; write passage:NAME with NAME one of {}",
                                passage::names()
                            ),
                        )
                    })
                })
                .collect()
        };
    let (allow, avoid) = (parse("allow", allow)?, parse("avoid", avoid)?);
    let tags = &net.meta().tags;
    let mut blocked = Vec::new();
    let mut notes = Vec::new();
    for p in passage::closed(&allow, &avoid) {
        let t = p.arc_tag();
        if !tags.contains(&t) {
            continue;
        }
        if !avoid.contains(&p) {
            notes.push(format!(
                "{t} is closed by default ({}); --allow passage:{} opens it",
                p.why_closed, p.name
            ));
        }
        blocked.push(t);
    }
    Ok((blocked, notes))
}

/// When a query with closed passages finds no path: whether one exists with every passage
/// open, and if so the closed passages it uses, for the message.
fn cut_by_passages(net: &Network, from: u32, to: u32, blocked: &[String]) -> Option<String> {
    if blocked.is_empty() {
        return None;
    }
    let p = shortest_path_with(net, from, to, Algorithm::AStar, &TagFilter::default())?;
    let g = net.parts();
    let mut used: Vec<String> = Vec::new();
    for &a in &p.arcs {
        let t = &net.meta().tags[g.tag[a as usize] as usize];
        if blocked.contains(t) && !used.contains(t) {
            used.push(t.clone());
        }
    }
    let names: Vec<String> = used
        .iter()
        .map(|t| match passage::by_arc_tag(t) {
            Some(p) if p.closed_by_default => format!(
                "{} (closed by default; --allow passage:{} opens it)",
                p.name, p.name
            ),
            Some(p) => format!("{} (avoided)", p.name),
            None => t.trim_start_matches("passage=").to_string(),
        })
        .collect();
    Some(format!(
        "every route crosses a closed passage: {}; {:.0} km with {} open",
        names.join(", "),
        p.length_m as f64 / 1000.0,
        if used.len() == 1 { "it" } else { "them" }
    ))
}

/// Arguments of `corridor path`.
#[derive(Args, Debug)]
pub(crate) struct PathArgs {
    /// Origin: a place (id, name, city) or `lat,lon` in degrees (e.g. `-33.9,18.4`).
    #[arg(allow_hyphen_values = true)]
    from: String,
    /// Destination, as FROM.
    #[arg(allow_hyphen_values = true)]
    to: String,
    /// Network: rail, road, sea, road+sea, ferry, or a name given to `import osm --name`.
    #[arg(long, default_value = "rail")]
    network: String,
    /// Folder of imported networks (as for `corridor import`).
    #[arg(long, value_name = "DIR")]
    network_dir: Option<PathBuf>,
    /// Refuse a point farther than this from the network (NoSnap), km.
    #[arg(long, default_value_t = corridor_physical::DEFAULT_MAX_SNAP_KM)]
    max_snap_km: f64,
    /// Search algorithm (all give the same length; default: ch if the network is prepared,
    /// else astar).
    #[arg(long, value_enum)]
    algorithm: Option<AlgorithmArg>,
    /// Open a passage closed by default, `passage:NAME` (repeatable): northwest,
    /// northern_sea_route, volga_don.
    #[arg(long, value_name = "passage:NAME")]
    allow: Vec<String>,
    /// Close a passage, `passage:NAME` (repeatable): suez, bab_el_mandeb, panama, malacca,
    /// gibraltar, bosporus, dardanelles, hormuz, cape_of_good_hope, northern_sea_route,
    /// volga_don, …
    #[arg(long, value_name = "passage:NAME")]
    avoid: Vec<String>,
    /// Old form of `--allow passage:NAME`.
    #[arg(long, value_name = "PASSAGE", hide = true)]
    allow_passage: Vec<String>,
    /// Simplify the drawn line to within this many km (0 keeps every node).
    #[arg(long, default_value_t = 1.0)]
    simplify_km: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PathFormat::Table)]
    format: PathFormat,
    /// Write the answer to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

impl PathArgs {
    /// Whether errors go to stdout as JSON too.
    pub(crate) fn wants_json(&self) -> bool {
        self.format != PathFormat::Table
    }
}

pub fn failure(e: corridor_physical::Error) -> Failure {
    let mut body = json!({"code": e.code(), "message": e.to_string()});
    if let Some(f) = e.field() {
        body["field"] = json!(f);
    }
    if let corridor_physical::Error::NoSnap {
        distance_km,
        limit_km,
        ..
    } = &e
    {
        if distance_km.is_finite() {
            body["distance_km"] = json!(round3(*distance_km));
        }
        body["limit_km"] = json!(limit_km);
    }
    Failure {
        code: e.exit_code(),
        json: Some(body),
        text: e.to_string(),
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

/// A FROM or TO as understood.
struct Endpoint {
    input: String,
    label: String,
    lat: f64,
    lon: f64,
}

/// `lat,lon` in degrees, if the input is that.
fn parse_lat_lon(s: &str) -> Option<Result<(f64, f64), String>> {
    let (a, b) = s.split_once(',')?;
    let (lat, lon) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Some(Err(format!(
            "'{s}': latitude must be within ±90 and longitude within ±180 (write lat,lon)"
        )));
    }
    Some(Ok((lat, lon)))
}

fn endpoint(
    field: &str,
    input: &str,
    data: &Option<PathBuf>,
    ds: &mut Option<corridor_data::Dataset>,
) -> Result<Endpoint, Failure> {
    if let Some(r) = parse_lat_lon(input) {
        let (lat, lon) = r.map_err(|m| invalid(field, m))?;
        return Ok(Endpoint {
            input: input.into(),
            label: format!("{lat},{lon}"),
            lat,
            lon,
        });
    }
    if ds.is_none() {
        *ds = Some(crate::load(data)?);
    }
    let Some(ds) = ds.as_ref() else {
        return Err(crate::internal("dataset not loaded"));
    };
    let r = ds
        .resolve(input)
        .map_err(|e| Failure::from(QueryError::from_name(field, e)))?;
    let Some(p) = r.places.first().map(|&i| &ds.places[i]) else {
        return Err(invalid(field, format!("'{input}' has no places")));
    };
    Ok(Endpoint {
        input: input.into(),
        label: format!("{} ({}, {})", p.name, p.id, p.country),
        lat: p.lat,
        lon: p.lon,
    })
}

fn endpoint_json(e: &Endpoint, s: &Snap) -> Value {
    json!({
        "input": e.input,
        "label": e.label,
        "lat": e.lat,
        "lon": e.lon,
        "snap": {
            "node": s.node,
            "lat": s.lat,
            "lon": s.lon,
            "distance_km": round3(s.distance_m / 1000.0),
        },
    })
}

/// `corridor path …`.
pub(crate) fn path(args: PathArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    if !(args.max_snap_km >= 0.0 && args.max_snap_km.is_finite()) {
        return Err(invalid(
            "max-snap-km",
            format!("{} is not a distance in km", args.max_snap_km),
        ));
    }
    if !(args.simplify_km >= 0.0 && args.simplify_km.is_finite()) {
        return Err(invalid(
            "simplify-km",
            format!("{} is not a distance in km", args.simplify_km),
        ));
    }
    let mut ds = None;
    let from = endpoint("from", &args.from, data, &mut ds)?;
    let to = endpoint("to", &args.to, data, &mut ds)?;
    let store = NetworkDir::or_default(args.network_dir.as_deref());
    let net = store.open(&args.network).map_err(failure)?;
    let snapper = Snapper::new(&net);
    let (s_from, s_to) = snapper
        .snap_pair(
            &net,
            (from.lat, from.lon),
            (to.lat, to.lon),
            args.max_snap_km,
        )
        .map_err(failure)?;
    // Passages closed by default unless allowed, and those avoided.
    let allow: Vec<String> = args
        .allow
        .iter()
        .chain(&args.allow_passage)
        .cloned()
        .collect();
    let (excluded, mut warnings) = closed_passages(&net, &allow, &args.avoid)?;
    let excluded_refs: Vec<&str> = excluded.iter().map(String::as_str).collect();
    let filter = TagFilter::blocking(&net, &excluded_refs);
    // The hierarchy, when wanted or by default when there is one that serves this query.
    let hierarchy = match args.algorithm {
        None | Some(AlgorithmArg::Ch) => {
            let explicit = args.algorithm.is_some();
            hierarchy_for(
                &store,
                &net,
                &args.network,
                &excluded_refs,
                explicit,
                &mut warnings,
            )?
        }
        Some(_) => None,
    };
    let algo = match args.algorithm {
        Some(AlgorithmArg::Bidirectional) => Algorithm::Bidirectional,
        Some(AlgorithmArg::Dijkstra) => Algorithm::Dijkstra,
        _ => Algorithm::AStar,
    };
    let algo_name = if hierarchy.is_some() {
        "ch"
    } else {
        algo.name()
    };
    let t = Instant::now();
    let found = match &hierarchy {
        Some(h) => ChQuery::new(h.node_count()).path(&net, h, s_from.node, s_to.node),
        None => shortest_path_with(&net, s_from.node, s_to.node, algo, &filter),
    };
    let search_ms = t.elapsed().as_secs_f64() * 1000.0;
    let Some(p) = found else {
        if let Some(why) = cut_by_passages(&net, s_from.node, s_to.node, &excluded) {
            return Err(QueryError::NoRoute {
                message: format!(
                    "no {} path from {} to {}: {why}",
                    args.network, from.label, to.label
                ),
                constraint: None,
            }
            .into());
        }
        let comp = net.parts().component;
        return Err(QueryError::NoRoute {
            message: format!(
                "no {} path from {} to {}: no connected part of the network lies within the snap limit of both (nearest: components {} and {}; 0 is the largest); try a larger --max-snap-km",
                args.network,
                from.label,
                to.label,
                comp[s_from.node as usize],
                comp[s_to.node as usize]
            ),
            constraint: None,
        }
        .into());
    };
    let meta = net.meta();
    // Length by arc tag (gauge, road class, passage), largest first.
    let g = net.parts();
    let mut by_tag: std::collections::BTreeMap<u16, u64> = Default::default();
    for &a in &p.arcs {
        *by_tag.entry(g.tag[a as usize]).or_default() += g.length_m[a as usize] as u64;
    }
    let mut tags: Vec<(String, u64)> = by_tag
        .into_iter()
        .filter(|(t, _)| *t != 0)
        .map(|(t, m)| (meta.tags[t as usize].clone(), m))
        .collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let line = geometry::line(&net, &p.nodes, args.simplify_km / 111.32);
    let distance_km = p.length_m as f64 / 1000.0;
    // Km on connectors added by `import --heal` (estimated, not surveyed track).
    let connector_km = corridor_physical::heal::connector_m(&net, &p.arcs) as f64 / 1000.0;
    // A path far longer than the great circle on land means a missing line, not a real route.
    warnings.extend(corridor_physical::measure::detour_warning(
        &meta.name,
        (from.lat, from.lon),
        (to.lat, to.lon),
        distance_km,
    ));
    let props = json!({
        "network": meta.name,
        "source": meta.source,
        "attribution": meta.attribution,
        "algorithm": algo_name,
        "distance_km": round3(distance_km),
        "connector_km": round3(connector_km),
        "from": endpoint_json(&from, &s_from),
        "to": endpoint_json(&to, &s_to),
        "nodes": p.nodes.len(),
        "settled": p.settled,
        "search_ms": (search_ms * 10.0).round() / 10.0,
        "tags": tags.iter().map(|(t, m)| json!({"tag": t, "distance_km": round3(*m as f64 / 1000.0)})).collect::<Vec<_>>(),
        "geometry_points": line.len(),
        "warnings": warnings,
    });
    let geometry = json!({"type": "LineString", "coordinates": line});
    let text = match args.format {
        PathFormat::Json => {
            let mut v = props;
            v["geometry"] = geometry;
            serde_json::to_string_pretty(&v).map_err(crate::internal)? + "\n"
        }
        PathFormat::Geojson => {
            let v = json!({"type": "Feature", "geometry": geometry, "properties": props});
            serde_json::to_string_pretty(&v).map_err(crate::internal)? + "\n"
        }
        PathFormat::Table => {
            let mut s = format!(
                "{} → {} on {} ({}): {:.1} km\n",
                from.label, to.label, meta.name, meta.source, distance_km
            );
            for (what, e, sn) in [("from", &from, &s_from), ("to", &to, &s_to)] {
                s.push_str(&format!(
                    "  {what:<4} {:.4},{:.4} snapped {:.2} km to node {} at {:.4},{:.4}\n",
                    e.lat,
                    e.lon,
                    sn.distance_m / 1000.0,
                    sn.node,
                    sn.lat,
                    sn.lon
                ));
            }
            s.push_str(&format!(
                "  {} nodes on the path, {} settled by {} in {:.1} ms; line drawn with {} points\n",
                grouped(p.nodes.len() as u64),
                grouped(p.settled as u64),
                algo_name,
                search_ms,
                line.len()
            ));
            for (t, m) in tags.iter().take(8) {
                s.push_str(&format!("  {:>10.1} km  {t}\n", *m as f64 / 1000.0));
            }
            s.push_str(&format!(
                "  connector km: {connector_km:.1} (estimated gaps bridged by import --heal)\n"
            ));
            for w in &warnings {
                s.push_str(&format!("  note: {w}\n"));
            }
            s.push_str(&format!("  data: {}\n", meta.attribution));
            s
        }
    };
    emit(&text, args.output.as_deref())
}

/// The hierarchy of `name` if there is one that serves a query blocking `blocked`. Without
/// `explicit` (the default algorithm), a missing, stale or unsuitable hierarchy means A* (a
/// stale one with a warning); with `--algorithm ch` it is an error.
fn hierarchy_for(
    store: &NetworkDir,
    net: &Network,
    name: &str,
    blocked: &[&str],
    explicit: bool,
    warnings: &mut Vec<String>,
) -> Result<Option<ContractionHierarchy>, Failure> {
    let missing = |detail: String| {
        failure(corridor_physical::Error::MissingHierarchy {
            network: name.to_string(),
            detail,
        })
    };
    match store.open_ch(name, net) {
        Ok(Some(h)) if h.serves(blocked) => Ok(Some(h)),
        Ok(Some(h)) => {
            let detail = format!(
                " that blocks [{}] (this query blocks [{}])",
                h.meta().blocked_tags.join(", "),
                blocked.join(", ")
            );
            if explicit {
                Err(missing(detail))
            } else {
                Ok(None)
            }
        }
        Ok(None) if explicit => Err(missing(String::new())),
        Ok(None) => Ok(None),
        Err(e @ corridor_physical::Error::StaleHierarchy { .. }) if !explicit => {
            warnings.push(format!("{e}; used A* instead"));
            Ok(None)
        }
        Err(e) => Err(failure(e)),
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
    let (blocked, _) = closed_passages(&net, &[], &[])?;
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

/// `corridor table --network NAME`: the physical options.
pub(crate) struct TableArgs {
    pub(crate) network: String,
    pub(crate) network_dir: Option<PathBuf>,
    pub(crate) pairs: Option<PathBuf>,
    pub(crate) from: Vec<String>,
    pub(crate) to: Vec<String>,
    pub(crate) max_snap_km: f64,
    /// `passage:NAME` to open (closed by default).
    pub(crate) allow: Vec<String>,
    /// `passage:NAME` to close.
    pub(crate) avoid: Vec<String>,
    pub(crate) json: bool,
    pub(crate) output: Option<PathBuf>,
}

/// `corridor table --network NAME`: network distances between places or points, every FROM
/// × every TO or the lanes of `--pairs`, with the hierarchy's many-to-many search when the
/// network is prepared (else one Dijkstra per origin). CSV or JSON.
pub(crate) fn table(a: TableArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    let lanes: Vec<[String; 2]> = match &a.pairs {
        Some(p) => crate::serve_cmd::read_pairs(p)?,
        None => a
            .from
            .iter()
            .flat_map(|f| a.to.iter().map(move |t| [f.clone(), t.clone()]))
            .collect(),
    };
    if lanes.is_empty() {
        return Err(invalid(
            "pairs",
            "give --pairs FILE.csv (columns from,to) or --from … --to …".into(),
        ));
    }
    if !(a.max_snap_km >= 0.0 && a.max_snap_km.is_finite()) {
        return Err(invalid(
            "max-snap-km",
            format!("{} is not a distance in km", a.max_snap_km),
        ));
    }
    let store = NetworkDir::or_default(a.network_dir.as_deref());
    let net = store.open(&a.network).map_err(failure)?;
    let snapper = Snapper::new(&net);
    // Each distinct name once: resolved, snapped (or the reason it cannot be).
    let mut ds = None;
    let mut points: Vec<String> = lanes.iter().flatten().cloned().collect();
    points.sort();
    points.dedup();
    let mut snapped: std::collections::HashMap<String, Result<(Endpoint, Snap), Value>> =
        Default::default();
    for name in &points {
        let r = match endpoint("from", name, data, &mut ds) {
            Ok(e) => match snapper.snap(&net, e.lat, e.lon, a.max_snap_km) {
                Ok(s) => Ok((e, s)),
                Err(err) => Err(json!({"code": err.code(), "message": err.to_string()})),
            },
            Err(f) => Err(f
                .json
                .clone()
                .unwrap_or_else(|| json!({"code": "InvalidValue", "message": f.text}))),
        };
        snapped.insert(name.clone(), r);
    }
    let ok_names = |side: usize| -> Vec<String> {
        let mut v: Vec<String> = lanes
            .iter()
            .map(|l| l[side].clone())
            .filter(|n| snapped[n].is_ok())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let (srcs, dsts) = (ok_names(0), ok_names(1));
    let node = |n: &String| snapped[n].as_ref().map(|(_, s)| s.node).unwrap_or(0);
    let src_nodes: Vec<u32> = srcs.iter().map(node).collect();
    let dst_nodes: Vec<u32> = dsts.iter().map(node).collect();
    let (blocked, mut warnings) = closed_passages(&net, &a.allow, &a.avoid)?;
    let refs: Vec<&str> = blocked.iter().map(String::as_str).collect();
    let hierarchy = hierarchy_for(&store, &net, &a.network, &refs, false, &mut warnings)?;
    let bar = progress_bar(src_nodes.len() as u64, "origins", true);
    let t = Instant::now();
    let m: Vec<Vec<Option<u64>>> = match &hierarchy {
        Some(h) => ch::matrix(h, &src_nodes, &dst_nodes, &|done| {
            bar.set_position(done as u64)
        }),
        None => {
            let mut dij = Dijkstra::new(net.node_count());
            dij.set_filter(TagFilter::blocking(&net, &refs));
            src_nodes
                .iter()
                .enumerate()
                .map(|(i, &s)| {
                    dij.run(&net, s, None);
                    bar.set_position(i as u64 + 1);
                    dst_nodes.iter().map(|&t| dij.distance(t)).collect()
                })
                .collect()
        }
    };
    bar.finish_and_clear();
    let search_ms = t.elapsed().as_secs_f64() * 1000.0;
    let row_of = |n: &String| srcs.binary_search(n).ok();
    let col_of = |n: &String| dsts.binary_search(n).ok();
    let mut rows = Vec::new();
    for [f, t] in &lanes {
        let (sf, st) = (&snapped[f], &snapped[t]);
        let mut row = json!({"from": f, "to": t});
        match (sf, st) {
            (Ok((_, a_snap)), Ok((_, b_snap))) => {
                row["from_snap_km"] = json!(round3(a_snap.distance_m / 1000.0));
                row["to_snap_km"] = json!(round3(b_snap.distance_m / 1000.0));
                let d = row_of(f).zip(col_of(t)).and_then(|(i, j)| m[i][j]);
                match d {
                    Some(d) => row["distance_km"] = json!(round3(d as f64 / 1000.0)),
                    None => {
                        let why = cut_by_passages(&net, a_snap.node, b_snap.node, &blocked)
                            .map(|w| format!(": {w}"))
                            .unwrap_or_default();
                        row["error"] = json!({"code": "NoRoute", "message": format!("no {} path from {f} to {t}{why}", a.network)})
                    }
                }
            }
            (Err(e), _) | (_, Err(e)) => row["error"] = e.clone(),
        }
        rows.push(row);
    }
    let text = if a.json {
        let v = json!({
            "network": net.meta().name,
            "source": net.meta().source,
            "attribution": net.meta().attribution,
            "algorithm": if hierarchy.is_some() { "ch" } else { "dijkstra" },
            "search_ms": (search_ms * 10.0).round() / 10.0,
            "warnings": warnings,
            "rows": rows,
        });
        serde_json::to_string_pretty(&v).map_err(crate::internal)? + "\n"
    } else {
        let mut w = csv::Writer::from_writer(Vec::new());
        let rec =
            |w: &mut csv::Writer<Vec<u8>>, r: [&str; 7]| w.write_record(r).map_err(crate::internal);
        rec(
            &mut w,
            [
                "from",
                "to",
                "distance_km",
                "from_snap_km",
                "to_snap_km",
                "error",
                "message",
            ],
        )?;
        for r in &rows {
            let f = |k: &str| match &r[k] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            let e = |k: &str| r["error"][k].as_str().unwrap_or_default().to_string();
            rec(
                &mut w,
                [
                    &f("from"),
                    &f("to"),
                    &f("distance_km"),
                    &f("from_snap_km"),
                    &f("to_snap_km"),
                    &e("code"),
                    &e("message"),
                ],
            )?;
        }
        let bytes = w.into_inner().map_err(crate::internal)?;
        String::from_utf8_lossy(&bytes).into_owned()
    };
    for w in &warnings {
        eprintln!("corridor: note: {w}");
    }
    emit(&text, a.output.as_deref())
}
