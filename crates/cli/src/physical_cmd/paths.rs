//! `corridor path …` and `corridor table --network …`: shortest paths and distance matrices on
//! an imported physical network. Arguments in, the query facade of `corridor_physical::query`
//! (which chooses the hierarchy or A*), the answer out as text, JSON, GeoJSON or CSV.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use corridor_physical::query::{Endpoint, Method, Passages, PathAnswer, PathRequest, Prepared};
use corridor_physical::search::Algorithm;
use corridor_physical::{Budget, NetworkDir, Snap};
use serde_json::{json, Value};

use super::{failure, grouped, invalid, progress_bar, round3};
use crate::{emit, Failure};

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

/// FROM or TO as a point: `lat,lon`, else a place of the dataset (loaded on the first name).
fn endpoint(
    field: &str,
    input: &str,
    data: &Option<PathBuf>,
    ds: &mut Option<corridor_data::Dataset>,
) -> Result<Endpoint, Failure> {
    corridor_bridge::endpoint(field, input, move || {
        if ds.is_none() {
            *ds = Some(crate::load(data)?);
        }
        let ds: &Option<corridor_data::Dataset> = ds;
        ds.as_ref()
            .ok_or_else(|| crate::internal("dataset not loaded"))
    })?
    .map_err(Failure::from)
}

/// `--max-snap-km`, `--simplify-km`: a finite distance, 0 or more.
fn check_km(flag: &str, km: f64) -> Result<(), Failure> {
    if km >= 0.0 && km.is_finite() {
        Ok(())
    } else {
        Err(invalid(flag, format!("{km} is not a distance in km")))
    }
}

/// `corridor path …`.
pub(crate) fn path(args: PathArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    check_km("max-snap-km", args.max_snap_km)?;
    check_km("simplify-km", args.simplify_km)?;
    let mut ds = None;
    let from = endpoint("from", &args.from, data, &mut ds)?;
    let to = endpoint("to", &args.to, data, &mut ds)?;
    let store = NetworkDir::or_default(args.network_dir.as_deref());
    let p = Prepared::open(&store, &args.network).map_err(failure)?;
    let method = match args.algorithm {
        None => Method::Auto,
        Some(AlgorithmArg::Ch) => Method::Ch,
        Some(AlgorithmArg::Astar) => Method::Search(Algorithm::AStar),
        Some(AlgorithmArg::Bidirectional) => Method::Search(Algorithm::Bidirectional),
        Some(AlgorithmArg::Dijkstra) => Method::Search(Algorithm::Dijkstra),
    };
    let req = PathRequest {
        max_snap_km: args.max_snap_km,
        passages: Passages {
            allow: args
                .allow
                .iter()
                .chain(&args.allow_passage)
                .cloned()
                .collect(),
            avoid: args.avoid.clone(),
        },
        method,
        ..PathRequest::new(from, to)
    };
    let mut a = p.path(&req).map_err(failure)?;
    // Between two named places, set the path against the corridor network's route on the
    // same mode: a much longer path means the physical network lacks a line.
    if let Some(ds) = ds.take() {
        let engine = corridor_engine::Engine::new(ds);
        a.warnings.extend(corridor_bridge::corridor_detour(
            &engine,
            &args.network,
            &args.from,
            &args.to,
            a.distance_km(),
        ));
    }
    let line = a.line(&p, args.simplify_km);
    let text = match args.format {
        PathFormat::Json => {
            serde_json::to_string_pretty(&a.to_json(&p, args.simplify_km))
                .map_err(crate::internal)?
                + "\n"
        }
        PathFormat::Geojson => {
            let v = json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": a.properties(&p, line.len()),
            });
            serde_json::to_string_pretty(&v).map_err(crate::internal)? + "\n"
        }
        PathFormat::Table => path_text(&a, &p, line.len()),
    };
    emit(&text, args.output.as_deref())
}

