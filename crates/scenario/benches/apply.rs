//! Scenario application on the embedded network (criterion). Target: ≤ 5 ms per scenario.
//! Run: `cargo bench -p corridor-scenario -- --warm-up-time 1 --measurement-time 3`.
//! The time includes cloning the embedded records (the input is consumed).
use corridor_data::{load, Dataset};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let (records, _) = load::parse(&Dataset::embedded_raw());
    for (name, _) in corridor_scenario::SHIPPED {
        let s = corridor_scenario::shipped(name)
            .expect("shipped")
            .expect("parses");
        c.bench_function(&format!("apply_{name}"), |b| {
            b.iter(|| corridor_scenario::apply(black_box(&s), records.clone()).expect("applies"))
        });
    }
    c.bench_function("clone_records_only", |b| {
        b.iter(|| black_box(records.clone()))
    });
    let text = corridor_scenario::SHIPPED[0].1;
    c.bench_function("parse_caspian_backlog", |b| {
        b.iter(|| corridor_scenario::parse("scenarios/caspian-backlog.toml", black_box(text)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
