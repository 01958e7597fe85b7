//! Cargo constraints of one query: reefer, dangerous goods, gross weight per box, capacity per
//! departure (arc filters), customs regimes (border dwell and fee per arc), and compliance
//! flags (per itinerary, informative).
//!
//! The filters enter both searches as `allowed` arcs, one bit per kind, so that the NoRoute
//! explanation can add them one at a time and name the one that cut the last route off, with
//! the rules (file row ids) that cut that route.

use std::collections::{BTreeMap, BTreeSet};

use corridor_data::constraints::{
    dg_covers, is_dg_class, CargoRuleKind, ComplianceRule, Goods, Regime, Scope,
};
use corridor_data::{Carries, Commodity, CostUnit, Range3};
use corridor_network::{Arc, Carrier, Graph, Network};

use crate::answer::ComplianceFlag;
use crate::cargo::{BoxSize, Cargo};
use crate::error::QueryError;

/// Tare of an empty 20 ft box, t, when the data has no `tare` rule for it (ISO 668 rates gross
/// mass, not tare; the default data's `tare` rules give the same figures with their source).
pub const TARE_T_TEU: f64 = 2.3;
/// Tare of an empty 40 ft box (the high cube, the heavier of the two), t; see [`TARE_T_TEU`].
pub const TARE_T_FEU: f64 = 3.94;
/// Tare of a 20 ft reefer, t (machinery and insulation make reefers heavier).
pub const TARE_T_TEU_REEFER: f64 = 3.08;
/// Tare of a 40 ft reefer, t.
pub const TARE_T_FEU_REEFER: f64 = 4.8;

/// Cut kinds (bits of [`Constraints::cut`]).
pub const CUT_REEFER: u8 = 1;
/// A dangerous-goods ban.
pub const CUT_DG: u8 = 2;
/// A gross-weight limit.
pub const CUT_WEIGHT: u8 = 4;
/// Capacity of one departure.
pub const CUT_CAPACITY: u8 = 8;
/// Every cut kind.
pub const CUT_ALL: u8 = 15;

/// The cargo options of a request, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct CargoOptions {
    /// Reefer container (needs reefer power on every leg and at every place it dwells).
    pub reefer: bool,
    /// UN class or division of dangerous goods.
    pub dangerous_goods: Option<String>,
    /// What the goods are (for regimes only some goods qualify for).
    pub goods: Goods,
    /// Customs regime at borders.
    pub customs: Regime,
    /// Truck drivers per truck (1 or 2).
    pub drivers: u8,
}

impl CargoOptions {
    /// Parses and checks the options (a reefer needs `--commodity container`).
    pub fn parse(
        reefer: bool,
        dangerous_goods: Option<&str>,
        goods: Option<&str>,
        customs: Option<&str>,
        drivers: Option<u8>,
        commodity: Commodity,
    ) -> Result<CargoOptions, QueryError> {
        let bad =
            |field: &str, message: String, suggestions: Vec<String>| QueryError::InvalidValue {
                field: field.into(),
                message,
                suggestions,
            };
        if reefer && commodity != Commodity::Container {
            return Err(QueryError::InvalidQuery {
                message: format!(
                    "--reefer is a refrigerated container, and the commodity is {}: use --commodity container (or drop --reefer)",
                    commodity.as_str()
                ),
            });
        }
        let dangerous_goods = match dangerous_goods.map(str::trim) {
            None => None,
            Some(c) => {
                if !is_dg_class(c) {
                    return Err(bad(
                        "dangerous_goods",
                        format!(
                            "'{c}' is not a UN dangerous-goods class or division: give e.g. 3 (flammable liquids), 2.1, 1.4 or 8"
                        ),
                        vec![],
                    ));
                }
                Some(c.to_string())
            }
        };
        let goods = match goods {
            None => Goods::General,
            Some(g) => Goods::parse(g).ok_or_else(|| {
                bad(
                    "goods",
                    format!("'{g}' is not one of general, agricultural"),
                    vec!["general".into(), "agricultural".into()],
                )
            })?,
        };
        let customs = match customs {
            None => Regime::Standard,
            Some(r) => Regime::parse(r).ok_or_else(|| {
                bad(
                    "customs",
                    format!("'{r}' is not one of standard, tir, green_channel, bonded"),
                    Regime::ALL.iter().map(|r| r.as_str().to_string()).collect(),
                )
            })?,
        };
        let drivers = match drivers {
            None => 1,
            Some(d @ (1 | 2)) => d,
            Some(d) => {
                return Err(bad(
                    "drivers",
                    format!("{d} drivers: give 1 (a single driver) or 2 (a double crew)"),
                    vec!["1".into(), "2".into()],
                ))
            }
        };
        Ok(CargoOptions {
            reefer,
            dangerous_goods,
            goods,
            customs,
            drivers,
        })
    }

