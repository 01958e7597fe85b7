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

/// Problems listed per file in a report; the rest are counted in one line (a folder of
/// 100 MB of bad rows printed 210 MB of problems and peaked at 6 GB; issue 17).
pub const LISTED_PER_FILE: usize = 200;

const MORE: &str = " more problems in this file, not listed (fix the ones above first; at most 200 are listed per file)";

impl Problem {
    /// The line that stands for `n` problems of `file` not listed.
    pub fn more(file: &str, n: u64) -> Problem {
        Problem {
            file: file.into(),
            line: 0,
            message: format!("and {n}{MORE}"),
        }
    }

    /// How many problems this line stands for: 1, or the count of a [`Problem::more`] line.
    pub fn count(&self) -> u64 {
        if self.line == 0 {
            if let Some(n) = self
                .message
                .strip_prefix("and ")
                .and_then(|m| m.strip_suffix(MORE))
                .and_then(|n| n.parse().ok())
            {
                return n;
            }
        }
        1
    }
}

/// A report of at most [`LISTED_PER_FILE`] problems per file, in the order given (sorted by
/// file), each file's remainder counted in one [`Problem::more`] line after its listed ones.
pub fn capped(problems: Vec<Problem>) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    let mut file: Option<String> = None;
    let (mut listed, mut more) = (0usize, 0u64);
    let flush = |out: &mut Vec<Problem>, file: &Option<String>, more: u64| {
        if let (Some(f), true) = (file, more > 0) {
            out.push(Problem::more(f, more));
        }
    };
    for p in problems {
        if file.as_deref() != Some(p.file.as_str()) {
            flush(&mut out, &file, more);
            file = Some(p.file.clone());
            (listed, more) = (0, 0);
        }
        let n = p.count();
        if p.line == 0 && n > 1 || listed >= LISTED_PER_FILE {
            more += n;
        } else {
            listed += 1;
            out.push(p);
        }
    }
    flush(&mut out, &file, more);
    out
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
