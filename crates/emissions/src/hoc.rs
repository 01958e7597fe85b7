//! One hub operation (HOC): a transfer between carriers at a place (lift, gauge change,
//! transshipment), activity × hub factor, with the factor as applied.

use corridor_data::{HubBasis, HubFactor, TransferKind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calc::Shipment;

/// One hub operation to compute: a transfer between carriers at a place.
#[derive(Debug, Clone)]
pub struct Hoc<'a> {
    /// Id (e.g. `KZ-dostyk:gauge_transshipment`).
    pub id: String,
    /// Transfer kind.
    pub kind: TransferKind,
    /// Place id.
    pub place: String,
    /// Place country.
    pub country: String,
    /// Cargo handled.
    pub shipment: Shipment,
    /// Factor; `None` when the data has none for this kind of transfer.
    pub factor: Option<&'a HubFactor>,
}

/// The hub factor as applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HubFactorUsed {
    /// Factor id.
    pub id: String,
    /// GLEC hub type.
    pub hub_type: String,
    /// Description.
    pub description: String,
    /// `t`, `container` or `teu`.
    pub basis: String,
    /// kg CO2e WTW per basis unit.
    pub wtw: Option<f64>,
    /// Document, table and page.
    pub reference: String,
    /// Source id.
    pub source: String,
}

/// The result of one hub operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HocResult {
    /// Id.
    pub id: String,
    /// Transfer kind.
    pub kind: String,
    /// Place id.
    pub place: String,
    /// Place country.
    pub country: String,
    /// Activity handled in the factor's basis (t, containers or TEU).
    pub activity: f64,
    /// Unit of `activity`.
    pub activity_unit: String,
    /// Well-to-wheel CO2e, kg; null when no factor exists (see `missing`).
    pub co2e_kg: Option<f64>,
    /// Tank-to-wheel part; null where the source does not split it.
    pub co2e_ttw_kg: Option<f64>,
    /// Well-to-tank part; null where the source does not split it.
    pub co2e_wtt_kg: Option<f64>,
    /// The factor as applied.
    pub factor: Option<HubFactorUsed>,
    /// Why `co2e_kg` is null.
    pub missing: Option<String>,
}

/// Computes one hub operation.
pub fn hub(h: &Hoc<'_>) -> HocResult {
    let mut out = HocResult {
        id: h.id.clone(),
        kind: h.kind.as_str().into(),
        place: h.place.clone(),
        country: h.country.clone(),
        activity: h.shipment.net_t,
        activity_unit: "t".into(),
        co2e_kg: None,
        co2e_ttw_kg: None,
        co2e_wtt_kg: None,
        factor: None,
        missing: None,
    };
    let Some(f) = h.factor else {
        out.missing = Some(format!(
            "no hub factor for {} in hub_factors.csv",
            h.kind.as_str()
        ));
        return out;
    };
    let s = h.shipment;
    let (activity, unit) = match f.basis {
        HubBasis::Tonne => (s.net_t, "t"),
        HubBasis::Container => {
            if s.containers > 0.0 {
                (s.containers, "container")
            } else {
                // Loose cargo through a container terminal: per tonne is not given; say so.
                out.missing = Some(format!(
                    "hub factor {} is per container and the cargo is not in containers",
                    f.id
                ));
                (0.0, "container")
            }
        }
        HubBasis::Teu => (s.teu, "teu"),
    };
    out.activity = activity;
    out.activity_unit = unit.into();
    if out.missing.is_none() {
        if f.wtw.is_none() {
            out.missing = Some(format!("no public factor ({}): {}", f.id, f.note));
        }
        out.co2e_kg = f.wtw.map(|v| v * activity);
        out.co2e_ttw_kg = f.ttw.map(|v| v * activity);
        out.co2e_wtt_kg = f.wtt.map(|v| v * activity);
    }
    out.factor = Some(HubFactorUsed {
        id: f.id.clone(),
        hub_type: f.hub_type.clone(),
        description: f.description.clone(),
        basis: f.basis.as_str().into(),
        wtw: f.wtw,
        reference: f.reference.clone(),
        source: f.source.clone(),
    });
    out
}

/// A hub factor built in code (kg CO2e WTW per basis unit).
pub fn simple_hub(id: &str, kind: &str, basis: HubBasis, wtw: f64) -> HubFactor {
    HubFactor {
        id: id.into(),
        applies_to: vec![kind.into()],
        hub_type: "Transshipment".into(),
        description: id.into(),
        basis,
        wtw: Some(wtw),
        ttw: None,
        wtt: None,
        reference: String::new(),
        source: "test".into(),
        note: String::new(),
        line: 0,
    }
}
