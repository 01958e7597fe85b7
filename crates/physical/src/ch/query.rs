//! Point-to-point queries on a [`ContractionHierarchy`]: two upward Dijkstra searches that
//! meet at the highest node of the path, with stall-on-demand, then the shortcuts unpacked.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{ChParts, ContractionHierarchy, ORIGINAL};
use crate::budget::{Budget, Stopped};
use crate::format::Network;
use crate::search::Path;

/// One side's upward arcs (relaxed) or the other side's (used to stall).
#[derive(Clone, Copy)]
pub(crate) struct Arcs<'a> {
    pub(crate) first: &'a [u32],
    pub(crate) head: &'a [u32],
    pub(crate) weight: &'a [u64],
}

impl<'a> Arcs<'a> {
    pub(crate) fn forward(p: &ChParts<'a>) -> Arcs<'a> {
        Arcs {
            first: p.fwd_first,
            head: p.fwd_head,
            weight: p.fwd_weight,
        }
    }
    pub(crate) fn backward(p: &ChParts<'a>) -> Arcs<'a> {
        Arcs {
            first: p.bwd_first,
            head: p.bwd_head,
            weight: p.bwd_weight,
        }
    }
}

/// An upward search: labels (with predecessors) that reset in O(1), and a heap.
#[derive(Debug, Clone)]
pub(crate) struct Up {
    dist: Vec<u64>,
    pred: Vec<[u32; 2]>,
    stamp: Vec<u32>,
    now: u32,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Up {
    pub(crate) fn new(n: usize) -> Up {
        Up {
            dist: vec![0; n],
            pred: vec![[u32::MAX; 2]; n],
            stamp: vec![0; n],
            now: 0,
            heap: BinaryHeap::new(),
        }
    }

    pub(crate) fn start(&mut self, source: u32) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.fill(0);
            self.now = 1;
        }
        self.heap.clear();
        self.set(source, 0, [u32::MAX; 2]);
        self.heap.push(Reverse((0, source)));
    }

    #[inline]
    fn set(&mut self, u: u32, d: u64, pred: [u32; 2]) {
        let i = u as usize;
        self.stamp[i] = self.now;
        self.dist[i] = d;
        self.pred[i] = pred;
    }

    #[inline]
    pub(crate) fn dist(&self, u: u32) -> u64 {
        if self.stamp[u as usize] == self.now {
            self.dist[u as usize]
        } else {
            u64::MAX
        }
    }

    fn min_key(&self) -> u64 {
        self.heap.peek().map_or(u64::MAX, |Reverse((k, _))| *k)
    }

    /// Settles the next node: `Some((node, dist, stalled))`, or `None` when the heap is empty.
    #[inline]
    pub(crate) fn step(&mut self, relax: Arcs<'_>, stall: Arcs<'_>) -> Option<(u32, u64, bool)> {
        loop {
            let Reverse((d, u)) = self.heap.pop()?;
            if d > self.dist(u) {
                continue;
            }
            let ui = u as usize;
            // Stall on demand: a higher node reaches u more cheaply by a downward arc, so u is
            // not on a shortest up-path and need not be expanded.
            for a in stall.first[ui] as usize..stall.first[ui + 1] as usize {
                let dx = self.dist(stall.head[a]);
                if dx != u64::MAX && dx + stall.weight[a] < d {
                    return Some((u, d, true));
                }
            }
            for a in relax.first[ui] as usize..relax.first[ui + 1] as usize {
                let x = relax.head[a];
                let nd = d + relax.weight[a];
                if nd < self.dist(x) {
                    self.set(x, nd, [u, a as u32]);
                    self.heap.push(Reverse((nd, x)));
                }
            }
            return Some((u, d, false));
        }
    }
}

/// A reusable query on one hierarchy (one per thread; the hierarchy itself is shared).
#[derive(Debug, Clone)]
pub struct ChQuery {
    fwd: Up,
    bwd: Up,
    settled: usize,
}

impl ChQuery {
    /// A query for a hierarchy of `n` nodes.
    pub fn new(n: usize) -> ChQuery {
        ChQuery {
            fwd: Up::new(n),
            bwd: Up::new(n),
            settled: 0,
        }
    }

    /// Runs both searches between CH nodes; returns the length and the meeting node.
    fn run(
        &mut self,
        p: &ChParts<'_>,
        s: u32,
        t: u32,
        budget: &Budget,
    ) -> Result<Option<(u64, u32)>, Stopped> {
        let (f_arcs, b_arcs) = (Arcs::forward(p), Arcs::backward(p));
        self.fwd.start(s);
        self.bwd.start(t);
        self.settled = 0;
        let mut best = (u64::MAX, u32::MAX);
        let mut ticks = 0;
        loop {
            let (kf, kb) = (self.fwd.min_key(), self.bwd.min_key());
            if kf.min(kb) >= best.0 {
                break;
            }
            let (side, other, relax, stall) = if kf <= kb {
                (&mut self.fwd, &self.bwd, f_arcs, b_arcs)
            } else {
                (&mut self.bwd, &self.fwd, b_arcs, f_arcs)
            };
            // None: only stale entries were left on this side; its heap is empty now.
            let Some((u, d, _)) = side.step(relax, stall) else {
                continue;
            };
            self.settled += 1;
            budget.tick(&mut ticks)?;
            let o = other.dist(u);
            if o != u64::MAX && d + o < best.0 {
                best = (d + o, u);
            }
        }
        Ok((best.0 != u64::MAX).then_some(best))
    }

