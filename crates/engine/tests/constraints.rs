//! Cargo constraints, customs regimes and compliance flags, one test per constraint, on the
//! `tests/fixtures/constraints` network (the mini network plus a slower sea feeder beside the
//! ferry, a ferry capacity and the three optional files) and on the embedded network:
//!
//! ```text
//!  CN-alpha ──rail / road── CN-bravo ═bc-border═ KZ-charlie ──rail / road── KZ-delta
//!                (green channel →, TIR ← with a fee)        (road: 25 t/box)  │ ferry: 10 trucks/sailing,
//!                                                                             │   no DG class 3
//!                                                                             │ sea: 100 TEU, no reefer
//!                                               AZ-foxtrot ──rail── AZ-echo ──┘
//!                                               (no DG class 7)
//! ```

use corridor_engine::{Engine, QueryError, RouteRequest};

fn engine() -> Engine {
    corridor_testkit::fixture_engine("constraints")
}

fn req(from: &str, to: &str) -> RouteRequest {
    corridor_testkit::request(from, to, Some("2xFEU"), Some("time"))
}

fn links(a: &corridor_engine::RouteAnswer) -> Vec<String> {
    a.itineraries[0]
        .legs
        .iter()
        .map(|l| l.link_id.clone())
        .collect()
}

fn no_route(e: &Engine, r: &RouteRequest) -> (String, String) {
    match e.route(r) {
        Err(QueryError::NoRoute {
            message,
            constraint,
        }) => (message, constraint.unwrap_or_default()),
        other => panic!("expected NoRoute, got {other:?}"),
    }
}

#[test]
fn a_dangerous_goods_ban_on_the_ferry_forces_the_sea_feeder() {
    let e = engine();
    let plain = e.route(&req("Alpha", "Echo port")).unwrap();
    assert!(links(&plain).contains(&"de-ferry".to_string()));
    let mut r = req("Alpha", "Echo port");
    r.dangerous_goods = Some("3".into());
    let a = e.route(&r).unwrap();
    let l = links(&a);
    assert!(l.contains(&"de-sea".to_string()), "{l:?}");
    assert!(!l.contains(&"de-ferry".to_string()), "{l:?}");
    assert_eq!(a.query.constraints.dangerous_goods.as_deref(), Some("3"));
    // A class the ferry takes keeps the ferry.
    r.dangerous_goods = Some("8".into());
    assert!(links(&e.route(&r).unwrap()).contains(&"de-ferry".to_string()));
    // The Pareto front honours the ban too.
    let mut f = req("Alpha", "Echo port");
    f.optimize = None;
    f.dangerous_goods = Some("3".into());
    let front = e.route(&f).unwrap();
    assert!(front
        .itineraries
        .iter()
        .all(|it| it.legs.iter().all(|l| l.link_id != "de-ferry")));
}

