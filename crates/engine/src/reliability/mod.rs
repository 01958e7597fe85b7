//! Reliability: how sure is a transit time. Monte Carlo over an itinerary's uncertain times
//! (moving, waits, dwells at borders, ports and transfers) and, on the clock, its timetables.
//!
//! 1. [`Dist`] / [`Family`]: the distribution of each time. The data's (low, typical, high)
//!    triples are read as PERT by default (`docs/reliability.md` says why); published
//!    percentiles, samples and closed forms plug in as other [`Dist`] variants.
//! 2. [`TimeModel`]: an itinerary as a sequence of [`Component`]s: drawn durations and waits
//!    for the next departure of a [`Schedule`] (a Tue/Fri ferry missed by a late arrival is
//!    caught three or four days later, so arrivals can be bimodal).
//! 3. [`simulate`]: seeded, reproducible draws ([`Config`], at most [`MAX_DRAWS`]);
//!    [`Summary`]: P50/P80/P90/P95, mean, on-time probability, histogram and modes.
//! 4. [`contrast`]: words for typical vs P90 differences (Pareto labels under `p90`).
//! 5. [`itinerary_model`]: the mapping from an answer's [`Itinerary`](crate::answer::Itinerary)
//!    and the dataset (links, services, closures) to a [`TimeModel`].
//!
//! ```
//! use corridor_engine::reliability::{simulate, Config, Dist, Schedule, TimeModel};
//! let mut m = TimeModel::new();
//! m.duration("truck to port", Dist::Pert { low: 16.0, mode: 28.0, high: 64.0 })
//!     .departure("Tue/Fri ferry", Schedule::Periodic { period_h: 168.0, offsets_h: vec![36.0, 108.0] })
//!     .duration("crossing", Dist::Pert { low: 18.0, mode: 20.0, high: 30.0 });
//! let sim = simulate(&m, &Config::default()).unwrap();
//! let s = sim.summary(Some(5.0 * 24.0), 40).unwrap();
//! assert!(s.multimodal && s.transit_days_p90 > s.transit_days_p50);
//! ```

mod dist;
mod error;
mod explain;
mod kernel;
mod mapping;
mod model;
mod modes;
mod sampler;
mod schedule;
pub mod special;
mod summary;

pub use dist::{Dist, Family};
pub use error::ReliabilityError;
pub use explain::contrast;
pub use kernel::{
    check_draws, simulate, Config, Prepared, Simulation, DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS,
};
pub use mapping::{itinerary_model, published_dist, MapOptions};
pub use model::{Component, Group, Step, TimeModel};
pub use schedule::{Schedule, Weekly};
pub use summary::{quantile, Bin, Peak, Summary, METHOD};

/// Histogram bins answers carry (at most).
pub const DEFAULT_BINS: usize = 40;

/// The whole pipeline for one itinerary: map it, simulate it and summarise it, with the
/// deadline given in hours after the start (e.g. `--arrive-by` minus `--depart`).
pub fn itinerary_reliability(
    it: &crate::answer::Itinerary,
    ds: &corridor_data::Dataset,
    map: &MapOptions,
    cfg: &Config,
    deadline_h: Option<f64>,
) -> Result<Summary, ReliabilityError> {
    check_draws(cfg.draws)?;
    let model = itinerary_model(it, ds, map)?;
    let mut s = simulate(&model, cfg)?.summary(deadline_h, DEFAULT_BINS)?;
    s.method.push_str(&method_notes(&model));
    Ok(s)
}

/// What the method string adds for a model: the elements drawn from published distributions
/// (`distributions.csv`) and the correlation groups, if any.
pub fn method_notes(model: &TimeModel) -> String {
    let mut out = String::new();
    let publ: Vec<String> = model
        .components
        .iter()
        .filter_map(|c| {
            let id = c.published.as_ref()?;
            let what = c.label.split(" [").next().unwrap_or(&c.label);
            Some(format!("{id} for {what}"))
        })
        .collect();
    if publ.is_empty() {
        out.push_str("; no published distribution applies: every time from its low/typical/high");
    } else {
        out.push_str(&format!(
            "; published distributions (distributions.csv): {}; other times from their low/typical/high",
            publ.join(", ")
        ));
    }
    let groups: Vec<String> = model
        .groups
        .iter()
        .filter(|g| g.rho > 0.0)
        .map(|g| format!("{} rho {}", g.name, g.rho))
        .collect();
    if !groups.is_empty() {
        out.push_str(&format!(
            "; correlated delays (Gaussian copula, a common shock per group and draw): {}",
            groups.join(", ")
        ));
    }
    out
}
