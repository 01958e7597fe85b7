//! A batch job file: lanes × scenarios × options, in TOML (docs/batch.md).
//!
//! ```toml
//! name = "caspian-lanes"
//! scenarios = ["baseline", "caspian-backlog"]   # `baseline`: the network as is
//! lanes = [["Xi'an", "Duisburg"], ["Urumqi", "Baku"]]
//! lanes_file = "lanes.csv"                        # and/or a CSV `from,to` (relative to the job)
//! chunk = 50                                      # lanes per part (the unit of resumption)
//! data = "overlay"                                # a data folder or overlay (default: embedded)
//!
//! [options]                                       # every cell's options, as `corridor table`
//! cargo = "2xFEU"
//! reliability = true
//! draws = 2000
//! seed = 42
//! ```
//!
//! [`Job::load`] checks everything before any work: unknown keys, options and their values,
//! lanes whose places do not resolve, scenarios that are neither shipped nor a file, scenario
//! files with problems; it names **every** problem with its line ([`Failure`] `InvalidJob`).

use std::ops::Range;
use std::path::{Path, PathBuf};

use corridor_engine::options::{field_names, from_json};
use corridor_engine::{Engine, TableRequest};
use serde_json::Value;
use sha2::{Digest, Sha256};
use toml_edit::{ImDocument, Item};

use crate::engines::{Engines, BASELINE};
use crate::failure::{Failure, Problem};
use crate::flows::FlowsSpec;

/// Lanes per part when the job does not say.
pub const DEFAULT_CHUNK: usize = 50;
/// Most lanes in one job.
pub const MAX_LANES: usize = 1_000_000;

const KEYS: [&str; 9] = [
    "name",
    "scenarios",
    "lanes",
    "lanes_file",
    "chunk",
    "data",
    "geometry",
    "options",
    "flows",
];
/// Table-request fields a job sets elsewhere (lanes, scenarios) or cannot use.
const NOT_OPTIONS: [&str; 5] = ["from", "to", "pairs", "scenario", "scenario_toml"];

/// A checked job.
#[derive(Debug, Clone)]
pub struct Job {
    /// The job file.
    pub path: PathBuf,
    /// Its name.
    pub name: String,
    /// Its text (recorded with the run).
    pub text: String,
    /// SHA-256 of the text and of the lanes file, if any (16 hex digits).
    pub hash: String,
    /// The data folder, if any (relative paths resolved against the job's folder).
    pub data: Option<PathBuf>,
    /// Scenarios in order: `baseline`, shipped names, or paths (resolved).
    pub scenarios: Vec<String>,
    /// The lanes, in order.
    pub lanes: Vec<(String, String)>,
    /// Lanes per part.
    pub chunk: usize,
    /// The options of every cell (`from`, `to`, `pairs` empty).
    pub options: TableRequest,
    /// Whether each row keeps the line of its itinerary (`geometry = true`).
    pub geometry: bool,
    /// `[flows]`: assignments per scenario and demand factor (crate::flows).
    pub flows: Option<FlowsSpec>,
}

/// Where a TOML element is: its 1-based line.
fn line_of(text: &str, span: Option<Range<usize>>) -> u64 {
    span.map_or(0, |r| {
        text.get(..r.start)
            .map_or(0, |s| s.matches('\n').count() as u64 + 1)
    })
}

/// A TOML value as JSON (options are JSON request fields).
pub(crate) fn to_json(v: &toml_edit::Value) -> Value {
    use toml_edit::Value as T;
    match v {
        T::String(s) => Value::from(s.value().clone()),
        T::Integer(i) => Value::from(*i.value()),
        T::Float(f) => Value::from(*f.value()),
        T::Boolean(b) => Value::from(*b.value()),
        T::Datetime(d) => Value::from(d.value().to_string()),
        T::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        T::InlineTable(t) => {
            Value::Object(t.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect())
        }
    }
}

/// The problems found so far, each at its line.
pub(crate) struct Checker<'a> {
    file: String,
    text: &'a str,
    pub(crate) problems: Vec<Problem>,
}

