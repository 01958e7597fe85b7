//! Seasonal and weekly closures of the embedded data (issue 16), on the clock: the Kulma pass
//! (Tajikistan–China) is closed December to April and open on weekdays May to November
//! (Asia-Plus 2014-12-02); Torugart and Irkeshtam (Kyrgyzstan–China) work Monday to Friday and
//! close on Chinese holidays (Kyrgyz Border Service notices); the Kuryk ferries wait longer in
//! the November–December storm season (an estimate). A December departure from Dushanbe to
//! Kashgar must not cross Kulma; a June one may; an undated query crosses it and carries the
//! seasonal flag.

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
    // A Monday: the pass (open on weekdays in summer) is reached before the weekend.
    let (summer, _) = via_kulma(Some("2027-06-07T08:00"));
    assert!(
        summer,
        "a June departure should take the Kulma pass (the fastest)"
    );
    let (undated, flagged) = via_kulma(None);
    assert!(undated);
    assert!(flagged, "an undated query says the pass is seasonal");
}

/// The fastest Bishkek → Kashgar by road on the clock, and its Torugart or Irkeshtam border step.
fn bishkek_kashgar(depart: &str) -> corridor_engine::answer::Itinerary {
    let mut r = RouteRequest {
        from: "Bishkek".into(),
        to: "Kashgar".into(),
        depart: Some(depart.into()),
        ..Default::default()
    };
    r.lane.optimize = Some("time".into());
    r.lane.avoid = vec!["mode:rail".into()];
    embedded_engine().route(&r).unwrap().itineraries.remove(0)
}

fn hold_at_border(it: &corridor_engine::answer::Itinerary) -> Option<f64> {
    it.borders
        .iter()
        .find(|b| b.link_id.contains("torugart") || b.link_id.contains("irkeshtam"))
        .expect("Bishkek → Kashgar crosses Torugart or Irkeshtam")
        .calendar_hold
        .as_ref()
        .map(|h| h.hours)
}

/// Torugart and Irkeshtam work Monday to Friday (Kyrgyz Border Service via Kaktus.media, the
/// notice for 1 January 2024): a truck reaching the post on Saturday waits for Monday; one
/// reaching it on Wednesday does not wait.
#[test]
fn torugart_and_irkeshtam_hold_trucks_at_weekends() {
    // Wednesday 3 March 2027, 08:00 Bishkek: the post is reached the same day.
    let wed = bishkek_kashgar("2027-03-03T08:00");
    assert_eq!(hold_at_border(&wed), None, "{:?}", wed.borders);
    // Friday 20:00: the post (about 12 h away) is reached on Saturday; it opens on Monday.
    let fri = bishkek_kashgar("2027-03-05T20:00");
    let held = hold_at_border(&fri).expect("a Saturday arrival is held");
    assert!((24.0..=48.0).contains(&held), "held {held} h");
    let b = fri
        .borders
        .iter()
        .find(|b| b.calendar_hold.is_some())
        .unwrap();
    let c = &b.calendar_hold.as_ref().unwrap().closures[0];
    assert_eq!(
        (c.effect.as_str(), c.weekdays.clone()),
        ("wait", vec!["Sat".to_string(), "Sun".to_string()])
    );
    assert_eq!(c.source, "SRC-KAKTUS-2023-KG-CN-CHECKPOINTS");
    // The hold is in the totals: the Friday evening departure arrives on Monday or later.
    let dt = fri.totals.transit_h - wed.totals.transit_h;
    assert!(
        (held - 1.0..=held + 1.0).contains(&dt),
        "transit {dt} h longer, held {held} h"
    );
    let arrive = fri.totals.arrive_local.as_deref().unwrap();
    assert!(
        arrive.starts_with("2027-03-08") || arrive.starts_with("2027-03-09"),
        "{arrive}"
    );
}

/// The 2026 Spring Festival (24.kg 2026-02-10): Irkeshtam closed 16–18 February, Torugart
/// 17–19 February (whole days; the Kulma pass is shut for the winter): a truck leaving Bishkek
/// on Monday 16 February 2026 reaches Kashgar on the 19th at the earliest, a day or more later
/// than the same trip a week later.
#[test]
fn the_spring_festival_closes_both_posts() {
    let festival = bishkek_kashgar("2026-02-16T06:00");
    let arrive = festival.totals.arrive_local.as_deref().unwrap();
    assert!(arrive.as_bytes() >= b"2026-02-19".as_slice(), "{arrive}");
    let week_later = bishkek_kashgar("2026-02-23T06:00");
    assert!(
        festival.totals.transit_h > week_later.totals.transit_h + 24.0,
        "{} h against {} h",
        festival.totals.transit_h,
        week_later.totals.transit_h
    );
}

/// The Caspian storm season (Kuryk port closed about half of November–December: the port
/// director, 2024; the added 36 h an estimate): a December sailing from Kuryk waits 36 h more
/// than a June one, and says why; an undated query carries the seasonal flag.
/// The fastest Kuryk → Baku by the Kuryk ferry (not by Aktau's), on the clock or undated.
fn kuryk_baku(depart: Option<&str>) -> corridor_engine::answer::Itinerary {
    let mut r = RouteRequest {
        from: "Port of Kuryk".into(),
        to: "Baku".into(),
        depart: depart.map(String::from),
        ..Default::default()
    };
    r.lane.optimize = Some("time".into());
    r.lane.avoid = vec!["place:KZSCO".into()];
    embedded_engine().route(&r).unwrap().itineraries.remove(0)
}

#[test]
fn kuryk_ferries_wait_longer_in_the_storm_season() {
    let go = kuryk_baku;
    let (dec, jun) = (go(Some("2026-12-10T08:00")), go(Some("2027-06-10T08:00")));
    let ferry = |it: &corridor_engine::answer::Itinerary| {
        it.legs
            .iter()
            .find(|l| l.mode == "ferry")
            .cloned()
            .expect("a ferry leg")
    };
    let (fd, fj) = (ferry(&dec), ferry(&jun));
    assert_eq!(fd.link_id, fj.link_id);
    let h = fd.calendar_hold.as_ref().expect("held in December");
    assert!((h.hours - 36.0).abs() < 1e-6, "{h:?}");
    assert_eq!(h.closures[0].effect, "delay");
    assert_eq!(h.closures[0].added_wait_h, Some(36.0));
    assert!(fj.calendar_hold.is_none());
    assert!((fd.wait_h - fj.wait_h - 36.0).abs() < 1e-6);
    assert!((dec.totals.transit_h - jun.totals.transit_h - 36.0).abs() < 1e-3);
    let undated = serde_json::to_string(&go(None)).unwrap();
    assert!(undated.contains("CP-CASPIAN-STORMS"));
}

/// A departure late on 31 December waits at most until the season ends (the delay never
/// makes a later departure leave earlier than an earlier one).
#[test]
fn the_storm_delay_ends_with_its_season() {
    let go = |depart: &str| kuryk_baku(Some(depart));
    let late = go("2026-12-31T20:00+05:00");
    let early = go("2027-01-01T06:00+05:00");
    let hold = late.legs[0]
        .calendar_hold
        .as_ref()
        .map(|h| h.hours)
        .unwrap_or(0.0);
    assert!(hold > 0.0 && hold < 36.0, "held {hold} h");
    assert!(late.totals.arrive_utc <= early.totals.arrive_utc);
}
