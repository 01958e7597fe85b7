//! Overlays: a data folder that holds only the rows a user adds, changes or removes, laid over
//! the embedded default network or over another folder (docs/data-format.md, "Overlays").
//!
//! A folder is an overlay when its `meta.csv` has a `base` row (`embedded` or a folder path,
//! relative to the overlay). Its files have the names and columns of a data folder, all
//! optional. Each file's rows are keyed ([`key_columns`]: `id` for most files): a row whose key
//! the layers below have replaces that row in place, a new key adds a row at the end, and
//! `remove.csv` (`file,id,reason`) removes rows explicitly. The derived `link_geometry.csv` row
//! of a link that an overlay replaces or removes is dropped with it (unless the overlay gives
//! its own), so a changed length is not reported as a stale measurement.
//!
//! Problems name their layer: `OVERLAY/links.csv:3` for a line of an overlay, `embedded/…` or
//! `BASE/…` for a line of a layer below. To say that after the merge, each record's line is
//! shifted by its layer's number × `STRIDE` while the merged records are checked, and shifted
//! back before the dataset is built.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::constraints::{CargoRule, ComplianceRule, CustomsRule};
use crate::dataset::{LayerInfo, Provenance};
use crate::geometry::LinkGeometry;
use crate::load::{self, read_csv, Family, FromRow, RawFiles, Records, REMOVE_FILE};
use crate::model::*;
use crate::problem::{suggest_id, Problem};
use crate::{validate, DataError, Dataset};

/// Lines of layer `k` are shifted by `k * STRIDE` while the merged records are checked.
const STRIDE: u64 = 1 << 40;

/// Most layers in a stack (a base chain longer than this is taken for a mistake).
const MAX_LAYERS: usize = 16;

/// The label of the embedded network as a layer in problems (`embedded/places.csv:12`).
const EMBEDDED_PREFIX: &str = "embedded";

/// A record type whose rows an overlay replaces by key.
pub(crate) trait Keyed: Family {
    /// The key columns, as documented.
    const KEY: &'static [&'static str];
    /// The row's key: the key columns' values joined by `/`, lists by `|` in file order.
    fn key(&self) -> String;
    /// The row's line.
    fn line_mut(&mut self) -> &mut u64;
}

macro_rules! keyed_by_id {
    ($($t:ty),*) => {
        $(impl Keyed for $t {
            const KEY: &'static [&'static str] = &["id"];
            fn key(&self) -> String {
                self.id.clone()
            }
            fn line_mut(&mut self) -> &mut u64 {
                &mut self.line
            }
        })*
    };
}

keyed_by_id!(
    Source,
    Group,
    Place,
    Link,
    EmissionFactor,
    HubFactor,
    CargoRule,
    CustomsRule,
    ComplianceRule,
    Distribution
);

macro_rules! keyed {
    ($t:ty, [$($col:literal),+], |$s:ident| $key:expr) => {
        impl Keyed for $t {
            const KEY: &'static [&'static str] = &[$($col),+];
            fn key(&self) -> String {
                let $s = self;
                $key
            }
            fn line_mut(&mut self) -> &mut u64 {
                &mut self.line
            }
        }
    };
}

keyed!(Fx, ["currency"], |s| s.currency.clone());
keyed!(GridFactor, ["country"], |s| s.country.clone());
keyed!(LinkGeometry, ["link"], |s| s.link.clone());
keyed!(crate::traction::Traction, ["link"], |s| s.link.clone());
keyed!(crate::driving::DrivingRule, ["country"], |s| s
    .country
    .clone());
keyed!(crate::flows::Capacity, ["id"], |s| s.id.clone());
keyed!(
    crate::flows::DemandRow,
    ["from", "to", "commodity"],
    |s| format!("{}/{}/{}", s.from, s.to, s.commodity)
);
keyed!(PollutantFactor, ["factor", "pollutant"], |s| format!(
    "{}/{}",
    s.factor, s.pollutant
));
keyed!(
    Transfer,
    ["place", "place_kinds", "from_carrier", "to_carrier"],
    |s| format!(
        "{}/{}/{}/{}",
        s.place.as_deref().unwrap_or("*"),
        s.place_kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        carrier(&s.from),
        carrier(&s.to)
    )
);
keyed!(
    Service,
    ["link", "weekdays", "departure_local"],
    |s| format!(
        "{}/{}/{}",
        s.link,
        s.weekdays
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("|"),
        s.departure_local.format("%H:%M")
    )
);
keyed!(Closure, ["link", "place", "from_date"], |s| format!(
    "{}/{}/{}",
    s.link.as_deref().unwrap_or(""),
    s.place.as_deref().unwrap_or(""),
    s.from_date
));

