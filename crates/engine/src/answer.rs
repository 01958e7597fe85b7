//! The route answer: one set of types for CLI `--format json`, the HTTP API and GeoJSON
//! properties. Keys carry their unit (`_km`, `_h`, `_usd`, `_kg`). The JSON Schema in
//! `schema/route-answer.schema.json` is generated from these types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the answer's shape. Bumped on breaking changes.
pub const SCHEMA_VERSION: &str = "1.0";

/// The whole answer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RouteAnswer {
    /// Answer shape version.
    pub schema_version: String,
    /// Code that produced the answer.
    pub generator: Generator,
    /// The query as understood.
    pub query: QueryEcho,
    /// The data that produced the answer.
    pub data: DataInfo,
    /// Itineraries, best first. Always an array.
    pub itineraries: Vec<Itinerary>,
    /// Warnings about the whole answer.
    pub warnings: Vec<String>,
    /// True if the search stopped before it was complete.
    pub incomplete: bool,
}

/// Name and version of the code.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Generator {
    /// `corridor`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// Which data.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DataInfo {
    /// Dataset name.
    pub name: String,
    /// Dataset version.
    pub version: String,
    /// SHA-256 prefix of the data files.
    pub hash: String,
    /// Date of last review of the figures.
    pub as_of: String,
    /// Where it came from (`embedded default network` or a folder).
    pub origin: String,
    /// The data's layers, bottom first, when there is more than one (an overlay folder, a
    /// scenario): each with the short hash of its text. Absent for one layer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<LayerRef>,
    /// The scenarios applied, in order, each with the short hash (SHA-256, 16 hex) of its
    /// text: with the data hash, what reproduces the answer. Absent without scenarios.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<ScenarioRef>,
}

/// One layer of the data (`embedded default network`, a folder, `scenario NAME`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LayerRef {
    /// What the layer is.
    pub label: String,
    /// Short hash of its text.
    pub hash: String,
}

/// A scenario applied to the data (docs/scenarios.md).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRef {
    /// The scenario's `name`.
    pub name: String,
    /// Short hash (SHA-256, first 16 hex) of the scenario file's text.
    pub hash: String,
}

/// A place as echoed in answers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlaceRef {
    /// Place id.
    pub id: String,
    /// English name.
    pub name: String,
    /// ISO country.
    pub country: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

/// A resolved endpoint of the query.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EndpointEcho {
    /// What the user typed.
    pub input: String,
    /// Resolved name.
    pub label: String,
    /// City group id, if the name stood for one.
    pub group: Option<String>,
    /// The candidate places (a city group has several).
    pub places: Vec<String>,
}

/// The cargo as understood.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CargoEcho {
    /// Canonical label (`2xFEU`, `40t`).
    pub label: String,
    /// Number of boxes (for tonnage: FEU at the default payload).
    pub boxes: f64,
    /// TEU.
    pub teu: f64,
    /// Net tonnes (tare excluded).
    pub net_t: f64,
    /// Net payload per loaded TEU used.
    pub payload_t_per_teu: f64,
    /// How the payload was chosen.
    pub note: String,
    /// Gross tonnes per loaded box (payload + tare), checked against weight limits; null for
    /// cargo not in containers.
    #[serde(default)]
    pub gross_t_per_box: Option<f64>,
    /// Tare per box used (the data's `tare` rules; without them 2.3 t per 20 ft, 3.94 t per
    /// 40 ft, reefers 3.08 / 4.8 t).
    #[serde(default)]
    pub tare_t_per_box: Option<f64>,
    /// Source id of the tare, when the data gives it.
    #[serde(default)]
    pub tare_source: Option<String>,
}

/// The cargo constraints as understood.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConstraintsEcho {
    /// Refrigerated container: every leg and place on the route must give reefer power.
    pub reefer: bool,
    /// UN dangerous-goods class or division, if any.
    #[serde(default)]
    pub dangerous_goods: Option<String>,
    /// `general` or `agricultural`.
    pub goods: String,
    /// Customs regime at borders: `standard`, `tir`, `green_channel` or `bonded`.
    pub customs: String,
    /// Truck drivers per truck when a double crew was asked (`drivers` 2); absent for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drivers: Option<u8>,
}

