//! Query-string parameters, named like the CLI flags (`from`, `to`, `via`, `cargo`,
//! `commodity`, `optimize`, `avoid`, `include_planned`); repeatable ones may repeat
//! (`avoid=country:RU&avoid=mode:air`) or hold a comma-separated list.

use corridor_engine::chain::EmissionsRequest;
use corridor_engine::{RouteRequest, TableRequest};

use crate::error::ApiError;

/// Longest query string accepted.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn parse(q: &str, known: &[&str]) -> Result<Pairs, ApiError> {
        if q.len() > MAX_QUERY_BYTES {
            return Err(ApiError::Query(corridor_engine::QueryError::TooBig {
                message: format!(
                    "query string of {} bytes; at most {MAX_QUERY_BYTES}",
                    q.len()
                ),
            }));
        }
        let mut out = Vec::new();
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            let k = k.replace('-', "_");
            if !known.contains(&k.as_str()) {
                return Err(ApiError::Query(corridor_engine::QueryError::InvalidQuery {
                    message: format!("unknown parameter '{k}' (known: {})", known.join(", ")),
                }));
            }
            out.push((k, v.into_owned()));
        }
        Ok(Pairs(out))
    }
    fn one(&self, k: &str) -> Result<Option<String>, ApiError> {
        let mut it = self.0.iter().filter(|(key, _)| key == k);
        let first = it.next().map(|(_, v)| v.clone());
        if it.next().is_some() {
            return Err(ApiError::invalid(
                k,
                format!("'{k}' given twice; it takes one value"),
            ));
        }
        Ok(first)
    }
    fn many(&self, k: &str, split_commas: bool) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == k)
            .flat_map(|(_, v)| {
                if split_commas {
                    v.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                } else {
                    vec![v.clone()]
                }
            })
            .collect()
    }
    /// A non-negative whole number.
    fn number(&self, k: &str) -> Result<Option<f64>, ApiError> {
        match self.one(k)? {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| ApiError::invalid(k, format!("'{v}' is not a number"))),
        }
    }
    fn count(&self, k: &str) -> Result<Option<u32>, ApiError> {
        match self.one(k)? {
            None => Ok(None),
            Some(v) => v.trim().parse::<u32>().map(Some).map_err(|_| {
                ApiError::invalid(k, format!("'{v}' is not a non-negative whole number"))
            }),
        }
    }
    fn flag(&self, k: &str) -> Result<bool, ApiError> {
        match self.one(k)?.as_deref() {
            None => Ok(false),
            Some("" | "true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(v) => Err(ApiError::invalid(k, format!("'{v}' is not true or false"))),
        }
    }
}

const ROUTE_PARAMS: [&str; 19] = [
    "reefer",
    "dangerous_goods",
    "goods",
    "customs",
    "depart",
    "arrive_by",
    "budget_ms",
    "payload_t_per_teu",
    "from",
    "to",
    "via",
    "cargo",
    "commodity",
    "optimize",
    "avoid",
    "include_planned",
    "alternatives",
    "max_transshipments",
    "max_borders",
];

/// Parses a `/v1/route` query string.
pub fn route_request(q: &str) -> Result<RouteRequest, ApiError> {
    let p = Pairs::parse(q, &ROUTE_PARAMS)?;
    let from = p.one("from")?.ok_or_else(|| {
        ApiError::invalid("from", "missing: give the origin (place id, name or city)")
    })?;
    let to = p.one("to")?.ok_or_else(|| {
        ApiError::invalid(
            "to",
            "missing: give the destination (place id, name or city)",
        )
    })?;
    Ok(RouteRequest {
        from,
        to,
        via: p.many("via", false),
        cargo: p.one("cargo")?,
        commodity: p.one("commodity")?,
        optimize: p.one("optimize")?,
        avoid: p.many("avoid", true),
        include_planned: p.flag("include_planned")?,
        alternatives: p.count("alternatives")?,
        max_transshipments: p.count("max_transshipments")?,
        max_borders: p.count("max_borders")?,
        payload_t_per_teu: p.number("payload_t_per_teu")?,
        depart: p.one("depart")?,
        arrive_by: p.one("arrive_by")?,
        budget_ms: p.count("budget_ms")?.map(u64::from),
        reefer: p.flag("reefer")?,
        dangerous_goods: p.one("dangerous_goods")?,
        goods: p.one("goods")?,
        customs: p.one("customs")?,
    })
}

