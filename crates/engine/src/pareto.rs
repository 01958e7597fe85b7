//! Multi-criteria label-setting search: the Pareto front over (time h, cost USD, CO2e kg,
//! risk h) on the same (via layer, place, carrier) states as [`crate::search`].
//!
//! Each state keeps a bag of labels that no other label at that state dominates. Labels leave
//! a binary heap in lexicographic order of the criteria (primary first, see
//! [`ParetoInput::order`]), so a label taken from the heap is never dominated by one found
//! later, and labels that the front found so far at the destination dominates are dropped
//! (target pruning). All four criteria are summed along the path *during* the search: the
//! lowest-CO2e route is found even where it shares nothing with the fastest one.
//!
//! - **ε-dominance** keeps the front a useful handful: a new label is dropped if a kept one is
//!   within a factor `1 + ε` of it on every criterion ([`DEFAULT_EPSILON`] = 2%). With ε = 0
//!   the front is exact (the oracle test compares it with brute force).
//! - **Resource constraints**: borders crossed and transshipments are counted per label; a
//!   label over `max_borders` / `max_transshipments` is never created, and while a limit is
//!   set its count is a dominance criterion too (fewer borders can be worth a slower label).
//! - **Budget**: at most `max_labels` labels per query ([`DEFAULT_MAX_LABELS`]); beyond it the
//!   search stops and returns what reached the destination, marked incomplete.
//! - **Lower bounds** (A*-style): per place and criterion, the least that is left to reach a
//!   destination (that criterion alone, transfers counted as 0: one backward Dijkstra per
//!   criterion over the allowed arcs). Labels leave the heap in order of criteria + bound, so
//!   the destination is reached early, and a label whose criteria + bound a destination label
//!   already dominates is dropped: every completion of it would be dominated too. A label at a
//!   place that cannot reach a destination is never created.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use corridor_data::Mode;
use corridor_network::{ArcIdx, Carrier, Graph};

use crate::search::Step;

/// Default relative ε on each criterion (2%).
pub const DEFAULT_EPSILON: f64 = 0.02;
/// Default label budget per query.
pub const DEFAULT_MAX_LABELS: usize = 200_000;

/// The criteria of a label, all additive: `[time h, cost USD, CO2e kg, risk h]`.
pub type Crit = [f64; 4];
/// Index of each criterion in [`Crit`].
pub const TIME: usize = 0;
/// Cost index.
pub const COST: usize = 1;
/// CO2e index.
pub const CO2E: usize = 2;
/// Risk index (sum over dwells and waits of high − typical hours).
pub const RISK: usize = 3;

/// Tuning of the front, per engine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParetoConfig {
    /// Relative ε of ε-dominance on each criterion (0 = exact front).
    pub epsilon: f64,
    /// Most labels one query may create.
    pub max_labels: usize,
}

impl Default for ParetoConfig {
    fn default() -> Self {
        ParetoConfig {
            epsilon: DEFAULT_EPSILON,
            max_labels: DEFAULT_MAX_LABELS,
        }
    }
}

/// What the search needs to know about one query.
pub struct ParetoInput<'a> {
    /// Which arcs may be used.
    pub allowed: &'a [bool],
    /// Criteria of each arc for this cargo.
    pub arc_crit: &'a [Crit],
    /// Criteria of each transfer rule (index into `dataset.transfers`).
    pub transfer_crit: &'a [Crit],
    /// Criteria added to an arc's when the cargo boards it ([`Step::boards`]).
    pub board_crit: &'a [Crit],
    /// Origin places.
    pub sources: &'a [usize],
    /// Destination places (membership by place index).
    pub is_target: &'a [bool],
    /// For each via, membership by place index, in order.
    pub vias: &'a [Vec<bool>],
    /// Which criteria count in dominance (e.g. only the objective, for a constrained
    /// single-objective query).
    pub active: [bool; 4],
    /// Heap order: criteria indices, most significant first.
    pub order: [usize; 4],
    /// Most borders crossed.
    pub max_borders: Option<u32>,
    /// Most transshipments (lifts, gauge changes).
    pub max_transshipments: Option<u32>,
    /// ε and budget.
    pub config: ParetoConfig,
    /// Wall-clock deadline of the query (`--budget-ms`): past it the search stops as at the
    /// label budget. Checked before the first label is expanded and every 256 after, so a
    /// deadline already passed stops it before any label is expanded.
    pub deadline: Option<std::time::Instant>,
}

