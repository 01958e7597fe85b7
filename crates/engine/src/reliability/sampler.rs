//! Distributions compiled for the hot loop: every draw is the quantile function at one
//! uniform number (inverse transform), so one number of the stream goes to one component and
//! two itineraries simulated with the same seed share their randomness component by
//! component (common random numbers).

use super::dist::Dist;
use super::special::{norm_quantile, pert_table, QUANTILE_KNOTS};
use std::sync::Arc;

/// A compiled distribution.
#[derive(Debug, Clone)]
pub(crate) enum Sampler {
    /// A constant (draws no number).
    Fixed(f64),
    /// `low + width · table(u)`: a tabulated quantile function on [0, 1] (PERT).
    Table {
        low: f64,
        width: f64,
        q: Arc<[f64]>,
    },
    Triangular {
        low: f64,
        high: f64,
        mode: f64,
        /// F(mode).
        fc: f64,
    },
    Lognormal {
        shift: f64,
        mu: f64,
        sigma: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    Exponential {
        mean: f64,
    },
    Uniform {
        low: f64,
        width: f64,
    },
    Empirical(Box<[f64]>),
    Percentiles(Box<[(f64, f64)]>),
    /// Cumulative probabilities and values.
    Discrete {
        cum: Box<[f64]>,
        values: Box<[f64]>,
    },
}

/// The piecewise-linear quantile function through `points` at `u`.
pub(crate) fn piecewise(points: &[(f64, f64)], u: f64) -> f64 {
    let i = points.partition_point(|&(p, _)| p <= u);
    if i == 0 {
        return points[0].1;
    }
    if i >= points.len() {
        return points[points.len() - 1].1;
    }
    let (p0, v0) = points[i - 1];
    let (p1, v1) = points[i];
    v0 + (v1 - v0) * (u - p0) / (p1 - p0)
}

impl Sampler {
    /// Compiles a validated distribution.
    pub(crate) fn new(d: &Dist) -> Sampler {
        match d {
            Dist::Fixed { value } => Sampler::Fixed(*value),
            Dist::Pert { low, mode, high } => {
                if high <= low {
                    return Sampler::Fixed(*mode);
                }
                let w = high - low;
                // α = 1 + 4·(mode − low)/(high − low); β = 6 − α.
                let a = 1.0 + 4.0 * (mode - low) / w;
                Sampler::Table {
                    low: *low,
                    width: w,
                    q: pert_table(a),
                }
            }
            Dist::Triangular { low, mode, high } => {
                if high <= low {
                    return Sampler::Fixed(*mode);
                }
                Sampler::Triangular {
                    low: *low,
                    high: *high,
                    mode: *mode,
                    fc: (mode - low) / (high - low),
                }
            }
            Dist::Lognormal { shift, mu, sigma } => Sampler::Lognormal {
                shift: *shift,
                mu: *mu,
                sigma: *sigma,
            },
            Dist::Normal { mean, sd } => Sampler::Normal {
                mean: *mean,
                sd: *sd,
            },
            Dist::Exponential { mean } => Sampler::Exponential { mean: *mean },
            Dist::Uniform { low, high } => {
                if high <= low {
                    return Sampler::Fixed(*low);
                }
                Sampler::Uniform {
                    low: *low,
                    width: high - low,
                }
            }
            Dist::Empirical { samples } => {
                if samples.len() == 1 {
                    return Sampler::Fixed(samples[0]);
                }
                Sampler::Empirical(samples.clone().into_boxed_slice())
            }
            Dist::Percentiles { points } => Sampler::Percentiles(points.clone().into_boxed_slice()),
            Dist::Discrete { values, probs } => {
                let mut acc = 0.0;
                let mut cum: Vec<f64> = probs
                    .iter()
                    .map(|p| {
                        acc += p;
                        acc
                    })
                    .collect();
                if let Some(last) = cum.last_mut() {
                    *last = f64::INFINITY; // rounding never leaves u past the end
                }
                Sampler::Discrete {
                    cum: cum.into_boxed_slice(),
                    values: values.clone().into_boxed_slice(),
                }
            }
        }
    }

    /// Whether a draw needs a random number.
    pub(crate) fn is_random(&self) -> bool {
        !matches!(self, Sampler::Fixed(_))
    }

    /// The quantile at `u` in (0, 1).
    #[inline]
    pub(crate) fn quantile(&self, u: f64) -> f64 {
        match self {
            Sampler::Fixed(v) => *v,
            Sampler::Table { low, width, q } => {
                let x = u * QUANTILE_KNOTS as f64;
                let i = (x as usize).min(QUANTILE_KNOTS - 1);
                let f = x - i as f64;
                low + width * (q[i] + f * (q[i + 1] - q[i]))
            }
            Sampler::Triangular {
                low,
                high,
                mode,
                fc,
            } => {
                if u < *fc {
                    low + libm::sqrt(u * (high - low) * (mode - low))
                } else {
                    high - libm::sqrt((1.0 - u) * (high - low) * (high - mode))
                }
            }
            Sampler::Lognormal { shift, mu, sigma } => {
                shift + libm::exp(mu + sigma * norm_quantile(u))
            }
            Sampler::Normal { mean, sd } => mean + sd * norm_quantile(u),
            Sampler::Exponential { mean } => -mean * libm::log1p(-u),
            Sampler::Uniform { low, width } => low + width * u,
            Sampler::Empirical(s) => s[((u * s.len() as f64) as usize).min(s.len() - 1)],
            Sampler::Percentiles(p) => piecewise(p, u),
            Sampler::Discrete { cum, values } => values[cum.partition_point(|&c| c <= u)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_closed_forms() {
        let tri = Sampler::new(&Dist::Triangular {
            low: 0.0,
            mode: 1.0,
            high: 4.0,
        });
        // F(x) = x²/4 on [0, 1]: F⁻¹(0.0625) = 0.5; above the mode F(x) = 1 − (4 − x)²/12.
        assert!((tri.quantile(0.0625) - 0.5).abs() < 1e-12);
        assert!((tri.quantile(0.25) - 1.0).abs() < 1e-12);
        assert!((tri.quantile(0.75) - (4.0 - 3f64.sqrt())).abs() < 1e-12);
        let e = Sampler::new(&Dist::Exponential { mean: 2.0 });
        assert!((e.quantile(0.5) - 2.0 * std::f64::consts::LN_2).abs() < 1e-12);
        let d = Sampler::new(&Dist::Discrete {
            values: vec![1.0, 2.0, 3.0],
            probs: vec![0.2, 0.5, 0.3],
        });
        assert_eq!(d.quantile(0.1), 1.0);
        assert_eq!(d.quantile(0.2), 2.0);
        assert_eq!(d.quantile(0.69), 2.0);
        assert_eq!(d.quantile(0.71), 3.0);
        let p = Sampler::new(&Dist::Percentiles {
            points: vec![(0.0, 10.0), (0.5, 20.0), (0.9, 40.0), (1.0, 100.0)],
        });
        assert!((p.quantile(0.7) - 30.0).abs() < 1e-12);
        // PERT(0, 5, 10) is Beta(3, 3) on [0, 10]: symmetric, median 5.
        let pert = Sampler::new(&Dist::Pert {
            low: 0.0,
            mode: 5.0,
            high: 10.0,
        });
        assert!((pert.quantile(0.5) - 5.0).abs() < 1e-6);
    }
}
