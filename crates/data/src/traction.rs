//! Traction per rail link (`traction.csv`): electric, diesel or mixed with the electrified
//! share of the line, each row with its source.
//!
//! The emission method (`corridor-emissions`) gives an electric or mixed rail link the
//! electricity-based CO2e of the electric rail factor at the grid factor of the country the
//! link runs in, for its electrified share, and the link's own (fuel) factor for the rest.
//! A rail link without a row keeps its factor (`emission_factor`, or the mode default).

/// The file name.
pub const FILE: &str = "traction.csv";

/// How a rail line is hauled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TractionKind {
    /// Electrified throughout (electrified share 1).
    Electric,
    /// Not electrified (electrified share 0).
    Diesel,
    /// Partly electrified: the share of the link's distance under catenary is given.
    Mixed,
}

impl TractionKind {
    /// Parses `electric`, `diesel` or `mixed`.
    pub fn parse(s: &str) -> Option<TractionKind> {
        Some(match s.trim() {
            "electric" => TractionKind::Electric,
            "diesel" => TractionKind::Diesel,
            "mixed" => TractionKind::Mixed,
            _ => return None,
        })
    }
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            TractionKind::Electric => "electric",
            TractionKind::Diesel => "diesel",
            TractionKind::Mixed => "mixed",
        }
    }
}

/// A row of `traction.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Traction {
    /// Link id (`links.csv`, a rail link).
    pub link: String,
    /// Traction.
    pub traction: TractionKind,
    /// Share of the link's distance hauled electrically, 0–1 (1 for electric, 0 for diesel).
    pub electrified_share: f64,
    /// Source.
    pub source: String,
    /// Note: which line, and how the share was made.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}
