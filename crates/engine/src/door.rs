//! Door to door: FROM or TO given as coordinates (`52.23,21.01`).
//!
//! The corridor layer is terminal to terminal. A shipper's warehouse is not a terminal, so
//! for a coordinate endpoint corridor adds, for this query only, a place at the point and
//! road legs (pre-carriage from it, on-carriage to it) to the suitable terminals nearest to
//! it, then routes as usual: the search picks the terminal, so a longer truck leg to a better
//! rail terminal wins when the whole route is faster (or cheaper, or greener).
//!
//! - **Country** of the point: OpenStreetMap boundaries (`country-boundaries`, ODbL), so the
//!   door legs never cross a border unmodelled: only terminals in the point's own country are
//!   offered. A point at sea or in a country without terminals in the data is refused with
//!   the nearest terminals named.
//! - **Candidates**: the [`DOOR_CANDIDATES`] nearest terminals within [`DOOR_RADIUS_KM`]
//!   (great circle), plus the nearest rail terminal, sea port, dry port and airport within the
//!   radius if they are not among them. Border posts are never candidates; pipeline stations
//!   only for liquid and gas.
//! - **Door legs**: road, distance = great circle × [`DOOR_CIRCUITY`] (the plains factor of
//!   the data's road-distance estimate), with the speed, price and emission factor of a road
//!   link of the same country (the median by price per km), whose sources the leg keeps. A
//!   truck leaves on demand: no wait.

use std::sync::{Arc, OnceLock};

use corridor_data::{Commodity, Dataset, Link, Mode, Place, PlaceKind, Source, Status};
use corridor_network::Overlay;
use country_boundaries::{CountryBoundaries, LatLon, BOUNDARIES_ODBL_360X180};

use crate::answer::RouteAnswer;
use crate::error::QueryError;
use crate::route::{Engine, RouteRequest};

/// Most great-circle km from a door to a terminal offered for pre- or on-carriage.
pub const DOOR_RADIUS_KM: f64 = 500.0;
/// How many of the nearest terminals are offered (plus the nearest of each kind).
pub const DOOR_CANDIDATES: usize = 4;
/// Road km per great-circle km on door legs (the plains factor of `SRC-EST-ROAD-DIST`).
pub const DOOR_CIRCUITY: f64 = 1.25;
/// Source id of the door legs' distances.
pub const DOOR_SOURCE: &str = "SRC-CORRIDOR-DOOR";
/// Place id of a coordinate origin.
pub const DOOR_FROM: &str = "DOOR-FROM";
/// Place id of a coordinate destination.
pub const DOOR_TO: &str = "DOOR-TO";

/// Source id of door legs measured on a road network.
pub const DOOR_ROAD_SOURCE: &str = "SRC-CORRIDOR-DOOR-ROAD";

const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A door leg measured on a real road network.
#[derive(Debug, Clone, PartialEq)]
pub struct DoorRoad {
    /// Length in km, the snap distances at both ends included.
    pub km: f64,
    /// The line, `(lat, lon)` from the leg's start to its end.
    pub line: Vec<(f64, f64)>,
}

/// A road network that measures door legs (the CLI and the server implement it over an
/// imported physical `road` network: `--door-network road`).
pub trait DoorRoads: Send + Sync {
    /// One answer per target: the road leg from `point` to it (`inbound` false) or from it to
    /// `point` (`inbound` true), or why there is none (the leg is then estimated).
    fn legs(
        &self,
        point: (f64, f64),
        targets: &[(f64, f64)],
        inbound: bool,
    ) -> Vec<Result<DoorRoad, String>>;
    /// What the network is, for the source note (name, origin, licence).
    fn label(&self) -> String;
}

/// Door roads as an engine option.
pub type SharedDoorRoads = Arc<dyn DoorRoads>;

/// Great-circle distance in km (haversine).
pub fn great_circle_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Whether the text is meant as coordinates (`lat,lon`, numbers only): `None` if not,
/// `Some(Err)` if it is but out of range.
pub fn parse_coords(field: &str, s: &str) -> Option<Result<(f64, f64), QueryError>> {
    let (a, b) = s.trim().split_once(',')?;
    let num = |t: &str| {
        let t = t.trim();
        let ok = !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
            && t.chars().any(|c| c.is_ascii_digit());
        if ok {
            t.parse::<f64>().ok()
        } else {
            None
        }
    };
    let (lat, lon) = (num(a)?, num(b)?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Some(Err(QueryError::InvalidValue {
            field: field.into(),
            message: format!(
                "'{s}' is not a point: latitude must be within ±90 and longitude within ±180 (write lat,lon, e.g. 52.23,21.01)"
            ),
            suggestions: vec![],
        }));
    }
    Some(Ok((lat, lon)))
}

