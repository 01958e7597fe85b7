//! Distributions of uncertain times: the families a (low, typical, high) triple is read as,
//! and distributions given outright (closed forms, published percentiles, empirical samples,
//! small discrete laws). See `docs/reliability.md` for why PERT is the default.

use super::error::{bad, ReliabilityError};
use super::special::norm_quantile;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a (low, typical, high) triple of the data becomes a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Family {
    /// PERT: a beta over [low, high] with mode `typical` and the standard weight λ = 4
    /// (mean = (low + 4·typical + high) / 6). Bounded like the data's ranges; the default.
    #[default]
    Pert,
    /// Triangular over [low, high] with mode `typical` (heavier tails than PERT).
    Triangular,
    /// Shifted lognormal: `low` is the shift, `typical` the median, and `high` the
    /// `high_quantile` quantile (e.g. 0.95); unbounded above. Needs low < typical < high;
    /// a triple without that spread falls back to PERT.
    Lognormal {
        /// The probability `high` is read at, in (0.5, 1).
        high_quantile: f64,
    },
    /// Uniform over [low, high]; `typical` is not used.
    Uniform,
}

/// The distribution of one time, hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dist {
    /// Always this value.
    Fixed {
        /// Hours.
        value: f64,
    },
    /// PERT (beta, λ = 4) over [low, high] with the given mode.
    Pert {
        /// Shortest.
        low: f64,
        /// Most likely.
        mode: f64,
        /// Longest.
        high: f64,
    },
    /// Triangular over [low, high] with the given mode.
    Triangular {
        /// Shortest.
        low: f64,
        /// Most likely.
        mode: f64,
        /// Longest.
        high: f64,
    },
    /// `shift + exp(N(mu, sigma²))`.
    Lognormal {
        /// Shift (the shortest time).
        shift: f64,
        /// Mean of the log.
        mu: f64,
        /// Standard deviation of the log (> 0).
        sigma: f64,
    },
    /// Normal (not truncated: for closed-form checks and symmetric published figures).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (> 0).
        sd: f64,
    },
    /// Exponential (memoryless waits: departures at random with this mean gap).
    Exponential {
        /// Mean (> 0).
        mean: f64,
    },
    /// Uniform over [low, high] (the wait for a service with a regular headway: [0, headway]).
    Uniform {
        /// Shortest.
        low: f64,
        /// Longest.
        high: f64,
    },
    /// Observed times, each drawn with equal probability (bootstrap).
    Empirical {
        /// The observations, hours.
        samples: Vec<f64>,
    },
    /// Published percentiles: the quantile function runs linearly through the points
    /// (probability, hours), which must start at probability 0 (the minimum) and end at 1
    /// (the maximum).
    Percentiles {
        /// (probability, hours), probabilities increasing.
        points: Vec<(f64, f64)>,
    },
    /// A small discrete law.
    Discrete {
        /// The values, hours.
        values: Vec<f64>,
        /// Their probabilities (summing to 1).
        probs: Vec<f64>,
    },
}

fn finite(what: &str, field: &str, v: f64) -> Result<f64, ReliabilityError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(bad(
            what,
            format!("{field} is {v}; give a finite number of hours"),
        ))
    }
}

fn ordered(what: &str, low: f64, mode: f64, high: f64) -> Result<(), ReliabilityError> {
    finite(what, "low", low)?;
    finite(what, "typical", mode)?;
    finite(what, "high", high)?;
    if !(low <= mode && mode <= high) {
        return Err(bad(
            what,
            format!(
                "need low ≤ typical ≤ high, got {low} ≤ {mode} ≤ {high}; swap or fix the figures"
            ),
        ));
    }
    Ok(())
}

impl Dist {
    /// The distribution of a (low, typical, high) triple under `family`. `what` names the
    /// figure in errors (`leg 3 (RL-A--B) moving_h`). A triple with low = high is fixed.
    pub fn from_range(
        what: &str,
        low: f64,
        typical: f64,
        high: f64,
        family: Family,
    ) -> Result<Dist, ReliabilityError> {
        ordered(what, low, typical, high)?;
        if low < 0.0 {
            return Err(bad(what, format!("low is negative ({low}); times are ≥ 0")));
        }
        if low == high {
            return Ok(Dist::Fixed { value: typical });
        }
        Ok(match family {
            Family::Pert => Dist::Pert {
                low,
                mode: typical,
                high,
            },
            Family::Triangular => Dist::Triangular {
                low,
                mode: typical,
                high,
            },
            Family::Uniform => Dist::Uniform { low, high },
            Family::Lognormal { high_quantile: q } => {
                if !(q > 0.5 && q < 1.0) {
                    return Err(bad(
                        what,
                        format!("lognormal high_quantile is {q}; give a probability in (0.5, 1), e.g. 0.95"),
                    ));
                }
                if !(low < typical && typical < high) {
                    Dist::Pert {
                        low,
                        mode: typical,
                        high,
                    }
                } else {
                    let mu = libm::log(typical - low);
                    let sigma = (libm::log(high - low) - mu) / norm_quantile(q);
                    Dist::Lognormal {
                        shift: low,
                        mu,
                        sigma,
                    }
                }
            }
        })
    }

