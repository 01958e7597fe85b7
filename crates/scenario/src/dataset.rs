//! The build-stage seam: a checked dataset in, a checked dataset out.
//!
//! Scenarios transform the dataset before the network and the engine are built
//! (data → **scenarios** → network → engine). The result is checked again by the data crate's
//! validator, and its provenance lists the scenario as a layer on top of the data's own layers,
//! so the hash an answer quotes changes with the scenario text and reproduces the result.

use corridor_data::{Dataset, LayerInfo, Provenance};

use crate::apply::{apply_all, Applied};
use crate::error::ScenarioError;
use crate::model::Scenario;

/// `base` with `scenarios` applied in order, checked, with each scenario a provenance layer
/// (`scenario NAME`, its text's short hash). No scenarios: a clone of `base`.
pub fn with_scenarios(
    base: &Dataset,
    scenarios: &[Scenario],
) -> Result<(Dataset, Vec<Applied>), ScenarioError> {
    if scenarios.is_empty() {
        return Ok((base.clone(), Vec::new()));
    }
    let (records, applied) = apply_all(scenarios, base.records.clone())?;
    let mut layers = base.layers.clone();
    for s in scenarios {
        layers.push(LayerInfo {
            label: format!("scenario {}", s.name),
            hash: s.short_hash().to_string(),
        });
    }
    let label = format!(
        "{} + scenario {}",
        base.label,
        scenarios
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    );
    let ds = Dataset::from_records(&label, Provenance::layered(layers), records).map_err(|e| {
        let last = scenarios
            .last()
            .map(|s| s.file.as_str())
            .unwrap_or("scenario");
        ScenarioError::one(
            last,
            0,
            format!("the data with the scenario applied does not check: {e}"),
        )
    })?;
    Ok((ds, applied))
}