impl Checker<'_> {
    pub(crate) fn at(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.clone(),
            line: line_of(self.text, span),
            message: message.into(),
        });
    }
}

impl Job {
    /// Reads and checks a job file: every problem is reported at once, with its line.
    ///
    /// # Errors
    /// `InvalidJob` with every problem; `InvalidData` if the job's data folder has problems.
    pub fn load(path: &Path) -> Result<(Job, Engines), Failure> {
        Job::load_with(path, None)
    }

    /// [`Job::load`], with `data` (the CLI's `--data`) for a job that names no data folder.
    ///
    /// # Errors
    /// As [`Job::load`].
    pub fn load_with(path: &Path, data: Option<&Path>) -> Result<(Job, Engines), Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::invalid(
                "job",
                format!("cannot read the job file {}: {e}", path.display()),
            )
        })?;
        Job::parse_with(path, &text, data)
    }

    /// [`Job::load`] on the text of `path`.
    ///
    /// # Errors
    /// As [`Job::load`].
    pub fn parse(path: &Path, text: &str) -> Result<(Job, Engines), Failure> {
        Job::parse_with(path, text, None)
    }

    /// [`Job::parse`] with a default data folder.
    ///
    /// # Errors
    /// As [`Job::load`].
    pub fn parse_with(
        path: &Path,
        text: &str,
        default_data: Option<&Path>,
    ) -> Result<(Job, Engines), Failure> {
        let file = path.display().to_string();
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let doc = ImDocument::parse(text).map_err(|e| {
            job_failure(vec![Problem {
                file: file.clone(),
                line: line_of(text, e.span()),
                message: format!("not TOML: {}", e.message().trim()),
            }])
        })?;
        let root = doc.as_table();
        let mut c = Checker {
            file: file.clone(),
            text,
            problems: vec![],
        };
        for (k, _) in root.iter() {
            if !KEYS.contains(&k) {
                let span = root.key(k).and_then(|k| k.span());
                c.at(
                    span,
                    format!("unknown key `{k}`; a job has {}", KEYS.join(", ")),
                );
            }
        }
        let item_line = |k: &str| root.get(k).and_then(Item::span);
        let string = |c: &mut Checker, k: &str| -> Option<String> {
            let item = root.get(k)?;
            match item.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    c.at(item.span(), format!("`{k}` must be a string"));
                    None
                }
            }
        };
        let name = string(&mut c, "name");
        if root.get("name").is_none() {
            c.at(Some(0..0), "no `name`: give the job a name (name = \"…\")");
        }
        let data = string(&mut c, "data")
            .map(|d| dir.join(d))
            .or_else(|| default_data.map(Path::to_path_buf));
        let chunk = match root.get("chunk") {
            None => DEFAULT_CHUNK,
            Some(i) => match i.as_integer() {
                Some(n) if (1..=100_000).contains(&n) => n as usize,
                _ => {
                    c.at(
                        i.span(),
                        "`chunk` must be an integer from 1 to 100000 (lanes per part)",
                    );
                    DEFAULT_CHUNK
                }
            },
        };

        // The data first: lanes and scenarios are checked against it.
        let engines = Engines::load(data.as_deref())?;

        let mut hasher = Sha256::new();
        hasher.update(text.as_bytes());
        let lanes = read_lanes(&mut c, root, &dir, &engines, &mut hasher);
        let scenarios = read_scenarios(&mut c, root, &dir, &engines);
        let options = read_options(&mut c, root, &engines, lanes.first());
        let geometry = match root.get("geometry") {
            None => false,
            Some(i) => i.as_bool().unwrap_or_else(|| {
                c.at(
                    i.span(),
                    "`geometry` must be true or false (keep each row's line)",
                );
                false
            }),
        };
        let flows = crate::flows::read(&mut c, root, &dir, &engines, &mut hasher);
        if lanes.is_empty() && root.get("flows").is_none() && c.problems.is_empty() {
            c.at(
                item_line("lanes").or(Some(0..0)),
                "no lanes: give lanes = [[\"FROM\", \"TO\"], …] or lanes_file = \"lanes.csv\" (or [flows] for assignments only)",
            );
        }
        if !c.problems.is_empty() {
            c.problems.sort_by_key(|p| (p.file != file, p.line));
            return Err(job_failure(c.problems));
        }
        let hash: String = hasher.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok((
            Job {
                path: path.to_path_buf(),
                name: name.unwrap_or_default(),
                text: text.to_string(),
                hash,
                data,
                scenarios: if scenarios.is_empty() {
                    vec![BASELINE.into()]
                } else {
                    scenarios
                },
                lanes,
                chunk,
                options: options.unwrap_or_default(),
                geometry,
                flows,
            },
            engines,
        ))
    }

    /// Number of parts: scenarios × chunks of lanes.
    pub fn chunks(&self) -> usize {
        self.lanes.len().div_ceil(self.chunk)
    }
}

