//! Cross-file checks of sea_rates.csv: the link exists and runs one way, the dates are in range,
//! a link's periods do not overlap, the source exists.

use std::collections::HashMap;

use super::{suggest_id, Ctx};
use crate::load::Records;

const FILE: &str = "sea_rates.csv";

pub(super) fn sea_rates<'a>(r: &'a Records, cx: &mut Ctx<'a>) {
    let link_ids = || r.links.iter().map(|l| l.id.as_str());
    // Per link, the periods seen so far (from, to, line).
    let mut seen: HashMap<&str, Vec<(chrono::NaiveDate, chrono::NaiveDate, u64)>> = HashMap::new();
    for s in &r.sea_rates {
        super::ranges::date(FILE, s.line, "valid_from", s.valid_from, cx);
        super::ranges::date(FILE, s.line, "valid_to", s.valid_to, cx);
        match r.links.iter().find(|l| l.id == s.link) {
            None => cx.push(
                FILE,
                s.line,
                format!(
                    "link '{}' is not a link id in links.csv{}",
                    s.link,
                    suggest_id(&s.link, link_ids())
                ),
            ),
            Some(l) if l.bidirectional => cx.push(
                FILE,
                s.line,
                format!(
                    "link '{}' is bidirectional, but a rate is quoted for one direction: give one-way links (one per direction) a rate each",
                    s.link
                ),
            ),
            Some(_) => {}
        }
        if !r.fx.iter().any(|f| f.currency == s.price.currency) {
            cx.push(
                FILE,
                s.line,
                format!(
                    "currency '{}' has no rate in fx.csv: add it there or quote the rate in a currency fx.csv has",
                    s.price.currency
                ),
            );
        }
        let periods = seen.entry(s.link.as_str()).or_default();
        if let Some((a, b, line)) = periods
            .iter()
            .find(|(a, b, _)| s.valid_from <= *b && *a <= s.valid_to)
        {
            cx.push(
                FILE,
                s.line,
                format!(
                    "period {}..{} of link '{}' overlaps {a}..{b} at line {line}: a date has one rate; end one period before the next begins",
                    s.valid_from, s.valid_to, s.link
                ),
            );
        }
        periods.push((s.valid_from, s.valid_to, s.line));
        cx.src(FILE, s.line, "source", &s.source);
    }
}
