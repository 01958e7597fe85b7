//! The embedded network's reefer and dangerous-goods rules (issue 16), each against its source:
//! reefer power where a source shows reefers carried, the reefer surcharges (a published sea
//! premium, an estimated rail figure per box and day), China Railway's bar on dangerous goods
//! in China–Europe trains, the Yavuz Sultan Selim Bridge's ban on explosives, and the flags an
//! Iran transit and a Red Sea sailing carry.

use corridor_engine::{QueryError, RouteAnswer, RouteRequest};
use corridor_testkit::{embedded_engine as engine, request};

fn go(r: &RouteRequest) -> RouteAnswer {
    engine()
        .route(r)
        .unwrap_or_else(|e| panic!("{} → {}: {e}", r.from, r.to))
}

fn reefer(from: &str, to: &str, cargo: &str, avoid: &[&str]) -> (RouteAnswer, RouteAnswer) {
    let mut dry = request(from, to, Some(cargo), Some("time"));
    dry.lane.avoid = avoid.iter().map(|s| s.to_string()).collect();
    let mut cold = dry.clone();
    cold.lane.shipment.reefer = true;
    (go(&dry), go(&cold))
}

/// Xi'an → Duisburg by rail, 2 FEU: every rail leg's power is confirmed (a reefer train ran
/// Herne – Lanzhou through PL, BY, RU and KZ at the end of 2016: KTZ), and each rail leg pays
/// the estimated USD 100 per box and day of its typical time; the dry answer pays none.
#[test]
fn a_reefer_on_the_china_europe_train_pays_per_box_and_day() {
    let (dry, cold) = reefer("Xi'an", "Duisburg", "2xFEU", &["mode:sea", "mode:air"]);
    let (d, c) = (&dry.itineraries[0], &cold.itineraries[0]);
    assert_eq!(
        d.legs.iter().map(|l| &l.link_id).collect::<Vec<_>>(),
        c.legs.iter().map(|l| &l.link_id).collect::<Vec<_>>(),
        "the same route, dry and reefer"
    );
    assert!(d.legs.iter().all(|l| l.reefer.is_none()));
    let mut expected = 0.0;
    for l in c.legs.iter().filter(|l| l.mode == "rail") {
        let r = l
            .reefer
            .as_ref()
            .expect("a reefer answer describes every leg");
        assert_eq!(r.power, "confirmed", "{}: {r:?}", l.link_id);
        assert!(r
            .power_rules
            .iter()
            .any(|p| p.contains("SRC-KTZ-2017-REEFER-TRAIN")));
        assert_eq!(
            r.surcharge_rule.as_deref(),
            Some("CR-REEFER-SURCHARGE-RAIL")
        );
        // On the train: the wait for a block train at its terminal is at the terminal's plug.
        let train_wait = l.train.as_ref().map_or(0.0, |t| t.wait_h);
        let days = (l.moving_h + l.wait_h - train_wait + l.dwell_h) / 24.0;
        assert!(
            (r.surcharge_usd - 100.0 * 2.0 * days).abs() < 1e-6,
            "{}: {r:?}",
            l.link_id
        );
        expected += r.surcharge_usd;
    }
    assert!(
        expected > 2.0 * 100.0 * 8.0,
        "at least 8 days on rail: {expected}"
    );
    let (td, tc) = (&d.totals, &c.totals);
    assert!((tc.cost_breakdown.reefer_usd - expected).abs() < 1e-6);
    assert!((tc.cost_usd - td.cost_usd - expected).abs() < 1e-6);
    assert_eq!(td.cost_breakdown.reefer_usd, 0.0);
}