    /// Whether any option differs from the default.
    pub fn any(&self) -> bool {
        self.reefer
            || self.dangerous_goods.is_some()
            || self.goods != Goods::General
            || self.customs != Regime::Standard
            || self.drivers != 1
    }
}

/// A customs regime applied to an arc.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomsArc {
    /// Row of `customs.csv`.
    pub rule: usize,
    /// Dwell under the regime.
    pub dwell_h: Range3,
    /// Fee in USD for the cargo.
    pub fee_usd: f64,
}

/// The constraints of one query over a network.
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    /// Per arc: the cut kinds that forbid it (0 = allowed).
    pub cut: Vec<u8>,
    /// Why, for arcs with a cut: (kind, reason naming the rule or figure).
    pub why: BTreeMap<usize, Vec<(u8, String)>>,
    /// Per arc: the customs regime that applies, if any.
    pub customs: Vec<Option<CustomsArc>>,
    /// Gross tonnes per loaded box (payload + tare), for containers.
    pub gross_t_per_box: Option<f64>,
    /// Tare per box, t.
    pub tare_t_per_box: Option<f64>,
    /// Source of the tare (a `tare` rule of the data), if the data gives it.
    pub tare_source: Option<String>,
    /// Query-wide warnings (a regime that applies nowhere in the data, …).
    pub warnings: Vec<String>,
    /// With `reefer`, per arc: the reefer surcharge for the cargo (USD) and the
    /// `reefer_surcharge` rule (index into `cargo_rules`) that gives it; empty without.
    pub reefer: Vec<Option<(f64, usize)>>,
}

/// How specific a rule's scope is: a link's rule beats a place's, a country's, then `all`.
fn specificity(scope: &Scope) -> u8 {
    match scope {
        Scope::Link(_) => 3,
        Scope::Place(_) => 2,
        Scope::Country(_) => 1,
        Scope::All => 0,
    }
}

/// Whether a rule's scope and mode cover an arc.
fn covers(net: Graph<'_>, arc: &Arc, scope: &Scope, mode: Option<corridor_data::Mode>) -> bool {
    if mode.is_some_and(|m| m != arc.mode) {
        return false;
    }
    match scope {
        Scope::All => true,
        Scope::Country(c) => arc
            .countries
            .iter()
            .any(|&i| net.countries()[i as usize] == *c),
        Scope::Place(p) => {
            net.place(arc.from.index()).id == *p || net.place(arc.to.index()).id == *p
        }
        Scope::Link(l) => net.link(arc.link as usize).id == *l,
    }
}

/// Which arcs each rule of the data covers, computed once per network: a query then only
/// visits the arcs of the rules that bite for its cargo.
#[derive(Debug, Clone, Default)]
pub struct RuleIndex {
    /// Per row of `cargo_rules.csv`: the arcs it covers.
    pub cargo_rule_arcs: Vec<Vec<u32>>,
    /// Arcs whose link has a capacity per departure.
    pub capacity_arcs: Vec<u32>,
    /// Per row of `customs.csv`: the arcs of its border link (in its direction).
    pub customs_arcs: Vec<Vec<u32>>,
    /// How many arcs are indexed (arcs `0..arcs_indexed`).
    arcs_indexed: usize,
}

