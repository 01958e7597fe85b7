//! Cross-file checks of capacity.csv and demand.csv: every row names a link or place that
//! exists, in a direction the link has, with a known source; ids are unique; a planned row
//! replaces an operating row of the same binding or says in its note that none is published.

use std::collections::{HashMap, HashSet};

use super::{cited, suggest_id, Ctx, Lookups};
use crate::flows::{CapDirection, CapElement, CAPACITY_FILE, DEMAND_FILE};
use crate::load::Records;
use crate::model::*;

pub(super) fn capacity_and_demand<'a>(r: &'a Records, cx: &mut Ctx<'a>, lk: &Lookups<'a>) {
    let links: HashMap<&str, &Link> = r.links.iter().map(|l| (l.id.as_str(), l)).collect();
    let mut ids: HashSet<&str> = HashSet::new();
    let mut operating: HashSet<String> = HashSet::new();
    let key = |c: &crate::flows::Capacity| {
        format!(
            "{}/{}/{}",
            c.target,
            c.carrier.as_deref().unwrap_or(""),
            c.direction.as_str()
        )
    };
    for c in &r.capacity {
        cx.src(CAPACITY_FILE, c.line, "source", &c.source);
        for id in cited(&c.conversion).chain(cited(&c.note)) {
            cx.src(CAPACITY_FILE, c.line, "conversion", id);
        }
        if !ids.insert(&c.id) {
            cx.push(
                CAPACITY_FILE,
                c.line,
                format!("second row with id '{}'", c.id),
            );
        }
        if !c.planned && !operating.insert(key(c)) {
            cx.push(
                CAPACITY_FILE,
                c.line,
                format!(
                    "a second operating row for {} {} ({}): keep one, or mark the expansion planned",
                    if c.element == CapElement::Link { "link" } else { "place" },
                    c.target,
                    c.direction.as_str()
                ),
            );
        }
        match c.element {
            CapElement::Link => match links.get(c.target.as_str()) {
                None => {
                    let hint = suggest_id(&c.target, r.links.iter().map(|l| l.id.as_str()));
                    cx.push(
                        CAPACITY_FILE,
                        c.line,
                        format!("link '{}' is not an id in links.csv{hint}", c.target),
                    );
                }
                Some(l) if c.direction != CapDirection::Forward && !l.bidirectional => {
                    cx.push(
                        CAPACITY_FILE,
                        c.line,
                        format!(
                            "link '{}' runs one way ({} → {}): direction {} has no arc; use forward",
                            l.id,
                            l.from,
                            l.to,
                            c.direction.as_str()
                        ),
                    );
                }
                Some(_) => {}
            },
            CapElement::Place => {
                if !lk.places.contains_key(c.target.as_str()) {
                    let hint = suggest_id(&c.target, r.places.iter().map(|p| p.id.as_str()));
                    cx.push(
                        CAPACITY_FILE,
                        c.line,
                        format!("place '{}' is not an id in places.csv{hint}", c.target),
                    );
                }
            }
        }
    }
    for c in r.capacity.iter().filter(|c| c.planned) {
        if !operating.contains(&key(c)) && !c.note.to_lowercase().contains("no operating") {
            cx.push(
                CAPACITY_FILE,
                c.line,
                format!(
                    "planned row '{}' has no operating row of the same binding ({} {}): add one, or say in the note that no operating figure is published (\"no operating figure\")",
                    c.id,
                    c.target,
                    c.direction.as_str()
                ),
            );
        }
    }
    let mut pairs: HashSet<(&str, &str, &str)> = HashSet::new();
    for d in &r.demand {
        for id in cited(&d.method) {
            cx.src(DEMAND_FILE, d.line, "method", id);
        }
        if !d.source.is_empty() {
            cx.src(DEMAND_FILE, d.line, "source", &d.source);
        } else {
            cx.push(
                DEMAND_FILE,
                d.line,
                "missing source: every demand figure names where it comes from".into(),
            );
        }
        for (col, id) in [("from", &d.from), ("to", &d.to)] {
            if !lk.places.contains_key(id.as_str()) {
                let hint = suggest_id(id, r.places.iter().map(|p| p.id.as_str()));
                cx.push(
                    DEMAND_FILE,
                    d.line,
                    format!("{col} '{id}' is not an id in places.csv{hint}"),
                );
            }
        }
        if d.from == d.to {
            cx.push(
                DEMAND_FILE,
                d.line,
                format!("from and to are both '{}'", d.from),
            );
        }
        if !pairs.insert((&d.from, &d.to, &d.commodity)) {
            cx.push(
                DEMAND_FILE,
                d.line,
                format!(
                    "a second row {} → {} ({}): add the figures into one row",
                    d.from, d.to, d.commodity
                ),
            );
        }
    }
}
