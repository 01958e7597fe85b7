//! The scenarios shipped in the repository's `scenarios/` folder, compiled in.

use crate::error::ScenarioError;
use crate::format::parse;
use crate::model::Scenario;

/// Shipped scenarios: (name = file stem, text), sorted by name.
pub const SHIPPED: [(&str, &str); 7] = [
    (
        "caspian-backlog",
        include_str!("../../../scenarios/caspian-backlog.toml"),
    ),
    (
        "cku-railway-open",
        include_str!("../../../scenarios/cku-railway-open.toml"),
    ),
    (
        "high-passes-winter",
        include_str!("../../../scenarios/high-passes-winter.toml"),
    ),
    (
        "khorgos-green-channel",
        include_str!("../../../scenarios/khorgos-green-channel.toml"),
    ),
    (
        "kuryk-aktau-expansion",
        include_str!("../../../scenarios/kuryk-aktau-expansion.toml"),
    ),
    (
        "no-russia-belarus",
        include_str!("../../../scenarios/no-russia-belarus.toml"),
    ),
    (
        "red-sea-closed",
        include_str!("../../../scenarios/red-sea-closed.toml"),
    ),
];

/// The names of the shipped scenarios, sorted.
pub fn names() -> Vec<&'static str> {
    SHIPPED.iter().map(|(n, _)| *n).collect()
}

/// A shipped scenario by name (the file stem), parsed; `None` if no scenario has that name.
pub fn shipped(name: &str) -> Option<Result<Scenario, ScenarioError>> {
    SHIPPED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| parse(&format!("scenarios/{n}.toml"), text))
}
