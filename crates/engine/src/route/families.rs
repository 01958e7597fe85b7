//! Stage 5b, the short list a forwarder shows: alternatives that are plausible and that differ.
//!
//! The Pareto front is exact and can hold variants of one corridor (four Northern rail options
//! a day apart) and round-the-world oddities that win one criterion (Dushanbe → Shanghai by
//! rail to Rotterdam and back by sea, 65 days, to save 25% CO2e). Unless the request asks for
//! `all_alternatives`, the answer keeps:
//! - **plausible** itineraries ([`Engine::implausible`]): not a detour (no place off the
//!   origin–destination ellipse of [`MAX_ELLIPSE`] when slower than [`DETOUR_SLOWER`] × the
//!   fastest), no country entered twice, within `max_days`;
//! - **one per corridor family** among the unlabelled: a family is the countries in order, the
//!   modes used, and the sea and ferry lines taken ([`Engine::family_key`]); the labelled
//!   optima all stay;
//! - **the best of each other family** that the fastest itinerary's corridor hides: one
//!   search per transit country of the fastest, avoiding it, labelled `other_corridor`
//!   ([`Engine::other_corridors`]), if plausible and at most [`OTHER_SLOWER`] × the fastest.
//!
//! Families come from the data (countries, modes, lines), not from a list of corridor names.

use corridor_data::geodesy::great_circle_km;
use corridor_data::Mode;

use super::plan::{Active, Plan};
use super::Engine;
use crate::answer::Itinerary;
use crate::pareto::{Crit, FrontPath, TIME};
use crate::search::Weight;

/// A place farther off the way than this (sum of its great circles to the origin and to the
/// destination over the origin–destination great circle) makes a slow itinerary a detour.
pub(crate) const MAX_ELLIPSE: f64 = 1.8;
/// A detour is left out only when it is also this much slower than the fastest.
pub(crate) const DETOUR_SLOWER: f64 = 1.5;
/// The best of another corridor family is shown when at most this much slower than the
/// fastest.
pub(crate) const OTHER_SLOWER: f64 = 2.0;

/// Why an itinerary of the front is left out of the short list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Implausible {
    /// Slower than `max_days` (days, max_days).
    OverMaxDays(f64, f64),
    /// Enters a country twice.
    Loop(String),
    /// A detour by a place far off the way.
    Detour {
        /// The place farthest off the way.
        place: String,
        /// Its detour ratio (great circles via it over the direct one).
        ratio: f64,
        /// The itinerary's days.
        days: f64,
        /// The fastest's days.
        fastest_days: f64,
    },
}

/// The reasons as the answer states them, one entry per place, country or limit: "a detour:
/// by Rotterdam (2.0× the direct distance): 27 itineraries of 43.7–54.7 days against 15.5 for
/// the fastest" rather than 27 entries.
pub(crate) fn left_out_text(why: &[Implausible]) -> Vec<String> {
    fn span(days: &[f64]) -> String {
        let lo = days.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = days.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if days.len() == 1 {
            format!("{lo:.1} days")
        } else {
            format!("{} itineraries of {lo:.1}–{hi:.1} days", days.len())
        }
    }
    let mut out = Vec::new();
    // Keyed in first-seen order: the answer lists them as the front met them.
    let mut over: Vec<(String, Vec<f64>)> = Vec::new();
    let mut loops: Vec<(String, usize)> = Vec::new();
    let mut detours: Vec<(String, f64, Vec<f64>)> = Vec::new();
    for w in why {
        match w {
            Implausible::OverMaxDays(d, max) => {
                let k = format!("{max}");
                match over.iter_mut().find(|(m, _)| *m == k) {
                    Some((_, v)) => v.push(*d),
                    None => over.push((k, vec![*d])),
                }
            }
            Implausible::Loop(c) => match loops.iter_mut().find(|(x, _)| x == c) {
                Some((_, n)) => *n += 1,
                None => loops.push((c.clone(), 1)),
            },
            Implausible::Detour {
                place,
                ratio,
                days,
                fastest_days,
            } => {
                let key = format!("a detour: by {place} ({ratio:.1}× the direct distance)");
                match detours.iter_mut().find(|(k, _, _)| *k == key) {
                    Some((_, _, v)) => v.push(*days),
                    None => detours.push((key, *fastest_days, vec![*days])),
                }
            }
        }
    }
    for (max, days) in over {
        out.push(format!("{}, over max_days {max}", span(&days)));
    }
    for (c, n) in loops {
        out.push(if n == 1 {
            format!("enters {c} twice")
        } else {
            format!("{n} itineraries enter {c} twice")
        });
    }
    for (key, fastest, days) in detours {
        let sep = if days.len() == 1 { "," } else { ":" };
        out.push(format!(
            "{key}{sep} {} against {fastest:.1} for the fastest",
            span(&days)
        ));
    }
    out
}

