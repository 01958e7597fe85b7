//! Named passages (straits, canals, the Northern Sea Route, the Volga–Don) that sea arcs are
//! tagged with (`passage=NAME`, see [`crate::import::marnet`]), the names corridor accepts for
//! them, and which are closed by default.
//!
//! corridor's names are the ones a user would write (`bab_el_mandeb`, `hormuz`,
//! `cape_of_good_hope`); marnet's tags are searoute's (`babalmandab`, `ormuz`,
//! `south_africa`). [`PASSAGES`] is the one table that maps one to the other; marnet's own
//! names are accepted as well.

/// One named passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passage {
    /// corridor's name (`--avoid passage:NAME`, `--allow passage:NAME`).
    pub name: &'static str,
    /// Other names accepted for it (marnet's, spellings).
    pub aliases: &'static [&'static str],
    /// The arc tag value in the network: arcs are tagged `passage=TAG`.
    pub tag: &'static str,
    /// Closed unless a query allows it.
    pub closed_by_default: bool,
    /// Why it is closed by default (empty when open).
    pub why_closed: &'static str,
}

/// Every passage corridor knows, with marnet's tag for it.
///
/// | corridor name | also accepted | marnet tag | default |
/// |---|---|---|---|
/// | `suez` | | `suez` | open |
/// | `bab_el_mandeb` | `babalmandab`, `bab-el-mandeb` | `babalmandab` | open |
/// | `panama` | | `panama` | open |
/// | `malacca` | | `malacca` | open |
/// | `gibraltar` | | `gibraltar` | open |
/// | `bosporus` | `bosphorus` | `bosporus` | open |
/// | `dardanelles` | | `dardanelles` | open |
/// | `hormuz` | `ormuz` | `ormuz` | open |
/// | `cape_of_good_hope` | `south_africa`, `cape` | `south_africa` | open |
/// | `sunda` | | `sunda` | open |
/// | `cape_horn` | `chili` | `chili` | open |
/// | `bering` | | `bering` | open |
/// | `northwest` | `northwest_passage` | `northwest` | closed (seasonal, ice class) |
/// | `northern_sea_route` | `nsr` | `northern_sea_route` (tagged by polygon) | closed |
/// | `volga_don` | `volga-don` | `volga_don` (tagged by polygon) | closed |
pub const PASSAGES: &[Passage] = &[
    open("suez", &[], "suez"),
    open(
        "bab_el_mandeb",
        &["babalmandab", "bab-el-mandeb"],
        "babalmandab",
    ),
    open("panama", &[], "panama"),
    open("malacca", &[], "malacca"),
    open("gibraltar", &[], "gibraltar"),
    open("bosporus", &["bosphorus"], "bosporus"),
    open("dardanelles", &[], "dardanelles"),
    open("hormuz", &["ormuz"], "ormuz"),
    open(
        "cape_of_good_hope",
        &["south_africa", "cape"],
        "south_africa",
    ),
    open("sunda", &[], "sunda"),
    open("cape_horn", &["chili"], "chili"),
    open("bering", &[], "bering"),
    Passage {
        name: "northwest",
        aliases: &["northwest_passage"],
        tag: "northwest",
        closed_by_default: true,
        why_closed: "seasonal, ice class; searoute leaves it out too",
    },
    Passage {
        name: "northern_sea_route",
        aliases: &["nsr"],
        tag: "northern_sea_route",
        closed_by_default: true,
        why_closed: "seasonal, ice class; container lines do not use it",
    },
    Passage {
        name: "volga_don",
        aliases: &["volga-don"],
        tag: "volga_don",
        closed_by_default: true,
        why_closed: "Russian inland waterways (river-sea vessels only), not an ocean route",
    },
];

const fn open(name: &'static str, aliases: &'static [&'static str], tag: &'static str) -> Passage {
    Passage {
        name,
        aliases,
        tag,
        closed_by_default: false,
        why_closed: "",
    }
}

impl Passage {
    /// The arc tag, `passage=TAG`.
    pub fn arc_tag(&self) -> String {
        format!("passage={}", self.tag)
    }
}

/// The passage called `name` (corridor's name, an alias or marnet's tag; case and `-`/`_`
/// do not matter).
pub fn find(name: &str) -> Option<&'static Passage> {
    let norm = |s: &str| s.trim().to_ascii_lowercase().replace('-', "_");
    let n = norm(name);
    PASSAGES
        .iter()
        .find(|p| norm(p.name) == n || norm(p.tag) == n || p.aliases.iter().any(|a| norm(a) == n))
}

/// The passage whose arc tag is `tag` (`passage=ormuz`).
pub fn by_arc_tag(tag: &str) -> Option<&'static Passage> {
    let t = tag.strip_prefix("passage=")?;
    PASSAGES.iter().find(|p| p.tag == t)
}

/// The names corridor accepts, for error messages.
pub fn names() -> String {
    PASSAGES
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The passages closed for a query: those closed by default and not in `allow`, plus those
/// in `avoid`, in table order.
pub fn closed(allow: &[&'static Passage], avoid: &[&'static Passage]) -> Vec<&'static Passage> {
    PASSAGES
        .iter()
        .filter(|p| {
            avoid.contains(p) || (p.closed_by_default && !allow.iter().any(|a| a.name == p.name))
        })
        .collect()
}

/// The arc tags closed by default (`passage=northwest`, …): what `corridor prepare` leaves
/// out of a hierarchy.
pub fn default_closed_tags() -> Vec<String> {
    closed(&[], &[]).iter().map(|p| p.arc_tag()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_aliases_and_marnet_tags_resolve() {
        assert_eq!(find("suez").unwrap().tag, "suez");
        assert_eq!(find("Bab-el-Mandeb").unwrap().tag, "babalmandab");
        assert_eq!(find("babalmandab").unwrap().name, "bab_el_mandeb");
        assert_eq!(find("ormuz").unwrap().name, "hormuz");
        assert_eq!(find("south_africa").unwrap().name, "cape_of_good_hope");
        assert_eq!(
            find("northern_sea_route").unwrap().tag,
            "northern_sea_route"
        );
        assert!(find("atlantis").is_none());
        assert_eq!(by_arc_tag("passage=ormuz").unwrap().name, "hormuz");
        let d = default_closed_tags();
        assert_eq!(
            d,
            vec![
                "passage=northwest",
                "passage=northern_sea_route",
                "passage=volga_don"
            ]
        );
        let nsr = find("nsr").unwrap();
        let suez = find("suez").unwrap();
        let c: Vec<&str> = closed(&[nsr], &[suez]).iter().map(|p| p.name).collect();
        assert_eq!(c, vec!["suez", "northwest", "volga_don"]);
    }
}
