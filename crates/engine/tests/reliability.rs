//! Oracles for the reliability kernel (`corridor_engine::reliability`).
//!
//! Tolerances come from the draw count, not from taste: with n independent draws an
//! empirical probability has standard deviation √(p(1−p)/n), a sample mean σ/√n, a sample
//! p-quantile √(p(1−p)/n) / f(x_p) (f the density there); checks allow 4.5 of those (a correct
//! kernel fails one with probability below 1e-5). Whole CDFs are checked with the
//! Dvoretzky–Kiefer–Wolfowitz bound: P(sup|Fₙ − F| > ε) ≤ 2·exp(−2nε²), ε for 1e-6. PERT
//! draws come from a 4096-knot quantile table whose CDF is within 1/4096 of the beta's; that
//! is added where PERT is checked.

use std::path::PathBuf;

use chrono::{DateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use corridor_data::Dataset;
use corridor_engine::reliability::special::norm_cdf;
use corridor_engine::reliability::{
    itinerary_model, quantile, simulate, Config, Dist, Family, MapOptions, ReliabilityError,
    Schedule, Simulation, Step, TimeModel, Weekly, MAX_DRAWS,
};
use corridor_engine::{Engine, RouteRequest};

const K: f64 = 4.5;
const TABLE: f64 = 1.0 / 4096.0;

fn cfg(draws: u64, seed: u64) -> Config {
    Config { draws, seed }
}

/// DKW ε for n draws at false-alarm probability 1e-6.
fn dkw(n: usize) -> f64 {
    ((2.0f64 / 1e-6).ln() / (2.0 * n as f64)).sqrt()
}

/// sup |Fₙ − F| over the sample (both sides of every jump).
fn ks(sim: &Simulation, cdf: impl Fn(f64) -> f64) -> f64 {
    let s = &sim.samples_h;
    let n = s.len() as f64;
    s.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).abs().max((f - (i + 1) as f64 / n).abs())
        })
        .fold(0.0, f64::max)
}

fn binom_sd(p: f64, n: usize) -> f64 {
    (p * (1.0 - p) / n as f64).sqrt()
}

/// Regularised incomplete beta I_x(a, b) for integer a, b: P(Binomial(a+b−1, x) ≥ a).
fn beta_cdf_int(a: u32, b: u32, x: f64) -> f64 {
    let n = a + b - 1;
    let mut sum = 0.0;
    for j in a..=n {
        let mut c = 1.0;
        for k in 0..j {
            c *= f64::from(n - k) / f64::from(k + 1);
        }
        sum += c * x.powi(j as i32) * (1.0 - x).powi((n - j) as i32);
    }
    sum
}

#[test]
fn sum_of_normals_mean_and_percentiles() {
    // N(10, 2²) + N(20, 3²) + N(5, 1²) + N(40, 6²) = N(75, 50).
    let parts = [(10.0, 2.0), (20.0, 3.0), (5.0, 1.0), (40.0, 6.0)];
    let mut m = TimeModel::new();
    for (i, &(mean, sd)) in parts.iter().enumerate() {
        m.duration(format!("n{i}"), Dist::Normal { mean, sd });
    }
    let (mu, sigma) = (75.0, 50f64.sqrt());
    let n = 100_000;
    for seed in [1, 2, 3] {
        let sim = simulate(&m, &cfg(n as u64, seed)).unwrap();
        let s = &sim.samples_h;
        let mean = s.iter().sum::<f64>() / n as f64;
        assert!(
            (mean - mu).abs() < K * sigma / (n as f64).sqrt(),
            "seed {seed}: mean {mean}"
        );
        // z of P50, P80, P90, P95 (Φ⁻¹, published tables).
        for (p, z) in [
            (0.5, 0.0),
            (0.8, 0.841_621_233_572_914),
            (0.9, 1.281_551_565_544_600_4),
            (0.95, 1.644_853_626_951_472_2),
        ] {
            let x = mu + sigma * z;
            let f = (-0.5 * z * z).exp() / (sigma * (2.0 * std::f64::consts::PI).sqrt());
            let tol = K * binom_sd(p, n) / f;
            let q = quantile(s, p);
            assert!((q - x).abs() < tol, "seed {seed} P{p}: {q} vs {x} ± {tol}");
        }
        let d = ks(&sim, |x| norm_cdf((x - mu) / sigma));
        assert!(d < dkw(n), "seed {seed}: KS {d}");
        // The summary reports the same percentiles in days.
        let sum = sim.summary(Some(mu), 40).unwrap();
        assert!((sum.transit_days_p90 * 24.0 - quantile(s, 0.9)).abs() < 1e-9);
        let on_time = sum.on_time_probability.unwrap();
        assert!((on_time - 0.5).abs() < K * binom_sd(0.5, n), "{on_time}");
        assert!(!sum.multimodal, "{:?}", sum.modes);
    }
}

