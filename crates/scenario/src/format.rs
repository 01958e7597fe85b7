//! The scenario file format: TOML text → a checked [`Scenario`], every problem as file:line.
//!
//! The text is read with the `toml` crate keeping spans ([`toml::Spanned`]), so a malformed
//! file, an unknown key, a factor of 0 or a reversed date range names the line it is on. What a
//! selector matches is only known against the records; [`crate::apply`] reports a selector that
//! matches nothing at the line of its change. The format is described in `docs/scenarios.md`.

use chrono::NaiveDate;
use corridor_data::constraints::{Goods, Regime};
use corridor_data::{CostUnit, Mode, PlaceKind, Price, Range3, Status, TransferKind};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::error::{line_of, Problems, ScenarioError};

/// A checked scenario: what it changes, in order, and where each change is in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short name (shipped scenarios: the file stem).
    pub name: String,
    /// What the scenario asks.
    pub description: String,
    /// The scenario's main source (an id in `sources.csv`, in this file's `[[sources]]`, or a
    /// citation).
    pub source: String,
    /// The date the scenario's figures are as of, if given.
    pub as_of: Option<NaiveDate>,
    /// Sources the file cites that the data folder does not have; added to the records' sources.
    pub sources: Vec<ScenarioSource>,
    /// The changes, applied in file order.
    pub changes: Vec<Change>,
    /// Where the text came from (a path, or `scenarios/NAME.toml`), for messages.
    pub file: String,
    /// SHA-256 of the file's text (lowercase hex, 64 characters): names the exact text in answers.
    pub hash: String,
}

impl Scenario {
    /// The first 16 hex characters of [`Scenario::hash`] (as the data hash is shown).
    pub fn short_hash(&self) -> &str {
        &self.hash[..16]
    }
}

/// A source a scenario cites (a `[[sources]]` entry): the columns of `sources.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSource {
    /// Source id, unique in the data and the scenario.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// URL, may be empty.
    pub url: String,
    /// Date or year.
    pub date: String,
    /// Note; `estimate: how` for derived figures.
    pub note: String,
    /// Line of the entry in the scenario file.
    pub line: u64,
}

/// What kind of record a change selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Rows of `links.csv` (every mode, border links included).
    Links,
    /// Border links only (links of mode `border`).
    Borders,
    /// Places: their transfers (dwell) or the links that touch them (closures).
    Places,
    /// Rows of `transfers.csv` (lifts, gauge changes, roll-on, handling).
    Transfers,
}

impl Target {
    /// The name in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Links => "links",
            Target::Borders => "borders",
            Target::Places => "places",
            Target::Transfers => "transfers",
        }
    }
}

/// Which records a change applies to: every given field must match (AND); within a field any
/// value may (OR).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selector {
    /// Exact ids: link ids (links, borders) or place ids (places).
    pub ids: Vec<String>,
    /// Place kinds (places) or transfer kinds (transfers), as in the CSV files.
    pub kinds: Vec<String>,
    /// Link modes.
    pub modes: Vec<Mode>,
    /// ISO countries: a link touches one by its end places or its `countries`; a place or a
    /// transfer's place lies in it.
    pub countries: Vec<String>,
    /// Passages a link runs through (`bab_el_mandeb`, `suez`, `cape_of_good_hope`, …).
    pub passages: Vec<String>,
    /// Place ids: links that start or end there, transfers there.
    pub places: Vec<String>,
    /// Link statuses.
    pub statuses: Vec<Status>,
}

/// A change of hours: added (may be negative, the result may not be) or multiplied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Adjust {
    /// Hours added to typical, low and high.
    Add(f64),
    /// Factor on typical, low and high (finite, > 0).
    Factor(f64),
}

impl Adjust {
    /// Applies the change to a range.
    pub fn apply(self, r: Range3) -> Range3 {
        match self {
            Adjust::Add(h) => Range3 {
                typical: r.typical + h,
                low: r.low + h,
                high: r.high + h,
            },
            Adjust::Factor(f) => Range3 {
                typical: r.typical * f,
                low: r.low * f,
                high: r.high * f,
            },
        }
    }
}

