//! The notes of a route answer for people: compliance flags once per answer, the legend of the
//! words the labels use, and lines wrapped to the terminal width the tables are built for.

use std::collections::BTreeMap;

use corridor_engine::answer::{ComplianceFlag, RouteAnswer};

/// The width the text answer is laid out for (tables and wrapped notes).
pub const WIDTH: usize = 100;

/// Every distinct compliance flag of the answer, numbered in order of first appearance, with
/// the itineraries (1-based) it applies to.
pub struct Flags<'a> {
    list: Vec<(&'a ComplianceFlag, Vec<usize>)>,
}

impl<'a> Flags<'a> {
    /// Collect the flags of every itinerary, each flag (by id) once.
    pub fn of(a: &'a RouteAnswer) -> Self {
        let mut list: Vec<(&ComplianceFlag, Vec<usize>)> = Vec::new();
        for (i, it) in a.itineraries.iter().enumerate() {
            for f in &it.compliance {
                match list.iter_mut().find(|(g, _)| g.id == f.id) {
                    Some((_, its)) => {
                        if !its.contains(&(i + 1)) {
                            its.push(i + 1)
                        }
                    }
                    None => list.push((f, vec![i + 1])),
                }
            }
        }
        Flags { list }
    }

    /// One short line for an itinerary: its flags by number, grouped by kind and where they
    /// apply (`flags: sanction RU [1][2][4] · sanction BY [3] (listed below)`).
    pub fn itinerary_line(&self, it_no: usize) -> Option<String> {
        let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for (n, (f, its)) in self.list.iter().enumerate() {
            if its.contains(&it_no) {
                let at = f
                    .applies_to
                    .strip_prefix("country:")
                    .unwrap_or(&f.applies_to)
                    .to_string();
                groups.entry((f.kind.clone(), at)).or_default().push(n + 1);
            }
        }
        if groups.is_empty() {
            return None;
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|((kind, at), ns)| {
                let refs: String = ns.iter().map(|n| format!("[{n}]")).collect();
                format!("{kind} {at} {refs}")
            })
            .collect();
        Some(format!("  flags: {} (listed below)\n", parts.join(" · ")))
    }

    /// The list under the itineraries: one line per flag; with `verbose`, the requirement in
    /// full and the legs it applies to on the lines after it.
    pub fn section(&self, verbose: bool) -> String {
        if self.list.is_empty() {
            return String::new();
        }
        let mut s =
            String::from("\nCompliance and security flags (check the goods before booking):\n");
        for (n, (f, its)) in self.list.iter().enumerate() {
            let its: Vec<String> = its.iter().map(usize::to_string).collect();
            let at = f
                .applies_to
                .strip_prefix("country:")
                .unwrap_or(&f.applies_to);
            let head = format!(
                "  [{}] {} {} (itinerar{} {}): ",
                n + 1,
                f.kind,
                at,
                if its.len() == 1 { "y" } else { "ies" },
                its.join(", "),
            );
            let what = format!("{} — {}", f.authority, f.measure);
            s.push_str(&head);
            if verbose {
                s.push_str(&what);
            } else {
                s.push_str(&fit(&what, WIDTH.saturating_sub(head.chars().count())));
            }
            s.push('\n');
            if verbose {
                s.push_str(&format!("      source {}, as of {}\n", f.source, f.as_of));
                s.push_str(&format!("      {}\n", f.requirement));
                if !f.links.is_empty() {
                    s.push_str(&format!("      legs and borders: {}\n", f.links.join(", ")));
                }
            }
        }
        if !verbose {
            s.push_str("  (--verbose or --format json: each flag in full, its source, what it requires and the legs \
             it applies to)\n");
        }
        s
    }
}

