//! Contraction: node ordering by a lazily updated priority, witness searches with a settled
//! limit, shortcuts that remember their middle node.
//!
//! The priority of a node `v` is RoutingKit's: `level(v) + added/removed + added_hops/removed_hops`,
//! where *added* is the number of shortcuts contracting `v` would add now, *removed* the arcs
//! it would remove (its in- plus out-degree), *hops* the original arcs they stand for, and
//! `level(v)` one more than the highest level of its contracted (deleted) neighbours. The
//! queue is updated lazily: a popped node's priority is recomputed and the node is put back if
//! it is no longer the smallest; after a contraction its neighbours are recomputed too.
//!
//! Everything is sequential and ties are broken by node id, so building twice gives the same
//! bytes.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{ChMeta, ContractionHierarchy, ORIGINAL};
use crate::format::Network;
use crate::search::TagFilter;

/// Tuning of the contraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// Nodes a witness search may settle while contracting (more: fewer shortcuts, slower
    /// build).
    pub witness_settled: usize,
    /// Nodes a witness search may settle while estimating a priority.
    pub priority_settled: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            witness_settled: 500,
            priority_settled: 60,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    to: u32,
    mid: u32,
    hops: u32,
    w: u64,
}

/// The remaining graph: for each node, its arcs to and from uncontracted nodes.
struct Remaining {
    out: Vec<Vec<Edge>>,
    inn: Vec<Vec<Edge>>,
}

fn upsert(list: &mut Vec<Edge>, e: Edge) {
    match list.iter_mut().find(|x| x.to == e.to) {
        Some(x) if e.w < x.w => *x = e,
        Some(_) => {}
        None => list.push(e),
    }
}

/// A bounded Dijkstra over the remaining graph with labels that reset in O(1).
struct Witness {
    dist: Vec<u64>,
    stamp: Vec<u32>,
    now: u32,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Witness {
    fn new(n: usize) -> Witness {
        Witness {
            dist: vec![0; n],
            stamp: vec![0; n],
            now: 0,
            heap: BinaryHeap::new(),
        }
    }

    fn dist(&self, u: u32) -> u64 {
        if self.stamp[u as usize] == self.now {
            self.dist[u as usize]
        } else {
            u64::MAX
        }
    }

    /// Distances from `source` avoiding `skip`, exact up to `limit` unless `max_settled`
    /// nodes were settled first (then some are overestimated, which costs only shortcuts).
    fn run(&mut self, g: &Remaining, source: u32, skip: u32, limit: u64, max_settled: usize) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.fill(0);
            self.now = 1;
        }
        self.heap.clear();
        self.dist[source as usize] = 0;
        self.stamp[source as usize] = self.now;
        self.heap.push(Reverse((0, source)));
        let mut settled = 0;
        while let Some(Reverse((d, u))) = self.heap.pop() {
            if d > self.dist(u) {
                continue;
            }
            if d > limit || settled >= max_settled {
                break;
            }
            settled += 1;
            for e in &g.out[u as usize] {
                if e.to == skip {
                    continue;
                }
                let nd = d + e.w;
                if nd < self.dist(e.to) {
                    self.dist[e.to as usize] = nd;
                    self.stamp[e.to as usize] = self.now;
                    self.heap.push(Reverse((nd, e.to)));
                }
            }
        }
    }
}

/// The shortcuts `(from, to, edge)` that contracting `v` needs now.
fn shortcuts(
    g: &Remaining,
    ws: &mut Witness,
    v: u32,
    max_settled: usize,
    out: &mut Vec<(u32, Edge)>,
) {
    out.clear();
    let outs = &g.out[v as usize];
    for ein in &g.inn[v as usize] {
        let u = ein.to;
        let limit = outs.iter().filter(|e| e.to != u).map(|e| ein.w + e.w).max();
        let Some(limit) = limit else { continue };
        ws.run(g, u, v, limit, max_settled);
        for eout in outs {
            if eout.to == u {
                continue;
            }
            let w = ein.w + eout.w;
            if ws.dist(eout.to) > w {
                out.push((
                    u,
                    Edge {
                        to: eout.to,
                        mid: v,
                        hops: ein.hops + eout.hops,
                        w,
                    },
                ));
            }
        }
    }
}