/// A change of the per-departure capacity.
#[derive(Debug, Clone, PartialEq)]
pub enum CapacityChange {
    /// Factor on the link's capacity figure.
    Factor(f64),
    /// A new figure, with its unit when the link has none (`trucks_per_sailing`, …).
    Set {
        /// The figure.
        value: f64,
        /// Its unit; `None` keeps the link's.
        unit: Option<String>,
    },
}

/// A change of price.
#[derive(Debug, Clone, PartialEq)]
pub enum CostChange {
    /// Factor on the fixed and per-km parts.
    Factor(f64),
    /// A new price replacing the old.
    Set(Price),
}

/// What a change does.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Extra wait for a departure (links).
    Wait(Adjust),
    /// Extra dwell: border or port stay (links), the transfers at a place, or transfers.
    Dwell(Adjust),
    /// Closed: without dates for the whole scenario (links set `suspended`), with dates as
    /// `closures.csv` rows (applied with `--depart`/`--arrive-by`).
    Close {
        /// First closed day.
        from: Option<NaiveDate>,
        /// Last closed day (inclusive).
        to: Option<NaiveDate>,
    },
    /// Capacity per departure (links).
    Capacity(CapacityChange),
    /// Price (links, transfers).
    Cost(CostChange),
    /// Planned, under-construction or suspended links switched on (status `operating`).
    Open,
    /// A customs regime made the default at border links: its dwell replaces the link's own.
    CustomsDefault {
        /// The regime.
        regime: Regime,
        /// The goods the regime is for, as the customs row states them (`None`: any goods).
        goods: Option<Goods>,
        /// The dwell under the regime where `customs.csv` has no row for the link (a row is
        /// then added, so `--customs` finds it too).
        dwell_h: Option<Range3>,
    },
}

impl Operation {
    /// Short name of the operation (the TOML key).
    pub fn key(&self) -> &'static str {
        match self {
            Operation::Wait(_) => "wait_h",
            Operation::Dwell(_) => "dwell_h",
            Operation::Close { .. } => "close",
            Operation::Capacity(_) => "capacity",
            Operation::Cost(_) => "cost",
            Operation::Open => "open",
            Operation::CustomsDefault { .. } => "customs_default",
        }
    }
}

/// One change of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Line of the change in the file (its `[[change]]` header).
    pub line: u64,
    /// Why (shown in reports and closure explanations).
    pub reason: String,
    /// Source id of the figure (in `sources.csv` or the scenario's `[[sources]]`).
    pub source: String,
    /// Line of `source`.
    pub source_line: u64,
    /// What kind of record it selects.
    pub target: Target,
    /// Which records.
    pub select: Selector,
    /// Line of `select`.
    pub select_line: u64,
    /// What it does to them.
    pub op: Operation,
}

