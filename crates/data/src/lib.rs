//! # corridor-data: the corridor layer as reviewable CSV files
//!
//! The first stage of corridor's pipeline (data → build → engine → interfaces). A data folder
//! holds places (terminals, ports, border posts), directed links (road, rail, sea, ferry, air,
//! pipeline, border), transfers (lifts, gauge changes), currency rates, emission factors and the
//! sources of every figure. The format is in `docs/data-format.md`.
//!
//! - [`load`] reads the CSV text into typed records ([`model`]), reporting every malformed
//!   field as file:line.
//! - [`validate`] checks the records against each other (unknown ids, coordinates out of range,
//!   a distance below the great-circle distance, a place nothing connects to, dangling sources).
//! - [`names`] folds and resolves place names in English, Chinese and Russian.
//! - [`Dataset`] is the checked whole; [`Dataset::embedded`] is the default Eurasian network
//!   compiled into the binary.
//!
//! ```
//! let ds = corridor_data::Dataset::embedded().unwrap();
//! let aktau = ds.resolve("Актау").unwrap();
//! assert!(aktau.places.iter().any(|&i| ds.places[i].country == "KZ"));
//! ```
//!
//! Glossary: TEU/FEU = twenty/forty-foot equivalent unit; LOCODE = UN code for trade
//! locations; gauge = rail track width (1435 mm standard, 1520 mm in the former USSR).
#![deny(missing_docs)]

pub mod constraints;
pub mod geodesy;
pub mod geometry;
pub mod load;
pub mod model;
pub mod names;
mod problem;
pub mod validate;

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

pub use load::{Problem, RawFiles, OPTIONAL_FILES, REQUIRED_FILES};
pub use model::*;
pub use names::{NameError, Resolved};

/// The data folder could not be used.
#[derive(Debug, thiserror::Error)]
#[error("invalid data in {label}: {} problem(s), first: {}", problems.len(), problems.first().map(|p| p.to_string()).unwrap_or_default())]
pub struct DataError {
    /// Folder label.
    pub label: String,
    /// Every problem, sorted by file and line.
    pub problems: Vec<Problem>,
}

/// A checked data folder with its lookups.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Folder label (`embedded` or a path).
    pub label: String,
    /// meta.csv.
    pub meta: Meta,
    /// SHA-256 of the files (hex, first 16 chars), so answers say which data produced them.
    pub hash: String,
    /// Sources.
    pub sources: Vec<Source>,
    /// City groups.
    pub groups: Vec<Group>,
    /// Places.
    pub places: Vec<Place>,
    /// Links as in the file (bidirectional links are expanded by the network builder).
    pub links: Vec<Link>,
    /// Transfer rules.
    pub transfers: Vec<Transfer>,
    /// Currency rates.
    pub fx: Vec<Fx>,
    /// Emission factors.
    pub emission_factors: Vec<EmissionFactor>,
    /// Grid electricity factors by country (`grid_factors.csv`, optional).
    pub grid_factors: Vec<GridFactor>,
    /// Hub (transfer) emission factors (`hub_factors.csv`, optional).
    pub hub_factors: Vec<HubFactor>,
    /// Air pollutant factors (`pollutant_factors.csv`, optional).
    pub pollutant_factors: Vec<PollutantFactor>,
    /// Timetabled departures (`services.csv`, optional).
    pub services: Vec<Service>,
    /// Closures of links and places (`closures.csv`, optional).
    pub closures: Vec<Closure>,
    /// Cargo rules, customs regimes and compliance flags (`cargo_rules.csv`, `customs.csv`,
    /// `compliance.csv`, optional).
    pub constraints: constraints::ConstraintData,
    /// Links measured on the physical networks (`link_geometry.csv`, optional, derived by
    /// `corridor derive-geometry`). Sound measurements have already replaced the links'
    /// lengths; each row keeps the stated length and source.
    pub link_geometry: Vec<geometry::LinkGeometry>,
    geometry_by_link: HashMap<String, usize>,
    place_by_id: HashMap<String, usize>,
    source_by_id: HashMap<String, usize>,
    names: names::NameIndex,
}

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
const EMBEDDED_OPTIONAL: [(&str, &str); 8] = [
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
];

impl Dataset {
    /// The default Eurasian corridor network compiled into the binary.
    pub fn embedded() -> Result<Dataset, DataError> {
        Dataset::from_raw(&Dataset::embedded_raw())
    }

    /// The embedded default network's files, unparsed.
    pub fn embedded_raw() -> RawFiles {
        let mut raw = RawFiles {
            label: "embedded default network".into(),
            files: HashMap::new(),
        };
        for (name, text) in EMBEDDED.into_iter().chain(EMBEDDED_OPTIONAL) {
            raw.files.insert(name, text.to_string());
        }
        raw
    }

    /// Reads and checks a data folder.
    pub fn load_dir(dir: &Path) -> Result<Dataset, DataError> {
        let raw = RawFiles::read_dir(dir).map_err(|problems| DataError {
            label: dir.display().to_string(),
            problems,
        })?;
        Dataset::from_raw(&raw)
    }

    /// Parses and checks raw files. Fails with every problem found.
    pub fn from_raw(raw: &RawFiles) -> Result<Dataset, DataError> {
        Dataset::from_raw_citing(raw, &[])
    }

