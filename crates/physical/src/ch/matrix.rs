//! Many-to-many distances with buckets (Knopp et al.): one full backward upward search per
//! target leaves `(target, distance)` in a bucket at every node it settles; one forward
//! upward search per source then scans the buckets of the nodes it settles. Sources run in
//! parallel (rayon), one search state per thread.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::query::{Arcs, Up};
use super::ContractionHierarchy;
use crate::budget::{Budget, Stopped};

/// Distances (metres) from every source to every target (network nodes), row by row;
/// `None` where a target cannot be reached. `progress` is told how many sources are done.
///
/// # Panics
/// If a node is not a node of the hierarchy's network.
pub fn matrix(
    ch: &ContractionHierarchy,
    sources: &[u32],
    targets: &[u32],
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Vec<Option<u64>>> {
    matrix_within(ch, sources, targets, progress, &Budget::unlimited())
        .unwrap_or_else(|_| vec![vec![None; targets.len()]; sources.len()])
}

/// As [`matrix()`], stopping every search when `budget` runs out.
///
/// # Errors
/// [`Stopped`] when the budget's flag is raised or its deadline passes first.
///
/// # Panics
/// As [`matrix()`].
pub fn matrix_within(
    ch: &ContractionHierarchy,
    sources: &[u32],
    targets: &[u32],
    progress: &(dyn Fn(usize) + Sync),
    budget: &Budget,
) -> Result<Vec<Vec<Option<u64>>>, Stopped> {
    let p = ch.parts();
    let n = ch.node_count();
    let (f_arcs, b_arcs) = (Arcs::forward(&p), Arcs::backward(&p));
    // Backward searches, in parallel, then the buckets as CSR by CH node.
    let spaces: Vec<Vec<(u32, u64)>> = targets
        .par_iter()
        .map_init(
            || Up::new(n),
            |up, &t| {
                budget.check()?;
                up.start(p.rank[t as usize]);
                let mut seen = Vec::new();
                let mut ticks = 0;
                while let Some((u, d, stalled)) = up.step(b_arcs, f_arcs) {
                    budget.tick(&mut ticks)?;
                    if !stalled {
                        seen.push((u, d));
                    }
                }
                Ok(seen)
            },
        )
        .collect::<Result<_, Stopped>>()?;
    let mut first = vec![0u32; n + 1];
    for space in &spaces {
        for &(u, _) in space {
            first[u as usize + 1] += 1;
        }
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut fill = first.clone();
    let mut bucket = vec![(0u32, 0u64); first[n] as usize];
    for (j, space) in spaces.iter().enumerate() {
        for &(u, d) in space {
            let slot = &mut fill[u as usize];
            bucket[*slot as usize] = (j as u32, d);
            *slot += 1;
        }
    }
    drop(spaces);
    let done = AtomicUsize::new(0);
    sources
        .par_iter()
        .map_init(
            || Up::new(n),
            |up, &s| {
                budget.check()?;
                let mut row = vec![u64::MAX; targets.len()];
                up.start(p.rank[s as usize]);
                let mut ticks = 0;
                while let Some((u, d, stalled)) = up.step(f_arcs, b_arcs) {
                    budget.tick(&mut ticks)?;
                    if stalled {
                        continue;
                    }
                    let ui = u as usize;
                    for &(j, dt) in &bucket[first[ui] as usize..first[ui + 1] as usize] {
                        let cell = &mut row[j as usize];
                        *cell = (*cell).min(d + dt);
                    }
                }
                progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                Ok(row
                    .into_iter()
                    .map(|d| (d != u64::MAX).then_some(d))
                    .collect())
            },
        )
        .collect()
}
