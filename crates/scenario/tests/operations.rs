//! Each operation on each kind of record, determinism and the hash of the text.

use corridor_data::load::{self, Records};
use corridor_data::{validate, Dataset, Range3, Status};
use corridor_scenario::{apply, hash_text, parse, shipped, SHIPPED};

fn embedded() -> Records {
    load::parse(&Dataset::embedded_raw()).0
}

fn run(body: &str) -> (Records, Records, corridor_scenario::Applied) {
    let text =
        format!("name = \"t\"\ndescription = \"test\"\nsource = \"SRC-EST-TRANSFER\"\n{body}");
    let s = parse("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let base = embedded();
    let (out, applied) = apply(&s, base.clone()).unwrap_or_else(|e| panic!("{e}"));
    let problems = validate::validate(&out);
    assert!(problems.is_empty(), "{problems:?}");
    (base, out, applied)
}

#[test]
fn sha256_of_the_text() {
    // FIPS 180-2 test vectors.
    assert_eq!(
        hash_text("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        hash_text(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    for (name, text) in SHIPPED {
        let s = shipped(name).unwrap().unwrap();
        assert_eq!(s.hash, hash_text(text));
        assert_eq!(s.short_hash(), &s.hash[..16]);
        // Stable across reads, and any edit (even a comment) changes it.
        assert_eq!(shipped(name).unwrap().unwrap().hash, s.hash);
        assert_ne!(hash_text(&format!("{text}# edited\n")), s.hash);
    }
}

#[test]
fn application_is_deterministic() {
    for (name, _) in SHIPPED {
        let s = shipped(name).unwrap().unwrap();
        let (a, aa) = apply(&s, embedded()).unwrap();
        let (b, ab) = apply(&s, embedded()).unwrap();
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{name}");
        assert_eq!(aa, ab);
    }
}

#[test]
fn scenarios_compose_in_order() {
    let backlog = shipped("caspian-backlog").unwrap().unwrap();
    let expansion = shipped("kuryk-aktau-expansion").unwrap().unwrap();
    let base = embedded();
    let (r1, _) = apply(&backlog, base.clone()).unwrap();
    let (r2, _) = apply(&expansion, r1).unwrap();
    let (r3, applied) =
        corridor_scenario::apply_all(&[backlog.clone(), expansion.clone()], base.clone()).unwrap();
    assert_eq!(format!("{r2:?}"), format!("{r3:?}"));
    let names: Vec<&str> = applied.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["caspian-backlog", "kuryk-aktau-expansion"]);
    assert_eq!(applied[0].hash, backlog.hash);
    let w = |r: &Records| {
        r.links
            .iter()
            .find(|l| l.id == "FR-KURYK-ALAT-TRUCK")
            .unwrap()
            .wait_h
            .unwrap()
    };
    // (72 + 240) x 0.67: the second scenario sees the first one's result.
    assert!((w(&r2).typical - (w(&base).typical + 240.0) * 0.67).abs() < 1e-9);
}

#[test]
fn dwell_at_a_place_changes_its_transfers_there_only() {
    let (base, out, applied) = run(
        "\n[[change]]\nreason = \"congestion at Aktau\"\nsource = \"SRC-EST-TRANSFER\"\non = \"places\"\nselect = { id = \"KZSCO\" }\ndwell_h = { add = 48 }\n",
    );
    // Aktau has no rows of its own: the sea-port and terminal defaults that apply there are
    // copied as Aktau rows with +48 h; the defaults themselves are unchanged.
    let n0 = base.transfers.len();
    assert_eq!(&out.transfers[..n0], &base.transfers[..]);
    let added = &out.transfers[n0..];
    assert!(!added.is_empty());
    for t in added {
        assert_eq!(t.place.as_deref(), Some("KZSCO"));
        let d = base
            .transfers
            .iter()
            .find(|b| {
                b.place.is_none()
                    && b.from == t.from
                    && b.to == t.to
                    && b.place_kinds.contains(&corridor_data::PlaceKind::SeaPort)
            })
            .unwrap();
        assert_eq!(t.hours.typical, d.hours.typical + 48.0);
        assert_eq!(t.hours.high, d.hours.high + 48.0);
    }
    assert_eq!(applied.changes[0].matched, vec!["place:KZSCO"]);
}

#[test]
fn transfers_by_kind_and_place() {
    let (base, out, applied) = run(
        "\n[[change]]\nreason = \"slower gauge change at Dostyk\"\nsource = \"SRC-EST-TRANSFER\"\non = \"transfers\"\nselect = { kind = \"gauge_transshipment\", place = \"KZ-dostyk\" }\ndwell_h = { factor = 2 }\n",
    );
    assert_eq!(
        applied.changes[0].matched,
        vec![
            "transfer:KZ-dostyk:wagon:1435>wagon:1520",
            "transfer:KZ-dostyk:wagon:1520>wagon:1435"
        ]
    );
    for (a, b) in base.transfers.iter().zip(&out.transfers) {
        if a.place.as_deref() == Some("KZ-dostyk") {
            assert_eq!(b.hours.typical, 2.0 * a.hours.typical); // 4.25 h -> 8.5 h
        } else {
            assert_eq!(a, b);
        }
    }
    assert_eq!(base.transfers.len(), out.transfers.len());
}

#[test]
fn capacity_cost_and_closures() {
    let (base, out, _) = run(concat!(
        "\n[[change]]\nreason = \"bigger ferries\"\nsource = \"SRC-EST-TRANSFER\"\nselect = { id = \"FR-KURYK-ALAT-TRUCK\" }\ncapacity = { factor = 1.5 }\n",
        "\n[[change]]\nreason = \"dearer\"\nsource = \"SRC-EST-TRANSFER\"\nselect = { id = \"FR-KURYK-ALAT-TRUCK\" }\ncost = { factor = 1.1 }\n",
        "\n[[change]]\nreason = \"strike\"\nsource = \"SRC-EST-TRANSFER\"\non = \"places\"\nselect = { id = \"GEPTI\" }\nclose = { from = 2026-12-10, to = 2026-12-12 }\n",
        "\n[[change]]\nreason = \"port shut\"\nsource = \"SRC-EST-TRANSFER\"\non = \"places\"\nselect = { id = \"KZ-kuryk\" }\nclose = {}\n",
    ));
    let l = |r: &Records, id: &str| r.links.iter().find(|l| l.id == id).unwrap().clone();
    let (a, b) = (
        l(&base, "FR-KURYK-ALAT-TRUCK"),
        l(&out, "FR-KURYK-ALAT-TRUCK"),
    );
    assert_eq!(b.capacity, Some(75.0)); // 50 trucks per sailing x 1.5
    assert!((b.price.as_ref().unwrap().fixed - 1.1 * a.price.as_ref().unwrap().fixed).abs() < 1e-9);
    assert_eq!(b.status, Status::Suspended);
    for (x, y) in base.links.iter().zip(&out.links) {
        let kuryk = x.from == "KZ-kuryk" || x.to == "KZ-kuryk";
        assert_eq!(y.status == Status::Suspended, kuryk, "{}", x.id);
    }
    let c = out.closures.last().unwrap();
    assert_eq!(
        (c.place.as_deref(), c.link.as_deref()),
        (Some("GEPTI"), None)
    );
    assert_eq!(c.source, "SRC-EST-TRANSFER");
    assert_eq!(out.closures.len(), base.closures.len() + 1);
}

#[test]
fn wait_on_a_frequency_link_starts_from_the_frequency_wait() {
    // The Shanghai-Lianyungang feeder gives 7 sailings a week and no wait: 12 h expected (84/7),
    // 0 to 24 h; +24 h makes 36 h (24 to 48 h).
    let (_, out, _) = run(
        "\n[[change]]\nreason = \"r\"\nsource = \"SRC-EST-TRANSFER\"\nselect = { id = \"SE-SHANGHAI-LIANYUNGANG\" }\nwait_h = { add = 24 }\n",
    );
    let f = out
        .links
        .iter()
        .find(|l| l.id == "SE-SHANGHAI-LIANYUNGANG")
        .unwrap();
    assert_eq!(
        f.wait_h,
        Some(Range3 {
            typical: 36.0,
            low: 24.0,
            high: 48.0
        })
    );
    assert_eq!(f.wait_source.as_deref(), Some("SRC-EST-TRANSFER"));
}

#[test]
fn load_takes_a_shipped_name_or_a_path() {
    let by_name = corridor_scenario::load("red-sea-closed").unwrap();
    assert_eq!(by_name.file, "scenarios/red-sea-closed.toml");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/red-sea-closed.toml");
    let by_path = corridor_scenario::load(path.to_str().unwrap()).unwrap();
    // The same text: the same hash, whichever way it was named.
    assert_eq!(by_path.hash, by_name.hash);
    assert_eq!(by_path.changes, by_name.changes);
    let e = corridor_scenario::load("no-such-scenario").unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.starts_with("no-such-scenario: cannot be read"),
        "{shown}"
    );
    assert!(
        shown.contains("caspian-backlog"),
        "lists the shipped names: {shown}"
    );
}