/// A compliance flag of an itinerary (a row of `compliance.csv` that applies to its legs).
/// Flags inform; they do not remove routes (`--avoid country:RU` does).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ComplianceFlag {
    /// Row id.
    pub id: String,
    /// `sanction`, `restriction`, `permit` or `document`.
    pub kind: String,
    /// Who imposes it.
    pub authority: String,
    /// The measure (regulation and article, permit).
    pub measure: String,
    /// What it means for this shipment.
    pub requirement: String,
    /// Where the data applies it (`country:RU`, `link:ID`, `all`).
    pub applies_to: String,
    /// The legs and borders of this itinerary it applies to (link ids).
    pub links: Vec<String>,
    /// In force from (YYYY-MM-DD), if known.
    #[serde(default)]
    pub in_force_from: Option<String>,
    /// Date the source states the measure as (YYYY-MM-DD).
    pub as_of: String,
    /// Source id in sources.csv.
    pub source: String,
}

/// A constraint as understood.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AvoidEcho {
    /// `country`, `place`, `mode`, `link` or `passage`.
    pub kind: String,
    /// The value (`RU`, `KZSCO`, `air`, …).
    pub value: String,
}

/// The query as understood.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QueryEcho {
    /// Origin.
    pub from: EndpointEcho,
    /// Destination.
    pub to: EndpointEcho,
    /// Places to pass, in order.
    pub via: Vec<EndpointEcho>,
    /// Cargo.
    pub cargo: CargoEcho,
    /// `container`, `bulk`, `liquid` or `gas`.
    pub commodity: String,
    /// `time`, `cost` or `co2`.
    pub optimize: String,
    /// Constraints.
    pub avoid: Vec<AvoidEcho>,
    /// Whether planned and under-construction links were allowed.
    pub include_planned: bool,
    /// Most alternatives asked for (the Pareto front); null when one itinerary was asked for
    /// with `optimize`.
    #[serde(default)]
    pub alternatives: Option<u32>,
    /// Most transshipments allowed.
    #[serde(default)]
    pub max_transshipments: Option<u32>,
    /// Most borders crossed allowed.
    #[serde(default)]
    pub max_borders: Option<u32>,
    /// Whether the whole Pareto front was asked for instead of the short list
    /// (docs/alternatives.md).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_alternatives: bool,
    /// Itineraries slower than this many days were left out, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_days: Option<f64>,
    /// The departure asked for (UTC), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depart: Option<String>,
    /// The latest arrival asked for (UTC), when given (`arrive_by`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrive_by: Option<String>,
    /// The per-query time budget in milliseconds, when one applied (`budget_ms`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_ms: Option<u64>,
    /// Cargo constraints (reefer, dangerous goods, goods, customs regime).
    #[serde(default)]
    pub constraints: ConstraintsEcho,
}

/// Costs split by kind.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CostBreakdown {
    /// Line haul (incl. ferry and sea freight).
    pub line_haul_usd: f64,
    /// Container lifts and terminal handling.
    pub handling_usd: f64,
    /// Border crossing fees.
    pub border_fees_usd: f64,
    /// Gauge change (transshipment or bogie exchange).
    pub gauge_change_usd: f64,
    /// With `reefer`: the reefer surcharges (`cargo_rules.csv` `reefer_surcharge`) on top of
    /// the dry-box price; absent when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reefer_usd: f64,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

impl CostBreakdown {
    /// Sum.
    pub fn total(&self) -> f64 {
        self.line_haul_usd
            + self.handling_usd
            + self.border_fees_usd
            + self.gauge_change_usd
            + self.reefer_usd
    }
    /// Adds another breakdown.
    pub fn add(&mut self, o: &CostBreakdown) {
        self.line_haul_usd += o.line_haul_usd;
        self.handling_usd += o.handling_usd;
        self.border_fees_usd += o.border_fees_usd;
        self.gauge_change_usd += o.gauge_change_usd;
        self.reefer_usd += o.reefer_usd;
    }
}