#[test]
fn sum_of_exponentials_is_erlang() {
    // Four exponential waits of mean 10 h: Erlang(4, λ = 0.1),
    // F(x) = 1 − Σ_{j<4} e^{−λx} (λx)^j / j!.
    let erlang = |x: f64| {
        let l = 0.1 * x;
        let mut term = 1.0;
        let mut sum = 0.0;
        for j in 0..4 {
            if j > 0 {
                term *= l / j as f64;
            }
            sum += term;
        }
        1.0 - (-l).exp() * sum
    };
    let mut m = TimeModel::new();
    for i in 0..4 {
        m.duration(format!("e{i}"), Dist::Exponential { mean: 10.0 });
    }
    let n = 100_000;
    let sim = simulate(&m, &cfg(n as u64, 7)).unwrap();
    for x in [10.0, 20.0, 30.0, 40.0, 60.0, 100.0] {
        let f = erlang(x);
        let e = sim.cdf(x);
        assert!(
            (e - f).abs() < K * binom_sd(f, n),
            "F({x}) = {f}, drawn {e}"
        );
    }
    let d = ks(&sim, erlang);
    assert!(d < dkw(n), "KS {d}");
    let mean = sim.samples_h.iter().sum::<f64>() / n as f64;
    assert!((mean - 40.0).abs() < K * 20.0 / (n as f64).sqrt(), "{mean}");
}

