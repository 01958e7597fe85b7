//! Place-name matching: folding (case, accents, punctuation, Ł→L, Ø→O) and resolution of a
//! user's words to places or a city group, with suggestions for near misses.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::model::{Group, Place};

/// Folds a name for matching: NFD, drop combining marks, map letters NFD leaves whole
/// (Ł→l, Ø→o, ß→ss, Æ→ae, Œ→oe, Đ→d, Þ→th, ı→i), lower-case, drop everything that is not a
/// letter or digit. Chinese and Cyrillic letters are kept (Cyrillic lower-cased).
///
/// ```
/// use corridor_data::names::fold;
/// assert_eq!(fold("ŁÓDŹ"), "lodz");
/// assert_eq!(fold("XI'AN"), "xian");
/// assert_eq!(fold("Актау"), "актау");
/// assert_eq!(fold("西安"), "西安");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'Ł' | 'ł' => out.push('l'),
            'Ø' | 'ø' => out.push('o'),
            'ß' | 'ẞ' => out.push_str("ss"),
            'Æ' | 'æ' => out.push_str("ae"),
            'Œ' | 'œ' => out.push_str("oe"),
            'Đ' | 'đ' => out.push('d'),
            'Þ' | 'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            'Ə' | 'ə' => out.push('a'),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// A rough transliteration-insensitive key for suggestions: Aktow, Aqtau and Aktau meet.
fn phonetic(s: &str) -> String {
    let mut t = s.to_string();
    for (a, b) in [
        ("dzh", "j"),
        ("zh", "j"),
        ("kh", "h"),
        ("ow", "au"),
        ("ou", "u"),
        ("iy", "i"),
        ("q", "k"),
        ("y", "i"),
        ("w", "v"),
    ] {
        t = t.replace(a, b);
    }
    t
}

/// Longest place name, in characters, that is matched at all. No place name comes near it; a
/// longer input resolves to [`NameError::Unknown`] with no suggestions, so that "did you
/// mean" matching (which costs time in proportion to the input's length) stays bounded.
/// Interfaces refuse longer names up front (`InvalidValue` naming the field and this limit).
pub const MAX_NAME_CHARS: usize = 200;

/// Distinct unknown names whose suggestions are remembered (the memo is cleared when full).
const SUGGESTION_MEMO: usize = 1024;

/// Most candidates scored per suggestion: past it the best of the first ones are given.
const MAX_CANDIDATES: usize = 100_000;

/// What a name resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Human label: the place or group name.
    pub label: String,
    /// Group id if the name stands for a city group.
    pub group: Option<String>,
    /// The places (indices into the dataset's places), sorted.
    pub places: Vec<usize>,
}

/// Why a name did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Nothing matched; near misses as display strings ("Aktau (KZSCO, KZ)").
    Unknown {
        /// The input.
        input: String,
        /// Suggestions, best first.
        suggestions: Vec<String>,
    },
    /// The name is shared by places in different groups.
    Ambiguous {
        /// The input.
        input: String,
        /// The candidates as display strings.
        candidates: Vec<String>,
    },
    /// The input is empty after folding.
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Place(usize),
    Group(usize),
}

/// An index of every folded name, alias and id.
#[derive(Debug, Default)]
pub struct NameIndex {
    keys: HashMap<String, BTreeSet<Target>>,
    /// (folded key, display) for suggestions and search.
    entries: Vec<(String, Target)>,
    /// The phonetic key of each entry (computed once, with the index).
    phonetic: Vec<String>,
    /// Suggestions already computed, by folded input: a table of 60 lanes from one unknown
    /// name computes them once.
    memo: Mutex<HashMap<String, Vec<String>>>,
}

impl Clone for NameIndex {
    fn clone(&self) -> Self {
        NameIndex {
            keys: self.keys.clone(),
            entries: self.entries.clone(),
            phonetic: self.phonetic.clone(),
            memo: Mutex::default(),
        }
    }
}

