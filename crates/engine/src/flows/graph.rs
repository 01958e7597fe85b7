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
//!   destination zone is joined from `A(p,c)` (or `U(p,c)`);
//! - boarding: where a train starts at `p` (an arc with a `waits=boarding` service), cargo
//!   that keeps its carrier goes `A(p,c) → T(p,c)` and cargo that boards there (a transfer, a
//!   load hub, an origin zone) `… → B(p,c)`; both reach `D(p,c)` free, and the train's arc
//!   leaves from its own node `N(a)`, reached from `T` free and from `B` at the wait for the
//!   train (the route search's `Step::boards`). Each arc stays one link, so its capacity is
//!   shared by cargo riding through and cargo boarding.
//!
//! Link costs are generalised: USD per TEU plus the value of time per TEU-hour.

use std::collections::{BTreeMap, HashMap};

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
    /// What boarding each arc adds (the wait for a train that starts at its tail).
    pub board_crit: &'b [Crit],
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
    /// Builds the assignment network: handling hubs, keep and transfer links, handling queues,
    /// arcs, zone connectors, in that order.
    pub(crate) fn build(inp: &Inputs<'a, '_>) -> FlowGraph<'a> {
        let mut b = Builder::new(inp);
        let place_bounds = b.hubs();
        b.boarding();
        b.transfers();
        b.handling(place_bounds);
        b.arcs();
        b.zones();
        b.g.node_count = b.node_count;
        b.g
    }

    fn push(&mut self, l: Link, role: Role) {
        self.links.push(l);
        self.roles.push(role);
    }
}

/// A handling hub's node and the capacity row it serves.
type HubNode<'a> = (usize, &'a Capacity);

/// The state of one build.
struct Builder<'a, 'b, 'i> {
    inp: &'i Inputs<'a, 'b>,
    nc: usize,
    z: usize,
    node_count: usize,
    /// Hubs that transfers into (load) or out of (unload) a carrier at a place pass.
    load: HashMap<(usize, u8), HubNode<'a>>,
    unload: HashMap<(usize, u8), HubNode<'a>>,
    /// Where a train starts: `(T(p,c), B(p,c))` per place and carrier.
    boards: HashMap<(usize, u8), (usize, usize)>,
    /// The node `N(a)` a train's arc leaves from, per (arc, carrier).
    board_arc: HashMap<(usize, u8), usize>,
    g: FlowGraph<'a>,
}

impl<'a, 'b, 'i> Builder<'a, 'b, 'i> {
    fn new(inp: &'i Inputs<'a, 'b>) -> Self {
        let nc = inp.net.n_carriers();
        let z = inp.zones.len();
        Builder {
            inp,
            nc,
            z,
            node_count: z + inp.net.n_places() * nc * 2,
            load: HashMap::new(),
            unload: HashMap::new(),
            boards: HashMap::new(),
            board_arc: HashMap::new(),
            g: FlowGraph {
                links: Vec::new(),
                roles: Vec::new(),
                node_count: 0,
                zone_count: z,
                bounds: Vec::new(),
            },
        }
    }

    /// `A(p, c)`: arrived at `p` on `c`.
    fn a_node(&self, p: usize, c: Carrier) -> usize {
        self.z + (p * self.nc + c.0 as usize) * 2
    }

    /// `D(p, c)`: about to depart from `p` on `c`.
    fn d_node(&self, p: usize, c: Carrier) -> usize {
        self.a_node(p, c) + 1
    }

    /// Where a transfer out of `c` at `p` starts: after its unload hub, if any.
    fn after_unload(&self, p: usize, c: Carrier) -> usize {
        self.unload
            .get(&(p, c.0))
            .map_or(self.a_node(p, c), |h| h.0)
    }

    /// Where a transfer into `c` at `p` ends: before its load hub, if any.
    fn before_load(&self, p: usize, c: Carrier) -> usize {
        self.load
            .get(&(p, c.0))
            .map_or(self.board_entry(p, c), |h| h.0)
    }

    /// Where cargo boarding `c` at `p` goes: `B(p,c)` where a train starts there, else `D`.
    fn board_entry(&self, p: usize, c: Carrier) -> usize {
        self.boards
            .get(&(p, c.0))
            .map_or(self.d_node(p, c), |b| b.1)
    }

    /// Where cargo keeping `c` at `p` goes: `T(p,c)` where a train starts there, else `D`.
    fn through_entry(&self, p: usize, c: Carrier) -> usize {
        self.boards
            .get(&(p, c.0))
            .map_or(self.d_node(p, c), |b| b.0)
    }

