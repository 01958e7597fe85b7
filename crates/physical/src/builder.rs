//! [`NetworkBuilder`]: nodes and arcs from an importer, checked, sorted and frozen into a
//! [`Network`] (CSR arrays, reverse arrays, components).

use std::collections::HashMap;

use crate::components;
use crate::error::{Error, Result};
use crate::format::{Meta, Network};
use crate::geodesy::haversine_m;
use crate::progress;

/// Tag id of an arc without tags.
pub const NO_TAG: u16 = 0;

/// Nodes and arcs as an importer finds them. [`NetworkBuilder::build`] checks them and
/// freezes them into a [`Network`].
///
/// Arc lengths are raised to at least the great-circle distance between their ends (rounded
/// up to the metre), so that the A* heuristic stays a lower bound; the build report says how
/// many arcs that touched and by how much.
#[derive(Debug, Default, Clone)]
pub struct NetworkBuilder {
    lat_lon: Vec<[f64; 2]>,
    arcs: Vec<RawArc>,
    tags: Vec<String>,
    tag_ids: HashMap<String, u16>,
}

#[derive(Debug, Clone, Copy)]
struct RawArc {
    tail: u32,
    head: u32,
    /// `None`: the great-circle length.
    length_m: Option<f64>,
    tag: u16,
}

/// What [`NetworkBuilder::build`] did to the input.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BuildReport {
    /// Nodes in the network.
    pub nodes: u32,
    /// Arcs in the network (an undirected edge counts twice).
    pub arcs: u32,
    /// Arcs from a node to itself, dropped.
    pub self_loops_dropped: u64,
    /// Parallel arcs dropped (the shortest is kept).
    pub duplicates_dropped: u64,
    /// Arcs shorter than the great-circle distance between their ends, raised to it.
    pub arcs_raised: u64,
    /// Total length added by raising, metres.
    pub raised_m: f64,
    /// Total length of all arcs, km.
    pub total_km: f64,
    /// Connected components (arcs taken as undirected).
    pub components: components::ComponentStats,
}

impl NetworkBuilder {
    /// An empty builder; tag 0 means "no tag".
    pub fn new() -> NetworkBuilder {
        let mut b = NetworkBuilder::default();
        b.tags.push(String::new());
        b.tag_ids.insert(String::new(), NO_TAG);
        b
    }

    /// A builder holding the nodes, arcs (with their stored lengths) and tags of `net`, to
    /// add to and build again.
    ///
    /// # Errors
    /// As [`NetworkBuilder::add_node`] (not for a network that opened).
    pub fn from_network(net: &Network) -> Result<NetworkBuilder> {
        let mut b = NetworkBuilder::new();
        for t in net.meta().tags.iter().skip(1) {
            b.tag(t)?;
        }
        let g = net.parts();
        for &[lat, lon] in g.lat_lon {
            b.add_node(lat, lon)?;
        }
        b.arcs.reserve(g.head.len());
        for u in 0..net.node_count() {
            for a in g.first_out[u] as usize..g.first_out[u + 1] as usize {
                b.add_arc(u as u32, g.head[a], Some(g.length_m[a] as f64), g.tag[a])?;
            }
        }
        Ok(b)
    }

    /// Number of nodes added so far.
    pub fn node_count(&self) -> usize {
        self.lat_lon.len()
    }

    /// Number of arcs added so far.
    pub fn arc_count(&self) -> usize {
        self.arcs.len()
    }

