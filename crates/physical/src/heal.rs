//! Healing: connector arcs that bridge the gaps between connected components.
//!
//! The open networks are broken into many pieces (world_railways: 787 connected components,
//! the largest with 59% of the nodes), often where two lines stop a few hundred metres short
//! of each other at a station or a border. [`heal`] joins them with *connector* arcs tagged
//! [`CONNECTOR_TAG`] (one each way, great-circle length), so that a route can cross such a
//! gap, and every route can say how many of its km are such estimates.
//!
//! The rule, repeated in rounds until a round adds nothing:
//!
//! 1. For every node outside the largest component, the nearest node of *another* component
//!    (an R-tree over the unit sphere, nearest by great-circle distance) within the cap: 5 km
//!    when either end lies within 10 km of a place of the corridor layer (a station, border
//!    crossing or port: there a longer gap is more likely a real break than a drawing gap),
//!    25 km elsewhere.
//! 2. The shortest such bridge of each component; then, shortest first, a bridge is added if
//!    its two ends are still in different components (Kruskal), so two components are joined
//!    by one connector, never two.
//!
//! Connectors therefore only join different components, and the components with their
//! connectors form a forest: a shortest path between two nodes that were already connected
//! never uses a connector.

use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;

use crate::builder::NetworkBuilder;
use crate::error::Result;
use crate::format::Network;
use crate::geodesy::{haversine_m, unit_vector};

/// The tag of connector arcs.
pub const CONNECTOR_TAG: &str = "connector=estimated";

/// Caps of [`heal`].
#[derive(Debug, Clone)]
pub struct HealParams {
    /// The longest connector away from places, metres.
    pub cap_m: f64,
    /// The longest connector with an end near a place, metres.
    pub near_place_cap_m: f64,
    /// What "near a place" means, metres.
    pub place_radius_m: f64,
    /// The places, `[lat, lon]` degrees.
    pub places: Vec<[f64; 2]>,
}

impl Default for HealParams {
    fn default() -> HealParams {
        HealParams {
            cap_m: 25_000.0,
            near_place_cap_m: 5_000.0,
            place_radius_m: 10_000.0,
            places: Vec::new(),
        }
    }
}

/// What [`heal`] did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HealReport {
    /// Connected components before (isolated nodes count).
    pub components_before: u32,
    /// Connected components after.
    pub components_after: u32,
    /// Connectors added (each is two arcs, one each way).
    pub connectors: u64,
    /// Their total length (one way), km.
    pub connector_km: f64,
    /// The longest connector, km.
    pub longest_km: f64,
    /// Rounds run.
    pub rounds: u32,
    /// The caps used, km: away from places, near places, and the radius of "near".
    pub caps_km: [f64; 3],
}

