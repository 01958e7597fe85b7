//! Reading a data folder: CSV text → typed records, with every problem reported as file:line.
//!
//! Parsing never stops at the first problem: a reviewer wants the whole list. A field that fails
//! to parse is reported and the row is skipped, so later checks do not pile up follow-on errors.
//!
//! The reading is table-driven: every record type reads its own row (`FromRow`, one
//! impl per type in the module of its family), and `FILES` lists the files in the order they
//! are read, with where their rows go. `meta.csv` (key/value rows) has its own reader.
//!
//! The data layer's modules import in one direction: [`crate::model`] (with
//! [`crate::constraints`] and [`crate::geometry`]) → `load` → [`crate::validate`] →
//! [`crate::Dataset`].

mod calendar;
mod constraints;
mod distributions;
mod factors;
mod flows;
mod geometry;
mod meta;
mod network;
mod rates;
mod raw;
mod reader;

pub use crate::problem::Problem;
pub(crate) use flows::read_demand;
pub(crate) use raw::hex16;
pub use raw::{RawFiles, MAX_FILE_BYTES, OPTIONAL_FILES, REMOVE_FILE, REQUIRED_FILES};
pub(crate) use reader::{read_csv, FromRow};

use crate::constraints::{CargoRule, ComplianceRule, CustomsRule};
use crate::geometry::LinkGeometry;
use crate::model::*;

/// Parsed records of a data folder, before cross-file checks.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// meta.csv
    pub meta: Meta,
    /// sources.csv
    pub sources: Vec<Source>,
    /// groups.csv
    pub groups: Vec<Group>,
    /// places.csv
    pub places: Vec<Place>,
    /// links.csv
    pub links: Vec<Link>,
    /// transfers.csv
    pub transfers: Vec<Transfer>,
    /// fx.csv
    pub fx: Vec<Fx>,
    /// emission_factors.csv
    pub emission_factors: Vec<EmissionFactor>,
    /// grid_factors.csv (optional file)
    pub grid_factors: Vec<GridFactor>,
    /// hub_factors.csv (optional file)
    pub hub_factors: Vec<HubFactor>,
    /// pollutant_factors.csv (optional file)
    pub pollutant_factors: Vec<PollutantFactor>,
    /// services.csv (optional file)
    pub services: Vec<Service>,
    /// closures.csv (optional file)
    pub closures: Vec<Closure>,
    /// sea_rates.csv (optional file): links' prices by dated rate period
    pub sea_rates: Vec<SeaRate>,
    /// cargo_rules.csv, customs.csv, compliance.csv (optional files)
    pub constraints: crate::constraints::ConstraintData,
    /// link_geometry.csv (optional, derived file)
    pub link_geometry: Vec<LinkGeometry>,
    /// distributions.csv (optional): published distributions of times
    pub distributions: Vec<Distribution>,
    /// traction.csv (optional): traction per rail link
    pub traction: Vec<crate::traction::Traction>,
    /// driving_rules.csv (optional): drivers' working time per country
    pub driving_rules: Vec<crate::driving::DrivingRule>,
    /// capacity.csv (optional): capacities of links and places, for the flow assignment
    pub capacity: Vec<crate::flows::Capacity>,
    /// demand.csv (optional): the default demand, TEU per year between places
    pub demand: Vec<crate::flows::DemandRow>,
}

/// A record type with a place in [`Records`]: where its rows go.
pub(crate) trait Family: FromRow {
    /// The records of this type.
    fn rows(r: &mut Records) -> &mut Vec<Self>;
}

macro_rules! families {
    ($($t:ty => $($field:ident).+;)*) => {
        $(impl Family for $t {
            fn rows(r: &mut Records) -> &mut Vec<Self> {
                &mut r.$($field).+
            }
        })*
    };
}

families! {
    Source => sources;
    Group => groups;
    Place => places;
    Link => links;
    Transfer => transfers;
    Fx => fx;
    EmissionFactor => emission_factors;
    Service => services;
    Closure => closures;
    SeaRate => sea_rates;
    GridFactor => grid_factors;
    HubFactor => hub_factors;
    LinkGeometry => link_geometry;
    PollutantFactor => pollutant_factors;
    CargoRule => constraints.cargo_rules;
    CustomsRule => constraints.customs;
    ComplianceRule => constraints.compliance;
    Distribution => distributions;
    crate::traction::Traction => traction;
    crate::driving::DrivingRule => driving_rules;
    crate::flows::Capacity => capacity;
    crate::flows::DemandRow => demand;
}

/// One file of a data folder with rows of one record type.
pub(crate) struct FileKind {
    /// The fixed file name.
    pub(crate) name: &'static str,
    /// Whether every whole data folder has it (else it is optional).
    pub(crate) required: bool,
    /// Reads the file's text into the records.
    pub(crate) read: fn(&str, &mut Records, &mut Vec<Problem>),
}

const fn kind<T: Family>(required: bool) -> FileKind {
    FileKind {
        name: T::FILE,
        required,
        read: |text, r, p| reader::read_rows(text, T::rows(r), p),
    }
}

/// The files with records, in the order they are read (after `meta.csv`).
pub(crate) const FILES: [FileKind; 22] = [
    kind::<Source>(true),
    kind::<Group>(true),
    kind::<Place>(true),
    kind::<Link>(true),
    kind::<Transfer>(true),
    kind::<Fx>(true),
    kind::<EmissionFactor>(true),
    kind::<Service>(false),
    kind::<Closure>(false),
    kind::<SeaRate>(false),
    kind::<GridFactor>(false),
    kind::<HubFactor>(false),
    kind::<LinkGeometry>(false),
    kind::<PollutantFactor>(false),
    kind::<CargoRule>(false),
    kind::<CustomsRule>(false),
    kind::<ComplianceRule>(false),
    kind::<Distribution>(false),
    kind::<crate::traction::Traction>(false),
    kind::<crate::driving::DrivingRule>(false),
    kind::<crate::flows::Capacity>(false),
    kind::<crate::flows::DemandRow>(false),
];

/// Parses all files. Returns the records that parsed and every problem found.
pub fn parse(raw: &RawFiles) -> (Records, Vec<Problem>) {
    parse_layer(raw, false)
}

/// Parses the files of a whole folder, or of an overlay (`overlay`: every file may be absent,
/// `meta.csv` included, and the meta keys are optional).
pub(crate) fn parse_layer(raw: &RawFiles, overlay: bool) -> (Records, Vec<Problem>) {
    let mut p = Vec::new();
    let mut r = Records::default();
    let text = |name: &str| raw.files.get(name).map(String::as_str);
    match text("meta.csv") {
        Some(t) => meta::parse_meta(t, &mut r.meta, &mut p, overlay),
        None if !overlay => meta::parse_meta("", &mut r.meta, &mut p, overlay),
        None => {}
    }
    for f in &FILES {
        // A required file that is missing reads as empty (and says it needs a header row);
        // an optional one is simply absent, and so is every file of an overlay.
        match (text(f.name), f.required && !overlay) {
            (Some(t), _) => (f.read)(t, &mut r, &mut p),
            (None, true) => (f.read)("", &mut r, &mut p),
            (None, false) => {}
        }
    }
    (r, p)
}
