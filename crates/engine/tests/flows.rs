//! Flows on the corridor network (`Engine::assign_flows`, docs/flows.md): all-or-nothing
//! against the route search, the equilibrium conditions on the paths used, capacities that
//! divert flow and are reported with their sources, system optimum against user equilibrium,
//! planned capacities, and bad input.

use corridor_assign::{Algorithm, Objective};
use corridor_data::{Dataset, DemandRow};
use corridor_engine::flows::{AssignRequest, FlowAnswer};
use corridor_engine::{Engine, QueryError};

const HEADER: &str =
    "id,element,link,place,carrier,direction,status,figure,unit,teu_per_year,conversion,year,source,note";

/// The embedded network with `rows` in an overlay's capacity.csv (a row of an embedded id
/// replaces that row).
fn engine_with(rows: &[&str]) -> Engine {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("meta.csv"), "key,value\nbase,embedded\n").unwrap();
    let mut text = String::from(HEADER);
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    std::fs::write(dir.path().join("capacity.csv"), text).unwrap();
    Engine::new(Dataset::load_dir(dir.path()).unwrap())
}

/// The two China–Kazakhstan rail crossings westbound at `dostyk` and `khorgos` TEU/year (the
/// embedded rows of these crossings replaced).
fn crossings(dostyk: f64, khorgos: f64) -> Vec<String> {
    vec![
        format!("CAP-CNKZ-DOSTYK-BORDER,link,BD-CN-alashankou--KZ-dostyk-wagon,,,forward,operating,1,test,{dostyk},,2024,SRC-EST-COORD-SITE,test"),
        format!("CAP-CNKZ-KHORGOS-BORDER,link,BD-CN-khorgos-rail--KZ-altynkol-wagon,,,forward,operating,1,test,{khorgos},,2024,SRC-EST-COORD-SITE,test"),
    ]
}

fn row(id: &str, from: &str, to: &str, teu: f64) -> DemandRow {
    DemandRow {
        id: id.into(),
        from: from.into(),
        to: to.into(),
        teu_per_year: teu,
        commodity: "container".into(),
        year: None,
        source: String::new(),
        method: String::new(),
        line: 0,
    }
}

fn run(engine: &Engine, req: &AssignRequest) -> Result<FlowAnswer, QueryError> {
    engine.assign_flows(req, "test", &mut |_, _| {})
}

fn request(rows: Vec<DemandRow>) -> AssignRequest {
    AssignRequest {
        demand: Some(rows),
        gap: 1e-8,
        max_iter: 2000,
        ..Default::default()
    }
}

fn cap<'a>(a: &'a FlowAnswer, id: &str) -> &'a corridor_engine::flows::Bottleneck {
    a.capacities.iter().find(|c| c.id == id).unwrap()
}

/// With no value of time and no capacity, all-or-nothing puts each pair on its cheapest
/// itinerary: the cost per TEU is what `route --optimize cost --cargo 1xTEU` answers.
#[test]
fn all_or_nothing_costs_what_the_cheapest_route_costs() {
    let engine = engine_with(&[]);
    for (from, to) in [
        ("Xi'an", "Duisburg"),
        ("Urumqi", "Baku"),
        ("Chongqing", "Almaty"),
    ] {
        let mut req = request(vec![row("d", from, to, 1000.0)]);
        req.vot = 0.0;
        req.algorithm = Algorithm::AllOrNothing;
        let a = run(&engine, &req).unwrap();
        let mut rr = corridor_testkit::request(from, to, Some("1xTEU"), Some("cost"));
        rr.lane.include_planned = false;
        let want = engine.route(&rr).unwrap().itineraries[0].totals.cost_usd;
        let got = a.od[0].free_cost_usd;
        assert!(
            (got - want).abs() <= 1e-6 * want,
            "{from} → {to}: assignment {got}, route {want}"
        );
        assert!(
            (a.od[0].cost_usd - got).abs() < 1e-6,
            "no capacity, no delay"
        );
    }
}

