//! The TNTP format of the TransportationNetworks collection (github.com/bstabler/
//! TransportationNetworks): `NAME_net.tntp` (links with BPR parameters), `NAME_trips.tntp`
//! (the OD matrix) and, where published, `NAME_flow.tntp` (best-known equilibrium flows).
//!
//! Net and trips files start with metadata lines `<KEY> value` ended by `<END OF METADATA>`;
//! then `~` starts a comment or column header; net rows are whitespace-separated fields ended by
//! `;` in the order of the header (by default init node, term node, capacity, length, free flow
//! time, b, power, speed, toll, link type); trips rows are `Origin N` followed by `dest : flow;`
//! entries. Zones are nodes 1..=NUMBER OF ZONES; nodes numbered below FIRST THRU NODE may start
//! or end a path but not be passed through.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::network::{link_problem, Demand, Link, Network};
use crate::Error;

/// A best-known flow of one link (`*_flow.tntp`).
#[derive(Debug, Clone, PartialEq)]
pub struct FlowRow {
    /// Tail node (0-based).
    pub from: u32,
    /// Head node (0-based).
    pub to: u32,
    /// Flow.
    pub flow: f64,
    /// Cost at that flow.
    pub cost: f64,
}

/// A TNTP folder read whole.
#[derive(Debug, Clone)]
pub struct Folder {
    /// The network name (the files' common prefix).
    pub name: String,
    /// The network.
    pub network: Network,
    /// The OD matrix.
    pub demand: Demand,
    /// Best-known flows, where the folder has a `*_flow.tntp`.
    pub best_known: Option<Vec<FlowRow>>,
    /// Things worth saying that are not errors (e.g. TOTAL OD FLOW differing from the sum).
    pub warnings: Vec<String>,
}

/// Reads `DIR/*_net.tntp`, `DIR/*_trips.tntp` and, if present, `DIR/*_flow.tntp`.
pub fn read_dir(dir: &Path) -> Result<Folder, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    let pick = |suffix: &str, required: bool| -> Result<Option<PathBuf>, Error> {
        let found: Vec<&PathBuf> = names
            .iter()
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(suffix))
            })
            .collect();
        match found.as_slice() {
            [one] => Ok(Some((*one).clone())),
            [] if !required => Ok(None),
            [] => Err(Error::Missing(format!(
                "{}: no *{suffix} file; a TNTP folder holds NAME_net.tntp and NAME_trips.tntp (github.com/bstabler/TransportationNetworks)",
                dir.display()
            ))),
            many => Err(Error::Missing(format!(
                "{}: {} files end with {suffix} ({}); keep one per folder",
                dir.display(),
                many.len(),
                many.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ))),
        }
    };
    let net_path = pick("_net.tntp", true)?.unwrap_or_default();
    let trips_path = pick("_trips.tntp", true)?.unwrap_or_default();
    let flow_path = pick("_flow.tntp", false)?;
    let network = parse_net(&read(&net_path)?, &net_path)?;
    let mut warnings = Vec::new();
    let demand = parse_trips(
        &read(&trips_path)?,
        &trips_path,
        network.zone_count(),
        &mut warnings,
    )?;
    let best_known = match &flow_path {
        Some(p) => Some(parse_flow(&read(p)?, p, network.node_count())?),
        None => None,
    };
    let name = net_path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.trim_end_matches("_net.tntp").to_string())
        .unwrap_or_default();
    Ok(Folder {
        name,
        network,
        demand,
        best_known,
        warnings,
    })
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Metadata values by upper-case key, with their line numbers.
type Metadata = HashMap<String, (String, usize)>;

/// Metadata `<KEY> value` lines (key upper-cased) with their line numbers, and the line after
/// `<END OF METADATA>`.
fn metadata(text: &str, file: &Path) -> Result<(Metadata, usize), Error> {
    let mut meta = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('~') {
            continue;
        }
        let Some(rest) = line.strip_prefix('<') else {
            return Err(Error::parse(
                file,
                i + 1,
                "expected a metadata line `<KEY> value` or <END OF METADATA> before the data",
            ));
        };
        let Some((key, value)) = rest.split_once('>') else {
            return Err(Error::parse(
                file,
                i + 1,
                "metadata key without its closing '>'",
            ));
        };
        let key = key.trim().to_ascii_uppercase();
        if key == "END OF METADATA" {
            return Ok((meta, i + 1));
        }
        meta.insert(key, (value.trim().to_string(), i + 1));
    }
    Err(Error::parse(
        file,
        0,
        "no <END OF METADATA> line: TNTP files start with `<KEY> value` lines ended by <END OF METADATA>",
    ))
}

