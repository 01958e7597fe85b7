//! The checked form of a scenario: what each change selects and does, with its lines.
//!
//! [`crate::parse`] builds it from TOML text; [`crate::apply`] applies it to data records.

use chrono::NaiveDate;
use corridor_data::constraints::{Goods, Regime};
use corridor_data::{Mode, Price, Range3, Status};

/// A checked scenario: what it changes, in order, and where each change is in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short name (shipped scenarios: the file stem).
    pub name: String,
    /// What the scenario asks.
    pub description: String,
    /// The scenario's main source (an id in `sources.csv`, in this file's `[[sources]]`, or a
    /// citation).
    pub source: String,
    /// The date the scenario's figures are as of, if given.
    pub as_of: Option<NaiveDate>,
    /// Sources the file cites that the data folder does not have; added to the records' sources.
    pub sources: Vec<ScenarioSource>,
    /// The changes, applied in file order.
    pub changes: Vec<Change>,
    /// Where the text came from (a path, or `scenarios/NAME.toml`), for messages.
    pub file: String,
    /// SHA-256 of the file's text (lowercase hex, 64 characters): names the exact text in answers.
    pub hash: String,
}

impl Scenario {
    /// The first 16 hex characters of [`Scenario::hash`] (as the data hash is shown).
    pub fn short_hash(&self) -> &str {
        &self.hash[..16]
    }
}

/// A source a scenario cites (a `[[sources]]` entry): the columns of `sources.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSource {
    /// Source id, unique in the data and the scenario.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// URL, may be empty.
    pub url: String,
    /// Date or year.
    pub date: String,
    /// Note; `estimate: how` for derived figures.
    pub note: String,
    /// Line of the entry in the scenario file.
    pub line: u64,
}

/// What kind of record a change selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Rows of `links.csv` (every mode, border links included).
    Links,
    /// Border links only (links of mode `border`).
    Borders,
    /// Places: their transfers (dwell) or the links that touch them (closures).
    Places,
    /// Rows of `transfers.csv` (lifts, gauge changes, roll-on, handling).
    Transfers,
}

impl Target {
    /// The name in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Links => "links",
            Target::Borders => "borders",
            Target::Places => "places",
            Target::Transfers => "transfers",
        }
    }
}

/// Which records a change applies to: every given field must match (AND); within a field any
/// value may (OR).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selector {
    /// Exact ids: link ids (links, borders) or place ids (places).
    pub ids: Vec<String>,
    /// Place kinds (places) or transfer kinds (transfers), as in the CSV files.
    pub kinds: Vec<String>,
    /// Link modes.
    pub modes: Vec<Mode>,
    /// ISO countries: a link touches one by its end places or its `countries`; a place or a
    /// transfer's place lies in it.
    pub countries: Vec<String>,
    /// Passages a link runs through (`bab_el_mandeb`, `suez`, `cape_of_good_hope`, …).
    pub passages: Vec<String>,
    /// Place ids: links that start or end there, transfers there.
    pub places: Vec<String>,
    /// Link statuses.
    pub statuses: Vec<Status>,
}

/// A change of hours: added (may be negative, the result may not be) or multiplied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Adjust {
    /// Hours added to typical, low and high.
    Add(f64),
    /// Factor on typical, low and high (finite, > 0).
    Factor(f64),
}

impl Adjust {
    /// Applies the change to a range.
    pub fn apply(self, r: Range3) -> Range3 {
        match self {
            Adjust::Add(h) => Range3 {
                typical: r.typical + h,
                low: r.low + h,
                high: r.high + h,
            },
            Adjust::Factor(f) => Range3 {
                typical: r.typical * f,
                low: r.low * f,
                high: r.high * f,
            },
        }
    }
}

/// A change of the per-departure capacity.
#[derive(Debug, Clone, PartialEq)]
pub enum CapacityChange {
    /// Factor on the link's capacity figure.
    Factor(f64),
    /// A new figure, with its unit when the link has none (`trucks_per_sailing`, …).
    Set {
        /// The figure.
        value: f64,
        /// Its unit; `None` keeps the link's.
        unit: Option<String>,
    },
}

/// A change of price.
#[derive(Debug, Clone, PartialEq)]
pub enum CostChange {
    /// Factor on the fixed and per-km parts.
    Factor(f64),
    /// A new price replacing the old.
    Set(Price),
}

/// What a change does.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Extra wait for a departure (links).
    Wait(Adjust),
    /// Extra dwell: border or port stay (links), the transfers at a place, or transfers.
    Dwell(Adjust),
    /// Closed: without dates for the whole scenario (links set `suspended`), with dates as
    /// `closures.csv` rows (applied with `--depart`/`--arrive-by`).
    Close {
        /// First closed day.
        from: Option<NaiveDate>,
        /// Last closed day (inclusive).
        to: Option<NaiveDate>,
    },
    /// Capacity per departure (links).
    Capacity(CapacityChange),
    /// Price (links, transfers).
    Cost(CostChange),
    /// Planned, under-construction or suspended links switched on (status `operating`).
    Open,
    /// A customs regime made the default at border links: its dwell replaces the link's own.
    CustomsDefault {
        /// The regime.
        regime: Regime,
        /// The goods the regime is for, as the customs row states them (`None`: any goods).
        goods: Option<Goods>,
        /// The dwell under the regime where `customs.csv` has no row for the link (a row is
        /// then added, so `--customs` finds it too).
        dwell_h: Option<Range3>,
    },
}

impl Operation {
    /// Short name of the operation (the TOML key).
    pub fn key(&self) -> &'static str {
        match self {
            Operation::Wait(_) => "wait_h",
            Operation::Dwell(_) => "dwell_h",
            Operation::Close { .. } => "close",
            Operation::Capacity(_) => "capacity",
            Operation::Cost(_) => "cost",
            Operation::Open => "open",
            Operation::CustomsDefault { .. } => "customs_default",
        }
    }
}

/// One change of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Line of the change in the file (its `[[change]]` header).
    pub line: u64,
    /// Why (shown in reports and closure explanations).
    pub reason: String,
    /// Source id of the figure (in `sources.csv` or the scenario's `[[sources]]`).
    pub source: String,
    /// Line of `source`.
    pub source_line: u64,
    /// What kind of record it selects.
    pub target: Target,
    /// Which records.
    pub select: Selector,
    /// Line of `select`.
    pub select_line: u64,
    /// What it does to them.
    pub op: Operation,
}
