//! The steps of [`super::transport`], in the order it takes them: checks, distance
//! adjustment, activity in the factor's basis, intensity multiplier (gross-to-net, load factor,
//! empty running), unit intensity (electricity at the grid factor, or the table's), CO2e and
//! energy, pollutants.

use super::*;

/// Checks the element's distance, load factor, empty running and cargo mass.
pub(super) fn check_tce(t: &Tce<'_>) -> Result<(), EmissionError> {
    if !t.distance_km.is_finite() || t.distance_km < 0.0 {
        return Err(EmissionError::new(
            "distance_km",
            format!(
                "leg {}: distance {} km is not a distance",
                t.id, t.distance_km
            ),
        ));
    }
    if t.distance_km > MAX_LEG_KM {
        return Err(EmissionError::new(
            "distance_km",
            format!(
                "leg {}: distance {} km is longer than any leg can be (at most {MAX_LEG_KM} km, about the Earth's circumference)",
                t.id, t.distance_km
            ),
        ));
    }
    if t.distance_km == 0.0 && t.mode != Mode::Border {
        return Err(EmissionError::new(
            "distance_km",
            format!("leg {}: no distance (0 km) for a {} leg", t.id, t.mode),
        ));
    }
    check_fraction("load_factor", t.load_factor, true)?;
    check_fraction("empty_running", t.empty_running, false)?;
    let s = t.shipment;
    if !(s.net_t.is_finite() && s.net_t >= 0.0) {
        return Err(EmissionError::new(
            "cargo",
            format!("net mass {} t is not a mass", s.net_t),
        ));
    }
    Ok(())
}

/// The result with the element's activity (tkm, TEU-km) and no emissions yet.
pub(super) fn bare_result(t: &Tce<'_>) -> TceResult {
    let s = t.shipment;
    TceResult {
        id: t.id.clone(),
        mode: t.mode.as_str().into(),
        distance_km: t.distance_km,
        distance_kind: t.distance_kind,
        emission_distance_km: t.distance_km,
        tkm: s.net_t * t.distance_km,
        teu_km: s.teu * t.distance_km,
        energy_mj: None,
        co2e_kg: None,
        co2e_ttw_kg: None,
        co2e_wtt_kg: None,
        intensity_g_per_tkm: None,
        factor: None,
        grid: vec![],
        pollutants: vec![],
        missing: None,
    }
}

/// Distance adjustment: the GLEC air distance addition and the sea SFD multiplier.
pub(super) fn emission_distance(
    t: &Tce<'_>,
    f: &EmissionFactor,
    adjustments: &mut Vec<String>,
) -> f64 {
    let mut d = t.distance_km;
    if let Some(km) = f.daf_km.filter(|&k| k > 0.0) {
        if t.distance_kind != DistanceKind::Network {
            d += km;
            adjustments.push(format!(
                "distance: great-circle + {km} km (GLEC air distance adjustment)"
            ));
        } else {
            adjustments.push(format!(
                "distance: the network's air distance already includes the GLEC + {km} km"
            ));
        }
    }
    if let Some(m) = f.daf.filter(|&m| m > 1.0) {
        d *= m;
        adjustments.push(format!(
            "distance: port-to-port (SFD) × {m} (GLEC distance adjustment; the table value excludes it)"
        ));
    } else if f.basis == EmissionBasis::TeuKm && t.mode == Mode::Sea {
        adjustments.push(
            "distance: port-to-port (SFD); the Clean Cargo end-user factor already includes the +15% actual-vs-SFD adjustment".into(),
        );
    }
    d
}

