//! The networks of a data directory opened once and shared between queries (the server's
//! and the door-road adapter's cache).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Prepared;
use crate::error::Result;
use crate::store::NetworkDir;

/// The networks of a data directory, each opened (memory-mapped, R-tree built) on first use
/// and kept; their hierarchies are opened on the first query that can use them.
#[derive(Debug)]
pub struct Networks {
    dir: NetworkDir,
    loaded: Mutex<HashMap<String, Arc<Prepared>>>,
}

impl Networks {
    /// Networks in `dir`.
    pub fn new(dir: NetworkDir) -> Networks {
        Networks {
            dir,
            loaded: Mutex::new(HashMap::new()),
        }
    }

    /// The data directory.
    pub fn dir(&self) -> &NetworkDir {
        &self.dir
    }

    /// Network `name`, opened once.
    ///
    /// # Errors
    /// Those of [`Prepared::open`].
    pub fn get(&self, name: &str) -> Result<Arc<Prepared>> {
        if let Some(p) = self.loaded.lock().ok().and_then(|m| m.get(name).cloned()) {
            return Ok(p);
        }
        let p = Arc::new(Prepared::open(&self.dir, name)?);
        if let Ok(mut m) = self.loaded.lock() {
            m.insert(name.to_string(), p.clone());
        }
        Ok(p)
    }
}
