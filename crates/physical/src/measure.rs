//! Measuring a corridor leg (a rail, road or sea link between two places) on a physical
//! network, and judging whether the measurement is sound.
//!
//! The corridor layer states a length for each link, often an estimate (great circle × a
//! factor). [`measure`] routes the link on the network (A* with closed passages filtered out),
//! reports the km, the km on estimated connectors (`import --heal`), the snap distances and the
//! simplified line, and gives a [`Verdict`]: a measurement is *sound* when both ends lie near
//! the network, few of its km are connectors, it is not a detour the network makes because a
//! line is missing (against the great circle and the stated length), and, at sea, it crosses
//! only the passages the link says it crosses. Anything else keeps the stated length, with the
//! reason recorded, never a silent wrong figure.
//!
//! `corridor derive-geometry` runs this for every link and writes `link_geometry.csv`.

use crate::format::Network;
use crate::geodesy::haversine_m;
use crate::passage;
use crate::search::{shortest_path_with, Algorithm, Path, TagFilter};
use crate::snap::{Snap, Snapper};
use crate::Error;

/// When a measurement is sound. See [`Rules::for_network`] for the defaults and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// How far from a place to look for the network, km (beyond: unrouted).
    pub search_km: f64,
    /// The most an end may lie from the node it is snapped to for the km to count, km.
    pub max_snap_km: f64,
    /// The most connector km may be as a share of the path (at least [`Rules::connector_floor_km`]).
    pub max_connector_share: f64,
    /// Connector km always allowed, km.
    pub connector_floor_km: f64,
    /// The most the two snap distances together may be as a share of the whole length (they
    /// are counted as great circle, not along the network).
    pub max_snap_share: f64,
    /// Snap km always allowed under [`Rules::max_snap_share`], km (short links within a
    /// city).
    pub snap_share_floor_km: f64,
    /// The most the network km may be as a multiple of the great circle between the ends.
    pub max_detour: f64,
    /// The range the network km may take as a multiple of the stated length.
    pub stated_ratio: (f64, f64),
}

impl Rules {
    /// The defaults per network:
    ///
    /// | network | search | snap ≤ | both snaps ≤ | connectors ≤ | detour ≤ | × stated |
    /// |---|---|---|---|---|---|---|
    /// | rail, road | 50 km | 15 km | 10% (≥ 10 km) | 5% (≥ 2 km) | 2.0× | 0.6–1.6 |
    /// | sea | 200 km | 80 km | 10% (≥ 20 km) | 5% (≥ 2 km) | 3.2× | 0.6–1.6 |
    ///
    /// Rail and road terminals lie on or beside their lines; scgraph-data's simplified
    /// networks keep nodes some km apart, hence 15 km. Ports lie up estuaries and behind
    /// breakwaters while marnet's lanes stay offshore, hence 80 km. The detour limits: the
    /// longest operated rail lines in the data run about 1.6× the great circle (mountain
    /// sections), and the Cape route from China to Europe about 2.9×. The snap distances are
    /// added as great circle, so where they are a large share of a leg (marnet's Caspian lanes
    /// end 50–60 km off Alat and Kuryk) the km are not counted as measured.
    pub fn for_network(name: &str) -> Rules {
        let sea = name == "sea" || name.contains("sea");
        Rules {
            search_km: if sea { 200.0 } else { 50.0 },
            max_snap_km: if sea { 80.0 } else { 15.0 },
            max_snap_share: 0.1,
            snap_share_floor_km: if sea { 20.0 } else { 10.0 },
            max_connector_share: 0.05,
            connector_floor_km: 2.0,
            max_detour: if sea { 3.2 } else { 2.0 },
            stated_ratio: (0.6, 1.6),
        }
    }
}

