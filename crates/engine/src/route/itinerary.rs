//! Stage 7, the itinerary: a found path (steps) turned into the answer's legs, transfers and
//! borders, each with its figures and sources, and the totals. Every figure comes from the
//! plan's cost model; CO2e is summed by the emission method's footprint (ISO 14083).
//!
//! The path is walked once, in order; each kind of step has its builder ([`Builder::transfer`],
//! [`Builder::border`], [`Builder::leg`]), which adds the step, its chain element and its
//! share of the totals; [`Builder::finish`] closes the totals and the warnings.

use std::collections::BTreeSet;

use corridor_data::{Status, Transfer};
use corridor_emissions::calc as em;
use corridor_emissions::chain::{Element, Footprint, PlaceInfo};
use corridor_network::Graph;

use super::plan::Plan;
use super::Engine;
use crate::answer::*;
use crate::search::Step;

impl Engine {
    /// The itinerary of a found path.
    pub(crate) fn itinerary(&self, plan: &Plan, steps: &[Step]) -> Itinerary {
        let net = self.g();
        let mut b = Builder::new(self, plan);
        let rests = self.chain_rests(plan, steps);
        for (st, &rest) in steps.iter().zip(&rests) {
            let arc = net.arc(st.arc.index());
            let here = arc.from.index();
            // Transfer at the arc's tail?
            if let Ok(Some(rule)) = net.transfer(here, st.before, st.after) {
                if let Some(ri) = net.transfer_index(here, st.before, st.after) {
                    b.transfer(st, rule, ri);
                }
            }
            b.arc_totals(st, rest);
            if arc.mode == corridor_data::Mode::Border {
                b.border(st);
            } else {
                b.leg(st, rest);
            }
        }
        b.finish(steps)
    }

    /// A place as answers show it.
    pub(crate) fn place_ref(&self, p: usize) -> PlaceRef {
        let pl = self.g().place(p);
        PlaceRef {
            id: pl.id.clone(),
            name: pl.name.clone(),
            country: pl.country.clone(),
            lat: pl.lat,
            lon: pl.lon,
        }
    }

    /// A place as the emission chain shows it.
    fn place_info(&self, p: usize) -> PlaceInfo {
        let pl = self.g().place(p);
        PlaceInfo {
            id: pl.id.clone(),
            name: pl.name.clone(),
            country: pl.country.clone(),
            lat: pl.lat,
            lon: pl.lon,
        }
    }
}

/// Totals before the first step.
fn empty_totals() -> Totals {
    Totals {
        distance_km: 0.0,
        network_distance_km: 0.0,
        connector_km: 0.0,
        moving_h: 0.0,
        wait_h: 0.0,
        driver_rest_h: 0.0,
        dwell_h: 0.0,
        transit_h: 0.0,
        transit_h_low: 0.0,
        transit_h_high: 0.0,
        transit_days: 0.0,
        cost_usd: 0.0,
        cost_breakdown: CostBreakdown::default(),
        co2e_kg: 0.0,
        co2e_ttw_kg: 0.0,
        co2e_wtt_kg: 0.0,
        co2e_complete: true,
        tkm: 0.0,
        co2e_legs_kg: 0.0,
        co2e_hubs_kg: 0.0,
        co2e_unsplit_kg: 0.0,
        energy_mj: 0.0,
        intensity_g_per_tkm: None,
        nox_kg: None,
        so2_kg: None,
        pm_kg: None,
        emission_method: corridor_emissions::METHOD.into(),
        risk_h: 0.0,
        borders_crossed: 0,
        transshipments: 0,
        countries: vec![],
        modes: vec![],
        depart_utc: None,
        depart_local: None,
        arrive_utc: None,
        arrive_local: None,
        transit_days_p50: None,
        transit_days_p80: None,
        transit_days_p90: None,
        transit_days_p95: None,
        on_time_probability: None,
    }
}

/// An itinerary under construction.
struct Builder<'a> {
    engine: &'a Engine,
    net: Graph<'a>,
    plan: &'a Plan,
    /// The next step's sequence number.
    seq: u32,
    totals: Totals,
    legs: Vec<Leg>,
    transfers: Vec<TransferStep>,
    borders: Vec<BorderStep>,
    warnings: Vec<String>,
    /// The transport chain for the footprint.
    elements: Vec<Element>,
    /// Legs with an estimated distance, time or price.
    estimated_legs: usize,
    /// Links used that are not operating (`id (status)`).
    non_operating: BTreeSet<String>,
}

