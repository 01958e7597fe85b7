//! Stage 1, the request: what a user typed (the same type for the CLI and the HTTP API), its
//! options parsed and checked before any place is looked up, and the avoid rules.

use corridor_data::{Commodity, Mode, Resolved};
use serde::{Deserialize, Serialize};

use super::Engine;
use crate::cargo::{Cargo, CargoError};
use crate::constraints::CargoOptions;
use crate::error::QueryError;

/// Most `--via` places in one request.
pub const MAX_VIA: usize = 8;
/// Most `--avoid` items in one request.
pub const MAX_AVOID: usize = 64;
/// Default number of alternatives (the Pareto front) when no `--optimize` is given.
pub const DEFAULT_ALTERNATIVES: u32 = 5;
/// Most alternatives in one answer.
pub const MAX_ALTERNATIVES: u32 = 50;
/// Largest `budget_ms` (ten minutes).
pub const MAX_BUDGET_MS: u64 = 600_000;

/// What to minimise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Optimize {
    /// Door-to-door transit time (typical).
    #[default]
    Time,
    /// Total cost in USD.
    Cost,
    /// Well-to-wheel CO2e.
    Co2,
}

impl Optimize {
    /// Parses `time`, `cost`, `co2` (also `co2e`).
    pub fn parse(s: &str) -> Option<Optimize> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "time" | "fastest" => Optimize::Time,
            "cost" | "cheapest" => Optimize::Cost,
            "co2" | "co2e" | "emissions" => Optimize::Co2,
            _ => return None,
        })
    }
    /// Name.
    pub fn as_str(self) -> &'static str {
        match self {
            Optimize::Time => "time",
            Optimize::Cost => "cost",
            Optimize::Co2 => "co2",
        }
    }
    pub(crate) fn label(self) -> &'static str {
        match self {
            Optimize::Time => "fastest",
            Optimize::Cost => "cheapest",
            Optimize::Co2 => "lowest_co2e",
        }
    }
}

