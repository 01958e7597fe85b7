//! One transport chain element (TCE) or hub operation (HOC): activity × intensity, with every
//! adjustment written down.
//!
//! Units: distances km, masses t, intensities g CO2e per basis unit (tkm or TEU-km), hub
//! factors kg CO2e per basis unit handled, results kg CO2e and MJ.

use std::fmt;

use corridor_data::{
    Dataset, EmissionBasis, EmissionFactor, GridFactor, HubFactor, Mode, PollutantFactor,
    TransferKind, POLLUTANTS,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::hoc::{hub, simple_hub, Hoc, HocResult, HubFactorUsed};

mod tce_steps;
mod traction;
use tce_steps::{
    apply_intensity, bare_result, check_tce, electric_intensity, emission_distance,
    empty_running_adjustment, factor_activity, gross_to_net, load_factor_adjustment, pollutants,
    table_intensity,
};

/// The factors of a data folder, by reference.
#[derive(Debug, Clone, Copy)]
pub struct FactorSet<'a> {
    /// Transport factors (`emission_factors.csv`).
    pub factors: &'a [EmissionFactor],
    /// Grid factors by country (`grid_factors.csv`).
    pub grid: &'a [GridFactor],
    /// Hub factors (`hub_factors.csv`).
    pub hubs: &'a [HubFactor],
    /// Pollutant factors (`pollutant_factors.csv`).
    pub pollutants: &'a [PollutantFactor],
}

impl<'a> FactorSet<'a> {
    /// The factors of a dataset.
    pub fn from_dataset(ds: &'a Dataset) -> FactorSet<'a> {
        FactorSet {
            factors: &ds.emission_factors,
            grid: &ds.grid_factors,
            hubs: &ds.hub_factors,
            pollutants: &ds.pollutant_factors,
        }
    }

    /// A transport factor by id.
    pub fn factor(&self, id: &str) -> Option<&'a EmissionFactor> {
        self.factors.iter().find(|f| f.id == id)
    }

    /// The default transport factor of a mode.
    pub fn default_for(&self, mode: Mode) -> Option<&'a EmissionFactor> {
        self.factors.iter().find(|f| f.default_for == Some(mode))
    }

    /// A transport factor of `mode` by vehicle class or id (case-insensitive).
    pub fn vehicle(&self, mode: Mode, name: &str) -> Result<&'a EmissionFactor, EmissionError> {
        let n = name.trim().to_ascii_lowercase();
        self.factors
            .iter()
            .find(|f| {
                f.mode == mode
                    && (f.id.to_ascii_lowercase() == n
                        || f.vehicle.as_deref().map(str::to_ascii_lowercase) == Some(n.clone()))
            })
            .ok_or_else(|| {
                let known: Vec<String> = self
                    .factors
                    .iter()
                    .filter(|f| f.mode == mode)
                    .filter_map(|f| f.vehicle.clone())
                    .collect();
                EmissionError::new(
                    "vehicle",
                    format!(
                        "unknown {mode} vehicle class '{name}' (known: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                )
            })
    }

    /// The grid factor of a country.
    pub fn grid(&self, country: &str) -> Option<&'a GridFactor> {
        self.grid.iter().find(|g| g.country == country)
    }

    /// The hub factor for a transfer: the `kind:box` row when one side is a ship, else `kind`.
    pub fn hub_for(&self, kind: TransferKind, ship_side: bool) -> Option<&'a HubFactor> {
        let k = kind.as_str();
        let specific = format!("{k}:box");
        if ship_side {
            if let Some(h) = self.hubs.iter().find(|h| h.applies_to.contains(&specific)) {
                return Some(h);
            }
        }
        self.hubs
            .iter()
            .find(|h| h.applies_to.iter().any(|a| a == k))
    }
}

