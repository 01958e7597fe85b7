//! The options a route and every cell of a table share, written once: the serde names (JSON
//! and query parameters), the JSON Schema (OpenAPI), and, behind the `clap` feature, the CLI
//! flags all come from these structs.
//!
//! [`RouteRequest`](crate::RouteRequest) and [`TableRequest`](crate::TableRequest) flatten
//! [`LaneOptions`] (`#[serde(flatten)]`), which flattens [`ShipmentOptions`]; both requests
//! dereference to their options (`req.cargo` reads through), so code reading a request needs
//! no path. serde's `deny_unknown_fields` does not work with `flatten`, so requests are read
//! with [`from_json`], which rejects keys that are not properties of the type's JSON Schema.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use corridor_data::constraints::{Goods, Regime, DG_CLASSES, DG_CLASSES_MORE};
use corridor_data::Commodity;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::QueryError;
use crate::route::Optimize;

/// Schema keyword marking a list that a query string may also give comma-separated
/// (`avoid=country:RU,mode:air`); other lists only repeat (a place may hold a comma).
pub const COMMA_LIST: &str = "x-comma-separated";

/// Pattern of a `cargo` value (`2xFEU`, `3xTEU`, `40t`), as the cargo parser reads it.
pub const CARGO_PATTERN: &str = "^ ?(([1-9][0-9]{0,2}|1000) ?[xX] ?)?(FEU|TEU|feu|teu)$|^ ?([1-9][0-9]{0,5}(\\.[0-9]{1,3})?) ?t$";

/// Defines a request struct with the cargo fields every request that sizes a shipment shares
/// (`cargo`, `payload_t_per_teu`) first, then the fields given: their docs, serde names, JSON
/// Schema and (feature `clap`) CLI flags are written here once. [`ShipmentOptions`] (routes and
/// tables) and [`EmissionsRequest`](crate::chain::EmissionsRequest) (chains) are made with it;
/// the fields stay plain fields, so `ShipmentOptions { cargo, .. }` reads and builds as before.
macro_rules! with_cargo_size {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($fields:tt)*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            /// Cargo: `2xFEU`, `3xTEU` or `40t` (default `1xFEU`; 10 t net per TEU).
            #[serde(default)]
            #[schemars(regex(pattern = $crate::options::CARGO_PATTERN))]
            #[cfg_attr(feature = "clap", arg(long))]
            pub cargo: Option<String>,
            /// Net tonnes per loaded TEU (default 10, the GLEC default; 6 light, 14.5 heavy).
            #[serde(default)]
            #[schemars(range(min = 0.1, max = 30.0))]
            #[cfg_attr(feature = "clap", arg(long, value_name = "T"))]
            pub payload_t_per_teu: Option<f64>,
            $($fields)*
        }
    };
}
pub(crate) use with_cargo_size;

with_cargo_size! {
/// What is shipped, and under which declarations: the cargo options of a route, of every
/// cell of a table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ShipmentOptions {
    /// `container`, `bulk`, `liquid` or `gas`; default container (bulk for tonnage;
    /// pipelines carry only liquid and gas).
    #[serde(default)]
    #[schemars(extend("enum" = nullable_enum(Commodity::ALL.map(Commodity::as_str))))]
    #[cfg_attr(feature = "clap", arg(long))]
    pub commodity: Option<String>,
    /// Refrigerated container: only legs and places with reefer power (containers only;
    /// cargo_rules.csv no_reefer); the heavier tare (3.08 t per 20 ft, 4.8 t per 40 ft) counts
    /// toward weight limits; each leg pays the reefer surcharge of cargo_rules.csv
    /// (reefer_surcharge) and says whether its power is confirmed (reefer_power) or assumed.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub reefer: bool,
    /// Dangerous goods of this UN class or division (ADR/RID/IMDG; e.g. 3, 2.1, 1.4): legs and
    /// places that ban it are not used.
    #[serde(default)]
    #[schemars(extend("enum" = nullable_enum(dangerous_goods_classes())))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "CLASS"))]
    pub dangerous_goods: Option<String>,
    /// `general` (default) or `agricultural` (qualifies for agricultural green channels).
    #[serde(default)]
    #[schemars(extend("enum" = nullable_enum([Goods::General, Goods::Agricultural].map(Goods::as_str))))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "KIND"))]
    pub goods: Option<String>,
    /// Customs regime at borders: `standard` (default), `tir`, `green_channel`, `bonded`; where
    /// the data gives the regime at a border, its dwell and fee replace the standard ones.
    #[serde(default)]
    #[schemars(extend("enum" = nullable_enum(Regime::ALL.map(Regime::as_str))))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "REGIME"))]
    pub customs: Option<String>,
    /// Truck drivers per truck: 1 (default) or 2 (a double crew: breaks taken while the
    /// other drives, up to twice the daily driving, a 9 h daily rest; EU 561/2006
    /// multi-manning).
    #[serde(default)]
    #[schemars(range(min = 1, max = 2))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "N"))]
    pub drivers: Option<u8>,
}
}

