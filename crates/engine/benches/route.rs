//! Route query on the embedded network (criterion). Run: `cargo bench -p corridor-engine`.
use corridor_engine::{Engine, RouteRequest};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let engine = Engine::new(corridor_data::Dataset::embedded().expect("embedded data"));
    let cases = [
        ("xian_duisburg_time", "Xi'an", "Duisburg", vec![], None),
        (
            "urumqi_baku_noRU",
            "Urumqi",
            "Baku",
            vec!["country:RU".to_string()],
            None,
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
            avoid,
            optimize,
            cargo: Some("2xFEU".into()),
            ..Default::default()
        };
        c.bench_function(&format!("route/{name}"), |b| {
            b.iter(|| black_box(engine.route(black_box(&req)).expect("route")))
        });
    }
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