/// Activity in the factor's basis unit (tkm or TEU-km) over the emission distance `d`.
pub(super) fn factor_activity(
    t: &Tce<'_>,
    f: &EmissionFactor,
    d: f64,
) -> Result<f64, EmissionError> {
    let s = t.shipment;
    Ok(match f.basis {
        EmissionBasis::Tkm => s.net_t * d,
        EmissionBasis::TeuKm => {
            if s.teu <= 0.0 {
                return Err(EmissionError::new(
                    "cargo",
                    format!(
                        "leg {}: factor {} is per TEU-km but the cargo has no TEU: give containers (e.g. 2xFEU) or choose a per-tkm vessel class",
                        t.id, f.id
                    ),
                ));
            }
            s.teu * d
        }
    })
}

/// Gross-to-net reallocation: the intensity multiplier for a per-gross-tonne-km table.
pub(super) fn gross_to_net(f: &EmissionFactor, adjustments: &mut Vec<String>) -> f64 {
    let mut k = 1.0;
    if let Some(g) = f.gross_to_net.filter(|&g| g > 1.0) {
        k *= g;
        adjustments.push(format!(
            "intensity × {g}: the table is per gross (vehicle + cargo) tonne-km, reallocated to cargo tonne-km"
        ));
    }
    k
}

/// Load factor: multiplier `k` adjusted to the element's load factor, and the load factor used.
pub(super) fn load_factor_adjustment(
    t: &Tce<'_>,
    f: &EmissionFactor,
    mut k: f64,
    adjustments: &mut Vec<String>,
) -> Result<(f64, Option<f64>), EmissionError> {
    let mut lf_used = f.load_factor;
    if let Some(lf) = t.load_factor {
        let Some(lf0) = f.load_factor else {
            return Err(EmissionError::new(
                "load_factor",
                format!(
                    "factor {} states no load factor, so it cannot be adjusted to {lf}",
                    f.id
                ),
            ));
        };
        k *= lf0 / lf;
        lf_used = Some(lf);
        adjustments.push(format!(
            "intensity × {lf0}/{lf}: load factor {lf} instead of the table's {lf0} (energy per vehicle-km held constant)"
        ));
    }
    Ok((k, lf_used))
}

/// Empty running: multiplier `k` adjusted to the element's empty running, and the share used.
pub(super) fn empty_running_adjustment(
    t: &Tce<'_>,
    f: &EmissionFactor,
    mut k: f64,
    adjustments: &mut Vec<String>,
) -> Result<(f64, Option<f64>), EmissionError> {
    let mut er_used = f.empty_running;
    if let Some(er) = t.empty_running {
        let er0 = f.empty_running.unwrap_or(0.0);
        if f.empty_running.is_none() && f.load_factor.is_none() {
            return Err(EmissionError::new(
                "empty_running",
                format!(
                    "factor {} states no empty running, so it cannot be adjusted to {er}",
                    f.id
                ),
            ));
        }
        k *= (1.0 - er0) / (1.0 - er);
        er_used = Some(er);
        adjustments.push(format!(
            "intensity × (1 − {er0})/(1 − {er}): empty running {er} instead of the table's {er0}"
        ));
    }
    Ok((k, er_used))
}

/// g CO2e per basis unit before the multiplier: well-to-wheel, tank-to-wheel, well-to-tank,
/// and the well-to-wheel figure reported as the factor's.
pub(super) struct UnitIntensity {
    pub(super) wtw: Option<f64>,
    pub(super) ttw: Option<f64>,
    pub(super) wtt: Option<f64>,
    pub(super) wtw_unit: Option<f64>,
}