// ---------------------------------------------------------------------------------------------
// Raw TOML shape (serde), with spans.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    name: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    as_of: Option<Spanned<toml::Value>>,
    #[serde(default)]
    sources: Vec<Spanned<RawSource>>,
    #[serde(default)]
    change: Vec<Spanned<RawChange>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: Spanned<String>,
    title: String,
    publisher: String,
    #[serde(default)]
    url: String,
    date: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    reason: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    on: Option<Spanned<String>>,
    select: Option<Spanned<RawSelect>>,
    wait_h: Option<Spanned<RawAdjust>>,
    dwell_h: Option<Spanned<RawAdjust>>,
    close: Option<Spanned<RawClose>>,
    capacity: Option<Spanned<RawCapacity>>,
    cost: Option<Spanned<RawCost>>,
    open: Option<Spanned<bool>>,
    customs_default: Option<Spanned<RawCustoms>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSelect {
    id: Option<Spanned<toml::Value>>,
    kind: Option<Spanned<toml::Value>>,
    mode: Option<Spanned<toml::Value>>,
    country: Option<Spanned<toml::Value>>,
    passage: Option<Spanned<toml::Value>>,
    place: Option<Spanned<toml::Value>>,
    status: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdjust {
    add: Option<Spanned<f64>>,
    factor: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClose {
    from: Option<Spanned<toml::Value>>,
    to: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapacity {
    factor: Option<Spanned<f64>>,
    set: Option<Spanned<f64>>,
    unit: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCost {
    factor: Option<Spanned<f64>>,
    fixed: Option<Spanned<f64>>,
    per_km: Option<Spanned<f64>>,
    unit: Option<Spanned<String>>,
    currency: Option<Spanned<String>>,
    price_year: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCustoms {
    regime: Spanned<String>,
    goods: Option<Spanned<String>>,
    dwell_h: Option<Spanned<Vec<f64>>>,
}

// ---------------------------------------------------------------------------------------------

/// SHA-256 of a scenario's text, lowercase hex (64 characters).
pub fn hash_text(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses and checks a scenario's text. `file` labels messages (`file:line: …`).
///
/// Checks everything that does not need the data: the TOML, unknown keys, a missing `reason`
/// or `source`, exactly one operation per change, factors (finite, > 0), hours (finite), dates
/// (valid, `from` ≤ `to`), names of modes, kinds, statuses, regimes and units.
pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
        let msg = e.message().trim().to_string();
        ScenarioError::one(
            file,
            line,
            format!("{msg} (scenario files are TOML; see docs/scenarios.md)"),
        )
    })?;
    let mut p = Problems::new(file, text);
    let name = required_text(&mut p, raw.name, "name", "name = \"caspian-backlog\"");
    let description = required_text(
        &mut p,
        raw.description,
        "description",
        "description = \"what the scenario asks\"",
    );
    let source = required_text(
        &mut p,
        raw.source,
        "source",
        "source = \"SRC-…\" (an id in sources.csv or [[sources]]) or a citation",
    );
    let as_of = raw.as_of.and_then(|v| date(&mut p, &v, "as_of"));
    let mut sources = Vec::new();
    for s in raw.sources {
        let line = p.line_of(s.span().start);
        let s = s.into_inner();
        if s.id.get_ref().trim().is_empty() {
            p.at(s.id.span().start, "a [[sources]] entry needs an id");
        }
        sources.push(ScenarioSource {
            id: s.id.into_inner().trim().to_string(),
            title: s.title,
            publisher: s.publisher,
            url: s.url,
            date: s.date,
            note: s.note,
            line,
        });
    }
    for (i, s) in sources.iter().enumerate() {
        if sources[..i].iter().any(|o| o.id == s.id) {
            p.list.push(crate::ScenarioProblem {
                line: s.line,
                message: format!("source id '{}' appears twice in [[sources]]", s.id),
            });
        }
    }
    if raw.change.is_empty() {
        p.list.push(crate::ScenarioProblem {
            line: 0,
            message: "has no [[change]]: a scenario lists at least one change".into(),
        });
    }
    let mut changes = Vec::new();
    for c in raw.change {
        if let Some(c) = change(&mut p, c) {
            changes.push(c);
        }
    }
    for s in &sources {
        let cited = changes.iter().any(|c| c.source == s.id) || source == s.id;
        if !cited {
            p.list.push(crate::ScenarioProblem {
                line: s.line,
                message: format!(
                    "source '{}' is cited by no change: remove it or cite it in a change's source",
                    s.id
                ),
            });
        }
    }
    p.finish()?;
    Ok(Scenario {
        name,
        description,
        source,
        as_of,
        sources,
        changes,
        file: file.to_string(),
        hash: hash_text(text),
    })
}

fn required_text(
    p: &mut Problems<'_>,
    v: Option<Spanned<String>>,
    key: &str,
    example: &str,
) -> String {
    match v {
        Some(s) if !s.get_ref().trim().is_empty() => s.into_inner().trim().to_string(),
        Some(s) => {
            p.at(s.span().start, format!("`{key}` is empty (e.g. {example})"));
            String::new()
        }
        None => {
            p.list.push(crate::ScenarioProblem {
                line: 1,
                message: format!("missing `{key}` at the top of the file (e.g. {example})"),
            });
            String::new()
        }
    }
}

fn change(p: &mut Problems<'_>, c: Spanned<RawChange>) -> Option<Change> {
    let start = c.span().start;
    let line = header_line(p, start);
    let c = c.into_inner();
    let reason = match c.reason {
        Some(r) if !r.get_ref().trim().is_empty() => r.into_inner().trim().to_string(),
        _ => {
            p.list.push(crate::ScenarioProblem {
                line,
                message: "change has no `reason`: say why (reason = \"…\")".into(),
            });
            String::new()
        }
    };
    let (source, source_line) = match c.source {
        Some(s) if !s.get_ref().trim().is_empty() => {
            let l = p.line_of(s.span().start);
            (s.into_inner().trim().to_string(), l)
        }
        _ => {
            p.list.push(crate::ScenarioProblem {
                line,
                message: "change has no `source`: cite the figure (source = \"SRC-…\", an id in sources.csv or in this file's [[sources]])".into(),
            });
            (String::new(), line)
        }
    };
    let target = match &c.on {
        None => Target::Links,
        Some(on) => match on.get_ref().trim() {
            "links" => Target::Links,
            "borders" => Target::Borders,
            "places" => Target::Places,
            "transfers" => Target::Transfers,
            other => {
                p.at(
                    on.span().start,
                    format!("on = \"{other}\" is not links, borders, places or transfers"),
                );
                return None;
            }
        },
    };
    let Some(sel) = c.select else {
        p.list.push(crate::ScenarioProblem {
            line,
            message: "change has no `select`: say which records it changes (e.g. select = { mode = \"ferry\", country = [\"AZ\", \"KZ\", \"TM\"] })".into(),
        });
        return None;
    };
    let select_line = p.line_of(sel.span().start);
    let sel_at = sel.span().start;
    let select = selector(p, sel_at, sel.into_inner(), target)?;
    let mut ops: Vec<(usize, Operation)> = Vec::new();
    if let Some(a) = c.wait_h {
        ops.push((a.span().start, Operation::Wait(adjust(p, a)?)));
    }
    if let Some(a) = c.dwell_h {
        ops.push((a.span().start, Operation::Dwell(adjust(p, a)?)));
    }
    if let Some(cl) = c.close {
        ops.push((cl.span().start, close(p, cl)?));
    }
    if let Some(cap) = c.capacity {
        ops.push((cap.span().start, capacity(p, cap)?));
    }
    if let Some(cost) = c.cost {
        ops.push((cost.span().start, cost_change(p, cost)?));
    }
    if let Some(o) = c.open {
        if !*o.get_ref() {
            p.at(
                o.span().start,
                "open = false changes nothing: write open = true or remove the change",
            );
            return None;
        }
        ops.push((o.span().start, Operation::Open));
    }
    if let Some(cu) = c.customs_default {
        ops.push((cu.span().start, customs(p, cu)?));
    }
    if ops.len() != 1 {
        let msg = if ops.is_empty() {
            "change has no operation: give one of wait_h, dwell_h, close, capacity, cost, open, customs_default".to_string()
        } else {
            let keys: Vec<&str> = ops.iter().map(|(_, o)| o.key()).collect();
            format!(
                "change has {} operations ({}): write one [[change]] per operation",
                ops.len(),
                keys.join(", ")
            )
        };
        p.list.push(crate::ScenarioProblem { line, message: msg });
        return None;
    }
    let (op_at, op) = ops.remove(0);
    let allowed: &[Target] = match op {
        Operation::Wait(_) | Operation::Capacity(_) | Operation::Open => {
            &[Target::Links, Target::Borders]
        }
        Operation::Dwell(_) => &[
            Target::Links,
            Target::Borders,
            Target::Places,
            Target::Transfers,
        ],
        Operation::Close { .. } => &[Target::Links, Target::Borders, Target::Places],
        Operation::Cost(_) => &[Target::Links, Target::Borders, Target::Transfers],
        Operation::CustomsDefault { .. } => &[Target::Borders],
    };
    if !allowed.contains(&target) {
        let names: Vec<&str> = allowed.iter().map(|t| t.as_str()).collect();
        p.at(
            op_at,
            format!(
                "`{}` does not apply to {}: use on = {}",
                op.key(),
                target.as_str(),
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        );
        return None;
    }
    Some(Change {
        line,
        reason,
        source,
        source_line,
        target,
        select,
        select_line,
        op,
    })
}

/// The line of a `[[change]]` header: the span of an array-of-tables entry may start at its
/// first key, so look back for the header.
fn header_line(p: &Problems<'_>, start: usize) -> u64 {
    let line = p.line_of(start);
    let text = p.text();
    let lines: Vec<&str> = text.lines().collect();
    let mut l = line as usize;
    while l >= 1 {
        if let Some(t) = lines.get(l - 1) {
            if t.trim_start().starts_with("[[change]]") {
                return l as u64;
            }
        }
        l -= 1;
    }
    line
}

fn strings(p: &mut Problems<'_>, v: &Spanned<toml::Value>, key: &str) -> Option<Vec<String>> {
    let out: Option<Vec<String>> = match v.get_ref() {
        toml::Value::String(s) => Some(vec![s.trim().to_string()]),
        toml::Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().map(|s| s.trim().to_string()))
            .collect(),
        _ => None,
    };
    match out {
        Some(list) if !list.is_empty() && list.iter().all(|s| !s.is_empty()) => Some(list),
        _ => {
            p.at(
                v.span().start,
                format!("select.{key} must be a non-empty string or a list of non-empty strings"),
            );
            None
        }
    }
}

fn selector(p: &mut Problems<'_>, at: usize, s: RawSelect, target: Target) -> Option<Selector> {
    let mut out = Selector::default();
    let mut ok = true;
    let link_only = |p: &mut Problems<'_>, v: &Spanned<toml::Value>, key: &str| {
        if matches!(target, Target::Places | Target::Transfers) {
            p.at(
                v.span().start,
                format!(
                    "select.{key} selects links; with on = \"{}\" use id, kind, country or place",
                    target.as_str()
                ),
            );
            false
        } else {
            true
        }
    };
    if let Some(v) = &s.id {
        if target == Target::Transfers {
            p.at(
                v.span().start,
                "transfers have no id: select them by place, country or kind",
            );
            ok = false;
        } else if let Some(l) = strings(p, v, "id") {
            out.ids = l;
        } else {
            ok = false;
        }
    }
    if let Some(v) = &s.kind {
        match target {
            Target::Links | Target::Borders => {
                p.at(v.span().start, "links have no kind: select them by mode, id, country, passage, place or status (kind is for on = \"places\" or \"transfers\")");
                ok = false;
            }
            Target::Places | Target::Transfers => match strings(p, v, "kind") {
                Some(l) => {
                    for k in &l {
                        let known = if target == Target::Places {
                            PlaceKind::parse(k).is_some()
                        } else {
                            TransferKind::parse(k).is_some()
                        };
                        if !known {
                            let what = if target == Target::Places {
                                "a place kind (rail_terminal, sea_port, dry_port, border_post, airport, pipeline_station, road_hub)"
                            } else {
                                "a transfer kind (lift, gauge_transshipment, bogie_exchange, roll_on, handling)"
                            };
                            p.at(v.span().start, format!("kind '{k}' is not {what}"));
                            ok = false;
                        }
                    }
                    out.kinds = l;
                }
                None => ok = false,
            },
        }
    }
    if let Some(v) = &s.mode {
        if !link_only(p, v, "mode") {
            ok = false;
        } else if let Some(l) = strings(p, v, "mode") {
            for m in &l {
                match Mode::parse(m) {
                    Some(m) => out.modes.push(m),
                    None => {
                        p.at(v.span().start, format!("mode '{m}' is not road, rail, sea, ferry, iww, air, pipeline or border"));
                        ok = false;
                    }
                }
            }
        } else {
            ok = false;
        }
    }
    if let Some(v) = &s.country {
        match strings(p, v, "country") {
            Some(l) => {
                for c in &l {
                    if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
                        p.at(
                            v.span().start,
                            format!(
                                "country '{c}' is not an ISO 3166-1 alpha-2 code (e.g. \"KZ\")"
                            ),
                        );
                        ok = false;
                    }
                }
                out.countries = l;
            }
            None => ok = false,
        }
    }
    if let Some(v) = &s.passage {
        if !link_only(p, v, "passage") {
            ok = false;
        } else if let Some(l) = strings(p, v, "passage") {
            out.passages = l;
        } else {
            ok = false;
        }
    }
    if let Some(v) = &s.place {
        if target == Target::Places {
            p.at(
                v.span().start,
                "with on = \"places\" select places by id (select = { id = \"KZSCO\" })",
            );
            ok = false;
        } else if let Some(l) = strings(p, v, "place") {
            out.places = l;
        } else {
            ok = false;
        }
    }
    if let Some(v) = &s.status {
        if !link_only(p, v, "status") {
            ok = false;
        } else if let Some(l) = strings(p, v, "status") {
            for st in &l {
                match Status::parse(st) {
                    Some(st) => out.statuses.push(st),
                    None => {
                        p.at(v.span().start, format!("status '{st}' is not operating, under_construction, planned or suspended"));
                        ok = false;
                    }
                }
            }
        } else {
            ok = false;
        }
    }
    if ok && out == Selector::default() {
        p.at(
            at,
            "select is empty and would change every record: name at least one of id, kind, mode, country, passage, place, status",
        );
        return None;
    }
    ok.then_some(out)
}

fn check_factor(p: &mut Problems<'_>, f: &Spanned<f64>, what: &str) -> Option<f64> {
    let v = *f.get_ref();
    if !v.is_finite() || v <= 0.0 {
        p.at(
            f.span().start,
            format!("{what} factor {v} is not a finite number above 0 (use close to shut a link; 1 changes nothing)"),
        );
        return None;
    }
    Some(v)
}

fn adjust(p: &mut Problems<'_>, a: Spanned<RawAdjust>) -> Option<Adjust> {
    let at = a.span().start;
    let a = a.into_inner();
    match (a.add, a.factor) {
        (Some(h), None) => {
            let v = *h.get_ref();
            if !v.is_finite() {
                p.at(
                    h.span().start,
                    format!("add = {v} is not a finite number of hours"),
                );
                return None;
            }
            Some(Adjust::Add(v))
        }
        (None, Some(f)) => check_factor(p, &f, "the").map(Adjust::Factor),
        _ => {
            p.at(
                at,
                "give exactly one of add (hours) and factor, e.g. { add = 240 } or { factor = 1.5 }",
            );
            None
        }
    }
}

fn date(p: &mut Problems<'_>, v: &Spanned<toml::Value>, key: &str) -> Option<NaiveDate> {
    let text = match v.get_ref() {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        _ => String::new(),
    };
    match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            p.at(
                v.span().start,
                format!("{key} must be a date YYYY-MM-DD (e.g. {key} = 2026-12-01)"),
            );
            None
        }
    }
}

