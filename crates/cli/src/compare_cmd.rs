//! `corridor compare`: the baseline against each `--scenario`, lane by lane (the logic is
//! `corridor_engine::compare`; this parses the arguments and prints a table, CSV, JSON or a
//! self-contained HTML report with an inline SVG chart of the deltas).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use corridor_engine::compare::{compare, CompareAnswer, LaneOutcome};
use corridor_engine::{Engine, QueryError, TableRequest};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::{emit, internal, load, scenario_args, serve_cmd::read_pairs, Failure};

/// Output formats of `corridor compare`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// Human-readable table.
    Table,
    /// CSV, one row per lane and scenario.
    Csv,
    /// JSON (`CompareAnswer`, the /v1/compare answer).
    Json,
    /// Self-contained HTML report with an SVG chart of the deltas (no external resources).
    Html,
}

/// Arguments of `corridor compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// CSV of lanes with a header row `from,to`.
    #[arg(long, value_name = "FILE")]
    pairs: Option<PathBuf>,
    /// Origins, destinations and the options for every lane (as `corridor table`); each
    /// `--scenario` (shipped name or TOML file) is compared with the baseline on its own.
    #[command(flatten)]
    req: TableRequest,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    format: CompareFormat,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

impl CompareArgs {
    /// Whether errors go out as JSON.
    pub fn wants_json(&self) -> bool {
        self.format == CompareFormat::Json
    }
}

/// Runs `corridor compare`.
pub fn run(a: CompareArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    let base_ds = load(data)?;
    if a.req.scenario.is_empty() {
        return Err(QueryError::InvalidQuery {
            message:
                "no scenario: give --scenario NAME|FILE (repeatable) to compare with the baseline"
                    .into(),
        }
        .into());
    }
    let scenarios = scenario_args::read(&a.req.scenario)?;
    let mut engines = Vec::with_capacity(scenarios.len());
    for s in &scenarios {
        engines.push(Engine::new(scenario_args::apply(
            &base_ds,
            std::slice::from_ref(s),
        )?));
    }
    let base = Engine::new(base_ds);
    let pairs = match &a.pairs {
        Some(p) => read_pairs(p)?,
        None => vec![],
    };
    let req = TableRequest { pairs, ..a.req };
    let n = req.lanes()?.len();
    if n == 0 {
        return Err(QueryError::InvalidQuery {
            message: "no lanes: give --pairs FILE or --from A --to B".into(),
        }
        .into());
    }
    let bar = ProgressBar::new(n as u64);
    if n > 10 && std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} lanes, eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let variants: Vec<&Engine> = engines.iter().collect();
    let answer = compare(&base, &variants, &req, |done, _| {
        bar.set_position(done as u64)
    });
    bar.finish_and_clear();
    let answer = answer?;
    let text = match a.format {
        CompareFormat::Json => serde_json::to_string_pretty(&answer).map_err(internal)? + "\n",
        CompareFormat::Csv => csv_text(&answer).map_err(internal)?,
        CompareFormat::Table => table(&answer),
        CompareFormat::Html => crate::compare_html::html(&answer),
    };
    emit(&text, a.output.as_deref())
}

fn num(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}")).unwrap_or_default()
}

fn corridor(o: Option<&LaneOutcome>) -> String {
    o.map(|o| o.countries.join("-")).unwrap_or_default()
}

fn crossings(o: Option<&LaneOutcome>) -> String {
    o.map(|o| o.crossings.join("; ")).unwrap_or_default()
}

/// One row per lane and scenario.
pub(crate) fn csv_text(a: &CompareAnswer) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "from",
        "to",
        "scenario",
        "base_days",
        "scenario_days",
        "delta_days",
        "base_cost_usd",
        "scenario_cost_usd",
        "delta_cost_usd",
        "base_co2e_kg",
        "scenario_co2e_kg",
        "delta_co2e_kg",
        "diverted",
        "lost_every_route",
        "base_countries",
        "scenario_countries",
        "base_crossings",
        "scenario_crossings",
        "error",
    ])?;
    for l in &a.lanes {
        let b = l.baseline.as_ref();
        for s in &l.scenarios {
            let o = s.outcome.as_ref();
            w.write_record([
                l.from.clone(),
                l.to.clone(),
                s.scenario.clone(),
                num(b.map(|b| b.transit_days), 2),
                num(o.map(|o| o.transit_days), 2),
                num(s.delta_days, 2),
                num(b.map(|b| b.cost_usd), 0),
                num(o.map(|o| o.cost_usd), 0),
                num(s.delta_cost_usd, 0),
                num(b.and_then(|b| b.co2e_kg), 1),
                num(o.and_then(|o| o.co2e_kg), 1),
                num(s.delta_co2e_kg, 1),
                s.diverted.to_string(),
                s.lost_every_route.to_string(),
                corridor(b),
                corridor(o),
                crossings(b),
                crossings(o),
                l.error
                    .clone()
                    .or_else(|| s.error.clone())
                    .unwrap_or_default(),
            ])?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn signed(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) => format!("{v:+.digits$}"),
        None => "—".into(),
    }
}

/// The comparison for people.
fn table(a: &CompareAnswer) -> String {
    let mut s = String::new();
    for l in &a.lanes {
        s.push_str(&format!(
            "{} → {} (optimise {})\n",
            l.from, l.to, a.optimize
        ));
        match &l.baseline {
            Some(b) => s.push_str(&format!(
                "  baseline: {:.1} d, USD {:.0}, {} kg CO2e · {}\n    {}\n",
                b.transit_days,
                b.cost_usd,
                num(b.co2e_kg, 0),
                b.countries.join("-"),
                b.crossings.join("; ")
            )),
            None => s.push_str(&format!(
                "  baseline: {}\n",
                l.message.clone().unwrap_or_default()
            )),
        }
        for sc in &l.scenarios {
            match &sc.outcome {
                Some(o) => s.push_str(&format!(
                    "  {}: {:.1} d ({} d), USD {:.0} ({}), {} kg CO2e ({}){}\n    {}\n",
                    sc.scenario,
                    o.transit_days,
                    signed(sc.delta_days, 1),
                    o.cost_usd,
                    signed(sc.delta_cost_usd, 0),
                    num(o.co2e_kg, 0),
                    signed(sc.delta_co2e_kg, 0),
                    if sc.diverted {
                        format!(" · DIVERTED via {}", o.countries.join("-"))
                    } else {
                        String::new()
                    },
                    o.crossings.join("; ")
                )),
                None => s.push_str(&format!(
                    "  {}: {}{}\n",
                    sc.scenario,
                    if sc.lost_every_route {
                        "LOSES EVERY ROUTE: "
                    } else {
                        ""
                    },
                    sc.message.clone().unwrap_or_default()
                )),
            }
        }
    }
    s.push_str(&format!(
        "\nData: {} {} (hash {}, figures as of {})\n",
        a.data.name, a.data.version, a.data.hash, a.data.as_of
    ));
    for sc in &a.scenarios {
        s.push_str(&format!("Scenario: {} (hash {})\n", sc.name, sc.hash));
    }
    s
}
