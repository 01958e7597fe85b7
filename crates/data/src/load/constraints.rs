//! Rows of the constraint files: `cargo_rules.csv`, `customs.csv`, `compliance.csv`.

use super::reader::{FromRow, Row};
use crate::constraints::*;
use crate::model::{Carries, Mode};

fn scope(row: &mut Row<'_>) -> Option<Scope> {
    let v = row.raw("applies_to").to_string();
    let s = Scope::parse(&v);
    if s.is_none() {
        row.problem(format!(
            "applies_to '{v}' is not all, country:CC, place:ID or link:ID"
        ));
    }
    s
}

fn opt_mode(row: &mut Row<'_>) -> Option<Mode> {
    let v = row.raw("mode").to_string();
    if v.is_empty() {
        return None;
    }
    let m = Mode::parse(&v);
    if m.is_none() {
        row.problem(format!(
            "mode '{v}' is not one of road, rail, sea, ferry, iww, air, pipeline, border"
        ));
    }
    m
}

impl FromRow for CargoRule {
    const FILE: &'static str = "cargo_rules.csv";
    const REQUIRED: &'static [&'static str] = &["id", "applies_to", "rule", "source"];
    const OPTIONAL: &'static [&'static str] = &[
        "mode",
        "dg_classes",
        "limit_t",
        "box",
        "tare_t",
        "surcharge",
        "currency",
        "surcharge_per",
        "as_of",
        "note",
    ];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let id = row.req_str("id");
        let applies_to = scope(row);
        let mode = opt_mode(row);
        let kind = row.enum_req(
            "rule",
            CargoRuleKind::parse,
            "dg_ban, no_reefer, max_gross_t, tare, reefer_power, reefer_surcharge",
        );
        let dg_classes = row.list("dg_classes");
        for c in &dg_classes {
            if c != "all" && !is_dg_class(c) {
                row.problem(format!(
                    "dg_classes '{c}' is not a UN class or division (1, 1.1 … 9) or all"
                ));
            }
        }
        let limit = row.opt_f64("limit_t");
        let limit_t = row.nonneg("limit_t", limit);
        let bx = row.raw("box").to_string();
        let tare_v = row.opt_f64("tare_t");
        let tare = match (kind, bx.is_empty(), tare_v) {
            (Some(CargoRuleKind::Tare), false, Some(t))
                if BOX_KINDS.contains(&bx.as_str()) && t > 0.0 =>
            {
                Some((bx.clone(), t))
            }
            (Some(CargoRuleKind::Tare), _, _) => {
                row.problem(format!(
                    "rule tare needs box (one of {}) and tare_t > 0",
                    BOX_KINDS.join(", ")
                ));
                None
            }
            (_, false, _) | (_, _, Some(_)) => {
                row.problem("box and tare_t are only for rule tare".into());
                None
            }
            _ => None,
        };
        let amount = row.opt_f64("surcharge");
        let currency = row.raw("currency").to_string();
        let per = row.raw("surcharge_per").to_string();
        let surcharge = match (kind, amount) {
            (Some(CargoRuleKind::ReeferSurcharge), Some(a)) if (0.0..=100_000.0).contains(&a) => {
                let per_day = match per.as_str() {
                    "" | "box" => Some(false),
                    "box_day" => Some(true),
                    other => {
                        row.problem(format!(
                            "surcharge_per '{other}' is not one of box (the default), box_day"
                        ));
                        None
                    }
                };
                if currency.is_empty() {
                    row.problem("rule reefer_surcharge needs currency (e.g. USD)".into());
                }
                per_day
                    .filter(|_| !currency.is_empty())
                    .map(|per_day| Surcharge {
                        amount: a,
                        currency: currency.clone(),
                        per_day,
                    })
            }
            (Some(CargoRuleKind::ReeferSurcharge), Some(a)) => {
                row.problem(format!(
                    "surcharge {a} is out of range: give an amount from 0 to 100000 per box (or box and day)"
                ));
                None
            }
            (Some(CargoRuleKind::ReeferSurcharge), None) => {
                if row.raw("surcharge").is_empty() {
                    row.problem("rule reefer_surcharge needs surcharge (an amount per box, or per box and day with surcharge_per box_day)".into());
                }
                None
            }
            (_, _) => {
                if amount.is_some() || !currency.is_empty() || !per.is_empty() {
                    row.problem(
                        "surcharge, currency and surcharge_per are only for rule reefer_surcharge"
                            .into(),
                    );
                }
                None
            }
        };
        match kind {
            Some(CargoRuleKind::DgBan) if dg_classes.is_empty() => {
                row.problem("rule dg_ban needs dg_classes (e.g. 1|2.1, or all)".into())
            }
            Some(CargoRuleKind::MaxGrossT) if limit_t.is_none_or(|x| x <= 0.0) => {
                row.problem("rule max_gross_t needs limit_t, gross tonnes per box > 0".into())
            }
            Some(CargoRuleKind::Tare) if applies_to != Some(Scope::All) => {
                row.problem("rule tare applies to all (a box weighs the same everywhere)".into())
            }
            Some(
                CargoRuleKind::NoReefer
                | CargoRuleKind::MaxGrossT
                | CargoRuleKind::Tare
                | CargoRuleKind::ReeferPower
                | CargoRuleKind::ReeferSurcharge,
            ) if !dg_classes.is_empty() => row.problem("dg_classes is only for rule dg_ban".into()),
            _ => {}
        }
        let as_of = row.opt_date("as_of");
        let source = row.req_str("source");
        let note = row.raw("note").to_string();
        let (Some(applies_to), Some(kind)) = (applies_to, kind) else {
            return None;
        };
        Some(CargoRule {
            id,
            applies_to,
            mode,
            kind,
            dg_classes,
            limit_t,
            tare,
            surcharge,
            source,
            as_of,
            note,
            line: row.line,
        })
    }
}

