//! The OpenAPI 3.1 document, generated from the request and answer types (`schemars`, JSON
//! Schema 2020-12, which OpenAPI 3.1 uses as its schema dialect) plus the path table below.

use corridor_engine::answer::RouteAnswer;
use corridor_engine::chain::EmissionsRequest;
use corridor_engine::{ErrorBody, RouteRequest, TableAnswer, TableRequest};
use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

use corridor_engine::options::{schema_of, COMMA_LIST};

use crate::params::query_properties;
use crate::{Health, PlaceOut};

fn param(name: &str, required: bool, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": required, "schema": schema, "description": description})
}

fn errors(codes: &[&str]) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    for c in codes {
        let desc = match *c {
            "400" => "InvalidQuery or InvalidValue (names the field)",
            "401" => "Unauthorized: missing or wrong API key",
            "404" => "UnknownPlace (with suggestions); NetworkNotImported on /v1/path (the server has no such network)",
            "413" => "TooBig",
            "422" => "NoRoute (names the constraint that cut the last route off), BudgetExceeded (the search budget ran out before any route was found)",
            "429" => "RateLimited (with Retry-After)",
            "503" => "Overloaded or Timeout (with Retry-After); NetworkUnavailable on the physical-network endpoints (a network file broken on the server)",
            "405" => "MethodNotAllowed: the path exists for other methods (Allow names them)",
            "408" => "Timeout: the request body did not arrive within the body timeout",
            _ => "error",
        };
        m.insert(
            c.to_string(),
            json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}),
        );
    }
    m
}

fn ok(schema: Value) -> Value {
    json!({"description": "OK", "content": {"application/json": {"schema": schema}}})
}

/// The request and answer schemas of the document: each a `$ref` into `components/schemas`,
/// and the components themselves.
struct Schemas {
    route_req: Value,
    route_ans: Value,
    table_req: Value,
    table_ans: Value,
    compare_ans: Value,
    em_req: Value,
    place: Value,
    health: Value,
    ready: Value,
    flow_req: Value,
    flow_ans: Value,
    flow_cmp: Value,
    components: serde_json::Map<String, Value>,
}

impl Schemas {
    fn generate() -> Schemas {
        let mut gen = SchemaSettings::draft2020_12()
            .with(|s| s.definitions_path = "/components/schemas/".into())
            .into_generator();
        let of = |v: schemars::Schema| serde_json::to_value(v).unwrap_or_default();
        let route_req = of(gen.subschema_for::<RouteRequest>());
        let route_ans = of(gen.subschema_for::<RouteAnswer>());
        let table_req = of(gen.subschema_for::<TableRequest>());
        let table_ans = of(gen.subschema_for::<TableAnswer>());
        let compare_ans = of(gen.subschema_for::<corridor_engine::compare::CompareAnswer>());
        let _ = gen.subschema_for::<ErrorBody>();
        let em_req = of(gen.subschema_for::<EmissionsRequest>());
        let place = of(gen.subschema_for::<PlaceOut>());
        let health = of(gen.subschema_for::<Health>());
        let ready = of(gen.subschema_for::<crate::readiness::Ready>());
        let flow_req = of(gen.subschema_for::<corridor_engine::flows::FlowRequest>());
        let flow_ans = of(gen.subschema_for::<corridor_engine::flows::FlowAnswer>());
        let flow_cmp = of(gen.subschema_for::<corridor_engine::flows::FlowComparison>());
        Schemas {
            flow_req,
            flow_ans,
            flow_cmp,
            route_req,
            route_ans,
            table_req,
            table_ans,
            compare_ans,
            em_req,
            place,
            health,
            ready,
            components: gen.take_definitions(true).into_iter().collect(),
        }
    }
}

