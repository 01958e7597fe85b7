//! `GET /v1/scenarios`: the shipped scenarios (`scenarios/*.toml`) a request may name in its
//! `scenario` parameter, for pickers such as the web map's: name, title (the file's first
//! comment line), description, main source, as-of date, number of changes and text hash.

use axum::Json;
use serde::Serialize;

/// One shipped scenario.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScenarioInfo {
    /// The name to pass as `scenario` (the file stem).
    pub name: String,
    /// A one-line title: the file's first comment line, else the name.
    pub title: String,
    /// What the scenario asks (its `description`).
    pub description: String,
    /// Its main source.
    pub source: String,
    /// The date its figures are as of, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Number of changes.
    pub changes: usize,
    /// SHA-256 of the text, first 16 hex characters (as answers' `data.scenarios` show it).
    pub hash: String,
}

/// The title of a scenario text: its first line when that is a `#` comment.
fn title(text: &str, name: &str) -> String {
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix('#'))
        .map(|t| t.trim().trim_end_matches('.').to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| name.to_string())
}

/// The shipped scenarios, in name order. A shipped file that does not parse (a build that
/// ships a broken file; the scenario crate's tests refuse it) is left out.
pub fn list() -> Vec<ScenarioInfo> {
    corridor_scenario::SHIPPED
        .iter()
        .filter_map(|(name, text)| {
            let s = corridor_scenario::shipped(name)?.ok()?;
            Some(ScenarioInfo {
                name: name.to_string(),
                title: title(text, name),
                description: s.description.clone(),
                source: s.source.clone(),
                as_of: s.as_of.map(|d| d.to_string()),
                changes: s.changes.len(),
                hash: s.short_hash().to_string(),
            })
        })
        .collect()
}

/// `GET /v1/scenarios`.
pub async fn scenarios() -> Json<Vec<ScenarioInfo>> {
    Json(list())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped file is listed, with the hash answers carry (the scenario's own
    /// short hash of its text) and its first comment line as the title.
    #[test]
    fn lists_every_shipped_scenario_with_its_hash() {
        let l = list();
        assert_eq!(l.len(), corridor_scenario::SHIPPED.len());
        let c = l.iter().find(|s| s.name == "caspian-backlog").unwrap();
        assert!(c.title.starts_with("Caspian backlog"), "{}", c.title);
        let text = corridor_scenario::SHIPPED
            .iter()
            .find(|(n, _)| *n == "caspian-backlog")
            .unwrap()
            .1;
        assert_eq!(c.hash, corridor_scenario::hash_text(text)[..16]);
        assert!(c.changes >= 1 && !c.description.is_empty());
    }
}