fn carrier(c: &CarrierPattern) -> String {
    match c.gauge_mm {
        Some(g) => format!("{}:{g}", c.carries.as_str()),
        None => c.carries.as_str().to_string(),
    }
}

/// Where one overlay is in the stack, and what it has done so far.
struct MergeCx<'a> {
    /// The overlay's number (the base is 0).
    k: u64,
    /// Its prefix in problems (the folder path).
    prefix: &'a str,
    /// Keys removed by its `remove.csv`: (file, key) → line.
    removed: HashMap<(&'static str, String), u64>,
    problems: Vec<Problem>,
}

impl MergeCx<'_> {
    fn push(&mut self, file: &str, line: u64, message: String) {
        self.problems.push(Problem {
            file: format!("{}/{file}", self.prefix),
            line,
            message,
        });
    }
}

/// What the merge does with one file's rows.
struct Ops {
    file: &'static str,
    key: &'static [&'static str],
    /// Lays the overlay's rows over the merged rows.
    merge: fn(&mut Records, &mut Records, &mut MergeCx<'_>),
    /// Removes the row with a key; false when there is none.
    remove: fn(&mut Records, &str) -> bool,
    /// Rewrites every row's line.
    relines: fn(&mut Records, &dyn Fn(u64) -> u64),
}

keyed!(SeaRate, ["link", "valid_from"], |s| format!(
    "{}/{}",
    s.link, s.valid_from
));

const fn ops<T: Keyed>() -> Ops {
    Ops {
        file: T::FILE,
        key: T::KEY,
        merge: merge_rows::<T>,
        remove: |r, key| {
            let rows = T::rows(r);
            match rows.iter().position(|x| x.key() == key) {
                Some(i) => {
                    rows.remove(i);
                    true
                }
                None => false,
            }
        },
        relines: |r, f| {
            for x in T::rows(r).iter_mut() {
                let l = x.line_mut();
                *l = f(*l);
            }
        },
    }
}

/// Every file with keyed rows.
const OPS: [Ops; 22] = [
    ops::<Source>(),
    ops::<Group>(),
    ops::<Place>(),
    ops::<Link>(),
    ops::<Transfer>(),
    ops::<Fx>(),
    ops::<EmissionFactor>(),
    ops::<Service>(),
    ops::<Closure>(),
    ops::<SeaRate>(),
    ops::<GridFactor>(),
    ops::<HubFactor>(),
    ops::<LinkGeometry>(),
    ops::<PollutantFactor>(),
    ops::<CargoRule>(),
    ops::<CustomsRule>(),
    ops::<ComplianceRule>(),
    ops::<Distribution>(),
    ops::<crate::traction::Traction>(),
    ops::<crate::driving::DrivingRule>(),
    ops::<crate::flows::Capacity>(),
    ops::<crate::flows::DemandRow>(),
];