impl Engine {
    /// Why `p` is not a plausible alternative next to the fastest (`fastest_h`), or None.
    pub(crate) fn implausible(
        &self,
        plan: &Plan,
        p: &FrontPath,
        fastest_h: f64,
    ) -> Option<Implausible> {
        let g = self.g();
        let days = p.crit[TIME] / 24.0;
        if let Some(max) = plan.max_days {
            if days > max {
                return Some(Implausible::OverMaxDays(days, max));
            }
        }
        let (Some(first), Some(last)) = (p.steps.first(), p.steps.last()) else {
            return None;
        };
        let (o, d) = (
            g.place(g.arc(first.arc.index()).from.index()),
            g.place(g.arc(last.arc.index()).to.index()),
        );
        // Countries in order: one entered, left and entered again is a loop.
        let mut seq: Vec<&str> = vec![o.country.as_str()];
        for st in &p.steps {
            let c = g.place(g.arc(st.arc.index()).to.index()).country.as_str();
            if seq.last() != Some(&c) {
                if seq.contains(&c) && p.crit[TIME] > fastest_h + 1e-9 {
                    return Some(Implausible::Loop(c.to_string()));
                }
                seq.push(c);
            }
        }
        if p.crit[TIME] <= DETOUR_SLOWER * fastest_h {
            return None;
        }
        let od = great_circle_km(o.lat, o.lon, d.lat, d.lon).max(1.0);
        let (far, ratio) = p
            .steps
            .iter()
            .map(|st| g.place(g.arc(st.arc.index()).to.index()))
            .map(|q| {
                let r = (great_circle_km(o.lat, o.lon, q.lat, q.lon)
                    + great_circle_km(q.lat, q.lon, d.lat, d.lon))
                    / od;
                (q, r)
            })
            .fold((o, 1.0), |best, x| if x.1 > best.1 { x } else { best });
        (ratio > MAX_ELLIPSE).then(|| Implausible::Detour {
            place: far.name.clone(),
            ratio,
            days,
            fastest_days: fastest_h / 24.0,
        })
    }

    /// The corridor family of a path: countries in order, modes used (borders aside) and the
    /// sea and ferry lines taken.
    pub(crate) fn family_key(&self, p: &FrontPath) -> String {
        let g = self.g();
        let mut countries: Vec<&str> = Vec::new();
        let mut modes: Vec<&str> = Vec::new();
        let mut lines: Vec<&str> = Vec::new();
        for st in &p.steps {
            let arc = g.arc(st.arc.index());
            for pl in [arc.from, arc.to] {
                let c = g.place(pl.index()).country.as_str();
                if countries.last() != Some(&c) {
                    countries.push(c);
                }
            }
            if arc.mode != Mode::Border {
                let m = arc.mode.as_str();
                if !modes.contains(&m) {
                    modes.push(m);
                }
            }
            if matches!(arc.mode, Mode::Sea | Mode::Ferry) {
                lines.push(g.link(arc.link as usize).id.as_str());
            }
        }
        modes.sort_unstable();
        format!(
            "{}|{}|{}",
            countries.join(">"),
            modes.join("+"),
            lines.join(",")
        )
    }

