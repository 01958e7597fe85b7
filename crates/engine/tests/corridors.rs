//! One forced route per corridor of the embedded network: the country sequence must be the
//! corridor's, and the totals must fall inside published ranges (cited per case).
//!
//! Published figures are single services, schedules or operator claims, while corridor's
//! `transit_h` is a typical value with expected waits; each case states the tolerance it allows
//! around the published range and why.
//!
//! Each case also has a golden summary in `tests/golden/corridors/NAME.txt` (steps and rounded
//! totals), so any change of route or figure shows up in review. Goldens change only through
//! `UPDATE_GOLDEN=1 cargo test -p corridor-engine --test corridors --test corridors_south`
//! (whose port and North–South cases share the helpers in `tests/cases/`), never by hand.

mod cases;

use cases::*;
use corridor_engine::{QueryError, RouteRequest};

#[test]
fn trans_caspian_truck_urumqi_baku() {
    // Trucks only (no rail, no feeder): road to the Kazakh Caspian ports, ro-ro to Alat.
    let it = case(
        "trans_caspian_truck_urumqi_baku",
        route(
            "Urumqi",
            "Baku",
            &[],
            &["country:RU", "mode:rail", "mode:sea"],
            "1xFEU",
        ),
    );
    assert_eq!(countries(&it), ["CN", "KZ", "AZ"]);
    let ferry = it
        .legs
        .iter()
        .find(|l| l.mode == "ferry")
        .expect("a Caspian ferry");
    assert!(["KZ-kuryk", "KZSCO"].contains(&ferry.from.id.as_str()));
    assert_eq!(ferry.carrier, "truck");
    assert!(
        it.transfers.is_empty(),
        "the truck drives onto the ro-ro: no lift"
    );
    // IRU, 'Chinese trucks cross Caspian Sea in Middle Corridor TIR pilot', 2024-06-03
    // (https://iru.org/node/15784): 6,600 km and two weeks from Zhengzhou/Urumqi to
    // Azerbaijan and Georgia; Kazakhstan's MinTransport claims 12 days by road (Astana Times
    // 2024-05). Urumqi–Baku is a shorter part of that trip: it must not exceed either figure.
    assert!(it.totals.distance_km <= 6600.0, "{}", it.totals.distance_km);
    assert!(it.totals.transit_days <= 14.0, "{}", it.totals.transit_days);
}

#[test]
fn trans_caspian_truck_urumqi_tbilisi() {
    let it = case(
        "trans_caspian_truck_urumqi_tbilisi",
        route(
            "Urumqi",
            "Tbilisi",
            &[],
            &["country:RU", "mode:rail", "mode:sea"],
            "1xFEU",
        ),
    );
    assert_eq!(countries(&it), ["CN", "KZ", "AZ", "GE"]);
    // IRU TIR pilot 2024 (above): 6,600 km and 12–14 days to destinations in Azerbaijan and
    // Georgia (not named), with trucks leaving from Urumqi. The road legs are measured on
    // OSM highways (shortest paths, 5,275 km here). Allow 25% on distance for the unnamed
    // destinations and 25% on time.
    within("distance_km", it.totals.distance_km, 6600.0, 6600.0, 0.25);
    within("transit_days", it.totals.transit_days, 12.0, 14.0, 0.25);
}

#[test]
fn trans_caspian_truck_chongqing_via_xinjiang() {
    let it = case(
        "trans_caspian_truck_chongqing_tbilisi",
        route(
            "Chongqing",
            "Tbilisi",
            &["Urumqi", "Kuryk"],
            &["country:RU", "mode:rail", "mode:sea"],
            "1xFEU",
        ),
    );
    assert_eq!(countries(&it), ["CN", "KZ", "AZ", "GE"]);
    assert!(visits(&it, "KZ-kuryk") && visits(&it, "CNURC"));
    assert!(it.legs.iter().all(|l| l.carrier == "truck"));
    // No published Chongqing–Georgia truck figure: the trip is the Urumqi one plus about
    // 3,000 km of Chinese expressway (Chongqing–Lanzhou–Urumqi), at most 5 days more.
    assert!(
        it.totals.transit_days <= (14.0 + 5.0) * 1.25,
        "{}",
        it.totals.transit_days
    );
}

