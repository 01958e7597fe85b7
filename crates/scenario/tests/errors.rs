//! Bad input: every problem names the file and the exact line, never a panic.

use corridor_data::{load, Dataset};
use corridor_scenario::{apply, parse, ScenarioError};

const HEAD: &str = "name = \"t\"\ndescription = \"test\"\nsource = \"SRC-TRAVEL-CASPIAN-WAIT\"\n";

/// A file of the standard 3-line head plus `body` (so body line 1 is file line 4).
fn text(body: &str) -> String {
    format!("{HEAD}{body}")
}

fn parse_err(body: &str) -> ScenarioError {
    match parse("bad.toml", &text(body)) {
        Ok(s) => panic!("accepted: {s:?}"),
        Err(e) => e,
    }
}

fn apply_err(body: &str) -> ScenarioError {
    let s = parse("bad.toml", &text(body)).unwrap_or_else(|e| panic!("{e}"));
    let (records, _) = load::parse(&Dataset::embedded_raw());
    match apply(&s, records) {
        Ok(_) => panic!("applied"),
        Err(e) => e,
    }
}

fn expect(e: &ScenarioError, line: u64, words: &str) {
    let shown = e.to_string();
    assert_eq!(e.location(), format!("bad.toml:{line}"), "{shown}");
    assert!(shown.contains(words), "message lacks '{words}': {shown}");
    assert!(shown.starts_with(&format!("bad.toml:{line}: ")), "{shown}");
}

const CHANGE: &str = "\n[[change]]\nreason = \"r\"\nsource = \"SRC-TRAVEL-CASPIAN-WAIT\"\n";

#[test]
fn malformed_toml_names_the_line() {
    let e = parse_err("\n[[change]]\nreason = \"unterminated\nsource = \"x\"\n");
    expect(&e, 6, "");
    let e = parse_err("description = \"twice\"\n");
    expect(&e, 4, "duplicate key");
}

#[test]
fn unknown_keys_name_their_line() {
    let e = parse_err("autor = \"me\"\n");
    expect(&e, 4, "unknown field `autor`");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\" }}\nwait_h = {{ add = 1 }}\nreasn = \"typo\"\n"
    ));
    expect(&e, 10, "unknown field `reasn`");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mood = \"ferry\" }}\nwait_h = {{ add = 1 }}\n"
    ));
    expect(&e, 8, "unknown field `mood`");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\" }}\nwait_h = {{ plus = 1 }}\n"
    ));
    expect(&e, 9, "unknown field `plus`");
}

#[test]
fn missing_reason_or_source_names_the_change() {
    let e = parse_err("\n[[change]]\nsource = \"SRC-TRAVEL-CASPIAN-WAIT\"\nselect = { mode = \"ferry\" }\nwait_h = { add = 1 }\n");
    expect(&e, 5, "no `reason`");
    let e = parse_err(
        "\n[[change]]\nreason = \"r\"\nselect = { mode = \"ferry\" }\nwait_h = { add = 1 }\n",
    );
    expect(&e, 5, "no `source`");
    let e = parse_err("\n[[change]]\nreason = \"  \"\nsource = \"SRC-TRAVEL-CASPIAN-WAIT\"\nselect = { mode = \"ferry\" }\nwait_h = { add = 1 }\n");
    expect(&e, 5, "no `reason`");
    // A second change is reported at its own header.
    let body = format!(
        "{CHANGE}select = {{ mode = \"ferry\" }}\nwait_h = {{ add = 1 }}\n\n[[change]]\nsource = \"S\"\nselect = {{ mode = \"ferry\" }}\nwait_h = {{ add = 1 }}\n"
    );
    expect(&parse_err(&body), 11, "no `reason`");
    let e = parse("bad.toml", "description = \"d\"\nsource = \"s\"\n").unwrap_err();
    assert!(e.to_string().contains("missing `name`"), "{e}");
}

#[test]
fn bad_factors_name_their_line() {
    for (v, words) in [
        ("0", "factor 0 is not a finite number above 0"),
        ("-1.5", "factor -1.5 is not"),
        ("nan", "factor NaN is not"),
        ("inf", "factor inf is not"),
        ("-inf", "factor -inf is not"),
    ] {
        let e = parse_err(&format!(
            "{CHANGE}select = {{ mode = \"ferry\" }}\nwait_h = {{ factor = {v} }}\n"
        ));
        expect(&e, 9, words);
        let e = parse_err(&format!(
            "{CHANGE}select = {{ mode = \"ferry\" }}\n\ncapacity = {{ factor = {v} }}\n"
        ));
        expect(&e, 10, words);
        let e = parse_err(&format!(
            "{CHANGE}select = {{ mode = \"ferry\" }}\ncost = {{ factor = {v} }}\n"
        ));
        expect(&e, 9, words);
    }
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\" }}\nwait_h = {{ add = nan }}\n"
    ));
    expect(&e, 9, "not a finite number of hours");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\" }}\nwait_h = {{ add = 1, factor = 2 }}\n"
    ));
    expect(&e, 9, "exactly one of add");
}

#[test]
fn reversed_or_bad_dates_name_their_line() {
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\" }}\nclose = {{ from = 2027-03-31, to = 2026-12-01 }}\n"
    ));
    expect(&e, 9, "is after to 2026-12-01: the range is reversed");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\" }}\nclose = {{ from = \"2026-13-01\", to = \"2027-01-01\" }}\n"
    ));
    expect(&e, 9, "from must be a date YYYY-MM-DD");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\" }}\nclose = {{ from = 2026-12-01 }}\n"
    ));
    expect(&e, 9, "needs both from and to");
}

