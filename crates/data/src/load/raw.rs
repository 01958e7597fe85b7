//! The raw text of a data folder's files, by fixed name.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::problem::Problem;

/// The files of a data folder, by fixed name.
pub const REQUIRED_FILES: [&str; 8] = [
    "meta.csv",
    "sources.csv",
    "groups.csv",
    "places.csv",
    "links.csv",
    "transfers.csv",
    "fx.csv",
    "emission_factors.csv",
];

/// Files a data folder may have; without them the figures they hold are reported as missing
/// (`null` with a reason), never as 0.
pub const OPTIONAL_FILES: [&str; 9] = [
    "grid_factors.csv",
    "hub_factors.csv",
    "pollutant_factors.csv",
    "services.csv",
    "closures.csv",
    "cargo_rules.csv",
    "customs.csv",
    "compliance.csv",
    crate::geometry::FILE,
];

/// Raw file contents of a data folder, by file name.
#[derive(Debug, Clone, Default)]
pub struct RawFiles {
    /// Label of the folder for messages (a path or `embedded`).
    pub label: String,
    /// File name → contents. Missing files are absent.
    pub files: HashMap<&'static str, String>,
}

impl RawFiles {
    /// Reads the fixed-name files from a folder.
    ///
    /// A missing folder or missing files are reported as problems, not I/O errors, so that
    /// `corridor validate` can list them together with everything else.
    pub fn read_dir(dir: &Path) -> Result<RawFiles, Vec<Problem>> {
        let label = dir.display().to_string();
        if !dir.is_dir() {
            return Err(vec![Problem {
                file: label,
                line: 0,
                message: "is not a folder (point --data at a folder holding places.csv, links.csv, …; see docs/data-format.md)".into(),
            }]);
        }
        let mut files = HashMap::new();
        let mut problems = Vec::new();
        for name in REQUIRED_FILES {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => {
                        files.insert(name, s);
                    }
                    Err(e) => problems.push(Problem {
                        file: name.into(),
                        line: 0,
                        message: format!("is not UTF-8 text ({e})"),
                    }),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => problems.push(Problem {
                    file: name.into(),
                    line: 0,
                    message: format!("missing from {label} (every data folder needs it; see docs/data-format.md)"),
                }),
                Err(e) => problems.push(Problem {
                    file: name.into(),
                    line: 0,
                    message: format!("cannot be read: {e}"),
                }),
            }
        }
        for name in OPTIONAL_FILES {
            match std::fs::read(dir.join(name)) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => {
                        files.insert(name, s);
                    }
                    Err(e) => problems.push(Problem {
                        file: name.into(),
                        line: 0,
                        message: format!("is not UTF-8 text ({e})"),
                    }),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => problems.push(Problem {
                    file: name.into(),
                    line: 0,
                    message: format!("cannot be read: {e}"),
                }),
            }
        }
        if problems.is_empty() {
            Ok(RawFiles { label, files })
        } else {
            Err(problems)
        }
    }
}

impl RawFiles {
    /// SHA-256 of the files (hex, first 16 chars): the required files in their fixed order
    /// (an absent one as empty), then the optional files that are present, so folders without
    /// them keep their hash.
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut add = |name: &str, text: &str| {
            h.update(name.as_bytes());
            h.update((text.len() as u64).to_le_bytes());
            h.update(text.as_bytes());
        };
        for name in REQUIRED_FILES {
            add(name, self.files.get(name).map(String::as_str).unwrap_or(""));
        }
        for name in OPTIONAL_FILES {
            if let Some(text) = self.files.get(name) {
                add(name, text);
            }
        }
        hex16(&h.finalize())
    }
}

/// The first 8 bytes of a digest as 16 hex characters.
pub(crate) fn hex16(digest: &[u8]) -> String {
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
