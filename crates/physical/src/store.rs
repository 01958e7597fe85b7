//! The data directory of imported networks: one file per network name.
//!
//! The directory is `--network-dir`, else `$CORRIDOR_DATA`, else `$XDG_DATA_HOME/corridor`,
//! else `~/.local/share/corridor`. Network `NAME` lives in `NAME.cnet`.

use std::path::{Path, PathBuf};

use crate::ch::ContractionHierarchy;
use crate::error::{Error, Result};
use crate::format::Network;

/// File extension of network files.
pub const EXTENSION: &str = "cnet";
/// File extension of contraction hierarchy files (`NAME.ch` beside `NAME.cnet`).
pub const CH_EXTENSION: &str = "ch";

/// The networks corridor knows how to import, with the command that imports each.
pub const KNOWN: [(&str, &str); 5] = [
    ("rail", "corridor import scgraph-data --only rail"),
    ("road", "corridor import scgraph-data --only road"),
    ("road+sea", "corridor import scgraph-data --only road+sea"),
    ("sea", "corridor import marnet"),
    ("ferry", "corridor import osm FILE.osm.pbf --network ferry"),
];

/// A data directory of network files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkDir {
    dir: PathBuf,
    /// Read files into memory instead of mapping them ([`NetworkDir::in_memory`]).
    owned: bool,
}

impl NetworkDir {
    /// The directory `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> NetworkDir {
        NetworkDir {
            dir: dir.into(),
            owned: false,
        }
    }

    /// The default directory: `$CORRIDOR_DATA`, else `$XDG_DATA_HOME/corridor`, else
    /// `$HOME/.local/share/corridor`, else `./corridor-data`.
    pub fn default_dir() -> NetworkDir {
        let env = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let dir = env("CORRIDOR_DATA")
            .or_else(|| env("XDG_DATA_HOME").map(|d| d.join("corridor")))
            .or_else(|| env("HOME").map(|h| h.join(".local/share/corridor")))
            .unwrap_or_else(|| PathBuf::from("corridor-data"));
        NetworkDir { dir, owned: false }
    }

    /// The same directory, its files read into memory when opened instead of memory-mapped:
    /// what a long-running server uses. A mapped file that another program truncates or
    /// rewrites in place changes under the reader (SIGBUS, or arrays that no longer match
    /// the checks made at open); a copy in memory cannot. Costs the file's size in resident
    /// memory (a mapping shares the page cache) and a copy at open, next to the checksum pass
    /// that reads every byte anyway.
    pub fn in_memory(mut self) -> NetworkDir {
        self.owned = true;
        self
    }

    /// `dir` if given, else [`NetworkDir::default_dir`].
    pub fn or_default(dir: Option<&Path>) -> NetworkDir {
        dir.map(NetworkDir::new)
            .unwrap_or_else(NetworkDir::default_dir)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of network `name`.
    ///
    /// # Errors
    /// [`Error::BadName`] unless `name` is lower-case letters, digits, `+`, `-`, `_`.
    pub fn path(&self, name: &str) -> Result<PathBuf> {
        check_name(name)?;
        Ok(self.dir.join(format!("{name}.{EXTENSION}")))
    }

    /// The contraction hierarchy file of network `name`.
    ///
    /// # Errors
    /// [`Error::BadName`].
    pub fn ch_path(&self, name: &str) -> Result<PathBuf> {
        check_name(name)?;
        Ok(self.dir.join(format!("{name}.{CH_EXTENSION}")))
    }

    /// Opens the contraction hierarchy of network `name` (memory-mapped), checked against
    /// `net`; `Ok(None)` if there is none.
    ///
    /// # Errors
    /// The errors of [`ContractionHierarchy::open`] (a stale file is
    /// [`Error::StaleHierarchy`]).
    pub fn open_ch(&self, name: &str, net: &Network) -> Result<Option<ContractionHierarchy>> {
        let path = self.ch_path(name)?;
        if !path.exists() {
            return Ok(None);
        }
        let opened = if self.owned {
            ContractionHierarchy::read(&path, net)
        } else {
            ContractionHierarchy::open(&path, net)
        };
        match opened {
            Err(Error::StaleHierarchy { path, .. }) => Err(Error::StaleHierarchy {
                path,
                network: name.to_string(),
            }),
            r => r.map(Some),
        }
    }

    /// Opens network `name` (memory-mapped).
    ///
    /// # Errors
    /// [`Error::MissingNetwork`] naming the import command when the file does not exist;
    /// the errors of [`Network::open`] otherwise.
    pub fn open(&self, name: &str) -> Result<Network> {
        let path = self.path(name)?;
        if !path.exists() {
            return Err(Error::MissingNetwork {
                name: name.to_string(),
                dir: self.dir.clone(),
                command: import_command(name),
            });
        }
        if self.owned {
            Network::read(&path)
        } else {
            Network::open(&path)
        }
    }

    /// Writes `net` as network `name`, atomically; returns the file.
    ///
    /// # Errors
    /// [`Error::BadName`], [`Error::Io`].
    pub fn save(&self, name: &str, net: &Network) -> Result<PathBuf> {
        let path = self.path(name)?;
        net.write(&path)?;
        Ok(path)
    }

    /// Names of the networks present, sorted.
    pub fn list(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let p = e.path();
                (p.extension()? == EXTENSION)
                    .then(|| p.file_stem()?.to_str().map(str::to_string))
                    .flatten()
            })
            .collect();
        names.sort();
        names
    }
}

/// The command that imports network `name`.
pub fn import_command(name: &str) -> String {
    KNOWN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| c.to_string())
        .unwrap_or_else(|| format!("corridor import osm FILE.osm.pbf --network rail --name {name}"))
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"+-_".contains(&c));
    if ok {
        Ok(())
    } else {
        Err(Error::BadName {
            name: name.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_network_names_the_import_command() {
        let dir = tempfile::tempdir().unwrap();
        let store = NetworkDir::new(dir.path());
        let err = store.open("sea").unwrap_err();
        assert!(matches!(err, Error::MissingNetwork { .. }));
        assert!(err.to_string().contains("corridor import marnet"), "{err}");
        assert!(matches!(store.open("../etc"), Err(Error::BadName { .. })));
        assert!(store.list().is_empty());
    }
}