const TABLE_PARAMS: [&str; 12] = [
    "reefer",
    "dangerous_goods",
    "goods",
    "customs",
    "payload_t_per_teu",
    "from",
    "to",
    "cargo",
    "commodity",
    "optimize",
    "avoid",
    "include_planned",
];

/// Parses a `/v1/table` query string (`from` × `to`; explicit lanes go in a POST body).
pub fn table_request(q: &str) -> Result<TableRequest, ApiError> {
    let p = Pairs::parse(q, &TABLE_PARAMS)?;
    Ok(TableRequest {
        from: p.many("from", false),
        to: p.many("to", false),
        pairs: vec![],
        payload_t_per_teu: p.number("payload_t_per_teu")?,
        cargo: p.one("cargo")?,
        commodity: p.one("commodity")?,
        optimize: p.one("optimize")?,
        avoid: p.many("avoid", true),
        include_planned: p.flag("include_planned")?,
        reefer: p.flag("reefer")?,
        dangerous_goods: p.one("dangerous_goods")?,
        goods: p.one("goods")?,
        customs: p.one("customs")?,
    })
}

const EMISSIONS_PARAMS: [&str; 6] = [
    "leg",
    "cargo",
    "payload_t_per_teu",
    "load_factor",
    "empty_running",
    "no_hubs",
];

/// Parses a `/v1/emissions` query string: `leg=road:Urumqi-Khorgos&leg=rail:Khorgos-Aktau`.
pub fn emissions_request(q: &str) -> Result<EmissionsRequest, ApiError> {
    let p = Pairs::parse(q, &EMISSIONS_PARAMS)?;
    Ok(EmissionsRequest {
        leg: p.many("leg", false),
        legs: vec![],
        cargo: p.one("cargo")?,
        payload_t_per_teu: p.number("payload_t_per_teu")?,
        load_factor: p.number("load_factor")?,
        empty_running: p.number("empty_running")?,
        no_hubs: p.flag("no_hubs")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repeated_and_comma_lists() {
        let r = route_request("from=Xi%27an&to=Duisburg&avoid=country:RU,mode:air&avoid=passage:suez&via=Aktau&via=Baku&include-planned=true").unwrap();
        assert_eq!(r.from, "Xi'an");
        assert_eq!(r.avoid, ["country:RU", "mode:air", "passage:suez"]);
        assert_eq!(r.via, ["Aktau", "Baku"]);
        assert!(r.include_planned);
    }

    #[test]
    fn rejects_unknown_duplicate_and_missing() {
        assert!(matches!(
            route_request("from=a&to=b&colour=red"),
            Err(ApiError::Query(
                corridor_engine::QueryError::InvalidQuery { .. }
            ))
        ));
        match route_request("from=a&from=b&to=c") {
            Err(ApiError::Query(corridor_engine::QueryError::InvalidValue { field, .. })) => {
                assert_eq!(field, "from")
            }
            other => panic!("{other:?}"),
        }
        match route_request("to=c") {
            Err(ApiError::Query(corridor_engine::QueryError::InvalidValue { field, .. })) => {
                assert_eq!(field, "from")
            }
            other => panic!("{other:?}"),
        }
        match route_request(&"x".repeat(MAX_QUERY_BYTES + 1)) {
            Err(ApiError::Query(corridor_engine::QueryError::TooBig { message })) => {
                assert!(
                    message.contains(&format!("at most {MAX_QUERY_BYTES}")),
                    "{message}"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parses_alternatives_and_limits() {
        let r =
            route_request("from=Alpha&to=Echo&alternatives=3&max_transshipments=0&max_borders=2")
                .unwrap();
        assert_eq!(r.alternatives, Some(3));
        assert_eq!(r.max_transshipments, Some(0));
        assert_eq!(r.max_borders, Some(2));
        let r = route_request("from=A&to=B&optimize=time&depart=2026-12-01T08:00%2B05:00").unwrap();
        assert_eq!(r.depart.as_deref(), Some("2026-12-01T08:00+05:00"));
        match route_request("from=A&to=B&max_borders=-1") {
            Err(ApiError::Query(corridor_engine::QueryError::InvalidValue { field, .. })) => {
                assert_eq!(field, "max_borders")
            }
            other => panic!("{other:?}"),
        }
    }
}