/// Energy and electricity: kWh per basis unit at the grid factor of each country the leg runs
/// in (distance split evenly); records the grid shares and what is missing.
pub(super) fn electric_intensity(
    t: &Tce<'_>,
    f: &EmissionFactor,
    kwh: f64,
    set: &FactorSet<'_>,
    out: &mut TceResult,
    adjustments: &mut Vec<String>,
) -> UnitIntensity {
    let n = {
        let mut cs: Vec<&str> = Vec::new();
        for c in &t.countries {
            if !cs.contains(&c.as_str()) {
                cs.push(c);
            }
        }
        cs
    };
    if n.is_empty() {
        out.missing = Some(format!(
            "leg {}: electric traction needs the country the leg runs in for its grid factor",
            t.id
        ));
    }
    let share = 1.0 / n.len().max(1) as f64;
    let mut g_sum = 0.0;
    let mut complete = !n.is_empty();
    for c in &n {
        let g = set.grid(c);
        if g.is_none() {
            complete = false;
            out.missing = Some(format!("no grid factor for {c} in grid_factors.csv"));
        }
        g_sum += share * g.map(|g| g.g_per_kwh).unwrap_or(0.0);
        out.grid.push(GridShare {
            country: c.to_string(),
            share,
            g_per_kwh: g.map(|g| g.g_per_kwh),
            year: g.map(|g| g.year),
            source: g.map(|g| g.source.clone()),
        });
    }
    if n.len() > 1 {
        adjustments.push(format!(
            "electricity: distance split evenly between {} ({})",
            n.join(", "),
            "rule for legs crossing a border"
        ));
    }
    if complete {
        let unit = kwh * g_sum; // g per basis unit
        adjustments.push(format!(
            "electricity: {kwh} kWh per {} × {g_sum:.1} g CO2e/kWh grid (all well-to-tank)",
            basis_name(f.basis)
        ));
        UnitIntensity {
            wtw: Some(unit),
            ttw: Some(0.0),
            wtt: Some(unit),
            wtw_unit: Some(unit),
        }
    } else {
        UnitIntensity {
            wtw: None,
            ttw: None,
            wtt: None,
            wtw_unit: None,
        }
    }
}

/// The table's own CO2e intensities (fuel traction); records when there is no public figure.
pub(super) fn table_intensity(
    t: &Tce<'_>,
    f: &EmissionFactor,
    out: &mut TceResult,
) -> UnitIntensity {
    if f.wtw.is_none() {
        out.missing = Some(format!(
            "no public emission factor for {} ({}): {}",
            t.mode, f.id, f.note
        ));
    }
    UnitIntensity {
        wtw: f.wtw,
        ttw: f.ttw,
        wtt: f.wtt,
        wtw_unit: f.wtw,
    }
}

/// CO2e, energy and intensity per tkm: unit intensity × multiplier `k` × activity.
pub(super) fn apply_intensity(
    out: &mut TceResult,
    f: &EmissionFactor,
    unit: &UnitIntensity,
    k: f64,
    activity: f64,
) {
    let kg = |g: Option<f64>| g.map(|g| g * k * activity / 1000.0);
    out.co2e_kg = kg(unit.wtw);
    out.co2e_ttw_kg = kg(unit.ttw);
    out.co2e_wtt_kg = kg(unit.wtt);
    out.energy_mj = f.energy_mj.map(|e| e * k * activity);
    out.intensity_g_per_tkm = match out.co2e_kg {
        Some(v) if out.tkm > 0.0 => Some(v * 1000.0 / out.tkm),
        _ => None,
    };
}

/// Pollutants (NOx, SO2, PM) of the factor, with the same multiplier and activity as CO2e.
pub(super) fn pollutants(
    set: &FactorSet<'_>,
    f: &EmissionFactor,
    k: f64,
    activity: f64,
) -> Vec<PollutantUse> {
    POLLUTANTS
        .iter()
        .map(|p| {
            match set
                .pollutants
                .iter()
                .find(|r| r.factor == f.id && r.pollutant == *p)
            {
                Some(r) => PollutantUse {
                    pollutant: p.to_string(),
                    kg: Some(r.g_per_unit * k * activity / 1000.0),
                    g_per_unit: Some(r.g_per_unit),
                    source: Some(r.source.clone()),
                    note: r.note.clone(),
                },
                None => PollutantUse {
                    pollutant: p.to_string(),
                    kg: None,
                    g_per_unit: None,
                    source: None,
                    note: format!("no public {p} factor for {} in pollutant_factors.csv", f.id),
                },
            }
        })
        .collect()
}
