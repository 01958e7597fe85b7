//! The fastest path with the drivers' rests counted along each chain of road legs
//! (`driving_rules.csv`), exactly: a label-setting search on the states of
//! [`crate::search`] (via layer, place, carrier) whose labels carry the driver's state (hours
//! driven today and since the last break) beside the time.
//!
//! Dijkstra weighs each road leg's rests from a fresh start, a lower bound: a path of many
//! short road legs looks faster than it is. Here every step moves the driver's state as the
//! itinerary does ([`super::driving::driver_step`]), so the time of a label is the path's
//! time with chained rests. A label is dropped when another at the same state is no later, no
//! dearer and has a driver no more tired (driven no more today and since the break): being
//! earlier with a fresher driver never arrives later, since a fresher driver needs no more
//! rests before the next stop that resets the count. Labels leave the heap in order of time
//! plus a lower bound of the time left (A*: a backward Dijkstra on the arcs' times with rests
//! from a fresh start, which a chain never undercuts, so the bound is consistent), so the first
//! to reach the destination is the fastest path.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use corridor_data::DriverState;
use corridor_network::Carrier;

use super::driving::driver_step;
use super::plan::{Active, Plan};
use super::Engine;
use crate::pareto::{COST, TIME};
use crate::search::Step;

/// Most labels one search may create; past it the caller falls back to Dijkstra.
const MAX_LABELS: usize = 200_000;
const NONE: u32 = u32::MAX;
const EPS: f64 = 1e-9;

#[derive(Debug, Clone, Copy)]
struct Label {
    time: f64,
    cost: f64,
    driver: DriverState,
    state: u32,
    parent: u32,
    arc: u32,
    /// The rail arc whose way back the label may not take next (a rail U-turn), or `NONE`.
    ban: u32,
    dead: bool,
}

impl Label {
    /// Whether `self` is at least as good as `o` on every count and may go on wherever `o`
    /// may (no U-turn ban, or the same one).
    fn covers(&self, o: &Label) -> bool {
        (self.ban == NONE || self.ban == o.ban)
            && self.time <= o.time + EPS
            && self.cost <= o.cost + EPS
            && self.driver.day_h <= o.driver.day_h + EPS
            && self.driver.since_break_h <= o.driver.since_break_h + EPS
    }
}

#[derive(Debug, Clone, Copy)]
struct Item {
    /// Time plus the bound of the time left.
    time: f64,
    cost: f64,
    label: u32,
}