/// One path on the front.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontPath {
    /// Its criteria.
    pub crit: Crit,
    /// Borders crossed.
    pub borders: u32,
    /// Transshipments.
    pub transshipments: u32,
    /// The arcs taken.
    pub steps: Vec<Step>,
}

/// The result of a Pareto search.
#[derive(Debug, Clone, Default)]
pub struct Front {
    /// Non-dominated paths to the destination, in the heap order they were found.
    pub paths: Vec<FrontPath>,
    /// True if the label budget or the deadline ran out before the search was complete.
    pub incomplete: bool,
    /// True if it was the deadline (`--budget-ms`) that stopped the search.
    pub timed_out: bool,
    /// Labels created.
    pub labels: usize,
}

#[derive(Debug, Clone, Copy)]
struct Label {
    crit: Crit,
    borders: u32,
    trans: u32,
    state: u32,
    parent: u32,
    arc: u32,
    /// The rail arc whose way back the label may not take next (a rail U-turn,
    /// [`Graph::rail_u_turn`]), or `NONE`: the arc it came by, unless a via was passed here.
    ban: u32,
    dead: bool,
}

struct HeapItem {
    key: Crit,
    label: u32,
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
        // Min-heap, lexicographic over the key, then label index (deterministic).
        let mut c = Ordering::Equal;
        for k in 0..4 {
            c = c.then(o.key[k].total_cmp(&self.key[k]));
        }
        c.then(o.label.cmp(&self.label))
    }
}

const NONE: u32 = u32::MAX;
/// Absolute slack for float sums in different orders.
const TOL: f64 = 1e-9;

/// True if `a` ε-dominates `b`: within `1 + eps` of it on every active criterion, and no more
/// borders or transshipments where those are limited.
/// Dominance between labels at one state: on the figures, and `a` may go on wherever `b`
/// may (no U-turn ban, or the same): otherwise the label that may take the way back is kept
/// beside the one that may not, and the search stays exact under the U-turn rule.
fn dominates_at(a: &Label, b: &Label, input: &ParetoInput<'_>, eps: f64) -> bool {
    (a.ban == NONE || a.ban == b.ban) && dominates(a, b, input, eps)
}

fn dominates(a: &Label, b: &Label, input: &ParetoInput<'_>, eps: f64) -> bool {
    for k in 0..4 {
        if input.active[k] && a.crit[k] > b.crit[k] * (1.0 + eps) + TOL * (1.0 + b.crit[k].abs()) {
            return false;
        }
    }
    (input.max_borders.is_none() || a.borders <= b.borders)
        && (input.max_transshipments.is_none() || a.trans <= b.trans)
}

/// Exact dominance of criteria vectors with float slack (for the merge of fronts).
pub fn dominates_crit(a: &Crit, b: &Crit) -> bool {
    (0..4).all(|k| a[k] <= b[k] + TOL * (1.0 + b[k].abs()))
}

