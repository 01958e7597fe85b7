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
