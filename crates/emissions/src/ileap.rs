//! Export in the iLEAP data model (ShipmentFootprint of TCEs referencing TOCs and HOCs).
//!
//! Types transcribed from the iLEAP Technical Specifications Version 1.0.0 (2025-05-27),
//! <https://sine-fdn.github.io/ileap-extension/> (source: github sine-fdn/ileap-extension,
//! `specs/index.bs`, commit 4e8eb38), sections "ShipmentFootprint", "Transport Chain Element",
//! "TOC", "HOC" and "Additional Utility Data Types". Numbers are `Decimal`: JSON strings
//! (`"12.5"`). The JSON Schema is committed as `schema/ileap-shipment-footprint.schema.json`.
//! These are the payloads that go into a PACT `ProductFootprint`'s `extensions[].data`.

use serde::{Deserialize, Serialize};

use crate::calc::{HocResult, TceResult};
use crate::chain::{Element, Footprint, PlaceInfo};

/// iLEAP specification version the export follows.
pub const ILEAP_VERSION: &str = "iLEAP Technical Specifications 1.0.0 (2025-05-27)";

/// Where the specification is.
pub const ILEAP_URL: &str = "https://sine-fdn.github.io/ileap-extension/";

/// A ShipmentFootprint: the TCEs of one shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ShipmentFootprint {
    /// Mass of the goods, kg (Decimal).
    pub mass: String,
    /// Volume, m³ (Decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Shipment id.
    pub shipment_id: String,
    /// Non-empty array of TCEs.
    pub tces: Vec<Tce>,
}

/// A transport chain element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tce {
    /// TCE id.
    pub tce_id: String,
    /// Ids of the TCEs immediately before this one (`[]` for the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_tce_ids: Option<Vec<String>>,
    /// TOC used (exclusive with `hocId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toc_id: Option<String>,
    /// HOC used (exclusive with `tocId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hoc_id: Option<String>,
    /// Shipment id.
    pub shipment_id: String,
    /// Consignment id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consignment_id: Option<String>,
    /// Freight mass, kg (Decimal).
    pub mass: String,
    /// `Box`, `Pallet`, `Container-TEU`, `Container-FEU`, `Container`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packaging_or_tr_eq_type: Option<String>,
    /// Number of units (Decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packaging_or_tr_eq_amount: Option<String>,
    /// Distance.
    pub distance: GlecDistance,
    /// Origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Location>,
    /// Destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Location>,
    /// Transport activity, tkm (Decimal).
    pub transport_activity: String,
    /// Departure, ISO 8601 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departure_at: Option<String>,
    /// Arrival, ISO 8601 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_at: Option<String>,
    /// IATA flight number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flight_no: Option<String>,
    /// Voyage number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voyage_no: Option<String>,
    /// Incoterms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incoterms: Option<String>,
    /// WTW CO2e, kg (Decimal).
    #[serde(rename = "co2eWTW")]
    pub co2e_wtw: String,
    /// TTW CO2e, kg (Decimal).
    #[serde(rename = "co2eTTW")]
    pub co2e_ttw: String,
    /// NOx TTW, kg.
    #[serde(rename = "noxTTW", default, skip_serializing_if = "Option::is_none")]
    pub nox_ttw: Option<String>,
    /// SOx TTW, kg.
    #[serde(rename = "soxTTW", default, skip_serializing_if = "Option::is_none")]
    pub sox_ttw: Option<String>,
    /// CH4 TTW, kg.
    #[serde(rename = "ch4TTW", default, skip_serializing_if = "Option::is_none")]
    pub ch4_ttw: Option<String>,
    /// PM TTW, kg.
    #[serde(rename = "pmTTW", default, skip_serializing_if = "Option::is_none")]
    pub pm_ttw: Option<String>,
}

/// GLECDistance: at least one of actual, gcd, sfd (km, Decimal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GlecDistance {
    /// Actual distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// Great-circle distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcd: Option<String>,
    /// Shortest feasible distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sfd: Option<String>,
}