#[test]
fn middle_corridor_rail_xian_baku() {
    let it = case(
        "middle_corridor_rail_xian_baku",
        route(
            "Xi'an",
            "Baku",
            &["Altynkol", "Aktau"],
            &["country:RU", "mode:road"],
            "2xFEU",
        ),
    );
    assert_eq!(countries(&it), ["CN", "KZ", "AZ"]);
    // China Railway via ECNS 2024-07-03: daily Xi'an–Baku service scheduled at 12 days; first
    // 2024 train 11 days (Trend 2024-01-15); trains actually run averaged 17 days in December
    // 2025 and 16 in January 2026 (Trend 2026-01-24). Distance ~7,000 km (Vestnik Kavkaza
    // 2024-09-21, rounded). A box for Baku waits at Xi'an for one of the 2.14 Baku trains a
    // week that ran then (39 h; services.csv `to_countries` AZ) and for the Caspian feeder
    // (24–72 h): within 15% of the 2025–26 averages, and 15% on the rounded distance.
    within("transit_days", it.totals.transit_days, 16.0, 17.0, 0.15);
    within("distance_km", it.totals.distance_km, 7000.0, 7000.0, 0.15);
    let xian = &it.legs[0];
    let train = xian
        .train
        .as_ref()
        .expect("the box boards a Baku train at Xi'an");
    assert_eq!(train.sources, ["SRC-TREND-2026-XIAN-BAKU"]);
    assert!((train.wait_h - 84.0 / 2.14).abs() < 1e-9, "{train:?}");
    assert!(it
        .transfers
        .iter()
        .any(|t| t.place.id == "KZ-altynkol" && t.kind == "gauge_transshipment"));
}

#[test]
fn middle_corridor_rail_xian_istanbul_btk() {
    let it = case(
        "middle_corridor_rail_xian_istanbul_btk",
        route(
            "Xi'an",
            "Istanbul",
            &["Altynkol", "Aktau", "Akhalkalaki", "Kars"],
            &["country:RU", "mode:road"],
            "2xFEU",
        ),
    );
    assert_eq!(countries(&it), ["CN", "KZ", "AZ", "GE", "TR"]);
    // AzerNews/Trend 2021-01-11: Istanbul–Xi'an via BTK 8,693 km, 12 days (a pilot train);
    // Rail Cargo Group quotes 12–14 days. The Kazakh Ministry of Transport gives Altynkol–Baku
    // alone 9 days in 2024 (KazTAG 2024-10-04; calibration.rs), which with Xi'an–Altynkol and
    // Baku–Kars–Istanbul puts an ordinary box near 17–18 days, and an ordinary box waits at
    // Akhalkalaki for one of the BTK line's 3 trains a week (28 h expected; services.csv,
    // RaillyNews 2020): allow 15% on distance and 45% on time (the pilot had no Caspian queue
    // and its own train).
    within("distance_km", it.totals.distance_km, 8693.0, 8693.0, 0.15);
    within("transit_days", it.totals.transit_days, 12.0, 14.0, 0.45);
    let btk = it
        .legs
        .iter()
        .find(|l| l.link_id == "RL-GE-akhalkalaki--GE-kartsakhi")
        .and_then(|l| l.train.as_ref())
        .expect("the box boards the BTK train at Akhalkalaki after the gauge change");
    assert!((btk.wait_h - 84.0 / 3.0).abs() < 1e-9, "{btk:?}");
    // Break of gauge on the BTK at Akhalkalaki (1520 → 1435).
    assert!(it.transfers.iter().any(|t| t.place.id == "GE-akhalkalaki"
        && t.from_carrier == "wagon:1520"
        && t.to_carrier == "wagon:1435"));
}

