//! A view of the network with query-local virtual places and arcs on top ([`Graph`]).
//!
//! A door-to-door query (an endpoint given as a point) needs a place at the point and road
//! arcs between it and the nearest terminals, for that query only. Rebuilding the network
//! (and what is indexed over it) for them costs more than the search; instead an [`Overlay`]
//! holds the virtual places, links and arcs, and a [`Graph`] shows base and overlay as one
//! network: virtual places take the indices after the base's places, virtual links after
//! its links, virtual arcs after its arcs. A place's arcs are its base arcs, then its
//! virtual ones, in the order a network built with the virtual links appended to the data
//! would give them, so searches over the view answer as they would over such a network.

use corridor_data::{Dataset, Link, Place, Source, Transfer};

use crate::{Arc, Carrier, Network};

/// Query-local places, links and arcs over a base network (see the module doc).
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    /// Number of places of the base network (virtual place `i` has index `base_places + i`).
    base_places: usize,
    /// Number of links of the base dataset.
    base_links: usize,
    /// Number of arcs of the base network.
    base_arcs: usize,
    places: Vec<Place>,
    links: Vec<Link>,
    sources: Vec<Source>,
    /// Virtual arcs sorted by (tail, link, reversed); arc `i` has index `base_arcs + i`.
    arcs: Vec<Arc>,
    /// Transfer table rows of the virtual places, as the base's (`n_carriers²` each).
    transfer_rows: Vec<u16>,
}

impl Overlay {
    /// Virtual `places` and `links` (between them and base places, by id) over `base`, with
    /// the `sources` their figures cite. `Err(id)`: an id the base already has (places,
    /// links, sources), or a link end that is no place of base or overlay.
    pub fn new(
        base: &Network,
        places: Vec<Place>,
        links: Vec<Link>,
        sources: Vec<Source>,
    ) -> Result<Overlay, String> {
        let ds = &base.dataset;
        if let Some(p) = places.iter().find(|p| ds.place_index(&p.id).is_some()) {
            return Err(p.id.clone());
        }
        if let Some(s) = sources.iter().find(|s| ds.source(&s.id).is_some()) {
            return Err(s.id.clone());
        }
        if let Some(l) = links.iter().find(|l| ds.links.iter().any(|x| x.id == l.id)) {
            return Err(l.id.clone());
        }
        let mut ov = Overlay {
            base_places: ds.places.len(),
            base_links: ds.links.len(),
            base_arcs: base.arcs.len(),
            places,
            links: Vec::new(),
            sources,
            arcs: Vec::new(),
            transfer_rows: Vec::new(),
        };
        let place_index = |id: &str| {
            ds.place_index(id).or_else(|| {
                ov.places
                    .iter()
                    .position(|p| p.id == id)
                    .map(|i| ov.base_places + i)
            })
        };
        let place_country = |p: usize| match p.checked_sub(ov.base_places) {
            None => base.place_country[p],
            Some(v) => base.country_index(&ov.places[v].country),
        };
        let mut arcs = Vec::new();
        for (i, l) in links.iter().enumerate() {
            let (Some(a), Some(b)) = (place_index(&l.from), place_index(&l.to)) else {
                return Err(l.id.clone());
            };
            let li = ov.base_links + i;
            base.link_arcs(
                li,
                l,
                (a, b),
                (place_country(a), place_country(b)),
                &mut arcs,
            );
        }
        arcs.sort_by_key(|a| (a.from, a.link, a.reversed));
        ov.links = links;
        ov.arcs = arcs;
        ov.transfer_rows = ov
            .places
            .iter()
            .flat_map(|p| base.transfer_row(p))
            .collect();
        Ok(ov)
    }

    /// The virtual places.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The virtual arcs, in index order from the base's arc count.
    pub fn arcs(&self) -> &[Arc] {
        &self.arcs
    }
}