/// With `reefer`: what the data says of a leg's reefer power and surcharge.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LegReefer {
    /// `confirmed` (a `reefer_power` rule covers the leg, its link, mode or an end place) or
    /// `assumed` (no rule says either way; a `no_reefer` rule removes the leg instead).
    pub power: String,
    /// The `reefer_power` rules that confirm it, each `ID (source)`.
    pub power_rules: Vec<String>,
    /// The reefer surcharge on this leg for the whole cargo, USD (0 without a rule).
    pub surcharge_usd: f64,
    /// The `reefer_surcharge` rule that priced it, if any.
    pub surcharge_rule: Option<String>,
    /// Its source.
    pub surcharge_source: Option<String>,
}

/// The emission factor used for a leg.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FactorRef {
    /// Factor id.
    pub id: String,
    /// What it describes.
    pub description: String,
    /// `tkm` or `teu_km`.
    pub basis: String,
    /// g CO2e per basis unit, well-to-wheel, as applied (electric traction: kWh × grid
    /// factor); null when no public factor exists.
    pub wtw: Option<f64>,
    /// Source id.
    pub source: String,
    /// Tank-to-wheel g CO2e per basis unit.
    pub ttw: Option<f64>,
    /// Well-to-tank g CO2e per basis unit.
    pub wtt: Option<f64>,
    /// Vehicle / vessel class.
    pub vehicle: Option<String>,
    /// Energy carrier (`diesel`, `electricity`, `vlsfo`, `jet`, …).
    pub energy_carrier: Option<String>,
    /// Document, table and page of the value (GLEC version pinned).
    pub reference: String,
    /// Multiplier on the table values (gross-to-cargo reallocation, load factor).
    pub multiplier: f64,
    /// Distance and intensity adjustments applied, in words.
    pub adjustments: Vec<String>,
    /// Grid factors used for electric traction, by country.
    pub grid: Vec<GridRef>,
}

/// A grid electricity factor used for a leg.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GridRef {
    /// ISO country.
    pub country: String,
    /// Share of the leg's distance in the country.
    pub share: f64,
    /// g CO2e per kWh; null when the data has none for the country.
    pub g_per_kwh: Option<f64>,
    /// Source id.
    pub source: Option<String>,
}

/// The hub emission factor used for a transfer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HubFactorRef {
    /// Factor id (`hub_factors.csv`).
    pub id: String,
    /// GLEC hub type.
    pub hub_type: String,
    /// What it describes.
    pub description: String,
    /// `t`, `container` or `teu`.
    pub basis: String,
    /// kg CO2e WTW per basis unit; null when no public factor exists.
    pub wtw: Option<f64>,
    /// Document, table and page.
    pub reference: String,
    /// Source id.
    pub source: String,
}

/// The sources of a leg's figures.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LegSources {
    /// Link's main source.
    pub link: String,
    /// Time source.
    pub time: Option<String>,
    /// Wait source.
    pub wait: Option<String>,
    /// Cost source.
    pub cost: Option<String>,
}

