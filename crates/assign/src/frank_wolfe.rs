//! Frank–Wolfe and its conjugate (CFW) and bi-conjugate (BFW) variants
//! (Mitradjieva & Lindberg 2013, "The stiff is moving — conjugate direction Frank–Wolfe methods
//! with applications to traffic assignment", Transportation Science 47(2)).
//!
//! Each iteration: costs at the current flows x, an all-or-nothing y on them (which also gives
//! the relative gap), a target point s (FW: y; CFW: y mixed with the previous target so the
//! direction is conjugate to the previous one under the Hessian diag c'(x); BFW: conjugate to the
//! two previous), then an exact line search of the objective along d = s − x.

use crate::{Algorithm, Error, Run};

/// Largest weight CFW gives the previous target (as in AequilibraE: 1 − 1e-5).
const CONJUGATE_MAX: f64 = 0.99999;

/// Runs FW, CFW or BFW from all-or-nothing at free-flow costs; returns the flows whose gap was
/// recorded last.
pub(crate) fn run(
    run: &mut Run<'_>,
    algorithm: Algorithm,
    max_iter: usize,
) -> Result<Vec<f64>, Error> {
    let m = run.model.len();
    let free: Vec<f64> = (0..m).map(|a| run.model.effective(a, 0.0)).collect();
    let (mut x, _) = run.aon(&free)?;
    // previous targets s_{k-1}, s_{k-2} and the previous step size
    let mut s1: Option<Vec<f64>> = None;
    let mut s2: Option<Vec<f64>> = None;
    let mut tau_prev = 1.0;
    for k in 1..=max_iter {
        let (converged, y, cost) = run.gap(&x)?;
        if converged || k == max_iter {
            break;
        }
        let der: Vec<f64> = match algorithm {
            Algorithm::FrankWolfe => Vec::new(),
            _ => (0..m)
                .map(|a| run.model.effective_derivative(a, x[a]))
                .collect(),
        };
        let mut s = match (algorithm, &s1, &s2) {
            (Algorithm::ConjugateFrankWolfe, Some(p), _)
            | (Algorithm::BiconjugateFrankWolfe, Some(p), None) => conjugate(&x, &y, p, &der),
            (Algorithm::BiconjugateFrankWolfe, Some(p1), Some(p2)) => {
                biconjugate(&x, &y, p1, p2, &der, tau_prev)
            }
            _ => y.clone(),
        };
        // a mixed target that is not a descent direction falls back to Frank–Wolfe's
        let slope: f64 = (0..m).map(|a| cost[a] * (s[a] - x[a])).sum();
        if slope >= 0.0 {
            s = y;
        }
        let tau = line_search(run, &x, &s);
        for a in 0..m {
            x[a] += tau * (s[a] - x[a]);
        }
        if algorithm == Algorithm::FrankWolfe {
            continue;
        }
        if tau >= 1.0 - 1e-12 {
            // the target became the solution: conjugacy to it means nothing, restart
            s1 = None;
            s2 = None;
        } else {
            s2 = s1.take();
            s1 = Some(s);
        }
        tau_prev = tau;
    }
    Ok(x)
}

/// CFW target: α·s_{k-1} + (1 − α)·y with α making the direction conjugate to the previous one.
fn conjugate(x: &[f64], y: &[f64], s1: &[f64], der: &[f64]) -> Vec<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for a in 0..x.len() {
        let dbar = s1[a] - x[a];
        num += dbar * der[a] * (y[a] - x[a]);
        den += dbar * der[a] * (y[a] - s1[a]);
    }
    let alpha = if den != 0.0 {
        (num / den).clamp(0.0, CONJUGATE_MAX)
    } else {
        0.0
    };
    let alpha = if alpha.is_finite() { alpha } else { 0.0 };
    (0..x.len())
        .map(|a| alpha * s1[a] + (1.0 - alpha) * y[a])
        .collect()
}

/// BFW target: β0·y + β1·s_{k-1} + β2·s_{k-2}, conjugate to the two previous directions.
fn biconjugate(x: &[f64], y: &[f64], s1: &[f64], s2: &[f64], der: &[f64], tau: f64) -> Vec<f64> {
    let (mut mu_n, mut mu_d, mut nu_n, mut nu_d) = (0.0, 0.0, 0.0, 0.0);
    for a in 0..x.len() {
        let dbar2 = tau * s1[a] + (1.0 - tau) * s2[a] - x[a];
        let dbar1 = s1[a] - x[a];
        let yx = y[a] - x[a];
        let h = der[a];
        mu_n += dbar2 * h * yx;
        mu_d += dbar2 * h * (s2[a] - s1[a]);
        nu_n += dbar1 * h * yx;
        nu_d += dbar1 * h * dbar1;
    }
    let mu = if mu_d != 0.0 {
        (-mu_n / mu_d).max(0.0)
    } else {
        0.0
    };
    let nu = if nu_d != 0.0 {
        (-nu_n / nu_d + mu * tau / (1.0 - tau)).max(0.0)
    } else {
        0.0
    };
    let (mu, nu) = if mu.is_finite() && nu.is_finite() {
        (mu, nu)
    } else {
        (0.0, 0.0)
    };
    let b0 = 1.0 / (1.0 + mu + nu);
    let (b1, b2) = (nu * b0, mu * b0);
    (0..x.len())
        .map(|a| b0 * y[a] + b1 * s1[a] + b2 * s2[a])
        .collect()
}

/// Exact line search on [0, 1]: the root of φ'(τ) = Σ d·c(x + τd) (φ is convex), by Newton
/// steps on φ'' = Σ d²·c'(x + τd) kept inside a bracket that shrinks with every evaluation
/// (bisection where a step would leave it). Newton needs a handful of evaluations where
/// bisection to the same precision needs about 47; each is a pass over the links that move.
fn line_search(run: &Run<'_>, x: &[f64], s: &[f64]) -> f64 {
    let moving: Vec<(usize, f64)> = (0..x.len())
        .filter(|&a| s[a] != x[a])
        .map(|a| (a, s[a] - x[a]))
        .collect();
    let slope = |tau: f64| -> (f64, f64) {
        let (mut g, mut h) = (0.0, 0.0);
        for &(a, d) in &moving {
            let (c, dc) = run.model.effective_with_derivative(a, x[a] + tau * d);
            g += d * c;
            h += d * d * dc;
        }
        (g, h)
    };
    let (g1, _) = slope(1.0);
    if g1 <= 0.0 {
        return 1.0;
    }
    let (g0, _) = slope(0.0);
    if g0 >= 0.0 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    // start where the slope would cross zero if it were linear
    let mut tau = (-g0 / (g1 - g0)).clamp(0.0, 1.0);
    for _ in 0..100 {
        let (g, h) = slope(tau);
        if g == 0.0 {
            return tau;
        }
        if g < 0.0 {
            lo = tau;
        } else {
            hi = tau;
        }
        let newton = tau - g / h;
        let next = if h > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if hi - lo < 1e-14 || (next - tau).abs() < 1e-15 {
            return next;
        }
        tau = next;
    }
    0.5 * (lo + hi)
}
