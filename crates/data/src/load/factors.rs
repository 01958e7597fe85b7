//! Rows of the factor files: currency rates, emission factors, grid, hub and pollutant factors,
//! traction per rail link.

use super::reader::{FromRow, Row};
use crate::model::*;
use crate::traction::{Traction, TractionKind};

impl FromRow for Fx {
    const FILE: &'static str = "fx.csv";
    const REQUIRED: &'static [&'static str] = &["currency", "usd_per_unit", "year", "source"];
    const OPTIONAL: &'static [&'static str] = &[];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let currency = row.req_str("currency");
        let usd = row.req_f64("usd_per_unit");
        if usd <= 0.0 && row.ok {
            row.problem(format!("usd_per_unit must be > 0, got {usd}"));
        }
        let year = row.raw("year").parse::<i32>().unwrap_or_else(|_| {
            row.problem("year is not a year".into());
            0
        });
        let source = row.req_str("source");
        Some(Fx {
            currency,
            usd_per_unit: usd,
            year,
            source,
            line: row.line,
        })
    }
}

impl FromRow for EmissionFactor {
    const FILE: &'static str = "emission_factors.csv";
    const REQUIRED: &'static [&'static str] =
        &["id", "mode", "basis", "wtw", "ttw", "wtt", "source"];
    const OPTIONAL: &'static [&'static str] = &[
        "description",
        "default_for",
        "note",
        "vehicle",
        "energy_carrier",
        "energy_mj",
        "kwh",
        "load_factor",
        "empty_running",
        "daf",
        "daf_km",
        "gross_to_net",
        "reference",
    ];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let id = row.req_str("id");
        let mode = row.enum_req(
            "mode",
            Mode::parse,
            "road, rail, sea, ferry, iww, air, pipeline, border",
        );
        let basis = row.enum_req(
            "basis",
            |s| match s {
                "tkm" => Some(EmissionBasis::Tkm),
                "teu_km" => Some(EmissionBasis::TeuKm),
                _ => None,
            },
            "tkm, teu_km",
        );
        let wtw = row.opt_f64("wtw");
        let wtw = row.nonneg("wtw", wtw);
        let ttw = row.opt_f64("ttw");
        let ttw = row.nonneg("ttw", ttw);
        let wtt = row.opt_f64("wtt");
        let wtt = row.nonneg("wtt", wtt);
        let default_for = match row.opt_str("default_for") {
            None => None,
            Some(m) => {
                let parsed = Mode::parse(&m);
                if parsed.is_none() {
                    row.problem(format!("default_for '{m}' is not a mode"));
                }
                parsed
            }
        };
        let description = row.raw("description").to_string();
        let source = row.req_str("source");
        let note = row.raw("note").to_string();
        let vehicle = row.opt_str("vehicle");
        let energy_carrier = row.opt_str("energy_carrier");
        if let Some(c) = &energy_carrier {
            if !ENERGY_CARRIERS.contains(&c.as_str()) {
                row.problem(format!(
                    "energy_carrier '{c}' is not one of {}",
                    ENERGY_CARRIERS.join(", ")
                ));
            }
        }
        let energy_mj = row.opt_f64("energy_mj");
        let energy_mj = row.nonneg("energy_mj", energy_mj);
        let kwh = row.opt_f64("kwh");
        let kwh = row.nonneg("kwh", kwh);
        if kwh.is_some() && energy_carrier.as_deref() != Some("electricity") {
            row.problem("kwh is given but energy_carrier is not electricity".into());
        }
        if kwh.is_some() && wtw.is_some() {
            row.problem(
                    "give either wtw or kwh (electricity: the CO2e follows from the country's grid factor), not both"
                        .into(),
                );
        }
        let load_factor = row.opt_f64("load_factor");
        if let Some(lf) = load_factor {
            if !(lf > 0.0 && lf <= 1.0) {
                row.problem(format!("load_factor {lf} is not in (0, 1]"));
            }
        }
        let empty_running = row.opt_f64("empty_running");
        if let Some(er) = empty_running {
            if !(0.0..1.0).contains(&er) {
                row.problem(format!("empty_running {er} is not in [0, 1)"));
            }
        }
        let daf = row.opt_f64("daf");
        if let Some(d) = daf {
            if !(1.0..=2.0).contains(&d) {
                row.problem(format!("daf {d} is not in [1, 2] (a distance multiplier)"));
            }
        }
        let daf_km = row.opt_f64("daf_km");
        let daf_km = row.nonneg("daf_km", daf_km);
        let gross_to_net = row.opt_f64("gross_to_net");
        if let Some(g) = gross_to_net {
            if g < 1.0 {
                row.problem(format!("gross_to_net {g} is below 1 (gross ≥ net)"));
            }
        }
        let reference = row.raw("reference").to_string();
        let (Some(mode), Some(basis)) = (mode, basis) else {
            return None;
        };
        Some(EmissionFactor {
            id,
            mode,
            description,
            basis,
            wtw,
            ttw,
            wtt,
            default_for,
            vehicle,
            energy_carrier,
            energy_mj,
            kwh,
            load_factor,
            empty_running,
            daf,
            daf_km,
            gross_to_net,
            reference,
            source,
            note,
            line: row.line,
        })
    }
}

