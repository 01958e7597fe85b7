//! Special functions the samplers need, in plain arithmetic and `libm` (a pure-Rust libm, so
//! the same seed gives the same numbers on every platform): the standard normal quantile
//! (Wichura's AS 241), the standard normal CDF, and quantile tables of beta distributions.

/// Evaluates the polynomial with coefficients `c` (constant term first) at `x` (Horner).
fn horner(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

/// The standard normal quantile Φ⁻¹(p) for 0 < p < 1: Wichura, "Algorithm AS 241: The
/// Percentage Points of the Normal Distribution", Applied Statistics 37(3), 477–484 (1988),
/// PPND16 (relative error about 1e-16). Returns ±∞ at p = 0 or 1 and NaN outside [0, 1].
/// The coefficients are written as the paper prints them.
#[allow(clippy::excessive_precision)]
pub fn norm_quantile(p: f64) -> f64 {
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        1.331_416_678_917_843_774_5e2,
        1.971_590_950_306_551_442_7e3,
        1.373_169_376_550_946_112_5e4,
        4.592_195_393_154_987_145_7e4,
        6.726_577_092_700_870_085_3e4,
        3.343_057_558_358_812_810_5e4,
        2.509_080_928_730_122_672_7e3,
    ];
    const B: [f64; 8] = [
        1.0,
        4.231_333_070_160_091_125_2e1,
        6.871_870_074_920_579_083_0e2,
        5.394_196_021_424_751_107_7e3,
        2.121_379_430_158_659_586_7e4,
        3.930_789_580_009_271_061_0e4,
        2.872_908_573_572_194_267_4e4,
        5.226_495_278_852_854_561_0e3,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_90,
        5.769_497_221_460_691_405_50,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        2.417_807_251_774_506_117_70e-1,
        2.272_384_498_926_918_458_33e-2,
        7.745_450_142_783_414_076_40e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_40,
        6.897_673_349_851_000_045_50e-1,
        1.481_039_764_274_800_745_90e-1,
        1.519_866_656_361_645_719_66e-2,
        5.475_938_084_995_344_946_00e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_20,
        5.463_784_911_164_114_369_90,
        1.784_826_539_917_291_335_80,
        2.965_605_718_285_048_912_30e-1,
        2.653_218_952_657_612_309_30e-2,
        1.242_660_947_388_078_438_60e-3,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        5.998_322_065_558_879_376_90e-1,
        1.369_298_809_227_358_053_10e-1,
        1.487_536_129_085_061_485_25e-2,
        7.868_691_311_456_132_591_00e-4,
        1.846_318_317_510_054_681_80e-5,
        1.421_511_758_316_445_888_70e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * horner(&A, r) / horner(&B, r);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = libm::sqrt(-libm::log(r));
    let v = if r <= 5.0 {
        let r = r - 1.6;
        horner(&C, r) / horner(&D, r)
    } else {
        let r = r - 5.0;
        horner(&E, r) / horner(&F, r)
    };
    if q < 0.0 {
        -v
    } else {
        v
    }
}

/// The standard normal CDF Φ(x) = erfc(−x/√2)/2.
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Knots of a quantile table: `QUANTILE_KNOTS + 1` values at u = i / QUANTILE_KNOTS.
pub const QUANTILE_KNOTS: usize = 4096;

/// Steps of the numerical CDF a beta quantile table is read from.
const CDF_STEPS: usize = 4096;

/// ln(j / CDF_STEPS) for j = 0..=CDF_STEPS (−∞ at 0), shared by every table: a density
/// value is then one `exp`.
fn ln_grid() -> &'static [f64] {
    static GRID: std::sync::OnceLock<Box<[f64]>> = std::sync::OnceLock::new();
    GRID.get_or_init(|| {
        (0..=CDF_STEPS)
            .map(|j| libm::log(j as f64 / CDF_STEPS as f64))
            .collect()
    })
}

