//! An itinerary as the kernel sees it: a sequence of time components. A duration adds a
//! drawn number of hours; a departure makes the cargo wait for the next departure of a
//! timetable at the clock time it is ready.
//!
//! Durations may belong to a correlation [`Group`]: their draws share a common shock per
//! draw (a Gaussian copula with the group's `rho`; `docs/reliability.md`, "Correlated
//! delays"). Without groups every duration is drawn independently.

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
    /// The correlation group its draws share a shock with ([`TimeModel::groups`]); none:
    /// independent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The id of the published distribution (`distributions.csv`) it was drawn from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The data's typical figure, hours, when it is not the distribution's own typical value
    /// (a published distribution replaced the data's range): [`TimeModel::typical_h`]
    /// replays it, so the replay stays the engine's deterministic answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typical_h: Option<f64>,
}

/// Durations that share a common shock: under a Gaussian copula each member's normal score
/// is `√rho · Z + √(1 − rho) · ε`, with `Z` drawn once per draw for the group and `ε` the
/// member's own, so any two members' scores have correlation `rho`; each member keeps its
/// own distribution (its marginal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Name (`country:KZ`).
    pub name: String,
    /// Correlation of the members' normal scores, in [0, 1]; 0 is independence.
    pub rho: f64,
}

/// An itinerary's time components in the order the cargo meets them; time runs from 0 (the
/// start instant, e.g. `--depart`) in hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeModel {
    /// The components, in order.
    pub components: Vec<Component>,
    /// Correlation groups (none: every duration independent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
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
            group: None,
            published: None,
            typical_h: None,
        });
        self
    }

    /// Appends a wait for the next departure of `schedule`.
    pub fn departure(&mut self, label: impl Into<String>, schedule: Schedule) -> &mut Self {
        self.components.push(Component {
            label: label.into(),
            step: Step::Departure { schedule },
            group: None,
            published: None,
            typical_h: None,
        });
        self
    }

    /// Declares (or re-states) a correlation group with its `rho`.
    pub fn correlate(&mut self, name: impl Into<String>, rho: f64) -> &mut Self {
        let name = name.into();
        match self.groups.iter_mut().find(|g| g.name == name) {
            Some(g) => g.rho = rho,
            None => self.groups.push(Group { name, rho }),
        }
        self
    }

    /// Puts the last component in the group `name` (declare it with [`TimeModel::correlate`]).
    pub fn in_group(&mut self, name: impl Into<String>) -> &mut Self {
        if let Some(c) = self.components.last_mut() {
            c.group = Some(name.into());
        }
        self
    }

    /// Checks every component and group; errors name the component or group.
    pub fn validate(&self) -> Result<(), ReliabilityError> {
        for g in &self.groups {
            if !(0.0..=1.0).contains(&g.rho) {
                return Err(super::error::bad(
                    &format!("correlation group {}", g.name),
                    format!("rho is {}; give a correlation in [0, 1]", g.rho),
                ));
            }
        }
        for (i, c) in self.components.iter().enumerate() {
            let what = format!("component {} ({})", i + 1, c.label);
            match &c.step {
                Step::Duration { dist } => dist.validate(&what)?,
                Step::Departure { schedule } => schedule.validate(&what)?,
            }
            if let Some(g) = &c.group {
                if matches!(c.step, Step::Departure { .. }) {
                    return Err(super::error::bad(
                        &what,
                        "a departure draws no number: only durations join a correlation group",
                    ));
                }
                if !self.groups.iter().any(|x| x.name == *g) {
                    return Err(super::error::bad(
                        &what,
                        format!("correlation group '{g}' is not declared; declare it with its rho (TimeModel::correlate)"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The group index and copula weights (√rho, √(1 − rho)) of each component: `None` for
    /// an independent one (no group, or rho = 0, so its draws are exactly as without groups).
    pub(crate) fn copula(&self) -> Vec<Option<(usize, f64, f64)>> {
        self.components
            .iter()
            .map(|c| {
                let i = self
                    .groups
                    .iter()
                    .position(|g| Some(&g.name) == c.group.as_ref())?;
                let rho = self.groups[i].rho;
                (rho > 0.0).then(|| (i, libm::sqrt(rho), libm::sqrt(1.0 - rho)))
            })
            .collect()
    }

    /// The arrival, hours after the start, when every duration takes its typical value
    /// ([`Dist::typical`]) and every departure is caught as the timetable allows: the
    /// deterministic answer the engine gives (`transit_h`).
    pub fn typical_h(&self) -> Result<f64, ReliabilityError> {
        self.validate()?;
        let mut t = 0.0;
        for (i, c) in self.components.iter().enumerate() {
            match &c.step {
                Step::Duration { dist } => t += c.typical_h.unwrap_or_else(|| dist.typical()),
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
