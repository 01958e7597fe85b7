//! How much of the data rests on estimates and proxies, field by field (`corridor validate`
//! prints it; issue 19): for each kind of figure, how many rows give it, how many of those
//! cite an estimate (a source whose note begins `estimate` or whose id begins `SRC-EST-`), how
//! many are marked proxies (`proxy` in the row's or the source's note), and the oldest dated
//! source it rests on.

use std::collections::HashMap;

use crate::load::Records;
use crate::model::Source;
use crate::problem::Problem;

/// One kind of figure.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldProvenance {
    /// The file.
    pub file: &'static str,
    /// The figure (`distance`, `dwell`, `cost`, …).
    pub field: &'static str,
    /// Rows that give it.
    pub figures: usize,
    /// Of those, citing an estimate.
    pub estimated: usize,
    /// Of those, marked as a proxy.
    pub proxy: usize,
    /// The oldest year among the dated sources cited, and one source of that year.
    pub oldest: Option<(i32, String)>,
}

impl FieldProvenance {
    /// Share of the figures that cite an estimate.
    pub fn estimated_share(&self) -> f64 {
        self.estimated as f64 / self.figures.max(1) as f64
    }
    /// Share of the figures marked as proxies.
    pub fn proxy_share(&self) -> f64 {
        self.proxy as f64 / self.figures.max(1) as f64
    }
}

fn is_estimate(id: &str, s: Option<&Source>) -> bool {
    id.starts_with("SRC-EST-")
        || s.is_some_and(|s| s.note.trim_start().to_lowercase().starts_with("estimate"))
}

/// Whether a figure is marked as a proxy: in its row's note or in its source's note.
pub fn is_proxy(row_note: &str, source: Option<&Source>) -> bool {
    row_note.to_lowercase().contains("proxy")
        || source.is_some_and(|s| s.note.to_lowercase().contains("proxy"))
}

fn year(s: &Source) -> Option<i32> {
    let d = s.date.trim();
    d.get(..4)
        .and_then(|y| y.parse().ok())
        .filter(|y| (1900..=2100).contains(y))
}

