//! Footprints of user-given chains of legs (`corridor emissions`, `/v1/emissions`): legs
//! named `MODE[/VEHICLE]:FROM-TO[:DISTkm]` resolved against the dataset, distances from the
//! network's link of that mode (else great-circle × a detour factor), hubs between carriers,
//! and the ISO 14083 / GLEC calculation of `corridor-emissions`.

use corridor_data::validate::great_circle_km;
use corridor_data::{Dataset, Mode, NameError, TransferKind};
use corridor_emissions::calc::{self as em, DistanceKind, FactorSet, Shipment, Tce};
use corridor_emissions::chain::{Element, Footprint, PlaceInfo};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cargo::{Cargo, CargoError, PAYLOAD_T_PER_TEU};
use crate::QueryError;

/// Most legs in one chain.
pub const MAX_LEGS: usize = 64;

fn bad(field: &str, message: String) -> QueryError {
    QueryError::InvalidValue {
        field: field.into(),
        message,
        suggestions: vec![],
    }
}

/// One leg as given.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegSpec {
    /// Mode: road, rail, sea, ferry, iww, air, pipeline.
    #[schemars(length(min = 1))]
    pub mode: String,
    /// Origin place.
    #[schemars(length(min = 1))]
    pub from: String,
    /// Destination place.
    #[schemars(length(min = 1))]
    pub to: String,
    /// Distance, km (else network or great-circle).
    #[serde(default)]
    pub distance_km: Option<f64>,
    /// Vehicle class or factor id.
    #[serde(default)]
    pub vehicle: Option<String>,
    /// Load factor.
    #[serde(default)]
    pub load_factor: Option<f64>,
    /// Empty running.
    #[serde(default)]
    pub empty_running: Option<f64>,
}

/// Detour factor on great-circle distance when no network link exists (the data's own
/// distance estimates: sources SRC-EST-ROAD-DIST, SRC-EST-RAIL-DIST, SRC-EST-SEA-DIST).
pub fn detour_factor(mode: Mode) -> f64 {
    match mode {
        Mode::Road => 1.25,
        Mode::Rail => 1.2,
        Mode::Sea | Mode::Ferry => 1.1,
        Mode::Iww => 1.2,
        _ => 1.0,
    }
}

/// Parses `MODE[/VEHICLE]:FROM-TO[:DISTkm]`; FROM and TO may contain dashes (the split is
/// settled when the places resolve).
pub fn parse_leg(s: &str) -> Result<(LegSpec, Vec<(String, String)>), QueryError> {
    let Some((m, rest)) = s.split_once(':') else {
        return Err(bad(
            "leg",
            format!("leg '{s}' is not MODE:FROM-TO (e.g. road:Urumqi-Khorgos)"),
        ));
    };
    let (mode, vehicle) = match m.split_once('/') {
        Some((a, b)) => (a.trim().to_string(), Some(b.trim().to_string())),
        None => (m.trim().to_string(), None),
    };
    let (places, dist) = match rest.rsplit_once(':') {
        Some((p, d)) if d.trim().to_ascii_lowercase().ends_with("km") => {
            let num = d.trim().trim_end_matches(['k', 'm', 'K', 'M']).trim();
            let v: f64 = num.parse().map_err(|_| {
                bad(
                    "leg",
                    format!("leg '{s}': distance '{d}' is not a number of km (e.g. 680km)"),
                )
            })?;
            (p, Some(v))
        }
        _ => (rest, None),
    };
    let splits: Vec<(String, String)> = places
        .match_indices('-')
        .map(|(i, _)| {
            (
                places[..i].trim().to_string(),
                places[i + 1..].trim().to_string(),
            )
        })
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .collect();
    if splits.is_empty() {
        return Err(bad(
            "leg",
            format!("leg '{s}' has no FROM-TO (e.g. road:Urumqi-Khorgos)"),
        ));
    }
    let spec = LegSpec {
        mode,
        from: splits[0].0.clone(),
        to: splits[0].1.clone(),
        distance_km: dist,
        vehicle,
        ..Default::default()
    };
    Ok((spec, splits))
}