fn close(p: &mut Problems<'_>, c: Spanned<RawClose>) -> Option<Operation> {
    let at = c.span().start;
    let c = c.into_inner();
    match (&c.from, &c.to) {
        (None, None) => Some(Operation::Close {
            from: None,
            to: None,
        }),
        (Some(f), Some(t)) => {
            let from = date(p, f, "from");
            let to = date(p, t, "to");
            let (from, to) = (from?, to?);
            if from > to {
                p.at(
                    f.span().start,
                    format!("closure from {from} is after to {to}: the range is reversed (from is the first closed day, to the last)"),
                );
                return None;
            }
            Some(Operation::Close {
                from: Some(from),
                to: Some(to),
            })
        }
        _ => {
            p.at(at, "a dated closure needs both from and to (close = { from = 2026-12-01, to = 2027-03-31 }); close = {} closes for the whole scenario");
            None
        }
    }
}

fn capacity(p: &mut Problems<'_>, c: Spanned<RawCapacity>) -> Option<Operation> {
    let at = c.span().start;
    let c = c.into_inner();
    match (c.factor, c.set) {
        (Some(f), None) => {
            if let Some(u) = &c.unit {
                p.at(u.span().start, "unit goes with set, not with factor");
                return None;
            }
            check_factor(p, &f, "capacity").map(|f| Operation::Capacity(CapacityChange::Factor(f)))
        }
        (None, Some(s)) => {
            let v = *s.get_ref();
            if !v.is_finite() || v <= 0.0 {
                p.at(
                    s.span().start,
                    format!(
                        "capacity {v} is not a finite number above 0 (use close to shut a link)"
                    ),
                );
                return None;
            }
            let unit = match c.unit {
                Some(u) => {
                    let head = u.get_ref().split("_per_").next().unwrap_or("");
                    if !u.get_ref().contains("_per_")
                        || !corridor_data::constraints::CAPACITY_HEADS.contains(&head)
                    {
                        p.at(u.span().start, format!("capacity unit '{}' is not WHAT_per_DEPARTURE with WHAT one of {} (e.g. trucks_per_sailing)", u.get_ref(), corridor_data::constraints::CAPACITY_HEADS.join(", ")));
                        return None;
                    }
                    Some(u.into_inner())
                }
                None => None,
            };
            Some(Operation::Capacity(CapacityChange::Set { value: v, unit }))
        }
        _ => {
            p.at(
                at,
                "give exactly one of factor and set, e.g. capacity = { factor = 1.5 }",
            );
            None
        }
    }
}