/// For each place, a lower bound on each criterion of the rest of any path to a destination:
/// the shortest path on that criterion alone over the allowed arcs, transfers counted as 0
/// (backward Dijkstra from the destinations); infinite where no destination can be reached.
/// All zero (no pruning, plain order) if a figure is negative, where no bound is sound; zero
/// on time unless `time_bound` (the time is the sum of the arcs' time figures).
fn lower_bounds(net: Graph<'_>, input: &ParetoInput<'_>, time_bound: bool) -> Vec<Crit> {
    let n = net.n_places();
    let negative = |c: &Crit| c.iter().any(|&x| x.is_nan() || x < 0.0);
    if input.arc_crit.iter().any(negative) || input.transfer_crit.iter().any(negative) {
        return vec![[0.0; 4]; n];
    }
    // Incoming allowed arcs per place (the network's CSR is by origin).
    let mut first_in = vec![0u32; n + 1];
    for (ai, a) in net.arcs().enumerate() {
        if input.allowed[ai] {
            first_in[a.to.index() + 1] += 1;
        }
    }
    for i in 0..n {
        first_in[i + 1] += first_in[i];
    }
    let mut fill = first_in.clone();
    let mut in_arcs = vec![0u32; first_in[n] as usize];
    for (ai, a) in net.arcs().enumerate() {
        if input.allowed[ai] {
            in_arcs[fill[a.to.index()] as usize] = ai as u32;
            fill[a.to.index()] += 1;
        }
    }
    let mut lb = vec![[f64::INFINITY; 4]; n];
    let mut heap = BinaryHeap::new();
    for k in 0..4 {
        if !input.active[k] || (k == TIME && !time_bound) {
            // Not compared, or not additive: no bound.
            lb.iter_mut().for_each(|b| b[k] = 0.0);
            continue;
        }
        // Non-negative floats order as their bits.
        for (p, _) in input.is_target.iter().enumerate().filter(|(_, &t)| t) {
            lb[p][k] = 0.0;
            heap.push(std::cmp::Reverse((0u64, p as u32)));
        }
        while let Some(std::cmp::Reverse((bits, u))) = heap.pop() {
            let d = f64::from_bits(bits);
            let u = u as usize;
            if d > lb[u][k] {
                continue;
            }
            for &ai in &in_arcs[first_in[u] as usize..first_in[u + 1] as usize] {
                let v = net.arc(ai as usize).from.index();
                let nd = d + input.arc_crit[ai as usize][k];
                if nd < lb[v][k] {
                    lb[v][k] = nd;
                    heap.push(std::cmp::Reverse((nd.to_bits(), v as u32)));
                }
            }
        }
    }
    lb
}

/// Runs the label-setting search.
pub fn front(net: Graph<'_>, input: &ParetoInput<'_>) -> Front {
    let additive = |ai: usize, t: f64, tc: f64, boards: bool| {
        let b = if boards {
            input.board_crit[ai][TIME]
        } else {
            0.0
        };
        Some(t + (tc + input.arc_crit[ai][TIME] + b))
    };
    search(net, input, additive, true)
}

/// As [`front`], with the time criterion after an arc computed by `arc_time`: given the arc,
/// the time at its tail, the hours of the transfer onto it (0 if none) and whether the cargo
/// boards it ([`Step::boards`]; the boarding criteria's time is not added, `arc_time` adds
/// what boarding takes), the time at its head, or `None` if the arc cannot be taken then
/// (closed, past a deadline). The other criteria stay additive.
/// `arc_time` must not decrease the time and must be monotone (FIFO) in it, as an
/// earliest-arrival function over a timetable is: then a label that arrives earlier and is no
/// worse on the rest stays no worse after any continuation, and dominance is exact.
pub fn front_with(
    net: Graph<'_>,
    input: &ParetoInput<'_>,
    arc_time: impl FnMut(usize, f64, f64, bool) -> Option<f64>,
) -> Front {
    // On a clock an arc can take less than its expected figure (a departure due soon): no
    // lower bound on time, only on the additive criteria.
    search(net, input, arc_time, false)
}