/// The whole document: the lane queries, places and chains, physical networks and the
/// service endpoints, over the generated schemas.
pub fn document() -> Value {
    let schemas = Schemas::generate();
    let mut paths = serde_json::Map::new();
    for part in [
        lane_paths(&schemas),
        flow_paths(&schemas),
        place_and_chain_paths(&schemas),
        physical_paths(),
        service_paths(&schemas),
    ] {
        if let Value::Object(m) = part {
            paths.extend(m);
        }
    }
    let mut doc = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "corridor API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Multimodal freight routes across the Eurasian corridors. Same request and answer types as the corridor CLI (docs/json-output.md). Errors: {code, message, field?, suggestions?}.",
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"}
        },
        "paths": paths,
        "components": {
            "schemas": schemas.components,
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "bearer": {"type": "http", "scheme": "bearer"}
            }
        }
    });
    // Every operation may answer 405 (another method on its path) and 408 (a body that does
    // not arrive in time): both as ErrorBody JSON, from the router's layers.
    if let Some(paths) = doc["paths"].as_object_mut() {
        for op in paths.values_mut().filter_map(Value::as_object_mut) {
            for method in op.values_mut() {
                if let Some(r) = method["responses"].as_object_mut() {
                    for (k, v) in errors(&["405", "408"]) {
                        r.entry(k).or_insert(v);
                    }
                }
            }
        }
    }
    doc
}

/// `/v1/route`, `/v1/table`, `/v1/compare`: GET parameters from the request schemas.
fn lane_paths(schemas: &Schemas) -> Value {
    let route_req = schemas.route_req.clone();
    let route_ans = schemas.route_ans.clone();
    let table_req = schemas.table_req.clone();
    let table_ans = schemas.table_ans.clone();
    let compare_ans = schemas.compare_ans.clone();
    let s = |v: Value| v;
    let route_params = query_parameters(&schema_of::<RouteRequest>(), &[]);
    // A GET table is `from` × `to` (explicit `pairs` go in a POST body): both required there.
    let table_params = query_parameters(&schema_of::<TableRequest>(), &["from", "to"]);
    // A GET compare is `from` × `to` under at least one shipped scenario.
    let compare_params =
        query_parameters(&schema_of::<TableRequest>(), &["from", "to", "scenario"]);
    json!({
    "/v1/route": {
        "get": {
            "operationId": "routeGet", "summary": "Best itinerary (parameters named like the CLI flags)",
            "parameters": route_params,
            "responses": merge(json!({"200": ok(s(route_ans.clone()))}), errors(&["400", "401", "404", "413", "422", "429", "503"]))
        },
        "post": {
            "operationId": "routePost", "summary": "Best itinerary (JSON request)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": route_req}}},
            "responses": merge(json!({"200": ok(route_ans)}), errors(&["400", "401", "404", "413", "422", "429", "503"]))
        }
    },
    "/v1/table": {
        "get": {
            "operationId": "tableGet", "summary": "Totals of the best itinerary for many lanes",
            "parameters": table_params,
            "responses": merge(json!({"200": ok(table_ans.clone())}), errors(&["400", "401", "413", "429", "503"]))
        },
        "post": {
            "operationId": "tablePost", "summary": "Totals for many lanes (JSON request)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": table_req}}},
            "responses": merge(json!({"200": ok(table_ans)}), errors(&["400", "401", "413", "429", "503"]))
        }
    },
    "/v1/compare": {
        "get": {
            "operationId": "compareGet", "summary": "Baseline against each scenario, lane by lane (at most 100 lanes, 5 scenarios)",
            "parameters": compare_params,
            "responses": merge(json!({"200": ok(compare_ans.clone())}), errors(&["400", "401", "413", "429", "503"]))
        },
        "post": {
            "operationId": "comparePost", "summary": "Baseline against each scenario (JSON request; scenario_toml for files not shipped)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": table_req.clone()}}},
            "responses": merge(json!({"200": ok(compare_ans)}), errors(&["400", "401", "413", "429", "503"]))
        }
    }
    })
}

