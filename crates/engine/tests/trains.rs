//! Block trains from their terminals (`services.csv` rows with `waits=boarding`): cargo that
//! boards at the terminal waits for the next train, cargo already on a train rides through.
//!
//! On the mini network plus two terminals: Zulu → Alpha (`za-rail`, 300 km) before Alpha →
//! Bravo (`ab-rail`, 500 km, 1435 mm, 40 km/h), and a 5 km spur Alpha → Yankee (`ay-rail`, no
//! trains given). References: half the headway (84 / trains a week) undated; the next
//! timetabled departure on the clock; the headway's uniform wait in the Monte Carlo against
//! its closed-form quantiles.

use std::path::PathBuf;

use corridor_data::{Dataset, RawFiles};
use corridor_engine::{Engine, RouteRequest};

fn fixture() -> RawFiles {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/mini");
    let mut raw = RawFiles::read_dir(&dir).unwrap();
    let links = raw.files["links.csv"]
        // ab-rail's own frequency (links.csv) gives way to the terminal's trains.
        .replace(
            "ab-rail,CN-alpha,CN-bravo,rail,,1435,true,operating,500,T-EST,40,,T-EST,7,,,,T-EST,",
            "ab-rail,CN-alpha,CN-bravo,rail,,1435,true,operating,500,T-EST,40,,T-EST,,,,,,",
        );
    assert!(!links.contains("T-EST,7,,,,T-EST"), "the fixture changed");
    let extra = "za-rail,CN-zulu,CN-alpha,rail,,1435,true,operating,300,T-EST,40,,T-EST,,,,,,,,,,,1.0,feu,USD,2025,T-EST,,,,T-EST\n\
                 ay-rail,CN-alpha,CN-yankee,rail,,1435,true,operating,5,T-EST,40,,T-EST,,,,,,,,,,,1.0,feu,USD,2025,T-EST,,,,T-EST\n";
    raw.files
        .insert("links.csv", format!("{}{extra}", ensure_nl(&links)));
    let places = format!(
        "{}CN-zulu,Zulu rail terminal,,CN,44.0,91.5,rail_terminal,1435,,Asia/Shanghai,T-EST\n\
         CN-yankee,Yankee siding,,CN,44.02,88.05,rail_terminal,1435,,Asia/Shanghai,T-EST\n",
        ensure_nl(&raw.files["places.csv"])
    );
    raw.files.insert("places.csv", places);
    raw
}

fn ensure_nl(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}

fn engine(services: &str) -> Engine {
    let mut raw = fixture();
    if services.contains("T-KZ") {
        let sources = format!(
            "{}T-KZ,Test trains to Kazakhstan,corridor tests,,2026,estimate: invented for tests\n",
            ensure_nl(&raw.files["sources.csv"])
        );
        raw.files.insert("sources.csv", sources);
    }
    raw.files.insert(
        "services.csv",
        format!("link,weekdays,departure_local,departures_per_week,waits,to_countries,valid_from,valid_to,source\n{services}"),
    );
    Engine::new(Dataset::from_raw(&raw).unwrap())
}

/// Zulu's trains 14 a week, Alpha's 7 a week, Charlie's (after the gauge change) 7 a week.
fn frequencies() -> Engine {
    engine(
        "za-rail,,,14,boarding,,,,T-EST\n\
         ab-rail,,,7,boarding,,,,T-EST\n\
         cd-rail,,,7,boarding,,,,T-EST\n",
    )
}