fn meta_count(meta: &Metadata, key: &str, file: &Path) -> Result<Option<usize>, Error> {
    match meta.get(key) {
        None => Ok(None),
        Some((v, line)) => v
            .trim_end_matches(';')
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < u32::MAX as f64)
            .map(|n| Some(n as usize))
            .ok_or_else(|| {
                Error::parse(file, *line, format!("<{key}> {v:?} is not a whole number"))
            }),
    }
}

/// The net file's columns, by position.
struct Columns {
    init: usize,
    term: usize,
    capacity: usize,
    length: Option<usize>,
    fft: usize,
    b: usize,
    power: usize,
    toll: Option<usize>,
}

const STANDARD: Columns = Columns {
    init: 0,
    term: 1,
    capacity: 2,
    length: Some(3),
    fft: 4,
    b: 5,
    power: 6,
    toll: Some(8),
};

/// Columns named by a `~` header line, if it names at least the required ones.
fn columns_from_header(line: &str) -> Option<Columns> {
    let body = line.trim_start_matches('~').trim().trim_end_matches(';');
    let parts: Vec<&str> = if body.contains('\t') {
        body.split('\t')
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != ";")
            .collect()
    } else {
        body.split_whitespace().filter(|s| *s != ";").collect()
    };
    let norm: Vec<String> = parts
        .iter()
        .map(|s| {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .collect();
    let find = |names: &[&str]| norm.iter().position(|n| names.contains(&n.as_str()));
    Some(Columns {
        init: find(&["initnode", "init", "from", "anode"])?,
        term: find(&["termnode", "term", "to", "bnode"])?,
        capacity: find(&["capacity", "cap"])?,
        length: find(&["length", "distance"]),
        fft: find(&["freeflowtime", "fft", "freeflowtraveltime"])?,
        b: find(&["b", "alpha"])?,
        power: find(&["power", "beta"])?,
        toll: find(&["toll"]),
    })
}

/// Parses a `*_net.tntp` file (`file` names it in errors).
pub fn parse_net(text: &str, file: &Path) -> Result<Network, Error> {
    let (meta, start) = metadata(text, file)?;
    let need = |key: &str| -> Result<usize, Error> {
        meta_count(&meta, key, file)?.ok_or_else(|| {
            Error::parse(
                file,
                0,
                format!("no <{key}> in the metadata; add it before <END OF METADATA>"),
            )
        })
    };
    let zones = need("NUMBER OF ZONES")?;
    let nodes = need("NUMBER OF NODES")?;
    let first_thru = meta_count(&meta, "FIRST THRU NODE", file)?
        .unwrap_or(1)
        .max(1);
    let declared_links = meta_count(&meta, "NUMBER OF LINKS", file)?;
    if zones > nodes {
        return Err(Error::parse(
            file,
            meta.get("NUMBER OF ZONES").map_or(0, |m| m.1),
            format!("{zones} zones but {nodes} nodes: zones are nodes 1..=NUMBER OF ZONES"),
        ));
    }
    let mut cols = STANDARD;
    let mut links = Vec::with_capacity(declared_links.unwrap_or(0));
    for (i, raw) in text.lines().enumerate().skip(start) {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('~') {
            if let Some(c) = columns_from_header(line) {
                cols = c;
            }
            continue;
        }
        let Some(body) = line.strip_suffix(';') else {
            return Err(Error::parse(
                file,
                line_no,
                "link row does not end with ';' (TNTP rows are fields then ';')",
            ));
        };
        let fields: Vec<&str> = body.split_whitespace().collect();
        let get = |idx: usize, what: &str| -> Result<f64, Error> {
            let s = fields.get(idx).ok_or_else(|| {
                Error::parse(
                    file,
                    line_no,
                    format!(
                        "missing {what} (column {}); the row has {} fields",
                        idx + 1,
                        fields.len()
                    ),
                )
            })?;
            s.parse::<f64>()
                .map_err(|_| Error::parse(file, line_no, format!("{what} {s:?} is not a number")))
        };
        let node = |idx: usize, what: &str| -> Result<u32, Error> {
            let v = get(idx, what)?;
            if v.fract() != 0.0 || v < 1.0 || v > nodes as f64 {
                return Err(Error::parse(
                    file,
                    line_no,
                    format!(
                        "unknown node {v} as {what}: nodes are 1..={nodes} (<NUMBER OF NODES>)"
                    ),
                ));
            }
            Ok(v as u32 - 1)
        };
        let opt = |idx: Option<usize>, what: &str| -> Result<f64, Error> {
            match idx {
                Some(i) if i < fields.len() => get(i, what),
                _ => Ok(0.0),
            }
        };
        let link = Link {
            from: node(cols.init, "init node")?,
            to: node(cols.term, "term node")?,
            capacity: get(cols.capacity, "capacity")?,
            free_flow_time: get(cols.fft, "free flow time")?,
            b: get(cols.b, "b")?,
            power: get(cols.power, "power")?,
            length: opt(cols.length, "length")?,
            toll: opt(cols.toll, "toll")?,
            delay: Default::default(),
            preload: 0.0,
        };
        if let Some(problem) = link_problem(&link, nodes) {
            return Err(Error::parse(file, line_no, problem));
        }
        links.push(link);
    }
    if let Some(n) = declared_links {
        if n != links.len() {
            return Err(Error::parse(
                file,
                meta.get("NUMBER OF LINKS").map_or(0, |m| m.1),
                format!("<NUMBER OF LINKS> says {n} but the file has {} link rows; fix the count or the rows", links.len()),
            ));
        }
    }
    Network::new(nodes, zones, first_thru - 1, links)
}

/// Parses a `*_trips.tntp` file over a network of `zones` zones; a TOTAL OD FLOW that differs
/// from the sum adds a warning.
pub fn parse_trips(
    text: &str,
    file: &Path,
    zones: usize,
    warnings: &mut Vec<String>,
) -> Result<Demand, Error> {
    let (meta, start) = metadata(text, file)?;
    if let Some(z) = meta_count(&meta, "NUMBER OF ZONES", file)? {
        if z != zones {
            return Err(Error::parse(
                file,
                meta.get("NUMBER OF ZONES").map_or(0, |m| m.1),
                format!("{z} zones here but {zones} in the net file; the two files must describe the same zones"),
            ));
        }
    }
    let mut demand = Demand::new(zones);
    let mut origin: Option<usize> = None;
    let mut total = 0.0;
    for (i, raw) in text.lines().enumerate().skip(start) {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('~') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("Origin") {
            let v = rest.trim().trim_end_matches(';').trim();
            let o = v
                .parse::<usize>()
                .ok()
                .filter(|o| (1..=zones).contains(o))
                .ok_or_else(|| {
                    Error::parse(
                        file,
                        line_no,
                        format!("origin {v:?} is not a zone: zones are 1..={zones}"),
                    )
                })?;
            origin = Some(o - 1);
            continue;
        }
        let Some(o) = origin else {
            return Err(Error::parse(
                file,
                line_no,
                "OD entries before the first `Origin N` line",
            ));
        };
        let mut pieces: Vec<&str> = line.split(';').collect();
        let last = pieces.pop().unwrap_or_default();
        if !last.trim().is_empty() {
            return Err(Error::parse(
                file,
                line_no,
                format!(
                    "entry {:?} does not end with ';' (write `dest : flow;`)",
                    last.trim()
                ),
            ));
        }
        for entry in pieces {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let Some((d, q)) = entry.split_once(':') else {
                return Err(Error::parse(
                    file,
                    line_no,
                    format!("entry {entry:?} is not `dest : flow`"),
                ));
            };
            let d = d.trim();
            let dest = d
                .parse::<usize>()
                .ok()
                .filter(|d| (1..=zones).contains(d))
                .ok_or_else(|| {
                    Error::parse(
                        file,
                        line_no,
                        format!("destination {d:?} is not a zone: zones are 1..={zones}"),
                    )
                })?;
            let q = q.trim();
            let flow = q.parse::<f64>().map_err(|_| {
                Error::parse(file, line_no, format!("demand {q:?} is not a number"))
            })?;
            if !(flow.is_finite() && flow >= 0.0) {
                return Err(Error::parse(
                    file,
                    line_no,
                    format!(
                        "demand {q} from {} to {dest} must be a finite number >= 0",
                        o + 1
                    ),
                ));
            }
            total += flow;
            demand
                .add(o, dest - 1, flow)
                .map_err(|e| Error::parse(file, line_no, e.to_string()))?;
        }
    }
    if let Some((v, line)) = meta.get("TOTAL OD FLOW") {
        if let Ok(t) = v.trim_end_matches(';').trim().parse::<f64>() {
            if (t - total).abs() > 1e-6 * t.abs().max(1.0) {
                warnings.push(format!(
                    "{}:{line}: <TOTAL OD FLOW> says {t} but the entries sum to {total}",
                    file.display()
                ));
            }
        }
    }
    Ok(demand)
}

/// Parses a `*_flow.tntp` file (header `From To Volume Cost`, then one row per link).
pub fn parse_flow(text: &str, file: &Path, nodes: usize) -> Result<Vec<FlowRow>, Error> {
    let mut rows = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim().trim_end_matches(';').trim();
        if line.is_empty() || line.starts_with('~') || line.starts_with('<') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if rows.is_empty() && fields.first().is_some_and(|f| f.parse::<f64>().is_err()) {
            continue; // the header
        }
        if fields.len() < 4 {
            return Err(Error::parse(
                file,
                line_no,
                format!(
                    "expected `from to flow cost`, found {} fields",
                    fields.len()
                ),
            ));
        }
        let num = |s: &str, what: &str| -> Result<f64, Error> {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| Error::parse(file, line_no, format!("{what} {s:?} is not a number")))
        };
        let node = |s: &str| -> Result<u32, Error> {
            let v = num(s, "node")?;
            if v.fract() != 0.0 || v < 1.0 || v > nodes as f64 {
                return Err(Error::parse(
                    file,
                    line_no,
                    format!("unknown node {s}: nodes are 1..={nodes}"),
                ));
            }
            Ok(v as u32 - 1)
        };
        rows.push(FlowRow {
            from: node(fields[0])?,
            to: node(fields[1])?,
            flow: num(fields[2], "flow")?,
            cost: num(fields[3], "cost")?,
        });
    }
    Ok(rows)
}