/// Radius on the unit sphere → squared chord length.
fn chord2(m: f64) -> f64 {
    let c = 2.0 * (m / crate::geodesy::EARTH_RADIUS_M / 2.0).sin();
    c * c
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

/// The network with connectors added (see the module docs), and what was done. The
/// network's metadata is kept, with [`crate::Meta::heal`] set.
///
/// # Errors
/// As [`NetworkBuilder::build`].
pub fn heal(
    net: &Network,
    params: &HealParams,
    show_progress: bool,
) -> Result<(Network, HealReport)> {
    let g = net.parts();
    let n = net.node_count();
    let has_arc: Vec<bool> = (0..n)
        .map(|u| g.first_out[u] < g.first_out[u + 1] || g.first_in[u] < g.first_in[u + 1])
        .collect();
    let tree: RTree<GeomWithData<[f64; 3], u32>> = RTree::bulk_load(
        (0..n)
            .filter(|&u| has_arc[u])
            .map(|u| {
                let [lat, lon] = g.lat_lon[u];
                GeomWithData::new(unit_vector(lat, lon), u as u32)
            })
            .collect(),
    );
    let mut near = vec![false; n];
    let r2 = chord2(params.place_radius_m);
    for &[lat, lon] in &params.places {
        for hit in tree.locate_within_distance(unit_vector(lat, lon), r2) {
            near[hit.data as usize] = true;
        }
    }
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for u in 0..n {
        for &v in &g.head[g.first_out[u] as usize..g.first_out[u + 1] as usize] {
            let (a, b) = (find(&mut parent, u as u32), find(&mut parent, v));
            if a != b {
                parent[a.max(b) as usize] = a.min(b);
            }
        }
    }
    let max_cap = params.cap_m.max(params.near_place_cap_m);
    let mut bridges: Vec<(u32, u32, f64)> = Vec::new();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let root: Vec<u32> = (0..n as u32).map(|u| find(&mut parent, u)).collect();
        let mut size = vec![0u32; n];
        for &r in &root {
            size[r as usize] += 1;
        }
        let largest = (0..n)
            .max_by_key(|&r| (size[r], std::cmp::Reverse(r)))
            .unwrap_or(0) as u32;
        // The nearest node of another component, per node outside the largest.
        let mut cands: Vec<(f64, u32, u32)> = (0..n as u32)
            .into_par_iter()
            .filter(|&u| has_arc[u as usize] && root[u as usize] != largest)
            .filter_map(|u| {
                let [lat, lon] = g.lat_lon[u as usize];
                let limit = if near[u as usize] {
                    params.near_place_cap_m
                } else {
                    max_cap
                };
                let l2 = chord2(limit);
                for (p, d2) in tree.nearest_neighbor_iter_with_distance_2(&unit_vector(lat, lon)) {
                    if d2 > l2 {
                        break;
                    }
                    let v = p.data;
                    if root[v as usize] == root[u as usize] {
                        continue;
                    }
                    let [vlat, vlon] = g.lat_lon[v as usize];
                    let d = haversine_m(lat, lon, vlat, vlon);
                    let cap = if near[u as usize] || near[v as usize] {
                        params.near_place_cap_m
                    } else {
                        params.cap_m
                    };
                    if d <= cap {
                        return Some((d, u, v));
                    }
                }
                None
            })
            .collect();
        // The shortest per component, then Kruskal.
        cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut seen = vec![false; n];
        cands.retain(|&(_, u, _)| !std::mem::replace(&mut seen[root[u as usize] as usize], true));
        let before = bridges.len();
        for (d, u, v) in cands {
            let (a, b) = (find(&mut parent, u), find(&mut parent, v));
            if a != b {
                parent[a.max(b) as usize] = a.min(b);
                bridges.push((u, v, d));
            }
        }
        if bridges.len() == before {
            break;
        }
    }
    let mut b = NetworkBuilder::from_network(net)?;
    let tag = b.tag(CONNECTOR_TAG)?;
    for &(u, v, _) in &bridges {
        b.add_edge(u, v, None, tag)?;
    }
    let mut meta = net.meta().clone();
    let mut report = HealReport {
        components_before: net.meta().report.components.count,
        components_after: 0,
        connectors: bridges.len() as u64,
        connector_km: bridges.iter().map(|b| b.2).sum::<f64>() / 1000.0,
        longest_km: bridges.iter().map(|b| b.2).fold(0.0, f64::max) / 1000.0,
        rounds,
        caps_km: [
            params.cap_m / 1000.0,
            params.near_place_cap_m / 1000.0,
            params.place_radius_m / 1000.0,
        ],
    };
    meta.heal = None;
    let built = b.build(meta, show_progress)?;
    report.components_after = built.meta().report.components.count;
    let mut meta = built.meta().clone();
    // What the first build dropped and raised (the rebuild finds nothing left to do).
    let first = &net.meta().report;
    meta.report.self_loops_dropped = first.self_loops_dropped;
    meta.report.duplicates_dropped = first.duplicates_dropped;
    meta.report.arcs_raised = first.arcs_raised;
    meta.report.raised_m = first.raised_m;
    meta.heal = Some(report.clone());
    let healed = Network::from_parts(meta, built.parts())?;
    Ok((healed, report))
}

