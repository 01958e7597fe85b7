//! Cross-file checks of distributions.csv: each row's element is a link or place of the data,
//! one distribution per element and time, and its sources exist.

use std::collections::HashMap;

use super::{suggest_id, Ctx};
use crate::load::Records;

/// Elements exist (an unknown id is an error at the row's line, with the nearest id), an
/// element's time has at most one distribution, sources exist.
pub(super) fn distributions<'a>(r: &'a Records, cx: &mut Ctx<'a>) {
    const FILE: &str = "distributions.csv";
    let mut seen: HashMap<(&str, &str), u64> = HashMap::new();
    for d in &r.distributions {
        match d.element_parts() {
            Some(("link", id)) if !r.links.iter().any(|l| l.id == id) => cx.push(
                FILE,
                d.line,
                format!(
                    "element '{}': '{id}' is not a link id in links.csv{}",
                    d.element,
                    suggest_id(id, r.links.iter().map(|l| l.id.as_str()))
                ),
            ),
            Some(("place", id)) if !r.places.iter().any(|p| p.id == id) => cx.push(
                FILE,
                d.line,
                format!(
                    "element '{}': '{id}' is not a place id in places.csv{}",
                    d.element,
                    suggest_id(id, r.places.iter().map(|p| p.id.as_str()))
                ),
            ),
            _ => {}
        }
        if let Some(first) = seen.insert((d.element.as_str(), d.quantity.as_str()), d.line) {
            cx.push(
                FILE,
                d.line,
                format!(
                    "{} {} already has a distribution at line {first}; keep one",
                    d.element, d.quantity
                ),
            );
        }
        if r.distributions.iter().filter(|x| x.id == d.id).count() > 1 {
            cx.push(FILE, d.line, format!("duplicate id '{}'", d.id));
        }
        for s in &d.sources {
            cx.src(FILE, d.line, "source", s);
        }
    }
}
