//! Two runs lane by lane (`corridor runs diff A B`): lanes are matched by scenario, origin and
//! destination (not by position, so a job that gained lanes still compares).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::part::Row;

/// One lane of one scenario in both runs (or in one only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneDiff {
    /// The scenario.
    pub scenario: String,
    /// Origin.
    pub from: String,
    /// Destination.
    pub to: String,
    /// Transit hours in run A and B.
    pub transit_h: [Option<f64>; 2],
    /// B − A, hours.
    pub delta_transit_h: Option<f64>,
    /// Cost in A and B.
    pub cost_usd: [Option<f64>; 2],
    /// B − A, USD.
    pub delta_cost_usd: Option<f64>,
    /// CO2e in A and B.
    pub co2e_kg: [Option<f64>; 2],
    /// B − A, kg.
    pub delta_co2e_kg: Option<f64>,
    /// Countries in A and B (space-separated).
    pub countries: [Option<String>; 2],
    /// Errors in A and B.
    pub error: [Option<String>; 2],
    /// `same`, `changed`, `only_a` or `only_b`.
    pub status: &'static str,
}

fn sub(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(b? - a?)
}

/// The lanes of `a` and `b`, matched; ordered by scenario, then origin and destination.
pub fn diff(a: &[Row], b: &[Row]) -> Vec<LaneDiff> {
    type Key = (String, String, String);
    let mut m: BTreeMap<Key, [Option<&Row>; 2]> = BTreeMap::new();
    for (side, rows) in [a, b].into_iter().enumerate() {
        for r in rows {
            m.entry((r.scenario.clone(), r.from.clone(), r.to.clone()))
                .or_default()[side] = Some(r);
        }
    }
    m.into_iter()
        .map(|((scenario, from, to), [x, y])| {
            let get = |f: &dyn Fn(&Row) -> Option<f64>| [x.and_then(f), y.and_then(f)];
            let th = get(&|r| r.transit_h);
            let c = get(&|r| r.cost_usd);
            let co = get(&|r| r.co2e_kg);
            let countries = [
                x.map(|r| r.countries.clone()),
                y.map(|r| r.countries.clone()),
            ];
            let error = [
                x.and_then(|r| r.error.clone()),
                y.and_then(|r| r.error.clone()),
            ];
            let status = match (x, y) {
                (Some(_), None) => "only_a",
                (None, Some(_)) => "only_b",
                _ if th[0] == th[1]
                    && c[0] == c[1]
                    && co[0] == co[1]
                    && countries[0] == countries[1]
                    && error[0] == error[1] =>
                {
                    "same"
                }
                _ => "changed",
            };
            LaneDiff {
                scenario,
                from,
                to,
                delta_transit_h: sub(th[0], th[1]),
                delta_cost_usd: sub(c[0], c[1]),
                delta_co2e_kg: sub(co[0], co[1]),
                transit_h: th,
                cost_usd: c,
                co2e_kg: co,
                countries,
                error,
                status,
            }
        })
        .collect()
}

/// One capacity of one assignment (scenario × demand factor) in both runs (or in one only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowDiff {
    /// The scenario.
    pub scenario: String,
    /// The demand factor.
    pub demand_factor: f64,
    /// The capacity row (capacity.csv).
    pub capacity_id: String,
    /// Its name.
    pub name: String,
    /// Its direction.
    pub direction: String,
    /// Load in A and B, TEU per year.
    pub load_teu_per_year: [Option<f64>; 2],
    /// V/C in A and B.
    pub vc: [Option<f64>; 2],
    /// B − A.
    pub delta_vc: Option<f64>,
    /// `same`, `changed`, `only_a` or `only_b`.
    pub status: &'static str,
}