/// Location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Location {
    /// Street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// City.
    pub city: String,
    /// ISO 3166 alpha-2.
    pub country: String,
    /// IATA airport code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iata: Option<String>,
    /// UN/LOCODE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locode: Option<String>,
    /// UIC code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uic: Option<String>,
    /// Latitude (Decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<String>,
    /// Longitude (Decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lng: Option<String>,
}

/// Transport operation category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Toc {
    /// TOC id.
    pub toc_id: String,
    /// Certifications of the methodology (corridor has none: absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certifications: Option<Vec<String>>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Road`, `Rail`, `Air`, `Sea`, `InlandWaterway`.
    pub mode: String,
    /// Load factor (Decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_factor: Option<String>,
    /// Empty distance factor (Decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_distance_factor: Option<String>,
    /// `ambient`, `refrigerated`, `mixed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature_control: Option<String>,
    /// `LTL` or `FTL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truck_loading_sequence: Option<String>,
    /// `belly freight` or `freighter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_shipping_option: Option<String>,
    /// `short-haul` or `long-haul`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flight_length: Option<String>,
    /// Energy carriers.
    pub energy_carriers: Vec<EnergyCarrier>,
    /// kg CO2e WTW per transport activity unit (Decimal).
    #[serde(rename = "co2eIntensityWTW")]
    pub co2e_intensity_wtw: String,
    /// kg CO2e TTW per transport activity unit (Decimal).
    #[serde(rename = "co2eIntensityTTW")]
    pub co2e_intensity_ttw: String,
    /// `tkm` or `TEUkm`.
    pub transport_activity_unit: String,
}

/// Hub operation category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Hoc {
    /// HOC id.
    pub hoc_id: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Certifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certifications: Option<Vec<String>>,
    /// `Transshipment`, `StorageAndTransshipment`, `Warehouse`, `LiquidBulkTerminal`,
    /// `MaritimeContainerTerminal`.
    pub hub_type: String,
    /// `ambient`, `refrigerated`, `mixed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature_control: Option<String>,
    /// Address of the hub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub_location: Option<Location>,
    /// Mode upstream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_transport_mode: Option<String>,
    /// Mode downstream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_transport_mode: Option<String>,
    /// Packaging or equipment type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packaging_or_tr_eq_type: Option<String>,
    /// Number of units (integer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packaging_or_tr_eq_amount: Option<u64>,
    /// Energy carriers.
    pub energy_carriers: Vec<EnergyCarrier>,
    /// kg CO2e WTW per hub activity unit (Decimal).
    #[serde(rename = "co2eIntensityWTW")]
    pub co2e_intensity_wtw: String,
    /// kg CO2e TTW per hub activity unit (Decimal).
    #[serde(rename = "co2eIntensityTTW")]
    pub co2e_intensity_ttw: String,
    /// `TEU` or `tonnes`.
    pub hub_activity_unit: String,
}

/// Energy carrier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnergyCarrier {
    /// `Diesel`, `HVO`, `Petrol`, `CNG`, `LNG`, `LPG`, `HFO`, `MGO`, `Aviation fuel`,
    /// `Hydrogen`, `Methanol`, `Electric`.
    pub energy_carrier: String,
    /// Share, 0 < x ≤ 1 (Decimal).
    pub relative_share: String,
    /// Feedstocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedstocks: Option<Vec<Feedstock>>,
    /// Consumption per activity (Decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_consumption: Option<String>,
    /// `l`, `kg`, `kWh`, `MJ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_consumption_unit: Option<String>,
    /// kg CO2e WTW per consumption unit (Decimal).
    #[serde(
        rename = "emissionFactorWTW",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub emission_factor_wtw: Option<String>,
    /// kg CO2e TTW per consumption unit (Decimal).
    #[serde(
        rename = "emissionFactorTTW",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub emission_factor_ttw: Option<String>,
}