/// A bad input to the method (the CLI exits 2, the API answers 400).
#[derive(Debug, Clone, PartialEq)]
pub struct EmissionError {
    /// The field at fault (`load_factor`, `distance_km`, `vehicle`, …).
    pub field: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl EmissionError {
    /// A new error.
    pub fn new(field: &str, message: String) -> EmissionError {
        EmissionError {
            field: field.into(),
            message,
        }
    }
}

impl fmt::Display for EmissionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for EmissionError {}

/// What is shipped, as the method needs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shipment {
    /// Net tonnes (cargo and the shipper's packaging; container tare excluded).
    pub net_t: f64,
    /// TEU (0 for loose cargo).
    pub teu: f64,
    /// Containers (boxes of any size; 0 for loose cargo).
    pub containers: f64,
}

impl Shipment {
    /// `teu` TEU in 20′ boxes at `payload_t_per_teu` net each.
    pub fn teu(teu: f64, payload_t_per_teu: f64) -> Shipment {
        Shipment {
            net_t: teu * payload_t_per_teu,
            teu,
            containers: teu,
        }
    }
    /// Loose cargo (or cargo whose boxes do not matter) of `t` tonnes.
    pub fn tonnes(t: f64) -> Shipment {
        Shipment {
            net_t: t,
            teu: 0.0,
            containers: 0.0,
        }
    }
}

/// Where a distance comes from; decides which distance adjustment applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DistanceKind {
    /// A link of the data folder: road/rail route length, port-to-port (SFD) for sea and
    /// ferry, great-circle + 95 km for air (already adjusted, see docs/data-format.md).
    Network,
    /// Great-circle between the two places (× the mode's detour factor for surface modes).
    GreatCircle,
    /// Given by the user: route length for land modes, port-to-port SFD for water, great-
    /// circle for air.
    Given,
}

/// One transport chain element to compute.
#[derive(Debug, Clone)]
pub struct Tce<'a> {
    /// Id (the link id for network legs).
    pub id: String,
    /// Mode.
    pub mode: Mode,
    /// Distance as known (before any adjustment), km.
    pub distance_km: f64,
    /// Where the distance comes from.
    pub distance_kind: DistanceKind,
    /// Cargo.
    pub shipment: Shipment,
    /// Factor; `None` when the data has none for the mode.
    pub factor: Option<&'a EmissionFactor>,
    /// Land countries the element runs in (electric traction: the grid of each, the distance
    /// split evenly between them).
    pub countries: Vec<String>,
    /// Load factor to use instead of the factor's (0 < lf ≤ 1).
    pub load_factor: Option<f64>,
    /// Empty running to use instead of the factor's (0 ≤ er < 1).
    pub empty_running: Option<f64>,
    /// Traction of a rail element whose line is wholly or partly electrified
    /// (`traction.csv`); `None` computes with `factor` alone.
    pub traction: Option<TractionMix<'a>>,
}

/// The electrified part of a rail element (`traction.csv`): that share of the distance is
/// computed with the electric factor at the grid factor of the countries, the rest with the
/// element's (fuel) factor (docs/emissions.md, "Traction").
#[derive(Debug, Clone)]
pub struct TractionMix<'a> {
    /// Share of the distance hauled electrically (0 < share ≤ 1).
    pub electrified_share: f64,
    /// The electric rail factor (kWh per basis unit).
    pub electric: &'a EmissionFactor,
    /// Source id of the traction figure (`sources.csv`).
    pub source: String,
}

impl<'a> Tce<'a> {
    /// A TCE with no countries and the factor's own load factor and empty running.
    pub fn new(
        id: &str,
        mode: Mode,
        distance_km: f64,
        distance_kind: DistanceKind,
        shipment: Shipment,
        factor: Option<&'a EmissionFactor>,
    ) -> Tce<'a> {
        Tce {
            id: id.into(),
            mode,
            distance_km,
            distance_kind,
            shipment,
            factor,
            countries: vec![],
            load_factor: None,
            empty_running: None,
            traction: None,
        }
    }
}

