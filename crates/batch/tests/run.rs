//! A job run end to end: against `Engine::table` (the oracle: the same cells computed by the
//! table command), interrupted and resumed, exported, and on PostgreSQL when
//! CORRIDOR_TEST_PG names a server (`.ci/postgres.sh`).

use std::path::Path;

use corridor_batch::part::Row;
use corridor_batch::runner::{run, RunOptions};
use corridor_batch::{export, Job, Store};
use corridor_engine::TableRequest;

/// Scenario, transit h, cost, P90 days.
type Cell = (String, Option<f64>, Option<f64>, Option<f64>);

const JOB: &str = r#"name = "test-lanes"
scenarios = ["baseline", "caspian-backlog"]
lanes = [["Xi'an", "Duisburg"], ["Urumqi", "Baku"], ["Xi'an", "Baku"], ["Urumqi", "Nowhere"], ["Chengdu", "Budapest"]]
chunk = 2
[options]
cargo = "2xFEU"
reliability = true
draws = 300
seed = 11
"#;

fn job(dir: &Path, text: &str) -> (Job, corridor_batch::Engines) {
    let p = dir.join("job.toml");
    std::fs::write(&p, text).unwrap();
    Job::load(&p).unwrap()
}

#[test]
fn a_job_with_a_bad_lane_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("job.toml");
    std::fs::write(&p, JOB).unwrap();
    let e = Job::load(&p).err().unwrap();
    assert_eq!(e.code, "InvalidJob");
    assert_eq!(e.problems.len(), 1, "{:?}", e.problems);
    assert_eq!(e.problems[0].line, 3);
    assert!(e.problems[0].message.contains("Nowhere"));
}

fn good_job() -> String {
    JOB.replace("\"Nowhere\"", "\"Almaty\"")
}

fn oracle(job: &Job, engines: &corridor_batch::Engines) -> Vec<Cell> {
    let mut out = Vec::new();
    for s in &job.scenarios {
        let e = engines.get(std::slice::from_ref(s)).unwrap();
        let req = TableRequest {
            pairs: job
                .lanes
                .iter()
                .map(|(f, t)| [f.clone(), t.clone()])
                .collect(),
            ..job.options.clone()
        };
        for c in e.table(&req, |_, _| {}).unwrap().cells {
            out.push((s.clone(), c.transit_h, c.cost_usd, c.transit_days_p90));
        }
    }
    out
}

fn summary(rows: &[Row]) -> Vec<Cell> {
    rows.iter()
        .map(|r| {
            (
                r.scenario.clone(),
                r.transit_h,
                r.cost_usd,
                r.transit_days_p90,
            )
        })
        .collect()
}

fn interrupted_then_resumed(store: &mut Store, other: &mut Store) {
    let dir = tempfile::tempdir().unwrap();
    let (job, engines) = job(dir.path(), &good_job());
    assert_eq!(job.parts().len(), 6);
    // Interrupted after 2 parts: not complete, 2 parts in the store.
    let a = run(
        &job,
        &engines,
        store,
        &RunOptions { max_parts: Some(2) },
        |_, _, _| {},
    )
    .unwrap();
    assert!(!a.complete && a.computed == 2 && !a.resumed);
    assert_eq!(store.run(a.run_id).unwrap().status, "running");
    assert_eq!(store.rows(a.run_id).unwrap().len(), 4);
    // Resumed: the 2 parts done are not recomputed.
    let mut seen = vec![];
    let b = run(&job, &engines, store, &RunOptions::default(), |d, n, _| {
        seen.push((d, n))
    })
    .unwrap();
    assert_eq!(
        (b.run_id, b.resumed, b.computed, b.skipped, b.complete),
        (a.run_id, true, 4, 2, true)
    );
    assert_eq!(seen.first(), Some(&(2, 6)));
    assert_eq!(seen.last(), Some(&(6, 6)));
    let info = store.run(b.run_id).unwrap();
    assert_eq!((info.status.as_str(), info.parts_done), ("complete", 6));
    assert_eq!(info.meta.data_hash, engines.dataset().hash);
    assert!(info.meta.scenarios.contains("caspian-backlog"));
    let rows = store.rows(b.run_id).unwrap();
    // The same cells as `corridor table` on each scenario (same seed, same draws).
    assert_eq!(summary(&rows), oracle(&job, &engines));
    // Uninterrupted, elsewhere: the same rows (deterministic for the seed).
    let c = run(&job, &engines, other, &RunOptions::default(), |_, _, _| {}).unwrap();
    assert_eq!(other.rows(c.run_id).unwrap(), rows);
    // Complete: running the job again starts a new run.
    let d = run(&job, &engines, store, &RunOptions::default(), |_, _, _| {}).unwrap();
    assert!(d.run_id != b.run_id && !d.resumed && d.computed == 6);
    assert_eq!(store.runs().unwrap().len(), 2);
}

