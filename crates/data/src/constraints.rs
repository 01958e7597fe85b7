//! Cargo constraints, customs regimes and compliance flags: three optional files.
//!
//! - `cargo_rules.csv`: what a leg or place does not take (dangerous goods by UN class,
//!   reefer containers) and gross-weight limits per loaded box.
//! - `customs.csv`: where a customs regime (TIR, green channel, bonded transit) applies, for
//!   which goods, and the border dwell and fee it gives instead of the link's own.
//! - `compliance.csv`: sanctions, restrictions, permits and documents that apply to legs in a
//!   country, at a place or on a link; they inform, they do not remove routes.
//!
//! Where a rule applies is written as `all`, `country:CC`, `place:ID` or `link:ID` (the
//! `--avoid` syntax), optionally narrowed to one mode.

use chrono::NaiveDate;

use crate::load::{read_csv, Records, Row};
use crate::model::{Carries, Mode, Price, Range3};
use crate::validate::{suggest_id, Ctx};
use crate::{load::RawFiles, Problem};

/// Where a rule or flag applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every leg (of the row's mode, if given).
    All,
    /// Legs touching a country (end places and the countries a link passes).
    Country(String),
    /// Legs that start or end at a place (the cargo dwells there).
    Place(String),
    /// A link, both directions.
    Link(String),
}

impl Scope {
    /// Parses `all`, `country:CC`, `place:ID`, `link:ID`.
    pub fn parse(s: &str) -> Option<Scope> {
        let s = s.trim();
        if s == "all" {
            return Some(Scope::All);
        }
        let (k, v) = s.split_once(':')?;
        let v = v.trim().to_string();
        if v.is_empty() {
            return None;
        }
        Some(match k.trim() {
            "country" => Scope::Country(v),
            "place" => Scope::Place(v),
            "link" => Scope::Link(v),
            _ => return None,
        })
    }
    /// As written in the file.
    pub fn label(&self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Country(c) => format!("country:{c}"),
            Scope::Place(p) => format!("place:{p}"),
            Scope::Link(l) => format!("link:{l}"),
        }
    }
}

/// What a cargo rule restricts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CargoRuleKind {
    /// Dangerous goods of the listed classes are not taken.
    DgBan,
    /// No reefer power (no plugs, no gensets): reefer containers are not taken.
    NoReefer,
    /// Most gross tonnes per loaded box (payload + tare).
    MaxGrossT,
    /// Tare of an empty box of a kind (`box`): counts toward gross weight, not toward tkm.
    Tare,
}

impl CargoRuleKind {
    /// Name in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            CargoRuleKind::DgBan => "dg_ban",
            CargoRuleKind::NoReefer => "no_reefer",
            CargoRuleKind::MaxGrossT => "max_gross_t",
            CargoRuleKind::Tare => "tare",
        }
    }
    fn parse(s: &str) -> Option<CargoRuleKind> {
        Some(match s.trim() {
            "dg_ban" => CargoRuleKind::DgBan,
            "no_reefer" => CargoRuleKind::NoReefer,
            "max_gross_t" => CargoRuleKind::MaxGrossT,
            "tare" => CargoRuleKind::Tare,
            _ => return None,
        })
    }
}

/// Box kinds a `tare` rule gives the tare of.
pub const BOX_KINDS: [&str; 4] = ["20", "40", "20_reefer", "40_reefer"];

/// UN dangerous-goods classes and divisions (ADR/RID/IMDG share them).
pub const DG_CLASSES: [&str; 22] = [
    "1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2", "2.1", "2.2", "2.3", "3", "4", "4.1",
    "4.2", "4.3", "5", "5.1", "5.2", "6", "6.1", "7",
];
/// The remaining classes (8 corrosives, 9 miscellaneous, and 6.2 infectious substances).
pub const DG_CLASSES_MORE: [&str; 3] = ["6.2", "8", "9"];

/// Whether `s` is a UN class or division.
pub fn is_dg_class(s: &str) -> bool {
    DG_CLASSES.contains(&s) || DG_CLASSES_MORE.contains(&s)
}

/// Whether a ban on `banned` (a class or division, or `all`) covers cargo of class `cargo`:
/// a class covers its divisions, and a cargo given only by class is covered by a ban on any
/// of its divisions (the division is not known, so the ban is assumed to apply).
pub fn dg_covers(banned: &str, cargo: &str) -> bool {
    if banned == "all" || banned == cargo {
        return true;
    }
    let class = |s: &str| s.split('.').next().unwrap_or(s).to_string();
    let (bc, cc) = (class(banned), class(cargo));
    bc == cc && (!banned.contains('.') || !cargo.contains('.'))
}