/// A leg to measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    /// Origin place (lat, lon), degrees.
    pub from: (f64, f64),
    /// Destination place (lat, lon), degrees.
    pub to: (f64, f64),
    /// The stated length, km.
    pub stated_km: f64,
    /// At sea: the passages the link says it crosses (corridor names). Every other passage is
    /// closed for the measurement. `None` on land networks.
    pub passages: Option<Vec<String>>,
}

/// Whether a measurement can replace the stated length.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Sound.
    Measured,
    /// Routed, not sound: why.
    Rejected(String),
    /// Not routed: why.
    Unrouted(String),
}

/// What [`measure`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// Sound, rejected or unrouted.
    pub verdict: Verdict,
    /// Place to place, km: the path plus both snap distances. `None` when unrouted.
    pub distance_km: Option<f64>,
    /// Km on connector arcs (`connector=estimated`).
    pub connector_km: f64,
    /// Origin to its node, km (`None` when nothing was within reach).
    pub snap_from_km: Option<f64>,
    /// Destination to its node, km.
    pub snap_to_km: Option<f64>,
    /// Passages crossed (corridor names), in the order first met.
    pub passages: Vec<String>,
    /// The line from the origin place through the simplified path to the destination place,
    /// (lat, lon); longitudes unwrapped along the line. Empty when unrouted.
    pub points: Vec<(f64, f64)>,
}

/// The warning for a path on `network` from `from` to `to` (lat, lon) of `distance_km` that is
/// more than [`Rules::max_detour`] × the great circle: on land, a missing line rather than a
/// real route. `None` when the path is not such a detour.
pub fn detour_warning(
    network: &str,
    from: (f64, f64),
    to: (f64, f64),
    distance_km: f64,
) -> Option<String> {
    let gc_km = haversine_m(from.0, from.1, to.0, to.1) / 1000.0;
    let detour = Rules::for_network(network).max_detour;
    (gc_km > 1.0 && distance_km > detour * gc_km).then(|| {
        format!(
            "the path is {:.1}× the great circle of {gc_km:.0} km (more than {detour}×): the network likely lacks a line here; do not take {distance_km:.0} km as the distance",
            distance_km / gc_km
        )
    })
}

fn unrouted(why: String, snaps: (Option<f64>, Option<f64>)) -> Measurement {
    Measurement {
        verdict: Verdict::Unrouted(why),
        distance_km: None,
        connector_km: 0.0,
        snap_from_km: snaps.0,
        snap_to_km: snaps.1,
        passages: Vec::new(),
        points: Vec::new(),
    }
}

fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The tags of passages that a sea leg may not cross: every passage the leg does not list,
/// and those closed by default unless listed.
fn blocked_tags(leg: &Leg) -> Vec<String> {
    let Some(listed) = &leg.passages else {
        return passage::default_closed_tags();
    };
    passage::PASSAGES
        .iter()
        .filter(|p| {
            !listed
                .iter()
                .any(|n| passage::find(n).is_some_and(|q| q.name == p.name))
        })
        .map(|p| p.arc_tag())
        .collect()
}

/// Measures `leg` on `net` and judges it by `rules`. The line is simplified to within
/// `simplify_km`.
pub fn measure(
    net: &Network,
    snapper: &Snapper,
    leg: &Leg,
    rules: &Rules,
    simplify_km: f64,
) -> Measurement {
    let name = net.meta().name.clone();
    let (a, b) = match snap_ends(net, snapper, leg, rules, &name) {
        Ok(x) => x,
        Err(why) => return unrouted(why, (None, None)),
    };
    let snaps = (
        Some(r1(a.distance_m / 1000.0)),
        Some(r1(b.distance_m / 1000.0)),
    );
    let Some((path, crossing_unlisted)) = route(net, leg, &a, &b) else {
        let comp = net.parts().component;
        return unrouted(
            format!(
                "no path on the {name} network: the ends lie in parts it does not join (components {} and {}, 0 = largest), even after healing",
                comp[a.node as usize], comp[b.node as usize]
            ),
            snaps,
        );
    };
    let passages = passages_crossed(net, &path.arcs);
    let path_km = path.length_m as f64 / 1000.0;
    let connector_km = crate::heal::connector_m(net, &path.arcs) as f64 / 1000.0;
    let distance_km = path_km + a.distance_m / 1000.0 + b.distance_m / 1000.0;
    let points = line_points(net, leg, &path.nodes, simplify_km);
    let found = Found {
        name: &name,
        a: &a,
        b: &b,
        path_km,
        connector_km,
        distance_km,
        passages: &passages,
        crossing_unlisted,
    };
    let why = unsound(leg, rules, &found);
    Measurement {
        verdict: if why.is_empty() {
            Verdict::Measured
        } else {
            Verdict::Rejected(why.join("; "))
        },
        distance_km: Some(r1(distance_km)),
        connector_km: r1(connector_km),
        snap_from_km: snaps.0,
        snap_to_km: snaps.1,
        passages,
        points,
    }
}

