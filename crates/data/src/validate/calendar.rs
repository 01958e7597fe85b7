//! Cross-file checks of services.csv and closures.csv.

use std::collections::HashSet;

use super::{suggest_id, Ctx};
use crate::load::Records;
use crate::model::ClosureEffect;

/// Services and closures name links (`ID~r` for the reverse of a bidirectional link) and
/// places that exist, origins with an IANA time zone, and sources.
pub(super) fn services_and_closures<'a>(r: &'a Records, cx: &mut Ctx<'a>) {
    let places: HashSet<&str> = r.places.iter().map(|p| p.id.as_str()).collect();
    let origin = |id: &str| origin_of(r, id);
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
    boarding_services(r, cx);
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

/// `waits=boarding` rows are trains (rail links); a directed link's rows are all `boarding`
/// or all `all`, and either a timetable or one frequency row.
fn boarding_services<'a>(r: &'a Records, cx: &mut Ctx<'a>) {
    use crate::model::ServiceWaits;
    let mut seen: std::collections::HashMap<&str, (ServiceWaits, bool)> = Default::default();
    // Frequency rows of one link: one per destination country, and one for every destination.
    let mut served: std::collections::HashSet<(&str, &str)> = Default::default();
    let countries: std::collections::HashSet<&str> =
        r.places.iter().map(|p| p.country.as_str()).collect();
    for s in &r.services {
        let base = s.link.strip_suffix("~r").unwrap_or(&s.link);
        let mode = r.links.iter().find(|l| l.id == base).map(|l| l.mode);
        if s.waits == ServiceWaits::Boarding && mode.is_some_and(|m| m != crate::Mode::Rail) {
            cx.push(
                "services.csv",
                s.line,
                format!(
                    "waits=boarding is for trains, and link '{}' is {}: write waits=all, or \
                     give the link's departures_per_week in links.csv",
                    s.link,
                    mode.map_or("", |m| m.as_str())
                ),
            );
        }
        if s.waits == ServiceWaits::Boarding {
            if let Some(o) = origin_of(r, &s.link) {
                let ferry = r.links.iter().find(|f| {
                    f.mode == crate::Mode::Ferry
                        && f.carries.contains(&crate::Carries::Wagon)
                        && (f.to == o || (f.bidirectional && f.from == o))
                });
                if let Some(f) = ferry {
                    cx.push(
                        "services.csv",
                        s.line,
                        format!(
                            "waits=boarding at {o}, which rail ferries reach with wagons ('{}'): \
                             a wagon rolled off the ferry keeps its carrier and would ride \
                             through without waiting; give the wait in the ferry's or the \
                             port's figures instead",
                            f.id
                        ),
                    );
                }
            }
        }
        for c in &s.to_countries {
            if !countries.contains(c.as_str()) {
                cx.push(
                    "services.csv",
                    s.line,
                    format!("to_countries '{c}' is no country of places.csv"),
                );
            }
        }
        let frequency = s.departures_per_week.is_some();
        if frequency && !s.to_countries.is_empty() {
            for c in &s.to_countries {
                if !served.insert((s.link.as_str(), c.as_str())) {
                    cx.push(
                        "services.csv",
                        s.line,
                        format!(
                            "link '{}' has another frequency row for trains to {c}",
                            s.link
                        ),
                    );
                }
            }
            continue;
        }
        match seen.get(s.link.as_str()) {
            None => {
                seen.insert(&s.link, (s.waits, frequency));
            }
            Some(&(w, f)) => {
                if w != s.waits {
                    cx.push(
                        "services.csv",
                        s.line,
                        format!(
                            "link '{}' has rows with waits={} and waits={}: one link's \
                             departures are waited for by the same consignments",
                            s.link,
                            w.as_str(),
                            s.waits.as_str()
                        ),
                    );
                } else if f || frequency {
                    cx.push(
                        "services.csv",
                        s.line,
                        format!(
                            "link '{}' has another row: a link's departures are a timetable \
                             (weekday rows) or one departures_per_week row, not both or two",
                            s.link
                        ),
                    );
                }
            }
        }
    }
}

/// The origin place of a directed link id (`ID`, or `ID~r` of a bidirectional link).
fn origin_of<'a>(r: &'a Records, id: &str) -> Option<&'a str> {
    match id.strip_suffix("~r") {
        Some(base) => r
            .links
            .iter()
            .find(|l| l.id == base && l.bidirectional)
            .map(|l| l.to.as_str()),
        None => r.links.iter().find(|l| l.id == id).map(|l| l.from.as_str()),
    }
}