impl<'a> Builder<'a> {
    fn new(engine: &'a Engine, plan: &'a Plan) -> Builder<'a> {
        Builder {
            engine,
            net: engine.g(),
            plan,
            seq: 0,
            totals: empty_totals(),
            legs: Vec::new(),
            transfers: Vec::new(),
            borders: Vec::new(),
            warnings: Vec::new(),
            elements: Vec::new(),
            estimated_legs: 0,
            non_operating: BTreeSet::new(),
        }
    }

    /// A transfer (lift, gauge change) by `rule` (index `ri`) at the tail of the step's arc.
    fn transfer(&mut self, st: &Step, rule: &Transfer, ri: usize) {
        let (net, plan, engine) = (self.net, self.plan, self.engine);
        let here = net.arc(st.arc.index()).from.index();
        let usd = plan.costs.transfer(ri).cost_usd;
        let mut cb = CostBreakdown::default();
        if rule.kind.is_gauge_change() {
            cb.gauge_change_usd = usd;
        } else {
            cb.handling_usd = usd;
        }
        let totals = &mut self.totals;
        totals.dwell_h += rule.hours.typical;
        totals.transit_h_low += rule.hours.low;
        totals.transit_h_high += rule.hours.high;
        totals.cost_breakdown.add(&cb);
        totals.transshipments += 1;
        totals.risk_h += plan.costs.transfer(ri).risk_h();
        let hr = plan.costs.hub_emissions(engine, rule, here);
        if hr.co2e_kg.is_none() {
            self.warnings.push(format!(
                "transfer at {} ({}): {}; its CO2e is null and not in the total",
                net.place(here).id,
                rule.kind.as_str(),
                hr.missing.clone().unwrap_or_default()
            ));
        }
        self.elements.push(Element::Hub {
            seq: self.seq,
            label: format!("{} {}", net.place(here).name, rule.kind.as_str()),
            place: Some(engine.place_info(here)),
            result: hr.clone(),
        });
        self.transfers.push(TransferStep {
            seq: self.seq,
            place: engine.place_ref(here),
            kind: rule.kind.as_str().into(),
            from_carrier: net.carrier_name(st.before),
            to_carrier: net.carrier_name(st.after),
            dwell_h: rule.hours.typical,
            dwell_h_low: rule.hours.low,
            dwell_h_high: rule.hours.high,
            cost_usd: usd,
            cost_breakdown: cb,
            source: rule.source.clone(),
            time_source: rule.time_source.clone(),
            cost_source: rule.cost_source.clone(),
            co2e_kg: hr.co2e_kg,
            co2e_ttw_kg: hr.co2e_ttw_kg,
            co2e_wtt_kg: hr.co2e_wtt_kg,
            co2e_missing: hr.missing.clone(),
            hub_activity: hr.activity,
            hub_activity_unit: hr.activity_unit.clone(),
            hub_factor: hr.factor.as_ref().map(|f| HubFactorRef {
                id: f.id.clone(),
                hub_type: f.hub_type.clone(),
                description: f.description.clone(),
                basis: f.basis.clone(),
                wtw: f.wtw,
                reference: f.reference.clone(),
                source: f.source.clone(),
            }),
        });
        self.seq += 1;
    }

    /// What every arc, leg or border, adds to the totals: countries, status, times, risk;
    /// `rest` is a road leg's breaks and daily rests along the chain of road legs.
    fn arc_totals(&mut self, st: &Step, rest: f64) {
        let net = self.net;
        let arc = net.arc(st.arc.index());
        let link = net.link(arc.link as usize);
        let dwell = self.plan.costs.arc(st.arc.index()).dwell_h;
        let wait = leg_wait(self.plan, st, rest);
        let (from, to) = (arc.from.index(), arc.to.index());
        let totals = &mut self.totals;
        let push_country = |c: &str, list: &mut Vec<String>| {
            if list.last().map(String::as_str) != Some(c) {
                list.push(c.to_string());
            }
        };
        push_country(&net.place(from).country, &mut totals.countries);
        for c in &link.countries {
            push_country(c, &mut totals.countries);
        }
        push_country(&net.place(to).country, &mut totals.countries);
        if arc.status != Status::Operating {
            self.non_operating
                .insert(format!("{} ({})", net.link_id(arc), arc.status.as_str()));
        }
        totals.dwell_h += dwell.typical;
        totals.wait_h += wait.typical;
        totals.driver_rest_h += rest;
        totals.risk_h += self.plan.costs.arc(st.arc.index()).risk_h();
        if st.boards() {
            totals.risk_h += self.plan.costs.board_crit()[st.arc.index()][crate::pareto::RISK];
        }
        totals.moving_h += arc.moving_h.typical;
        totals.transit_h_low += dwell.low + wait.low + arc.moving_h.low;
        totals.transit_h_high += dwell.high + wait.high + arc.moving_h.high;
    }

    /// A border crossing: its dwell (the customs regime's where one applies) and fee.
    fn border(&mut self, st: &Step) {
        let (net, plan, engine) = (self.net, self.plan, self.engine);
        let ds = net.dataset();
        let arc = net.arc(st.arc.index());
        let link = net.link(arc.link as usize);
        let figures = plan.costs.arc(st.arc.index());
        let (cost, dwell) = (figures.cost_usd, figures.dwell_h);
        let (from, to) = (arc.from.index(), arc.to.index());
        let customs = plan.cons.customs[st.arc.index()].as_ref();
        self.totals.borders_crossed += 1;
        self.totals.cost_breakdown.border_fees_usd += cost;
        self.borders.push(BorderStep {
            seq: self.seq,
            link_id: net.link_id(arc),
            from: engine.place_ref(from),
            to: engine.place_ref(to),
            from_country: net.place(from).country.clone(),
            to_country: net.place(to).country.clone(),
            carrier: net.carrier_name(st.after),
            dwell_h: dwell.typical,
            dwell_h_low: dwell.low,
            dwell_h_high: dwell.high,
            cost_usd: cost,
            source: match customs {
                Some(c) => Some(ds.constraints.customs[c.rule].source.clone()),
                None => link.dwell_source.clone(),
            },
            customs: customs.map(|c| {
                let r = &ds.constraints.customs[c.rule];
                CustomsRef {
                    regime: r.regime.as_str().into(),
                    id: r.id.clone(),
                    standard_dwell_h: arc.dwell_h.typical,
                    fee_usd: c.fee_usd,
                    source: r.source.clone(),
                }
            }),
            calendar_hold: None,
        });
        self.seq += 1;
    }

    /// A leg: its figures, emissions (full method), geometry and sources; `rest` its drivers'
    /// breaks and daily rests along the chain of road legs.
    fn leg(&mut self, st: &Step, rest: f64) {
        let (net, plan, engine) = (self.net, self.plan, self.engine);
        let arc = net.arc(st.arc.index());
        let link = net.link(arc.link as usize);
        let figures = plan.costs.arc(st.arc.index());
        let (cost, dwell) = (figures.cost_usd, figures.dwell_h);
        let wait = leg_wait(plan, st, rest);
        let (from, to) = (arc.from.index(), arc.to.index());
        let mode = arc.mode.as_str().to_string();
        if !self.totals.modes.contains(&mode) {
            self.totals.modes.push(mode.clone());
        }
        let tr = plan.costs.arc_emissions(engine, st.arc.index());
        if tr.co2e_kg.is_none() {
            self.warnings.push(format!(
                "leg {} ({}): no public emission factor for {}; its CO2e is null and not in the total",
                net.link_id(arc),
                arc.mode,
                arc.mode
            ));
        }
        self.elements.push(Element::Leg {
            seq: self.seq,
            label: format!(
                "{} {} → {}",
                arc.mode,
                net.place(from).name,
                net.place(to).name
            ),
            from: Some(engine.place_info(from)),
            to: Some(engine.place_info(to)),
            result: tr.clone(),
        });
        let pollutant = |name: &str| {
            tr.pollutants
                .iter()
                .find(|p| p.pollutant == name)
                .and_then(|p| p.kg)
        };
        self.totals.distance_km += arc.distance_km;
        self.totals.tkm += tr.tkm;
        let reefer = plan
            .opts
            .reefer
            .then(|| leg_reefer(net, engine, plan, st.arc.index()));
        let reefer_usd = reefer.as_ref().map_or(0.0, |r| r.surcharge_usd);
        self.totals.cost_breakdown.line_haul_usd += cost - reefer_usd;
        self.totals.cost_breakdown.reefer_usd += reefer_usd;
        let is_est = |id: &Option<String>| {
            id.as_deref()
                .and_then(|i| net.source(i))
                .is_some_and(|s| s.is_estimate())
        };
        // A dated rate period (sea_rates.csv) that priced the leg cites the cost in its place.
        let rate = plan
            .costs
            .rate_row(st.arc.index())
            .map(|i| &net.dataset().sea_rates[i]);
        let cost_source = match rate {
            Some(r) => Some(r.source.clone()),
            None => link.cost_source.clone(),
        };
        if is_est(&Some(link.distance_source.clone()))
            || is_est(&link.time_source)
            || is_est(&cost_source)
        {
            self.estimated_legs += 1;
        }
        let shape = leg_shape(net, st.arc.index());
        if shape.measured.is_some() {
            self.totals.network_distance_km += arc.distance_km;
            self.totals.connector_km += shape.connector_km;
        }
        self.legs.push(Leg {
            seq: self.seq,
            link_id: net.link_id(arc),
            from: engine.place_ref(from),
            to: engine.place_ref(to),
            mode,
            carrier: net.carrier_name(st.after),
            distance_km: arc.distance_km,
            distance_source: link.distance_source.clone(),
            distance_method: if shape.measured.is_some() {
                "network"
            } else {
                "stated"
            }
            .into(),
            stated_distance_km: shape.measured.as_ref().map(|(km, _)| *km),
            stated_distance_source: shape.measured.map(|(_, s)| s),
            connector_km: shape.connector_km,
            network_check: shape.network_check,
            moving_h: arc.moving_h.typical,
            moving_h_low: arc.moving_h.low,
            moving_h_high: arc.moving_h.high,
            wait_h: wait.typical,
            wait_h_low: wait.low,
            wait_h_high: wait.high,
            driver_rest_h: rest,
            dwell_h: dwell.typical,
            dwell_h_low: dwell.low,
            dwell_h_high: dwell.high,
            cost_usd: cost,
            cost_breakdown: CostBreakdown {
                line_haul_usd: cost - reefer_usd,
                reefer_usd,
                ..Default::default()
            },
            co2e_kg: tr.co2e_kg,
            co2e_ttw_kg: tr.co2e_ttw_kg,
            co2e_wtt_kg: tr.co2e_wtt_kg,
            tkm: tr.tkm,
            energy_mj: tr.energy_mj,
            intensity_g_per_tkm: tr.intensity_g_per_tkm,
            emission_distance_km: tr.emission_distance_km,
            co2e_missing: tr.missing.clone(),
            nox_kg: pollutant("nox"),
            so2_kg: pollutant("so2"),
            pm_kg: pollutant("pm"),
            pollutants_missing: {
                let why: Vec<String> = tr
                    .pollutants
                    .iter()
                    .filter(|p| p.kg.is_none())
                    .map(|p| format!("{}: {}", p.pollutant, p.note))
                    .collect();
                (!why.is_empty()).then(|| why.join("; "))
            },
            emission_factor: factor_ref(&tr),
            countries: arc
                .countries
                .iter()
                .map(|&i| net.countries()[i as usize].clone())
                .collect(),
            passages: arc
                .passages
                .iter()
                .map(|&i| net.passages()[i as usize].clone())
                .collect(),
            status: arc.status.as_str().into(),
            sources: LegSources {
                link: link.source.clone(),
                time: link.time_source.clone(),
                wait: link.wait_source.clone(),
                cost: cost_source,
            },
            geometry: shape.geometry,
            rate_period: rate.map(super::rates::period_ref),
            depart_utc: None,
            depart_local: None,
            arrive_utc: None,
            arrive_local: None,
            calendar_hold: None,
            reefer,
            train: leg_train(engine, plan, st),
        });
        self.seq += 1;
    }

    /// The totals closed (CO2e from the footprint of the whole chain) and the itinerary's
    /// warnings.
    fn finish(mut self, steps: &[Step]) -> Itinerary {
        let (net, plan) = (self.net, self.plan);
        let ds = net.dataset();
        let fp = Footprint::new(plan.costs.shipment(), std::mem::take(&mut self.elements));
        let ft = &fp.totals;
        let totals = &mut self.totals;
        totals.co2e_kg = ft.co2e_kg;
        totals.co2e_ttw_kg = ft.co2e_ttw_kg;
        totals.co2e_wtt_kg = ft.co2e_wtt_kg;
        totals.co2e_complete = ft.complete;
        totals.co2e_legs_kg = ft.co2e_legs_kg;
        totals.co2e_hubs_kg = ft.co2e_hubs_kg;
        totals.co2e_unsplit_kg = ft.co2e_unsplit_kg;
        totals.energy_mj = ft.energy_mj;
        totals.intensity_g_per_tkm = ft.intensity_g_per_tkm;
        totals.nox_kg = ft.nox_kg;
        totals.so2_kg = ft.so2_kg;
        totals.pm_kg = ft.pm_kg;
        totals.transit_h = totals.moving_h + totals.wait_h + totals.dwell_h;
        totals.transit_days = totals.transit_h / 24.0;
        totals.cost_usd = totals.cost_breakdown.total();
        // Measured legs carry 0.1 km; sums of them should not show float noise.
        for km in [
            &mut totals.distance_km,
            &mut totals.network_distance_km,
            &mut totals.connector_km,
        ] {
            *km = (*km * 10.0).round() / 10.0;
        }
        let mut warnings = self.warnings;
        if self.estimated_legs > 0 {
            warnings.push(format!(
                "{} of {} legs use estimated figures (sources whose note starts with 'estimate:')",
                self.estimated_legs,
                self.legs.len()
            ));
        }
        if !self.non_operating.is_empty() {
            warnings.push(format!(
                "uses links that are not operating: {}",
                self.non_operating
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let on_route: Vec<(usize, corridor_network::Carrier)> =
            steps.iter().map(|st| (st.arc.index(), st.after)).collect();
        if plan.opts.customs != corridor_data::constraints::Regime::Standard
            && plan.cons.warnings.is_empty()
            && !steps
                .iter()
                .any(|st| plan.cons.customs[st.arc.index()].is_some())
        {
            let at: BTreeSet<&str> = ds
                .constraints
                .customs
                .iter()
                .filter(|r| r.regime == plan.opts.customs)
                .map(|r| r.link.as_str())
                .collect();
            warnings.push(format!(
                "--customs {} applies at none of this itinerary's borders (the data gives it at {}); the standard dwell is used",
                plan.opts.customs.as_str(),
                at.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        Itinerary {
            compliance: crate::constraints::compliance_flags(net, &on_route, plan.opts.customs),
            labels: vec![plan.optimize.label().into()],
            explanation: String::new(),
            corridor: String::new(),
            totals: self.totals,
            legs: self.legs,
            transfers: self.transfers,
            borders: self.borders,
            warnings,
            reliability: None,
        }
    }
}

/// Where a leg runs: its drawing and how its distance was measured.
struct LegShape {
    /// `[lon, lat]` points from the leg's start to its end.
    geometry: Vec<[f64; 2]>,
    /// The stated distance and its source, when the distance was measured on a network.
    measured: Option<(f64, String)>,
    /// Km from the places to the network (measured legs).
    connector_km: f64,
    /// Why a geometry check did not measure the leg, if one ran.
    network_check: Option<String>,
}

/// The line of arc `ai` (`[lon, lat]` points): as a leg draws it.
pub(crate) fn arc_geometry(net: Graph<'_>, ai: usize) -> Vec<[f64; 2]> {
    leg_shape(net, ai).geometry
}

/// The leg of arc `ai`: a measured network geometry where the data has one, else the link's
/// waypoints between its places.
fn leg_shape(net: Graph<'_>, ai: usize) -> LegShape {
    let ds = net.dataset();
    let arc = net.arc(ai);
    let link = net.link(arc.link as usize);
    let (from, to) = (arc.from.index(), arc.to.index());
    let checked = ds.link_geometry(&link.id);
    let measured =
        checked.filter(|g| g.status == corridor_data::geometry::GeometryStatus::Measured);
    let geometry = match measured {
        Some(g) => corridor_data::geometry::line_lon_lat(&g.points, arc.reversed),
        None => {
            let mut pts: Vec<(f64, f64)> = link.waypoints.clone();
            if arc.reversed {
                pts.reverse();
            }
            let mut geometry = vec![[net.place(from).lon, net.place(from).lat]];
            geometry.extend(pts.iter().map(|&(lat, lon)| [lon, lat]));
            geometry.push([net.place(to).lon, net.place(to).lat]);
            geometry
        }
    };
    let network_check = match checked {
        Some(g) if measured.is_none() => Some(format!(
            "{} on the {} network{}: {}",
            g.status.as_str(),
            g.network,
            g.distance_km
                .map(|km| format!(" ({km:.0} km)"))
                .unwrap_or_default(),
            g.reason
        )),
        _ => None,
    };
    LegShape {
        geometry,
        measured: measured.map(|g| (g.stated_km, g.stated_source.clone())),
        connector_km: measured.map_or(0.0, |g| g.connector_km),
        network_check,
    }
}

/// The emission factor of a leg as answers cite it.
fn factor_ref(tr: &em::TceResult) -> Option<FactorRef> {
    tr.factor.as_ref().map(|f| FactorRef {
        id: f.id.clone(),
        description: f.description.clone(),
        basis: f.basis.clone(),
        wtw: f.wtw,
        source: f.source.clone(),
        ttw: f.ttw,
        wtt: f.wtt,
        vehicle: f.vehicle.clone(),
        energy_carrier: f.energy_carrier.clone(),
        reference: f.reference.clone(),
        multiplier: f.multiplier,
        adjustments: f.adjustments.clone(),
        grid: tr
            .grid
            .iter()
            .map(|g| GridRef {
                country: g.country.clone(),
                share: g.share,
                g_per_kwh: g.g_per_kwh,
                source: g.source.clone(),
            })
            .collect(),
    })
}

/// With `reefer`: the leg's reefer power (the `reefer_power` rules covering its arc) and its
/// surcharge (the rule the constraints chose).
fn leg_reefer(net: Graph<'_>, engine: &Engine, plan: &Plan, ai: usize) -> LegReefer {
    let ds = net.dataset();
    let rules = &ds.constraints.cargo_rules;
    let power_rules: Vec<String> = rules
        .iter()
        .enumerate()
        .filter(|(ri, r)| {
            r.kind == corridor_data::constraints::CargoRuleKind::ReeferPower
                && engine.rules.cargo_rule_arcs[*ri]
                    .binary_search(&(ai as u32))
                    .is_ok()
        })
        .map(|(_, r)| format!("{} ({})", r.id, r.source))
        .collect();
    let surcharge = plan.cons.reefer_surcharge(ai);
    LegReefer {
        power: if power_rules.is_empty() {
            "assumed"
        } else {
            "confirmed"
        }
        .into(),
        power_rules,
        surcharge_usd: surcharge.map_or(0.0, |(usd, _)| usd),
        surcharge_rule: surcharge.map(|(_, ri)| rules[ri].id.clone()),
        surcharge_source: surcharge.map(|(_, ri)| rules[ri].source.clone()),
    }
}

/// A leg's wait (low, typical, high): the cost model's, whose road legs carry their breaks and
/// rests from a fresh start, with the chain's count (`rest`) in place of the typical one; and
/// where the cargo boards a train that starts there, the wait for it.
fn leg_wait(plan: &Plan, st: &Step, rest: f64) -> corridor_data::Range3 {
    let c = plan.costs.arc(st.arc.index());
    let delta = rest - c.rest_h.typical;
    let base = |w: f64, r: f64| (w - r).max(0.0);
    let b = if st.boards() {
        c.board_wait_h
    } else {
        corridor_data::Range3::ZERO
    };
    corridor_data::Range3 {
        low: (c.wait_h.low + delta).max(base(c.wait_h.low, c.rest_h.low)) + b.low,
        typical: c.wait_h.typical + delta + b.typical,
        high: (c.wait_h.high + delta).max(base(c.wait_h.high, c.rest_h.high)) + b.high,
    }
}

/// The block train a leg boarded where it starts waits for (`services.csv` `waits=boarding`),
/// with the expected wait; `None` when the cargo rides through or no such service is given.
pub(crate) fn leg_train(engine: &Engine, plan: &Plan, st: &Step) -> Option<LegTrain> {
    let ai = st.arc.index();
    let b = plan.costs.arc(ai).board_wait_h;
    if !st.boards() || b.typical <= 0.0 {
        return None;
    }
    let g = engine.g();
    let ds = g.dataset();
    let id = g.link_id(g.arc(ai));
    let dest = plan
        .to
        .1
        .places
        .first()
        .map(|&p| g.place(p).country.as_str());
    let rows = corridor_data::boarding_rows(&ds.services, &id, dest);
    let per_week = rows.iter().map(|s| s.per_week()).fold(0.0, f64::max);
    let mut weekdays: Vec<String> = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    for s in &rows {
        for d in &s.weekdays {
            let d = d.to_string();
            if !weekdays.contains(&d) {
                weekdays.push(d);
            }
        }
        if !sources.contains(&s.source) {
            sources.push(s.source.clone());
        }
    }
    Some(LegTrain {
        departures_per_week: per_week,
        weekdays,
        wait_h: b.typical,
        sources,
    })
}
