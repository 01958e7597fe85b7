//! Shortest-path trees on the forward-star graph (Dijkstra with a binary heap) and
//! all-or-nothing loading, parallel over origins.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

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
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Tree {
    /// An empty tree for a network of `n` nodes.
    pub fn new(n: usize) -> Tree {
        Tree {
            dist: vec![f64::INFINITY; n],
            pred: vec![NONE; n],
            order: Vec::with_capacity(n),
            heap: BinaryHeap::new(),
        }
    }

    /// Grows the tree from `origin` over link costs `cost` (all >= 0). Nodes below the first
    /// thru node are reached but not passed through (except the origin itself).
    pub fn grow(&mut self, net: &Network, cost: &[f64], origin: usize) {
        for &v in &self.order {
            self.dist[v as usize] = f64::INFINITY;
            self.pred[v as usize] = NONE;
        }
        self.order.clear();
        self.heap.clear();
        let links = net.links();
        self.dist[origin] = 0.0;
        // non-negative f64 order like their bit patterns
        self.heap.push(Reverse((0.0f64.to_bits(), origin as u32)));
        while let Some(Reverse((bits, v))) = self.heap.pop() {
            let v = v as usize;
            let d = f64::from_bits(bits);
            // a stale entry: the node was pushed again with a strictly smaller distance, so
            // each node is settled exactly once
            if d > self.dist[v] {
                continue;
            }
            self.order.push(v as u32);
            if v != origin && !net.passable(v) {
                continue;
            }
            for &a in net.out_links(v) {
                let w = links[a as usize].to as usize;
                let nd = d + cost[a as usize];
                if nd < self.dist[w] {
                    self.dist[w] = nd;
                    self.pred[w] = a;
                    self.heap.push(Reverse((nd.to_bits(), w as u32)));
                }
            }
        }
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
    (0..demand.zone_count())
        .into_par_iter()
        .filter(|&o| !demand.from_origin(o).is_empty())
        .try_fold(
            || (vec![0.0; m], 0.0, Tree::new(n), vec![0.0; n]),
            |(mut flow, mut sptt, mut tree, mut node_flow), o| {
                tree.grow(net, cost, o);
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