/// The network as a query sees it: a base [`Network`] and, for a door query, an [`Overlay`]
/// of virtual places and arcs. Cheap to copy; what it returns borrows the network.
#[derive(Debug, Clone, Copy)]
pub struct Graph<'a> {
    base: &'a Network,
    overlay: Option<&'a Overlay>,
}

/// The arcs leaving a place: its base arcs, then its virtual ones (arc indices).
#[derive(Debug, Clone)]
pub struct OutArcs {
    base: std::ops::Range<usize>,
    virt: std::ops::Range<usize>,
}

impl Iterator for OutArcs {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        self.base.next().or_else(|| self.virt.next())
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.base.len() + self.virt.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for OutArcs {}

impl<'a> Graph<'a> {
    /// The view of `base` with `overlay` (if any) on top.
    #[inline]
    pub fn new(base: &'a Network, overlay: Option<&'a Overlay>) -> Graph<'a> {
        Graph { base, overlay }
    }

    /// The base network.
    #[inline]
    pub fn base(self) -> &'a Network {
        self.base
    }

    /// The base dataset (everything but the virtual places, links and sources).
    #[inline]
    pub fn dataset(self) -> &'a Dataset {
        &self.base.dataset
    }

    /// The overlay, if any.
    #[inline]
    pub fn overlay(self) -> Option<&'a Overlay> {
        self.overlay
    }

    /// Number of places, virtual ones included.
    #[inline]
    pub fn n_places(self) -> usize {
        self.base.dataset.places.len() + self.overlay.map_or(0, |o| o.places.len())
    }

    /// A place by index.
    #[inline]
    pub fn place(self, i: usize) -> &'a Place {
        match self.overlay {
            Some(o) if i >= o.base_places => &o.places[i - o.base_places],
            _ => &self.base.dataset.places[i],
        }
    }

    /// All places in index order.
    #[inline]
    pub fn places(self) -> impl Iterator<Item = &'a Place> + Clone {
        let v: &'a [Place] = self.overlay.map_or(&[], |o| &o.places);
        self.base.dataset.places.iter().chain(v)
    }

    /// Index of a place by exact id.
    #[inline]
    pub fn place_index(self, id: &str) -> Option<usize> {
        self.base.dataset.place_index(id).or_else(|| {
            let o = self.overlay?;
            o.places
                .iter()
                .position(|p| p.id == id)
                .map(|i| o.base_places + i)
        })
    }

    /// Index of a virtual place whose id is `input` (ASCII case ignored), as a name lookup
    /// matches ids before names.
    #[inline]
    pub fn virtual_place_by_id(self, input: &str) -> Option<usize> {
        let o = self.overlay?;
        let t = input.trim();
        o.places
            .iter()
            .position(|p| p.id.eq_ignore_ascii_case(t))
            .map(|i| o.base_places + i)
    }

    /// A link by index (into the base dataset's links, then the overlay's).
    #[inline]
    pub fn link(self, l: usize) -> &'a Link {
        match self.overlay {
            Some(o) if l >= o.base_links => &o.links[l - o.base_links],
            _ => &self.base.dataset.links[l],
        }
    }

    /// A source by id, the overlay's included.
    #[inline]
    pub fn source(self, id: &str) -> Option<&'a Source> {
        self.base
            .dataset
            .source(id)
            .or_else(|| self.overlay?.sources.iter().find(|s| s.id == id))
    }

    /// Number of arcs, virtual ones included.
    #[inline]
    pub fn n_arcs(self) -> usize {
        self.base.arcs.len() + self.overlay.map_or(0, |o| o.arcs.len())
    }

    /// An arc by index.
    #[inline]
    pub fn arc(self, ai: usize) -> &'a Arc {
        match self.overlay {
            Some(o) if ai >= o.base_arcs => &o.arcs[ai - o.base_arcs],
            _ => &self.base.arcs[ai],
        }
    }

    /// Whether leaving by arc `next` after arriving by arc `came` rides a train back the line
    /// it came on: both are rail arcs of one link, in opposite directions. A box does not
    /// ride out and back on one train; the searches do not take such a step (it would board
    /// a train where no departures are given and ride it back through a terminal, dodging the
    /// wait for that terminal's trains).
    #[inline]
    pub fn rail_u_turn(self, came: usize, next: usize) -> bool {
        let (a, b) = (self.arc(came), self.arc(next));
        a.mode == corridor_data::Mode::Rail
            && b.mode == corridor_data::Mode::Rail
            && a.link == b.link
            && a.reversed != b.reversed
    }

    /// All arcs in index order.
    #[inline]
    pub fn arcs(self) -> impl Iterator<Item = &'a Arc> + Clone {
        let v: &'a [Arc] = self.overlay.map_or(&[], |o| &o.arcs);
        self.base.arcs.iter().chain(v)
    }

    /// The link id of an arc as answers show it (`~r` marks the reverse direction).
    #[inline]
    pub fn link_id(self, arc: &Arc) -> String {
        let l = self.link(arc.link as usize);
        if arc.reversed {
            format!("{}~r", l.id)
        } else {
            l.id.clone()
        }
    }

    /// Arcs leaving a place: its base arcs, then its virtual ones.
    #[inline]
    pub fn out_arcs(self, place: usize) -> OutArcs {
        let n = self.base.dataset.places.len();
        let base = if place < n {
            self.base.out_arcs(place)
        } else {
            0..0
        };
        let virt = match self.overlay {
            None => 0..0,
            Some(o) => {
                let lo = o.arcs.partition_point(|a| a.from.index() < place);
                let hi = o.arcs.partition_point(|a| a.from.index() <= place);
                o.base_arcs + lo..o.base_arcs + hi
            }
        };
        OutArcs { base, virt }
    }

    /// Number of carrier states.
    #[inline]
    pub fn n_carriers(self) -> usize {
        self.base.n_carriers()
    }

    /// Country codes; arcs refer to them by index.
    #[inline]
    pub fn countries(self) -> &'a [String] {
        &self.base.countries
    }

    /// Passage names; arcs refer to them by index.
    #[inline]
    pub fn passages(self) -> &'a [String] {
        &self.base.passages
    }

    /// The gauge of a wagon carrier, mm.
    #[inline]
    pub fn wagon_gauge(self, c: Carrier) -> Option<u16> {
        self.base.wagon_gauge(c)
    }

    /// Display name of a carrier (see [`Network::carrier_name`]).
    #[inline]
    pub fn carrier_name(self, c: Carrier) -> String {
        self.base.carrier_name(c)
    }

    /// As [`Network::departing_carrier`], over base and virtual places.
    #[inline]
    pub fn departing_carrier(self, arc: &Arc, arriving: Carrier) -> Option<Carrier> {
        match arc.carrier {
            crate::ArcCarrier::Fixed(c) => Some(c),
            crate::ArcCarrier::KeepWagon => {
                self.base
                    .departing_carrier_at(arc, arriving, self.place(arc.from.index()))
            }
        }
    }

    /// The transfer table entry at a place (base or virtual).
    #[inline]
    fn rule(self, place: usize, a: Carrier, b: Carrier) -> Option<u16> {
        let nc = self.base.n_carriers();
        let k = (a.0 as usize) * nc + b.0 as usize;
        match self.overlay {
            Some(o) if place >= o.base_places => o
                .transfer_rows
                .get((place - o.base_places) * nc * nc + k)
                .copied(),
            _ => self.base.transfer_table.get(place * nc * nc + k).copied(),
        }
    }

    /// As [`Network::transfer`], over base and virtual places.
    #[allow(clippy::result_unit_err)]
    #[inline]
    pub fn transfer(
        self,
        place: usize,
        a: Carrier,
        b: Carrier,
    ) -> Result<Option<&'a Transfer>, ()> {
        if a == b || a == Carrier::NONE {
            return Ok(None);
        }
        match self.rule(place, a, b) {
            Some(i) if i != crate::NO_RULE => Ok(Some(&self.base.dataset.transfers[i as usize])),
            _ => Err(()),
        }
    }

    /// As [`Network::transfer_index`], over base and virtual places.
    #[inline]
    pub fn transfer_index(self, place: usize, a: Carrier, b: Carrier) -> Option<usize> {
        match self.rule(place, a, b) {
            Some(i) if i != crate::NO_RULE => Some(i as usize),
            _ => None,
        }
    }
}

