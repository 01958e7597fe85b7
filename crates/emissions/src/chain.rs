//! A transport chain: its elements in order and the totals.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calc::{HocResult, Shipment, TceResult};

/// A place of the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceInfo {
    /// Place id (UN/LOCODE without the space where one exists).
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

/// One element of the chain, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // a chain has a handful of elements; no boxing needed
pub enum Element {
    /// A transport chain element (a leg).
    Leg {
        /// Position in the chain.
        seq: u32,
        /// Label for people (`road Urumqi → Khorgos`).
        label: String,
        /// Origin.
        from: Option<PlaceInfo>,
        /// Destination.
        to: Option<PlaceInfo>,
        /// The result.
        result: TceResult,
    },
    /// A hub operation (a transfer).
    Hub {
        /// Position in the chain.
        seq: u32,
        /// Label for people.
        label: String,
        /// Where.
        place: Option<PlaceInfo>,
        /// The result.
        result: HocResult,
    },
}

impl Element {
    /// Position in the chain.
    pub fn seq(&self) -> u32 {
        match self {
            Element::Leg { seq, .. } | Element::Hub { seq, .. } => *seq,
        }
    }
    /// Label.
    pub fn label(&self) -> &str {
        match self {
            Element::Leg { label, .. } | Element::Hub { label, .. } => label,
        }
    }
    /// WTW CO2e, kg.
    pub fn co2e_kg(&self) -> Option<f64> {
        match self {
            Element::Leg { result, .. } => result.co2e_kg,
            Element::Hub { result, .. } => result.co2e_kg,
        }
    }
}

/// Totals of a chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FootprintTotals {
    /// Net tonne-km.
    pub tkm: f64,
    /// Distance, km (legs as known, before adjustments).
    pub distance_km: f64,
    /// Tank-to-wheel energy of the legs that state it, MJ.
    pub energy_mj: f64,
    /// WTW CO2e of every element with a factor (legs + hubs), kg.
    pub co2e_kg: f64,
    /// TTW part of the elements that split it, kg.
    pub co2e_ttw_kg: f64,
    /// WTT part of the elements that split it, kg.
    pub co2e_wtt_kg: f64,
    /// WTW CO2e of the legs, kg.
    pub co2e_legs_kg: f64,
    /// WTW CO2e of the hubs, kg.
    pub co2e_hubs_kg: f64,
    /// CO2e not split into TTW and WTT (hub factors published as WTW only), kg.
    pub co2e_unsplit_kg: f64,
    /// WTW g CO2e per net tonne-km of the whole chain (hubs included).
    pub intensity_g_per_tkm: Option<f64>,
    /// NOx, kg; null unless every leg has a NOx factor.
    pub nox_kg: Option<f64>,
    /// SO2, kg; null unless every leg has an SO2 factor.
    pub so2_kg: Option<f64>,
    /// PM, kg; null unless every leg has a PM factor.
    pub pm_kg: Option<f64>,
    /// False when an element's CO2e is null (not in the sums).
    pub complete: bool,
    /// Why, per element.
    pub missing: Vec<String>,
}

/// The footprint of a chain: elements in order and totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Footprint {
    /// `ISO 14083:2023 / GLEC Framework v3.1`.
    pub method: String,
    /// GLEC version the default factors are pinned to.
    pub glec_version: String,
    /// Credit line.
    pub credit: String,
    /// Cargo.
    pub shipment: Shipment,
    /// Elements in order.
    pub elements: Vec<Element>,
    /// Totals.
    pub totals: FootprintTotals,
}

impl Footprint {
    /// Adds up the elements (sorted by `seq`).
    pub fn new(shipment: Shipment, mut elements: Vec<Element>) -> Footprint {
        elements.sort_by_key(Element::seq);
        let mut t = FootprintTotals {
            tkm: 0.0,
            distance_km: 0.0,
            energy_mj: 0.0,
            co2e_kg: 0.0,
            co2e_ttw_kg: 0.0,
            co2e_wtt_kg: 0.0,
            co2e_legs_kg: 0.0,
            co2e_hubs_kg: 0.0,
            co2e_unsplit_kg: 0.0,
            intensity_g_per_tkm: None,
            nox_kg: Some(0.0),
            so2_kg: Some(0.0),
            pm_kg: Some(0.0),
            complete: true,
            missing: vec![],
        };
        for e in &elements {
            match e {
                Element::Leg { label, result, .. } => {
                    t.tkm += result.tkm;
                    t.distance_km += result.distance_km;
                    t.energy_mj += result.energy_mj.unwrap_or(0.0);
                    match result.co2e_kg {
                        Some(v) => {
                            t.co2e_kg += v;
                            t.co2e_legs_kg += v;
                            t.co2e_ttw_kg += result.co2e_ttw_kg.unwrap_or(0.0);
                            t.co2e_wtt_kg += result.co2e_wtt_kg.unwrap_or(0.0);
                        }
                        None => {
                            t.complete = false;
                            t.missing.push(format!(
                                "{label}: {}",
                                result.missing.clone().unwrap_or_default()
                            ));
                        }
                    }
                    for p in &result.pollutants {
                        let slot = match p.pollutant.as_str() {
                            "nox" => &mut t.nox_kg,
                            "so2" => &mut t.so2_kg,
                            _ => &mut t.pm_kg,
                        };
                        *slot = match (*slot, p.kg) {
                            (Some(a), Some(b)) => Some(a + b),
                            _ => None,
                        };
                    }
                }
                Element::Hub { label, result, .. } => match result.co2e_kg {
                    Some(v) => {
                        t.co2e_kg += v;
                        t.co2e_hubs_kg += v;
                        match (result.co2e_ttw_kg, result.co2e_wtt_kg) {
                            (Some(a), Some(b)) => {
                                t.co2e_ttw_kg += a;
                                t.co2e_wtt_kg += b;
                            }
                            _ => t.co2e_unsplit_kg += v,
                        }
                    }
                    None => {
                        t.complete = false;
                        t.missing.push(format!(
                            "{label}: {}",
                            result.missing.clone().unwrap_or_default()
                        ));
                    }
                },
            }
        }
        if !elements.iter().any(|e| matches!(e, Element::Leg { .. })) {
            t.nox_kg = None;
            t.so2_kg = None;
            t.pm_kg = None;
        }
        t.intensity_g_per_tkm = (t.tkm > 0.0).then(|| t.co2e_kg * 1000.0 / t.tkm);
        Footprint {
            method: crate::METHOD.into(),
            glec_version: crate::GLEC_VERSION.into(),
            credit: crate::GLEC_CREDIT.into(),
            shipment,
            elements,
            totals: t,
        }
    }
}
