//! OpenStreetMap `.osm.pbf` extracts (via `osmpbf`): one network per kind.
//!
//! - [`Kind::Rail`]: ways tagged `railway=rail` (and `railway=narrow_gauge`), each arc tagged
//!   `railway=rail gauge=MM` with the way's `gauge` as written (`1435`, `1520`, `1520;1435`).
//!   Skipped: `usage=tourism`; lines freight trains do not run on ([`passenger_only`]:
//!   `railway:traffic_mode=passenger`, or `highspeed=yes` with a `maxspeed` of 250 km/h or
//!   more and no `railway:traffic_mode=freight|mixed`), so that container trains are measured
//!   on the freight lines (Zhengzhou–Xi'an on the Longhai line, not the high-speed line beside
//!   it); and by construction everything whose `railway` value is not rail (abandoned,
//!   disused, construction, tram, subway, light_rail, funicular, …).
//! - [`Kind::Road`]: `highway=motorway|trunk|primary|secondary|tertiary` and their `_link`s,
//!   tagged `highway=CLASS speed_kmh=N` with a typical truck speed for the class; `oneway`
//!   is honoured (motorways are one-way unless tagged otherwise).
//! - [`Kind::Ferry`]: ways tagged `route=ferry`, tagged `route=ferry`.
//!
//! Arcs run between consecutive nodes of a way; their length is the great-circle length.
//! Ways whose nodes are missing from the extract are cut at the gap.

use std::collections::HashMap;
use std::path::Path;

use osmpbf::{Element, ElementReader};

use crate::builder::NetworkBuilder;
use crate::error::{Error, Result};
use crate::format::{Meta, Network};

/// Attribution of OpenStreetMap data.
pub const ATTRIBUTION: &str =
    "© OpenStreetMap contributors (ODbL 1.0, https://www.openstreetmap.org/copyright)";

/// Which ways to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Railways.
    Rail,
    /// Main roads.
    Road,
    /// Ferry routes.
    Ferry,
}

impl Kind {
    /// The default network name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Rail => "rail",
            Kind::Road => "road",
            Kind::Ferry => "ferry",
        }
    }
}

/// Typical truck speed by highway class, km/h.
pub const ROAD_SPEEDS_KMH: [(&str, u32); 10] = [
    ("motorway", 90),
    ("motorway_link", 50),
    ("trunk", 80),
    ("trunk_link", 50),
    ("primary", 70),
    ("primary_link", 40),
    ("secondary", 60),
    ("secondary_link", 40),
    ("tertiary", 50),
    ("tertiary_link", 30),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Both,
    Forward,
    Backward,
}

/// A railway freight trains do not use: tagged for passengers only, or a high-speed line
/// (`highspeed=yes`, `maxspeed` ≥ 250 km/h) not tagged for freight or mixed traffic. Upgraded
/// mixed-traffic lines (`highspeed=yes` up to 230 km/h, or tagged `mixed`) are kept.
pub fn passenger_only(tags: &HashMap<&str, &str>) -> bool {
    match tags.get("railway:traffic_mode").copied() {
        Some("passenger") => return true,
        Some("freight" | "mixed") => return false,
        _ => {}
    }
    let fast = tags
        .get("maxspeed")
        .and_then(|v| v.split(';').next())
        .and_then(|v| v.trim().trim_end_matches(" km/h").parse::<f64>().ok())
        .is_some_and(|v| v >= 250.0);
    tags.get("highspeed") == Some(&"yes") && fast
}

/// What to do with a way: its tag string and direction, or `None` to skip it.
fn classify<'a>(
    kind: Kind,
    tags: impl Iterator<Item = (&'a str, &'a str)>,
) -> Option<(String, Direction)> {
    let tags: HashMap<&str, &str> = tags.collect();
    match kind {
        Kind::Rail => {
            let railway = *tags.get("railway")?;
            if !matches!(railway, "rail" | "narrow_gauge") {
                return None;
            }
            if tags.get("usage") == Some(&"tourism") || passenger_only(&tags) {
                return None;
            }
            let gauge = tags.get("gauge").copied().unwrap_or("unknown");
            Some((format!("railway={railway} gauge={gauge}"), Direction::Both))
        }
        Kind::Road => {
            let class = *tags.get("highway")?;
            let speed = ROAD_SPEEDS_KMH.iter().find(|(c, _)| *c == class)?.1;
            let dir = match tags.get("oneway").copied() {
                Some("yes" | "true" | "1") => Direction::Forward,
                Some("-1" | "reverse") => Direction::Backward,
                Some("no" | "false" | "0") => Direction::Both,
                _ if class == "motorway" || tags.get("junction") == Some(&"roundabout") => {
                    Direction::Forward
                }
                _ => Direction::Both,
            };
            Some((format!("highway={class} speed_kmh={speed}"), dir))
        }
        Kind::Ferry => {
            (tags.get("route") == Some(&"ferry")).then(|| ("route=ferry".into(), Direction::Both))
        }
    }
}

/// What an OSM import found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsmReport {
    /// Ways taken.
    pub ways: u64,
    /// Ways skipped (other tags).
    pub ways_skipped: u64,
    /// Segments dropped because a node was missing from the extract.
    pub segments_missing_nodes: u64,
}