/// Snaps both ends of `leg` to the network named `name`, or why not (which end lies too far).
fn snap_ends(
    net: &Network,
    snapper: &Snapper,
    leg: &Leg,
    rules: &Rules,
    name: &str,
) -> Result<(Snap, Snap), String> {
    match snapper.snap_pair(net, leg.from, leg.to, rules.search_km) {
        Ok(x) => Ok(x),
        Err(Error::NoSnap {
            lat,
            lon,
            distance_km,
            ..
        }) => {
            let end = if (lat, lon) == leg.from {
                "origin"
            } else {
                "destination"
            };
            Err(format!(
                "the {end} ({lat:.2},{lon:.2}) lies {} from the {name} network (looked within {} km)",
                if distance_km.is_finite() {
                    format!("{distance_km:.0} km")
                } else {
                    "farther than that".into()
                },
                rules.search_km
            ))
        }
        Err(e) => Err(format!("{e}")),
    }
}

/// The A* path between the snapped ends with the leg's unlisted passages closed, else with
/// every passage open (then `true`: the path crosses a passage the link does not list).
fn route(net: &Network, leg: &Leg, a: &Snap, b: &Snap) -> Option<(Path, bool)> {
    let blocked = blocked_tags(leg);
    let refs: Vec<&str> = blocked.iter().map(String::as_str).collect();
    let filter = TagFilter::blocking(net, &refs);
    let mut found = shortest_path_with(net, a.node, b.node, Algorithm::AStar, &filter);
    let mut crossing_unlisted = false;
    if found.is_none() && !filter.is_empty() {
        found = shortest_path_with(net, a.node, b.node, Algorithm::AStar, &TagFilter::default());
        crossing_unlisted = found.is_some();
    }
    found.map(|p| (p, crossing_unlisted))
}

/// The passages (corridor names) the arcs cross, in the order first met.
fn passages_crossed(net: &Network, arcs: &[u32]) -> Vec<String> {
    let g = net.parts();
    let meta = net.meta();
    let mut passages: Vec<String> = Vec::new();
    for &arc in arcs {
        let tag = &meta.tags[g.tag[arc as usize] as usize];
        if let Some(p) = passage::by_arc_tag(tag).map(|p| p.name.to_string()) {
            if !passages.contains(&p) {
                passages.push(p);
            }
        }
    }
    passages
}

/// The line from the origin place through the simplified path to the destination place,
/// (lat, lon), longitudes unwrapped along the line.
fn line_points(net: &Network, leg: &Leg, nodes: &[u32], simplify_km: f64) -> Vec<(f64, f64)> {
    let mut points = vec![leg.from];
    let same = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-5 && (a.1 - b.1).abs() < 1e-5;
    for [lon, lat] in crate::geometry::line(net, nodes, simplify_km / 111.32) {
        if !points.last().is_some_and(|&p| same(p, (lat, lon))) {
            points.push((lat, lon));
        }
    }
    // The destination, on the same side of the antimeridian as the line's end.
    let last_lon = points.last().map_or(leg.to.1, |p| p.1);
    let mut to_lon = leg.to.1;
    while to_lon - last_lon > 180.0 {
        to_lon -= 360.0;
    }
    while to_lon - last_lon < -180.0 {
        to_lon += 360.0;
    }
    if !points.last().is_some_and(|&p| same(p, (leg.to.0, to_lon))) {
        points.push((leg.to.0, to_lon));
    }
    points
}

