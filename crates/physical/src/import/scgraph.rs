//! The world networks of the PyPI package `scgraph-data` 2.x.
//!
//! Each module is a Python file holding two literals:
//!
//! ```text
//! from scgraph.core import GeoGraph
//! graph=[{1: 2.02, 0: 0.0, 2: 0.445}, {0: 2.02, 5: 2.121}, …]   # per node: {neighbour: km}
//! nodes=[[43.238, 76.945], …]                                   # per node: [lat, lon]
//! world_railways_geograph = GeoGraph(graph=graph, nodes=nodes)
//! ```
//!
//! [`parse`] reads exactly that subset (lists, dicts with integer keys, numbers) by hand,
//! fast enough for the 37 MB modules, and reports the line and column of anything else.

use std::path::{Path, PathBuf};

use crate::builder::NetworkBuilder;
use crate::error::{Error, Result};
use crate::format::{Meta, Network};
use crate::import::line_col;
use crate::progress;

/// The networks of `scgraph-data`: corridor name, module name, attribution.
pub const NETWORKS: [(&str, &str, &str); 3] = [
    ("rail", "world_railways", OSM_ATTRIBUTION),
    ("road", "world_highways", OSM_ATTRIBUTION),
    (
        "road+sea",
        "world_highways_and_marnet",
        "© OpenStreetMap contributors (ODbL 1.0, https://www.openstreetmap.org/copyright) and the marnet sea lanes of searoute (Apache-2.0), joined at ports by scgraph-data (MIT, Connor Makowski)",
    ),
];

const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors (ODbL 1.0, https://www.openstreetmap.org/copyright), simplified by scgraph-data (MIT, Connor Makowski)";

/// How to install the package.
pub const INSTALL_HINT: &str = "python3 -m venv .venv && .venv/bin/pip install 'scgraph-data==2.*'";

/// A parsed scgraph module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScGraph {
    /// Arcs `(tail, head, km)` in file order.
    pub arcs: Vec<(u32, u32, f64)>,
    /// Node count of `graph` (its list length).
    pub graph_len: usize,
    /// Nodes, `[lat, lon]` degrees.
    pub nodes: Vec<[f64; 2]>,
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    label: &'a str,
}

impl<'a> Parser<'a> {
    fn err(&self, reason: impl Into<String>) -> Error {
        let (line, column) = line_col(self.text, self.at);
        Error::Parse {
            file: self.label.to_string(),
            line,
            column,
            reason: reason.into(),
        }
    }

    fn ws(&mut self) {
        while let Some(&c) = self.text.get(self.at) {
            if c == b' ' || c == b'\n' || c == b'\r' || c == b'\t' {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.text.get(self.at).copied()
    }

    fn expect(&mut self, c: u8) -> Result<()> {
        match self.peek() {
            Some(x) if x == c => {
                self.at += 1;
                Ok(())
            }
            Some(x) => Err(self.err(format!(
                "expected '{}', found '{}'",
                c as char,
                x.escape_ascii()
            ))),
            None => Err(self.err(format!("expected '{}', found the end", c as char))),
        }
    }

    /// `,` then `close`, or `close`: returns true when the container is closed.
    fn sep_or_close(&mut self, close: u8) -> Result<bool> {
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                if self.peek() == Some(close) {
                    self.at += 1;
                    return Ok(true);
                }
                Ok(false)
            }
            Some(c) if c == close => {
                self.at += 1;
                Ok(true)
            }
            _ => Err(self.err(format!("expected ',' or '{}'", close as char))),
        }
    }

    fn uint(&mut self) -> Result<u32> {
        self.ws();
        let start = self.at;
        let mut v: u64 = 0;
        while let Some(&c) = self.text.get(self.at) {
            if !c.is_ascii_digit() {
                break;
            }
            v = v * 10 + (c - b'0') as u64;
            if v > u32::MAX as u64 {
                return Err(self.err("node index too large"));
            }
            self.at += 1;
        }
        if self.at == start {
            return Err(self.err("expected a node index"));
        }
        Ok(v as u32)
    }