/// `/v1/assign`: flows on the corridor network (docs/flows.md).
fn flow_paths(schemas: &Schemas) -> Value {
    let params = query_parameters(&schema_of::<corridor_engine::flows::FlowRequest>(), &[]);
    let answer = json!({"oneOf": [
        schemas.flow_ans.clone(),
        {"type": "object", "description": "with compare: the run, the baseline and what changed",
         "required": ["run", "baseline", "comparison"],
         "properties": {"run": schemas.flow_ans.clone(), "baseline": schemas.flow_ans.clone(), "comparison": schemas.flow_cmp.clone()}}
    ]});
    let errs = errors(&["400", "401", "404", "413", "422", "429", "503"]);
    json!({
    "/v1/assign": {
        "get": {
            "operationId": "assignGet", "summary": "Equilibrium flows of the data's demand on the corridor network: bottlenecks with their capacity sources, flows by corridor, OD costs (bounded: stopped at the time limit with the gap reached)",
            "parameters": params,
            "responses": merge(json!({"200": ok(answer.clone())}), errs.clone())
        },
        "post": {
            "operationId": "assignPost", "summary": "Equilibrium flows of a demand (JSON request; at most 2000 rows)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": schemas.flow_req.clone()}}},
            "responses": merge(json!({"200": ok(answer)}), errs)
        }
    }
    })
}

/// `/v1/places` and `/v1/emissions` (GET parameters of a chain from its request schema).
fn place_and_chain_paths(schemas: &Schemas) -> Value {
    let (place, em_req) = (schemas.place.clone(), schemas.em_req.clone());
    // A GET chain gives its legs as `leg` strings (objects go in a POST body).
    let emissions_params = query_parameters(&schema_of::<EmissionsRequest>(), &["leg"]);
    json!({
    "/v1/places": {
        "get": {
            "operationId": "places", "summary": "Search places (English, Chinese, Russian names; accents ignored)",
            "parameters": [
                param("search", false, json!({"type": "string"}), "substring of an id, name or alias"),
                param("country", false, json!({"type": "string", "pattern": "^[A-Za-z]{2}$"}), "ISO 3166-1 alpha-2"),
                param("limit", false, json!({"type": "integer", "minimum": 1, "maximum": crate::MAX_PLACES}), "at most this many (default 50)")
            ],
            "responses": merge(json!({"200": ok(json!({"type": "array", "items": place}))}), errors(&["400", "401", "429"]))
        }
    },
    "/v1/emissions": {
        "get": {
            "operationId": "emissionsGet", "summary": "ISO 14083 / GLEC footprint of a chain of legs",
            "parameters": emissions_params,
            "responses": merge(json!({"200": ok(json!({"type": "object", "required": ["footprint", "legs", "warnings"]}))}), errors(&["400", "401", "404", "413", "429", "503"]))
        },
        "post": {
            "operationId": "emissionsPost", "summary": "ISO 14083 / GLEC footprint of a chain of legs (JSON request)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": em_req}}},
            "responses": merge(json!({"200": ok(json!({"type": "object", "required": ["footprint", "legs", "warnings"]}))}), errors(&["400", "401", "404", "413", "429", "503"]))
        }
    }
    })
}

