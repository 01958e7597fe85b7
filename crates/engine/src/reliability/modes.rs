//! Modes of a sample: peaks of a kernel density estimate.
//!
//! The draws are binned on a grid of 512 points and smoothed with a Gaussian kernel of
//! Silverman's bandwidth (0.9 · min(sd, IQR / 1.34) · n^(−1/5)), floored at 1/200 of the
//! range so that point masses still give a peak. A local maximum is a mode when it reaches 5%
//! of the highest peak and the density between it and its neighbour dips below 80% of the
//! lower of the two (else the lower is merged into the higher). Each mode reports the share
//! of draws between the valleys around it.

use super::summary::{quantile, Peak};

const GRID: usize = 512;
/// A peak lower than this share of the highest is noise.
const MIN_HEIGHT: f64 = 0.05;
/// Two peaks are one when the valley between them stays above this share of the lower.
const MAX_DIP: f64 = 0.8;

/// The modes of sorted hours, in days, in order of time.
pub(crate) fn modes(sorted: &[f64]) -> Vec<Peak> {
    let n = sorted.len();
    let (lo, hi) = (sorted[0], sorted[n - 1]);
    let one = |at: f64| Peak {
        at_days: at / 24.0,
        from_days: lo / 24.0,
        to_days: hi / 24.0,
        share: 1.0,
    };
    if !(hi - lo).is_finite() || hi <= lo {
        return vec![one(lo)];
    }
    let mean = sorted.iter().sum::<f64>() / n as f64;
    let sd = (sorted.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64).sqrt();
    let iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
    let spread = if iqr > 0.0 { sd.min(iqr / 1.34) } else { sd };
    let bw = (0.9 * spread * (n as f64).powf(-0.2)).max((hi - lo) / 200.0);
    let (g0, g1) = (lo - 3.0 * bw, hi + 3.0 * bw);
    let dx = (g1 - g0) / (GRID - 1) as f64;
    let mut counts = vec![0.0; GRID];
    for &x in sorted {
        let i = (((x - g0) / dx).round() as usize).min(GRID - 1);
        counts[i] += 1.0;
    }
    let half = ((4.0 * bw / dx).ceil() as usize).min(GRID);
    let kernel: Vec<f64> = (0..=half)
        .map(|k| {
            let z = k as f64 * dx / bw;
            (-0.5 * z * z).exp()
        })
        .collect();
    let mut dens = vec![0.0; GRID];
    for (i, &c) in counts.iter().enumerate() {
        if c == 0.0 {
            continue;
        }
        let a = i.saturating_sub(half);
        let b = (i + half).min(GRID - 1);
        for (j, d) in dens.iter_mut().enumerate().take(b + 1).skip(a) {
            *d += c * kernel[i.abs_diff(j)];
        }
    }
    // Local maxima (plateaus count once, at their first point).
    let mut peaks: Vec<usize> = (0..GRID)
        .filter(|&i| {
            let left = if i == 0 {
                f64::NEG_INFINITY
            } else {
                dens[i - 1]
            };
            let right = dens[(i + 1).min(GRID - 1)];
            dens[i] > left && (dens[i] >= right || i == GRID - 1) && dens[i] > 0.0
        })
        .collect();
    let top = peaks.iter().map(|&i| dens[i]).fold(0.0, f64::max);
    peaks.retain(|&i| dens[i] >= MIN_HEIGHT * top);
    // Merge peaks without a real dip between them, the shallowest first.
    loop {
        let mut worst: Option<(usize, f64)> = None;
        for w in 0..peaks.len().saturating_sub(1) {
            let (a, b) = (peaks[w], peaks[w + 1]);
            let valley = dens[a..=b].iter().copied().fold(f64::INFINITY, f64::min);
            let ratio = valley / dens[a].min(dens[b]);
            if ratio > MAX_DIP && worst.is_none_or(|(_, r)| ratio > r) {
                worst = Some((w, ratio));
            }
        }
        let Some((w, _)) = worst else { break };
        let drop = if dens[peaks[w]] < dens[peaks[w + 1]] {
            w
        } else {
            w + 1
        };
        peaks.remove(drop);
    }
    if peaks.len() <= 1 {
        let at = peaks.first().map(|&i| g0 + i as f64 * dx).unwrap_or(mean);
        return vec![one(at)];
    }
    // Valleys between consecutive peaks bound each mode's span.
    let mut bounds = vec![f64::NEG_INFINITY];
    for w in peaks.windows(2) {
        let (a, b) = (w[0], w[1]);
        let v = (a..=b)
            .min_by(|&x, &y| dens[x].total_cmp(&dens[y]))
            .unwrap_or(a);
        bounds.push(g0 + v as f64 * dx);
    }
    bounds.push(f64::INFINITY);
    peaks
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let (a, b) = (bounds[k], bounds[k + 1]);
            let ia = sorted.partition_point(|&x| x < a);
            let ib = sorted.partition_point(|&x| x < b);
            Peak {
                at_days: (g0 + p as f64 * dx) / 24.0,
                from_days: a.max(lo) / 24.0,
                to_days: b.min(hi) / 24.0,
                share: (ib - ia) as f64 / n as f64,
            }
        })
        .collect()
}
