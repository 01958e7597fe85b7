//! Path-based gradient projection (Jayakrishnan, Tsai, Prashker & Rajadhyaksha 1994, "A faster
//! path-based algorithm for traffic assignment", TRR 1443; the variant of Florian, Constantin &
//! Florian 2009 that computes shortest paths for all origins at once).
//!
//! Every OD pair keeps the paths it uses with their flows. Each iteration computes the shortest
//! path trees of all origins at the current costs (in parallel; they also give the relative
//! gap), adds each OD's shortest path to its set if new, then, origin by origin, moves flow from
//! every costlier path to the cheapest by a Newton step: δ = (c_p − c_min) / Σ c'(x_a) over the
//! links on one path but not the other, capped at the path's flow. Link flows and costs are
//! updated after every move (Gauss–Seidel), so later ODs see the effect of earlier ones.

use rayon::prelude::*;

use crate::shortest_path::{slot_costs, Tree};
use crate::{Error, PathFlow, Run};

/// Extra equilibration sweeps per iteration over the current path sets.
const INNER_SWEEPS: usize = 2;

struct Path {
    links: Vec<u32>,
    flow: f64,
}

struct OdPaths {
    paths: Vec<Path>,
}

/// Working arrays: link flows, effective costs and their derivatives, kept in step.
struct Links<'m> {
    model: &'m crate::CostModel,
    x: Vec<f64>,
    cost: Vec<f64>,
    der: Vec<f64>,
    stamp: Vec<u32>,
    tag: u32,
}

impl Links<'_> {
    fn add(&mut self, links: &[u32], delta: f64) {
        for &a in links {
            let a = a as usize;
            self.x[a] = (self.x[a] + delta).max(0.0);
            self.cost[a] = self.model.effective(a, self.x[a]);
            self.der[a] = self.model.effective_derivative(a, self.x[a]);
        }
    }

    fn path_cost(&self, links: &[u32]) -> f64 {
        links.iter().map(|&a| self.cost[a as usize]).sum()
    }

    fn refresh(&mut self) {
        for a in 0..self.x.len() {
            self.cost[a] = self.model.effective(a, self.x[a]);
            self.der[a] = self.model.effective_derivative(a, self.x[a]);
        }
    }
}

/// The links of a path, origin first.
type PathLinks = Vec<u32>;
/// For one origin: per OD pair, its shortest path if none of the paths it has is one (else
/// `None`), and the origin's part of SPTT; or the unreachable pair.
type OriginPaths = Result<(Vec<Option<PathLinks>>, f64), (usize, u32)>;
/// Per origin, per OD pair: a new shortest path or `None`.
type NewPaths = Vec<Vec<Option<PathLinks>>>;

/// Shortest paths of every OD pair under `cost` (the costs in `links`), and SPTT. An OD pair one
/// of whose paths already costs the least gets `None`, so that the paths are written out only
/// where they are new (the cost of a path summed origin first is bit for bit the search's
/// distance along it).
fn new_shortest_paths(
    run: &Run<'_>,
    cost: &[f64],
    ods: &[Vec<OdPaths>],
) -> Result<(NewPaths, f64), Error> {
    let net = run.net;
    let demand = run.demand;
    let slot_cost = slot_costs(net, cost);
    let per_origin: Vec<OriginPaths> = (0..demand.zone_count())
        .into_par_iter()
        .map_init(
            || Tree::new(net.node_count()),
            |tree, o| {
                let targets = demand.from_origin(o);
                if targets.is_empty() {
                    return Ok((Vec::new(), 0.0));
                }
                tree.grow_to(net, &slot_cost, o, targets);
                let mut paths = Vec::with_capacity(targets.len());
                let mut sptt = 0.0;
                for (i, &(d, q)) in targets.iter().enumerate() {
                    let dist = tree.dist[d as usize];
                    if !dist.is_finite() {
                        return Err((o, d));
                    }
                    sptt += q * dist;
                    let known = ods.get(o).and_then(|row| row.get(i)).is_some_and(|od| {
                        od.paths
                            .iter()
                            .any(|p| p.links.iter().map(|&a| cost[a as usize]).sum::<f64>() <= dist)
                    });
                    paths.push(if known {
                        None
                    } else {
                        let mut p = Vec::new();
                        tree.path_to(net, d as usize, &mut p);
                        Some(p)
                    });
                }
                Ok((paths, sptt))
            },
        )
        .collect();
    let mut all = Vec::with_capacity(per_origin.len());
    let mut sptt = 0.0;
    for r in per_origin {
        let (p, s) = r.map_err(|(o, d)| {
            Error::invalid(
                format!("demand {} -> {}", o + 1, d + 1),
                "no path joins these zones; remove the demand or add the missing links",
            )
        })?;
        all.push(p);
        sptt += s;
    }
    Ok((all, sptt))
}