/// `/v1/path` and the OSRM-compatible route and table on physical networks.
fn physical_paths() -> Value {
    json!({
    "/v1/path": {
        "get": {
            "operationId": "path", "summary": "Shortest path on a physical network (after `corridor import`)",
            "parameters": [
                param("network", true, json!({"type": "string", "enum": ["rail", "road", "sea", "road+sea"]}), "physical network"),
                param("from", true, json!({"type": "string", "minLength": 1}), "place (id, name, city) or lat,lon"),
                param("to", true, json!({"type": "string", "minLength": 1}), "place or lat,lon"),
                param("max_snap_km", false, json!({"type": "number", "exclusiveMinimum": 0, "maximum": 1000}), "refuse snaps farther than this (default 50)"),
                param("simplify_km", false, json!({"type": "number", "minimum": 0, "maximum": 1000}), "simplify the drawn line to within this many km (default 1; 0 keeps every node)"),
                param("allow", false, json!({"type": "array", "items": {"type": "string", "minLength": 1}}), "open a passage closed by default, passage:NAME (repeatable or comma-separated): northwest, northern_sea_route, volga_don"),
                param("avoid", false, json!({"type": "array", "items": {"type": "string", "minLength": 1}}), "close a passage, passage:NAME (repeatable or comma-separated): suez, bab_el_mandeb, panama, malacca, …")
            ],
            "responses": merge(json!({"200": ok(json!({"type": "object", "description": "as `corridor path --format json` (docs/physical-networks.md)",
                "required": ["network", "source", "attribution", "algorithm", "distance_km", "connector_km", "from", "to", "nodes", "settled", "search_ms", "tags", "geometry_points", "warnings", "geometry"],
                "properties": {
                    "algorithm": {"type": "string", "enum": ["ch", "astar", "bidirectional", "dijkstra"]},
                    "distance_km": {"type": "number"}, "connector_km": {"type": "number"},
                    "from": {"type": "object", "required": ["input", "label", "lat", "lon", "snap"]},
                    "to": {"type": "object", "required": ["input", "label", "lat", "lon", "snap"]},
                    "tags": {"type": "array", "items": {"type": "object", "required": ["tag", "distance_km"]}},
                    "warnings": {"type": "array", "items": {"type": "string"}},
                    "geometry": {"type": "object", "required": ["type", "coordinates"]}
                }}))}), errors(&["400", "401", "404", "422", "429", "503"]))
        }
    },
    "/route/v1/{profile}/{coordinates}": {
        "get": {
            "operationId": "osrmRoute", "summary": "OSRM-compatible route on a physical network (metres, seconds; polyline by default)",
            "parameters": osrm_params(false),
            "responses": merge(json!({"200": ok(json!({"type": "object", "required": ["code", "routes", "waypoints"]}))}), osrm_errors())
        }
    },
    "/table/v1/{profile}/{coordinates}": {
        "get": {
            "operationId": "osrmTable", "summary": "OSRM-compatible many-to-many table on a physical network",
            "parameters": osrm_params(true),
            "responses": merge(json!({"200": ok(json!({"type": "object", "required": ["code", "sources", "destinations"]}))}), osrm_errors())
        }
    }
    })
}

/// `/v1/scenarios`, `/healthz`, `/readyz`, `/metrics`, `/openapi.json`.
fn service_paths(schemas: &Schemas) -> Value {
    let health = schemas.health.clone();
    let ready = schemas.ready.clone();
    json!({
    "/v1/scenarios": {
        "get": {
            "operationId": "scenarios", "summary": "The shipped scenarios (names for the scenario parameter)",
            "responses": merge(json!({"200": ok(json!({"type": "array", "items": {"type": "object", "required": ["name", "title", "description", "source", "changes", "hash"], "properties": {
                "name": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
                "source": {"type": "string"}, "as_of": {"type": "string", "format": "date"},
                "changes": {"type": "integer", "minimum": 0}, "hash": {"type": "string", "pattern": "^[0-9a-f]{16}$"}
            }}}))}), errors(&["401", "429"]))
        }
    },
    "/healthz": {
        "get": {"operationId": "healthz", "summary": "Liveness and data version", "responses": {"200": ok(health)}}
    },
    "/readyz": {
        "get": {"operationId": "readyz", "summary": "Readiness: every network file of the network directory opens (names only, no paths)",
                "responses": {"200": ok(ready.clone()), "503": {"description": "One or more network files are broken (listed, ok false)", "content": {"application/json": {"schema": ready}}}}}
    },
    "/metrics": {
        "get": {"operationId": "metrics", "summary": "Prometheus metrics",
                "responses": merge(json!({"200": {"description": "OK", "content": {"text/plain": {"schema": {"type": "string"}}}}}), errors(&["401"]))}
    },
    "/openapi.json": {
        "get": {"operationId": "openapi", "summary": "This document",
                "responses": merge(json!({"200": ok(json!({"type": "object"}))}), errors(&["401"]))}
    }
    })
}