/// A row of `cargo_rules.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CargoRule {
    /// Rule id.
    pub id: String,
    /// Where it applies.
    pub applies_to: Scope,
    /// Only legs of this mode, if given.
    pub mode: Option<Mode>,
    /// What it restricts.
    pub kind: CargoRuleKind,
    /// For `dg_ban`: UN classes or divisions banned (`all` for every class).
    pub dg_classes: Vec<String>,
    /// For `max_gross_t`: most gross tonnes per loaded box.
    pub limit_t: Option<f64>,
    /// For `tare`: the box kind (`20`, `40`, `20_reefer`, `40_reefer`) and its tare, t.
    pub tare: Option<(String, f64)>,
    /// Source.
    pub source: String,
    /// Date the rule was stated by its source.
    pub as_of: Option<NaiveDate>,
    /// Note.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// A customs regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Regime {
    /// The links' own border dwell (no special regime).
    Standard,
    /// TIR transit under the TIR Convention (carnet or eTIR), e.g. TIR Green Lanes.
    Tir,
    /// A green channel (e.g. for agricultural products at China–Kazakhstan crossings).
    GreenChannel,
    /// Bonded (customs) transit.
    Bonded,
}

impl Regime {
    /// Every regime.
    pub const ALL: [Regime; 4] = [
        Regime::Standard,
        Regime::Tir,
        Regime::GreenChannel,
        Regime::Bonded,
    ];
    /// Name in files and options.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Standard => "standard",
            Regime::Tir => "tir",
            Regime::GreenChannel => "green_channel",
            Regime::Bonded => "bonded",
        }
    }
    /// Parses a name (exactly the names of the API's enum).
    pub fn parse(s: &str) -> Option<Regime> {
        Regime::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// What kind of goods (for regimes that only some goods qualify for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goods {
    /// Any goods.
    General,
    /// Agricultural products (fruit, vegetables, other produce).
    Agricultural,
}

impl Goods {
    /// Name in files and options.
    pub fn as_str(self) -> &'static str {
        match self {
            Goods::General => "general",
            Goods::Agricultural => "agricultural",
        }
    }
    /// Parses a name (exactly the names of the API's enum).
    pub fn parse(s: &str) -> Option<Goods> {
        [Goods::General, Goods::Agricultural]
            .into_iter()
            .find(|g| g.as_str() == s.trim())
    }
}

/// A row of `customs.csv`: a regime at one border link.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomsRule {
    /// Row id.
    pub id: String,
    /// The regime.
    pub regime: Regime,
    /// Border link id (`ID~r` for the reverse of a bidirectional link).
    pub link: String,
    /// Goods that qualify; `None` = any goods.
    pub goods: Option<Goods>,
    /// Border dwell under the regime, hours (replaces the link's dwell).
    pub dwell_h: Range3,
    /// Fee under the regime, if any (added to the border's cost).
    pub fee: Option<Price>,
    /// Source.
    pub source: String,
    /// Date of the figure.
    pub as_of: Option<NaiveDate>,
    /// Note.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// What a compliance flag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplianceKind {
    /// A sanction measure.
    Sanction,
    /// Another restriction (e.g. a transit ban of a neighbour).
    Restriction,
    /// A permit a leg needs (road permits).
    Permit,
    /// A document a leg needs (TIR carnet, …).
    Document,
}

impl ComplianceKind {
    /// Name in files and answers.
    pub fn as_str(self) -> &'static str {
        match self {
            ComplianceKind::Sanction => "sanction",
            ComplianceKind::Restriction => "restriction",
            ComplianceKind::Permit => "permit",
            ComplianceKind::Document => "document",
        }
    }
    fn parse(s: &str) -> Option<ComplianceKind> {
        Some(match s.trim() {
            "sanction" => ComplianceKind::Sanction,
            "restriction" => ComplianceKind::Restriction,
            "permit" => ComplianceKind::Permit,
            "document" => ComplianceKind::Document,
            _ => return None,
        })
    }
}

/// A row of `compliance.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceRule {
    /// Row id.
    pub id: String,
    /// Where it applies.
    pub applies_to: Scope,
    /// Only legs of this mode, if given.
    pub mode: Option<Mode>,
    /// Only when the cargo rides on this (e.g. `truck` for a road permit at a border).
    pub carries: Option<Carries>,
    /// Only under this customs regime, if given (e.g. the TIR carnet under `tir`).
    pub regime: Option<Regime>,
    /// What it is.
    pub kind: ComplianceKind,
    /// Who imposes it (EU Council, Kazakhstan, …).
    pub authority: String,
    /// The measure (regulation and article, permit name).
    pub measure: String,
    /// What it means for a shipment on this leg.
    pub requirement: String,
    /// In force from, if known.
    pub in_force_from: Option<NaiveDate>,
    /// Source.
    pub source: String,
    /// Date the source states the measure as (consolidated version, article date).
    pub as_of: NaiveDate,
    /// Line in the file.
    pub line: u64,
}