impl RuleIndex {
    /// Indexes the rules of a network's dataset.
    pub fn new(net: &Network) -> RuleIndex {
        let mut index = RuleIndex::default();
        index.extend(net.view());
        index
    }

    /// Indexes the arcs of `net` from `from` on (the virtual arcs of a door query, or all).
    pub fn extend_from(&mut self, net: Graph<'_>, from: usize) {
        let ds = net.dataset();
        let cd = &ds.constraints;
        let arcs_where = |f: &dyn Fn(&Arc) -> bool| -> Vec<u32> {
            (from..net.n_arcs())
                .filter(|&ai| f(net.arc(ai)))
                .map(|ai| ai as u32)
                .collect()
        };
        self.cargo_rule_arcs
            .resize(cd.cargo_rules.len(), Vec::new());
        for (r, arcs) in cd.cargo_rules.iter().zip(&mut self.cargo_rule_arcs) {
            arcs.extend(arcs_where(&|a| covers(net, a, &r.applies_to, r.mode)));
        }
        self.capacity_arcs.extend(arcs_where(&|a| {
            net.link(a.link as usize).capacity.is_some()
        }));
        self.customs_arcs.resize(cd.customs.len(), Vec::new());
        for (r, arcs) in cd.customs.iter().zip(&mut self.customs_arcs) {
            let (base, rev) = match r.link.strip_suffix("~r") {
                Some(b) => (b, true),
                None => (r.link.as_str(), false),
            };
            arcs.extend(arcs_where(&|a| {
                a.reversed == rev && net.link(a.link as usize).id == base
            }));
        }
        self.arcs_indexed = net.n_arcs();
    }

    /// Indexes the arcs of `net` not indexed yet.
    pub fn extend(&mut self, net: Graph<'_>) {
        self.extend_from(net, self.arcs_indexed);
    }
}

/// How many units of a capacity figure the cargo needs, from the unit name
/// (`trucks_per_sailing`, `wagons_per_sailing`, `teu_per_vessel`, `feu_…`, `boxes_…`, `t_…`).
pub fn capacity_need(
    unit: &str,
    cargo: &Cargo,
    containerised: bool,
) -> Option<(f64, &'static str)> {
    // The heads are those of `corridor_data::constraints::CAPACITY_HEADS` (checked on load).
    let head = unit.split("_per_").next().unwrap_or(unit);
    Some(match head {
        "trucks" => (cargo.units(CostUnit::Truck, containerised), "trucks"),
        "wagons" => (cargo.units(CostUnit::Wagon, containerised), "wagons"),
        "teu" => (cargo.teu(), "TEU"),
        "feu" => (cargo.teu() / 2.0, "FEU"),
        "boxes" => (cargo.boxes(), "boxes"),
        "t" => (cargo.net_t(), "t"),
        _ => return None,
    })
}