/// Wardrop's first principle on the paths used: every path of a pair costs the pair's least
/// cost within the gap, and capacities that bind divert flow between the two crossings.
#[test]
fn used_paths_of_a_pair_cost_the_same_and_capacities_divert_flow() {
    let rows = crossings(150_000.0, 100_000.0);
    let engine = engine_with(&rows.iter().map(String::as_str).collect::<Vec<_>>());
    let a = run(
        &engine,
        &request(vec![
            row("x", "Xi'an", "Duisburg", 300_000.0),
            row("c", "Chongqing", "Almaty", 150_000.0),
        ]),
    )
    .unwrap();
    assert!(a.convergence.converged, "{:?}", a.convergence);
    for od in &a.od {
        let used: Vec<_> = a.paths.iter().filter(|p| p.od == od.id).collect();
        assert!(!used.is_empty());
        let flow: f64 = used.iter().map(|p| p.teu_per_year).sum();
        assert!((flow - od.teu_per_year).abs() < 1e-6 * od.teu_per_year);
        for p in &used {
            assert!(
                (p.cost_usd - od.cost_usd).abs() <= 1e-5 * od.cost_usd,
                "{}: a used path costs {} against the least {}",
                od.id,
                p.cost_usd,
                od.cost_usd
            );
        }
    }
    // 450,000 TEU westward out of China: more than the two crossings pass together
    // (250,000), so both are loaded and the rest takes other corridors.
    let (d, k) = (
        cap(&a, "CAP-CNKZ-DOSTYK-BORDER"),
        cap(&a, "CAP-CNKZ-KHORGOS-BORDER"),
    );
    assert!(d.vc > 0.8 && k.vc > 0.8, "{} {}", d.vc, k.vc);
    assert!(d.load_teu_per_year + k.load_teu_per_year < 450_000.0);
    assert!(a.corridors.len() >= 2, "{:?}", a.corridors);
    assert_eq!(a.bottlenecks[0].rank, 1);
    assert!(a.bottlenecks[0].source.starts_with("SRC-EST-COORD-SITE: "));
    // Their delay is the M/D/1 wait: half a train's service time × ρ/(1 − ρ) below ρ 0.95.
    if d.vc < 0.95 {
        let service_h = 108.0 * 8760.0 / 150_000.0;
        let want = service_h / 2.0 * d.vc / (1.0 - d.vc);
        assert!(
            (d.delay_h - want).abs() < 1e-3 * want.max(1.0),
            "{} {}",
            d.delay_h,
            want
        );
    }
}

/// Doubling the demand loads the crossings more and diverts more to other corridors; the
/// system optimum never costs more in all than the user equilibrium.
#[test]
fn doubling_demand_and_the_system_optimum() {
    let rows = crossings(200_000.0, 150_000.0);
    let engine = engine_with(&rows.iter().map(String::as_str).collect::<Vec<_>>());
    let demand = vec![
        row("x", "Xi'an", "Duisburg", 150_000.0),
        row("u", "Urumqi", "Tashkent", 100_000.0),
    ];
    let one = run(&engine, &request(demand.clone())).unwrap();
    let mut req2 = request(demand.clone());
    req2.demand_factor = 2.0;
    let two = run(&engine, &req2).unwrap();
    assert!((two.demand_teu_per_year - 2.0 * one.demand_teu_per_year).abs() < 1e-6);
    let vc =
        |a: &FlowAnswer| cap(a, "CAP-CNKZ-DOSTYK-BORDER").vc + cap(a, "CAP-CNKZ-KHORGOS-BORDER").vc;
    assert!(vc(&two) > vc(&one));
    assert!(two
        .od
        .iter()
        .zip(&one.od)
        .all(|(t, o)| t.cost_usd >= o.cost_usd - 1e-6));
    let mut so = request(demand);
    so.demand_factor = 2.0;
    so.objective = Objective::SystemOptimum;
    let so = run(&engine, &so).unwrap();
    assert!(
        so.total_cost_usd_per_year <= two.total_cost_usd_per_year * (1.0 + 1e-6),
        "SO {} > UE {}",
        so.total_cost_usd_per_year,
        two.total_cost_usd_per_year
    );
}

/// A planned row replaces the operating figure of the same binding only when asked for.
#[test]
fn planned_capacity_is_used_only_when_switched_on() {
    let mut rows = crossings(100_000.0, 100_000.0);
    rows.push("CAP-D2,link,BD-CN-alashankou--KZ-dostyk-wagon,,,forward,planned,2,test,400000,,2030,SRC-EST-COORD-SITE,second track".into());
    let engine = engine_with(&rows.iter().map(String::as_str).collect::<Vec<_>>());
    let demand = vec![row("x", "Xi'an", "Duisburg", 250_000.0)];
    let now = run(&engine, &request(demand.clone())).unwrap();
    assert!(now
        .capacities
        .iter()
        .any(|c| c.id == "CAP-CNKZ-DOSTYK-BORDER"));
    assert!(!now.capacities.iter().any(|c| c.id == "CAP-D2"));
    let mut req = request(demand);
    req.planned = true;
    let later = run(&engine, &req).unwrap();
    let d2 = cap(&later, "CAP-D2");
    assert!(d2.planned && d2.capacity_teu_per_year == 400_000.0);
    assert!(!later
        .capacities
        .iter()
        .any(|c| c.id == "CAP-CNKZ-DOSTYK-BORDER"));
    assert!(later.od[0].cost_usd < now.od[0].cost_usd);
}