/// The search; `time_bound`: the time is additive over `arc_crit`, so it has a lower bound.
/// Labels leave the heap until it is empty, the label budget is spent or the deadline passes.
fn search(
    net: Graph<'_>,
    input: &ParetoInput<'_>,
    mut arc_time: impl FnMut(usize, f64, f64, bool) -> Option<f64>,
    time_bound: bool,
) -> Front {
    let mut s = Search::new(net, input, time_bound);
    let mut incomplete = false;
    let mut timed_out = false;
    let mut pops: u32 = 0;
    loop {
        if pops.is_multiple_of(256)
            && input
                .deadline
                .is_some_and(|d| std::time::Instant::now() >= d)
        {
            incomplete = true;
            timed_out = true;
            s.collect_targets();
            break;
        }
        pops = pops.wrapping_add(1);
        let Some(HeapItem { label: li, .. }) = s.heap.pop() else {
            break;
        };
        let l = s.labels[li as usize];
        if l.dead {
            continue;
        }
        let (layer, place, c) = s.decode(l.state);
        if s.hopeless(li, &l, place) {
            continue;
        }
        if layer == input.vias.len() && input.is_target[place] {
            s.targets.push(li);
            continue;
        }
        if s.expand(li, &l, (layer, place, c), &mut arc_time) {
            incomplete = true;
            s.collect_targets();
            break;
        }
    }
    Front {
        paths: paths_of(&s.labels, &s.targets, input, s.nc),
        incomplete,
        timed_out,
        labels: s.labels.len(),
    }
}

/// One label-setting search in progress: the labels, their bags per state, the heap and the
/// labels at the destination, over the lower bounds of the places.
struct Search<'a> {
    net: Graph<'a>,
    input: &'a ParetoInput<'a>,
    n_places: usize,
    nc: usize,
    eps: f64,
    /// Per place, the least of each criterion left to a destination.
    lb: Vec<Crit>,
    labels: Vec<Label>,
    bags: Vec<Vec<u32>>,
    heap: BinaryHeap<HeapItem>,
    targets: Vec<u32>,
}

