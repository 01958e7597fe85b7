//! Every shipped scenario parses, applies on the embedded records, changes what it must and
//! leaves the rest alone; the result still passes the data checks.

use corridor_data::load::{self, Records};
use corridor_data::{validate, Dataset, Link, Mode, Range3, Status};
use corridor_scenario::{apply, shipped, Applied, SHIPPED};

fn embedded() -> Records {
    let (records, problems) = load::parse(&Dataset::embedded_raw());
    assert!(problems.is_empty(), "{problems:?}");
    records
}

fn run(name: &str) -> (Records, Records, Applied) {
    let s = shipped(name)
        .unwrap_or_else(|| panic!("{name} is not shipped"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.name, name, "a shipped scenario's name is its file stem");
    let base = embedded();
    let (out, applied) = apply(&s, base.clone()).unwrap_or_else(|e| panic!("{e}"));
    let problems = validate::validate(&out);
    assert!(
        problems.is_empty(),
        "{name}: the changed records fail the data checks: {problems:?}"
    );
    (base, out, applied)
}

fn link<'a>(r: &'a Records, id: &str) -> &'a Link {
    r.links.iter().find(|l| l.id == id).unwrap()
}

fn country(r: &Records, place: &str) -> String {
    r.places
        .iter()
        .find(|p| p.id == place)
        .map(|p| p.country.clone())
        .unwrap()
}

fn touches(r: &Records, l: &Link, cs: &[&str]) -> bool {
    cs.iter().any(|c| {
        country(r, &l.from) == *c || country(r, &l.to) == *c || l.countries.iter().any(|x| x == c)
    })
}

/// The links that differ between two record sets, by id.
fn changed_links(a: &Records, b: &Records) -> Vec<String> {
    assert_eq!(a.links.len(), b.links.len());
    a.links
        .iter()
        .zip(&b.links)
        .filter(|(x, y)| x != y)
        .map(|(x, _)| x.id.clone())
        .collect()
}

fn wait(l: &Link) -> Range3 {
    l.wait_h
        .or(l.departures_per_week.map(|d| Range3 {
            typical: 84.0 / d,
            low: 0.0,
            high: 168.0 / d,
        }))
        .unwrap_or(Range3::ZERO)
}

#[test]
fn every_shipped_scenario_parses_and_applies() {
    assert_eq!(SHIPPED.len(), 7);
    for (name, _) in SHIPPED {
        let (_, _, applied) = run(name);
        assert!(!applied.changes.is_empty());
        for c in &applied.changes {
            assert!(!c.matched.is_empty(), "{name}:{} matched nothing", c.line);
        }
    }
    // The list is sorted and every file in scenarios/ is shipped.
    let mut names: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
    let sorted = {
        let mut s = names.clone();
        s.sort();
        s
    };
    assert_eq!(names, sorted);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "toml").then(|| p.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    files.sort();
    names.sort();
    assert_eq!(files, names);
    assert!(shipped("no-such-scenario").is_none());
}

#[test]
fn caspian_backlog_adds_ten_days_to_caspian_crossings_only() {
    let (base, out, applied) = run("caspian-backlog");
    let caspian: Vec<&Link> = base
        .links
        .iter()
        .filter(|l| {
            matches!(l.mode, Mode::Ferry | Mode::Sea) && touches(&base, l, &["AZ", "KZ", "TM"])
        })
        .collect();
    // Kuryk, Aktau and Turkmenbashi ferries to and from Alat, and the Aktau-Alat feeder.
    assert_eq!(caspian.len(), 9);
    for l in &caspian {
        let (w0, w1) = (wait(l), wait(link(&out, &l.id)));
        assert!(
            w1.typical - w0.typical >= 216.0,
            "{}: {w0:?} -> {w1:?}",
            l.id
        );
        assert!((w1.typical - w0.typical - 240.0).abs() < 1e-9);
        assert!((w1.high - w0.high - 240.0).abs() < 1e-9);
    }
    let mut changed = changed_links(&base, &out);
    changed.sort();
    let mut expect: Vec<String> = caspian.iter().map(|l| l.id.clone()).collect();
    expect.sort();
    assert_eq!(changed, expect, "no link but the Caspian crossings changes");
    assert_eq!(base.transfers, out.transfers);
    assert_eq!(base.closures, out.closures);
    assert_eq!(applied.changes[0].matched.len(), 9);
}

#[test]
fn red_sea_closes_suez_routings_and_raises_cape_rates() {
    let (base, out, _) = run("red-sea-closed");
    for (a, b) in base.links.iter().zip(&out.links) {
        let red_sea = a.passages.iter().any(|p| p == "bab_el_mandeb");
        let cape = a.passages.iter().any(|p| p == "cape_of_good_hope");
        if red_sea {
            assert_eq!(b.status, Status::Suspended, "{}", a.id);
        } else if cape {
            assert_eq!(b.status, Status::Operating);
            let p = b.price.as_ref().unwrap();
            // Drewry WCI 25 January 2024: Shanghai->Rotterdam USD 4,984, Rotterdam->Shanghai 1,028.
            let west = a.id.starts_with("SE-CN");
            assert_eq!(p.fixed, if west { 4984.0 } else { 1028.0 }, "{}", a.id);
            assert_eq!((p.currency.as_str(), p.price_year), ("USD", 2024));
            assert_eq!(b.cost_source.as_deref(), Some("SCN-DREWRY-WCI-2024-01-25"));
            // Baseline (WCI May 2025): USD 2,046 west, 457 east: the crisis rate is higher.
            assert!(p.fixed > a.price.as_ref().unwrap().fixed);
        } else {
            assert_eq!(a, b, "{} must not change", a.id);
        }
    }
    assert!(out
        .sources
        .iter()
        .any(|s| s.id == "SCN-DREWRY-WCI-2024-01-25"));
}