/// The options of one lane (origin → destination) that a route and every cell of a table
/// share: the shipment, the objective and what to avoid. Dereferences to its
/// [`ShipmentOptions`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct LaneOptions {
    /// What is shipped.
    #[serde(flatten)]
    #[cfg_attr(feature = "clap", command(flatten))]
    pub shipment: ShipmentOptions,
    /// `time`, `cost` or `co2`: one itinerary, the best for it (a route without it answers
    /// the Pareto front; a table cell takes time).
    #[serde(default)]
    #[schemars(extend("enum" = nullable_enum([Optimize::Time, Optimize::Cost, Optimize::Co2].map(Optimize::as_str))))]
    #[cfg_attr(feature = "clap", arg(long))]
    pub optimize: Option<String>,
    /// `country:RU`, `place:KZSCO`, `mode:air`, `link:ID`, `passage:suez`, or a bare value
    /// (repeatable).
    #[serde(default)]
    #[schemars(length(max = 64), inner(length(min = 1)), extend("x-comma-separated" = true))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "KIND:VALUE", num_args = 1..))]
    pub avoid: Vec<String>,
    /// Allow planned and under-construction links.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub include_planned: bool,
    /// What-if scenarios (docs/scenarios.md), applied in order: shipped names
    /// (`caspian-backlog`); the CLI also takes a TOML file's path. The engine does not apply
    /// them: its caller (CLI, server) builds the engine on the data with them applied, and
    /// the answer's `data.scenarios` names them. `/v1/compare` compares each on its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 5), inner(length(min = 1, max = 200)))]
    #[cfg_attr(feature = "clap", arg(long = "scenario", value_name = "FILE|NAME"))]
    pub scenario: Vec<String>,
    /// Scenario files' text (TOML), applied after `scenario`: in a JSON (POST) body only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 5), inner(length(min = 1, max = 65536)), extend("x-body-only" = true))]
    #[cfg_attr(feature = "clap", arg(skip))]
    pub scenario_toml: Vec<String>,
    /// With `reliability`: correlation (rho, 0 to 1) of the delays within one country, a
    /// common shock per country and draw (Gaussian copula; `docs/reliability.md`, "Correlated
    /// delays"). Default 0: independent draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    #[cfg_attr(feature = "clap", arg(long, value_name = "RHO"))]
    pub correlation: Option<f64>,
}

impl std::ops::Deref for LaneOptions {
    type Target = ShipmentOptions;
    fn deref(&self) -> &ShipmentOptions {
        &self.shipment
    }
}

impl std::ops::DerefMut for LaneOptions {
    fn deref_mut(&mut self) -> &mut ShipmentOptions {
        &mut self.shipment
    }
}

/// The UN dangerous-goods classes and divisions a request may name, in order (`1`, `1.1`, …,
/// `9`): the data's list ([`DG_CLASSES`], [`DG_CLASSES_MORE`]).
pub fn dangerous_goods_classes() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = DG_CLASSES.iter().chain(&DG_CLASSES_MORE).copied().collect();
    v.sort_unstable();
    v
}

/// The values of an optional enum field of a schema: `names` and `null`.
fn nullable_enum<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Value> {
    names
        .into_iter()
        .map(|s| Value::String(s.into()))
        .chain([Value::Null])
        .collect()
}

/// The JSON Schema of `T` (generated once per type, then shared).
pub fn schema_of<T: JsonSchema + 'static>() -> Arc<Value> {
    static CACHE: OnceLock<RwLock<HashMap<TypeId, Arc<Value>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let id = TypeId::of::<T>();
    if let Some(s) = cache.read().ok().and_then(|m| m.get(&id).cloned()) {
        return s;
    }
    let s = Arc::new(serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default());
    if let Ok(mut m) = cache.write() {
        m.insert(id, s.clone());
    }
    s
}

