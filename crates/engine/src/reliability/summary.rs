//! What a simulation answers: percentiles, mean, on-time probability, a histogram for the
//! web map and the modes of the distribution (several when a missed departure pushes part
//! of the cargo to the next one).

use super::error::{bad, ReliabilityError};
use super::kernel::Simulation;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One histogram bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bin {
    /// Lower edge, days (inclusive).
    pub from_days: f64,
    /// Upper edge, days (exclusive; the last bin includes it).
    pub to_days: f64,
    /// Draws in the bin.
    pub count: u64,
    /// Share of the draws.
    pub share: f64,
}

/// A mode of the transit-time distribution: a peak and the draws around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Peak {
    /// Where the density peaks, days.
    pub at_days: f64,
    /// The cluster's span (from valley to valley), days.
    pub from_days: f64,
    /// Upper end of the span, days.
    pub to_days: f64,
    /// Share of the draws in the span.
    pub share: f64,
}

/// The summary of a simulation, as answers carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Number of draws.
    pub draws: u64,
    /// Seed of the random stream.
    pub seed: u64,
    /// How the figures were obtained.
    pub method: String,
    /// Median transit, days.
    pub transit_days_p50: f64,
    /// 80th percentile, days.
    pub transit_days_p80: f64,
    /// 90th percentile, days.
    pub transit_days_p90: f64,
    /// 95th percentile, days.
    pub transit_days_p95: f64,
    /// Mean, days.
    pub transit_days_mean: f64,
    /// Shortest draw, days.
    pub transit_days_min: f64,
    /// Longest draw, days.
    pub transit_days_max: f64,
    /// The deadline, days after the start, when one was given.
    pub deadline_days: Option<f64>,
    /// Share of draws arriving at or before the deadline.
    pub on_time_probability: Option<f64>,
    /// Histogram of transit days (bins of a round width).
    pub histogram: Vec<Bin>,
    /// Modes, in order of time (one for a unimodal distribution).
    pub modes: Vec<Peak>,
    /// True when there are two modes or more.
    pub multimodal: bool,
}

/// The sample quantile of sorted data at probability `p`: linear interpolation between order
/// statistics at h = (n − 1)·p (Hyndman & Fan 1996, type 7, R's default).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let i = h.floor() as usize;
    let f = h - i as f64;
    if i + 1 >= n {
        sorted[n - 1]
    } else {
        sorted[i] + f * (sorted[i + 1] - sorted[i])
    }
}

/// The method string answers carry.
pub const METHOD: &str = "monte_carlo: pcg64mcg, inverse-transform draws per component, timetabled departures replayed on the clock; percentiles Hyndman-Fan type 7";

impl Summary {
    /// Summarises the draws: with `deadline_h` (hours after the start) the on-time
    /// probability; at most `max_bins` histogram bins (1..=1000).
    pub fn new(
        sim: &Simulation,
        deadline_h: Option<f64>,
        max_bins: usize,
    ) -> Result<Summary, ReliabilityError> {
        if let Some(d) = deadline_h {
            if !d.is_finite() {
                return Err(bad("deadline", format!("is {d}; give a finite time")));
            }
        }
        if !(1..=1000).contains(&max_bins) {
            return Err(bad(
                "bins",
                format!("{max_bins} bins asked for; give 1 to 1000"),
            ));
        }
        let s = &sim.samples_h;
        if s.is_empty() {
            return Err(ReliabilityError::Draws {
                draws: 0,
                max: super::kernel::MAX_DRAWS,
            });
        }
        let d = |h: f64| h / 24.0;
        Ok(Summary {
            draws: s.len() as u64,
            seed: sim.seed,
            method: METHOD.into(),
            transit_days_p50: d(quantile(s, 0.5)),
            transit_days_p80: d(quantile(s, 0.8)),
            transit_days_p90: d(quantile(s, 0.9)),
            transit_days_p95: d(quantile(s, 0.95)),
            transit_days_mean: d(s.iter().sum::<f64>() / s.len() as f64),
            transit_days_min: d(s[0]),
            transit_days_max: d(s[s.len() - 1]),
            deadline_days: deadline_h.map(d),
            on_time_probability: deadline_h.map(|h| sim.cdf(h)),
            histogram: histogram(s, max_bins),
            modes: super::modes::modes(s),
            multimodal: false,
        })
        .map(|mut x| {
            x.multimodal = x.modes.len() >= 2;
            x
        })
    }
}

/// The smallest round width (days) that covers `span_days` in at most `max_bins` bins: 1, 2,
/// 3, 6 or 12 hours, else 1, 2 or 5 times a power of ten days.
fn round_width(span_days: f64, max_bins: usize) -> f64 {
    let raw = span_days / max_bins as f64;
    if !raw.is_finite() {
        return 1.0;
    }
    for h in [1.0, 2.0, 3.0, 6.0, 12.0] {
        if h / 24.0 >= raw {
            return h / 24.0;
        }
    }
    let mut w = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if m * w >= raw {
                return m * w;
            }
        }
        w *= 10.0;
    }
}

/// Histogram of sorted hours in days, bins of a round width aligned on multiples of it.
fn histogram(sorted: &[f64], max_bins: usize) -> Vec<Bin> {
    let (lo, hi) = (sorted[0] / 24.0, sorted[sorted.len() - 1] / 24.0);
    let n = sorted.len() as f64;
    let width = round_width(hi - lo, max_bins.max(1));
    let start = (lo / width).floor() * width;
    let mut count = (((hi - start) / width).floor() as usize + 1).max(1);
    if count > max_bins {
        count = max_bins;
    }
    let mut bins: Vec<Bin> = (0..count)
        .map(|i| Bin {
            from_days: start + i as f64 * width,
            to_days: start + (i + 1) as f64 * width,
            count: 0,
            share: 0.0,
        })
        .collect();
    for &h in sorted {
        let i = (((h / 24.0 - start) / width).floor().max(0.0) as usize).min(count - 1);
        bins[i].count += 1;
    }
    for b in &mut bins {
        b.share = b.count as f64 / n;
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_quantiles() {
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&s, 0.5), 3.0);
        assert!((quantile(&s, 0.9) - 4.6).abs() < 1e-12);
        assert_eq!(quantile(&s, 1.0), 5.0);
    }

    #[test]
    fn histogram_counts_every_draw_in_round_bins() {
        let s: Vec<f64> = (0..1000).map(|i| 24.0 * (10.0 + i as f64 * 0.01)).collect();
        let h = histogram(&s, 40);
        assert!(h.len() <= 40);
        assert_eq!(h.iter().map(|b| b.count).sum::<u64>(), 1000);
        let w = h[0].to_days - h[0].from_days;
        assert!((w - 0.25).abs() < 1e-12, "width {w}");
        assert!(h[0].from_days <= 10.0 && h[h.len() - 1].to_days >= 19.99);
    }
}
