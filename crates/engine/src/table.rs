//! Many-to-many tables: the best itinerary's totals for every (from, to) pair, for lanes
//! studies (`corridor table`, `/v1/table`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::answer::DataInfo;
use crate::error::QueryError;
use crate::options::LaneOptions;
use crate::route::plan::Refusal;
use crate::route::{Engine, RouteRequest};

/// Most cells (pairs) in one table request.
pub const MAX_CELLS: usize = 10_000;

/// Most origins, and most destinations, in one `from` × `to` table.
pub const MAX_SIDE: usize = 100;

/// A table request: either `from` × `to`, or explicit `pairs`; the
/// [`LaneOptions`](crate::options::LaneOptions) (flattened: the JSON is flat) apply to every
/// cell. Dereferences to them, like [`RouteRequest`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[schemars(
    description = "A table request: either `from` × `to`, or explicit `pairs`; the other fields as in\n[`RouteRequest`] apply to every cell."
)]
#[schemars(extend("additionalProperties" = false))]
#[schemars(extend("anyOf" = [
    {"required": ["pairs"], "properties": {"pairs": {"minItems": 1}, "from": {"maxItems": 0}, "to": {"maxItems": 0}}},
    {"required": ["from", "to"], "properties": {"from": {"minItems": 1}, "to": {"minItems": 1}, "pairs": {"maxItems": 0}}}
]))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct TableRequest {
    /// Origins (with `to`: every origin × every destination).
    #[serde(default)]
    #[schemars(length(max = 100), inner(length(min = 1)))]
    #[cfg_attr(feature = "clap", arg(long))]
    pub from: Vec<String>,
    /// Destinations.
    #[serde(default)]
    #[schemars(length(max = 100), inner(length(min = 1)))]
    #[cfg_attr(feature = "clap", arg(long))]
    pub to: Vec<String>,
    /// Explicit (from, to) lanes, instead of `from` × `to`.
    #[serde(default)]
    #[schemars(length(max = 10000), extend("items" = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 2, "maxItems": 2}))]
    #[cfg_attr(feature = "clap", arg(skip))]
    pub pairs: Vec<[String; 2]>,
    /// Cargo, objective and what to avoid, for every cell.
    #[serde(flatten)]
    #[cfg_attr(feature = "clap", command(flatten))]
    pub lane: LaneOptions,
    /// Monte Carlo transit times per cell: adds `transit_days_p50` and `transit_days_p90`
    /// (`docs/reliability.md`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "clap", arg(long))]
    pub reliability: bool,
    /// Monte Carlo draws per cell (with `reliability`; default 10000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000000))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "N"))]
    pub draws: Option<u32>,
    /// Seed of the draws (with `reliability`; default 20260101).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "clap", arg(long, value_name = "S"))]
    pub seed: Option<u64>,
    /// Deadline for `on_time_probability`, days after departure, for every cell (with
    /// `reliability`): the share of draws arriving within it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 3650.0))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "DAYS"))]
    pub deadline_days: Option<f64>,
}

impl std::ops::Deref for TableRequest {
    type Target = LaneOptions;
    fn deref(&self) -> &LaneOptions {
        &self.lane
    }
}

impl std::ops::DerefMut for TableRequest {
    fn deref_mut(&mut self) -> &mut LaneOptions {
        &mut self.lane
    }
}

/// A line, `[lon, lat]` points in WGS 84.
pub type Line = Vec<[f64; 2]>;

/// One cell of a table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableCell {
    /// Origin as given.
    pub from: String,
    /// Destination as given.
    pub to: String,
    /// Distance of the best itinerary.
    pub distance_km: Option<f64>,
    /// Typical transit time.
    pub transit_h: Option<f64>,
    /// Cost for the cargo.
    pub cost_usd: Option<f64>,
    /// Well-to-wheel CO2e (null if a leg has no factor).
    pub co2e_kg: Option<f64>,
    /// With `reliability`: median transit days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_days_p50: Option<f64>,
    /// With `reliability`: 90th percentile of transit days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_days_p90: Option<f64>,
    /// With `reliability` and `deadline_days`: share of draws arriving within the deadline,
    /// in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time_probability: Option<f64>,
    /// Borders crossed.
    pub borders_crossed: Option<u32>,
    /// Countries in order.
    pub countries: Vec<String>,
    /// Ids of the compliance flags of the itinerary (rows of `compliance.csv`).
    #[serde(default)]
    pub compliance: Vec<String>,
    /// Error code when this cell has no answer (`NoRoute`, `UnknownPlace`, …).
    pub error: Option<String>,
    /// The error's message.
    pub message: Option<String>,
}

