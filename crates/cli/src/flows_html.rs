//! The self-contained HTML report of `corridor assign --format html`: the bottleneck list with
//! V/C bars and sources, the flows by corridor as bars, the convergence as a line of the
//! relative gap per iteration (log scale), and the OD pairs; inline SVG, no script, no
//! external resource.

use std::fmt::Write as _;

use corridor_engine::flows::FlowAnswer;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn vc_colour(vc: f64) -> &'static str {
    match vc {
        v if v < 0.5 => "#2e7d32",
        v if v < 0.8 => "#f9a825",
        v if v < 1.0 => "#ef6c00",
        _ => "#b71c1c",
    }
}

/// Horizontal bars: (label, value, colour, text after the bar), scaled to the largest value.
fn bars(rows: &[(String, f64, &str, String)], marker: Option<f64>) -> String {
    let (w, label_w, row_h) = (900.0, 380.0, 22.0);
    let max = rows
        .iter()
        .map(|r| r.1)
        .chain(marker)
        .fold(1e-9_f64, f64::max);
    let scale = (w - label_w - 200.0) / max;
    let h = row_h * rows.len() as f64 + 10.0;
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, v, colour, after)) in rows.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text><rect x=\"{label_w}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{}</text>",
            label_w - 6.0,
            y + 14.0,
            esc(label),
            y + 3.0,
            (v * scale).max(0.5),
            row_h - 6.0,
            label_w + v * scale + 6.0,
            y + 14.0,
            esc(after)
        );
    }
    if let Some(m) = marker {
        let x = label_w + m * scale;
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"0\" x2=\"{x:.1}\" y2=\"{h}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\">V/C 1</text>",
            x + 3.0,
            h - 2.0
        );
    }
    s.push_str("</svg>");
    s
}

/// The relative gap per iteration, log10 scale.
fn convergence(gaps: &[f64]) -> String {
    let (w, h, pad) = (600.0, 220.0, 40.0);
    let logs: Vec<f64> = gaps.iter().map(|g| g.max(1e-16).log10()).collect();
    let (lo, hi) = logs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo.floor(), hi.ceil())
    } else {
        (-10.0, 0.0)
    };
    let n = logs.len().max(2) as f64 - 1.0;
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / n;
    let y = |v: f64| pad / 2.0 + (h - 1.5 * pad) * (hi - v) / (hi - lo);
    let mut s = format!("<svg viewBox=\"0 0 {w} {h}\" width=\"600\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">");
    let mut e = lo as i32;
    while e <= hi as i32 {
        let yy = y(f64::from(e));
        let _ = write!(s, "<line x1=\"{pad}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#ddd\"/><text x=\"2\" y=\"{:.1}\" font-size=\"10\">1e{e}</text>", w - pad, yy + 3.0);
        e += 1;
    }
    let pts: Vec<String> = logs
        .iter()
        .enumerate()
        .map(|(i, &v)| format!("{:.1},{:.1}", x(i), y(v)))
        .collect();
    let _ = write!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">iteration {}</text></svg>",
        pts.join(" "),
        w - pad,
        h - 4.0,
        gaps.len()
    );
    s
}

/// The report.
pub fn html(a: &FlowAnswer) -> String {
    let q = &a.query;
    let c = &a.convergence;
    let mut s = String::from("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>corridor assign: flows and bottlenecks</title><style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:1100px}table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap}.src{color:#555;font-size:12px}</style></head><body>");
    let _ = write!(
        s,
        "<h1>Flows and bottlenecks</h1><p>Demand {:.0} TEU/year ({} rows from {}, × {}){}; {} by {}: relative gap {:.2e} after {} iteration(s){}; value of time {} USD per TEU-hour. Method: docs/flows.md.</p>",
        a.demand_teu_per_year,
        q.demand_rows,
        esc(&q.demand_from),
        q.demand_factor,
        if q.planned { ", planned capacities" } else { "" },
        q.objective.replace('_', " "),
        q.algorithm.replace('_', " "),
        c.relative_gap,
        c.iterations,
        if c.converged { "" } else { " — <strong>not converged</strong>" },
        q.value_of_time_usd_per_teu_h
    );
    s.push_str("<h2>Volume / capacity</h2>");
    let rows: Vec<(String, f64, &str, String)> = a
        .capacities
        .iter()
        .map(|b| {
            (
                b.name.clone(),
                b.vc,
                vc_colour(b.vc),
                format!("{:.2} ({:.0} TEU/yr)", b.vc, b.load_teu_per_year),
            )
        })
        .collect();
    s.push_str(&bars(&rows, Some(1.0)));
    s.push_str("<h2>Bottlenecks and their capacity figures</h2><table><thead><tr><th>#</th><th>what</th><th>V/C</th><th>TEU/yr</th><th>trains/day</th><th>capacity TEU/yr</th><th>delay h</th><th>capacity as published, conversion, source</th></tr></thead><tbody>");
    for b in &a.capacities {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}{}</td><td class=\"n\">{:.2}</td><td class=\"n\">{:.0}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.0}</td><td class=\"n\">{:.1}</td><td class=\"src\">{} — {}<br>{}{}</td></tr>",
            b.rank,
            esc(&b.name),
            if b.planned { " (planned)" } else { "" },
            b.vc,
            b.load_teu_per_year,
            b.load_trains_per_day,
            b.capacity_teu_per_year,
            b.delay_h,
            esc(&b.figure),
            esc(&b.conversion),
            esc(&b.source),
            if b.note.is_empty() { String::new() } else { format!("<br>{}", esc(&b.note)) }
        );
    }
    s.push_str("</tbody></table><h2>Flows by corridor</h2>");
    let rows: Vec<(String, f64, &str, String)> = a
        .corridors
        .iter()
        .take(15)
        .map(|f| {
            (
                f.corridor.clone(),
                f.teu_per_year,
                "#1565c0",
                format!("{:.0} TEU/yr ({:.1}%)", f.teu_per_year, f.share * 100.0),
            )
        })
        .collect();
    s.push_str(&bars(&rows, None));
    s.push_str("<h2>OD pairs</h2><table><thead><tr><th>row</th><th>from</th><th>to</th><th>TEU/yr</th><th>USD/TEU free flow</th><th>USD/TEU loaded</th><th>delay h</th></tr></thead><tbody>");
    for o in &a.od {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.0}</td><td class=\"n\">{:.0}</td><td class=\"n\">{:.0}</td><td class=\"n\">{:.1}</td></tr>",
            esc(&o.id),
            esc(&o.from),
            esc(&o.to),
            o.teu_per_year,
            o.free_cost_usd,
            o.cost_usd,
            o.delay_h
        );
    }
    s.push_str("</tbody></table><h2>Convergence</h2>");
    s.push_str(&convergence(&c.gaps));
    if !a.warnings.is_empty() {
        s.push_str("<h2>Notes</h2><ul>");
        for w in &a.warnings {
            let _ = write!(s, "<li>{}</li>", esc(w));
        }
        s.push_str("</ul>");
    }
    s.push_str("<p class=\"src\">Capacity and demand figures: data/default/capacity.csv and demand.csv with their sources (sources.csv); docs/capacity-data.md.</p></body></html>\n");
    s
}
