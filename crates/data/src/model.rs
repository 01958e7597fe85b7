//! The typed records of a corridor data folder, one struct per CSV file.
//!
//! These are the figures as the files state them (currencies, ranges, sources); the network
//! crate turns them into arrays the engine searches. See `docs/data-format.md`.

use std::fmt;

pub use crate::calendar::{boarding_rows, Closure, ClosureEffect, Service, ServiceWaits};

/// A (typical, low, high) triple, e.g. hours or speeds.
///
/// For durations `low` is the shortest and `high` the longest; for speeds `low` is the slowest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range3 {
    /// The typical (expected) value.
    pub typical: f64,
    /// The low end of the published or estimated range.
    pub low: f64,
    /// The high end of the published or estimated range.
    pub high: f64,
}

impl Range3 {
    /// A range of one value.
    pub fn exact(v: f64) -> Self {
        Range3 {
            typical: v,
            low: v,
            high: v,
        }
    }
    /// The zero range.
    pub const ZERO: Range3 = Range3 {
        typical: 0.0,
        low: 0.0,
        high: 0.0,
    };
}

/// Transport mode of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Truck on road.
    Road,
    /// Train.
    Rail,
    /// Ocean or sea container ship (boxes are lifted on and off).
    Sea,
    /// Ferry: trucks or wagons roll on, or boxes travel on deck.
    Ferry,
    /// Inland waterway.
    Iww,
    /// Air freight.
    Air,
    /// Pipeline (liquids and gas only).
    Pipeline,
    /// A border crossing between two border posts.
    Border,
}

impl Mode {
    /// All modes, in a fixed order.
    pub const ALL: [Mode; 8] = [
        Mode::Road,
        Mode::Rail,
        Mode::Sea,
        Mode::Ferry,
        Mode::Iww,
        Mode::Air,
        Mode::Pipeline,
        Mode::Border,
    ];
    /// The name used in files, on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Road => "road",
            Mode::Rail => "rail",
            Mode::Sea => "sea",
            Mode::Ferry => "ferry",
            Mode::Iww => "iww",
            Mode::Air => "air",
            Mode::Pipeline => "pipeline",
            Mode::Border => "border",
        }
    }
    /// Parses a mode name (also accepts `ro-ro`, `roro` for ferry, `inland_waterway` for iww).
    pub fn parse(s: &str) -> Option<Mode> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "road" | "truck" => Mode::Road,
            "rail" | "train" => Mode::Rail,
            "sea" | "ship" => Mode::Sea,
            "ferry" | "ro-ro" | "roro" => Mode::Ferry,
            "iww" | "inland_waterway" => Mode::Iww,
            "air" => Mode::Air,
            "pipeline" => Mode::Pipeline,
            "border" => Mode::Border,
            _ => return None,
        })
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the cargo rides on while it moves: the thing that rolls onto a ferry or is lifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Carries {
    /// A truck (road vehicle with the box on it).
    Truck,
    /// A rail wagon.
    Wagon,
    /// A container lifted onto a vessel.
    Box,
    /// Air cargo.
    Air,
    /// Pipeline.
    Pipe,
}

impl Carries {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Carries::Truck => "truck",
            Carries::Wagon => "wagon",
            Carries::Box => "box",
            Carries::Air => "air",
            Carries::Pipe => "pipe",
        }
    }
    /// Parses a name.
    pub fn parse(s: &str) -> Option<Carries> {
        Some(match s.trim() {
            "truck" => Carries::Truck,
            "wagon" => Carries::Wagon,
            "box" => Carries::Box,
            "air" => Carries::Air,
            "pipe" => Carries::Pipe,
            _ => return None,
        })
    }
    /// What a mode carries when the file does not say.
    pub fn implied(mode: Mode) -> Option<Carries> {
        match mode {
            Mode::Road => Some(Carries::Truck),
            Mode::Rail => Some(Carries::Wagon),
            Mode::Sea | Mode::Iww => Some(Carries::Box),
            Mode::Air => Some(Carries::Air),
            Mode::Pipeline => Some(Carries::Pipe),
            Mode::Ferry | Mode::Border => None,
        }
    }
}

