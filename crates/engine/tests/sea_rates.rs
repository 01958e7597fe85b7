//! Dated sea rates (issue 19, `sea_rates.csv`): a dated query prices the Asia–North Europe
//! sea links at the rate period covering its departure (Drewry WCI assessments and SCFI readings), an undated
//! one at the links' own figure (WCI 8 May 2025), and in the Red Sea crisis the routing round
//! the Cape is dearer and slower than through Suez.

use corridor_engine::answer::{Itinerary, Leg};
use corridor_engine::RouteRequest;
use corridor_testkit::embedded_engine;

/// Shanghai → Rotterdam by sea only, cheapest, avoiding `passage` (forces the other routing).
fn by_sea(depart: Option<&str>, avoid_passage: &str) -> Itinerary {
    let mut r = RouteRequest {
        from: "Shanghai".into(),
        to: "Rotterdam".into(),
        depart: depart.map(String::from),
        ..Default::default()
    };
    r.lane.optimize = Some("cost".into());
    r.lane.avoid = ["mode:rail", "mode:road", "mode:air", avoid_passage]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let a = embedded_engine().route(&r).unwrap();
    a.itineraries.into_iter().next().expect("an itinerary")
}

/// The itinerary's ocean leg (Shanghai/Ningbo → Rotterdam/Hamburg mainline).
fn ocean(it: &Itinerary) -> &Leg {
    it.legs
        .iter()
        .find(|l| l.link_id.starts_with("SE-CN") && l.mode == "sea")
        .unwrap_or_else(|| {
            panic!(
                "no mainline sea leg in {:?}",
                it.legs.iter().map(|l| &l.link_id).collect::<Vec<_>>()
            )
        })
}

#[test]
fn crisis_period_cape_is_dearer_and_slower_than_suez() {
    let day = Some("2024-01-26T08:00");
    let cape = by_sea(day, "passage:suez");
    let suez = by_sea(day, "passage:cape_of_good_hope");
    let (c, s) = (ocean(&cape), ocean(&suez));
    assert!(c.link_id.ends_with("-CAPE"), "{}", c.link_id);
    assert!(s.link_id.ends_with("-SUEZ"), "{}", s.link_id);
    // The Cape leg at the WCI assessment of 25 January 2024, as published.
    let rp = c
        .rate_period
        .as_ref()
        .expect("a dated rate period on the Cape leg");
    assert_eq!(
        (rp.valid_from.as_str(), rp.valid_to.as_str()),
        ("2024-01-25", "2024-01-31")
    );
    assert_eq!(rp.cost_fixed, 4984.0);
    assert_eq!(rp.source, "SRC-DREWRY-WCI-2024-01-25");
    assert_eq!(c.sources.cost.as_deref(), Some("SRC-DREWRY-WCI-2024-01-25"));
    assert!(
        s.rate_period.is_some(),
        "the Suez leg is priced by a period too"
    );
    assert!(
        c.cost_usd > s.cost_usd,
        "Cape {} USD not dearer than Suez {} USD",
        c.cost_usd,
        s.cost_usd
    );
    assert!(c.moving_h > s.moving_h);
    assert!(
        cape.totals.cost_usd > suez.totals.cost_usd,
        "itinerary via the Cape {} USD not dearer than via Suez {} USD",
        cape.totals.cost_usd,
        suez.totals.cost_usd
    );
    assert!(cape.totals.transit_h > suez.totals.transit_h);
}

#[test]
fn undated_query_keeps_the_links_figures_and_may_2025_uses_its_period() {
    let undated = by_sea(None, "passage:cape_of_good_hope");
    let u = ocean(&undated);
    assert!(u.rate_period.is_none(), "{:?}", u.rate_period);
    assert_eq!(u.sources.cost.as_deref(), Some("SRC-DREWRY-WCI-2025-05"));
    let may = by_sea(Some("2025-05-10T08:00"), "passage:cape_of_good_hope");
    let m = ocean(&may);
    let rp = m.rate_period.as_ref().expect("the May 2025 period");
    assert_eq!(rp.valid_from, "2025-05-08");
    assert_eq!(rp.source, "SRC-DREWRY-WCI-2025-05");
    // Same WCI figure as the link's own: the same leg cost.
    assert!(
        (m.cost_usd - u.cost_usd).abs() < 1e-6,
        "{} vs {}",
        m.cost_usd,
        u.cost_usd
    );
    // The crisis week is dearer than May 2025 on the same routing.
    let crisis = by_sea(Some("2024-01-26T08:00"), "passage:cape_of_good_hope");
    assert!(ocean(&crisis).cost_usd > m.cost_usd);
    // Outside the crisis the Cape is never cheaper than Suez on the same date.
    let may_cape = by_sea(Some("2025-05-10T08:00"), "passage:suez");
    assert!(ocean(&may_cape).cost_usd > m.cost_usd);
    // A date no period covers keeps the link's own figure.
    let later = by_sea(Some("2026-12-07T08:00"), "passage:cape_of_good_hope");
    let l = ocean(&later);
    assert!(l.rate_period.is_none());
    assert!((l.cost_usd - u.cost_usd).abs() < 1e-6);
}

#[test]
fn scfi_weeks_price_the_routing_sailed_at_the_feu_equivalent() {
    // SCFI Europe base port, 15 March 2024: USD 1,971 a TEU (JIFFA), the loops round the
    // Cape; a FEU at 1.46 TEU (the FEU/TEU ratio of same-week WCI and SCFI readings,
    // SRC-EST-SCFI-FEU) = USD 2,878. Suez is the Cape's rate × 840/1128 h.
    let day = Some("2024-03-18T08:00");
    let cape = by_sea(day, "passage:suez");
    let c = ocean(&cape);
    let rp = c.rate_period.as_ref().expect("the SCFI week");
    assert_eq!(rp.source, "SRC-EST-SCFI-FEU");
    let feu = (1971.0_f64 * 1.46).round();
    assert_eq!((rp.valid_from.as_str(), rp.cost_fixed), ("2024-03-15", feu));
    assert!((c.cost_usd - feu).abs() < 1e-6, "{}", c.cost_usd);
    let suez = by_sea(day, "passage:cape_of_good_hope");
    let s = ocean(&suez);
    assert!((s.cost_usd - (feu * 840.0 / 1128.0).round()).abs() < 1e-6);
    assert_eq!(
        s.rate_period.as_ref().map(|r| r.source.as_str()),
        Some("SRC-EST-CAPE-RATE")
    );
    // Before the crisis (4 August 2023, USD 947 a TEU) the loops sailed through Suez, which
    // carries the reading; in the crisis the same box cost more, on either routing.
    let aug = by_sea(Some("2023-08-07T08:00"), "passage:cape_of_good_hope");
    let a = ocean(&aug);
    assert!(a.link_id.ends_with("-SUEZ"), "{}", a.link_id);
    assert!(
        (a.cost_usd - (947.0_f64 * 1.46).round()).abs() < 1e-6,
        "{}",
        a.cost_usd
    );
    assert!(s.cost_usd > a.cost_usd && c.cost_usd > a.cost_usd);
}
