//! The core search: Dijkstra over states (via layer, place, carrier).
//!
//! A state says where the cargo is, what it rides on, and how many of the required `--via`
//! places it has passed. An arc from a state either keeps the carrier or needs a transfer rule
//! at the place (lift, gauge change). Arcs are weighted per query (time, cost or CO2e for the
//! cargo at hand), so CO2e and cost are criteria *during* the search, not scores added after.
//!
//! Ties are broken by a second criterion (time, or cost when time is optimised), then by state
//! index, so answers are deterministic.
//!
//! A box does not ride a train out and back on one line ([`Graph::rail_u_turn`]): the step
//! back is not taken from a label that came by the step out (except where a via is passed).
//! The rule depends on the arc a label came by, so each state keeps two labels: the best, and
//! the best whose banned arc differs from it; whichever arc the best may not take, the best
//! label that may take it is kept, and the search stays exact.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use corridor_network::{ArcIdx, Carrier, Graph};

/// A (primary, secondary) weight compared lexicographically.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Weight(pub f64, pub f64);

impl Weight {
    /// Component-wise sum.
    pub fn plus(self, o: Weight) -> Weight {
        Weight(self.0 + o.0, self.1 + o.1)
    }
    fn cmp(&self, o: &Weight) -> Ordering {
        self.0.total_cmp(&o.0).then(self.1.total_cmp(&o.1))
    }
}

#[derive(Debug, Clone, Copy)]
struct HeapItem {
    w: Weight,
    state: u32,
}

impl PartialEq for HeapItem {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for HeapItem {}
impl PartialOrd for HeapItem {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for HeapItem {
    fn cmp(&self, o: &Self) -> Ordering {
        // Min-heap on (weight, state).
        o.w.cmp(&self.w).then(o.state.cmp(&self.state))
    }
}

/// One step of a found path: an arc taken, with the carrier before and after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// The arc.
    pub arc: ArcIdx,
    /// Carrier on arrival at the arc's tail.
    pub before: Carrier,
    /// Carrier on the arc.
    pub after: Carrier,
}

impl Step {
    /// Whether the cargo boards the arc at its tail (it starts there or changes carrier), and
    /// so waits for a train that starts there (`Arc::board_wait_h`); cargo that keeps its
    /// carrier rides through.
    #[inline]
    pub fn boards(&self) -> bool {
        self.before != self.after
    }
}

/// What the search needs to know about one query.
pub struct SearchInput<'a> {
    /// Which arcs may be used.
    pub allowed: &'a [bool],
    /// Weight of each arc for this cargo and objective.
    pub arc_weight: &'a [Weight],
    /// Weight of each transfer rule (index into `dataset.transfers`).
    pub transfer_weight: &'a [Weight],
    /// Weight added to an arc's when the cargo boards it ([`Step::boards`]): the wait for a
    /// train that starts at its tail.
    pub board_weight: &'a [Weight],
    /// Origin places.
    pub sources: &'a [usize],
    /// Destination places (membership by place index).
    pub is_target: &'a [bool],
    /// For each via, membership by place index, in order.
    pub vias: &'a [Vec<bool>],
}

/// Reusable buffers for [`shortest`]; one per thread.
#[derive(Debug, Default)]
pub struct Workspace {
    dist: Vec<Weight>,
    parent: Vec<(u32, u32)>,
    settled: Vec<bool>,
    /// Per entry: the rail arc whose way back it may not take next, or `NONE`.
    ban: Vec<u32>,
    heap: BinaryHeap<HeapItem>,
}

const NONE: u32 = u32::MAX;

/// Finds the best path, or `None` if no state at a destination is reachable.
pub fn shortest(
    net: Graph<'_>,
    input: &SearchInput<'_>,
    ws: &mut Workspace,
) -> Option<(Weight, Vec<Step>)> {
    shortest_with(net, input, ws, |ai, w, boards| {
        let w = w.plus(input.arc_weight[ai]);
        Some(if boards {
            w.plus(input.board_weight[ai])
        } else {
            w
        })
    })
}

