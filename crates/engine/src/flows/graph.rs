//! The assignment network of the corridor network: the route search's states made nodes, so
//! that an equilibrium assignment sees what a route sees (arcs, transfers, carriers) and the
//! capacities of `capacity.csv` as delays.
//!
//! Per place `p` and carrier `c` (truck, box on a ship, wagon of a gauge, …): `A(p,c)` (arrived
//! on `c`) and `D(p,c)` (about to depart on `c`). Links:
//! - keep: `A(p,c) → D(p,c)`, free (the search's "no transfer");
//! - transfer: `A(p,c1) → D(p,c2)` where `transfers.csv` has a rule, at its time and price;
//! - arc: `D(from,c) → A(to,c)` for each arc of the network the plan allows, at the arc's time
//!   and price, with the capacity of its link (a queue on borders, ferries and sea services,
//!   BPR on lines and roads);
//! - handling: where a place has a capacity for a carrier, transfers into it pass a load link
//!   `L(p,c) → D(p,c)` and transfers out of it an unload link `A(p,c) → U(p,c)` (queues), so
//!   that every box handled there shares the capacity;
//! - zones: an origin zone joins `D(p,c)` (or `L(p,c)`) of each carrier leaving its places, a
//!   destination zone is joined from `A(p,c)` (or `U(p,c)`).
//!
//! Link costs are generalised: USD per TEU plus the value of time per TEU-hour.

use std::collections::HashMap;

use corridor_assign::{Delay, Link};
use corridor_data::{CapDirection, CapElement, Capacity, Mode};
use corridor_network::{Carrier, Graph};

use crate::pareto::{Crit, COST, TIME};

/// TEU per train used to turn TEU into trains and a train's service time at a queue:
/// 1.749 M TEU on 16,145 China-Europe trains, Jan–Nov 2023 (China Railway; reference
/// S-CRE-001), 108 TEU per train.
pub const TEU_PER_TRAIN: f64 = 108.0;
/// Hours in a year.
pub(crate) const HOURS_PER_YEAR: f64 = 8760.0;
/// BPR parameters on lines and roads (Bureau of Public Roads 1964): t = t0 (1 + 0.15 (V/C)^4).
pub const BPR_B: f64 = 0.15;
/// BPR power on lines and roads.
pub const BPR_POWER: f64 = 4.0;

/// What a link of the assignment network stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Role {
    /// An arc of the corridor network (index).
    Arc(usize),
    /// A transfer at a place, or keeping the carrier.
    Transfer,
    /// Loading into or unloading out of a carrier at a place: a handling queue.
    Handling,
    /// A zone connector.
    Zone,
}

/// A capacity bound to links of the assignment network.
#[derive(Debug, Clone)]
pub(crate) struct Bound<'a> {
    /// The capacity row.
    pub row: &'a Capacity,
    /// Readable name of what it binds.
    pub name: String,
    /// The direction bound: `forward`, `reverse`, `load` or `unload`.
    pub direction: &'static str,
    /// The assignment links it binds (several where a link carries wagons of more than one
    /// gauge, or a place handles more than one wagon gauge).
    pub links: Vec<usize>,
}

/// A handling hub: place, carrier, loading (else unloading).
type Hub = (usize, u8, bool);
/// A place capacity's name, row, direction and hubs, before their links exist.
type PlaceBound<'r> = (String, &'r Capacity, &'static str, Vec<Hub>);

/// The assignment network and what its links stand for.
pub(crate) struct FlowGraph<'a> {
    pub links: Vec<Link>,
    pub roles: Vec<Role>,
    pub node_count: usize,
    pub zone_count: usize,
    pub bounds: Vec<Bound<'a>>,
}

/// Which carriers a capacity row's carrier names.
fn carriers_named(net: Graph<'_>, name: &str) -> Vec<Carrier> {
    let nc = net.n_carriers();
    match name {
        "box" => vec![Carrier::BOX],
        "truck" => vec![Carrier::TRUCK],
        "wagon" => (Carrier::WAGON0..nc as u8).map(Carrier).collect(),
        w => {
            let want: Option<u16> = w.strip_prefix("wagon").and_then(|g| g.parse().ok());
            (Carrier::WAGON0..nc as u8)
                .map(Carrier)
                .filter(|&c| net.wagon_gauge(c) == want)
                .collect()
        }
    }
}

/// The queue parameter b of a capacity: half the service time of one batch (M/D/1 waiting
/// time b·ρ/(1 − ρ)), in generalised cost. A batch is a train on rail borders and yards, a
/// sailing on ferry and sea services (the link's capacity over its sailings a year).
fn queue_b(vot: f64, teu_per_year: f64, batch_teu: f64) -> f64 {
    let service_h = batch_teu * HOURS_PER_YEAR / teu_per_year;
    vot * service_h / 2.0
}