impl Constraints {
    /// Builds the per-arc filters and customs for a query.
    pub fn new(
        net: Graph<'_>,
        index: &RuleIndex,
        opts: &CargoOptions,
        cargo: &Cargo,
        commodity: Commodity,
    ) -> Result<Constraints, QueryError> {
        let ds = net.dataset();
        let cd = &ds.constraints;
        let n = net.n_arcs();
        let containerised = commodity == Commodity::Container;
        let mut c = Constraints {
            cut: vec![0; n],
            customs: vec![None; n],
            ..Default::default()
        };
        // Gross weight per box: payload + tare (tare counts toward weight limits only).
        if containerised {
            let (size, per_box_teu) = match cargo {
                Cargo::Boxes { size, .. } => (*size, if *size == BoxSize::Feu { 2.0 } else { 1.0 }),
                Cargo::Tonnes { .. } => (BoxSize::Feu, 2.0),
            };
            let (kind, fallback) = match (size, opts.reefer) {
                (BoxSize::Teu, false) => ("20", TARE_T_TEU),
                (BoxSize::Feu, false) => ("40", TARE_T_FEU),
                (BoxSize::Teu, true) => ("20_reefer", TARE_T_TEU_REEFER),
                (BoxSize::Feu, true) => ("40_reefer", TARE_T_FEU_REEFER),
            };
            let row = cd.cargo_rules.iter().find_map(|r| {
                r.tare
                    .as_ref()
                    .filter(|(b, _)| b == kind)
                    .map(|(_, t)| (*t, r))
            });
            let tare = row.map_or(fallback, |(t, _)| t);
            c.tare_source = row.map(|(_, r)| r.source.clone());
            c.tare_t_per_box = Some(tare);
            c.gross_t_per_box = Some(cargo.payload_t_per_teu() * per_box_teu + tare);
        }
        let add = |c: &mut Constraints, ai: usize, kind: u8, why: String| {
            c.cut[ai] |= kind;
            let v = c.why.entry(ai).or_default();
            if !v.iter().any(|(k, w)| *k == kind && *w == why) {
                v.push((kind, why));
            }
        };
        for (ri, r) in cd.cargo_rules.iter().enumerate() {
            let (kind, why) = match r.kind {
                CargoRuleKind::NoReefer if opts.reefer => (
                    CUT_REEFER,
                    format!(
                        "{} ({}: no reefer power, source {})",
                        r.id,
                        r.applies_to.label(),
                        r.source
                    ),
                ),
                CargoRuleKind::DgBan => match &opts.dangerous_goods {
                    Some(cl) if r.dg_classes.iter().any(|b| dg_covers(b, cl)) => (
                        CUT_DG,
                        format!(
                            "{} ({}: bans class {}, source {})",
                            r.id,
                            r.applies_to.label(),
                            r.dg_classes.join("|"),
                            r.source
                        ),
                    ),
                    _ => continue,
                },
                CargoRuleKind::MaxGrossT => match (c.gross_t_per_box, r.limit_t) {
                    (Some(g), Some(lim)) if g > lim + 1e-9 => (
                        CUT_WEIGHT,
                        format!(
                            "{} ({}{}: at most {lim} t gross per box, the box weighs {g:.2} t with tare; source {})",
                            r.id,
                            r.applies_to.label(),
                            r.mode.map(|m| format!(" {m}")).unwrap_or_default(),
                            r.source
                        ),
                    ),
                    _ => continue,
                },
                _ => continue,
            };
            for &ai in &index.cargo_rule_arcs[ri] {
                add(&mut c, ai as usize, kind, why.clone());
            }
        }
        // Capacity of one departure.
        for &ai in &index.capacity_arcs {
            let l = net.link(net.arc(ai as usize).link as usize);
            let (Some(cap), Some((need, what))) = (
                l.capacity,
                capacity_need(&l.capacity_unit, cargo, containerised),
            ) else {
                continue;
            };
            if need > cap + 1e-9 {
                add(
                    &mut c,
                    ai as usize,
                    CUT_CAPACITY,
                    format!(
                        "{} takes {cap} {what} a departure ({}, source {}), the shipment needs {need}",
                        l.id,
                        l.capacity_unit,
                        l.capacity_source.as_deref().unwrap_or("-")
                    ),
                );
            }
        }
        if opts.reefer {
            c.reefer_for(net, index, cargo);
        }
        c.customs_for(net, index, opts, cargo, containerised)?;
        Ok(c)
    }

    /// Per arc (legs, not border crossings), the most specific `reefer_surcharge` rule that
    /// covers it (a link's over a place's, a country's, `all`; the dearer on a tie), priced
    /// for the cargo's boxes: per box, or per box and day of the arc's typical time.
    fn reefer_for(&mut self, net: Graph<'_>, index: &RuleIndex, cargo: &Cargo) {
        let ds = net.dataset();
        let mut best: Vec<Option<(u8, f64, usize)>> = vec![None; net.n_arcs()];
        for (ri, r) in ds.constraints.cargo_rules.iter().enumerate() {
            let Some(sc) = &r.surcharge else { continue };
            let rate = ds.usd_per(&sc.currency).unwrap_or(0.0);
            let spec = specificity(&r.applies_to);
            for &ai in &index.cargo_rule_arcs[ri] {
                let arc = net.arc(ai as usize);
                if arc.mode == corridor_data::Mode::Border {
                    continue;
                }
                let days = if sc.per_day {
                    (arc.moving_h.typical + arc.wait_h.typical + arc.dwell_h.typical) / 24.0
                } else {
                    1.0
                };
                let usd = sc.amount * rate * cargo.boxes() * days;
                let b = &mut best[ai as usize];
                if b.is_none_or(|(s, u, _)| spec > s || (spec == s && usd > u)) {
                    *b = Some((spec, usd, ri));
                }
            }
        }
        self.reefer = best
            .into_iter()
            .map(|b| b.map(|(_, u, ri)| (u, ri)))
            .collect();
    }

