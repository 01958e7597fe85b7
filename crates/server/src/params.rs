//! Query-string parameters, named like the CLI flags and the JSON fields (`from`, `to`, `via`,
//! `cargo`, …; `-` may stand for `_`); lists may repeat (`avoid=country:RU&avoid=mode:air`),
//! and those the schema marks comma-separated may also hold a comma-separated list.
//!
//! Route and table queries are read from the request type's JSON Schema: each pair is typed
//! by its property (string, integer, number, boolean, list of those) into a JSON object, which
//! the same `Deserialize` as a POST body reads. The OpenAPI GET parameters come from the same
//! schema ([`query_parameters`]).

use corridor_engine::chain::EmissionsRequest;
use corridor_engine::options::{schema_of, COMMA_LIST};
use corridor_engine::{QueryError, RouteRequest, TableRequest};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Longest query string accepted.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn parse(q: &str, known: &[&str]) -> Result<Pairs, ApiError> {
        if q.len() > MAX_QUERY_BYTES {
            return Err(ApiError::Query(QueryError::TooBig {
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
                return Err(ApiError::Query(QueryError::InvalidQuery {
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
                    v.split(',').map(|s| s.trim().to_string()).collect()
                } else {
                    vec![v.clone()]
                }
            })
            .collect()
    }
}

fn number(k: &str, v: &str) -> Result<f64, ApiError> {
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| ApiError::invalid(k, format!("'{v}' is not a number")))
}

fn flag(k: &str, v: &str) -> Result<bool, ApiError> {
    match v {
        "" | "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ApiError::invalid(k, format!("'{v}' is not true or false"))),
    }
}

/// The JSON type of a schema (the first that is not `null`: optional fields are nullable).
fn json_type(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

fn is_scalar(t: Option<&str>) -> bool {
    matches!(t, Some("string" | "integer" | "number" | "boolean"))
}

/// The properties of a request schema a query string can carry: scalars and lists of
/// scalars (a list of lists, such as a table's `pairs`, goes in a POST body), in schema order.
pub(crate) fn query_properties(schema: &Value) -> Vec<(&String, &Value)> {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return vec![];
    };
    props
        .iter()
        // Fields marked body-only (a scenario file's text) go in a POST body.
        .filter(|(_, p)| p.get("x-body-only") != Some(&Value::Bool(true)))
        .filter(|(_, p)| match json_type(p) {
            Some("array") => is_scalar(p.get("items").and_then(json_type)),
            t => is_scalar(t),
        })
        .collect()
}

/// One query value typed by its property's schema.
fn typed(k: &str, v: &str, schema: &Value) -> Result<Value, ApiError> {
    Ok(match json_type(schema) {
        Some("integer") => {
            // The format bounds the integer (`uint32`: a count; `uint64`: milliseconds).
            let v = v.trim();
            let n = match schema.get("format").and_then(Value::as_str) {
                Some("uint32") => v.parse::<u32>().ok().map(Value::from),
                Some("uint64") => v.parse::<u64>().ok().map(Value::from),
                _ => v.parse::<i64>().ok().map(Value::from),
            };
            n.ok_or_else(|| {
                ApiError::invalid(k, format!("'{v}' is not a non-negative whole number"))
            })?
        }
        Some("number") => Value::from(number(k, v)?),
        Some("boolean") => Value::from(flag(k, v)?),
        _ => Value::String(v.to_string()),
    })
}

/// Reads a query string into the request type `T`, by `T`'s JSON Schema (see the module
/// documentation): unknown parameters are `InvalidQuery`; a missing required one, a value of
/// the wrong type or a single-valued parameter given twice is `InvalidValue` naming it.
pub fn from_query<T: JsonSchema + DeserializeOwned + 'static>(q: &str) -> Result<T, ApiError> {
    let schema = schema_of::<T>();
    let props = query_properties(&schema);
    let known: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
    let p = Pairs::parse(q, &known)?;
    let mut obj = Map::new();
    for (k, prop) in &props {
        let k = k.as_str();
        let value = if json_type(prop) == Some("array") {
            let items = prop.get("items").unwrap_or(&Value::Null);
            let commas = prop.get(COMMA_LIST) == Some(&Value::Bool(true));
            let vs = p.many(k, commas);
            if vs.is_empty() {
                continue;
            }
            // An empty item (`avoid=`, `avoid=a,,b`, `from=`) is not an absent parameter: the
            // schema's items need at least one character, so say so rather than drop it.
            let min_len = items.get("minLength").and_then(Value::as_u64).unwrap_or(0);
            if min_len > 0 && vs.iter().any(|v| v.is_empty()) {
                return Err(ApiError::invalid(
                    k,
                    format!("an empty item in '{k}': give a value or leave the parameter out"),
                ));
            }
            Value::Array(
                vs.iter()
                    .map(|v| typed(k, v, items))
                    .collect::<Result<_, _>>()?,
            )
        } else {
            match p.one(k)? {
                Some(v) => typed(k, &v, prop)?,
                None => continue,
            }
        };
        obj.insert(k.to_string(), value);
    }
    let required = schema.get("required").and_then(Value::as_array);
    for k in required.into_iter().flatten().filter_map(Value::as_str) {
        if !obj.contains_key(k) {
            let what = props
                .iter()
                .find(|(name, _)| name.as_str() == k)
                .and_then(|(_, p)| p.get("description"))
                .and_then(Value::as_str)
                .and_then(|d| d.split([':', '.']).next())
                .unwrap_or(k)
                .to_lowercase();
            return Err(ApiError::invalid(k, format!("missing: give the {what}")));
        }
    }
    corridor_engine::options::from_json(Value::Object(obj)).map_err(ApiError::Query)
}

/// Parses a `/v1/route` query string.
pub fn route_request(q: &str) -> Result<RouteRequest, ApiError> {
    from_query(q)
}

/// Parses a `/v1/table` query string (`from` × `to`; explicit lanes go in a POST body).
pub fn table_request(q: &str) -> Result<TableRequest, ApiError> {
    from_query(q)
}

/// Parses a `/v1/emissions` query string (`leg=road:Urumqi-Khorgos&leg=rail:Khorgos-Aktau`),
/// by the request's schema as route and table are.
pub fn emissions_request(q: &str) -> Result<EmissionsRequest, ApiError> {
    from_query(q)
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
            Err(ApiError::Query(QueryError::InvalidQuery { .. }))
        ));
        match route_request("from=a&from=b&to=c") {
            Err(ApiError::Query(QueryError::InvalidValue { field, .. })) => {
                assert_eq!(field, "from")
            }
            other => panic!("{other:?}"),
        }
        match route_request("to=c") {
            Err(ApiError::Query(QueryError::InvalidValue { field, .. })) => {
                assert_eq!(field, "from")
            }
            other => panic!("{other:?}"),
        }
        match route_request(&"x".repeat(MAX_QUERY_BYTES + 1)) {
            Err(ApiError::Query(QueryError::TooBig { message })) => {
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
            Err(ApiError::Query(QueryError::InvalidValue { field, .. })) => {
                assert_eq!(field, "max_borders")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn table_takes_every_shared_option_and_no_pairs() {
        let t = table_request(
            "from=A&from=B&to=C&payload_t_per_teu=12.5&cargo=40t&reefer&dangerous-goods=3&avoid=mode:air,country:RU",
        )
        .unwrap();
        assert_eq!(t.from, ["A", "B"]);
        assert_eq!(t.to, ["C"]);
        assert_eq!(t.payload_t_per_teu, Some(12.5));
        assert_eq!(t.cargo.as_deref(), Some("40t"));
        assert!(t.reefer);
        assert_eq!(t.dangerous_goods.as_deref(), Some("3"));
        assert_eq!(t.avoid, ["mode:air", "country:RU"]);
        // Lists of lanes go in a POST body; route-only fields are not a table's.
        for q in [
            "from=A&to=B&pairs=A",
            "from=A&to=B&via=C",
            "from=A&to=B&budget_ms=5",
        ] {
            match table_request(q) {
                Err(ApiError::Query(QueryError::InvalidQuery { message })) => {
                    assert!(message.starts_with("unknown parameter"), "{q}: {message}")
                }
                other => panic!("{q}: {other:?}"),
            }
        }
        match table_request("from=A&to=B&payload_t_per_teu=heavy") {
            Err(ApiError::Query(QueryError::InvalidValue { field, message, .. })) => {
                assert_eq!(field, "payload_t_per_teu");
                assert!(message.contains("'heavy' is not a number"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn values_are_typed_by_the_schema() {
        let r = route_request(
            "from=A&to=B&budget_ms=4294967296&reefer=no&include_planned=yes&via=43.2,76.9",
        )
        .unwrap();
        // u64 milliseconds past u32; booleans in words; `via` keeps its comma (a point).
        assert_eq!(r.budget_ms, Some(4_294_967_296));
        assert!(!r.reefer && r.include_planned);
        assert_eq!(r.via, ["43.2,76.9"]);
        for (q, field) in [
            ("from=A&to=B&alternatives=4294967296", "alternatives"),
            ("from=A&to=B&reefer=maybe", "reefer"),
            ("from=A&to=B&cargo=1xFEU&cargo=2xFEU", "cargo"),
            ("from=A", "to"),
        ] {
            match route_request(q) {
                Err(ApiError::Query(QueryError::InvalidValue { field: f, .. })) => {
                    assert_eq!(f, field, "{q}")
                }
                other => panic!("{q}: {other:?}"),
            }
        }
    }

    #[test]
    fn get_and_post_read_the_same_request() {
        let get = route_request(
            "from=A&to=B&via=C&cargo=2xFEU&payload_t_per_teu=6&commodity=container&optimize=cost&avoid=mode:air&include_planned=true&alternatives=3&all_alternatives=true&max_days=40&max_transshipments=1&max_borders=2&depart=2026-12-01T08:00&arrive_by=2026-12-20T08:00&budget_ms=900&reefer=true&dangerous_goods=2.1&goods=agricultural&customs=tir&drivers=2&scenario=caspian-backlog&reliability=true&draws=500&seed=7&deadline_days=12.5&time_criterion=p90&correlation=0.4",
        )
        .unwrap();
        let body = serde_json::json!({
            "from": "A", "to": "B", "via": ["C"], "cargo": "2xFEU", "payload_t_per_teu": 6,
            "commodity": "container", "optimize": "cost", "avoid": ["mode:air"],
            "include_planned": true, "alternatives": 3, "all_alternatives": true,
            "max_days": 40, "max_transshipments": 1,
            "max_borders": 2, "depart": "2026-12-01T08:00", "arrive_by": "2026-12-20T08:00",
            "budget_ms": 900, "reefer": true, "dangerous_goods": "2.1",
            "goods": "agricultural", "customs": "tir", "drivers": 2, "scenario": ["caspian-backlog"],
            "reliability": true, "draws": 500, "seed": 7, "deadline_days": 12.5,
            "time_criterion": "p90", "correlation": 0.4
        });
        // Every field of the request is given (a new one must join this test), but the
        // body-only scenario_toml.
        let mut names = corridor_engine::options::field_names::<RouteRequest>();
        names.retain(|n| n != "scenario_toml");
        assert_eq!(body.as_object().unwrap().len(), names.len(), "{names:?}");
        let post: RouteRequest = corridor_engine::options::from_json(body).unwrap();
        assert_eq!(get, post);
    }

    #[test]
    fn openapi_get_parameters_are_the_parsed_ones() {
        let doc = crate::openapi::document();
        let names = |op: &str| -> Vec<String> {
            let mut v: Vec<String> = doc["paths"][op]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect();
            v.sort();
            v
        };
        let mut route = corridor_engine::options::field_names::<RouteRequest>();
        route.retain(|n| n != "scenario_toml"); // a POST body's field
        route.sort();
        assert_eq!(names("/v1/route"), route);
        let mut table = corridor_engine::options::field_names::<TableRequest>();
        table.retain(|n| n != "pairs" && n != "scenario_toml");
        table.sort();
        assert_eq!(names("/v1/table"), table);
        let params = doc["paths"]["/v1/table"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let p = |n: &str| params.iter().find(|p| p["name"] == n).unwrap();
        assert_eq!(p("from")["required"], true);
        assert_eq!(p("from")["schema"]["minItems"], 1);
        assert_eq!(p("avoid")["explode"], true);
        assert_eq!(p("payload_t_per_teu")["schema"]["type"], "number");
        let dg = p("dangerous_goods")["schema"]["enum"].as_array().unwrap();
        assert_eq!(dg.len(), 25);
        assert!(dg.iter().all(|c| c.is_string()));
    }

    #[test]
    fn empty_list_items_are_invalid_values_not_dropped() {
        for q in [
            "from=A&to=B&avoid=",
            "from=A&to=B&avoid=country:RU,,mode:air",
        ] {
            match route_request(q) {
                Err(ApiError::Query(corridor_engine::QueryError::InvalidValue {
                    field, ..
                })) => assert_eq!(field, "avoid", "{q}"),
                other => panic!("{q}: {other:?}"),
            }
        }
        let r = route_request("from=A&to=B&avoid=country:RU,mode:air").unwrap();
        assert_eq!(r.avoid, ["country:RU", "mode:air"]);
    }

    #[test]
    fn emissions_get_reads_the_shared_schema_as_post_does() {
        let get = emissions_request(
            "leg=road:Urumqi-Khorgos&leg=rail:Khorgos-Aktau&cargo=2xFEU&payload-t-per-teu=12&load_factor=0.8&empty_running=0.1&no_hubs=true",
        )
        .unwrap();
        let post: EmissionsRequest = corridor_engine::options::from_json(serde_json::json!({
            "leg": ["road:Urumqi-Khorgos", "rail:Khorgos-Aktau"], "cargo": "2xFEU",
            "payload_t_per_teu": 12, "load_factor": 0.8, "empty_running": 0.1, "no_hubs": true
        }))
        .unwrap();
        assert_eq!(get, post);
        assert_eq!(get.cargo.as_deref(), Some("2xFEU"));
        assert_eq!(get.payload_t_per_teu, Some(12.0));
        // Unknown parameters and fields are refused on both faces.
        assert!(matches!(
            emissions_request("leg=road:A-B&colour=red"),
            Err(ApiError::Query(QueryError::InvalidQuery { message })) if message.contains("unknown parameter 'colour'")
        ));
        assert!(matches!(
            corridor_engine::options::from_json::<EmissionsRequest>(serde_json::json!({"leg": [], "colour": 1})),
            Err(QueryError::InvalidQuery { message }) if message.contains("unknown field `colour`")
        ));
        match emissions_request("leg=road:A-B&load_factor=much") {
            Err(ApiError::Query(QueryError::InvalidValue { field, .. })) => {
                assert_eq!(field, "load_factor")
            }
            other => panic!("{other:?}"),
        }
        // The OpenAPI GET parameters are the schema's: legs as objects go in a POST body.
        let doc = crate::openapi::document();
        let params = doc["paths"]["/v1/emissions"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let mut names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "cargo",
                "empty_running",
                "leg",
                "load_factor",
                "no_hubs",
                "payload_t_per_teu"
            ]
        );
        let p = |n: &str| params.iter().find(|p| p["name"] == n).unwrap();
        assert_eq!(p("leg")["required"], true);
        assert_eq!(p("leg")["schema"]["minItems"], 1);
        assert_eq!(
            p("leg")["schema"]["items"]["pattern"],
            corridor_engine::chain::LEG_PATTERN
        );
        assert_eq!(p("load_factor")["schema"]["exclusiveMinimum"], 0);
        assert_eq!(p("payload_t_per_teu")["schema"]["maximum"], 30.0);
    }
}