#[test]
fn small_discrete_laws_match_exact_convolution() {
    let laws = [
        (vec![1.0, 2.0, 3.0], vec![0.2, 0.5, 0.3]),
        (vec![0.0, 4.0], vec![0.7, 0.3]),
        (vec![2.0, 3.0, 5.0, 8.0], vec![0.1, 0.2, 0.3, 0.4]),
    ];
    // Exact PMF of the sum by convolution over integer hours.
    let mut pmf = vec![1.0];
    for (vals, probs) in &laws {
        let top = pmf.len() - 1 + *vals.last().unwrap() as usize;
        let mut next = vec![0.0; top + 1];
        for (s, &p) in pmf.iter().enumerate() {
            for (v, &q) in vals.iter().zip(probs) {
                next[s + *v as usize] += p * q;
            }
        }
        pmf = next;
    }
    assert!((pmf.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let mut m = TimeModel::new();
    for (i, (values, probs)) in laws.iter().enumerate() {
        m.duration(
            format!("d{i}"),
            Dist::Discrete {
                values: values.clone(),
                probs: probs.clone(),
            },
        );
    }
    let n = 200_000;
    let sim = simulate(&m, &cfg(n as u64, 11)).unwrap();
    let s = &sim.samples_h;
    for (h, &p) in pmf.iter().enumerate() {
        let c = s.iter().filter(|&&x| (x - h as f64).abs() < 1e-9).count() as f64 / n as f64;
        assert!(
            (c - p).abs() <= K * binom_sd(p, n) + 1e-12,
            "P(sum = {h}) = {p}, drawn {c}"
        );
    }
    // Every draw is an atom of the exact law.
    assert!(s.iter().all(|&x| x.fract() == 0.0 && pmf[x as usize] > 0.0));
    let mean: f64 = pmf.iter().enumerate().map(|(h, p)| h as f64 * p).sum();
    let m_of: f64 = laws
        .iter()
        .map(|(v, p)| {
            Dist::Discrete {
                values: v.clone(),
                probs: p.clone(),
            }
            .mean()
        })
        .sum();
    assert!((mean - m_of).abs() < 1e-12);
}

#[test]
fn range_families_match_their_cdfs() {
    let n = 50_000;
    let one = |d: Dist| {
        let mut m = TimeModel::new();
        m.duration("x", d);
        simulate(&m, &cfg(n as u64, 5)).unwrap()
    };
    // PERT(16, 28, 64) is 16 + 48·Beta(α, β), α = 1 + 4·12/48 = 2, β = 1 + 4·36/48 = 4.
    let pert = Dist::from_range("x", 16.0, 28.0, 64.0, Family::Pert).unwrap();
    let d = ks(&one(pert), |x| {
        beta_cdf_int(2, 4, ((x - 16.0) / 48.0).clamp(0.0, 1.0))
    });
    assert!(d < dkw(n) + TABLE, "PERT KS {d}");
    // Triangular(0, 1, 4).
    let tri = Dist::from_range("x", 0.0, 1.0, 4.0, Family::Triangular).unwrap();
    let d = ks(&one(tri), |x| {
        if x <= 1.0 {
            x * x / 4.0
        } else {
            1.0 - (4.0 - x).powi(2) / 12.0
        }
    });
    assert!(d < dkw(n), "triangular KS {d}");
    // Lognormal with typical the median and high the 95th percentile.
    let ln = Dist::from_range(
        "x",
        2.0,
        10.0,
        50.0,
        Family::Lognormal {
            high_quantile: 0.95,
        },
    )
    .unwrap();
    let Dist::Lognormal { shift, mu, sigma } = ln else {
        panic!("{ln:?}")
    };
    assert!((shift + mu.exp() - 10.0).abs() < 1e-12);
    assert!((shift + (mu + 1.644_853_626_951_472_2 * sigma).exp() - 50.0).abs() < 1e-9);
    let sim = one(ln);
    let d = ks(&sim, |x| {
        if x <= shift {
            0.0
        } else {
            norm_cdf(((x - shift).ln() - mu) / sigma)
        }
    });
    assert!(d < dkw(n), "lognormal KS {d}");
    assert!((sim.cdf(50.0) - 0.95).abs() < K * binom_sd(0.95, n));
    // Uniform; and published percentiles (linear between points).
    let d = ks(
        &one(Dist::from_range("x", 0.0, 5.0, 24.0, Family::Uniform).unwrap()),
        |x| (x / 24.0).clamp(0.0, 1.0),
    );
    assert!(d < dkw(n), "uniform KS {d}");
    let pts = vec![(0.0, 4.0), (0.5, 10.0), (0.9, 30.0), (1.0, 80.0)];
    let d = ks(&one(Dist::Percentiles { points: pts }), |x| {
        if x < 10.0 {
            (x - 4.0) / 12.0
        } else if x < 30.0 {
            0.5 + 0.4 * (x - 10.0) / 20.0
        } else {
            0.9 + 0.1 * (x - 30.0) / 50.0
        }
    });
    assert!(d < dkw(n), "percentiles KS {d}");
    // An empirical sample is resampled with equal weights.
    let sim = one(Dist::Empirical {
        samples: vec![5.0, 1.0, 3.0, 3.0],
    });
    assert!((sim.cdf(1.0) - 0.25).abs() < K * binom_sd(0.25, n));
    assert!((sim.cdf(3.0) - 0.75).abs() < K * binom_sd(0.75, n));
}

/// Mon 2026-12-07 00:00 UTC; a Tue/Fri 12:00 ferry in Asia/Baku (UTC+4 all year) leaves at
/// Tue 08:00Z (32 h) and Fri 08:00Z (104 h), then every week.
fn ferry() -> (DateTime<Utc>, Schedule) {
    let tz: Tz = "Asia/Baku".parse().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
    let w = Weekly {
        weekdays: vec![Weekday::Tue, Weekday::Fri],
        time: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        valid_from: None,
        valid_to: None,
    };
    (
        start,
        Schedule::from_weekly(&[w], tz, start, 60, &|_| false),
    )
}

#[test]
fn tuesday_friday_ferry_gives_the_bimodal_arrival_of_the_calendar() {
    let (_, sched) = ferry();
    let mut m = TimeModel::new();
    // Ready at the port after PERT(16, 28, 64) = 16 + 48·Beta(2, 4) hours: Tuesday's ferry
    // is caught with P(X ≤ 32) = I_{1/3}(2, 4) = 1 − (2/3)⁵ − 5·(1/3)·(2/3)⁴ = 131/243; the
    // rest (X ≤ 64 < 104) sail on Friday.
    m.duration(
        "truck to port",
        Dist::Pert {
            low: 16.0,
            mode: 28.0,
            high: 64.0,
        },
    )
    .departure("ferry", sched)
    .duration(
        "crossing",
        Dist::Pert {
            low: 18.0,
            mode: 20.0,
            high: 30.0,
        },
    );
    let p_tue = beta_cdf_int(2, 4, 1.0 / 3.0);
    assert!((p_tue - 131.0 / 243.0).abs() < 1e-12);
    let n = 20_000;
    let sim = simulate(&m, &cfg(n as u64, 42)).unwrap();
    let tol = K * binom_sd(p_tue, n) + TABLE;
    // Tuesday arrivals are within 32 + [18, 30] h, Friday's within 104 + [18, 30] h.
    assert!((sim.cdf(62.0) - p_tue).abs() < tol, "{}", sim.cdf(62.0));
    assert_eq!(sim.cdf(62.0), sim.cdf(121.9));
    assert_eq!(sim.cdf(134.0), 1.0);
    let s = sim.summary(Some(4.0 * 24.0), 40).unwrap();
    assert!(s.multimodal);
    assert_eq!(s.modes.len(), 2, "{:?}", s.modes);
    let (a, b) = (&s.modes[0], &s.modes[1]);
    assert!((a.share - p_tue).abs() < tol, "{a:?}");
    assert!((b.share - (1.0 - p_tue)).abs() < tol, "{b:?}");
    assert!((50.0..62.0).contains(&(a.at_days * 24.0)), "{a:?}");
    assert!((122.0..134.0).contains(&(b.at_days * 24.0)), "{b:?}");
    assert!((s.on_time_probability.unwrap() - p_tue).abs() < tol);
    // The median is a Tuesday sailing, P80 a Friday one: 3 days apart, nothing between.
    assert!(s.transit_days_p50 * 24.0 < 62.0);
    assert!(s.transit_days_p80 * 24.0 > 122.0);
    assert_eq!(s.histogram.iter().map(|b| b.count).sum::<u64>(), n as u64);
}

#[test]
fn a_late_arrival_waits_for_the_next_weeks_ferry() {
    let (_, sched) = ferry();
    // PERT(8, 38, 128) = 8 + 120·Beta(2, 4): Tue with I_0.2(2, 4), Fri with I_0.8 − I_0.2,
    // and the next Tuesday (200 h) for the rest.
    let mut m = TimeModel::new();
    m.duration(
        "truck to port",
        Dist::Pert {
            low: 8.0,
            mode: 38.0,
            high: 128.0,
        },
    )
    .departure("ferry", sched)
    .duration("crossing", Dist::Fixed { value: 20.0 });
    let (p1, p2) = (beta_cdf_int(2, 4, 0.2), beta_cdf_int(2, 4, 0.8));
    assert!((p1 - 0.26272).abs() < 1e-12 && (p2 - 0.99328).abs() < 1e-12);
    let n = 50_000;
    let sim = simulate(&m, &cfg(n as u64, 9)).unwrap();
    let s = &sim.samples_h;
    let count = |h: f64| s.iter().filter(|&&x| x == h).count();
    for (h, p) in [(52.0, p1), (124.0, p2 - p1), (220.0, 1.0 - p2)] {
        let share = count(h) as f64 / n as f64;
        assert!(
            (share - p).abs() < K * binom_sd(p, n) + TABLE,
            "arrival {h} h: {share} vs {p}"
        );
    }
    assert_eq!(count(52.0) + count(124.0) + count(220.0), n);
}

const PINNED: (f64, f64) = (114.009_013_513_162_81, 120.215_928_056_155_28);

#[test]
fn same_seed_same_numbers() {
    let (_, sched) = ferry();
    let mut m = TimeModel::new();
    m.duration(
        "a",
        Dist::Pert {
            low: 16.0,
            mode: 28.0,
            high: 64.0,
        },
    )
    .duration("b", Dist::Normal { mean: 5.0, sd: 1.0 })
    .departure("ferry", sched)
    .duration(
        "c",
        Dist::Lognormal {
            shift: 1.0,
            mu: 1.0,
            sigma: 0.5,
        },
    )
    .duration("d", Dist::Exponential { mean: 3.0 })
    .duration(
        "e",
        Dist::Pert {
            low: 1.0,
            mode: 2.0,
            high: 6.0,
        },
    )
    .duration(
        "f",
        Dist::Triangular {
            low: 1.0,
            mode: 2.0,
            high: 6.0,
        },
    );
    let a = simulate(&m, &cfg(5_000, 123)).unwrap();
    let b = simulate(&m, &cfg(5_000, 123)).unwrap();
    assert_eq!(a, b);
    let c = simulate(&m, &cfg(5_000, 124)).unwrap();
    assert_ne!(a.samples_h, c.samples_h);
    // Pinned: the P50 and P90 of this model for seed 123, computed once. PCG-64 MCG's
    // stream is specified bit for bit and the transforms use libm (pure Rust), so a change
    // here means old seeds no longer reproduce old answers on some platform or version.
    let (p50, p90) = (quantile(&a.samples_h, 0.5), quantile(&a.samples_h, 0.9));
    assert_eq!((p50, p90), PINNED);
}

#[test]
fn bad_input_gets_clear_errors() {
    let err = |r: Result<Dist, ReliabilityError>| r.unwrap_err().to_string();
    let e = err(Dist::from_range(
        "leg 3 moving_h",
        f64::NAN,
        1.0,
        2.0,
        Family::Pert,
    ));
    assert!(
        e.contains("leg 3 moving_h") && e.contains("low is NaN"),
        "{e}"
    );
    let e = err(Dist::from_range(
        "border 2 dwell_h",
        5.0,
        3.0,
        9.0,
        Family::Pert,
    ));
    assert!(
        e.contains("need low ≤ typical ≤ high") && e.contains("5 ≤ 3 ≤ 9"),
        "{e}"
    );
    let e = err(Dist::from_range("w", -1.0, 0.0, 2.0, Family::Pert));
    assert!(e.contains("negative"), "{e}");
    let e = err(Dist::from_range(
        "w",
        1.0,
        2.0,
        3.0,
        Family::Lognormal { high_quantile: 1.5 },
    ));
    assert!(e.contains("high_quantile"), "{e}");
    let mut m = TimeModel::new();
    m.duration("x", Dist::Fixed { value: 1.0 });
    for d in [0, MAX_DRAWS + 1] {
        let e = simulate(&m, &cfg(d, 1)).unwrap_err();
        assert!(matches!(e, ReliabilityError::Draws { .. }));
        assert!(
            e.to_string().contains(&format!(
                "{d} is outside 1..={MAX_DRAWS}; give between 1 and {MAX_DRAWS}"
            )),
            "{e}"
        );
    }
    let bad_dists = [
        (Dist::Normal { mean: 1.0, sd: 0.0 }, "sd is 0"),
        (
            Dist::Exponential {
                mean: f64::INFINITY,
            },
            "mean is inf",
        ),
        (Dist::Empirical { samples: vec![] }, "empty"),
        (
            Dist::Percentiles {
                points: vec![(0.1, 1.0), (1.0, 2.0)],
            },
            "start at probability 0",
        ),
        (
            Dist::Discrete {
                values: vec![1.0, 2.0],
                probs: vec![0.5, 0.6],
            },
            "sum to 1.1",
        ),
        (
            Dist::Pert {
                low: 3.0,
                mode: 1.0,
                high: 2.0,
            },
            "need low ≤ typical ≤ high",
        ),
    ];
    for (d, msg) in bad_dists {
        let mut m = TimeModel::new();
        m.duration("leg 7 dwell_h", d);
        let e = simulate(&m, &cfg(10, 1)).unwrap_err().to_string();
        assert!(
            e.contains("component 1 (leg 7 dwell_h)") && e.contains(msg),
            "{e}"
        );
    }
    // A timetable with no departures, and one that runs out.
    let mut m = TimeModel::new();
    m.departure("ferry", Schedule::Listed { hours: vec![] });
    let e = simulate(&m, &cfg(10, 1)).unwrap_err().to_string();
    assert!(e.contains("ferry") && e.contains("no departure"), "{e}");
    let mut m = TimeModel::new();
    m.duration(
        "truck",
        Dist::Uniform {
            low: 0.0,
            high: 10.0,
        },
    )
    .departure("ferry", Schedule::Listed { hours: vec![5.0] });
    let e = simulate(&m, &cfg(1000, 1)).unwrap_err().to_string();
    assert!(e.contains("past the last listed departure"), "{e}");
    let mut m = TimeModel::new();
    m.departure(
        "ferry",
        Schedule::Periodic {
            period_h: 168.0,
            offsets_h: vec![200.0],
        },
    );
    let e = simulate(&m, &cfg(10, 1)).unwrap_err().to_string();
    assert!(e.contains("outside [0, 168)"), "{e}");
    // The typical replay checks the model too (no panic on an empty sample or timetable).
    let mut m = TimeModel::new();
    m.duration("port wait", Dist::Empirical { samples: vec![] });
    let e = m.typical_h().unwrap_err().to_string();
    assert!(e.contains("port wait") && e.contains("empty"), "{e}");
    let empty = Schedule::Periodic {
        period_h: 168.0,
        offsets_h: vec![],
    };
    assert_eq!(empty.next(3.0), None);
    let sim = simulate(&TimeModel::new(), &cfg(10, 1)).unwrap();
    let e = sim.summary(Some(f64::NAN), 40).unwrap_err().to_string();
    assert!(e.contains("deadline"), "{e}");
}

fn fixture() -> Dataset {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/timed");
    Dataset::load_dir(&dir).unwrap()
}

#[test]
fn mapped_itineraries_replay_the_engines_typical_times() {
    // Without a clock the typical replay is the answer's transit_h, component by component.
    let ds = Dataset::embedded().unwrap();
    let engine = Engine::new(ds.clone());
    for (from, to) in [
        ("Xi'an", "Duisburg"),
        ("Urumqi", "Baku"),
        ("Shanghai", "Rotterdam"),
        ("Almaty", "Poti"),
    ] {
        let req = RouteRequest {
            from: from.into(),
            to: to.into(),
            alternatives: Some(4),
            lane: corridor_engine::LaneOptions {
                shipment: corridor_engine::ShipmentOptions {
                    cargo: Some("1xFEU".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..Default::default()
        };
        let a = engine.route(&req).unwrap();
        for it in &a.itineraries {
            let m = itinerary_model(it, &ds, &MapOptions::default()).unwrap();
            let t = m.typical_h().unwrap();
            assert!(
                (t - it.totals.transit_h).abs() < 1e-6,
                "{from}-{to}: replay {t} vs transit_h {}",
                it.totals.transit_h
            );
            let s = simulate(&m, &Config::default())
                .unwrap()
                .summary(None, 40)
                .unwrap();
            let (lo, hi) = (
                it.totals.transit_h_low / 24.0,
                it.totals.transit_h_high / 24.0,
            );
            assert!(lo - 1e-9 <= s.transit_days_min && s.transit_days_max <= hi + 1e-9);
            assert!(s.transit_days_p50 <= s.transit_days_p90);
        }
    }
}

#[test]
fn on_the_clock_the_ferry_timetable_replaces_the_expected_wait() {
    let ds = fixture();
    let engine = Engine::new(ds.clone());
    for depart in ["2026-11-30T08:00", "2026-12-02T08:00"] {
        let req = RouteRequest {
            from: "KZ-charlie".into(),
            to: "AZ-echo".into(),
            depart: Some(depart.into()),
            lane: corridor_engine::LaneOptions {
                optimize: Some("time".into()),
                shipment: corridor_engine::ShipmentOptions {
                    cargo: Some("1xFEU".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..Default::default()
        };
        let a = engine.route(&req).unwrap();
        let it = &a.itineraries[0];
        let m = itinerary_model(it, &ds, &MapOptions::default()).unwrap();
        assert!(
            m.components
                .iter()
                .any(|c| matches!(c.step, Step::Departure { .. }) && c.label.contains("de-ferry")),
            "{:?}",
            m.components
        );
        let t0 = DateTime::parse_from_rfc3339(it.totals.depart_utc.as_deref().unwrap()).unwrap();
        let arr = DateTime::parse_from_rfc3339(it.totals.arrive_utc.as_deref().unwrap()).unwrap();
        let want = (arr - t0).num_milliseconds() as f64 / 3.6e6;
        let t = m.typical_h().unwrap();
        assert!(
            (t - want).abs() < 1e-3,
            "{depart}: replay {t} vs answer {want}"
        );
        // Every draw sails on a Tue or Fri 10:00 (Asia/Aqtau, +05:00) ferry of 20 h:
        // arrivals are 01:00Z on a Wednesday or a Saturday.
        let sim = simulate(&m, &cfg(2_000, 3)).unwrap();
        let t0 = t0.with_timezone(&Utc);
        for &h in &sim.samples_h {
            let at = t0 + chrono::Duration::milliseconds((h * 3.6e6).round() as i64);
            use chrono::{Datelike, Timelike};
            assert!(
                matches!(at.weekday(), Weekday::Wed | Weekday::Sat) && at.hour() == 1,
                "{at}"
            );
        }
    }
    // Without a clock the same itinerary waits the expected 48 h (PERT 24–48–240).
    let req = RouteRequest {
        from: "KZ-delta".into(),
        to: "AZ-echo".into(),
        lane: corridor_engine::LaneOptions {
            optimize: Some("time".into()),
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some("1xFEU".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let a = engine.route(&req).unwrap();
    let m = itinerary_model(&a.itineraries[0], &ds, &MapOptions::default()).unwrap();
    assert!(m
        .components
        .iter()
        .all(|c| matches!(c.step, Step::Duration { .. })));
    assert!((m.typical_h().unwrap() - a.itineraries[0].totals.transit_h).abs() < 1e-9);
}

#[test]
fn frequency_based_waits_are_uniform_over_the_headway() {
    // ab-rail runs 7 times a week: wait uniform on [0, 24] h (mean 12 h, the data's typical).
    let ds = fixture();
    let engine = Engine::new(ds.clone());
    let req = RouteRequest {
        from: "CN-alpha".into(),
        to: "CN-bravo".into(),
        lane: corridor_engine::LaneOptions {
            optimize: Some("cost".into()),
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some("1xFEU".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let a = engine.route(&req).unwrap();
    let it = &a.itineraries[0];
    assert_eq!(it.legs[0].link_id, "ab-rail");
    let m = itinerary_model(it, &ds, &MapOptions::default()).unwrap();
    let wait = m
        .components
        .iter()
        .find(|c| c.label.contains("headway"))
        .expect("a headway wait");
    assert_eq!(
        wait.step,
        Step::Duration {
            dist: Dist::Uniform {
                low: 0.0,
                high: 24.0
            }
        }
    );
}

/// Correlated delays against the closed form: two N(10, 2²) durations whose normal scores
/// have correlation rho (one group) sum to a normal of variance 2σ²(1 + rho); the sample
/// variance of n draws of a normal has sd var·√(2/(n−1)). rho = 0 reproduces the
/// independent draws bit for bit with the same seed.
#[test]
fn correlated_normals_sum_to_the_closed_form_variance() {
    let (sd, n) = (2.0, 200_000usize);
    let pair = |rho: Option<f64>| {
        let mut m = TimeModel::new();
        m.duration("a", Dist::Normal { mean: 10.0, sd });
        if let Some(r) = rho {
            m.correlate("country:KZ", r).in_group("country:KZ");
        }
        m.duration("b", Dist::Normal { mean: 10.0, sd });
        if rho.is_some() {
            m.in_group("country:KZ");
        }
        simulate(&m, &cfg(n as u64, 11)).unwrap()
    };
    for rho in [0.3, 0.5, 0.9] {
        let s = &pair(Some(rho)).samples_h;
        let mean = s.iter().sum::<f64>() / n as f64;
        let var = s.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let want = 2.0 * sd * sd * (1.0 + rho);
        let tol = K * want * (2.0 / (n - 1) as f64).sqrt();
        assert!(
            (var - want).abs() < tol,
            "rho {rho}: var {var} vs {want} ± {tol}"
        );
        assert!((mean - 20.0).abs() < K * want.sqrt() / (n as f64).sqrt());
    }
    let independent = pair(None);
    assert_eq!(pair(Some(0.0)).samples_h, independent.samples_h);
    let var0 = {
        let s = &independent.samples_h;
        let m = s.iter().sum::<f64>() / n as f64;
        s.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64
    };
    let tol = K * 8.0 * (2.0 / (n - 1) as f64).sqrt();
    assert!((var0 - 8.0).abs() < tol, "independent var {var0}");
}

/// A bad correlation is refused naming the group; a group that is not declared names the
/// component.
#[test]
fn bad_correlation_groups_are_refused() {
    let mut m = TimeModel::new();
    m.duration("a", Dist::Normal { mean: 1.0, sd: 1.0 })
        .correlate("country:KZ", 1.5)
        .in_group("country:KZ");
    let e = simulate(&m, &cfg(10, 1)).unwrap_err().to_string();
    assert!(
        e.contains("correlation group country:KZ") && e.contains("[0, 1]"),
        "{e}"
    );
    let mut m = TimeModel::new();
    m.duration("a", Dist::Normal { mean: 1.0, sd: 1.0 })
        .in_group("country:XX");
    let e = simulate(&m, &cfg(10, 1)).unwrap_err().to_string();
    assert!(
        e.contains("component 1 (a)") && e.contains("not declared"),
        "{e}"
    );
}

fn time_route(engine: &Engine, from: &str, to: &str) -> corridor_engine::RouteAnswer {
    let req = RouteRequest {
        from: from.into(),
        to: to.into(),
        alternatives: Some(4),
        ..Default::default()
    };
    engine.route(&req).unwrap()
}

/// Published distributions (data/default/distributions.csv) replace the PERT of the data's
/// range: an itinerary over the Caspian ferry from Kuryk/Aktau draws its wait from the
/// published percentiles (DIST-CASPIAN-WAIT-*: P0 24 h, P50 60 h, P90 168 h, P100 336 h).
/// The draws' empirical CDF at each published point is the published probability within the
/// DKW bound; the method names the distribution; the deterministic replay keeps the data's
/// typical figure.
#[test]
fn published_caspian_wait_is_drawn_from_its_percentiles() {
    let ds = Dataset::embedded().unwrap();
    let engine = Engine::new(ds.clone());
    let a = time_route(&engine, "Almaty", "Baku");
    let (it, m) = a
        .itineraries
        .iter()
        .map(|it| {
            (
                it,
                itinerary_model(it, &ds, &MapOptions::default()).unwrap(),
            )
        })
        .find(|(_, m)| {
            m.components.iter().any(|c| {
                c.published
                    .as_deref()
                    .is_some_and(|p| p.starts_with("DIST-CASPIAN-WAIT"))
            })
        })
        .expect("an Almaty-Baku itinerary over the Caspian ferry");
    assert!((m.typical_h().unwrap() - it.totals.transit_h).abs() < 1e-6);
    let c = m
        .components
        .iter()
        .find(|c| {
            c.published
                .as_deref()
                .is_some_and(|p| p.starts_with("DIST-CASPIAN-WAIT"))
        })
        .unwrap();
    let Step::Duration { dist } = &c.step else {
        panic!("{c:?}")
    };
    assert_eq!(
        dist,
        &Dist::Percentiles {
            points: vec![(0.0, 24.0), (0.5, 60.0), (0.9, 168.0), (1.0, 336.0)]
        }
    );
    let mut alone = TimeModel::new();
    alone.duration("wait", dist.clone());
    let n = 100_000;
    let sim = simulate(&alone, &cfg(n as u64, 5)).unwrap();
    for (p, h) in [(0.5, 60.0), (0.9, 168.0)] {
        let got = sim.cdf(h);
        assert!((got - p).abs() < dkw(n), "F({h}) = {got}, published {p}");
        let q = quantile(&sim.samples_h, p);
        assert!(
            (q - h).abs() < 2.0,
            "P{} = {q} h, published {h} h",
            p * 100.0
        );
    }
    let s = corridor_engine::reliability::itinerary_reliability(
        it,
        &ds,
        &MapOptions::default(),
        &cfg(2000, 1),
        None,
    )
    .unwrap();
    assert!(
        s.method
            .contains("published distributions (distributions.csv): DIST-CASPIAN-WAIT"),
        "{}",
        s.method
    );
}

/// CPMM yearly means (samples) at a border: the draws take exactly the published values, each
/// with probability 1/k within the binomial tolerance.
#[test]
fn published_border_samples_are_drawn_with_equal_probability() {
    let ds = Dataset::embedded().unwrap();
    let d = ds
        .distributions
        .iter()
        .find(|d| d.id == "DIST-CPMM-KHORGOS-ROAD")
        .unwrap();
    let dist = corridor_engine::reliability::published_dist(d);
    let mut m = TimeModel::new();
    m.duration("Horgos road dwell", dist);
    let n = 30_000;
    let sim = simulate(&m, &cfg(n as u64, 9)).unwrap();
    for v in [16.4, 23.5, 77.5] {
        let k = sim.samples_h.iter().filter(|&&x| x == v).count() as f64 / n as f64;
        assert!(
            (k - 1.0 / 3.0).abs() < K * binom_sd(1.0 / 3.0, n),
            "{v}: {k}"
        );
    }
}