#[test]
fn a_cost_change_reaches_the_links_dated_rate_periods() {
    // A new price is the scenario's on every date: the link's sea_rates.csv periods go, the
    // other links keep theirs.
    let (base, out, _) = run("\n[[change]]\nreason = \"r\"\nsource = \"SRC-EST-TRANSFER\"\nselect = { id = \"SE-CNSHA-NLRTM-CAPE\" }\ncost = { fixed = 4984, unit = \"feu\", currency = \"USD\", price_year = 2024 }\n");
    let n = |r: &Records, id: &str| r.sea_rates.iter().filter(|s| s.link == id).count();
    assert!(n(&base, "SE-CNSHA-NLRTM-CAPE") > 0);
    assert_eq!(n(&out, "SE-CNSHA-NLRTM-CAPE"), 0);
    assert_eq!(
        n(&out, "SE-CNSHA-NLRTM-SUEZ"),
        n(&base, "SE-CNSHA-NLRTM-SUEZ")
    );
    // A factor scales them.
    let (base, out, _) = run("\n[[change]]\nreason = \"r\"\nsource = \"SRC-EST-TRANSFER\"\nselect = { id = \"SE-CNSHA-NLRTM-SUEZ\" }\ncost = { factor = 2 }\n");
    let fixed = |r: &Records| -> Vec<f64> {
        r.sea_rates
            .iter()
            .filter(|s| s.link == "SE-CNSHA-NLRTM-SUEZ")
            .map(|s| s.price.fixed)
            .collect()
    };
    let doubled: Vec<f64> = fixed(&base).iter().map(|x| x * 2.0).collect();
    assert!(!doubled.is_empty());
    assert_eq!(fixed(&out), doubled);
}