impl FromRow for CustomsRule {
    const FILE: &'static str = "customs.csv";
    const REQUIRED: &'static [&'static str] = &["id", "regime", "link", "dwell_h", "source"];
    const OPTIONAL: &'static [&'static str] = &[
        "goods",
        "dwell_h_low",
        "dwell_h_high",
        "cost_fixed",
        "cost_unit",
        "currency",
        "price_year",
        "as_of",
        "note",
    ];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let id = row.req_str("id");
        let regime = row.enum_req(
            "regime",
            |s| Regime::parse(s).filter(|r| *r != Regime::Standard),
            "tir, green_channel, bonded",
        );
        let link = row.req_str("link");
        let g = row.raw("goods").to_string();
        let goods = match g.as_str() {
            "" | "all" => None,
            _ => {
                let x = Goods::parse(&g);
                if x.is_none() {
                    row.problem(format!("goods '{g}' is not one of all, agricultural"));
                }
                x
            }
        };
        let dwell_h = row.range("dwell_h", true);
        if dwell_h.is_none() && row.ok {
            row.problem("missing dwell_h".into());
        }
        let fee = row.price("cost_fixed", None);
        let as_of = row.opt_date("as_of");
        let source = row.req_str("source");
        let note = row.raw("note").to_string();
        let (Some(regime), Some(dwell_h)) = (regime, dwell_h) else {
            return None;
        };
        Some(CustomsRule {
            id,
            regime,
            link,
            goods,
            dwell_h,
            fee,
            source,
            as_of,
            note,
            line: row.line,
        })
    }
}

impl FromRow for ComplianceRule {
    const FILE: &'static str = "compliance.csv";
    const REQUIRED: &'static [&'static str] = &[
        "id",
        "applies_to",
        "kind",
        "authority",
        "measure",
        "requirement",
        "source",
        "as_of",
    ];
    const OPTIONAL: &'static [&'static str] =
        &["mode", "carries", "regime", "in_force_from", "note"];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let id = row.req_str("id");
        let applies_to = scope(row);
        let mode = opt_mode(row);
        let c = row.raw("carries").to_string();
        let carries = if c.is_empty() {
            None
        } else {
            let x = Carries::parse(&c);
            if x.is_none() {
                row.problem(format!(
                    "carries '{c}' is not one of truck, wagon, box, air, pipe"
                ));
            }
            x
        };
        let rg = row.raw("regime").to_string();
        let regime = if rg.is_empty() {
            None
        } else {
            let x = Regime::parse(&rg);
            if x.is_none() {
                row.problem(format!(
                    "regime '{rg}' is not one of standard, tir, green_channel, bonded"
                ));
            }
            x
        };
        let kind = row.enum_req(
            "kind",
            ComplianceKind::parse,
            "sanction, restriction, permit, document",
        );
        let authority = row.req_str("authority");
        let measure = row.req_str("measure");
        let requirement = row.req_str("requirement");
        let in_force_from = row.opt_date("in_force_from");
        let as_of = row.opt_date("as_of");
        if as_of.is_none() && row.raw("as_of").is_empty() {
            row.problem("missing as_of (the date the source states the measure)".into());
        }
        let source = row.req_str("source");
        let (Some(applies_to), Some(kind), Some(as_of)) = (applies_to, kind, as_of) else {
            return None;
        };
        Some(ComplianceRule {
            id,
            applies_to,
            mode,
            carries,
            regime,
            kind,
            authority,
            measure,
            requirement,
            in_force_from,
            source,
            as_of,
            line: row.line,
        })
    }
}
