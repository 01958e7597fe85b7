//! [`Dataset`]: the checked records of a data folder (or of layered folders) with their lookups.
//!
//! A dataset is built from records in one place, [`Dataset::from_records`]: the records are
//! checked against each other and the lookups (place and source by id, names, link geometry)
//! are built. Loading a folder, the embedded network and overlays all end there, and so can
//! anything that transforms a dataset before the engine is built (scenarios): take
//! `ds.records.clone()`, change it, and build a new dataset from it — a dataset in, a dataset out.

use std::collections::HashMap;
use std::ops::Deref;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::load::{self, Records};
use crate::problem::Problem;
use crate::{embedded, geometry, layers, names, validate, DataError};
use crate::{EmissionFactor, Link, Mode, NameError, Place, Resolved, Source};

/// One layer a dataset was built from: a data folder, the embedded network, or a
/// transformation (a scenario), with the hash of its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerInfo {
    /// What the layer is (a folder path, `embedded default network`, a scenario name).
    pub label: String,
    /// Hash of the layer's own content (16 hex characters).
    pub hash: String,
}

/// What identifies a dataset's content: the hash answers quote and the layers it was built
/// from, bottom first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// Hash of the whole (16 hex characters). For one layer it is that layer's hash.
    pub hash: String,
    /// The layers, bottom (the base network) first.
    pub layers: Vec<LayerInfo>,
}

impl Provenance {
    /// One layer: the dataset's hash is the layer's.
    pub fn single(label: impl Into<String>, hash: impl Into<String>) -> Provenance {
        let hash = hash.into();
        Provenance {
            hash: hash.clone(),
            layers: vec![LayerInfo {
                label: label.into(),
                hash,
            }],
        }
    }

    /// Layers stacked in order, bottom first. One layer keeps its own hash (so a whole folder
    /// is quoted as before); more are hashed together from their hashes in order, so the hash
    /// covers the merged result (which follows from the layers and their order) and does not
    /// depend on where the folders lie.
    pub fn layered(layers: Vec<LayerInfo>) -> Provenance {
        if let [one] = layers.as_slice() {
            return Provenance::single(one.label.clone(), one.hash.clone());
        }
        let mut h = Sha256::new();
        h.update(b"corridor layers");
        for l in &layers {
            h.update(l.hash.as_bytes());
        }
        Provenance {
            hash: load::hex16(&h.finalize()),
            layers,
        }
    }
}

/// A checked data folder with its lookups.
///
/// The records are in [`Dataset::records`]; `Dataset` dereferences to [`Records`] so that the
/// many reads across the crates (`ds.places`, `ds.links`, `ds.meta`) read the records directly.
/// There is no `DerefMut`: the lookups are built from the records, so changing them goes
/// through a new dataset ([`Dataset::from_records`]), never behind the lookups' back.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Folder label (`embedded default network`, a path, or the top overlay's path).
    pub label: String,
    /// SHA-256 of the data (hex, first 16 chars), so answers say which data produced them.
    /// For layered data it covers every layer ([`Provenance::layered`]).
    pub hash: String,
    /// The layers the data was built from, bottom first (one for a whole folder).
    pub layers: Vec<LayerInfo>,
    /// The checked records. Links with a sound measurement in `link_geometry.csv` already
    /// carry the network length; each geometry row keeps the stated length and source.
    pub records: Records,
    /// Not errors: what a reviewer should look at in the data as read (rows of transfers.csv
    /// in the old one-source layout, [`crate::provenance::review`]), each at its file:line
    /// (for an overlay, the layer's file).
    pub review: Vec<Problem>,
    geometry_by_link: HashMap<String, usize>,
    place_by_id: HashMap<String, usize>,
    source_by_id: HashMap<String, usize>,
    names: names::NameIndex,
}

impl Deref for Dataset {
    type Target = Records;
    fn deref(&self) -> &Records {
        &self.records
    }
}

impl Dataset {
    /// The default Eurasian corridor network compiled into the binary.
    pub fn embedded() -> Result<Dataset, DataError> {
        Dataset::from_raw(&Dataset::embedded_raw())
    }

    /// The embedded default network's files, unparsed.
    pub fn embedded_raw() -> load::RawFiles {
        embedded::raw()
    }

    /// Reads and checks a data folder: a whole folder, or an overlay (a folder whose
    /// `meta.csv` has a `base` row) merged over its base (docs/data-format.md, "Overlays").
    pub fn load_dir(dir: &Path) -> Result<Dataset, DataError> {
        if dir.is_dir() && layers::overlay_base(dir).is_some() {
            return layers::load_overlay(dir);
        }
        let raw = load::RawFiles::read_dir(dir)
            .map_err(|problems| DataError::new(dir.display().to_string(), problems))?;
        Dataset::from_raw(&raw)
    }

    /// Parses and checks raw files. Fails with every problem found.
    pub fn from_raw(raw: &load::RawFiles) -> Result<Dataset, DataError> {
        Dataset::from_raw_citing(raw, &[])
    }