fn boundaries() -> Option<&'static CountryBoundaries> {
    static B: OnceLock<Option<CountryBoundaries>> = OnceLock::new();
    B.get_or_init(|| CountryBoundaries::from_reader(BOUNDARIES_ODBL_360X180).ok())
        .as_ref()
}

/// The ISO 3166-1 alpha-2 code of the country a point lies in (OSM boundaries), if any.
pub fn country_at(lat: f64, lon: f64) -> Option<String> {
    let pos = LatLon::new(lat, lon).ok()?;
    boundaries()?
        .ids(pos)
        .into_iter()
        .find(|id| id.len() == 2 && id.chars().all(|c| c.is_ascii_uppercase()))
        .map(str::to_string)
}

/// Which places can take a shipment from a truck at a door.
fn suitable(kind: PlaceKind, commodity: Commodity) -> bool {
    match kind {
        PlaceKind::BorderPost => false,
        PlaceKind::PipelineStation => matches!(commodity, Commodity::Liquid | Commodity::Gas),
        _ => true,
    }
}

/// One coordinate endpoint.
struct Door {
    field: &'static str,
    id: &'static str,
    at: (f64, f64),
}

/// The road link whose figures a door leg in `country` takes: the median by price per km of
/// the operating domestic road links of the country (neither end a border post, whose feeder
/// prices carry cross-border charges), else of all road links.
fn template<'a>(ds: &'a Dataset, country: &str) -> Option<(&'a Link, bool)> {
    let in_country = |l: &Link| {
        let p = |id: &str| ds.place_index(id).map(|i| &ds.places[i]);
        let domestic = |id: &str| {
            p(id).is_some_and(|p| p.country == country && p.kind != PlaceKind::BorderPost)
        };
        domestic(&l.from) && domestic(&l.to) && l.countries.is_empty()
    };
    let pick = |own: bool| {
        let mut roads: Vec<&Link> = ds
            .links
            .iter()
            .filter(|l| l.mode == Mode::Road && l.status == Status::Operating)
            .filter(|l| !own || in_country(l))
            .collect();
        roads.sort_by(|a, b| {
            let k = |l: &Link| l.price.as_ref().map(|p| p.per_km).unwrap_or(0.0);
            k(a).total_cmp(&k(b)).then(a.id.cmp(&b.id))
        });
        roads.get(roads.len() / 2).copied()
    };
    pick(true)
        .map(|l| (l, true))
        .or_else(|| pick(false).map(|l| (l, false)))
}

/// A request with a point endpoint, rewritten for the door engine: this engine's network with
/// the door places and their road legs on top as virtual places and arcs (an
/// [`Overlay`]; nothing of the base network is rebuilt); [`DoorQuery::finish`] turns that
/// engine's answer into the answer to the request as given.
pub(crate) struct DoorQuery {
    /// The engine with the doors as virtual places and arcs.
    pub(crate) engine: Engine,
    /// The request with [`DOOR_FROM`] / [`DOOR_TO`] in place of the points.
    pub(crate) req: RouteRequest,
    /// The points as typed: (`from`, `to`).
    typed: (Option<String>, Option<String>),
    /// The road network door legs were measured on, if any (its label).
    roads: Option<String>,
    /// Warnings of the door legs.
    warnings: Vec<String>,
}

