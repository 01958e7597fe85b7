//! Applying a scenario: records in, records out, plus what each change matched.
//!
//! A pure, deterministic transformation: the changes run in file order, each on the result of
//! the one before; records are visited in file order; nothing depends on the clock or on hash
//! map order. Every figure a change sets cites the change's source; rows a change adds
//! (closures, customs rows, a default transfer copied to one place) carry the scenario's name in
//! their note.

use std::collections::BTreeSet;

use corridor_data::constraints::CustomsRule;
use corridor_data::load::Records;
use corridor_data::{Closure, Range3, Source, Status, Transfer};

use crate::error::{ScenarioError, ScenarioProblem};
use crate::model::{CapacityChange, Change, CostChange, Operation, Scenario, Target};
use crate::select::{self, TransferRef};

/// What a scenario did, for reports and answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The scenario's name.
    pub name: String,
    /// Where its text came from.
    pub file: String,
    /// SHA-256 of its text (hex).
    pub hash: String,
    /// Per change, in order.
    pub changes: Vec<AppliedChange>,
}

/// What one change matched.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedChange {
    /// Line of the change in the file.
    pub line: u64,
    /// Its reason.
    pub reason: String,
    /// Its source id.
    pub source: String,
    /// The operation (`wait_h`, `dwell_h`, `close`, `capacity`, `cost`, `open`,
    /// `customs_default`).
    pub operation: String,
    /// The records it changed: `link:ID`, `place:ID`, `transfer:PLACE:FROM>TO` (`*` for a
    /// default row), in file order.
    pub matched: Vec<String>,
}

/// Applies a scenario to records.
///
/// Fails, naming file:line, when a selector matches nothing (or one of its values matches
/// nothing), when a source is unknown, or when a change cannot apply to what it selects (a
/// factor on a capacity the link does not state, a wait made negative, an operating link
/// "opened", a regime with no figure at a border).
pub fn apply(scenario: &Scenario, records: Records) -> Result<(Records, Applied), ScenarioError> {
    let mut records = records;
    let cited_before = overwritable_citations(&records);
    let mut problems = Vec::new();
    for s in &scenario.sources {
        if records.sources.iter().any(|x| x.id == s.id) {
            problems.push(ScenarioProblem {
                line: s.line,
                message: format!(
                    "source id '{}' is already in the data's sources.csv: cite it by id and remove this entry, or choose another id",
                    s.id
                ),
            });
        }
    }
    fail(scenario, &mut problems)?;
    for s in &scenario.sources {
        records.sources.push(Source {
            id: s.id.clone(),
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            url: s.url.clone(),
            date: s.date.clone(),
            note: s.note.clone(),
            line: 0,
        });
    }
    let mut applied = Applied {
        name: scenario.name.clone(),
        file: scenario.file.clone(),
        hash: scenario.hash.clone(),
        changes: Vec::new(),
    };
    for (n, c) in scenario.changes.iter().enumerate() {
        if !records.sources.iter().any(|x| x.id == c.source) {
            problems.push(ScenarioProblem {
                line: c.source_line,
                message: format!(
                    "source '{}' is neither in the data's sources.csv nor in this file's [[sources]]",
                    c.source
                ),
            });
            continue;
        }
        match change(scenario, n, c, &mut records) {
            Ok(matched) => applied.changes.push(AppliedChange {
                line: c.line,
                reason: c.reason.clone(),
                source: c.source.clone(),
                operation: c.op.key().to_string(),
                matched,
            }),
            Err(mut p) => problems.append(&mut p),
        }
    }
    fail(scenario, &mut problems)?;
    prune_sources(scenario, cited_before, &mut records);
    Ok((records, applied))
}

/// A change that rewrites an element's time makes its published distribution
/// (`distributions.csv`) describe another figure: the row goes, and the reliability model reads
/// the new range instead.
fn drop_published(records: &mut Records, element: &str, quantity: &str) {
    records
        .distributions
        .retain(|d| !(d.element == element && d.quantity == quantity));
}