/// The flows of `a` and `b` matched by scenario, demand factor, capacity and direction;
/// ordered by scenario, factor, then the largest change of V/C first.
pub fn flow_diff(a: &[crate::flows::FlowRow], b: &[crate::flows::FlowRow]) -> Vec<FlowDiff> {
    type Key = (String, u64, String, String);
    let mut m: BTreeMap<Key, [Option<&crate::flows::FlowRow>; 2]> = BTreeMap::new();
    for (side, rows) in [a, b].into_iter().enumerate() {
        for r in rows {
            m.entry((
                r.scenario.clone(),
                r.demand_factor.to_bits(),
                r.capacity_id.clone(),
                r.direction.clone(),
            ))
            .or_default()[side] = Some(r);
        }
    }
    let mut out: Vec<FlowDiff> = m
        .into_iter()
        .map(|((scenario, f, capacity_id, direction), [x, y])| {
            let vc = [x.map(|r| r.vc), y.map(|r| r.vc)];
            let load = [
                x.map(|r| r.load_teu_per_year),
                y.map(|r| r.load_teu_per_year),
            ];
            let status = match (x, y) {
                (Some(_), None) => "only_a",
                (None, Some(_)) => "only_b",
                _ if vc[0] == vc[1] && load[0] == load[1] => "same",
                _ => "changed",
            };
            FlowDiff {
                scenario,
                demand_factor: f64::from_bits(f),
                name: x.or(y).map(|r| r.name.clone()).unwrap_or_default(),
                capacity_id,
                direction,
                load_teu_per_year: load,
                delta_vc: sub(vc[0], vc[1]),
                vc,
                status,
            }
        })
        .collect();
    out.sort_by(|p, q| {
        (p.scenario.as_str(), p.demand_factor)
            .partial_cmp(&(q.scenario.as_str(), q.demand_factor))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| {
                let d = |x: &FlowDiff| x.delta_vc.map_or(f64::INFINITY, f64::abs);
                d(q).total_cmp(&d(p))
            })
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(s: &str, f: &str, h: Option<f64>) -> Row {
        Row {
            scenario_pos: 0,
            scenario: s.into(),
            lane: 0,
            from: f.into(),
            to: "B".into(),
            distance_km: None,
            transit_h: h,
            transit_days_p50: None,
            transit_days_p90: None,
            cost_usd: Some(10.0),
            co2e_kg: None,
            borders_crossed: None,
            countries: "CN KZ".into(),
            compliance: String::new(),
            error: None,
            message: None,
            geometry: None,
        }
    }

    #[test]
    fn lanes_match_by_name_not_position() {
        let a = vec![
            row("baseline", "A", Some(10.0)),
            row("baseline", "C", Some(5.0)),
        ];
        let b = vec![
            row("baseline", "D", Some(1.0)),
            row("baseline", "A", Some(12.5)),
            row("baseline", "C", Some(5.0)),
        ];
        let d = diff(&a, &b);
        let st: Vec<(&str, &str)> = d.iter().map(|x| (x.from.as_str(), x.status)).collect();
        assert_eq!(st, vec![("A", "changed"), ("C", "same"), ("D", "only_b")]);
        assert_eq!(d[0].delta_transit_h, Some(2.5));
        assert_eq!(d[0].delta_cost_usd, Some(0.0));
        assert_eq!(d[2].delta_transit_h, None);
    }

    fn flow(f: f64, id: &str, vc: f64) -> crate::flows::FlowRow {
        crate::flows::FlowRow {
            scenario_pos: 0,
            scenario: "baseline".into(),
            demand_factor: f,
            pos: 0,
            capacity_id: id.into(),
            name: id.into(),
            element: "link".into(),
            target: "L".into(),
            direction: "forward".into(),
            load_teu_per_year: vc * 100.0,
            load_trains_per_day: 0.0,
            capacity_teu_per_year: 100.0,
            vc,
            delay_h: 0.0,
            capacity_needed_teu_per_year: None,
            planned: false,
            source: "SRC-X".into(),
        }
    }

    #[test]
    fn flows_match_by_capacity_and_factor_largest_change_first() {
        let a = vec![
            flow(1.0, "A", 0.5),
            flow(1.0, "B", 0.5),
            flow(2.0, "A", 0.9),
        ];
        let b = vec![
            flow(1.0, "B", 0.8),
            flow(1.0, "A", 0.5),
            flow(1.0, "C", 0.1),
        ];
        let d = flow_diff(&a, &b);
        let got: Vec<(f64, &str, &str, Option<f64>)> = d
            .iter()
            .map(|x| {
                (
                    x.demand_factor,
                    x.capacity_id.as_str(),
                    x.status,
                    x.delta_vc,
                )
            })
            .collect();
        assert_eq!(got.len(), 4);
        // Factor 1: C only in B (no delta: first), B changed by 0.3, A the same; factor 2: A only in A.
        assert_eq!(got[0].1, "C");
        assert_eq!(got[0].2, "only_b");
        assert_eq!(got[1].1, "B");
        assert_eq!(got[1].2, "changed");
        assert!((got[1].3.unwrap() - 0.3).abs() < 1e-12);
        assert_eq!((got[2].1, got[2].2), ("A", "same"));
        assert_eq!((got[3].0, got[3].2), (2.0, "only_a"));
    }
}
