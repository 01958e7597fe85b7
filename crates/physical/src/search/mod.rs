//! Point-to-point shortest paths on a [`Network`]: plain Dijkstra (the reference),
//! bidirectional Dijkstra, and A* with a great-circle lower bound.
//!
//! Each algorithm is a query object that owns its buffers and can be reused for many
//! queries on the same network (the network itself is read-only and can be shared).
//!
//! # Units
//! Lengths are metres (`u64`).

mod astar;
mod bidir;
mod dijkstra;
mod heap;

pub use astar::AStar;
pub use bidir::BiDijkstra;
pub use dijkstra::Dijkstra;

use crate::format::Network;

/// A shortest path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// Length, metres.
    pub length_m: u64,
    /// Nodes from source to target (the source alone when they are equal).
    pub nodes: Vec<u32>,
    /// Arcs (forward arc ids), one fewer than nodes.
    pub arcs: Vec<u32>,
    /// Nodes settled by the search (a measure of its work).
    pub settled: usize,
}

/// Which algorithm to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// One-directional Dijkstra.
    Dijkstra,
    /// Dijkstra from both ends, meeting in the middle.
    Bidirectional,
    /// A* with the great-circle distance to the target as the lower bound.
    #[default]
    AStar,
}

impl Algorithm {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Dijkstra => "dijkstra",
            Algorithm::Bidirectional => "bidirectional",
            Algorithm::AStar => "astar",
        }
    }
}

/// The shortest path from `source` to `target` with a fresh query object, or `None` if the
/// target cannot be reached.
///
/// # Panics
/// If `source` or `target` is not a node of `net` (a programming error: snap first).
pub fn shortest_path(net: &Network, source: u32, target: u32, algo: Algorithm) -> Option<Path> {
    shortest_path_with(net, source, target, algo, &TagFilter::default())
}

/// As [`shortest_path`], skipping arcs whose tag `filter` blocks.
///
/// # Panics
/// As [`shortest_path`].
pub fn shortest_path_with(
    net: &Network,
    source: u32,
    target: u32,
    algo: Algorithm,
    filter: &TagFilter,
) -> Option<Path> {
    let n = net.node_count();
    match algo {
        Algorithm::Dijkstra => {
            let mut q = Dijkstra::new(n);
            q.set_filter(filter.clone());
            q.path(net, source, target)
        }
        Algorithm::Bidirectional => {
            let mut q = BiDijkstra::new(n);
            q.set_filter(filter.clone());
            q.path(net, source, target)
        }
        Algorithm::AStar => {
            let mut q = AStar::new(n);
            q.set_filter(filter.clone());
            q.path(net, source, target)
        }
    }
}

/// Which arc tags a search may not use (e.g. `passage=northwest`). The default blocks none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagFilter {
    blocked: Vec<bool>,
}

impl TagFilter {
    /// Blocks the arcs of `net` whose tag is one of `tags` (tags the network lacks are
    /// ignored).
    pub fn blocking(net: &Network, tags: &[&str]) -> TagFilter {
        let blocked: Vec<bool> = net
            .meta()
            .tags
            .iter()
            .map(|t| tags.contains(&t.as_str()))
            .collect();
        if blocked.iter().any(|&b| b) {
            TagFilter { blocked }
        } else {
            TagFilter::default()
        }
    }

    /// Whether arcs with tag id `tag` may be used.
    #[inline]
    pub fn allows(&self, tag: u16) -> bool {
        !self.blocked.get(tag as usize).copied().unwrap_or(false)
    }

    /// Whether the filter blocks anything.
    pub fn is_empty(&self) -> bool {
        self.blocked.is_empty()
    }
}

/// Per-node labels that reset in O(1) between queries (a timestamp per node).
#[derive(Debug, Clone)]
pub(crate) struct Labels {
    dist: Vec<u64>,
    pred_arc: Vec<u32>,
    stamp: Vec<u32>,
    now: u32,
}

pub(crate) const NO_ARC: u32 = u32::MAX;

impl Labels {
    pub(crate) fn new(n: usize) -> Labels {
        Labels {
            dist: vec![u64::MAX; n],
            pred_arc: vec![NO_ARC; n],
            stamp: vec![0; n],
            now: 0,
        }
    }

    pub(crate) fn reset(&mut self) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.now = 1;
        }
    }

    #[inline]
    pub(crate) fn dist(&self, u: u32) -> u64 {
        if self.stamp[u as usize] == self.now {
            self.dist[u as usize]
        } else {
            u64::MAX
        }
    }

    #[inline]
    pub(crate) fn pred(&self, u: u32) -> u32 {
        if self.stamp[u as usize] == self.now {
            self.pred_arc[u as usize]
        } else {
            NO_ARC
        }
    }

    #[inline]
    pub(crate) fn set(&mut self, u: u32, d: u64, arc: u32) {
        let i = u as usize;
        self.stamp[i] = self.now;
        self.dist[i] = d;
        self.pred_arc[i] = arc;
    }
}

/// Walks forward predecessor arcs back from `target` to the source; returns nodes and arcs in
/// source-to-target order.
pub(crate) fn unwind_forward(net: &Network, labels: &Labels, target: u32) -> (Vec<u32>, Vec<u32>) {
    let g = net.parts();
    let mut nodes = vec![target];
    let mut arcs = Vec::new();
    let mut u = target;
    loop {
        let a = labels.pred(u);
        if a == NO_ARC {
            break;
        }
        arcs.push(a);
        // The tail of forward arc a: the node whose range holds a.
        u = tail_of(g.first_out, a);
        nodes.push(u);
    }
    nodes.reverse();
    arcs.reverse();
    (nodes, arcs)
}

/// The tail of a forward arc (binary search in `first_out`).
pub(crate) fn tail_of(first_out: &[u32], arc: u32) -> u32 {
    // The last u with first_out[u] <= arc (skipping nodes without arcs).
    (first_out.partition_point(|&f| f <= arc) - 1) as u32
}