    /// The curated files of `raw` without the derived `link_geometry.csv` (so the links keep
    /// their stated lengths), with the sources `cited` counted as used: what
    /// `corridor derive-geometry` measures before it writes the file that cites them.
    pub fn for_derivation(raw: &load::RawFiles, cited: &[&str]) -> Result<Dataset, DataError> {
        let mut raw = raw.clone();
        raw.files.remove(geometry::FILE);
        Dataset::from_raw_citing(&raw, cited)
    }

    fn from_raw_citing(raw: &load::RawFiles, cited: &[&str]) -> Result<Dataset, DataError> {
        let (records, problems) = load::parse(raw);
        let provenance = Provenance::single(raw.label.clone(), raw.content_hash());
        Dataset::checked(&raw.label, provenance, records, problems, cited)
    }

    /// Checks records against each other and builds the lookups: the one way a dataset is
    /// made. `provenance` says what the records are (their hash and layers); a transformation
    /// of a dataset passes the base's layers with its own added ([`Provenance::layered`]).
    /// Fails with every problem found, at the records' file:line.
    ///
    /// Records taken from a dataset (`ds.records.clone()`) carry the network lengths of
    /// `link_geometry.csv` already; they are taken back to the stated lengths first and
    /// measured again, so a dataset rebuilt from its own records is the same dataset. The
    /// measurement of a link whose length or length source was changed is dropped (the new
    /// length is used as stated), as an overlay that replaces a link does.
    pub fn from_records(
        label: &str,
        provenance: Provenance,
        mut records: Records,
    ) -> Result<Dataset, DataError> {
        geometry::unapply(&mut records.links, &mut records.link_geometry);
        Dataset::checked(label, provenance, records, Vec::new(), &[])
    }

    /// What identifies this dataset: its hash and layers, for a transformation to extend.
    pub fn provenance(&self) -> Provenance {
        Provenance {
            hash: self.hash.clone(),
            layers: self.layers.clone(),
        }
    }

    /// [`Dataset::from_records`] with the problems already found while parsing, and sources
    /// counted as cited by figures about to be derived.
    fn checked(
        label: &str,
        provenance: Provenance,
        records: Records,
        mut problems: Vec<Problem>,
        cited: &[&str],
    ) -> Result<Dataset, DataError> {
        // Cross-file checks run on what parsed, so one bad field does not hide others.
        problems.extend(validate::validate_citing(&records, cited));
        if !problems.is_empty() {
            return Err(DataError::new(label, problems));
        }
        Ok(Dataset::indexed(label, provenance, records))
    }

    /// Builds the lookups of checked records.
    pub(crate) fn indexed(label: &str, provenance: Provenance, mut records: Records) -> Dataset {
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
        let geometry_by_link = geometry::apply(&mut records.links, &mut records.link_geometry);
        let review = crate::provenance::review(&records);
        Dataset {
            label: label.to_string(),
            hash: provenance.hash,
            layers: provenance.layers,
            review,
            records,
            geometry_by_link,
            place_by_id,
            source_by_id,
            names,
        }
    }
    /// A copy with places, links and sources added for one query (door-to-door legs), the
    /// id lookups extended. The additions are not checked like a data folder: the caller builds
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
            ds.records.places.push(p);
        }
        for s in sources {
            if ds.source_by_id.contains_key(&s.id) {
                return Err(s.id);
            }
            ds.source_by_id.insert(s.id.clone(), ds.sources.len());
            ds.records.sources.push(s);
        }
        if let Some(l) = links.iter().find(|l| ds.links.iter().any(|x| x.id == l.id)) {
            return Err(l.id.clone());
        }
        ds.records.links.extend(links);
        // The name index stays the base's: query-local places are resolved by their id
        // (exact ids are matched on the places themselves), never by name, and rebuilding
        // the index's phonetic keys would cost every door query about a millisecond.
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

    /// The drivers' working-time rules (`driving_rules.csv`) of a country: its own row, else
    /// the `all` row; `None` without either (road legs then take no breaks or rests).
    pub fn driving_rule(&self, country: &str) -> Option<&crate::driving::DrivingRule> {
        let rows = &self.records.driving_rules;
        rows.iter()
            .find(|d| d.country == country)
            .or_else(|| rows.iter().find(|d| d.country == "all"))
    }

    /// The traction row (`traction.csv`) of a link, if any.
    pub fn traction_for(&self, link_id: &str) -> Option<&crate::traction::Traction> {
        self.records.traction.iter().find(|t| t.link == link_id)
    }

    /// The electric rail factor (mode rail with `kwh`): the one an electrified link
    /// (`traction.csv`) is computed with for its electrified share.
    pub fn electric_rail_factor(&self) -> Option<&EmissionFactor> {
        self.emission_factors
            .iter()
            .find(|f| f.mode == Mode::Rail && f.kwh.is_some())
    }

    /// The emission factor of a link: its `emission_factor`, or the mode default.
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