/// A route request as typed by a user (CLI flags or API parameters, same names): the route's
/// own fields, and the [`LaneOptions`](crate::options::LaneOptions) a table cell shares,
/// flattened (the JSON is flat). Dereferences to those options, so `req.cargo` reads through;
/// read JSON with [`options::from_json`](crate::options::from_json), which refuses unknown
/// fields (serde's `deny_unknown_fields` does not work with `flatten`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[schemars(
    description = "A route request as typed by a user (CLI flags or API parameters, same names).",
    extend("additionalProperties" = false)
)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct RouteRequest {
    /// Origin: place id (KZSCO), name or alias (Aktau, 阿克套, Актау), city (Xi'an), or a point
    /// `lat,lon` (door to door: road pre-carriage to the best of the nearest terminals).
    #[schemars(length(min = 1))]
    #[cfg_attr(feature = "clap", arg(allow_hyphen_values = true))]
    pub from: String,
    /// Destination: as `from` (a point gets road on-carriage from the nearest terminals).
    #[schemars(length(min = 1))]
    #[cfg_attr(feature = "clap", arg(allow_hyphen_values = true))]
    pub to: String,
    /// Places to pass through, in order (repeatable).
    #[serde(default)]
    #[schemars(length(max = 8), inner(length(min = 1)))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "PLACE"))]
    pub via: Vec<String>,
    /// Cargo, objective and what to avoid (shared with every cell of a table).
    #[serde(flatten)]
    #[cfg_attr(feature = "clap", command(flatten))]
    pub lane: crate::options::LaneOptions,
    /// Most alternatives (the Pareto front over time, cost, CO2e and risk) when no `optimize`
    /// is given; default 5. Not with `optimize`.
    #[serde(default)]
    #[schemars(range(min = 1, max = 50))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "N"))]
    pub alternatives: Option<u32>,
    /// Show the whole Pareto front: also detours, itineraries entering a country twice and
    /// several of one corridor family, which the short list leaves out (docs/alternatives.md).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "clap", arg(long))]
    pub all_alternatives: bool,
    /// Leave out itineraries slower than this many days (typical transit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.1, max = 365.0))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "DAYS"))]
    pub max_days: Option<f64>,
    /// Most transshipments (lifts, gauge changes).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long, value_name = "N"))]
    pub max_transshipments: Option<u32>,
    /// Most borders crossed.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long, value_name = "N"))]
    pub max_borders: Option<u32>,
    /// Departure instant, RFC 3339 (`2026-12-01T08:00+05:00`); without an offset, local to the
    /// origin. Turns on the time-dependent search (timetables, closures), for one objective or
    /// the Pareto front.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("examples" = ["2026-12-01T08:00+05:00", "2026-12-01T08:00"]))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "DATETIME"))]
    pub depart: Option<String>,
    /// Latest arrival, RFC 3339; without an offset, local to the destination. Alone: the latest
    /// departure that still arrives by then (one itinerary). With `depart`: a window (depart no
    /// earlier, arrive no later) for any objective or the front.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("examples" = ["2026-12-20T18:00+01:00", "2026-12-20T18:00"]))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "DATETIME"))]
    pub arrive_by: Option<String>,
    /// Wall-clock budget of the search in milliseconds: past it, the front found so far
    /// (`incomplete`) or `BudgetExceeded` if nothing was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 600000))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "MS"))]
    pub budget_ms: Option<u64>,
    /// Monte Carlo transit times per itinerary: P50/P80/P90/P95 days and, with a deadline, the
    /// probability of arriving in time (`docs/reliability.md`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "clap", arg(long))]
    pub reliability: bool,
    /// Monte Carlo draws per itinerary (with `reliability`; default 10000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000000))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "N"))]
    pub draws: Option<u32>,
    /// Seed of the draws (with `reliability`; same seed, same figures; default 20260101).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "clap", arg(long, value_name = "S"))]
    pub seed: Option<u64>,
    /// Deadline for `on_time_probability`, days after departure (with `reliability`); with
    /// `arrive_by` and `depart` the deadline is their difference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 3650.0))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "DAYS"))]
    pub deadline_days: Option<f64>,
    /// The time criterion of the Pareto front: `typical` (default) or `p90` (the front is
    /// re-selected on P90 transit from a larger candidate set; implies `reliability`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["typical", "p90"]))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "CRITERION", value_parser = ["typical", "p90"]))]
    pub time_criterion: Option<String>,
}

impl std::ops::Deref for RouteRequest {
    type Target = crate::options::LaneOptions;
    fn deref(&self) -> &crate::options::LaneOptions {
        &self.lane
    }
}

impl std::ops::DerefMut for RouteRequest {
    fn deref_mut(&mut self) -> &mut crate::options::LaneOptions {
        &mut self.lane
    }
}

/// One `--avoid` item, parsed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Avoid {
    Country(String),
    Place(Vec<usize>),
    Mode(Mode),
    Link(String),
    Passage(String),
}

impl Avoid {
    /// The kind as typed (`country`, `place`, …).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Avoid::Country(_) => "country",
            Avoid::Place(_) => "place",
            Avoid::Mode(_) => "mode",
            Avoid::Link(_) => "link",
            Avoid::Passage(_) => "passage",
        }
    }
}

/// An avoid rule of a plan: what it avoids, the value as answers echo it, the item as typed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AvoidRule {
    pub(crate) what: Avoid,
    pub(crate) label: String,
    pub(crate) typed: String,
}

/// The request's options, parsed and checked (everything but the places).
pub(crate) struct Options {
    pub(crate) cargo: Cargo,
    pub(crate) commodity: Commodity,
    pub(crate) optimize: Optimize,
    pub(crate) avoid: Vec<AvoidRule>,
    /// Reefer, dangerous goods, goods, customs regime.
    pub(crate) cargo_opts: CargoOptions,
}

impl Engine {
    /// Resolves a place name given in `field`.
    pub(crate) fn resolve(&self, field: &str, input: &str) -> Result<Resolved, QueryError> {
        let net = self.g();
        // A door place, by its id (ids match before names, as in the data's name index).
        if let Some(i) = net.virtual_place_by_id(input) {
            return Ok(Resolved {
                label: net.place(i).name.clone(),
                group: None,
                places: vec![i],
            });
        }
        net.dataset()
            .resolve(input)
            .map_err(|e| QueryError::from_name(field, e))
    }

