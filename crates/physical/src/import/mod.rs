//! Importers: each turns a source into a [`crate::NetworkBuilder`] and a [`crate::Meta`].
//!
//! - [`scgraph`]: the OSM-derived world networks of the PyPI package `scgraph-data` 2.x,
//!   Python literals parsed here without Python.
//! - [`marnet`]: the sea lanes of the PyPI package `searoute`, with passage tags.
//! - [`osm`]: OpenStreetMap `.osm.pbf` extracts (rail with gauges, road classes, ferries).
//! - [`python`]: finding an installed Python package without importing it.

pub mod marnet;
pub mod osm;
pub mod python;
pub mod scgraph;

/// Line and column (1-based) of byte `at` in `text`.
pub(crate) fn line_col(text: &[u8], at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let col = at
        - before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, col)
}