impl NameIndex {
    /// Builds the index.
    pub fn new(places: &[Place], groups: &[Group]) -> NameIndex {
        let mut idx = NameIndex::default();
        let add = |idx: &mut NameIndex, name: &str, t: Target| {
            let k = fold(name);
            if k.is_empty() {
                return;
            }
            if idx.keys.entry(k.clone()).or_default().insert(t) {
                idx.entries.push((k, t));
            }
        };
        for (i, p) in places.iter().enumerate() {
            add(&mut idx, &p.id, Target::Place(i));
            add(&mut idx, &p.name, Target::Place(i));
            for a in &p.aliases {
                add(&mut idx, a, Target::Place(i));
            }
        }
        for (i, g) in groups.iter().enumerate() {
            add(&mut idx, &g.id, Target::Group(i));
            add(&mut idx, &g.name, Target::Group(i));
            for a in &g.aliases {
                add(&mut idx, a, Target::Group(i));
            }
        }
        idx.phonetic = idx.entries.iter().map(|(k, _)| phonetic(k)).collect();
        idx
    }

    fn display(t: Target, places: &[Place], groups: &[Group]) -> String {
        match t {
            Target::Place(i) => {
                let p = &places[i];
                format!("{} ({}, {})", p.name, p.id, p.country)
            }
            Target::Group(i) => {
                let g = &groups[i];
                format!("{} (city group '{}', {})", g.name, g.id, g.country)
            }
        }
    }

    /// Resolves a user's words to places.
    ///
    /// An exact place id (any case) wins. Otherwise the folded input is matched against every
    /// name and alias: a city group's name gives all its terminals; a terminal's own name gives
    /// that terminal. Names shared across groups are ambiguous and list the candidates.
    pub fn resolve(
        &self,
        input: &str,
        places: &[Place],
        groups: &[Group],
    ) -> Result<Resolved, NameError> {
        let trimmed = input.trim();
        if let Some(i) = places
            .iter()
            .position(|p| p.id.eq_ignore_ascii_case(trimmed))
        {
            return Ok(Resolved {
                label: places[i].name.clone(),
                group: None,
                places: vec![i],
            });
        }
        if trimmed.is_empty() {
            return Err(NameError::Empty);
        }
        if trimmed.chars().count() > MAX_NAME_CHARS {
            // Longer than any name: no match and no suggestions (bounded work).
            return Err(NameError::Unknown {
                input: input.to_string(),
                suggestions: vec![],
            });
        }
        let k = fold(trimmed);
        if k.is_empty() {
            // Only punctuation or symbols: no name can match.
            return Err(NameError::Unknown {
                input: input.to_string(),
                suggestions: vec![],
            });
        }
        let Some(targets) = self.keys.get(&k) else {
            return Err(NameError::Unknown {
                input: input.to_string(),
                suggestions: self.suggest(&k, places, groups),
            });
        };
        // Group key of each target: the group, or the place itself when it has none.
        let group_of = |t: &Target| -> Result<usize, usize> {
            match *t {
                Target::Group(g) => Ok(g),
                Target::Place(p) => match &places[p].group {
                    Some(gid) => groups.iter().position(|g| &g.id == gid).ok_or(p),
                    None => Err(p),
                },
            }
        };
        let keys: BTreeSet<Result<usize, usize>> = targets.iter().map(group_of).collect();
        if keys.len() > 1 {
            return Err(NameError::Ambiguous {
                input: input.to_string(),
                candidates: targets
                    .iter()
                    .map(|t| Self::display(*t, places, groups))
                    .collect(),
            });
        }
        if let Some(Target::Group(g)) = targets.iter().find(|t| matches!(t, Target::Group(_))) {
            let gid = &groups[*g].id;
            let members: Vec<usize> = places
                .iter()
                .enumerate()
                .filter(|(_, p)| p.group.as_deref() == Some(gid))
                .map(|(i, _)| i)
                .collect();
            return Ok(Resolved {
                label: groups[*g].name.clone(),
                group: Some(gid.clone()),
                places: members,
            });
        }
        let ps: Vec<usize> = targets
            .iter()
            .filter_map(|t| match t {
                Target::Place(p) => Some(*p),
                Target::Group(_) => None,
            })
            .collect();
        let label = if ps.len() == 1 {
            places[ps[0]].name.clone()
        } else {
            trimmed.to_string()
        };
        Ok(Resolved {
            label,
            group: None,
            places: ps,
        })
    }