/// A carrier pattern in `transfers.csv`: a carrier, with a gauge or any gauge for wagons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CarrierPattern {
    /// The carrier.
    pub carries: Carries,
    /// For wagons: the gauge in mm, or `None` for any gauge.
    pub gauge_mm: Option<u16>,
}

impl CarrierPattern {
    /// Parses `truck`, `wagon`, `wagon:1520`, `box`, `air`, `pipe`.
    pub fn parse(s: &str) -> Option<CarrierPattern> {
        let s = s.trim();
        if let Some(g) = s.strip_prefix("wagon:") {
            let gauge_mm = g.parse::<u16>().ok()?;
            return Some(CarrierPattern {
                carries: Carries::Wagon,
                gauge_mm: Some(gauge_mm),
            });
        }
        Some(CarrierPattern {
            carries: Carries::parse(s)?,
            gauge_mm: None,
        })
    }
}

/// Kind of a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// Rail freight terminal or station.
    RailTerminal,
    /// Sea port.
    SeaPort,
    /// Dry port (inland intermodal hub with customs).
    DryPort,
    /// Border post (one side of a border crossing).
    BorderPost,
    /// Airport.
    Airport,
    /// Pipeline station.
    PipelineStation,
    /// Road hub (city, junction).
    RoadHub,
}

impl PlaceKind {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::RailTerminal => "rail_terminal",
            PlaceKind::SeaPort => "sea_port",
            PlaceKind::DryPort => "dry_port",
            PlaceKind::BorderPost => "border_post",
            PlaceKind::Airport => "airport",
            PlaceKind::PipelineStation => "pipeline_station",
            PlaceKind::RoadHub => "road_hub",
        }
    }
    /// Parses a name.
    pub fn parse(s: &str) -> Option<PlaceKind> {
        Some(match s.trim() {
            "rail_terminal" => PlaceKind::RailTerminal,
            "sea_port" => PlaceKind::SeaPort,
            "dry_port" => PlaceKind::DryPort,
            "border_post" => PlaceKind::BorderPost,
            "airport" => PlaceKind::Airport,
            "pipeline_station" => PlaceKind::PipelineStation,
            "road_hub" => PlaceKind::RoadHub,
            _ => return None,
        })
    }
}

/// Operating status of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// In service.
    Operating,
    /// Being built.
    UnderConstruction,
    /// Planned.
    Planned,
    /// Built but not in service.
    Suspended,
}

impl Status {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Operating => "operating",
            Status::UnderConstruction => "under_construction",
            Status::Planned => "planned",
            Status::Suspended => "suspended",
        }
    }
    /// Parses a name.
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s.trim() {
            "operating" => Status::Operating,
            "under_construction" => Status::UnderConstruction,
            "planned" => Status::Planned,
            "suspended" => Status::Suspended,
            _ => return None,
        })
    }
}

/// What is shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Commodity {
    /// Containerised cargo.
    Container,
    /// Dry bulk.
    Bulk,
    /// Liquid (oil, oil products).
    Liquid,
    /// Gas.
    Gas,
}