    /// The boarding nodes and links of the arcs with a wait for a train that starts at their
    /// tail (see the module documentation).
    fn boarding(&mut self) {
        let net = self.inp.net;
        for ai in (0..net.n_arcs()).filter(|&ai| self.inp.allowed[ai]) {
            let bc = self.inp.board_crit[ai];
            if bc.iter().all(|&x| x == 0.0) {
                continue;
            }
            let arc = net.arc(ai);
            let p = arc.from.index();
            let mut departing: Vec<Carrier> = (0..self.nc as u8)
                .filter_map(|c| net.departing_carrier(arc, Carrier(c)))
                .collect();
            departing.sort_unstable();
            departing.dedup();
            for c in departing {
                let (t, b) = match self.boards.get(&(p, c.0)) {
                    Some(&tb) => tb,
                    None => {
                        let tb = (self.node_count, self.node_count + 1);
                        self.node_count += 2;
                        self.boards.insert((p, c.0), tb);
                        let d = self.d_node(p, c);
                        for from in [tb.0, tb.1] {
                            let l = self.plain(from, d, &[0.0; 4]);
                            self.g.push(l, Role::Transfer);
                        }
                        tb
                    }
                };
                let n = self.node_count;
                self.node_count += 1;
                self.board_arc.insert((ai, c.0), n);
                let l = self.plain(t, n, &[0.0; 4]);
                self.g.push(l, Role::Transfer);
                let l = self.plain(b, n, &bc);
                self.g.push(l, Role::Transfer);
            }
        }
    }

    /// A link at the generalised cost of `crit` (time at the value of time, money as toll),
    /// without capacity.
    fn plain(&self, from: usize, to: usize, crit: &Crit) -> Link {
        Link {
            from: from as u32,
            to: to as u32,
            capacity: 0.0,
            free_flow_time: self.inp.vot * crit[TIME],
            b: 0.0,
            power: 0.0,
            length: 0.0,
            toll: crit[COST],
            delay: Delay::Bpr,
            preload: 0.0,
        }
    }