/// A table answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableAnswer {
    /// Answer shape version.
    pub schema_version: String,
    /// The data used.
    pub data: DataInfo,
    /// `time`, `cost` or `co2`.
    pub optimize: String,
    /// One cell per pair, in request order (row-major for `from` × `to`).
    pub cells: Vec<TableCell>,
}

impl TableRequest {
    /// The lanes to compute, checked for size.
    pub fn lanes(&self) -> Result<Vec<(String, String)>, QueryError> {
        if !self.pairs.is_empty() && (!self.from.is_empty() || !self.to.is_empty()) {
            return Err(QueryError::InvalidQuery {
                message: "give either pairs or from × to, not both".into(),
            });
        }
        if self.from.len() > MAX_SIDE || self.to.len() > MAX_SIDE {
            return Err(QueryError::TooBig {
                message: format!(
                    "{} origins and {} destinations; at most {MAX_SIDE} of each (list lanes as pairs for more)",
                    self.from.len(),
                    self.to.len()
                ),
            });
        }
        let n = if self.pairs.is_empty() {
            self.from.len().saturating_mul(self.to.len())
        } else {
            self.pairs.len()
        };
        if n == 0 {
            return Err(QueryError::InvalidQuery {
                message: "an empty table: give at least one from and one to (or pairs)".into(),
            });
        }
        if n > MAX_CELLS {
            return Err(QueryError::TooBig {
                message: format!("{n} cells requested; at most {MAX_CELLS} per table"),
            });
        }
        let names = self
            .from
            .iter()
            .chain(&self.to)
            .chain(self.pairs.iter().flatten());
        if names.clone().any(|n| n.trim().is_empty()) {
            return Err(QueryError::InvalidValue {
                field: if self.pairs.is_empty() {
                    "from/to".into()
                } else {
                    "pairs".into()
                },
                message: "an empty place name".into(),
                suggestions: vec![],
            });
        }
        Ok(if self.pairs.is_empty() {
            self.from
                .iter()
                .flat_map(|f| self.to.iter().map(move |t| (f.clone(), t.clone())))
                .collect()
        } else {
            self.pairs
                .iter()
                .map(|[a, b]| (a.clone(), b.clone()))
                .collect()
        })
    }
}

impl Engine {
    /// The route request for one cell.
    pub fn cell_request(req: &TableRequest, from: &str, to: &str) -> RouteRequest {
        let mut lane = req.lane.clone();
        // A cell is one itinerary: time unless another objective is given.
        lane.optimize = Some(lane.optimize.unwrap_or_else(|| "time".into()));
        RouteRequest {
            from: from.into(),
            to: to.into(),
            lane,
            reliability: req.reliability,
            draws: req.draws,
            seed: req.seed,
            deadline_days: req.deadline_days,
            ..Default::default()
        }
    }

    /// Computes one cell. Per-cell problems (no route, unknown place) are reported in the cell;
    /// `Err` only for request-wide errors (a bad `cargo`, `optimize` or `avoid` value).
    pub fn table_cell(
        &self,
        req: &TableRequest,
        from: &str,
        to: &str,
    ) -> Result<TableCell, QueryError> {
        self.cell(req, from, to, false).map(|(c, _)| c)
    }

    /// [`Engine::table_cell`] with the line of the cell's itinerary: its legs' geometries
    /// joined, `[lon, lat]` in WGS 84, a point repeated where two legs meet kept once; `None`
    /// when the cell has no itinerary. What a batch run stores as the row's geometry.
    ///
    /// # Errors
    /// As [`Engine::table_cell`].
    pub fn table_cell_traced(
        &self,
        req: &TableRequest,
        from: &str,
        to: &str,
    ) -> Result<(TableCell, Option<Line>), QueryError> {
        self.cell(req, from, to, true)
    }

