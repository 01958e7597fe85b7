//! # corridor-network: the build stage
//!
//! Turns a checked [`Dataset`] into the arrays the engine searches:
//!
//! - **arcs** in CSR order (`first_out[place]..first_out[place + 1]`), one per direction of a
//!   link and per thing it carries (a Caspian ferry that takes trucks and wagons is two arcs);
//!   times in hours (typical/low/high) and prices in USD are resolved once here;
//! - **carriers**: what the cargo rides on (truck, wagon of a gauge, box lifted on a ship, air,
//!   pipe). The search state is (place, carrier), so a gauge change or a lift is a transfer
//!   between states at a place;
//! - **the transfer table**: for each place and pair of carriers, the rule of `transfers.csv`
//!   that applies (place-specific beats default, exact gauge beats any gauge), or none, which
//!   forbids the change there.
//!
//! Glossary: arc = one directed, single-carrier piece of a link; carrier = [`Carrier`].
#![deny(missing_docs)]

use std::collections::BTreeSet;

mod view;
pub use view::{Graph, OutArcs, Overlay};

pub use corridor_data as data;
use corridor_data::{Carries, CostUnit, Dataset, Mode, Place, Range3, Status, Transfer};

/// What the cargo rides on in a search state.
///
/// `NONE` is the state before the first departure (at the origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Carrier(pub u8);

impl Carrier {
    /// Not yet loaded (origin).
    pub const NONE: Carrier = Carrier(0);
    /// On a truck.
    pub const TRUCK: Carrier = Carrier(1);
    /// A box on a vessel.
    pub const BOX: Carrier = Carrier(2);
    /// Air cargo.
    pub const AIR: Carrier = Carrier(3);
    /// In a pipeline.
    pub const PIPE: Carrier = Carrier(4);
    /// First wagon carrier; wagon of gauge index `i` is `Carrier(WAGON0 + i)`.
    pub const WAGON0: u8 = 5;
}

/// Index of a place in the network (`dataset.places`, then a door query's virtual places).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PlaceIdx(pub u32);

/// Index of an arc in the network (`Network::arcs`, then a door query's virtual arcs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ArcIdx(pub u32);