/// Runs gradient projection from all-or-nothing at free-flow costs; returns the link flows and
/// the paths with flow.
pub(crate) fn run(run: &mut Run<'_>, max_iter: usize) -> Result<(Vec<f64>, Vec<PathFlow>), Error> {
    let m = run.model.len();
    let demand = run.demand;
    let mut links = Links {
        model: run.model,
        x: vec![0.0; m],
        cost: vec![0.0; m],
        der: vec![0.0; m],
        stamp: vec![0; m],
        tag: 0,
    };
    links.refresh();
    let (first, _) = new_shortest_paths(run, &links.cost, &[])?;
    let mut ods: Vec<Vec<OdPaths>> = Vec::with_capacity(first.len());
    for (o, paths) in first.into_iter().enumerate() {
        let row = demand.from_origin(o);
        let mut v = Vec::with_capacity(row.len());
        for (p, &(_, q)) in paths.into_iter().zip(row) {
            let p = p.unwrap_or_default();
            for &a in &p {
                links.x[a as usize] += q;
            }
            v.push(OdPaths {
                paths: vec![Path { links: p, flow: q }],
            });
        }
        ods.push(v);
    }
    for k in 1..=max_iter {
        rebuild_flows(&mut links, &ods);
        let (shortest, sptt) = new_shortest_paths(run, &links.cost, &ods)?;
        let tstt: f64 = links.x.iter().zip(&links.cost).map(|(x, c)| x * c).sum();
        if run.record(tstt, sptt) || k == max_iter {
            break;
        }
        for (od_row, sp_row) in ods.iter_mut().zip(shortest) {
            for (od, sp) in od_row.iter_mut().zip(sp_row) {
                if let Some(sp) = sp {
                    od.paths.push(Path {
                        links: sp,
                        flow: 0.0,
                    });
                }
                equilibrate(od, &mut links);
            }
        }
        // shifts within the path sets found so far cost no shortest-path search: a few more
        // sweeps over the OD pairs with several paths (Florian et al. 2009 do the same)
        for _ in 0..INNER_SWEEPS {
            for od in ods.iter_mut().flatten().filter(|od| od.paths.len() > 1) {
                equilibrate(od, &mut links);
            }
        }
    }
    let mut used = Vec::new();
    for (o, row) in ods.into_iter().enumerate() {
        for (od, &(d, _)) in row.into_iter().zip(demand.from_origin(o)) {
            for p in od.paths.into_iter().filter(|p| p.flow > 0.0) {
                used.push(PathFlow {
                    origin: o as u32,
                    destination: d,
                    links: p.links,
                    flow: p.flow,
                });
            }
        }
    }
    Ok((links.x, used))
}

/// Sums link flows from the path flows again (removes drift of the incremental updates).
fn rebuild_flows(links: &mut Links<'_>, ods: &[Vec<OdPaths>]) {
    links.x.iter_mut().for_each(|x| *x = 0.0);
    for od in ods.iter().flatten() {
        for p in &od.paths {
            for &a in &p.links {
                links.x[a as usize] += p.flow;
            }
        }
    }
    links.refresh();
}

/// Moves flow of one OD pair from its costlier paths to its cheapest by Newton steps.
fn equilibrate(od: &mut OdPaths, links: &mut Links<'_>) {
    if od.paths.len() < 2 {
        return;
    }
    let mut best = 0;
    let mut best_cost = f64::INFINITY;
    for (i, p) in od.paths.iter().enumerate() {
        let c = links.path_cost(&p.links);
        if c < best_cost {
            best = i;
            best_cost = c;
        }
    }
    for i in 0..od.paths.len() {
        if i == best || od.paths[i].flow <= 0.0 {
            continue;
        }
        let c_best = links.path_cost(&od.paths[best].links);
        let c_p = links.path_cost(&od.paths[i].links);
        let diff = c_p - c_best;
        if diff <= 0.0 {
            continue;
        }
        // Σ c' over the links on exactly one of the two paths
        links.tag = links.tag.wrapping_add(1);
        if links.tag == 0 {
            links.stamp.iter_mut().for_each(|s| *s = u32::MAX);
            links.tag = 1;
        }
        let mut h = 0.0;
        for &a in &od.paths[best].links {
            links.stamp[a as usize] = links.tag;
            h += links.der[a as usize];
        }
        for &a in &od.paths[i].links {
            if links.stamp[a as usize] == links.tag {
                h -= links.der[a as usize];
            } else {
                h += links.der[a as usize];
            }
        }
        let flow = od.paths[i].flow;
        let delta = if h > 0.0 { (diff / h).min(flow) } else { flow };
        let new_flow = if delta >= flow { 0.0 } else { flow - delta };
        let moved = flow - new_flow;
        od.paths[i].flow = new_flow;
        od.paths[best].flow += moved;
        links.add(&od.paths[i].links, -moved);
        links.add(&od.paths[best].links, moved);
    }
    // Vec::retain visits the paths once each, in order
    let mut i = 0;
    od.paths.retain(|p| {
        let keep = p.flow > 0.0 || i == best;
        i += 1;
        keep
    });
}
