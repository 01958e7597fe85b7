//! A* with the great-circle distance to the target as the estimate.
//!
//! Arc lengths are at least the great-circle length of the arc (the builder raises shorter
//! ones), so the estimate never overestimates. It is floored to whole metres and lowered by
//! one metre to absorb floating-point error, and nodes may be settled again if a shorter
//! path to them appears, so the answer equals Dijkstra's.

use super::heap::MinHeap;
use super::{unwind_forward, Labels, Path, TagFilter};
use crate::budget::{Budget, Stopped};
use crate::format::Network;
use crate::geodesy::haversine_m;

/// A reusable A* query.
#[derive(Debug, Clone)]
pub struct AStar {
    labels: Labels,
    heap: MinHeap,
    filter: TagFilter,
}

impl AStar {
    /// Skips arcs whose tag `filter` blocks, from the next query on.
    pub fn set_filter(&mut self, filter: TagFilter) {
        self.filter = filter;
    }

    /// A query for networks of `n` nodes.
    pub fn new(n: usize) -> AStar {
        AStar {
            labels: Labels::new(n),
            heap: MinHeap::default(),
            filter: TagFilter::default(),
        }
    }

    /// The shortest path from `source` to `target`.
    pub fn path(&mut self, net: &Network, source: u32, target: u32) -> Option<Path> {
        self.path_within(net, source, target, &Budget::unlimited())
            .unwrap_or(None)
    }

    /// As [`AStar::path`], stopping when `budget` runs out.
    ///
    /// # Errors
    /// [`Stopped`] when the budget's flag is raised or its deadline passes first.
    pub fn path_within(
        &mut self,
        net: &Network,
        source: u32,
        target: u32,
        budget: &Budget,
    ) -> Result<Option<Path>, Stopped> {
        let g = net.parts();
        let [tlat, tlon] = g.lat_lon[target as usize];
        let h = |u: u32| -> u64 {
            let [lat, lon] = g.lat_lon[u as usize];
            (haversine_m(lat, lon, tlat, tlon).floor() as u64).saturating_sub(1)
        };
        self.labels.reset();
        self.heap.clear();
        self.labels.set(source, 0, super::NO_ARC);
        self.heap.push(h(source), source);
        let mut settled = 0;
        let mut ticks = 0;
        while let Some((key, u)) = self.heap.pop() {
            let d = self.labels.dist(u);
            // Stale entry: the node was reached more cheaply since.
            if key != d + h(u) {
                continue;
            }
            settled += 1;
            budget.tick(&mut ticks)?;
            if u == target {
                let (nodes, arcs) = unwind_forward(net, &self.labels, target);
                return Ok(Some(Path {
                    length_m: d,
                    nodes,
                    arcs,
                    settled,
                }));
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
                    self.heap.push(nd + h(v), v);
                }
            }
        }
        Ok(None)
    }
}
