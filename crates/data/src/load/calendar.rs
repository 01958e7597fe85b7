//! Rows of the calendar files: timetabled services and closures.

use super::reader::{FromRow, Row};
use crate::model::*;

impl FromRow for Service {
    const FILE: &'static str = "services.csv";
    const REQUIRED: &'static [&'static str] = &["link", "weekdays", "departure_local", "source"];
    const OPTIONAL: &'static [&'static str] = &[
        "departures_per_week",
        "waits",
        "to_countries",
        "valid_from",
        "valid_to",
        "note",
    ];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let link = row.req_str("link");
        let mut weekdays = Vec::new();
        for w in row.list("weekdays") {
            match w.parse::<chrono::Weekday>() {
                Ok(d) => weekdays.push(d),
                Err(_) => row.problem(format!(
                    "weekday '{w}' is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"
                )),
            }
        }
        let departures_per_week = row.opt_f64("departures_per_week");
        let waits = match row.raw("waits") {
            "" | "all" => ServiceWaits::All,
            "boarding" => ServiceWaits::Boarding,
            w => {
                row.problem(format!("waits '{w}' is not one of all, boarding"));
                ServiceWaits::All
            }
        };
        let to_countries = row.list("to_countries");
        if !to_countries.is_empty() && departures_per_week.is_none() {
            row.problem("to_countries applies to frequency rows (departures_per_week) only".into());
        }
        let dep = row.raw("departure_local").to_string();
        let departure_local = match departures_per_week {
            Some(d) => {
                // A frequency row: trains per week, no timetable.
                if d.is_nan() || d <= 0.0 {
                    row.problem(format!("departures_per_week must be > 0, got {d}"));
                }
                if !row.raw("weekdays").is_empty() || !dep.is_empty() {
                    row.problem(
                        "give either weekdays and departure_local (a timetable) or \
                         departures_per_week (a frequency), not both"
                            .into(),
                    );
                }
                if waits != ServiceWaits::Boarding && row.ok {
                    row.problem(
                        "a frequency row is a train that starts at the link's origin: write \
                         waits=boarding (a link every consignment waits on, such as a ferry, \
                         gives its departures_per_week in links.csv)"
                            .into(),
                    );
                }
                if !row.raw("valid_from").is_empty() || !row.raw("valid_to").is_empty() {
                    row.problem(
                        "valid_from and valid_to apply to timetabled rows (weekdays) only".into(),
                    );
                }
                Some(chrono::NaiveTime::MIN)
            }
            None => {
                if weekdays.is_empty() && row.ok {
                    row.problem(
                        "missing weekdays (e.g. Tue|Fri), or departures_per_week for a \
                         service published as trains per week"
                            .into(),
                    );
                }
                match chrono::NaiveTime::parse_from_str(&dep, "%H:%M") {
                    Ok(t) => Some(t),
                    Err(_) => {
                        row.problem(format!("departure_local '{dep}' is not a time HH:MM"));
                        None
                    }
                }
            }
        };
        let valid_from = row.opt_date("valid_from");
        let valid_to = row.opt_date("valid_to");
        if let (Some(a), Some(b)) = (valid_from, valid_to) {
            if b < a {
                row.problem(format!("valid_to {b} is before valid_from {a}"));
            }
        }
        let source = row.req_str("source");
        let departure_local = departure_local?;
        Some(Service {
            link,
            weekdays,
            departure_local,
            departures_per_week,
            waits,
            to_countries,
            note: row.opt_str("note").unwrap_or_default(),
            valid_from,
            valid_to,
            source,
            line: row.line,
        })
    }
}

impl FromRow for Closure {
    const FILE: &'static str = "closures.csv";
    const REQUIRED: &'static [&'static str] = &["from_date", "to_date", "reason", "source"];
    const OPTIONAL: &'static [&'static str] = &[
        "link",
        "place",
        "weekdays",
        "effect",
        "added_wait_h",
        "note",
    ];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let link = row.opt_str("link");
        let place = row.opt_str("place");
        if link.is_some() == place.is_some() {
            row.problem("give exactly one of link and place".into());
        }
        let from_date = row.opt_date("from_date");
        let to_date = row.opt_date("to_date");
        if from_date.is_none() && row.raw("from_date").is_empty() {
            row.problem("missing from_date".into());
        }
        if to_date.is_none() && row.raw("to_date").is_empty() {
            row.problem("missing to_date".into());
        }
        if let (Some(a), Some(b)) = (from_date, to_date) {
            if b < a {
                row.problem(format!("to_date {b} is before from_date {a}"));
            }
        }
        let mut weekdays = Vec::new();
        for w in row.list("weekdays") {
            match w.parse::<chrono::Weekday>() {
                Ok(d) if !weekdays.contains(&d) => weekdays.push(d),
                Ok(_) => row.problem(format!("weekday '{w}' is given twice")),
                Err(_) => row.problem(format!(
                    "weekday '{w}' is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"
                )),
            }
        }
        if weekdays.len() == 7 {
            // Every day: the same as none given.
            weekdays.clear();
        }
        let added = row.raw("added_wait_h").to_string();
        let effect = match row.raw("effect") {
            "" | "closed" | "wait" if !added.is_empty() => {
                row.problem(
                    "added_wait_h is for effect 'delay': set effect to delay or empty added_wait_h"
                        .into(),
                );
                None
            }
            "" | "closed" => Some(ClosureEffect::Closed),
            "wait" => Some(ClosureEffect::Wait),
            "delay" => match added.parse::<f64>() {
                Ok(h) if h.is_finite() && h > 0.0 && h <= 2000.0 => Some(ClosureEffect::Delay(h)),
                Ok(_) => {
                    row.problem(format!(
                        "added_wait_h {added} is out of range: give hours above 0 and at most 2000"
                    ));
                    None
                }
                Err(_) if added.is_empty() => {
                    row.problem("effect 'delay' needs added_wait_h (hours, e.g. 36)".into());
                    None
                }
                Err(_) => {
                    row.problem(format!("added_wait_h '{added}' is not a number of hours"));
                    None
                }
            },
            other => {
                row.problem(format!(
                    "effect '{other}' is not one of closed (the default), wait, delay"
                ));
                None
            }
        };
        let reason = row.req_str("reason");
        let source = row.req_str("source");
        let (Some(from_date), Some(to_date), Some(effect)) = (from_date, to_date, effect) else {
            return None;
        };
        Some(Closure {
            link,
            place,
            from_date,
            to_date,
            weekdays,
            effect,
            reason,
            source,
            line: row.line,
        })
    }
}