    /// The curated files of `raw` without the derived `link_geometry.csv` (so the links keep
    /// their stated lengths), with the sources `cited` counted as used: what
    /// `corridor derive-geometry` measures before it writes the file that cites them.
    pub fn for_derivation(raw: &RawFiles, cited: &[&str]) -> Result<Dataset, DataError> {
        let mut raw = raw.clone();
        raw.files.remove(geometry::FILE);
        Dataset::from_raw_citing(&raw, cited)
    }

    fn from_raw_citing(raw: &RawFiles, cited: &[&str]) -> Result<Dataset, DataError> {
        let (records, mut problems) = load::parse(raw);
        // Cross-file checks run on what parsed, so one bad field does not hide others.
        problems.extend(validate::validate_citing(&records, cited));
        if !problems.is_empty() {
            problems.sort();
            problems.dedup();
            return Err(DataError {
                label: raw.label.clone(),
                problems,
            });
        }
        let mut h = Sha256::new();
        for name in load::REQUIRED_FILES {
            let text = raw.files.get(name).map(String::as_str).unwrap_or("");
            h.update(name.as_bytes());
            h.update((text.len() as u64).to_le_bytes());
            h.update(text.as_bytes());
        }
        // Optional files count only when present, so folders without them keep their hash.
        for name in load::OPTIONAL_FILES {
            if let Some(text) = raw.files.get(name) {
                h.update(name.as_bytes());
                h.update((text.len() as u64).to_le_bytes());
                h.update(text.as_bytes());
            }
        }
        let digest = h.finalize();
        let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        let place_by_id = records
            .places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let source_by_id = records
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let names = names::NameIndex::new(&records.places, &records.groups);
        let mut records = records;
        let geometry_by_link = geometry::apply(&mut records.links, &mut records.link_geometry);
        Ok(Dataset {
            label: raw.label.clone(),
            meta: records.meta,
            hash,
            sources: records.sources,
            groups: records.groups,
            places: records.places,
            links: records.links,
            transfers: records.transfers,
            fx: records.fx,
            emission_factors: records.emission_factors,
            grid_factors: records.grid_factors,
            hub_factors: records.hub_factors,
            pollutant_factors: records.pollutant_factors,
            services: records.services,
            closures: records.closures,
            constraints: records.constraints,
            link_geometry: records.link_geometry,
            geometry_by_link,
            place_by_id,
            source_by_id,
            names,
        })
    }

    /// A copy with places, links and sources added for one query (door-to-door legs), the
    /// lookups rebuilt. The additions are not checked like a data folder: the caller builds
    /// them from checked rows. Ids already present are an error (the id is returned).
    pub fn with_extra(
        &self,
        places: Vec<Place>,
        links: Vec<Link>,
        sources: Vec<Source>,
    ) -> Result<Dataset, String> {
        let mut ds = self.clone();
        for p in places {
            if ds.place_by_id.contains_key(&p.id) {
                return Err(p.id);
            }
            ds.place_by_id.insert(p.id.clone(), ds.places.len());
            ds.places.push(p);
        }
        for s in sources {
            if ds.source_by_id.contains_key(&s.id) {
                return Err(s.id);
            }
            ds.source_by_id.insert(s.id.clone(), ds.sources.len());
            ds.sources.push(s);
        }
        if let Some(l) = links.iter().find(|l| ds.links.iter().any(|x| x.id == l.id)) {
            return Err(l.id.clone());
        }
        ds.links.extend(links);
        ds.names = names::NameIndex::new(&ds.places, &ds.groups);
        Ok(ds)
    }

    /// The network measurement of a link (`link_geometry.csv`), by link id as in `links.csv`.
    pub fn link_geometry(&self, link_id: &str) -> Option<&geometry::LinkGeometry> {
        self.geometry_by_link
            .get(link_id)
            .map(|&i| &self.link_geometry[i])
    }

    /// Index of a place by exact id.
    pub fn place_index(&self, id: &str) -> Option<usize> {
        self.place_by_id.get(id).copied()
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_by_id.get(id).map(|&i| &self.sources[i])
    }

    /// Resolves a user's words (name, alias, id, city) to places.
    pub fn resolve(&self, input: &str) -> Result<Resolved, NameError> {
        self.names.resolve(input, &self.places, &self.groups)
    }

    /// Places whose names contain the query.
    pub fn search(&self, query: &str) -> Vec<usize> {
        self.names.search(query, &self.places, &self.groups)
    }

    /// USD per unit of a currency.
    pub fn usd_per(&self, currency: &str) -> Option<f64> {
        self.fx
            .iter()
            .find(|f| f.currency == currency)
            .map(|f| f.usd_per_unit)
    }

    /// The emission factor for a link: its own, or the default for its mode.
    pub fn emission_factor_for(&self, link: &Link) -> Option<&EmissionFactor> {
        match &link.emission_factor {
            Some(id) => self.emission_factors.iter().find(|f| &f.id == id),
            None => self
                .emission_factors
                .iter()
                .find(|f| f.default_for == Some(link.mode)),
        }
    }
}

#[cfg(test)]
mod tests;
