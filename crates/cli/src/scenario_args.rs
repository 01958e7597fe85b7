//! `--scenario FILE|NAME` (repeatable, applied in order) on `route`, `table`, `emissions` and
//! `compare`: the dataset with the scenarios applied (docs/scenarios.md), and their errors in
//! the CLI's vocabulary (an unknown name: exit 2; a file with problems: exit 4, file:line).

use std::path::PathBuf;

use corridor_data::Dataset;
use corridor_engine::QueryError;
use corridor_scenario::{Scenario, ScenarioError};

use crate::{load, Failure};

/// A scenario file with problems: `InvalidData` (exit 4), one `file:line: message` per problem.
pub(crate) fn scenario_failure(e: &ScenarioError) -> Failure {
    Failure {
        code: 4,
        json: Some(serde_json::json!({
            "code": "InvalidData",
            "message": format!("invalid scenario {}: {} problem(s)", e.file, e.problems.len()),
            "problems": e.problems.iter().map(|p| serde_json::json!({"file": e.file, "line": p.line, "message": p.message})).collect::<Vec<_>>(),
        })),
        text: format!("invalid scenario:\n{e}\n(the format is in docs/scenarios.md)"),
    }
}

/// Reads the scenarios named by `--scenario`: a shipped name, else a path to a TOML file. A
/// value that is neither is a bad request naming the shipped scenarios.
pub(crate) fn read(values: &[String]) -> Result<Vec<Scenario>, Failure> {
    values
        .iter()
        .map(|v| {
            let shipped = corridor_scenario::shipped::names();
            if !shipped.contains(&v.as_str()) && !std::path::Path::new(v).is_file() {
                return Err(QueryError::InvalidValue {
                    field: "scenario".into(),
                    message: format!(
                        "'{v}' is neither a shipped scenario nor a file; shipped: {}",
                        shipped.join(", ")
                    ),
                    suggestions: shipped.iter().map(|s| s.to_string()).collect(),
                }
                .into());
            }
            corridor_scenario::load(v).map_err(|e| scenario_failure(&e))
        })
        .collect()
}

/// The dataset (`--data` or embedded) with `scenarios` applied in order.
pub(crate) fn load_with(data: &Option<PathBuf>, values: &[String]) -> Result<Dataset, Failure> {
    let base = load(data)?;
    if values.is_empty() {
        return Ok(base);
    }
    let scenarios = read(values)?;
    apply(&base, &scenarios)
}

/// `base` with `scenarios` applied (checked again; each a provenance layer).
pub(crate) fn apply(base: &Dataset, scenarios: &[Scenario]) -> Result<Dataset, Failure> {
    corridor_scenario::with_scenarios(base, scenarios)
        .map(|(ds, _)| ds)
        .map_err(|e| scenario_failure(&e))
}