#[test]
fn northern_route_xian_duisburg() {
    let it = case(
        "northern_route_xian_duisburg",
        // By rail to the Duisburg terminal (with trucks at their driving speed, a truck
        // from the Hamburg terminal is about as fast as the last rail miles).
        route(
            "Xi'an",
            "Duisburg",
            &["Dostyk", "Brest"],
            &["mode:road"],
            "2xFEU",
        ),
    );
    assert_eq!(countries(&it), ["CN", "KZ", "RU", "BY", "PL", "DE"]);
    // duisport via RailMarket (c.2022-11): Xi'an–Duisburg 9,908 km; 12–16 days, ~10 on the
    // fixed-schedule train; shiphub: standard 12–14. corridor adds the typical Brest queue
    // (2–5 days, RailTech 2018): allow 10% on distance, 25% on time.
    within("distance_km", it.totals.distance_km, 9908.0, 9908.0, 0.10);
    within("transit_days", it.totals.transit_days, 10.0, 16.0, 0.25);
    assert_eq!(
        it.totals.transshipments, 2,
        "gauge changes at Dostyk and Małaszewicze/Brest"
    );
}

#[test]
fn northern_route_chongqing_duisburg() {
    let it = case(
        "northern_route_chongqing_duisburg",
        route(
            "Chongqing",
            "Duisburg",
            &["Alashankou"],
            &["mode:road"],
            "2xFEU",
        ),
    );
    assert_eq!(countries(&it), ["CN", "KZ", "RU", "BY", "PL", "DE"]);
    // China Daily 2013-09-13 (Yuxinou): 11,179 km, 16 days; 'slightly more than ten days' in
    // 2024 (People's Daily). In 2013 the trains ran from Chongqing via Xiangyang and Xi'an;
    // the Lanzhou–Chongqing railway (opened 2017-09-29, 862 km) "shortened the route between
    // the two cities by about 650 km" (Railway Gazette, 'Lanzhou – Chongqing mixed-traffic
    // artery completed', 2017-10). corridor measures today's line on OSM, so the published
    // figure less those 650 km is the reference. Allow 10% on distance and 25% on time.
    within(
        "distance_km",
        it.totals.distance_km,
        11179.0 - 650.0,
        11179.0 - 650.0,
        0.10,
    );
    within("transit_days", it.totals.transit_days, 10.0, 16.0, 0.25);
}

#[test]
fn northern_route_chengdu_lodz() {
    let it = case(
        "northern_route_chengdu_lodz",
        route("Chengdu", "Łódź", &["Alashankou"], &["mode:road"], "2xFEU"),
    );
    assert_eq!(countries(&it), ["CN", "KZ", "RU", "BY", "PL"]);
    // Xinhua (Rong'ou, c.2013; China Daily 2017-05-08): 9,826 km; 12–14 days at launch, 11 in
    // 2016 (CCTV). The 2013 trains reached Lanzhou from Chengdu over the older lines via
    // Baoji; corridor measures today's shortest rail path on OSM (via Guangyuan and the
    // Lanzhou–Chongqing railway of 2017, which shortened Sichuan–Lanzhou routes by hundreds of
    // km: Railway Gazette 2017-10), and the shortest path undercuts operated routings in
    // Kazakhstan and Russia too. Allow 15% below and 10% above on distance, 25% on time.
    within(
        "distance_km",
        it.totals.distance_km,
        9826.0 * 0.85,
        9826.0 * 1.1,
        0.0,
    );
    within("transit_days", it.totals.transit_days, 11.0, 14.0, 0.25);
}

#[test]
fn lianyungang_khorgos_sea_rail() {
    let it = case(
        "lianyungang_khorgos_sea_rail",
        route("Lianyungang", "Altynkol", &[], &["mode:road"], "2xFEU"),
    );
    assert_eq!(countries(&it), ["CN", "KZ"]);
    // CRI Online 2023-06-08: the China–Kazakhstan border dry port lies '4,000 km' from the
    // Lianyungang base (rounded): allow 15%.
    within("distance_km", it.totals.distance_km, 4000.0, 4000.0, 0.15);
    // DKNews (c.2026-01): Lianyungang–Almaty about 6 days; Altynkol is ~340 km short of Almaty.
    assert!(
        it.totals.transit_days <= 6.0 * 1.25,
        "{}",
        it.totals.transit_days
    );
}

