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

/// The fastest itinerary by rail and ferry (no trucks, no sea voyages round other coasts),
/// avoiding `more`: its days.
fn rail_ferry_days(from: &str, to: &str, more: &[&str]) -> f64 {
    let mut r = RouteRequest {
        from: from.into(),
        to: to.into(),
        ..Default::default()
    };
    r.lane.optimize = Some("time".into());
    r.lane.avoid = ["mode:road"]
        .iter()
        .chain(more)
        .map(|s| s.to_string())
        .collect();
    r.lane.shipment.cargo = Some("1xFEU".into());
    let a = embedded_engine().route(&r).unwrap();
    a.itineraries[0].totals.transit_h / 24.0
}

/// Middle Corridor times of the Ministry of Transport of Kazakhstan (KazTAG, 2024-10-04): from
/// Altynkol to Baku 9 days, to Poti/Batumi 12 days, to Constanța via Poti/Batumi 20–22 days.
/// corridor comes within 15 % of the Baku figure, 20 % of Poti's and 15 % of Constanța's
/// range (with the ships' wait to enter Poti, Rzeczpospolita c.2019: 3 days, up to 7). Before
/// this calibration the three came out at 0.66–0.74 of the published times.
#[test]
fn altynkol_middle_corridor_times_match_the_ministry() {
    let baku = rail_ferry_days("Altynkol", "Baku", &[]);
    assert!(
        (baku / 9.0 - 1.0).abs() < 0.15,
        "Altynkol → Baku {baku:.1} days, published 9"
    );
    let poti = rail_ferry_days("Altynkol", "Poti", &["country:RU", "country:IR"]);
    assert!(
        (poti / 12.0 - 1.0).abs() < 0.20,
        "Altynkol → Poti {poti:.1} days, published 12"
    );
    let constanta = rail_ferry_days(
        "Altynkol",
        "Constanta",
        &["country:RU", "country:IR", "country:TR"],
    );
    assert!(
        (20.0 * 0.85..=22.0 * 1.15).contains(&constanta),
        "Altynkol → Constanța via Poti {constanta:.1} days, published 20–22"
    );
}

/// The border dwell of the first crossing of the fastest road itinerary.
fn road_border_h(from: &str, to: &str) -> (String, f64) {
    let mut r = RouteRequest {
        from: from.into(),
        to: to.into(),
        ..Default::default()
    };
    r.lane.optimize = Some("time".into());
    r.lane.avoid = vec!["mode:rail".into()];
    let a = embedded_engine().route(&r).unwrap();
    let b = &a.itineraries[0].borders[0];
    (b.link_id.clone(), b.dwell_h)
}

/// CAREC CPMM Annual Report 2023, People's Republic of China chapter, Table 6.7: a truck clears
/// a Chinese road border in 2.1 h inbound and 17.0 h outbound (16.8 h on average, most samples
/// outbound). Into China at Khorgos: Kazakhstan's outbound 4.0 h (CPMM 2022) + 2.1 h; out of
/// China: the Horgos crossing's own 23.5 h (CPMM 2022).
#[test]
fn truck_border_times_into_and_out_of_china_follow_cpmm_by_direction() {
    let (link, into) = road_border_h("Almaty", "Urumqi");
    assert_eq!(link, "BD-KZ-nur-zholy--CN-khorgos-road-truck");
    assert!((into - (4.0 + 2.1)).abs() < 0.05, "into China {into} h");
    let (link, out) = road_border_h("Urumqi", "Almaty");
    assert_eq!(link, "BD-CN-khorgos-road--KZ-nur-zholy-truck");
    assert!(out > 3.0 * into, "out of China {out} h against {into} h in");
}
