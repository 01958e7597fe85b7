//! Snapping: the network node nearest to a latitude, longitude, found with an R-tree
//! (`rstar`) over points on the unit sphere, so that "nearest" is by great-circle distance.

use rstar::primitives::GeomWithData;
use rstar::RTree;

use crate::error::{Error, Result};
use crate::format::Network;
use crate::geodesy::{chord_to_m, unit_vector};

/// Default snap limit, km.
pub const DEFAULT_MAX_SNAP_KM: f64 = 50.0;

/// A point snapped to the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The node.
    pub node: u32,
    /// The node's latitude, degrees.
    pub lat: f64,
    /// The node's longitude, degrees.
    pub lon: f64,
    /// Great-circle distance from the point to the node, metres.
    pub distance_m: f64,
}

/// An R-tree of the nodes that have at least one arc.
pub struct Snapper {
    tree: RTree<GeomWithData<[f64; 3], u32>>,
}

impl std::fmt::Debug for Snapper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapper")
            .field("nodes", &self.tree.size())
            .finish()
    }
}

impl Snapper {
    /// Indexes the nodes of `net` that have an arc in or out.
    pub fn new(net: &Network) -> Snapper {
        let g = net.parts();
        let points: Vec<_> = (0..net.node_count())
            .filter(|&u| g.first_out[u] < g.first_out[u + 1] || g.first_in[u] < g.first_in[u + 1])
            .map(|u| {
                let [lat, lon] = g.lat_lon[u];
                GeomWithData::new(unit_vector(lat, lon), u as u32)
            })
            .collect();
        Snapper {
            tree: RTree::bulk_load(points),
        }
    }

    /// The nearest node, or `None` for a network without arcs.
    pub fn nearest(&self, net: &Network, lat: f64, lon: f64) -> Option<Snap> {
        let q = unit_vector(lat, lon);
        let hit = self.tree.nearest_neighbor(&q)?;
        let p = hit.geom();
        let chord = ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt();
        let [nlat, nlon] = net.parts().lat_lon[hit.data as usize];
        Some(Snap {
            node: hit.data,
            lat: nlat,
            lon: nlon,
            distance_m: chord_to_m(chord),
        })
    }

    /// The nearest node of each connected component within `max_km`, nearest first, for at
    /// most `max_components` components (looking at no more than 100,000 nodes).
    pub fn per_component(
        &self,
        net: &Network,
        lat: f64,
        lon: f64,
        max_km: f64,
        max_components: usize,
    ) -> Vec<Snap> {
        let g = net.parts();
        let q = unit_vector(lat, lon);
        let mut out: Vec<Snap> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for hit in self.tree.nearest_neighbor_iter(&q).take(100_000) {
            let p = hit.geom();
            let chord =
                ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt();
            let distance_m = chord_to_m(chord);
            if distance_m > max_km * 1000.0 || out.len() >= max_components {
                break;
            }
            if seen.insert(g.component[hit.data as usize]) {
                let [nlat, nlon] = g.lat_lon[hit.data as usize];
                out.push(Snap {
                    node: hit.data,
                    lat: nlat,
                    lon: nlon,
                    distance_m,
                });
            }
        }
        out
    }

    /// Snaps two points so that a path can join them: each to its nearest node when both
    /// lie in one connected component; otherwise to the nearest nodes of the component,
    /// within `max_km` of both points, that minimises the sum of the snap distances (a
    /// nearby fragment of the network does not hide the main line a little farther away).
    /// When no component is within reach of both, the nearest nodes are returned and the
    /// search will find no path.
    ///
    /// # Errors
    /// [`Error::NoSnap`] when either point is farther than `max_km` from every node.
    pub fn snap_pair(
        &self,
        net: &Network,
        from: (f64, f64),
        to: (f64, f64),
        max_km: f64,
    ) -> Result<(Snap, Snap)> {
        let a = self.snap(net, from.0, from.1, max_km)?;
        let b = self.snap(net, to.0, to.1, max_km)?;
        let comp = net.parts().component;
        if comp[a.node as usize] == comp[b.node as usize] {
            return Ok((a, b));
        }
        let ca = self.per_component(net, from.0, from.1, max_km, 64);
        let cb = self.per_component(net, to.0, to.1, max_km, 64);
        let best = ca
            .iter()
            .flat_map(|x| cb.iter().map(move |y| (x, y)))
            .filter(|(x, y)| comp[x.node as usize] == comp[y.node as usize])
            .min_by(|(x1, y1), (x2, y2)| {
                (x1.distance_m + y1.distance_m).total_cmp(&(x2.distance_m + y2.distance_m))
            });
        Ok(match best {
            Some((x, y)) => (*x, *y),
            None => (a, b),
        })
    }

    /// The nearest node within `max_km`.
    ///
    /// # Errors
    /// [`Error::NoSnap`] with the distance when the nearest node is farther (or there is none).
    pub fn snap(&self, net: &Network, lat: f64, lon: f64, max_km: f64) -> Result<Snap> {
        let no_snap = |distance_km| Error::NoSnap {
            network: net.meta().name.clone(),
            lat,
            lon,
            distance_km,
            limit_km: max_km,
        };
        match self.nearest(net, lat, lon) {
            Some(s) if s.distance_m <= max_km * 1000.0 => Ok(s),
            Some(s) => Err(no_snap(s.distance_m / 1000.0)),
            None => Err(no_snap(f64::INFINITY)),
        }
    }
}