#[test]
fn a_dangerous_goods_ban_that_cuts_the_last_route_is_named_with_its_rule() {
    let e = engine();
    let mut r = req("Alpha", "Echo port");
    r.dangerous_goods = Some("3".into());
    r.avoid = vec!["mode:sea".into()];
    let (msg, c) = no_route(&e, &r);
    assert_eq!(c, "--dangerous-goods 3");
    assert!(
        msg.contains("CR-T-DG3") && msg.contains("link:de-ferry"),
        "{msg}"
    );
    // With a limit on transshipments the limit is named, and that the ban is what makes it bite
    // (the sea feeder needs two lifts; the ferry takes the truck as it is).
    let mut r = req("Alpha", "Echo port");
    r.dangerous_goods = Some("3".into());
    r.max_transshipments = Some(0);
    let (msg, c) = no_route(&e, &r);
    assert_eq!(c, "--max-transshipments 0");
    assert!(
        msg.contains("with the cargo constraints (--dangerous-goods 3"),
        "{msg}"
    );
    r.dangerous_goods = None;
    assert!(e.route(&r).is_ok());
    // A ban at a place: class 7 may not dwell at Foxtrot.
    let mut r = req("Alpha", "Foxtrot");
    r.dangerous_goods = Some("7".into());
    let (msg, c) = no_route(&e, &r);
    assert_eq!(c, "--dangerous-goods 7");
    assert!(
        msg.contains("CR-T-DG7") && msg.contains("place:AZ-foxtrot"),
        "{msg}"
    );
    // Not a class: a clear error naming the field.
    r.dangerous_goods = Some("11".into());
    match e.route(&r) {
        Err(QueryError::InvalidValue { field, .. }) => assert_eq!(field, "dangerous_goods"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_reefer_needs_reefer_power_and_counts_its_heavier_tare() {
    let e = engine();
    let mut r = req("Alpha", "Echo port");
    r.reefer = true;
    r.avoid = vec!["mode:ferry".into()];
    let (msg, c) = no_route(&e, &r);
    assert_eq!(c, "--reefer");
    assert!(msg.contains("CR-T-REEFER"), "{msg}");
    // Without the avoid, the reefer takes the ferry (the feeder has no plugs).
    r.avoid.clear();
    let a = e.route(&r).unwrap();
    assert!(links(&a).contains(&"de-ferry".to_string()));
    // The fixture's tare rule for 40 ft reefers (5 t) wins over the built-in 4.8 t.
    assert_eq!(a.query.cargo.tare_t_per_box, Some(5.0));
    assert_eq!(a.query.cargo.tare_source.as_deref(), Some("T-EST"));
    // Tare counts toward the 25 t road limit in KZ: 10.5 t/TEU × 2 + 3.94 t = 24.94 t passes,
    // a reefer's 5 t tare makes 26 t and the road is cut.
    let mut road = req("Alpha", "Delta port");
    road.avoid = vec!["mode:rail".into()];
    road.payload_t_per_teu = Some(10.5);
    let dry = e.route(&road).unwrap();
    assert!((dry.query.cargo.gross_t_per_box.unwrap() - 24.94).abs() < 1e-9);
    road.reefer = true;
    let (msg, c) = no_route(&e, &road);
    assert!(c.starts_with("gross weight 26.00 t per box"), "{c}");
    assert!(msg.contains("CR-T-ROAD-KZ"), "{msg}");
    // A reefer is a container.
    let mut bulk = req("Alpha", "Delta port");
    bulk.cargo = Some("100t".into());
    bulk.reefer = true;
    assert!(matches!(
        e.route(&bulk),
        Err(QueryError::InvalidQuery { .. })
    ));
}

#[test]
fn gross_weight_limits_cut_legs_and_name_the_limit() {
    let e = engine();
    // 13 t/TEU in a 40 ft box: 26 + 3.94 = 29.94 t > 25 t on KZ roads, < 30.48 t ISO.
    let mut r = req("Alpha", "Delta port");
    r.payload_t_per_teu = Some(13.0);
    r.avoid = vec!["mode:rail".into()];
    let (msg, c) = no_route(&e, &r);
    assert!(c.starts_with("gross weight 29.94 t per box"), "{c}");
    assert!(msg.contains("CR-T-ROAD-KZ"), "{msg}");
    r.avoid.clear();
    assert!(links(&e.route(&r).unwrap()).contains(&"cd-rail".to_string()));
    // 14 t/TEU: 31.94 t is over the ISO 668 rating everywhere.
    r.payload_t_per_teu = Some(14.0);
    let (msg, _) = no_route(&e, &r);
    assert!(msg.contains("CR-T-ISO") && msg.contains("31.94 t"), "{msg}");
    // The same payload in 20 ft boxes weighs 16.3 t: fine.
    r.cargo = Some("4xTEU".into());
    assert!(e.route(&r).is_ok());
}

#[test]
fn a_shipment_too_big_for_one_ferry_sailing_takes_the_feeder_or_names_the_capacity() {
    let e = engine();
    // 12 FEU = 12 trucks > 10 per sailing: the 100 TEU feeder takes them.
    let mut r = req("Alpha", "Echo port");
    r.cargo = Some("12xFEU".into());
    let l = links(&e.route(&r).unwrap());
    assert!(l.contains(&"de-sea".to_string()) && !l.contains(&"de-ferry".to_string()));
    // 60 FEU = 120 TEU is too big for either.
    r.cargo = Some("60xFEU".into());
    let (msg, c) = no_route(&e, &r);
    assert_eq!(c, "capacity per departure for --cargo 60xFEU");
    assert!(
        msg.contains("de-sea takes 100 TEU") || msg.contains("de-ferry takes 10 trucks"),
        "{msg}"
    );
    assert!(msg.contains("several departures are not modelled"), "{msg}");
}

#[test]
fn the_green_channel_shortens_the_border_dwell_for_agricultural_goods_only() {
    let e = engine();
    let plain = e.route(&req("Alpha", "Charlie")).unwrap();
    let mut r = req("Alpha", "Charlie");
    r.customs = Some("green_channel".into());
    // General goods do not qualify: a clear error, not silence.
    match e.route(&r) {
        Err(QueryError::InvalidQuery { message }) => {
            assert!(message.contains("--goods agricultural"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    r.goods = Some("agricultural".into());
    let a = e.route(&r).unwrap();
    let b = &a.itineraries[0].borders[0];
    assert_eq!(b.dwell_h, 1.0);
    let cu = b.customs.as_ref().unwrap();
    assert_eq!(
        (cu.regime.as_str(), cu.id.as_str()),
        ("green_channel", "CU-T-GC")
    );
    assert_eq!(cu.standard_dwell_h, 10.0);
    let saved = plain.itineraries[0].totals.transit_h - a.itineraries[0].totals.transit_h;
    assert!((saved - 9.0).abs() < 1e-9, "{saved}");
}

#[test]
fn tir_applies_in_its_direction_with_its_fee_and_document() {
    let e = engine();
    let mut r = req("Charlie", "Alpha");
    r.avoid = vec!["mode:rail".into()];
    let plain = e.route(&r).unwrap();
    r.customs = Some("tir".into());
    let a = e.route(&r).unwrap();
    let (b0, b1) = (
        &plain.itineraries[0].borders[0],
        &a.itineraries[0].borders[0],
    );
    assert_eq!((b0.dwell_h, b1.dwell_h), (10.0, 2.0));
    // USD 30 per truck, 2 trucks for 2 FEU.
    assert!((b1.cost_usd - b0.cost_usd - 60.0).abs() < 1e-9);
    let flags = &a.itineraries[0].compliance;
    assert!(flags
        .iter()
        .any(|f| f.id == "CP-T-TIR" && f.kind == "document"));
    assert!(!plain.itineraries[0]
        .compliance
        .iter()
        .any(|f| f.id == "CP-T-TIR"));
    // The other direction has no TIR lane: said in a warning, the standard dwell kept.
    let mut fwd = req("Alpha", "Charlie");
    fwd.customs = Some("tir".into());
    let a = e.route(&fwd).unwrap();
    assert_eq!(a.itineraries[0].borders[0].dwell_h, 10.0);
    assert!(
        a.itineraries[0]
            .warnings
            .iter()
            .any(|w| w.contains("--customs tir applies at none of this itinerary's borders")),
        "{:?}",
        a.itineraries[0].warnings
    );
    // A regime the data gives nowhere is a query-wide warning.
    fwd.customs = Some("bonded".into());
    let a = e.route(&fwd).unwrap();
    assert!(a.warnings.iter().any(|w| w.contains("--customs bonded")));
}

#[test]
fn compliance_flags_follow_the_legs_and_do_not_remove_routes() {
    let e = engine();
    let to_az = e.route(&req("Alpha", "Echo port")).unwrap();
    let f = to_az.itineraries[0]
        .compliance
        .iter()
        .find(|f| f.id == "CP-T-AZ")
        .unwrap();
    assert_eq!(
        (
            f.kind.as_str(),
            f.authority.as_str(),
            f.as_of.as_str(),
            f.source.as_str()
        ),
        ("sanction", "Test council", "2025-07-20", "T-EST")
    );
    assert!(f.links.contains(&"de-ferry".to_string()), "{:?}", f.links);
    let in_kz = e.route(&req("Alpha", "Charlie")).unwrap();
    assert!(in_kz.itineraries[0].compliance.is_empty());
    // The KZ road permit only when a road leg in KZ is used.
    let mut road = req("Alpha", "Delta port");
    road.avoid = vec!["mode:rail".into()];
    let a = e.route(&road).unwrap();
    let p = a.itineraries[0]
        .compliance
        .iter()
        .find(|f| f.id == "CP-T-KZ-ROAD")
        .unwrap();
    assert_eq!(p.links, vec!["cd-road".to_string()]);
    let mut rail = req("Alpha", "Delta port");
    rail.avoid = vec!["mode:road".into()];
    let rail = e.route(&rail).unwrap();
    assert!(!rail.itineraries[0]
        .compliance
        .iter()
        .any(|f| f.id == "CP-T-KZ-ROAD"));
}

// ---- embedded network ----

fn embedded() -> &'static Engine {
    corridor_testkit::embedded_engine()
}

#[test]
fn embedded_reefer_route_and_heavy_box_limits() {
    let e = embedded();
    let mut r = req("Xi'an", "Duisburg");
    r.cargo = Some("1xFEU".into());
    r.reefer = true;
    r.avoid = vec!["country:RU".into()];
    let a = e.route(&r).unwrap();
    assert!(a.query.constraints.reefer);
    assert_eq!(a.query.cargo.tare_t_per_box, Some(4.8));
    assert_eq!(
        a.query.cargo.tare_source.as_deref(),
        Some("SRC-FREIGHTUTILS-CONTAINERS")
    );
    assert!(a.warnings.iter().any(|w| w.starts_with("reefer:")));
    // GLEC's heavy 14.5 t/TEU does not fit in a 40 ft box (ISO 668: 30.48 t gross).
    r.reefer = false;
    r.payload_t_per_teu = Some(14.5);
    let (msg, _) = no_route(e, &r);
    assert!(msg.contains("CR-ISO668-GROSS"), "{msg}");
}

#[test]
fn embedded_explosives_avoid_the_caspian_passenger_ferries() {
    let e = embedded();
    let r = req("TM-turkmenbashi", "AZ-alat-port");
    let plain = e.route(&r).unwrap();
    assert_eq!(plain.itineraries[0].legs[0].mode, "ferry");
    let mut dg = r.clone();
    dg.dangerous_goods = Some("1.1".into());
    let a = e.route(&dg).unwrap();
    assert!(a.itineraries[0].legs.iter().all(|l| l.mode != "ferry"));
    // Division 1.4 is not banned by the data.
    dg.dangerous_goods = Some("1.4".into());
    assert_eq!(e.route(&dg).unwrap().itineraries[0].legs[0].mode, "ferry");
}

#[test]
fn embedded_green_channel_at_khorgos_for_agricultural_cargo() {
    let e = embedded();
    let mut r = req("Urumqi", "Almaty");
    r.avoid = vec!["mode:rail".into()];
    let plain = e.route(&r).unwrap();
    r.customs = Some("green_channel".into());
    r.goods = Some("agricultural".into());
    let a = e.route(&r).unwrap();
    let (b0, b1) = (
        &plain.itineraries[0].borders[0],
        &a.itineraries[0].borders[0],
    );
    assert_eq!(b0.link_id, "BD-CN-khorgos-road--KZ-nur-zholy-truck");
    assert_eq!((b0.dwell_h, b1.dwell_h), (23.5, 1.0));
    assert_eq!(b1.source.as_deref(), Some("SRC-XINHUA-2024-KHORGOS-GREEN"));
}

#[test]
fn embedded_shipment_too_big_for_one_caspian_sailing() {
    let e = embedded();
    let mut r = req("Aktau", "Baku");
    r.avoid = ["IR", "RU", "CN", "TM"]
        .iter()
        .map(|c| format!("country:{c}"))
        .collect();
    r.cargo = Some("100xFEU".into());
    // 100 trucks or wagons: more than a ferry takes; the 350 TEU feeder takes 200 TEU.
    let l = links(&e.route(&r).unwrap());
    assert_eq!(l, vec!["SE-AKTAU-ALAT-FEEDER".to_string()]);
    r.cargo = Some("200xFEU".into());
    let (msg, c) = no_route(e, &r);
    assert_eq!(c, "capacity per departure for --cargo 200xFEU");
    assert!(msg.contains("SE-AKTAU-ALAT-FEEDER takes 350 TEU"), "{msg}");
}

#[test]
fn embedded_compliance_flags_via_russia_and_not_via_the_middle_corridor() {
    let e = embedded();
    let north = e.route(&req("Xi'an", "Duisburg")).unwrap();
    assert!(north.itineraries[0].totals.countries.contains(&"RU".into()));
    let f = north.itineraries[0]
        .compliance
        .iter()
        .find(|f| f.id == "CP-EU-RU-TRANSIT")
        .unwrap();
    assert_eq!(
        (f.authority.as_str(), f.source.as_str()),
        ("EU Council", "SRC-FI-MFA-2023-EU11")
    );
    let mut middle = req("Xi'an", "Duisburg");
    middle.avoid = vec!["country:RU".into(), "country:BY".into()];
    // EU, UK and US measures on transit through Russia and Belarus all come with the route.
    for id in ["CP-US-RU-EAR", "CP-UK-RU-TRADE"] {
        assert!(
            north.itineraries[0].compliance.iter().any(|f| f.id == id),
            "{id}"
        );
    }
    let a = e.route(&middle).unwrap();
    assert!(!a.itineraries[0].totals.countries.contains(&"RU".into()));
    assert!(a.itineraries[0]
        .compliance
        .iter()
        .all(|f| f.applies_to != "country:RU" && f.applies_to != "country:BY"));
}