fn req(from: &str, to: &str) -> RouteRequest {
    RouteRequest {
        from: from.into(),
        to: to.into(),
        lane: corridor_engine::LaneOptions {
            optimize: Some("time".into()),
            avoid: vec!["mode:road".into()],
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some("1xFEU".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    }
}

fn legs(a: &corridor_engine::RouteAnswer) -> Vec<&str> {
    a.itineraries[0]
        .legs
        .iter()
        .map(|l| l.link_id.as_str())
        .collect()
}

#[test]
fn cargo_starting_at_the_terminal_waits_half_the_headway() {
    let a = frequencies().route(&req("CN-alpha", "CN-bravo")).unwrap();
    // Not out to the Yankee siding and back through Alpha (a rail U-turn) to dodge the wait.
    assert_eq!(legs(&a), ["ab-rail"]);
    let l = &a.itineraries[0].legs[0];
    let t = l.train.as_ref().expect("the leg boards Alpha's train");
    assert_eq!(t.departures_per_week, 7.0);
    assert_eq!(t.sources, ["T-EST"]);
    assert!((t.wait_h - 12.0).abs() < 1e-9, "{t:?}");
    // The wait is the leg's: half the headway, 0 to one headway.
    assert!(
        (l.wait_h - 12.0).abs() < 1e-9 && l.wait_h_low == 0.0,
        "{}",
        l.wait_h
    );
    assert!((l.wait_h_high - 24.0).abs() < 1e-9, "{}", l.wait_h_high);
    let tot = &a.itineraries[0].totals;
    assert!(
        (tot.transit_h - (12.5 + 12.0)).abs() < 1e-9,
        "{}",
        tot.transit_h
    );
}

#[test]
fn cargo_on_a_train_rides_through_the_next_terminal() {
    let a = frequencies().route(&req("CN-zulu", "CN-bravo")).unwrap();
    assert_eq!(legs(&a), ["za-rail", "ab-rail"]);
    let it = &a.itineraries[0];
    assert!((it.legs[0].wait_h - 6.0).abs() < 1e-9, "84 / 14");
    assert!(it.legs[1].train.is_none(), "{:?}", it.legs[1].train);
    assert_eq!(it.legs[1].wait_h, 0.0);
    assert!(
        (it.totals.wait_h - 6.0).abs() < 1e-9,
        "{}",
        it.totals.wait_h
    );
}

#[test]
fn a_gauge_change_boards_the_next_train() {
    // Zulu → Delta: Zulu's train through Alpha and Bravo, the border, the 1435 → 1520 change
    // at Charlie, then Charlie's train (7 a week): 6 h + 12 h of train waits.
    let a = frequencies().route(&req("CN-zulu", "KZ-delta")).unwrap();
    let it = &a.itineraries[0];
    assert!(it
        .transfers
        .iter()
        .any(|t| t.place.id == "KZ-charlie" && t.to_carrier == "wagon:1520"));
    let cd = it.legs.iter().find(|l| l.link_id == "cd-rail").unwrap();
    assert!((cd.train.as_ref().unwrap().wait_h - 12.0).abs() < 1e-9);
    assert!(
        (it.totals.wait_h - 18.0).abs() < 1e-9,
        "{}",
        it.totals.wait_h
    );
}

#[test]
fn the_front_and_the_clock_see_the_same_waits() {
    let e = frequencies();
    // The Pareto front (no objective) times the path as Dijkstra does.
    let mut r = req("CN-zulu", "CN-bravo");
    r.lane.optimize = None;
    let front = e.route(&r).unwrap();
    let fastest = front
        .itineraries
        .iter()
        .find(|it| it.labels.iter().any(|l| l == "fastest"))
        .unwrap();
    assert!((fastest.totals.transit_h - (7.5 + 6.0 + 12.5)).abs() < 1e-9);
    // On the clock a frequency's expected wait applies as undated.
    let mut r = req("CN-alpha", "CN-bravo");
    r.depart = Some("2026-11-30T08:00".into());
    let a = e.route(&r).unwrap();
    let l = &a.itineraries[0].legs[0];
    assert!((l.wait_h - 12.0).abs() < 1e-9, "{}", l.wait_h);
    assert_eq!(
        a.itineraries[0].totals.arrive_local.as_deref(),
        Some("2026-12-01T08:30:00+08:00[Asia/Shanghai]")
    );
}

#[test]
fn a_timetabled_train_is_waited_for_only_by_cargo_boarding_it() {
    // Alpha's train leaves on Tuesdays at 10:00.
    let e = engine("ab-rail,Tue,10:00,,boarding,,,,T-EST\n");
    // Undated: one departure a week, 84 h expected.
    let a = e.route(&req("CN-alpha", "CN-bravo")).unwrap();
    let t = a.itineraries[0].legs[0].train.as_ref().unwrap();
    assert_eq!(
        (t.departures_per_week, t.weekdays.clone()),
        (1.0, vec!["Tue".to_string()])
    );
    assert!((t.wait_h - 84.0).abs() < 1e-9);
    // Monday 08:00 at Alpha: boards Tuesday 10:00 (26 h).
    let mut r = req("CN-alpha", "CN-bravo");
    r.depart = Some("2026-11-30T08:00".into());
    let a = e.route(&r).unwrap();
    let l = &a.itineraries[0].legs[0];
    assert!((l.wait_h - 26.0).abs() < 1e-9, "{}", l.wait_h);
    assert!((l.train.as_ref().unwrap().wait_h - 26.0).abs() < 1e-9);
    // Monday 08:00 at Zulu: on a train (Zulu's, no departures given) through Alpha at 15:30,
    // which does not wait for Tuesday's: Bravo at 04:00 on Tuesday.
    let mut r = req("CN-zulu", "CN-bravo");
    r.depart = Some("2026-11-30T08:00".into());
    let a = e.route(&r).unwrap();
    let it = &a.itineraries[0];
    assert_eq!(legs(&a), ["za-rail", "ab-rail"]);
    assert_eq!(it.legs[1].wait_h, 0.0);
    assert!(it.legs[1].train.is_none());
    assert_eq!(
        it.totals.arrive_local.as_deref(),
        Some("2026-12-01T04:00:00+08:00[Asia/Shanghai]")
    );
}

#[test]
fn monte_carlo_draws_the_headway_uniformly() {
    // Alpha → Bravo: 12.5 h moving (no range) plus a uniform wait on [0, 24] h, so the
    // transit time's quantile q is 12.5 + 24 q hours.
    let e = frequencies();
    let mut r = req("CN-alpha", "CN-bravo");
    r.reliability = true;
    r.seed = Some(7);
    let a = e.route(&r).unwrap();
    let t = &a.itineraries[0].totals;
    for (q, got) in [
        (0.5, t.transit_days_p50),
        (0.8, t.transit_days_p80),
        (0.9, t.transit_days_p90),
        (0.95, t.transit_days_p95),
    ] {
        let want = (12.5 + 24.0 * q) / 24.0;
        let got = got.unwrap();
        assert!(
            (got - want).abs() < 0.02,
            "P{}: {got} days, closed form {want}",
            q * 100.0
        );
    }
}

#[test]
fn trains_to_the_destination_country_are_waited_for_where_given() {
    // Alpha's trains: 7 a week in all, 1 a week of them to Kazakhstan.
    let e = engine(
        "ab-rail,,,7,boarding,,,,T-EST\n\
         ab-rail,,,1,boarding,KZ,,,T-KZ\n",
    );
    // To Bravo (China): any of the 7.
    let a = e.route(&req("CN-alpha", "CN-bravo")).unwrap();
    let t = a.itineraries[0].legs[0].train.as_ref().unwrap();
    assert_eq!(
        (t.departures_per_week, t.sources.clone()),
        (7.0, vec!["T-EST".to_string()])
    );
    // To Delta (Kazakhstan): the weekly Kazakhstan train, 84 h on average.
    let a = e.route(&req("CN-alpha", "KZ-delta")).unwrap();
    let it = &a.itineraries[0];
    let ab = it.legs.iter().find(|l| l.link_id == "ab-rail").unwrap();
    let t = ab.train.as_ref().unwrap();
    assert_eq!(
        (t.departures_per_week, t.sources.clone()),
        (1.0, vec!["T-KZ".to_string()])
    );
    assert!((t.wait_h - 84.0).abs() < 1e-9 && (ab.wait_h_high - 168.0).abs() < 1e-9);
}

#[test]
fn boarding_rows_are_checked() {
    let mut raw = fixture();
    raw.files.insert(
        "services.csv",
        "link,weekdays,departure_local,departures_per_week,waits,valid_from,valid_to,source\n\
         ab-rail,,,7,,,,T-EST\n\
         de-ferry,,,3,boarding,,,T-EST\n\
         za-rail,Tue,10:00,4,boarding,,,T-EST\n\
         ay-rail,,,0,boarding,,,T-EST\n\
         cd-rail,,,7,boarding,,,T-EST\n\
         cd-rail,Mon,10:00,,boarding,,,T-EST\n\
         ef-rail,Mon,10:00,,all,,,T-EST\n\
         ef-rail,Tue,10:00,,boarding,,,T-EST\n\
         ef-rail~r,,,2,boarding,2026-01-01,,T-EST\n\
         ab-rail~r,,,7,sometimes,,,T-EST\n"
            .into(),
    );
    let err = Dataset::from_raw(&raw).unwrap_err();
    let all: String = err.problems.iter().map(|p| p.to_string() + "\n").collect();
    for want in [
        "services.csv:2: a frequency row is a train that starts at the link's origin: write waits=boarding",
        "services.csv:3: waits=boarding is for trains, and link 'de-ferry' is ferry",
        "services.csv:4: give either weekdays and departure_local (a timetable) or departures_per_week",
        "services.csv:5: departures_per_week must be > 0",
        "services.csv:7: link 'cd-rail' has another row",
        "services.csv:9: link 'ef-rail' has rows with waits=all and waits=boarding",
        "services.csv:10: valid_from and valid_to apply to timetabled rows",
        "services.csv:11: waits 'sometimes' is not one of all, boarding",
        "services.csv:9: waits=boarding at AZ-echo, which rail ferries reach with wagons ('de-ferry')",
    ] {
        assert!(all.contains(want), "missing '{want}' in:\n{all}");
    }
}

#[test]
fn destination_rows_are_checked() {
    let mut raw = fixture();
    raw.files.insert(
        "services.csv",
        "link,weekdays,departure_local,departures_per_week,waits,to_countries,valid_from,valid_to,source\n\
         za-rail~r,Mon,10:00,,boarding,KZ,,,T-EST\n\
         ab-rail~r,,,2,boarding,KZ|XX,,,T-EST\n\
         ab-rail~r,,,3,boarding,KZ,,,T-EST\n\
         ab-rail~r,,,9,boarding,,,,T-EST\n"
            .into(),
    );
    let err = Dataset::from_raw(&raw).unwrap_err();
    let all: String = err.problems.iter().map(|p| p.to_string() + "\n").collect();
    for want in [
        "services.csv:2: to_countries applies to frequency rows (departures_per_week) only",
        "services.csv:3: to_countries 'XX' is no country of places.csv",
        "services.csv:4: link 'ab-rail~r' has another frequency row for trains to KZ",
    ] {
        assert!(all.contains(want), "missing '{want}' in:\n{all}");
    }
    // A row for every destination beside rows for some countries is the normal case.
    assert!(!all.contains("services.csv:5:"), "{all}");
}
