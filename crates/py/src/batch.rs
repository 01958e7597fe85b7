//! Batch jobs from Python: the same job file, parts and store as `corridor batch`
//! (`corridor-batch`), exposed so a runner in Python (Ray) can compute parts on workers and
//! write them into the store, and a notebook can run a job in-process.

use std::path::PathBuf;
use std::sync::Mutex;

use corridor_batch::part::{compute, Part};
use corridor_batch::runner::{meta, pending, RunOptions};
use corridor_batch::{export, Engines, Failure, Job, Store};
use pyo3::prelude::*;

use crate::{py_err, to_text};

fn from_text<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T, Failure> {
    serde_json::from_str(s).map_err(|e| Failure::new("InvalidQuery", format!("not a {what}: {e}")))
}

/// A checked job with its network loaded once (one per Ray worker).
#[pyclass(frozen, module = "corridor._corridor")]
struct NativeJob {
    job: Job,
    engines: Engines,
}

#[pymethods]
impl NativeJob {
    /// Reads and checks the job at `path` (or its `text`, paths in it relative to `path`'s
    /// folder); `data` for a job that names no data folder.
    #[new]
    #[pyo3(signature = (path, text=None, data=None))]
    fn new(
        py: Python<'_>,
        path: PathBuf,
        text: Option<String>,
        data: Option<PathBuf>,
    ) -> PyResult<NativeJob> {
        py.allow_threads(|| {
            let (job, engines) = match text {
                Some(t) => Job::parse_with(&path, &t, data.as_deref()),
                None => Job::load_with(&path, data.as_deref()),
            }?;
            Ok(NativeJob { job, engines })
        })
        .map_err(py_err)
    }

    /// The job's name.
    #[getter]
    fn name(&self) -> String {
        self.job.name.clone()
    }

    /// The job's text.
    #[getter]
    fn text(&self) -> String {
        self.job.text.clone()
    }

    /// Every part, JSON `[{scenario_pos, scenario, chunk}]`.
    fn parts(&self) -> PyResult<String> {
        to_text(&self.job.parts()).map_err(py_err)
    }

    /// The run's identity (job, data and scenario hashes, code version), JSON.
    fn meta(&self, py: Python<'_>) -> PyResult<String> {
        py.allow_threads(|| to_text(&meta(&self.job, &self.engines)?))
            .map_err(py_err)
    }

    /// Computes a part (JSON), GIL released: its rows, seconds and worker, JSON.
    fn compute(&self, py: Python<'_>, part: &str) -> PyResult<String> {
        py.allow_threads(|| {
            let part: Part = from_text("part", part)?;
            corridor_batch::part::wire::encode(&compute(&self.job, &self.engines, &part)?)
        })
        .map_err(py_err)
    }
}

/// A results store (SQLite file or `postgres://…`).
#[pyclass(frozen, module = "corridor._corridor")]
struct NativeStore {
    store: Mutex<Store>,
}

impl NativeStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        // A panic mid-call leaves at most an uncommitted transaction, rolled back on drop.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[pymethods]
impl NativeStore {
    /// Opens the store at `url`.
    #[new]
    fn new(url: &str) -> PyResult<NativeStore> {
        Store::open(url)
            .map(|store| NativeStore {
                store: Mutex::new(store),
            })
            .map_err(py_err)
    }

    /// The run to write `meta` (JSON) into: `(run_id, resumed)`.
    fn begin(&self, meta: &str) -> PyResult<(i64, bool)> {
        let m = from_text("run meta", meta).map_err(py_err)?;
        self.lock().begin(&m).map_err(py_err)
    }

    /// The parts of `job` not yet in run `id`, JSON.
    fn pending(&self, id: i64, job: &NativeJob) -> PyResult<String> {
        pending(&mut self.lock(), id, &job.job)
            .and_then(|p| to_text(&p))
            .map_err(py_err)
    }

    /// Writes a computed part (JSON from `NativeJob.compute`) in one transaction.
    fn write_part(&self, id: i64, result: &str) -> PyResult<()> {
        let r = corridor_batch::part::wire::decode(result).map_err(py_err)?;
        self.lock().write_part(id, &r).map_err(py_err)
    }

    /// Marks run `id` complete if every part of `job` is in (else `Incomplete`).
    fn finish(&self, id: i64, job: &NativeJob, wall_seconds: f64) -> PyResult<()> {
        self.lock()
            .finish(id, &job.job.parts(), wall_seconds)
            .map_err(py_err)
    }

    /// Every run, JSON, newest first.
    fn runs(&self) -> PyResult<String> {
        self.lock().runs().and_then(|r| to_text(&r)).map_err(py_err)
    }

    /// The rows of run `id`, JSON.
    fn rows(&self, id: i64) -> PyResult<String> {
        self.lock()
            .rows(id)
            .and_then(|r| to_text(&r))
            .map_err(py_err)
    }

    /// The flows of run `id` (`[flows]`), JSON.
    fn flows(&self, id: i64) -> PyResult<String> {
        self.lock()
            .flows(id)
            .and_then(|r| to_text(&r))
            .map_err(py_err)
    }

    /// The assignments of run `id` (one per scenario and demand factor), JSON.
    fn flow_runs(&self, id: i64) -> PyResult<String> {
        self.lock()
            .flow_runs(id)
            .and_then(|r| to_text(&r))
            .map_err(py_err)
    }

    /// Writes run `id`'s tables to `out`: `results.{parquet,csv}` and, with flows,
    /// `flows.{parquet,csv}` and `flow_runs.{parquet,csv}`.
    fn export(&self, id: i64, out: PathBuf) -> PyResult<Vec<String>> {
        export::write_run(&mut self.lock(), id, &out).map_err(py_err)
    }
}

/// Runs `job` in this process into `store` (as `corridor batch`), GIL released: the
/// outcome, JSON.
#[pyfunction]
#[pyo3(signature = (job, store, max_parts=None, threads=None))]
fn run_batch(
    py: Python<'_>,
    job: &NativeJob,
    store: &NativeStore,
    max_parts: Option<usize>,
    threads: Option<usize>,
) -> PyResult<String> {
    py.allow_threads(|| {
        let mut st = store.lock();
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(n) = threads {
            b = b.num_threads(n.max(1));
        }
        let pool = b
            .build()
            .map_err(|e| Failure::new("Internal", e.to_string()))?;
        // The store stays on this thread; rayon's pool computes the lanes of each part.
        let o = corridor_batch::runner::run_in(
            &pool,
            &job.job,
            &job.engines,
            &mut st,
            &RunOptions { max_parts },
            |_, _, _| {},
        )?;
        to_text(&o)
    })
    .map_err(py_err)
}

/// Adds the batch classes and functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeJob>()?;
    m.add_class::<NativeStore>()?;
    m.add_function(wrap_pyfunction!(run_batch, m)?)?;
    Ok(())
}
