//! A rail element on a wholly or partly electrified line (`traction.csv`): the electrified
//! share at the electric factor and the grid factor of the countries, the rest at the
//! element's fuel factor, added (docs/emissions.md, "Traction").

use super::*;

/// The element computed with its traction mix: electric for `electrified_share` of the
/// distance, the element's own (fuel) factor for the rest.
pub(super) fn electrified(
    t: &Tce<'_>,
    mix: &TractionMix<'_>,
    set: &FactorSet<'_>,
) -> Result<TceResult, EmissionError> {
    let s = mix.electrified_share;
    if !(s > 0.0 && s <= 1.0) {
        return Err(EmissionError::new(
            "traction",
            format!(
                "leg {}: electrified share {s} is out of range (0 < share ≤ 1)",
                t.id
            ),
        ));
    }
    let mut fuel_t = t.clone();
    fuel_t.traction = None;
    let mut electric_t = fuel_t.clone();
    electric_t.factor = Some(mix.electric);
    let mut electric = transport_one(&electric_t, set)?;
    if s >= 1.0 {
        if let Some(f) = electric.factor.as_mut() {
            f.adjustments.push(format!(
                "traction: electric (traction.csv, source {}) instead of {}",
                mix.source,
                t.factor.map_or("the fuel factor", |f| f.id.as_str())
            ));
        }
        return Ok(electric);
    }
    let fuel = transport_one(&fuel_t, set)?;
    Ok(blend(fuel, electric, s, &mix.source))
}

/// `(1 − s) × fuel + s × electric` for every figure; a figure is null when either part is.
fn blend(fuel: TceResult, electric: TceResult, s: f64, source: &str) -> TceResult {
    let mix = |a: Option<f64>, b: Option<f64>| Some((1.0 - s) * a? + s * b?);
    let mut out = fuel.clone();
    out.co2e_kg = mix(fuel.co2e_kg, electric.co2e_kg);
    out.co2e_ttw_kg = mix(fuel.co2e_ttw_kg, electric.co2e_ttw_kg);
    out.co2e_wtt_kg = mix(fuel.co2e_wtt_kg, electric.co2e_wtt_kg);
    out.energy_mj = mix(fuel.energy_mj, electric.energy_mj);
    out.intensity_g_per_tkm = match out.co2e_kg {
        Some(v) if out.tkm > 0.0 => Some(v * 1000.0 / out.tkm),
        _ => None,
    };
    out.missing = fuel.missing.or(electric.missing);
    out.grid = electric
        .grid
        .into_iter()
        .map(|mut g| {
            g.share *= s;
            g
        })
        .collect();
    out.pollutants = fuel
        .pollutants
        .iter()
        .zip(&electric.pollutants)
        .map(|(a, b)| {
            let kg = mix(a.kg, b.kg);
            PollutantUse {
                pollutant: a.pollutant.clone(),
                kg,
                g_per_unit: mix(a.g_per_unit, b.g_per_unit),
                source: a.source.clone(),
                note: if kg.is_some() {
                    format!(
                        "{:.0}% {} + {:.0}% {}",
                        (1.0 - s) * 100.0,
                        a.note,
                        s * 100.0,
                        b.note
                    )
                } else if a.kg.is_none() {
                    a.note.clone()
                } else {
                    b.note.clone()
                },
            }
        })
        .collect();
    if let (Some(f), Some(e)) = (out.factor.as_mut(), electric.factor.as_ref()) {
        f.adjustments.push(format!(
            "traction: {:.0}% of the distance electric ({} at the grid factor), {:.0}% {} (traction.csv, source {source})",
            s * 100.0,
            e.id,
            (1.0 - s) * 100.0,
            f.id
        ));
        f.adjustments.extend(e.adjustments.iter().cloned());
        f.id = format!("{}+{}", f.id, e.id);
        f.description = format!(
            "{} ({:.0}%) and {} ({:.0}%)",
            f.description,
            (1.0 - s) * 100.0,
            e.description,
            s * 100.0
        );
        f.wtw = mix(f.wtw, e.wtw);
        f.ttw = mix(f.ttw, e.ttw);
        f.wtt = mix(f.wtt, e.wtt);
        f.kwh = e.kwh.map(|k| s * k);
    }
    out
}
