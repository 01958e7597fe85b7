//! Cross-file checks of the constraint files.

use super::{suggest_id, Ctx};
use crate::constraints::*;
use crate::load::Records;
use crate::model::Mode;

/// Cross-file checks: places, links and countries named exist, border links for customs,
/// sources, unique ids.
pub(super) fn validate<'a>(r: &'a Records, cx: &mut Ctx<'a>) {
    let c = &r.constraints;
    let link_ids = || r.links.iter().map(|l| l.id.as_str());
    let countries: std::collections::HashSet<&str> = r
        .places
        .iter()
        .map(|p| p.country.as_str())
        .chain(
            r.links
                .iter()
                .flat_map(|l| l.countries.iter().map(String::as_str)),
        )
        .collect();
    let check_scope = |cx: &mut Ctx<'a>, file: &str, line: u64, s: &Scope| match s {
        Scope::All => {}
        Scope::Country(cc) => {
            if !countries.contains(cc.as_str()) {
                cx.push(
                    file,
                    line,
                    format!("applies_to country:{cc}: no place or link of the data is in {cc}"),
                );
            }
        }
        Scope::Place(pid) => {
            if !r.places.iter().any(|p| &p.id == pid) {
                cx.push(
                    file,
                    line,
                    format!(
                        "applies_to place:{pid} is not a place id in places.csv{}",
                        suggest_id(pid, r.places.iter().map(|p| p.id.as_str()))
                    ),
                );
            }
        }
        Scope::Link(lid) => {
            if !r.links.iter().any(|l| &l.id == lid) {
                cx.push(
                    file,
                    line,
                    format!(
                        "applies_to link:{lid} is not a link id in links.csv{}",
                        suggest_id(lid, link_ids())
                    ),
                );
            }
        }
    };
    for l in &r.links {
        if l.capacity.is_some() && !l.capacity_unit.is_empty() {
            let head = l.capacity_unit.split("_per_").next().unwrap_or("");
            if !CAPACITY_HEADS.contains(&head) || !l.capacity_unit.contains("_per_") {
                cx.push(
                    "links.csv",
                    l.line,
                    format!(
                        "capacity_unit '{}' is not UNIT_per_DEPARTURE with UNIT one of {} (e.g. trucks_per_sailing)",
                        l.capacity_unit,
                        CAPACITY_HEADS.join(", ")
                    ),
                );
            }
        }
    }
    let mut ids = std::collections::HashSet::new();
    for x in &c.cargo_rules {
        if !ids.insert(x.id.as_str()) {
            cx.push(
                "cargo_rules.csv",
                x.line,
                format!("duplicate id '{}'", x.id),
            );
        }
        check_scope(cx, "cargo_rules.csv", x.line, &x.applies_to);
        if let Some((b, _)) = &x.tare {
            if c.cargo_rules
                .iter()
                .any(|y| y.line < x.line && y.tare.as_ref().is_some_and(|(b2, _)| b2 == b))
            {
                cx.push(
                    "cargo_rules.csv",
                    x.line,
                    format!("a second tare for box {b}: give one"),
                );
            }
        }
        if let Some(sc) = &x.surcharge {
            if !r.fx.iter().any(|f| f.currency == sc.currency) {
                cx.push(
                    "cargo_rules.csv",
                    x.line,
                    format!("currency '{}' has no rate in fx.csv", sc.currency),
                );
            }
        }
        cx.src("cargo_rules.csv", x.line, "source", &x.source);
    }
    let mut ids = std::collections::HashSet::new();
    for x in &c.customs {
        if !ids.insert(x.id.as_str()) {
            cx.push("customs.csv", x.line, format!("duplicate id '{}'", x.id));
        }
        let base = x.link.strip_suffix("~r").unwrap_or(&x.link);
        match r.links.iter().find(|l| l.id == base) {
            None => cx.push(
                "customs.csv",
                x.line,
                format!(
                    "link '{}' is not a link id in links.csv{}",
                    x.link,
                    suggest_id(&x.link, link_ids())
                ),
            ),
            Some(l) if l.mode != Mode::Border => cx.push(
                "customs.csv",
                x.line,
                format!(
                    "link '{}' is a {} link; a customs regime applies at border links",
                    x.link, l.mode
                ),
            ),
            Some(l) if base != x.link && !l.bidirectional => cx.push(
                "customs.csv",
                x.line,
                format!("link '{}': ~r only for a bidirectional link", x.link),
            ),
            _ => {}
        }
        if let Some(pr) = &x.fee {
            if !r.fx.iter().any(|f| f.currency == pr.currency) {
                cx.push(
                    "customs.csv",
                    x.line,
                    format!("currency '{}' has no rate in fx.csv", pr.currency),
                );
            }
        }
        cx.src("customs.csv", x.line, "source", &x.source);
    }
    let mut ids = std::collections::HashSet::new();
    for x in &c.compliance {
        if !ids.insert(x.id.as_str()) {
            cx.push("compliance.csv", x.line, format!("duplicate id '{}'", x.id));
        }
        check_scope(cx, "compliance.csv", x.line, &x.applies_to);
        cx.src("compliance.csv", x.line, "source", &x.source);
    }
}