/// The key columns of each file that overlays key rows by (for docs and messages).
pub fn key_columns() -> Vec<(&'static str, &'static [&'static str])> {
    OPS.iter().map(|o| (o.file, o.key)).collect()
}

fn merge_rows<T: Keyed>(acc: &mut Records, over: &mut Records, cx: &mut MergeCx<'_>) {
    let rows = std::mem::take(T::rows(over));
    let acc_rows = T::rows(acc);
    let index: HashMap<String, usize> = acc_rows
        .iter()
        .enumerate()
        .map(|(i, x)| (x.key(), i))
        .collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for mut x in rows {
        let key = x.key();
        let line = *x.line_mut();
        if let Some(first) = seen.insert(key.clone(), line) {
            cx.push(
                T::FILE,
                line,
                format!(
                    "{} '{key}' appears twice in this overlay (first at line {first}): give each row once",
                    T::KEY.join("/")
                ),
            );
            continue;
        }
        if let Some(r) = cx.removed.get(&(T::FILE, key.clone())) {
            cx.push(
                T::FILE,
                line,
                format!(
                    "'{key}' is both removed ({REMOVE_FILE}:{r}) and given here: a row given in an overlay already replaces the one below, so drop the removal"
                ),
            );
            continue;
        }
        *x.line_mut() = line + cx.k * STRIDE;
        match index.get(&key) {
            Some(&i) => acc_rows[i] = x,
            None => acc_rows.push(x),
        }
    }
}

/// One layer read from disk (or the embedded network), before parsing.
struct Layer {
    /// Label in the dataset's layers (`embedded default network` or the folder).
    label: String,
    /// Prefix in problems (`embedded` or the folder).
    prefix: String,
    raw: RawFiles,
    overlay: bool,
}

/// The `base` row of a folder's `meta.csv`, with its line, if the folder is an overlay.
pub(crate) fn overlay_base(dir: &Path) -> Option<(String, u64)> {
    let text = std::fs::read_to_string(dir.join("meta.csv")).ok()?;
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    for rec in rdr.records().flatten() {
        if rec.get(0).map(str::trim) == Some("base") {
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            return Some((rec.get(1).unwrap_or("").trim().to_string(), line));
        }
    }
    None
}

fn prefixed(prefix: &str, problems: Vec<Problem>) -> Vec<Problem> {
    problems
        .into_iter()
        .map(|p| Problem {
            file: format!("{prefix}/{}", p.file),
            ..p
        })
        .collect()
}

/// Reads the stack of layers under an overlay folder, bottom first.
fn collect(dir: &Path) -> Result<Vec<Layer>, Vec<Problem>> {
    let mut stack: Vec<Layer> = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut here = dir.to_path_buf();
    loop {
        let label = here.display().to_string();
        if let Ok(c) = here.canonicalize() {
            if !seen.insert(c) {
                return Err(vec![Problem {
                    file: format!("{}/meta.csv", stack.last().map_or(&label, |l| &l.prefix)),
                    line: 0,
                    message: format!("base leads back to {label}: overlays cannot form a circle"),
                }]);
            }
        }
        let Some((base, line)) = overlay_base(&here) else {
            // The bottom: a whole folder.
            let raw = RawFiles::read_dir(&here).map_err(|p| prefixed(&label, p))?;
            stack.push(Layer {
                prefix: label.clone(),
                label,
                raw,
                overlay: false,
            });
            break;
        };
        let raw = RawFiles::read_overlay_dir(&here).map_err(|p| prefixed(&label, p))?;
        stack.push(Layer {
            prefix: label.clone(),
            label: label.clone(),
            raw,
            overlay: true,
        });
        if stack.len() > MAX_LAYERS {
            return Err(vec![Problem {
                file: format!("{label}/meta.csv"),
                line,
                message: format!("more than {MAX_LAYERS} layers of overlays: check the base rows"),
            }]);
        }
        match base.as_str() {
            "embedded" => {
                stack.push(Layer {
                    label: "embedded default network".into(),
                    prefix: EMBEDDED_PREFIX.into(),
                    raw: Dataset::embedded_raw(),
                    overlay: false,
                });
                break;
            }
            "" => {
                return Err(vec![Problem {
                    file: format!("{label}/meta.csv"),
                    line,
                    message: "base is empty: write `base,embedded` for the default network or `base,FOLDER` (a path relative to this folder)".into(),
                }])
            }
            b => {
                let next = here.join(b);
                if !next.is_dir() {
                    return Err(vec![Problem {
                        file: format!("{label}/meta.csv"),
                        line,
                        message: format!(
                            "base '{b}' is not a folder ({} does not exist): write `base,embedded` for the default network or a path relative to this folder",
                            next.display()
                        ),
                    }]);
                }
                here = next;
            }
        }
    }
    stack.reverse();
    Ok(stack)
}

/// Reads the rows of `remove.csv` and removes them from `acc`.
fn apply_removals(text: &str, acc: &mut Records, cx: &mut MergeCx<'_>) -> HashSet<String> {
    let mut rows: Vec<(String, String, u64)> = Vec::new();
    let mut problems = Vec::new();
    read_csv(
        REMOVE_FILE,
        text,
        &["file", "id", "reason"],
        &[],
        &mut problems,
        |row| {
            let file = row.req_str("file");
            let id = row.req_str("id");
            row.req_str("reason");
            if row.ok {
                rows.push((file, id, row.line));
            }
        },
    );
    for p in problems {
        cx.push(&p.file, p.line, p.message);
    }
    let mut removed_links = HashSet::new();
    for (file, id, line) in rows {
        let Some(op) = OPS.iter().find(|o| o.file == file) else {
            let hint = suggest_id(&file, OPS.iter().map(|o| o.file));
            let msg = if file == "meta.csv" {
                "meta.csv rows are not removed: give the key with its new value instead".to_string()
            } else {
                format!(
                    "file '{file}' is not a file with rows to remove{hint} (one of {})",
                    OPS.iter().map(|o| o.file).collect::<Vec<_>>().join(", ")
                )
            };
            cx.push(REMOVE_FILE, line, msg);
            continue;
        };
        if let Some(first) = cx.removed.get(&(op.file, id.clone())) {
            cx.push(
                REMOVE_FILE,
                line,
                format!("'{id}' of {file} is removed twice (first at line {first})"),
            );
            continue;
        }
        if !(op.remove)(acc, &id) {
            cx.push(
                REMOVE_FILE,
                line,
                format!(
                    "{file} has no row '{id}' in the layers below to remove (the key is {})",
                    op.key.join("/")
                ),
            );
            continue;
        }
        if op.file == Link::FILE {
            removed_links.insert(id.clone());
        }
        cx.removed.insert((op.file, id), line);
    }
    removed_links
}

/// Loads an overlay folder over its base(s): parse every layer, merge, check the merged
/// records, and name each problem's layer.
pub(crate) fn load_overlay(dir: &Path) -> Result<Dataset, DataError> {
    let label = dir.display().to_string();
    let fail = |problems: Vec<Problem>| DataError::new(label.clone(), problems);
    let layers = collect(dir).map_err(fail)?;
    let mut problems = Vec::new();
    let mut acc = Records::default();
    for (k, layer) in layers.iter().enumerate() {
        let (mut over, parse_problems) = load::parse_layer(&layer.raw, layer.overlay);
        problems.extend(prefixed(&layer.prefix, parse_problems));
        if k == 0 {
            acc = over;
            continue;
        }
        let mut cx = MergeCx {
            k: k as u64,
            prefix: &layer.prefix,
            removed: HashMap::new(),
            problems: Vec::new(),
        };
        let mut touched: HashSet<String> = match layer.raw.files.get(REMOVE_FILE) {
            Some(t) => apply_removals(t, &mut acc, &mut cx),
            None => HashSet::new(),
        };
        touched.extend(over.links.iter().map(|l| l.id.clone()));
        let meta = std::mem::take(&mut over.meta);
        for (given, into) in [
            (meta.name, &mut acc.meta.name),
            (meta.version, &mut acc.meta.version),
            (meta.as_of, &mut acc.meta.as_of),
        ] {
            if !given.is_empty() {
                *into = given;
            }
        }
        let given_geometry: HashSet<String> =
            over.link_geometry.iter().map(|g| g.link.clone()).collect();
        for op in &OPS {
            (op.merge)(&mut acc, &mut over, &mut cx);
        }
        // A derived measurement follows its link: the row below goes with the link it measured.
        acc.link_geometry
            .retain(|g| !touched.contains(&g.link) || given_geometry.contains(&g.link));
        problems.extend(cx.problems);
    }
    // Cross-file checks on the merged whole, each problem named by the layer of its line.
    // Only the top layer's own sources must each be cited (see `validate_with`).
    let top = layers.len().saturating_sub(1) as u64;
    for mut p in validate::validate_with(&acc, &[], &|line| line / STRIDE >= top) {
        p.message = unshift_lines(&p.message, &layers);
        if p.line > 0 {
            let k = (p.line / STRIDE) as usize;
            p.line %= STRIDE;
            if let Some(layer) = layers.get(k) {
                p.file = format!("{}/{}", layer.prefix, p.file);
            }
        }
        problems.push(p);
    }
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(fail(problems));
    }
    // Review notes named by the layer of their lines, before the lines are taken back.
    let mut shared: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for line in crate::provenance::shared_source_lines(&acc) {
        shared.entry(line / STRIDE).or_default().push(line % STRIDE);
    }
    let review: Vec<Problem> = shared
        .into_iter()
        .filter_map(|(k, lines)| {
            let layer = layers.get(k as usize)?;
            crate::provenance::shared_source_note(format!("{}/transfers.csv", layer.prefix), &lines)
        })
        .collect();
    for op in &OPS {
        (op.relines)(&mut acc, &|l| l % STRIDE);
    }
    let provenance = Provenance::layered(
        layers
            .iter()
            .map(|l| LayerInfo {
                label: l.label.clone(),
                hash: l.raw.content_hash(),
            })
            .collect(),
    );
    let mut ds = Dataset::indexed(&label, provenance, acc);
    ds.review = review;
    Ok(ds)
}

/// A message that quotes another row's line (`links.csv line N`) quotes it shifted; this
/// writes it back as the line in its layer.
fn unshift_lines(message: &str, layers: &[Layer]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        match digits.parse::<u64>() {
            Ok(n) if n >= STRIDE => {
                let k = (n / STRIDE) as usize;
                let layer = layers.get(k).map_or("?", |l| l.prefix.as_str());
                out.push_str(&format!("{} (in {layer})", n % STRIDE));
            }
            _ => out.push_str(digits),
        }
        digits.clear();
    };
    for c in message.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_lines_in_messages_are_written_back_with_their_layer() {
        let layer = |prefix: &str| Layer {
            label: prefix.into(),
            prefix: prefix.into(),
            raw: RawFiles::default(),
            overlay: false,
        };
        let layers = [layer("embedded"), layer("ov")];
        assert_eq!(
            unshift_lines(
                &format!("links.csv line {} now states 12 km", STRIDE + 7),
                &layers
            ),
            "links.csv line 7 (in ov) now states 12 km"
        );
        assert_eq!(unshift_lines("line 7, 8 km", &layers), "line 7, 8 km");
    }
}
