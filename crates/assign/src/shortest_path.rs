//! Shortest-path trees on the forward-star graph (Dijkstra with an indexed 4-ary heap) and
//! all-or-nothing loading, parallel over origins.
//!
//! The searches read the graph in forward-star (CSR) order: the head node and the cost of the
//! links leaving a node lie side by side. The all-or-nothing loading (and gradient projection)
//! copy the link costs into that order once per round ([`slot_costs`]); their searches do not
//! put nodes that no path passes through (zones below the first thru node, zones hanging on one
//! connector pair) in the heap but only label them from their neighbour, and stop as soon as the
//! last destination is final.

use rayon::prelude::*;

use crate::heap::Heap;
use crate::network::{Demand, Network};

const NONE: u32 = u32::MAX;

/// A reusable shortest-path tree: distance and incoming tree link per node, and the order
/// nodes were settled in.
#[derive(Debug, Clone)]
pub struct Tree {
    /// Distance from the origin (infinite where unreachable).
    pub dist: Vec<f64>,
    /// Link into each node on its shortest path (`u32::MAX` for the origin and unreached nodes).
    pub pred: Vec<u32>,
    /// Nodes in the order they were settled (non-decreasing distance).
    pub order: Vec<u32>,
    heap: Heap,
    /// Nodes given a finite distance by the last search (what the next one resets).
    touched: Vec<u32>,
    /// Nodes labelled but not expanded by the last search (leaves of the tree).
    leaves: Vec<u32>,
    /// `want[v] == stamp`: v is a destination the current search still waits for.
    want: Vec<u32>,
    stamp: u32,
}

impl Tree {
    /// An empty tree for a network of `n` nodes.
    pub fn new(n: usize) -> Tree {
        Tree {
            dist: vec![f64::INFINITY; n],
            pred: vec![NONE; n],
            order: Vec::with_capacity(n),
            heap: Heap::new(n),
            touched: Vec::with_capacity(n),
            leaves: Vec::new(),
            want: vec![0; n],
            stamp: 0,
        }
    }

    /// Grows the tree from `origin` over link costs `cost` (by link id, all >= 0). Nodes below
    /// the first thru node are reached but not passed through (except the origin itself).
    pub fn grow(&mut self, net: &Network, cost: &[f64], origin: usize) {
        let links = net.slot_links();
        self.search(net, origin, |s| cost[links[s] as usize], None, false);
    }

    /// Grows the tree from `origin` over `slot_cost` (the link costs in forward-star order, from
    /// [`slot_costs`]) until every node of `targets` has its final distance; nodes farther away
    /// keep tentative or infinite distances. Nodes no path needs to pass through are labelled
    /// but not expanded; they come last in `order` (still after their tree parent).
    pub(crate) fn grow_to(
        &mut self,
        net: &Network,
        slot_cost: &[f64],
        origin: usize,
        targets: &[(u32, f64)],
    ) {
        self.search(net, origin, |s| slot_cost[s], Some(targets), true);
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            self.dist[v as usize] = f64::INFINITY;
            self.pred[v as usize] = NONE;
        }
        self.touched.clear();
        self.leaves.clear();
        self.order.clear();
        self.heap.clear();
    }

    /// Marks the targets; returns how many distinct ones the search expands, and how many it
    /// only labels (with `leaves`).
    fn mark(&mut self, net: &Network, targets: &[(u32, f64)], leaves: bool) -> (usize, usize) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.want.iter_mut().for_each(|w| *w = 0);
            self.stamp = 1;
        }
        let (mut count, mut labelled) = (0, 0);
        for &(d, _) in targets {
            let w = &mut self.want[d as usize];
            if *w != self.stamp {
                *w = self.stamp;
                if !leaves || net.expands(d as usize) {
                    count += 1;
                } else {
                    labelled += 1;
                }
            }
        }
        (count, labelled)
    }

    /// Dijkstra from `origin`. With `targets`, stops once they are final; with `leaves`, nodes
    /// that `net` does not expand (other than the origin) are labelled without entering the heap.
    #[inline]
    fn search<C: Fn(usize) -> f64>(
        &mut self,
        net: &Network,
        origin: usize,
        cost: C,
        targets: Option<&[(u32, f64)]>,
        leaves: bool,
    ) {
        self.reset();
        // targets to settle, and targets (leaves) still without a label
        let (mut remaining, mut unlabelled) = match targets {
            Some(t) => self.mark(net, t, leaves),
            None => (usize::MAX, usize::MAX),
        };
        let heads = net.slot_heads();
        let links = net.slot_links();
        let first_thru = net.first_thru_node();
        let stop_early = targets.is_some();
        // a distance beyond which every target is final (known once all have labels and the
        // expanded ones are settled)
        let mut horizon = f64::INFINITY;
        // the fields as locals: the loop then keeps their pointers in registers
        let Tree {
            dist,
            pred,
            order,
            heap,
            touched,
            leaves: leaf_list,
            want,
            stamp,
        } = self;
        let stamp = *stamp;
        dist[origin] = 0.0;
        touched.push(origin as u32);
        heap.push_or_decrease(origin as u32, 0.0);
        while let Some((d, v)) = heap.pop() {
            if remaining == 0 && unlabelled == 0 {
                if horizon == f64::INFINITY {
                    // every target has a label, and labels only fall: their largest bounds
                    // the distances still to come
                    horizon = leaf_horizon(dist, targets.unwrap_or_default());
                }
                if d >= horizon {
                    break;
                }
            }
            order.push(v);
            let v = v as usize;
            if stop_early && want[v] == stamp && (!leaves || net.expands(v)) {
                remaining -= 1;
            }
            if v < first_thru && v != origin {
                continue;
            }
            for s in net.slots(v) {
                let w = heads[s] as usize;
                let nd = d + cost(s);
                let dw = dist[w];
                if nd < dw {
                    dist[w] = nd;
                    pred[w] = links[s];
                    if leaves && !net.expands(w) && w != origin {
                        if dw == f64::INFINITY {
                            touched.push(w as u32);
                            leaf_list.push(w as u32);
                            if stop_early && want[w] == stamp {
                                unlabelled -= 1;
                            }
                        }
                        continue;
                    }
                    if dw == f64::INFINITY {
                        touched.push(w as u32);
                    }
                    heap.push_or_decrease(w as u32, nd);
                }
            }
        }
        // leaves last: the loading walks `order` backwards, children before parents
        order.extend_from_slice(leaf_list);
    }

    /// Links of the shortest path to `dest`, origin first; `None` if unreachable.
    pub fn path_to(&self, net: &Network, dest: usize, out: &mut Vec<u32>) -> bool {
        out.clear();
        if !self.dist[dest].is_finite() {
            return false;
        }
        let mut v = dest;
        while self.pred[v] != NONE {
            let a = self.pred[v];
            out.push(a);
            v = net.links()[a as usize].from as usize;
        }
        out.reverse();
        true
    }
}