    fn number(&mut self) -> Result<f64> {
        self.ws();
        let start = self.at;
        while let Some(&c) = self.text.get(self.at) {
            if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E') {
                self.at += 1;
            } else {
                break;
            }
        }
        let tok = std::str::from_utf8(&self.text[start..self.at]).unwrap_or("");
        tok.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| {
                self.at = start;
                self.err("expected a number")
            })
    }

    /// Moves past `name=` at the start of a line.
    fn seek_assignment(&mut self, name: &str) -> Result<()> {
        let pat = format!("{name}=");
        let pat = pat.as_bytes();
        let mut i = 0;
        while i + pat.len() <= self.text.len() {
            if (i == 0 || self.text[i - 1] == b'\n') && &self.text[i..i + pat.len()] == pat {
                self.at = i + pat.len();
                return Ok(());
            }
            i += match memchr_newline(&self.text[i..]) {
                Some(p) => p + 1,
                None => break,
            };
        }
        Err(Error::Parse {
            file: self.label.to_string(),
            line: 1,
            column: 1,
            reason: format!("no line starting with '{name}=' (is this an scgraph-data module?)"),
        })
    }
}

fn memchr_newline(s: &[u8]) -> Option<usize> {
    s.iter().position(|&c| c == b'\n')
}

/// Parses an scgraph module's `graph=` and `nodes=` literals; `label` names the file in
/// errors.
///
/// # Errors
/// [`Error::Parse`] with line and column for anything outside the literal subset, or when
/// `graph` and `nodes` have different lengths or an arc names a missing node.
///
/// ```
/// let m = corridor_physical::import::scgraph::parse(
///     b"graph=[{1: 1.5}, {0: 1.5, 1: 0.0}]\nnodes=[[43.2, 76.9], [43.21, 76.91]]\n",
///     "tiny.py",
///     false,
/// )
/// .unwrap();
/// assert_eq!(m.arcs, vec![(0, 1, 1.5), (1, 0, 1.5), (1, 1, 0.0)]);
/// assert_eq!(m.nodes[1], [43.21, 76.91]);
/// ```
pub fn parse(text: &[u8], label: &str, show_progress: bool) -> Result<ScGraph> {
    let mut p = Parser { text, at: 0, label };
    let mut out = ScGraph::default();
    let bar = progress::bar(text.len() as u64, "parsing", show_progress);
    p.seek_assignment("graph")?;
    p.expect(b'[')?;
    if p.peek() == Some(b']') {
        p.at += 1;
    } else {
        loop {
            let tail = u32::try_from(out.graph_len).map_err(|_| p.err("too many nodes"))?;
            p.expect(b'{')?;
            if p.peek() == Some(b'}') {
                p.at += 1;
            } else {
                loop {
                    let head = p.uint()?;
                    p.expect(b':')?;
                    let km = p.number()?;
                    out.arcs.push((tail, head, km));
                    if p.sep_or_close(b'}')? {
                        break;
                    }
                }
            }
            out.graph_len += 1;
            if out.graph_len % 4096 == 0 {
                bar.set_position(p.at as u64);
            }
            if p.sep_or_close(b']')? {
                break;
            }
        }
    }
    p.seek_assignment("nodes")?;
    p.expect(b'[')?;
    if p.peek() == Some(b']') {
        p.at += 1;
    } else {
        loop {
            p.expect(b'[')?;
            let lat = p.number()?;
            p.expect(b',')?;
            let lon = p.number()?;
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(p.err(format!("[{lat}, {lon}] is not a [lat, lon] pair")));
            }
            if p.peek() == Some(b',') {
                p.at += 1;
            }
            p.expect(b']')?;
            out.nodes.push([lat, lon]);
            if out.nodes.len() % 4096 == 0 {
                bar.set_position(p.at as u64);
            }
            if p.sep_or_close(b']')? {
                break;
            }
        }
    }
    bar.finish_and_clear();
    if out.nodes.len() != out.graph_len {
        return Err(p.err(format!(
            "graph has {} nodes but nodes has {} coordinates",
            out.graph_len,
            out.nodes.len()
        )));
    }
    if let Some(&(t, h, _)) = out.arcs.iter().find(|a| a.1 as usize >= out.graph_len) {
        return Err(p.err(format!(
            "node {t} links to node {h}, beyond the {} nodes",
            out.graph_len
        )));
    }
    Ok(out)
}

