//! Dated sea rates (issue 19, `sea_rates.csv`): a dated query prices the Asia–North Europe
//! sea links at the rate period covering its departure (Drewry WCI assessments), an undated
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