/// Feedstock of an energy carrier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Feedstock {
    /// `Fossil`, `Natural gas`, `Grid`, `Renewable electricity`, `Cooking oil`.
    pub feedstock: String,
    /// Share (Decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedstock_share: Option<String>,
}

/// What `corridor emissions --format ileap` writes: the ShipmentFootprint and the TOCs and HOCs
/// its TCEs reference (each is the `data` of a PACT ProductFootprint extension), and notes on
/// what could not be exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IleapExport {
    /// Specification followed.
    pub specification: String,
    /// The footprint.
    pub shipment_footprint: ShipmentFootprint,
    /// TOCs referenced by `tocId`.
    pub tocs: Vec<Toc>,
    /// HOCs referenced by `hocId`.
    pub hocs: Vec<Hoc>,
    /// What was left out and why.
    pub notes: Vec<String>,
}

/// A Decimal string: up to 6 decimals, trailing zeros removed, never exponent notation.
pub fn decimal(x: f64) -> String {
    let s = format!("{:.6}", x);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

fn location(p: &PlaceInfo) -> Location {
    let is_locode = p.id.len() == 5 && p.id.bytes().all(|b| b.is_ascii_alphanumeric());
    Location {
        street: None,
        zip: None,
        city: p.name.clone(),
        country: p.country.clone(),
        iata: None,
        locode: is_locode.then(|| p.id.clone()),
        uic: None,
        lat: Some(decimal(p.lat)),
        lng: Some(decimal(p.lon)),
    }
}

fn ileap_mode(mode: &str) -> Option<&'static str> {
    Some(match mode {
        "road" => "Road",
        "rail" => "Rail",
        "sea" | "ferry" => "Sea",
        "iww" => "InlandWaterway",
        "air" => "Air",
        _ => return None,
    })
}

fn carrier(c: Option<&str>) -> EnergyCarrier {
    let (name, feed) = match c.unwrap_or("") {
        "electricity" => ("Electric", Some("Grid")),
        "vlsfo" | "hfo" => ("HFO", Some("Fossil")),
        "mgo" => ("MGO", Some("Fossil")),
        "lng" => ("LNG", Some("Natural gas")),
        "jet" => ("Aviation fuel", Some("Fossil")),
        _ => ("Diesel", Some("Fossil")),
    };
    EnergyCarrier {
        energy_carrier: name.into(),
        relative_share: "1".into(),
        feedstocks: feed.map(|f| {
            vec![Feedstock {
                feedstock: f.into(),
                feedstock_share: Some("1".into()),
            }]
        }),
        energy_consumption: None,
        energy_consumption_unit: None,
        emission_factor_wtw: None,
        emission_factor_ttw: None,
    }
}

fn toc_for(r: &TceResult, tocs: &mut Vec<Toc>) -> Option<String> {
    let f = r.factor.as_ref()?;
    let wtw = r.co2e_kg?;
    let ttw = r.co2e_ttw_kg.unwrap_or(0.0);
    let (unit, act) = if f.basis == "teu_km" && r.teu_km > 0.0 {
        ("TEUkm", r.teu_km)
    } else {
        ("tkm", r.tkm)
    };
    if act <= 0.0 {
        return None;
    }
    let iw = decimal(wtw / act);
    let it = decimal(ttw / act);
    let grid: Vec<&str> = r.grid.iter().map(|g| g.country.as_str()).collect();
    let base = if grid.is_empty() {
        f.id.clone()
    } else {
        format!("{}@{}", f.id, grid.join("-"))
    };
    if let Some(t) = tocs.iter().find(|t| {
        t.toc_id.starts_with(&base) && t.co2e_intensity_wtw == iw && t.co2e_intensity_ttw == it
    }) {
        return Some(t.toc_id.clone());
    }
    let n = tocs.iter().filter(|t| t.toc_id.starts_with(&base)).count();
    let id = if n == 0 {
        base
    } else {
        format!("{base}-{}", n + 1)
    };
    let mode = ileap_mode(&r.mode)?;
    tocs.push(Toc {
        toc_id: id.clone(),
        certifications: None,
        description: Some(format!(
            "{} ({}; {}; source {}) — {}",
            f.description,
            f.reference,
            crate::GLEC_CREDIT,
            f.source,
            f.adjustments.join("; ")
        )),
        mode: mode.into(),
        load_factor: f.load_factor.map(decimal),
        empty_distance_factor: f.empty_running.map(decimal),
        temperature_control: Some("ambient".into()),
        truck_loading_sequence: None,
        air_shipping_option: match f.vehicle.as_deref() {
            Some(v) if v.starts_with("freighter") => Some("freighter".into()),
            Some(v) if v.starts_with("belly") => Some("belly freight".into()),
            _ => None,
        },
        flight_length: match f.vehicle.as_deref() {
            Some(v) if v.ends_with("_lh") => Some("long-haul".into()),
            Some(v) if v.ends_with("_sh") => Some("short-haul".into()),
            _ => None,
        },
        energy_carriers: vec![carrier(f.energy_carrier.as_deref())],
        co2e_intensity_wtw: iw,
        co2e_intensity_ttw: it,
        transport_activity_unit: unit.into(),
    });
    Some(id)
}

