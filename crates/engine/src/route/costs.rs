//! Stage 3, the cost model: what every arc and every transfer rule costs this plan's cargo,
//! built once per plan. The one place where data turns into weights: the searches, the
//! explanation of a missing route and the itinerary all read their figures here.
//!
//! Per arc ([`ArcCost`]): moving, wait and dwell time (low, typical, high; the dwell of the
//! customs regime where one applies), money (line haul or border fee, customs fee), the
//! search's CO2e and the link's capacity figure. Per transfer rule ([`TransferCost`]): hours
//! (low, typical, high), money, and the hub operation's CO2e (computed on first use: the
//! costliest figure, not every query needs it).
//!
//! Reliability (delay distributions) and assignment (capacity, congestion) extend this type.

use std::cell::OnceCell;

use corridor_data::{Carries, Commodity, EmissionBasis, EmissionFactor, Range3, Transfer};
use corridor_emissions::calc::{self as em, DistanceKind, FactorSet, Tce};

use super::Engine;
use crate::cargo::Cargo;
use crate::constraints::Constraints;
use crate::pareto::Crit;

/// What one arc costs the plan's cargo.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArcCost {
    /// Moving time, hours.
    pub(crate) moving_h: Range3,
    /// Expected wait for a departure, hours; on a road leg with the drivers' breaks and daily
    /// rests it takes from a fresh start (`rest_h`).
    pub(crate) wait_h: Range3,
    /// Expected wait for a train that starts at the arc's tail, hours: only for cargo that
    /// boards there (`Arc::board_wait_h`, `Step::boards`).
    pub(crate) board_wait_h: Range3,
    /// The drivers' limits on the arc (`driving_rules.csv`): its country's rule on a road
    /// arc, else the rule for every country (a truck at a border or on a ferry); `None`
    /// without rules.
    pub(crate) driver: Option<corridor_data::DrivingLimits>,
    /// On a road leg: the breaks and daily rests of `driving_rules.csv` for its driving time,
    /// from a fresh start (the itinerary counts them along the chain of road legs).
    pub(crate) rest_h: Range3,
    /// Dwell, hours: the customs regime's where one applies, else the link's.
    pub(crate) dwell_h: Range3,
    /// Money, USD: the arc's price for the cargo plus the customs regime's fee, and with
    /// `reefer` the reefer surcharge.
    pub(crate) cost_usd: f64,
    /// CO2e (WTW, kg) as the search weighs it: the arc's precomputed factor scaled to the
    /// cargo; 0 without a public factor.
    pub(crate) co2e_kg: f64,
    /// The link's capacity figure, in its `capacity_unit` (informative).
    #[allow(dead_code)]
    pub(crate) capacity: Option<f64>,
}

impl ArcCost {
    /// Typical time over the arc (moving + wait + dwell), hours.
    pub(crate) fn time_h(&self) -> f64 {
        self.moving_h.typical + self.wait_h.typical + self.dwell_h.typical
    }
    /// Delay risk, hours: how far dwell and wait may run over their typical values.
    pub(crate) fn risk_h(&self) -> f64 {
        (self.dwell_h.high - self.dwell_h.typical).max(0.0)
            + (self.wait_h.high - self.wait_h.typical).max(0.0)
    }
}

/// What one transfer rule (a lift, a gauge change) costs the plan's cargo.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TransferCost {
    /// Hours at the hub.
    pub(crate) hours: Range3,
    /// Money, USD (the rule's price in its currency at the data's rates, times the units).
    pub(crate) cost_usd: f64,
}

impl TransferCost {
    /// Delay risk, hours.
    pub(crate) fn risk_h(&self) -> f64 {
        (self.hours.high - self.hours.typical).max(0.0)
    }
}

/// Per-arc and per-transfer figures of one plan (see the module documentation).
#[derive(Debug)]
pub(crate) struct CostModel {
    /// The cargo as the emission method sees it.
    shipment: em::Shipment,
    arcs: Vec<ArcCost>,
    /// Per arc: the `sea_rates.csv` row that priced it on the query's date, if any.
    rate_rows: Vec<Option<usize>>,
    transfers: Vec<TransferCost>,
    /// Per transfer rule: the hub operation's CO2e, kg (0 where the method has no factor).
    transfer_co2: OnceCell<Vec<f64>>,
    /// Criteria `[time, cost, CO2e, risk]` per arc and per transfer rule, with CO2e.
    crit: OnceCell<(Vec<Crit>, Vec<Crit>)>,
    /// The same with CO2e 0 (for searches that do not weigh it).
    crit_no_co2: OnceCell<(Vec<Crit>, Vec<Crit>)>,
    /// Criteria added per arc when the cargo boards it: the wait for a train that starts
    /// there (time, 0, 0, risk).
    board_crit: Vec<Crit>,
}

