//! The generator: deterministic, exact in size, valid for the real loader and validator, and
//! corridor-like (every mode, two gauges with gauge changes, border-post pairs, a ferry sea).

use std::collections::{BTreeSet, HashMap};

use corridor_data::{Carries, Dataset, Mode, PlaceKind, TransferKind};
use corridor_synth::{dataset, files, od_pairs, write_dir, SynthConfig, SynthError};

fn cfg(places: usize, seed: u64) -> SynthConfig {
    SynthConfig { places, seed }
}

#[test]
fn same_seed_same_files_and_hash_other_seed_other_network() {
    let a = dataset(&cfg(1000, 7)).unwrap();
    let b = dataset(&cfg(1000, 7)).unwrap();
    assert_eq!(a.hash, b.hash);
    let (fa, fb) = (files(&cfg(1000, 7)).unwrap(), files(&cfg(1000, 7)).unwrap());
    for (name, text) in &fa.files {
        assert_eq!(
            Some(text),
            fb.files.get(name),
            "{name} differs between runs"
        );
    }
    let c = dataset(&cfg(1000, 8)).unwrap();
    assert_ne!(a.hash, c.hash);
    // Another seed moves places and redraws figures, but keeps the layout (same ids).
    assert_eq!(a.places.len(), c.places.len());
    assert_ne!(a.places[0].lat, c.places[0].lat);
}

#[test]
fn exactly_the_places_asked_for_and_valid_at_every_size() {
    for n in [12, 13, 17, 50, 299, 300, 301, 777, 1000, 2500] {
        let ds = dataset(&cfg(n, 1)).unwrap_or_else(|e| panic!("{n} places: {e}"));
        assert_eq!(ds.places.len(), n);
        // Every place has a link (the validator checks it too) and ids are unique.
        let ids: BTreeSet<&str> = ds.places.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), n);
    }
}

#[test]
fn sizes_out_of_range_are_refused_with_the_range() {
    for n in [0, 11, corridor_synth::MAX_PLACES + 1] {
        let e = dataset(&cfg(n, 1)).unwrap_err();
        assert!(matches!(e, SynthError::Size(m) if m == n));
        let msg = e.to_string();
        assert!(
            msg.contains(&format!("--places {n}")) && msg.contains("12 to 1000000"),
            "{msg}"
        );
    }
}

#[test]
fn written_folder_loads_with_the_same_hash() {
    let dir = tempfile::tempdir().unwrap();
    let written = write_dir(&cfg(300, 3), dir.path()).unwrap();
    let loaded = Dataset::load_dir(dir.path()).unwrap();
    assert_eq!(written.hash, loaded.hash);
    assert_eq!(loaded.places.len(), 300);
    assert_eq!(loaded.meta.name, "synthetic-300-seed3");
}

#[test]
fn network_is_corridor_like() {
    let ds = dataset(&cfg(1000, 1)).unwrap();
    let modes: BTreeSet<Mode> = ds.links.iter().map(|l| l.mode).collect();
    for m in [
        Mode::Road,
        Mode::Rail,
        Mode::Border,
        Mode::Ferry,
        Mode::Sea,
        Mode::Air,
    ] {
        assert!(modes.contains(&m), "no {m} link");
    }
    let gauges: BTreeSet<u16> = ds.links.iter().filter_map(|l| l.gauge_mm).collect();
    assert_eq!(gauges, BTreeSet::from([1435, 1520]));
    let place = |id: &str| &ds.places[ds.place_index(id).unwrap()];
    // Border links join two posts of different countries, and each crossing has both ways.
    let borders: Vec<_> = ds.links.iter().filter(|l| l.mode == Mode::Border).collect();
    let mut ways: HashMap<(&str, &str, Carries), usize> = HashMap::new();
    for l in &borders {
        let (a, b) = (place(&l.from), place(&l.to));
        assert_eq!(a.kind, PlaceKind::BorderPost);
        assert_eq!(b.kind, PlaceKind::BorderPost);
        assert_ne!(a.country, b.country);
        assert!(l.dwell_h.is_some_and(|d| d.high > d.typical));
        *ways.entry((&l.from, &l.to, l.carries[0])).or_default() += 1;
    }
    for (from, to, c) in ways.keys() {
        assert!(
            ways.contains_key(&(to, from, *c)),
            "{from} → {to} one way only"
        );
    }
    // Gauge changes: a rule each way at dual-gauge posts, and only there.
    let changes: Vec<_> = ds
        .transfers
        .iter()
        .filter(|t| t.kind == TransferKind::GaugeTransshipment)
        .collect();
    assert!(changes.len() >= 4 && changes.len() % 2 == 0);
    for t in changes {
        let p = place(t.place.as_deref().unwrap());
        assert_eq!(p.kind, PlaceKind::BorderPost);
        assert_eq!(p.gauges_mm, vec![1435, 1520]);
    }
    // The ferry sea: truck and wagon ferries between sea ports of two countries.
    let ferries: Vec<_> = ds.links.iter().filter(|l| l.mode == Mode::Ferry).collect();
    assert!(ferries.iter().any(|l| l.carries == [Carries::Wagon]));
    assert!(ferries.iter().any(|l| l.carries == [Carries::Truck]));
    for l in ferries {
        assert_ne!(place(&l.from).country, place(&l.to).country);
        assert_eq!(place(&l.from).kind, PlaceKind::SeaPort);
    }
    // Every figure has a source that sources.csv describes as an estimate, except the GLEC
    // factors and the exchange rate, which keep their original sources.
    for s in &ds.sources {
        assert!(
            s.is_estimate() || ["SRC-GLEC-V31", "SRC-ECB-FX-2024"].contains(&s.id.as_str()),
            "{}",
            s.id
        );
    }
}

#[test]
fn od_pairs_run_east_to_west_and_are_seeded() {
    let ds = dataset(&cfg(1000, 1)).unwrap();
    let pairs = od_pairs(&ds, 20, 1);
    assert_eq!(pairs.len(), 20);
    assert_eq!(pairs, od_pairs(&ds, 20, 1));
    assert_ne!(pairs, od_pairs(&ds, 20, 2));
    let lon = |id: &str| ds.places[ds.place_index(id).unwrap()].lon;
    for (o, d) in &pairs {
        assert!(
            lon(o) > 100.0 && lon(d) < 30.0,
            "{o} {} → {d} {}",
            lon(o),
            lon(d)
        );
    }
}