/// The candidate terminals of a door, (great-circle km, place index), nearest first, and the
/// point's country: the [`DOOR_CANDIDATES`] nearest suitable places of its country within
/// [`DOOR_RADIUS_KM`], plus the nearest of each terminal kind.
fn candidates(
    ds: &Dataset,
    d: &Door,
    commodity: Commodity,
) -> Result<(String, Vec<(f64, usize)>), QueryError> {
    let (lat, lon) = d.at;
    let here = format!("{lat:.4},{lon:.4}");
    let mut by_distance: Vec<(f64, usize)> = ds
        .places
        .iter()
        .enumerate()
        .filter(|(_, p)| suitable(p.kind, commodity))
        .map(|(i, p)| (great_circle_km(d.at, (p.lat, p.lon)), i))
        .collect();
    by_distance.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let nearest_abroad = |n: usize| {
        by_distance
            .iter()
            .take(n)
            .map(|&(km, i)| {
                let p = &ds.places[i];
                format!("{} ({}, {}) {km:.0} km", p.name, p.id, p.country)
            })
            .collect::<Vec<_>>()
    };
    let nearest_names = || {
        by_distance
            .iter()
            .take(3)
            .map(|&(_, i)| ds.places[i].name.clone())
            .collect()
    };
    let Some(country) = country_at(lat, lon) else {
        return Err(QueryError::InvalidValue {
            field: d.field.into(),
            message: format!(
                "the point {here} is in no country (at sea?); give a point on land or a place; nearest terminals: {}",
                nearest_abroad(3).join("; ")
            ),
            suggestions: nearest_names(),
        });
    };
    let in_reach: Vec<(f64, usize)> = by_distance
        .iter()
        .copied()
        .filter(|&(km, i)| km <= DOOR_RADIUS_KM && ds.places[i].country == country)
        .collect();
    if in_reach.is_empty() {
        return Err(QueryError::InvalidValue {
            field: d.field.into(),
            message: format!(
                "no terminal of the network in {country} within {DOOR_RADIUS_KM:.0} km of {here} (door legs do not cross borders); nearest terminals: {}; route from one of them, or add terminals in {country} to the data",
                nearest_abroad(3).join("; ")
            ),
            suggestions: nearest_names(),
        });
    }
    let mut chosen: Vec<(f64, usize)> = in_reach.iter().copied().take(DOOR_CANDIDATES).collect();
    for kind in [
        PlaceKind::RailTerminal,
        PlaceKind::SeaPort,
        PlaceKind::DryPort,
        PlaceKind::Airport,
    ] {
        if let Some(&c) = in_reach.iter().find(|&&(_, i)| ds.places[i].kind == kind) {
            if !chosen.contains(&c) {
                chosen.push(c);
            }
        }
    }
    Ok((country, chosen))
}

/// How a door leg's length was found.
struct DoorLeg {
    /// Road km.
    km: f64,
    /// Source id of the distance.
    source: &'static str,
    /// The line on the road network, `(lat, lon)`, if measured there.
    line: Vec<(f64, f64)>,
    /// How, for the link's note.
    how: String,
}

/// The road link of a door leg between the door and terminal `terminal`: the template road
/// link's speed, price and emission factor over the leg's length, no wait or dwell.
fn door_link(tpl: &Link, d: &Door, terminal: &str, leg: DoorLeg) -> Link {
    let mut l = tpl.clone();
    let (from, to) = if d.field == "from" {
        (d.id.to_string(), terminal.to_string())
    } else {
        (terminal.to_string(), d.id.to_string())
    };
    l.id = format!("{from}--{to}");
    l.from = from;
    l.to = to;
    l.bidirectional = false;
    l.status = Status::Operating;
    l.distance_km = leg.km.max(0.1);
    l.distance_source = leg.source.into();
    l.moving_h = None;
    l.departures_per_week = None;
    l.wait_h = None;
    l.wait_source = None;
    l.dwell_h = None;
    l.dwell_source = None;
    l.capacity = None;
    l.capacity_source = None;
    l.countries = vec![];
    l.passages = vec![];
    // Drawing points between the ends (the ends are the places themselves).
    l.waypoints = if leg.line.len() > 2 {
        leg.line[1..leg.line.len() - 1].to_vec()
    } else {
        vec![]
    };
    l.source = leg.source.into();
    l.note = format!(
        "door leg: {}; speed, price and emission factor as road link {}",
        leg.how, tpl.id
    );
    l
}