fn hoc_for(
    r: &HocResult,
    place: Option<&PlaceInfo>,
    teu: f64,
    net_t: f64,
    hocs: &mut Vec<Hoc>,
) -> Option<String> {
    let f = r.factor.as_ref()?;
    let wtw = r.co2e_kg?;
    let (unit, act) = if f.basis != "t" && teu > 0.0 {
        ("TEU", teu)
    } else {
        ("tonnes", net_t)
    };
    if act <= 0.0 {
        return None;
    }
    let id = format!("{}@{}", f.id, r.place);
    if !hocs.iter().any(|h| h.hoc_id == id) {
        hocs.push(Hoc {
            hoc_id: id.clone(),
            description: Some(format!(
                "{} at {} ({}; {}; source {}); GLEC publishes no energy-carrier split for this default, the carrier below is a placeholder iLEAP requires",
                f.description, r.place, f.reference, crate::GLEC_CREDIT, f.source
            )),
            certifications: None,
            hub_type: if f.hub_type.is_empty() {
                "Transshipment".into()
            } else {
                f.hub_type.clone()
            },
            temperature_control: Some("ambient".into()),
            hub_location: place.map(location),
            inbound_transport_mode: None,
            outbound_transport_mode: None,
            packaging_or_tr_eq_type: None,
            packaging_or_tr_eq_amount: None,
            energy_carriers: vec![carrier(Some("electricity"))],
            co2e_intensity_wtw: decimal(wtw / act),
            co2e_intensity_ttw: decimal(r.co2e_ttw_kg.unwrap_or(0.0) / act),
            hub_activity_unit: unit.into(),
        });
    }
    Some(id)
}

