//! # corridor-physical: real physical networks and shortest paths on them
//!
//! corridor's corridor layer (`corridor-data`) says that a rail link runs from Dostyk to
//! Aktau and how long it is. This crate holds the *physical* networks under such links: the
//! OpenStreetMap railways and highways, and the sea lanes, with the line a train or ship
//! follows and its length.
//!
//! The data flow is import → [`NetworkBuilder`] → [`Network`] file → [`Snapper`] + search:
//!
//! - [`import`] reads sources: the Python literals of the `scgraph-data` package
//!   ([`import::scgraph`]), the marnet sea lanes of the `searoute` package with their passage
//!   tags ([`import::marnet`]), and OpenStreetMap `.osm.pbf` extracts ([`import::osm`]).
//! - [`NetworkBuilder`] checks nodes and arcs, raises any arc shorter than the great-circle
//!   distance between its ends (so A* stays exact), and freezes them into CSR arrays.
//! - [`Network`] is the versioned, checksummed, memory-mappable file ([`mod@format`] documents the
//!   layout); [`NetworkDir`] names the files in the data directory (`rail`, `road`, `sea`,
//!   `road+sea`, …).
//! - [`heal`] optionally bridges gaps between connected components with connector arcs
//!   (`connector=estimated`); [`passage`] names the passages sea arcs are tagged with and which
//!   are closed by default.
//! - [`Snapper`] finds the node nearest a point with an R-tree and refuses points beyond a
//!   limit with [`Error::NoSnap`].
//! - [`query`] is the facade the CLI and the server call: a network opened for queries, a
//!   search set up once per query (passage closures, the hierarchy when it serves the query,
//!   else A*, a [`Budget`]), typed path and matrix answers.
//! - [`search`] has Dijkstra (the reference), bidirectional Dijkstra and A*; [`ch`] has
//!   contraction hierarchies (built once, stored beside the network) with path, length-only
//!   and many-to-many queries.
//!
//! ```
//! use corridor_physical::{search, Meta, NetworkBuilder, Snapper};
//!
//! // Three stations on a line: Dostyk → Aktogay → Almaty.
//! let mut b = NetworkBuilder::new();
//! let dostyk = b.add_node(45.25, 82.48).unwrap();
//! let aktogay = b.add_node(46.95, 79.66).unwrap();
//! let almaty = b.add_node(43.34, 76.95).unwrap();
//! let rail = b.tag("railway=rail gauge=1520").unwrap();
//! b.add_edge(dostyk, aktogay, Some(310_000.0), rail).unwrap();
//! b.add_edge(aktogay, almaty, Some(590_000.0), rail).unwrap();
//! let net = b.build(Meta { name: "rail".into(), ..Meta::default() }, false).unwrap();
//!
//! let snapper = Snapper::new(&net);
//! let from = snapper.snap(&net, 45.2, 82.5, 50.0).unwrap();
//! let to = snapper.snap(&net, 43.3, 76.9, 50.0).unwrap();
//! let path = search::shortest_path(&net, from.node, to.node, search::Algorithm::AStar).unwrap();
//! assert_eq!(path.length_m, 900_000);
//! assert_eq!(path.nodes, vec![dostyk, aktogay, almaty]);
//! ```
//!
//! Glossary: *arc* = a directed edge; *CSR* = compressed sparse rows (`first_out[u]..
//! first_out[u+1]` are the arcs of node `u`); *snap* = moving a point to the nearest network
//! node; *A\** = Dijkstra guided by a lower bound of the remaining length; *marnet* = the
//! maritime network of Eurostat's SeaRoute, as shipped by `searoute`; *passage* = a strait or
//! canal (suez, panama, malacca, …) that sea arcs are tagged with.
#![deny(missing_docs)]

pub mod budget;
pub mod builder;
pub mod ch;
pub mod components;
pub mod error;
pub mod format;
pub mod geodesy;
pub mod geometry;
pub mod heal;
pub mod import;
pub mod measure;
pub mod passage;
mod progress;
pub mod query;
pub mod search;
pub mod snap;
pub mod store;

pub use budget::{Budget, Stopped};
pub use builder::{BuildReport, NetworkBuilder, NO_TAG};
pub use ch::{ChQuery, ContractionHierarchy};
pub use error::{Error, Result};
pub use format::{Meta, Network, FORMAT_VERSION};
pub use geodesy::haversine_m;
pub use snap::{Snap, Snapper, DEFAULT_MAX_SNAP_KM};
pub use store::NetworkDir;
