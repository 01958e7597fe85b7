//! Bidirectional Dijkstra: a forward search from the source over `first_out`, a backward
//! search from the target over `first_in`, alternating by the smaller queue key; it stops
//! when the two smallest keys add up to at least the best meeting length found.

use super::heap::MinHeap;
use super::{unwind_forward, Labels, Path, TagFilter, NO_ARC};
use crate::format::Network;

/// A reusable bidirectional Dijkstra query.
#[derive(Debug, Clone)]
pub struct BiDijkstra {
    fwd: Labels,
    bwd: Labels,
    fheap: MinHeap,
    bheap: MinHeap,
    filter: TagFilter,
}

impl BiDijkstra {
    /// Skips arcs whose tag `filter` blocks, from the next query on.
    pub fn set_filter(&mut self, filter: TagFilter) {
        self.filter = filter;
    }

    /// A query for networks of `n` nodes.
    pub fn new(n: usize) -> BiDijkstra {
        BiDijkstra {
            fwd: Labels::new(n),
            bwd: Labels::new(n),
            fheap: MinHeap::default(),
            bheap: MinHeap::default(),
            filter: TagFilter::default(),
        }
    }

    /// The shortest path from `source` to `target`.
    pub fn path(&mut self, net: &Network, source: u32, target: u32) -> Option<Path> {
        let g = net.parts();
        self.fwd.reset();
        self.bwd.reset();
        self.fheap.clear();
        self.bheap.clear();
        self.fwd.set(source, 0, NO_ARC);
        self.bwd.set(target, 0, NO_ARC);
        self.fheap.push(0, source);
        self.bheap.push(0, target);
        let mut best = if source == target { 0 } else { u64::MAX };
        let mut meet = if source == target { Some(source) } else { None };
        let mut settled = 0;
        loop {
            let (fk, bk) = (self.fheap.peek_key(), self.bheap.peek_key());
            let forward = match (fk, bk) {
                (None, None) => break,
                (Some(f), Some(b)) => {
                    if f.saturating_add(b) >= best {
                        break;
                    }
                    f <= b
                }
                // One side is exhausted: every node it can reach is settled, so nothing
                // better can be found by the other side alone.
                _ => break,
            };
            if forward {
                let Some((d, u)) = self.fheap.pop() else {
                    break;
                };
                if d > self.fwd.dist(u) {
                    continue;
                }
                settled += 1;
                for arc in g.first_out[u as usize]..g.first_out[u as usize + 1] {
                    if !self.filter.allows(g.tag[arc as usize]) {
                        continue;
                    }
                    let v = g.head[arc as usize];
                    let nd = d + g.length_m[arc as usize] as u64;
                    if nd < self.fwd.dist(v) {
                        self.fwd.set(v, nd, arc);
                        self.fheap.push(nd, v);
                    }
                    let other = self.bwd.dist(v);
                    if other != u64::MAX && nd + other < best {
                        best = nd + other;
                        meet = Some(v);
                    }
                }
            } else {
                let Some((d, u)) = self.bheap.pop() else {
                    break;
                };
                if d > self.bwd.dist(u) {
                    continue;
                }
                settled += 1;
                for slot in g.first_in[u as usize]..g.first_in[u as usize + 1] {
                    let v = g.back_tail[slot as usize];
                    let arc = g.back_arc[slot as usize];
                    if !self.filter.allows(g.tag[arc as usize]) {
                        continue;
                    }
                    let nd = d + g.length_m[arc as usize] as u64;
                    if nd < self.bwd.dist(v) {
                        self.bwd.set(v, nd, arc);
                        self.bheap.push(nd, v);
                    }
                    let other = self.fwd.dist(v);
                    if other != u64::MAX && nd + other < best {
                        best = nd + other;
                        meet = Some(v);
                    }
                }
            }
        }
        let meet = meet?;
        let (mut nodes, mut arcs) = unwind_forward(net, &self.fwd, meet);
        let mut u = meet;
        loop {
            let arc = self.bwd.pred(u);
            if arc == NO_ARC {
                break;
            }
            arcs.push(arc);
            u = g.head[arc as usize];
            nodes.push(u);
        }
        Some(Path {
            length_m: best,
            nodes,
            arcs,
            settled,
        })
    }
}