pub(crate) struct Inputs<'a, 'b> {
    pub net: Graph<'a>,
    pub allowed: &'b [bool],
    pub arc_crit: &'b [Crit],
    pub transfer_crit: &'b [Crit],
    pub capacities: Vec<&'a Capacity>,
    /// Value of time, USD per TEU-hour.
    pub vot: f64,
    /// Places of each zone.
    pub zones: Vec<Vec<usize>>,
    /// Whether a zone is an origin (else only a destination; a zone may be both).
    pub origin: Vec<bool>,
    pub destination: Vec<bool>,
}

impl<'a> FlowGraph<'a> {
    /// Builds the assignment network.
    pub(crate) fn build(inp: &Inputs<'a, '_>) -> FlowGraph<'a> {
        let net = inp.net;
        let nc = net.n_carriers();
        let np = net.n_places();
        let z = inp.zones.len();
        let a_node = |p: usize, c: Carrier| z + (p * nc + c.0 as usize) * 2;
        let d_node = |p: usize, c: Carrier| z + (p * nc + c.0 as usize) * 2 + 1;
        let mut node_count = z + np * nc * 2;
        let mut g = FlowGraph {
            links: Vec::new(),
            roles: Vec::new(),
            node_count: 0,
            zone_count: z,
            bounds: Vec::new(),
        };
        let vot = inp.vot;
        let plain = |from: usize, to: usize, crit: &Crit| Link {
            from: from as u32,
            to: to as u32,
            capacity: 0.0,
            free_flow_time: vot * crit[TIME],
            b: 0.0,
            power: 0.0,
            length: 0.0,
            toll: crit[COST],
            delay: Delay::Bpr,
            preload: 0.0,
        };
        // Handling hubs: (place, carrier) → (L node, U node), each with its capacity row.
        let mut load: HashMap<(usize, u8), (usize, &Capacity)> = HashMap::new();
        let mut unload: HashMap<(usize, u8), (usize, &Capacity)> = HashMap::new();
        let place_ix: HashMap<&str, usize> =
            (0..np).map(|i| (net.place(i).id.as_str(), i)).collect();
        let mut place_bounds: Vec<PlaceBound<'_>> = Vec::new();
        for row in inp
            .capacities
            .iter()
            .filter(|r| r.element == CapElement::Place)
        {
            let Some(&p) = place_ix.get(row.target.as_str()) else {
                continue;
            };
            let cname = row.carrier.as_deref().unwrap_or("");
            let mut hubs = Vec::new();
            for c in carriers_named(net, cname) {
                for is_load in [true, false] {
                    let wanted = match row.direction {
                        CapDirection::Load => is_load,
                        CapDirection::Unload => !is_load,
                        _ => true,
                    };
                    if !wanted {
                        continue;
                    }
                    let map = if is_load { &mut load } else { &mut unload };
                    map.insert((p, c.0), (node_count, row));
                    node_count += 1;
                    hubs.push((p, c.0, is_load));
                }
            }
            // One bound per direction: a `both` row binds loading and unloading each.
            for is_load in [true, false] {
                let dir: Vec<Hub> = hubs.iter().copied().filter(|h| h.2 == is_load).collect();
                if dir.is_empty() {
                    continue;
                }
                let what = match (cname, is_load) {
                    ("box", true) => "loading onto ships".to_string(),
                    ("box", false) => "unloading from ships".to_string(),
                    ("truck", true) => "loading onto trucks".to_string(),
                    ("truck", false) => "unloading from trucks".to_string(),
                    ("wagon", true) => "loading onto rail wagons".to_string(),
                    ("wagon", false) => "unloading from rail wagons".to_string(),
                    (w, true) => format!("transshipment onto {} mm wagons", &w[5..]),
                    (w, false) => format!("transshipment off {} mm wagons", &w[5..]),
                };
                let d = if is_load { "load" } else { "unload" };
                place_bounds.push((format!("{}: {what}", net.place(p).name), row, d, dir));
            }
        }
        let after_unload =
            |p: usize, c: Carrier| unload.get(&(p, c.0)).map_or(a_node(p, c), |h| h.0);
        let before_load = |p: usize, c: Carrier| load.get(&(p, c.0)).map_or(d_node(p, c), |h| h.0);
        // Keep and transfer links.
        for p in 0..np {
            for c1 in 1..nc as u8 {
                let c1 = Carrier(c1);
                g.push(
                    plain(a_node(p, c1), d_node(p, c1), &[0.0; 4]),
                    Role::Transfer,
                );
                for c2 in 1..nc as u8 {
                    let c2 = Carrier(c2);
                    if c1 == c2 {
                        continue;
                    }
                    if let Ok(Some(_)) = net.transfer(p, c1, c2) {
                        if let Some(ri) = net.transfer_index(p, c1, c2) {
                            g.push(
                                plain(
                                    after_unload(p, c1),
                                    before_load(p, c2),
                                    &inp.transfer_crit[ri],
                                ),
                                Role::Transfer,
                            );
                        }
                    }
                }
            }
        }
        // Handling queues.
        let mut hub_link: HashMap<Hub, usize> = HashMap::new();
        for (is_load, map) in [(true, &load), (false, &unload)] {
            let mut keys: Vec<_> = map.keys().copied().collect();
            keys.sort_unstable();
            for (p, c) in keys {
                let (hub, row) = map[&(p, c)];
                let (from, to) = if is_load {
                    (hub, d_node(p, Carrier(c)))
                } else {
                    (a_node(p, Carrier(c)), hub)
                };
                let mut l = plain(from, to, &[0.0; 4]);
                l.capacity = row.teu_per_year;
                l.b = queue_b(vot, row.teu_per_year, TEU_PER_TRAIN);
                l.delay = Delay::Queue;
                hub_link.insert((p, c, is_load), g.links.len());
                g.push(l, Role::Handling);
            }
        }
        for (name, row, direction, hubs) in place_bounds {
            let links = hubs
                .iter()
                .filter_map(|k| hub_link.get(k).copied())
                .collect();
            g.bounds.push(Bound {
                row,
                name,
                direction,
                links,
            });
        }
        // Arcs, with the capacities of their links.
        let mut link_rows: HashMap<&str, Vec<&Capacity>> = HashMap::new();
        for row in inp
            .capacities
            .iter()
            .filter(|r| r.element == CapElement::Link)
        {
            link_rows.entry(row.target.as_str()).or_default().push(row);
        }
        let mut arc_bound: HashMap<String, (String, &Capacity, &'static str, Vec<usize>)> =
            HashMap::new();
        for ai in 0..net.n_arcs() {
            if !inp.allowed[ai] {
                continue;
            }
            let arc = net.arc(ai);
            let (p, q) = (arc.from.index(), arc.to.index());
            let lk = net.link(arc.link as usize);
            let row = link_rows.get(lk.id.as_str()).and_then(|rows| {
                rows.iter().copied().find(|r| match r.direction {
                    CapDirection::Both => true,
                    CapDirection::Forward => !arc.reversed,
                    CapDirection::Reverse => arc.reversed,
                    _ => false,
                })
            });
            let mut departing: Vec<Carrier> = (0..nc as u8)
                .filter_map(|c| net.departing_carrier(arc, Carrier(c)))
                .collect();
            departing.sort_unstable();
            departing.dedup();
            for c in departing {
                let mut l = plain(d_node(p, c), a_node(q, c), &inp.arc_crit[ai]);
                l.length = arc.distance_km;
                if let Some(row) = row {
                    l.capacity = row.teu_per_year;
                    match arc.mode {
                        Mode::Border | Mode::Ferry | Mode::Sea => {
                            let batch = match (arc.mode, lk.departures_per_week) {
                                (Mode::Ferry | Mode::Sea, Some(d)) if d > 0.0 => {
                                    row.teu_per_year / (d * 52.0)
                                }
                                _ => TEU_PER_TRAIN,
                            };
                            l.b = queue_b(vot, row.teu_per_year, batch);
                            l.delay = Delay::Queue;
                        }
                        _ => {
                            l.b = BPR_B;
                            l.power = BPR_POWER;
                        }
                    }
                    let key = format!("{}{}", row.id, if arc.reversed { "~r" } else { "" });
                    let name = format!(
                        "{} → {} ({})",
                        net.place(p).name,
                        net.place(q).name,
                        arc.mode
                    );
                    let d = if arc.reversed { "reverse" } else { "forward" };
                    arc_bound
                        .entry(key)
                        .or_insert_with(|| (name, row, d, Vec::new()))
                        .3
                        .push(g.links.len());
                }
                g.push(l, Role::Arc(ai));
            }
        }
        let mut keys: Vec<String> = arc_bound.keys().cloned().collect();
        keys.sort();
        for k in keys {
            if let Some((name, row, direction, links)) = arc_bound.remove(&k) {
                g.bounds.push(Bound {
                    row,
                    name,
                    direction,
                    links,
                });
            }
        }
        // Zones.
        for (zi, places) in inp.zones.iter().enumerate() {
            for &p in places {
                if inp.origin[zi] {
                    let mut cs: Vec<Carrier> = net
                        .out_arcs(p)
                        .filter(|&ai| inp.allowed[ai])
                        .filter_map(|ai| net.departing_carrier(net.arc(ai), Carrier::NONE))
                        .collect();
                    cs.sort_unstable();
                    cs.dedup();
                    for c in cs {
                        g.push(plain(zi, before_load(p, c), &[0.0; 4]), Role::Zone);
                    }
                }
                if inp.destination[zi] {
                    for c in 1..nc as u8 {
                        g.push(
                            plain(after_unload(p, Carrier(c)), zi, &[0.0; 4]),
                            Role::Zone,
                        );
                    }
                }
            }
        }
        g.node_count = node_count;
        g
    }

    fn push(&mut self, l: Link, role: Role) {
        self.links.push(l);
        self.roles.push(role);
    }
}