/// The grid share of an electric element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GridShare {
    /// ISO country.
    pub country: String,
    /// Share of the distance in this country (even split between the land countries; times
    /// the electrified share on a partly electrified rail element).
    pub share: f64,
    /// g CO2e per kWh; null when the data has no grid factor for the country.
    pub g_per_kwh: Option<f64>,
    /// Year of the grid factor.
    pub year: Option<i32>,
    /// Source id of the grid factor.
    pub source: Option<String>,
}

/// The factor used for an element, as applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactorUsed {
    /// Factor id.
    pub id: String,
    /// Vehicle class.
    pub vehicle: Option<String>,
    /// Vehicle / vessel class and energy carrier.
    pub description: String,
    /// `tkm` or `teu_km`.
    pub basis: String,
    /// Energy carrier.
    pub energy_carrier: Option<String>,
    /// Table value, g CO2e WTW per basis unit (for electricity: kWh × grid factor).
    pub wtw: Option<f64>,
    /// Table value, TTW.
    pub ttw: Option<f64>,
    /// Table value, WTT.
    pub wtt: Option<f64>,
    /// Electricity per basis unit, kWh (electric traction only).
    pub kwh: Option<f64>,
    /// Multiplier on the table values from load factor, empty running and gross-to-cargo
    /// reallocation (1 when none applies).
    pub multiplier: f64,
    /// Load factor used.
    pub load_factor: Option<f64>,
    /// Empty running used.
    pub empty_running: Option<f64>,
    /// Document, table and page.
    pub reference: String,
    /// Source id (`sources.csv`).
    pub source: String,
    /// Every adjustment applied, in words.
    pub adjustments: Vec<String>,
}

/// One pollutant of an element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PollutantUse {
    /// `nox`, `so2` or `pm`.
    pub pollutant: String,
    /// kg, tank-to-wheel; null when no public factor exists.
    pub kg: Option<f64>,
    /// g per basis unit of the transport factor.
    pub g_per_unit: Option<f64>,
    /// Source id; null when absent.
    pub source: Option<String>,
    /// How the factor was made, or why it is absent.
    pub note: String,
}

/// The result of one transport chain element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TceResult {
    /// Id.
    pub id: String,
    /// Mode.
    pub mode: String,
    /// Distance as known, km (the basis of `tkm`).
    pub distance_km: f64,
    /// Where it comes from.
    pub distance_kind: DistanceKind,
    /// Distance the intensity is applied to, after the distance adjustment, km.
    pub emission_distance_km: f64,
    /// Net tonne-km (net tonnes × `distance_km`).
    pub tkm: f64,
    /// TEU-km (TEU × `distance_km`).
    pub teu_km: f64,
    /// Tank-to-wheel energy, MJ; null when the factor gives none.
    pub energy_mj: Option<f64>,
    /// Well-to-wheel CO2e, kg; null when no factor exists (see `missing`).
    pub co2e_kg: Option<f64>,
    /// Tank-to-wheel CO2e, kg.
    pub co2e_ttw_kg: Option<f64>,
    /// Well-to-tank CO2e, kg.
    pub co2e_wtt_kg: Option<f64>,
    /// WTW g CO2e per net tonne-km.
    pub intensity_g_per_tkm: Option<f64>,
    /// The factor as applied.
    pub factor: Option<FactorUsed>,
    /// Grid factors (electric traction).
    pub grid: Vec<GridShare>,
    /// NOx, SO2, PM.
    pub pollutants: Vec<PollutantUse>,
    /// Why `co2e_kg` is null.
    pub missing: Option<String>,
}

fn check_fraction(field: &str, v: Option<f64>, lo_open: bool) -> Result<(), EmissionError> {
    if let Some(x) = v {
        let ok = if lo_open {
            x > 0.0 && x <= 1.0
        } else {
            (0.0..1.0).contains(&x)
        };
        if !x.is_finite() || !ok {
            let range = if lo_open {
                "0 < x ≤ 1"
            } else {
                "0 ≤ x < 1"
            };
            return Err(EmissionError::new(
                field,
                format!("{field} {x} is out of range: it is a share ({range})"),
            ));
        }
    }
    Ok(())
}

