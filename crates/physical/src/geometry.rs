//! Path geometry for display: the nodes' coordinates as a GeoJSON-ordered line
//! (`[lon, lat]`), simplified with Ramer–Douglas–Peucker (`geo::Simplify`).

use geo::{Coord, LineString, Simplify};

use crate::format::Network;

/// The coordinates of `nodes` as `[lon, lat]` pairs (GeoJSON order), simplified so that no
/// dropped point lies farther than `tolerance_deg` degrees from the line (0 keeps all).
///
/// Longitudes are unwrapped along the line (a step across the antimeridian continues past
/// ±180°), so a route across the Pacific draws as one piece.
pub fn line(net: &Network, nodes: &[u32], tolerance_deg: f64) -> Vec<[f64; 2]> {
    let g = net.parts();
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(nodes.len());
    let mut shift = 0.0;
    let mut prev: Option<f64> = None;
    for &u in nodes {
        let [lat, lon] = g.lat_lon[u as usize];
        if let Some(p) = prev {
            let step = lon - p;
            if step > 180.0 {
                shift -= 360.0;
            } else if step < -180.0 {
                shift += 360.0;
            }
        }
        prev = Some(lon);
        coords.push(Coord {
            x: lon + shift,
            y: lat,
        });
    }
    let ls = LineString::new(coords);
    let ls = if tolerance_deg > 0.0 && ls.0.len() > 2 {
        ls.simplify(tolerance_deg)
    } else {
        ls
    };
    ls.0.into_iter().map(|c| [c.x, c.y]).collect()
}