impl CostModel {
    /// The figures of every arc and transfer rule for a cargo under its constraints.
    pub(crate) fn new(
        engine: &Engine,
        (cargo, commodity): (&Cargo, Commodity),
        cons: &Constraints,
        rate_date: Option<chrono::NaiveDate>,
        drivers: u8,
        dest_country: Option<&str>,
    ) -> CostModel {
        let net = engine.g();
        let ds = net.dataset();
        let dest_trains = dest_trains(ds, dest_country);
        let containerised = commodity == Commodity::Container;
        let periods = super::rates::periods_on(ds, rate_date);
        let mut rate_rows = Vec::new();
        let arcs: Vec<ArcCost> = net
            .arcs()
            .enumerate()
            .map(|(ai, arc)| {
                let customs = cons.customs[ai].as_ref();
                let row = if periods.is_empty() {
                    None
                } else {
                    periods.get(&net.link(arc.link as usize).id).copied()
                };
                rate_rows.push(row);
                let price = match row {
                    Some(i) => {
                        let r = &ds.sea_rates[i];
                        super::rates::usd(ds, r, cargo.units(r.price.unit, containerised))
                    }
                    None => arc
                        .price
                        .map(|p| {
                            cargo.units(p.unit, containerised)
                                * (p.fixed + p.per_km * arc.distance_km)
                        })
                        .unwrap_or(0.0),
                };
                let fee = customs.map_or(0.0, |c| c.fee_usd)
                    + cons.reefer_surcharge(ai).map_or(0.0, |(usd, _)| usd);
                let co2e_kg = match engine.arc_co2_per_unit[ai] {
                    Some((kg, EmissionBasis::Tkm)) => kg * cargo.net_t(),
                    Some((kg, EmissionBasis::TeuKm)) => kg * cargo.teu(),
                    None => 0.0,
                };
                let driver = road_rule(ds, net, arc, drivers)
                    .or_else(|| ds.driving_rule("").map(|r| r.limits(drivers)));
                let rest_h = road_rests(arc, driver.as_ref());
                ArcCost {
                    moving_h: arc.moving_h,
                    wait_h: Range3 {
                        low: arc.wait_h.low + rest_h.low,
                        typical: arc.wait_h.typical + rest_h.typical,
                        high: arc.wait_h.high + rest_h.high,
                    },
                    board_wait_h: board_wait(net, arc, (&dest_trains, dest_country)),
                    driver,
                    rest_h,
                    dwell_h: customs.map_or(arc.dwell_h, |c| c.dwell_h),
                    cost_usd: price + fee,
                    co2e_kg,
                    capacity: net.link(arc.link as usize).capacity,
                }
            })
            .collect();
        let transfers = ds
            .transfers
            .iter()
            .map(|t| TransferCost {
                hours: t.hours,
                cost_usd: t
                    .price
                    .as_ref()
                    .map(|p| {
                        p.fixed
                            * ds.usd_per(&p.currency).unwrap_or(0.0)
                            * cargo.units(p.unit, containerised)
                    })
                    .unwrap_or(0.0),
            })
            .collect();
        let board_crit = arcs
            .iter()
            .map(|a: &ArcCost| board_crit(a.board_wait_h))
            .collect();
        CostModel {
            board_crit,
            shipment: em::Shipment {
                net_t: cargo.net_t(),
                teu: cargo.teu(),
                containers: if containerised { cargo.boxes() } else { 0.0 },
            },
            arcs,
            rate_rows,
            transfers,
            transfer_co2: OnceCell::new(),
            crit: OnceCell::new(),
            crit_no_co2: OnceCell::new(),
        }
    }

    /// The cargo as the emission method sees it.
    pub(crate) fn shipment(&self) -> em::Shipment {
        self.shipment
    }

    /// What arc `ai` costs.
    pub(crate) fn arc(&self, ai: usize) -> &ArcCost {
        &self.arcs[ai]
    }

    /// The `sea_rates.csv` row (index) that priced arc `ai` on the query's date, if any.
    pub(crate) fn rate_row(&self, ai: usize) -> Option<usize> {
        self.rate_rows[ai]
    }

    /// What transfer rule `ri` (an index into `dataset.transfers`) costs.
    pub(crate) fn transfer(&self, ri: usize) -> &TransferCost {
        &self.transfers[ri]
    }

    /// Per arc, what boarding it adds to its criteria (`[time h, 0, 0, risk h]`, the wait for
    /// a train that starts at its tail; see `Step::boards`).
    pub(crate) fn board_crit(&self) -> &[Crit] {
        &self.board_crit
    }

