//! `corridor assign [--demand FILE]`: the equilibrium assignment of a demand on the corridor
//! network (`corridor_engine::flows`): the bottleneck list with the source of every capacity,
//! the flows by corridor, the OD costs; as a table, CSV (one row per capacity), JSON or GeoJSON
//! (the loaded links). docs/flows.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use corridor_engine::flows::{AssignRequest, FlowAnswer};
use corridor_engine::Engine;
use serde_json::json;

use crate::assign_cmd::{AssignArgs, AssignFormat};
use crate::output::thousands;
use crate::{emit, Failure};

fn read_demand(path: &Path) -> Result<Vec<corridor_data::DemandRow>, Failure> {
    use corridor_data::flows::DemandFileError;
    crate::write::note_input(path);
    match corridor_data::flows::read_demand_file(path) {
        Ok((_, rows)) => Ok(rows),
        Err(DemandFileError::Unreadable(message)) => Err(Failure {
            code: 2,
            json: Some(json!({"code": "InvalidValue", "field": "demand", "message": message})),
            text: message,
        }),
        Err(DemandFileError::Invalid(problems)) => {
            let label = path.display().to_string();
            let mut text = format!("invalid demand file {label}: {} problem(s)", problems.len());
            for p in &problems {
                let _ = write!(text, "\n  {label}:{}: {}", p.line, p.message);
            }
            text.push_str(
                "\n(columns from,to,teu_per_year[,id,commodity,year,source,method]; docs/flows.md)",
            );
            Err(Failure {
                code: 4,
                json: Some(json!({
                    "code": "InvalidData",
                    "message": format!("invalid demand file {label}: {} problem(s)", problems.len()),
                    "problems": problems.iter().map(|p| json!({"file": label, "line": p.line, "message": p.message})).collect::<Vec<_>>(),
                })),
                text,
            })
        }
    }
}

/// Runs `corridor assign` on the corridor network.
pub(crate) fn run(args: AssignArgs, data: &Option<PathBuf>) -> Result<(), Failure> {
    let ds = crate::scenario_args::load_with(data, &args.scenario)?;
    let (demand, from) = match &args.demand {
        Some(p) => (Some(read_demand(p)?), p.display().to_string()),
        None => (None, "demand.csv of the data".to_string()),
    };
    let engine = Engine::new(ds);
    let req = AssignRequest {
        demand,
        demand_factor: args.demand_factor,
        planned: args.planned,
        avoid: args.avoid.clone(),
        vot: args.value_of_time,
        algorithm: args.algorithm(),
        objective: args.objective(),
        gap: args.gap,
        max_iter: args.max_iter,
    };
    let show = !args.quiet && args.format == AssignFormat::Table;
    let bar = crate::physical_cmd::progress_bar(1000, "gap", show);
    let log_target = args.gap.max(1e-300).log10();
    let mut first: Option<f64> = None;
    let mut progress = |_: usize, gap: f64| {
        let g = gap.max(1e-300).log10();
        let g0 = *first.get_or_insert(g);
        if g0 > log_target {
            bar.set_position((((g0 - g) / (g0 - log_target)).clamp(0.0, 1.0) * 1000.0) as u64);
        }
        bar.set_message(format!("{gap:.2e}"));
    };
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        if n == 0 {
            let message = "--threads must be at least 1".to_string();
            return Err(Failure {
                code: 2,
                json: Some(json!({"code": "InvalidValue", "field": "threads", "message": message})),
                text: message,
            });
        }
        builder = builder.num_threads(n);
    }
    let pool = builder.build().map_err(crate::internal)?;
    let result = pool.install(|| engine.assign_flows(&req, &from, &mut progress));
    bar.finish_and_clear();
    let mut a = result?;
    if !args.scenario.is_empty() {
        a.warnings
            .push(format!("scenarios applied: {}", args.scenario.join(", ")));
    }
    let baseline = if args.compare {
        let base = if args.scenario.is_empty() {
            engine
        } else {
            Engine::new(crate::scenario_args::load_with(data, &[])?)
        };
        let breq = req.baseline();
        Some(base.assign_flows(&breq, &from, &mut |_, _| {})?)
    } else {
        None
    };
    let cmp = baseline
        .as_ref()
        .map(|b| corridor_engine::flows::compare(b, &a));
    let text = match (args.format, &baseline, &cmp) {
        (AssignFormat::Json, Some(b), Some(c)) => {
            serde_json::to_string_pretty(&json!({"run": a, "baseline": b, "comparison": c}))
                .map_err(crate::internal)?
                + "\n"
        }
        (AssignFormat::Json, _, _) => {
            serde_json::to_string_pretty(&a).map_err(crate::internal)? + "\n"
        }
        (AssignFormat::Csv, _, _) => csv(&a)?,
        (AssignFormat::Html, _, _) => crate::flows_html::html(&a),
        (AssignFormat::Geojson, _, _) => {
            serde_json::to_string(&geojson(&a)).map_err(crate::internal)? + "\n"
        }
        (AssignFormat::Table, _, c) => {
            let mut t = table(&a);
            if let Some(c) = c {
                t.push_str(&comparison(c));
            }
            t
        }
    };
    emit(&text, args.output.as_deref())
}