impl FromRow for GridFactor {
    const FILE: &'static str = "grid_factors.csv";
    const REQUIRED: &'static [&'static str] = &["country", "g_per_kwh", "year", "source"];
    const OPTIONAL: &'static [&'static str] = &["note"];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let country = row.req_str("country");
        if !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())) {
            row.problem(format!(
                "country '{country}' is not an ISO 3166-1 alpha-2 code"
            ));
        }
        let g = row.req_f64("g_per_kwh");
        let g = row.nonneg("g_per_kwh", Some(g)).unwrap_or(0.0);
        let year = row.raw("year").parse::<i32>().unwrap_or_else(|_| {
            row.problem("year is not a year".into());
            0
        });
        let source = row.req_str("source");
        let note = row.raw("note").to_string();
        Some(GridFactor {
            country,
            g_per_kwh: g,
            year,
            source,
            note,
            line: row.line,
        })
    }
}

impl FromRow for HubFactor {
    const FILE: &'static str = "hub_factors.csv";
    const REQUIRED: &'static [&'static str] = &["id", "applies_to", "basis", "wtw", "source"];
    const OPTIONAL: &'static [&'static str] =
        &["hub_type", "description", "ttw", "wtt", "reference", "note"];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let id = row.req_str("id");
        let applies_to = row.list("applies_to");
        if applies_to.is_empty() {
            row.problem("missing applies_to (e.g. lift, lift:box, gauge_transshipment)".into());
        }
        for a in &applies_to {
            let kind = a.split(':').next().unwrap_or("");
            if TransferKind::parse(kind).is_none() {
                row.problem(format!(
                            "applies_to '{a}': '{kind}' is not a transfer kind (lift, gauge_transshipment, bogie_exchange, roll_on, handling)"
                        ));
            }
        }
        let basis = row.enum_req("basis", HubBasis::parse, "t, container, teu");
        let wtw = row.opt_f64("wtw");
        let wtw = row.nonneg("wtw", wtw);
        let ttw = row.opt_f64("ttw");
        let ttw = row.nonneg("ttw", ttw);
        let wtt = row.opt_f64("wtt");
        let wtt = row.nonneg("wtt", wtt);
        let hub_type = row.raw("hub_type").to_string();
        let description = row.raw("description").to_string();
        let reference = row.raw("reference").to_string();
        let source = row.req_str("source");
        let note = row.raw("note").to_string();
        if wtw.is_none() && note.is_empty() {
            row.problem("empty wtw needs a note saying why no factor exists".into());
        }
        let basis = basis?;
        Some(HubFactor {
            id,
            applies_to,
            hub_type,
            description,
            basis,
            wtw,
            ttw,
            wtt,
            reference,
            source,
            note,
            line: row.line,
        })
    }
}

