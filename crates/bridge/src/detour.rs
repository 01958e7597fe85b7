//! A physical-network path set against the corridor network's route between the same places:
//! a path much longer than the route means the physical network likely lacks a line the
//! corridor data knows (issue 20: `path --network rail Lianyungang Almaty` ran 5,390 km via
//! Alashankou while the corridor route runs 4,452 km via Khorgos, without a word).

use corridor_engine::options::LaneOptions;
use corridor_engine::{Engine, RouteRequest};
use corridor_physical::query::Endpoint;

/// A path this much longer than the corridor route (and [`MIN_EXCESS_KM`] more) is flagged.
pub const MAX_RATIO: f64 = 1.15;
/// Below this many km of difference no warning (short paths differ by snapping alone).
pub const MIN_EXCESS_KM: f64 = 100.0;

/// The corridor modes a physical network measures, and those to avoid to keep the corridor
/// route on it: None for networks with no single corridor mode (`road+sea`).
fn modes_to_avoid(network: &str) -> Option<&'static [&'static str]> {
    match network {
        "rail" => Some(&["road", "sea", "ferry", "air", "pipeline"]),
        "road" => Some(&["rail", "sea", "ferry", "air", "pipeline"]),
        "sea" => Some(&["rail", "road", "air", "pipeline"]),
        _ => None,
    }
}

/// The warning when the physical path between two named places (`from`, `to` as the user
/// typed them; points are skipped) is over [`MAX_RATIO`] × the corridor route's km on the same
/// mode: the route's length, its border crossings (where the line the network lacks likely
/// runs) and the legs the physical network did not confirm. None when it is not, or when the
/// corridor network has no route on that mode.
pub fn corridor_detour(
    engine: &Engine,
    network: &str,
    from: &str,
    to: &str,
    path_km: f64,
) -> Option<String> {
    if Endpoint::point(from).is_some() || Endpoint::point(to).is_some() {
        return None;
    }
    let avoid = modes_to_avoid(network)?;
    let req = RouteRequest {
        from: from.to_string(),
        to: to.to_string(),
        lane: LaneOptions {
            optimize: Some("time".into()),
            avoid: avoid.iter().map(|m| format!("mode:{m}")).collect(),
            ..LaneOptions::default()
        },
        ..RouteRequest::default()
    };
    let answer = engine.route(&req).ok()?;
    let it = answer.itineraries.first()?;
    let route_km = it.totals.distance_km;
    if !(route_km > 0.0 && path_km > MAX_RATIO * route_km && path_km - route_km > MIN_EXCESS_KM) {
        return None;
    }
    let crossings: Vec<String> = it
        .borders
        .iter()
        .map(|b| format!("{} → {}", b.from.name, b.to.name))
        .collect();
    let unconfirmed: Vec<String> = it
        .legs
        .iter()
        .filter(|l| l.network_check.is_some())
        .map(|l| format!("{} ({} → {})", l.link_id, l.from.name, l.to.name))
        .collect();
    Some(format!(
        "the path is {path_km:.0} km, {:.0}% longer than the corridor network's {network} route \
         of {route_km:.0} km{}: the {network} network likely lacks a line on that route{}; do \
         not take {path_km:.0} km as the distance (`corridor route` gives the corridor route)",
        (path_km / route_km - 1.0) * 100.0,
        if crossings.is_empty() {
            String::new()
        } else {
            format!(" via {}", crossings.join(", "))
        },
        if unconfirmed.is_empty() {
            String::new()
        } else {
            format!(
                " (legs the network does not confirm: {})",
                unconfirmed.join(", ")
            )
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::new(corridor_data::Dataset::embedded().expect("embedded data"))
    }

    #[test]
    fn a_path_well_over_the_corridor_route_is_flagged_with_its_crossings() {
        let e = engine();
        // The corridor rail route Lianyungang → Almaty (issue 20: 4,452 km via Khorgos).
        let w = corridor_detour(&e, "rail", "Lianyungang", "Almaty", 5390.0)
            .expect("5,390 km is a detour");
        assert!(
            w.contains("longer than the corridor network's rail route"),
            "{w}"
        );
        assert!(w.contains("Khorgos"), "{w}");
        // Within the ratio: no warning.
        assert!(corridor_detour(&e, "rail", "Lianyungang", "Almaty", 4500.0).is_none());
    }

    #[test]
    fn points_and_mixed_networks_are_not_compared() {
        let e = engine();
        assert!(corridor_detour(&e, "rail", "34.6,119.2", "Almaty", 9e3).is_none());
        assert!(corridor_detour(&e, "road+sea", "Lianyungang", "Almaty", 9e3).is_none());
    }
}