    /// With `reefer`: the surcharge on arc `ai` (USD for the cargo) and its rule.
    pub fn reefer_surcharge(&self, ai: usize) -> Option<(f64, usize)> {
        self.reefer.get(ai).copied().flatten()
    }

    fn customs_for(
        &mut self,
        net: Graph<'_>,
        index: &RuleIndex,
        opts: &CargoOptions,
        cargo: &Cargo,
        containerised: bool,
    ) -> Result<(), QueryError> {
        let ds = net.dataset();
        let regime = opts.customs;
        if regime == Regime::Standard {
            return Ok(());
        }
        let rows: Vec<(usize, &corridor_data::constraints::CustomsRule)> = ds
            .constraints
            .customs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.regime == regime)
            .collect();
        if rows.is_empty() {
            self.warnings.push(format!(
                "--customs {}: the data gives this regime at no border (customs.csv), so every border keeps its standard dwell",
                regime.as_str()
            ));
            return Ok(());
        }
        let qualifying: Vec<_> = rows
            .iter()
            .filter(|(_, r)| r.goods.is_none_or(|g| g == opts.goods))
            .collect();
        if qualifying.is_empty() {
            let need: BTreeSet<&str> = rows
                .iter()
                .filter_map(|(_, r)| r.goods.map(|g| g.as_str()))
                .collect();
            return Err(QueryError::InvalidQuery {
                message: format!(
                    "--customs {} applies only to {} goods in the data ({}); the goods are {}: add --goods {} if they qualify, or choose another regime",
                    regime.as_str(),
                    need.iter().copied().collect::<Vec<_>>().join(", "),
                    rows.iter().map(|(_, r)| r.link.as_str()).collect::<Vec<_>>().join(", "),
                    opts.goods.as_str(),
                    need.iter().next().copied().unwrap_or("agricultural")
                ),
            });
        }
        for (ri, r) in qualifying {
            let fee_usd = r
                .fee
                .as_ref()
                .map(|p| {
                    p.fixed
                        * ds.usd_per(&p.currency).unwrap_or(0.0)
                        * cargo.units(p.unit, containerised)
                })
                .unwrap_or(0.0);
            for &ai in &index.customs_arcs[*ri] {
                self.customs[ai as usize] = Some(CustomsArc {
                    rule: *ri,
                    dwell_h: r.dwell_h,
                    fee_usd,
                });
            }
        }
        Ok(())
    }

    /// The cargo constraints that cut some arc, in the order the NoRoute explanation adds
    /// them: (cut kind, the constraint as named to the user, what it cuts).
    pub fn ladder(&self, opts: &CargoOptions, cargo: &Cargo) -> Vec<(u8, String, String)> {
        let steps = [
            (
                CUT_REEFER,
                opts.reefer.then(|| "--reefer".to_string()),
                "legs or places without reefer power",
            ),
            (
                CUT_DG,
                opts.dangerous_goods
                    .as_ref()
                    .map(|c| format!("--dangerous-goods {c}")),
                "legs or places that ban the class",
            ),
            (
                CUT_WEIGHT,
                self.gross_t_per_box.map(|g| {
                    format!(
                        "gross weight {g:.2} t per box (--cargo {} at {} t net per TEU + {} t tare)",
                        cargo.label(),
                        cargo.payload_t_per_teu(),
                        self.tare_t_per_box.unwrap_or(0.0)
                    )
                }),
                "weight limits (payload + tare per box)",
            ),
            (
                CUT_CAPACITY,
                Some(format!("capacity per departure for --cargo {}", cargo.label())),
                "the capacity of one departure (several departures are not modelled: split the shipment, e.g. two requests)",
            ),
        ];
        steps
            .into_iter()
            .filter(|(bit, _, _)| self.cut.iter().any(|&m| m & bit != 0))
            .filter_map(|(bit, name, what)| {
                name.map(|n| {
                    (
                        bit,
                        n.clone(),
                        format!("{n} cut off the last route: {what}"),
                    )
                })
            })
            .collect()
    }

    /// Whether an arc is allowed under the cut kinds in `active`.
    pub fn allows(&self, ai: usize, active: u8) -> bool {
        self.cut.get(ai).is_none_or(|&m| m & active == 0)
    }

    /// The reasons of kind `kind` that cut arcs of `arcs` (a route found without that kind).
    pub fn reasons(&self, arcs: impl Iterator<Item = usize>, kind: u8) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for ai in arcs {
            for (k, w) in self.why.get(&ai).into_iter().flatten() {
                if *k == kind && !out.contains(w) {
                    out.push(w.clone());
                }
            }
        }
        out
    }

    /// Every reason of a kind, over all arcs (capped), when no route is at hand.
    pub fn all_reasons(&self, kind: u8, cap: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in self.why.values() {
            for (k, w) in v {
                if *k == kind && !out.contains(w) {
                    out.push(w.clone());
                }
            }
        }
        out.truncate(cap);
        out
    }
}

