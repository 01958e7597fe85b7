//! One problem found in a data folder: file, line and what to fix.

use std::fmt;

/// One problem in a data folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// File name (e.g. `links.csv`), or the folder.
    pub file: String,
    /// 1-based line, 0 when the problem is about the whole file.
    pub line: u64,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// A " (did you mean X?)" hint for an id, or an empty string.
pub fn suggest_id<'a>(id: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let lower = id.to_lowercase();
    let best = candidates
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, c)) if score >= 0.85 => format!(" (did you mean '{c}'?)"),
        _ => String::new(),
    }
}
