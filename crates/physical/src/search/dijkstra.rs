//! Plain one-directional Dijkstra: the reference the faster searches are tested against.

use super::heap::MinHeap;
use super::{unwind_forward, Labels, Path, TagFilter};
use crate::budget::{Budget, Stopped};
use crate::format::Network;

/// A reusable Dijkstra query.
#[derive(Debug, Clone)]
pub struct Dijkstra {
    labels: Labels,
    heap: MinHeap,
    filter: TagFilter,
}

impl Dijkstra {
    /// Skips arcs whose tag `filter` blocks, from the next query on.
    pub fn set_filter(&mut self, filter: TagFilter) {
        self.filter = filter;
    }

    /// A query for networks of `n` nodes.
    pub fn new(n: usize) -> Dijkstra {
        Dijkstra {
            labels: Labels::new(n),
            heap: MinHeap::default(),
            filter: TagFilter::default(),
        }
    }

    /// Settles nodes from `source` until `target` (or everything, if `None`); returns the
    /// number of settled nodes. Distances are then available through [`Dijkstra::distance`].
    pub fn run(&mut self, net: &Network, source: u32, target: Option<u32>) -> usize {
        self.run_within(net, source, target, &Budget::unlimited())
            .unwrap_or(0)
    }

    /// As [`Dijkstra::run`], stopping when `budget` runs out (the distances are then partial).
    ///
    /// # Errors
    /// [`Stopped`] when the budget's flag is raised or its deadline passes first.
    pub fn run_within(
        &mut self,
        net: &Network,
        source: u32,
        target: Option<u32>,
        budget: &Budget,
    ) -> Result<usize, Stopped> {
        let g = net.parts();
        self.labels.reset();
        self.heap.clear();
        self.labels.set(source, 0, super::NO_ARC);
        self.heap.push(0, source);
        let mut settled = 0;
        let mut ticks = 0;
        while let Some((d, u)) = self.heap.pop() {
            if d > self.labels.dist(u) {
                continue;
            }
            settled += 1;
            budget.tick(&mut ticks)?;
            if Some(u) == target {
                break;
            }
            let (a, b) = (g.first_out[u as usize], g.first_out[u as usize + 1]);
            for arc in a..b {
                if !self.filter.allows(g.tag[arc as usize]) {
                    continue;
                }
                let v = g.head[arc as usize];
                let nd = d + g.length_m[arc as usize] as u64;
                if nd < self.labels.dist(v) {
                    self.labels.set(v, nd, arc);
                    self.heap.push(nd, v);
                }
            }
        }
        Ok(settled)
    }

    /// Distance to `node` found by the last [`Dijkstra::run`], metres.
    pub fn distance(&self, node: u32) -> Option<u64> {
        Some(self.labels.dist(node)).filter(|&d| d != u64::MAX)
    }

    /// The shortest path from `source` to `target`.
    pub fn path(&mut self, net: &Network, source: u32, target: u32) -> Option<Path> {
        let settled = self.run(net, source, Some(target));
        let length_m = self.distance(target)?;
        let (nodes, arcs) = unwind_forward(net, &self.labels, target);
        Some(Path {
            length_m,
            nodes,
            arcs,
            settled,
        })
    }
}