    /// Adds a node and returns its index.
    ///
    /// # Errors
    /// [`Error::InvalidNetwork`] for coordinates out of range or too many nodes.
    pub fn add_node(&mut self, lat: f64, lon: f64) -> Result<u32> {
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(Error::InvalidNetwork {
                reason: format!(
                    "node {} has coordinates lat {lat}, lon {lon} out of range",
                    self.lat_lon.len()
                ),
            });
        }
        let id = u32::try_from(self.lat_lon.len())
            .ok()
            .filter(|&i| i < u32::MAX)
            .ok_or_else(|| Error::InvalidNetwork {
                reason: "more than 4 294 967 294 nodes".into(),
            })?;
        self.lat_lon.push([lat, lon]);
        Ok(id)
    }

    /// The id of a tag string (`passage=suez`, `railway=rail gauge=1520`), interned.
    ///
    /// # Errors
    /// [`Error::InvalidNetwork`] past 65 535 distinct tags.
    pub fn tag(&mut self, tag: &str) -> Result<u16> {
        if let Some(&t) = self.tag_ids.get(tag) {
            return Ok(t);
        }
        let id = u16::try_from(self.tags.len()).map_err(|_| Error::InvalidNetwork {
            reason: "more than 65 535 distinct arc tags".into(),
        })?;
        self.tags.push(tag.to_string());
        self.tag_ids.insert(tag.to_string(), id);
        Ok(id)
    }

    /// Adds a directed arc. `length_m` = `None` takes the great-circle length.
    ///
    /// # Units
    /// Metres.
    ///
    /// # Errors
    /// [`Error::InvalidNetwork`] for an unknown node, an unknown tag or a negative or
    /// non-finite length.
    pub fn add_arc(&mut self, tail: u32, head: u32, length_m: Option<f64>, tag: u16) -> Result<()> {
        let n = self.lat_lon.len();
        if tail as usize >= n || head as usize >= n {
            return Err(Error::InvalidNetwork {
                reason: format!("arc {tail}→{head} names a node that does not exist ({n} nodes)"),
            });
        }
        if tag as usize >= self.tags.len() {
            return Err(Error::InvalidNetwork {
                reason: format!("arc {tail}→{head} has unknown tag {tag}"),
            });
        }
        if let Some(l) = length_m.filter(|l| !(l.is_finite() && *l >= 0.0)) {
            return Err(Error::InvalidNetwork {
                reason: format!("arc {tail}→{head} has length {l} m"),
            });
        }
        self.arcs.push(RawArc {
            tail,
            head,
            length_m,
            tag,
        });
        Ok(())
    }

    /// Adds an arc each way.
    ///
    /// # Errors
    /// As [`NetworkBuilder::add_arc`].
    pub fn add_edge(&mut self, a: u32, b: u32, length_m: Option<f64>, tag: u16) -> Result<()> {
        self.add_arc(a, b, length_m, tag)?;
        self.add_arc(b, a, length_m, tag)
    }

    /// Checks, sorts and freezes the network; fills `meta.tags`, `meta.report`.
    ///
    /// # Errors
    /// [`Error::InvalidNetwork`] for an arc longer than 4 294 km (the format stores whole
    /// metres in 32 bits) or more than 4 294 967 295 arcs.
    pub fn build(self, mut meta: Meta, show_progress: bool) -> Result<Network> {
        let NetworkBuilder {
            lat_lon,
            mut arcs,
            tags,
            ..
        } = self;
        let mut report = BuildReport::default();
        let bar = progress::bar(arcs.len() as u64, "checking arcs", show_progress);
        let mut kept: Vec<(u32, u32, u32, u16)> = Vec::with_capacity(arcs.len());
        for (i, a) in arcs.iter().enumerate() {
            if i % 65_536 == 0 {
                bar.set_position(i as u64);
            }
            if a.tail == a.head {
                report.self_loops_dropped += 1;
                continue;
            }
            let [lat1, lon1] = lat_lon[a.tail as usize];
            let [lat2, lon2] = lat_lon[a.head as usize];
            let gc = haversine_m(lat1, lon1, lat2, lon2).ceil();
            let mut len = a.length_m.map_or(gc, f64::round);
            if len < gc {
                report.arcs_raised += 1;
                report.raised_m += gc - len;
                len = gc;
            }
            if len > u32::MAX as f64 {
                return Err(Error::InvalidNetwork {
                    reason: format!(
                        "arc {}→{} is {:.0} km long; the format stores at most 4 294 km per arc (split it)",
                        a.tail,
                        a.head,
                        len / 1000.0
                    ),
                });
            }
            kept.push((a.tail, a.head, len as u32, a.tag));
        }
        bar.finish_and_clear();
        arcs.clear();
        arcs.shrink_to_fit();
        kept.sort_unstable();
        let before = kept.len();
        kept.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
        report.duplicates_dropped = (before - kept.len()) as u64;
        let m = u32::try_from(kept.len()).map_err(|_| Error::InvalidNetwork {
            reason: "more than 4 294 967 295 arcs".into(),
        })?;
        let n = lat_lon.len();
        // Forward CSR.
        let mut first_out = vec![0u32; n + 1];
        for a in &kept {
            first_out[a.0 as usize + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        let head: Vec<u32> = kept.iter().map(|a| a.1).collect();
        let length_m: Vec<u32> = kept.iter().map(|a| a.2).collect();
        let tag: Vec<u16> = kept.iter().map(|a| a.3).collect();
        report.total_km = length_m.iter().map(|&l| l as f64).sum::<f64>() / 1000.0;
        // Backward CSR: arcs grouped by head.
        let mut first_in = vec![0u32; n + 1];
        for a in &kept {
            first_in[a.1 as usize + 1] += 1;
        }
        for i in 0..n {
            first_in[i + 1] += first_in[i];
        }
        let mut fill = first_in.clone();
        let mut back_tail = vec![0u32; m as usize];
        let mut back_arc = vec![0u32; m as usize];
        for (arc, a) in kept.iter().enumerate() {
            let slot = fill[a.1 as usize] as usize;
            fill[a.1 as usize] += 1;
            back_tail[slot] = a.0;
            back_arc[slot] = arc as u32;
        }
        drop(kept);
        let (component, stats) = components::weak(n, &first_out, &head);
        report.nodes = n as u32;
        report.arcs = m;
        report.components = stats;
        meta.tags = tags;
        meta.report = report;
        Network::from_parts(
            meta,
            crate::format::Parts {
                lat_lon: &lat_lon,
                first_out: &first_out,
                head: &head,
                length_m: &length_m,
                tag: &tag,
                first_in: &first_in,
                back_tail: &back_tail,
                back_arc: &back_arc,
                component: &component,
            },
        )
    }
}