impl PartialEq for Item {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Item {
    fn cmp(&self, o: &Self) -> Ordering {
        // Min-heap on (time, cost, label).
        o.time
            .total_cmp(&self.time)
            .then(o.cost.total_cmp(&self.cost))
            .then(o.label.cmp(&self.label))
    }
}

impl Engine {
    /// The fastest path of the plan with chained rests and its hours, or `None` when no state
    /// at the destination is reachable; `Err(())` when the label budget ran out (the caller
    /// falls back to Dijkstra and the chained check of its path).
    pub(crate) fn fastest_chained(
        &self,
        plan: &Plan,
        act: Active,
    ) -> Result<Option<(f64, Vec<Step>)>, ()> {
        let net = self.g();
        let allowed = self.allowed(plan, act);
        let (is_target, vias) = self.masks(plan, act);
        let (ac, tc) = plan.costs.criteria(self, false);
        let bc = plan.costs.board_crit();
        let n_arcs = net.n_arcs();
        // Per arc: the hours standing still, the time without the road rests the cost model
        // counted from a fresh start.
        let stops: Vec<f64> = (0..n_arcs).map(|ai| self.driver_stop_h(plan, ai)).collect();
        let base: Vec<f64> = (0..n_arcs)
            .map(|ai| ac[ai][TIME] - plan.costs.arc(ai).rest_h.typical)
            .collect();

        let n_places = net.n_places();
        let nc = net.n_carriers();
        let lb = time_left(net, &allowed, &is_target, |ai| ac[ai][TIME]);
        let layers = vias.len() + 1;
        let state = |layer: usize, place: usize, c: Carrier| {
            ((layer * n_places + place) * nc + c.0 as usize) as u32
        };
        let advance = |mut layer: usize, place: usize| {
            while layer < vias.len() && vias[layer][place] {
                layer += 1;
            }
            layer
        };
        let mut labels: Vec<Label> = Vec::new();
        let mut bags: Vec<Vec<u32>> = vec![Vec::new(); layers * n_places * nc];
        let mut heap = BinaryHeap::new();
        for &s in &plan.from.1.places {
            let st = state(advance(0, s), s, Carrier::NONE);
            let li = labels.len() as u32;
            labels.push(Label {
                time: 0.0,
                cost: 0.0,
                driver: DriverState::default(),
                state: st,
                parent: NONE,
                arc: NONE,
                ban: NONE,
                dead: false,
            });
            bags[st as usize].push(li);
            heap.push(Item {
                time: lb[s],
                cost: 0.0,
                label: li,
            });
        }
        while let Some(Item { label: li, .. }) = heap.pop() {
            let l = labels[li as usize];
            if l.dead {
                continue;
            }
            let su = l.state as usize;
            let c = Carrier((su % nc) as u8);
            let place = (su / nc) % n_places;
            let layer = su / nc / n_places;
            if layer == vias.len() && is_target[place] {
                return Ok(Some((l.time, steps_of(&labels, li, nc))));
            }
            let came = (l.ban != NONE).then_some(l.ban as usize);
            for ai in net.out_arcs(place) {
                if !allowed[ai] {
                    continue;
                }
                let arc = net.arc(ai);
                let Some(c2) = net.departing_carrier(arc, c) else {
                    continue;
                };
                if came.is_some_and(|a| c == c2 && net.rail_u_turn(a, ai)) {
                    continue;
                }
                let (tw, transferred) = match net.transfer(place, c, c2) {
                    Err(()) => continue,
                    Ok(None) => ([0.0; 4], false),
                    Ok(Some(_)) => match net.transfer_index(place, c, c2) {
                        Some(ri) => (tc[ri], true),
                        None => continue,
                    },
                };
                let (rest, driver) = driver_step(
                    arc,
                    c2,
                    plan.costs.arc(ai).driver.as_ref(),
                    stops[ai],
                    transferred,
                    l.driver,
                );
                let board = if c != c2 { bc[ai][TIME] } else { 0.0 };
                let to = arc.to.index();
                if lb[to].is_infinite() {
                    continue; // no destination from there
                }
                let next_layer = advance(layer, to);
                let cand = Label {
                    time: l.time + tw[TIME] + base[ai] + rest + board,
                    cost: l.cost + tw[COST] + ac[ai][COST],
                    driver,
                    state: state(next_layer, to, c2),
                    parent: li,
                    arc: ai as u32,
                    ban: if arc.mode == corridor_data::Mode::Rail && next_layer == layer {
                        ai as u32
                    } else {
                        NONE
                    },
                    dead: false,
                };
                let bag = &mut bags[cand.state as usize];
                if bag.iter().any(|&o| labels[o as usize].covers(&cand)) {
                    continue;
                }
                bag.retain(|&o| {
                    let keep = !cand.covers(&labels[o as usize]);
                    if !keep {
                        labels[o as usize].dead = true;
                    }
                    keep
                });
                if labels.len() >= MAX_LABELS || plan.out_of_time() {
                    return Err(());
                }
                let ni = labels.len() as u32;
                bag.push(ni);
                heap.push(Item {
                    time: cand.time + lb[to],
                    cost: cand.cost,
                    label: ni,
                });
                labels.push(cand);
            }
        }
        Ok(None)
    }
}

/// Per place, the least time left to a destination over the allowed arcs weighed by `w`
/// (backward Dijkstra; transfers counted as 0); infinite where none is reachable.
fn time_left(
    net: corridor_network::Graph<'_>,
    allowed: &[bool],
    is_target: &[bool],
    w: impl Fn(usize) -> f64,
) -> Vec<f64> {
    let n = net.n_places();
    let mut into: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (ai, a) in net.arcs().enumerate() {
        if allowed[ai] {
            into[a.to.index()].push(ai as u32);
        }
    }
    let mut lb = vec![f64::INFINITY; n];
    let mut heap = BinaryHeap::new();
    for (p, _) in is_target.iter().enumerate().filter(|(_, &t)| t) {
        lb[p] = 0.0;
        heap.push(std::cmp::Reverse((0u64, p as u32)));
    }
    // Non-negative floats order as their bits.
    while let Some(std::cmp::Reverse((bits, u))) = heap.pop() {
        let d = f64::from_bits(bits);
        let u = u as usize;
        if d > lb[u] {
            continue;
        }
        for &ai in &into[u] {
            let ai = ai as usize;
            let v = net.arc(ai).from.index();
            let nd = d + w(ai).max(0.0);
            if nd < lb[v] {
                lb[v] = nd;
                heap.push(std::cmp::Reverse((nd.to_bits(), v as u32)));
            }
        }
    }
    lb
}

/// The steps from a source to label `li`.
fn steps_of(labels: &[Label], mut li: u32, nc: usize) -> Vec<Step> {
    let mut steps = Vec::new();
    while labels[li as usize].parent != NONE {
        let l = labels[li as usize];
        let p = labels[l.parent as usize];
        steps.push(Step {
            arc: corridor_network::ArcIdx(l.arc),
            before: Carrier((p.state as usize % nc) as u8),
            after: Carrier((l.state as usize % nc) as u8),
        });
        li = l.parent;
    }
    steps.reverse();
    steps
}

#[cfg(test)]
mod tests {
    //! The search against brute force: every simple path of the (place, carrier) graph of a
    //! small network, timed by the itinerary (the answers' own figure, chained rests
    //! included); the search's time is the least of them and is the itinerary's time of the
    //! path it returns. Under several drivers' rules, tight enough that chains of road legs
    //! rest where single legs do not.
    use std::path::PathBuf;

