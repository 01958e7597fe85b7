//! Capacity and demand, the inputs of the flow assignment (`corridor assign`):
//!
//! - `capacity.csv`: what a border crossing, rail section, ferry or sea service (a link) or a
//!   port, terminal or gauge-change yard (a place, per carrier) can pass, as published with
//!   its unit and year, and converted to TEU per year with the conversion stated; `planned`
//!   rows are announced expansions a scenario can switch on.
//! - `demand.csv`: TEU per year between places (one direction per row), with the source and
//!   the method that spread a published total over the pair. `corridor assign --demand FILE`
//!   reads a file of the same columns instead.

/// The capacity file.
pub const CAPACITY_FILE: &str = "capacity.csv";
/// The default demand file.
pub const DEMAND_FILE: &str = "demand.csv";

/// What a capacity row binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapElement {
    /// A link of `links.csv` (a border crossing, line, ferry or sea service).
    Link,
    /// Handling at a place of `places.csv`, into or out of one carrier.
    Place,
}

/// The direction a capacity row binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapDirection {
    /// The link's from → to.
    Forward,
    /// The link's to → from (bidirectional links).
    Reverse,
    /// Each direction (of a link), or loading and unloading each (of a place), separately.
    Both,
    /// Loading into the carrier at the place (onto ships: exports).
    Load,
    /// Unloading out of the carrier at the place.
    Unload,
}

impl CapDirection {
    /// Parses `forward`, `reverse`, `both`, `load` or `unload`.
    pub fn parse(s: &str) -> Option<CapDirection> {
        Some(match s {
            "forward" => CapDirection::Forward,
            "reverse" => CapDirection::Reverse,
            "both" => CapDirection::Both,
            "load" => CapDirection::Load,
            "unload" => CapDirection::Unload,
            _ => return None,
        })
    }
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            CapDirection::Forward => "forward",
            CapDirection::Reverse => "reverse",
            CapDirection::Both => "both",
            CapDirection::Load => "load",
            CapDirection::Unload => "unload",
        }
    }
}

/// A row of `capacity.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Row id (`CAP-…`).
    pub id: String,
    /// Link or place.
    pub element: CapElement,
    /// The link id (element link) or the place id (element place).
    pub target: String,
    /// For a place: the carrier handled (`box`, `wagon`, `wagon1520`, `wagon1435`, `truck`).
    pub carrier: Option<String>,
    /// The direction bound.
    pub direction: CapDirection,
    /// Whether this is an announced expansion (used only when a run switches planned rows on).
    pub planned: bool,
    /// The figure as published.
    pub figure: f64,
    /// Its unit as published (`trains/day`, `Mt/year`, …).
    pub unit: String,
    /// The figure in TEU per year per direction bound: what the assignment uses.
    pub teu_per_year: f64,
    /// How `teu_per_year` follows from the figure.
    pub conversion: String,
    /// The figure's year.
    pub year: Option<i32>,
    /// Source id.
    pub source: String,
    /// Note.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// A row of `demand.csv` (or of a `--demand` file).
#[derive(Debug, Clone, PartialEq)]
pub struct DemandRow {
    /// Row id.
    pub id: String,
    /// Origin place (id or name).
    pub from: String,
    /// Destination place (id or name).
    pub to: String,
    /// TEU per year, from → to.
    pub teu_per_year: f64,
    /// Commodity (`container` unless given).
    pub commodity: String,
    /// The figure's year.
    pub year: Option<i32>,
    /// Source id (sources.csv) or text.
    pub source: String,
    /// How the figure was derived from the published total.
    pub method: String,
    /// Line in the file.
    pub line: u64,
}

/// Most bytes of a user's demand file (`--demand`, a batch job's `demand`).
pub const MAX_DEMAND_FILE_BYTES: u64 = 16 << 20;

/// Why a user's demand file could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum DemandFileError {
    /// Not readable as a file of demand rows: missing, a device or folder, too big, not UTF-8
    /// (the message names the file and the fix).
    Unreadable(String),
    /// Read, with these problems at their lines.
    Invalid(Vec<crate::Problem>),
}

/// Reads a user's demand file of `demand.csv`'s columns: its text and rows. A device
/// (`/dev/zero`), a FIFO or a folder is refused before any read (it would be read without end
/// or fail obscurely), and so is a file over [`MAX_DEMAND_FILE_BYTES`].
///
/// # Errors
/// [`DemandFileError`].
pub fn read_demand_file(
    path: &std::path::Path,
) -> Result<(String, Vec<DemandRow>), DemandFileError> {
    let bad = |m: String| DemandFileError::Unreadable(m);
    let meta =
        std::fs::metadata(path).map_err(|e| bad(format!("demand file {}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(bad(format!(
            "demand file {} is not a regular file: give a CSV file (from,to,teu_per_year)",
            path.display()
        )));
    }
    if meta.len() > MAX_DEMAND_FILE_BYTES {
        return Err(bad(format!(
            "demand file {} is {} bytes; at most {MAX_DEMAND_FILE_BYTES}",
            path.display(),
            meta.len()
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        bad(format!(
            "demand file {}: {e} (UTF-8 CSV expected)",
            path.display()
        ))
    })?;
    let rows = parse_demand(&text).map_err(DemandFileError::Invalid)?;
    Ok((text, rows))
}

/// Reads a demand file of `demand.csv`'s columns (`--demand FILE`): the rows, or every problem
/// found (file:line), none dropped in silence.
pub fn parse_demand(text: &str) -> Result<Vec<DemandRow>, Vec<crate::Problem>> {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    crate::load::read_demand(text, &mut rows, &mut problems);
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}
