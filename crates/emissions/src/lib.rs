//! # corridor-emissions: freight emissions per ISO 14083:2023 and the GLEC Framework v3.1
//!
//! The method, with no I/O: the engine and the CLI hand it transport chain elements (TCEs,
//! one per leg) and hub operations (HOCs, one per transfer) with the factors of a data folder,
//! and get back, per element and in total, tonne-km, energy (MJ, tank-to-wheel), CO2e well-to-
//! wheel with its tank-to-wheel / well-to-tank split, the intensity in g/tkm, air pollutants
//! where a public factor exists, and which factor (table, page, source) produced each figure.
//!
//! - [`calc`]: one TCE ([`calc::transport`]) or HOC ([`calc::hub`]): distance adjustment, load
//!   factor and empty running, gross-to-cargo reallocation (Ro-Pax), electricity at the grid
//!   factor of the country, pollutants. A missing factor gives `null` with a reason, never 0.
//! - [`chain`]: the footprint of a chain of elements and its totals.
//! - [`ileap`]: export in the iLEAP / PACT ShipmentFootprint data model (TCEs with TOC/HOC ids).
//! - [`report`]: a self-contained HTML report with an inline SVG bar chart.
//!
//! Default factors are the GLEC Framework v3.1's (credit: [`GLEC_CREDIT`]); they live in the
//! data folder (`emission_factors.csv`, `hub_factors.csv`, `grid_factors.csv`,
//! `pollutant_factors.csv`), each row with its table, page and source. The method is written
//! out in `docs/emissions.md`.
//!
//! ```
//! use corridor_emissions::calc::{transport, DistanceKind, FactorSet, Shipment, Tce};
//! let ds = corridor_data::Dataset::embedded().unwrap();
//! let set = FactorSet::from_dataset(&ds);
//! let sea = set.factor("EF-SEA-ASIA-NEU").unwrap();
//! // GLEC v3.1 Module 4 s.4.1 p.128: 10 TEU x 21,000 km x 44.1 g/TEU-km = 9,261 kg
//! let tce = Tce::new("sea", corridor_data::Mode::Sea, 21_000.0, DistanceKind::Network,
//!     Shipment::teu(10.0, 10.0), Some(sea));
//! let r = transport(&tce, &set).unwrap();
//! assert!((r.co2e_kg.unwrap() - 9261.0).abs() < 1.0);
//! ```
#![deny(missing_docs)]

pub mod calc;
pub mod chain;
pub mod hoc;
pub mod ileap;
pub mod report;

/// The method corridor implements.
pub const METHOD: &str = "ISO 14083:2023 / GLEC Framework v3.1";

/// The GLEC version the default factors are pinned to.
pub const GLEC_VERSION: &str =
    "GLEC Framework v3.1 (Smart Freight Centre, SFC-GUID-001 v3.1, print 2024-10-23)";

/// The credit line shown wherever GLEC values are used.
pub const GLEC_CREDIT: &str = "GLEC Framework v3.1, Smart Freight Centre";

/// Licence note for GLEC's tables.
pub const GLEC_LICENCE: &str = "GLEC's tables are reproduced with acknowledgement for non-commercial use; commercial redistribution may need Smart Freight Centre's written permission.";

pub use calc::{EmissionError, FactorSet, Hoc, HocResult, Shipment, Tce, TceResult};
pub use chain::{Footprint, FootprintTotals};
