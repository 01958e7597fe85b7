//! The share of estimated and proxy figures per field (`corridor validate`, issue 19), checked
//! against counts made here from the rows themselves.

use corridor_data::provenance::report;
use corridor_data::Dataset;

#[test]
fn shares_match_the_rows() {
    let ds = Dataset::embedded().unwrap();
    let rep = report(&ds);
    let get = |file: &str, field: &str| {
        rep.iter()
            .find(|f| f.file == file && f.field == field)
            .unwrap_or_else(|| panic!("{file} {field} missing from {rep:#?}"))
    };
    // every coordinate is an estimate (the data says so: SRC-EST-COORD-*)
    let places = get("places.csv", "coordinates");
    assert_eq!(places.figures, ds.places.len());
    let est = ds
        .places
        .iter()
        .filter(|p| p.source.starts_with("SRC-EST-"))
        .count();
    assert!(places.estimated >= est && est > 0);
    // capacity rows: proxies are the rows whose note says so (or whose source's note does)
    let cap = get("capacity.csv", "teu_per_year");
    assert_eq!(cap.figures, ds.capacity.len());
    let proxies = ds
        .capacity
        .iter()
        .filter(|c| {
            c.note.contains("proxy")
                || ds
                    .source(&c.source)
                    .is_some_and(|s| s.note.to_lowercase().contains("proxy"))
        })
        .count();
    assert_eq!(cap.proxy, proxies);
    assert!(proxies > 0);
    // the default demand spreads published totals by estimated shares: all estimated
    let dem = get("demand.csv", "teu_per_year");
    assert_eq!(dem.estimated, ds.demand.len());
    // link costs: an estimated source is counted, a published one is not
    let cost = get("links.csv", "cost");
    let est_cost = ds
        .links
        .iter()
        .filter(|l| {
            l.cost_source.as_deref().is_some_and(|id| {
                id.starts_with("SRC-EST-")
                    || ds
                        .source(id)
                        .is_some_and(|s| s.note.trim_start().to_lowercase().starts_with("estimate"))
            })
        })
        .count();
    assert_eq!(cost.estimated, est_cost);
    // transfers: hours and charges counted apart, each from its own source column; the row's
    // note marks a proxy charge, never the hours
    let tt = get("transfers.csv", "time");
    assert_eq!(tt.figures, ds.transfers.len());
    let time_proxies = ds
        .transfers
        .iter()
        .filter(|t| {
            ds.source(&t.time_source)
                .is_some_and(|s| s.note.to_lowercase().contains("proxy"))
        })
        .count();
    assert_eq!(tt.proxy, time_proxies);
    let tc = get("transfers.csv", "cost");
    let priced: Vec<_> = ds.transfers.iter().filter(|t| t.price.is_some()).collect();
    assert_eq!(tc.figures, priced.len());
    let cost_proxies = priced
        .iter()
        .filter(|t| {
            t.note.contains("proxy")
                || t.cost_source
                    .as_deref()
                    .and_then(|c| ds.source(c))
                    .is_some_and(|s| s.note.to_lowercase().contains("proxy"))
        })
        .count();
    assert_eq!(tc.proxy, cost_proxies);
    assert!(cost_proxies > 0);
    // the Dostyk yard: hours from Xinhua 2016, the charge from CPMM 2020
    let dostyk = ds
        .transfers
        .iter()
        .find(|t| t.place.as_deref() == Some("KZ-dostyk"))
        .unwrap();
    assert_eq!(dostyk.time_source, "SRC-XINHUA-2016-DOSTYK");
    assert_eq!(
        dostyk.cost_source.as_deref(),
        Some("SRC-CAREC-CPMM-2020-RAIL")
    );
    for f in &rep {
        assert!(f.estimated <= f.figures && f.proxy <= f.figures, "{f:?}");
    }
}
