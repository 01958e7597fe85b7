//! Seasonal closures of the embedded data (issue 16): the Kulma pass (Tajikistan–China) is
//! closed December to April (Asia-Plus 2014-12-02, closures.csv). A December departure from
//! Dushanbe to Kashgar must not cross it; a June departure may; an undated query crosses it and
//! carries the seasonal flag.

use corridor_engine::RouteRequest;
use corridor_testkit::embedded_engine;

/// Whether the fastest itinerary crosses Kulma, and whether it carries the seasonal flag.
fn via_kulma(depart: Option<&str>) -> (bool, bool) {
    let mut r = RouteRequest {
        from: "Dushanbe".into(),
        to: "Kashgar".into(),
        depart: depart.map(String::from),
        ..Default::default()
    };
    r.lane.optimize = Some("time".into());
    let a = embedded_engine().route(&r).unwrap();
    let it = &a.itineraries[0];
    let kulma = it
        .legs
        .iter()
        .any(|l| l.from.id == "TJ-kulma" || l.to.id == "TJ-kulma");
    let flagged = serde_json::to_value(it)
        .unwrap()
        .to_string()
        .contains("CP-TJ-KULMA-SEASONAL");
    (kulma, flagged)
}

#[test]
fn kulma_is_closed_in_winter() {
    let (winter, _) = via_kulma(Some("2026-12-10T08:00"));
    assert!(
        !winter,
        "a December departure crosses the closed Kulma pass"
    );
    let (summer, _) = via_kulma(Some("2027-06-10T08:00"));
    assert!(
        summer,
        "a June departure should take the Kulma pass (the fastest)"
    );
    let (undated, flagged) = via_kulma(None);
    assert!(undated);
    assert!(flagged, "an undated query says the pass is seasonal");
}