/// The field names of a request type: the `properties` of its JSON Schema, in its order.
pub fn field_names<T: JsonSchema + 'static>() -> Vec<String> {
    schema_of::<T>()
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// Reads a request from JSON: an object whose keys are all fields of `T` (else
/// `InvalidQuery` naming the unknown one, as serde's `deny_unknown_fields` would), then
/// serde's own checks.
pub fn from_json<T: JsonSchema + DeserializeOwned + 'static>(v: Value) -> Result<T, QueryError> {
    let bad = |m: String| QueryError::InvalidQuery {
        message: format!("request body is not a valid request: {m}"),
    };
    if let Value::Object(map) = &v {
        let known = field_names::<T>();
        if let Some(k) = map.keys().find(|k| !known.contains(k)) {
            let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            return Err(bad(format!(
                "unknown field `{k}`, expected one of {}",
                expected.join(", ")
            )));
        }
    }
    serde_json::from_value(v).map_err(|e| bad(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RouteRequest, TableRequest};
    use serde_json::json;

    #[test]
    fn dangerous_goods_list_is_the_datas_in_un_order() {
        let v = dangerous_goods_classes();
        assert_eq!(v.len(), DG_CLASSES.len() + DG_CLASSES_MORE.len());
        // UN order: classes 1 to 9, each followed by its divisions.
        assert_eq!(v.first(), Some(&"1"));
        assert_eq!(&v[..3], ["1", "1.1", "1.2"]);
        assert_eq!(&v[v.len() - 5..], ["6.1", "6.2", "7", "8", "9"]);
        assert!(v.iter().all(|c| corridor_data::constraints::is_dg_class(c)));
    }

    #[test]
    fn flattened_fields_read_and_unknown_ones_are_refused() {
        let r: RouteRequest = from_json(json!({
            "from": "Xi'an", "to": "Duisburg", "cargo": "2xFEU", "payload_t_per_teu": 12,
            "optimize": "cost", "avoid": ["country:RU"], "reefer": true, "budget_ms": 100
        }))
        .unwrap();
        assert_eq!(r.cargo.as_deref(), Some("2xFEU"));
        assert_eq!(r.payload_t_per_teu, Some(12.0));
        assert_eq!(r.optimize.as_deref(), Some("cost"));
        assert_eq!(r.avoid, ["country:RU"]);
        assert!(r.reefer);
        assert_eq!(r.budget_ms, Some(100));
        match from_json::<RouteRequest>(json!({"from": "a", "to": "b", "colour": "red"})) {
            Err(QueryError::InvalidQuery { message }) => {
                assert!(message.contains("unknown field `colour`"), "{message}");
                assert!(message.contains("`payload_t_per_teu`"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // A route-only field is unknown to a table.
        match from_json::<TableRequest>(json!({"from": ["a"], "to": ["b"], "via": ["c"]})) {
            Err(QueryError::InvalidQuery { message }) => {
                assert!(message.contains("unknown field `via`"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        match from_json::<RouteRequest>(json!({"to": "b"})) {
            Err(QueryError::InvalidQuery { message }) => {
                assert!(message.contains("missing field `from`"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_round_trip_is_flat() {
        let r: RouteRequest =
            from_json(json!({"from": "A", "to": "B", "commodity": "bulk"})).unwrap();
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["commodity"], "bulk");
        assert!(
            v.get("shipment").is_none() && v.get("lane").is_none(),
            "{v}"
        );
        assert_eq!(from_json::<RouteRequest>(v).unwrap(), r);
    }

    #[test]
    fn schemas_list_every_option_once_with_its_enum() {
        for names in [field_names::<RouteRequest>(), field_names::<TableRequest>()] {
            for f in [
                "cargo",
                "payload_t_per_teu",
                "commodity",
                "reefer",
                "dangerous_goods",
                "goods",
                "customs",
                "optimize",
                "avoid",
                "include_planned",
            ] {
                assert_eq!(
                    names.iter().filter(|n| *n == f).count(),
                    1,
                    "{f} in {names:?}"
                );
            }
        }
        let s = schema_of::<TableRequest>();
        let dg = s["properties"]["dangerous_goods"]["enum"]
            .as_array()
            .unwrap();
        assert_eq!(dg.len(), 26); // 25 classes and divisions, and null
        assert_eq!(s["additionalProperties"], json!(false));
        assert_eq!(
            schema_of::<RouteRequest>()["additionalProperties"],
            json!(false)
        );
    }

    #[test]
    fn emissions_and_shipments_share_the_cargo_fields() {
        let chain = schema_of::<crate::chain::EmissionsRequest>();
        let ship = schema_of::<ShipmentOptions>();
        for f in ["cargo", "payload_t_per_teu"] {
            assert_eq!(chain["properties"][f], ship["properties"][f], "{f}");
            assert!(chain["properties"][f]["description"].is_string(), "{f}");
        }
        assert_eq!(
            chain["properties"]["cargo"]["pattern"],
            json!(CARGO_PATTERN)
        );
        let r: crate::chain::EmissionsRequest = from_json(json!({
            "leg": ["road:A-B"], "cargo": "40t", "payload_t_per_teu": 12
        }))
        .unwrap();
        assert_eq!(
            (r.cargo.as_deref(), r.payload_t_per_teu),
            (Some("40t"), Some(12.0))
        );
    }
}
