//! Edge cases of issue 17 (hardening), each of which used to answer silently:
//! - `--avoid country:XX` for a well-formed code no place of the network is in;
//! - `--arrive-by` so early that the latest departure falls before 1970.

use corridor_data::Dataset;
use corridor_engine::{Engine, LaneOptions, QueryError, RouteRequest};

fn route_avoiding(engine: &Engine, avoid: &str) -> Result<(), QueryError> {
    let req = RouteRequest {
        from: "Urumqi".into(),
        to: "Baku".into(),
        lane: LaneOptions {
            avoid: vec![avoid.into()],
            optimize: Some("time".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    engine.route(&req).map(|_| ())
}

#[test]
fn a_country_no_place_is_in_is_an_invalid_value_naming_the_known_countries() {
    let engine = Engine::new(Dataset::embedded().unwrap());
    match route_avoiding(&engine, "country:XX") {
        Err(QueryError::InvalidValue { field, message, .. }) => {
            assert_eq!(field, "avoid");
            assert!(message.contains("'XX'"), "{message}");
            assert!(
                message.contains("KZ") && message.contains("RU"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A country of the network is still accepted, in either case.
    assert!(route_avoiding(&engine, "country:ru").is_ok());
}

#[test]
fn an_arrival_so_early_that_the_departure_falls_before_1970_is_no_route() {
    let engine = Engine::new(Dataset::embedded().unwrap());
    let req = RouteRequest {
        from: "Urumqi".into(),
        to: "Baku".into(),
        arrive_by: Some("1970-01-01T00:00Z".into()),
        ..Default::default()
    };
    match engine.route(&req) {
        Err(QueryError::NoRoute {
            message,
            constraint,
        }) => {
            assert!(
                message.contains("before the years 1970 to 2200"),
                "{message}"
            );
            assert!(message.contains("1969-12-"), "{message}");
            assert_eq!(
                constraint.as_deref(),
                Some("--arrive-by 1970-01-01T00:00:00Z")
            );
        }
        other => panic!("{other:?}"),
    }
    // A month later the same lane has a departure in 1970 and answers it.
    let a = engine
        .route(&RouteRequest {
            arrive_by: Some("1970-02-01T00:00Z".into()),
            ..req
        })
        .unwrap();
    assert!(a.itineraries[0]
        .totals
        .depart_utc
        .as_deref()
        .unwrap_or("")
        .starts_with("1970-01"));
}