/// Longest distance of one leg, km: the Earth's equatorial circumference is 40,075 km
/// (WGS 84), and no transport leg goes round it. Longer distances are refused, so that totals
/// stay finite.
pub const MAX_LEG_KM: f64 = 40_000.0;

/// Computes one transport chain element.
///
/// Steps (docs/emissions.md): distance adjustment (sea ×daf on SFD, air +daf_km on great-
/// circle), activity in the factor's basis, intensity × multiplier (gross-to-cargo, load factor,
/// empty running), electricity × grid factor per country, pollutants. A rail element with
/// [`Tce::traction`] and a fuel factor is computed for its electrified share with the electric
/// factor and for the rest with its own, and the two are added.
pub fn transport(t: &Tce<'_>, set: &FactorSet<'_>) -> Result<TceResult, EmissionError> {
    match &t.traction {
        Some(mix) if mix.electrified_share > 0.0 && t.factor.is_some_and(|f| f.kwh.is_none()) => {
            traction::electrified(t, mix, set)
        }
        _ => transport_one(t, set),
    }
}

/// One element with one factor.
fn transport_one(t: &Tce<'_>, set: &FactorSet<'_>) -> Result<TceResult, EmissionError> {
    check_tce(t)?;
    let mut out = bare_result(t);
    let Some(f) = t.factor else {
        out.missing = Some(format!("no emission factor for {} in the data", t.mode));
        out.pollutants = absent_pollutants("no emission factor");
        return Ok(out);
    };
    let mut adjustments = Vec::new();
    let d = emission_distance(t, f, &mut adjustments);
    out.emission_distance_km = d;
    let activity = factor_activity(t, f, d)?;
    let k = gross_to_net(f, &mut adjustments);
    let (k, lf_used) = load_factor_adjustment(t, f, k, &mut adjustments)?;
    let (k, er_used) = empty_running_adjustment(t, f, k, &mut adjustments)?;
    let unit = if let Some(kwh) = f.kwh {
        electric_intensity(t, f, kwh, set, &mut out, &mut adjustments)
    } else {
        table_intensity(t, f, &mut out)
    };
    apply_intensity(&mut out, f, &unit, k, activity);
    out.pollutants = pollutants(set, f, k, activity);
    out.factor = Some(FactorUsed {
        id: f.id.clone(),
        vehicle: f.vehicle.clone(),
        description: f.description.clone(),
        basis: basis_name(f.basis).into(),
        energy_carrier: f.energy_carrier.clone(),
        wtw: unit.wtw_unit,
        ttw: unit.ttw,
        wtt: unit.wtt,
        kwh: f.kwh,
        multiplier: k,
        load_factor: lf_used,
        empty_running: er_used,
        reference: f.reference.clone(),
        source: f.source.clone(),
        adjustments,
    });
    Ok(out)
}

fn absent_pollutants(why: &str) -> Vec<PollutantUse> {
    POLLUTANTS
        .iter()
        .map(|p| PollutantUse {
            pollutant: p.to_string(),
            kg: None,
            g_per_unit: None,
            source: None,
            note: why.into(),
        })
        .collect()
}

/// `tkm` or `teu_km`.
pub fn basis_name(b: EmissionBasis) -> &'static str {
    match b {
        EmissionBasis::Tkm => "tkm",
        EmissionBasis::TeuKm => "teu_km",
    }
}

