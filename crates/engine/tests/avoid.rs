//! `--avoid country:XX` for a well-formed code that no place of the network is in is refused
//! (it used to be accepted silently and change nothing: issue 17).

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
