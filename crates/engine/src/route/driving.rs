//! Drivers' working time along an itinerary (`driving_rules.csv`): the breaks and daily rests
//! a truck's driver takes, counted along the whole chain of road legs the truck drives in a
//! row (the cost model counts them per road leg from a fresh start, which is what Dijkstra and
//! the Pareto search weigh; the fastest-route search carries the state, `driver_search.rs`).
//!
//! The chain carries the driver's state (hours driven today and since the last break) from
//! road leg to road leg; a stop as long as a break (a border queue, a ferry crossing with the
//! truck on board) gives a new stint, one as long as a daily rest a new day; a transfer (the
//! box lifted off the truck) or a leg without the truck ends the chain.

use corridor_data::{DriverState, DrivingLimits, Mode};
use corridor_network::Carrier;

use super::plan::Plan;
use super::Engine;
use crate::search::Step;

impl Engine {
    /// Per step: the breaks and daily rests (hours) its road leg takes along the chain; 0 for
    /// other steps.
    pub(crate) fn chain_rests(&self, plan: &Plan, steps: &[Step]) -> Vec<f64> {
        let net = self.g();
        let mut state = DriverState::default();
        let mut out = Vec::with_capacity(steps.len());
        for st in steps {
            let ai = st.arc.index();
            let arc = net.arc(ai);
            let transferred = matches!(
                net.transfer(arc.from.index(), st.before, st.after),
                Ok(Some(_))
            );
            let rule = plan.costs.arc(ai).driver;
            let (rest, s) = driver_step(
                arc,
                st.after,
                rule.as_ref(),
                self.driver_stop_h(plan, ai),
                transferred,
                state,
            );
            state = s;
            out.push(rest);
        }
        out
    }

    /// The hours a truck stands still on arc `ai` before and while it runs (its wait for a
    /// departure and its dwell), as the driver counts them.
    pub(crate) fn driver_stop_h(&self, plan: &Plan, ai: usize) -> f64 {
        self.g().arc(ai).wait_h.typical + plan.costs.arc(ai).dwell_h.typical
    }

    /// How much longer a path's road legs rest along their chains than from a fresh start
    /// each (what the search weighed): added to a found path's time before paths are compared
    /// with each other or with `max_days`.
    pub(crate) fn chain_delta(&self, plan: &Plan, steps: &[Step]) -> f64 {
        self.chain_rests(plan, steps)
            .iter()
            .zip(steps)
            .map(|(r, st)| r - plan.costs.arc(st.arc.index()).rest_h.typical)
            .sum()
    }

    /// Adds [`Self::chain_delta`] to each path's time.
    pub(crate) fn chain_correct(&self, plan: &Plan, paths: &mut [crate::pareto::FrontPath]) {
        for p in paths {
            p.crit[crate::pareto::TIME] += self.chain_delta(plan, &p.steps);
        }
    }

    /// Of `paths`, the fastest with chained rests if it beats `found_h` (the found path's
    /// chained time), else `found`.
    pub(crate) fn chained_fastest(
        &self,
        plan: &Plan,
        paths: Vec<crate::pareto::FrontPath>,
        found_h: f64,
        found: Vec<Step>,
    ) -> Vec<Step> {
        paths
            .into_iter()
            .map(|p| {
                (
                    p.crit[crate::pareto::TIME] + self.chain_delta(plan, &p.steps),
                    p.steps,
                )
            })
            .filter(|(h, _)| *h < found_h - 1e-9)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(found, |(_, s)| s)
    }
}

/// One step of the chain: the rests (hours) arc `arc` takes and the driver's state after it,
/// from `state` before it, with the carrier `after` on the arc, the limits `rule` that apply
/// there, `stop_h` standing still and whether a transfer (the box lifted off the truck)
/// comes first. A road leg drives with rests; a border stop or a ferry crossing with the truck
/// on board is a stop for the driver; anything else ends the chain.
pub(crate) fn driver_step(
    arc: &corridor_network::Arc,
    after: Carrier,
    rule: Option<&DrivingLimits>,
    stop_h: f64,
    transferred: bool,
    state: DriverState,
) -> (f64, DriverState) {
    let state = if transferred {
        DriverState::default()
    } else {
        state
    };
    match (arc.mode, rule) {
        (Mode::Road, Some(r)) => {
            let s = r.after_stop(state, stop_h);
            r.rests(s, arc.moving_h.typical)
        }
        (Mode::Border, Some(r)) => (0.0, r.after_stop(state, stop_h)),
        // The truck rides a ferry: the crossing is a stop for the driver.
        (_, Some(r)) if after == Carrier::TRUCK => {
            (0.0, r.after_stop(state, stop_h + arc.moving_h.typical))
        }
        _ => (0.0, DriverState::default()),
    }
}
