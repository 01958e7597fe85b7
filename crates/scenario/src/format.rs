//! The scenario file format: TOML text → a checked [`Scenario`], every problem as file:line.
//!
//! The text is read with the `toml` crate keeping spans ([`toml::Spanned`]), so a malformed
//! file, an unknown key, a factor of 0 or a reversed date range names the line it is on. What a
//! selector matches is only known against the records; [`crate::apply`] reports a selector that
//! matches nothing at the line of its change. The format is described in `docs/scenarios.md`.

use corridor_data::{Mode, PlaceKind, Status, TransferKind};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::error::{line_of, Problems, ScenarioError};
use crate::model::*;
use crate::ops::{
    adjust, capacity, close, cost_change, customs, date, RawAdjust, RawCapacity, RawClose, RawCost,
    RawCustoms,
};

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
