//! The error vocabulary shared by the CLI and the HTTP API (see CONVENTIONS.md).

use schemars::JsonSchema;
use serde::Serialize;

/// A query that cannot be answered, with a stable code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    /// The request as a whole does not make sense (e.g. contradictory constraints).
    #[error("{message}")]
    InvalidQuery {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// One field has a bad value.
    #[error("{field}: {message}")]
    InvalidValue {
        /// The field (CLI flag or API parameter name).
        field: String,
        /// What is wrong and how to fix it.
        message: String,
        /// Candidate values, if any.
        suggestions: Vec<String>,
    },
    /// A place name matched nothing.
    #[error("unknown place '{input}'{}", did_you_mean(suggestions))]
    UnknownPlace {
        /// The field the name was given in.
        field: String,
        /// What the user typed.
        input: String,
        /// Near misses.
        suggestions: Vec<String>,
    },
    /// No itinerary satisfies the constraints.
    #[error("{message}")]
    NoRoute {
        /// Names the constraint that cut the last route off.
        message: String,
        /// The constraint, as given (e.g. `--avoid country:KZ`), if one is to blame.
        constraint: Option<String>,
    },
    /// The search ran out of its per-query budget before it found any route.
    #[error("{message}")]
    BudgetExceeded {
        /// The budget and what to do instead.
        message: String,
    },
    /// The request is too large.
    #[error("{message}")]
    TooBig {
        /// The limit exceeded.
        message: String,
    },
}

fn did_you_mean(s: &[String]) -> String {
    match s.len() {
        0 => String::new(),
        1 => format!(": did you mean {}?", s[0]),
        _ => format!(": did you mean {}?", s.join(" or ")),
    }
}

impl QueryError {
    /// The error for a place name in `field` that did not resolve to places.
    pub fn from_name(field: &str, e: corridor_data::NameError) -> QueryError {
        use corridor_data::NameError;
        match e {
            NameError::Unknown { input, suggestions } => QueryError::UnknownPlace {
                field: field.into(),
                input,
                suggestions,
            },
            NameError::Ambiguous { input, candidates } => QueryError::InvalidValue {
                field: field.into(),
                message: format!(
                    "'{input}' names places in different cities: {}; give the place id",
                    candidates.join("; ")
                ),
                suggestions: candidates,
            },
            NameError::Empty => QueryError::InvalidValue {
                field: field.into(),
                message: "empty place name".into(),
                suggestions: vec![],
            },
        }
    }

    /// The stable code (`InvalidQuery`, `UnknownPlace`, …).
    pub fn code(&self) -> &'static str {
        match self {
            QueryError::InvalidQuery { .. } => "InvalidQuery",
            QueryError::InvalidValue { .. } => "InvalidValue",
            QueryError::UnknownPlace { .. } => "UnknownPlace",
            QueryError::NoRoute { .. } => "NoRoute",
            QueryError::TooBig { .. } => "TooBig",
            QueryError::BudgetExceeded { .. } => "BudgetExceeded",
        }
    }

    /// CLI exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            QueryError::NoRoute { .. } | QueryError::BudgetExceeded { .. } => 3,
            _ => 2,
        }
    }

    /// HTTP status for this error.
    pub fn http_status(&self) -> u16 {
        match self {
            QueryError::InvalidQuery { .. } | QueryError::InvalidValue { .. } => 400,
            QueryError::UnknownPlace { .. } => 404,
            QueryError::NoRoute { .. } | QueryError::BudgetExceeded { .. } => 422,
            QueryError::TooBig { .. } => 413,
        }
    }

    /// The JSON body `{code, message, field?, suggestions?}`.
    pub fn body(&self) -> ErrorBody {
        let (field, suggestions) = match self {
            QueryError::InvalidValue {
                field, suggestions, ..
            } => (Some(field.clone()), suggestions.clone()),
            QueryError::UnknownPlace {
                field, suggestions, ..
            } => (Some(field.clone()), suggestions.clone()),
            _ => (None, vec![]),
        };
        ErrorBody {
            code: self.code().into(),
            message: self.to_string(),
            field,
            suggestions: (!suggestions.is_empty()).then_some(suggestions),
        }
    }
}

/// An error as JSON.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq)]
pub struct ErrorBody {
    /// Stable code.
    pub code: String,
    /// A sentence naming the problem and the fix.
    pub message: String,
    /// The field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Candidates ("did you mean").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Vec<String>>,
}