    /// The best (fastest) itinerary of each corridor family the fastest path hides: one search
    /// per country the fastest crosses between origin and destination, avoiding it. Paths whose
    /// family is in `seen` are skipped; the rest come back once each.
    pub(crate) fn other_corridors(
        &self,
        plan: &Plan,
        all: Active,
        fastest: &FrontPath,
        ac: &[Crit],
        tc: &[Crit],
        seen: &[String],
    ) -> Vec<FrontPath> {
        let g = self.g();
        let (Some(first), Some(last)) = (fastest.steps.first(), fastest.steps.last()) else {
            return Vec::new();
        };
        let ends = [
            g.place(g.arc(first.arc.index()).from.index())
                .country
                .as_str(),
            g.place(g.arc(last.arc.index()).to.index()).country.as_str(),
        ];
        let mut transit: Vec<&str> = Vec::new();
        for st in &fastest.steps {
            let c = g.place(g.arc(st.arc.index()).to.index()).country.as_str();
            if !ends.contains(&c) && !transit.contains(&c) {
                transit.push(c);
            }
        }
        let w = |c: &Crit| Weight(c[TIME], c[1]);
        let aw: Vec<Weight> = ac.iter().map(w).collect();
        let tw: Vec<Weight> = tc.iter().map(w).collect();
        let mut seen: Vec<String> = seen.to_vec();
        let mut out = Vec::new();
        for c in transit {
            if plan.out_of_time() {
                break;
            }
            let blocked = |ai: usize| {
                let a = g.arc(ai);
                g.place(a.from.index()).country == c || g.place(a.to.index()).country == c
            };
            if let Some((_, steps)) = self.run_weighted_blocked(plan, all, &aw, &tw, w, &blocked) {
                let p = self.path_figures(plan, ac, tc, steps);
                let key = self.family_key(&p);
                if !seen.contains(&key) {
                    seen.push(key);
                    out.push(p);
                }
            }
        }
        out
    }
    /// Fills the places left after the labelled optima (`chosen`) up to `n`: the rest of the
    /// front in `rest` order, one per corridor family unless the plan asks for all
    /// alternatives, then the best of other corridor families (`others`, appended to `cands`)
    /// if plausible and at most [`OTHER_SLOWER`] × the fastest. A place is kept for each of
    /// `others`: the rest of the front fills the places they leave. Returns how many were left
    /// out as of a family already shown, and the index in `cands` where the others start.
    pub(crate) fn fill_alternatives(
        &self,
        plan: &Plan,
        cands: &mut Vec<FrontPath>,
        chosen: &mut Vec<usize>,
        rest: Vec<usize>,
        others: Vec<FrontPath>,
        n: usize,
    ) -> LeftOut {
        // The short list: an unlabelled alternative only of a family not shown yet.
        let mut families: Vec<String> =
            chosen.iter().map(|&i| self.family_key(&cands[i])).collect();
        // Places are kept for the best of the corridor families the fastest hides (rule 4,
        // docs/alternatives.md): the rest of the front fills the places they leave.
        let reserve = others.len();
        let mut later: Vec<usize> = Vec::new();
        let all = plan.all_alternatives;
        let fill = |i: usize, key: String, chosen: &mut Vec<usize>, families: &mut Vec<String>| {
            if !all {
                if families.contains(&key) {
                    return;
                }
                families.push(key);
            }
            chosen.push(i);
        };
        for i in rest {
            if chosen.len() >= n {
                break;
            }
            if chosen.len() + reserve >= n {
                later.push(i);
                continue;
            }
            fill(i, self.family_key(&cands[i]), chosen, &mut families);
        }
        // Then the best of other corridor families, plausible and not too slow.
        let fastest_h = cands
            .iter()
            .map(|c| c.crit[TIME])
            .fold(f64::INFINITY, f64::min);
        let first_other = cands.len();
        for o in others {
            if chosen.len() >= n {
                break;
            }
            let key = self.family_key(&o);
            if families.contains(&key)
                || o.crit[TIME] > OTHER_SLOWER * fastest_h
                || self.implausible(plan, &o, fastest_h).is_some()
            {
                continue;
            }
            families.push(key);
            chosen.push(cands.len());
            cands.push(o);
        }
        // The places the other corridor families left: the rest of the front.
        for i in later {
            if chosen.len() >= n {
                break;
            }
            fill(i, self.family_key(&cands[i]), chosen, &mut families);
        }
        // What of the front the short list leaves out: more of a family already shown, or
        // beyond the places asked for (both shown by all_alternatives).
        let (mut same_family, mut beyond) = (0usize, 0usize);
        for i in (0..first_other).filter(|i| !chosen.contains(i)) {
            if !all && families.contains(&self.family_key(&cands[i])) {
                same_family += 1;
            } else {
                beyond += 1;
            }
        }
        LeftOut {
            same_family,
            beyond,
            first_other,
        }
    }
}