impl Commodity {
    /// All commodities.
    pub const ALL: [Commodity; 4] = [
        Commodity::Container,
        Commodity::Bulk,
        Commodity::Liquid,
        Commodity::Gas,
    ];
    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Commodity::Container => "container",
            Commodity::Bulk => "bulk",
            Commodity::Liquid => "liquid",
            Commodity::Gas => "gas",
        }
    }
    /// Parses a name.
    pub fn parse(s: &str) -> Option<Commodity> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "container" => Commodity::Container,
            "bulk" => Commodity::Bulk,
            "liquid" => Commodity::Liquid,
            "gas" => Commodity::Gas,
            _ => return None,
        })
    }
    /// Bit for masks.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// Unit a price is quoted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CostUnit {
    /// Per forty-foot equivalent unit (2 TEU).
    Feu,
    /// Per twenty-foot equivalent unit.
    Teu,
    /// Per container, whatever its size.
    Box,
    /// Per truck.
    Truck,
    /// Per rail wagon.
    Wagon,
    /// Per net tonne.
    Tonne,
    /// Per net kilogram.
    Kg,
}

impl CostUnit {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            CostUnit::Feu => "feu",
            CostUnit::Teu => "teu",
            CostUnit::Box => "box",
            CostUnit::Truck => "truck",
            CostUnit::Wagon => "wagon",
            CostUnit::Tonne => "t",
            CostUnit::Kg => "kg",
        }
    }
    /// Parses a name.
    pub fn parse(s: &str) -> Option<CostUnit> {
        Some(match s.trim() {
            "feu" => CostUnit::Feu,
            "teu" => CostUnit::Teu,
            "box" => CostUnit::Box,
            "truck" => CostUnit::Truck,
            "wagon" => CostUnit::Wagon,
            "t" => CostUnit::Tonne,
            "kg" => CostUnit::Kg,
            _ => return None,
        })
    }
}

/// A price: fixed part plus a per-km part, per unit, in a currency of a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// Fixed charge per unit.
    pub fixed: f64,
    /// Charge per km per unit.
    pub per_km: f64,
    /// The unit.
    pub unit: CostUnit,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Year of the price.
    pub price_year: i32,
}

/// A row of `sources.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Source id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// URL, may be empty.
    pub url: String,
    /// Date or year.
    pub date: String,
    /// Note; `estimate: …` for derived figures.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

impl Source {
    /// Whether this source is an estimate.
    pub fn is_estimate(&self) -> bool {
        self.note
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("estimate")
    }
}

/// A row of `groups.csv`: a city whose name stands for several terminals.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Group id.
    pub id: String,
    /// English name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// ISO country.
    pub country: String,
    /// Line in the file.
    pub line: u64,
}

/// A row of `places.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Place id (UN/LOCODE without space, or `CC-slug`).
    pub id: String,
    /// English name.
    pub name: String,
    /// Other names (Chinese, Russian, local).
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Kind.
    pub kind: PlaceKind,
    /// Rail gauges at the place, mm.
    pub gauges_mm: Vec<u16>,
    /// City group id.
    pub group: Option<String>,
    /// IANA time zone.
    pub timezone: String,
    /// Source of the coordinates.
    pub source: String,
    /// Line in the file.
    pub line: u64,
}

