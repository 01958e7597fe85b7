//! # corridor-data: the corridor layer as reviewable CSV files
//!
//! The first stage of corridor's pipeline (data → build → engine → interfaces). A data folder
//! holds places (terminals, ports, border posts), directed links (road, rail, sea, ferry, air,
//! pipeline, border), transfers (lifts, gauge changes), currency rates, emission factors and the
//! sources of every figure. The format is in `docs/data-format.md`.
//!
//! - [`load`] reads the CSV text into typed records ([`model`]), reporting every malformed
//!   field as file:line.
//! - [`validate`] checks the records against each other (unknown ids, coordinates out of range,
//!   a distance below the great-circle distance, a place nothing connects to, dangling sources).
//! - [`names`] folds and resolves place names in English, Chinese and Russian.
//! - [`Dataset`] is the checked whole, built from records in one place
//!   ([`Dataset::from_records`]: a dataset in, a dataset out, the seam for scenarios);
//!   [`Dataset::embedded`] is the default Eurasian network compiled into the binary.
//! - [`layers`] lays an overlay folder (rows added, replaced, removed) over the embedded network
//!   or another folder; [`Dataset::load_dir`] reads either kind of folder.
//!
//! Modules import in one direction: [`model`] (with [`constraints`] and [`geometry`], the
//! record types) → [`load`] (text → records) → [`validate`] (records against each other) →
//! [`Dataset`] and [`layers`].
//!
//! ```
//! let ds = corridor_data::Dataset::embedded().unwrap();
//! let aktau = ds.resolve("Актау").unwrap();
//! assert!(aktau.places.iter().any(|&i| ds.places[i].country == "KZ"));
//! ```
//!
//! Glossary: TEU/FEU = twenty/forty-foot equivalent unit; LOCODE = UN code for trade
//! locations; gauge = rail track width (1435 mm standard, 1520 mm in the former USSR).
#![deny(missing_docs)]

pub mod calendar;
pub mod constraints;
mod dataset;
pub mod driving;
mod embedded;
pub mod flows;
pub mod geodesy;
pub mod geometry;
pub mod layers;
pub mod load;
pub mod model;
pub mod names;
mod problem;
pub mod provenance;
pub mod traction;
pub mod validate;

pub use dataset::{Dataset, LayerInfo, Provenance};
pub use driving::{DriverState, DrivingLimits, DrivingRule};
pub use flows::{CapDirection, CapElement, Capacity, DemandRow};
pub use load::{Problem, RawFiles, MAX_FILE_BYTES, OPTIONAL_FILES, REMOVE_FILE, REQUIRED_FILES};
pub use model::*;
pub use names::{NameError, Resolved};
pub use problem::LISTED_PER_FILE;
pub use traction::{Traction, TractionKind};

/// The data folder could not be used.
#[derive(Debug, thiserror::Error)]
#[error("invalid data in {label}: {} problem(s), first: {}", self.total(), problems.first().map(|p| p.to_string()).unwrap_or_default())]
pub struct DataError {
    /// Folder label.
    pub label: String,
    /// The problems, sorted by file and line: at most [`LISTED_PER_FILE`] per file,
    /// the rest of a file counted in one [`Problem::more`] line.
    pub problems: Vec<Problem>,
}

impl DataError {
    /// A report of `problems` (sorted, deduplicated and capped per file).
    pub fn new(label: impl Into<String>, mut problems: Vec<Problem>) -> DataError {
        problems.sort();
        problems.dedup();
        DataError {
            label: label.into(),
            problems: problem::capped(problems),
        }
    }

    /// How many problems were found, the unlisted ones included.
    pub fn total(&self) -> u64 {
        self.problems.iter().map(Problem::count).sum()
    }
}

#[cfg(test)]
mod tests;