    /// Per-arc and per-transfer-rule criteria `[time h, cost USD, CO2e kg, risk h]`. CO2e
    /// only `with_co2` (the hubs' CO2e is the costliest figure); else 0.
    pub(crate) fn criteria(&self, engine: &Engine, with_co2: bool) -> (&[Crit], &[Crit]) {
        let cell = if with_co2 {
            &self.crit
        } else {
            &self.crit_no_co2
        };
        let (ac, tc) = cell.get_or_init(|| {
            let arc_crit = self
                .arcs
                .iter()
                .map(|a| {
                    let e = if with_co2 { a.co2e_kg } else { 0.0 };
                    [a.time_h(), a.cost_usd, e, a.risk_h()]
                })
                .collect();
            let hub_co2 = with_co2.then(|| self.transfer_co2(engine));
            let transfer_crit = self
                .transfers
                .iter()
                .enumerate()
                .map(|(ri, t)| {
                    let e = hub_co2.map_or(0.0, |h| h[ri]);
                    [t.hours.typical, t.cost_usd, e, t.risk_h()]
                })
                .collect();
            (arc_crit, transfer_crit)
        });
        (ac, tc)
    }

    /// Per transfer rule, the hub operation's CO2e in kg (computed once).
    fn transfer_co2(&self, engine: &Engine) -> &[f64] {
        self.transfer_co2.get_or_init(|| {
            let ds = engine.g().dataset();
            let set = FactorSet::from_dataset(ds);
            ds.transfers
                .iter()
                .map(|t| hub(&set, self.shipment, t, None).co2e_kg.unwrap_or(0.0))
                .collect()
        })
    }

    /// The arc as a transport chain element (ISO 14083 / GLEC, `corridor-emissions`), for
    /// the itinerary: the full method, with the factor's references.
    pub(crate) fn arc_emissions(&self, engine: &Engine, ai: usize) -> em::TceResult {
        let net = engine.g();
        let ds = net.dataset();
        let arc = net.arc(ai);
        let factor = arc
            .emission_factor
            .map(|fi| &ds.emission_factors[fi as usize]);
        let t = engine.tce(ai, self.shipment, factor);
        em::transport(&t, &FactorSet::from_dataset(ds)).unwrap_or_else(|e| em::TceResult {
            id: t.id.clone(),
            mode: arc.mode.as_str().into(),
            distance_km: arc.distance_km,
            distance_kind: DistanceKind::Network,
            emission_distance_km: arc.distance_km,
            tkm: self.shipment.net_t * arc.distance_km,
            teu_km: self.shipment.teu * arc.distance_km,
            energy_mj: None,
            co2e_kg: None,
            co2e_ttw_kg: None,
            co2e_wtt_kg: None,
            intensity_g_per_tkm: None,
            factor: None,
            grid: vec![],
            pollutants: vec![],
            missing: Some(e.message),
        })
    }

    /// The hub operation of a transfer rule at a place, for the itinerary.
    pub(crate) fn hub_emissions(
        &self,
        engine: &Engine,
        rule: &Transfer,
        place: usize,
    ) -> em::HocResult {
        let net = engine.g();
        let set = FactorSet::from_dataset(net.dataset());
        hub(&set, self.shipment, rule, Some(net.place(place)))
    }
}

/// The hub operation of a transfer rule for a shipment, at a place (ids and country in the
/// result) or anywhere (the search's figure: the same CO2e, no names).
fn hub(
    set: &FactorSet,
    shipment: em::Shipment,
    rule: &Transfer,
    place: Option<&corridor_data::Place>,
) -> em::HocResult {
    let ship_side = rule.from.carries == Carries::Box || rule.to.carries == Carries::Box;
    em::hub(&em::Hoc {
        id: place.map_or(String::new(), |pl| {
            format!("{}:{}", pl.id, rule.kind.as_str())
        }),
        kind: rule.kind,
        place: place.map_or(String::new(), |pl| pl.id.clone()),
        country: place.map_or(String::new(), |pl| pl.country.clone()),
        shipment,
        factor: set.hub_for(rule.kind, ship_side),
    })
}

impl Engine {
    /// CO2e per unit of activity for every arc from `from` on (see `Engine::arc_co2_per_unit`):
    /// computed once per engine (and for the door arcs once per door query), scaled to the
    /// cargo by each plan's [`CostModel`].
    pub(crate) fn precompute_arc_co2(&self, from: usize) -> Vec<Option<(f64, EmissionBasis)>> {
        let ds = self.g().dataset();
        let set = FactorSet::from_dataset(ds);
        // A reference shipment of 1 t and 1 TEU: the factor's basis picks which one counts.
        let unit = em::Shipment {
            net_t: 1.0,
            teu: 1.0,
            containers: 1.0,
        };
        (from..self.g().n_arcs())
            .map(|ai| {
                let arc = self.g().arc(ai);
                let f = arc
                    .emission_factor
                    .map(|fi| &ds.emission_factors[fi as usize])?;
                let t = self.tce(ai, unit, Some(f));
                em::transport(&t, &set)
                    .ok()?
                    .co2e_kg
                    .map(|kg| (kg, f.basis))
            })
            .collect()
    }