/// `text` cut to `w` characters, ending in "…" when cut.
fn fit(text: &str, w: usize) -> String {
    if text.chars().count() <= w {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Units that stay on the line of the number before them when a line is wrapped.
const UNITS: [&str; 9] = ["h", "d", "km", "kg", "t", "tkm", "MJ", "g/tkm", "days"];

/// The words of the labels and explanations, said once, for those that appear in the answer.
pub fn legend(a: &RouteAnswer) -> String {
    let used = |w: &str| {
        a.itineraries
            .iter()
            .any(|it| it.labels.iter().any(|l| l == w) || it.explanation.contains(w))
    };
    let mut s = String::new();
    if a.itineraries
        .iter()
        .any(|it| it.explanation.contains("delay risk"))
    {
        s.push_str(
            "delay risk: hours by which the waits and dwells (borders, transfers, departures) \
             can exceed their typical values, summed along the route (worst case − typical)\n",
        );
    }
    if used("balanced") {
        s.push_str(
            "balanced: the itinerary with the smallest sum of time, cost and CO2e, each taken \
             relative to the best of the alternatives shown\n",
        );
    }
    if used("other_corridor") {
        s.push_str(
            "other corridor: the fastest itinerary of a corridor family (countries, modes, sea \
             and ferry lines) that the others do not use; off the Pareto front, shown so that \
             distinct corridors can be compared (docs/alternatives.md)\n",
        );
    }
    s
}

/// Wrap every line longer than `width` at spaces; continuation lines are indented two more
/// than the line they continue. Lines without a space to break at are left as they are.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let indent = body.chars().take_while(|c| *c == ' ').count() + 2;
        let mut cur = String::new();
        let mut cur_len = 0usize;
        let mut first = true;
        let mut words: Vec<String> = Vec::new();
        for word in body.trim_start().split(' ') {
            match words.last_mut() {
                Some(prev) if UNITS.contains(&word) => {
                    prev.push(' ');
                    prev.push_str(word);
                }
                _ => words.push(word.to_string()),
            }
        }
        for word in &words {
            let wl = word.chars().count();
            let lead = if first { indent - 2 } else { indent };
            if cur_len > 0 && lead + cur_len + 1 + wl > width {
                out.push_str(&" ".repeat(lead));
                out.push_str(&cur);
                out.push('\n');
                first = false;
                cur.clear();
                cur_len = 0;
            }
            if cur_len > 0 {
                cur.push(' ');
                cur_len += 1;
            }
            cur.push_str(word);
            cur_len += wl;
        }
        out.push_str(&" ".repeat(if first { indent - 2 } else { indent }));
        out.push_str(&cur);
        out.push_str(nl);
    }
    out
}

/// Split a label into lines of at most `w` characters at spaces (a word longer than `w` is
/// cut).
pub fn wrap_cell(label: &str, w: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in label.split(' ') {
        let mut word = word.to_string();
        loop {
            let cl = cur.chars().count();
            let wl = word.chars().count();
            if cl > 0 && cl + 1 + wl > w {
                lines.push(std::mem::take(&mut cur));
                continue;
            }
            if cl == 0 && wl > w {
                let head: String = word.chars().take(w).collect();
                word = word.chars().skip(w).collect();
                lines.push(head);
                continue;
            }
            if cl > 0 {
                cur.push(' ');
            }
            cur.push_str(&word);
            break;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_short_lines_and_breaks_long_ones_at_spaces() {
        let long = format!("  Total: {}\n", "word ".repeat(40).trim_end());
        let w = wrap(&format!("short\n{long}"), 40);
        assert!(w.starts_with("short\n"));
        for l in w.lines() {
            assert!(l.chars().count() <= 40, "{l:?}");
        }
        let words: Vec<&str> = w.split_whitespace().collect();
        assert_eq!(words.len(), 1 + 1 + 40, "no word lost: {w}");
        assert!(w.lines().nth(2).is_some_and(|l| l.starts_with("    word")));
    }

    #[test]
    fn wrap_cell_splits_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap_cell("a b c", 3), vec!["a b", "c"]);
        assert_eq!(wrap_cell("abcdefg", 3), vec!["abc", "def", "g"]);
        assert_eq!(wrap_cell("", 3), vec![""]);
        let l = "Urumqi International Land Port (Sanping) → Alashankou Railway Port (wagon:1435)";
        let parts = wrap_cell(l, 38);
        assert!(parts.iter().all(|p| p.chars().count() <= 38));
        assert_eq!(parts.join(" "), l);
    }
}
