//! `corridor emissions`: the footprint of a user-given chain of legs (ISO 14083 / GLEC v3.1),
//! as a table, JSON, a self-contained HTML report or an iLEAP export.
//!
//! Legs are `MODE[/VEHICLE]:FROM-TO[:DISTkm]` (`--leg road:Urumqi-Khorgos`,
//! `--leg rail/electric:Khorgos-Aktau`, `--leg road:Urumqi-Khorgos:680km`) or a file
//! (`--legs legs.json|legs.csv`, fields mode, from, to, distance_km, vehicle, load_factor,
//! empty_running). Places resolve with the dataset's names; the distance is the network's link
//! of that mode between them when one exists, else the great-circle distance × the mode's
//! detour factor (documented in docs/emissions.md).

use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use corridor_data::validate::great_circle_km;
use corridor_data::{Dataset, Mode, NameError, TransferKind};
use corridor_emissions::calc::{self as em, DistanceKind, FactorSet, Shipment, Tce};
use corridor_emissions::chain::{Element, Footprint, PlaceInfo};
use corridor_emissions::report::{self, ReportMeta, SourceRef};
use corridor_engine::{Cargo, QueryError};
use serde::{Deserialize, Serialize};

use crate::{emit, internal, load, Failure};

/// Output formats of `corridor emissions`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum EmFormat {
    /// Human-readable table.
    Table,
    /// JSON (the footprint with every factor and source).
    Json,
    /// Self-contained HTML report with an SVG chart.
    Html,
    /// iLEAP ShipmentFootprint with TOCs and HOCs (schema/ileap-shipment-footprint.schema.json).
    Ileap,
}

/// Arguments of `corridor emissions`.
#[derive(Args, Debug)]
pub struct EmissionsArgs {
    /// A leg, in order (repeatable): MODE[/VEHICLE]:FROM-TO[:DISTkm], e.g. road:Urumqi-Khorgos,
    /// rail/electric:Khorgos-Aktau, ferry:Aktau-Baku, road:Urumqi-Khorgos:680km.
    #[arg(long = "leg", value_name = "MODE:FROM-TO")]
    legs: Vec<String>,
    /// Legs from a JSON array or a CSV file (mode,from,to,distance_km,vehicle,load_factor,empty_running).
    #[arg(long = "legs", value_name = "FILE")]
    legs_file: Option<PathBuf>,
    /// Cargo: 2xFEU, 3xTEU or 40t (default 1xFEU).
    #[arg(long)]
    cargo: Option<String>,
    /// Net payload per loaded TEU, t (default 10, the GLEC default).
    #[arg(long)]
    payload_t_per_teu: Option<f64>,
    /// Load factor for every leg, instead of the factor's (0 < x ≤ 1).
    #[arg(long, allow_hyphen_values = true)]
    load_factor: Option<f64>,
    /// Empty running for every leg, instead of the factor's (0 ≤ x < 1).
    #[arg(long, allow_hyphen_values = true)]
    empty_running: Option<f64>,
    /// Leave out the hub operations between legs of different carriers.
    #[arg(long)]
    no_hubs: bool,
    /// Shipment id for the iLEAP export.
    #[arg(long, default_value = "corridor-shipment")]
    shipment_id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EmFormat::Table)]
    format: EmFormat,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

impl EmissionsArgs {
    /// Whether errors go out as JSON.
    pub fn wants_json(&self) -> bool {
        matches!(self.format, EmFormat::Json | EmFormat::Ileap)
    }
}

/// One leg as given.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LegSpec {
    /// Mode.
    pub mode: String,
    /// Origin place.
    pub from: String,
    /// Destination place.
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

/// What `--format json` prints.
#[derive(Debug, Serialize)]
struct EmissionsAnswer<'a> {
    generator: serde_json::Value,
    data: serde_json::Value,
    legs: &'a [LegSpec],
    footprint: &'a Footprint,
    warnings: Vec<String>,
}

