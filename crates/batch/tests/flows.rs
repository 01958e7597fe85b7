//! `[flows]` and `geometry` in batch jobs: assignments per scenario and demand factor equal to
//! `corridor assign`'s (the engine's `assign_flows`, the oracle), resumable like lanes, kept in
//! the store and exported; each row's line as WKT and GeoParquet; PostGIS when
//! CORRIDOR_TEST_PG names a server that has it (`.ci/postgres.sh`).

use std::path::Path;

use corridor_batch::part::parse_wkt;
use corridor_batch::runner::{run, RunOptions};
use corridor_batch::{export, Job, Store};

const JOB: &str = r#"name = "flows"
scenarios = ["baseline", "caspian-backlog"]
lanes = [["Xi'an", "Duisburg"], ["Urumqi", "Nowhere"]]
geometry = true
[flows]
demand_factors = [1, 2]
gap = 1e-7
"#;

fn job(dir: &Path, text: &str) -> (Job, corridor_batch::Engines) {
    let p = dir.join("job.toml");
    std::fs::write(&p, text).unwrap();
    Job::load(&p).unwrap()
}

fn good() -> String {
    JOB.replace("\"Nowhere\"", "\"Baku\"")
}

/// Run interrupted after 3 of the 6 parts (2 scenarios × (1 chunk of lanes + 2 factors)),
/// resumed, checked against the engine, and against an uninterrupted run in `other`.
fn flows_interrupted_then_resumed(store: &mut Store, other: &mut Store) {
    let dir = tempfile::tempdir().unwrap();
    let (job, engines) = job(dir.path(), &good());
    let parts = job.parts();
    assert_eq!(parts.len(), 6);
    assert_eq!(
        parts.iter().map(|p| p.flows).collect::<Vec<_>>(),
        vec![None, Some(0), Some(1), None, Some(0), Some(1)]
    );
    let a = run(
        &job,
        &engines,
        store,
        &RunOptions { max_parts: Some(3) },
        |_, _, _| {},
    )
    .unwrap();
    assert!(!a.complete);
    assert_eq!(store.flow_runs(a.run_id).unwrap().len(), 2);
    let b = run(&job, &engines, store, &RunOptions::default(), |_, _, _| {}).unwrap();
    assert_eq!(
        (b.resumed, b.computed, b.skipped, b.complete),
        (true, 3, 3, true)
    );
    let flows = store.flows(b.run_id).unwrap();
    let runs = store.flow_runs(b.run_id).unwrap();
    assert_eq!(
        runs.iter()
            .map(|r| (r.scenario.as_str(), r.demand_factor))
            .collect::<Vec<_>>(),
        vec![
            ("baseline", 1.0),
            ("baseline", 2.0),
            ("caspian-backlog", 1.0),
            ("caspian-backlog", 2.0)
        ]
    );
    // The oracle: the engine's assignment of each scenario at each factor.
    let spec = job.flows.as_ref().unwrap();
    for r in &runs {
        let e = engines.get(std::slice::from_ref(&r.scenario)).unwrap();
        let want = e
            .assign_flows(
                &spec.request_for(r.demand_factor).unwrap(),
                &spec.demand_from,
                &mut |_, _| {},
            )
            .unwrap();
        assert!(r.converged && r.relative_gap <= 1e-7, "{r:?}");
        assert_eq!(r.demand_teu_per_year, want.demand_teu_per_year);
        let got: Vec<(String, String, f64, f64)> = flows
            .iter()
            .filter(|f| f.scenario == r.scenario && f.demand_factor == r.demand_factor)
            .map(|f| {
                (
                    f.capacity_id.clone(),
                    f.direction.clone(),
                    f.vc,
                    f.load_teu_per_year,
                )
            })
            .collect();
        let exp: Vec<(String, String, f64, f64)> = want
            .capacities
            .iter()
            .map(|c| (c.id.clone(), c.direction.clone(), c.vc, c.load_teu_per_year))
            .collect();
        assert_eq!(got, exp, "{} × {}", r.scenario, r.demand_factor);
    }
    // Doubling the demand loads the Dostyk yard more; every capacity keeps its source.
    let dostyk = |f: f64| {
        flows
            .iter()
            .find(|x| {
                x.scenario == "baseline"
                    && x.demand_factor == f
                    && x.capacity_id == "CAP-CNKZ-DOSTYK-YARD"
            })
            .unwrap()
            .vc
    };
    assert!(
        dostyk(2.0) > dostyk(1.0) * 1.5,
        "{} {}",
        dostyk(1.0),
        dostyk(2.0)
    );
    assert!(flows.iter().all(|f| f.source.starts_with("SRC-")));
    // Each row keeps its itinerary's line, from origin to destination.
    let rows = store.rows(b.run_id).unwrap();
    assert_eq!(rows.len(), 4);
    let ds = engines.dataset();
    for r in &rows {
        let line = parse_wkt(r.geometry.as_deref().unwrap()).unwrap();
        assert!(line.len() > 10, "{} points", line.len());
        for (end, name) in [(line[0], &r.from), (line[line.len() - 1], &r.to)] {
            let d = ds
                .resolve(name)
                .unwrap()
                .places
                .iter()
                .map(|&i| {
                    let p = &ds.places[i];
                    ((end[0] - p.lon).powi(2) + (end[1] - p.lat).powi(2)).sqrt()
                })
                .fold(f64::INFINITY, f64::min);
            assert!(d < 0.5, "{name}: {end:?} is {d}° from it");
        }
    }
    // Uninterrupted elsewhere: the same flows and rows.
    let c = run(&job, &engines, other, &RunOptions::default(), |_, _, _| {}).unwrap();
    assert_eq!(other.flows(c.run_id).unwrap(), flows);
    assert_eq!(other.flow_runs(c.run_id).unwrap(), runs);
    let o_rows = other.rows(c.run_id).unwrap();
    for (x, y) in o_rows.iter().zip(&rows) {
        let (p, q) = (
            parse_wkt(x.geometry.as_deref().unwrap()).unwrap(),
            parse_wkt(y.geometry.as_deref().unwrap()).unwrap(),
        );
        assert_eq!(p.len(), q.len());
        assert!(p
            .iter()
            .zip(&q)
            .all(|(a, b)| (a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9));
    }
}

#[test]
fn flows_resume_and_match_the_assignment() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path().join("runs.sqlite").to_str().unwrap()).unwrap();
    let mut o = Store::open(dir.path().join("other.sqlite").to_str().unwrap()).unwrap();
    flows_interrupted_then_resumed(&mut s, &mut o);
}