fn job_failure(problems: Vec<Problem>) -> Failure {
    Failure {
        code: "InvalidJob".into(),
        message: format!(
            "invalid job: {} problem(s), nothing was run (the format is in docs/batch.md)",
            problems.len()
        ),
        field: None,
        suggestions: vec![],
        problems,
    }
}

/// A lane end that resolves: a place, a city, or a `lat,lon` point.
fn check_place(engines: &Engines, input: &str) -> Result<(), String> {
    if let Some((a, b)) = input.split_once(',') {
        if a.trim().parse::<f64>().is_ok() && b.trim().parse::<f64>().is_ok() {
            return Ok(());
        }
    }
    engines
        .dataset()
        .resolve(input)
        .map(|_| ())
        .map_err(|e| corridor_engine::QueryError::from_name("lane", e).to_string())
}

fn read_lanes(
    c: &mut Checker,
    root: &toml_edit::Table,
    dir: &Path,
    engines: &Engines,
    hasher: &mut Sha256,
) -> Vec<(String, String)> {
    let mut lanes = Vec::new();
    if let Some(item) = root.get("lanes") {
        match item.as_array() {
            None => c.at(
                item.span(),
                "`lanes` must be an array of [\"FROM\", \"TO\"] pairs",
            ),
            Some(a) => {
                for v in a.iter() {
                    let pair: Option<Vec<&str>> = v
                        .as_array()
                        .and_then(|p| p.iter().map(|x| x.as_str()).collect());
                    match pair.as_deref() {
                        Some([f, t]) => {
                            for end in [f, t] {
                                if let Err(m) = check_place(engines, end) {
                                    c.at(v.span(), m);
                                }
                            }
                            lanes.push((f.to_string(), t.to_string()));
                        }
                        _ => c.at(
                            v.span(),
                            "a lane is a pair of two strings: [\"FROM\", \"TO\"]",
                        ),
                    }
                }
            }
        }
    }
    if let Some(item) = root.get("lanes_file") {
        let Some(rel) = item.as_str() else {
            c.at(item.span(), "`lanes_file` must be a string (a CSV path)");
            return lanes;
        };
        let p = dir.join(rel);
        match std::fs::read(&p) {
            Err(e) => c.at(item.span(), format!("cannot read {}: {e}", p.display())),
            Ok(bytes) => {
                hasher.update(&bytes);
                let file = p.display().to_string();
                let mut r = csv::ReaderBuilder::new()
                    .trim(csv::Trim::All)
                    .from_reader(bytes.as_slice());
                let head_ok = r
                    .headers()
                    .map(|h| h.get(0) == Some("from") && h.get(1) == Some("to"))
                    .unwrap_or(false);
                if !head_ok {
                    c.problems.push(Problem {
                        file: file.clone(),
                        line: 1,
                        message: "the header row must start with from,to".into(),
                    });
                    return lanes;
                }
                for (i, rec) in r.records().enumerate() {
                    let line = i as u64 + 2;
                    let mut bad = |m: String| {
                        c.problems.push(Problem {
                            file: file.clone(),
                            line,
                            message: m,
                        })
                    };
                    match rec {
                        Err(e) => bad(format!("not CSV: {e}")),
                        Ok(rec) => {
                            let (f, t) = (rec.get(0).unwrap_or(""), rec.get(1).unwrap_or(""));
                            if f.is_empty() || t.is_empty() {
                                bad("empty from or to".into());
                                continue;
                            }
                            for end in [f, t] {
                                if let Err(m) = check_place(engines, end) {
                                    bad(m);
                                }
                            }
                            lanes.push((f.to_string(), t.to_string()));
                        }
                    }
                }
            }
        }
    }
    if lanes.len() > MAX_LANES {
        c.at(
            root.get("lanes_file").and_then(Item::span),
            format!(
                "{} lanes: at most {MAX_LANES} in one job; split it",
                lanes.len()
            ),
        );
    }
    lanes
}