/// What a routed leg measured, for judging it.
struct Found<'a> {
    name: &'a str,
    a: &'a Snap,
    b: &'a Snap,
    path_km: f64,
    connector_km: f64,
    distance_km: f64,
    passages: &'a [String],
    crossing_unlisted: bool,
}

/// Why the measurement is not sound by `rules` (empty: sound).
fn unsound(leg: &Leg, rules: &Rules, f: &Found<'_>) -> Vec<String> {
    let Found {
        name,
        a,
        b,
        path_km,
        connector_km,
        distance_km,
        passages,
        crossing_unlisted,
    } = *f;
    let gc_km = haversine_m(leg.from.0, leg.from.1, leg.to.0, leg.to.1) / 1000.0;
    let mut why = Vec::new();
    if crossing_unlisted {
        why.push(format!(
            "every path crosses a passage the link does not list ({}); add it to the link's passages or check the link",
            passages
                .iter()
                .filter(|p| !leg.passages.iter().flatten().any(|l| l == *p))
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (end, s) in [("origin", a), ("destination", b)] {
        if s.distance_m / 1000.0 > rules.max_snap_km {
            why.push(format!(
                "the {end} lies {:.0} km from the nearest {name} node (sound up to {} km)",
                s.distance_m / 1000.0,
                rules.max_snap_km
            ));
        }
    }
    let snap_km = (a.distance_m + b.distance_m) / 1000.0;
    let snap_cap = (rules.max_snap_share * distance_km).max(rules.snap_share_floor_km);
    if snap_km > snap_cap {
        why.push(format!(
            "{snap_km:.0} of its {distance_km:.0} km are the ends' great-circle way to the network (sound up to {snap_cap:.0} km)"
        ));
    }
    let connector_cap = (rules.max_connector_share * path_km).max(rules.connector_floor_km);
    if connector_km > connector_cap {
        why.push(format!(
            "{connector_km:.1} km of the path are estimated connectors (sound up to {connector_cap:.1} km)"
        ));
    }
    if gc_km > 1.0 && distance_km > rules.max_detour * gc_km {
        why.push(format!(
            "a detour: {distance_km:.0} km is {:.2}× the great circle of {gc_km:.0} km (sound up to {}×); the network likely lacks a line here",
            distance_km / gc_km,
            rules.max_detour
        ));
    }
    if leg.stated_km > 0.0 {
        let ratio = distance_km / leg.stated_km;
        if ratio < rules.stated_ratio.0 || ratio > rules.stated_ratio.1 {
            why.push(format!(
                "{distance_km:.0} km is {ratio:.2}× the stated {:.0} km (sound within {}–{}×)",
                leg.stated_km, rules.stated_ratio.0, rules.stated_ratio.1
            ));
        }
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Meta, NetworkBuilder};

    /// A line A–B–C (about 111 km a step along a meridian) and a far detour D.
    fn net() -> Network {
        let mut b = NetworkBuilder::new();
        let a = b.add_node(40.0, 60.0).unwrap();
        let m = b.add_node(41.0, 60.0).unwrap();
        let c = b.add_node(42.0, 60.0).unwrap();
        let far = b.add_node(41.0, 64.0).unwrap();
        let lone = b.add_node(50.0, 60.0).unwrap();
        let lone2 = b.add_node(50.1, 60.0).unwrap();
        let t = b.tag("railway=rail gauge=1520").unwrap();
        b.add_edge(a, m, None, t).unwrap();
        b.add_edge(m, c, None, t).unwrap();
        b.add_edge(a, far, None, t).unwrap();
        b.add_edge(lone, lone2, None, t).unwrap();
        b.build(
            Meta {
                name: "rail".into(),
                ..Meta::default()
            },
            false,
        )
        .unwrap()
    }

    fn leg(from: (f64, f64), to: (f64, f64), stated: f64) -> Leg {
        Leg {
            from,
            to,
            stated_km: stated,
            passages: None,
        }
    }

    #[test]
    fn sound_leg_is_measured_with_its_line() {
        let n = net();
        let s = Snapper::new(&n);
        let m = measure(
            &n,
            &s,
            &leg((40.0, 60.0), (42.0, 60.0), 230.0),
            &Rules::for_network("rail"),
            0.0,
        );
        assert_eq!(m.verdict, Verdict::Measured);
        let km = m.distance_km.unwrap();
        assert!((km - 222.4).abs() < 1.0, "{km}");
        assert_eq!(m.points.first(), Some(&(40.0, 60.0)));
        assert_eq!(m.points.last(), Some(&(42.0, 60.0)));
        assert_eq!(m.points.len(), 3); // the places lie on the end nodes: no repeats
    }

    #[test]
    fn far_from_stated_is_rejected_with_the_reason() {
        let n = net();
        let s = Snapper::new(&n);
        let m = measure(
            &n,
            &s,
            &leg((40.0, 60.0), (42.0, 60.0), 100.0),
            &Rules::for_network("rail"),
            0.0,
        );
        match m.verdict {
            Verdict::Rejected(why) => assert!(why.contains("2.22× the stated 100 km"), "{why}"),
            v => panic!("{v:?}"),
        }
        assert!(m.distance_km.is_some());
    }

    #[test]
    fn unjoined_parts_and_far_ends_are_unrouted() {
        let n = net();
        let s = Snapper::new(&n);
        let m = measure(
            &n,
            &s,
            &leg((40.0, 60.0), (50.0, 60.0), 1200.0),
            &Rules::for_network("rail"),
            0.0,
        );
        match &m.verdict {
            Verdict::Unrouted(why) => assert!(why.contains("does not join"), "{why}"),
            v => panic!("{v:?}"),
        }
        assert_eq!(m.distance_km, None);
        let m = measure(
            &n,
            &s,
            &leg((40.0, 60.0), (30.0, 60.0), 1200.0),
            &Rules::for_network("rail"),
            0.0,
        );
        match &m.verdict {
            Verdict::Unrouted(why) => assert!(why.contains("destination"), "{why}"),
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn detours_beyond_the_limit_are_named() {
        // 1° of latitude ≈ 111 km: 200 km on rail is a route, 300 km a missing line.
        assert_eq!(
            detour_warning("rail", (40.0, 60.0), (41.0, 60.0), 200.0),
            None
        );
        let w = detour_warning("rail", (40.0, 60.0), (41.0, 60.0), 300.0).unwrap();
        assert!(w.contains("2.7× the great circle of 111 km"), "{w}");
        // At sea the limit is 3.2×.
        assert_eq!(
            detour_warning("sea", (40.0, 60.0), (41.0, 60.0), 300.0),
            None
        );
    }

    #[test]
    fn snap_beyond_the_sound_limit_is_rejected() {
        let n = net();
        let s = Snapper::new(&n);
        // 0.3° of latitude ≈ 33 km off node C.
        let m = measure(
            &n,
            &s,
            &leg((40.0, 60.0), (42.3, 60.0), 260.0),
            &Rules::for_network("rail"),
            0.0,
        );
        match m.verdict {
            Verdict::Rejected(why) => assert!(why.contains("destination lies 33 km"), "{why}"),
            v => panic!("{v:?}"),
        }
    }
}
