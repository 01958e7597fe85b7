//! Matching a [`Selector`] against the records, with every listed value required to match.
//!
//! Fields combine with AND, the values of one field with OR. Besides "the selector matches
//! nothing", each value must contribute: a selector `country = ["KZ", "XX"]` whose `XX` matches
//! no record (together with the other fields) is an error too, so a typo is never silently
//! ignored.

use std::collections::HashMap;

use corridor_data::load::Records;
use corridor_data::{Link, Place, Transfer};

use crate::model::{Selector, Target};

/// Index of the selector's fields, in the order of [`FIELDS`].
const FIELDS: [&str; 7] = [
    "id", "kind", "mode", "country", "passage", "place", "status",
];

/// The values of a selector, per field, as strings (for the "matches nothing" messages).
fn values(s: &Selector) -> [Vec<String>; 7] {
    [
        s.ids.clone(),
        s.kinds.clone(),
        s.modes.iter().map(|m| m.as_str().to_string()).collect(),
        s.countries.clone(),
        s.passages.clone(),
        s.places.clone(),
        s.statuses.iter().map(|x| x.as_str().to_string()).collect(),
    ]
}

/// Tracks which values of each field matched a selected record.
struct Usage {
    values: [Vec<String>; 7],
    used: [Vec<bool>; 7],
}

impl Usage {
    fn new(s: &Selector) -> Usage {
        let values = values(s);
        let used = values.clone().map(|v| vec![false; v.len()]);
        Usage { values, used }
    }

    /// `hits[f]` = which values of field f the record matches (empty field: not checked).
    /// Returns whether the record is selected, and records the values used if it is.
    fn offer(&mut self, hits: &[Vec<bool>; 7]) -> bool {
        let selected = self
            .values
            .iter()
            .zip(hits)
            .all(|(v, h)| v.is_empty() || h.iter().any(|&x| x));
        if selected {
            for (used, h) in self.used.iter_mut().zip(hits) {
                for (u, &x) in used.iter_mut().zip(h) {
                    *u |= x;
                }
            }
        }
        selected
    }

    /// Values that matched no selected record: `(field, value)`.
    fn unused(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for ((field, values), used) in FIELDS.iter().zip(&self.values).zip(&self.used) {
            for (v, &u) in values.iter().zip(used) {
                if !u {
                    out.push((*field, v.clone()));
                }
            }
        }
        out
    }
}

/// Why a selector failed: it matched nothing, or some of its values matched nothing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SelectError {
    /// Nothing matched.
    Nothing,
    /// These `(field, value)` pairs matched no selected record.
    Unused(Vec<(&'static str, String)>),
}

impl SelectError {
    pub(crate) fn message(&self, target: Target) -> String {
        let what = match target {
            Target::Links => "links",
            Target::Borders => "border links",
            Target::Places => "places",
            Target::Transfers => "transfers",
        };
        match self {
            SelectError::Nothing => format!(
                "select matches no {what} in the data: check the ids, countries and modes (a scenario never skips a change silently)"
            ),
            SelectError::Unused(list) => {
                let l: Vec<String> = list.iter().map(|(f, v)| format!("{f} '{v}'")).collect();
                format!(
                    "select: {} match no {what} together with the other fields: fix or remove them",
                    l.join(", ")
                )
            }
        }
    }
}

/// Places by id.
pub(crate) fn place_index(records: &Records) -> HashMap<&str, &Place> {
    records.places.iter().map(|p| (p.id.as_str(), p)).collect()
}

fn eq_list(values: &[String], v: &str) -> Vec<bool> {
    values.iter().map(|x| x == v).collect()
}

fn finish<T>(usage: Usage, out: Vec<T>) -> Result<Vec<T>, SelectError> {
    if out.is_empty() {
        return Err(SelectError::Nothing);
    }
    let unused = usage.unused();
    if unused.is_empty() {
        Ok(out)
    } else {
        Err(SelectError::Unused(unused))
    }
}

/// The links a selector picks (indices into `records.links`), in file order.
pub(crate) fn links(
    s: &Selector,
    target: Target,
    records: &Records,
    places: &HashMap<&str, &Place>,
) -> Result<Vec<usize>, SelectError> {
    let mut usage = Usage::new(s);
    let mut out = Vec::new();
    for (i, l) in records.links.iter().enumerate() {
        if target == Target::Borders && l.mode != corridor_data::Mode::Border {
            continue;
        }
        if usage.offer(&link_hits(s, l, places)) {
            out.push(i);
        }
    }
    finish(usage, out)
}

fn link_hits(s: &Selector, l: &Link, places: &HashMap<&str, &Place>) -> [Vec<bool>; 7] {
    let country_of = |id: &str| places.get(id).map(|p| p.country.as_str()).unwrap_or("");
    let (cf, ct) = (country_of(&l.from), country_of(&l.to));
    [
        eq_list(&s.ids, &l.id),
        Vec::new(),
        s.modes.iter().map(|&m| m == l.mode).collect(),
        s.countries
            .iter()
            .map(|c| c == cf || c == ct || l.countries.iter().any(|x| x == c))
            .collect(),
        s.passages
            .iter()
            .map(|p| l.passages.iter().any(|x| x == p))
            .collect(),
        s.places
            .iter()
            .map(|p| p == &l.from || p == &l.to)
            .collect(),
        s.statuses.iter().map(|&st| st == l.status).collect(),
    ]
}

/// The places a selector picks (indices into `records.places`), in file order.
pub(crate) fn places(s: &Selector, records: &Records) -> Result<Vec<usize>, SelectError> {
    let mut usage = Usage::new(s);
    let mut out = Vec::new();
    for (i, p) in records.places.iter().enumerate() {
        let hits = [
            eq_list(&s.ids, &p.id),
            eq_list(&s.kinds, p.kind.as_str()),
            Vec::new(),
            eq_list(&s.countries, &p.country),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ];
        if usage.offer(&hits) {
            out.push(i);
        }
    }
    finish(usage, out)
}

/// A transfer a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransferRef {
    /// A row of `transfers.csv`, changed in place.
    Row(usize),
    /// A default (`*`) row as it applies at one place: copied as a row for that place, so the
    /// change stays at the place.
    AtPlace {
        /// The default row.
        row: usize,
        /// The place (index into `records.places`).
        place: usize,
    },
}