    /// Parses and checks the request's options (cargo, commodity, objective, constraints),
    /// everything but the places: request-wide errors come before any place is looked up.
    pub(crate) fn options(&self, req: &RouteRequest) -> Result<Options, QueryError> {
        let cargo = match &req.cargo {
            None => Cargo::default(),
            Some(s) => Cargo::parse(s).map_err(|e| match e {
                CargoError::TooBig(m) => QueryError::TooBig { message: m },
                CargoError::Syntax(m) | CargoError::NotPositive(m) => QueryError::InvalidValue {
                    field: "cargo".into(),
                    message: m,
                    suggestions: vec![],
                },
            })?,
        };
        let cargo = match req.payload_t_per_teu {
            None => cargo,
            Some(p) => cargo
                .with_payload(p)
                .map_err(|e| QueryError::InvalidValue {
                    field: "payload_t_per_teu".into(),
                    message: match e {
                        CargoError::Syntax(m)
                        | CargoError::NotPositive(m)
                        | CargoError::TooBig(m) => m,
                    },
                    suggestions: vec![],
                })?,
        };
        let commodity = match &req.commodity {
            None => {
                if cargo.is_boxes() {
                    Commodity::Container
                } else {
                    Commodity::Bulk
                }
            }
            Some(s) => Commodity::parse(s).ok_or_else(|| QueryError::InvalidValue {
                field: "commodity".into(),
                message: format!("'{s}' is not one of container, bulk, liquid, gas"),
                suggestions: vec![],
            })?,
        };
        if cargo.is_boxes() && commodity == Commodity::Gas {
            return Err(QueryError::InvalidQuery {
                message: "gas moves by pipeline, not in containers: give the cargo in tonnes (e.g. --cargo 100000t --commodity gas)".into(),
            });
        }
        if cargo.is_boxes() && commodity == Commodity::Bulk {
            return Err(QueryError::InvalidQuery {
                message: "bulk cargo is not in containers: give it in tonnes (e.g. --cargo 500t) or use --commodity container".into(),
            });
        }
        if !cargo.is_boxes() && commodity == Commodity::Container {
            // Containerised cargo given as tonnage: fine, TEU follow from the default payload.
        }
        let optimize = match &req.optimize {
            None => Optimize::Time,
            Some(s) => Optimize::parse(s).ok_or_else(|| QueryError::InvalidValue {
                field: "optimize".into(),
                message: format!("'{s}' is not one of time, cost, co2"),
                suggestions: vec![],
            })?,
        };
        if let Some(n) = req.alternatives {
            if n == 0 || n > MAX_ALTERNATIVES {
                return Err(QueryError::InvalidValue {
                    field: "alternatives".into(),
                    message: format!("{n} alternatives asked for; give 1 to {MAX_ALTERNATIVES}"),
                    suggestions: vec![],
                });
            }
        }
        if let Some(r) = req.correlation {
            if !(0.0..=1.0).contains(&r) {
                return Err(QueryError::InvalidValue {
                    field: "correlation".into(),
                    message: format!("{r}; give a correlation from 0 (independent delays) to 1"),
                    suggestions: vec![],
                });
            }
        }
        if let Some(d) = req.max_days {
            if !(0.1..=365.0).contains(&d) {
                return Err(QueryError::InvalidValue {
                    field: "max_days".into(),
                    message: format!("{d} days; give 0.1 to 365"),
                    suggestions: vec![],
                });
            }
        }
        if let Some(ms) = req.budget_ms {
            if ms > MAX_BUDGET_MS {
                return Err(QueryError::InvalidValue {
                    field: "budget_ms".into(),
                    message: format!("{ms} ms asked for; give 0 to {MAX_BUDGET_MS} (ten minutes)"),
                    suggestions: vec![],
                });
            }
        }
        check_reliability(req)?;
        let mut avoid = Vec::new();
        for a in &req.avoid {
            let parsed = self.parse_avoid(a)?;
            avoid.push(parsed);
        }
        let cargo_opts = CargoOptions::parse(
            req.reefer,
            req.dangerous_goods.as_deref(),
            req.goods.as_deref(),
            req.customs.as_deref(),
            req.drivers,
            commodity,
        )?;
        Ok(Options {
            cargo,
            commodity,
            optimize,
            avoid,
            cargo_opts,
        })
    }