#[test]
fn southern_route_yiwu_tehran() {
    let it = case(
        "southern_route_yiwu_tehran",
        route(
            "Yiwu",
            "Tehran",
            &["Dostyk", "Bolashak", "Sarakhs"],
            &["country:RU", "mode:road"],
            "2xFEU",
        ),
    );
    // The 2016 train ran through Kazakhstan and Turkmenistan (Bolashak–Serhetyaka).
    assert_eq!(countries(&it), ["CN", "KZ", "TM", "IR"]);
    // Times of Central Asia 2016-01-28 (Xinhua; operator Yiwu Tianmeng): 10,399 km, 14 days;
    // a 2024 Xi'an–Tehran train was expected to take ~10 days. Allow 10% / 25%.
    within("distance_km", it.totals.distance_km, 10399.0, 10399.0, 0.10);
    within("transit_days", it.totals.transit_days, 10.0, 14.0, 0.25);
    assert!(it
        .transfers
        .iter()
        .any(|t| t.kind == "gauge_transshipment" && t.place.country == "IR"));
}

#[test]
fn southern_route_chongqing_istanbul_via_iran() {
    let it = case(
        "southern_route_chongqing_istanbul_via_iran",
        route(
            "Chongqing",
            "Istanbul",
            &["Tehran", "Van"],
            &["country:RU", "country:AZ", "country:GE", "mode:road"],
            "2xFEU",
        ),
    );
    let c = countries(&it);
    assert!(c.contains(&"IR") && c.ends_with(&["TR"]), "{c:?}");
    // The Lake Van train ferry carries the wagons from Van to Tatvan.
    assert!(it
        .legs
        .iter()
        .any(|l| l.mode == "ferry" && l.from.id == "TR-van" && l.to.id == "TR-tatvan"));
    // No published end-to-end figure exists for China–Turkey by rail via Iran: check it is
    // longer than via the Caspian (8,693 km Xi'an–Istanbul) and not absurd.
    assert!(
        it.totals.distance_km > 8693.0 && it.totals.distance_km < 14000.0,
        "{}",
        it.totals.distance_km
    );
}

#[test]
fn cku_railway_is_planned_and_opt_in() {
    let mut req = route("Kashgar", "Andijan", &["Makmal"], &["mode:road"], "2xFEU");
    match engine().route(&req) {
        // Makmal is reached only by the CKU line: the via cuts the last route, and the message
        // points at --include-planned.
        Err(QueryError::NoRoute {
            constraint,
            message,
        }) => {
            assert_eq!(constraint.as_deref(), Some("--via Makmal"));
            assert!(message.contains("--include-planned"), "{message}");
        }
        other => panic!("CKU must be off by default: {other:?}"),
    }
    req.include_planned = true;
    let it = case("cku_railway_kashgar_andijan_planned", req);
    assert_eq!(countries(&it), ["CN", "KG", "UZ"]);
    assert!(it.warnings.iter().any(|w| w.contains("not operating")));
    // Trend 2024-12-20: 486 km; 523 km (Asia-Plus); 532.5 km (Trend 2025): allow 10%.
    within("distance_km", it.totals.distance_km, 486.0, 533.0, 0.10);
}

#[test]
fn kashgar_tashkent_road_via_irkeshtam() {
    let it = case(
        "kashgar_tashkent_road_via_irkeshtam",
        route(
            "Kashgar",
            "Tashkent",
            &["Irkeshtam", "Osh"],
            &["mode:rail"],
            "1xFEU",
        ),
    );
    assert_eq!(countries(&it), ["CN", "KG", "UZ"]);
    // Kabar 2018-02-19: 920 km (900–950 by other sources); 31 h pilot, 'two days' (UZ govt).
    // Border posts close at weekends (CAREC), so allow 10% on distance and up to 4 days.
    within("distance_km", it.totals.distance_km, 900.0, 950.0, 0.10);
    assert!(it.totals.transit_days <= 4.0, "{}", it.totals.transit_days);
}

#[test]
fn china_tajikistan_highway() {
    let it = case(
        "china_tajikistan_highway_kashgar_dushanbe",
        route(
            "Kashgar",
            "Dushanbe",
            &["Kulma", "Khorog"],
            &["mode:rail"],
            "1xFEU",
        ),
    );
    assert_eq!(countries(&it), ["CN", "TJ"]);
    // Tajik MoT (c.2023-04): Dushanbe–Kulma 1,008 km; Times of Central Asia 2019-08-13:
    // Termez–Dushanbe–Kulma–Kashgar 1,422 km, which includes Termez–Dushanbe (~230 km).
    assert!(
        it.totals.distance_km > 1008.0 && it.totals.distance_km <= 1422.0,
        "{}",
        it.totals.distance_km
    );
    // WFP Logistics Cluster: a 10-day round trip Dushanbe–Kashgar (~5 days one way).
    assert!(
        it.totals.transit_days <= 5.0 * 1.25,
        "{}",
        it.totals.transit_days
    );
}

