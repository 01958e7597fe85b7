//! traction.csv: rows are read, checked against links.csv and grid_factors.csv, and every
//! problem is reported at its line.

use corridor_data::{Dataset, TractionKind};

fn with_traction(text: &str) -> Result<Dataset, corridor_data::DataError> {
    let mut raw = Dataset::embedded_raw();
    raw.files.insert("traction.csv", text.into());
    Dataset::from_raw(&raw)
}

#[test]
fn the_default_traction_rows_load_and_name_rail_links() {
    let ds = Dataset::embedded().unwrap();
    assert!(!ds.traction.is_empty());
    let t = ds.traction_for("RL-RU-yekaterinburg--RUMOW").unwrap();
    assert_eq!(t.traction, TractionKind::Electric);
    assert_eq!(t.electrified_share, 1.0);
    let t = ds.traction_for("RL-KZ-dostyk--KZ-aktogay").unwrap();
    assert_eq!(
        (t.traction, t.electrified_share),
        (TractionKind::Diesel, 0.0)
    );
    let t = ds.traction_for("RL-RU-zabaikalsk--RU-novosibirsk").unwrap();
    assert_eq!(t.traction, TractionKind::Mixed);
    assert!(t.electrified_share > 0.0 && t.electrified_share < 1.0);
    assert!(ds.electric_rail_factor().is_some_and(|f| f.kwh.is_some()));
}

#[test]
fn bad_traction_rows_are_reported_at_their_lines() {
    let text = "link,traction,electrified_share,source,note\n\
        RL-RU-yekaterinburg--RUMOWW,electric,1,SRC-OSM-ELECTRIFIED,typo\n\
        RD-CNCKG--CN-lanzhou,electric,1,SRC-OSM-ELECTRIFIED,a road\n\
        RL-RUMOW--RU-krasnoe,mixed,,SRC-OSM-ELECTRIFIED,no share\n\
        RL-BYMSQ--BY-brest,electric,0.5,SRC-OSM-ELECTRIFIED,contradiction\n\
        RL-MK-tabanovce--MK-gevgelija,electric,1,SRC-OSM-ELECTRIFIED,no grid factor for MK\n\
        RL-TR-halkali--TR-ankara,steam,1,SRC-OSM-ELECTRIFIED,unknown traction\n\
        RL-GETBS--GEPTI,electric,1,SRC-NOPE,unknown source\n\
        RL-GETBS--GEPTI,electric,1,SRC-OSM-ELECTRIFIED,second row\n\
        RL-PL-malaszewicze--PLWAW,diesel,0,SRC-OSM-ELECTRIFIED,names an electric factor\n";
    let err = with_traction(text).unwrap_err();
    let all: String = err.problems.iter().map(|p| p.to_string() + "\n").collect();
    for want in [
        "traction.csv:2: link 'RL-RU-yekaterinburg--RUMOWW' is not an id in links.csv",
        "traction.csv:3: link 'RD-CNCKG--CN-lanzhou' is road: traction applies to rail links only",
        "traction.csv:4: mixed traction needs electrified_share",
        "traction.csv:5: electrified_share 0.5 contradicts traction electric",
        "traction.csv:6: link 'RL-MK-tabanovce--MK-gevgelija' is electrified but grid_factors.csv has no row for MK",
        "traction.csv:7: traction",
        "traction.csv:8: source 'SRC-NOPE' is not an id in sources.csv",
        "traction.csv:9: second row for link 'RL-GETBS--GEPTI'",
        "traction.csv:10: link 'RL-PL-malaszewicze--PLWAW' names the electric factor 'EF-RAIL-ELEC-EU'",
    ] {
        assert!(all.contains(want), "missing «{want}» in:\n{all}");
    }
    // The typo gets a suggestion.
    assert!(all.contains("RL-RU-yekaterinburg--RUMOW"), "{all}");
}

#[test]
fn the_file_is_optional() {
    let mut raw = Dataset::embedded_raw();
    raw.files.remove("traction.csv");
    let ds = Dataset::from_raw(&raw);
    // Without the file the sources only it cites are unused: that is the one complaint.
    match ds {
        Ok(ds) => assert!(ds.traction.is_empty()),
        Err(e) => assert!(
            e.problems
                .iter()
                .all(|p| p.file == "sources.csv" && p.message.contains("is not used")),
            "{e:?}"
        ),
    }
}