fn comparison(c: &corridor_engine::flows::FlowComparison) -> String {
    let mut s =
        String::from("\nagainst the baseline (no scenario, demand × 1, operating capacities):\n");
    let vc = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.2}"));
    let _ = writeln!(s, "  capacities, largest rise of V/C first:");
    for x in c.capacities.iter().take(10) {
        let _ = writeln!(
            s,
            "    {:<52} V/C {:>5} → {:>5}  {:>12} TEU/yr",
            x.name.chars().take(52).collect::<String>(),
            vc(x.vc_baseline),
            vc(x.vc),
            signed(x.load_change_teu_per_year)
        );
    }
    if !c.newly_saturated.is_empty() {
        let _ = writeln!(
            s,
            "  saturated now (V/C ≥ 0.8), not in the baseline: {}",
            c.newly_saturated.join("; ")
        );
    }
    let _ = writeln!(s, "  corridors, largest change first (TEU/year):");
    for x in c.corridors.iter().take(10) {
        let _ = writeln!(
            s,
            "    {:>11} → {:>11}  {}",
            thousands(x.baseline_teu_per_year),
            thousands(x.teu_per_year),
            x.corridor
        );
    }
    let _ = writeln!(
        s,
        "  total generalised cost {} USD/year",
        signed(c.total_cost_change_usd_per_year)
    );
    s
}

fn csv(a: &FlowAnswer) -> Result<String, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "rank",
        "id",
        "name",
        "element",
        "target",
        "direction",
        "load_teu_per_year",
        "load_trains_per_day",
        "capacity_teu_per_year",
        "vc",
        "delay_h",
        "delay_teu_h_per_year",
        "planned",
        "figure",
        "conversion",
        "source",
        "note",
    ])
    .map_err(crate::internal)?;
    for c in &a.capacities {
        w.write_record([
            c.rank.to_string(),
            c.id.clone(),
            c.name.clone(),
            c.element.clone(),
            c.target.clone(),
            c.direction.clone(),
            format!("{:.1}", c.load_teu_per_year),
            format!("{:.2}", c.load_trains_per_day),
            format!("{:.0}", c.capacity_teu_per_year),
            format!("{:.4}", c.vc),
            format!("{:.2}", c.delay_h),
            format!("{:.0}", c.delay_teu_h_per_year),
            c.planned.to_string(),
            c.figure.clone(),
            c.conversion.clone(),
            c.source.clone(),
            c.note.clone(),
        ])
        .map_err(crate::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(crate::internal)?).map_err(crate::internal)
}

/// The loaded links as GeoJSON lines (their measured geometry where the data has one, else
/// their waypoints), with the loads as properties.
fn geojson(a: &FlowAnswer) -> serde_json::Value {
    json!({
        "type": "FeatureCollection",
        "features": a.links.iter().map(|l| json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": l.geometry},
            "properties": {
                "link": l.link, "from": l.from, "to": l.to, "mode": l.mode,
                "teu_per_year": l.teu_per_year, "trains_per_day": l.trains_per_day,
                "capacity_teu_per_year": l.capacity_teu_per_year, "vc": l.vc,
            },
        })).collect::<Vec<_>>(),
        "properties": {
            "demand_teu_per_year": a.demand_teu_per_year,
            "attribution": "corridor network data: see sources.csv; place coordinates partly © OpenStreetMap contributors (ODbL)",
        },
    })
}

