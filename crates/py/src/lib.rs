//! The native half of the `corridor` Python package (`corridor._corridor`): requests go in as
//! JSON text with the CLI's field names, answers come out as the JSON text the CLI prints with
//! `--format json` (the same serde types), errors as `NativeError` carrying the JSON error body.
//! The Python half (`python/corridor`) turns these into dicts, DataFrames and exception classes.
//! Every search runs with the GIL released (`py.allow_threads`), so Python threads run queries
//! in parallel on one loaded [`Engines`].
#![deny(missing_docs)]

mod assign;
mod batch;

use std::path::PathBuf;
use std::sync::Arc;

use corridor_batch::{Engines, Failure};
use corridor_engine::chain::EmissionsRequest;
use corridor_engine::options::from_json;
use corridor_engine::{Engine, RouteRequest, TableRequest};
use corridor_physical::query::{Method, Networks, Passages, PathRequest};
use corridor_physical::NetworkDir;
use pyo3::create_exception;
use pyo3::prelude::*;
use serde_json::Value;

create_exception!(
    _corridor,
    NativeError,
    pyo3::exceptions::PyException,
    "An error of the engine; its single argument is the JSON error body."
);

/// A failure as a Python exception (the Python half maps it to the `CorridorError` classes).
pub(crate) fn py_err(f: Failure) -> PyErr {
    NativeError::new_err(f.to_json().to_string())
}

/// A value as JSON text.
pub(crate) fn to_text<T: serde::Serialize>(v: &T) -> Result<String, Failure> {
    serde_json::to_string(v).map_err(|e| Failure::new("Internal", e.to_string()))
}

/// Reads a request's JSON text.
fn parse(request: &str) -> Result<Value, Failure> {
    serde_json::from_str(request)
        .map_err(|e| Failure::new("InvalidQuery", format!("request is not JSON: {e}")))
}

/// The scenarios a request names (its `scenario` list), after the engine's own.
fn scenarios_of(base: &[String], v: &Value) -> Vec<String> {
    let mut s = base.to_vec();
    if let Some(list) = v.get("scenario").and_then(Value::as_array) {
        s.extend(list.iter().filter_map(|x| x.as_str().map(String::from)));
    }
    s
}

/// The loaded network: a dataset and the engines on it, one per list of scenarios.
#[pyclass(frozen, module = "corridor._corridor")]
struct NativeEngine {
    engines: Engines,
    scenario: Vec<String>,
    networks: Networks,
}

impl NativeEngine {
    fn engine_for(&self, v: &Value) -> Result<Arc<Engine>, Failure> {
        self.engines.get(&scenarios_of(&self.scenario, v))
    }

    fn route_json(&self, request: &str) -> Result<String, Failure> {
        let v = parse(request)?;
        let engine = self.engine_for(&v)?;
        let req: RouteRequest = from_json(v)?;
        to_text(&engine.route(&req)?)
    }

    fn table_json(&self, request: &str) -> Result<String, Failure> {
        let v = parse(request)?;
        let engine = self.engine_for(&v)?;
        let req: TableRequest = from_json(v)?;
        to_text(&engine.table(&req, |_, _| {})?)
    }