#[test]
fn tajik_rail_yavan_vahdat() {
    let it = case(
        "tajik_rail_yavan_vahdat",
        route("Yavan", "Vahdat", &[], &["mode:road"], "1xFEU"),
    );
    assert_eq!(countries(&it), ["TJ"]);
    assert!(it.legs.iter().all(|l| l.mode == "rail"));
}

#[test]
fn black_sea_roro_poti_constanta() {
    let it = case(
        "black_sea_roro_poti_constanta",
        route(
            "Poti",
            "Constanța",
            &[],
            &["mode:sea", "mode:road", "mode:rail"],
            "1xFEU",
        ),
    );
    assert_eq!(countries(&it), ["GE", "RO"]);
    let ferry = it
        .legs
        .iter()
        .find(|l| l.mode == "ferry")
        .expect("ro-ro leg");
    // Vestnik Kavkaza 2023-06 (E60 line): departed Constanța Tuesday, due Poti Thursday
    // evening: 2–2.5 days sailing.
    within("ferry moving_h", ferry.moving_h, 48.0, 60.0, 0.0);
}

#[test]
fn sea_shanghai_rotterdam_suez_and_cape() {
    let it = case(
        "sea_shanghai_rotterdam_suez",
        route(
            "Shanghai",
            "Rotterdam",
            &[],
            &["mode:rail", "mode:road"],
            "2xFEU",
        ),
    );
    let sea = it.legs.iter().find(|l| l.mode == "sea").expect("a sea leg");
    assert!(
        sea.passages.contains(&"suez".to_string()),
        "{:?}",
        sea.passages
    );
    // PEMP (Notteboom, Pallis, Rodrigue), 'Routing options between Shanghai, Rotterdam and
    // New York': ~10,600 nm = 19,631 km via Suez; 27 days at 16 kn, ~35 with 5–10 calls; 25 at
    // 18 kn (Alphaliner 2023). Allow 3% on distance and 20% on time (terminal dwell at both ends).
    within("sea distance_km", sea.distance_km, 19631.0, 19749.0, 0.03);
    within("transit_days", it.totals.transit_days, 25.0, 35.0, 0.20);

    let it = case(
        "sea_shanghai_rotterdam_cape",
        route(
            "Shanghai",
            "Rotterdam",
            &[],
            &["mode:rail", "mode:road", "passage:suez"],
            "2xFEU",
        ),
    );
    let sea = it.legs.iter().find(|l| l.mode == "sea").expect("a sea leg");
    assert!(
        sea.passages.contains(&"cape_of_good_hope".to_string()),
        "{:?}",
        sea.passages
    );
    // PEMP: 13,800 nm = 25,558 km via the Cape; 35 days at 16 kn, +10–14 days on Suez.
    within("sea distance_km", sea.distance_km, 25558.0, 25558.0, 0.03);
    within("transit_days", it.totals.transit_days, 33.0, 49.0, 0.20);
}

#[test]
fn air_zhengzhou_luxembourg() {
    // Containers do not fly: a boxed shipment finds no air route, tonnage does.
    let boxed = route(
        "Zhengzhou Xinzheng International Airport",
        "Luxembourg",
        &[],
        &["mode:road", "mode:rail", "mode:sea", "mode:ferry"],
        "1xFEU",
    );
    assert!(matches!(
        engine().route(&boxed),
        Err(QueryError::NoRoute { .. })
    ));
    let it = case(
        "air_zhengzhou_luxembourg",
        route(
            "Zhengzhou Xinzheng International Airport",
            "Luxembourg Findel Airport",
            &[],
            &[],
            "2t",
        ),
    );
    let air = it.legs.iter().find(|l| l.mode == "air").expect("air leg");
    // Henan Daily 2021-05-14: 8,249 km; great circle CGO–LUX 8,265 km; GLEC adds 95 km to the
    // great-circle distance for air.
    within(
        "air distance_km",
        air.distance_km,
        8249.0,
        8265.0 + 95.0,
        0.01,
    );
    // Xinhua 2023-08-08: 'three days' China–Europe by the air silk road (customer quote).
    assert!(it.totals.transit_days <= 3.0, "{}", it.totals.transit_days);
}

