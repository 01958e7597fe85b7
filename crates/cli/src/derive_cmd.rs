//! `corridor derive-geometry`: measures every rail, road, sea and ferry link of a data folder
//! on the imported physical networks and writes `link_geometry.csv` (the derived file that
//! the embedded default carries, so that routing uses network km without Python or the
//! networks at run time). The measuring and the soundness rules are in
//! `corridor_physical::measure`; the file format in `corridor_data::geometry`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use corridor_data::geometry::{self, GeometryStatus};
use corridor_physical::measure::{self, Leg, Rules, Verdict};
use corridor_physical::{Network, NetworkDir, Snapper};

use crate::physical_cmd::invalid;
use crate::{emit, Failure};

/// Arguments of `corridor derive-geometry`.
#[derive(Args, Debug)]
pub(crate) struct DeriveArgs {
    /// Folder of the imported networks `rail` (imported with --heal), `road` and `sea`
    /// (default: $CORRIDOR_DATA, else ~/.local/share/corridor).
    #[arg(long, value_name = "DIR")]
    network_dir: Option<PathBuf>,
    /// Write the file here (atomically); default: link_geometry.csv in the --data folder.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Simplify each line to within this many km (Ramer–Douglas–Peucker).
    #[arg(long, default_value_t = 2.0, value_name = "KM")]
    simplify_km: f64,
    /// Source id (sources.csv) to cite for measurements on each network, NETWORK=ID
    /// (repeatable; defaults: rail=SRC-NET-RAIL, road=SRC-NET-ROAD, sea=SRC-NET-SEA).
    #[arg(long, value_name = "NETWORK=ID")]
    source: Vec<String>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// `corridor derive-geometry`.
pub(crate) fn run(args: DeriveArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    if !(args.simplify_km >= 0.0 && args.simplify_km.is_finite()) {
        return Err(invalid(
            "simplify-km",
            format!("{} is not a distance in km", args.simplify_km),
        ));
    }
    let output = output_path(&args, data)?;
    let sources = network_sources(&args.source)?;
    let ds = curated_dataset(data, &sources)?;
    let store = NetworkDir::or_default(args.network_dir.as_deref());
    let nets = open_networks(&store, &ds)?;
    let t = Instant::now();
    let Measured { rows, counts, gaps } = measure_links(&args, &ds, &nets, &sources)?;
    let text = format!(
        "# Derived file: the links of links.csv measured on the physical networks by `corridor derive-geometry`\n# (docs/physical-networks.md#corridor-links-on-the-networks). Do not edit by hand; rerun it after changing links or places.\n# Rail and road lines: (c) OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright), simplified by scgraph-data (MIT).\n# Sea lines: marnet of searoute (Apache-2.0), from Eurostat SeaRoute.\n{rows}"
    );
    emit(&text, Some(&output))?;
    eprintln!(
        "corridor: wrote {} in {:.1} s: {} measured, {} rejected, {} unrouted; {gaps} measured link(s) differ from their stated length by more than {:.0}% (corridor validate lists them)",
        output.display(),
        t.elapsed().as_secs_f64(),
        counts.get("measured").unwrap_or(&0),
        counts.get("rejected").unwrap_or(&0),
        counts.get("unrouted").unwrap_or(&0),
        geometry::GAP_WARN * 100.0
    );
    Ok(())
}

/// The file to write: `--output`, else link_geometry.csv in the `--data` folder.
fn output_path(args: &DeriveArgs, data: &Option<PathBuf>) -> Result<PathBuf, Failure> {
    Ok(match (&args.output, data) {
        (Some(o), _) => o.clone(),
        (None, Some(d)) => d.join(geometry::FILE),
        (None, None) => {
            return Err(invalid(
                "output",
                "give -o FILE (e.g. -o data/default/link_geometry.csv) or --data DIR".into(),
            ))
        }
    })
}

/// The source id to cite per network: the defaults with the `--source NETWORK=ID` given.
fn network_sources(given: &[String]) -> Result<HashMap<String, String>, Failure> {
    let mut sources: HashMap<String, String> = [
        ("rail", "SRC-NET-RAIL"),
        ("road", "SRC-NET-ROAD"),
        ("sea", "SRC-NET-SEA"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    for s in given {
        let Some((n, id)) = s.split_once('=') else {
            return Err(invalid(
                "source",
                format!("'{s}' is not NETWORK=ID (e.g. rail=SRC-NET-RAIL)"),
            ));
        };
        if !sources.contains_key(n) {
            return Err(invalid(
                "source",
                format!("'{n}' is not one of the networks rail, road, sea"),
            ));
        }
        sources.insert(n.to_string(), id.to_string());
    }
    Ok(sources)
}

/// The dataset of the curated files only (the links' stated lengths, not an older derived
/// file's), checked to cite every network source.
fn curated_dataset(
    data: &Option<PathBuf>,
    sources: &HashMap<String, String>,
) -> Result<corridor_data::Dataset, Failure> {
    let raw = match data {
        Some(dir) => corridor_data::RawFiles::read_dir(dir).map_err(|problems| {
            crate::data_failure(corridor_data::DataError {
                label: dir.display().to_string(),
                problems,
            })
        })?,
        None => corridor_data::Dataset::embedded_raw(),
    };
    let cited: Vec<&str> = sources.values().map(String::as_str).collect();
    let ds = corridor_data::Dataset::for_derivation(&raw, &cited).map_err(crate::data_failure)?;
    for (n, id) in sources {
        if ds.source(id).is_none() {
            return Err(invalid(
                "source",
                format!("source '{id}' for the {n} network is not in sources.csv: add a row saying which package and version the network came from"),
            ));
        }
    }
    Ok(ds)
}

/// The networks some link of `ds` runs on, opened with their snappers.
fn open_networks(
    store: &NetworkDir,
    ds: &corridor_data::Dataset,
) -> Result<HashMap<&'static str, (Network, Snapper)>, Failure> {
    let mut nets: HashMap<&str, (Network, Snapper)> = HashMap::new();
    for name in ["rail", "road", "sea"] {
        if !ds
            .links
            .iter()
            .any(|l| geometry::network_for(l.mode) == Some(name))
        {
            continue;
        }
        let net = store.open(name).map_err(crate::physical_cmd::failure)?;
        let snapper = Snapper::new(&net);
        nets.insert(name, (net, snapper));
    }
    Ok(nets)
}

/// The rows of link_geometry.csv, with the count per status and of measured links far from
/// their stated length.
struct Measured {
    rows: String,
    counts: HashMap<&'static str, usize>,
    gaps: usize,
}

/// Measures every link of `ds` that runs on a network, one CSV row each.
fn measure_links(
    args: &DeriveArgs,
    ds: &corridor_data::Dataset,
    nets: &HashMap<&'static str, (Network, Snapper)>,
    sources: &HashMap<String, String>,
) -> Result<Measured, Failure> {
    let todo: Vec<_> = ds
        .links
        .iter()
        .filter_map(|l| geometry::network_for(l.mode).map(|n| (l, n)))
        .collect();
    let bar = crate::physical_cmd::progress_bar(
        todo.len() as u64,
        "measuring links",
        !args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "link",
        "network",
        "status",
        "distance_km",
        "connector_km",
        "snap_from_km",
        "snap_to_km",
        "stated_km",
        "geometry",
        "reason",
        "source",
    ])
    .map_err(crate::internal)?;
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    let mut gaps = 0;
    for (link, network) in todo {
        bar.inc(1);
        let stated_km = link.distance_km;
        let (Some(from), Some(to)) = (ds.place_index(&link.from), ds.place_index(&link.to)) else {
            continue;
        };
        let (from, to) = (&ds.places[from], &ds.places[to]);
        let Some((net, snapper)) = nets.get(network) else {
            continue;
        };
        let leg = Leg {
            from: (from.lat, from.lon),
            to: (to.lat, to.lon),
            stated_km,
            passages: (network == "sea").then(|| link.passages.clone()),
        };
        let m = measure::measure(
            net,
            snapper,
            &leg,
            &Rules::for_network(network),
            args.simplify_km,
        );
        let (status, reason) = match &m.verdict {
            Verdict::Measured => (GeometryStatus::Measured, String::new()),
            Verdict::Rejected(r) => (GeometryStatus::Rejected, r.clone()),
            Verdict::Unrouted(r) => (GeometryStatus::Unrouted, r.clone()),
        };
        *counts.entry(status.as_str()).or_default() += 1;
        if let (GeometryStatus::Measured, Some(km)) = (status, m.distance_km) {
            if stated_km > 0.0 && (km / stated_km - 1.0).abs() > geometry::GAP_WARN {
                gaps += 1;
            }
        }
        let line = if status == GeometryStatus::Measured {
            geometry::encode_polyline(&m.points)
        } else {
            String::new()
        };
        let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        out.write_record([
            link.id.as_str(),
            network,
            status.as_str(),
            &num(m.distance_km),
            &m.connector_km.to_string(),
            &num(m.snap_from_km),
            &num(m.snap_to_km),
            &stated_km.to_string(),
            &line,
            &reason,
            &sources[network],
        ])
        .map_err(crate::internal)?;
    }
    bar.finish_and_clear();
    let rows =
        String::from_utf8(out.into_inner().map_err(crate::internal)?).map_err(crate::internal)?;
    Ok(Measured { rows, counts, gaps })
}
