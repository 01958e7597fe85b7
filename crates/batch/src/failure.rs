//! One error value for the batch runner and the Python package: the JSON body of CONVENTIONS.md
//! (`{code, message, field?, suggestions?}`), with `problems` (file:line) for invalid data,
//! scenario and job files.

use corridor_engine::QueryError;
use serde::{Deserialize, Serialize};

/// One problem of a file: where and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The file (a path, or `scenarios/NAME.toml`).
    pub file: String,
    /// 1-based line, 0 for the whole file.
    pub line: u64,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// An error with its stable code (`InvalidQuery`, `InvalidValue`, `UnknownPlace`, `NoRoute`,
/// `InvalidData`, `Store`, `Internal`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// The code.
    pub code: String,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The field (option name) at fault, if one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Candidate values, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// Every problem of a file (data, scenario, job), with its line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl Failure {
    /// A failure with a code and a message only.
    pub fn new(code: &str, message: impl Into<String>) -> Failure {
        Failure {
            code: code.into(),
            message: message.into(),
            field: None,
            suggestions: vec![],
            problems: vec![],
        }
    }

    /// `InvalidValue` of `field`.
    pub fn invalid(field: &str, message: impl Into<String>) -> Failure {
        Failure {
            field: Some(field.into()),
            ..Failure::new("InvalidValue", message)
        }
    }

    /// `InvalidData` of a file, with every problem.
    pub fn invalid_data(what: &str, problems: Vec<Problem>) -> Failure {
        Failure {
            problems,
            ..Failure::new("InvalidData", format!("invalid {what}"))
        }
    }

    /// An error of the results store.
    pub fn store(e: impl std::fmt::Display) -> Failure {
        Failure::new("Store", format!("results store: {e}"))
    }

    /// The CLI's exit code: 2 bad request, 3 no route, 4 invalid data, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self.code.as_str() {
            "InvalidQuery" | "InvalidValue" | "UnknownPlace" | "NoSnap" | "TooBig" => 2,
            "NoRoute" | "OutsideServicePeriod" | "BudgetExceeded" | "NoPath" => 3,
            "InvalidData" | "InvalidJob" => 4,
            _ => 1,
        }
    }

    /// The body as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_else(|_| serde_json::json!({"code": self.code}))
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

impl From<QueryError> for Failure {
    fn from(e: QueryError) -> Failure {
        let b = e.body();
        Failure {
            code: b.code,
            message: b.message,
            field: b.field,
            suggestions: b.suggestions.unwrap_or_default(),
            problems: vec![],
        }
    }
}

impl From<corridor_data::DataError> for Failure {
    fn from(e: corridor_data::DataError) -> Failure {
        let problems = e
            .problems
            .iter()
            .map(|p| Problem {
                file: p.file.clone(),
                line: p.line,
                message: p.message.clone(),
            })
            .collect();
        Failure::invalid_data(&format!("data in {}", e.label), problems)
    }
}

impl From<&corridor_scenario::ScenarioError> for Failure {
    fn from(e: &corridor_scenario::ScenarioError) -> Failure {
        let problems = e
            .problems
            .iter()
            .map(|p| Problem {
                file: e.file.clone(),
                line: p.line,
                message: p.message.clone(),
            })
            .collect();
        Failure::invalid_data(&format!("scenario {}", e.file), problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_place_keeps_its_field_and_suggestions() {
        let e = QueryError::UnknownPlace {
            field: "from".into(),
            input: "Aktauu".into(),
            suggestions: vec!["KZSCO".into()],
        };
        let f = Failure::from(e);
        assert_eq!(f.code, "UnknownPlace");
        assert_eq!(f.field.as_deref(), Some("from"));
        assert_eq!(f.suggestions, vec!["KZSCO".to_string()]);
        assert_eq!(f.exit_code(), 2);
    }
}