/// The footprint in the iLEAP data model. Elements whose CO2e is null (no factor) and
/// pipeline legs (no iLEAP transport mode) are left out and named in `notes`.
pub fn export(fp: &Footprint, shipment_id: &str) -> IleapExport {
    let mass_kg = fp.shipment.net_t * 1000.0;
    let mut tces = Vec::new();
    let mut tocs = Vec::new();
    let mut hocs = Vec::new();
    let mut notes = Vec::new();
    let mut prev: Vec<String> = Vec::new();
    let (eq_type, eq_amount) = if fp.shipment.teu > 0.0 {
        (
            Some("Container-TEU".to_string()),
            Some(decimal(fp.shipment.teu)),
        )
    } else {
        (None, None)
    };
    for e in &fp.elements {
        let tce_id = format!("{shipment_id}-{}", e.seq());
        let mut tce = Tce {
            tce_id: tce_id.clone(),
            prev_tce_ids: Some(prev.clone()),
            toc_id: None,
            hoc_id: None,
            shipment_id: shipment_id.into(),
            consignment_id: None,
            mass: decimal(mass_kg),
            packaging_or_tr_eq_type: eq_type.clone(),
            packaging_or_tr_eq_amount: eq_amount.clone(),
            distance: GlecDistance::default(),
            origin: None,
            destination: None,
            transport_activity: "0".into(),
            departure_at: None,
            arrival_at: None,
            flight_no: None,
            voyage_no: None,
            incoterms: None,
            co2e_wtw: "0".into(),
            co2e_ttw: "0".into(),
            nox_ttw: None,
            sox_ttw: None,
            ch4_ttw: None,
            pm_ttw: None,
        };
        match e {
            Element::Leg {
                label,
                from,
                to,
                result,
                ..
            } => {
                if ileap_mode(&result.mode).is_none() || result.co2e_kg.is_none() {
                    notes.push(format!(
                        "{label}: not exported ({})",
                        result
                            .missing
                            .clone()
                            .unwrap_or_else(|| format!("iLEAP has no {} mode", result.mode))
                    ));
                    continue;
                }
                tce.toc_id = toc_for(result, &mut tocs);
                let d = decimal(result.distance_km);
                tce.distance = match (result.mode.as_str(), result.distance_kind) {
                    ("sea" | "ferry" | "iww", _) => GlecDistance {
                        sfd: Some(d),
                        ..Default::default()
                    },
                    ("air", _) => GlecDistance {
                        gcd: Some(d),
                        ..Default::default()
                    },
                    _ => GlecDistance {
                        actual: Some(d),
                        ..Default::default()
                    },
                };
                tce.origin = from.as_ref().map(location);
                tce.destination = to.as_ref().map(location);
                tce.transport_activity = decimal(result.tkm);
                tce.co2e_wtw = decimal(result.co2e_kg.unwrap_or(0.0));
                tce.co2e_ttw = decimal(result.co2e_ttw_kg.unwrap_or(0.0));
                for p in &result.pollutants {
                    let v = p.kg.map(decimal);
                    match p.pollutant.as_str() {
                        "nox" => tce.nox_ttw = v,
                        "so2" => tce.sox_ttw = v,
                        _ => tce.pm_ttw = v,
                    }
                }
            }
            Element::Hub {
                label,
                place,
                result,
                ..
            } => {
                let Some(id) = hoc_for(
                    result,
                    place.as_ref(),
                    fp.shipment.teu,
                    fp.shipment.net_t,
                    &mut hocs,
                ) else {
                    notes.push(format!(
                        "{label}: not exported ({})",
                        result.missing.clone().unwrap_or_default()
                    ));
                    continue;
                };
                tce.hoc_id = Some(id);
                tce.distance = GlecDistance {
                    actual: Some("0".into()),
                    ..Default::default()
                };
                tce.origin = place.as_ref().map(location);
                tce.destination = tce.origin.clone();
                tce.co2e_wtw = decimal(result.co2e_kg.unwrap_or(0.0));
                tce.co2e_ttw = decimal(result.co2e_ttw_kg.unwrap_or(0.0));
            }
        }
        prev = vec![tce_id];
        tces.push(tce);
    }
    if fp
        .elements
        .iter()
        .any(|e| matches!(e, Element::Hub { result, .. } if result.co2e_kg.is_some() && result.co2e_ttw_kg.is_none()))
    {
        notes.push("hub co2eTTW is 0: GLEC publishes hub defaults as WTW only (the TTW/WTT split is unknown, not zero)".into());
    }
    IleapExport {
        specification: format!("{ILEAP_VERSION}, {ILEAP_URL}"),
        shipment_footprint: ShipmentFootprint {
            mass: decimal(mass_kg),
            volume: None,
            shipment_id: shipment_id.into(),
            tces,
        },
        tocs,
        hocs,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn decimals_are_plain_strings() {
        assert_eq!(decimal(10.0), "10");
        assert_eq!(decimal(-0.123), "-0.123");
        assert_eq!(decimal(1e-9), "0");
        assert_eq!(decimal(36.801), "36.801");
        assert_eq!(decimal(1e12), "1000000000000");
    }
}