    /// Up to three near misses for a folded key, best first.
    ///
    /// The input's keys are computed once (the entries' with the index), at most
    /// [`MAX_CANDIDATES`] entries are scored, and the answer is remembered per folded input.
    fn suggest(&self, k: &str, places: &[Place], groups: &[Group]) -> Vec<String> {
        if let Some(hit) = self.memo.lock().ok().and_then(|m| m.get(k).cloned()) {
            return hit;
        }
        let out = self.suggest_uncached(k, places, groups);
        if let Ok(mut m) = self.memo.lock() {
            if m.len() >= SUGGESTION_MEMO {
                m.clear();
            }
            m.insert(k.to_string(), out.clone());
        }
        out
    }

    fn suggest_uncached(&self, k: &str, places: &[Place], groups: &[Group]) -> Vec<String> {
        let kp = phonetic(k);
        let mut scored: Vec<(f64, Target)> = Vec::new();
        for ((key, t), key_p) in self.entries.iter().zip(&self.phonetic).take(MAX_CANDIDATES) {
            let mut s = strsim::jaro_winkler(k, key).max(strsim::jaro_winkler(&kp, key_p));
            if key.starts_with(k) && k.chars().count() >= 3 {
                s = s.max(0.9);
            }
            if s >= 0.8 {
                scored.push((s, *t));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, t) in scored {
            let d = Self::display(t, places, groups);
            if !out.contains(&d) {
                out.push(d);
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    /// Places whose id, name or alias contains the folded query (for `corridor places --search`).
    pub fn search(&self, query: &str, places: &[Place], groups: &[Group]) -> Vec<usize> {
        let k = fold(query);
        let mut out = BTreeSet::new();
        for (key, t) in &self.entries {
            if key.contains(&k) {
                match *t {
                    Target::Place(p) => {
                        out.insert(p);
                    }
                    Target::Group(g) => {
                        for (i, p) in places.iter().enumerate() {
                            if p.group.as_deref() == Some(groups[g].id.as_str()) {
                                out.insert(i);
                            }
                        }
                    }
                }
            }
        }
        out.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PlaceKind;

    fn place(id: &str, name: &str, aliases: &[&str], group: Option<&str>) -> Place {
        Place {
            id: id.into(),
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            country: id[..2].to_string(),
            lat: 0.0,
            lon: 0.0,
            kind: PlaceKind::RailTerminal,
            gauges_mm: vec![],
            group: group.map(String::from),
            timezone: "UTC".into(),
            source: "S".into(),
            line: 0,
        }
    }

    #[test]
    fn folds_case_accents_punctuation_and_whole_letters() {
        assert_eq!(fold("lodz"), fold("ŁÓDŹ"));
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Małaszewicze"), "malaszewicze");
        assert_eq!(fold("Constanța"), "constanta");
        assert_eq!(fold("Øresund"), "oresund");
        assert_eq!(fold("XI'AN"), "xian");
        assert_eq!(fold("  Xi an "), "xian");
        assert_eq!(fold("Ələt"), "alat");
        assert_eq!(fold("АКТАУ"), fold("Актау"));
        assert_eq!(fold("Ёлка"), "елка");
        assert_eq!(fold("!!"), "");
    }

    #[test]
    fn resolves_groups_places_and_ambiguity() {
        let places = vec![
            place(
                "KZSCO",
                "Aktau port",
                &["Aktau", "阿克套", "Актау"],
                Some("aktau"),
            ),
            place("AZ-alat", "Alat port", &["Ələt"], Some("baku")),
            place("AZBAK", "Baku station", &[], Some("baku")),
            place("PL-lodz", "Łódź Olechów", &["Lodz"], None),
            place("XX-a", "Springfield", &[], None),
            place("YY-b", "Springfield", &[], None),
        ];
        let groups = vec![
            Group {
                id: "aktau".into(),
                name: "Aktau".into(),
                aliases: vec![],
                country: "KZ".into(),
                line: 0,
            },
            Group {
                id: "baku".into(),
                name: "Baku".into(),
                aliases: vec!["Баку".into()],
                country: "AZ".into(),
                line: 0,
            },
        ];
        let idx = NameIndex::new(&places, &groups);
        let r = idx.resolve("Baku", &places, &groups).unwrap();
        assert_eq!(r.places, vec![1, 2]);
        assert_eq!(r.group.as_deref(), Some("baku"));
        assert_eq!(
            idx.resolve("alat", &places, &groups).unwrap().places,
            vec![1]
        );
        assert_eq!(
            idx.resolve("azbak", &places, &groups).unwrap().places,
            vec![2]
        );
        for q in ["Актау", "阿克套", "AKTAU", "aktau"] {
            assert_eq!(
                idx.resolve(q, &places, &groups).unwrap().places,
                vec![0],
                "{q}"
            );
        }
        assert_eq!(
            idx.resolve("ŁÓDŹ", &places, &groups).unwrap().places,
            vec![3]
        );
        assert_eq!(
            idx.resolve("lodz", &places, &groups).unwrap().places,
            vec![3]
        );
        assert_eq!(phonetic("aktow"), phonetic("aktau"));
        match idx.resolve("Aktow", &places, &groups) {
            Err(NameError::Unknown { suggestions, .. }) => {
                assert!(suggestions[0].starts_with("Aktau"), "{suggestions:?}")
            }
            other => panic!("{other:?}"),
        }
        match idx.resolve("springfield", &places, &groups) {
            Err(NameError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(idx.resolve("  ", &places, &groups), Err(NameError::Empty));
        assert!(matches!(
            idx.resolve("''", &places, &groups),
            Err(NameError::Unknown { .. })
        ));
    }

    #[test]
    fn a_name_over_the_limit_is_unknown_without_suggestions_and_suggestions_are_memoised() {
        // A (made-up) 190-character alias: a long input sharing its prefix scores high.
        let alias = format!("Aktau{}", "x".repeat(185));
        let places = vec![place("KZSCO", "Aktau port", &["Aktau", &alias], None)];
        let idx = NameIndex::new(&places, &[]);
        // Jaro of the alias and "Aktau" + 245 x: all 190 characters match in order, so
        // (190/250 + 1 + 1)/3 = 0.92 ≥ 0.8: without the limit the input is scored and suggested.
        let long = format!("Aktau{}", "x".repeat(245));
        assert!(long.chars().count() > MAX_NAME_CHARS);
        match idx.resolve(&long, &places, &[]) {
            Err(NameError::Unknown { suggestions, .. }) => {
                assert!(suggestions.is_empty(), "{suggestions:?}")
            }
            other => panic!("{other:?}"),
        }
        // At the limit names are still matched and suggested: (190/200 + 2)/3 = 0.98.
        let at = format!("Aktau{}", "x".repeat(MAX_NAME_CHARS - 5));
        assert_eq!(at.chars().count(), MAX_NAME_CHARS);
        match idx.resolve(&at, &places, &[]) {
            Err(NameError::Unknown { suggestions, .. }) => {
                assert_eq!(suggestions.len(), 1, "{suggestions:?}")
            }
            other => panic!("{other:?}"),
        }
        // Suggestions of one unknown name are computed once.
        let a = idx.resolve("Aktow", &places, &[]);
        assert!(idx.memo.lock().unwrap().contains_key("aktow"));
        assert_eq!(a, idx.resolve("Aktow", &places, &[]));
        match a {
            Err(NameError::Unknown { suggestions, .. }) => {
                assert!(
                    suggestions[0].starts_with("Aktau port (KZSCO"),
                    "{suggestions:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        // A clone starts with an empty memo and answers the same.
        let c = idx.clone();
        assert!(c.memo.lock().unwrap().is_empty());
        assert_eq!(
            c.resolve("Aktow", &places, &[]),
            idx.resolve("Aktow", &places, &[])
        );
    }
}