#[test]
fn pipelines_carry_only_liquids_and_gas() {
    let oil = RouteRequest {
        lane: corridor_engine::LaneOptions {
            shipment: corridor_engine::ShipmentOptions {
                commodity: Some("liquid".into()),
                ..(route(
                    "Atasu",
                    "Alashankou oil metering station",
                    &[],
                    &[],
                    "100000t",
                ))
                .lane
                .shipment
            },
            ..(route(
                "Atasu",
                "Alashankou oil metering station",
                &[],
                &[],
                "100000t",
            ))
            .lane
        },
        ..route(
            "Atasu",
            "Alashankou oil metering station",
            &[],
            &[],
            "100000t",
        )
    };
    let it = case("pipeline_oil_atasu_alashankou", oil);
    assert!(it.legs.iter().all(|l| l.mode == "pipeline"));
    assert!(
        it.legs.iter().all(|l| l.co2e_kg.is_none()),
        "no public pipeline factor: null, not 0"
    );
    assert!(!it.totals.co2e_complete);
    // Xinhua via RFE/RL 2006-07: Atasu–Alashankou 962 km; CNPC 998 km.
    within("distance_km", it.totals.distance_km, 962.0, 998.0, 0.02);

    let gas = RouteRequest {
        lane: corridor_engine::LaneOptions {
            shipment: corridor_engine::ShipmentOptions {
                commodity: Some("gas".into()),
                ..(route(
                    "Gedaim",
                    "Khorgos gas metering station",
                    &[],
                    &[],
                    "100000t",
                ))
                .lane
                .shipment
            },
            ..(route(
                "Gedaim",
                "Khorgos gas metering station",
                &[],
                &[],
                "100000t",
            ))
            .lane
        },
        ..route(
            "Gedaim",
            "Khorgos gas metering station",
            &[],
            &[],
            "100000t",
        )
    };
    let it = case("pipeline_gas_gedaim_khorgos", gas);
    assert_eq!(countries(&it), ["TM", "UZ", "KZ", "CN"]);
    // Xinhua 2020-07-30: Central Asia–China gas pipeline 1,833 km from the Turkmen–Uzbek
    // border to Khorgos (1,830–1,840 by other sources): allow 5%.
    within("distance_km", it.totals.distance_km, 1830.0, 1840.0, 0.05);

    // Containers never enter a pipeline.
    let boxed = route(
        "Atasu",
        "Alashankou oil metering station",
        &[],
        &[],
        "2xFEU",
    );
    // The station is reached by pipeline only: the search finds no route that carries boxes,
    // and the explanation names the commodity and cargo as the constraint.
    match engine().route(&boxed) {
        Err(QueryError::NoRoute {
            constraint: Some(c),
            message,
        }) => {
            assert_eq!(c, "--commodity container with --cargo 2xFEU", "{message}");
            assert!(
                message.contains("containers do not fly or flow through pipelines"),
                "{message}"
            );
        }
        other => panic!("containers routed into a pipeline, or another error: {other:?}"),
    }
}

#[test]
fn done_when_examples() {
    // The first slice's acceptance examples.
    let it = case(
        "example_xian_duisburg",
        route("Xi'an", "Duisburg", &[], &[], "2xFEU"),
    );
    assert!(it.totals.transit_days > 5.0);
    let it = case(
        "example_urumqi_baku_no_ru",
        route("Urumqi", "Baku", &[], &["country:RU"], "1xFEU"),
    );
    assert!(!countries(&it).contains(&"RU"));
    assert!(
        visits(&it, "KZSCO") || visits(&it, "KZ-kuryk"),
        "through Aktau or Kuryk"
    );
}

