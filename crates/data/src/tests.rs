//! Loader and validator tests on the committed fixtures.

use std::path::PathBuf;

use super::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

#[test]
fn mini_fixture_loads() {
    let ds = Dataset::load_dir(&fixture("mini")).unwrap();
    assert_eq!(ds.places.len(), 6);
    assert_eq!(ds.meta.format_version, 1);
    assert_eq!(ds.hash.len(), 16);
    assert_eq!(ds.resolve("Альфа").unwrap().places, vec![0]);
}

#[test]
fn seeded_defects_are_reported_at_their_lines() {
    let err = Dataset::load_dir(&fixture("defects")).unwrap_err();
    let got: Vec<String> = err
        .problems
        .iter()
        .map(|p| format!("{}:{}", p.file, p.line))
        .collect();
    let want = [
        "links.csv:3", // road CN→KZ without a border; 100 km below great-circle
        "links.csv:3",
        "links.csv:5",  // to unknown place KZ-delat
        "links.csv:6",  // negative cost
        "links.csv:7",  // dangling source id
        "links.csv:9",  // too few fields
        "links.csv:10", // missing distance
        "places.csv:3", // lat out of range
        "places.csv:8", // duplicate id
        "places.csv:9", // nothing connects to it
    ];
    assert_eq!(got, want, "{:#?}", err.problems);
    let text: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
    assert!(text[2].contains("did you mean 'KZ-delta'"), "{}", text[2]);
    assert!(text[3].contains("negative"), "{}", text[3]);
    assert!(text[4].contains("T-NOPE"), "{}", text[4]);
    assert!(text[7].contains("lat 95"), "{}", text[7]);
    assert!(
        text[8].contains("duplicate place id 'CN-alpha'"),
        "{}",
        text[8]
    );
    assert!(text[9].contains("nothing connects"), "{}", text[9]);
}

#[test]
fn empty_folder_names_every_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = Dataset::load_dir(dir.path()).unwrap_err();
    assert_eq!(err.problems.len(), load::REQUIRED_FILES.len());
    assert!(err.problems.iter().all(|p| p.message.contains("missing")));
    let err = Dataset::load_dir(&dir.path().join("nope")).unwrap_err();
    assert!(err.problems[0].message.contains("is not a folder"));
}

#[test]
fn unknown_columns_and_bad_enums_are_named() {
    let mut raw = RawFiles::read_dir(&fixture("mini")).unwrap();
    let links = raw.files["links.csv"]
        .replacen("source\n", "sauce\n", 1)
        .replace(",rail,,1435,", ",rial,,1435,");
    raw.files.insert("links.csv", links);
    let err = Dataset::from_raw(&raw).unwrap_err();
    let all: String = err.problems.iter().map(|p| p.to_string() + "\n").collect();
    assert!(all.contains("unknown column 'sauce'"), "{all}");
    // The header error stops the file, so the bad mode is not reached; fix the header and retry.
    let links = raw.files["links.csv"].replacen("sauce\n", "source\n", 1);
    raw.files.insert("links.csv", links);
    let err = Dataset::from_raw(&raw).unwrap_err();
    let all: String = err.problems.iter().map(|p| p.to_string() + "\n").collect();
    assert!(
        all.contains("links.csv:2: mode 'rial' is not one of road, rail"),
        "{all}"
    );
}

#[test]
fn format_version_is_checked() {
    let mut raw = RawFiles::read_dir(&fixture("mini")).unwrap();
    raw.files.insert(
        "meta.csv",
        "key,value\nformat_version,7\nname,x\nversion,1\nas_of,2026-01-01\n".into(),
    );
    let err = Dataset::from_raw(&raw).unwrap_err();
    assert!(err.problems[0]
        .to_string()
        .contains("format_version '7' is not supported"));
}