/// A row of `links.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Link id.
    pub id: String,
    /// Origin place id.
    pub from: String,
    /// Destination place id.
    pub to: String,
    /// Mode.
    pub mode: Mode,
    /// What rolls on / is lifted on.
    pub carries: Vec<Carries>,
    /// Track gauge for rail links.
    pub gauge_mm: Option<u16>,
    /// Whether the reverse link exists with the same figures.
    pub bidirectional: bool,
    /// Status.
    pub status: Status,
    /// Length, km.
    pub distance_km: f64,
    /// Source of the length.
    pub distance_source: String,
    /// Commercial speed, km/h (typical, slowest, fastest).
    pub speed_kmh: Option<Range3>,
    /// Moving time, hours.
    pub moving_h: Option<Range3>,
    /// Source of speed or time.
    pub time_source: Option<String>,
    /// Departures per week; `None` = on demand.
    pub departures_per_week: Option<f64>,
    /// Expected wait for a departure, hours.
    pub wait_h: Option<Range3>,
    /// Source of the wait or frequency.
    pub wait_source: Option<String>,
    /// Dwell (border processing, port stay), hours.
    pub dwell_h: Option<Range3>,
    /// Source of the dwell.
    pub dwell_source: Option<String>,
    /// Price.
    pub price: Option<Price>,
    /// Source of the price.
    pub cost_source: Option<String>,
    /// Capacity figure (informative).
    pub capacity: Option<f64>,
    /// Unit of the capacity figure.
    pub capacity_unit: String,
    /// Source of the capacity.
    pub capacity_source: Option<String>,
    /// Countries passed besides those of the end places.
    pub countries: Vec<String>,
    /// Named passages on the link.
    pub passages: Vec<String>,
    /// Allowed commodities.
    pub commodities: Vec<Commodity>,
    /// Emission factor id.
    pub emission_factor: Option<String>,
    /// Intermediate points for drawing, (lat, lon).
    pub waypoints: Vec<(f64, f64)>,
    /// Main source.
    pub source: String,
    /// Note.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// Kind of a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferKind {
    /// Container lifted between vehicles.
    Lift,
    /// Containers moved between wagons of two gauges.
    GaugeTransshipment,
    /// Wagon bogies exchanged.
    BogieExchange,
    /// Truck or wagon rolls onto a ferry.
    RollOn,
    /// Air cargo handling.
    Handling,
}

impl TransferKind {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Lift => "lift",
            TransferKind::GaugeTransshipment => "gauge_transshipment",
            TransferKind::BogieExchange => "bogie_exchange",
            TransferKind::RollOn => "roll_on",
            TransferKind::Handling => "handling",
        }
    }
    /// Parses a name.
    pub fn parse(s: &str) -> Option<TransferKind> {
        Some(match s.trim() {
            "lift" => TransferKind::Lift,
            "gauge_transshipment" => TransferKind::GaugeTransshipment,
            "bogie_exchange" => TransferKind::BogieExchange,
            "roll_on" => TransferKind::RollOn,
            "handling" => TransferKind::Handling,
            _ => return None,
        })
    }
    /// Whether this is a change of gauge.
    pub fn is_gauge_change(self) -> bool {
        matches!(
            self,
            TransferKind::GaugeTransshipment | TransferKind::BogieExchange
        )
    }
}

/// A row of `transfers.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    /// Place id, or `None` for a default (`*`) row.
    pub place: Option<String>,
    /// For default rows: the place kinds it applies to.
    pub place_kinds: Vec<PlaceKind>,
    /// Arriving carrier.
    pub from: CarrierPattern,
    /// Departing carrier.
    pub to: CarrierPattern,
    /// Kind.
    pub kind: TransferKind,
    /// Dwell, hours.
    pub hours: Range3,
    /// Charge.
    pub price: Option<Price>,
    /// The row's main source (`source`; the `time_source` when the file has no `source`).
    pub source: String,
    /// Source of the hours (`time_source`; the row's `source` when the file has no such
    /// column or leaves it empty).
    pub time_source: String,
    /// Source of the charge (`cost_source`, else the row's `source`); `None` without a charge.
    pub cost_source: Option<String>,
    /// Whether the row's single `source` stands in for a missing `time_source` or (with a
    /// charge) `cost_source`: the old one-source layout, read for compatibility and listed by
    /// [`crate::provenance::review`].
    pub shared_source: bool,
    /// Note.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// A row of `fx.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fx {
    /// ISO 4217 code.
    pub currency: String,
    /// USD per unit of the currency.
    pub usd_per_unit: f64,
    /// Year of the rate.
    pub year: i32,
    /// Source.
    pub source: String,
    /// Line in the file.
    pub line: u64,
}

/// Basis of an emission factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmissionBasis {
    /// Grams per tonne-km.
    Tkm,
    /// Grams per TEU-km.
    TeuKm,
}

