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
    /// or built (then cached, the least recently used dropped beyond [`CACHE_SIZE`]). It keeps
    /// `base`'s door road network, so door legs under a scenario are measured as without one.
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
        // The scenario engine measures door legs on the base's road network, as the base does.
        let engine = match base.door_roads() {
            Some(roads) => Engine::new(ds).with_door_roads(roads.clone()),
            None => Engine::new(ds),
        };
        let engine = Arc::new(engine);
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
    use corridor_engine::door::{great_circle_km, DoorRoad, DoorRoads, DOOR_ROAD_SOURCE};
    use corridor_engine::RouteRequest;

    /// A road network stand-in: every leg measured as the great circle × 1.3.
    struct Roads;

    impl DoorRoads for Roads {
        fn legs(
            &self,
            point: (f64, f64),
            targets: &[(f64, f64)],
            _inbound: bool,
        ) -> Vec<Result<DoorRoad, String>> {
            targets
                .iter()
                .map(|&t| {
                    Ok(DoorRoad {
                        km: great_circle_km(point, t) * 1.3,
                        line: vec![point, t],
                    })
                })
                .collect()
        }
        fn label(&self) -> String {
            "scenario test roads".into()
        }
    }

    /// A scenario engine keeps the base's road network: a door query under a scenario
    /// measures its road leg (great circle × 1.3, as the stand-in says) instead of estimating
    /// it, exactly as the base engine does.
    #[test]
    fn scenario_engines_keep_the_door_road_network() {
        let ds = corridor_data::Dataset::embedded().unwrap();
        let base = Engine::new(ds).with_door_roads(Arc::new(Roads));
        let cache = Cache::default();
        let sc = cache
            .for_request(&base, &lane(&["caspian-backlog"]))
            .unwrap()
            .unwrap();
        assert!(sc.door_roads().is_some());
        assert_eq!(sc.door_roads().unwrap().label(), "scenario test roads");
        let req = RouteRequest {
            from: "43.30,76.95".into(),
            to: "Duisburg".into(),
            lane: LaneOptions {
                optimize: Some("time".into()),
                scenario: vec!["caspian-backlog".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        let first_leg = |e: &Engine| {
            let a = e.route(&req).unwrap();
            let l = a.itineraries[0].legs[0].clone();
            let gc = great_circle_km((l.from.lat, l.from.lon), (l.to.lat, l.to.lon));
            (l.distance_source, l.distance_km, gc)
        };
        for e in [&base, sc.as_ref()] {
            let (source, km, gc) = first_leg(e);
            assert_eq!(source, DOOR_ROAD_SOURCE);
            assert!(
                // The answer rounds distances to 0.1 km.
                (km - 1.3 * gc).abs() <= 0.05 + 1e-3 * gc,
                "door leg {km} km is not the measured 1.3 × {gc} km"
            );
        }
        // Without roads the scenario engine estimates the door leg.
        let plain = Engine::new(corridor_data::Dataset::embedded().unwrap());
        let est = Cache::default()
            .engine(&plain, &parse(&lane(&["caspian-backlog"])).unwrap())
            .unwrap();
        assert!(est.door_roads().is_none());
        assert_ne!(first_leg(&est).0, DOOR_ROAD_SOURCE);
    }

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
