//! A dataset loaded once and an engine per list of scenarios (the baseline is the empty
//! list), built on first use and kept: "load once, query many" for the Python package and the
//! batch runner.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use corridor_data::Dataset;
use corridor_engine::Engine;

use crate::failure::Failure;

/// The name a job or a call uses for the network with no scenario applied.
pub const BASELINE: &str = "baseline";

/// The base dataset and the engines built on it, one per list of scenarios.
pub struct Engines {
    base: Dataset,
    data: Option<PathBuf>,
    built: Mutex<HashMap<Vec<String>, Arc<Engine>>>,
}

impl Engines {
    /// Loads the embedded network, or a data folder (a full network or an overlay over the
    /// embedded one, as `--data`).
    ///
    /// # Errors
    /// `InvalidData` with every problem (file:line).
    pub fn load(data: Option<&Path>) -> Result<Engines, Failure> {
        let base = match data {
            Some(d) => Dataset::load_dir(d)?,
            None => Dataset::embedded()?,
        };
        Ok(Engines {
            base,
            data: data.map(Path::to_path_buf),
            built: Mutex::new(HashMap::new()),
        })
    }

    /// The base dataset.
    pub fn dataset(&self) -> &Dataset {
        &self.base
    }

    /// The data folder given, if any (else the embedded network).
    pub fn data_dir(&self) -> Option<&Path> {
        self.data.as_deref()
    }

    /// The engine with `scenarios` applied in order (shipped names or TOML paths; `baseline`
    /// items are skipped), built once.
    ///
    /// # Errors
    /// `InvalidValue` (field `scenario`) for a value that is neither a shipped scenario nor a
    /// file, listing the shipped ones; `InvalidData` for a scenario file with problems.
    pub fn get(&self, scenarios: &[String]) -> Result<Arc<Engine>, Failure> {
        let key: Vec<String> = scenarios
            .iter()
            .filter(|s| s.as_str() != BASELINE)
            .cloned()
            .collect();
        if let Some(e) = self.lock().get(&key) {
            return Ok(e.clone());
        }
        let read = key
            .iter()
            .map(|v| read_scenario(v))
            .collect::<Result<Vec<_>, _>>()?;
        let ds = corridor_scenario::with_scenarios(&self.base, &read)
            .map(|(ds, _)| ds)
            .map_err(|e| Failure::from(&e))?;
        let engine = Arc::new(Engine::new(ds));
        self.lock().insert(key, engine.clone());
        Ok(engine)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<String>, Arc<Engine>>> {
        // A panic while holding the lock leaves the map whole (inserts are single calls).
        self.built.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Reads a scenario: a shipped name, else a TOML file's path.
///
/// # Errors
/// As [`Engines::get`].
pub fn read_scenario(v: &str) -> Result<corridor_scenario::Scenario, Failure> {
    let shipped = corridor_scenario::shipped::names();
    if !shipped.contains(&v) && !Path::new(v).is_file() {
        return Err(Failure {
            suggestions: shipped.iter().map(|s| s.to_string()).collect(),
            ..Failure::invalid(
                "scenario",
                format!(
                    "'{v}' is neither a shipped scenario nor a file; shipped: {}",
                    shipped.join(", ")
                ),
            )
        });
    }
    corridor_scenario::load(v).map_err(|e| Failure::from(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_are_built_once_per_scenario_list_and_baseline_is_no_scenario() {
        let e = Engines::load(None).unwrap();
        let a = e.get(&[]).unwrap();
        let b = e.get(&[BASELINE.to_string()]).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        let name = corridor_scenario::shipped::names()[0].to_string();
        let s = e.get(std::slice::from_ref(&name)).unwrap();
        assert!(!Arc::ptr_eq(&a, &s));
        assert_eq!(s.data_info().scenarios.len(), 1, "{name}");
        let bad = e.get(&["no-such-scenario".into()]).err().unwrap();
        assert_eq!(bad.code, "InvalidValue");
        assert_eq!(bad.field.as_deref(), Some("scenario"));
        assert!(bad.suggestions.contains(&name));
    }
}