/// Builds the hierarchy of `net`, leaving out the arcs `filter` blocks (`blocked_tags` names
/// them for the file). `progress` is told the number of contracted nodes now and then.
pub fn build(
    net: &Network,
    filter: &TagFilter,
    blocked_tags: &[String],
    params: &Params,
    progress: &dyn Fn(usize),
) -> ContractionHierarchy {
    let n = net.node_count();
    let g = remaining_graph(net, filter);
    let Contracted { order, fwd, bwd } = contract(g, n, params, progress);

    // Renumber by rank: CH node r is the r-th contracted node.
    let mut rank = vec![0u32; n];
    for (r, &v) in order.iter().enumerate() {
        rank[v as usize] = r as u32;
    }
    let f = up_csr(&fwd, &rank, n);
    let b = up_csr(&bwd, &rank, n);
    let shortcuts = f
        .mid
        .iter()
        .chain(&b.mid)
        .filter(|&&m| m & ORIGINAL == 0)
        .count();
    let meta = ChMeta {
        network: net.meta().name.clone(),
        blocked_tags: blocked_tags.to_vec(),
        shortcuts: shortcuts as u64,
        witness_settled: params.witness_settled as u64,
        priority_settled: params.priority_settled as u64,
        written_by: format!("corridor {}", env!("CARGO_PKG_VERSION")),
    };
    ContractionHierarchy::from_parts(
        meta,
        net,
        super::ChParts {
            rank: &rank,
            node_of: &order,
            fwd_first: &f.first,
            fwd_head: &f.head,
            fwd_mid: &f.mid,
            fwd_weight: &f.weight,
            bwd_first: &b.first,
            bwd_head: &b.head,
            bwd_mid: &b.mid,
            bwd_weight: &b.weight,
        },
    )
    .expect("a freshly built hierarchy is consistent")
}

/// The graph to contract: the arcs of `net` that `filter` allows, without loops, the
/// lightest of parallel arcs.
fn remaining_graph(net: &Network, filter: &TagFilter) -> Remaining {
    let n = net.node_count();
    let p = net.parts();
    let mut g = Remaining {
        out: vec![Vec::new(); n],
        inn: vec![Vec::new(); n],
    };
    for u in 0..n {
        for a in p.first_out[u] as usize..p.first_out[u + 1] as usize {
            let v = p.head[a];
            if v as usize == u || !filter.allows(p.tag[a]) {
                continue;
            }
            let w = p.length_m[a] as u64;
            let e = |to| Edge {
                to,
                mid: ORIGINAL | a as u32,
                hops: 1,
                w,
            };
            upsert(&mut g.out[u], e(v));
            upsert(&mut g.inn[v as usize], e(u as u32));
        }
    }
    g
}

/// The priority of `v` now (see the module doc), as an orderable key; leaves in `sc` the
/// shortcuts a witness search of `max_settled` nodes finds.
fn priority(
    g: &Remaining,
    ws: &mut Witness,
    sc: &mut Vec<(u32, Edge)>,
    level: &[u32],
    v: u32,
    max_settled: usize,
) -> u64 {
    shortcuts(g, ws, v, max_settled, sc);
    let removed = g.out[v as usize].len() + g.inn[v as usize].len();
    let removed_hops: u64 = g.out[v as usize]
        .iter()
        .chain(&g.inn[v as usize])
        .map(|e| e.hops as u64)
        .sum();
    let added_hops: u64 = sc.iter().map(|(_, e)| e.hops as u64).sum();
    let prio = level[v as usize] as f64
        + sc.len() as f64 / removed.max(1) as f64
        + added_hops as f64 / removed_hops.max(1) as f64;
    // Non-negative floats order like their bit patterns.
    prio.to_bits()
}

/// Up arcs of one node, recorded when it is contracted: (head, mid, weight) in original ids.
type UpArcs = Vec<(u32, u32, u64)>;

/// The result of contraction: the nodes in contraction order, and for each (in that order)
/// its up arcs forward and backward.
struct Contracted {
    order: Vec<u32>,
    fwd: Vec<UpArcs>,
    bwd: Vec<UpArcs>,
}