#[test]
fn flows_and_lines_are_exported_as_csv_and_geoparquet() {
    let dir = tempfile::tempdir().unwrap();
    let (job, engines) = job(dir.path(), &good());
    let mut s = Store::open(dir.path().join("runs.sqlite").to_str().unwrap()).unwrap();
    let o = run(&job, &engines, &mut s, &RunOptions::default(), |_, _, _| {}).unwrap();
    let files = export::write_run(&mut s, o.run_id, &dir.path().join("out")).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| Path::new(f).file_name().unwrap().to_string_lossy().into())
        .collect();
    assert_eq!(
        names,
        [
            "results.parquet",
            "results.csv",
            "flows.parquet",
            "flows.csv",
            "flow_runs.parquet",
            "flow_runs.csv"
        ]
    );
    let flows_csv = std::fs::read_to_string(dir.path().join("out/flows.csv")).unwrap();
    assert_eq!(
        flows_csv.lines().count(),
        s.flows(o.run_id).unwrap().len() + 1
    );
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let r = SerializedFileReader::new(
        std::fs::File::open(dir.path().join("out/results.parquet")).unwrap(),
    )
    .unwrap();
    let kv = r.metadata().file_metadata().key_value_metadata().unwrap();
    let geo = kv.iter().find(|k| k.key == "geo").unwrap();
    let geo: serde_json::Value = serde_json::from_str(geo.value.as_deref().unwrap()).unwrap();
    assert_eq!(geo["primary_column"], "geometry");
    assert_eq!(geo["columns"]["geometry"]["encoding"], "WKB");
    // The WKB of the first row: little-endian LineString with the points of its WKT.
    let rows = s.rows(o.run_id).unwrap();
    let want = parse_wkt(rows[0].geometry.as_deref().unwrap()).unwrap();
    let row = r.get_row_iter(None).unwrap().next().unwrap().unwrap();
    let (_, field) = row
        .get_column_iter()
        .find(|(n, _)| n.as_str() == "geometry")
        .unwrap();
    let parquet::record::Field::Bytes(b) = field else {
        panic!("geometry is {field:?}")
    };
    let b = b.data();
    assert_eq!(
        (b[0], u32::from_le_bytes(b[1..5].try_into().unwrap())),
        (1, 2)
    );
    assert_eq!(
        u32::from_le_bytes(b[5..9].try_into().unwrap()) as usize,
        want.len()
    );
    let x0 = f64::from_le_bytes(b[9..17].try_into().unwrap());
    assert_eq!(x0, want[0][0]);
    // The CSV keeps the WKT.
    let csv = std::fs::read_to_string(dir.path().join("out/results.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",geometry"));
    assert!(csv.contains("\"LINESTRING ("));
}

#[test]
fn a_job_without_geometry_keeps_no_lines_and_flows_alone_need_no_lanes() {
    let dir = tempfile::tempdir().unwrap();
    let (job, engines) = job(
        dir.path(),
        "name = \"only-flows\"\n[flows]\ndemand_factors = [1.5]\nplanned = true\n",
    );
    assert!(job.lanes.is_empty() && !job.geometry);
    assert_eq!(job.parts().len(), 1);
    let mut s = Store::open(dir.path().join("runs.sqlite").to_str().unwrap()).unwrap();
    let o = run(&job, &engines, &mut s, &RunOptions::default(), |_, _, _| {}).unwrap();
    assert!(o.complete);
    let runs = s.flow_runs(o.run_id).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].demand_factor, 1.5);
    let flows = s.flows(o.run_id).unwrap();
    assert!(flows.iter().any(|f| f.planned), "planned capacities used");
    // Lanes without `geometry`: no line kept.
    let (job, engines) = self::job(
        dir.path(),
        "name = \"l\"\nlanes = [[\"Urumqi\", \"Baku\"]]\n",
    );
    let o = run(&job, &engines, &mut s, &RunOptions::default(), |_, _, _| {}).unwrap();
    assert!(s.rows(o.run_id).unwrap()[0].geometry.is_none());
}