/// What the short list left out of the front, and where the other-corridor picks begin.
pub(crate) struct LeftOut {
    /// Front members of a corridor family already shown.
    pub same_family: usize,
    /// Front members of a family not shown, for want of places (`alternatives`).
    pub beyond: usize,
    /// Candidates from this index on are other-corridor picks (off the front).
    pub first_other: usize,
}

/// The corridor of an itinerary in words, for people: modes, the countries crossed between
/// origin and destination, and the sea and ferry lines and sea passages taken
/// (`rail + ferry via KZ–AZ–GE; ferry Port of Kuryk → Port of Baku (Alat)`).
pub(crate) fn corridor_name(it: &Itinerary) -> String {
    let t = &it.totals;
    let modes: Vec<&str> = t
        .modes
        .iter()
        .map(String::as_str)
        .filter(|m| *m != "border")
        .collect();
    let mut s = modes.join(" + ");
    let n = t.countries.len();
    if n > 2 {
        s.push_str(&format!(" via {}", t.countries[1..n - 1].join("–")));
    }
    let mut lines: Vec<String> = Vec::new();
    for l in &it.legs {
        if matches!(l.mode.as_str(), "sea" | "ferry") {
            lines.push(format!("{} {} → {}", l.mode, l.from.name, l.to.name));
        }
        for p in &l.passages {
            let p = format!("passage {p}");
            if !lines.contains(&p) {
                lines.push(p);
            }
        }
    }
    if !lines.is_empty() {
        s.push_str(&format!("; {}", lines.join(", ")));
    }
    s
}

#[cfg(test)]
mod left_out_tests {
    use super::*;

    #[test]
    fn detours_by_one_place_are_one_entry() {
        let d = |place: &str, days: f64| Implausible::Detour {
            place: place.into(),
            ratio: 2.04,
            days,
            fastest_days: 15.5,
        };
        let why = vec![
            d("Rotterdam", 54.7),
            d("Rotterdam", 43.7),
            Implausible::Loop("RU".into()),
            d("Duisburg", 50.0),
            d("Rotterdam", 47.0),
            Implausible::Loop("RU".into()),
            Implausible::OverMaxDays(31.2, 25.0),
        ];
        assert_eq!(
            left_out_text(&why),
            [
                "31.2 days, over max_days 25",
                "2 itineraries enter RU twice",
                "a detour: by Rotterdam (2.0× the direct distance): 3 itineraries of 43.7–54.7 days against 15.5 for the fastest",
                "a detour: by Duisburg (2.0× the direct distance), 50.0 days against 15.5 for the fastest",
            ]
        );
    }
}