    fn compare_json(&self, request: &str) -> Result<String, Failure> {
        let v = parse(request)?;
        let req: TableRequest = from_json(v)?;
        if req.scenario.is_empty() {
            return Err(Failure::new(
                "InvalidQuery",
                "no scenario: give scenario=[NAME|FILE, …] to compare with the baseline",
            ));
        }
        let base = self.engines.get(&self.scenario)?;
        let variants = req
            .scenario
            .iter()
            .map(|s| {
                let mut list = self.scenario.clone();
                list.push(s.clone());
                self.engines.get(&list)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let refs: Vec<&Engine> = variants.iter().map(|e| e.as_ref()).collect();
        to_text(&corridor_engine::compare::compare(
            &base,
            &refs,
            &req,
            |_, _| {},
        )?)
    }

    fn flows_json(&self, request: &str) -> Result<String, Failure> {
        let mut v = parse(request)?;
        let engine = self.engine_for(&v)?;
        if let Value::Object(m) = &mut v {
            m.remove("scenario");
        }
        let req: corridor_engine::flows::FlowRequest = serde_json::from_value(v)
            .map_err(|e| Failure::new("InvalidQuery", format!("not a valid request: {e}")))?;
        let areq = req.to_assign()?;
        let from = if areq.demand.is_some() {
            "the request"
        } else {
            "demand.csv of the data"
        };
        let run = engine.assign_flows(&areq, from, &mut |_, _| {})?;
        if !req.compare {
            return to_text(&run);
        }
        let base = self.engines.get(&self.scenario)?;
        let breq = areq.baseline();
        let b = base.assign_flows(&breq, from, &mut |_, _| {})?;
        let c = corridor_engine::flows::compare(&b, &run);
        to_text(&serde_json::json!({"run": run, "baseline": b, "comparison": c}))
    }

    fn emissions_json(&self, request: &str) -> Result<String, Failure> {
        let mut v = parse(request)?;
        let engine = self.engine_for(&v)?;
        if let Value::Object(m) = &mut v {
            m.remove("scenario");
        }
        let req: EmissionsRequest = serde_json::from_value(v)
            .map_err(|e| Failure::new("InvalidQuery", format!("not a valid request: {e}")))?;
        if req.leg.is_empty() && req.legs.is_empty() {
            return Err(Failure::new(
                "InvalidQuery",
                "no legs: give leg=['MODE:FROM-TO', …] or legs=[{mode, from, to}, …]",
            ));
        }
        to_text(&engine.emissions(&req)?)
    }

    #[allow(clippy::too_many_arguments)]
    fn path_json(
        &self,
        from: &str,
        to: &str,
        network: &str,
        max_snap_km: f64,
        algorithm: Option<&str>,
        allow: Vec<String>,
        avoid: Vec<String>,
        simplify_km: f64,
    ) -> Result<String, Failure> {
        for (field, km) in [("max_snap_km", max_snap_km), ("simplify_km", simplify_km)] {
            if !(km >= 0.0 && km.is_finite()) {
                return Err(Failure::invalid(
                    field,
                    format!("{km} is not a distance in km"),
                ));
            }
        }
        let ds = self.engines.dataset();
        let end = |field: &str, input: &str| {
            corridor_bridge::endpoint(field, input, || Ok::<_, Failure>(ds))?.map_err(Failure::from)
        };
        let (from, to) = (end("from", from)?, end("to", to)?);
        use corridor_physical::search::Algorithm as A;
        let method = match algorithm {
            None => Method::Auto,
            Some("ch") => Method::Ch,
            Some("astar") => Method::Search(A::AStar),
            Some("bidirectional") => Method::Search(A::Bidirectional),
            Some("dijkstra") => Method::Search(A::Dijkstra),
            Some(other) => {
                return Err(Failure {
                    suggestions: ["ch", "astar", "bidirectional", "dijkstra"]
                        .map(String::from)
                        .to_vec(),
                    ..Failure::invalid("algorithm", format!("unknown algorithm '{other}'"))
                })
            }
        };
        let physical = |e: corridor_physical::Error| {
            let body = corridor_physical::query::error_json(&e);
            let mut f = Failure::new(body["code"].as_str().unwrap_or("Internal"), e.to_string());
            f.field = body["field"].as_str().map(String::from);
            f
        };
        let p = self.networks.get(network).map_err(physical)?;
        let req = PathRequest {
            max_snap_km,
            passages: Passages { allow, avoid },
            method,
            ..PathRequest::new(from, to)
        };
        let a = p.path(&req).map_err(physical)?;
        to_text(&a.to_json(&p, simplify_km))
    }
}

#[pymethods]
impl NativeEngine {
    /// Loads the network once: `data` a data folder or overlay (default: embedded), `scenario`
    /// applied to every query, `network_dir` the imported physical networks (for `path`).
    #[new]
    #[pyo3(signature = (data=None, scenario=Vec::new(), network_dir=None))]
    fn new(
        py: Python<'_>,
        data: Option<PathBuf>,
        scenario: Vec<String>,
        network_dir: Option<PathBuf>,
    ) -> PyResult<NativeEngine> {
        py.allow_threads(|| {
            let engines = Engines::load(data.as_deref())?;
            engines.get(&scenario)?;
            Ok(NativeEngine {
                engines,
                scenario,
                networks: Networks::new(NetworkDir::or_default(network_dir.as_deref())),
            })
        })
        .map_err(py_err)
    }

    /// `route` (and the Pareto front): the answer of `corridor route --format json`.
    fn route(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        py.allow_threads(|| self.route_json(request))
            .map_err(py_err)
    }

    /// `table`: the answer of `corridor table --format json`.
    fn table(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        py.allow_threads(|| self.table_json(request))
            .map_err(py_err)
    }

    /// `compare`: the answer of `corridor compare --format json`.
    fn compare(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        py.allow_threads(|| self.compare_json(request))
            .map_err(py_err)
    }

    /// `flows`: the answer of `corridor assign --format json` on the corridor network.
    fn flows(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        py.allow_threads(|| self.flows_json(request))
            .map_err(py_err)
    }

    /// `emissions`: the answer of `corridor emissions --format json`.
    fn emissions(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        py.allow_threads(|| self.emissions_json(request))
            .map_err(py_err)
    }

    /// `path` on an imported physical network: the answer of `corridor path --format json`.
    #[pyo3(signature = (from, to, network="rail", max_snap_km=corridor_physical::DEFAULT_MAX_SNAP_KM, algorithm=None, allow=Vec::new(), avoid=Vec::new(), simplify_km=1.0))]
    #[allow(clippy::too_many_arguments)]
    fn path(
        &self,
        py: Python<'_>,
        from: &str,
        to: &str,
        network: &str,
        max_snap_km: f64,
        algorithm: Option<&str>,
        allow: Vec<String>,
        avoid: Vec<String>,
        simplify_km: f64,
    ) -> PyResult<String> {
        py.allow_threads(|| {
            self.path_json(
                from,
                to,
                network,
                max_snap_km,
                algorithm,
                allow,
                avoid,
                simplify_km,
            )
        })
        .map_err(py_err)
    }

    /// The data the engine answers from (`data` of every answer): name, version, hash, layers,
    /// scenarios.
    #[pyo3(signature = (scenario=Vec::new()))]
    fn data_info(&self, py: Python<'_>, scenario: Vec<String>) -> PyResult<String> {
        py.allow_threads(|| {
            let mut list = self.scenario.clone();
            list.extend(scenario);
            to_text(&self.engines.get(&list)?.data_info())
        })
        .map_err(py_err)
    }
}

/// The module `corridor._corridor`.
#[pymodule]
fn _corridor(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<NativeEngine>()?;
    m.add_function(wrap_pyfunction!(assign::assign_tntp, m)?)?;
    batch::register(m)?;
    Ok(())
}
