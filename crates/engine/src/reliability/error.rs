//! The errors of the reliability kernel: every one names the field or component at fault and
//! what to give instead.

use crate::QueryError;

/// A reliability input that cannot be simulated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReliabilityError {
    /// A figure of a distribution is not usable (NaN, infinite, out of order, ≤ 0 where it must
    /// be positive).
    #[error("{what}: {message}")]
    BadFigure {
        /// Where the figure is: the component's label and the field (`leg 3 (RL-A--B) moving_h`).
        what: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The number of draws is outside `1..=MAX_DRAWS`.
    #[error("draws: {draws} is outside 1..={max}; give between 1 and {max} draws (the default 10000 is enough for P50-P95)")]
    Draws {
        /// The count asked for.
        draws: u64,
        /// The largest count allowed.
        max: u64,
    },
    /// A timetable has no departure the cargo can catch.
    #[error("{what}: {message}")]
    Timetable {
        /// The component (`leg 5 (FR-POTI-CONSTANTA-TRUCK) departure`).
        what: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The itinerary does not match the dataset it is mapped with.
    #[error("{message}")]
    Mapping {
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl From<ReliabilityError> for QueryError {
    fn from(e: ReliabilityError) -> QueryError {
        match e {
            ReliabilityError::Draws { .. } => QueryError::TooBig {
                message: e.to_string(),
            },
            ReliabilityError::BadFigure { .. } | ReliabilityError::Timetable { .. } => {
                QueryError::InvalidValue {
                    field: "reliability".into(),
                    message: e.to_string(),
                    suggestions: vec![],
                }
            }
            ReliabilityError::Mapping { .. } => QueryError::InvalidQuery {
                message: e.to_string(),
            },
        }
    }
}

/// A `BadFigure` error.
pub(crate) fn bad(what: &str, message: impl Into<String>) -> ReliabilityError {
    ReliabilityError::BadFigure {
        what: what.to_string(),
        message: message.into(),
    }
}