macro_rules! index_type {
    ($t:ident) => {
        impl $t {
            /// The index of position `i`.
            ///
            /// # Panics
            /// If `i` does not fit in 32 bits (a network is far smaller).
            #[inline]
            pub fn new(i: usize) -> $t {
                $t(u32::try_from(i).expect("a network index fits in 32 bits"))
            }
            /// As a position in a slice.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
        impl From<$t> for usize {
            fn from(i: $t) -> usize {
                i.index()
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
index_type!(PlaceIdx);
index_type!(ArcIdx);

/// What an arc carries, before the arriving state is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArcCarrier {
    /// A fixed carrier.
    Fixed(Carrier),
    /// A wagon keeps its gauge (ferry or border carrying wagons).
    KeepWagon,
}

/// A (fixed, per-km) price in USD per unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UsdPrice {
    /// Fixed USD per unit.
    pub fixed: f64,
    /// USD per km per unit.
    pub per_km: f64,
    /// Unit.
    pub unit: CostUnit,
}

/// One directed, single-carrier piece of a link.
#[derive(Debug, Clone)]
pub struct Arc {
    /// Index of the link in `dataset.links`.
    pub link: u32,
    /// Whether this is the reverse of a bidirectional link.
    pub reversed: bool,
    /// Tail place.
    pub from: PlaceIdx,
    /// Head place.
    pub to: PlaceIdx,
    /// Mode.
    pub mode: Mode,
    /// Carrier.
    pub carrier: ArcCarrier,
    /// Length.
    ///
    /// # Units
    /// km
    pub distance_km: f64,
    /// Moving time, hours.
    pub moving_h: Range3,
    /// Expected wait for a departure, hours (every consignment on the arc waits).
    pub wait_h: Range3,
    /// Expected wait for a train that starts at the tail (`services.csv` rows with
    /// `waits=boarding`), hours: only cargo boarding the arc there waits (it starts there or
    /// arrives on another carrier); cargo already on a wagon of the arc's gauge rides
    /// through. Zero for most arcs.
    pub board_wait_h: Range3,
    /// Dwell (border processing etc.), hours.
    pub dwell_h: Range3,
    /// Price, converted to USD.
    pub price: Option<UsdPrice>,
    /// Index in `dataset.emission_factors`.
    pub emission_factor: Option<u32>,
    /// Countries the arc touches (end places and `countries`), indices into
    /// [`Network::countries`].
    pub countries: Vec<u16>,
    /// Passages, indices into [`Network::passages`].
    pub passages: Vec<u16>,
    /// Status.
    pub status: Status,
    /// Allowed commodities, bit mask of `Commodity::bit`.
    pub commodities: u8,
}

impl Arc {
    /// The link id as answers show it (`~r` marks the reverse direction).
    pub fn link_id(&self, ds: &Dataset) -> String {
        let l = &ds.links[self.link as usize];
        if self.reversed {
            format!("{}~r", l.id)
        } else {
            l.id.clone()
        }
    }
}

/// The moving time of a link row, hours: as given, else distance over speed (low time at
/// high speed), else zero.
pub fn link_moving_h(l: &corridor_data::Link) -> Range3 {
    match (l.moving_h, l.speed_kmh) {
        (Some(h), _) => h,
        (None, Some(s)) => Range3 {
            typical: l.distance_km / s.typical,
            low: l.distance_km / s.high,
            high: l.distance_km / s.low,
        },
        (None, None) => Range3::ZERO,
    }
}

/// The expected wait for a departure of a link row, hours: as given, else from the
/// departures per week (half the headway, 0 to one headway), else zero.
pub fn link_wait_h(l: &corridor_data::Link) -> Range3 {
    match (l.wait_h, l.departures_per_week) {
        (Some(w), _) => w,
        (None, Some(d)) => headway_wait(d),
        (None, None) => Range3::ZERO,
    }
}

/// The expected wait for a train starting at the tail of link `l` in one direction, hours:
/// half the headway of its `waits=boarding` services for every destination (0 to one
/// headway), the most frequent where several timetable rows give different weekdays; zero
/// without such a service. Rows for some destination countries (`to_countries`) apply per
/// query (the engine's cost model).
pub fn board_wait_h(ds: &Dataset, l: &corridor_data::Link, reversed: bool) -> Range3 {
    let id = if reversed {
        format!("{}~r", l.id)
    } else {
        l.id.clone()
    };
    let per_week = corridor_data::boarding_rows(&ds.services, &id, None)
        .iter()
        .map(|s| s.per_week())
        .fold(0.0, f64::max);
    headway_wait(per_week)
}

/// The expected wait (low 0, typical half the headway, high one headway) for a service of
/// `per_week` departures; zero without departures.
pub fn headway_wait(per_week: f64) -> Range3 {
    if per_week <= 0.0 {
        return Range3::ZERO;
    }
    Range3 {
        typical: 84.0 / per_week,
        low: 0.0,
        high: 168.0 / per_week,
    }
}

/// Index of a rule in `dataset.transfers`, or a marker.
const NO_RULE: u16 = u16::MAX;

/// The searchable network.
#[derive(Debug, Clone)]
pub struct Network {
    /// The dataset it was built from.
    pub dataset: Dataset,
    /// CSR offsets: arcs leaving place `p` are `first_out[p]..first_out[p + 1]`.
    pub first_out: Vec<u32>,
    /// Arcs sorted by tail.
    pub arcs: Vec<Arc>,
    /// Gauges present, mm; wagon carrier `WAGON0 + i` is gauge `gauges[i]`.
    pub gauges: Vec<u16>,
    /// Country codes; arcs refer to them by index.
    pub countries: Vec<String>,
    /// Passage names; arcs refer to them by index.
    pub passages: Vec<String>,
    /// Country index of each place.
    pub place_country: Vec<u16>,
    n_carriers: usize,
    transfer_table: Vec<u16>,
}

impl Network {
    /// Builds the network from a checked dataset.
    pub fn build(dataset: Dataset) -> Network {
        let gauges: Vec<u16> = dataset
            .places
            .iter()
            .flat_map(|p| p.gauges_mm.iter().copied())
            .chain(dataset.links.iter().filter_map(|l| l.gauge_mm))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let countries: Vec<String> = dataset
            .places
            .iter()
            .map(|p| p.country.clone())
            .chain(
                dataset
                    .links
                    .iter()
                    .flat_map(|l| l.countries.iter().cloned()),
            )
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let passages: Vec<String> = dataset
            .links
            .iter()
            .flat_map(|l| l.passages.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let country_idx = |c: &str| countries.iter().position(|x| x == c).unwrap_or(0) as u16;
        let place_country: Vec<u16> = dataset
            .places
            .iter()
            .map(|p| country_idx(&p.country))
            .collect();
        let n_carriers = Carrier::WAGON0 as usize + gauges.len();

        let mut net = Network {
            dataset,
            first_out: Vec::new(),
            arcs: Vec::new(),
            gauges,
            countries,
            passages,
            place_country,
            n_carriers,
            transfer_table: Vec::new(),
        };
        let mut arcs = Vec::new();
        for (li, l) in net.dataset.links.iter().enumerate() {
            let (Some(a), Some(b)) = (
                net.dataset.place_index(&l.from),
                net.dataset.place_index(&l.to),
            ) else {
                continue; // impossible after validation
            };
            let pc = (net.place_country[a], net.place_country[b]);
            net.link_arcs(li, l, (a, b), pc, &mut arcs);
        }
        arcs.sort_by_key(|a| (a.from, a.link, a.reversed));
        let n = net.dataset.places.len();
        let mut first_out = vec![0u32; n + 1];
        for a in &arcs {
            first_out[a.from.index() + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        net.first_out = first_out;
        net.arcs = arcs;
        net.transfer_table = net.build_transfer_table();
        net
    }

    /// Index of a country code in [`Network::countries`] (0 if absent, as on build).
    pub(crate) fn country_index(&self, c: &str) -> u16 {
        self.countries.iter().position(|x| x == c).unwrap_or(0) as u16
    }

    /// Appends the arcs of link `li` (row `l`, between places `ends` of countries
    /// `end_countries`): one per direction and per thing it carries.
    pub(crate) fn link_arcs(
        &self,
        li: usize,
        l: &corridor_data::Link,
        ends: (usize, usize),
        end_countries: (u16, u16),
        arcs: &mut Vec<Arc>,
    ) {
        let dataset = &self.dataset;
        let (a, b) = ends;
        let (moving_h, wait_h) = (link_moving_h(l), link_wait_h(l));
        let price = l.price.as_ref().map(|p| {
            let fx = dataset.usd_per(&p.currency).unwrap_or(f64::NAN);
            UsdPrice {
                fixed: p.fixed * fx,
                per_km: p.per_km * fx,
                unit: p.unit,
            }
        });
        let ef = dataset
            .emission_factor_for(l)
            .and_then(|f| dataset.emission_factors.iter().position(|g| g.id == f.id))
            .map(|i| i as u32);
        let mut cs: BTreeSet<u16> = BTreeSet::new();
        cs.insert(end_countries.0);
        cs.insert(end_countries.1);
        for c in &l.countries {
            cs.insert(self.country_index(c));
        }
        let ps: Vec<u16> = l
            .passages
            .iter()
            .filter_map(|p| self.passages.iter().position(|x| x == p).map(|i| i as u16))
            .collect();
        let commodities = l.commodities.iter().fold(0u8, |m, c| m | c.bit());
        let dirs: &[(usize, usize, bool)] = if l.bidirectional {
            &[(a, b, false), (b, a, true)]
        } else {
            &[(a, b, false)]
        };
        for &(from, to, reversed) in dirs {
            let board_wait_h = board_wait_h(dataset, l, reversed);
            for c in &l.carries {
                let carrier = match (c, l.mode) {
                    (Carries::Truck, _) => ArcCarrier::Fixed(Carrier::TRUCK),
                    (Carries::Box, _) => ArcCarrier::Fixed(Carrier::BOX),
                    (Carries::Air, _) => ArcCarrier::Fixed(Carrier::AIR),
                    (Carries::Pipe, _) => ArcCarrier::Fixed(Carrier::PIPE),
                    (Carries::Wagon, Mode::Rail) => {
                        let g = l
                            .gauge_mm
                            .and_then(|g| self.gauges.iter().position(|&x| x == g));
                        match g {
                            Some(g) => ArcCarrier::Fixed(Carrier(Carrier::WAGON0 + g as u8)),
                            None => continue,
                        }
                    }
                    (Carries::Wagon, _) => ArcCarrier::KeepWagon,
                };
                arcs.push(Arc {
                    link: li as u32,
                    reversed,
                    from: PlaceIdx::new(from),
                    to: PlaceIdx::new(to),
                    mode: l.mode,
                    carrier,
                    distance_km: l.distance_km,
                    moving_h,
                    wait_h,
                    board_wait_h,
                    dwell_h: l.dwell_h.unwrap_or(Range3::ZERO),
                    price,
                    emission_factor: ef,
                    countries: cs.iter().copied().collect(),
                    passages: ps.clone(),
                    status: l.status,
                    commodities,
                });
            }
        }
    }

    /// Number of carrier states.
    #[inline]
    pub fn n_carriers(&self) -> usize {
        self.n_carriers
    }

    /// Arcs leaving a place.
    #[inline]
    pub fn out_arcs(&self, place: usize) -> std::ops::Range<usize> {
        self.first_out[place] as usize..self.first_out[place + 1] as usize
    }

    /// The gauge of a wagon carrier, mm.
    #[inline]
    pub fn wagon_gauge(&self, c: Carrier) -> Option<u16> {
        (c.0 >= Carrier::WAGON0).then(|| self.gauges[(c.0 - Carrier::WAGON0) as usize])
    }

    /// The carrier for a wagon of a gauge.
    pub fn wagon(&self, gauge_mm: u16) -> Option<Carrier> {
        self.gauges
            .iter()
            .position(|&g| g == gauge_mm)
            .map(|i| Carrier(Carrier::WAGON0 + i as u8))
    }

    /// Display name of a carrier: `truck`, `wagon:1520`, `box`, `air`, `pipe`, `none`.
    pub fn carrier_name(&self, c: Carrier) -> String {
        match c {
            Carrier::NONE => "none".into(),
            Carrier::TRUCK => "truck".into(),
            Carrier::BOX => "box".into(),
            Carrier::AIR => "air".into(),
            Carrier::PIPE => "pipe".into(),
            w => format!("wagon:{}", self.wagon_gauge(w).unwrap_or(0)),
        }
    }

    /// The carrier the cargo rides on when it takes `arc` having arrived on `arriving` at the
    /// arc's tail, or `None` if the arc cannot be taken from that state.
    #[inline]
    pub fn departing_carrier(&self, arc: &Arc, arriving: Carrier) -> Option<Carrier> {
        self.departing_carrier_at(arc, arriving, &self.dataset.places[arc.from.index()])
    }

    /// As [`Network::departing_carrier`], with the arc's tail place given.
    #[inline]
    pub(crate) fn departing_carrier_at(
        &self,
        arc: &Arc,
        arriving: Carrier,
        tail: &Place,
    ) -> Option<Carrier> {
        match arc.carrier {
            ArcCarrier::Fixed(c) => Some(c),
            ArcCarrier::KeepWagon => {
                if self.wagon_gauge(arriving).is_some() {
                    Some(arriving)
                } else {
                    // Loading a wagon here: it has the place's (first) gauge.
                    tail.gauges_mm.first().and_then(|&g| self.wagon(g))
                }
            }
        }
    }

    /// The transfer rule that applies at `place` from `a` to `b`.
    ///
    /// `Ok(None)`: no transfer needed (same carrier, or the first departure from the origin).
    /// `Ok(Some(rule))`: the change is allowed with this rule. `Err(())`: the change is not
    /// possible at this place.
    #[allow(clippy::result_unit_err)]
    #[inline]
    pub fn transfer(&self, place: usize, a: Carrier, b: Carrier) -> Result<Option<&Transfer>, ()> {
        if a == b || a == Carrier::NONE {
            return Ok(None);
        }
        let nc = self.n_carriers;
        match self.transfer_table[(place * nc + a.0 as usize) * nc + b.0 as usize] {
            NO_RULE => Err(()),
            i => Ok(Some(&self.dataset.transfers[i as usize])),
        }
    }

    /// Index of the rule in `dataset.transfers` (for answers).
    #[inline]
    pub fn transfer_index(&self, place: usize, a: Carrier, b: Carrier) -> Option<usize> {
        let nc = self.n_carriers;
        match self
            .transfer_table
            .get((place * nc + a.0 as usize) * nc + b.0 as usize)
        {
            Some(&i) if i != NO_RULE => Some(i as usize),
            _ => None,
        }
    }

    fn pattern_matches(&self, p: &corridor_data::CarrierPattern, c: Carrier) -> (bool, bool) {
        // (matches, exact)
        match p.carries {
            Carries::Truck => (c == Carrier::TRUCK, true),
            Carries::Box => (c == Carrier::BOX, true),
            Carries::Air => (c == Carrier::AIR, true),
            Carries::Pipe => (c == Carrier::PIPE, true),
            Carries::Wagon => match (self.wagon_gauge(c), p.gauge_mm) {
                (None, _) => (false, false),
                (Some(_), None) => (true, false),
                (Some(g), Some(want)) => (g == want, true),
            },
        }
    }

    fn build_transfer_table(&self) -> Vec<u16> {
        self.dataset
            .places
            .iter()
            .flat_map(|p| self.transfer_row(p))
            .collect()
    }

    /// The transfer table rows of one place: for each pair of carriers (`a * nc + b`), the
    /// index of the rule that applies there, or `NO_RULE`.
    pub(crate) fn transfer_row(&self, place: &Place) -> Vec<u16> {
        let nc = self.n_carriers;
        let mut t = vec![NO_RULE; nc * nc];
        for a in 1..nc {
            for b in 1..nc {
                if a == b {
                    continue;
                }
                let (ca, cb) = (Carrier(a as u8), Carrier(b as u8));
                let mut best: Option<(u8, usize)> = None;
                for (ri, r) in self.dataset.transfers.iter().enumerate() {
                    let specific = match &r.place {
                        Some(id) => {
                            if id != &place.id {
                                continue;
                            }
                            true
                        }
                        None => {
                            if !r.place_kinds.contains(&place.kind) {
                                continue;
                            }
                            false
                        }
                    };
                    let (ma, ea) = self.pattern_matches(&r.from, ca);
                    let (mb, eb) = self.pattern_matches(&r.to, cb);
                    if !(ma && mb) {
                        continue;
                    }
                    // A gauge change needs a gauge-change rule; a generic wagon rule is not one.
                    let gauge_change =
                        self.wagon_gauge(ca).is_some() && self.wagon_gauge(cb).is_some();
                    if gauge_change && !r.kind.is_gauge_change() {
                        continue;
                    }
                    let score = (specific as u8) * 4 + (ea as u8) * 2 + eb as u8;
                    if best.is_none_or(|(s, _)| score > s) {
                        best = Some((score, ri));
                    }
                }
                if let Some((_, ri)) = best {
                    t[a * nc + b] = ri as u16;
                }
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn mini() -> Network {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/mini");
        Network::build(Dataset::load_dir(&dir).unwrap())
    }

    #[test]
    fn csr_holds_every_arc_once() {
        let net = mini();
        // 7 bidirectional links; the border and the ferry carry truck and wagon: 2 × (5 + 2 × 2).
        assert_eq!(net.arcs.len(), 18);
        for p in 0..net.dataset.places.len() {
            for i in net.out_arcs(p) {
                assert_eq!(net.arcs[i].from.index(), p);
            }
        }
        assert_eq!(*net.first_out.last().unwrap() as usize, net.arcs.len());
    }

    #[test]
    fn times_come_from_speed_or_frequency() {
        let net = mini();
        let ab = net
            .arcs
            .iter()
            .find(|a| a.link_id(&net.dataset) == "ab-rail")
            .unwrap();
        assert!((ab.moving_h.typical - 500.0 / 40.0).abs() < 1e-9);
        // 7 departures a week: expected wait is half the 24 h headway.
        assert!((ab.wait_h.typical - 12.0).abs() < 1e-9);
        assert_eq!(ab.wait_h.high, 24.0);
    }

    #[test]
    fn gauge_change_only_where_gauges_differ_and_a_rule_exists() {
        let net = mini();
        let w1435 = net.wagon(1435).unwrap();
        let w1520 = net.wagon(1520).unwrap();
        let charlie = net.dataset.place_index("KZ-charlie").unwrap();
        let delta = net.dataset.place_index("KZ-delta").unwrap();
        let rule = net.transfer(charlie, w1435, w1520).unwrap().unwrap();
        assert!(rule.kind.is_gauge_change());
        // Same gauge: no transfer at all.
        assert_eq!(net.transfer(charlie, w1520, w1520), Ok(None));
        // A port with a generic wagon↔truck lift rule still cannot change gauge.
        assert_eq!(net.transfer(delta, w1435, w1520), Err(()));
        assert!(net
            .transfer(delta, w1520, Carrier::TRUCK)
            .unwrap()
            .is_some());
    }

    #[test]
    fn ferry_takes_trucks_and_wagons_without_a_lift() {
        let net = mini();
        let ferry: Vec<&Arc> = net
            .arcs
            .iter()
            .filter(|a| a.link_id(&net.dataset) == "de-ferry")
            .collect();
        assert_eq!(ferry.len(), 2);
        let w1520 = net.wagon(1520).unwrap();
        for a in ferry {
            // A truck stays a truck, a wagon stays a wagon of its gauge: no carrier change.
            match a.carrier {
                ArcCarrier::Fixed(c) => {
                    assert_eq!(net.departing_carrier(a, Carrier::TRUCK), Some(c))
                }
                ArcCarrier::KeepWagon => assert_eq!(net.departing_carrier(a, w1520), Some(w1520)),
            }
        }
    }
}