fn name_error(field: &str, e: NameError) -> QueryError {
    QueryError::from_name(field, e)
}

struct Resolved {
    spec: LegSpec,
    mode: Mode,
    from: usize,
    to: usize,
}

fn resolve_leg(
    ds: &Dataset,
    spec: LegSpec,
    splits: &[(String, String)],
) -> Result<Resolved, QueryError> {
    let mode = Mode::parse(&spec.mode)
        .filter(|m| *m != Mode::Border)
        .ok_or_else(|| {
            bad(
                "leg",
                format!(
                    "mode '{}' is not one of road, rail, sea, ferry, iww, air, pipeline",
                    spec.mode
                ),
            )
        })?;
    let mut first_err = None;
    for (a, b) in splits {
        match (ds.resolve(a), ds.resolve(b)) {
            (Ok(ra), Ok(rb)) => {
                // The first place of each city; the link search below tries every pair.
                let (from, to) = best_pair(ds, mode, &ra.places, &rb.places);
                return Ok(Resolved {
                    spec: LegSpec {
                        from: a.clone(),
                        to: b.clone(),
                        ..spec
                    },
                    mode,
                    from,
                    to,
                });
            }
            (Err(e), _) => {
                first_err.get_or_insert(name_error("from", e));
            }
            (_, Err(e)) => {
                first_err.get_or_insert(name_error("to", e));
            }
        }
    }
    Err(first_err.unwrap_or_else(|| bad("leg", "no places".into())))
}

/// The pair of candidate places joined by a link of the mode (shortest), else the first two.
fn best_pair(ds: &Dataset, mode: Mode, a: &[usize], b: &[usize]) -> (usize, usize) {
    let mut best: Option<(f64, usize, usize)> = None;
    for &x in a {
        for &y in b {
            if let Some(l) = link_between(ds, mode, x, y) {
                if best.is_none_or(|(d, _, _)| ds.links[l].distance_km < d) {
                    best = Some((ds.links[l].distance_km, x, y));
                }
            }
        }
    }
    best.map(|(_, x, y)| (x, y)).unwrap_or((a[0], b[0]))
}

fn link_between(ds: &Dataset, mode: Mode, a: usize, b: usize) -> Option<usize> {
    let (ia, ib) = (&ds.places[a].id, &ds.places[b].id);
    ds.links
        .iter()
        .enumerate()
        .filter(|(_, l)| l.mode == mode)
        .filter(|(_, l)| {
            (&l.from == ia && &l.to == ib) || (l.bidirectional && &l.from == ib && &l.to == ia)
        })
        .min_by(|x, y| x.1.distance_km.total_cmp(&y.1.distance_km))
        .map(|(i, _)| i)
}

fn place_info(ds: &Dataset, p: usize) -> PlaceInfo {
    let pl = &ds.places[p];
    PlaceInfo {
        id: pl.id.clone(),
        name: pl.name.clone(),
        country: pl.country.clone(),
        lat: pl.lat,
        lon: pl.lon,
    }
}

fn carrier(mode: Mode) -> Option<&'static str> {
    match mode {
        Mode::Road => Some("truck"),
        Mode::Rail => Some("wagon"),
        Mode::Sea | Mode::Iww => Some("box"),
        Mode::Air => Some("air"),
        Mode::Pipeline => Some("pipe"),
        // A truck or wagon rolls onto a ferry: no carrier change (as in the route search).
        Mode::Ferry | Mode::Border => None,
    }
}

/// Places this close (km) count as one stop of a chain (a city's rail terminal and its port).
const SAME_STOP_KM: f64 = 30.0;

/// The warning when leg `n` begins somewhere other than where leg `n - 1` ended (more than
/// [`SAME_STOP_KM`] apart): a chain with a gap leaves out the transport between.
fn chain_gap(ds: &Dataset, n: usize, prev_to: usize, from: usize) -> Option<String> {
    let (a, b) = (&ds.places[prev_to], &ds.places[from]);
    let gap = great_circle_km(a.lat, a.lon, b.lat, b.lon);
    (prev_to != from && gap > SAME_STOP_KM).then(|| {
        format!(
            "leg {n} begins at {} ({}), but leg {} ends at {} ({}), {gap:.0} km away: the \
             transport between is not counted; add a leg or check the places",
            b.name,
            b.id,
            n - 1,
            a.name,
            a.id
        )
    })
}