/// A row of `emission_factors.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct EmissionFactor {
    /// Factor id.
    pub id: String,
    /// Mode.
    pub mode: Mode,
    /// Vehicle class and energy carrier.
    pub description: String,
    /// Basis.
    pub basis: EmissionBasis,
    /// Well-to-wheel g CO2e per basis unit; `None` when no public factor exists.
    pub wtw: Option<f64>,
    /// Tank-to-wheel.
    pub ttw: Option<f64>,
    /// Well-to-tank.
    pub wtt: Option<f64>,
    /// Mode this factor is the default for.
    pub default_for: Option<Mode>,
    /// Vehicle / vessel class slug (`artic_40t_eu`, `electric`), for choosing a factor by name.
    pub vehicle: Option<String>,
    /// Energy carrier: `diesel`, `electricity`, `vlsfo`, `hfo`, `mgo`, `lng`, `jet`.
    pub energy_carrier: Option<String>,
    /// Tank-to-wheel energy, MJ per basis unit (for electricity: at the pantograph incl. losses).
    pub energy_mj: Option<f64>,
    /// Electricity, kWh per basis unit incl. distribution losses: the CO2e then follows from the
    /// grid factor of the country the leg runs in (`grid_factors.csv`), not from `wtw`.
    pub kwh: Option<f64>,
    /// Load factor the intensity was computed at (0 < lf ≤ 1).
    pub load_factor: Option<f64>,
    /// Empty running (share of distance driven empty) the intensity was computed at (0 ≤ er < 1).
    pub empty_running: Option<f64>,
    /// Distance adjustment factor applied to network/SFD distances (sea ×1.15 where the
    /// intensity excludes it); 1 when the factor already includes it.
    pub daf: Option<f64>,
    /// Kilometres added to a great-circle distance (air: 95 km).
    pub daf_km: Option<f64>,
    /// Gross (vehicle + cargo) tonne-km per cargo tonne-km, for Ro-Ro/RoPax factors given per
    /// gross tonne-km (GLEC Module 4 example: 29.6 t laden HGV / 15.6 t load).
    pub gross_to_net: Option<f64>,
    /// Where in the source the value is: document version, table, page.
    pub reference: String,
    /// Source.
    pub source: String,
    /// Note.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// Energy carriers an emission factor may name.
pub const ENERGY_CARRIERS: [&str; 7] =
    ["diesel", "electricity", "vlsfo", "hfo", "mgo", "lng", "jet"];

/// Air pollutants `pollutant_factors.csv` may give.
pub const POLLUTANTS: [&str; 3] = ["nox", "so2", "pm"];

/// A row of `grid_factors.csv`: the CO2e of a kWh of grid electricity in a country.
#[derive(Debug, Clone, PartialEq)]
pub struct GridFactor {
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// g CO2e per kWh, well-to-wheel (all of it well-to-tank: electricity has no tailpipe).
    pub g_per_kwh: f64,
    /// Data year.
    pub year: i32,
    /// Source.
    pub source: String,
    /// Note.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// Activity unit of a hub factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HubBasis {
    /// kg CO2e per tonne handled (outbound).
    Tonne,
    /// kg CO2e per container handled (any size).
    Container,
    /// kg CO2e per TEU handled.
    Teu,
}

impl HubBasis {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            HubBasis::Tonne => "t",
            HubBasis::Container => "container",
            HubBasis::Teu => "teu",
        }
    }
    /// Parses a name.
    pub fn parse(s: &str) -> Option<HubBasis> {
        Some(match s.trim() {
            "t" | "tonne" => HubBasis::Tonne,
            "container" | "box" => HubBasis::Container,
            "teu" => HubBasis::Teu,
            _ => return None,
        })
    }
}