fn read_scenarios(
    c: &mut Checker,
    root: &toml_edit::Table,
    dir: &Path,
    engines: &Engines,
) -> Vec<String> {
    let Some(item) = root.get("scenarios") else {
        return vec![];
    };
    let Some(a) = item.as_array() else {
        c.at(
            item.span(),
            "`scenarios` must be an array of names or paths",
        );
        return vec![];
    };
    let shipped = corridor_scenario::shipped::names();
    let mut out = Vec::new();
    for v in a.iter() {
        let Some(s) = v.as_str() else {
            c.at(
                v.span(),
                "a scenario is a string: `baseline`, a shipped name or a TOML path",
            );
            continue;
        };
        let value = if s == BASELINE || shipped.contains(&s) {
            s.to_string()
        } else if dir.join(s).is_file() {
            dir.join(s).display().to_string()
        } else {
            c.at(
                v.span(),
                format!(
                    "unknown scenario '{s}': neither `baseline`, a shipped scenario ({}) nor a file",
                    shipped.join(", ")
                ),
            );
            continue;
        };
        if out.contains(&value) {
            c.at(v.span(), format!("scenario '{s}' is listed twice"));
            continue;
        }
        if let Err(f) = engines.get(std::slice::from_ref(&value)) {
            c.at(v.span(), format!("scenario '{s}': {}", f.message));
            c.problems.extend(f.problems);
        }
        out.push(value);
    }
    out
}

