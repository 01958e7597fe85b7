//! From link flows back to the data: loads of links and places, volume/capacity and the delay
//! added at each capacity, the bottleneck list (with the capacity figure's source), the flows
//! by corridor and the cost of each OD pair.

use std::collections::BTreeMap;

use corridor_assign::{Assignment, Network};
use corridor_data::{CapElement, Capacity, DemandRow, Mode};
use serde::Serialize;

use super::graph::{FlowGraph, Role, TEU_PER_TRAIN};
use super::AssignQuery;
use crate::route::Engine;

/// Utilisation from which a capacity is listed as a bottleneck.
pub const BOTTLENECK_VC: f64 = 0.8;

/// The capacity rows a run uses: each binding's operating row, or with `planned` its planned
/// row where the data has one (an announced expansion replaces the figure it expands).
pub(crate) fn capacities_in_use(rows: &[Capacity], planned: bool) -> Vec<&Capacity> {
    let key = |c: &Capacity| {
        (
            c.element == CapElement::Link,
            c.target.clone(),
            c.carrier.clone(),
            c.direction.as_str(),
        )
    };
    let mut by: BTreeMap<_, &Capacity> = BTreeMap::new();
    for c in rows.iter().filter(|c| !c.planned) {
        by.insert(key(c), c);
    }
    if planned {
        for c in rows.iter().filter(|c| c.planned) {
            by.insert(key(c), c);
        }
    }
    by.into_values().collect()
}

/// The load on one capacity of the data.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Bottleneck {
    /// Rank by volume/capacity (1 = the most saturated).
    pub rank: usize,
    /// The capacity row's id (`capacity.csv`).
    pub id: String,
    /// What it binds, in words.
    pub name: String,
    /// `link` or `place`.
    pub element: String,
    /// The link or place id.
    pub target: String,
    /// The direction bound: `forward` or `reverse` (a link's), `load` or `unload` (a place's).
    pub direction: String,
    /// Flow through it, TEU per year.
    pub load_teu_per_year: f64,
    /// The same in trains per day (108 TEU a train).
    pub load_trains_per_day: f64,
    /// Its capacity, TEU per year.
    pub capacity_teu_per_year: f64,
    /// Volume over capacity.
    pub vc: f64,
    /// Hours added per TEU at this load (queue or congestion), over free flow.
    pub delay_h: f64,
    /// Delay × flow, TEU-hours per year.
    pub delay_teu_h_per_year: f64,
    /// The capacity that would carry this load at V/C 0.8 (where it is over), TEU per year.
    pub capacity_needed_teu_per_year: Option<f64>,
    /// Whether this is a planned (announced) capacity.
    pub planned: bool,
    /// The figure as published, with its unit and year.
    pub figure: String,
    /// How the TEU figure follows from it.
    pub conversion: String,
    /// Source id, and its title where the data has it.
    pub source: String,
    /// The row's note.
    pub note: String,
}

/// The load of one link of the data (both directions apart).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LinkLoad {
    /// Link id (`~r` for the reverse direction).
    pub link: String,
    /// From place name.
    pub from: String,
    /// To place name.
    pub to: String,
    /// Mode.
    pub mode: String,
    /// Flow, TEU per year.
    pub teu_per_year: f64,
    /// Trains (rail, border) or sailings' worth at 108 TEU a train per day.
    pub trains_per_day: f64,
    /// Capacity where the data has one, TEU per year.
    pub capacity_teu_per_year: Option<f64>,
    /// Volume over capacity.
    pub vc: Option<f64>,
    /// The link's line, `[lon, lat]` points (a measured network geometry where the data has
    /// one, else its waypoints between the places), as a route's leg draws it.
    pub geometry: Vec<[f64; 2]>,
}

/// Flow along one corridor (the modes and countries a path takes).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CorridorFlow {
    /// The corridor in words: modes and the countries passed (`rail + ferry CN–KZ–AZ–GE–TR`).
    pub corridor: String,
    /// TEU per year.
    pub teu_per_year: f64,
    /// Share of all demand.
    pub share: f64,
}

