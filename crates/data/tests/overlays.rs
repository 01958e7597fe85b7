//! Overlays: a folder of added, changed and removed rows laid over a base (the `mini` fixture,
//! or the embedded network), checked merged, with problems named by layer and line.

use std::path::{Path, PathBuf};

use corridor_data::{Dataset, RawFiles};

fn mini() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/mini")
}

const PLACES_HEADER: &str = "id,name,aliases,country,lat,lon,kind,gauge_mm,group,timezone,source";
const LINKS_HEADER: &str = "id,from,to,mode,carries,gauge_mm,bidirectional,status,distance_km,distance_source,speed_kmh,moving_h,time_source,departures_per_week,wait_h,wait_h_low,wait_h_high,wait_source,dwell_h,dwell_h_low,dwell_h_high,dwell_source,cost_fixed,cost_per_km,cost_unit,currency,price_year,cost_source,countries,passages,commodities,source";

/// An overlay folder over `base` holding `files` (meta.csv gets the base row first).
fn overlay(base: &str, files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut meta = format!("key,value\nbase,{base}\n");
    for (name, text) in files {
        if *name == "meta.csv" {
            meta.push_str(text);
        } else {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
    }
    std::fs::write(dir.path().join("meta.csv"), meta).unwrap();
    dir
}

fn over_mini(files: &[(&str, String)]) -> tempfile::TempDir {
    overlay(&mini().display().to_string(), files)
}

fn problems(dir: &Path) -> Vec<String> {
    Dataset::load_dir(dir)
        .unwrap_err()
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect()
}

/// A new terminal (a place and the link that reaches it) is added; the base's rows stay.
fn golf() -> Vec<(&'static str, String)> {
    vec![
        (
            "places.csv",
            format!("{PLACES_HEADER}\nKZ-golf,Golf terminal,,KZ,43.9,51.6,rail_terminal,1520,,Asia/Aqtau,T-EST\n"),
        ),
        (
            "links.csv",
            format!("{LINKS_HEADER}\ndg-rail,KZ-delta,KZ-golf,rail,,1520,true,operating,60,T-EST,40,,T-EST,,,,,,,,,,,1.0,feu,USD,2025,T-EST,,,,T-EST\n"),
        ),
    ]
}

#[test]
fn an_overlay_adds_rows_and_keeps_the_base() {
    let base = Dataset::load_dir(&mini()).unwrap();
    let dir = over_mini(&golf());
    let ds = Dataset::load_dir(dir.path()).unwrap();
    assert_eq!(ds.places.len(), base.places.len() + 1);
    assert_eq!(ds.links.len(), base.links.len() + 1);
    let g = ds.place_index("KZ-golf").unwrap();
    assert_eq!(g, base.places.len(), "new rows go at the end");
    // Lines are the overlay's own again once the merged data is checked.
    assert_eq!(ds.places[g].line, 2);
    assert_eq!(ds.resolve("Golf terminal").unwrap().places, vec![g]);
    // The base's rows are untouched, in order.
    for (a, b) in base.places.iter().zip(&ds.places) {
        assert_eq!(a, b);
    }
    // The hash covers both layers and names them.
    assert_eq!(ds.layers.len(), 2);
    assert_eq!(ds.layers[0].hash, base.hash);
    assert_eq!(ds.layers[1].label, dir.path().display().to_string());
    assert_ne!(ds.hash, base.hash);
    assert_eq!(ds.hash.len(), 16);
    // The same layers give the same hash; a changed overlay another.
    assert_eq!(Dataset::load_dir(dir.path()).unwrap().hash, ds.hash);
    let mut files = golf();
    files[1].1 = files[1].1.replace(",60,T-EST", ",61,T-EST");
    let other = over_mini(&files);
    assert_ne!(Dataset::load_dir(other.path()).unwrap().hash, ds.hash);
}

#[test]
fn a_row_with_an_existing_id_replaces_it_in_place() {
    let base = Dataset::load_dir(&mini()).unwrap();
    let dir = over_mini(&[(
        "links.csv",
        format!("{LINKS_HEADER}\nde-ferry,KZ-delta,AZ-echo,ferry,truck|wagon,,true,operating,430,T-EST,,20,T-EST,,48,24,240,T-EST,,,,,3000,,feu,USD,2025,T-EST,,,,T-EST\n"),
    )]);
    let ds = Dataset::load_dir(dir.path()).unwrap();
    assert_eq!(ds.links.len(), base.links.len());
    let i = base.links.iter().position(|l| l.id == "de-ferry").unwrap();
    assert_eq!(ds.links[i].id, "de-ferry", "replaced where it was");
    assert_eq!(ds.links[i].price.as_ref().unwrap().fixed, 3000.0);
    assert_eq!(base.links[i].price.as_ref().unwrap().fixed, 1000.0);
}

#[test]
fn removed_rows_are_gone() {
    let base = Dataset::load_dir(&mini()).unwrap();
    let dir = over_mini(&[(
        "remove.csv",
        "file,id,reason\nlinks.csv,ab-road,test: the road is closed for good\ntransfers.csv,*/rail_terminal|sea_port|dry_port/truck/wagon,test: no truck-to-rail lifts\n".into(),
    )]);
    let ds = Dataset::load_dir(dir.path()).unwrap();
    assert_eq!(ds.links.len(), base.links.len() - 1);
    assert!(ds.links.iter().all(|l| l.id != "ab-road"));
    assert_eq!(ds.transfers.len(), base.transfers.len() - 1);
    assert!(!ds.transfers.iter().any(|t| t.place.is_none()
        && t.from.carries == corridor_data::Carries::Truck
        && t.to.carries == corridor_data::Carries::Wagon));
}

#[test]
fn meta_keys_of_an_overlay_replace_the_base_s() {
    let dir = over_mini(&[("meta.csv", "version,test.2\n".into())]);
    let ds = Dataset::load_dir(dir.path()).unwrap();
    assert_eq!(ds.meta.version, "test.2");
    assert_eq!(ds.meta.name, "mini");
    assert_eq!(ds.meta.format_version, 1);
}

#[test]
fn problems_name_the_layer_and_line() {
    let label = |d: &tempfile::TempDir| d.path().display().to_string();
    // A parse problem in the overlay, and a cross-file one found only after the merge.
    let dir = over_mini(&[
        (
            "places.csv",
            format!("{PLACES_HEADER}\nKZ-golf,Golf terminal,,KZ,95,51.6,rail_terminal,1520,,Asia/Aqtau,T-EST\n"),
        ),
        (
            "links.csv",
            format!("{LINKS_HEADER}\ndg-rail,KZ-delta,KZ-golff,rail,,1520,true,operating,60,T-EST,40,,T-EST,,,,,,,,,,,1.0,feu,USD,2025,T-EST,,,,T-EST\n"),
        ),
    ]);
    let got = problems(dir.path());
    let d = label(&dir);
    assert!(
        got.iter()
            .any(|p| p.starts_with(&format!("{d}/places.csv:2: lat 95"))),
        "{got:#?}"
    );
    assert!(
        got.iter()
            .any(|p| p.starts_with(&format!("{d}/links.csv:2: to 'KZ-golff' is not a place"))),
        "{got:#?}"
    );
    // Removing a place the base's links use: the problem is on the base's line.
    let dir = over_mini(&[(
        "remove.csv",
        "file,id,reason\nplaces.csv,AZ-foxtrot,test\n".into(),
    )]);
    let got = problems(dir.path());
    let m = mini().display().to_string();
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with(&format!(
            "{m}/links.csv:8: to 'AZ-foxtrot' is not a place in places.csv"
        )),
        "{got:#?}"
    );
}

