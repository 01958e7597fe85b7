//! `corridor batch JOB.toml`: lanes × scenarios × options (docs/batch.md), recorded in the
//! results store and exported as Parquet and CSV; resumable (an interrupted run goes on where
//! it stopped). The work is done by `corridor-batch`; this parses arguments, shows progress
//! and prints a summary.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use corridor_batch::runner::{run as run_job, RunOptions};
use corridor_batch::{export, Job, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::{emit, Failure};

/// Arguments of `corridor batch`.
#[derive(Args, Debug)]
pub struct BatchArgs {
    /// The job file (TOML: name, lanes or lanes_file, scenarios, [options]).
    job: PathBuf,
    /// Results store: a SQLite file, or `postgres://user@host/db` (default: $CORRIDOR_STORE,
    /// else corridor-runs.sqlite beside the job file).
    #[arg(long, value_name = "FILE|URL")]
    store: Option<String>,
    /// Folder for results.parquet and results.csv (default: NAME-results beside the job).
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Threads computing lanes (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Summary format: text on stderr, or JSON on stdout.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    format: SummaryFormat,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Stop after computing N parts (the run stays resumable).
    #[arg(long, value_name = "N", hide = true)]
    max_parts: Option<usize>,
}

/// The summary's format.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Sentences on stderr.
    Text,
    /// JSON on stdout.
    Json,
}

impl BatchArgs {
    /// Whether errors go out as JSON.
    pub fn wants_json(&self) -> bool {
        self.format == SummaryFormat::Json
    }
}

/// A batch failure in the CLI's shape (exit code, JSON body, text with every problem).
pub(crate) fn failure(f: corridor_batch::Failure) -> Failure {
    Failure {
        code: f.exit_code(),
        json: Some(f.to_json()),
        text: f.to_string(),
    }
}

/// The store named by `--store`, `$CORRIDOR_STORE`, or `beside/corridor-runs.sqlite`.
pub(crate) fn store_url(arg: &Option<String>, beside: &Path) -> String {
    arg.clone()
        .or_else(|| {
            std::env::var("CORRIDOR_STORE")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| beside.join("corridor-runs.sqlite").display().to_string())
}

/// Runs `corridor batch`.
pub fn run(a: BatchArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    let (job, engines) = Job::load_with(&a.job, data.as_deref()).map_err(failure)?;
    let dir = a.job.parent().unwrap_or(Path::new(".")).to_path_buf();
    let url = store_url(&a.store, &dir);
    let mut store = Store::open(&url).map_err(failure)?;
    let show = !a.quiet && std::io::stderr().is_terminal();
    let bar = ProgressBar::new(job.parts().len() as u64);
    if show {
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} parts, {msg}, eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let t = std::time::Instant::now();
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = a.threads {
        if n == 0 {
            return Err(failure(corridor_batch::Failure::invalid(
                "threads",
                "must be at least 1",
            )));
        }
        pool = pool.num_threads(n);
    }
    let pool = pool.build().map_err(crate::internal)?;
    let opts = RunOptions {
        max_parts: a.max_parts,
    };
    let lanes_now = std::sync::atomic::AtomicUsize::new(0);
    let outcome = pool.install(|| {
        run_job(&job, &engines, &mut store, &opts, |done, _, lanes| {
            lanes_now.store(lanes, std::sync::atomic::Ordering::Relaxed);
            bar.set_position(done as u64);
            let s = t.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!("{:.0} lanes/s", lanes as f64 / s));
        })
    });
    bar.finish_and_clear();
    let o = outcome.map_err(failure)?;
    let lanes = lanes_now.load(std::sync::atomic::Ordering::Relaxed);
    let lanes_per_s = (lanes > 0).then(|| lanes as f64 / o.seconds.max(1e-9));
    let mut files = vec![];
    if o.complete {
        let out = a
            .out
            .clone()
            .unwrap_or_else(|| dir.join(format!("{}-results", job.name)));
        files = export::write_run(&mut store, o.run_id, &out).map_err(failure)?;
    }
    match a.format {
        SummaryFormat::Json => {
            let v = serde_json::json!({
                "run": o, "store": url, "job": job.name, "lanes": job.lanes.len(),
                "scenarios": job.scenarios, "parts": job.parts().len(),
                "lanes_per_second": lanes_per_s, "files": files,
            });
            emit(
                &(serde_json::to_string_pretty(&v).map_err(crate::internal)? + "\n"),
                None,
            )?;
        }
        SummaryFormat::Text => {
            eprintln!(
                "corridor: run {} of '{}' {}: {} of {} parts computed now, {} from the store, {:.2} s{}",
                o.run_id,
                job.name,
                if o.resumed { "resumed" } else { "started" },
                o.computed,
                job.parts().len(),
                o.skipped,
                o.seconds,
                lanes_per_s
                    .map(|x| format!(" ({x:.1} lanes/s)"))
                    .unwrap_or_default()
            );
            if o.complete {
                eprintln!(
                    "corridor: complete; results in {} (store {url})",
                    files.join(" and ")
                );
            }
        }
    }
    if !o.complete {
        return Err(Failure {
            code: 1,
            json: Some(serde_json::json!({"code": "Incomplete", "message": "stopped before every part was computed; run the same command again to resume", "run_id": o.run_id})),
            text: format!(
                "run {} stopped before every part was computed; run the same command again to resume",
                o.run_id
            ),
        });
    }
    Ok(())
}