    /// The hub nodes of the place capacities, and their bounds (one per direction: a `both`
    /// row binds loading and unloading each), before their links exist.
    fn hubs(&mut self) -> Vec<PlaceBound<'a>> {
        let net = self.inp.net;
        let place_ix: HashMap<&str, usize> = (0..net.n_places())
            .map(|i| (net.place(i).id.as_str(), i))
            .collect();
        let mut bounds = Vec::new();
        let rows: Vec<&'a Capacity> = self
            .inp
            .capacities
            .iter()
            .copied()
            .filter(|r| r.element == CapElement::Place)
            .collect();
        for row in rows {
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
                    let node = self.node_count;
                    self.node_count += 1;
                    let map = if is_load {
                        &mut self.load
                    } else {
                        &mut self.unload
                    };
                    map.insert((p, c.0), (node, row));
                    hubs.push((p, c.0, is_load));
                }
            }
            for is_load in [true, false] {
                let dir: Vec<Hub> = hubs.iter().copied().filter(|h| h.2 == is_load).collect();
                if dir.is_empty() {
                    continue;
                }
                let d = if is_load { "load" } else { "unload" };
                let name = format!("{}: {}", net.place(p).name, handling_name(cname, is_load));
                bounds.push((name, row, d, dir));
            }
        }
        bounds
    }

    /// Keeping the carrier (free) and the transfers of `transfers.csv` at every place.
    fn transfers(&mut self) {
        let net = self.inp.net;
        for p in 0..net.n_places() {
            for c1 in (1..self.nc as u8).map(Carrier) {
                let keep = self.plain(self.a_node(p, c1), self.through_entry(p, c1), &[0.0; 4]);
                self.g.push(keep, Role::Transfer);
                for c2 in (1..self.nc as u8).map(Carrier).filter(|&c2| c2 != c1) {
                    if let Ok(Some(_)) = net.transfer(p, c1, c2) {
                        if let Some(ri) = net.transfer_index(p, c1, c2) {
                            let from = self.after_unload(p, c1);
                            let to = self.before_load(p, c2);
                            let l = self.plain(from, to, &self.inp.transfer_crit[ri]);
                            self.g.push(l, Role::Transfer);
                        }
                    }
                }
            }
        }
    }

    /// The queues of the handling hubs, and the bounds of the place capacities over them.
    fn handling(&mut self, place_bounds: Vec<PlaceBound<'a>>) {
        let mut hub_link: HashMap<Hub, usize> = HashMap::new();
        for is_load in [true, false] {
            let map = if is_load { &self.load } else { &self.unload };
            let mut hubs: Vec<((usize, u8), HubNode<'a>)> =
                map.iter().map(|(k, v)| (*k, *v)).collect();
            hubs.sort_unstable_by_key(|h| h.0);
            for ((p, c), (hub, row)) in hubs {
                let (from, to) = if is_load {
                    (hub, self.board_entry(p, Carrier(c)))
                } else {
                    (self.a_node(p, Carrier(c)), hub)
                };
                let mut l = self.plain(from, to, &[0.0; 4]);
                l.capacity = row.teu_per_year;
                l.b = queue_b(self.inp.vot, row.teu_per_year, TEU_PER_TRAIN);
                l.delay = Delay::Queue;
                hub_link.insert((p, c, is_load), self.g.links.len());
                self.g.push(l, Role::Handling);
            }
        }
        for (name, row, direction, hubs) in place_bounds {
            let links = hubs
                .iter()
                .filter_map(|k| hub_link.get(k).copied())
                .collect();
            self.g.bounds.push(Bound {
                row,
                name,
                direction,
                links,
            });
        }
    }

    /// Every allowed arc, one link per carrier it can depart on, with the capacity of its
    /// link (a queue on borders, ferries and sea services, BPR on lines and roads).
    fn arcs(&mut self) {
        let net = self.inp.net;
        let mut link_rows: HashMap<&str, Vec<&'a Capacity>> = HashMap::new();
        for row in self
            .inp
            .capacities
            .iter()
            .copied()
            .filter(|r| r.element == CapElement::Link)
        {
            link_rows.entry(row.target.as_str()).or_default().push(row);
        }
        let mut arc_bound: BTreeMap<String, (String, &'a Capacity, &'static str, Vec<usize>)> =
            BTreeMap::new();
        for ai in (0..net.n_arcs()).filter(|&ai| self.inp.allowed[ai]) {
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
            let mut departing: Vec<Carrier> = (0..self.nc as u8)
                .filter_map(|c| net.departing_carrier(arc, Carrier(c)))
                .collect();
            departing.sort_unstable();
            departing.dedup();
            for c in departing {
                let from = match self.board_arc.get(&(ai, c.0)) {
                    Some(&n) => n,
                    None => self.d_node(p, c),
                };
                let mut l = self.plain(from, self.a_node(q, c), &self.inp.arc_crit[ai]);
                l.length = arc.distance_km;
                if let Some(row) = row {
                    l.capacity = row.teu_per_year;
                    if matches!(arc.mode, Mode::Border | Mode::Ferry | Mode::Sea) {
                        let batch = match (arc.mode, lk.departures_per_week) {
                            (Mode::Ferry | Mode::Sea, Some(d)) if d > 0.0 => {
                                row.teu_per_year / (d * 52.0)
                            }
                            _ => TEU_PER_TRAIN,
                        };
                        l.b = queue_b(self.inp.vot, row.teu_per_year, batch);
                        l.delay = Delay::Queue;
                    } else {
                        l.b = BPR_B;
                        l.power = BPR_POWER;
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
                        .push(self.g.links.len());
                }
                self.g.push(l, Role::Arc(ai));
            }
        }
        for (_, (name, row, direction, links)) in arc_bound {
            self.g.bounds.push(Bound {
                row,
                name,
                direction,
                links,
            });
        }
    }

    /// An origin zone joins each carrier its places' allowed arcs depart on (through the load
    /// hub where there is one); a destination zone is joined from every carrier.
    fn zones(&mut self) {
        let net = self.inp.net;
        for (zi, places) in self.inp.zones.iter().enumerate() {
            for &p in places {
                if self.inp.origin[zi] {
                    let mut cs: Vec<Carrier> = net
                        .out_arcs(p)
                        .filter(|&ai| self.inp.allowed[ai])
                        .filter_map(|ai| net.departing_carrier(net.arc(ai), Carrier::NONE))
                        .collect();
                    cs.sort_unstable();
                    cs.dedup();
                    for c in cs {
                        let l = self.plain(zi, self.before_load(p, c), &[0.0; 4]);
                        self.g.push(l, Role::Zone);
                    }
                }
                if self.inp.destination[zi] {
                    for c in (1..self.nc as u8).map(Carrier) {
                        let l = self.plain(self.after_unload(p, c), zi, &[0.0; 4]);
                        self.g.push(l, Role::Zone);
                    }
                }
            }
        }
    }
}

/// What a place capacity's hub does, in words.
fn handling_name(carrier: &str, is_load: bool) -> String {
    match (carrier, is_load) {
        ("box", true) => "loading onto ships".to_string(),
        ("box", false) => "unloading from ships".to_string(),
        ("truck", true) => "loading onto trucks".to_string(),
        ("truck", false) => "unloading from trucks".to_string(),
        ("wagon", true) => "loading onto rail wagons".to_string(),
        ("wagon", false) => "unloading from rail wagons".to_string(),
        (w, true) => format!("transshipment onto {} mm wagons", w.get(5..).unwrap_or(w)),
        (w, false) => format!("transshipment off {} mm wagons", w.get(5..).unwrap_or(w)),
    }
}