/// One OD pair at equilibrium.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OdResult {
    /// Demand row id.
    pub id: String,
    /// Origin as resolved.
    pub from: String,
    /// Destination as resolved.
    pub to: String,
    /// TEU per year (with the factor).
    pub teu_per_year: f64,
    /// Generalised cost per TEU at free flow, USD (money + value of time).
    pub free_cost_usd: f64,
    /// Generalised cost per TEU at equilibrium, USD.
    pub cost_usd: f64,
    /// Hours of delay per TEU the loads add (cost difference over the value of time).
    pub delay_h: f64,
}

/// A path an OD pair uses at equilibrium (gradient projection).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PathUse {
    /// Demand row id of the OD pair.
    pub od: String,
    /// The corridor in words.
    pub corridor: String,
    /// The data's links, in order (`~r`: reverse direction).
    pub links: Vec<String>,
    /// TEU per year on it.
    pub teu_per_year: f64,
    /// Generalised cost per TEU at equilibrium, USD.
    pub cost_usd: f64,
}

/// Convergence of the run.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Convergence {
    /// Relative gap reached.
    pub relative_gap: f64,
    /// Whether it is at or below the target.
    pub converged: bool,
    /// Iterations.
    pub iterations: usize,
    /// Seconds.
    pub seconds: f64,
    /// Gap after each iteration (of the last assignment).
    pub gaps: Vec<f64>,
    /// Assignments run to share capacities between links (1: none shared).
    pub sharing_rounds: usize,
}

/// The answer of `corridor assign --demand`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FlowAnswer {
    /// The question as read.
    pub query: AssignQuery,
    /// Total demand, TEU per year.
    pub demand_teu_per_year: f64,
    /// Every capacity of the data the run used, most saturated first.
    pub capacities: Vec<Bottleneck>,
    /// Those at or above V/C 0.8: the bottleneck list.
    pub bottlenecks: Vec<Bottleneck>,
    /// Flows by corridor, largest first.
    pub corridors: Vec<CorridorFlow>,
    /// Loads of the data's links with flow, largest first.
    pub links: Vec<LinkLoad>,
    /// Each OD pair at equilibrium.
    pub od: Vec<OdResult>,
    /// The paths used, per OD pair (gradient projection; empty for the link-based algorithms).
    pub paths: Vec<PathUse>,
    /// Σ flow × generalised cost over all links at equilibrium, USD per year.
    pub total_cost_usd_per_year: f64,
    /// Convergence.
    pub convergence: Convergence,
    /// Caveats.
    pub warnings: Vec<String>,
}

pub(crate) struct Context<'a, 'b> {
    pub engine: &'a Engine,
    pub graph: &'b FlowGraph<'a>,
    pub net: &'b Network,
    pub zones: &'b [(String, Vec<usize>)],
    pub pairs: &'b [(usize, usize, f64, &'b DemandRow)],
    pub vot: f64,
    pub free: &'b [f64],
}