/// The largest distance of the targets (infinite if one is unreached): once the search pops a
/// node at least that far, every target's distance is final.
fn leaf_horizon(dist: &[f64], targets: &[(u32, f64)]) -> f64 {
    targets
        .iter()
        .map(|&(d, _)| dist[d as usize])
        .fold(0.0, f64::max)
}

/// The link costs `cost` (by link id) in the network's forward-star order, for
/// [`Tree::grow_to`].
pub(crate) fn slot_costs(net: &Network, cost: &[f64]) -> Vec<f64> {
    net.slot_links().iter().map(|&a| cost[a as usize]).collect()
}

/// An OD pair with demand that no path connects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unreachable {
    /// Origin zone (0-based).
    pub origin: u32,
    /// Destination zone (0-based).
    pub destination: u32,
}

/// All-or-nothing: the demand of every OD pair on its shortest path under `cost`. Returns the
/// link flows and SPTT = Σ demand × shortest path cost; the first unreachable OD pair with
/// demand is an error.
pub fn all_or_nothing(
    net: &Network,
    demand: &Demand,
    cost: &[f64],
) -> Result<(Vec<f64>, f64), Unreachable> {
    let m = net.links().len();
    let n = net.node_count();
    let slot_cost = slot_costs(net, cost);
    (0..demand.zone_count())
        .into_par_iter()
        .filter(|&o| !demand.from_origin(o).is_empty())
        .try_fold(
            || (vec![0.0; m], 0.0, Tree::new(n), vec![0.0; n]),
            |(mut flow, mut sptt, mut tree, mut node_flow), o| {
                tree.grow_to(net, &slot_cost, o, demand.from_origin(o));
                for &(d, q) in demand.from_origin(o) {
                    let dist = tree.dist[d as usize];
                    if !dist.is_finite() {
                        return Err(Unreachable {
                            origin: o as u32,
                            destination: d,
                        });
                    }
                    sptt += q * dist;
                    node_flow[d as usize] += q;
                }
                // push node demands down the tree, farthest nodes first
                for &v in tree.order.iter().rev() {
                    let v = v as usize;
                    let q = node_flow[v];
                    if q == 0.0 {
                        continue;
                    }
                    node_flow[v] = 0.0;
                    let a = tree.pred[v];
                    if a != NONE {
                        flow[a as usize] += q;
                        node_flow[net.links()[a as usize].from as usize] += q;
                    }
                }
                Ok((flow, sptt, tree, node_flow))
            },
        )
        .map(|r| r.map(|(f, s, _, _)| (f, s)))
        .try_reduce(
            || (vec![0.0; m], 0.0),
            |(mut a, sa), (b, sb)| {
                for (x, y) in a.iter_mut().zip(&b) {
                    *x += y;
                }
                Ok((a, sa + sb))
            },
        )
}