fn signed(x: f64) -> String {
    if x >= 0.0 {
        format!("+{}", thousands(x))
    } else {
        thousands(x)
    }
}

fn table(a: &FlowAnswer) -> String {
    let q = &a.query;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "demand: {} rows ({}), {} TEU/year{}",
        q.demand_rows,
        q.demand_from,
        thousands(a.demand_teu_per_year),
        if q.demand_factor != 1.0 {
            format!(" (× {})", q.demand_factor)
        } else {
            String::new()
        }
    );
    let c = &a.convergence;
    let _ = writeln!(
        s,
        "{} by {}: relative gap {:.2e} after {} iteration(s) in {:.2} s{}; value of time {} USD per TEU-hour{}",
        q.objective.replace('_', " "),
        q.algorithm.replace('_', " "),
        c.relative_gap,
        c.iterations,
        c.seconds,
        if c.converged { String::new() } else { format!(" — NOT converged (target {:.0e}: raise --max-iter)", q.gap) },
        q.value_of_time_usd_per_teu_h,
        if q.planned { "; planned capacities on" } else { "" }
    );
    let _ = writeln!(
        s,
        "\nbottlenecks (V/C ≥ 0.8 of {} capacities in the data), most saturated first:",
        a.capacities.len()
    );
    if a.bottlenecks.is_empty() {
        let _ = writeln!(s, "  none; the most loaded:");
    }
    let list = if a.bottlenecks.is_empty() {
        &a.capacities[..a.capacities.len().min(5)]
    } else {
        &a.bottlenecks[..]
    };
    let _ = writeln!(
        s,
        "{:>3}  {:<52} {:>11} {:>7} {:>11} {:>6} {:>8}",
        "#", "what", "TEU/year", "trn/day", "capacity", "V/C", "delay h"
    );
    for b in list {
        let name: String = b.name.chars().take(52).collect();
        let _ = writeln!(
            s,
            "{:>3}  {:<52} {:>11} {:>7.1} {:>11} {:>6.2} {:>8.1}{}",
            b.rank,
            name,
            thousands(b.load_teu_per_year),
            b.load_trains_per_day,
            thousands(b.capacity_teu_per_year),
            b.vc,
            b.delay_h,
            if b.planned { "  (planned)" } else { "" }
        );
        let _ = writeln!(s, "       capacity: {} — {}", b.figure, b.conversion);
        if let Some(n) = b.capacity_needed_teu_per_year {
            let _ = writeln!(
                s,
                "       needed for V/C 0.8 at this load: {} TEU/year",
                thousands(n)
            );
        }
        let _ = writeln!(s, "       source: {}", b.source);
    }
    let _ = writeln!(s, "\nflows by corridor:");
    for f in a.corridors.iter().take(10) {
        let _ = writeln!(
            s,
            "  {:>11} TEU/year {:>5.1}%  {}",
            thousands(f.teu_per_year),
            f.share * 100.0,
            f.corridor
        );
    }
    let _ = writeln!(
        s,
        "\nOD pairs (generalised cost per TEU: price + value of time × hours):"
    );
    for o in a.od.iter().take(40) {
        let _ = writeln!(
            s,
            "  {:<28} → {:<28} {:>9} TEU/yr  {:>7} → {:>7} USD  +{:.1} h",
            o.from.chars().take(28).collect::<String>(),
            o.to.chars().take(28).collect::<String>(),
            thousands(o.teu_per_year),
            thousands(o.free_cost_usd),
            thousands(o.cost_usd),
            o.delay_h
        );
    }
    for w in &a.warnings {
        let _ = writeln!(s, "\nnote: {w}");
    }
    let _ = writeln!(
        s,
        "\n(every capacity with its source: --format csv; loads on a map: --format geojson; all: --format json)"
    );
    s
}
