//! The assignment of a flow request: `corridor-assign` on the flow graph, repeated while a
//! capacity shared by several links (wagons of two gauges on one crossing) settles: each link's
//! queue is preloaded with the others' flow until the preloads stop moving, where every link of
//! the group sees the group's utilisation.

use corridor_assign::{Assignment, Demand, Network, Options};

use super::graph::FlowGraph;
use super::{MAX_SHARING_ROUNDS, SHARING_TOLERANCE};
use crate::error::QueryError;

/// The assignment and how the shared capacities settled.
pub(crate) struct Solved<'g> {
    pub assignment: Assignment,
    /// The network of the last assignment (with its preloads).
    pub net: Network,
    /// Assignments run.
    pub rounds: usize,
    /// Largest move of a preload in the last round, as a share of its group's flow.
    pub residual: f64,
    /// The groups of links that share one capacity.
    pub groups: Vec<&'g [usize]>,
}

/// Assigns `demand` on `net` (built from `fg`), settling the shared capacities.
pub(crate) fn solve<'g>(
    fg: &'g FlowGraph<'_>,
    net: Network,
    demand: &Demand,
    opts: &Options,
    deadline: Option<std::time::Instant>,
    progress: &mut dyn FnMut(usize, f64),
) -> Result<Solved<'g>, QueryError> {
    let run = |net: &Network, progress: &mut dyn FnMut(usize, f64)| {
        corridor_assign::assign_until(
            net,
            demand,
            opts,
            &mut |it| progress(it.iteration, it.relative_gap),
            deadline,
        )
        .map_err(|e| QueryError::InvalidQuery {
            message: e.to_string(),
        })
    };
    let mut a = run(&net, progress)?;
    // A capacity shared by several links (wagons of two gauges on one crossing): each
    // link's queue is preloaded with the others' flow, iterated to a fixed point (where
    // each sees the whole group's utilisation).
    let groups: Vec<&[usize]> = fg
        .bounds
        .iter()
        .filter(|b| {
            b.links.len() > 1
                && b.links
                    .iter()
                    .all(|&l| fg.links[l].delay == corridor_assign::Delay::Queue)
        })
        .map(|b| &b.links[..])
        .collect();
    let mut links = fg.links.clone();
    let mut shared_net = None;
    let mut rounds = 1usize;
    let mut residual = 0.0f64;
    while !groups.is_empty() {
        residual = 0.0;
        for g in &groups {
            let total: f64 = g.iter().map(|&l| a.flows[l]).sum();
            for &l in g.iter() {
                let pre = (total - a.flows[l]).max(0.0);
                // half a step: plain Jacobi steps can swing between the gauges
                let next = 0.5 * (links[l].preload + pre);
                residual = residual.max((pre - links[l].preload).abs() / total.max(1.0));
                links[l].preload = next;
            }
        }
        if residual < SHARING_TOLERANCE || rounds >= MAX_SHARING_ROUNDS {
            break;
        }
        let n = Network::new(fg.node_count, fg.zone_count, fg.zone_count, links.clone()).map_err(
            |e| QueryError::InvalidQuery {
                message: format!("the assignment network could not be built: {e}"),
            },
        )?;
        a = run(&n, progress)?;
        shared_net = Some(n);
        rounds += 1;
    }
    Ok(Solved {
        assignment: a,
        net: shared_net.unwrap_or(net),
        rounds,
        residual,
        groups,
    })
}
