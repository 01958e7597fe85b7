//! Monte Carlo kernel (criterion): 10,000 draws of a 15-component itinerary (PERT durations,
//! a headway wait and a Tue/Fri timetable). Target ≤ 5 ms.
//! Run: `cargo bench -p corridor-engine --bench reliability -- --warm-up-time 1 --measurement-time 3`.
use corridor_engine::reliability::{simulate, Config, Dist, Prepared, Schedule, TimeModel};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

/// A Xi'an–Duisburg-like chain: 15 components.
fn model() -> TimeModel {
    let mut m = TimeModel::new();
    let pert = |low: f64, mode: f64, high: f64| Dist::Pert { low, mode, high };
    m.duration(
        "leg 1 wait (headway)",
        Dist::Uniform {
            low: 0.0,
            high: 24.0,
        },
    )
    .duration("leg 1 moving_h", pert(40.0, 48.0, 70.0))
    .duration("border 2 dwell_h", pert(6.0, 12.0, 48.0))
    .duration("transfer 3 gauge", pert(4.0, 8.0, 24.0))
    .duration("leg 4 moving_h", pert(80.0, 96.0, 130.0))
    .duration("leg 4 dwell_h", pert(2.0, 4.0, 12.0))
    .duration("transfer 5 lift", pert(12.0, 24.0, 72.0))
    .departure(
        "leg 6 departure (Tue/Fri)",
        Schedule::Periodic {
            period_h: 168.0,
            offsets_h: vec![36.0, 108.0],
        },
    )
    .duration("leg 6 moving_h", pert(20.0, 24.0, 36.0))
    .duration(
        "leg 6 dwell_h",
        Dist::Lognormal {
            shift: 2.0,
            mu: 2.0,
            sigma: 0.6,
        },
    )
    .duration("transfer 7 lift", pert(6.0, 12.0, 36.0))
    .duration("leg 8 moving_h", pert(30.0, 36.0, 50.0))
    .duration(
        "border 9 dwell_h",
        Dist::Triangular {
            low: 2.0,
            mode: 6.0,
            high: 30.0,
        },
    )
    .duration("leg 10 moving_h", pert(60.0, 72.0, 90.0))
    .duration("transfer 11 lift", Dist::Fixed { value: 6.0 });
    m
}

/// On-CPU nanoseconds of this thread (Linux `/proc/thread-self/schedstat`), when available:
/// on a shared machine wall time counts the time other processes hold the cores.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn bench(c: &mut Criterion) {
    let m = model();
    if let Some(t0) = cpu_ns() {
        let cfg = Config {
            draws: 10_000,
            seed: 1,
        };
        let n = 200;
        for _ in 0..n {
            black_box(simulate(black_box(&m), &cfg).expect("simulate"));
        }
        if let Some(t1) = cpu_ns() {
            println!(
                "reliability/10k_draws_15_components: {:.3} ms CPU per run (mean of {n}, on-CPU time of the thread)",
                (t1 - t0) as f64 / n as f64 / 1e6
            );
        }
    }
    assert_eq!(m.components.len(), 15);
    let cfg = Config {
        draws: 10_000,
        seed: 1,
    };
    c.bench_function("reliability/10k_draws_15_components", |b| {
        b.iter(|| black_box(simulate(black_box(&m), &cfg).expect("simulate")))
    });
    c.bench_function("reliability/prepare_15_components", |b| {
        b.iter(|| {
            black_box(Prepared::new(black_box(&m)).expect("prepare"))
                .simulate(&Config { draws: 1, seed: 1 })
        })
    });
    let p = Prepared::new(&m).expect("prepare");
    c.bench_function("reliability/10k_draws_prepared", |b| {
        b.iter(|| black_box(p.simulate(black_box(&cfg)).expect("simulate")))
    });
    c.bench_function("reliability/10k_draws_15_components_with_summary", |b| {
        b.iter(|| {
            let s = simulate(black_box(&m), &cfg).expect("simulate");
            black_box(s.summary(Some(30.0 * 24.0), 40).expect("summary"))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