/// Contracts every node of `g` in priority order (lazy updates, ties by node id).
fn contract(mut g: Remaining, n: usize, params: &Params, progress: &dyn Fn(usize)) -> Contracted {
    let mut ws = Witness::new(n);
    let mut sc = Vec::new();
    let mut level = vec![0u32; n];
    let mut contracted = vec![false; n];
    let mut prio_key = vec![0u64; n];
    let ps = params.priority_settled;
    let mut heap = BinaryHeap::with_capacity(n);
    for v in 0..n as u32 {
        let k = priority(&g, &mut ws, &mut sc, &level, v, ps);
        prio_key[v as usize] = k;
        heap.push(Reverse((k, v)));
    }

    let mut order: Vec<u32> = Vec::with_capacity(n);
    let mut fwd: Vec<UpArcs> = Vec::with_capacity(n);
    let mut bwd: Vec<UpArcs> = Vec::with_capacity(n);
    let mut neighbours: Vec<u32> = Vec::new();
    while let Some(Reverse((k, v))) = heap.pop() {
        if contracted[v as usize] || k != prio_key[v as usize] {
            continue;
        }
        // Lazy update: recompute, and put back if it is no longer the smallest.
        let k2 = priority(&g, &mut ws, &mut sc, &level, v, ps);
        if let Some(Reverse((top, _))) = heap.peek() {
            if k2 > *top {
                prio_key[v as usize] = k2;
                heap.push(Reverse((k2, v)));
                continue;
            }
        }
        shortcuts(&g, &mut ws, v, params.witness_settled, &mut sc);
        contracted[v as usize] = true;
        order.push(v);
        let vi = v as usize;
        fwd.push(g.out[vi].iter().map(|e| (e.to, e.mid, e.w)).collect());
        bwd.push(g.inn[vi].iter().map(|e| (e.to, e.mid, e.w)).collect());
        remove_node(&mut g, v, &sc, &mut neighbours);
        for &x in &neighbours {
            let xi = x as usize;
            level[xi] = level[xi].max(level[vi] + 1);
            let k = priority(&g, &mut ws, &mut sc, &level, x, ps);
            if k != prio_key[xi] {
                prio_key[xi] = k;
                heap.push(Reverse((k, x)));
            }
        }
        if order.len().is_multiple_of(4096) {
            progress(order.len());
        }
    }
    progress(order.len());
    Contracted { order, fwd, bwd }
}

/// Takes `v` out of the remaining graph and adds the shortcuts `sc` in its place; leaves in
/// `neighbours` its former neighbours, sorted, once each.
fn remove_node(g: &mut Remaining, v: u32, sc: &[(u32, Edge)], neighbours: &mut Vec<u32>) {
    let vi = v as usize;
    neighbours.clear();
    for e in std::mem::take(&mut g.out[vi]) {
        g.inn[e.to as usize].retain(|x| x.to != v);
        neighbours.push(e.to);
    }
    for e in std::mem::take(&mut g.inn[vi]) {
        g.out[e.to as usize].retain(|x| x.to != v);
        neighbours.push(e.to);
    }
    for &(u, e) in sc {
        upsert(&mut g.out[u as usize], e);
        upsert(&mut g.inn[e.to as usize], Edge { to: u, ..e });
    }
    neighbours.sort_unstable();
    neighbours.dedup();
}

/// Up arcs of every node in compressed sparse rows, in rank ids.
struct UpCsr {
    first: Vec<u32>,
    head: Vec<u32>,
    mid: Vec<u32>,
    weight: Vec<u64>,
}

/// The up arcs `lists` (one list per rank) renumbered by `rank` (original-arc mids kept) and
/// sorted within each node.
fn up_csr(lists: &[UpArcs], rank: &[u32], n: usize) -> UpCsr {
    let mut first = Vec::with_capacity(n + 1);
    let (mut head, mut mid, mut weight) = (Vec::new(), Vec::new(), Vec::new());
    first.push(0u32);
    for list in lists {
        let mut l: Vec<(u32, u32, u64)> = list
            .iter()
            .map(|&(h, m, w)| {
                (
                    rank[h as usize],
                    if m & ORIGINAL != 0 {
                        m
                    } else {
                        rank[m as usize]
                    },
                    w,
                )
            })
            .collect();
        l.sort_unstable();
        for (h, m, w) in l {
            head.push(h);
            mid.push(m);
            weight.push(w);
        }
        first.push(head.len() as u32);
    }
    UpCsr {
        first,
        head,
        mid,
        weight,
    }
}