/// The quantile table of Beta(a, b) on [0, 1] for a, b ≥ 1: `QUANTILE_KNOTS + 1` values
/// q[i] = F⁻¹(i / QUANTILE_KNOTS). The CDF is integrated from the density with the trapezoid
/// rule on 4,096 steps (the density is bounded for a, b ≥ 1) and inverted linearly. A
/// sampler that interpolates linearly between knots draws from a distribution whose CDF is
/// within 1 / QUANTILE_KNOTS of the beta's everywhere (each knot interval holds exactly that
/// probability), far below the Monte Carlo error of 10,000 draws (about 0.005).
pub fn beta_quantile_table(a: f64, b: f64) -> Vec<f64> {
    let ln = ln_grid();
    let n = CDF_STEPS;
    let term = |k: f64, l: f64| if k == 0.0 { 0.0 } else { k * l };
    let dens = |j: usize| libm::exp(term(a - 1.0, ln[j]) + term(b - 1.0, ln[n - j]));
    let mut cdf = Vec::with_capacity(n + 1);
    cdf.push(0.0);
    let mut prev = dens(0);
    let mut acc = 0.0;
    for j in 1..=n {
        let d = dens(j);
        acc += 0.5 * (prev + d) / n as f64;
        cdf.push(acc);
        prev = d;
    }
    let total = acc;
    let mut q = Vec::with_capacity(QUANTILE_KNOTS + 1);
    let mut j = 0usize;
    for i in 0..=QUANTILE_KNOTS {
        let target = total * i as f64 / QUANTILE_KNOTS as f64;
        while j < n && cdf[j + 1] < target {
            j += 1;
        }
        let x = if j >= n {
            1.0
        } else {
            let (c0, c1) = (cdf[j], cdf[j + 1]);
            let f = if c1 > c0 {
                (target - c0) / (c1 - c0)
            } else {
                0.0
            };
            (j as f64 + f.clamp(0.0, 1.0)) / n as f64
        };
        q.push(x);
    }
    q[0] = 0.0;
    q[QUANTILE_KNOTS] = 1.0;
    q
}

/// Most PERT tables kept (32 KiB each).
const CACHE_CAP: usize = 256;

/// The quantile table of PERT's beta: Beta(α, 6 − α) for λ = 4 depends on α alone, so the
/// tables are kept by α and shared (the links of a network repeat the same shapes). At most
/// 256 are kept; past that, new shapes are computed each time.
pub(crate) fn pert_table(alpha: f64) -> std::sync::Arc<[f64]> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<u64, Arc<[f64]>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = alpha.to_bits();
    if let Some(t) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return t;
    }
    let t: Arc<[f64]> = beta_quantile_table(alpha, 6.0 - alpha).into();
    if let Ok(mut c) = cache.lock() {
        if c.len() < CACHE_CAP {
            c.insert(key, t.clone());
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_inverts_the_cdf() {
        for &p in &[1e-12, 1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.999_999] {
            let x = norm_quantile(p);
            assert!(
                (norm_cdf(x) - p).abs() <= 1e-12 * p.min(1.0 - p) + 4e-16,
                "{p} {x}"
            );
        }
        // Published values: Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.9) = 1.2815515655446004.
        assert!((norm_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
        assert!((norm_quantile(0.9) - 1.281_551_565_544_600_4).abs() < 1e-14);
    }

    #[test]
    fn beta_table_matches_closed_forms() {
        // Beta(2, 2): F(x) = 3x² − 2x³; Beta(1, 1) is uniform; Beta(2, 3): 6x² − 8x³ + 3x⁴.
        type Cdf = fn(f64) -> f64;
        let cases: [(f64, f64, Cdf); 3] = [
            (2.0, 2.0, |x| 3.0 * x * x - 2.0 * x * x * x),
            (1.0, 1.0, |x| x),
            (2.0, 3.0, |x| {
                6.0 * x * x - 8.0 * x.powi(3) + 3.0 * x.powi(4)
            }),
        ];
        for (a, b, cdf) in cases {
            let q = beta_quantile_table(a, b);
            for (i, &x) in q.iter().enumerate().step_by(97) {
                let u = i as f64 / QUANTILE_KNOTS as f64;
                assert!(
                    (cdf(x) - u).abs() < 1e-6,
                    "Beta({a},{b}) knot {i}: F({x}) vs {u}"
                );
            }
        }
    }
}
