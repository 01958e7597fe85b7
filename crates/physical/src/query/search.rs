//! [`Search`]: one query's closures, algorithm and budget, answering paths and matrices
//! between network nodes.

use std::time::Instant;

use super::{Closures, Plan, Prepared};
use crate::budget::Budget;
use crate::ch::{self, ChQuery};
use crate::error::Result;
use crate::search::{shortest_path_with, AStar, Algorithm, Dijkstra, Path, TagFilter};

/// A search set up for one query by [`Prepared::search`].
#[derive(Debug)]
pub struct Search<'a> {
    prepared: &'a Prepared,
    closures: Closures,
    filter: TagFilter,
    plan: Plan<'a>,
    warnings: Vec<String>,
    budget: Budget,
}

/// Distances between network nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixAnswer {
    /// Metres from each source (row) to each target (column); `None` where no path exists.
    pub rows: Vec<Vec<Option<u64>>>,
    /// `ch` or `dijkstra`.
    pub algorithm: &'static str,
    /// Time the searches took, ms.
    pub search_ms: f64,
}

impl<'a> Search<'a> {
    pub(crate) fn new(
        prepared: &'a Prepared,
        closures: Closures,
        plan: Plan<'a>,
        warnings: Vec<String>,
        budget: Budget,
    ) -> Search<'a> {
        Search {
            filter: closures.filter(prepared.network()),
            prepared,
            closures,
            plan,
            warnings,
            budget,
        }
    }

    /// The algorithm a path query runs: `ch`, `astar`, `bidirectional` or `dijkstra`.
    pub fn algorithm(&self) -> &'static str {
        match self.plan {
            Plan::Ch(_) => "ch",
            Plan::Search(a) => a.name(),
        }
    }

    /// Notes on the query: default passage closures that apply, a stale hierarchy skipped.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The query's passage closures.
    pub fn closures(&self) -> &Closures {
        &self.closures
    }

    /// The shortest path between two nodes, `None` if there is none.
    ///
    /// # Errors
    /// [`crate::Error::Stopped`] when the budget runs out.
    ///
    /// # Panics
    /// If a node is not a node of the network (snap first).
    pub fn path(&self, from: u32, to: u32) -> Result<Option<Path>> {
        self.budget.check()?;
        let net = self.prepared.network();
        let n = net.node_count();
        Ok(match self.plan {
            Plan::Ch(h) => ChQuery::new(n).path_within(net, h, from, to, &self.budget)?,
            Plan::Search(Algorithm::AStar) => {
                let mut q = AStar::new(n);
                q.set_filter(self.filter.clone());
                q.path_within(net, from, to, &self.budget)?
            }
            // The reference searches (`--algorithm dijkstra|bidirectional`) are checked
            // against the budget only before they start.
            Plan::Search(a) => shortest_path_with(net, from, to, a, &self.filter),
        })
    }

    /// Why no path joins `from` and `to`: the closed passages every path crosses, or the
    /// connected parts the two ends lie in.
    pub fn no_path(&self, from: u32, to: u32) -> String {
        let net = self.prepared.network();
        if let Some(why) = self.closures.cut(net, from, to) {
            return why;
        }
        let comp = net.parts().component;
        format!(
            "no connected part of the network lies within the snap limit of both (nearest: components {} and {}; 0 is the largest); try a larger snap limit (max_snap_km)",
            comp[from as usize], comp[to as usize]
        )
    }

    /// Distances from every source to every target (network nodes): the hierarchy's
    /// many-to-many search when the plan has one, else one Dijkstra per source.
    /// `progress` is told how many sources are done.
    ///
    /// # Errors
    /// [`crate::Error::Stopped`] when the budget runs out.
    ///
    /// # Panics
    /// If a node is not a node of the network.
    pub fn matrix(
        &self,
        sources: &[u32],
        targets: &[u32],
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<MatrixAnswer> {
        self.budget.check()?;
        let net = self.prepared.network();
        let t = Instant::now();
        let (rows, algorithm) = match self.plan {
            Plan::Ch(h) => (
                ch::matrix_within(h, sources, targets, progress, &self.budget)?,
                "ch",
            ),
            Plan::Search(_) => {
                let mut dij = Dijkstra::new(net.node_count());
                dij.set_filter(self.filter.clone());
                let mut rows = Vec::with_capacity(sources.len());
                for (i, &s) in sources.iter().enumerate() {
                    dij.run_within(net, s, None, &self.budget)?;
                    progress(i + 1);
                    rows.push(targets.iter().map(|&t| dij.distance(t)).collect());
                }
                (rows, "dijkstra")
            }
        };
        Ok(MatrixAnswer {
            rows,
            algorithm,
            search_ms: t.elapsed().as_secs_f64() * 1000.0,
        })
    }
}
