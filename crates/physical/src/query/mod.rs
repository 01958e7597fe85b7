//! The query facade below the CLI and the HTTP server: a network opened for queries
//! ([`Prepared`]), a search set up once per query ([`Search`]: passage closures resolved, the
//! algorithm chosen, a [`Budget`]), and typed answers ([`PathAnswer`], [`MatrixAnswer`]).
//!
//! The choice of algorithm is made here and nowhere else ([`Prepared::search`]): the
//! contraction hierarchy when one is prepared and serves the query's closures, else A* for a
//! path and one Dijkstra per origin for a matrix. `corridor path`, `corridor table --network`,
//! `/v1/path`, the OSRM endpoints and door-to-door road legs all go through it.
//!
//! ```
//! use corridor_physical::query::{Endpoint, Method, PathRequest, Prepared};
//! use corridor_physical::{Meta, NetworkBuilder, NetworkDir};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let mut b = NetworkBuilder::new();
//! let (x, y) = (b.add_node(45.25, 82.48).unwrap(), b.add_node(46.95, 79.66).unwrap());
//! b.add_edge(x, y, Some(310_000.0), 0).unwrap();
//! let net = b.build(Meta { name: "rail".into(), ..Meta::default() }, false).unwrap();
//! let store = NetworkDir::new(dir.path());
//! store.save("rail", &net).unwrap();
//!
//! let p = Prepared::open(&store, "rail").unwrap();
//! let req = PathRequest::new(Endpoint::point("45.2,82.5").unwrap().unwrap(),
//!                            Endpoint::point("46.9,79.7").unwrap().unwrap());
//! let a = p.path(&req).unwrap();
//! assert_eq!((a.path.length_m, a.algorithm), (310_000, "astar"));
//! ```

mod answer;
mod networks;
mod passages;
mod search;

pub use answer::{error_json, Endpoint, PathAnswer, PathRequest};
pub use networks::Networks;
pub use passages::{Closures, Passages};
pub use search::{MatrixAnswer, Search};

use std::sync::OnceLock;

use crate::budget::Budget;
use crate::ch::ContractionHierarchy;
use crate::error::{Error, Result};
use crate::format::Network;
use crate::search::Algorithm;
use crate::snap::{Snap, Snapper};
use crate::store::NetworkDir;

/// How a query wants to be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// The hierarchy when one serves the query, else A* (paths) or Dijkstra (matrices); a
    /// stale hierarchy is skipped with a warning.
    #[default]
    Auto,
    /// The hierarchy, or [`Error::MissingHierarchy`] / [`Error::StaleHierarchy`].
    Ch,
    /// This search, hierarchy or not.
    Search(Algorithm),
}

/// What a [`Search`] runs.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Plan<'a> {
    Ch(&'a ContractionHierarchy),
    Search(Algorithm),
}

/// A network opened for queries: the memory-mapped file, its R-tree, and its contraction
/// hierarchy (opened on the first query that may use it, then kept).
#[derive(Debug)]
pub struct Prepared {
    name: String,
    store: NetworkDir,
    net: Network,
    snapper: Snapper,
    ch: OnceLock<Option<ContractionHierarchy>>,
}

impl Prepared {
    /// Opens network `name` of `store` and indexes its nodes.
    ///
    /// # Errors
    /// Those of [`NetworkDir::open`] ([`Error::MissingNetwork`] naming the import command).
    pub fn open(store: &NetworkDir, name: &str) -> Result<Prepared> {
        let net = store.open(name)?;
        Ok(Prepared::new(store, name, net))
    }

    /// A network already open, named `name` in `store` (where its hierarchy is looked for).
    pub fn new(store: &NetworkDir, name: &str, net: Network) -> Prepared {
        Prepared {
            name: name.to_string(),
            store: store.clone(),
            snapper: Snapper::new(&net),
            net,
            ch: OnceLock::new(),
        }
    }

    /// The network's name in its data directory.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// The nearest node within `max_km` of a point.
    ///
    /// # Errors
    /// [`Error::NoSnap`].
    pub fn snap(&self, lat: f64, lon: f64, max_km: f64) -> Result<Snap> {
        self.snapper.snap(&self.net, lat, lon, max_km)
    }

    /// Both ends snapped so that a path can join them ([`Snapper::snap_pair`]).
    ///
    /// # Errors
    /// [`Error::NoSnap`].
    pub fn snap_pair(&self, from: (f64, f64), to: (f64, f64), max_km: f64) -> Result<(Snap, Snap)> {
        self.snapper.snap_pair(&self.net, from, to, max_km)
    }

    /// The hierarchy beside the network, opened once (errors are not kept: a stale or broken
    /// file is reported each time it would be used).
    fn hierarchy(&self) -> Result<Option<&ContractionHierarchy>> {
        if let Some(h) = self.ch.get() {
            return Ok(h.as_ref());
        }
        let h = self.store.open_ch(&self.name, &self.net)?;
        let _ = self.ch.set(h);
        Ok(self.ch.get().and_then(Option::as_ref))
    }

    /// The one place where a query's algorithm is chosen: the hierarchy if `method` allows
    /// it and one is prepared that blocks exactly `blocked`, else `fallback` (or the
    /// algorithm `method` names). Without [`Method::Ch`] a stale hierarchy means `fallback`
    /// with a warning; with it, a missing, stale or unsuitable one is an error.
    fn plan(
        &self,
        method: Method,
        blocked: &[&str],
        fallback: Algorithm,
        warnings: &mut Vec<String>,
    ) -> Result<Plan<'_>> {
        let explicit = match method {
            Method::Search(a) => return Ok(Plan::Search(a)),
            Method::Ch => true,
            Method::Auto => false,
        };
        let missing = |detail: String| Error::MissingHierarchy {
            network: self.name.clone(),
            detail,
        };
        match self.hierarchy() {
            Ok(Some(h)) if h.serves(blocked) => Ok(Plan::Ch(h)),
            Ok(Some(h)) if explicit => Err(missing(format!(
                " that blocks [{}] (this query blocks [{}])",
                h.meta().blocked_tags.join(", "),
                blocked.join(", ")
            ))),
            Ok(None) if explicit => Err(missing(String::new())),
            Ok(_) => Ok(Plan::Search(fallback)),
            Err(e @ Error::StaleHierarchy { .. }) if !explicit => {
                warnings.push(format!("{e}; used A* instead"));
                Ok(Plan::Search(fallback))
            }
            Err(e) => Err(e),
        }
    }

    /// A search on this network with `passages` closed as asked, the algorithm chosen by
    /// `method` (see [`Method`]), within `budget`. `fallback` is the search used without a
    /// hierarchy under [`Method::Auto`] (A* for paths; a matrix then runs Dijkstra).
    ///
    /// # Errors
    /// [`Error::UnknownPassage`]; with [`Method::Ch`], [`Error::MissingHierarchy`] or
    /// [`Error::StaleHierarchy`]; a hierarchy file that cannot be read.
    pub fn search(
        &self,
        passages: &Passages,
        method: Method,
        budget: Budget,
    ) -> Result<Search<'_>> {
        let closures = Closures::resolve(&self.net, passages)?;
        let mut warnings = closures.notes.clone();
        let plan = self.plan(
            method,
            &closures.blocked_refs(),
            Algorithm::AStar,
            &mut warnings,
        )?;
        Ok(Search::new(self, closures, plan, warnings, budget))
    }
}