#[test]
fn operations_and_selectors_are_checked_before_the_data() {
    let e = parse_err(&format!("{CHANGE}select = {{ mode = \"ferry\" }}\n"));
    expect(&e, 5, "no operation");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\" }}\nwait_h = {{ add = 1 }}\nopen = true\n"
    ));
    expect(&e, 5, "2 operations (wait_h, open)");
    let e = parse_err(&format!("{CHANGE}select = {{}}\nwait_h = {{ add = 1 }}\n"));
    expect(&e, 8, "select is empty");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ mode = \"hovercraft\" }}\nwait_h = {{ add = 1 }}\n"
    ));
    expect(&e, 8, "mode 'hovercraft'");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ country = \"Kazakhstan\" }}\nwait_h = {{ add = 1 }}\n"
    ));
    expect(&e, 8, "not an ISO 3166-1");
    let e = parse_err(&format!(
        "{CHANGE}on = \"places\"\nselect = {{ id = \"KZSCO\" }}\nwait_h = {{ add = 1 }}\n"
    ));
    expect(&e, 10, "`wait_h` does not apply to places");
    let e = parse_err(&format!(
        "{CHANGE}select = {{ kind = \"sea_port\" }}\nwait_h = {{ add = 1 }}\n"
    ));
    expect(&e, 8, "links have no kind");
}

#[test]
fn a_selector_that_matches_nothing_is_an_error_at_its_line() {
    let e = apply_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\", country = \"CN\" }}\nwait_h = {{ add = 1 }}\n"
    ));
    expect(&e, 8, "select matches no links");
    let e = apply_err(&format!(
        "{CHANGE}select = {{ id = \"FR-NOWHERE\" }}\nclose = {{}}\n"
    ));
    expect(&e, 8, "select matches no links");
    // One value of a list that matches nothing is not silently ignored.
    let e = apply_err(&format!(
        "{CHANGE}select = {{ mode = \"ferry\", country = [\"AZ\", \"KZ\", \"MN\"] }}\nwait_h = {{ add = 1 }}\n"
    ));
    expect(&e, 8, "country 'MN' match no links");
    let e = apply_err(&format!(
        "{CHANGE}select = {{ id = [\"FR-KURYK-ALAT-TRUCK\", \"FR-KURYK-ALAT-TRUK\"] }}\nwait_h = {{ add = 1 }}\n"
    ));
    expect(&e, 8, "id 'FR-KURYK-ALAT-TRUK'");
    let e = apply_err(&format!(
        "{CHANGE}on = \"places\"\nselect = {{ id = \"XXNOPE\" }}\ndwell_h = {{ add = 1 }}\n"
    ));
    expect(&e, 9, "select matches no places");
    let e = apply_err(&format!(
        "{CHANGE}on = \"transfers\"\nselect = {{ kind = \"roll_on\" }}\ndwell_h = {{ add = 1 }}\n"
    ));
    expect(&e, 9, "select matches no transfers");
}

#[test]
fn changes_that_cannot_apply_name_their_line() {
    // An unknown source id.
    let e = apply_err("\n[[change]]\nreason = \"r\"\nsource = \"SRC-NOPE\"\nselect = { mode = \"ferry\" }\nwait_h = { add = 1 }\n");
    expect(&e, 7, "source 'SRC-NOPE' is neither");
    // A reduction beyond the data's hours.
    let e = apply_err(&format!(
        "{CHANGE}select = {{ id = \"FR-KURYK-ALAT-TRUCK\" }}\nwait_h = {{ add = -1000 }}\n"
    ));
    expect(&e, 5, "would be negative");
    // Opening an operating link.
    let e = apply_err(&format!(
        "{CHANGE}select = {{ id = \"FR-KURYK-ALAT-TRUCK\" }}\nopen = true\n"
    ));
    expect(&e, 5, "already operating");
    // A capacity factor on a link that states none.
    let e = apply_err(&format!(
        "{CHANGE}select = {{ id = \"FR-VAN-TATVAN\" }}\ncapacity = {{ factor = 2 }}\n"
    ));
    expect(&e, 5, "states no capacity");
    // A regime with no figure at a border.
    let e = apply_err(&format!(
        "{CHANGE}on = \"borders\"\nselect = {{ id = \"BD-CN-alashankou--KZ-dostyk-wagon\" }}\ncustoms_default = {{ regime = \"tir\" }}\n"
    ));
    expect(&e, 5, "customs.csv has no tir row");
    // A regime whose goods the change misstates.
    let e = apply_err(&format!(
        "{CHANGE}on = \"borders\"\nselect = {{ id = \"BD-CN-khorgos-road--KZ-nur-zholy-truck\" }}\ncustoms_default = {{ regime = \"green_channel\" }}\n"
    ));
    expect(&e, 5, "for agricultural goods");
    // A [[sources]] id that the data already has.
    let e = apply_err(
        "\n[[sources]]\nid = \"SRC-TRAVEL-CASPIAN-WAIT\"\ntitle = \"t\"\npublisher = \"p\"\ndate = \"2026\"\n\n[[change]]\nreason = \"r\"\nsource = \"SRC-TRAVEL-CASPIAN-WAIT\"\nselect = { mode = \"ferry\" }\nwait_h = { add = 1 }\n",
    );
    expect(&e, 5, "already in the data's sources.csv");
}
