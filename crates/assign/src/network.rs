//! The assignment network: links with BPR parameters, zones, and a forward-star (CSR) index
//! for the shortest-path searches; and the demand between zones.

use crate::Error;

/// One directed link. Nodes are 0-based here (TNTP's node `n` is index `n - 1`).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Tail node (0-based).
    pub from: u32,
    /// Head node (0-based).
    pub to: u32,
    /// Capacity in the BPR function, in the demand's unit per period.
    pub capacity: f64,
    /// Free-flow time (the BPR `t0`).
    pub free_flow_time: f64,
    /// BPR `b` (alpha in some texts): t = t0 · (1 + b · (x / capacity)^power).
    pub b: f64,
    /// BPR power.
    pub power: f64,
    /// Length (distance unit of the source).
    pub length: f64,
    /// Toll (money unit of the source).
    pub toll: f64,
    /// The delay function: BPR (the TNTP networks) or a queue.
    pub delay: Delay,
    /// Flow of other links that share this link's queue, held fixed (0 for a link of its own):
    /// the queue's delay is that of `preload + x` (see [`Delay::Queue`]). A caller that shares
    /// one capacity among several links iterates the preloads to a fixed point, where every
    /// link of the group sees the group's utilisation.
    pub preload: f64,
}

/// How a link's cost grows with its flow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delay {
    /// BPR: t = t0 · (1 + b · (x / capacity)^power) (Bureau of Public Roads 1964).
    #[default]
    Bpr,
    /// A queue ahead of a server of `capacity`: t = t0 + b · ρ / (1 − ρ), ρ = x / capacity,
    /// the M/D/1 waiting time (Pollaczek–Khinchine) when `b` is half the service time of one
    /// batch (a train, a sailing). Continued beyond ρ = [`QUEUE_RHO_MAX`] (where a
    /// steady-state queue would grow without bound) as its second-order Taylor polynomial at
    /// that point, so costs stay finite, convex and smooth when demand exceeds capacity.
    /// `power` is not used.
    Queue,
}

/// Utilisation beyond which the queue delay [`Delay::Queue`] continues as a polynomial.
pub const QUEUE_RHO_MAX: f64 = 0.95;

/// Weights that turn toll and length into generalised cost added to the BPR time:
/// cost = t(x) + toll · `toll` + length · `distance`. TNTP networks state them in their README
/// (most use 0 and 0, the default).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct CostWeights {
    /// Cost per unit of toll.
    pub toll: f64,
    /// Cost per unit of length.
    pub distance: f64,
}

/// A checked network with its forward-star index.
#[derive(Debug, Clone)]
pub struct Network {
    node_count: usize,
    zone_count: usize,
    first_thru_node: usize,
    links: Vec<Link>,
    first_out: Vec<u32>,
    out_links: Vec<u32>,
    /// Head node of each forward-star slot (`links[out_links[s]].to`), so the searches read
    /// one contiguous array instead of the links.
    heads: Vec<u32>,
    /// Whether the searches must expand each node: false below the first thru node and for
    /// nodes whose only neighbour (in and out) is one other node, such as zones hanging on one
    /// connector pair, since a path through them would only come back where it was.
    expand: Vec<bool>,
}