    use corridor_data::{Dataset, RawFiles};
    use corridor_network::Carrier;

    use super::super::plan::Active;
    use crate::search::Step;
    use crate::{Engine, RouteRequest};

    fn engine(rule: &str) -> Engine {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/mini");
        let mut raw = RawFiles::read_dir(&dir).unwrap();
        // A road detour Alpha → Xray → Bravo in two short legs beside the 520 km one, and a
        // second road beyond the border, so that chains of road legs compete; and Papa →
        // Quebec → Romeo, where the way to Quebec that arrives later but with a rested driver
        // (a 25 km road behind an 11 h queue, dear) beats the earlier, cheaper one on which the
        // driver has driven 8.9 h: the search must keep both.
        let links = format!(
            "{}\nax-road,CN-alpha,CN-xray,road,,,true,operating,260,T-EST,50,,T-EST,,,,,,,,,,,2.0,truck,USD,2025,T-EST,,,,T-EST\n\
             xb-road,CN-xray,CN-bravo,road,,,true,operating,290,T-EST,50,,T-EST,,,,,,,,,,,2.0,truck,USD,2025,T-EST,,,,T-EST\n\
             cy-road,KZ-charlie,KZ-yankee,road,,,true,operating,240,T-EST,60,,T-EST,,,,,,,,,,,2.0,truck,USD,2025,T-EST,,,,T-EST\n\
             yd-road,KZ-yankee,KZ-delta,road,,,true,operating,2600,T-EST,60,,T-EST,,,,,,,,,,,2.0,truck,USD,2025,T-EST,,,,T-EST\n\
             pq-road,CN-papa,CN-quebec,road,,,true,operating,445,T-EST,50,,T-EST,,,,,,,,,,,2,truck,USD,2025,T-EST,,,,T-EST\n\
             pq-queue,CN-papa,CN-quebec,road,,,true,operating,25,T-EST,50,,T-EST,,,,,,11,,,T-EST,,100,truck,USD,2025,T-EST,,,,T-EST\n\
             qr-road,CN-quebec,CN-romeo,road,,,true,operating,250,T-EST,50,,T-EST,,,,,,,,,,,2,truck,USD,2025,T-EST,,,,T-EST\n",
            raw.files["links.csv"].trim_end()
        );
        raw.files.insert("links.csv", links + "\n");
        let places = format!(
            "{}\nCN-xray,Xray,,CN,44.5,85.3,road_hub,,,Asia/Shanghai,T-EST\n\
             KZ-yankee,Yankee,,KZ,44.5,80.0,road_hub,,,Asia/Almaty,T-EST\n\
             CN-papa,Papa,,CN,44.0,90.0,road_hub,,,Asia/Shanghai,T-EST\n\
             CN-quebec,Quebec,,CN,44.1,90.2,road_hub,,,Asia/Shanghai,T-EST\n\
             CN-romeo,Romeo,,CN,44.1,93.0,road_hub,,,Asia/Shanghai,T-EST\n",
            raw.files["places.csv"].trim_end()
        );
        raw.files.insert("places.csv", places);
        raw.files.insert(
            "driving_rules.csv",
            format!("country,daily_driving_h,continuous_h,break_h,daily_rest_h,source\n{rule}"),
        );
        Engine::new(Dataset::from_raw(&raw).unwrap())
    }