#[test]
fn bad_overlays_get_clear_errors() {
    // A misspelt file name.
    let dir = over_mini(&[("place.csv", format!("{PLACES_HEADER}\n"))]);
    let got = problems(dir.path());
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].contains("place.csv: is not a file corridor reads (did you mean 'places.csv'?)"),
        "{got:#?}"
    );
    // A file without its key column.
    let dir = over_mini(&[("links.csv", LINKS_HEADER.replacen("id,", "", 1) + "\n")]);
    let got = problems(dir.path());
    assert!(
        got.iter()
            .any(|p| p.ends_with("/links.csv:1: missing column 'id'")),
        "{got:#?}"
    );
    // Removing what the layers below do not have, and from a file that is not one.
    let dir = over_mini(&[(
        "remove.csv",
        "file,id,reason\nlinks.csv,ab-raill,test\nlink.csv,ab-rail,test\n".into(),
    )]);
    let d = dir.path().display().to_string();
    let got = problems(dir.path());
    assert_eq!(
        got,
        vec![
            format!("{d}/remove.csv:2: links.csv has no row 'ab-raill' in the layers below to remove (the key is id)"),
            format!("{d}/remove.csv:3: file 'link.csv' is not a file with rows to remove (did you mean 'links.csv'?) (one of sources.csv, groups.csv, places.csv, links.csv, transfers.csv, fx.csv, emission_factors.csv, services.csv, closures.csv, sea_rates.csv, grid_factors.csv, hub_factors.csv, link_geometry.csv, pollutant_factors.csv, cargo_rules.csv, customs.csv, compliance.csv, distributions.csv, traction.csv, driving_rules.csv, capacity.csv, demand.csv)"),
        ]
    );
    // The same id twice, and removed and given at once.
    let row = "ab-rail,CN-alpha,CN-bravo,rail,,1435,true,operating,500,T-EST,40,,T-EST,7,,,,T-EST,,,,,,1.0,feu,USD,2025,T-EST,,,,T-EST";
    let dir = over_mini(&[
        ("links.csv", format!("{LINKS_HEADER}\n{row}\n{row}\n")),
        (
            "remove.csv",
            "file,id,reason\nlinks.csv,ab-rail,test\n".into(),
        ),
    ]);
    let got = problems(dir.path());
    assert!(
        got.iter()
            .any(|p| p.contains("links.csv:2: 'ab-rail' is both removed (remove.csv:2)")),
        "{got:#?}"
    );
    assert!(
        got.iter().any(|p| p
            .contains("links.csv:3: id 'ab-rail' appears twice in this overlay (first at line 2)")),
        "{got:#?}"
    );
    // A base that is not there, and a circle.
    let dir = overlay("no-such-folder", &[]);
    let got = problems(dir.path());
    assert_eq!(got.len(), 1);
    assert!(
        got[0].contains("/meta.csv:2: base 'no-such-folder' is not a folder"),
        "{got:#?}"
    );
    let dir = overlay(".", &[]);
    let got = problems(dir.path());
    assert!(got[0].contains("overlays cannot form a circle"), "{got:#?}");
    // remove.csv in a whole folder.
    let whole = tempfile::tempdir().unwrap();
    let raw = RawFiles::read_dir(&mini()).unwrap();
    for (name, text) in &raw.files {
        std::fs::write(whole.path().join(name), text).unwrap();
    }
    std::fs::write(whole.path().join("remove.csv"), "file,id,reason\n").unwrap();
    let got = problems(whole.path());
    assert!(
        got[0].starts_with("remove.csv: only an overlay removes rows"),
        "{got:#?}"
    );
}