/// Shanghai → Rotterdam by sea: the published reefer premium (Xeneta, North Europe – Far East,
/// 18 October 2022: USD 4,350 a box, used as a proxy for the other direction) per box, and
/// the mainline sailing's power confirmed by the same source.
#[test]
fn a_reefer_at_sea_pays_the_published_premium_per_box() {
    let (dry, cold) = reefer(
        "Shanghai",
        "Rotterdam",
        "2xFEU",
        &["mode:rail", "mode:road", "mode:air"],
    );
    let sea = cold.itineraries[0]
        .legs
        .iter()
        .find(|l| l.mode == "sea")
        .expect("a sea leg");
    let r = sea.reefer.as_ref().unwrap();
    assert_eq!(r.power, "confirmed");
    assert!((r.surcharge_usd - 2.0 * 4350.0).abs() < 1e-6, "{r:?}");
    assert_eq!(
        r.surcharge_source.as_deref(),
        Some("SRC-XENETA-2022-REEFER")
    );
    let d = dry.itineraries[0].totals.cost_usd;
    let c = cold.itineraries[0].totals.cost_usd;
    assert!(c - d >= 2.0 * 4350.0 - 1e-6, "{d} → {c}");
}

/// A leg no rule confirms says its power is assumed (a road leg in Kazakhstan).
#[test]
fn a_leg_without_a_power_rule_is_assumed() {
    let (_, cold) = reefer("Almaty", "Tashkent", "1xFEU", &["mode:rail"]);
    let l = &cold.itineraries[0].legs[0];
    assert_eq!(l.mode, "road");
    let r = l.reefer.as_ref().unwrap();
    assert_eq!(
        (r.power.as_str(), r.surcharge_usd),
        ("assumed", 0.0),
        "{r:?}"
    );
}

fn dg(from: &str, to: &str, class: &str, avoid: &[&str]) -> Result<RouteAnswer, QueryError> {
    let mut r = request(from, to, Some("1xFEU"), Some("time"));
    r.lane.avoid = avoid.iter().map(|s| s.to_string()).collect();
    r.lane.shipment.dangerous_goods = Some(class.into());
    engine().route(&r)
}

/// China Railway bars dangerous goods from China–Europe trains (Index1520 2023-02-16): a class
/// 3 load from Xi'an to Duisburg has no rail route, and the answer names the rule; by sea from
/// Shanghai it goes.
#[test]
fn dangerous_goods_do_not_ride_the_china_europe_train() {
    match dg("Xi'an", "Duisburg", "3", &[]) {
        Err(QueryError::NoRoute { message, .. }) => {
            assert!(message.contains("CR-DG-CN-RAIL-EXPRESS"), "{message}");
        }
        Ok(a) => assert!(
            a.itineraries[0]
                .legs
                .iter()
                .all(|l| !(l.mode == "rail" && l.countries.iter().any(|c| c == "CN"))),
            "a class 3 load rides Chinese rail"
        ),
        Err(e) => panic!("{e}"),
    }
    let sea = dg("Shanghai", "Rotterdam", "3", &[]).expect("class 3 by sea");
    assert!(sea.itineraries[0].legs.iter().any(|l| l.mode == "sea"));
    // Without dangerous goods the train is the fastest.
    let plain = go(&request("Xi'an", "Duisburg", Some("1xFEU"), Some("time")));
    assert!(plain.itineraries[0].legs.iter().any(|l| l.mode == "rail"));
}

/// Explosives (1.1) may not cross the Yavuz Sultan Selim Bridge (the operator's control-point
/// rules): a truck from Ankara to Istanbul's European side cannot take the bridge; class 1.4
/// (not banned) and class 3 (convoy) can.
#[test]
fn explosives_do_not_cross_the_bosporus_bridge() {
    let avoid = ["mode:rail", "mode:sea", "mode:ferry", "mode:air"];
    match dg(
        "Ankara",
        "Istanbul Hadımköy road freight hub",
        "1.1",
        &avoid,
    ) {
        Err(QueryError::NoRoute { message, .. }) => {
            assert!(message.contains("YSS"), "{message}");
        }
        Ok(a) => assert!(
            a.itineraries[0]
                .legs
                .iter()
                .all(|l| l.link_id != "RD-TR-ankara--TRIST"),
            "explosives cross the bridge"
        ),
        Err(e) => panic!("{e}"),
    }
    for ok in ["1.4", "3"] {
        let a = dg("Ankara", "Istanbul Hadımköy road freight hub", ok, &avoid).unwrap();
        let json = serde_json::to_string(&a.itineraries[0]).unwrap();
        assert!(
            json.contains("CP-TR-BOSPHORUS-DG"),
            "class {ok}: the convoy flag"
        );
    }
}

