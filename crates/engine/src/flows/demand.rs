//! The demand of a flow request checked and resolved: the request's bounds, each row's places
//! as zones (one per distinct name), and every pair joined by some route.

use std::collections::HashMap;

use corridor_assign::{Demand, Network};
use corridor_data::DemandRow;

use super::{bad, AssignRequest};
use crate::error::QueryError;
use crate::route::Engine;

/// The request's figures within their bounds.
pub(crate) fn check(req: &AssignRequest) -> Result<(), QueryError> {
    if !(req.demand_factor.is_finite() && req.demand_factor > 0.0 && req.demand_factor <= 1000.0) {
        return Err(bad(
            "demand-factor",
            format!(
                "{} is not a number in (0, 1000]; 2 doubles the demand",
                req.demand_factor
            ),
        ));
    }
    if !(req.vot.is_finite() && (0.0..=10_000.0).contains(&req.vot)) {
        return Err(bad(
            "value-of-time",
            format!("{} is not USD per TEU-hour in 0..=10000", req.vot),
        ));
    }
    if !(req.gap.is_finite() && req.gap > 0.0 && req.gap < 1.0) {
        return Err(bad(
            "gap",
            format!("{} is not a relative gap in (0, 1), e.g. 1e-5", req.gap),
        ));
    }
    if req.max_iter == 0 || req.max_iter > 100_000 {
        return Err(bad(
            "max-iter",
            format!("{} is not in 1..=100000", req.max_iter),
        ));
    }
    Ok(())
}

/// The zones (a label and the places of each) and the pairs (origin zone, destination zone,
/// TEU per year with the factor, the row) of a demand.
pub(crate) struct Resolved<'r> {
    pub zones: Vec<(String, Vec<usize>)>,
    pub pairs: Vec<(usize, usize, f64, &'r DemandRow)>,
}

impl Engine {
    /// Resolves every row's places (by id, name or alias) and checks its figure.
    pub(crate) fn resolve_demand<'r>(
        &self,
        rows: &'r [DemandRow],
        factor: f64,
    ) -> Result<Resolved<'r>, QueryError> {
        let req_factor = factor;
        // Zones: one per distinct place name in the demand.
        let mut zone_of: HashMap<String, usize> = Default::default();
        let mut zones: Vec<(String, Vec<usize>)> = Vec::new();
        let mut pairs: Vec<(usize, usize, f64, &DemandRow)> = Vec::new();
        for d in rows {
            if !(d.teu_per_year.is_finite() && d.teu_per_year > 0.0) {
                return Err(bad(
                    "demand",
                    format!(
                        "row {} ({} → {}): teu_per_year {} must be > 0",
                        d.id, d.from, d.to, d.teu_per_year
                    ),
                ));
            }
            if d.commodity != "container" {
                return Err(bad(
                    "demand",
                    format!("row {}: commodity '{}'; the assignment carries containers (TEU) only: give container", d.id, d.commodity),
                ));
            }
            let mut zone = |name: &'_ str,
                            zone_of: &mut HashMap<String, usize>|
             -> Result<usize, QueryError> {
                if let Some(&z) = zone_of.get(name) {
                    return Ok(z);
                }
                let r = self.resolve("demand", name).map_err(|e| match e {
                    QueryError::UnknownPlace { .. } | QueryError::InvalidValue { .. } => bad(
                        "demand",
                        format!("row {} ({} → {}): {e}", d.id, d.from, d.to),
                    ),
                    other => other,
                })?;
                zones.push((r.label.clone(), r.places.clone()));
                zone_of.insert(name.to_string(), zones.len() - 1);
                Ok(zones.len() - 1)
            };
            let o = zone(&d.from, &mut zone_of)?;
            let t = zone(&d.to, &mut zone_of)?;
            if o == t {
                return Err(bad(
                    "demand",
                    format!("row {}: from and to are the same place ({})", d.id, d.from),
                ));
            }
            pairs.push((o, t, d.teu_per_year * req_factor, d));
        }
        Ok(Resolved { zones, pairs })
    }
}

/// Every pair is joined by a route under the request's options: names the first that is not.
pub(crate) fn check_reachable(
    net: &Network,
    demand: &Demand,
    free: &[f64],
    zones: &[(String, Vec<usize>)],
    pairs: &[(usize, usize, f64, &DemandRow)],
) -> Result<(), QueryError> {
    if let Err(u) = corridor_assign::shortest_path::all_or_nothing(net, demand, free) {
        let (o, t) = (u.origin as usize, u.destination as usize);
        let row = pairs
            .iter()
            .find(|p| p.0 == o && p.1 == t)
            .map(|p| p.3.id.clone())
            .unwrap_or_default();
        return Err(QueryError::NoRoute {
                message: format!(
                    "demand row {row}: no route joins {} and {} for a container under these options; drop the row or the avoid rule",
                    zones[o].0, zones[t].0
                ),
                constraint: None,
            });
    }
    Ok(())
}