impl<'a> Search<'a> {
    /// The search with its lower bounds computed and a label at each start state.
    fn new(net: Graph<'a>, input: &'a ParetoInput<'a>, time_bound: bool) -> Search<'a> {
        let n_places = net.n_places();
        let nc = net.n_carriers();
        let layers = input.vias.len() + 1;
        let mut s = Search {
            net,
            input,
            n_places,
            nc,
            eps: input.config.epsilon.max(0.0),
            lb: lower_bounds(net, input, time_bound),
            labels: Vec::new(),
            bags: vec![Vec::new(); layers * n_places * nc],
            heap: BinaryHeap::new(),
            targets: Vec::new(),
        };
        let starts: Vec<u32> = input
            .sources
            .iter()
            .map(|&src| s.state(s.advance(0, src), src, Carrier::NONE))
            .collect();
        seed(&mut s.labels, &mut s.bags, &mut s.heap, starts.into_iter());
        s
    }

    /// The index of state (via layer, place, carrier).
    fn state(&self, layer: usize, place: usize, c: Carrier) -> u32 {
        ((layer * self.n_places + place) * self.nc + c.0 as usize) as u32
    }

    /// (via layer, place, carrier) of a state index.
    fn decode(&self, state: u32) -> (usize, usize, Carrier) {
        let su = state as usize;
        let c = Carrier((su % self.nc) as u8);
        let place = (su / self.nc) % self.n_places;
        (su / self.nc / self.n_places, place, c)
    }

    /// The via layer after arriving at `place` in `layer` (passing the next vias it is).
    fn advance(&self, mut layer: usize, place: usize) -> usize {
        while layer < self.input.vias.len() && self.input.vias[layer][place] {
            layer += 1;
        }
        layer
    }

    /// Criteria plus what is at least left from the place: the heap order and what pruning
    /// sees.
    fn optimistic(&self, c: &Crit, place: usize) -> Crit {
        std::array::from_fn(|k| c[k] + self.lb[place][k])
    }

    /// Target pruning: whether the destination front dominates label `li`'s criteria plus
    /// bound (it leads nowhere better).
    fn hopeless(&self, li: u32, l: &Label, place: usize) -> bool {
        let best_case = Label {
            crit: self.optimistic(&l.crit, place),
            ..*l
        };
        self.targets.iter().any(|&t| {
            t != li && dominates(&self.labels[t as usize], &best_case, self.input, self.eps)
        })
    }

    /// Extends label `li` (at `at`: via layer, place, carrier) over the allowed arcs of its
    /// place; true if the label budget ran out.
    fn expand(
        &mut self,
        li: u32,
        l: &Label,
        at: (usize, usize, Carrier),
        arc_time: &mut impl FnMut(usize, f64, f64, bool) -> Option<f64>,
    ) -> bool {
        let (layer, place, c) = at;
        let (net, input) = (self.net, self.input);
        let came = (l.ban != NONE).then_some(l.ban as usize);
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
            let (tc, is_transfer) = match net.transfer(place, c, c2) {
                Err(()) => continue,
                Ok(None) => ([0.0; 4], false),
                Ok(Some(_)) => match net.transfer_index(place, c, c2) {
                    Some(ri) => (input.transfer_crit[ri], true),
                    None => continue,
                },
            };
            let borders = l.borders + u32::from(arc.mode == Mode::Border);
            let trans = l.trans + u32::from(is_transfer);
            if input.max_borders.is_some_and(|m| borders > m)
                || input.max_transshipments.is_some_and(|m| trans > m)
            {
                continue;
            }
            let ac = input.arc_crit[ai];
            let boards = c != c2;
            let bc = if boards {
                input.board_crit[ai]
            } else {
                [0.0; 4]
            };
            let mut crit = l.crit;
            for k in 0..4 {
                crit[k] += tc[k] + ac[k] + bc[k];
            }
            let Some(t) = arc_time(ai, l.crit[TIME], tc[TIME], boards) else {
                continue;
            };
            crit[TIME] = t;
            let to = arc.to.index();
            if self.lb[to].iter().any(|x| x.is_infinite()) {
                continue; // no destination can be reached from there
            }
            let next_layer = self.advance(layer, to);
            let nst = self.state(next_layer, to, c2);
            let cand = Label {
                crit,
                borders,
                trans,
                state: nst,
                parent: li,
                arc: ai as u32,
                ban: if arc.mode == Mode::Rail && next_layer == layer {
                    ai as u32
                } else {
                    NONE
                },
                dead: false,
            };
            let best_case = self.optimistic(&crit, to);
            let key = heap_key(&crit, &self.lb[to], input);
            match add_label(
                &mut self.labels,
                &mut self.bags[nst as usize],
                &mut self.heap,
                &self.targets,
                cand,
                best_case,
                key,
                (input, self.eps),
            ) {
                Added::Yes | Added::Dominated => {}
                Added::Full => return true,
            }
        }
        false
    }

    /// The front so far when the search stops early (see [`collect_targets`]).
    fn collect_targets(&mut self) {
        collect_targets(
            &mut self.heap,
            &self.labels,
            &mut self.targets,
            self.input,
            self.n_places,
            self.nc,
        );
    }
}

/// One label of zero criteria at each start state (once per state).
fn seed(
    labels: &mut Vec<Label>,
    bags: &mut [Vec<u32>],
    heap: &mut BinaryHeap<HeapItem>,
    starts: impl Iterator<Item = u32>,
) {
    for st in starts {
        if bags[st as usize].is_empty() {
            let li = labels.len() as u32;
            labels.push(Label {
                crit: [0.0; 4],
                borders: 0,
                trans: 0,
                state: st,
                parent: NONE,
                arc: NONE,
                ban: NONE,
                dead: false,
            });
            bags[st as usize].push(li);
            heap.push(HeapItem {
                key: [0.0; 4],
                label: li,
            });
        }
    }
}

/// The heap order of a label at a place with bound `lb`: the active criteria plus what is at
/// least left, in the input's order (inactive ones 0).
fn heap_key(c: &Crit, lb: &Crit, input: &ParetoInput<'_>) -> Crit {
    let mut k = [0.0; 4];
    for (i, &o) in input.order.iter().enumerate() {
        k[i] = if input.active[o] { c[o] + lb[o] } else { 0.0 };
    }
    k
}

