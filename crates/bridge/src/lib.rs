//! # corridor-bridge: corridor's data and engine meet its physical networks
//!
//! `corridor-physical` knows nodes, arcs and passages; `corridor-data` and `corridor-engine`
//! know places, links and routes. What needs both lives here, so that the CLI and the HTTP
//! server share it without the CLI depending on the server:
//!
//! - [`endpoint`]: a query end (`lat,lon` or a place name) resolved to a point with a label.
//! - [`query_error`]: the physical errors that are query errors (an unknown passage, no
//!   path) in the engine's [`QueryError`] vocabulary.
//! - [`NetworkDoorRoads`]: door-to-door road legs measured on an imported road network
//!   (the engine's [`corridor_engine::door::DoorRoads`]).
#![deny(missing_docs)]

mod detour;
mod door_roads;

pub use detour::{corridor_detour, MAX_RATIO as DETOUR_MAX_RATIO};
pub use door_roads::{NetworkDoorRoads, DOOR_SNAP_KM};

use corridor_data::Dataset;
use corridor_engine::QueryError;
use corridor_physical::query::Endpoint;

/// `input` as a query end: `lat,lon` in degrees, else a place of `ds` (loaded only then: the
/// closure is called for names, not for points), labelled `name (id, country)`.
///
/// # Errors
/// [`QueryError::InvalidValue`] (naming `field`) for a point out of range or a name with no
/// place; [`QueryError::UnknownPlace`] with suggestions; `E` from loading the dataset.
pub fn endpoint<'d, E>(
    field: &str,
    input: &str,
    ds: impl FnOnce() -> Result<&'d Dataset, E>,
) -> Result<Result<Endpoint, QueryError>, E> {
    if let Some(r) = Endpoint::point(input) {
        return Ok(r.map_err(|message| invalid(field, message)));
    }
    let ds = ds()?;
    let r = match ds.resolve(input) {
        Ok(r) => r,
        Err(e) => return Ok(Err(QueryError::from_name(field, e))),
    };
    let Some(p) = r.places.first().map(|&i| &ds.places[i]) else {
        return Ok(Err(invalid(field, format!("'{input}' has no places"))));
    };
    Ok(Ok(Endpoint {
        input: input.into(),
        label: format!("{} ({}, {})", p.name, p.id, p.country),
        lat: p.lat,
        lon: p.lon,
    }))
}

/// The physical errors that are query errors, as the engine says them:
/// [`corridor_physical::Error::UnknownPassage`] → [`QueryError::InvalidValue`] and
/// [`corridor_physical::Error::NoPath`] → [`QueryError::NoRoute`]; any other error back.
///
/// # Errors
/// The error itself when it is not one of those.
pub fn query_error(e: corridor_physical::Error) -> Result<QueryError, corridor_physical::Error> {
    match e {
        corridor_physical::Error::UnknownPassage { field, .. } => Ok(invalid(field, e.to_string())),
        corridor_physical::Error::NoPath { .. } => Ok(QueryError::NoRoute {
            message: e.to_string(),
            constraint: None,
        }),
        other => Err(other),
    }
}

fn invalid(field: &str, message: String) -> QueryError {
    QueryError::InvalidValue {
        field: field.into(),
        message,
        suggestions: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_need_no_dataset_and_names_resolve_to_places() {
        let never = || -> Result<&Dataset, &str> { Err("the dataset was loaded for a point") };
        let e = endpoint("from", "45.2,82.5", never).unwrap().unwrap();
        assert_eq!((e.label.as_str(), e.lat, e.lon), ("45.2,82.5", 45.2, 82.5));
        let bad = endpoint("to", "95,10", never).unwrap().unwrap_err();
        assert!(
            matches!(&bad, QueryError::InvalidValue { field, .. } if field == "to"),
            "{bad}"
        );
        let ds = Dataset::embedded().unwrap();
        let a = endpoint("from", "Dostyk", || Ok::<_, ()>(&ds))
            .unwrap()
            .unwrap();
        assert!(a.label.starts_with("Dostyk ("), "{}", a.label);
        let u = endpoint("from", "Aktow", || Ok::<_, ()>(&ds))
            .unwrap()
            .unwrap_err();
        assert_eq!(u.code(), "UnknownPlace", "{u}");
    }

    #[test]
    fn passage_and_path_errors_become_query_errors_and_others_stay() {
        let p = corridor_physical::Error::UnknownPassage {
            field: "avoid",
            input: "passage:atlantis".into(),
        };
        let q = query_error(p).unwrap();
        assert!(
            matches!(&q, QueryError::InvalidValue { field, message, .. } if field == "avoid" && message.contains("'passage:atlantis' is not a passage")),
            "{q}"
        );
        let n = corridor_physical::Error::NoPath {
            network: "sea".into(),
            from: "A".into(),
            to: "B".into(),
            reason: "why".into(),
        };
        assert_eq!(
            query_error(n).unwrap().to_string(),
            "no sea path from A to B: why"
        );
        let other = corridor_physical::Error::BadName { name: "X".into() };
        assert!(matches!(
            query_error(other),
            Err(corridor_physical::Error::BadName { .. })
        ));
    }
}