fn cost_change(p: &mut Problems<'_>, c: Spanned<RawCost>) -> Option<Operation> {
    let at = c.span().start;
    let c = c.into_inner();
    let price_keys = c.fixed.is_some()
        || c.per_km.is_some()
        || c.unit.is_some()
        || c.currency.is_some()
        || c.price_year.is_some();
    match (c.factor, price_keys) {
        (Some(f), false) => {
            check_factor(p, &f, "cost").map(|f| Operation::Cost(CostChange::Factor(f)))
        }
        (None, true) => {
            let (Some(unit), Some(currency), Some(year)) = (&c.unit, &c.currency, &c.price_year)
            else {
                p.at(at, "a new price needs fixed and/or per_km, unit, currency and price_year (cost = { fixed = 4984, unit = \"feu\", currency = \"USD\", price_year = 2024 })");
                return None;
            };
            if c.fixed.is_none() && c.per_km.is_none() {
                p.at(at, "a new price needs fixed or per_km");
                return None;
            }
            let mut ok = true;
            let mut num = |v: &Option<Spanned<f64>>, key: &str| -> f64 {
                match v {
                    Some(x) if x.get_ref().is_finite() && *x.get_ref() >= 0.0 => *x.get_ref(),
                    Some(x) => {
                        p.at(
                            x.span().start,
                            format!("{key} = {} is not a finite amount ≥ 0", x.get_ref()),
                        );
                        ok = false;
                        0.0
                    }
                    None => 0.0,
                }
            };
            let fixed = num(&c.fixed, "fixed");
            let per_km = num(&c.per_km, "per_km");
            let Some(unit_v) = CostUnit::parse(unit.get_ref()) else {
                p.at(
                    unit.span().start,
                    format!(
                        "cost unit '{}' is not feu, teu, box, truck, wagon, t or kg",
                        unit.get_ref()
                    ),
                );
                return None;
            };
            let cur = currency.get_ref().trim();
            if cur.len() != 3 || !cur.chars().all(|ch| ch.is_ascii_uppercase()) {
                p.at(
                    currency.span().start,
                    format!("currency '{cur}' is not an ISO 4217 code (e.g. \"USD\")"),
                );
                return None;
            }
            let y = *year.get_ref();
            if !(1900..=2200).contains(&y) {
                p.at(year.span().start, format!("price_year {y} is not a year"));
                return None;
            }
            ok.then(|| {
                Operation::Cost(CostChange::Set(Price {
                    fixed,
                    per_km,
                    unit: unit_v,
                    currency: cur.to_string(),
                    price_year: y as i32,
                }))
            })
        }
        _ => {
            p.at(at, "give either factor or a new price (fixed/per_km, unit, currency, price_year), not both");
            None
        }
    }
}

