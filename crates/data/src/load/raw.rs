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
pub const OPTIONAL_FILES: [&str; 15] = [
    "grid_factors.csv",
    "hub_factors.csv",
    "pollutant_factors.csv",
    "services.csv",
    "closures.csv",
    "sea_rates.csv",
    "cargo_rules.csv",
    "customs.csv",
    "compliance.csv",
    crate::geometry::FILE,
    "distributions.csv",
    crate::traction::FILE,
    crate::driving::FILE,
    crate::flows::CAPACITY_FILE,
    crate::flows::DEMAND_FILE,
];

/// Raw file contents of a data folder, by file name.
#[derive(Debug, Clone, Default)]
pub struct RawFiles {
    /// Label of the folder for messages (a path or `embedded`).
    pub label: String,
    /// File name → contents. Missing files are absent.
    pub files: HashMap<&'static str, String>,
}

/// The file of an overlay that removes rows of the layers below (`file,id,reason`).
pub const REMOVE_FILE: &str = "remove.csv";

impl RawFiles {
    /// Reads the fixed-name files from a folder.
    ///
    /// A missing folder or missing files are reported as problems, not I/O errors, so that
    /// `corridor validate` can list them together with everything else.
    pub fn read_dir(dir: &Path) -> Result<RawFiles, Vec<Problem>> {
        let label = dir.display().to_string();
        if !dir.is_dir() {
            return Err(vec![not_a_folder(label)]);
        }
        let mut files = HashMap::new();
        let mut problems = Vec::new();
        for name in REQUIRED_FILES {
            read_one(dir, name, true, &label, &mut files, &mut problems);
        }
        for name in OPTIONAL_FILES {
            read_one(dir, name, false, &label, &mut files, &mut problems);
        }
        if dir.join(REMOVE_FILE).exists() {
            problems.push(Problem {
                file: REMOVE_FILE.into(),
                line: 0,
                message: "only an overlay removes rows: add the row `base,embedded` (or `base,FOLDER`) to meta.csv to make this folder an overlay, or delete remove.csv (see docs/data-format.md, Overlays)".into(),
            });
        }
        if problems.is_empty() {
            Ok(RawFiles { label, files })
        } else {
            Err(problems)
        }
    }

    /// Reads an overlay folder: any of the fixed-name files and `remove.csv`, each optional.
    /// Another `.csv` file is a problem (a misspelt name would otherwise be silently ignored).
    pub(crate) fn read_overlay_dir(dir: &Path) -> Result<RawFiles, Vec<Problem>> {
        let label = dir.display().to_string();
        let mut files = HashMap::new();
        let mut problems = Vec::new();
        let known: Vec<&'static str> = REQUIRED_FILES
            .into_iter()
            .chain(OPTIONAL_FILES)
            .chain([REMOVE_FILE])
            .collect();
        for &name in &known {
            read_one(dir, name, false, &label, &mut files, &mut problems);
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                return Err(vec![Problem {
                    file: label,
                    line: 0,
                    message: format!("cannot be listed: {e}"),
                }])
            }
        };
        let mut unknown: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.to_ascii_lowercase().ends_with(".csv") && !known.contains(&n.as_str()))
            .collect();
        unknown.sort();
        for name in unknown {
            let hint = crate::problem::suggest_id(&name, known.iter().copied());
            problems.push(Problem {
                file: name,
                line: 0,
                message: format!(
                    "is not a file corridor reads{hint}: an overlay holds files with the names of a data folder ({}) and remove.csv",
                    known[..known.len() - 1].join(", ")
                ),
            });
        }
        if problems.is_empty() {
            Ok(RawFiles { label, files })
        } else {
            Err(problems)
        }
    }
}

fn not_a_folder(label: String) -> Problem {
    Problem {
        file: label,
        line: 0,
        message: "is not a folder (point --data at a folder holding places.csv, links.csv, …; see docs/data-format.md)".into(),
    }
}

/// Largest data file read, bytes (256 MiB: the embedded network's largest file is under 1 MiB).
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// A file's bytes, or why it is not read (not a regular file, over [`MAX_FILE_BYTES`]);
/// I/O errors as such. The read is bounded even if the file grows while it is read.
fn read_bounded(path: &Path) -> std::io::Result<Result<Vec<u8>, String>> {
    use std::io::Read;
    let f = std::fs::File::open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Ok(Err(
            "is not a regular file (a data file is a CSV file)".into()
        ));
    }
    let too_big = || {
        format!(
            "is larger than the limit of {} MiB per data file (split the network, or check it is the right file)",
            MAX_FILE_BYTES >> 20
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Ok(Err(too_big()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(Err(too_big()));
    }
    Ok(Ok(bytes))
}

/// Reads one file into `files`; a missing file is a problem only when `required`.
fn read_one(
    dir: &Path,
    name: &'static str,
    required: bool,
    label: &str,
    files: &mut HashMap<&'static str, String>,
    problems: &mut Vec<Problem>,
) {
    match read_bounded(&dir.join(name)) {
        Ok(Err(message)) => problems.push(Problem {
            file: name.into(),
            line: 0,
            message,
        }),
        Ok(Ok(bytes)) => match String::from_utf8(bytes) {
            Ok(s) => {
                files.insert(name, s);
            }
            Err(e) => problems.push(Problem {
                file: name.into(),
                line: 0,
                message: format!("is not UTF-8 text ({e})"),
            }),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if required {
                problems.push(Problem {
                    file: name.into(),
                    line: 0,
                    message: format!(
                        "missing from {label} (every data folder needs it; see docs/data-format.md)"
                    ),
                });
            }
        }
        Err(e) => problems.push(Problem {
            file: name.into(),
            line: 0,
            message: format!("cannot be read: {e}"),
        }),
    }
}

impl RawFiles {
    /// SHA-256 of the files (hex, first 16 chars): the required files in their fixed order
    /// (an absent one as empty), then the optional files that are present (and an overlay's
    /// `remove.csv`), so folders without them keep their hash.
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
        for name in OPTIONAL_FILES.into_iter().chain([REMOVE_FILE]) {
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