/// Deviation of `flows` (in `net`'s link order) from best-known flows `best`: the largest and
/// the mean of |x − x*| / x* over the links whose cost rises with flow (b, power and free-flow
/// time > 0: only their equilibrium flows are unique; Winnipeg's and Barcelona's constant-cost
/// connectors can split flow in many ways at the same optimum) and whose best-known flow x*
/// exceeds `min_flow`, and how many links that is. Rows are matched to links by position when they list the same (from, to)
/// pairs in the same order, else by (from, to); `None` when some link has no row or a pair is
/// ambiguous (parallel links listed in another order).
pub fn deviation(
    net: &Network,
    best: &[FlowRow],
    flows: &[f64],
    min_flow: f64,
) -> Option<(f64, f64, usize)> {
    let links = net.links();
    if flows.len() != links.len() {
        return None;
    }
    let same_order = best.len() == links.len()
        && best
            .iter()
            .zip(links)
            .all(|(b, l)| (b.from, b.to) == (l.from, l.to));
    let reference: Vec<f64> = if same_order {
        best.iter().map(|b| b.flow).collect()
    } else {
        let mut by_pair: HashMap<(u32, u32), Option<f64>> = HashMap::new();
        for b in best {
            by_pair
                .entry((b.from, b.to))
                .and_modify(|f| *f = None)
                .or_insert(Some(b.flow));
        }
        links
            .iter()
            .map(|l| by_pair.get(&(l.from, l.to)).copied().flatten())
            .collect::<Option<Vec<f64>>>()?
    };
    let (mut worst, mut sum, mut n) = (0.0f64, 0.0, 0usize);
    for ((x, b), l) in flows.iter().zip(&reference).zip(links) {
        let rises = l.b > 0.0 && l.power > 0.0 && l.free_flow_time > 0.0;
        if rises && *b > min_flow {
            let d = (x - b).abs() / b;
            worst = worst.max(d);
            sum += d;
            n += 1;
        }
    }
    Some((worst, if n > 0 { sum / n as f64 } else { 0.0 }, n))
}