impl Network {
    /// This network as a [`Graph`] with no virtual places.
    pub fn view(&self) -> Graph<'_> {
        Graph::new(self, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_data::PlaceKind;
    use std::path::PathBuf;

    fn mini() -> Dataset {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/mini");
        Dataset::load_dir(&dir).unwrap()
    }

    /// A virtual place next to `at` with road links to and from it (one bidirectional).
    fn extra(ds: &Dataset) -> (Vec<Place>, Vec<Link>) {
        let at = &ds.places[ds.place_index("KZ-delta").unwrap()];
        let road = ds.links.iter().find(|l| l.id == "ab-road").unwrap();
        let mut p = at.clone();
        p.id = "DOOR".into();
        p.kind = PlaceKind::RoadHub;
        p.gauges_mm = vec![];
        let mut links = Vec::new();
        for (id, from, to, both) in [
            ("d1", "DOOR", "KZ-delta", false),
            ("d2", "KZ-charlie", "DOOR", false),
            ("d3", "DOOR", "CN-alpha", true),
        ] {
            let mut l = road.clone();
            (l.id, l.from, l.to, l.bidirectional) = (id.into(), from.into(), to.into(), both);
            l.countries = vec![];
            links.push(l);
        }
        (vec![p], links)
    }

    /// The view equals the network built from the data with the virtual rows appended (the
    /// oracle): same places, links, arcs (field by field), out-arc order and transfer rules.
    #[test]
    fn view_equals_the_rebuilt_network() {
        let ds = mini();
        let (places, links) = extra(&ds);
        let base = Network::build(ds.clone());
        let ov = Overlay::new(&base, places.clone(), links.clone(), vec![]).unwrap();
        let g = Graph::new(&base, Some(&ov));
        let built = Network::build(ds.with_extra(places, links, vec![]).unwrap());
        assert_eq!(g.n_places(), built.dataset.places.len());
        assert_eq!(g.n_arcs(), built.arcs.len());
        assert_eq!(ov.arcs().len(), 4);
        let key = |a: &Arc| format!("{a:?}");
        for p in 0..g.n_places() {
            assert_eq!(g.place(p).id, built.dataset.places[p].id);
            let mine: Vec<String> = g.out_arcs(p).map(|ai| key(g.arc(ai))).collect();
            let theirs: Vec<String> = built.out_arcs(p).map(|ai| key(&built.arcs[ai])).collect();
            assert_eq!(mine, theirs, "arcs out of {}", g.place(p).id);
            let nc = g.n_carriers();
            for a in 0..nc {
                for b in 0..nc {
                    let (ca, cb) = (Carrier(a as u8), Carrier(b as u8));
                    assert_eq!(g.transfer_index(p, ca, cb), built.transfer_index(p, ca, cb));
                    assert_eq!(
                        g.transfer(p, ca, cb).is_ok(),
                        built.transfer(p, ca, cb).is_ok()
                    );
                }
            }
        }
        for l in 0..built.dataset.links.len() {
            assert_eq!(g.link(l).id, built.dataset.links[l].id);
        }
        assert_eq!(g.place_index("DOOR"), built.dataset.place_index("DOOR"));
        assert_eq!(g.virtual_place_by_id(" door "), Some(g.n_places() - 1));
    }

    #[test]
    fn ids_the_base_has_are_refused() {
        let ds = mini();
        let (mut places, links) = extra(&ds);
        let base = Network::build(ds);
        places[0].id = "KZ-delta".into();
        assert_eq!(
            Overlay::new(&base, places, links, vec![]).err().as_deref(),
            Some("KZ-delta")
        );
    }
}
