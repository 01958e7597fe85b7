//! Drivers' working time along an itinerary (`driving_rules.csv`): the breaks and daily rests
//! a truck's driver takes, counted along the whole chain of road legs the truck drives in a
//! row (the cost model counts them per road leg from a fresh start, which is what the search
//! weighs).
//!
//! The chain carries the driver's state (hours driven today and since the last break) from
//! road leg to road leg; a stop as long as a break (a border queue, a ferry crossing with the
//! truck on board) gives a new stint, one as long as a daily rest a new day; a transfer (the
//! box lifted off the truck) or a leg without the truck ends the chain.

use corridor_data::{DriverState, Mode};
use corridor_network::Carrier;

use super::costs::road_rule;
use super::plan::Plan;
use super::Engine;
use crate::search::Step;

impl Engine {
    /// Per step: the breaks and daily rests (hours) its road leg takes along the chain; 0 for
    /// other steps.
    pub(crate) fn chain_rests(&self, plan: &Plan, steps: &[Step]) -> Vec<f64> {
        let net = self.g();
        let ds = net.dataset();
        let mut state = DriverState::default();
        let mut out = Vec::with_capacity(steps.len());
        for st in steps {
            let ai = st.arc.index();
            let arc = net.arc(ai);
            if let Ok(Some(_)) = net.transfer(arc.from.index(), st.before, st.after) {
                state = DriverState::default();
            }
            let costs = plan.costs.arc(ai);
            let stop_h = arc.wait_h.typical + costs.dwell_h.typical;
            let rule = road_rule(ds, net, arc, plan.opts.drivers)
                .or_else(|| ds.driving_rule("").map(|r| r.limits(plan.opts.drivers)));
            let mut rest = 0.0;
            match (arc.mode, rule) {
                (Mode::Road, Some(r)) => {
                    state = r.after_stop(state, stop_h);
                    let (h, s) = r.rests(state, arc.moving_h.typical);
                    rest = h;
                    state = s;
                }
                (Mode::Border, Some(r)) => state = r.after_stop(state, stop_h),
                // The truck rides a ferry: the crossing is a stop for the driver.
                (_, Some(r)) if st.after == Carrier::TRUCK => {
                    state = r.after_stop(state, stop_h + arc.moving_h.typical)
                }
                _ => state = DriverState::default(),
            }
            out.push(rest);
        }
        out
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