fn osm_err(path: &Path, e: osmpbf::Error) -> Error {
    match e.kind() {
        osmpbf::ErrorKind::Io(_) => Error::Input {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        },
        _ => Error::Parse {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            reason: format!("not a readable .osm.pbf: {e}"),
        },
    }
}

/// Imports the ways of `kind` from an `.osm.pbf` file as network `name`.
///
/// # Errors
/// [`Error::Input`] if the file cannot be read, [`Error::Parse`] if it is not PBF, build
/// errors.
pub fn import(
    path: &Path,
    kind: Kind,
    name: &str,
    show_progress: bool,
) -> Result<(Network, OsmReport)> {
    if let Err(source) = std::fs::metadata(path) {
        return Err(Error::Input {
            path: path.to_path_buf(),
            source,
        });
    }
    // Pass 1: the ways we want and the nodes they use.
    let mut ways: Vec<(String, Direction, Vec<i64>)> = Vec::new();
    let mut report = OsmReport::default();
    let reader = ElementReader::from_path(path).map_err(|e| osm_err(path, e))?;
    reader
        .for_each(|el| {
            if let Element::Way(w) = el {
                match classify(kind, w.tags()) {
                    Some((tag, dir)) => {
                        report.ways += 1;
                        ways.push((tag, dir, w.refs().collect()));
                    }
                    None => report.ways_skipped += 1,
                }
            }
        })
        .map_err(|e| osm_err(path, e))?;
    let mut wanted: HashMap<i64, Option<[f64; 2]>> = HashMap::new();
    for (_, _, refs) in &ways {
        for &r in refs {
            wanted.insert(r, None);
        }
    }
    // Pass 2: their coordinates.
    let reader = ElementReader::from_path(path).map_err(|e| osm_err(path, e))?;
    reader
        .for_each(|el| {
            let (id, lat, lon) = match el {
                Element::Node(n) => (n.id(), n.lat(), n.lon()),
                Element::DenseNode(n) => (n.id(), n.lat(), n.lon()),
                _ => return,
            };
            if let Some(slot) = wanted.get_mut(&id) {
                *slot = Some([lat, lon]);
            }
        })
        .map_err(|e| osm_err(path, e))?;
    // Nodes in order of first use, so the file does not depend on hash order.
    let mut b = NetworkBuilder::new();
    let mut index: HashMap<i64, u32> = HashMap::new();
    for (tag, dir, refs) in &ways {
        let tag = b.tag(tag)?;
        let mut prev: Option<u32> = None;
        for (i, r) in refs.iter().enumerate() {
            let node = match (index.get(r), wanted.get(r).copied().flatten()) {
                (Some(&i), _) => Some(i),
                (None, Some([lat, lon])) => {
                    let i = b.add_node(lat, lon)?;
                    index.insert(*r, i);
                    Some(i)
                }
                (None, None) => None,
            };
            match (prev, node) {
                (Some(p), Some(q)) if p != q => match dir {
                    Direction::Both => b.add_edge(p, q, None, tag)?,
                    Direction::Forward => b.add_arc(p, q, None, tag)?,
                    Direction::Backward => b.add_arc(q, p, None, tag)?,
                },
                (Some(_), Some(_)) => {}
                _ if i > 0 => report.segments_missing_nodes += 1,
                _ => {}
            }
            prev = node;
        }
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let meta = Meta {
        name: name.to_string(),
        source: format!("OpenStreetMap extract {file} ({} ways)", kind.name()),
        attribution: ATTRIBUTION.into(),
        written_by: format!("corridor {}", env!("CARGO_PKG_VERSION")),
        ..Meta::default()
    };
    Ok((b.build(meta, show_progress)?, report))
}

#[cfg(test)]
mod freight_tests {
    use super::*;

    fn rail(tags: &[(&'static str, &'static str)]) -> bool {
        classify(Kind::Rail, tags.iter().copied()).is_some()
    }

    #[test]
    fn high_speed_passenger_lines_are_not_freight_lines() {
        let base = [("railway", "rail"), ("gauge", "1435")];
        assert!(rail(&base));
        // A Chinese passenger-dedicated line (e.g. Zhengzhou–Xi'an high-speed).
        assert!(!rail(&[
            ("railway", "rail"),
            ("gauge", "1435"),
            ("highspeed", "yes"),
            ("maxspeed", "350"),
        ]));
        assert!(!rail(&[
            ("railway", "rail"),
            ("railway:traffic_mode", "passenger"),
        ]));
        // Kept: an upgraded mixed line, a fast line tagged mixed, a freight line.
        assert!(rail(&[
            ("railway", "rail"),
            ("highspeed", "yes"),
            ("maxspeed", "200"),
        ]));
        assert!(rail(&[
            ("railway", "rail"),
            ("highspeed", "yes"),
            ("maxspeed", "280"),
            ("railway:traffic_mode", "mixed"),
        ]));
        assert!(rail(&[
            ("railway", "rail"),
            ("railway:traffic_mode", "freight"),
        ]));
        // An unreadable maxspeed is not a reason to drop a line.
        assert!(rail(&[
            ("railway", "rail"),
            ("highspeed", "yes"),
            ("maxspeed", "signals"),
        ]));
    }
}