impl Engine {
    /// The door query of a request whose FROM or TO is a point; `None` if neither is.
    pub(crate) fn door_query(&self, req: &RouteRequest) -> Result<Option<DoorQuery>, QueryError> {
        let from = parse_coords("from", &req.from).transpose()?;
        let to = parse_coords("to", &req.to).transpose()?;
        if let Some(v) = req.via.iter().find(|v| parse_coords("via", v).is_some()) {
            return Err(QueryError::InvalidValue {
                field: "via".into(),
                message: format!(
                    "'{v}' is a point; via takes places of the network (points are for from and to)"
                ),
                suggestions: vec![],
            });
        }
        if from.is_none() && to.is_none() {
            return Ok(None);
        }
        // Request-wide errors first, as for any route.
        self.check_options(req)?;
        let commodity = req
            .commodity
            .as_deref()
            .and_then(Commodity::parse)
            .unwrap_or(Commodity::Container);
        let ds = self.dataset();
        let mut doors = Vec::new();
        if let Some(at) = from {
            doors.push(Door {
                field: "from",
                id: DOOR_FROM,
                at,
            });
        }
        if let Some(at) = to {
            doors.push(Door {
                field: "to",
                id: DOOR_TO,
                at,
            });
        }
        let mut places = Vec::new();
        let mut links = Vec::new();
        let mut warnings = Vec::new();
        for d in &doors {
            let (place, ls, w) = self.door_legs(ds, d, commodity)?;
            places.push(place);
            links.extend(ls);
            warnings.extend(w);
        }
        // The door places and legs are virtual: an overlay on this engine's network, nothing
        // rebuilt.
        let overlay = Overlay::new(self.network(), places, links, self.door_sources()).map_err(
            |id| QueryError::InvalidQuery {
                message: format!(
                    "the data already has an id '{id}' that door-to-door routing needs; rename it in the data folder"
                ),
            },
        )?;
        let engine = self.with_overlay(overlay);
        let mut inner = req.clone();
        if from.is_some() {
            inner.from = DOOR_FROM.into();
        }
        if to.is_some() {
            inner.to = DOOR_TO.into();
        }
        Ok(Some(DoorQuery {
            engine,
            req: inner,
            typed: (from.map(|_| req.from.clone()), to.map(|_| req.to.clone())),
            roads: self.door_roads().map(|r| r.label()),
            warnings,
        }))
    }

    /// The sources of the door legs' figures.
    fn door_sources(&self) -> Vec<Source> {
        let source = Source {
            id: DOOR_SOURCE.into(),
            title: "Door-to-door road leg estimate".into(),
            publisher: "corridor".into(),
            url: String::new(),
            date: String::new(),
            note: format!(
                "estimate: great-circle distance from the point to the terminal x {DOOR_CIRCUITY} (the plains factor of the road-distance estimate); time, price and emission factor of a road link of the same country (its own sources)"
            ),
            line: 0,
        };
        let mut sources = vec![source];
        if let Some(r) = self.door_roads() {
            sources.push(Source {
                id: DOOR_ROAD_SOURCE.into(),
                title: "Door-to-door road leg on a road network".into(),
                publisher: "corridor".into(),
                url: String::new(),
                date: String::new(),
                note: format!(
                    "shortest path on the road network {} between the nodes nearest the point and the terminal, plus the two snap distances",
                    r.label()
                ),
                line: 0,
            });
        }
        sources
    }

    /// The door place and its road legs to (or from) the candidate terminals.
    fn door_legs(
        &self,
        ds: &Dataset,
        d: &Door,
        commodity: Commodity,
    ) -> Result<(Place, Vec<Link>, Vec<String>), QueryError> {
        let (lat, lon) = d.at;
        let here = format!("{lat:.4},{lon:.4}");
        let (country, chosen) = candidates(ds, d, commodity)?;
        let nearest = &ds.places[chosen[0].1];
        let place = Place {
            id: d.id.into(),
            name: format!("door {here}"),
            aliases: vec![],
            country: country.clone(),
            lat,
            lon,
            kind: PlaceKind::RoadHub,
            gauges_mm: vec![],
            group: None,
            timezone: nearest.timezone.clone(),
            source: DOOR_SOURCE.into(),
            line: 0,
        };
        let mut warnings = Vec::new();
        let Some((tpl, own)) = template(ds, &country) else {
            return Err(QueryError::InvalidQuery {
                message: "door-to-door legs are priced like the data's road links, and the data has none; give terminals as from and to".into(),
            });
        };
        if !own {
            warnings.push(format!(
                "no road link within {country} in the data: the door legs at {here} take the speed, price and emission factor of {} ({})",
                tpl.id, tpl.note
            ));
        }
        let inbound = d.field == "to";
        let measured: Vec<Option<Result<DoorRoad, String>>> = match self.door_roads() {
            None => vec![None; chosen.len()],
            Some(r) => {
                let targets: Vec<(f64, f64)> = chosen
                    .iter()
                    .map(|&(_, i)| (ds.places[i].lat, ds.places[i].lon))
                    .collect();
                let mut got = r.legs(d.at, &targets, inbound);
                got.resize(chosen.len(), Err("the road network gave no answer".into()));
                got.into_iter().map(Some).collect()
            }
        };
        let mut links = Vec::new();
        for ((gc, i), road) in chosen.into_iter().zip(measured) {
            let t = &ds.places[i];
            let mut leg = DoorLeg {
                km: ((gc * DOOR_CIRCUITY) * 10.0).round() / 10.0,
                source: DOOR_SOURCE,
                line: vec![],
                how: format!("great circle {gc:.1} km x {DOOR_CIRCUITY}"),
            };
            match road {
                Some(Ok(r)) => {
                    leg.km = (r.km * 10.0).round() / 10.0;
                    leg.source = DOOR_ROAD_SOURCE;
                    leg.line = r.line;
                    leg.how = format!("road network, {:.1} km", leg.km);
                }
                Some(Err(why)) => {
                    warnings.push(format!(
                        "door leg {here} {} {}: not on the road network ({why}); estimated as great circle x {DOOR_CIRCUITY}",
                        if inbound { "from" } else { "to" },
                        t.name
                    ));
                }
                None => {}
            }
            links.push(door_link(tpl, d, &t.id, leg));
        }
        Ok((place, links, warnings))
    }
}