/// A parsed module as a builder (arc lengths km → m).
///
/// # Errors
/// [`Error::InvalidNetwork`] for a negative length.
pub fn to_builder(sc: &ScGraph) -> Result<NetworkBuilder> {
    let mut b = NetworkBuilder::new();
    for &[lat, lon] in &sc.nodes {
        b.add_node(lat, lon)?;
    }
    for &(t, h, km) in &sc.arcs {
        b.add_arc(t, h, Some(km * 1000.0), crate::NO_TAG)?;
    }
    Ok(b)
}

/// The installed version of scgraph-data next to `package_dir` (from pip's metadata).
pub fn installed_version(package_dir: &Path) -> Option<String> {
    let site = package_dir.parent()?;
    std::fs::read_dir(site).ok()?.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().to_lowercase();
        if !(name.starts_with("scgraph_data-") && name.ends_with(".dist-info")) {
            return None;
        }
        let meta = std::fs::read_to_string(e.path().join("METADATA")).ok()?;
        meta.lines()
            .find_map(|l| l.strip_prefix("Version: "))
            .map(str::to_string)
    })
}

/// Imports module `module` (e.g. `world_railways`) from the package folder as network
/// `name`.
///
/// # Errors
/// [`Error::Input`] if the module file cannot be read; parse and build errors.
pub fn import(package_dir: &Path, name: &str, show_progress: bool) -> Result<Network> {
    let (_, module, attribution) = NETWORKS
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(|| Error::BadName { name: name.into() })?;
    let file: PathBuf = package_dir.join(format!("{module}.py"));
    let text = std::fs::read(&file).map_err(|source| Error::Input {
        path: file.clone(),
        source,
    })?;
    let sc = parse(&text, &file.display().to_string(), show_progress)?;
    drop(text);
    let builder = to_builder(&sc)?;
    drop(sc);
    let version = installed_version(package_dir).unwrap_or_else(|| "2.x".into());
    let meta = Meta {
        name: name.to_string(),
        source: format!("scgraph-data {version} {module}"),
        attribution: attribution.to_string(),
        written_by: format!("corridor {}", env!("CARGO_PKG_VERSION")),
        ..Meta::default()
    };
    builder.build(meta, show_progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_module_shape() {
        let text = b"\nfrom scgraph.core import GeoGraph\ngraph=[{1: 2.02, 0: 0.0, 2: 0.445}, {0: 2.02}, {0: 0.445,}, {}]\nnodes=[[45.0, 82.5], [45.01, 82.52], [-33.9, 18.4], [0, 0]]\nworld_railways_geograph = GeoGraph(graph=graph, nodes=nodes)\n";
        let m = parse(text, "x.py", false).unwrap();
        assert_eq!(m.graph_len, 4);
        assert_eq!(m.arcs.len(), 5);
        assert_eq!(m.arcs[2], (0, 2, 0.445));
        assert_eq!(m.nodes[2], [-33.9, 18.4]);
        let net = to_builder(&m)
            .unwrap()
            .build(Meta::default(), false)
            .unwrap();
        // The self-loop 0→0 is dropped; 0↔1 and 0↔2 remain.
        assert_eq!(net.arc_count(), 4);
        assert_eq!(net.meta().report.self_loops_dropped, 1);
        assert_eq!(net.meta().report.components.count, 2);
    }

    #[test]
    fn reports_line_and_column() {
        let err = parse(b"graph=[{1: 2.0},\n {0: x}]\nnodes=[]\n", "bad.py", false).unwrap_err();
        match err {
            Error::Parse {
                line,
                column,
                reason,
                ..
            } => {
                assert_eq!((line, column), (2, 6), "{reason}");
                assert!(reason.contains("number"));
            }
            e => panic!("{e}"),
        }
        let err = parse(b"graph=[{1: 2.0}]\nnodes=[[1.0, 2.0]]\n", "x.py", false).unwrap_err();
        assert!(err.to_string().contains("beyond"), "{err}");
        let err = parse(b"nodes=[]\n", "x.py", false).unwrap_err();
        assert!(err.to_string().contains("graph="), "{err}");
        let err = parse(b"graph=[{}]\nnodes=[[91.0, 2.0]]\n", "x.py", false).unwrap_err();
        assert!(err.to_string().contains("lat, lon"), "{err}");
        // Truncated literal.
        assert!(parse(b"graph=[{1: 2.0", "x.py", false).is_err());
    }
}