fn flags(from: &str, to: &str, avoid: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut r = request(from, to, Some("1xFEU"), Some("time"));
    r.lane.avoid = avoid.iter().map(|s| s.to_string()).collect();
    let a = go(&r);
    let it = &a.itineraries[0];
    let ids = it.compliance.iter().map(|f| f.id.clone()).collect();
    (ids, it.totals.countries.clone())
}

/// A transit through Iran carries the EU, US and UK measures on Iran, each with its authority
/// and source (compliance.csv), as a transit through Russia carries Russia's; a sailing through
/// the Red Sea carries the Bab-el-Mandeb security flag, and the Cape routing does not.
#[test]
fn an_iran_transit_and_a_red_sea_sailing_carry_their_flags() {
    let (ids, countries) = flags("Yiwu", "Tehran", &["mode:sea", "mode:air"]);
    assert!(countries.iter().any(|c| c == "IR"), "{countries:?}");
    for want in [
        "CP-EU-IR-EXPORT",
        "CP-US-IR-ITSR",
        "CP-US-IR-EAR",
        "CP-UK-IR-TRADE",
    ] {
        assert!(ids.iter().any(|i| i == want), "{want} missing from {ids:?}");
    }
    assert!(!ids.iter().any(|i| i.starts_with("CP-US-RU")), "{ids:?}");
    let (suez, _) = flags(
        "Shanghai",
        "Rotterdam",
        &[
            "mode:rail",
            "mode:road",
            "mode:air",
            "passage:cape_of_good_hope",
        ],
    );
    assert!(suez.iter().any(|i| i.starts_with("CP-RED-SEA")), "{suez:?}");
    let (cape, _) = flags(
        "Shanghai",
        "Rotterdam",
        &["mode:rail", "mode:road", "mode:air", "passage:suez"],
    );
    assert!(
        !cape.iter().any(|i| i.starts_with("CP-RED-SEA")),
        "{cape:?}"
    );
}

/// Drivers' hours on the trans-Caspian truck lane (the IRU's 2024 TIR pilot: "two weeks" China →
/// Azerbaijan/Georgia): one driver rests along the chain of road legs; a double crew (EU
/// 561/2006 multi-manning) drives up to 18 h and rests 9 h, so it rests less and arrives sooner.
#[test]
fn a_double_crew_rests_less_than_one_driver() {
    let go = |drivers: Option<u8>| {
        let mut r = request("Urumqi", "Tbilisi", Some("1xFEU"), Some("time"));
        r.lane.avoid = vec!["mode:rail".into()];
        r.lane.shipment.drivers = drivers;
        go(&r)
    };
    let (one, two) = (go(None), go(Some(2)));
    let (a, b) = (&one.itineraries[0].totals, &two.itineraries[0].totals);
    assert!(
        a.driver_rest_h > b.driver_rest_h + 24.0,
        "{} h against {} h",
        a.driver_rest_h,
        b.driver_rest_h
    );
    assert!(a.transit_h > b.transit_h + 24.0);
    // One driver lands in the pilot's "two weeks" (12-14 days, 25% allowed as corridors.rs).
    assert!((9.0..=17.5).contains(&a.transit_days), "{}", a.transit_days);
    assert_eq!(one.query.constraints.drivers, None);
    assert_eq!(two.query.constraints.drivers, Some(2));
    // Every road leg's rest is part of its wait.
    for l in one.itineraries[0].legs.iter().filter(|l| l.mode == "road") {
        assert!(l.wait_h + 1e-9 >= l.driver_rest_h, "{}", l.link_id);
    }
    let mut bad = request("Urumqi", "Tbilisi", Some("1xFEU"), Some("time"));
    bad.lane.shipment.drivers = Some(3);
    assert!(matches!(
        engine().route(&bad),
        Err(QueryError::InvalidValue { ref field, .. }) if field == "drivers"
    ));
}