#[test]
fn sqlite_runs_resume_and_match_the_table_command() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path().join("runs.sqlite").to_str().unwrap()).unwrap();
    let mut o = Store::open(dir.path().join("other.sqlite").to_str().unwrap()).unwrap();
    interrupted_then_resumed(&mut s, &mut o);
}

#[test]
fn a_part_that_fails_to_write_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (job, engines) = job(dir.path(), &good_job());
    let mut s = Store::open(dir.path().join("runs.sqlite").to_str().unwrap()).unwrap();
    let m = corridor_batch::runner::meta(&job, &engines).unwrap();
    let (id, _) = s.begin(&m).unwrap();
    let part = &job.parts()[0];
    let mut r = corridor_batch::part::compute(&job, &engines, part).unwrap();
    // The second row collides with the first (same lane): the transaction rolls back whole.
    r.rows[1].lane = r.rows[0].lane;
    assert_eq!(s.write_part(id, &r).err().unwrap().code, "Store");
    assert!(s.rows(id).unwrap().is_empty());
    assert!(s.done_parts(id).unwrap().is_empty());
    // And a run never reports success with parts missing.
    let e = s.finish(id, &job.parts(), 0.0).err().unwrap();
    assert_eq!(e.code, "Incomplete");
    assert!(e.message.contains("6 part(s)"), "{}", e.message);
}

#[test]
fn exports_read_back_to_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (job, engines) = job(dir.path(), &good_job());
    let mut s = Store::open(dir.path().join("runs.sqlite").to_str().unwrap()).unwrap();
    let o = run(&job, &engines, &mut s, &RunOptions::default(), |_, _, _| {}).unwrap();
    let rows = s.rows(o.run_id).unwrap();
    let pq = dir.path().join("out/results.parquet");
    export::write_parquet(&rows, &pq).unwrap();
    export::write_csv(&rows, &dir.path().join("out/results.csv")).unwrap();
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let r = SerializedFileReader::new(std::fs::File::open(&pq).unwrap()).unwrap();
    assert_eq!(r.metadata().file_metadata().num_rows() as usize, rows.len());
    let back: Vec<(String, Option<f64>)> = r
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            let row = row.unwrap();
            let mut s = String::new();
            let mut h = None;
            for (name, f) in row.get_column_iter() {
                match (name.as_str(), f) {
                    ("scenario", parquet::record::Field::Str(v)) => s = v.clone(),
                    ("transit_h", parquet::record::Field::Double(v)) => h = Some(*v),
                    _ => {}
                }
            }
            (s, h)
        })
        .collect();
    let want: Vec<(String, Option<f64>)> = rows
        .iter()
        .map(|r| (r.scenario.clone(), r.transit_h))
        .collect();
    assert_eq!(back, want);
    let csv = std::fs::read_to_string(dir.path().join("out/results.csv")).unwrap();
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        rd.headers().unwrap().iter().collect::<Vec<_>>(),
        export::COLUMNS.to_vec()
    );
    let first = rd.records().next().unwrap().unwrap();
    assert_eq!(first[5].parse::<f64>().ok(), rows[0].transit_h);
}

/// The same schema and the same behaviour on a real PostgreSQL server.
#[test]
fn postgres_store_when_a_server_is_given() {
    let Ok(url) = std::env::var("CORRIDOR_TEST_PG") else {
        eprintln!("CORRIDOR_TEST_PG not set: PostgreSQL store not tested (see .ci/postgres.sh)");
        return;
    };
    {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute("DROP TABLE IF EXISTS flows, flow_runs, results, parts, runs")
            .unwrap();
    }
    let mut s = Store::open(&url).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut o = Store::open(dir.path().join("other.sqlite").to_str().unwrap()).unwrap();
    interrupted_then_resumed(&mut s, &mut o);
}