    /// The arc as a transport chain element for a shipment.
    fn tce<'a>(
        &'a self,
        ai: usize,
        shipment: em::Shipment,
        factor: Option<&'a EmissionFactor>,
    ) -> Tce<'a> {
        let net = self.g();
        let arc = net.arc(ai);
        let mut t = Tce::new(
            &net.link_id(arc),
            arc.mode,
            arc.distance_km,
            DistanceKind::Network,
            shipment,
            factor,
        );
        t.countries = arc
            .countries
            .iter()
            .map(|&i| net.countries()[i as usize].clone())
            .collect();
        // Traction is per link: both directions of a link share its row.
        t.traction = traction_mix(net.dataset(), &net.link(arc.link as usize).id);
        t
    }
}

/// The electrified part of a rail link (`traction.csv`), for its transport chain element.
pub(crate) fn traction_mix<'a>(
    ds: &'a corridor_data::Dataset,
    link_id: &str,
) -> Option<em::TractionMix<'a>> {
    let tr = ds.traction_for(link_id)?;
    if tr.electrified_share <= 0.0 {
        return None;
    }
    Some(em::TractionMix {
        electrified_share: tr.electrified_share,
        electric: ds.electric_rail_factor()?,
        source: tr.source.clone(),
    })
}

/// What boarding an arc adds to its criteria `[time, cost, CO2e, risk]` for a wait for a
/// train: the typical wait, and how far it may run over it.
pub(crate) fn board_crit(wait: Range3) -> Crit {
    [wait.typical, 0.0, 0.0, (wait.high - wait.typical).max(0.0)]
}

/// The directed link ids (link id, reversed) with trains to `dest_country` (`to_countries`).
fn dest_trains<'a>(
    ds: &'a corridor_data::Dataset,
    dest_country: Option<&str>,
) -> Vec<(&'a str, bool)> {
    let Some(c) = dest_country else {
        return Vec::new();
    };
    ds.services
        .iter()
        .filter(|s| s.to_countries.iter().any(|x| x == c))
        .map(|s| match s.link.strip_suffix("~r") {
            Some(base) => (base, true),
            None => (s.link.as_str(), false),
        })
        .collect()
}

/// The wait for a train that starts at an arc's tail: where the arc has trains to the query's
/// destination country (`dest_trains`), those of `corridor_data::boarding_rows` for it, else
/// the arc's trains for every destination.
fn board_wait(
    net: corridor_network::Graph<'_>,
    arc: &corridor_network::Arc,
    (dest_trains, dest_country): (&[(&str, bool)], Option<&str>),
) -> Range3 {
    let id = net.link(arc.link as usize).id.as_str();
    if !dest_trains
        .iter()
        .any(|&(l, r)| l == id && r == arc.reversed)
    {
        return arc.board_wait_h;
    }
    let per_week =
        corridor_data::boarding_rows(&net.dataset().services, &net.link_id(arc), dest_country)
            .iter()
            .map(|s| s.per_week())
            .fold(0.0, f64::max);
    corridor_network::headway_wait(per_week)
}

/// The drivers' working-time rules of a road arc's country (`driving_rules.csv`) for a crew of
/// `drivers`; `None` for other modes or without a rule.
pub(crate) fn road_rule(
    ds: &corridor_data::Dataset,
    net: corridor_network::Graph<'_>,
    arc: &corridor_network::Arc,
    drivers: u8,
) -> Option<corridor_data::DrivingLimits> {
    if arc.mode != corridor_data::Mode::Road {
        return None;
    }
    let country = arc
        .countries
        .first()
        .map(|&c| net.countries()[c as usize].as_str())
        .unwrap_or("");
    ds.driving_rule(country).map(|r| r.limits(drivers))
}

/// The breaks and daily rests of a road arc's driving time (low, typical, high) from a fresh
/// start under its limits `rule`; zero for other modes.
fn road_rests(arc: &corridor_network::Arc, rule: Option<&corridor_data::DrivingLimits>) -> Range3 {
    let Some(rule) = rule.filter(|_| arc.mode == corridor_data::Mode::Road) else {
        return Range3::ZERO;
    };
    let fresh = corridor_data::DriverState::default();
    Range3 {
        low: rule.rests(fresh, arc.moving_h.low).0,
        typical: rule.rests(fresh, arc.moving_h.typical).0,
        high: rule.rests(fresh, arc.moving_h.high).0,
    }
}