/// A moving leg: one link of the network.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Leg {
    /// Position in the itinerary's sequence of legs, transfers and borders.
    pub seq: u32,
    /// Link id (`~r`: reverse direction of a bidirectional link).
    pub link_id: String,
    /// From.
    pub from: PlaceRef,
    /// To.
    pub to: PlaceRef,
    /// Mode.
    pub mode: String,
    /// What the cargo rides on (`truck`, `wagon:1520`, `box`, `air`, `pipe`).
    pub carrier: String,
    /// Length.
    pub distance_km: f64,
    /// Source id of the length.
    pub distance_source: String,
    /// How the length was obtained: `network` (measured on a physical network, from
    /// `link_geometry.csv`) or `stated` (as `links.csv` states it).
    pub distance_method: String,
    /// With `network`: the length `links.csv` states, kept beside the measured one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_distance_km: Option<f64>,
    /// With `network`: the source id of the stated length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_distance_source: Option<String>,
    /// Km of the measured path on estimated connectors (gaps in the network bridged by
    /// `import --heal`); 0 when none or not measured.
    pub connector_km: f64,
    /// With `stated`, when the link was measured but the measurement is not used: why
    /// (e.g. a detour where the network lacks a line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_check: Option<String>,
    /// Moving time, typical.
    pub moving_h: f64,
    /// Moving time, low.
    pub moving_h_low: f64,
    /// Moving time, high.
    pub moving_h_high: f64,
    /// Expected wait for the departure.
    pub wait_h: f64,
    /// Wait, low.
    pub wait_h_low: f64,
    /// Wait, high.
    pub wait_h_high: f64,
    /// Dwell within the service (port stay).
    pub dwell_h: f64,
    /// Dwell, low.
    pub dwell_h_low: f64,
    /// Dwell, high.
    pub dwell_h_high: f64,
    /// Cost of the leg for the whole cargo.
    pub cost_usd: f64,
    /// Cost split.
    pub cost_breakdown: CostBreakdown,
    /// Well-to-wheel CO2e; null when no factor exists for the mode.
    pub co2e_kg: Option<f64>,
    /// Tank-to-wheel CO2e.
    pub co2e_ttw_kg: Option<f64>,
    /// Well-to-tank CO2e.
    pub co2e_wtt_kg: Option<f64>,
    /// Net tonne-km.
    pub tkm: f64,
    /// Tank-to-wheel energy, MJ; null when the factor states none.
    pub energy_mj: Option<f64>,
    /// Well-to-wheel g CO2e per net tonne-km.
    pub intensity_g_per_tkm: Option<f64>,
    /// Distance the intensity was applied to (after the GLEC distance adjustment), km.
    pub emission_distance_km: f64,
    /// Why `co2e_kg` is null.
    pub co2e_missing: Option<String>,
    /// NOx, kg (tank-to-wheel); null when no public factor exists.
    pub nox_kg: Option<f64>,
    /// SO2, kg (tank-to-wheel); null when no public factor exists.
    pub so2_kg: Option<f64>,
    /// PM, kg (tank-to-wheel); null when no public factor exists.
    pub pm_kg: Option<f64>,
    /// Why `nox_kg`, `so2_kg` or `pm_kg` is null, each `pollutant: reason` (`;`-separated),
    /// e.g. no citable factor in `pollutant_factors.csv` for the leg's emission factor; absent
    /// when all three are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pollutants_missing: Option<String>,
    /// Emission factor used.
    pub emission_factor: Option<FactorRef>,
    /// Countries touched.
    pub countries: Vec<String>,
    /// Named passages (straits, canals).
    pub passages: Vec<String>,
    /// Link status.
    pub status: String,
    /// Sources.
    pub sources: LegSources,
    /// Geometry as [lon, lat] points: the line on the physical network when the length was
    /// measured there (`distance_method` = `network`), else straight lines between the
    /// places and the link's waypoints. Longitudes may pass ±180 so that a line across the
    /// antimeridian stays in one piece.
    pub geometry: Vec<[f64; 2]>,
    /// With a dated query (`depart`/`arrive_by`): the dated rate period (`sea_rates.csv`) that
    /// priced this leg; absent when the link's own price in `links.csv` did (an undated query,
    /// or a date no period covers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_period: Option<RatePeriod>,
    /// With `depart`: when the cargo is ready for this leg (its wait included) (UTC, RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depart_utc: Option<String>,
    /// With `depart`: the same in the local zone, `…+05:00[Asia/Almaty]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depart_local: Option<String>,
    /// With `depart`: arrival (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrive_utc: Option<String>,
    /// With `depart`: arrival in the local zone of the leg's end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrive_local: Option<String>,
    /// With `depart`/`arrive_by`: the hours a closure calendar (`closures.csv` rows of effect
    /// `wait` or `delay`, or a `closed` day skipped by a timetabled link) held the cargo
    /// before this leg, beyond its expected wait, and the rows that did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_hold: Option<CalendarHold>,
    /// On a road leg: the drivers' breaks and daily rests (`driving_rules.csv`) counted along
    /// the chain of road legs the truck drives in a row, hours; part of `wait_h`. Absent when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub driver_rest_h: f64,
    /// With `reefer`: the leg's reefer power and surcharge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reefer: Option<LegReefer>,
    /// On a rail leg boarded where a block train starts (`services.csv` `waits=boarding`): the
    /// train it waits for. Absent when the cargo rides through on its train, or none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train: Option<LegTrain>,
}

