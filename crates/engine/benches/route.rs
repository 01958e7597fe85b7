//! Route query on the embedded network (criterion). Run: `cargo bench -p corridor-engine`.
use corridor_engine::{Engine, RouteRequest};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let engine = Engine::new(corridor_data::Dataset::embedded().expect("embedded data"));
    let cases = [
        (
            "xian_duisburg_time",
            "Xi'an",
            "Duisburg",
            vec![],
            Some("time".to_string()),
        ),
        (
            "urumqi_baku_noRU",
            "Urumqi",
            "Baku",
            vec!["country:RU".to_string()],
            Some("time".to_string()),
        ),
        (
            "shanghai_rotterdam_co2",
            "Shanghai",
            "Rotterdam",
            vec![],
            Some("co2".to_string()),
        ),
    ];
    for (name, from, to, avoid, optimize) in cases {
        let req = RouteRequest {
            from: from.into(),
            to: to.into(),
            lane: corridor_engine::LaneOptions {
                avoid,
                optimize,
                shipment: corridor_engine::ShipmentOptions {
                    cargo: Some("2xFEU".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..Default::default()
        };
        c.bench_function(&format!("route/{name}"), |b| {
            b.iter(|| black_box(engine.route(black_box(&req)).expect("route")))
        });
    }
    // Issue 6: the Pareto front (no --optimize, --alternatives 5 by default) over time, cost,
    // CO2e and risk, with the exact single-criterion optima added.
    let pareto = RouteRequest {
        from: "Xi'an".into(),
        to: "Duisburg".into(),
        lane: corridor_engine::LaneOptions {
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some("2xFEU".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    c.bench_function("route/xian_duisburg_pareto", |b| {
        b.iter(|| black_box(engine.route(black_box(&pareto)).expect("route")))
    });
    // The front on the clock (timetables, closures) and the latest departure by a deadline.
    let on_clock = RouteRequest {
        depart: Some("2026-12-01T08:00".into()),
        ..pareto.clone()
    };
    c.bench_function("route/xian_duisburg_pareto_depart", |b| {
        b.iter(|| black_box(engine.route(black_box(&on_clock)).expect("route")))
    });
    let arrive_by = RouteRequest {
        arrive_by: Some("2026-12-20T18:00".into()),
        ..pareto.clone()
    };
    c.bench_function("route/xian_duisburg_arrive_by", |b| {
        b.iter(|| black_box(engine.route(black_box(&arrive_by)).expect("route")))
    });
    // Issue 6, constraints: reefer, a dangerous-goods class, a heavy payload (weight limits),
    // TIR customs; the filters and customs are built per query. From Almaty: China Railway
    // takes no dangerous goods on China–Europe trains (cargo_rules.csv), so from Xi'an a
    // class 1.1 load has no route at all.
    let constrained = RouteRequest {
        from: "Almaty".into(),
        to: "Duisburg".into(),
        lane: corridor_engine::LaneOptions {
            optimize: Some("time".into()),
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some("2xFEU".into()),
                reefer: true,
                dangerous_goods: Some("1.1".into()),
                payload_t_per_teu: Some(12.0),
                customs: Some("tir".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    c.bench_function("route/almaty_duisburg_time_constraints", |b| {
        b.iter(|| black_box(engine.route(black_box(&constrained)).expect("route")))
    });
    c.bench_function("load/embedded_parse_validate_build", |b| {
        b.iter(|| {
            black_box(Engine::new(
                corridor_data::Dataset::embedded().expect("embedded"),
            ))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