/// Whether a compliance row applies to an arc taken on carrier `carrier`.
fn flag_applies(
    net: Graph<'_>,
    arc: &Arc,
    carrier: Carrier,
    r: &ComplianceRule,
    regime: Regime,
) -> bool {
    if r.regime.is_some_and(|g| g != regime) {
        return false;
    }
    if let Some(c) = r.carries {
        let on = match c {
            Carries::Truck => carrier == Carrier::TRUCK,
            Carries::Box => carrier == Carrier::BOX,
            Carries::Air => carrier == Carrier::AIR,
            Carries::Pipe => carrier == Carrier::PIPE,
            Carries::Wagon => net.wagon_gauge(carrier).is_some(),
        };
        if !on {
            return false;
        }
    }
    covers(net, arc, &r.applies_to, r.mode)
}

/// The compliance flags of a path: one per row of `compliance.csv` that applies to any of its
/// arcs, with the legs (link ids) it applies to.
pub fn compliance_flags(
    net: Graph<'_>,
    steps: &[(usize, Carrier)],
    regime: Regime,
) -> Vec<ComplianceFlag> {
    let ds = net.dataset();
    let mut out = Vec::new();
    for r in &ds.constraints.compliance {
        let mut links: Vec<String> = Vec::new();
        for &(ai, carrier) in steps {
            let arc = net.arc(ai);
            if flag_applies(net, arc, carrier, r, regime) {
                let id = net.link_id(arc);
                if !links.contains(&id) {
                    links.push(id);
                }
            }
        }
        if links.is_empty() {
            continue;
        }
        out.push(ComplianceFlag {
            id: r.id.clone(),
            kind: r.kind.as_str().into(),
            authority: r.authority.clone(),
            measure: r.measure.clone(),
            requirement: r.requirement.clone(),
            applies_to: r.applies_to.label(),
            links,
            in_force_from: r.in_force_from.map(|d| d.to_string()),
            as_of: r.as_of.to_string(),
            source: r.source.clone(),
        });
    }
    out
}

/// The cargo options as flags, for messages.
pub fn flags(opts: &CargoOptions, cargo: &Cargo) -> Vec<String> {
    let mut v = Vec::new();
    if opts.reefer {
        v.push("--reefer".to_string());
    }
    if let Some(c) = &opts.dangerous_goods {
        v.push(format!("--dangerous-goods {c}"));
    }
    v.push(format!("--cargo {}", cargo.label()));
    v
}
