//! Errors of a scenario file: every one names the file and line it is about.

use std::fmt;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioProblem {
    /// 1-based line in the file (0 when the problem is about the whole file).
    pub line: u64,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// A scenario could not be read or applied.
///
/// Displays as one `file:line: message` line per problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (a path, or `scenarios/NAME.toml` for a shipped scenario).
    pub file: String,
    /// Every problem found, in file order.
    pub problems: Vec<ScenarioProblem>,
}

impl ScenarioError {
    /// An error with one problem.
    pub fn one(file: &str, line: u64, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            file: file.to_string(),
            problems: vec![ScenarioProblem {
                line,
                message: message.into(),
            }],
        }
    }

    /// The first problem as `file:line` (for tests and short messages).
    pub fn location(&self) -> String {
        match self.problems.first() {
            Some(p) => format!("{}:{}", self.file, p.line),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if p.line > 0 {
                write!(f, "{}:{}: {}", self.file, p.line, p.message)?;
            } else {
                write!(f, "{}: {}", self.file, p.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// Collects problems of one file, with byte offsets turned into lines.
pub(crate) struct Problems<'a> {
    file: &'a str,
    text: &'a str,
    pub(crate) list: Vec<ScenarioProblem>,
}

impl<'a> Problems<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Problems {
            file,
            text,
            list: Vec::new(),
        }
    }

    /// The text being checked.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> u64 {
        line_of(self.text, offset)
    }

    pub(crate) fn at(&mut self, offset: usize, message: impl Into<String>) {
        let line = self.line_of(offset);
        self.list.push(ScenarioProblem {
            line,
            message: message.into(),
        });
    }

    pub(crate) fn finish(self) -> Result<(), ScenarioError> {
        if self.list.is_empty() {
            Ok(())
        } else {
            let mut problems = self.list;
            problems.sort_by_key(|p| p.line);
            Err(ScenarioError {
                file: self.file.to_string(),
                problems,
            })
        }
    }
}

/// The 1-based line of a byte offset in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}