/// The source ids a change may overwrite or write: those of links, transfers, closures and
/// customs rows.
fn overwritable_citations(r: &Records) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for l in &r.links {
        for s in [
            &l.wait_source,
            &l.dwell_source,
            &l.cost_source,
            &l.capacity_source,
        ]
        .into_iter()
        .flatten()
        {
            out.insert(s.clone());
        }
    }
    for t in &r.transfers {
        out.insert(t.source.clone());
        out.insert(t.time_source.clone());
        out.extend(t.cost_source.iter().cloned());
    }
    for c in &r.closures {
        out.insert(c.source.clone());
    }
    for c in &r.constraints.customs {
        out.insert(c.source.clone());
    }
    // Published distributions keep citing their sources whatever a change rewrites.
    for d in &r.distributions {
        out.extend(d.sources.iter().cloned());
    }
    out
}

/// Drops the sources no figure cites any more: the scenario's own sources that no row the
/// scenario wrote cites (a closure for the whole scenario suspends links and cites nothing),
/// and data sources whose last citation a change replaced. The data checks flag an unused
/// source, so the result must not keep one; the [`Applied`] report and the scenario's hash
/// still name every source the scenario gives.
fn prune_sources(scenario: &Scenario, before: BTreeSet<String>, records: &mut Records) {
    let after = overwritable_citations(records);
    // The scenario's sources can only be cited by rows the scenario wrote.
    let mut unused: BTreeSet<String> = scenario
        .sources
        .iter()
        .filter(|s| !after.contains(&s.id))
        .map(|s| s.id.clone())
        .collect();
    // A data source whose citation a change replaced may still be cited by another file:
    // ask the data checks (rare, so their cost is paid only then).
    let replaced: BTreeSet<&String> = before.difference(&after).collect();
    if !replaced.is_empty() {
        for p in corridor_data::validate::validate(records) {
            if p.file != "sources.csv" {
                continue;
            }
            let id = p
                .message
                .strip_prefix("source '")
                .and_then(|m| m.strip_suffix("' is not used by any figure"));
            if let Some(id) = id {
                if replaced.contains(&id.to_string()) {
                    unused.insert(id.to_string());
                }
            }
        }
    }
    records.sources.retain(|s| !unused.contains(&s.id));
}

/// Applies several scenarios in order (`--scenario A --scenario B`), each to the result of the
/// one before; stops at the first that fails.
pub fn apply_all(
    scenarios: &[Scenario],
    records: Records,
) -> Result<(Records, Vec<Applied>), ScenarioError> {
    let mut records = records;
    let mut applied = Vec::with_capacity(scenarios.len());
    for s in scenarios {
        let (r, a) = apply(s, records)?;
        records = r;
        applied.push(a);
    }
    Ok((records, applied))
}

fn fail(scenario: &Scenario, problems: &mut Vec<ScenarioProblem>) -> Result<(), ScenarioError> {
    if problems.is_empty() {
        return Ok(());
    }
    let mut list = std::mem::take(problems);
    list.sort_by_key(|p| p.line);
    Err(ScenarioError {
        file: scenario.file.clone(),
        problems: list,
    })
}

type Problems = Vec<ScenarioProblem>;

fn problem(line: u64, message: String) -> Problems {
    vec![ScenarioProblem { line, message }]
}

/// Applies one change; returns the ids it changed.
fn change(
    scenario: &Scenario,
    n: usize,
    c: &Change,
    records: &mut Records,
) -> Result<Vec<String>, Problems> {
    let note = format!("scenario {}: {}", scenario.name, c.reason);
    match c.target {
        Target::Links | Target::Borders => {
            let places = select::place_index(records);
            let sel = select::links(&c.select, c.target, records, &places)
                .map_err(|e| problem(c.select_line, e.message(c.target)))?;
            drop(places);
            links(scenario, n, c, &sel, records, &note)?;
            Ok(sel
                .iter()
                .map(|&i| format!("link:{}", records.links[i].id))
                .collect())
        }
        Target::Places => {
            let sel = select::places(&c.select, records)
                .map_err(|e| problem(c.select_line, e.message(c.target)))?;
            let ids: Vec<String> = sel
                .iter()
                .map(|&i| format!("place:{}", records.places[i].id))
                .collect();
            match &c.op {
                Operation::Close { from, to } => close_places(c, &sel, *from, *to, records, &note)?,
                Operation::Dwell(_) => {
                    let mut refs = Vec::new();
                    for &pi in &sel {
                        refs.extend(select::transfers_at(records, pi));
                    }
                    if refs.is_empty() {
                        return Err(problem(c.select_line, "the selected places have no transfers (transfers.csv) whose dwell could change: select the links that serve them instead".into()));
                    }
                    transfers(c, &refs, records, &note)?;
                }
                _ => unreachable_op(c)?,
            }
            Ok(ids)
        }
        Target::Transfers => {
            let refs = select::transfers(&c.select, records)
                .map_err(|e| problem(c.select_line, e.message(c.target)))?;
            let ids = transfer_ids(&refs, records);
            transfers(c, &refs, records, &note)?;
            Ok(ids)
        }
    }
}

