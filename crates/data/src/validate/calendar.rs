//! Cross-file checks of services.csv and closures.csv.

use std::collections::HashSet;

use super::{suggest_id, Ctx};
use crate::load::Records;
use crate::model::ClosureEffect;

/// Services and closures name links (`ID~r` for the reverse of a bidirectional link) and
/// places that exist, origins with an IANA time zone, and sources.
pub(super) fn services_and_closures<'a>(r: &'a Records, cx: &mut Ctx<'a>) {
    let places: HashSet<&str> = r.places.iter().map(|p| p.id.as_str()).collect();
    // The origin place of a link id (`ID` or `ID~r` of a bidirectional link).
    let origin = |id: &str| -> Option<&str> {
        match id.strip_suffix("~r") {
            Some(base) => r
                .links
                .iter()
                .find(|l| l.id == base && l.bidirectional)
                .map(|l| l.to.as_str()),
            None => r.links.iter().find(|l| l.id == id).map(|l| l.from.as_str()),
        }
    };
    let link_ids = || r.links.iter().map(|l| l.id.as_str());
    for s in &r.services {
        match origin(&s.link) {
            None => cx.push(
                "services.csv",
                s.line,
                format!(
                    "link '{}' is not a link id in links.csv (ID~r only for a bidirectional link){}",
                    s.link,
                    suggest_id(&s.link, link_ids())
                ),
            ),
            Some(o) => {
                if let Some(pl) = r.places.iter().find(|p| p.id == o) {
                    if pl.timezone.parse::<chrono_tz::Tz>().is_err() {
                        cx.push(
                            "services.csv",
                            s.line,
                            format!(
                                "the origin {} of link '{}' has timezone '{}', not an IANA zone",
                                pl.id, s.link, pl.timezone
                            ),
                        );
                    }
                }
            }
        }
        cx.src("services.csv", s.line, "source", &s.source);
    }
    super::ranges::services(&r.services, cx);
    for c in &r.closures {
        super::ranges::date("closures.csv", c.line, "from_date", c.from_date, cx);
        super::ranges::date("closures.csv", c.line, "to_date", c.to_date, cx);
        if let Some(l) = &c.link {
            if origin(l).is_none() {
                cx.push(
                    "closures.csv",
                    c.line,
                    format!(
                        "link '{l}' is not a link id in links.csv{}",
                        suggest_id(l, link_ids())
                    ),
                );
            }
        }
        if let Some(p) = &c.place {
            if !places.contains(p.as_str()) {
                cx.push(
                    "closures.csv",
                    c.line,
                    format!("place '{p}' is not a place id in places.csv"),
                );
            }
        }
        cx.src("closures.csv", c.line, "source", &c.source);
        let days = (c.to_date - c.from_date).num_days() + 1;
        if c.effect == ClosureEffect::Wait && c.weekdays.is_empty() && days > MAX_WAIT_DAYS {
            cx.push(
                "closures.csv",
                c.line,
                format!(
                    "effect 'wait' holds cargo for {days} days in a row (at most {MAX_WAIT_DAYS}): a longer closure is effect 'closed', so routes go round it"
                ),
            );
        }
    }
}

/// The longest run of days a `wait` row may hold cargo: a holiday week, not a season.
const MAX_WAIT_DAYS: i64 = 31;