    /// Checks a request's options without routing (used by tables before any cell runs).
    pub fn check_options(&self, req: &RouteRequest) -> Result<(), QueryError> {
        self.options(req).map(|_| ())
    }

    /// Parses one `--avoid` item (`kind:value`, or a bare value where it is unambiguous).
    fn parse_avoid(&self, s: &str) -> Result<AvoidRule, QueryError> {
        let ds = self.g().dataset();
        let net = self.g();
        let bad = |msg: String, suggestions: Vec<String>| QueryError::InvalidValue {
            field: "avoid".into(),
            message: msg,
            suggestions,
        };
        let (kind, value) = match s.split_once(':') {
            Some((k, v)) => (Some(k.trim().to_ascii_lowercase()), v.trim().to_string()),
            None => (None, s.trim().to_string()),
        };
        if value.is_empty() {
            return Err(bad(
                format!("'{s}' has no value: write e.g. country:RU"),
                vec![],
            ));
        }
        let country = |v: &str| {
            let up = v.to_ascii_uppercase();
            net.countries().contains(&up).then_some(up)
        };
        let passage = |v: &str| {
            let low = v.to_ascii_lowercase().replace(['-', ' '], "_");
            corridor_data::validate::PASSAGES
                .contains(&low.as_str())
                .then_some(low)
        };
        let link = |v: &str| {
            ds.links
                .iter()
                .any(|l| l.id == v || format!("{}~r", l.id) == v)
        };
        let res = match kind.as_deref() {
            Some("country") => match country(&value) {
                Some(c) => Avoid::Country(c),
                None if value.len() == 2 && value.chars().all(|c| c.is_ascii_alphabetic()) => {
                    // A well-formed code no place of the network is in: avoiding it would
                    // change nothing, which is most likely a mistyped code.
                    let mut known: Vec<&String> = net.countries().iter().collect();
                    known.sort();
                    let known: Vec<&str> = known.iter().map(|c| c.as_str()).collect();
                    return Err(bad(
                        format!(
                            "no place of the network is in country '{}', so avoiding it changes nothing; the network's countries: {}",
                            value.to_ascii_uppercase(),
                            known.join(", ")
                        ),
                        vec![],
                    ));
                }
                None => {
                    return Err(bad(
                        format!("country '{value}' is not an ISO 3166-1 alpha-2 code (e.g. RU, KZ)"),
                        vec![],
                    ))
                }
            },
            Some("place") => Avoid::Place(self.resolve("avoid", &value)?.places),
            Some("mode") => Avoid::Mode(Mode::parse(&value).ok_or_else(|| {
                bad(
                    format!("mode '{value}' is not one of road, rail, sea, ferry, iww, air, pipeline, border"),
                    vec![],
                )
            })?),
            Some("link") => {
                if !link(&value) {
                    let hint = corridor_data::validate::suggest_id(&value, ds.links.iter().map(|l| l.id.as_str()));
                    return Err(bad(format!("link '{value}' is not in the data{hint}"), vec![]));
                }
                Avoid::Link(value.clone())
            }
            Some("passage") => Avoid::Passage(passage(&value).ok_or_else(|| {
                bad(
                    format!(
                        "passage '{value}' is unknown (known: {})",
                        corridor_data::validate::PASSAGES.join(", ")
                    ),
                    vec![],
                )
            })?),
            Some(k) => {
                return Err(bad(
                    format!("'{k}' is not one of country, place, mode, link, passage"),
                    vec![],
                ))
            }
            None => {
                // Bare value: accept it where it is unambiguous.
                let mut cands: Vec<Avoid> = Vec::new();
                if let Some(c) = country(&value) {
                    cands.push(Avoid::Country(c));
                }
                if let Some(m) = Mode::parse(&value) {
                    cands.push(Avoid::Mode(m));
                }
                if let Some(p) = passage(&value) {
                    cands.push(Avoid::Passage(p));
                }
                if link(&value) {
                    cands.push(Avoid::Link(value.clone()));
                }
                if let Ok(r) = ds.resolve(&value) {
                    cands.push(Avoid::Place(r.places));
                }
                match cands.len() {
                    1 => cands.remove(0),
                    0 => return Err(bad(
                        format!("'{value}' is not a known country, place, mode, link or passage: write kind:value, e.g. country:RU"),
                        vec![],
                    )),
                    _ => {
                        let kinds: Vec<String> = cands.iter().map(|c| format!("{}:{value}", c.kind())).collect();
                        return Err(bad(
                            format!("'{value}' is ambiguous: write one of {}", kinds.join(", ")),
                            kinds,
                        ));
                    }
                }
            }
        };
        let label = match &res {
            Avoid::Country(c) => c.clone(),
            Avoid::Place(ps) => ps
                .iter()
                .map(|&p| net.place(p).id.clone())
                .collect::<Vec<_>>()
                .join("|"),
            Avoid::Mode(m) => m.to_string(),
            Avoid::Link(l) => l.clone(),
            Avoid::Passage(p) => p.clone(),
        };
        Ok(AvoidRule {
            what: res,
            label,
            typed: s.to_string(),
        })
    }
}