/// An emission factor row built in code (for tests and hand calculations): g CO2e per basis
/// unit, no energy, no adjustments.
pub fn simple_factor(
    id: &str,
    mode: Mode,
    basis: EmissionBasis,
    wtw: f64,
    ttw: Option<f64>,
    wtt: Option<f64>,
) -> EmissionFactor {
    EmissionFactor {
        id: id.into(),
        mode,
        description: id.into(),
        basis,
        wtw: Some(wtw),
        ttw,
        wtt,
        default_for: None,
        vehicle: None,
        energy_carrier: None,
        energy_mj: None,
        kwh: None,
        load_factor: None,
        empty_running: None,
        daf: None,
        daf_km: None,
        gross_to_net: None,
        reference: String::new(),
        source: "test".into(),
        note: String::new(),
        line: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> FactorSet<'static> {
        FactorSet {
            factors: &[],
            grid: &[],
            hubs: &[],
            pollutants: &[],
        }
    }

    #[test]
    fn a_leg_longer_than_the_earth_is_round_is_refused() {
        let f = simple_factor("r", Mode::Road, EmissionBasis::Tkm, 100.0, None, None);
        let mut t = Tce::new(
            "x",
            Mode::Road,
            1e308,
            DistanceKind::Given,
            Shipment::tonnes(10.0),
            Some(&f),
        );
        let e = transport(&t, &empty()).unwrap_err();
        assert_eq!(e.field, "distance_km");
        assert!(e.message.contains("40000"), "{}", e.message);
        t.distance_km = 40_001.0;
        assert_eq!(transport(&t, &empty()).unwrap_err().field, "distance_km");
        // At the bound: finite, and 10 t × 40,000 km × 100 g/tkm = 40,000 kg.
        t.distance_km = MAX_LEG_KM;
        let r = transport(&t, &empty()).unwrap();
        assert!((r.tkm - 400_000.0).abs() < 1e-6, "{}", r.tkm);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let f = simple_factor("r", Mode::Road, EmissionBasis::Tkm, 100.0, None, None);
        let mut t = Tce::new(
            "x",
            Mode::Road,
            0.0,
            DistanceKind::Given,
            Shipment::tonnes(1.0),
            Some(&f),
        );
        let e = transport(&t, &empty()).unwrap_err();
        assert_eq!(e.field, "distance_km");
        t.distance_km = 100.0;
        t.load_factor = Some(-0.2);
        let e = transport(&t, &empty()).unwrap_err();
        assert_eq!(e.field, "load_factor");
        assert!(e.message.contains("-0.2"), "{}", e.message);
        t.load_factor = Some(0.5); // the factor states no load factor
        assert_eq!(transport(&t, &empty()).unwrap_err().field, "load_factor");
        t.load_factor = None;
        t.empty_running = Some(1.0);
        assert_eq!(transport(&t, &empty()).unwrap_err().field, "empty_running");
    }

    #[test]
    fn a_missing_factor_is_null_with_a_reason_never_zero() {
        let t = Tce::new(
            "p",
            Mode::Pipeline,
            100.0,
            DistanceKind::Network,
            Shipment::tonnes(1000.0),
            None,
        );
        let r = transport(&t, &empty()).unwrap();
        assert_eq!(r.co2e_kg, None);
        assert!(r.missing.unwrap().contains("no emission factor"));
        assert!(r.pollutants.iter().all(|p| p.kg.is_none()));
        assert_eq!(r.tkm, 100_000.0);
    }

    /// Hand calculation (no published example with a load-factor change): EU articulated
    /// truck, GLEC v3.1 Table 8 p.100, 101 g/tkm at LF 0.72 and empty running 0.30.
    /// At LF 0.9 and empty running 0.2: 101 × 0.72/0.9 × (1 − 0.30)/(1 − 0.20) = 70.7 g/tkm;
    /// 20 t × 500 km = 10,000 tkm → 707.0 kg.
    #[test]
    fn load_factor_and_empty_running_scale_the_intensity() {
        let mut f = simple_factor("r", Mode::Road, EmissionBasis::Tkm, 101.0, None, None);
        f.load_factor = Some(0.72);
        f.empty_running = Some(0.30);
        let mut t = Tce::new(
            "x",
            Mode::Road,
            500.0,
            DistanceKind::Given,
            Shipment::tonnes(20.0),
            Some(&f),
        );
        t.load_factor = Some(0.9);
        t.empty_running = Some(0.2);
        let r = transport(&t, &empty()).unwrap();
        assert!((r.co2e_kg.unwrap() - 707.0).abs() < 0.01, "{r:?}");
        assert!((r.intensity_g_per_tkm.unwrap() - 70.7).abs() < 0.001);
    }
}