/// The block train a rail leg waits for at its origin.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LegTrain {
    /// Departures a week (the published frequency, or the timetable's weekdays).
    pub departures_per_week: f64,
    /// Weekdays of a timetabled train (empty: a frequency).
    pub weekdays: Vec<String>,
    /// The wait for it, hours: half the headway (0 to a headway); on the clock, until the
    /// timetable's next departure. Part of `wait_h`.
    pub wait_h: f64,
    /// Sources of the `services.csv` rows.
    pub sources: Vec<String>,
}

/// Hours a leg or border crossing was held by the closure calendar on the clock.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CalendarHold {
    /// Hours held beyond the expected wait (included in `wait_h` and the totals).
    pub hours: f64,
    /// The `closures.csv` rows that held it.
    pub closures: Vec<ClosureRef>,
}

/// A row of `closures.csv` as it applied.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClosureRef {
    /// `link:ID` or `place:ID`.
    pub element: String,
    /// `closed`, `wait` or `delay`.
    pub effect: String,
    /// First day (local, YYYY-MM-DD).
    pub from_date: String,
    /// Last day.
    pub to_date: String,
    /// The weekdays it applies on (empty: every day).
    pub weekdays: Vec<String>,
    /// For `delay`: the hours it adds.
    pub added_wait_h: Option<f64>,
    /// Why.
    pub reason: String,
    /// Source id.
    pub source: String,
}

/// A dated rate period of `sea_rates.csv`, as it priced a leg.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RatePeriod {
    /// First day of the period (YYYY-MM-DD).
    pub valid_from: String,
    /// Last day of the period (YYYY-MM-DD).
    pub valid_to: String,
    /// The period's rate per `cost_unit`, in `currency`, as the file gives it.
    pub cost_fixed: f64,
    /// The unit of the rate (`feu`, `teu`, …).
    pub cost_unit: String,
    /// ISO 4217 currency of the rate.
    pub currency: String,
    /// Source id of the rate (sources.csv).
    pub source: String,
}

/// A change of carrier at a place.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TransferStep {
    /// Position in the sequence.
    pub seq: u32,
    /// Where.
    pub place: PlaceRef,
    /// `lift`, `gauge_transshipment`, `bogie_exchange`, `roll_on`, `handling`.
    pub kind: String,
    /// Arriving carrier.
    pub from_carrier: String,
    /// Departing carrier.
    pub to_carrier: String,
    /// Dwell, typical.
    pub dwell_h: f64,
    /// Dwell, low.
    pub dwell_h_low: f64,
    /// Dwell, high.
    pub dwell_h_high: f64,
    /// Charge for the whole cargo.
    pub cost_usd: f64,
    /// Cost split.
    pub cost_breakdown: CostBreakdown,
    /// Source id.
    pub source: String,
    /// Source of the dwell hours (transfers.csv `time_source`).
    pub time_source: String,
    /// Source of the charge (transfers.csv `cost_source`); null without a charge.
    pub cost_source: Option<String>,
    /// Well-to-wheel CO2e of the hub operation; null when no factor exists.
    pub co2e_kg: Option<f64>,
    /// Tank-to-wheel part; null where the source does not split it (GLEC hub defaults).
    pub co2e_ttw_kg: Option<f64>,
    /// Well-to-tank part; null where the source does not split it.
    pub co2e_wtt_kg: Option<f64>,
    /// Why `co2e_kg` is null.
    pub co2e_missing: Option<String>,
    /// Activity handled in the hub factor's unit.
    pub hub_activity: f64,
    /// Unit of `hub_activity` (`t`, `container`, `teu`).
    pub hub_activity_unit: String,
    /// Hub emission factor used.
    pub hub_factor: Option<HubFactorRef>,
}