/// What a link's `capacity_unit` may count, before `_per_` (e.g. `trucks_per_sailing`): the
/// per-departure check of a shipment reads it.
pub const CAPACITY_HEADS: [&str; 6] = ["trucks", "wagons", "teu", "feu", "boxes", "t"];

/// The three optional files, parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConstraintData {
    /// `cargo_rules.csv`.
    pub cargo_rules: Vec<CargoRule>,
    /// `customs.csv`.
    pub customs: Vec<CustomsRule>,
    /// `compliance.csv`.
    pub compliance: Vec<ComplianceRule>,
}

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

/// Parses the optional files into `r.constraints`.
pub(crate) fn parse(raw: &RawFiles, r: &mut Records, p: &mut Vec<Problem>) {
    if let Some(t) = raw.files.get("cargo_rules.csv") {
        read_csv(
            "cargo_rules.csv",
            t,
            &["id", "applies_to", "rule", "source"],
            &[
                "mode",
                "dg_classes",
                "limit_t",
                "box",
                "tare_t",
                "as_of",
                "note",
            ],
            p,
            |row| {
                let id = row.req_str("id");
                let applies_to = scope(row);
                let mode = opt_mode(row);
                let kind = row.enum_req(
                    "rule",
                    CargoRuleKind::parse,
                    "dg_ban, no_reefer, max_gross_t, tare",
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
                match kind {
                    Some(CargoRuleKind::DgBan) if dg_classes.is_empty() => {
                        row.problem("rule dg_ban needs dg_classes (e.g. 1|2.1, or all)".into())
                    }
                    Some(CargoRuleKind::MaxGrossT) if limit_t.is_none_or(|x| x <= 0.0) => row
                        .problem("rule max_gross_t needs limit_t, gross tonnes per box > 0".into()),
                    Some(CargoRuleKind::Tare) if applies_to != Some(Scope::All) => row.problem(
                        "rule tare applies to all (a box weighs the same everywhere)".into(),
                    ),
                    Some(
                        CargoRuleKind::NoReefer | CargoRuleKind::MaxGrossT | CargoRuleKind::Tare,
                    ) if !dg_classes.is_empty() => {
                        row.problem("dg_classes is only for rule dg_ban".into())
                    }
                    _ => {}
                }
                let as_of = row.opt_date("as_of");
                let source = row.req_str("source");
                let note = row.raw("note").to_string();
                if let (true, Some(applies_to), Some(kind)) = (row.ok, applies_to, kind) {
                    r.constraints.cargo_rules.push(CargoRule {
                        id,
                        applies_to,
                        mode,
                        kind,
                        dg_classes,
                        limit_t,
                        tare,
                        source,
                        as_of,
                        note,
                        line: row.line,
                    });
                }
            },
        );
    }
    if let Some(t) = raw.files.get("customs.csv") {
        read_csv(
            "customs.csv",
            t,
            &["id", "regime", "link", "dwell_h", "source"],
            &[
                "goods",
                "dwell_h_low",
                "dwell_h_high",
                "cost_fixed",
                "cost_unit",
                "currency",
                "price_year",
                "as_of",
                "note",
            ],
            p,
            |row| {
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
                if let (true, Some(regime), Some(dwell_h)) = (row.ok, regime, dwell_h) {
                    r.constraints.customs.push(CustomsRule {
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
                    });
                }
            },
        );
    }
    if let Some(t) = raw.files.get("compliance.csv") {
        read_csv(
            "compliance.csv",
            t,
            &[
                "id",
                "applies_to",
                "kind",
                "authority",
                "measure",
                "requirement",
                "source",
                "as_of",
            ],
            &["mode", "carries", "regime", "in_force_from", "note"],
            p,
            |row| {
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
                if let (true, Some(applies_to), Some(kind), Some(as_of)) =
                    (row.ok, applies_to, kind, as_of)
                {
                    r.constraints.compliance.push(ComplianceRule {
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
                    });
                }
            },
        );
    }
}

/// Cross-file checks: places, links and countries named exist, border links for customs,
/// sources, unique ids.
pub(crate) fn validate<'a>(r: &'a Records, cx: &mut Ctx<'a>) {
    let c = &r.constraints;
    let link_ids = || r.links.iter().map(|l| l.id.as_str());
    let countries: std::collections::HashSet<&str> = r
        .places
        .iter()
        .map(|p| p.country.as_str())
        .chain(
            r.links
                .iter()
                .flat_map(|l| l.countries.iter().map(String::as_str)),
        )
        .collect();
    let check_scope = |cx: &mut Ctx<'a>, file: &str, line: u64, s: &Scope| match s {
        Scope::All => {}
        Scope::Country(cc) => {
            if !countries.contains(cc.as_str()) {
                cx.push(
                    file,
                    line,
                    format!("applies_to country:{cc}: no place or link of the data is in {cc}"),
                );
            }
        }
        Scope::Place(pid) => {
            if !r.places.iter().any(|p| &p.id == pid) {
                cx.push(
                    file,
                    line,
                    format!(
                        "applies_to place:{pid} is not a place id in places.csv{}",
                        suggest_id(pid, r.places.iter().map(|p| p.id.as_str()))
                    ),
                );
            }
        }
        Scope::Link(lid) => {
            if !r.links.iter().any(|l| &l.id == lid) {
                cx.push(
                    file,
                    line,
                    format!(
                        "applies_to link:{lid} is not a link id in links.csv{}",
                        suggest_id(lid, link_ids())
                    ),
                );
            }
        }
    };
    for l in &r.links {
        if l.capacity.is_some() && !l.capacity_unit.is_empty() {
            let head = l.capacity_unit.split("_per_").next().unwrap_or("");
            if !CAPACITY_HEADS.contains(&head) || !l.capacity_unit.contains("_per_") {
                cx.push(
                    "links.csv",
                    l.line,
                    format!(
                        "capacity_unit '{}' is not UNIT_per_DEPARTURE with UNIT one of {} (e.g. trucks_per_sailing)",
                        l.capacity_unit,
                        CAPACITY_HEADS.join(", ")
                    ),
                );
            }
        }
    }
    let mut ids = std::collections::HashSet::new();
    for x in &c.cargo_rules {
        if !ids.insert(x.id.as_str()) {
            cx.push(
                "cargo_rules.csv",
                x.line,
                format!("duplicate id '{}'", x.id),
            );
        }
        check_scope(cx, "cargo_rules.csv", x.line, &x.applies_to);
        if let Some((b, _)) = &x.tare {
            if c.cargo_rules
                .iter()
                .any(|y| y.line < x.line && y.tare.as_ref().is_some_and(|(b2, _)| b2 == b))
            {
                cx.push(
                    "cargo_rules.csv",
                    x.line,
                    format!("a second tare for box {b}: give one"),
                );
            }
        }
        cx.src("cargo_rules.csv", x.line, "source", &x.source);
    }
    let mut ids = std::collections::HashSet::new();
    for x in &c.customs {
        if !ids.insert(x.id.as_str()) {
            cx.push("customs.csv", x.line, format!("duplicate id '{}'", x.id));
        }
        let base = x.link.strip_suffix("~r").unwrap_or(&x.link);
        match r.links.iter().find(|l| l.id == base) {
            None => cx.push(
                "customs.csv",
                x.line,
                format!(
                    "link '{}' is not a link id in links.csv{}",
                    x.link,
                    suggest_id(&x.link, link_ids())
                ),
            ),
            Some(l) if l.mode != Mode::Border => cx.push(
                "customs.csv",
                x.line,
                format!(
                    "link '{}' is a {} link; a customs regime applies at border links",
                    x.link, l.mode
                ),
            ),
            Some(l) if base != x.link && !l.bidirectional => cx.push(
                "customs.csv",
                x.line,
                format!("link '{}': ~r only for a bidirectional link", x.link),
            ),
            _ => {}
        }
        if let Some(pr) = &x.fee {
            if !r.fx.iter().any(|f| f.currency == pr.currency) {
                cx.push(
                    "customs.csv",
                    x.line,
                    format!("currency '{}' has no rate in fx.csv", pr.currency),
                );
            }
        }
        cx.src("customs.csv", x.line, "source", &x.source);
    }
    let mut ids = std::collections::HashSet::new();
    for x in &c.compliance {
        if !ids.insert(x.id.as_str()) {
            cx.push("compliance.csv", x.line, format!("duplicate id '{}'", x.id));
        }
        check_scope(cx, "compliance.csv", x.line, &x.applies_to);
        cx.src("compliance.csv", x.line, "source", &x.source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dg_classes_cover_their_divisions() {
        assert!(dg_covers("1", "1.1"));
        assert!(dg_covers("1.1", "1"));
        assert!(dg_covers("1.1", "1.1"));
        assert!(!dg_covers("1.1", "1.4"));
        assert!(!dg_covers("3", "2.1"));
        assert!(dg_covers("all", "9"));
        assert!(!dg_covers("2", "3"));
    }

    #[test]
    fn scopes_parse() {
        assert_eq!(Scope::parse("all"), Some(Scope::All));
        assert_eq!(
            Scope::parse("country:RU"),
            Some(Scope::Country("RU".into()))
        );
        assert_eq!(
            Scope::parse("link:X").map(|s| s.label()),
            Some("link:X".into())
        );
        assert_eq!(Scope::parse("planet:mars"), None);
        assert_eq!(Scope::parse("place:"), None);
    }
}