    fn req(from: &str, to: &str) -> RouteRequest {
        let mut r = RouteRequest {
            from: from.into(),
            to: to.into(),
            ..Default::default()
        };
        r.lane.optimize = Some("time".into());
        r.lane.shipment.cargo = Some("1xFEU".into());
        r
    }

    /// Every simple path (no state twice) from the plan's origins to a destination state.
    fn simple_paths(e: &Engine, plan: &super::super::plan::Plan) -> Vec<Vec<Step>> {
        let net = e.g();
        let allowed = e.allowed(plan, Active::all(plan));
        let mut out = Vec::new();
        let mut stack: Vec<(usize, Carrier)> = Vec::new();
        let mut path: Vec<Step> = Vec::new();
        #[allow(clippy::too_many_arguments)]
        fn go(
            e: &Engine,
            plan: &super::super::plan::Plan,
            allowed: &[bool],
            at: (usize, Carrier),
            stack: &mut Vec<(usize, Carrier)>,
            path: &mut Vec<Step>,
            out: &mut Vec<Vec<Step>>,
        ) {
            let net = e.g();
            if plan.to.1.places.contains(&at.0) {
                out.push(path.clone());
                return;
            }
            for ai in net.out_arcs(at.0) {
                if !allowed[ai] {
                    continue;
                }
                let arc = net.arc(ai);
                let Some(c2) = net.departing_carrier(arc, at.1) else {
                    continue;
                };
                if net.transfer(at.0, at.1, c2).is_err() {
                    continue;
                }
                let next = (arc.to.index(), c2);
                if stack.contains(&next) {
                    continue;
                }
                if let Some(prev) = path.last() {
                    if at.1 == c2 && net.rail_u_turn(prev.arc.index(), ai) {
                        continue;
                    }
                }
                stack.push(next);
                path.push(Step {
                    arc: corridor_network::ArcIdx::new(ai),
                    before: at.1,
                    after: c2,
                });
                go(e, plan, allowed, next, stack, path, out);
                path.pop();
                stack.pop();
            }
        }
        for &s in &plan.from.1.places {
            stack.push((s, Carrier::NONE));
            go(
                e,
                plan,
                &allowed,
                (s, Carrier::NONE),
                &mut stack,
                &mut path,
                &mut out,
            );
            stack.pop();
        }
        let _ = net;
        out
    }

    #[test]
    fn the_search_is_the_fastest_simple_path_with_chained_rests() {
        let rules = [
            "all,9,4.5,0.75,11,T-EST\n",
            "all,6,4,1,8,T-EST\n",
            "all,3,2,0.5,10,T-EST\n",
            "all,5,5,0,12,T-EST\n",
        ];
        let lanes = [
            ("CN-alpha", "CN-bravo"),
            ("CN-alpha", "KZ-delta"),
            ("CN-alpha", "AZ-foxtrot"),
            ("KZ-charlie", "AZ-echo"),
            ("CN-xray", "KZ-yankee"),
            ("CN-papa", "CN-romeo"),
        ];
        let mut checked = 0;
        for rule in rules {
            let e = engine(rule);
            for (from, to) in lanes {
                let plan = e.plan(&req(from, to), None).ok().unwrap();
                let (t, steps) = e
                    .fastest_chained(&plan, Active::all(&plan))
                    .unwrap()
                    .expect("a path");
                let own = e.itinerary(&plan, &steps).totals.transit_h;
                assert!(
                    (own - t).abs() < 1e-6,
                    "{from}→{to} {rule}: search {t} vs itinerary {own}"
                );
                let best = simple_paths(&e, &plan)
                    .iter()
                    .map(|p| e.itinerary(&plan, p).totals.transit_h)
                    .fold(f64::INFINITY, f64::min);
                assert!(
                    (best - t).abs() < 1e-6,
                    "{from}→{to} {rule}: search {t} h, brute force {best} h"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 24);
    }
}