/// Computes the footprint of the legs.
///
/// `network_km(mode, from, to)` gives the distance over the corridor network by that mode alone
/// (and border crossings) when no single link joins the two places.
pub fn footprint(
    ds: &Dataset,
    specs: Vec<(LegSpec, Vec<(String, String)>)>,
    shipment: Shipment,
    no_hubs: bool,
    network_km: &dyn Fn(Mode, usize, usize) -> Option<f64>,
) -> Result<(Footprint, Vec<LegSpec>, Vec<String>), QueryError> {
    let set = FactorSet::from_dataset(ds);
    let mut elements = Vec::new();
    let mut warnings = Vec::new();
    let mut seq = 0u32;
    let mut last_carrier: Option<&'static str> = None;
    let mut legs_out = Vec::new();
    let mut last_to: Option<usize> = None;
    for (i, (spec, splits)) in specs.into_iter().enumerate() {
        let r = resolve_leg(ds, spec, &splits)?;
        let n = i + 1;
        if let Some(w) = last_to.and_then(|prev| chain_gap(ds, n, prev, r.from)) {
            warnings.push(w);
        }
        last_to = Some(r.to);
        let link = link_between(ds, r.mode, r.from, r.to);
        let factor = match &r.spec.vehicle {
            Some(v) => Some(
                set.vehicle(r.mode, v)
                    .map_err(|e| bad(&e.field, format!("leg {n}: {}", e.message)))?,
            ),
            None => match link {
                Some(l) => ds.emission_factor_for(&ds.links[l]),
                None => set.default_for(r.mode),
            },
        };
        let (a, b) = (&ds.places[r.from], &ds.places[r.to]);
        // The network distance by this mode, only when needed (no given distance, no link).
        let routed = match (r.spec.distance_km, link) {
            (None, None) => network_km(r.mode, r.from, r.to),
            _ => None,
        };
        let (km, kind) = match (r.spec.distance_km, link) {
            (Some(d), _) => {
                if !d.is_finite() || d <= 0.0 {
                    return Err(bad(
                        "distance_km",
                        format!("leg {n} ({} {}-{}): no distance ({d} km); give a positive distance, e.g. :680km", r.mode, r.spec.from, r.spec.to),
                    ));
                }
                (d, DistanceKind::Given)
            }
            (None, Some(l)) => (ds.links[l].distance_km, DistanceKind::Network),
            (None, None) if routed.is_some() => {
                let d = routed.unwrap_or_default();
                warnings.push(format!(
                    "leg {n} ({} {} → {}): no single {} link; distance over the corridor network by {} = {:.0} km",
                    r.mode, a.name, b.name, r.mode, r.mode, d
                ));
                (d, DistanceKind::Network)
            }
            (None, None) => {
                let gc = great_circle_km(a.lat, a.lon, b.lat, b.lon);
                if gc < 0.5 {
                    return Err(bad(
                        "distance_km",
                        format!("leg {n} ({} {}-{}): no distance: both ends are the same place; give one, e.g. :12km", r.mode, r.spec.from, r.spec.to),
                    ));
                }
                let d = gc * detour_factor(r.mode);
                warnings.push(format!(
                    "leg {n} ({} {} → {}): no {} link in the network; distance = great-circle {:.0} km × {} = {:.0} km (estimate)",
                    r.mode, a.name, b.name, r.mode, gc, detour_factor(r.mode), d
                ));
                (d, DistanceKind::GreatCircle)
            }
        };
        // Hub between carriers.
        let this = carrier(r.mode);
        if let (Some(prev), Some(next), false) = (last_carrier, this, no_hubs) {
            if prev != next && prev != "pipe" && next != "pipe" {
                let kind = if prev == "air" || next == "air" {
                    TransferKind::Handling
                } else {
                    TransferKind::Lift
                };
                let ship = prev == "box" || next == "box";
                let hr = em::hub(&em::Hoc {
                    id: format!("{}:{}", a.id, kind.as_str()),
                    kind,
                    place: a.id.clone(),
                    country: a.country.clone(),
                    shipment,
                    factor: set.hub_for(kind, ship),
                });
                elements.push(Element::Hub {
                    seq,
                    label: format!("hub {} ({} {prev} → {next})", a.name, kind.as_str()),
                    place: Some(place_info(ds, r.from)),
                    result: hr,
                });
                seq += 1;
            }
        }
        if this.is_some() {
            last_carrier = this;
        }
        let mut countries: Vec<String> = vec![a.country.clone()];
        if let Some(l) = link {
            countries.extend(ds.links[l].countries.iter().cloned());
        }
        countries.push(b.country.clone());
        let mut t = Tce::new(
            &link
                .map(|l| ds.links[l].id.clone())
                .unwrap_or_else(|| format!("leg-{n}")),
            r.mode,
            km,
            kind,
            shipment,
            factor,
        );
        t.countries = countries;
        t.load_factor = r.spec.load_factor;
        t.empty_running = r.spec.empty_running;
        if let (None, Some(l)) = (&r.spec.vehicle, link) {
            // A network link without a vehicle class: its traction (traction.csv) applies.
            t.traction = crate::route::costs::traction_mix(ds, &ds.links[l].id);
        }
        let res = em::transport(&t, &set)
            .map_err(|e| bad(&e.field, format!("leg {n}: {}", e.message)))?;
        elements.push(Element::Leg {
            seq,
            label: format!("{} {} → {}", r.mode, a.name, b.name),
            from: Some(place_info(ds, r.from)),
            to: Some(place_info(ds, r.to)),
            result: res,
        });
        seq += 1;
        legs_out.push(LegSpec {
            distance_km: Some(km),
            ..r.spec
        });
    }
    let fp = Footprint::new(shipment, elements);
    for m in &fp.totals.missing {
        warnings.push(format!("{m}; its CO2e is null and not in the total"));
    }
    Ok((fp, legs_out, warnings))
}

