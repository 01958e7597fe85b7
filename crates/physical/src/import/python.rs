//! Finding an installed Python package's folder without importing it.
//!
//! `scgraph_data`'s modules start with `from scgraph.core import GeoGraph`, which scgraph 3.x
//! no longer has, so importing them fails. `importlib.util.find_spec` of the top-level
//! package only locates it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// The Python interpreter to ask: `python` if given, else `$CORRIDOR_PYTHON`, else
/// `.venv/bin/python` in the current folder if it exists, else `python3`.
pub fn interpreter(python: Option<&Path>) -> PathBuf {
    if let Some(p) = python {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os("CORRIDOR_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = Path::new(".venv/bin/python");
    if venv.exists() {
        return venv.to_path_buf();
    }
    PathBuf::from("python3")
}

/// The folder of package `module` (e.g. `scgraph_data`) as the interpreter sees it.
///
/// # Errors
/// [`Error::MissingSource`] with `install_hint` when Python or the package is missing.
pub fn package_dir(python: Option<&Path>, module: &str, install_hint: &str) -> Result<PathBuf> {
    let py = interpreter(python);
    let script = format!(
        "import importlib.util as u\ns = u.find_spec('{module}')\nprint(s.submodule_search_locations[0] if s and s.submodule_search_locations else '')"
    );
    let missing = |why: String| {
        Error::MissingSource {
        message: format!(
            "{why}. Install it with:\n  {install_hint}\nthen run again with --python .venv/bin/python (or set CORRIDOR_PYTHON), or point --package-dir at the package folder"
        ),
    }
    };
    let out = Command::new(&py)
        .arg("-c")
        .arg(&script)
        .output()
        .map_err(|e| missing(format!("cannot run {} ({e})", py.display())))?;
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || dir.is_empty() {
        return Err(missing(format!(
            "the Python package '{module}' is not installed for {}",
            py.display()
        )));
    }
    Ok(PathBuf::from(dir))
}
