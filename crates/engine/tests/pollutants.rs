//! Air pollutants per leg, against their closed forms: NOx and PM are g per kg fuel (EMEP/EEA
//! Tier 1; ships' PM2.5 from the EPA equation at 0.5 % S) times the fuel the GLEC factor
//! implies, so per kg of tank-to-wheel CO2e they are the g per kg fuel over the fuel's TTW
//! factor. A pollutant without a citable factor stays null and the leg says why
//! (`pollutants_missing`); one with a factor has no reason.

use corridor_testkit::{embedded_engine, request};

/// kg of pollutant per kg of TTW CO2e: g per kg fuel / (g CO2e per g fuel) / 1000.
fn per_ttw(g_per_kg_fuel: f64, ttw_per_fuel: f64) -> f64 {
    g_per_kg_fuel / ttw_per_fuel / 1000.0
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-3 * want.abs(),
        "{what}: {got} against {want}"
    );
}

#[test]
fn road_leg_nox_and_pm_follow_the_tier_1_factors_and_so2_says_why_it_is_missing() {
    let mut r = request("Urumqi", "Khorgos", Some("1xFEU"), Some("time"));
    r.lane.avoid = vec!["mode:rail".into()];
    let a = embedded_engine().route(&r).unwrap();
    let road = a.itineraries[0]
        .legs
        .iter()
        .find(|l| l.mode == "road")
        .expect("a road leg");
    let ttw = road.co2e_ttw_kg.expect("a TTW figure");
    // EF-ROAD-CN-ART: 62.02 g TTW per tkm on 19.08 g diesel (3.25 g CO2e per g, as the EU
    // artic's 78 g on 24 g); EMEP/EEA Tier 1 heavy-duty diesel: NOx 25.95, PM 0.55 g/kg.
    close(road.nox_kg.unwrap(), ttw * per_ttw(25.95, 3.25), "NOx");
    close(road.pm_kg.unwrap(), ttw * per_ttw(0.55, 3.25), "PM");
    // No sulphur figure for Chinese diesel is in the data.
    assert!(road.so2_kg.is_none());
    let why = road.pollutants_missing.as_deref().expect("a reason");
    assert!(why.contains("so2: no public so2 factor for"), "{why}");
    assert!(!why.contains("nox") && !why.contains("pm:"), "{why}");
}

#[test]
fn sea_leg_nox_and_pm_follow_the_bunker_and_sulphur_cap_factors() {
    let mut r = request("Shanghai", "Rotterdam", Some("1xFEU"), Some("time"));
    r.lane.avoid = vec!["mode:rail".into(), "mode:road".into()];
    let a = embedded_engine().route(&r).unwrap();
    let sea = a.itineraries[0]
        .legs
        .iter()
        .find(|l| l.mode == "sea")
        .expect("a sea leg");
    let ttw = sea.co2e_ttw_kg.expect("a TTW figure");
    // VLSFO at 3.16 g CO2e per g: NOx 79.3 g/kg (EMEP/EEA Tier 1 bunker fuel oil), PM2.5
    // 3.44 g/kg (EPA ShipEF, slow-speed diesel at 0.5 % S), SO2 2 x 0.5 % = 10 g/kg.
    close(sea.nox_kg.unwrap(), ttw * per_ttw(79.3, 3.16), "NOx");
    close(sea.pm_kg.unwrap(), ttw * per_ttw(3.44, 3.16), "PM");
    close(sea.so2_kg.unwrap(), ttw * per_ttw(10.0, 3.16), "SO2");
    assert!(
        sea.pollutants_missing.is_none(),
        "{:?}",
        sea.pollutants_missing
    );
}

#[test]
fn electric_rail_is_zero_at_the_point_of_use_and_air_has_no_cruise_factor() {
    // Electric rail in the EU has all three (zero at the point of use) and no reason.
    let mut r = request("Duisburg", "Hamburg", Some("1xFEU"), Some("time"));
    r.lane.avoid = vec!["mode:road".into(), "mode:sea".into()];
    let a = embedded_engine().route(&r).unwrap();
    let rail = a.itineraries[0]
        .legs
        .iter()
        .find(|l| l.mode == "rail" && l.countries.iter().all(|c| c == "DE"))
        .expect("a German rail leg");
    assert_eq!(
        (rail.nox_kg, rail.pm_kg),
        (Some(0.0), Some(0.0)),
        "{rail:?}"
    );
    assert!(rail.so2_kg.is_some());
    assert!(
        rail.pollutants_missing.is_none(),
        "{:?}",
        rail.pollutants_missing
    );
    // Air: the EMEP/EEA database has landing and take-off cycles only, no cruise factor.
    let r = request("CNCGO", "LULUX", Some("500kg"), Some("time"));
    let a = embedded_engine().route(&r).unwrap();
    let air = a.itineraries[0]
        .legs
        .iter()
        .find(|l| l.mode == "air")
        .expect("Zhengzhou to Luxembourg flies");
    assert!(air.nox_kg.is_none() && air.pm_kg.is_none());
    let why = air.pollutants_missing.as_deref().expect("a reason");
    assert!(why.contains("nox: no public nox factor"), "{why}");
}
