//! Through the engine: the Caspian backlog moves a Middle Corridor lane by ≥ 9 days and leaves
//! the Northern route alone.
//!
//! The scenario dataset is built as the interfaces build it: `with_scenarios` (records in,
//! checked dataset out, the scenario a provenance layer).

use corridor_data::Dataset;
use corridor_engine::{Engine, RouteRequest};

fn with_scenario(base: &Dataset, name: &str) -> Dataset {
    let s = corridor_scenario::shipped(name).unwrap().unwrap();
    let (ds, applied) = corridor_scenario::with_scenarios(base, &[s]).unwrap();
    assert_eq!(applied.len(), 1);
    assert_eq!(ds.layers.last().unwrap().label, format!("scenario {name}"));
    assert_ne!(ds.hash, base.hash, "the scenario changes the data hash");
    ds
}

fn fastest(engine: &Engine, from: &str, to: &str, avoid: &[&str]) -> (f64, Vec<String>) {
    let req = RouteRequest {
        from: from.into(),
        to: to.into(),
        lane: corridor_engine::LaneOptions {
            avoid: avoid.iter().map(|s| s.to_string()).collect(),
            optimize: Some("time".into()),
            shipment: corridor_engine::ShipmentOptions {
                cargo: Some("1xFEU".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let answer = engine
        .route(&req)
        .unwrap_or_else(|e| panic!("{from}->{to}: {e:?}"));
    let it = &answer.itineraries[0];
    let links = it.legs.iter().map(|l| l.link_id.clone()).collect();
    (it.totals.transit_h, links)
}

#[test]
fn caspian_backlog_moves_the_middle_corridor_not_the_northern_route() {
    let base = Dataset::embedded().unwrap();
    let scen = with_scenario(&base, "caspian-backlog");
    let (e0, e1) = (Engine::new(base), Engine::new(scen));

    // Middle Corridor: Urumqi -> Baku avoiding Russia and Iran must cross the Caspian.
    // The Caspian crossings (the Lake Van ferry FR-VAN-TATVAN is not one).
    let caspian = |ls: &[String]| {
        ls.iter().any(|l| {
            [
                "FR-KURYK-",
                "FR-ALAT-",
                "FR-AKTAU-",
                "FR-TMB-",
                "SE-AKTAU-ALAT",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        })
    };
    let (t0, l0) = fastest(&e0, "Urumqi", "Baku", &["country:RU", "country:IR"]);
    let (t1, l1) = fastest(&e1, "Urumqi", "Baku", &["country:RU", "country:IR"]);
    assert!(caspian(&l0) && caspian(&l1), "{l0:?} / {l1:?}");
    assert!(
        t1 - t0 >= 9.0 * 24.0,
        "Urumqi->Baku moved only {:.1} h ({t0:.1} -> {t1:.1}); before {l0:?}, after {l1:?}",
        t1 - t0
    );
    // The +240 h wait is on every crossing, so the lane moves by at most 240 h.
    assert!(t1 - t0 <= 240.0 + 1e-6, "{t0} -> {t1}");

    // Avoiding only Russia, the fastest route leaves the Caspian for the land route through
    // Uzbekistan, Turkmenistan and Iran: slower than the baseline, faster than waiting.
    let (d0, k0) = fastest(&e0, "Urumqi", "Baku", &["country:RU"]);
    let (d1, k1) = fastest(&e1, "Urumqi", "Baku", &["country:RU"]);
    assert!(caspian(&k0), "{k0:?}");
    assert!(!caspian(&k1), "{k1:?}");
    assert!(d1 > d0 && d1 < d0 + 240.0, "{d0} -> {d1}");
    eprintln!(
        "Urumqi->Baku: no RU/IR {t0:.1} h -> {t1:.1} h (+{:.1}); no RU {d0:.1} h -> {d1:.1} h (+{:.1}, diverted: {})",
        t1 - t0,
        d1 - d0,
        k1.join(" ")
    );

    // Northern route: Xi'an -> Duisburg, fastest, via Russia: no Caspian leg, no change.
    let (n0, m0) = fastest(&e0, "Xi'an", "Duisburg", &[]);
    let (n1, m1) = fastest(&e1, "Xi'an", "Duisburg", &[]);
    assert!(!m0.iter().any(|l| l.starts_with("FR-")), "{m0:?}");
    assert_eq!(m0, m1);
    assert_eq!(n0, n1);
}

#[test]
fn no_russia_belarus_moves_the_northern_lane_off_russia() {
    let base = Dataset::embedded().unwrap();
    let scen = with_scenario(&base, "no-russia-belarus");
    let (e0, e1) = (Engine::new(base.clone()), Engine::new(scen));
    let country = |id: &str| {
        let l = base
            .links
            .iter()
            .find(|l| l.id == id.trim_end_matches("~r"))
            .unwrap();
        let c = |p: &str| base.places[base.place_index(p).unwrap()].country.clone();
        let mut cs = vec![c(&l.from), c(&l.to)];
        cs.extend(l.countries.iter().cloned());
        cs
    };
    let via = |links: &[String], cs: &[&str]| {
        links
            .iter()
            .any(|l| country(l).iter().any(|c| cs.contains(&c.as_str())))
    };
    let (t0, l0) = fastest(&e0, "Xi'an", "Duisburg", &[]);
    let (t1, l1) = fastest(&e1, "Xi'an", "Duisburg", &[]);
    assert!(
        via(&l0, &["RU", "BY"]),
        "baseline fastest runs via RU/BY: {l0:?}"
    );
    assert!(!via(&l1, &["RU", "BY"]), "{l1:?}");
    // The fastest route without them can be no faster than the baseline's fastest.
    assert!(t1 >= t0, "{t0} -> {t1}");
    // It is the same as asking the baseline to avoid both countries.
    let (a, la) = fastest(&e0, "Xi'an", "Duisburg", &["country:RU", "country:BY"]);
    assert_eq!(la, l1);
    assert_eq!(a, t1);
}

/// A scenario that rewrites a figure with its own source (the Caspian backlog adds 240 h to
/// every Caspian ferry's wait) is no longer the figure the published distribution describes:
/// the wait goes back to the range's PERT, so the backlog shows in the percentiles.
#[test]
fn a_scenario_rewritten_wait_is_not_drawn_from_the_published_one() {
    use corridor_engine::reliability::{itinerary_model, MapOptions};
    let base = Dataset::embedded().unwrap();
    let ds = with_scenario(&base, "caspian-backlog");
    let engine = Engine::new(ds.clone());
    let req = RouteRequest {
        from: "Almaty".into(),
        to: "Baku".into(),
        alternatives: Some(4),
        ..Default::default()
    };
    let a = engine.route(&req).unwrap();
    let mut ferries = 0;
    for it in &a.itineraries {
        let m = itinerary_model(it, &ds, &MapOptions::default()).unwrap();
        for c in &m.components {
            if c.label.contains("FR-") && c.label.contains("wait_h") {
                assert!(c.published.is_none(), "{c:?}");
                ferries += 1;
            }
        }
    }
    assert!(ferries > 0, "no Caspian ferry wait in the answer");
    // Without the scenario the same lane does draw from the published wait.
    let e0 = Engine::new(base.clone());
    let a0 = e0.route(&req).unwrap();
    assert!(a0.itineraries.iter().any(|it| {
        itinerary_model(it, &base, &MapOptions::default())
            .unwrap()
            .components
            .iter()
            .any(|c| c.published.is_some())
    }));
}
