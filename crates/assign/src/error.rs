//! Errors of reading networks and demand and of running an assignment.

use std::path::PathBuf;

/// What went wrong; every variant names where and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A malformed or inconsistent line of an input file.
    #[error("{}:{line}: {message}", file.display())]
    Parse {
        /// The file.
        file: PathBuf,
        /// 1-based line number (0 when the problem is the file as a whole).
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A file that could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A folder without the files it should hold.
    #[error("{0}")]
    Missing(String),
    /// An option or network value that cannot be used (names the field).
    #[error("invalid {field}: {message}")]
    InvalidValue {
        /// The option or field.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl Error {
    pub(crate) fn parse(file: &std::path::Path, line: usize, message: impl Into<String>) -> Self {
        Error::Parse {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidValue {
            field: field.into(),
            message: message.into(),
        }
    }
}
