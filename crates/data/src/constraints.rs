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

use crate::model::{Carries, Mode, Price, Range3};

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
    /// Reefer power is there (plugs at a terminal or port, on a ferry or ship, gensets or a
    /// power wagon on a train): a reefer answer says the leg's power is confirmed, not assumed.
    ReeferPower,
    /// What a reefer box pays on top of the dry-box price (`surcharge`, `currency`,
    /// `surcharge_per` `box` or `box_day`).
    ReeferSurcharge,
}

impl CargoRuleKind {
    /// Name in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            CargoRuleKind::DgBan => "dg_ban",
            CargoRuleKind::NoReefer => "no_reefer",
            CargoRuleKind::MaxGrossT => "max_gross_t",
            CargoRuleKind::Tare => "tare",
            CargoRuleKind::ReeferPower => "reefer_power",
            CargoRuleKind::ReeferSurcharge => "reefer_surcharge",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<CargoRuleKind> {
        Some(match s.trim() {
            "dg_ban" => CargoRuleKind::DgBan,
            "no_reefer" => CargoRuleKind::NoReefer,
            "max_gross_t" => CargoRuleKind::MaxGrossT,
            "tare" => CargoRuleKind::Tare,
            "reefer_power" => CargoRuleKind::ReeferPower,
            "reefer_surcharge" => CargoRuleKind::ReeferSurcharge,
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

/// A reefer surcharge: `amount` in `currency` per box (on each leg the rule covers) or per
/// box and day on the leg (its moving, wait and dwell time).
#[derive(Debug, Clone, PartialEq)]
pub struct Surcharge {
    /// Amount per unit.
    pub amount: f64,
    /// ISO 4217 code (a rate in fx.csv).
    pub currency: String,
    /// Per box and day on the leg (`box_day`) rather than per box (`box`).
    pub per_day: bool,
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
    /// For `reefer_surcharge`: the charge.
    pub surcharge: Option<Surcharge>,
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
    pub(crate) fn parse(s: &str) -> Option<ComplianceKind> {
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