/// An iteration limit too low for the gap answers the gap reached, marked not converged.
#[test]
fn an_unreachable_gap_answers_not_converged() {
    let rows = crossings(100_000.0, 80_000.0);
    let engine = engine_with(&rows.iter().map(String::as_str).collect::<Vec<_>>());
    let mut req = request(vec![
        row("x", "Xi'an", "Duisburg", 300_000.0),
        row("c", "Chongqing", "Almaty", 200_000.0),
    ]);
    req.algorithm = Algorithm::FrankWolfe;
    req.gap = 1e-12;
    req.max_iter = 3;
    let a = run(&engine, &req).unwrap();
    assert!(!a.convergence.converged);
    assert_eq!(a.convergence.iterations, 3);
    assert!(a.convergence.relative_gap > 1e-12);
}

#[test]
fn bad_input_gets_a_clear_error() {
    let engine = engine_with(&[]);
    let err = |req: AssignRequest| run(&engine, &req).unwrap_err().to_string();
    let e = err(request(vec![row("r7", "Xian-nowhere", "Duisburg", 10.0)]));
    assert!(e.contains("r7") && e.contains("Xian-nowhere"), "{e}");
    let e = err(request(vec![row("r1", "Duisburg", "Duisburg", 10.0)]));
    assert!(e.contains("same place"), "{e}");
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = err(request(vec![row("r2", "Xi'an", "Duisburg", bad)]));
        assert!(e.contains("r2") && e.contains("teu_per_year"), "{e}");
    }
    let mut r = row("r3", "Xi'an", "Duisburg", 10.0);
    r.commodity = "bulk".into();
    assert!(err(request(vec![r])).contains("container"));
    let mut req = request(vec![row("r4", "Xi'an", "Duisburg", 10.0)]);
    req.demand_factor = 0.0;
    assert!(err(req).contains("demand-factor"));
    let mut req = request(vec![row("r5", "Xi'an", "Duisburg", 10.0)]);
    req.gap = 0.0;
    assert!(err(req).contains("gap"));
    let mut req = request(vec![row("r6", "Xi'an", "Duisburg", 10.0)]);
    req.vot = -3.0;
    assert!(err(req).contains("value-of-time"));
    assert!(err(request(vec![])).contains("no demand"));
    // avoid everything that leaves China westward by land and sea: no route, the row named
    let mut req = request(vec![row("r8", "Xi'an", "Almaty", 10.0)]);
    req.avoid = vec!["country:KZ".into()];
    let e = err(req);
    assert!(e.contains("Almaty") || e.contains("KZ"), "{e}");
}

/// capacity.csv rows that name what is not there are refused with the fix.
#[test]
fn capacity_rows_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("meta.csv"), "key,value\nbase,embedded\n").unwrap();
    let text = format!(
        "{HEADER}\nCAP-1,link,BD-NOPE,,,forward,operating,1,x,100,,2024,SRC-EST-COORD-SITE,\nCAP-2,place,,KZSCO,barge,load,operating,1,x,100,,2024,SRC-EST-COORD-SITE,\nCAP-3,link,BD-CN-alashankou--KZ-dostyk-wagon,,,reverse,operating,1,x,100,,2024,SRC-EST-COORD-SITE,\nCAP-4,link,BD-CN-alashankou--KZ-dostyk-wagon,,,forward,operating,1,x,-5,,2024,SRC-NOPE,\n"
    );
    std::fs::write(dir.path().join("capacity.csv"), text).unwrap();
    let e = Dataset::load_dir(dir.path()).unwrap_err();
    let e: String = e.problems.iter().map(|p| format!("{p}\n")).collect();
    for want in ["BD-NOPE", "barge", "runs one way", "teu_per_year"] {
        assert!(e.contains(want), "{want} not in {e}");
    }
}

/// One crossing carries wagons of both gauges (Brest–Małaszewicze: trains reloaded at Brest
/// cross in 1435 wagons, the others in 1520 wagons to Małaszewicze): the capacity is shared,
/// and every gauge waits the M/D/1 time of the whole crossing's utilisation.
#[test]
fn a_capacity_shared_by_two_gauges_delays_both_by_the_total() {
    let rows = ["CAP-BYPL-BREST-BORDER,link,BD-BY-brest--PL-malaszewicze-wagon,,,forward,operating,1,test,500000,,2024,SRC-EST-COORD-SITE,test"];
    let engine = engine_with(&rows);
    let a = run(
        &engine,
        &request(vec![
            row("d", "Xi'an", "Duisburg", 200_000.0),
            row("w", "Xi'an", "Warsaw", 150_000.0),
        ]),
    )
    .unwrap();
    let b = cap(&a, "CAP-BYPL-BREST-BORDER");
    assert!(b.vc > 0.3 && b.vc < 0.95, "{}", b.vc);
    let service_h = 108.0 * 8760.0 / 500_000.0;
    let want = service_h / 2.0 * b.vc / (1.0 - b.vc);
    assert!(
        (b.delay_h - want).abs() < 2e-3 * want,
        "delay {} h against the M/D/1 wait {want} h at the crossing's V/C {}",
        b.delay_h,
        b.vc
    );
    assert!(a.convergence.sharing_rounds >= 1);
}