/// A border crossing.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BorderStep {
    /// Position in the sequence.
    pub seq: u32,
    /// Link id.
    pub link_id: String,
    /// Exit post.
    pub from: PlaceRef,
    /// Entry post.
    pub to: PlaceRef,
    /// Country left.
    pub from_country: String,
    /// Country entered.
    pub to_country: String,
    /// What crosses (`truck`, `wagon:1520`).
    pub carrier: String,
    /// Processing and queue time, typical.
    pub dwell_h: f64,
    /// Low.
    pub dwell_h_low: f64,
    /// High.
    pub dwell_h_high: f64,
    /// Fees for the whole cargo.
    pub cost_usd: f64,
    /// Source of the dwell.
    pub source: Option<String>,
    /// The customs regime whose dwell and fee apply here (`tir`, `green_channel`, `bonded`),
    /// with its row of customs.csv; null for the standard dwell.
    #[serde(default)]
    pub customs: Option<CustomsRef>,
    /// With `depart`/`arrive_by`: the hours the closure calendar held the cargo at the
    /// crossing (a post closed at weekends or on holidays), and the rows that did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_hold: Option<CalendarHold>,
}

/// A customs regime at a border crossing.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CustomsRef {
    /// Regime.
    pub regime: String,
    /// Row id in customs.csv.
    pub id: String,
    /// Standard dwell of the link it replaces, typical hours.
    pub standard_dwell_h: f64,
    /// Fee under the regime for the whole cargo, USD (included in `cost_usd`).
    pub fee_usd: f64,
    /// Source of the regime's dwell.
    pub source: String,
}

/// Totals of an itinerary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// Distance.
    pub distance_km: f64,
    /// Of it, km of legs measured on physical networks (`distance_method` = `network`).
    pub network_distance_km: f64,
    /// Km on estimated connectors within the measured legs.
    pub connector_km: f64,
    /// Moving time.
    pub moving_h: f64,
    /// Waiting for departures.
    pub wait_h: f64,
    /// Of the waiting: the drivers' breaks and daily rests on road legs (`driving_rules.csv`),
    /// hours. Absent when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub driver_rest_h: f64,
    /// Dwell at borders, transfers and in services.
    pub dwell_h: f64,
    /// Door-to-door transit (typical): moving + wait + dwell.
    pub transit_h: f64,
    /// Sum of every low end (best case, not a percentile).
    pub transit_h_low: f64,
    /// Sum of every high end (worst case, not a percentile).
    pub transit_h_high: f64,
    /// transit_h / 24.
    pub transit_days: f64,
    /// Cost for the whole cargo.
    pub cost_usd: f64,
    /// Cost split.
    pub cost_breakdown: CostBreakdown,
    /// Well-to-wheel CO2e of the legs and hubs with a factor.
    pub co2e_kg: f64,
    /// Tank-to-wheel.
    pub co2e_ttw_kg: f64,
    /// Well-to-tank.
    pub co2e_wtt_kg: f64,
    /// False when some leg or hub has no emission factor (its CO2e is null and not in the sum).
    pub co2e_complete: bool,
    /// Net tonne-km.
    pub tkm: f64,
    /// Well-to-wheel CO2e of the legs.
    pub co2e_legs_kg: f64,
    /// Well-to-wheel CO2e of the hubs (transfers).
    pub co2e_hubs_kg: f64,
    /// CO2e not split into TTW/WTT (GLEC hub defaults are published as WTW only).
    pub co2e_unsplit_kg: f64,
    /// Tank-to-wheel energy of the legs, MJ.
    pub energy_mj: f64,
    /// Well-to-wheel g CO2e per net tonne-km (legs and hubs).
    pub intensity_g_per_tkm: Option<f64>,
    /// NOx, kg; null unless every leg has a public NOx factor.
    pub nox_kg: Option<f64>,
    /// SO2, kg; null unless every leg has a public SO2 factor.
    pub so2_kg: Option<f64>,
    /// PM, kg; null unless every leg has a public PM factor.
    pub pm_kg: Option<f64>,
    /// Method of the emission figures (`ISO 14083:2023 / GLEC Framework v3.1`).
    pub emission_method: String,
    /// Risk: the sum over dwells and waits (borders, transfers, departures) of high − typical
    /// hours; additive along the route.
    #[serde(default)]
    pub risk_h: f64,
    /// Border crossings.
    pub borders_crossed: u32,
    /// Carrier changes (lifts, gauge changes).
    pub transshipments: u32,
    /// Countries in order of passage.
    pub countries: Vec<String>,
    /// Modes used, in order of first use.
    pub modes: Vec<String>,
    /// With `depart`: when the cargo is ready for this trip (the departure asked for) (UTC, RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depart_utc: Option<String>,
    /// With `depart`: the same in the local zone, `…+05:00[Asia/Almaty]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depart_local: Option<String>,
    /// With `depart`: arrival (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrive_utc: Option<String>,
    /// With `depart`: arrival in the local zone of the destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrive_local: Option<String>,
    /// With `reliability`: median transit days over the Monte Carlo draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_days_p50: Option<f64>,
    /// With `reliability`: 80th percentile of transit days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_days_p80: Option<f64>,
    /// With `reliability`: 90th percentile of transit days (90% of boxes arrive within it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_days_p90: Option<f64>,
    /// With `reliability`: 95th percentile of transit days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_days_p95: Option<f64>,
    /// With `reliability` and a deadline (`deadline_days`, or `arrive_by` − `depart`): share of
    /// draws arriving at or before it, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time_probability: Option<f64>,
}