/// The GET parameters of a request type, generated from its JSON Schema: one per property a
/// query string can carry ([`crate::params::query_properties`], the same the GET parser
/// reads), its schema without `null`, `default` and `format` (an absent parameter is the
/// default), lists as repeated parameters. `required` are required here beyond the schema's
/// own (and, as lists, hold at least one item).
pub(crate) fn query_parameters(schema: &Value, required: &[&str]) -> Vec<Value> {
    let always: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    query_properties(schema)
        .into_iter()
        .map(|(name, prop)| {
            let mut prop = prop.clone();
            let commas = prop.get(COMMA_LIST) == Some(&Value::Bool(true));
            // An absent parameter is the default; the comma keyword is told in words.
            let mut description = String::new();
            if let Some(o) = prop.as_object_mut() {
                for k in ["default", "format", COMMA_LIST] {
                    o.remove(k);
                }
                if let Some(Value::String(d)) = o.remove("description") {
                    description = d;
                }
            }
            if commas {
                description.push_str(" Repeat the parameter or comma-separate the values.");
            }
            without_null(&mut prop);
            let must = always.contains(&name.as_str()) || required.contains(&name.as_str());
            let mut p = json!({"name": name, "in": "query", "required": must, "schema": prop, "description": description});
            if p["schema"]["type"] == "array" {
                p["style"] = json!("form");
                p["explode"] = json!(true);
                if must {
                    p["schema"]["minItems"] = json!(1);
                }
            }
            p
        })
        .collect()
}

/// A nullable schema made non-null: `type` and `enum` without `null`.
fn without_null(schema: &mut Value) {
    if let Some(Value::Array(ts)) = schema.get_mut("type") {
        ts.retain(|t| t != "null");
        if ts.len() == 1 {
            let t = ts[0].clone();
            schema["type"] = t;
        }
    }
    if let Some(Value::Array(vs)) = schema.get_mut("enum") {
        vs.retain(|v| !v.is_null());
    }
}

fn merge(a: Value, b: serde_json::Map<String, Value>) -> Value {
    let mut m = match a {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    m.extend(b);
    Value::Object(m)
}

fn osrm_params(table: bool) -> Vec<Value> {
    let mut p = vec![
        json!({"name": "profile", "in": "path", "required": true, "schema": {"type": "string", "enum": ["driving", "car", "truck", "road", "train", "rail", "ship", "sea"]}, "description": "driving → road, train → rail, ship → sea"}),
        json!({"name": "coordinates", "in": "path", "required": true,
               "schema": {"type": "string", "pattern": "^-?[0-9]{1,3}(\\.[0-9]+)?,-?[0-9]{1,2}(\\.[0-9]+)?(;-?[0-9]{1,3}(\\.[0-9]+)?,-?[0-9]{1,2}(\\.[0-9]+)?)*$"},
               "description": "lon,lat;lon,lat;… (at most 100)"}),
        param(
            "radiuses",
            false,
            json!({"type": "string"}),
            "metres per coordinate, ;-separated (unlimited = 50 km)",
        ),
    ];
    if table {
        p.push(param(
            "sources",
            false,
            json!({"type": "string"}),
            "indices ;-separated, or all",
        ));
        p.push(param(
            "destinations",
            false,
            json!({"type": "string"}),
            "indices ;-separated, or all",
        ));
        p.push(param("annotations", false, json!({"type": "string", "enum": ["duration", "distance", "duration,distance", "distance,duration"]}), "what to return"));
    } else {
        p.push(param(
            "geometries",
            false,
            json!({"type": "string", "enum": ["polyline", "polyline6", "geojson"]}),
            "geometry encoding",
        ));
        p.push(param(
            "overview",
            false,
            json!({"type": "string", "enum": ["simplified", "full", "false"]}),
            "geometry detail",
        ));
        p.push(param(
            "steps",
            false,
            json!({"type": "string", "enum": ["false"]}),
            "turn-by-turn steps are not supported (true → NotImplemented)",
        ));
        p.push(param(
            "alternatives",
            false,
            json!({"type": "string", "enum": ["false"]}),
            "alternatives are not supported (true → NotImplemented)",
        ));
    }
    p
}

fn osrm_errors() -> serde_json::Map<String, Value> {
    let body = json!({"description": "OSRM error {code, message}: InvalidUrl, InvalidValue, NoSegment, NoRoute, NotImplemented, TooBig; 404 NetworkNotImported",
                      "content": {"application/json": {"schema": {"type": "object", "required": ["code", "message"],
                          "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}});
    let mut m = serde_json::Map::new();
    m.insert("400".into(), body.clone());
    m.insert("404".into(), body);
    for (k, v) in errors(&["401", "429", "503"]) {
        m.insert(k, v);
    }
    m
}
