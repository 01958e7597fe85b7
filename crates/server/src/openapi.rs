//! The OpenAPI 3.1 document, generated from the request and answer types (`schemars`, JSON
//! Schema 2020-12, which OpenAPI 3.1 uses as its schema dialect) plus the path table below.

use corridor_engine::answer::RouteAnswer;
use corridor_engine::{ErrorBody, RouteRequest, TableAnswer, TableRequest};
use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

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
            "404" => "UnknownPlace (with suggestions)",
            "413" => "TooBig",
            "422" => "NoRoute (names the constraint that cut the last route off), BudgetExceeded (the search budget ran out before any route was found)",
            "429" => "RateLimited (with Retry-After)",
            "503" => "Overloaded or Timeout (with Retry-After)",
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

/// The whole document.
pub fn document() -> Value {
    let mut gen = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas/".into())
        .into_generator();
    let route_req = serde_json::to_value(gen.subschema_for::<RouteRequest>()).unwrap_or_default();
    let route_ans = serde_json::to_value(gen.subschema_for::<RouteAnswer>()).unwrap_or_default();
    let table_req = serde_json::to_value(gen.subschema_for::<TableRequest>()).unwrap_or_default();
    let table_ans = serde_json::to_value(gen.subschema_for::<TableAnswer>()).unwrap_or_default();
    let _ = gen.subschema_for::<ErrorBody>();
    let em_req =
        serde_json::to_value(gen.subschema_for::<corridor_engine::chain::EmissionsRequest>())
            .unwrap_or_default();
    let place = serde_json::to_value(gen.subschema_for::<PlaceOut>()).unwrap_or_default();
    let health = serde_json::to_value(gen.subschema_for::<Health>()).unwrap_or_default();
    let schemas: serde_json::Map<String, Value> = gen.take_definitions(true).into_iter().collect();

    let s = |v: Value| v;
    let commodity = json!({"type": "string", "enum": ["container", "bulk", "liquid", "gas"]});
    let optimize = json!({"type": "string", "enum": ["time", "cost", "co2"]});
    let strings =
        json!({"type": "array", "items": {"type": "string", "minLength": 1}, "maxItems": 64});
    let via_list = json!({"type": "array", "items": {"type": "string", "minLength": 1}, "maxItems": corridor_engine::route::MAX_VIA});
    let places_list = json!({"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "maxItems": 100});
    let common = vec![
        param(
            "cargo",
            false,
            json!({"type": "string", "pattern": "^ ?(([1-9][0-9]{0,2}|1000) ?[xX] ?)?(FEU|TEU|feu|teu)$|^ ?([1-9][0-9]{0,5}(\\.[0-9]{1,3})?) ?t$"}),
            "2xFEU, 3xTEU or 40t (default 1xFEU)",
        ),
        param(
            "payload_t_per_teu",
            false,
            json!({"type": "number", "minimum": 0.1, "maximum": 30}),
            "net tonnes per loaded TEU (default 10, GLEC)",
        ),
        param(
            "commodity",
            false,
            commodity.clone(),
            "container, bulk, liquid or gas",
        ),
        param(
            "optimize",
            false,
            optimize.clone(),
            "time, cost or co2: one itinerary (route: without it, the Pareto front; table: time by default)",
        ),
        json!({"name": "avoid", "in": "query", "required": false, "schema": strings, "style": "form", "explode": true,
               "description": "country:RU, place:KZSCO, mode:air, link:ID, passage:suez; repeat or comma-separate"}),
        param(
            "include_planned",
            false,
            json!({"type": "boolean"}),
            "allow planned and under-construction links",
        ),
        param(
            "reefer",
            false,
            json!({"type": "boolean"}),
            "refrigerated container: only legs and places with reefer power",
        ),
        param(
            "dangerous_goods",
            false,
            json!({"type": "string", "enum": ["1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2", "2.1", "2.2", "2.3", "3", "4", "4.1", "4.2", "4.3", "5", "5.1", "5.2", "6", "6.1", "6.2", "7", "8", "9"]}),
            "UN dangerous-goods class or division: legs and places that ban it are not used",
        ),
        param(
            "goods",
            false,
            json!({"type": "string", "enum": ["general", "agricultural"]}),
            "general (default) or agricultural (qualifies for green channels)",
        ),
        param(
            "customs",
            false,
            json!({"type": "string", "enum": ["standard", "tir", "green_channel", "bonded"]}),
            "customs regime at borders; where the data gives it, its dwell and fee replace the standard ones",
        ),
    ];
    let mut route_params = vec![
        param(
            "from",
            true,
            json!({"type": "string", "minLength": 1}),
            "origin: place id, name, alias or city",
        ),
        param(
            "to",
            true,
            json!({"type": "string", "minLength": 1}),
            "destination",
        ),
        json!({"name": "via", "in": "query", "required": false, "schema": via_list, "style": "form", "explode": true, "description": "places to pass, in order"}),
        param(
            "alternatives",
            false,
            json!({"type": "integer", "minimum": 1, "maximum": corridor_engine::route::MAX_ALTERNATIVES}),
            "without optimize: at most N itineraries from the Pareto front over time, cost, CO2e and risk (default 5)",
        ),
        param(
            "max_transshipments",
            false,
            json!({"type": "integer", "minimum": 0}),
            "at most N transshipments (lifts, gauge changes)",
        ),
        param(
            "max_borders",
            false,
            json!({"type": "integer", "minimum": 0}),
            "at most N borders crossed",
        ),
        param(
            "depart",
            false,
            json!({"type": "string", "examples": ["2026-12-01T08:00+05:00", "2026-12-01T08:00"]}),
            "departure instant, RFC 3339; without an offset local to the origin; time-dependent search over timetables and closures, for any objective or the Pareto front",
        ),
        param(
            "arrive_by",
            false,
            json!({"type": "string", "examples": ["2026-12-20T18:00+01:00", "2026-12-20T18:00"]}),
            "latest arrival, RFC 3339; without an offset local to the destination; alone: the latest departure that arrives by then (one itinerary); with depart: a window (depart no earlier, arrive no later)",
        ),
        param(
            "budget_ms",
            false,
            json!({"type": "integer", "minimum": 0, "maximum": corridor_engine::route::MAX_BUDGET_MS}),
            "search budget in milliseconds, capped by the server's (default 2000): past it the front found so far, marked incomplete, or 422 BudgetExceeded",
        ),
    ];
    route_params.extend(common.clone());
    let mut table_params = vec![
        json!({"name": "from", "in": "query", "required": true, "schema": places_list, "style": "form", "explode": true, "description": "origins (× every to); explicit lanes: POST with pairs"}),
        json!({"name": "to", "in": "query", "required": true, "schema": places_list, "style": "form", "explode": true, "description": "destinations"}),
    ];
    table_params.extend(common);

    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "corridor API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Multimodal freight routes across the Eurasian corridors. Same request and answer types as the corridor CLI (docs/json-output.md). Errors: {code, message, field?, suggestions?}.",
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"}
        },
        "paths": {
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
                    "parameters": [
                        json!({"name": "leg", "in": "query", "required": true, "schema": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z_-]+(/[A-Za-z0-9_.-]+)?:.+-.+$"}, "minItems": 1, "maxItems": 64}, "style": "form", "explode": true,
                               "description": "MODE[/VEHICLE]:FROM-TO[:DISTkm], e.g. road:Urumqi-Khorgos, in order"}),
                        param("cargo", false, json!({"type": "string"}), "2xFEU, 3xTEU or 40t (default 1xFEU)"),
                        param("payload_t_per_teu", false, json!({"type": "number", "minimum": 0.1, "maximum": 30}), "net tonnes per loaded TEU (default 10)"),
                        param("load_factor", false, json!({"type": "number", "exclusiveMinimum": 0, "maximum": 1}), "load factor for every leg"),
                        param("empty_running", false, json!({"type": "number", "minimum": 0, "maximum": 1}), "empty running share for every leg"),
                        param("no_hubs", false, json!({"type": "boolean"}), "leave out hub emissions")
                    ],
                    "responses": merge(json!({"200": ok(json!({"type": "object", "required": ["footprint", "legs", "warnings"]}))}), errors(&["400", "401", "404", "413", "429", "503"]))
                },
                "post": {
                    "operationId": "emissionsPost", "summary": "ISO 14083 / GLEC footprint of a chain of legs (JSON request)",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": em_req}}},
                    "responses": merge(json!({"200": ok(json!({"type": "object", "required": ["footprint", "legs", "warnings"]}))}), errors(&["400", "401", "404", "413", "429", "503"]))
                }
            },
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
            },
            "/healthz": {
                "get": {"operationId": "healthz", "summary": "Liveness and data version", "responses": {"200": ok(health)}}
            },
            "/metrics": {
                "get": {"operationId": "metrics", "summary": "Prometheus metrics",
                        "responses": merge(json!({"200": {"description": "OK", "content": {"text/plain": {"schema": {"type": "string"}}}}}), errors(&["401"]))}
            },
            "/openapi.json": {
                "get": {"operationId": "openapi", "summary": "This document",
                        "responses": merge(json!({"200": ok(json!({"type": "object"}))}), errors(&["401"]))}
            }
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "bearer": {"type": "http", "scheme": "bearer"}
            }
        }
    })
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
    let body = json!({"description": "OSRM error {code, message}: InvalidUrl, InvalidValue, NoSegment, NoRoute, NotImplemented, TooBig",
                      "content": {"application/json": {"schema": {"type": "object", "required": ["code", "message"],
                          "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}});
    let mut m = serde_json::Map::new();
    m.insert("400".into(), body);
    for (k, v) in errors(&["401", "429", "503"]) {
        m.insert(k, v);
    }
    m
}
