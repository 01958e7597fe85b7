//! A self-contained HTML report of a footprint (no scripts, no external files): method,
//! results per element, factors and their sources, and an inline SVG bar chart by element.

use std::fmt::Write as _;

use crate::chain::{Element, Footprint};

/// A source cited in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRef {
    /// Source id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// URL (may be empty).
    pub url: String,
    /// Date.
    pub date: String,
}

/// What the report says about itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportMeta {
    /// Title (`Urumqi → Baku, 2xFEU`).
    pub title: String,
    /// Data the factors came from (`corridor-eurasia 2026.11.0, hash …`).
    pub data: String,
    /// Code (`corridor 0.1.0`).
    pub generator: String,
    /// Sources of the factors used.
    pub sources: Vec<SourceRef>,
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn num(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x);
    let (int, frac) = match s.split_once('.') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (s.clone(), None),
    };
    let neg = int.starts_with('-');
    let digits: &str = int.trim_start_matches('-');
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    let mut r = if neg { format!("-{out}") } else { out };
    if let Some(f) = frac {
        r.push('.');
        r.push_str(&f);
    }
    r
}

fn opt(x: Option<f64>, d: usize) -> String {
    x.map(|v| num(v, d)).unwrap_or_else(|| "n/a".into())
}

/// The bar chart of WTW CO2e by element, as an inline SVG (TTW dark, WTT light, hubs and
/// unsplit values grey; null values marked "n/a").
pub fn svg_chart(fp: &Footprint) -> String {
    let rows: Vec<&Element> = fp.elements.iter().collect();
    let max = rows
        .iter()
        .filter_map(|e| e.co2e_kg())
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let bar_h = 22.0;
    let label_w = 300.0;
    let chart_w = 420.0;
    let h = 30.0 + rows.len() as f64 * (bar_h + 8.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="CO2e by element" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#,
        w = label_w + chart_w + 110.0,
        h = h
    );
    let _ = write!(
        s,
        r##"<text x="0" y="14" font-weight="bold">kg CO2e (well-to-wheel) by element</text><rect x="{x}" y="4" width="10" height="10" fill="#2f5d8a"/><text x="{x2}" y="14">TTW</text><rect x="{x3}" y="4" width="10" height="10" fill="#8fb3d9"/><text x="{x4}" y="14">WTT</text><rect x="{x5}" y="4" width="10" height="10" fill="#9a9a9a"/><text x="{x6}" y="14">not split</text>"##,
        x = label_w,
        x2 = label_w + 14.0,
        x3 = label_w + 50.0,
        x4 = label_w + 64.0,
        x5 = label_w + 100.0,
        x6 = label_w + 114.0,
    );
    for (i, e) in rows.iter().enumerate() {
        let y = 26.0 + i as f64 * (bar_h + 8.0);
        let label: String = e.label().chars().take(46).collect();
        let _ = write!(
            s,
            r#"<text x="0" y="{ty}">{}</text>"#,
            esc(&label),
            ty = y + bar_h * 0.7
        );
        let (wtw, ttw, wtt) = match e {
            Element::Leg { result, .. } => (result.co2e_kg, result.co2e_ttw_kg, result.co2e_wtt_kg),
            Element::Hub { result, .. } => (result.co2e_kg, result.co2e_ttw_kg, result.co2e_wtt_kg),
        };
        match wtw {
            None => {
                let _ = write!(
                    s,
                    r##"<text x="{x}" y="{ty}" fill="#a33">n/a (no factor)</text>"##,
                    x = label_w,
                    ty = y + bar_h * 0.7
                );
            }
            Some(v) => {
                let w = v / max * chart_w;
                match (ttw, wtt) {
                    (Some(a), Some(_b)) if v > 0.0 => {
                        let wa = a / v * w;
                        let _ = write!(
                            s,
                            r##"<rect x="{x}" y="{y}" width="{wa:.1}" height="{bar_h}" fill="#2f5d8a"/><rect x="{x2:.1}" y="{y}" width="{wb:.1}" height="{bar_h}" fill="#8fb3d9"/>"##,
                            x = label_w,
                            x2 = label_w + wa,
                            wb = (w - wa).max(0.0),
                        );
                    }
                    _ => {
                        let _ = write!(
                            s,
                            r##"<rect x="{x}" y="{y}" width="{w:.1}" height="{bar_h}" fill="#9a9a9a"/>"##,
                            x = label_w
                        );
                    }
                }
                let _ = write!(
                    s,
                    r#"<text x="{tx:.1}" y="{ty}">{}</text>"#,
                    num(v, 1),
                    tx = label_w + w + 6.0,
                    ty = y + bar_h * 0.7
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// The whole report as one HTML document: head, totals, the elements (chart and table), the
/// factors, missing factors, sources, and the method.
pub fn html(fp: &Footprint, meta: &ReportMeta) -> String {
    let mut s = String::new();
    head(&mut s, fp, meta);
    totals(&mut s, fp);
    element_table(&mut s, fp);
    factors(&mut s, fp);
    missing(&mut s, fp);
    sources(&mut s, meta);
    method(&mut s, meta);
    s
}

/// The document head, the title and the method line.
fn head(s: &mut String, fp: &Footprint, meta: &ReportMeta) {
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.4}}
table{{border-collapse:collapse;margin:1em 0;font-size:13px}}th,td{{border:1px solid #ccc;padding:3px 6px;text-align:right}}
th{{background:#eef}}td.l,th.l{{text-align:left}}.na{{color:#a33}}.small{{font-size:12px;color:#555}}
</style></head><body>
<h1>Transport emissions: {title}</h1>
<p><b>Method:</b> {method}. Default factors: {glec}. Credit: <b>{credit}</b>.</p>
"#,
        title = esc(&meta.title),
        method = esc(&fp.method),
        glec = esc(&fp.glec_version),
        credit = esc(&fp.credit),
    );
}

/// The totals: CO2e, activity, energy, intensity, the cargo and the air pollutants.
fn totals(s: &mut String, fp: &Footprint) {
    let t = &fp.totals;
    let _ = writeln!(
        s,
        "<h2>Total</h2><p><b>{} kg CO2e</b> well-to-wheel (tank-to-wheel {} kg, well-to-tank {} kg{}) · {} t·km · {} MJ energy (tank-to-wheel) · {} g CO2e/t·km · legs {} kg, hubs {} kg{}</p>",
        num(t.co2e_kg, 1),
        num(t.co2e_ttw_kg, 1),
        num(t.co2e_wtt_kg, 1),
        if t.co2e_unsplit_kg > 0.0 {
            format!(", not split {} kg", num(t.co2e_unsplit_kg, 1))
        } else {
            String::new()
        },
        num(t.tkm, 0),
        num(t.energy_mj, 0),
        opt(t.intensity_g_per_tkm, 1),
        num(t.co2e_legs_kg, 1),
        num(t.co2e_hubs_kg, 1),
        if t.complete {
            String::new()
        } else {
            " · <span class=\"na\">incomplete: some elements have no factor (not in the total)</span>".into()
        }
    );
    let _ = writeln!(
        s,
        "<p>Cargo: {} t net{}. Air pollutants (tank-to-wheel): NOx {} kg · SO2 {} kg · PM {} kg (n/a = no public factor for some leg; never counted as 0).</p>",
        num(fp.shipment.net_t, 1),
        if fp.shipment.teu > 0.0 {
            format!(", {} TEU", num(fp.shipment.teu, 1))
        } else {
            String::new()
        },
        opt(t.nox_kg, 3),
        opt(t.so2_kg, 3),
        opt(t.pm_kg, 3),
    );
}

/// The chart and the table of elements (legs and hubs).
fn element_table(s: &mut String, fp: &Footprint) {
    s.push_str("<h2>Emissions by element</h2>\n");
    s.push_str(&svg_chart(fp));
    s.push_str("\n<table><tr><th>#</th><th class=\"l\">element</th><th>km</th><th>km used</th><th>t·km</th><th>MJ</th><th>WTW kg</th><th>TTW kg</th><th>WTT kg</th><th>g/t·km</th><th>NOx kg</th><th>SO2 kg</th><th>PM kg</th><th class=\"l\">factor</th></tr>\n");
    for e in &fp.elements {
        match e {
            Element::Leg {
                seq,
                label,
                result: r,
                ..
            } => leg_row(s, *seq, label, r),
            Element::Hub {
                seq,
                label,
                result: r,
                ..
            } => hub_row(s, *seq, label, r),
        }
    }
    s.push_str("</table>\n");
}

/// One leg's row of the element table.
fn leg_row(s: &mut String, seq: u32, label: &str, r: &crate::calc::TceResult) {
    let pol = |name: &str| {
        r.pollutants
            .iter()
            .find(|p| p.pollutant == name)
            .and_then(|p| p.kg)
    };
    let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td></tr>",
            seq + 1,
            esc(label),
            num(r.distance_km, 0),
            num(r.emission_distance_km, 0),
            num(r.tkm, 0),
            opt(r.energy_mj, 0),
            opt(r.co2e_kg, 1),
            opt(r.co2e_ttw_kg, 1),
            opt(r.co2e_wtt_kg, 1),
            opt(r.intensity_g_per_tkm, 1),
            opt(pol("nox"), 3),
            opt(pol("so2"), 3),
            opt(pol("pm"), 3),
            match &r.factor {
                Some(f) => esc(&format!("{} ({})", f.id, f.reference)),
                None => format!("<span class=\"na\">{}</span>", esc(r.missing.as_deref().unwrap_or(""))),
            }
        );
}

/// One hub's row of the element table.
fn hub_row(s: &mut String, seq: u32, label: &str, r: &crate::hoc::HocResult) {
    let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"l\">{}</td><td></td><td></td><td></td><td></td><td>{}</td><td>{}</td><td>{}</td><td></td><td></td><td></td><td></td><td class=\"l\">{}</td></tr>",
            seq + 1,
            esc(label),
            opt(r.co2e_kg, 1),
            opt(r.co2e_ttw_kg, 1),
            opt(r.co2e_wtt_kg, 1),
            match &r.factor {
                Some(f) => esc(&format!("{} ({}; {} {} per {})", f.id, f.reference, opt(f.wtw, 2), "kg", f.basis)),
                None => format!("<span class=\"na\">{}</span>", esc(r.missing.as_deref().unwrap_or(""))),
            }
        );
}

/// The factors and adjustments of each leg.
fn factors(s: &mut String, fp: &Footprint) {
    s.push_str("<h2>Factors and adjustments</h2>\n<ul>\n");
    for e in &fp.elements {
        if let Element::Leg {
            label, result: r, ..
        } = e
        {
            if let Some(f) = &r.factor {
                let _ = write!(
                    s,
                    "<li><b>{}</b>: {} — {} g CO2e WTW / {} g TTW / {} g WTT per {}{}; load factor {}, empty running {}; {}; source {}.",
                    esc(label),
                    esc(&f.description),
                    opt(f.wtw, 2),
                    opt(f.ttw, 2),
                    opt(f.wtt, 2),
                    esc(&f.basis),
                    if f.multiplier != 1.0 { format!(" × {:.4}", f.multiplier) } else { String::new() },
                    opt(f.load_factor, 2),
                    opt(f.empty_running, 2),
                    esc(&f.reference),
                    esc(&f.source)
                );
                for a in &f.adjustments {
                    let _ = write!(s, " {}.", esc(a));
                }
                for g in &r.grid {
                    let _ = write!(
                        s,
                        " Grid {}: {} g CO2e/kWh ({}, source {}), share {:.2}.",
                        esc(&g.country),
                        opt(g.g_per_kwh, 1),
                        g.year.map(|y| y.to_string()).unwrap_or_default(),
                        esc(g.source.as_deref().unwrap_or("none")),
                        g.share
                    );
                }
                s.push_str("</li>\n");
            }
        }
    }
    s.push_str("</ul>\n");
}

/// The elements without a factor, if any.
fn missing(s: &mut String, fp: &Footprint) {
    let t = &fp.totals;
    if !t.missing.is_empty() {
        s.push_str("<h2>Missing factors</h2><ul>\n");
        for m in &t.missing {
            let _ = writeln!(s, "<li class=\"na\">{}</li>", esc(m));
        }
        s.push_str("</ul>\n");
    }
}

/// The sources of the factors.
fn sources(s: &mut String, meta: &ReportMeta) {
    s.push_str("<h2>Sources</h2><ul>\n");
    for src in &meta.sources {
        let _ = writeln!(
            s,
            "<li><b>{}</b>: {}, {} ({}){}</li>",
            esc(&src.id),
            esc(&src.title),
            esc(&src.publisher),
            esc(&src.date),
            if src.url.is_empty() {
                String::new()
            } else {
                format!(" — {}", esc(&src.url))
            }
        );
    }
    s.push_str("</ul>\n");
}

/// The method and its limitations, and what made the report.
fn method(s: &mut String, meta: &ReportMeta) {
    let _ = write!(
        s,
        "<h2>Method and limitations</h2>\n<p class=\"small\">Per ISO 14083:2023 and the GLEC Framework v3.1: each leg is a transport chain element; emissions = transport activity (net tonne-km, or TEU-km for container ships) × the default intensity of its vehicle class and energy carrier. Well-to-wheel = tank-to-wheel + well-to-tank. Sea: the Clean Cargo end-user container factors already include the +15% actual-vs-shortest-feasible distance correction and are applied to port-to-port distance; other ship factors get ×1.15. Air: great-circle distance + 95 km. Electric rail: kWh per tonne-km × the grid factor of the country the leg runs in (a leg in several countries is split evenly). Ro-Pax factors are per gross (vehicle + cargo) tonne-km and are reallocated to cargo. Hubs: GLEC v3.1 hub defaults per tonne or per container handled (published as WTW only). Default (modelled) data, not primary data; values carry GLEC's stated uncertainty (air ±50%). Non-CO2 effects of aviation are excluded, as in ISO 14083. {licence}</p>\n<p class=\"small\">Data: {data} · {gen}</p>\n</body></html>\n",
        licence = esc(crate::GLEC_LICENCE),
        data = esc(&meta.data),
        gen = esc(&meta.generator),
    );
}