/// As [`shortest`], with the weight after an arc computed by `arc`: given the arc, the
/// weight on leaving for it (after any transfer) and whether the cargo boards it
/// ([`Step::boards`]; `input.board_weight` is not added, `arc` adds what boarding costs), the
/// weight at its head, or `None` if the arc cannot be taken then. `arc` must not decrease the weight and must be monotone (FIFO) in it,
/// as an earliest-arrival function over a timetable is.
pub fn shortest_with(
    net: Graph<'_>,
    input: &SearchInput<'_>,
    ws: &mut Workspace,
    mut arc_fn: impl FnMut(usize, Weight, bool) -> Option<Weight>,
) -> Option<(Weight, Vec<Step>)> {
    let n_places = net.n_places();
    let nc = net.n_carriers();
    let layers = input.vias.len() + 1;
    // Two entries per state: the best label, and the best whose U-turn ban differs from it.
    let n_entries = 2 * layers * n_places * nc;
    ws.dist.clear();
    ws.dist
        .resize(n_entries, Weight(f64::INFINITY, f64::INFINITY));
    ws.parent.clear();
    ws.parent.resize(n_entries, (NONE, NONE));
    ws.settled.clear();
    ws.settled.resize(n_entries, false);
    ws.ban.clear();
    ws.ban.resize(n_entries, NONE);
    ws.heap.clear();

    let state =
        |layer: usize, place: usize, c: Carrier| (layer * n_places + place) * nc + c.0 as usize;
    let advance = |mut layer: usize, place: usize| {
        while layer < input.vias.len() && input.vias[layer][place] {
            layer += 1;
        }
        layer
    };
    for &s in input.sources {
        let e = 2 * state(advance(0, s), s, Carrier::NONE);
        ws.dist[e] = Weight(0.0, 0.0);
        ws.heap.push(HeapItem {
            w: Weight(0.0, 0.0),
            state: e as u32,
        });
    }
    let mut found = None;
    while let Some(HeapItem { w, state: e }) = ws.heap.pop() {
        let eu = e as usize;
        if ws.settled[eu] || w.cmp(&ws.dist[eu]) != Ordering::Equal {
            continue;
        }
        ws.settled[eu] = true;
        let su = eu / 2;
        let c = Carrier((su % nc) as u8);
        let place = (su / nc) % n_places;
        let layer = su / nc / n_places;
        if layer == input.vias.len() && input.is_target[place] {
            found = Some((w, e));
            break;
        }
        let came = (ws.ban[eu] != NONE).then_some(ws.ban[eu] as usize);
        for ai in net.out_arcs(place) {
            if !input.allowed[ai] {
                continue;
            }
            let arc = net.arc(ai);
            let Some(c2) = net.departing_carrier(arc, c) else {
                continue;
            };
            if came.is_some_and(|a| c == c2 && net.rail_u_turn(a, ai)) {
                continue;
            }
            let tw = match net.transfer(place, c, c2) {
                Err(()) => continue,
                Ok(None) => Weight(0.0, 0.0),
                Ok(Some(_)) => match net.transfer_index(place, c, c2) {
                    Some(ri) => input.transfer_weight[ri],
                    None => continue,
                },
            };
            let to = arc.to.index();
            let next_layer = advance(layer, to);
            let Some(nw) = arc_fn(ai, w.plus(tw), c != c2) else {
                continue;
            };
            let ban = if arc.mode == corridor_data::Mode::Rail && next_layer == layer {
                ai as u32
            } else {
                NONE
            };
            offer(ws, 2 * state(next_layer, to, c2), nw, ban, (e, ai as u32));
        }
    }
    let (w, mut e) = found?;
    let mut steps = Vec::new();
    while ws.parent[e as usize].0 != NONE {
        let (prev, ai) = ws.parent[e as usize];
        steps.push(Step {
            arc: ArcIdx(ai),
            before: Carrier((prev as usize / 2 % nc) as u8),
            after: Carrier((e as usize / 2 % nc) as u8),
        });
        e = prev;
    }
    steps.reverse();
    Some((w, steps))
}

/// Offers a label (weight `w`, U-turn ban `ban`, reached from entry and arc `from`) to the
/// state whose first entry is `e0`: entry `e0` keeps the best label, `e0 + 1` the best whose
/// ban differs from it, so that whichever arc the best may not take next, the best label that
/// may take it is kept (the search stays exact under the U-turn rule).
fn offer(ws: &mut Workspace, e0: usize, w: Weight, ban: u32, from: (u32, u32)) {
    let e1 = e0 + 1;
    let set = |ws: &mut Workspace, e: usize, w: Weight, ban: u32, from: (u32, u32)| {
        ws.dist[e] = w;
        ws.ban[e] = ban;
        ws.parent[e] = from;
        ws.heap.push(HeapItem { w, state: e as u32 });
    };
    if !ws.settled[e0] && w.cmp(&ws.dist[e0]) == Ordering::Less {
        // The old best moves to the second entry when its ban differs from the new one's (it
        // is at least as good as the second's old label).
        let (old_w, old_ban, old_from) = (ws.dist[e0], ws.ban[e0], ws.parent[e0]);
        if old_w.0.is_finite() && old_ban != ban && !ws.settled[e1] {
            set(ws, e1, old_w, old_ban, old_from);
        }
        set(ws, e0, w, ban, from);
    } else if ban != ws.ban[e0] && !ws.settled[e1] && w.cmp(&ws.dist[e1]) == Ordering::Less {
        set(ws, e1, w, ban, from);
    }
}
