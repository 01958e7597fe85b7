//! Door-to-door road legs measured on an imported road network.

use std::sync::Arc;

use corridor_engine::door::{DoorRoad, DoorRoads};
use corridor_physical::query::{Method, Networks, Passages, Prepared};
use corridor_physical::{geometry, Budget};

/// Most km from a door or a terminal to the road network.
pub const DOOR_SNAP_KM: f64 = 25.0;

/// Door-to-door road legs on a road network (see [`DoorRoads`]): the shortest path between
/// the nodes nearest the two ends (at most [`DOOR_SNAP_KM`] away; by the query facade, so
/// the hierarchy when one is prepared), plus the two snap distances.
#[derive(Debug)]
pub struct NetworkDoorRoads {
    prepared: Arc<Prepared>,
}

impl NetworkDoorRoads {
    /// Door roads over the network `name` of `networks` (opened now, so a missing network
    /// is an error at startup, not at the first query).
    ///
    /// # Errors
    /// Those of [`Networks::get`].
    pub fn open(
        networks: &Networks,
        name: &str,
    ) -> Result<NetworkDoorRoads, corridor_physical::Error> {
        Ok(NetworkDoorRoads {
            prepared: networks.get(name)?,
        })
    }
}

impl DoorRoads for NetworkDoorRoads {
    fn legs(
        &self,
        point: (f64, f64),
        targets: &[(f64, f64)],
        inbound: bool,
    ) -> Vec<Result<DoorRoad, String>> {
        let p = &*self.prepared;
        let search = match p.search(&Passages::default(), Method::Auto, Budget::unlimited()) {
            Ok(s) => s,
            Err(e) => return targets.iter().map(|_| Err(e.to_string())).collect(),
        };
        let snap = |at: (f64, f64), what: &str| {
            p.snap(at.0, at.1, DOOR_SNAP_KM)
                .map_err(|_| format!("no road within {DOOR_SNAP_KM} km of the {what}"))
        };
        let door = snap(point, "point");
        targets
            .iter()
            .map(|&t| {
                let d = door.clone()?;
                let s = snap(t, "terminal")?;
                let (a, b) = if inbound { (s, d) } else { (d, s) };
                let path = search
                    .path(a.node, b.node)
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| "the road network joins no path between them".to_string())?;
                let km = (path.length_m as f64 + a.distance_m + b.distance_m) / 1000.0;
                let (start, end) = if inbound { (t, point) } else { (point, t) };
                let mut line = vec![start];
                line.extend(
                    geometry::line(p.network(), &path.nodes, 0.01)
                        .into_iter()
                        .map(|[lon, lat]| (lat, lon)),
                );
                line.push(end);
                Ok(DoorRoad { km, line })
            })
            .collect()
    }

    fn label(&self) -> String {
        let m = self.prepared.network().meta();
        format!("'{}' ({}; {})", m.name, m.source, m.attribution)
    }
}