#[test]
fn no_russia_belarus_suspends_exactly_the_links_touching_them() {
    let (base, out, _) = run("no-russia-belarus");
    let mut n = 0;
    for (a, b) in base.links.iter().zip(&out.links) {
        if touches(&base, a, &["RU", "BY"]) {
            assert_eq!(b.status, Status::Suspended, "{}", a.id);
            n += 1;
        } else {
            assert_eq!(a, b, "{} must not change", a.id);
        }
    }
    assert!(n >= 10, "only {n} links touch RU/BY");
}

#[test]
fn cku_opens_exactly_the_under_construction_links() {
    let (base, out, _) = run("cku-railway-open");
    let before: Vec<&str> = base
        .links
        .iter()
        .filter(|l| l.status == Status::UnderConstruction)
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(before.len(), 5);
    assert!(out.links.iter().all(|l| l.status == Status::Operating));
    let mut changed = changed_links(&base, &out);
    changed.sort();
    let mut expect: Vec<String> = before.iter().map(|s| s.to_string()).collect();
    expect.sort();
    assert_eq!(changed, expect);
}

#[test]
fn khorgos_green_channel_is_the_road_borders_dwell() {
    let (base, out, _) = run("khorgos-green-channel");
    let inbound = link(&out, "BD-CN-khorgos-road--KZ-nur-zholy-truck");
    // customs.csv CU-GC-KHORGOS-CN-KZ: 1 h (Xinhua 2024-11-14).
    assert_eq!(inbound.dwell_h, Some(Range3::exact(1.0)));
    assert_eq!(
        inbound.dwell_source.as_deref(),
        Some("SRC-XINHUA-2024-KHORGOS-GREEN")
    );
    let outbound = link(&out, "BD-KZ-nur-zholy--CN-khorgos-road-truck");
    assert_eq!(
        outbound.dwell_h,
        Some(Range3 {
            typical: 1.0,
            low: 1.0,
            high: 8.0
        })
    );
    // Baseline CPMM dwell 23.5 h out of China and 6.1 h into it (KZ outbound 4.0 h + CN
    // inbound 2.1 h, CPMM 2022/2023).
    assert_eq!(link(&base, &inbound.id).dwell_h.unwrap().typical, 23.5);
    assert_eq!(link(&base, &outbound.id).dwell_h.unwrap().typical, 6.1);
    let mut changed = changed_links(&base, &out);
    changed.sort();
    let mut expect = vec![outbound.id.clone(), inbound.id.clone()];
    expect.sort();
    assert_eq!(changed, expect);
    // The reverse direction gets a customs row, so --customs green_channel finds it too.
    let added: Vec<_> = out.constraints.customs[base.constraints.customs.len()..].to_vec();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].link, outbound.id);
    // Rail at Khorgos keeps its dwell.
    assert_eq!(
        link(&base, "BD-CN-khorgos-rail--KZ-altynkol-wagon"),
        link(&out, "BD-CN-khorgos-rail--KZ-altynkol-wagon")
    );
}

#[test]
fn kuryk_aktau_expansion_shortens_kazakh_port_waits_only() {
    let (base, out, _) = run("kuryk-aktau-expansion");
    let changed = changed_links(&base, &out);
    for id in &changed {
        let (a, b) = (link(&base, id), link(&out, id));
        assert!(a.from == "KZ-kuryk" || a.to == "KZ-kuryk" || a.from == "KZSCO" || a.to == "KZSCO");
        assert!(
            (wait(b).typical - 0.67 * wait(a).typical).abs() < 1e-9,
            "{id}"
        );
    }
    // Kuryk and Aktau ferries both ways (truck x4, wagon x2) and the feeder.
    assert_eq!(changed.len(), 7);
    assert!(!changed.iter().any(|id| id.starts_with("FR-TMB")));
    let feeder = link(&out, "SE-AKTAU-ALAT-FEEDER");
    assert_eq!(
        (feeder.capacity, feeder.capacity_unit.as_str()),
        (Some(700.0), "boxes_per_vessel")
    );
}

#[test]
fn high_passes_winter_adds_dated_closures_only() {
    let (base, out, _) = run("high-passes-winter");
    assert!(changed_links(&base, &out).is_empty());
    let added = &out.closures[base.closures.len()..];
    let ids: Vec<&str> = added.iter().filter_map(|c| c.link.as_deref()).collect();
    assert_eq!(
        ids,
        [
            "BD-CN-karasu--TJ-kulma-truck",
            "BD-TJ-kulma--CN-karasu-truck",
            "BD-CN-torugart--KG-torugart-truck",
            "BD-KG-torugart--CN-torugart-truck"
        ]
    );
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        (added[0].from_date, added[0].to_date),
        (d("2026-12-01"), d("2027-04-30"))
    );
    assert_eq!(
        (added[2].from_date, added[2].to_date),
        (d("2026-12-15"), d("2027-02-28"))
    );
}