impl Network {
    /// Checks the links and builds the index. Zones are nodes `0..zone_count`; nodes with a
    /// 0-based index below `first_thru_node` (TNTP's FIRST THRU NODE minus one) may start or end
    /// a path but not be passed through.
    pub fn new(
        node_count: usize,
        zone_count: usize,
        first_thru_node: usize,
        links: Vec<Link>,
    ) -> Result<Network, Error> {
        if zone_count > node_count {
            return Err(Error::invalid(
                "zones",
                format!(
                    "{zone_count} zones but only {node_count} nodes; zones are the first nodes"
                ),
            ));
        }
        if node_count >= u32::MAX as usize || links.len() >= u32::MAX as usize {
            return Err(Error::invalid(
                "network",
                "more than 2^32 - 1 nodes or links",
            ));
        }
        for (i, l) in links.iter().enumerate() {
            if let Some(m) = link_problem(l, node_count) {
                return Err(Error::invalid(
                    format!("link {i} ({} -> {})", l.from + 1, l.to + 1),
                    m,
                ));
            }
        }
        let mut first_out = vec![0u32; node_count + 1];
        for l in &links {
            first_out[l.from as usize + 1] += 1;
        }
        for v in 0..node_count {
            first_out[v + 1] += first_out[v];
        }
        let mut next = first_out.clone();
        let mut out_links = vec![0u32; links.len()];
        for (i, l) in links.iter().enumerate() {
            let slot = &mut next[l.from as usize];
            out_links[*slot as usize] = i as u32;
            *slot += 1;
        }
        let heads = out_links.iter().map(|&a| links[a as usize].to).collect();
        let expand = expandable(node_count, first_thru_node, &links);
        Ok(Network {
            node_count,
            zone_count,
            first_thru_node,
            links,
            first_out,
            out_links,
            heads,
            expand,
        })
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// Number of zones (the first nodes).
    pub fn zone_count(&self) -> usize {
        self.zone_count
    }

    /// 0-based index of the first node that paths may pass through (TNTP FIRST THRU NODE − 1).
    pub fn first_thru_node(&self) -> usize {
        self.first_thru_node
    }

    /// The links, in input order (flows and costs are reported in this order).
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// Ids of the links leaving `node`.
    #[inline]
    pub fn out_links(&self, node: usize) -> &[u32] {
        &self.out_links[self.first_out[node] as usize..self.first_out[node + 1] as usize]
    }

    /// Forward-star slots of the links leaving `node` (indices into [`Self::slot_links`] and
    /// [`Self::slot_heads`]).
    #[inline]
    pub(crate) fn slots(&self, node: usize) -> std::ops::Range<usize> {
        self.first_out[node] as usize..self.first_out[node + 1] as usize
    }

    /// Link id of every forward-star slot.
    #[inline]
    pub(crate) fn slot_links(&self) -> &[u32] {
        &self.out_links
    }

    /// Head node of every forward-star slot.
    #[inline]
    pub(crate) fn slot_heads(&self) -> &[u32] {
        &self.heads
    }

    /// Whether a shortest path may need to pass through `node`: it is passable and has at least
    /// two distinct neighbours.
    #[inline]
    pub(crate) fn expands(&self, node: usize) -> bool {
        self.expand[node]
    }

    /// Whether a path may continue from `node` (it is not a zone below the first thru node).
    #[inline]
    pub fn passable(&self, node: usize) -> bool {
        node >= self.first_thru_node
    }
}

/// For each node, whether shortest-path searches must expand it (see `Network::expand`).
fn expandable(node_count: usize, first_thru_node: usize, links: &[Link]) -> Vec<bool> {
    const NO: u32 = u32::MAX;
    const MANY: u32 = u32::MAX - 1;
    // the one neighbour seen so far, or NO, or MANY
    let mut neighbour = vec![NO; node_count];
    let mut see = |v: u32, w: u32| {
        let n = &mut neighbour[v as usize];
        if *n == NO {
            *n = w;
        } else if *n != w {
            *n = MANY;
        }
    };
    for l in links {
        see(l.from, l.to);
        see(l.to, l.from);
    }
    (0..node_count)
        .map(|v| v >= first_thru_node && neighbour[v] == MANY)
        .collect()
}

/// What is wrong with a link, if anything (shared with the TNTP reader for its file:line errors).
pub(crate) fn link_problem(l: &Link, node_count: usize) -> Option<String> {
    let finite_nonneg = |v: f64| v.is_finite() && v >= 0.0;
    if l.from as usize >= node_count || l.to as usize >= node_count {
        return Some(format!(
            "unknown node: the network has nodes 1..={node_count}; fix the node id or NUMBER OF NODES"
        ));
    }
    if !finite_nonneg(l.free_flow_time) {
        return Some(format!(
            "free-flow time {} must be a finite number >= 0",
            l.free_flow_time
        ));
    }
    if !finite_nonneg(l.b) || !finite_nonneg(l.power) {
        return Some(format!(
            "BPR b {} and power {} must be finite numbers >= 0",
            l.b, l.power
        ));
    }
    if !(l.preload.is_finite() && l.preload >= 0.0) {
        return Some(format!(
            "preload {} must be a finite number >= 0",
            l.preload
        ));
    }
    if l.preload > 0.0 && l.delay != Delay::Queue {
        return Some("a preload applies to queue links only".into());
    }
    if l.delay == Delay::Queue && l.b > 0.0 && !(l.capacity.is_finite() && l.capacity > 0.0) {
        return Some(format!(
            "capacity {} must be > 0 where the queue delay uses it (b = {}); give the capacity or set b to 0",
            l.capacity, l.b
        ));
    }
    if l.b > 0.0 && l.free_flow_time > 0.0 && !(l.capacity.is_finite() && l.capacity > 0.0) {
        return Some(format!(
            "capacity {} must be > 0 where the BPR function uses it (b = {}); give the capacity or set b to 0",
            l.capacity, l.b
        ));
    }
    if !l.toll.is_finite() || !l.length.is_finite() {
        return Some("toll and length must be finite numbers".into());
    }
    None
}

/// Demand between zones, grouped by origin.
#[derive(Debug, Clone, Default)]
pub struct Demand {
    zone_count: usize,
    /// For each origin zone: (destination zone, flow), flows > 0.
    by_origin: Vec<Vec<(u32, f64)>>,
}

impl Demand {
    /// Empty demand over `zone_count` zones.
    pub fn new(zone_count: usize) -> Demand {
        Demand {
            zone_count,
            by_origin: vec![Vec::new(); zone_count],
        }
    }

    /// Adds `flow` from zone `origin` to zone `destination` (0-based). Zero flows and flows from a
    /// zone to itself are ignored; a pair added twice is two demands on the same pair (their
    /// sum is assigned); negative, NaN or infinite flows are errors.
    pub fn add(&mut self, origin: usize, destination: usize, flow: f64) -> Result<(), Error> {
        if !(flow.is_finite() && flow >= 0.0) {
            return Err(Error::invalid(
                format!("demand {} -> {}", origin + 1, destination + 1),
                format!("{flow} is not a finite number >= 0"),
            ));
        }
        if origin >= self.zone_count || destination >= self.zone_count {
            return Err(Error::invalid(
                format!("demand {} -> {}", origin + 1, destination + 1),
                format!("unknown zone: zones are 1..={}", self.zone_count),
            ));
        }
        if flow > 0.0 && origin != destination {
            self.by_origin[origin].push((destination as u32, flow));
        }
        Ok(())
    }

    /// Number of zones.
    pub fn zone_count(&self) -> usize {
        self.zone_count
    }

    /// The (destination, flow) pairs of `origin`.
    pub fn from_origin(&self, origin: usize) -> &[(u32, f64)] {
        &self.by_origin[origin]
    }

    /// Sum of all flows.
    pub fn total(&self) -> f64 {
        self.by_origin.iter().flatten().map(|(_, f)| f).sum()
    }
}