#[test]
fn a_replaced_link_drops_its_derived_measurement() {
    // An embedded link measured on the networks, restated 10% longer by an overlay: the
    // measurement of the old row must not be applied to, or reported stale against, the new one.
    let raw = Dataset::embedded_raw();
    let base = Dataset::embedded().unwrap();
    let measured = base
        .link_geometry
        .iter()
        .find(|g| g.status == corridor_data::geometry::GeometryStatus::Measured)
        .unwrap();
    let id = measured.link.clone();
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(raw.files["links.csv"].as_bytes());
    let header = rdr.headers().unwrap().clone();
    let d = header.iter().position(|h| h == "distance_km").unwrap();
    let mut row: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap())
        .find(|r| r.get(0) == Some(id.as_str()))
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let stated = measured.stated_km;
    row[d] = format!("{:.0}", stated * 1.1);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    w.write_record(&row).unwrap();
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let dir = overlay("embedded", &[("links.csv", text)]);
    let ds = Dataset::load_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let l = ds.links.iter().find(|l| l.id == id).unwrap();
    assert_eq!(l.distance_km, (stated * 1.1).round());
    assert!(ds.link_geometry(&id).is_none());
    assert_eq!(ds.link_geometry.len(), base.link_geometry.len() - 1);
    assert_eq!(ds.layers[0].label, "embedded default network");
    assert_eq!(ds.layers[0].hash, base.hash);
}

#[test]
fn a_dataset_rebuilt_from_its_records_is_the_same_and_a_changed_link_drops_its_measurement() {
    let ds = Dataset::embedded().unwrap();
    let again = Dataset::from_records(&ds.label, ds.provenance(), ds.records.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.hash, ds.hash);
    assert_eq!(again.layers, ds.layers);
    assert_eq!(again.links, ds.links);
    assert_eq!(again.link_geometry, ds.link_geometry);
    assert_eq!(again.places, ds.places);
    // A transformation (a scenario) that restates a measured link's length.
    let g = ds
        .link_geometry
        .iter()
        .find(|g| g.status == corridor_data::geometry::GeometryStatus::Measured)
        .unwrap();
    let mut records = ds.records.clone();
    let l = records.links.iter_mut().find(|l| l.id == g.link).unwrap();
    l.distance_km = g.stated_km * 1.2;
    let mut provenance = ds.provenance();
    provenance.layers.push(corridor_data::LayerInfo {
        label: "test scenario".into(),
        hash: "0123456789abcdef".into(),
    });
    let provenance = corridor_data::Provenance::layered(provenance.layers);
    let changed =
        Dataset::from_records("test", provenance, records).unwrap_or_else(|e| panic!("{e}"));
    let l = changed.links.iter().find(|l| l.id == g.link).unwrap();
    assert_eq!(l.distance_km, g.stated_km * 1.2);
    assert!(changed.link_geometry(&g.link).is_none());
    assert_eq!(changed.link_geometry.len(), ds.link_geometry.len() - 1);
    assert_ne!(changed.hash, ds.hash);
    assert_eq!(changed.layers.len(), 2);
}
