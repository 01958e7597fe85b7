//! The Monte Carlo kernel: draws of an itinerary's arrival time, seeded and reproducible.
//!
//! Random numbers come from PCG-64 MCG (`rand_pcg::Pcg64Mcg`, seeded with `seed_from_u64`),
//! whose output is specified bit for bit and portable; the transforms use `libm`, so the same
//! seed gives the same numbers on every platform. Each draw takes one number per random
//! duration component, in order; fixed durations and departures take none.
//!
//! Correlation groups with rho > 0 draw their common shocks from a second stream (seeded
//! from the same seed), one standard normal per group per draw, so the main stream, and
//! every draw of a model without correlated groups, is exactly as without them.

use super::error::ReliabilityError;
use super::model::{past_horizon, Step, TimeModel};
use super::sampler::Sampler;
use super::schedule::Schedule;
use super::special::{norm_cdf, norm_quantile};
use super::summary::Summary;
use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// Largest number of draws one simulation may ask for.
pub const MAX_DRAWS: u64 = 1_000_000;
/// Draws when none are asked for: percentiles to about ±1% of the spread.
pub const DEFAULT_DRAWS: u64 = 10_000;
/// Seed when none is given.
pub const DEFAULT_SEED: u64 = 20_260_101;

/// How to simulate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Number of draws, 1..=[`MAX_DRAWS`].
    pub draws: u64,
    /// Seed of the random stream.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
        }
    }
}

/// The draws of one simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Arrival of each draw, hours after the start, ascending.
    pub samples_h: Vec<f64>,
    /// The seed used.
    pub seed: u64,
}

impl Simulation {
    /// Share of draws arriving at or before `h` hours (the empirical CDF).
    pub fn cdf(&self, h: f64) -> f64 {
        self.samples_h.partition_point(|&x| x <= h) as f64 / self.samples_h.len() as f64
    }

    /// Summary statistics; see [`Summary::new`].
    pub fn summary(
        &self,
        deadline_h: Option<f64>,
        max_bins: usize,
    ) -> Result<Summary, ReliabilityError> {
        Summary::new(self, deadline_h, max_bins)
    }
}

enum Compiled<'a> {
    Fixed(f64),
    Random(Sampler),
    /// A duration of a correlated group: its sampler, the group's index, √rho and √(1 − rho).
    Correlated(Sampler, usize, f64, f64),
    Departure(&'a Schedule, usize),
}

/// Seed of the common-shock stream: the draw seed mixed with a fixed odd constant (the
/// 64-bit golden ratio), so the two streams differ.
fn shock_seed(seed: u64) -> u64 {
    seed ^ 0x9E37_79B9_7F4A_7C15
}

/// Largest uniform below 1 the copula hands a quantile function (Φ rounds to 1 past z ≈ 8.3).
const U_MAX: f64 = 1.0 - f64::EPSILON / 2.0;

/// A validated model with its distributions compiled (quantile tables built): simulate it
/// with several seeds or draw counts without compiling again.
pub struct Prepared<'a> {
    model: &'a TimeModel,
    compiled: Vec<Compiled<'a>>,
    /// Number of correlation groups with rho > 0 (common shocks per draw).
    shocks: usize,
}

/// A uniform number in (0, 1): 53 random bits, centred in their cell.
#[inline]
fn uniform(rng: &mut Pcg64Mcg) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Checks the draw count.
pub fn check_draws(draws: u64) -> Result<(), ReliabilityError> {
    if draws == 0 || draws > MAX_DRAWS {
        return Err(ReliabilityError::Draws {
            draws,
            max: MAX_DRAWS,
        });
    }
    Ok(())
}

impl<'a> Prepared<'a> {
    /// Validates and compiles the model.
    pub fn new(model: &'a TimeModel) -> Result<Prepared<'a>, ReliabilityError> {
        model.validate()?;
        let copula = model.copula();
        let compiled = model
            .components
            .iter()
            .zip(&copula)
            .enumerate()
            .map(|(i, (c, cop))| match &c.step {
                Step::Duration { dist } => {
                    let s = Sampler::new(dist);
                    match (s.is_random(), cop) {
                        (false, _) => Compiled::Fixed(s.quantile(0.5)),
                        (true, None) => Compiled::Random(s),
                        (true, Some((g, a, b))) => Compiled::Correlated(s, *g, *a, *b),
                    }
                }
                Step::Departure { schedule } => Compiled::Departure(schedule, i),
            })
            .collect();
        let shocks = if copula.iter().any(Option::is_some) {
            model.groups.len()
        } else {
            0
        };
        Ok(Prepared {
            model,
            compiled,
            shocks,
        })
    }

    /// Simulates `cfg.draws` arrivals. A draw ready after the last departure of a listed
    /// timetable is an error naming the component.
    pub fn simulate(&self, cfg: &Config) -> Result<Simulation, ReliabilityError> {
        check_draws(cfg.draws)?;
        let mut rng = Pcg64Mcg::seed_from_u64(cfg.seed);
        let mut shock_rng = Pcg64Mcg::seed_from_u64(shock_seed(cfg.seed));
        let mut z = vec![0.0; self.shocks];
        let mut samples = Vec::with_capacity(cfg.draws as usize);
        for _ in 0..cfg.draws {
            for zg in z.iter_mut() {
                *zg = norm_quantile(uniform(&mut shock_rng));
            }
            let mut t = 0.0;
            for c in &self.compiled {
                match c {
                    Compiled::Fixed(v) => t += v,
                    Compiled::Random(s) => t += s.quantile(uniform(&mut rng)),
                    Compiled::Correlated(s, g, a, b) => {
                        let e = norm_quantile(uniform(&mut rng));
                        let u = norm_cdf(a * z[*g] + b * e).clamp(f64::MIN_POSITIVE, U_MAX);
                        t += s.quantile(u);
                    }
                    Compiled::Departure(s, i) => {
                        t = s
                            .next(t)
                            .ok_or_else(|| past_horizon(*i, &self.model.components[*i].label, t))?;
                    }
                }
            }
            samples.push(t);
        }
        samples.sort_unstable_by(f64::total_cmp);
        Ok(Simulation {
            samples_h: samples,
            seed: cfg.seed,
        })
    }
}

/// Simulates `cfg.draws` arrivals of the itinerary ([`Prepared::new`] then
/// [`Prepared::simulate`]). The draw count is checked first, then the model.
pub fn simulate(model: &TimeModel, cfg: &Config) -> Result<Simulation, ReliabilityError> {
    check_draws(cfg.draws)?;
    Prepared::new(model)?.simulate(cfg)
}