fn bad(field: &str, message: String) -> Failure {
    QueryError::InvalidValue {
        field: field.into(),
        message,
        suggestions: vec![],
    }
    .into()
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
pub fn parse_leg(s: &str) -> Result<(LegSpec, Vec<(String, String)>), Failure> {
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

fn name_failure(field: &str, e: NameError) -> Failure {
    match e {
        NameError::Unknown { input, suggestions } => QueryError::UnknownPlace {
            field: field.into(),
            input,
            suggestions,
        }
        .into(),
        NameError::Ambiguous { input, candidates } => QueryError::InvalidValue {
            field: field.into(),
            message: format!(
                "'{input}' names places in different cities: {}; give the place id",
                candidates.join("; ")
            ),
            suggestions: candidates,
        }
        .into(),
        NameError::Empty => bad(field, "empty place name".into()),
    }
}

fn read_legs_file(p: &PathBuf) -> Result<Vec<LegSpec>, Failure> {
    let text = std::fs::read_to_string(p)
        .map_err(|e| bad("legs", format!("cannot read {}: {e}", p.display())))?;
    let is_json = p
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('[');
    if is_json {
        return serde_json::from_str(&text).map_err(|e| {
            bad(
                "legs",
                format!("{}: not a JSON array of legs: {e}", p.display()),
            )
        });
    }
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, r) in rdr.deserialize::<LegSpec>().enumerate() {
        out.push(r.map_err(|e| bad("legs", format!("{}:{}: {e}", p.display(), i + 2)))?);
    }
    Ok(out)
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
) -> Result<Resolved, Failure> {
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
                first_err.get_or_insert(name_failure("from", e));
            }
            (_, Err(e)) => {
                first_err.get_or_insert(name_failure("to", e));
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

/// Computes the footprint of the legs.
pub fn footprint(
    ds: &Dataset,
    specs: Vec<(LegSpec, Vec<(String, String)>)>,
    shipment: Shipment,
    no_hubs: bool,
) -> Result<(Footprint, Vec<LegSpec>, Vec<String>), Failure> {
    let set = FactorSet::from_dataset(ds);
    let mut elements = Vec::new();
    let mut warnings = Vec::new();
    let mut seq = 0u32;
    let mut last_carrier: Option<&'static str> = None;
    let mut legs_out = Vec::new();
    for (i, (spec, splits)) in specs.into_iter().enumerate() {
        let r = resolve_leg(ds, spec, &splits)?;
        let n = i + 1;
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

fn sources(ds: &Dataset, fp: &Footprint) -> Vec<SourceRef> {
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for e in &fp.elements {
        match e {
            Element::Leg { result, .. } => {
                if let Some(f) = &result.factor {
                    ids.insert(f.source.clone());
                }
                ids.extend(result.grid.iter().filter_map(|g| g.source.clone()));
                ids.extend(result.pollutants.iter().filter_map(|p| p.source.clone()));
            }
            Element::Hub { result, .. } => {
                if let Some(f) = &result.factor {
                    ids.insert(f.source.clone());
                }
            }
        }
    }
    ids.into_iter()
        .filter_map(|id| {
            ds.source(&id).map(|s| SourceRef {
                id: s.id.clone(),
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                url: s.url.clone(),
                date: s.date.clone(),
            })
        })
        .collect()
}

fn table(fp: &Footprint, warnings: &[String]) -> String {
    let mut s = format!("Emissions ({}; factors: {})\n", fp.method, fp.glec_version);
    s.push_str(&format!(
        "  {:<3} {:<46} {:>8} {:>10} {:>10} {:>10} {:>10} {:>8}  factor\n",
        "#", "element", "km", "tkm", "MJ", "WTW kg", "TTW kg", "g/tkm"
    ));
    let o = |x: Option<f64>, d: usize| {
        x.map(|v| format!("{v:.d$}"))
            .unwrap_or_else(|| "n/a".into())
    };
    for e in &fp.elements {
        let label: String = e.label().chars().take(46).collect();
        match e {
            Element::Leg { seq, result: r, .. } => s.push_str(&format!(
                "  {:<3} {:<46} {:>8.0} {:>10.0} {:>10} {:>10} {:>10} {:>8}  {}\n",
                seq + 1,
                label,
                r.distance_km,
                r.tkm,
                o(r.energy_mj, 0),
                o(r.co2e_kg, 1),
                o(r.co2e_ttw_kg, 1),
                o(r.intensity_g_per_tkm, 1),
                r.factor
                    .as_ref()
                    .map(|f| format!("{} ({})", f.id, f.reference))
                    .unwrap_or_else(|| r.missing.clone().unwrap_or_default())
            )),
            Element::Hub { seq, result: r, .. } => s.push_str(&format!(
                "  {:<3} {:<46} {:>8} {:>10} {:>10} {:>10} {:>10} {:>8}  {}\n",
                seq + 1,
                label,
                "",
                "",
                "",
                o(r.co2e_kg, 1),
                o(r.co2e_ttw_kg, 1),
                "",
                r.factor
                    .as_ref()
                    .map(|f| format!("{} ({})", f.id, f.reference))
                    .unwrap_or_else(|| r.missing.clone().unwrap_or_default())
            )),
        }
    }
    let t = &fp.totals;
    s.push_str(&format!(
        "  Total: {:.1} kg CO2e WTW (TTW {:.1}, WTT {:.1}{}) · legs {:.1}, hubs {:.1} · {:.0} tkm · {:.0} MJ · {} g/tkm{}\n",
        t.co2e_kg,
        t.co2e_ttw_kg,
        t.co2e_wtt_kg,
        if t.co2e_unsplit_kg > 0.0 { format!(", not split {:.1}", t.co2e_unsplit_kg) } else { String::new() },
        t.co2e_legs_kg,
        t.co2e_hubs_kg,
        t.tkm,
        t.energy_mj,
        o(t.intensity_g_per_tkm, 1),
        if t.complete { "" } else { " · incomplete: some elements have no factor" }
    ));
    s.push_str(&format!(
        "  Pollutants (TTW): NOx {} kg · SO2 {} kg · PM {} kg (n/a: no public factor for some leg)\n",
        o(t.nox_kg, 3),
        o(t.so2_kg, 3),
        o(t.pm_kg, 3)
    ));
    for w in warnings {
        s.push_str(&format!("note: {w}\n"));
    }
    s.push_str(&format!(
        "credit: {} · {}\n",
        fp.credit,
        corridor_emissions::GLEC_LICENCE
    ));
    s
}

/// Runs `corridor emissions`.
pub fn run(a: EmissionsArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    let ds = load(data)?;
    let mut specs = Vec::new();
    for l in &a.legs {
        specs.push(parse_leg(l)?);
    }
    if let Some(p) = &a.legs_file {
        for l in read_legs_file(p)? {
            let splits = vec![(l.from.clone(), l.to.clone())];
            specs.push((l, splits));
        }
    }
    if specs.is_empty() {
        return Err(QueryError::InvalidQuery {
            message: "no legs: give --leg MODE:FROM-TO (repeatable) or --legs FILE".into(),
        }
        .into());
    }
    if specs.len() > 64 {
        return Err(QueryError::TooBig {
            message: format!("{} legs given; at most 64", specs.len()),
        }
        .into());
    }
    for (s, _) in specs.iter_mut() {
        if s.load_factor.is_none() {
            s.load_factor = a.load_factor;
        }
        if s.empty_running.is_none() {
            s.empty_running = a.empty_running;
        }
    }
    let payload = a
        .payload_t_per_teu
        .unwrap_or(corridor_engine::cargo::PAYLOAD_T_PER_TEU);
    if !(payload.is_finite() && payload > 0.0 && payload <= 30.0) {
        return Err(bad(
            "payload_t_per_teu",
            format!("payload {payload} t per TEU is not in (0, 30] (GLEC: 6 light, 10 average, 14.5 heavy)"),
        ));
    }
    let cargo = match &a.cargo {
        None => Cargo::default(),
        Some(c) => Cargo::parse(c).map_err(|e| {
            let m = match e {
                corridor_engine::cargo::CargoError::Syntax(m)
                | corridor_engine::cargo::CargoError::NotPositive(m)
                | corridor_engine::cargo::CargoError::TooBig(m) => m,
            };
            bad("cargo", m)
        })?,
    };
    let shipment = if cargo.is_boxes() {
        Shipment {
            net_t: cargo.teu() * payload,
            teu: cargo.teu(),
            containers: cargo.boxes(),
        }
    } else {
        Shipment {
            net_t: cargo.net_t(),
            teu: cargo.net_t() / payload,
            containers: 0.0,
        }
    };
    let (fp, legs, warnings) = footprint(&ds, specs, shipment, a.no_hubs)?;
    let text = match a.format {
        EmFormat::Table => table(&fp, &warnings),
        EmFormat::Json => {
            let ans = EmissionsAnswer {
                generator: serde_json::json!({"name": "corridor", "version": env!("CARGO_PKG_VERSION")}),
                data: serde_json::json!({"name": ds.meta.name, "version": ds.meta.version, "hash": ds.hash, "as_of": ds.meta.as_of}),
                legs: &legs,
                footprint: &fp,
                warnings,
            };
            serde_json::to_string_pretty(&ans).map_err(internal)? + "\n"
        }
        EmFormat::Html => {
            let title = format!(
                "{} · {}",
                legs.iter()
                    .map(|l| format!("{} {}–{}", l.mode, l.from, l.to))
                    .collect::<Vec<_>>()
                    .join(", "),
                a.cargo.clone().unwrap_or_else(|| "1xFEU".into())
            );
            let meta = ReportMeta {
                title,
                data: format!(
                    "{} {} (hash {}, figures as of {})",
                    ds.meta.name, ds.meta.version, ds.hash, ds.meta.as_of
                ),
                generator: format!("corridor {}", env!("CARGO_PKG_VERSION")),
                sources: sources(&ds, &fp),
            };
            report::html(&fp, &meta)
        }
        EmFormat::Ileap => {
            let x = corridor_emissions::ileap::export(&fp, &a.shipment_id);
            serde_json::to_string_pretty(&x).map_err(internal)? + "\n"
        }
    };
    emit(&text, a.output.as_deref())
}
