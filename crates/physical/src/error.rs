//! The one error type of this crate, with the stable codes of CONVENTIONS.md.

use std::path::PathBuf;

/// Why a physical-network operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file the user named cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Reading or writing a network file failed at the operating-system level.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a corridor network file (wrong magic number).
    #[error("{} is not a corridor network file ({reason})", path.display())]
    Foreign {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// The file ends before the header says it should.
    #[error("{} is truncated: {reason}; import the network again", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Expected and found sizes.
        reason: String,
    },
    /// The file was written by another format version.
    #[error(
        "{} has network format version {found}; this corridor reads version {expected}: import the network again",
        path.display()
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// Version in the file.
        found: u32,
        /// Version this build reads and writes.
        expected: u32,
    },
    /// Checksum mismatch or arrays that contradict each other.
    #[error("{} is corrupt: {reason}; import the network again", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A source file (scgraph literal, GeoJSON, OSM) does not parse.
    #[error("{file}:{line}:{column}: {reason}")]
    Parse {
        /// The file (or a label).
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (byte).
        column: usize,
        /// What was expected.
        reason: String,
    },
    /// A network built from the input would be unusable (bad coordinates, dangling arcs…).
    #[error("invalid network: {reason}")]
    InvalidNetwork {
        /// What is wrong.
        reason: String,
    },
    /// The named network has not been imported into the data directory.
    #[error("no '{name}' network in {}: run `{command}` first", dir.display())]
    MissingNetwork {
        /// Network name (rail, road, sea, road+sea, …).
        name: String,
        /// The data directory searched.
        dir: PathBuf,
        /// The import command that creates it.
        command: String,
    },
    /// The contraction hierarchy file was built for another version of the network.
    #[error("{} was built for another version of the '{network}' network: run `corridor prepare --network {network}` again", path.display())]
    StaleHierarchy {
        /// The hierarchy file.
        path: PathBuf,
        /// Network name.
        network: String,
    },
    /// `--algorithm ch` for a network that has no contraction hierarchy (or one built with
    /// other blocked tags).
    #[error("no contraction hierarchy for the '{network}' network{detail}: run `corridor prepare --network {network}` first")]
    MissingHierarchy {
        /// Network name.
        network: String,
        /// Why the one present does not serve (empty when there is none).
        detail: String,
    },
    /// A source package (scgraph-data, searoute) cannot be found.
    #[error("{message}")]
    MissingSource {
        /// What is missing and how to install it.
        message: String,
    },
    /// A network name is not usable as a file name.
    #[error("'{name}' is not a network name: use lower-case letters, digits, '+', '-' or '_'")]
    BadName {
        /// The name given.
        name: String,
    },
    /// The nearest network node is farther than the snap limit.
    #[error(
        "no {network} network within {limit_km} km of {lat:.4},{lon:.4}: the nearest node is {distance_km:.1} km away (raise the snap limit, max_snap_km)"
    )]
    NoSnap {
        /// Network name.
        network: String,
        /// The point, degrees.
        lat: f64,
        /// The point, degrees.
        lon: f64,
        /// Distance to the nearest node, km (infinite for an empty network).
        distance_km: f64,
        /// The limit, km.
        limit_km: f64,
    },
    /// An `allow`/`avoid` value (CLI: `--allow`/`--avoid`) that names no passage.
    #[error(
        "'{input}' is not a passage; write passage:NAME with NAME one of {}",
        crate::passage::names()
    )]
    UnknownPassage {
        /// The option at fault: `allow` or `avoid`.
        field: &'static str,
        /// The value given.
        input: String,
    },
    /// No path joins the two snapped ends under the query's passage closures.
    #[error("no {network} path from {from} to {to}: {reason}")]
    NoPath {
        /// Network name.
        network: String,
        /// The origin as the user named it (label).
        from: String,
        /// The destination as the user named it (label).
        to: String,
        /// Why, and what would open a path (closed passages it would cross, or the
        /// connected parts the ends lie in).
        reason: String,
    },
    /// The query's [`crate::Budget`] ran out before the answer.
    #[error("{}", match reason {
        crate::budget::Stopped::Cancelled => "the search was cancelled",
        crate::budget::Stopped::Deadline => "the search ran past its time budget; narrow the query",
    })]
    Stopped {
        /// Cancelled or past the deadline.
        reason: crate::budget::Stopped,
    },
}

impl Error {
    /// The stable code of CONVENTIONS.md: `NoSnap`, `NoRoute`, `Timeout`, `InvalidValue`,
    /// `InvalidData` or `Internal`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NoSnap { .. } => "NoSnap",
            Error::NoPath { .. } => "NoRoute",
            Error::Stopped { .. } => "Timeout",
            Error::UnknownPassage { .. }
            | Error::Input { .. }
            | Error::MissingNetwork { .. }
            | Error::MissingSource { .. }
            | Error::MissingHierarchy { .. }
            | Error::BadName { .. } => "InvalidValue",
            Error::Foreign { .. }
            | Error::Truncated { .. }
            | Error::Version { .. }
            | Error::Corrupt { .. }
            | Error::StaleHierarchy { .. }
            | Error::Parse { .. }
            | Error::InvalidNetwork { .. } => "InvalidData",
            Error::Io { .. } => "Internal",
        }
    }

    /// CLI exit status: 2 for a bad request, 3 for no path, 4 for bad data, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self.code() {
            "NoSnap" | "InvalidValue" => 2,
            "NoRoute" => 3,
            "InvalidData" => 4,
            _ => 1,
        }
    }

    /// The CLI flag or API field at fault, if one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::MissingNetwork { .. }
            | Error::MissingHierarchy { .. }
            | Error::BadName { .. } => Some("network"),
            Error::UnknownPassage { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<crate::budget::Stopped> for Error {
    fn from(reason: crate::budget::Stopped) -> Error {
        Error::Stopped { reason }
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