/// Metres of the arcs `arcs` that are connectors.
pub fn connector_m(net: &Network, arcs: &[u32]) -> u64 {
    let Some(t) = net.meta().tags.iter().position(|t| t == CONNECTOR_TAG) else {
        return 0;
    };
    let g = net.parts();
    arcs.iter()
        .filter(|&&a| g.tag[a as usize] as usize == t)
        .map(|&a| g.length_m[a as usize] as u64)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Meta;
    use crate::search::{shortest_path, Algorithm};

    /// Two short lines along a meridian at lon 20°, the second starting `gap_km` north of
    /// the first's end.
    fn two_lines(gap_km: f64) -> Network {
        let mut b = NetworkBuilder::new();
        let deg = 1.0 / 111.195; // degrees of latitude per km
        let a0 = b.add_node(50.0, 20.0).unwrap();
        let a1 = b.add_node(50.0 + 10.0 * deg, 20.0).unwrap();
        let b0 = b.add_node(50.0 + (10.0 + gap_km) * deg, 20.0).unwrap();
        let b1 = b.add_node(50.0 + (20.0 + gap_km) * deg, 20.0).unwrap();
        b.add_edge(a0, a1, None, 0).unwrap();
        b.add_edge(b0, b1, None, 0).unwrap();
        b.build(Meta::default(), false).unwrap()
    }

    #[test]
    fn a_3_km_gap_is_bridged_and_a_40_km_gap_is_not() {
        let net = two_lines(3.0);
        let (h, r) = heal(&net, &HealParams::default(), false).unwrap();
        assert_eq!((r.components_before, r.components_after), (2, 1));
        assert_eq!(r.connectors, 1);
        assert!((r.connector_km - 3.0).abs() < 0.01, "{r:?}");
        assert_eq!(h.meta().heal.as_ref(), Some(&r));
        assert_eq!(h.arc_count(), net.arc_count() + 2);
        let p = shortest_path(&h, 0, 3, Algorithm::Dijkstra).unwrap();
        let c = connector_m(&h, &p.arcs);
        assert!((2_999..=3_001).contains(&c), "{c}");
        assert!((22_990..=23_010).contains(&p.length_m), "{}", p.length_m);

        let (h, r) = heal(&two_lines(40.0), &HealParams::default(), false).unwrap();
        assert_eq!((r.components_before, r.components_after), (2, 2));
        assert_eq!(r.connectors, 0);
        assert!(shortest_path(&h, 0, 3, Algorithm::Dijkstra).is_none());
    }

    #[test]
    fn near_a_place_the_cap_is_5_km() {
        let net = two_lines(8.0);
        let (_, r) = heal(&net, &HealParams::default(), false).unwrap();
        assert_eq!(r.connectors, 1, "8 km away from places: bridged");
        let params = HealParams {
            places: vec![[50.0 + 10.0 / 111.195, 20.01]],
            ..HealParams::default()
        };
        let (_, r) = heal(&net, &params, false).unwrap();
        assert_eq!(r.connectors, 0, "8 km at a station: not bridged");
    }

    #[test]
    fn connectors_never_shorten_paths_that_already_existed() {
        // Seeded random clusters of nodes, each cluster a few random components.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut b = NetworkBuilder::new();
        let n = 120;
        let pts: Vec<[f64; 2]> = (0..n)
            .map(|_| [45.0 + rnd() * 0.5, 30.0 + rnd() * 0.5])
            .collect();
        for &[lat, lon] in &pts {
            b.add_node(lat, lon).unwrap();
        }
        for _ in 0..110 {
            let (u, v) = ((rnd() * n as f64) as usize, (rnd() * n as f64) as usize);
            // Up to 3× the great circle, so that a connector shortcut would tempt a search.
            let gc = haversine_m(pts[u][0], pts[u][1], pts[v][0], pts[v][1]);
            b.add_edge(u as u32, v as u32, Some(gc * (1.0 + 2.0 * rnd())), 0)
                .unwrap();
        }
        let net = b.build(Meta::default(), false).unwrap();
        let (h, r) = heal(&net, &HealParams::default(), false).unwrap();
        assert!(
            r.connectors > 0 && r.components_after < r.components_before,
            "{r:?}"
        );
        let comp = net.parts().component;
        let has_arc = |u: usize| net.parts().first_out[u] < net.parts().first_out[u + 1];
        for s in (0..n).filter(|&u| has_arc(u)).step_by(7) {
            for t in (0..n).filter(|&u| has_arc(u)) {
                let before = shortest_path(&net, s as u32, t as u32, Algorithm::Dijkstra);
                let after = shortest_path(&h, s as u32, t as u32, Algorithm::Dijkstra);
                if comp[s] == comp[t] {
                    let (b, a) = (before.unwrap(), after.unwrap());
                    assert_eq!(a.length_m, b.length_m);
                    assert_eq!(connector_m(&h, &a.arcs), 0);
                } else if let Some(a) = after {
                    assert!(connector_m(&h, &a.arcs) > 0);
                }
            }
        }
    }
}