impl DoorQuery {
    /// The answer's note on pre- and on-carriage (in place of the terminal-to-terminal one).
    pub(crate) fn carriage_note(&self) -> String {
        let side = match (self.typed.0.is_some(), self.typed.1.is_some()) {
            (true, true) => "pre- and on-carriage",
            (true, false) => {
                "pre-carriage (on-carriage from the destination terminal is not included)"
            }
            _ => "on-carriage (pre-carriage to the origin terminal is not included)",
        };
        let km = match &self.roads {
            Some(label) => format!(
                "road km on the road network {label} ({DOOR_ROAD_SOURCE}; great circle x {DOOR_CIRCUITY} where it has no path)"
            ),
            None => format!("road km = great circle x {DOOR_CIRCUITY} (estimate, {DOOR_SOURCE})"),
        };
        format!(
            "door to door: {side} by road to the best of the nearest terminals (up to {DOOR_CANDIDATES} within {DOOR_RADIUS_KM:.0} km, same country); {km}; terminal handling at the door is not included"
        )
    }

    /// The door engine's answer as the answer to the request as given: the points echoed as
    /// typed, the door legs' warnings added.
    pub(crate) fn finish(self, mut ans: RouteAnswer) -> RouteAnswer {
        if let Some(typed) = self.typed.0 {
            ans.query.from.input = typed;
        }
        if let Some(typed) = self.typed.1 {
            ans.query.to.input = typed;
        }
        ans.warnings.extend(self.warnings);
        ans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_told_from_names() {
        assert!(parse_coords("from", "Xi'an").is_none());
        assert!(parse_coords("from", "KZSCO").is_none());
        assert!(parse_coords("from", "Brest, BY").is_none());
        assert_eq!(
            parse_coords("from", " 52.23 , 21.01 ").map(|r| r.ok()),
            Some(Some((52.23, 21.01)))
        );
        assert_eq!(
            parse_coords("from", "-33.9,18.4").map(|r| r.ok()),
            Some(Some((-33.9, 18.4)))
        );
        assert!(matches!(
            parse_coords("to", "95,10"),
            Some(Err(QueryError::InvalidValue { .. }))
        ));
    }

    #[test]
    fn countries_come_from_osm_boundaries() {
        assert_eq!(country_at(52.23, 21.01).as_deref(), Some("PL")); // Warsaw
        assert_eq!(country_at(54.69, 25.28).as_deref(), Some("LT")); // Vilnius
        assert_eq!(country_at(43.24, 76.89).as_deref(), Some("KZ")); // Almaty
        assert_eq!(country_at(43.0, 34.0), None); // Black Sea
    }

    #[test]
    fn great_circle_is_haversine() {
        // Warsaw–Berlin about 517 km.
        let km = great_circle_km((52.23, 21.01), (52.52, 13.40));
        assert!((km - 517.0).abs() < 5.0, "{km}");
    }
}
