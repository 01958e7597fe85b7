//! The flow request as the interfaces take it (HTTP `GET/POST /v1/assign`, Python): named like
//! the CLI flags of `corridor assign`, read into an [`AssignRequest`].

use corridor_assign::{Algorithm, Objective};
use corridor_data::DemandRow;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AssignRequest, DEFAULT_VOT_USD_PER_TEU_H};
use crate::error::QueryError;

/// One demand row of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandInput {
    /// Origin: place id, name or alias.
    #[schemars(length(min = 1, max = 200))]
    pub from: String,
    /// Destination: place id, name or alias.
    #[schemars(length(min = 1, max = 200))]
    pub to: String,
    /// TEU per year, from → to.
    #[schemars(range(min = 0.0))]
    pub teu_per_year: f64,
    /// Row id for the answer (default: its position, `row N`).
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub id: Option<String>,
    /// Commodity: `container` (the only one assigned).
    #[serde(default)]
    pub commodity: Option<String>,
}

/// `corridor assign` as a request: the demand (or the data's `demand.csv`), the factor, the
/// capacities, avoid rules, the value of time and the algorithm (docs/flows.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowRequest {
    /// Demand rows; absent: the data's demand.csv (POST body only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-body-only" = true))]
    pub demand: Option<Vec<DemandInput>>,
    /// Multiply every demand figure (2: trade doubles); default 1.
    #[serde(default)]
    #[schemars(range(min = 0.001, max = 1000.0))]
    pub demand_factor: Option<f64>,
    /// Use the announced expansions (planned capacities) and allow planned links.
    #[serde(default)]
    pub planned: bool,
    /// `country:RU`, `place:KZSCO`, `mode:air`, `link:ID`, `passage:suez` (repeatable).
    #[serde(default)]
    #[schemars(length(max = 64), inner(length(min = 1)), extend("x-comma-separated" = true))]
    pub avoid: Vec<String>,
    /// Value of time, USD per TEU-hour (default 20).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 10000.0))]
    pub value_of_time: Option<f64>,
    /// `gp` (default), `bfw`, `cfw`, `fw` or `aon`.
    #[serde(default)]
    pub algorithm: Option<String>,
    /// `ue` (user equilibrium, default) or `so` (system optimum).
    #[serde(default)]
    pub objective: Option<String>,
    /// Target relative gap (default 1e-5).
    #[serde(default)]
    #[schemars(range(min = 1e-12, max = 0.5))]
    pub gap: Option<f64>,
    /// Most iterations (default 1000).
    #[serde(default)]
    #[schemars(range(min = 1, max = 100000))]
    pub max_iter: Option<u32>,
    /// Shipped scenarios, applied in order (`caspian-backlog`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 5), inner(length(min = 1, max = 200)))]
    pub scenario: Vec<String>,
    /// Also assign the baseline (no scenario, factor 1, operating capacities, no avoid) and
    /// compare.
    #[serde(default)]
    pub compare: bool,
}

/// Parses an algorithm name of the CLI.
pub fn parse_algorithm(s: &str) -> Option<Algorithm> {
    Some(match s {
        "aon" => Algorithm::AllOrNothing,
        "fw" => Algorithm::FrankWolfe,
        "cfw" => Algorithm::ConjugateFrankWolfe,
        "bfw" => Algorithm::BiconjugateFrankWolfe,
        "gp" => Algorithm::GradientProjection,
        _ => return None,
    })
}

impl FlowRequest {
    /// The engine's request; the scenarios are the caller's to apply.
    pub fn to_assign(&self) -> Result<AssignRequest, QueryError> {
        let bad = |field: &str, message: String| QueryError::InvalidValue {
            field: field.into(),
            message,
            suggestions: vec![],
        };
        let algorithm = match self.algorithm.as_deref() {
            None => Algorithm::GradientProjection,
            Some(a) => parse_algorithm(a).ok_or_else(|| {
                bad(
                    "algorithm",
                    format!("'{a}' is not one of gp, bfw, cfw, fw, aon"),
                )
            })?,
        };
        let objective = match self.objective.as_deref() {
            None | Some("ue") => Objective::UserEquilibrium,
            Some("so") => Objective::SystemOptimum,
            Some(o) => return Err(bad("objective", format!("'{o}' is not ue or so"))),
        };
        let demand = self.demand.as_ref().map(|rows| {
            rows.iter()
                .enumerate()
                .map(|(i, d)| DemandRow {
                    id: d.id.clone().unwrap_or_else(|| format!("row {}", i + 1)),
                    from: d.from.clone(),
                    to: d.to.clone(),
                    teu_per_year: d.teu_per_year,
                    commodity: d.commodity.clone().unwrap_or_else(|| "container".into()),
                    year: None,
                    source: String::new(),
                    method: String::new(),
                    line: 0,
                })
                .collect()
        });
        Ok(AssignRequest {
            demand,
            demand_factor: self.demand_factor.unwrap_or(1.0),
            planned: self.planned,
            avoid: self.avoid.clone(),
            vot: self.value_of_time.unwrap_or(DEFAULT_VOT_USD_PER_TEU_H),
            algorithm,
            objective,
            gap: self.gap.unwrap_or(1e-5),
            max_iter: self.max_iter.unwrap_or(1000) as usize,
        })
    }
}
