//! Running a job: the run recorded in the store, resumed if an interrupted run of the same
//! job, data, scenarios and code exists, parts not yet written computed and each written in
//! one transaction, the run marked complete only with every part present.

use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::engines::Engines;
use crate::failure::Failure;
use crate::job::Job;
use crate::part::{compute, Part};
use crate::store::{RunMeta, Store};

/// The code version recorded with every run.
pub const CODE_VERSION: &str = concat!("corridor ", env!("CARGO_PKG_VERSION"));

/// What a run did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// The run's id in the store.
    pub run_id: i64,
    /// Whether an interrupted run was resumed.
    pub resumed: bool,
    /// Parts computed now.
    pub computed: usize,
    /// Parts already in the store (not recomputed).
    pub skipped: usize,
    /// Whether every part is in (the run is complete).
    pub complete: bool,
    /// Wall seconds of this session.
    pub seconds: f64,
}

/// The run's identity: the job, the data, each scenario's hash, the code.
///
/// # Errors
/// A scenario that cannot be applied (checked by [`Job::load`] already).
pub fn meta(job: &Job, engines: &Engines) -> Result<RunMeta, Failure> {
    let base = engines.get(&[])?.data_info();
    let mut scen = Vec::new();
    for s in &job.scenarios {
        let info = engines.get(std::slice::from_ref(s))?.data_info();
        let hash = info
            .scenarios
            .iter()
            .map(|r| r.hash.clone())
            .collect::<Vec<_>>()
            .join("+");
        scen.push(serde_json::json!({"name": s, "hash": hash, "data_hash": info.hash}));
    }
    let scenarios =
        serde_json::to_string(&scen).map_err(|e| Failure::new("Internal", e.to_string()))?;
    let mut h = Sha256::new();
    for part in [&job.hash, &base.hash, &scenarios, CODE_VERSION] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let key: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(RunMeta {
        run_key: key,
        job_name: job.name.clone(),
        job_path: job.path.display().to_string(),
        job_hash: job.hash.clone(),
        job_text: job.text.clone(),
        data_hash: base.hash.clone(),
        data_label: format!(
            "{} {}{}",
            base.name,
            base.version,
            engines
                .data_dir()
                .map(|d| format!(" ({})", d.display()))
                .unwrap_or_default()
        ),
        scenarios,
        code_version: CODE_VERSION.into(),
        lanes: job.lanes.len() as i64,
        parts: job.parts().len() as i64,
    })
}

/// Options of [`run`].
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Stop after computing this many parts (leaves the run resumable; for tests and for
    /// splitting a long job over sessions).
    pub max_parts: Option<usize>,
}

/// The parts of `job` not yet in run `id` of the store.
///
/// # Errors
/// `Store`.
pub fn pending(store: &mut Store, id: i64, job: &Job) -> Result<Vec<Part>, Failure> {
    let done = store.done_parts(id)?;
    Ok(job
        .parts()
        .into_iter()
        .filter(|p| !done.contains(&(p.scenario.clone(), p.chunk)))
        .collect())
}

/// Runs `job` into `store`, calling `progress(parts_done, parts_total, lanes_done_now)` after
/// each part.
///
/// # Errors
/// `Store`; an engine error for the whole request; `Incomplete` never with success: a run
/// that stops early answers `complete: false`.
pub fn run(
    job: &Job,
    engines: &Engines,
    store: &mut Store,
    opts: &RunOptions,
    progress: impl FnMut(usize, usize, usize),
) -> Result<Outcome, Failure> {
    run_with(None, job, engines, store, opts, progress)
}

/// [`run`], computing each part's lanes on `pool` (the store stays on the calling thread).
///
/// # Errors
/// As [`run`].
pub fn run_in(
    pool: &rayon::ThreadPool,
    job: &Job,
    engines: &Engines,
    store: &mut Store,
    opts: &RunOptions,
    progress: impl FnMut(usize, usize, usize),
) -> Result<Outcome, Failure> {
    run_with(Some(pool), job, engines, store, opts, progress)
}

fn run_with(
    pool: Option<&rayon::ThreadPool>,
    job: &Job,
    engines: &Engines,
    store: &mut Store,
    opts: &RunOptions,
    mut progress: impl FnMut(usize, usize, usize),
) -> Result<Outcome, Failure> {
    let t = Instant::now();
    let m = meta(job, engines)?;
    let (id, resumed) = store.begin(&m)?;
    let all = job.parts();
    let todo = pending(store, id, job)?;
    let skipped = all.len() - todo.len();
    let mut computed = 0;
    let mut lanes = 0;
    progress(skipped, all.len(), 0);
    for part in &todo {
        if opts.max_parts.is_some_and(|n| computed >= n) {
            break;
        }
        let r = match pool {
            Some(p) => p.install(|| compute(job, engines, part))?,
            None => compute(job, engines, part)?,
        };
        lanes += r.rows.len();
        store.write_part(id, &r)?;
        computed += 1;
        progress(skipped + computed, all.len(), lanes);
    }
    let complete = skipped + computed == all.len();
    let seconds = t.elapsed().as_secs_f64();
    if complete {
        store.finish(id, &all, seconds)?;
    }
    Ok(Outcome {
        run_id: id,
        resumed,
        computed,
        skipped,
        complete,
        seconds,
    })
}
