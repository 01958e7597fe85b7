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
use corridor_data::Dataset;
use corridor_emissions::chain::{Element, Footprint};
use corridor_emissions::report::{self, ReportMeta, SourceRef};
use corridor_engine::chain::{EmissionsRequest, LegSpec};
use corridor_engine::QueryError;

use crate::{emit, internal, Failure};

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
    /// The chain (`--leg`, `--cargo`, `--payload-t-per-teu`, `--load-factor`,
    /// `--empty-running`, `--no-hubs`): the request `/v1/emissions` reads, its flags from its
    /// one definition.
    #[command(flatten)]
    req: EmissionsRequest,
    /// Legs from a JSON array or a CSV file (mode,from,to,distance_km,vehicle,load_factor,empty_running).
    #[arg(long = "legs", value_name = "FILE")]
    legs_file: Option<PathBuf>,
    /// Shipment id for the iLEAP export.
    #[arg(long, default_value = "corridor-shipment")]
    shipment_id: String,
    /// A what-if scenario (shipped name or TOML file; repeatable, applied in order). Accepted
    /// so a chain can be costed on the same data as `route --scenario`, and named in the
    /// report; no scenario operation changes a distance or an emission factor, so the
    /// footprint is the baseline's (docs/scenarios.md).
    #[arg(long = "scenario", value_name = "FILE|NAME")]
    scenario: Vec<String>,
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

fn bad(field: &str, message: String) -> Failure {
    QueryError::InvalidValue {
        field: field.into(),
        message,
        suggestions: vec![],
    }
    .into()
}

fn read_legs_file(p: &PathBuf) -> Result<Vec<LegSpec>, Failure> {
    crate::write::note_input(p);
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

/// `; scenario NAME (hash …)` for each scenario applied, else nothing.
fn scenario_note(engine: &corridor_engine::Engine) -> String {
    engine
        .data_info()
        .scenarios
        .iter()
        .map(|s| format!("; scenario {} (hash {})", s.name, s.hash))
        .collect()
}

/// Runs `corridor emissions`.
pub fn run(a: EmissionsArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    let engine = corridor_engine::Engine::new(crate::scenario_args::load_with(data, &a.scenario)?);
    let ds = engine.dataset();
    let req = EmissionsRequest {
        legs: match &a.legs_file {
            Some(p) => read_legs_file(p)?,
            None => vec![],
        },
        ..a.req.clone()
    };
    if req.leg.is_empty() && req.legs.is_empty() {
        return Err(QueryError::InvalidQuery {
            message: "no legs: give --leg MODE:FROM-TO (repeatable) or --legs FILE".into(),
        }
        .into());
    }
    let answer = engine.emissions(&req)?;
    let (fp, legs, warnings) = (&answer.footprint, &answer.legs, &answer.warnings);
    let text = match a.format {
        EmFormat::Table => table(fp, warnings),
        EmFormat::Json => serde_json::to_string_pretty(&answer).map_err(internal)? + "\n",
        EmFormat::Html => {
            let title = format!(
                "{} · {}",
                legs.iter()
                    .map(|l| format!("{} {}–{}", l.mode, l.from, l.to))
                    .collect::<Vec<_>>()
                    .join(", "),
                a.req.cargo.clone().unwrap_or_else(|| "1xFEU".into())
            );
            let meta = ReportMeta {
                title,
                data: format!(
                    "{} {} (hash {}, figures as of {}){}",
                    ds.meta.name,
                    ds.meta.version,
                    ds.hash,
                    ds.meta.as_of,
                    scenario_note(&engine)
                ),
                generator: format!("corridor {}", env!("CARGO_PKG_VERSION")),
                sources: sources(ds, fp),
            };
            report::html(fp, &meta)
        }
        EmFormat::Ileap => {
            let x = corridor_emissions::ileap::export(fp, &a.shipment_id);
            serde_json::to_string_pretty(&x).map_err(internal)? + "\n"
        }
    };
    emit(&text, a.output.as_deref())
}