/// The human-readable answer of `corridor path`.
fn path_text(a: &PathAnswer, p: &Prepared, line_points: usize) -> String {
    let meta = p.network().meta();
    let mut s = format!(
        "{} → {} on {} ({}): {:.1} km\n",
        a.from.label,
        a.to.label,
        meta.name,
        meta.source,
        a.distance_km()
    );
    for (what, e, sn) in [("from", &a.from, &a.from_snap), ("to", &a.to, &a.to_snap)] {
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
        grouped(a.path.nodes.len() as u64),
        grouped(a.path.settled as u64),
        a.algorithm,
        a.search_ms,
        line_points
    ));
    for (t, m) in a.tags.iter().take(8) {
        s.push_str(&format!("  {:>10.1} km  {t}\n", *m as f64 / 1000.0));
    }
    s.push_str(&format!(
        "  connector km: {:.1} (estimated gaps bridged by import --heal)\n",
        a.connector_m as f64 / 1000.0
    ));
    for w in &a.warnings {
        s.push_str(&format!("  note: {w}\n"));
    }
    s.push_str(&format!("  data: {}\n", meta.attribution));
    s
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

/// A name of `corridor table --network`, resolved and snapped, or the error of its rows.
type Snapped = std::collections::HashMap<String, Result<Snap, Value>>;

/// Each distinct name of `lanes` once: resolved and snapped, or the reason it cannot be.
fn snap_names(
    lanes: &[[String; 2]],
    p: &Prepared,
    max_snap_km: f64,
    data: &Option<PathBuf>,
) -> Snapped {
    let mut ds = None;
    let mut names: Vec<&String> = lanes.iter().flatten().collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let r = match endpoint("from", name, data, &mut ds) {
                Ok(e) => p
                    .snap(e.lat, e.lon, max_snap_km)
                    .map_err(|err| json!({"code": err.code(), "message": err.to_string()})),
                Err(f) => Err(f
                    .json
                    .clone()
                    .unwrap_or_else(|| json!({"code": "InvalidValue", "message": f.text}))),
            };
            (name.clone(), r)
        })
        .collect()
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
    check_km("max-snap-km", a.max_snap_km)?;
    let store = NetworkDir::or_default(a.network_dir.as_deref());
    let p = Prepared::open(&store, &a.network).map_err(failure)?;
    let snapped = snap_names(&lanes, &p, a.max_snap_km, data);
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
    let node = |n: &String| snapped[n].as_ref().map(|s| s.node).unwrap_or(0);
    let src_nodes: Vec<u32> = srcs.iter().map(node).collect();
    let dst_nodes: Vec<u32> = dsts.iter().map(node).collect();
    let passages = Passages {
        allow: a.allow.clone(),
        avoid: a.avoid.clone(),
    };
    let search = p
        .search(&passages, Method::Auto, Budget::unlimited())
        .map_err(failure)?;
    let bar = progress_bar(src_nodes.len() as u64, "origins", true);
    let m = search
        .matrix(&src_nodes, &dst_nodes, &|done| {
            bar.set_position(done as u64)
        })
        .map_err(failure)?;
    bar.finish_and_clear();
    let mut rows = Vec::new();
    for [f, t] in &lanes {
        let mut row = json!({"from": f, "to": t});
        match (&snapped[f], &snapped[t]) {
            (Ok(a_snap), Ok(b_snap)) => {
                row["from_snap_km"] = json!(round3(a_snap.distance_m / 1000.0));
                row["to_snap_km"] = json!(round3(b_snap.distance_m / 1000.0));
                let cell = srcs.binary_search(f).ok().zip(dsts.binary_search(t).ok());
                match cell.and_then(|(i, j)| m.rows[i][j]) {
                    Some(d) => row["distance_km"] = json!(round3(d as f64 / 1000.0)),
                    None => {
                        let why = search
                            .closures()
                            .cut(p.network(), a_snap.node, b_snap.node)
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
        let meta = p.network().meta();
        let v = json!({
            "network": meta.name,
            "source": meta.source,
            "attribution": meta.attribution,
            "algorithm": m.algorithm,
            "search_ms": (m.search_ms * 10.0).round() / 10.0,
            "warnings": search.warnings(),
            "rows": rows,
        });
        serde_json::to_string_pretty(&v).map_err(crate::internal)? + "\n"
    } else {
        table_csv(&rows)?
    };
    for w in search.warnings() {
        eprintln!("corridor: note: {w}");
    }
    emit(&text, a.output.as_deref())
}

/// The rows of `corridor table --network` as CSV.
fn table_csv(rows: &[Value]) -> Result<String, Failure> {
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
    for r in rows {
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
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