#[test]
fn names_resolve_in_every_script() {
    let ds = engine().dataset();
    let id = |q: &str| -> Vec<String> {
        ds.resolve(q)
            .unwrap_or_else(|e| panic!("{q}: {e:?}"))
            .places
            .iter()
            .map(|&i| ds.places[i].id.clone())
            .collect()
    };
    assert_eq!(id("lodz"), id("ŁÓDŹ"));
    assert_eq!(id("xian"), id("XI'AN"));
    assert_eq!(id("xian"), id("西安"));
    assert_eq!(id("Актау"), id("Aktau"));
    assert_eq!(id("阿克套"), id("Aktau"));
    assert!(id("Aktau").contains(&"KZSCO".to_string()));
    match ds.resolve("Aktow") {
        Err(corridor_data::NameError::Unknown { suggestions, .. }) => {
            assert!(
                suggestions.iter().any(|s| s.contains("Aktau")),
                "{suggestions:?}"
            )
        }
        other => panic!("{other:?}"),
    }
}

/// The network km that replaced stated lengths (`link_geometry.csv`, measured on the OSM rail
/// network and marnet) against published line and route lengths.
#[test]
fn network_km_against_published_lengths() {
    let ds = engine().dataset();
    let measured = |id: &str| -> f64 {
        let g = ds
            .link_geometry(id)
            .unwrap_or_else(|| panic!("{id} has no network measurement"));
        assert_eq!(
            g.status,
            corridor_data::geometry::GeometryStatus::Measured,
            "{id}: {}",
            g.reason
        );
        g.distance_km.unwrap()
    };
    // Railway Gazette, 'Lanzhou – Chongqing mixed-traffic artery completed' (2017-10): 862 km.
    within(
        "Chongqing–Lanzhou",
        measured("RL-CNCKG--CN-lanzhou"),
        862.0,
        862.0,
        0.05,
    );
    // Port of Rotterdam / PEMP (SRC-PEMP-SHA-RTM): Shanghai–Rotterdam via Suez 19,631 km.
    within(
        "Shanghai–Rotterdam via Suez",
        measured("SE-CNSHA-NLRTM-SUEZ"),
        19631.0,
        19631.0,
        0.02,
    );
    // SeaNews.ru 2024-03-12 (KTZ, Xi'an–Baku block train, SRC-SEANEWS-RU-2024-XIAN-BAKU) and
    // Wikipedia's BTK article (SRC-WIKI-BTK): section lengths as stated in links.csv.
    for id in [
        "RL-KZALA--KZ-shu",
        "RL-KZ-shu--KZ-shymkent",
        "RL-KZ-kyzylorda--KZ-shalkar",
        "RL-KZ-shalkar--KZ-beineu",
        "RL-KZ-beineu--KZ-mangyshlak",
        "RL-AZ-alat-port--AZ-ganja",
        "RL-AZ-ganja--AZ-boyuk-kesik",
    ] {
        let g = ds.link_geometry(id).unwrap();
        assert!(!g.stated_source.starts_with("SRC-EST"), "{id}");
        within(id, measured(id), g.stated_km, g.stated_km, 0.10);
    }
    // Routes: Wikipedia, Kars–Tbilisi–Baku railway: 826 km (838–849 km elsewhere);
    // SeaNews.ru 2024-03-12 (KTZ): Altynkol–Aktau port 3,128 km.
    let rail_only = ["mode:road", "mode:sea", "mode:ferry"];
    let a = engine()
        .route(&route("Baku", "Kars", &[], &rail_only, "1xFEU"))
        .unwrap();
    within(
        "Baku–Kars",
        a.itineraries[0].totals.distance_km,
        826.0,
        849.0,
        0.10,
    );
    let a = engine()
        .route(&route("Altynkol", "Aktau", &[], &rail_only, "1xFEU"))
        .unwrap();
    let t = &a.itineraries[0].totals;
    within("Altynkol–Aktau", t.distance_km, 3128.0, 3128.0, 0.05);
    assert!(t.network_distance_km > 0.7 * t.distance_km, "{t:?}");
    // Where the network lacks a line, the stated length stays and the leg says why: no silent
    // 7,500 km detour between Istanbul and Ankara.
    let g = ds.link_geometry("RL-TR-halkali--TR-ankara").unwrap();
    assert_eq!(g.status, corridor_data::geometry::GeometryStatus::Rejected);
    assert!(g.reason.contains("a detour"), "{}", g.reason);
    let link = ds
        .links
        .iter()
        .find(|l| l.id == "RL-TR-halkali--TR-ankara")
        .unwrap();
    assert_eq!(link.distance_km, g.stated_km);
}