    /// The length of the shortest path between network nodes `source` and `target`, metres.
    ///
    /// # Panics
    /// If a node is not a node of the hierarchy's network.
    pub fn distance(&mut self, ch: &ContractionHierarchy, source: u32, target: u32) -> Option<u64> {
        let p = ch.parts();
        let (s, t) = (p.rank[source as usize], p.rank[target as usize]);
        self.run(&p, s, t, &Budget::unlimited())
            .unwrap_or(None)
            .map(|(d, _)| d)
    }

    /// Nodes settled by the last query (both directions).
    pub fn settled(&self) -> usize {
        self.settled
    }

    /// The shortest path between network nodes `source` and `target`, with the shortcuts
    /// unpacked into the network's nodes and arcs.
    ///
    /// # Panics
    /// If `ch` was not built for `net` or a node is not one of its nodes.
    pub fn path(
        &mut self,
        net: &Network,
        ch: &ContractionHierarchy,
        source: u32,
        target: u32,
    ) -> Option<Path> {
        self.path_within(net, ch, source, target, &Budget::unlimited())
            .unwrap_or(None)
    }

    /// As [`ChQuery::path`], stopping when `budget` runs out.
    ///
    /// # Errors
    /// [`Stopped`] when the budget's flag is raised or its deadline passes first.
    ///
    /// # Panics
    /// As [`ChQuery::path`].
    pub fn path_within(
        &mut self,
        net: &Network,
        ch: &ContractionHierarchy,
        source: u32,
        target: u32,
        budget: &Budget,
    ) -> Result<Option<Path>, Stopped> {
        let p = ch.parts();
        let (s, t) = (p.rank[source as usize], p.rank[target as usize]);
        let Some((length_m, meet)) = self.run(&p, s, t, budget)? else {
            return Ok(None);
        };
        // Up arcs from s to the meeting node, then from the meeting node down to t.
        let mut up = Vec::new();
        let mut u = meet;
        while u != s {
            let [prev, a] = self.fwd.pred[u as usize];
            up.push((prev, u, p.fwd_mid[a as usize]));
            u = prev;
        }
        up.reverse();
        let mut u = meet;
        while u != t {
            let [next, a] = self.bwd.pred[u as usize];
            up.push((u, next, p.bwd_mid[a as usize]));
            u = next;
        }
        let mut arcs = Vec::new();
        for (x, y, mid) in up {
            unpack(&p, x, y, mid, &mut arcs);
        }
        let head = net.parts().head;
        let mut nodes = Vec::with_capacity(arcs.len() + 1);
        nodes.push(source);
        nodes.extend(arcs.iter().map(|&a| head[a as usize]));
        Ok(Some(Path {
            length_m,
            nodes,
            arcs,
            settled: self.settled,
        }))
    }
}

/// The arcs of middle node `mid` that shortcut `x → y` stands for: its backward arc to `x`
/// (`x → mid`, `x` above it) and its forward arc to `y` (`mid → y`); `None` if either is
/// missing (checked for every shortcut when a hierarchy is opened).
pub(crate) fn shortcut_arcs(p: &ChParts<'_>, x: u32, y: u32, mid: u32) -> Option<(usize, usize)> {
    let m = mid as usize;
    let find = |first: &[u32], head: &[u32], h: u32| {
        let (a, b) = (*first.get(m)? as usize, *first.get(m + 1)? as usize);
        Some(a + head.get(a..b)?.binary_search(&h).ok()?)
    };
    Some((
        find(p.bwd_first, p.bwd_head, x)?,
        find(p.fwd_first, p.fwd_head, y)?,
    ))
}

/// Appends the network arcs that arc `x → y` (middle `mid`) stands for.
fn unpack(p: &ChParts<'_>, x: u32, y: u32, mid: u32, out: &mut Vec<u32>) {
    if mid & ORIGINAL != 0 {
        out.push(mid & !ORIGINAL);
        return;
    }
    // Every shortcut's arcs were found when the hierarchy was opened (`validate`).
    let Some((a, b)) = shortcut_arcs(p, x, y, mid) else {
        debug_assert!(false, "shortcut arcs checked at open");
        return;
    };
    unpack(p, x, mid, p.bwd_mid[a], out);
    unpack(p, mid, y, p.fwd_mid[b], out);
}
