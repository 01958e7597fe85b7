//! corridor in batch: job files (lanes × scenarios × options), runs recorded in a results
//! store, exports; the pieces the `corridor batch` and `corridor runs` commands, the Python
//! package and its Ray runner share (docs/batch.md).
//!
//! - [`engines`]: a dataset (embedded or a data folder/overlay) loaded once, and one engine
//!   per list of scenarios, built on first use and kept.
//! - [`job`]: the job file, checked whole before any work (every problem with its line).
//! - [`flows`]: `[flows]`, assignments per scenario and demand factor.
//! - [`part`]: a part (one scenario × one chunk of lanes) computed into rows, the same way
//!   on every runner.
//! - [`store`]: SQLite (default, one file) or PostgreSQL, the same schema; a part and its rows
//!   in one transaction.
//! - [`runner`]: a run, resumed where an interrupted one stopped.
//! - [`export`]: Parquet and CSV; [`diff`]: two runs lane by lane.
//! - [`failure`]: every error in the CLI's vocabulary.
#![deny(missing_docs)]

pub mod diff;
pub mod engines;
pub mod export;
pub mod failure;
pub mod flows;
pub mod job;
pub mod part;
pub mod runner;
pub mod store;

pub use engines::Engines;
pub use failure::Failure;
pub use job::Job;
pub use store::Store;