#[test]
fn a_bad_flows_table_is_named_with_its_lines_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("od.csv"),
        "from,to,teu_per_year\nXi'an,Duisburg,1000\nUrumqi,Baku,-5\n",
    )
    .unwrap();
    let p = dir.path().join("job.toml");
    std::fs::write(
        &p,
        "name = \"bad\"\nlanes = [[\"Urumqi\", \"Baku\"]]\ngeometry = \"yes\"\n[flows]\ndemand_factors = [0, 2, 2]\ndemand = \"od.csv\"\ncolour = 1\n",
    )
    .unwrap();
    let e = Job::load(&p).err().unwrap();
    assert_eq!(e.code, "InvalidJob");
    let has = |file: &str, line: u64, words: &str| {
        e.problems
            .iter()
            .any(|x| x.file.ends_with(file) && x.line == line && x.message.contains(words))
    };
    assert!(
        has("job.toml", 3, "`geometry` must be true or false"),
        "{:?}",
        e.problems
    );
    assert!(
        has("job.toml", 5, "demand factor 0 must be from 0.001"),
        "{:?}",
        e.problems
    );
    assert!(
        has("job.toml", 5, "demand factor 2 is listed twice"),
        "{:?}",
        e.problems
    );
    assert!(has("od.csv", 3, "teu_per_year"), "{:?}", e.problems);
    assert!(
        has("job.toml", 7, "`colour` is not a [flows] key"),
        "{:?}",
        e.problems
    );
    // A demand place the network does not know, an unknown algorithm, no factors.
    for (flows, words) in [
        ("demand_factors = [1]\ndemand = \"od2.csv\"\n", "Atlantis"),
        ("demand_factors = [1]\nalgorithm = \"magic\"\n", "magic"),
        ("planned = true\n", "no `demand_factors`"),
        (
            "demand_factors = [1]\ndemand = \"missing.csv\"\n",
            "missing.csv: No such file",
        ),
    ] {
        std::fs::write(
            dir.path().join("od2.csv"),
            "from,to,teu_per_year\nAtlantis,Duisburg,1000\n",
        )
        .unwrap();
        std::fs::write(&p, format!("name = \"bad\"\n[flows]\n{flows}")).unwrap();
        let e = Job::load(&p).err().unwrap();
        assert!(
            e.problems.iter().any(|x| x.message.contains(words)),
            "{words}: {:?}",
            e.problems
        );
    }
}

/// The same on a real PostgreSQL server; with PostGIS the lines are `geometry(LineString,
/// 4326)` that PostGIS measures (CORRIDOR_TEST_POSTGIS=1 requires it).
#[test]
fn postgres_keeps_flows_and_lines_when_a_server_is_given() {
    let Ok(url) = std::env::var("CORRIDOR_TEST_PG") else {
        eprintln!("CORRIDOR_TEST_PG not set: PostgreSQL store not tested (see .ci/postgres.sh)");
        return;
    };
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    c.batch_execute("DROP SCHEMA IF EXISTS flows_test CASCADE; CREATE SCHEMA flows_test")
        .unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}options=-csearch_path%3Dflows_test,public");
    let mut s = Store::open(&url).unwrap();
    if std::env::var("CORRIDOR_TEST_POSTGIS").is_ok() {
        assert_eq!(s.geometry_kind(), "postgis");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut o = Store::open(dir.path().join("other.sqlite").to_str().unwrap()).unwrap();
    flows_interrupted_then_resumed(&mut s, &mut o);
    if s.geometry_kind() == "postgis" {
        let r = c
            .query_one(
                "SELECT MIN(ST_NPoints(geometry)), MAX(ST_SRID(geometry)), MIN(ST_Length(geometry::geography)) / 1000 FROM flows_test.results WHERE scenario = 'baseline' AND from_place = 'Xi''an'",
                &[],
            )
            .unwrap();
        let (n, srid, km): (i32, i32, f64) = (r.get(0), r.get(1), r.get(2));
        assert!(n > 10 && srid == 4326, "{n} {srid}");
        // The line's geodesic length is the itinerary's distance, within the simplification.
        let d: f64 = c
            .query_one(
                "SELECT MIN(distance_km) FROM flows_test.results WHERE scenario = 'baseline' AND from_place = 'Xi''an'",
                &[],
            )
            .unwrap()
            .get(0);
        assert!((km / d - 1.0).abs() < 0.1, "{km} km drawn, {d} km routed");
    }
    c.batch_execute("DROP SCHEMA flows_test CASCADE").unwrap();
}
