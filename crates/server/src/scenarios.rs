//! Scenarios on the API: the `scenario` parameter (shipped names only: the server never reads
//! a path) and `scenario_toml` (a POST body's scenario texts), and a bounded cache of the
//! engines built on the data with them applied, keyed by the scenarios' names and text hashes.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use corridor_engine::{Engine, LaneOptions, QueryError};
use corridor_scenario::Scenario;

/// Engines kept (least recently used dropped first).
pub const CACHE_SIZE: usize = 8;
/// Most scenarios in one request (stacked on /v1/route and /v1/table, compared on /v1/compare).
pub const MAX_SCENARIOS: usize = 5;

/// The scenario engines built so far, most recently used last.
pub struct Cache {
    engines: Mutex<VecDeque<(String, Arc<Engine>)>>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            engines: Mutex::new(VecDeque::with_capacity(CACHE_SIZE + 1)),
        }
    }
}

/// The scenarios a request names, parsed, in order: `scenario` (shipped names), then
/// `scenario_toml` (texts). None: an empty list.
pub fn parse(lane: &LaneOptions) -> Result<Vec<Scenario>, QueryError> {
    let n = lane.scenario.len() + lane.scenario_toml.len();
    if n > MAX_SCENARIOS {
        return Err(QueryError::TooBig {
            message: format!("{n} scenarios; at most {MAX_SCENARIOS}"),
        });
    }
    let mut out = Vec::with_capacity(n);
    for name in &lane.scenario {
        let names = corridor_scenario::shipped::names();
        match corridor_scenario::shipped(name) {
            Some(Ok(s)) => out.push(s),
            Some(Err(e)) => {
                return Err(QueryError::InvalidValue {
                    field: "scenario".into(),
                    message: e.to_string(),
                    suggestions: vec![],
                })
            }
            None => {
                return Err(QueryError::InvalidValue {
                    field: "scenario".into(),
                    message: format!(
                        "'{}' is not a shipped scenario (one of: {}); send a file's text as scenario_toml in a POST body",
                        name.chars().take(64).collect::<String>(),
                        names.join(", ")
                    ),
                    suggestions: names.iter().map(|s| s.to_string()).collect(),
                })
            }
        }
    }
    for (i, text) in lane.scenario_toml.iter().enumerate() {
        let s = corridor_scenario::parse(&format!("scenario_toml[{i}]"), text).map_err(|e| {
            QueryError::InvalidValue {
                field: "scenario_toml".into(),
                message: e.to_string(),
                suggestions: vec![],
            }
        })?;
        out.push(s);
    }
    Ok(out)
}

impl Cache {
    /// The engine on `base`'s data with `scenarios` applied in order (stacked), from the cache
    /// or built (then cached, the least recently used dropped beyond [`CACHE_SIZE`]).
    pub fn engine(&self, base: &Engine, scenarios: &[Scenario]) -> Result<Arc<Engine>, QueryError> {
        let key: String = scenarios
            .iter()
            .map(|s| format!("{}#{}\n", s.name, s.hash))
            .collect();
        if let Ok(mut m) = self.engines.lock() {
            if let Some(i) = m.iter().position(|(k, _)| *k == key) {
                if let Some(hit) = m.remove(i) {
                    let e = hit.1.clone();
                    m.push_back(hit);
                    return Ok(e);
                }
            }
        }
        let (ds, _) =
            corridor_scenario::with_scenarios(base.dataset(), scenarios).map_err(|e| {
                QueryError::InvalidValue {
                    field: "scenario".into(),
                    message: e.to_string(),
                    suggestions: vec![],
                }
            })?;
        let engine = Arc::new(Engine::new(ds));
        if let Ok(mut m) = self.engines.lock() {
            m.retain(|(k, _)| *k != key);
            m.push_back((key, engine.clone()));
            while m.len() > CACHE_SIZE {
                m.pop_front();
            }
        }
        Ok(engine)
    }

    /// The engine for a request's scenarios (stacked), or `None` when it names none.
    pub fn for_request(
        &self,
        base: &Engine,
        lane: &LaneOptions,
    ) -> Result<Option<Arc<Engine>>, QueryError> {
        let scenarios = parse(lane)?;
        if scenarios.is_empty() {
            return Ok(None);
        }
        self.engine(base, &scenarios).map(Some)
    }

    /// Engines held now (for tests).
    pub fn len(&self) -> usize {
        self.engines.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// True when no engine is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lane(names: &[&str]) -> LaneOptions {
        LaneOptions {
            scenario: names.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    /// A hit is the same engine; the cache never holds more than CACHE_SIZE, dropping the
    /// least recently used; the order of stacked scenarios is part of the key.
    #[test]
    fn cache_is_bounded_lru_keyed_by_scenarios() {
        let base = Engine::new(corridor_data::Dataset::embedded().unwrap());
        let cache = Cache::default();
        let none = cache.for_request(&base, &lane(&[])).unwrap();
        assert!(none.is_none() && cache.is_empty());
        let a = cache
            .for_request(&base, &lane(&["caspian-backlog"]))
            .unwrap()
            .unwrap();
        let again = cache
            .for_request(&base, &lane(&["caspian-backlog"]))
            .unwrap()
            .unwrap();
        assert!(Arc::ptr_eq(&a, &again));
        let mut keys: Vec<Vec<&str>> = corridor_scenario::shipped::names()
            .into_iter()
            .filter(|n| *n != "caspian-backlog")
            .map(|n| vec![n])
            .collect();
        keys.push(vec!["caspian-backlog", "kuryk-aktau-expansion"]);
        keys.push(vec!["kuryk-aktau-expansion", "caspian-backlog"]);
        assert_eq!(keys.len(), CACHE_SIZE);
        for k in &keys {
            cache.for_request(&base, &lane(k)).unwrap().unwrap();
            assert!(cache.len() <= CACHE_SIZE);
        }
        assert_eq!(cache.len(), CACHE_SIZE);
        // caspian-backlog alone was the least recently used: rebuilt, not the same engine.
        let rebuilt = cache
            .for_request(&base, &lane(&["caspian-backlog"]))
            .unwrap()
            .unwrap();
        assert!(!Arc::ptr_eq(&a, &rebuilt));
        // The most recent stacked one is still there.
        let last = keys.last().unwrap();
        let e1 = cache.for_request(&base, &lane(last)).unwrap().unwrap();
        let e2 = cache.for_request(&base, &lane(last)).unwrap().unwrap();
        assert!(Arc::ptr_eq(&e1, &e2));
        assert_eq!(e1.data_info().scenarios[0].name, "kuryk-aktau-expansion");
    }
}
