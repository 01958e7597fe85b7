//! # corridor-testkit: what the tests of corridor's crates share
//!
//! A dev-dependency only (`publish = false`), so the helpers that tests copied from one crate
//! to the next live once:
//!
//! - [`embedded_dataset`], [`embedded_engine`]: the embedded network, loaded once per test
//!   binary; [`fixture_dir`], [`fixture_engine`]: a test network of `tests/fixtures/`;
//! - [`request`]: a route request from the few fields tests vary;
//! - [`assert_golden`]: a text compared byte for byte with a committed golden file, which
//!   `UPDATE_GOLDEN=1` rewrites instead;
//! - [`workspace_root`], [`reference_dir`], [`reference_path`]: the repository and the shared
//!   reference folder (`../shared/reference` beside the repository, or
//!   `$CORRIDOR_REFERENCE_DIR`).
#![deny(missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use corridor_data::Dataset;
use corridor_engine::{Engine, RouteRequest};

/// The embedded dataset, loaded and checked once per test binary.
pub fn embedded_dataset() -> &'static Dataset {
    static D: OnceLock<Dataset> = OnceLock::new();
    D.get_or_init(|| Dataset::embedded().expect("embedded data is valid"))
}

/// An engine over the embedded dataset, built once per test binary.
pub fn embedded_engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new(embedded_dataset().clone()))
}

/// A test network of the repository (`tests/fixtures/NAME`).
pub fn fixture_dir(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(name)
}

/// An engine over the test network `tests/fixtures/NAME`.
///
/// # Panics
/// When the fixture does not load (the message names it and the problems).
pub fn fixture_engine(name: &str) -> Engine {
    let dir = fixture_dir(name);
    let ds = Dataset::load_dir(&dir).unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()));
    Engine::new(ds)
}

/// A route request from `from` to `to` with `cargo` and `optimize` (`None`: the defaults, and
/// the Pareto front without an objective), everything else default.
pub fn request(from: &str, to: &str, cargo: Option<&str>, optimize: Option<&str>) -> RouteRequest {
    let mut r = RouteRequest {
        from: from.into(),
        to: to.into(),
        ..Default::default()
    };
    r.lane.shipment.cargo = cargo.map(str::to_string);
    r.lane.optimize = optimize.map(str::to_string);
    r
}

/// The repository's root folder (the workspace).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether goldens are to be rewritten (`UPDATE_GOLDEN` set) rather than compared.
pub fn updating_goldens() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

/// Compares `got` byte for byte with the golden file at `path`; with `UPDATE_GOLDEN` set,
/// writes it there instead (creating its folder). Goldens change only that way, never by
/// hand.
///
/// # Panics
/// When the file is missing or differs (the message names the file and how to rewrite it),
/// or cannot be written.
pub fn assert_golden(path: &Path, got: &str) {
    if updating_goldens() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        std::fs::write(path, got).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let want = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (UPDATE_GOLDEN=1 cargo test writes it)",
            path.display()
        )
    });
    if got != want {
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || got.lines().count().min(want.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "{} differs from the answer (first at line {line}): run UPDATE_GOLDEN=1 cargo test and review the diff",
            path.display()
        );
    }
}

/// The shared reference folder: `$CORRIDOR_REFERENCE_DIR` if set (checkouts elsewhere, e.g.
/// git worktrees), else `../shared/reference` beside the repository (as in CI).
pub fn reference_dir() -> PathBuf {
    std::env::var_os("CORRIDOR_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/reference"))
}

/// A file or folder of the reference folder (`tntp/SiouxFalls`), which must exist.
///
/// # Panics
/// When it is missing: the message says where it was looked for and how to point there.
pub fn reference_path(rel: &str) -> PathBuf {
    let p = reference_dir().join(rel);
    assert!(
        p.exists(),
        "reference files missing: expected {} (the shared reference folder beside the repository, ../shared/reference/{rel}; set CORRIDOR_REFERENCE_DIR to the reference folder if it lies elsewhere)",
        p.display()
    );
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goldens_compare_byte_for_byte_and_name_the_file() {
        let dir = std::env::temp_dir().join(format!("corridor-testkit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("g.txt");
        std::fs::write(&path, "a\nb\n").unwrap();
        if !updating_goldens() {
            assert_golden(&path, "a\nb\n");
            let err = std::panic::catch_unwind(|| assert_golden(&path, "a\nc\n")).unwrap_err();
            let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
            assert!(msg.contains("g.txt") && msg.contains("line 2"), "{msg}");
            let missing = dir.join("none.txt");
            let err = std::panic::catch_unwind(|| assert_golden(&missing, "x")).unwrap_err();
            let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
            assert!(msg.contains("UPDATE_GOLDEN=1"), "{msg}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn requests_carry_the_fields_given() {
        let r = request("A", "B", Some("2xFEU"), Some("time"));
        assert_eq!((r.from.as_str(), r.to.as_str()), ("A", "B"));
        assert_eq!(r.cargo.as_deref(), Some("2xFEU"));
        assert_eq!(r.optimize.as_deref(), Some("time"));
        assert_eq!(request("A", "B", None, None).alternatives, None);
        // The mini fixture routes.
        let a = fixture_engine("mini")
            .route(&request("Alpha", "Foxtrot", None, Some("time")))
            .unwrap();
        assert!(!a.itineraries.is_empty());
    }

    #[test]
    fn the_workspace_root_holds_the_workspace_manifest() {
        let m = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
        assert!(m.contains("[workspace]"));
    }
}