/// A row of `hub_factors.csv`: emissions of a transfer (hub operation category).
#[derive(Debug, Clone, PartialEq)]
pub struct HubFactor {
    /// Factor id.
    pub id: String,
    /// Transfers it applies to: a transfer kind (`lift`, `gauge_transshipment`, …), optionally
    /// `kind:box` for a transfer where one side is a ship (maritime container terminal).
    pub applies_to: Vec<String>,
    /// GLEC hub type (`Transshipment`, `MaritimeContainerTerminal`, …).
    pub hub_type: String,
    /// Description.
    pub description: String,
    /// Activity unit.
    pub basis: HubBasis,
    /// kg CO2e per basis unit, well-to-wheel; `None` when no public factor exists.
    pub wtw: Option<f64>,
    /// Tank-to-wheel part, where the source splits it.
    pub ttw: Option<f64>,
    /// Well-to-tank part, where the source splits it.
    pub wtt: Option<f64>,
    /// Where in the source the value is.
    pub reference: String,
    /// Source.
    pub source: String,
    /// Note (for an empty value: why no factor exists).
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// A row of `pollutant_factors.csv`: an air pollutant per basis unit of an emission factor.
#[derive(Debug, Clone, PartialEq)]
pub struct PollutantFactor {
    /// Emission factor id (`emission_factors.csv`).
    pub factor: String,
    /// `nox`, `so2` or `pm`.
    pub pollutant: String,
    /// g per basis unit of the emission factor (tkm or TEU-km), tank-to-wheel.
    pub g_per_unit: f64,
    /// Source.
    pub source: String,
    /// Note: how the value was made.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// The metadata of a data folder (`meta.csv`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// Format version (1).
    pub format_version: u32,
    /// Dataset name.
    pub name: String,
    /// Dataset version.
    pub version: String,
    /// Date of last review.
    pub as_of: String,
}

/// A row of `sea_rates.csv`: a link's price for one dated rate period (inclusive dates), e.g. a
/// spot-rate index assessment. A query with a date uses the period covering it; an undated
/// query, or a date no period covers, uses the link's own price in `links.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeaRate {
    /// Link id (one direction: a one-way link of `links.csv`).
    pub link: String,
    /// First day of the period.
    pub valid_from: chrono::NaiveDate,
    /// Last day of the period.
    pub valid_to: chrono::NaiveDate,
    /// The price for the period (fixed per unit; no per-km part).
    pub price: Price,
    /// Source.
    pub source: String,
    /// Note (how the figure was read or derived).
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// The form of a published distribution (`distributions.csv` `form` and `points`).
#[derive(Debug, Clone, PartialEq)]
pub enum DistributionForm {
    /// Published percentiles `(probability, hours)`, probabilities increasing from 0 (the
    /// minimum) to 1 (the maximum); the quantile function runs linearly between them.
    Percentiles(Vec<(f64, f64)>),
    /// Published observations, hours; each is drawn with equal probability.
    Samples(Vec<f64>),
}

/// Times a published distribution may describe.
pub const DISTRIBUTION_QUANTITIES: [&str; 3] = ["dwell_h", "wait_h", "moving_h"];

/// A row of `distributions.csv`: the published distribution of one time of one element,
/// used by the reliability model instead of the PERT of the element's (low, typical, high).
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// Id (`DIST-…`).
    pub id: String,
    /// The element: `link:ID` (a link's time, both directions of a bidirectional link) or
    /// `place:ID` (the dwell of every transfer at the place).
    pub element: String,
    /// Which time: `dwell_h`, `wait_h` or `moving_h` (a place takes `dwell_h` only).
    pub quantity: String,
    /// Percentiles or samples.
    pub form: DistributionForm,
    /// Year(s) of the figures, as published.
    pub year: Option<String>,
    /// Sources (`|`-separated ids of sources.csv).
    pub sources: Vec<String>,
    /// Line in the file.
    pub line: u64,
}

impl Distribution {
    /// The element's kind and id: (`link`, `BD-…`) or (`place`, `KZSCO`); `None` when the
    /// element names no kind.
    pub fn element_parts(&self) -> Option<(&str, &str)> {
        self.element.split_once(':')
    }
}