/// How an itinerary's percentiles were drawn (with `reliability`; see `docs/reliability.md`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReliabilityInfo {
    /// Monte Carlo draws.
    pub draws: u64,
    /// Seed of the generator (same seed, same figures).
    pub seed: u64,
    /// Method of the draws and percentiles.
    pub method: String,
    /// The deadline the on-time probability refers to, days after the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_days: Option<f64>,
    /// Mean transit days over the draws.
    pub transit_days_mean: f64,
    /// Histogram of transit days.
    pub histogram: Vec<crate::reliability::Bin>,
    /// Peaks of the distribution (more than one: arrivals cluster, e.g. around two sailings).
    pub modes: Vec<crate::reliability::Peak>,
    /// True when there is more than one mode.
    pub multimodal: bool,
}

/// One itinerary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Itinerary {
    /// Why it is on the list (`fastest`, `cheapest`, `lowest_co2e`, `lowest_risk`,
    /// `fewest_borders`, `balanced`), `trade_off` for an alternative on the front that is best
    /// at none of them, or `other_corridor` for the best of a corridor family the front's
    /// fastest hides (docs/alternatives.md).
    pub labels: Vec<String>,
    /// What it wins and loses against the others, e.g. "3.5 days slower than the fastest,
    /// USD 1,900 cheaper, 41% less CO2e".
    #[serde(default)]
    pub explanation: String,
    /// On a list of alternatives: its corridor in words (modes, the countries crossed between
    /// origin and destination, the sea and ferry lines and passages), e.g. `rail + ferry via
    /// KZ–AZ–GE; ferry Port of Kuryk → Port of Baku (Alat)`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub corridor: String,
    /// Totals.
    pub totals: Totals,
    /// Moving legs.
    pub legs: Vec<Leg>,
    /// Transfers.
    pub transfers: Vec<TransferStep>,
    /// Border crossings.
    pub borders: Vec<BorderStep>,
    /// Warnings about this itinerary.
    pub warnings: Vec<String>,
    /// Sanctions, restrictions, permits and documents that apply to its legs, each with its
    /// authority, measure, source and date.
    #[serde(default)]
    pub compliance: Vec<ComplianceFlag>,
    /// With `reliability`: the Monte Carlo behind `totals.transit_days_p50` … `_p95`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<ReliabilityInfo>,
}