/// Operations the parser does not allow on a target never reach here; say so instead of
/// panicking if one does.
fn unreachable_op(c: &Change) -> Result<(), Problems> {
    Err(problem(
        c.line,
        format!("`{}` does not apply to {}", c.op.key(), c.target.as_str()),
    ))
}

fn check_range(c: &Change, what: &str, id: &str, r: Range3) -> Result<Range3, Problems> {
    if r.low < 0.0 || r.typical < 0.0 || r.high < 0.0 {
        return Err(problem(
            c.line,
            format!(
                "{what} of {id} would be negative ({:.1}, {:.1}, {:.1} h): a reduction may not exceed the hours the data gives",
                r.typical, r.low, r.high
            ),
        ));
    }
    Ok(r)
}

fn links(
    scenario: &Scenario,
    n: usize,
    c: &Change,
    sel: &[usize],
    records: &mut Records,
    note: &str,
) -> Result<(), Problems> {
    let mut problems = Vec::new();
    let src = Some(c.source.clone());
    for &i in sel {
        let r = match &c.op {
            Operation::Wait(adj) => {
                let l = &records.links[i];
                let base = match (l.wait_h, l.departures_per_week) {
                    (Some(w), _) => w,
                    // As the network builder reads a frequency: half the headway, 0 to one headway.
                    (None, Some(d)) => Range3 {
                        typical: 84.0 / d,
                        low: 0.0,
                        high: 168.0 / d,
                    },
                    (None, None) => Range3::ZERO,
                };
                check_range(c, "the wait", &l.id, adj.apply(base)).map(|w| {
                    let l = &mut records.links[i];
                    l.wait_h = Some(w);
                    l.wait_source = src.clone();
                    let element = format!("link:{}", l.id);
                    drop_published(records, &element, "wait_h");
                })
            }
            Operation::Dwell(adj) => {
                let l = &records.links[i];
                let base = l.dwell_h.unwrap_or(Range3::ZERO);
                check_range(c, "the dwell", &l.id, adj.apply(base)).map(|d| {
                    let l = &mut records.links[i];
                    l.dwell_h = Some(d);
                    l.dwell_source = src.clone();
                    let element = format!("link:{}", l.id);
                    drop_published(records, &element, "dwell_h");
                })
            }
            Operation::Close { from, to } => {
                match (from, to) {
                    (Some(f), Some(t)) => records.closures.push(Closure {
                        link: Some(records.links[i].id.clone()),
                        place: None,
                        from_date: *f,
                        to_date: *t,
                        weekdays: Vec::new(),
                        effect: corridor_data::ClosureEffect::Closed,
                        reason: note.to_string(),
                        source: c.source.clone(),
                        line: 0,
                    }),
                    _ => records.links[i].status = Status::Suspended,
                }
                Ok(())
            }
            Operation::Capacity(cap) => capacity(c, cap, i, records),
            Operation::Cost(cost) => {
                // The link's dated rate periods (sea_rates.csv) follow: a factor scales them
                // too; a new price holds on every date, so they go (they would otherwise price
                // a dated query in its place).
                let l = &mut records.links[i];
                match (cost, &mut l.price) {
                    (CostChange::Factor(f), Some(p)) => {
                        p.fixed *= f;
                        p.per_km *= f;
                        l.cost_source = src.clone();
                        for r in records.sea_rates.iter_mut().filter(|r| r.link == l.id) {
                            r.price.fixed *= f;
                        }
                        Ok(())
                    }
                    (CostChange::Factor(_), None) => Err(problem(
                        c.line,
                        format!("link {} has no price to multiply: give a new price (fixed, unit, currency, price_year) instead", l.id),
                    )),
                    (CostChange::Set(p), _) => {
                        l.price = Some(p.clone());
                        l.cost_source = src.clone();
                        let id = l.id.clone();
                        records.sea_rates.retain(|r| r.link != id);
                        Ok(())
                    }
                }
            }
            Operation::Open => {
                let l = &mut records.links[i];
                if l.status == Status::Operating {
                    Err(problem(c.line, format!("link {} is already operating: remove it from the selection (or select by status = [\"planned\", \"under_construction\"])", l.id)))
                } else {
                    l.status = Status::Operating;
                    Ok(())
                }
            }
            Operation::CustomsDefault {
                regime,
                goods,
                dwell_h,
            } => customs_default(scenario, n, c, i, *regime, *goods, *dwell_h, records),
        };
        let dated = matches!(c.op, Operation::Close { from: Some(_), .. });
        match r {
            // A dated closure is a closures.csv row; the link itself stays as it is.
            Ok(()) if dated => {}
            Ok(()) => {
                let l = &mut records.links[i];
                if !l.note.contains(note) {
                    if !l.note.is_empty() {
                        l.note.push_str("; ");
                    }
                    l.note.push_str(note);
                }
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn capacity(
    c: &Change,
    cap: &CapacityChange,
    i: usize,
    records: &mut Records,
) -> Result<(), Problems> {
    let l = &mut records.links[i];
    match cap {
        CapacityChange::Factor(f) => match l.capacity {
            Some(v) => l.capacity = Some(v * f),
            None => {
                return Err(problem(
                    c.line,
                    format!("link {} states no capacity to multiply: use capacity = {{ set = N, unit = \"…_per_…\" }}", l.id),
                ))
            }
        },
        CapacityChange::Set { value, unit } => {
            match unit {
                Some(u) => l.capacity_unit = u.clone(),
                None if l.capacity_unit.is_empty() => {
                    return Err(problem(
                        c.line,
                        format!("link {} has no capacity unit: add unit = \"…_per_…\" (e.g. trucks_per_sailing)", l.id),
                    ))
                }
                None => {}
            }
            l.capacity = Some(*value);
        }
    }
    l.capacity_source = Some(c.source.clone());
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn customs_default(
    scenario: &Scenario,
    n: usize,
    c: &Change,
    i: usize,
    regime: corridor_data::constraints::Regime,
    goods: Option<corridor_data::constraints::Goods>,
    dwell_h: Option<Range3>,
    records: &mut Records,
) -> Result<(), Problems> {
    let id = records.links[i].id.clone();
    if records.links[i].bidirectional {
        // customs.csv gives a regime per direction (`ID`, `ID~r`); the link's dwell serves both.
        return Err(problem(
            c.line,
            format!("border {id} is bidirectional, so its dwell serves both directions while a customs regime is per direction: split it into two directed links first"),
        ));
    }
    let row = records
        .constraints
        .customs
        .iter()
        .find(|r| r.regime == regime && r.link == id);
    let (dwell, source) = match (row, dwell_h) {
        (Some(r), _) => {
            if r.goods != goods {
                let g = |x: Option<corridor_data::constraints::Goods>| {
                    x.map(|g| g.as_str()).unwrap_or("general")
                };
                return Err(problem(
                    c.line,
                    format!(
                        "customs.csv row {} gives {} at {id} for {} goods, the change says goods = \"{}\": state the goods the regime is for",
                        r.id,
                        regime.as_str(),
                        g(r.goods),
                        g(goods)
                    ),
                ));
            }
            if r.fee.is_some() {
                return Err(problem(
                    c.line,
                    format!("customs.csv row {} has a fee; making a regime with a fee the default is not supported (its fee would have to join the border's price)", r.id),
                ));
            }
            (r.dwell_h, r.source.clone())
        }
        (None, Some(d)) => {
            let rule = CustomsRule {
                id: format!("SCN-{}-{}-{}", scenario.name, n + 1, id),
                regime,
                link: id.clone(),
                goods,
                dwell_h: d,
                fee: None,
                source: c.source.clone(),
                as_of: scenario.as_of,
                note: format!("scenario {}: {}", scenario.name, c.reason),
                line: 0,
            };
            records.constraints.customs.push(rule);
            (d, c.source.clone())
        }
        (None, None) => {
            return Err(problem(
                c.line,
                format!(
                    "customs.csv has no {} row for border {id}: give the regime's dwell there (dwell_h = [typical, low, high]) with its source",
                    regime.as_str()
                ),
            ))
        }
    };
    let l = &mut records.links[i];
    l.dwell_h = Some(dwell);
    l.dwell_source = Some(source);
    let element = format!("link:{}", l.id);
    drop_published(records, &element, "dwell_h");
    Ok(())
}

fn close_places(
    c: &Change,
    sel: &[usize],
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    records: &mut Records,
    note: &str,
) -> Result<(), Problems> {
    match (from, to) {
        (Some(f), Some(t)) => {
            for &pi in sel {
                records.closures.push(Closure {
                    link: None,
                    place: Some(records.places[pi].id.clone()),
                    from_date: f,
                    to_date: t,
                    weekdays: Vec::new(),
                    effect: corridor_data::ClosureEffect::Closed,
                    reason: note.to_string(),
                    source: c.source.clone(),
                    line: 0,
                });
            }
        }
        _ => {
            // Closed for the whole scenario: every link that starts or ends there is suspended.
            for &pi in sel {
                let id = records.places[pi].id.clone();
                let mut any = false;
                for l in records.links.iter_mut() {
                    if l.from == id || l.to == id {
                        l.status = Status::Suspended;
                        any = true;
                    }
                }
                if !any {
                    return Err(problem(
                        c.select_line,
                        format!("place {id} has no links to close"),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn transfer_ids(refs: &[TransferRef], records: &Records) -> Vec<String> {
    refs.iter()
        .map(|r| {
            let (t, place) = match *r {
                TransferRef::Row(i) => {
                    let t = &records.transfers[i];
                    (t, t.place.clone().unwrap_or_else(|| "*".into()))
                }
                TransferRef::AtPlace { row, place } => {
                    (&records.transfers[row], records.places[place].id.clone())
                }
            };
            format!("transfer:{place}:{}>{}", pattern(&t.from), pattern(&t.to))
        })
        .collect()
}

fn pattern(p: &corridor_data::CarrierPattern) -> String {
    match p.gauge_mm {
        Some(g) => format!("{}:{g}", p.carries.as_str()),
        None => p.carries.as_str().to_string(),
    }
}

fn transfers(
    c: &Change,
    refs: &[TransferRef],
    records: &mut Records,
    note: &str,
) -> Result<(), Problems> {
    let mut problems = Vec::new();
    // Default rows copied to a place are appended after the loop, so indices stay valid.
    let mut copies: Vec<Transfer> = Vec::new();
    for r in refs {
        let (mut t, copy) = match *r {
            TransferRef::Row(i) => (records.transfers[i].clone(), None),
            TransferRef::AtPlace { row, place } => {
                let mut t = records.transfers[row].clone();
                t.place = Some(records.places[place].id.clone());
                t.place_kinds = Vec::new();
                t.line = 0;
                (t, Some(()))
            }
        };
        let where_ = format!(
            "the transfer {}>{} at {}",
            pattern(&t.from),
            pattern(&t.to),
            t.place.as_deref().unwrap_or("*")
        );
        let res = match &c.op {
            Operation::Dwell(adj) => {
                check_range(c, "the dwell", &where_, adj.apply(t.hours)).map(|h| t.hours = h)
            }
            Operation::Cost(cost) => match (cost, &mut t.price) {
                (CostChange::Factor(f), Some(p)) => {
                    p.fixed *= f;
                    p.per_km *= f;
                    Ok(())
                }
                (CostChange::Factor(_), None) => Err(problem(
                    c.line,
                    format!("{where_} has no price to multiply: give a new price instead"),
                )),
                (CostChange::Set(p), _) => {
                    t.price = Some(p.clone());
                    Ok(())
                }
            },
            _ => unreachable_op(c),
        };
        if let Err(mut p) = res {
            problems.append(&mut p);
            continue;
        }
        // The figure changed now cites the change's source; the row's main source follows.
        match &c.op {
            Operation::Cost(_) => t.cost_source = Some(c.source.clone()),
            _ => t.time_source = c.source.clone(),
        }
        t.source = c.source.clone();
        if !t.note.is_empty() {
            t.note.push_str("; ");
        }
        t.note.push_str(note);
        match (copy, *r) {
            (None, TransferRef::Row(i)) => records.transfers[i] = t,
            _ => copies.push(t),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    records.transfers.extend(copies);
    Ok(())
}