/// Pattern of a `leg` string, `MODE[/VEHICLE]:FROM-TO[:DISTkm]`.
pub const LEG_PATTERN: &str = "^[A-Za-z_-]+(/[A-Za-z0-9_.-]+)?:.+-.+$";

crate::options::with_cargo_size! {
/// A chain request (`/v1/emissions` GET and POST, `corridor emissions`): one definition for
/// the JSON fields, the query parameters, the OpenAPI schema and (feature `clap`) the CLI
/// flags; `cargo` and `payload_t_per_teu` are the shared ones of
/// [`ShipmentOptions`](crate::ShipmentOptions). Read JSON with
/// [`crate::options::from_json`] (it names the unknown field with the known ones).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct EmissionsRequest {
    /// A leg, in order (repeatable): MODE[/VEHICLE]:FROM-TO[:DISTkm], e.g. road:Urumqi-Khorgos,
    /// rail/electric:Khorgos-Aktau, ferry:Aktau-Baku, road:Urumqi-Khorgos:680km.
    #[serde(default)]
    #[schemars(length(max = 64), inner(length(min = 1), regex(pattern = LEG_PATTERN)))]
    #[cfg_attr(feature = "clap", arg(long = "leg", value_name = "MODE:FROM-TO"))]
    pub leg: Vec<String>,
    /// Legs as objects (after `leg`).
    #[serde(default)]
    #[schemars(length(max = 64))]
    #[cfg_attr(feature = "clap", arg(skip))]
    pub legs: Vec<LegSpec>,
    /// Load factor for every leg without its own, instead of the factor's (0 < x ≤ 1).
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = 1))]
    #[cfg_attr(feature = "clap", arg(long, allow_hyphen_values = true))]
    pub load_factor: Option<f64>,
    /// Empty running for every leg without its own, instead of the factor's (0 ≤ x < 1).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    #[cfg_attr(feature = "clap", arg(long, allow_hyphen_values = true))]
    pub empty_running: Option<f64>,
    /// Leave out the hub (transshipment) operations between legs of different carriers.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub no_hubs: bool,
}
}

