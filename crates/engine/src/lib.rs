//! # corridor-engine: multimodal route search over the corridor network
//!
//! The third stage of corridor's pipeline (data → build → **engine** → interfaces).
//!
//! - [`Engine`] answers a [`RouteRequest`] (the same type for the CLI and the HTTP API) with a
//!   [`RouteAnswer`]: the best itinerary for time, cost or CO2e, every leg, transfer and border
//!   with its figures and sources, and the totals.
//! - [`pareto`] is the multi-criteria kernel: label-setting over the same states, returning
//!   the Pareto front over time, cost, CO2e and risk (what `route` answers without an
//!   objective).
//! - [`search`] is the kernel: Dijkstra over (via layer, place, carrier) states, where a change
//!   of carrier (lift, gauge change) is a transfer governed by `transfers.csv`.
//! - [`cargo`] scales prices and emissions with the shipment (TEU/FEU or tonnes).
//! - [`options`]: the options a route and a table share, flattened into both requests and
//!   mirrored as CLI flags (feature `clap`).
//! - [`QueryError`] is the error vocabulary of CONVENTIONS.md.
//!
//! ```
//! use corridor_engine::{Engine, RouteRequest};
//! let engine = Engine::new(corridor_data::Dataset::embedded().unwrap());
//! let mut req = RouteRequest { from: "Urumqi".into(), to: "Baku".into(), ..Default::default() };
//! req.avoid = vec!["country:RU".into()]; // the shared options: `corridor_engine::options`
//! let answer = engine.route(&req).unwrap();
//! assert!(!answer.itineraries[0].totals.countries.contains(&"RU".to_string()));
//! ```
//!
//! Glossary: carrier = what the cargo rides on (truck, wagon of a gauge, box on a ship, air,
//! pipe); tkm = net tonne-kilometres; WTW/TTW/WTT = well-to-wheel, tank-to-wheel,
//! well-to-tank emissions.
#![deny(missing_docs)]

pub mod answer;
pub mod cargo;
pub mod chain;
pub mod compare;
pub mod constraints;
pub mod door;
pub mod error;
pub mod flows;
pub mod options;
pub mod pareto;
pub mod reliability;
pub mod route;
pub mod search;
pub mod table;
pub mod timed;

pub use answer::RouteAnswer;
pub use cargo::Cargo;
pub use error::{ErrorBody, QueryError};
pub use options::{LaneOptions, ShipmentOptions};
pub use pareto::ParetoConfig;
pub use route::{Engine, Optimize, RouteRequest};
pub use table::{TableAnswer, TableCell, TableRequest};

/// The JSON Schema of [`RouteAnswer`], as committed in `schema/route-answer.schema.json`.
pub fn answer_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RouteAnswer)).unwrap_or_default()
}

/// The JSON Schema of [`ErrorBody`].
pub fn error_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ErrorBody)).unwrap_or_default()
}