/// Checks the reliability fields: draws within `1..=MAX_DRAWS`, a finite, non-negative deadline.
/// Most Monte Carlo draws one route query makes over all its itineraries (about 0.5 s of CPU
/// in a release build).
pub const MAX_DRAWS_PER_QUERY: u64 = 2_000_000;

fn check_reliability(req: &RouteRequest) -> Result<(), QueryError> {
    use crate::reliability::MAX_DRAWS;
    if let Some(n) = req.draws {
        if n == 0 || u64::from(n) > MAX_DRAWS {
            return Err(QueryError::InvalidValue {
                field: "draws".into(),
                message: format!("{n} draws asked for; give 1 to {MAX_DRAWS} (the default 10000 is enough for P50-P95)"),
                suggestions: vec![],
            });
        }
    }
    // The work of one query is bounded, not only each itinerary's: draws × the itineraries
    // drawn (every front candidate under p90), so a request cannot buy minutes of CPU.
    let itineraries = if req.time_criterion.as_deref() == Some("p90") {
        u64::from(MAX_ALTERNATIVES)
    } else if req.optimize.is_some() {
        1
    } else {
        u64::from(req.alternatives.unwrap_or(DEFAULT_ALTERNATIVES))
    };
    let draws = req
        .draws
        .map_or(crate::reliability::DEFAULT_DRAWS, u64::from);
    if (req.reliability || req.time_criterion.as_deref() == Some("p90"))
        && draws * itineraries > MAX_DRAWS_PER_QUERY
    {
        return Err(QueryError::InvalidValue {
            field: "draws".into(),
            message: format!(
                "{draws} draws for each of up to {itineraries} itineraries is over the {MAX_DRAWS_PER_QUERY} draws one query may make; give at most {} draws (or fewer alternatives)",
                MAX_DRAWS_PER_QUERY / itineraries
            ),
            suggestions: vec![],
        });
    }
    match req.time_criterion.as_deref() {
        None | Some("typical") => {}
        Some("p90") if req.optimize.is_some() => {
            return Err(QueryError::InvalidQuery {
                message: "--time-criterion p90 selects the Pareto front: drop --optimize (or use --alternatives N)".into(),
            })
        }
        Some("p90") => {}
        Some(other) => {
            return Err(QueryError::InvalidValue {
                field: "time_criterion".into(),
                message: format!("'{other}' is not one of typical, p90"),
                suggestions: vec![],
            })
        }
    }
    if let Some(d) = req.deadline_days {
        if !d.is_finite() || !(0.0..=3650.0).contains(&d) {
            return Err(QueryError::InvalidValue {
                field: "deadline_days".into(),
                message: format!("{d} days; give a deadline from 0 to 3650 days after departure"),
                suggestions: vec![],
            });
        }
    }
    Ok(())
}
