//! Calibration against published indices (issue 19): corridor's figures for a published
//! journey, within the range the publication gives. Each test cites its figure.

use corridor_engine::RouteRequest;
use corridor_testkit::embedded_engine;

/// The fastest rail itinerary's (days, USD, countries) for one FEU.
fn rail(from: &str, to: &str) -> (f64, f64, Vec<String>) {
    let mut r = RouteRequest {
        from: from.into(),
        to: to.into(),
        ..Default::default()
    };
    r.lane.optimize = Some("time".into());
    r.lane.avoid = vec!["mode:road".into(), "mode:sea".into(), "mode:air".into()];
    r.lane.shipment.cargo = Some("1xFEU".into());
    let a = embedded_engine().route(&r).unwrap();
    let it = &a.itineraries[0];
    (
        it.totals.transit_h / 24.0,
        it.totals.cost_usd,
        it.totals.countries.clone(),
    )
}

/// ERAI (Eurasian Rail Alliance Index, index1520.com, value of 15 July 2024): USD 3,289 per FEU
/// and 7.31 days for the 1520 mm transit Dostyk/Altynkol – Brest (KZ, RU, BY). corridor's
/// Dostyk → Brest by rail within 5 % of both (the index moves by about 1 % a week; its
/// three-year range is USD 2,691–3,295).
#[test]
fn dostyk_to_brest_matches_the_erai_index() {
    let (days, usd, countries) = rail("Dostyk", "Brest");
    assert_eq!(countries, ["KZ", "RU", "BY"]);
    assert!(
        (days / 7.31 - 1.0).abs() < 0.05,
        "{days:.2} days, ERAI 7.31"
    );
    assert!(
        (usd / 3289.0 - 1.0).abs() < 0.05,
        "USD {usd:.0}, ERAI 3,289"
    );
    // The Khorgos branch is the same index's other entry: within 10 % (its Kazakh section
    // from Altynkol to Shu runs on Middle Corridor figures, not ERAI's).
    let (days, usd, countries) = rail("Altynkol", "Brest");
    assert_eq!(countries, ["KZ", "RU", "BY"]);
    assert!(
        (days / 7.31 - 1.0).abs() < 0.10,
        "{days:.2} days, ERAI 7.31"
    );
    assert!(
        (usd / 3289.0 - 1.0).abs() < 0.10,
        "USD {usd:.0}, ERAI 3,289"
    );
}

/// ERA's 2020 figure (UTLC ERA via ERAI, 2020: 4.9 days on average across the 1520 mm network,
/// Chinese border to EU border) is the fast end of the same lane: the best case reaches it,
/// the typical figure (2024) does not.
#[test]
fn the_2020_transit_time_is_the_best_case() {
    let mut r = RouteRequest {
        from: "Dostyk".into(),
        to: "Brest".into(),
        ..Default::default()
    };
    r.lane.optimize = Some("time".into());
    r.lane.avoid = vec!["mode:road".into()];
    let a = embedded_engine().route(&r).unwrap();
    let t = &a.itineraries[0].totals;
    let best = t.transit_h_low / 24.0;
    assert!(
        (4.5..=5.4).contains(&best),
        "best case {best:.2} days, ERA 2020 4.9"
    );
    assert!(t.transit_h / 24.0 > 6.5);
}
