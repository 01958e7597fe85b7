//! `meta.csv`: the folder's name, version, date and format version, as `key,value` rows.

use std::collections::HashMap;

use super::reader::read_csv;
use crate::model::Meta;
use crate::problem::Problem;

/// Reads `meta.csv` into `meta`, reporting missing keys and an unsupported format version.
/// An overlay's `meta.csv` (`overlay`) needs no key but its `base` (read where the layers are
/// collected); the keys it gives replace the base's, the others are left empty.
pub(crate) fn parse_meta(text: &str, meta: &mut Meta, p: &mut Vec<Problem>, overlay: bool) {
    let mut meta_kv: HashMap<String, (String, u64)> = HashMap::new();
    read_csv("meta.csv", text, &["key", "value"], &[], p, |row| {
        let k = row.req_str("key");
        let v = row.raw("value").to_string();
        let line = row.line;
        if meta_kv.insert(k.clone(), (v, line)).is_some() {
            row.problem(format!("key '{k}' appears twice"));
        }
    });
    for key in ["format_version", "name", "version", "as_of"] {
        if !overlay && !meta_kv.contains_key(key) {
            p.push(Problem {
                file: "meta.csv".into(),
                line: 0,
                message: format!("missing key '{key}'"),
            });
        }
    }
    if let Some((v, line)) = meta_kv.get("format_version") {
        match v.parse::<u32>() {
            Ok(1) => meta.format_version = 1,
            _ => p.push(Problem {
                file: "meta.csv".into(),
                line: *line,
                message: format!(
                    "format_version '{v}' is not supported (this corridor reads format_version 1)"
                ),
            }),
        }
    }
    let get = |k: &str| meta_kv.get(k).map(|(v, _)| v.clone()).unwrap_or_default();
    meta.name = get("name");
    meta.version = get("version");
    meta.as_of = get("as_of");
}