/// The transfer rules that apply at a place: its own rows, and the default rows for its kind
/// that no own row with the same carriers overrides.
pub(crate) fn transfers_at(records: &Records, place: usize) -> Vec<TransferRef> {
    let p = &records.places[place];
    let own: Vec<usize> = records
        .transfers
        .iter()
        .enumerate()
        .filter(|(_, t)| t.place.as_deref() == Some(p.id.as_str()))
        .map(|(i, _)| i)
        .collect();
    let same_carriers = |a: &Transfer, b: &Transfer| {
        a.from.carries == b.from.carries && a.to.carries == b.to.carries
    };
    let mut out: Vec<TransferRef> = own.iter().map(|&i| TransferRef::Row(i)).collect();
    for (i, t) in records.transfers.iter().enumerate() {
        if t.place.is_none()
            && t.place_kinds.contains(&p.kind)
            && !own.iter().any(|&o| same_carriers(&records.transfers[o], t))
        {
            out.push(TransferRef::AtPlace { row: i, place });
        }
    }
    out.sort_by_key(|r| match *r {
        TransferRef::Row(i) => i,
        TransferRef::AtPlace { row, .. } => row,
    });
    out
}

/// The transfers a selector picks. With `place` or `country`, the transfers that apply at
/// each such place; otherwise the rows of `transfers.csv` of the given kinds.
pub(crate) fn transfers(s: &Selector, records: &Records) -> Result<Vec<TransferRef>, SelectError> {
    let mut usage = Usage::new(s);
    let mut out = Vec::new();
    if s.places.is_empty() && s.countries.is_empty() {
        for (i, t) in records.transfers.iter().enumerate() {
            let mut hits: [Vec<bool>; 7] = Default::default();
            hits[1] = eq_list(&s.kinds, t.kind.as_str());
            if usage.offer(&hits) {
                out.push(TransferRef::Row(i));
            }
        }
        return finish(usage, out);
    }
    for (pi, p) in records.places.iter().enumerate() {
        for r in transfers_at(records, pi) {
            let t = match r {
                TransferRef::Row(i) | TransferRef::AtPlace { row: i, .. } => &records.transfers[i],
            };
            let mut hits: [Vec<bool>; 7] = Default::default();
            hits[1] = eq_list(&s.kinds, t.kind.as_str());
            hits[3] = eq_list(&s.countries, &p.country);
            hits[5] = eq_list(&s.places, &p.id);
            if usage.offer(&hits) {
                out.push(r);
            }
        }
    }
    finish(usage, out)
}