    /// Checks the figures; `what` names the distribution in errors.
    pub fn validate(&self, what: &str) -> Result<(), ReliabilityError> {
        let positive = |field: &str, v: f64| -> Result<(), ReliabilityError> {
            finite(what, field, v)?;
            if v > 0.0 {
                Ok(())
            } else {
                Err(bad(what, format!("{field} is {v}; it must be > 0")))
            }
        };
        match self {
            Dist::Fixed { value } => finite(what, "value", *value).map(|_| ()),
            Dist::Pert { low, mode, high } | Dist::Triangular { low, mode, high } => {
                ordered(what, *low, *mode, *high)
            }
            Dist::Lognormal { shift, mu, sigma } => {
                finite(what, "shift", *shift)?;
                finite(what, "mu", *mu)?;
                positive("sigma", *sigma)
            }
            Dist::Normal { mean, sd } => {
                finite(what, "mean", *mean)?;
                positive("sd", *sd)
            }
            Dist::Exponential { mean } => positive("mean", *mean),
            Dist::Uniform { low, high } => ordered(what, *low, *low, *high),
            Dist::Empirical { samples } => {
                if samples.is_empty() {
                    return Err(bad(
                        what,
                        "empirical sample is empty; give at least one observation",
                    ));
                }
                for (i, &s) in samples.iter().enumerate() {
                    finite(what, &format!("samples[{i}]"), s)?;
                }
                Ok(())
            }
            Dist::Percentiles { points } => validate_percentiles(what, points),
            Dist::Discrete { values, probs } => validate_discrete(what, values, probs),
        }
    }

    /// The typical value: the mode of PERT and triangular laws (the data's `typical`), the
    /// median of lognormal, percentile and empirical laws, the mean of the others (the most
    /// likely value of a discrete law). NaN for an empty sample or list.
    pub fn typical(&self) -> f64 {
        match self {
            Dist::Fixed { value } => *value,
            Dist::Pert { mode, .. } | Dist::Triangular { mode, .. } => *mode,
            Dist::Lognormal { shift, mu, .. } => shift + libm::exp(*mu),
            Dist::Normal { mean, .. } | Dist::Exponential { mean } => *mean,
            Dist::Uniform { low, high } => 0.5 * (low + high),
            Dist::Empirical { samples } => {
                let mut s = samples.clone();
                s.sort_by(f64::total_cmp);
                s.get(s.len() / 2).copied().unwrap_or(f64::NAN)
            }
            Dist::Percentiles { points } if points.is_empty() => f64::NAN,
            Dist::Percentiles { points } => super::sampler::piecewise(points, 0.5),
            Dist::Discrete { values, probs } => {
                values
                    .iter()
                    .zip(probs)
                    .fold((f64::NAN, f64::NEG_INFINITY), |best, (&v, &p)| {
                        if p > best.1 {
                            (v, p)
                        } else {
                            best
                        }
                    })
                    .0
            }
        }
    }

    /// The mean, in closed form.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed { value } => *value,
            Dist::Pert { low, mode, high } => (low + 4.0 * mode + high) / 6.0,
            Dist::Triangular { low, mode, high } => (low + mode + high) / 3.0,
            Dist::Lognormal { shift, mu, sigma } => shift + libm::exp(mu + 0.5 * sigma * sigma),
            Dist::Normal { mean, .. } | Dist::Exponential { mean } => *mean,
            Dist::Uniform { low, high } => 0.5 * (low + high),
            Dist::Empirical { samples } => samples.iter().sum::<f64>() / samples.len() as f64,
            Dist::Percentiles { points } => points
                .windows(2)
                .map(|w| (w[1].0 - w[0].0) * 0.5 * (w[0].1 + w[1].1))
                .sum(),
            Dist::Discrete { values, probs } => values.iter().zip(probs).map(|(v, p)| v * p).sum(),
        }
    }
}

fn validate_percentiles(what: &str, points: &[(f64, f64)]) -> Result<(), ReliabilityError> {
    if points.len() < 2 {
        return Err(bad(
            what,
            "percentiles need at least two points: (0, minimum) and (1, maximum)",
        ));
    }
    for (i, &(p, v)) in points.iter().enumerate() {
        finite(what, &format!("points[{i}].probability"), p)?;
        finite(what, &format!("points[{i}].hours"), v)?;
    }
    if points[0].0 != 0.0 || points[points.len() - 1].0 != 1.0 {
        return Err(bad(
            what,
            "percentile points must start at probability 0 (the minimum) and end at 1 (the maximum); add them",
        ));
    }
    for (i, w) in points.windows(2).enumerate() {
        if w[1].0 <= w[0].0 || w[1].1 < w[0].1 {
            return Err(bad(
                what,
                format!(
                    "points[{}] = {:?} does not follow points[{i}] = {:?}: probabilities must increase and hours not decrease",
                    i + 1,
                    w[1],
                    w[0]
                ),
            ));
        }
    }
    Ok(())
}

fn validate_discrete(what: &str, values: &[f64], probs: &[f64]) -> Result<(), ReliabilityError> {
    if values.is_empty() || values.len() != probs.len() {
        return Err(bad(
            what,
            format!(
                "discrete law has {} values and {} probabilities; give as many of each, at least one",
                values.len(),
                probs.len()
            ),
        ));
    }
    for (i, (&v, &p)) in values.iter().zip(probs).enumerate() {
        finite(what, &format!("values[{i}]"), v)?;
        finite(what, &format!("probs[{i}]"), p)?;
        if p < 0.0 {
            return Err(bad(what, format!("probs[{i}] is negative ({p})")));
        }
    }
    let sum: f64 = probs.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        return Err(bad(
            what,
            format!("probabilities sum to {sum}, not 1; rescale them"),
        ));
    }
    Ok(())
}
