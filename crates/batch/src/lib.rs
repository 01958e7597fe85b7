//! corridor in batch: the pieces the `corridor batch` command and the Python package share.
//!
//! - [`engines`]: a dataset (embedded or a data folder/overlay) loaded once, and one engine
//!   per list of scenarios, built on first use and kept.
//! - [`failure`]: every error in the CLI's vocabulary (`code`, `message`, `field`,
//!   `suggestions`, `problems` with file:line), as one serialisable value.
#![deny(missing_docs)]

pub mod engines;
pub mod failure;

pub use engines::Engines;
pub use failure::Failure;