/// What became of a candidate label.
enum Added {
    /// In its state's bag and on the heap.
    Yes,
    /// A label at its state or at the destination dominates it.
    Dominated,
    /// The label budget is spent.
    Full,
}

/// Adds a candidate label to its state's `bag` unless a label there dominates it, or one at
/// the destination dominates its `best_case` (its criteria plus the bound of what is left);
/// the labels of the bag it dominates exactly die.
#[allow(clippy::too_many_arguments)]
fn add_label(
    labels: &mut Vec<Label>,
    bag: &mut Vec<u32>,
    heap: &mut BinaryHeap<HeapItem>,
    targets: &[u32],
    cand: Label,
    best_case: Crit,
    key: Crit,
    (input, eps): (&ParetoInput<'_>, f64),
) -> Added {
    if bag
        .iter()
        .any(|&o| dominates_at(&labels[o as usize], &cand, input, eps))
    {
        return Added::Dominated;
    }
    let best_case = Label {
        crit: best_case,
        ..cand
    };
    if targets
        .iter()
        .any(|&t| dominates(&labels[t as usize], &best_case, input, eps))
    {
        return Added::Dominated;
    }
    if labels.len() >= input.config.max_labels {
        return Added::Full;
    }
    // Drop the labels the new one dominates exactly (not yet expanded ones die).
    bag.retain(|&o| {
        let old = &mut labels[o as usize];
        if dominates_at(&cand, old, input, 0.0) {
            old.dead = true;
            false
        } else {
            true
        }
    });
    let ni = labels.len() as u32;
    labels.push(cand);
    bag.push(ni);
    heap.push(HeapItem { key, label: ni });
    Added::Yes
}

/// The front's paths from the labels at the destination: those a later one dominates
/// exactly are dropped, each other one traced back to its source.
fn paths_of(
    labels: &[Label],
    targets: &[u32],
    input: &ParetoInput<'_>,
    nc: usize,
) -> Vec<FrontPath> {
    // Labels at the destination that a later one dominates exactly are dropped.
    let kept: Vec<u32> = targets
        .iter()
        .copied()
        .filter(|&t| {
            let lt = &labels[t as usize];
            !targets.iter().any(|&o| {
                o != t && {
                    let lo = &labels[o as usize];
                    dominates(lo, lt, input, 0.0) && (!dominates(lt, lo, input, 0.0) || o < t)
                }
            })
        })
        .collect();
    kept.into_iter()
        .map(|t| {
            let lt = labels[t as usize];
            let mut steps = Vec::new();
            let mut cur = t;
            while labels[cur as usize].parent != NONE {
                let lc = labels[cur as usize];
                let prev = labels[lc.parent as usize];
                steps.push(Step {
                    arc: ArcIdx(lc.arc),
                    before: Carrier((prev.state as usize % nc) as u8),
                    after: Carrier((lc.state as usize % nc) as u8),
                });
                cur = lc.parent;
            }
            steps.reverse();
            FrontPath {
                crit: lt.crit,
                borders: lt.borders,
                transshipments: lt.trans,
                steps,
            }
        })
        .collect()
}

/// The front so far when the search stops early: labels already at the destination but not
/// yet taken from the heap.
fn collect_targets(
    heap: &mut BinaryHeap<HeapItem>,
    labels: &[Label],
    targets: &mut Vec<u32>,
    input: &ParetoInput<'_>,
    n_places: usize,
    nc: usize,
) {
    for HeapItem { label, .. } in heap.drain() {
        let l = &labels[label as usize];
        let su = l.state as usize;
        let place = (su / nc) % n_places;
        if !l.dead && su / nc / n_places == input.vias.len() && input.is_target[place] {
            targets.push(label);
        }
    }
    targets.sort_unstable();
}
