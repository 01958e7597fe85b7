//! # corridor-scenario: what-if changes to the network, as reviewable TOML files
//!
//! A scenario is a small TOML file (`docs/scenarios.md`): a `name`, a `description`, a
//! `source`, and a list of `[[change]]`s, each with a `reason`, a `source`, a `select` (which
//! links, borders, places or transfers) and one operation (extra wait or dwell, a closure, a
//! capacity or cost change, planned links switched on, a customs regime made the default).
//!
//! - [`parse`] reads the text and checks everything the data is not needed for; every problem
//!   names file:line.
//! - [`apply`] turns data records into new records (pure and deterministic) and reports what
//!   each change matched ([`Applied`]); a selector that matches nothing is an error.
//! - [`shipped`] and [`SHIPPED`]: the scenarios in the repository's `scenarios/` folder,
//!   compiled in and addressed by name (the file stem).
//!
//! ```
//! use corridor_data::{load, Dataset};
//! let scenario = corridor_scenario::shipped("caspian-backlog").unwrap().unwrap();
//! let (records, _) = load::parse(&Dataset::embedded_raw());
//! let (changed, applied) = corridor_scenario::apply(&scenario, records).unwrap();
//! assert!(applied.changes[0].matched.iter().any(|id| id == "link:FR-KURYK-ALAT-TRUCK"));
//! let ferry = changed.links.iter().find(|l| l.id == "FR-KURYK-ALAT-TRUCK").unwrap();
//! assert!(ferry.wait_h.unwrap().typical >= 240.0);
//! ```
#![deny(missing_docs)]

pub mod apply;
pub mod dataset;
pub mod error;
pub mod format;
pub mod model;
mod ops;
mod select;
pub mod shipped;

pub use apply::{apply, apply_all, Applied, AppliedChange};
pub use dataset::with_scenarios;
pub use error::{ScenarioError, ScenarioProblem};
pub use format::{hash_text, parse};
pub use model::{
    Adjust, CapacityChange, Change, CostChange, Operation, Scenario, ScenarioSource, Selector,
    Target,
};
pub use shipped::{shipped, SHIPPED};

/// Reads a scenario: a shipped name (`caspian-backlog`) or a path to a TOML file.
///
/// A value that names a shipped scenario is the shipped one; anything else is read as a path.
pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioError> {
    if let Some(s) = shipped(name_or_path) {
        return s;
    }
    let path = std::path::Path::new(name_or_path);
    let text = std::fs::read_to_string(path).map_err(|e| {
        let names: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
        ScenarioError::one(
            name_or_path,
            0,
            format!(
                "cannot be read ({e}); a shipped scenario is one of: {}",
                names.join(", ")
            ),
        )
    })?;
    parse(name_or_path, &text)
}