/// Builds the answer from the assignment.
pub(crate) fn answer(cx: &Context<'_, '_>, a: &Assignment, query: AssignQuery) -> FlowAnswer {
    let g = cx.engine.g();
    let ds = g.dataset();
    let fg = cx.graph;
    let mut warnings = Vec::new();
    let source_title = |id: &str| {
        ds.sources
            .iter()
            .find(|s| s.id == id)
            .map_or(id.to_string(), |s| format!("{id}: {}", s.title))
    };
    // Capacities.
    let mut caps: Vec<Bottleneck> = fg
        .bounds
        .iter()
        .map(|b| {
            let load: f64 = b.links.iter().map(|&l| a.flows[l]).sum();
            let delay_h = b
                .links
                .iter()
                .map(|&l| (a.costs[l] - cx.free[l]).max(0.0) / cx.vot.max(1e-9))
                .fold(0.0, f64::max);
            let cap = b.row.teu_per_year;
            let year = b.row.year.map_or(String::new(), |y| format!(" ({y})"));
            Bottleneck {
                rank: 0,
                id: b.row.id.clone(),
                name: b.name.clone(),
                element: if b.row.element == CapElement::Link {
                    "link"
                } else {
                    "place"
                }
                .into(),
                target: b.row.target.clone(),
                direction: b.direction.into(),
                load_teu_per_year: load,
                load_trains_per_day: load / TEU_PER_TRAIN / 365.0,
                capacity_teu_per_year: cap,
                vc: load / cap,
                delay_h,
                delay_teu_h_per_year: delay_h * load,
                capacity_needed_teu_per_year: (load / cap >= BOTTLENECK_VC)
                    .then_some(load / BOTTLENECK_VC),
                planned: b.row.planned,
                figure: if b.row.figure.is_finite() {
                    format!("{} {}{year}", b.row.figure, b.row.unit)
                } else {
                    format!("{}{year}", b.row.unit)
                },
                conversion: b.row.conversion.clone(),
                source: source_title(&b.row.source),
                note: b.row.note.clone(),
            }
        })
        .collect();
    caps.sort_by(|x, y| y.vc.total_cmp(&x.vc).then(x.id.cmp(&y.id)));
    for (i, c) in caps.iter_mut().enumerate() {
        c.rank = i + 1;
    }
    let over: Vec<&Bottleneck> = caps.iter().filter(|c| c.vc > 1.0).collect();
    if !over.is_empty() {
        warnings.push(format!(
            "{} capacit{} over 1.0 V/C ({}): demand exceeds what the data says they pass; the delay shown there is the queue's straight-line continuation past V/C 0.95, a penalty rather than a forecast (docs/flows.md)",
            over.len(),
            if over.len() == 1 { "y is" } else { "ies are" },
            over.iter().map(|c| c.name.as_str()).take(5).collect::<Vec<_>>().join("; ")
        ));
    }
    // Counted by row (a place row binds loading and unloading as two capacities).
    let mut rows: Vec<&Capacity> = fg.bounds.iter().map(|b| b.row).collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    rows.dedup_by(|a, b| a.id == b.id);
    let proxies = rows
        .iter()
        .filter(|c| corridor_data::provenance::is_proxy(&c.note, ds.source(&c.source)))
        .count();
    if proxies > 0 {
        warnings.push(format!(
            "{proxies} of the {} capacity rows used are proxies (a throughput as a lower bound, a share assumed): read their notes",
            rows.len()
        ));
    }
    let bottlenecks: Vec<Bottleneck> = caps
        .iter()
        .filter(|c| c.vc >= BOTTLENECK_VC)
        .cloned()
        .collect();
    // Link loads.
    let mut by_arc: BTreeMap<usize, f64> = BTreeMap::new();
    for (l, role) in fg.roles.iter().enumerate() {
        if let Role::Arc(ai) = role {
            if a.flows[l] > 1e-6 {
                *by_arc.entry(*ai).or_default() += a.flows[l];
            }
        }
    }
    let cap_of: BTreeMap<usize, f64> = fg
        .bounds
        .iter()
        .flat_map(|b| b.links.iter().map(move |&l| (l, b.row.teu_per_year)))
        .filter_map(|(l, c)| match fg.roles[l] {
            Role::Arc(ai) => Some((ai, c)),
            _ => None,
        })
        .collect();
    let mut links: Vec<LinkLoad> = by_arc
        .into_iter()
        .map(|(ai, teu)| {
            let arc = g.arc(ai);
            let (p, q) = (g.place(arc.from.index()), g.place(arc.to.index()));
            let cap = cap_of.get(&ai).copied();
            LinkLoad {
                link: g.link_id(arc),
                from: p.name.clone(),
                to: q.name.clone(),
                mode: arc.mode.to_string(),
                teu_per_year: teu,
                trains_per_day: teu / TEU_PER_TRAIN / 365.0,
                capacity_teu_per_year: cap,
                vc: cap.map(|c| teu / c),
                geometry: crate::route::itinerary::arc_geometry(g, ai),
            }
        })
        .collect();
    links.sort_by(|x, y| {
        y.teu_per_year
            .total_cmp(&x.teu_per_year)
            .then(x.link.cmp(&y.link))
    });
    // Corridors, from the paths (gradient projection), else from the link flows' paths.
    let total: f64 = cx.pairs.iter().map(|p| p.2).sum();
    let mut corridors: BTreeMap<String, f64> = BTreeMap::new();
    let mut paths = Vec::new();
    for p in &a.paths {
        if p.flow <= 1e-9 {
            continue;
        }
        let arcs: Vec<usize> = p
            .links
            .iter()
            .filter_map(|&l| match fg.roles[l as usize] {
                Role::Arc(ai) => Some(ai),
                _ => None,
            })
            .collect();
        let corridor = corridor_of(cx.engine, &arcs);
        *corridors.entry(corridor.clone()).or_default() += p.flow;
        let od = cx
            .pairs
            .iter()
            .find(|q| q.0 == p.origin as usize && q.1 == p.destination as usize)
            .map_or(String::new(), |q| q.3.id.clone());
        paths.push(PathUse {
            od,
            corridor,
            links: arcs.iter().map(|&ai| g.link_id(g.arc(ai))).collect(),
            teu_per_year: p.flow,
            cost_usd: p.links.iter().map(|&l| a.costs[l as usize]).sum(),
        });
    }
    if a.paths.is_empty() {
        warnings.push(
            "flows by corridor need the path-based algorithm (--algorithm gp): not listed".into(),
        );
    }
    let mut corridors: Vec<CorridorFlow> = corridors
        .into_iter()
        .map(|(corridor, teu)| CorridorFlow {
            corridor,
            teu_per_year: teu,
            share: if total > 0.0 { teu / total } else { 0.0 },
        })
        .collect();
    corridors.sort_by(|x, y| y.teu_per_year.total_cmp(&x.teu_per_year));
    // OD costs: the cheapest path cost at the final and at free-flow costs.
    let od_cost = |costs: &[f64]| -> Vec<Vec<f64>> {
        let mut tree = corridor_assign::shortest_path::Tree::new(cx.net.node_count());
        (0..cx.zones.len())
            .map(|o| {
                tree.grow(cx.net, costs, o);
                tree.dist[..cx.zones.len()].to_vec()
            })
            .collect()
    };
    let eq = od_cost(&a.costs);
    let ff = od_cost(cx.free);
    let od = cx
        .pairs
        .iter()
        .map(|&(o, t, teu, d)| OdResult {
            id: d.id.clone(),
            from: cx.zones[o].0.clone(),
            to: cx.zones[t].0.clone(),
            teu_per_year: teu,
            free_cost_usd: ff[o][t],
            cost_usd: eq[o][t],
            delay_h: (eq[o][t] - ff[o][t]).max(0.0) / cx.vot.max(1e-9),
        })
        .collect();
    if ds.capacity.is_empty() {
        warnings.push(
            "the data has no capacity.csv: every link flows freely, so nothing congests".into(),
        );
    }
    FlowAnswer {
        query,
        demand_teu_per_year: total,
        capacities: caps,
        bottlenecks,
        corridors,
        links,
        od,
        paths,
        total_cost_usd_per_year: a.total_cost,
        convergence: Convergence {
            relative_gap: a.relative_gap,
            converged: a.converged,
            iterations: a.iterations.len(),
            seconds: a.seconds,
            gaps: a.iterations.iter().map(|i| i.relative_gap).collect(),
            sharing_rounds: 1,
        },
        warnings,
    }
}

/// The corridor of a path in words: its modes (borders aside) and the countries of the places
/// it passes, in order (`rail + ferry CN–KZ–AZ–GE–TR`).
fn corridor_of(engine: &Engine, arcs: &[usize]) -> String {
    let g = engine.g();
    let mut modes: Vec<String> = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    let visit = |p: usize, countries: &mut Vec<String>| {
        let c = &g.place(p).country;
        if countries.last() != Some(c) {
            countries.push(c.clone());
        }
    };
    for (i, &ai) in arcs.iter().enumerate() {
        let arc = g.arc(ai);
        if arc.mode != Mode::Border {
            let m = arc.mode.to_string();
            if !modes.contains(&m) {
                modes.push(m);
            }
        }
        if i == 0 {
            visit(arc.from.index(), &mut countries);
        }
        visit(arc.to.index(), &mut countries);
    }
    format!("{} {}", modes.join(" + "), countries.join("–"))
}