/// The answer of `/v1/emissions` and `corridor emissions --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct EmissionsAnswer {
    /// Code version.
    pub generator: serde_json::Value,
    /// Data version.
    pub data: crate::answer::DataInfo,
    /// The legs as resolved (with their distances).
    pub legs: Vec<LegSpec>,
    /// The footprint: every transport and hub element and the totals.
    pub footprint: Footprint,
    /// Warnings (estimated distances, missing factors).
    pub warnings: Vec<String>,
}

/// The shipment for a cargo string and payload.
pub fn shipment(
    cargo: Option<&str>,
    payload_t_per_teu: Option<f64>,
) -> Result<Shipment, QueryError> {
    let cargo = match cargo {
        None => Cargo::default(),
        Some(c) => Cargo::parse(c).map_err(|e| match e {
            CargoError::TooBig(m) => QueryError::TooBig { message: m },
            CargoError::Syntax(m) | CargoError::NotPositive(m) => bad("cargo", m),
        })?,
    };
    let cargo = cargo
        .with_payload(payload_t_per_teu.unwrap_or(PAYLOAD_T_PER_TEU))
        .map_err(|e| match e {
            CargoError::Syntax(m) | CargoError::NotPositive(m) | CargoError::TooBig(m) => {
                bad("payload_t_per_teu", m)
            }
        })?;
    Ok(Shipment {
        net_t: cargo.net_t(),
        teu: cargo.teu(),
        containers: if cargo.is_boxes() { cargo.boxes() } else { 0.0 },
    })
}

impl crate::Engine {
    /// The footprint of a chain request.
    pub fn emissions(&self, req: &EmissionsRequest) -> Result<EmissionsAnswer, QueryError> {
        let mut specs = Vec::new();
        for l in &req.leg {
            specs.push(parse_leg(l)?);
        }
        for l in &req.legs {
            let splits = vec![(l.from.clone(), l.to.clone())];
            specs.push((l.clone(), splits));
        }
        if specs.is_empty() {
            return Err(QueryError::InvalidQuery {
                message: "no legs: give leg MODE:FROM-TO (repeatable) or legs".into(),
            });
        }
        if specs.len() > MAX_LEGS {
            return Err(QueryError::TooBig {
                message: format!("{} legs given; at most {MAX_LEGS}", specs.len()),
            });
        }
        for (s, _) in specs.iter_mut() {
            if s.load_factor.is_none() {
                s.load_factor = req.load_factor;
            }
            if s.empty_running.is_none() {
                s.empty_running = req.empty_running;
            }
        }
        let ship = shipment(req.cargo.as_deref(), req.payload_t_per_teu)?;
        let ds = self.dataset();
        // A leg between places with no direct link: route by that mode alone (borders allowed).
        let network_km = |mode: Mode, a: usize, b: usize| -> Option<f64> {
            let avoid = corridor_data::Mode::ALL
                .iter()
                .filter(|m| **m != mode && **m != Mode::Border)
                .map(|m| format!("mode:{m}"))
                .collect();
            let cargo = if matches!(mode, Mode::Air | Mode::Pipeline) {
                "1t"
            } else {
                "1xFEU"
            };
            let commodity = (mode == Mode::Pipeline).then(|| "liquid".to_string());
            let req = crate::RouteRequest {
                from: ds.places[a].id.clone(),
                to: ds.places[b].id.clone(),
                lane: crate::LaneOptions {
                    shipment: crate::ShipmentOptions {
                        cargo: Some(cargo.into()),
                        commodity,
                        ..Default::default()
                    },
                    optimize: Some("time".into()),
                    avoid,
                    ..Default::default()
                },
                ..Default::default()
            };
            self.route(&req)
                .ok()
                .and_then(|ans| ans.itineraries.first().map(|it| it.totals.distance_km))
        };
        let (footprint, legs, warnings) = footprint(ds, specs, ship, req.no_hubs, &network_km)?;
        Ok(EmissionsAnswer {
            generator: serde_json::json!({"name": "corridor", "version": env!("CARGO_PKG_VERSION")}),
            data: self.data_info(),
            legs,
            footprint,
            warnings,
        })
    }
}
