//! The self-contained HTML report of `corridor compare --format html`: a table per lane and
//! an inline SVG bar chart of the transit-time deltas (no script, no external resource).

use corridor_engine::compare::CompareAnswer;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn opt(x: Option<f64>, digits: usize, signed: bool) -> String {
    match (x, signed) {
        (Some(v), true) => format!("{v:+.digits$}"),
        (Some(v), false) => format!("{v:.digits$}"),
        (None, _) => "—".into(),
    }
}

/// One bar per lane and scenario: delta days (left of the axis faster, right slower; a lost
/// lane is marked).
fn chart(a: &CompareAnswer) -> String {
    let rows: Vec<(String, Option<f64>, bool)> = a
        .lanes
        .iter()
        .flat_map(|l| {
            l.scenarios.iter().map(move |s| {
                (
                    format!("{} → {} · {}", l.from, l.to, s.scenario),
                    s.delta_days,
                    s.lost_every_route,
                )
            })
        })
        .collect();
    let max = rows
        .iter()
        .filter_map(|r| r.1)
        .fold(1.0_f64, |m, v| m.max(v.abs()));
    let (label_w, bar_w, row_h) = (360.0, 400.0, 22.0);
    let mid = label_w + bar_w / 2.0;
    let h = row_h * rows.len() as f64 + 30.0;
    let mut s = format!(
        "<svg width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"transit time change per lane and scenario, days\">\n",
        w = label_w + bar_w + 80.0
    );
    s.push_str(&format!(
        "<line x1=\"{mid}\" y1=\"0\" x2=\"{mid}\" y2=\"{}\" stroke=\"#444\"/>\n",
        h - 20.0
    ));
    for (i, (label, d, lost)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>\n",
            label_w - 6.0,
            y + 13.0,
            esc(label)
        ));
        match d {
            Some(v) => {
                let len = v.abs() / max * (bar_w / 2.0);
                let x = if *v >= 0.0 { mid } else { mid - len };
                let colour = if *v > 0.0 { "#c0392b" } else { "#27ae60" };
                s.push_str(&format!(
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{len:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{v:+.1} d</text>\n",
                    row_h - 6.0,
                    mid + bar_w / 2.0 + 6.0,
                    y + 13.0
                ));
            }
            None => s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text>\n",
                mid + 6.0,
                y + 13.0,
                if *lost {
                    "loses every route"
                } else {
                    "no route"
                }
            )),
        }
    }
    s.push_str(&format!(
        "<text x=\"{mid}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">Δ transit days (scale ±{max:.1} d)</text>\n</svg>\n",
        h - 6.0
    ));
    s
}

/// The whole report.
pub fn html(a: &CompareAnswer) -> String {
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>corridor compare</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px}.lost{color:#c0392b;font-weight:bold}</style></head><body>\n<h1>Baseline against scenarios</h1>\n",
    );
    s.push_str(&format!(
        "<p>Data: {} {} (hash {}, figures as of {}); objective: {}.</p>\n<ul>\n",
        esc(&a.data.name),
        esc(&a.data.version),
        esc(&a.data.hash),
        esc(&a.data.as_of),
        esc(&a.optimize)
    ));
    for sc in &a.scenarios {
        s.push_str(&format!(
            "<li>Scenario {} (hash {})</li>\n",
            esc(&sc.name),
            esc(&sc.hash)
        ));
    }
    s.push_str("</ul>\n<h2>Transit time change</h2>\n");
    s.push_str(&chart(a));
    s.push_str("<h2>Lanes</h2>\n<table><tr><th>lane</th><th>network</th><th>days</th><th>Δ days</th><th>USD</th><th>Δ USD</th><th>kg CO2e</th><th>Δ kg CO2e</th><th>countries</th><th>crossings</th></tr>\n");
    for l in &a.lanes {
        let lane = esc(&format!("{} → {}", l.from, l.to));
        match &l.baseline {
            Some(b) => s.push_str(&format!(
                "<tr><td>{lane}</td><td>baseline</td><td>{:.1}</td><td></td><td>{:.0}</td><td></td><td>{}</td><td></td><td>{}</td><td>{}</td></tr>\n",
                b.transit_days,
                b.cost_usd,
                opt(b.co2e_kg, 0, false),
                esc(&b.countries.join("-")),
                esc(&b.crossings.join("; "))
            )),
            None => s.push_str(&format!(
                "<tr><td>{lane}</td><td>baseline</td><td colspan=\"8\">{}</td></tr>\n",
                esc(l.message.as_deref().unwrap_or(""))
            )),
        }
        for sc in &l.scenarios {
            match &sc.outcome {
                Some(o) => s.push_str(&format!(
                    "<tr><td>{lane}</td><td>{}{}</td><td>{:.1}</td><td>{}</td><td>{:.0}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    esc(&sc.scenario),
                    if sc.diverted { " (diverted)" } else { "" },
                    o.transit_days,
                    opt(sc.delta_days, 1, true),
                    o.cost_usd,
                    opt(sc.delta_cost_usd, 0, true),
                    opt(o.co2e_kg, 0, false),
                    opt(sc.delta_co2e_kg, 0, true),
                    esc(&o.countries.join("-")),
                    esc(&o.crossings.join("; "))
                )),
                None => s.push_str(&format!(
                    "<tr><td>{lane}</td><td>{}</td><td colspan=\"8\" class=\"{}\">{}</td></tr>\n",
                    esc(&sc.scenario),
                    if sc.lost_every_route { "lost" } else { "" },
                    esc(&format!(
                        "{}{}",
                        if sc.lost_every_route { "loses every route: " } else { "" },
                        sc.message.as_deref().unwrap_or("")
                    ))
                )),
            }
        }
    }
    s.push_str(&format!(
        "</table>\n<p>corridor {}</p>\n</body></html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    s
}