fn read_options(
    c: &mut Checker,
    root: &toml_edit::Table,
    engines: &Engines,
    first: Option<&(String, String)>,
) -> Option<TableRequest> {
    let Some(item) = root.get("options") else {
        return Some(TableRequest::default());
    };
    let Some(t) = item.as_table_like() else {
        c.at(item.span(), "`options` must be a table ([options])");
        return None;
    };
    let known: Vec<String> = field_names::<TableRequest>()
        .into_iter()
        .filter(|k| !NOT_OPTIONS.contains(&k.as_str()))
        .collect();
    let mut map = serde_json::Map::new();
    let mut spans = Vec::new();
    for (k, v) in t.iter() {
        let span = t.key(k).and_then(|k| k.span());
        if !known.iter().any(|n| n == k) {
            let why = if NOT_OPTIONS.contains(&k) {
                "is set by the job's `lanes`/`scenarios`, not in [options]".to_string()
            } else {
                format!("is not an option; options are {}", known.join(", "))
            };
            c.at(span, format!("`{k}` {why}"));
            continue;
        }
        match v.as_value() {
            Some(v) => {
                map.insert(k.to_string(), to_json(v));
                spans.push((k.to_string(), span));
            }
            None => c.at(span, format!("`{k}` must be a value")),
        }
    }
    let line_for = |field: Option<&str>| {
        field
            .and_then(|f| spans.iter().find(|(k, _)| k == f))
            .map_or(item.span(), |(_, s)| s.clone())
    };
    let req: TableRequest = match from_json(Value::Object(map)) {
        Ok(r) => r,
        Err(e) => {
            let m = e.to_string();
            let field = spans
                .iter()
                .find(|(k, _)| m.contains(&format!("`{k}`")) || m.contains(&format!("{k}:")))
                .map(|(k, _)| k.as_str());
            c.at(line_for(field), format!("[options]: {m}"));
            return None;
        }
    };
    if let (Some((f, t)), Ok(engine)) = (first, engines.get(&[])) {
        if let Err(e) = engine.check_options(&Engine::cell_request(&req, f, t)) {
            let f = Failure::from(e);
            c.at(
                line_for(f.field.as_deref()),
                format!("[options]: {}", f.message),
            );
        }
    }
    Some(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Job, Failure> {
        Job::parse(Path::new("job.toml"), text).map(|(j, _)| j)
    }

    #[test]
    fn a_good_job_reads_whole() {
        let j = parse(
            r#"name = "t"
scenarios = ["baseline", "caspian-backlog"]
lanes = [["Xi'an", "Duisburg"], ["Urumqi", "Baku"], ["43.2,76.9", "Baku"]]
chunk = 2
[options]
cargo = "2xFEU"
reliability = true
draws = 500
seed = 9
"#,
        )
        .unwrap();
        assert_eq!(j.lanes.len(), 3);
        assert_eq!(j.scenarios, vec!["baseline", "caspian-backlog"]);
        assert_eq!(j.chunks(), 2);
        assert_eq!(j.options.cargo.as_deref(), Some("2xFEU"));
        assert_eq!((j.options.draws, j.options.seed), (Some(500), Some(9)));
        assert!(j.options.reliability);
        assert_eq!(j.hash.len(), 16);
    }

    #[test]
    fn every_problem_is_named_with_its_line_before_any_work() {
        let e = parse(
            r#"name = "t"
colour = "blue"
scenarios = ["baseline", "no-such-scenario"]
lanes = [
  ["Xi'an", "Duisburg"],
  ["Aktauu", "Baku"],
  ["Urumqi"],
]
[options]
cargo = "many boxes"
wings = true
"#,
        )
        .err()
        .unwrap();
        assert_eq!(e.code, "InvalidJob");
        let lines: Vec<(u64, &str)> = e
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        let has =
            |line: u64, words: &str| lines.iter().any(|(l, m)| *l == line && m.contains(words));
        assert!(has(2, "unknown key `colour`"), "{lines:?}");
        assert!(has(3, "unknown scenario 'no-such-scenario'"), "{lines:?}");
        assert!(has(6, "unknown place 'Aktauu'"), "{lines:?}");
        assert!(has(7, "a lane is a pair"), "{lines:?}");
        assert!(has(10, "cargo 'many boxes' is not understood"), "{lines:?}");
        assert!(has(11, "`wings` is not an option"), "{lines:?}");
        assert_eq!(lines.len(), 6, "{lines:?}");
        // Alone, the bad value is named on its own line.
        let e = parse("name = \"t\"\nlanes = [[\"Xi'an\", \"Duisburg\"]]\n[options]\ncargo = \"many boxes\"\n")
            .err()
            .unwrap();
        assert_eq!(e.problems.len(), 1, "{:?}", e.problems);
        assert_eq!(e.problems[0].line, 4, "{:?}", e.problems);
        assert!(e.problems[0].message.contains("cargo"), "{:?}", e.problems);
    }

    #[test]
    fn not_toml_and_no_lanes_are_errors_with_lines() {
        let e = parse("name = \"t\"\nlanes = [[\"a\",\n").err().unwrap();
        assert_eq!(e.problems[0].line, 3, "{:?}", e.problems);
        let e = parse("name = \"t\"\n").err().unwrap();
        assert!(
            e.problems[0].message.contains("no lanes"),
            "{:?}",
            e.problems
        );
    }

    #[test]
    fn a_lanes_file_is_read_and_checked_by_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("l.csv"),
            "from,to\nXi'an,Duisburg\nAktauu,Baku\n",
        )
        .unwrap();
        let p = dir.path().join("job.toml");
        std::fs::write(&p, "name = \"t\"\nlanes_file = \"l.csv\"\n").unwrap();
        let e = Job::load(&p).err().unwrap();
        assert_eq!(e.problems.len(), 1);
        assert!(e.problems[0].file.ends_with("l.csv") && e.problems[0].line == 3);
    }
}