/// The provenance of every kind of figure of `r`.
pub fn report(r: &Records) -> Vec<FieldProvenance> {
    let by_id: HashMap<&str, &Source> = r.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut out = Vec::new();
    // (source id, row note): a row whose own note says `estimate` (capacity conversions, demand
    // methods) counts as estimated whatever its source.
    let mut field = |file: &'static str, field: &'static str, cited: Vec<(&str, &str)>| {
        let mut f = FieldProvenance {
            file,
            field,
            figures: cited.len(),
            estimated: 0,
            proxy: 0,
            oldest: None,
        };
        for (id, note) in cited {
            let s = by_id.get(id).copied();
            let row_estimate = matches!(
                file,
                "capacity.csv" | "demand.csv" | "services.csv" | "pollutant_factors.csv"
            ) && (note.to_lowercase().contains("estimate")
                || note.contains("SRC-EST-"));
            if is_estimate(id, s) || row_estimate {
                f.estimated += 1;
            }
            if is_proxy(note, s) {
                f.proxy += 1;
            }
            if let Some(y) = s.and_then(year) {
                if f.oldest.as_ref().is_none_or(|(o, _)| y < *o) {
                    f.oldest = Some((y, id.to_string()));
                }
            }
        }
        if f.figures > 0 {
            out.push(f);
        }
    };
    field(
        "places.csv",
        "coordinates",
        r.places.iter().map(|p| (p.source.as_str(), "")).collect(),
    );
    let links = &r.links;
    field(
        "links.csv",
        "distance",
        links
            .iter()
            .map(|l| (l.distance_source.as_str(), l.note.as_str()))
            .collect(),
    );
    for (name, pick) in [
        (
            "time",
            (|l: &crate::model::Link| l.time_source.as_deref())
                as fn(&crate::model::Link) -> Option<&str>,
        ),
        ("wait", |l| l.wait_source.as_deref()),
        ("dwell", |l| l.dwell_source.as_deref()),
        ("cost", |l| l.cost_source.as_deref()),
        ("capacity per departure", |l| l.capacity_source.as_deref()),
    ] {
        field(
            "links.csv",
            name,
            links
                .iter()
                .filter_map(|l| {
                    pick(l)
                        .filter(|s| !s.is_empty())
                        .map(|s| (s, l.note.as_str()))
                })
                .collect(),
        );
    }
    field(
        "pollutant_factors.csv",
        "g per unit",
        r.pollutant_factors
            .iter()
            .map(|p| (p.source.as_str(), p.note.as_str()))
            .collect(),
    );
    field(
        "services.csv",
        "departures",
        r.services
            .iter()
            .map(|s| (s.source.as_str(), s.note.as_str()))
            .collect(),
    );
    // Hours and charge cite their own sources; the row's note (which says where a charge is a
    // proxy, e.g. "CPMM Dostyk proxy") counts for the charge only.
    field(
        "transfers.csv",
        "time",
        r.transfers
            .iter()
            .map(|t| (t.time_source.as_str(), ""))
            .collect(),
    );
    field(
        "transfers.csv",
        "cost",
        r.transfers
            .iter()
            .filter_map(|t| t.cost_source.as_deref().map(|c| (c, t.note.as_str())))
            .collect(),
    );
    field(
        "emission_factors.csv",
        "factor",
        r.emission_factors
            .iter()
            .map(|e| (e.source.as_str(), e.note.as_str()))
            .collect(),
    );
    field(
        "traction.csv",
        "electrified share",
        r.traction
            .iter()
            .map(|t| (t.source.as_str(), t.note.as_str()))
            .collect(),
    );
    let cap_notes: Vec<String> = r
        .capacity
        .iter()
        .map(|c| format!("{} {}", c.conversion, c.note))
        .collect();
    field(
        crate::flows::CAPACITY_FILE,
        "teu_per_year",
        r.capacity
            .iter()
            .zip(&cap_notes)
            .map(|(c, n)| (c.source.as_str(), n.as_str()))
            .collect(),
    );
    field(
        crate::flows::DEMAND_FILE,
        "teu_per_year",
        r.demand
            .iter()
            .map(|d| (d.source.as_str(), d.method.as_str()))
            .collect(),
    );
    out
}

/// Not errors: rows whose figures share one source where the format gives each its own
/// column. A transfers.csv in the old layout (one `source` for the hours and the charge) reads
/// as before, that source standing in for `time_source` and `cost_source`; `corridor validate`
/// lists such rows (one note for the file, naming the lines) so that each figure can be given
/// its own source. [`crate::Dataset::review`] holds the same notes named by layer for an overlay.
pub fn review(r: &Records) -> Vec<Problem> {
    shared_source_note("transfers.csv".into(), &shared_source_lines(r))
        .into_iter()
        .collect()
}

/// The lines of the transfers whose single `source` stands in for a figure's own.
pub(crate) fn shared_source_lines(r: &Records) -> Vec<u64> {
    r.transfers
        .iter()
        .filter(|t| t.shared_source)
        .map(|t| t.line)
        .collect()
}

/// The review note on the rows at `lines` of `file`; `None` without any.
pub(crate) fn shared_source_note(file: String, lines: &[u64]) -> Option<Problem> {
    const SHOWN: usize = 12;
    let first = *lines.first()?;
    let mut listed: Vec<String> = lines.iter().take(SHOWN).map(u64::to_string).collect();
    if lines.len() > SHOWN {
        listed.push(format!("and {} more", lines.len() - SHOWN));
    }
    let plural = if lines.len() == 1 { "" } else { "s" };
    Some(Problem {
        file,
        line: first,
        message: format!(
            "{} row{plural} (line{plural} {}) without time_source or cost_source: the row's single `source` is read for the hours and the charge it leaves out (the old one-source layout); give each figure its own source in the time_source and cost_source columns (docs/data-format.md, transfers.csv)",
            lines.len(),
            listed.join(", "),
        ),
    })
}
