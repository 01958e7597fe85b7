//! Passage closures of a query: the passages closed by default (northwest,
//! northern_sea_route, volga_don) unless allowed, plus those avoided, as the arc tags a search
//! skips; and, when that leaves no path, which closed passages every path would cross.

use crate::error::{Error, Result};
use crate::format::Network;
use crate::passage::{self, Passage};
use crate::search::{shortest_path_with, Algorithm, TagFilter};

/// The passage options of a query, as written by the user: `passage:NAME` (or a bare NAME).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Passages {
    /// Passages closed by default to open.
    pub allow: Vec<String>,
    /// Passages to close.
    pub avoid: Vec<String>,
}

/// The closures of one query on one network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Closures {
    /// Arc tags the search skips (`passage=northwest`, …), those the network has only.
    pub blocked: Vec<String>,
    /// One note per default closure that applies ("… is closed by default (…); allow
    /// passage:NAME opens it": the option by its name, as the API and the CLI both spell it).
    pub notes: Vec<String>,
}

impl Closures {
    /// Resolves `p` on `net`.
    ///
    /// # Errors
    /// [`Error::UnknownPassage`] (field `allow` or `avoid`) for a name that is no passage.
    pub fn resolve(net: &Network, p: &Passages) -> Result<Closures> {
        let parse = |field: &'static str, items: &[String]| -> Result<Vec<&'static Passage>> {
            items
                .iter()
                .map(|s| {
                    let name = s.strip_prefix("passage:").unwrap_or(s);
                    passage::find(name).ok_or_else(|| Error::UnknownPassage {
                        field,
                        input: s.clone(),
                    })
                })
                .collect()
        };
        let (allow, avoid) = (parse("allow", &p.allow)?, parse("avoid", &p.avoid)?);
        let tags = &net.meta().tags;
        let mut c = Closures::default();
        for p in passage::closed(&allow, &avoid) {
            let t = p.arc_tag();
            if !tags.contains(&t) {
                continue;
            }
            if !avoid.contains(&p) {
                c.notes.push(format!(
                    "{t} is closed by default ({}); allow passage:{} opens it",
                    p.why_closed, p.name
                ));
            }
            c.blocked.push(t);
        }
        Ok(c)
    }

    /// The blocked tags as `&str`s (what [`TagFilter::blocking`] and
    /// [`crate::ContractionHierarchy::serves`] take).
    pub fn blocked_refs(&self) -> Vec<&str> {
        self.blocked.iter().map(String::as_str).collect()
    }

    /// The filter a search on `net` uses.
    pub fn filter(&self, net: &Network) -> TagFilter {
        TagFilter::blocking(net, &self.blocked_refs())
    }

    /// When a query finds no path from `from` to `to`: whether one exists with every passage
    /// open, and if so the closed passages it crosses and its length, for the message.
    pub fn cut(&self, net: &Network, from: u32, to: u32) -> Option<String> {
        if self.blocked.is_empty() {
            return None;
        }
        let p = shortest_path_with(net, from, to, Algorithm::AStar, &TagFilter::default())?;
        let g = net.parts();
        let mut used: Vec<String> = Vec::new();
        for &a in &p.arcs {
            let t = &net.meta().tags[g.tag[a as usize] as usize];
            if self.blocked.contains(t) && !used.contains(t) {
                used.push(t.clone());
            }
        }
        let names: Vec<String> = used
            .iter()
            .map(|t| match passage::by_arc_tag(t) {
                Some(p) if p.closed_by_default => format!(
                    "{} (closed by default; allow passage:{} opens it)",
                    p.name, p.name
                ),
                Some(p) => format!("{} (avoided)", p.name),
                None => t.trim_start_matches("passage=").to_string(),
            })
            .collect();
        Some(format!(
            "every route crosses a closed passage: {}; {:.0} km with {} open",
            names.join(", "),
            p.length_m as f64 / 1000.0,
            if used.len() == 1 { "it" } else { "them" }
        ))
    }
}
