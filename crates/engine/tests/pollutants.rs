//! Air pollutants per leg: a pollutant without a citable factor stays null and the leg says
//! why (`pollutants_missing`); one with a factor has no reason.

use corridor_testkit::{embedded_engine, request};

#[test]
fn a_null_pollutant_says_why() {
    let mut r = request("Urumqi", "Khorgos", Some("1xFEU"), Some("time"));
    r.lane.avoid = vec!["mode:rail".into()];
    let a = embedded_engine().route(&r).unwrap();
    let road = a.itineraries[0]
        .legs
        .iter()
        .find(|l| l.mode == "road")
        .expect("a road leg");
    // NOx and PM: no EMEP/EEA or IMO figure was transcribed (pollutant_factors.csv).
    assert!(road.nox_kg.is_none() && road.pm_kg.is_none());
    let why = road.pollutants_missing.as_deref().expect("a reason");
    assert!(why.contains("nox: no public nox factor for"), "{why}");
    assert!(why.contains("pm: "), "{why}");
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
}
