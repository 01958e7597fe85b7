//! The embedded default network: the files of `data/default`, compiled into the binary.

use std::collections::HashMap;

use crate::geometry;
use crate::load::RawFiles;

/// The embedded default network's files.
const EMBEDDED: [(&str, &str); 8] = [
    ("meta.csv", include_str!("../../../data/default/meta.csv")),
    (
        "sources.csv",
        include_str!("../../../data/default/sources.csv"),
    ),
    (
        "groups.csv",
        include_str!("../../../data/default/groups.csv"),
    ),
    (
        "places.csv",
        include_str!("../../../data/default/places.csv"),
    ),
    ("links.csv", include_str!("../../../data/default/links.csv")),
    (
        "transfers.csv",
        include_str!("../../../data/default/transfers.csv"),
    ),
    ("fx.csv", include_str!("../../../data/default/fx.csv")),
    (
        "emission_factors.csv",
        include_str!("../../../data/default/emission_factors.csv"),
    ),
];

/// The embedded default network's optional files.
const EMBEDDED_OPTIONAL: [(&str, &str); 15] = [
    (
        "services.csv",
        include_str!("../../../data/default/services.csv"),
    ),
    (
        "cargo_rules.csv",
        include_str!("../../../data/default/cargo_rules.csv"),
    ),
    (
        "customs.csv",
        include_str!("../../../data/default/customs.csv"),
    ),
    (
        "compliance.csv",
        include_str!("../../../data/default/compliance.csv"),
    ),
    (
        geometry::FILE,
        include_str!("../../../data/default/link_geometry.csv"),
    ),
    (
        "grid_factors.csv",
        include_str!("../../../data/default/grid_factors.csv"),
    ),
    (
        "hub_factors.csv",
        include_str!("../../../data/default/hub_factors.csv"),
    ),
    (
        "pollutant_factors.csv",
        include_str!("../../../data/default/pollutant_factors.csv"),
    ),
    (
        "distributions.csv",
        include_str!("../../../data/default/distributions.csv"),
    ),
    (
        crate::traction::FILE,
        include_str!("../../../data/default/traction.csv"),
    ),
    (
        crate::driving::FILE,
        include_str!("../../../data/default/driving_rules.csv"),
    ),
    (
        "closures.csv",
        include_str!("../../../data/default/closures.csv"),
    ),
    (
        "sea_rates.csv",
        include_str!("../../../data/default/sea_rates.csv"),
    ),
    (
        crate::flows::CAPACITY_FILE,
        include_str!("../../../data/default/capacity.csv"),
    ),
    (
        crate::flows::DEMAND_FILE,
        include_str!("../../../data/default/demand.csv"),
    ),
];

/// The embedded default network's files, unparsed.
pub(crate) fn raw() -> RawFiles {
    let mut raw = RawFiles {
        label: "embedded default network".into(),
        files: HashMap::new(),
    };
    for (name, text) in EMBEDDED.into_iter().chain(EMBEDDED_OPTIONAL) {
        raw.files.insert(name, text.to_string());
    }
    raw
}