    /// One cell, and its itinerary's line when `traced` (only then are the legs' geometries
    /// joined: a table does not pay for lines it does not keep).
    fn cell(
        &self,
        req: &TableRequest,
        from: &str,
        to: &str,
        traced: bool,
    ) -> Result<(TableCell, Option<Line>), QueryError> {
        let mut line: Option<Line> = None;
        let mut cell = TableCell {
            from: from.into(),
            to: to.into(),
            distance_km: None,
            transit_h: None,
            cost_usd: None,
            co2e_kg: None,
            transit_days_p50: None,
            transit_days_p90: None,
            on_time_probability: None,
            borders_crossed: None,
            countries: vec![],
            compliance: vec![],
            error: None,
            message: None,
        };
        match self.route_pipeline(&Self::cell_request(req, from, to), None) {
            Ok(a) => {
                if let Some(it) = a.itineraries.first() {
                    let t = &it.totals;
                    cell.distance_km = Some(t.distance_km);
                    cell.transit_h = Some(t.transit_h);
                    cell.cost_usd = Some(t.cost_usd);
                    cell.co2e_kg = t.co2e_complete.then_some(t.co2e_kg);
                    cell.transit_days_p50 = t.transit_days_p50;
                    cell.transit_days_p90 = t.transit_days_p90;
                    cell.on_time_probability = t.on_time_probability;
                    cell.borders_crossed = Some(t.borders_crossed);
                    cell.countries = t.countries.clone();
                    cell.compliance = it.compliance.iter().map(|f| f.id.clone()).collect();
                    if traced {
                        let mut pts: Vec<[f64; 2]> = Vec::new();
                        for p in it.legs.iter().flat_map(|l| l.geometry.iter()) {
                            if pts.last() != Some(p) {
                                pts.push(*p);
                            }
                        }
                        line = Some(pts);
                    }
                }
            }
            Err(Refusal::Query(
                e @ (QueryError::NoRoute { .. } | QueryError::UnknownPlace { .. }),
            )) => {
                cell.error = Some(e.code().into());
                cell.message = Some(e.to_string());
            }
            Err(Refusal::Query(QueryError::InvalidValue {
                field,
                message,
                suggestions,
            })) if field == "from" || field == "to" => {
                cell.error = Some("InvalidValue".into());
                cell.message = Some(format!("{field}: {message} ({})", suggestions.join("; ")));
            }
            Err(same @ Refusal::SamePlace { .. }) => {
                let e = QueryError::from(same);
                cell.error = Some(e.code().into());
                cell.message = Some(e.to_string());
            }
            Err(Refusal::Query(e)) => return Err(e),
        }
        Ok((cell, line))
    }

    /// Computes a whole table, calling `progress` after each cell.
    pub fn table(
        &self,
        req: &TableRequest,
        progress: impl FnMut(usize, usize),
    ) -> Result<TableAnswer, QueryError> {
        self.table_while(req, progress, || true)
    }

    /// [`Engine::table`], asking `go` before each cell: once it answers `false` (the caller
    /// no longer waits: a timeout, a client gone) the table stops with `BudgetExceeded`
    /// instead of running on.
    pub fn table_while(
        &self,
        req: &TableRequest,
        mut progress: impl FnMut(usize, usize),
        mut go: impl FnMut() -> bool,
    ) -> Result<TableAnswer, QueryError> {
        let lanes = req.lanes()?;
        if let Some((f, t)) = lanes.first() {
            self.check_options(&Self::cell_request(req, f, t))?;
        }
        let mut cells = Vec::with_capacity(lanes.len());
        for (i, (f, t)) in lanes.iter().enumerate() {
            if !go() {
                return Err(stopped());
            }
            cells.push(self.table_cell(req, f, t)?);
            progress(i + 1, lanes.len());
        }
        Ok(TableAnswer {
            schema_version: crate::answer::SCHEMA_VERSION.into(),
            data: self.data_info(),
            optimize: req.optimize.clone().unwrap_or_else(|| "time".into()),
            cells,
        })
    }
}

/// The error of a table or comparison stopped because its caller no longer waits for it.
pub(crate) fn stopped() -> QueryError {
    QueryError::BudgetExceeded {
        message: "stopped: the request was answered (timeout) or its client left".into(),
    }
}
