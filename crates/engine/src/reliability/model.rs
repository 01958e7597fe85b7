//! An itinerary as the kernel sees it: a sequence of time components. A duration adds a
//! drawn number of hours; a departure makes the cargo wait for the next departure of a
//! timetable at the clock time it is ready.

use super::dist::Dist;
use super::error::ReliabilityError;
use super::schedule::Schedule;
use serde::{Deserialize, Serialize};

/// What a component does to the clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// Adds a drawn duration, hours.
    Duration {
        /// Its distribution.
        dist: Dist,
    },
    /// Waits for the next departure at or after the time the cargo is ready.
    Departure {
        /// The departures.
        schedule: Schedule,
    },
}

/// One time component of an itinerary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// What it is, for errors and reports (`leg 3 (RL-A--B) moving`).
    pub label: String,
    /// What it does.
    pub step: Step,
}

/// An itinerary's time components in the order the cargo meets them; time runs from 0 (the
/// start instant, e.g. `--depart`) in hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeModel {
    /// The components, in order.
    pub components: Vec<Component>,
}

impl TimeModel {
    /// An empty itinerary.
    pub fn new() -> TimeModel {
        TimeModel::default()
    }

    /// Appends a drawn duration.
    pub fn duration(&mut self, label: impl Into<String>, dist: Dist) -> &mut Self {
        self.components.push(Component {
            label: label.into(),
            step: Step::Duration { dist },
        });
        self
    }

    /// Appends a wait for the next departure of `schedule`.
    pub fn departure(&mut self, label: impl Into<String>, schedule: Schedule) -> &mut Self {
        self.components.push(Component {
            label: label.into(),
            step: Step::Departure { schedule },
        });
        self
    }

    /// Checks every component; errors name the component.
    pub fn validate(&self) -> Result<(), ReliabilityError> {
        for (i, c) in self.components.iter().enumerate() {
            let what = format!("component {} ({})", i + 1, c.label);
            match &c.step {
                Step::Duration { dist } => dist.validate(&what)?,
                Step::Departure { schedule } => schedule.validate(&what)?,
            }
        }
        Ok(())
    }

    /// The arrival, hours after the start, when every duration takes its typical value
    /// ([`Dist::typical`]) and every departure is caught as the timetable allows: the
    /// deterministic answer the engine gives (`transit_h`).
    pub fn typical_h(&self) -> Result<f64, ReliabilityError> {
        self.validate()?;
        let mut t = 0.0;
        for (i, c) in self.components.iter().enumerate() {
            match &c.step {
                Step::Duration { dist } => t += dist.typical(),
                Step::Departure { schedule } => {
                    t = schedule
                        .next(t)
                        .ok_or_else(|| past_horizon(i, &c.label, t))?;
                }
            }
        }
        Ok(t)
    }
}

/// The error for a draw that is ready after a listed timetable's last departure.
pub(crate) fn past_horizon(i: usize, label: &str, t: f64) -> ReliabilityError {
    ReliabilityError::Timetable {
        what: format!("component {} ({label})", i + 1),
        message: format!(
            "the cargo is ready {:.1} days after the start, past the last listed departure; list departures further ahead (horizon_days)",
            t / 24.0
        ),
    }
}