fn customs(p: &mut Problems<'_>, c: Spanned<RawCustoms>) -> Option<Operation> {
    let c = c.into_inner();
    let Some(regime) = Regime::parse(c.regime.get_ref()) else {
        p.at(
            c.regime.span().start,
            format!(
                "regime '{}' is not tir, green_channel or bonded",
                c.regime.get_ref()
            ),
        );
        return None;
    };
    if regime == Regime::Standard {
        p.at(
            c.regime.span().start,
            "regime 'standard' is already the default: name tir, green_channel or bonded",
        );
        return None;
    }
    let goods = match &c.goods {
        None => None,
        Some(g) => match Goods::parse(g.get_ref()) {
            Some(Goods::General) => None,
            Some(x) => Some(x),
            None => {
                p.at(
                    g.span().start,
                    format!("goods '{}' is not general or agricultural", g.get_ref()),
                );
                return None;
            }
        },
    };
    let dwell_h = match &c.dwell_h {
        None => None,
        Some(d) => {
            let v = d.get_ref();
            let ok = v.len() == 3
                && v.iter().all(|x| x.is_finite() && *x >= 0.0)
                && v[1] <= v[0]
                && v[0] <= v[2];
            if !ok {
                p.at(
                    d.span().start,
                    "dwell_h must be [typical, low, high] hours, finite, ≥ 0, low ≤ typical ≤ high",
                );
                return None;
            }
            Some(Range3 {
                typical: v[0],
                low: v[1],
                high: v[2],
            })
        }
    };
    Some(Operation::CustomsDefault {
        regime,
        goods,
        dwell_h,
    })
}