impl FromRow for PollutantFactor {
    const FILE: &'static str = "pollutant_factors.csv";
    const REQUIRED: &'static [&'static str] = &["factor", "pollutant", "g_per_unit", "source"];
    const OPTIONAL: &'static [&'static str] = &["note"];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let factor = row.req_str("factor");
        let pollutant = row.req_str("pollutant");
        if !POLLUTANTS.contains(&pollutant.as_str()) {
            row.problem(format!(
                "pollutant '{pollutant}' is not one of {}",
                POLLUTANTS.join(", ")
            ));
        }
        let g = row.req_f64("g_per_unit");
        let g = row.nonneg("g_per_unit", Some(g)).unwrap_or(0.0);
        let source = row.req_str("source");
        let note = row.raw("note").to_string();
        Some(PollutantFactor {
            factor,
            pollutant,
            g_per_unit: g,
            source,
            note,
            line: row.line,
        })
    }
}

impl FromRow for Traction {
    const FILE: &'static str = crate::traction::FILE;
    const REQUIRED: &'static [&'static str] = &["link", "traction", "source"];
    const OPTIONAL: &'static [&'static str] = &["electrified_share", "note"];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let link = row.req_str("link");
        let traction = row.enum_req("traction", TractionKind::parse, "electric, diesel, mixed");
        let share = row.opt_f64("electrified_share");
        let source = row.req_str("source");
        let note = row.raw("note").to_string();
        let traction = traction?;
        let share = match (traction, share) {
            (TractionKind::Electric, None | Some(1.0)) => 1.0,
            (TractionKind::Diesel, None | Some(0.0)) => 0.0,
            (TractionKind::Mixed, Some(s)) if s > 0.0 && s < 1.0 => s,
            (TractionKind::Mixed, _) => {
                row.problem(
                    "mixed traction needs electrified_share between 0 and 1 (exclusive), e.g. 0.6"
                        .into(),
                );
                return None;
            }
            (k, Some(s)) => {
                row.problem(format!(
                    "electrified_share {s} contradicts traction {}: give 1 for electric, 0 for diesel, or use mixed",
                    k.as_str()
                ));
                return None;
            }
        };
        Some(Traction {
            link,
            traction,
            electrified_share: share,
            source,
            note,
            line: row.line,
        })
    }
}

impl FromRow for crate::driving::DrivingRule {
    const FILE: &'static str = crate::driving::FILE;
    const REQUIRED: &'static [&'static str] = &[
        "country",
        "daily_driving_h",
        "continuous_h",
        "break_h",
        "daily_rest_h",
        "source",
    ];
    const OPTIONAL: &'static [&'static str] = &["note"];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let country = row.req_str("country");
        let daily = row.req_f64("daily_driving_h");
        let cont = row.req_f64("continuous_h");
        let brk = row.req_f64("break_h");
        let rest = row.req_f64("daily_rest_h");
        let source = row.req_str("source");
        let note = row.raw("note").to_string();
        if country != "all"
            && !(country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()))
        {
            row.problem(format!(
                "country '{country}' is not an ISO code (e.g. KZ) or all"
            ));
        }
        let ok = |v: f64, lo: f64, hi: f64| v.is_finite() && (lo..=hi).contains(&v);
        if !ok(daily, 1.0, 24.0) {
            row.problem(format!(
                "daily_driving_h {daily} is out of range: give 1 to 24 hours"
            ));
        }
        if !ok(cont, 0.5, 24.0) || cont > daily {
            row.problem(format!(
                "continuous_h {cont} is out of range: give 0.5 hours up to daily_driving_h"
            ));
        }
        if !ok(brk, 0.0, 24.0) {
            row.problem(format!("break_h {brk} is out of range: give 0 to 24 hours"));
        }
        if !ok(rest, 0.0, 48.0) {
            row.problem(format!(
                "daily_rest_h {rest} is out of range: give 0 to 48 hours"
            ));
        }
        if !row.ok {
            return None;
        }
        Some(crate::driving::DrivingRule {
            country,
            daily_driving_h: daily,
            continuous_h: cont,
            break_h: brk,
            daily_rest_h: rest,
            source,
            note,
            line: row.line,
        })
    }
}
