//! Cross-file checks: references, ranges, geography, connectivity.
//!
//! Each check reports file:line and a reason; [`validate`] returns every problem at once.

use std::collections::{HashMap, HashSet};

use crate::load::Records;
use crate::model::*;
use crate::problem::Problem;

mod constraints;
mod geometry;

pub use crate::geodesy::{great_circle_km, EARTH_RADIUS_KM};
pub use crate::problem::suggest_id;

/// Named passages known to corridor.
pub const PASSAGES: [&str; 12] = [
    "suez",
    "bab_el_mandeb",
    "malacca",
    "gibraltar",
    "bosporus",
    "dardanelles",
    "hormuz",
    "cape_of_good_hope",
    "panama",
    "volga_don",
    "northern_sea_route",
    "english_channel",
];

/// Tolerance for the great-circle check: coordinates carry two decimals (±0.6 km each end).
const GC_SLACK_KM: f64 = 2.0;

fn is_country(c: &str) -> bool {
    c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())
}

/// Checks the parsed records against each other. Returns every problem found.
pub fn validate(r: &Records) -> Vec<Problem> {
    validate_citing(r, &[])
}

/// As [`validate`], counting the sources `also_cited` as used (by figures about to be derived
/// from the data, e.g. `corridor derive-geometry`'s network sources).
pub fn validate_citing(r: &Records, also_cited: &[&str]) -> Vec<Problem> {
    let mut cx = Ctx::default();
    for id in also_cited {
        cx.used.insert(id);
    }
    for s in &r.sources {
        if !cx.sources.insert(&s.id) {
            cx.push(
                "sources.csv",
                s.line,
                format!("duplicate source id '{}'", s.id),
            );
        }
    }

    // FX.
    let mut fx: HashSet<&str> = HashSet::new();
    for f in &r.fx {
        if !fx.insert(&f.currency) {
            cx.push(
                "fx.csv",
                f.line,
                format!("duplicate currency '{}'", f.currency),
            );
        }
        cx.src("fx.csv", f.line, "source", &f.source);
    }
    let check_price = |cx: &mut Ctx, file: &str, line: u64, price: &Option<Price>| {
        if let Some(pr) = price {
            if !fx.contains(pr.currency.as_str()) {
                cx.push(
                    file,
                    line,
                    format!(
                        "currency '{}' has no rate in fx.csv (add a row: currency,usd_per_unit,year,source)",
                        pr.currency
                    ),
                );
            }
        }
    };

    // Groups.
    let mut groups: HashMap<&str, &Group> = HashMap::new();
    for g in &r.groups {
        if groups.insert(&g.id, g).is_some() {
            cx.push(
                "groups.csv",
                g.line,
                format!("duplicate group id '{}'", g.id),
            );
        }
        if !is_country(&g.country) {
            cx.push(
                "groups.csv",
                g.line,
                format!("country '{}' is not an ISO 3166-1 alpha-2 code", g.country),
            );
        }
    }

    // Places.
    let mut places: HashMap<&str, &Place> = HashMap::new();
    let mut group_used: HashSet<&str> = HashSet::new();
    for pl in &r.places {
        if places.insert(&pl.id, pl).is_some() {
            cx.push(
                "places.csv",
                pl.line,
                format!("duplicate place id '{}'", pl.id),
            );
        }
        if !(-90.0..=90.0).contains(&pl.lat) {
            cx.push(
                "places.csv",
                pl.line,
                format!("lat {} is out of range -90..90", pl.lat),
            );
        }
        if !(-180.0..=180.0).contains(&pl.lon) {
            cx.push(
                "places.csv",
                pl.line,
                format!("lon {} is out of range -180..180", pl.lon),
            );
        }
        if !is_country(&pl.country) {
            cx.push(
                "places.csv",
                pl.line,
                format!("country '{}' is not an ISO 3166-1 alpha-2 code", pl.country),
            );
        }
        if let Some(g) = &pl.group {
            if groups.contains_key(g.as_str()) {
                group_used.insert(g);
            } else {
                cx.push(
                    "places.csv",
                    pl.line,
                    format!("group '{g}' is not an id in groups.csv"),
                );
            }
        }
        cx.src("places.csv", pl.line, "source", &pl.source);
    }
    for g in &r.groups {
        if !group_used.contains(g.id.as_str()) {
            cx.push(
                "groups.csv",
                g.line,
                format!("group '{}' has no places", g.id),
            );
        }
    }

    // Emission factors.
    let mut factors: HashMap<&str, &EmissionFactor> = HashMap::new();
    let mut defaults: HashMap<Mode, &EmissionFactor> = HashMap::new();
    for f in &r.emission_factors {
        if factors.insert(&f.id, f).is_some() {
            cx.push(
                "emission_factors.csv",
                f.line,
                format!("duplicate factor id '{}'", f.id),
            );
        }
        if let Some(m) = f.default_for {
            if let Some(prev) = defaults.insert(m, f) {
                cx.push(
                    "emission_factors.csv",
                    f.line,
                    format!(
                        "second default for {m} (line {} is already the default)",
                        prev.line
                    ),
                );
            }
        }
        cx.src("emission_factors.csv", f.line, "source", &f.source);
    }
    {
        let places: HashSet<&str> = r.places.iter().map(|p| p.id.as_str()).collect();
        // The origin place of a link id (`ID` or `ID~r` of a bidirectional link).
        let origin = |id: &str| -> Option<&str> {
            match id.strip_suffix("~r") {
                Some(base) => r
                    .links
                    .iter()
                    .find(|l| l.id == base && l.bidirectional)
                    .map(|l| l.to.as_str()),
                None => r.links.iter().find(|l| l.id == id).map(|l| l.from.as_str()),
            }
        };
        let link_ids = || r.links.iter().map(|l| l.id.as_str());
        for s in &r.services {
            match origin(&s.link) {
                None => cx.push(
                    "services.csv",
                    s.line,
                    format!(
                        "link '{}' is not a link id in links.csv (ID~r only for a bidirectional link){}",
                        s.link,
                        suggest_id(&s.link, link_ids())
                    ),
                ),
                Some(o) => {
                    if let Some(pl) = r.places.iter().find(|p| p.id == o) {
                        if pl.timezone.parse::<chrono_tz::Tz>().is_err() {
                            cx.push(
                                "services.csv",
                                s.line,
                                format!(
                                    "the origin {} of link '{}' has timezone '{}', not an IANA zone",
                                    pl.id, s.link, pl.timezone
                                ),
                            );
                        }
                    }
                }
            }
            cx.src("services.csv", s.line, "source", &s.source);
        }
        for c in &r.closures {
            if let Some(l) = &c.link {
                if origin(l).is_none() {
                    cx.push(
                        "closures.csv",
                        c.line,
                        format!(
                            "link '{l}' is not a link id in links.csv{}",
                            suggest_id(l, link_ids())
                        ),
                    );
                }
            }
            if let Some(p) = &c.place {
                if !places.contains(p.as_str()) {
                    cx.push(
                        "closures.csv",
                        c.line,
                        format!("place '{p}' is not a place id in places.csv"),
                    );
                }
            }
            cx.src("closures.csv", c.line, "source", &c.source);
        }
    }
    let grid: HashSet<&str> = r.grid_factors.iter().map(|g| g.country.as_str()).collect();
    {
        let mut seen: HashSet<&str> = HashSet::new();
        for g in &r.grid_factors {
            if !seen.insert(&g.country) {
                cx.push(
                    "grid_factors.csv",
                    g.line,
                    format!("second row for country {}", g.country),
                );
            }
            cx.src("grid_factors.csv", g.line, "source", &g.source);
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for h in &r.hub_factors {
            if !seen.insert(&h.id) {
                cx.push(
                    "hub_factors.csv",
                    h.line,
                    format!("duplicate hub factor id '{}'", h.id),
                );
            }
            cx.src("hub_factors.csv", h.line, "source", &h.source);
        }
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        for pf in &r.pollutant_factors {
            if !factors.contains_key(pf.factor.as_str()) {
                let hint = suggest_id(&pf.factor, r.emission_factors.iter().map(|f| f.id.as_str()));
                cx.push(
                    "pollutant_factors.csv",
                    pf.line,
                    format!(
                        "factor '{}' is not an id in emission_factors.csv{hint}",
                        pf.factor
                    ),
                );
            }
            if !seen.insert((&pf.factor, &pf.pollutant)) {
                cx.push(
                    "pollutant_factors.csv",
                    pf.line,
                    format!("second {} row for factor {}", pf.pollutant, pf.factor),
                );
            }
            cx.src("pollutant_factors.csv", pf.line, "source", &pf.source);
        }
    }

    // Links.
    let mut link_ids: HashSet<String> = HashSet::new();
    let mut connected: HashSet<&str> = HashSet::new();
    for l in &r.links {
        let file = "links.csv";
        let mut ids = vec![l.id.clone()];
        if l.bidirectional {
            ids.push(format!("{}~r", l.id));
        }
        for id in ids {
            if !link_ids.insert(id.clone()) {
                cx.push(file, l.line, format!("duplicate link id '{id}'"));
            }
        }
        for (col, id) in [
            ("distance_source", Some(&l.distance_source)),
            ("time_source", l.time_source.as_ref()),
            ("wait_source", l.wait_source.as_ref()),
            ("dwell_source", l.dwell_source.as_ref()),
            ("cost_source", l.cost_source.as_ref()),
            ("capacity_source", l.capacity_source.as_ref()),
            ("source", Some(&l.source)),
        ] {
            if let Some(id) = id {
                cx.src(file, l.line, col, id);
            }
        }
        check_price(&mut cx, file, l.line, &l.price);
        let from = places.get(l.from.as_str());
        let to = places.get(l.to.as_str());
        for (col, id, pl) in [("from", &l.from, from), ("to", &l.to, to)] {
            if pl.is_none() {
                let hint = suggest_id(id, r.places.iter().map(|p| p.id.as_str()));
                cx.push(
                    file,
                    l.line,
                    format!("{col} '{id}' is not a place in places.csv{hint}"),
                );
            }
        }
        if l.from == l.to {
            cx.push(
                file,
                l.line,
                format!("link goes from '{}' to itself", l.from),
            );
        }
        if let Some(ef) = &l.emission_factor {
            match factors.get(ef.as_str()) {
                None => cx.push(
                    file,
                    l.line,
                    format!("emission_factor '{ef}' is not an id in emission_factors.csv"),
                ),
                Some(f) if f.mode != l.mode => cx.push(
                    file,
                    l.line,
                    format!(
                        "emission_factor '{ef}' is for {} but the link is {}",
                        f.mode, l.mode
                    ),
                ),
                _ => {}
            }
        }
        // Electric factors take the grid factor of every land country the link runs in.
        let factor = match &l.emission_factor {
            Some(ef) => factors.get(ef.as_str()).copied(),
            None => defaults.get(&l.mode).copied(),
        };
        if let (Some(f), Some(a), Some(b)) = (factor, from, to) {
            if f.kwh.is_some() {
                let mut cs: Vec<&str> = vec![a.country.as_str(), b.country.as_str()];
                cs.extend(l.countries.iter().map(String::as_str));
                for c in cs {
                    if !grid.contains(c) {
                        cx.push(
                            file,
                            l.line,
                            format!(
                                "emission factor '{}' is electric (kwh) but grid_factors.csv has no row for {c}",
                                f.id
                            ),
                        );
                    }
                }
            }
        }
        if l.emission_factor.is_none() && !defaults.contains_key(&l.mode) {
            cx.push(
                file,
                l.line,
                format!(
                    "no emission_factor and emission_factors.csv has no default_for {}",
                    l.mode
                ),
            );
        }
        for c in &l.countries {
            if !is_country(c) {
                cx.push(
                    file,
                    l.line,
                    format!("countries '{c}' is not an ISO 3166-1 alpha-2 code"),
                );
            }
        }
        for ps in &l.passages {
            if !PASSAGES.contains(&ps.as_str()) {
                cx.push(
                    file,
                    l.line,
                    format!("passage '{ps}' is unknown (known: {})", PASSAGES.join(", ")),
                );
            }
        }
        for (i, (lat, lon)) in l.waypoints.iter().enumerate() {
            if !(-90.0..=90.0).contains(lat) || !(-180.0..=180.0).contains(lon) {
                cx.push(
                    file,
                    l.line,
                    format!("waypoint {} ({lat} {lon}) is out of range", i + 1),
                );
            }
        }
        match l.mode {
            Mode::Border => {
                if l.carries
                    .iter()
                    .any(|c| !matches!(c, Carries::Truck | Carries::Wagon))
                {
                    cx.push(
                        file,
                        l.line,
                        "a border link carries truck and/or wagon".into(),
                    );
                }
                if l.dwell_h.is_none() {
                    cx.push(
                        file,
                        l.line,
                        "a border link needs dwell_h (processing and queue time) with dwell_source"
                            .into(),
                    );
                }
            }
            Mode::Ferry => {
                if l.carries
                    .iter()
                    .any(|c| !matches!(c, Carries::Truck | Carries::Wagon | Carries::Box))
                {
                    cx.push(
                        file,
                        l.line,
                        "a ferry carries truck, wagon and/or box".into(),
                    );
                }
            }
            m => {
                if let Some(c) = Carries::implied(m) {
                    if l.carries != [c] {
                        cx.push(
                            file,
                            l.line,
                            format!("a {m} link carries {} only", c.as_str()),
                        );
                    }
                }
            }
        }
        if l.mode != Mode::Rail && l.gauge_mm.is_some() {
            cx.push(file, l.line, "gauge_mm is only for rail links".into());
        }
        if let (Some(a), Some(b)) = (from, to) {
            connected.insert(&a.id);
            connected.insert(&b.id);
            if let (Mode::Rail, Some(g)) = (l.mode, l.gauge_mm) {
                for end in [a, b] {
                    if !end.gauges_mm.contains(&g) {
                        cx.push(
                            file,
                            l.line,
                            format!(
                                "rail gauge {g} mm but place '{}' (places.csv:{}) lists gauge_mm {:?}",
                                end.id, end.line, end.gauges_mm
                            ),
                        );
                    }
                }
            }
            if l.mode == Mode::Border {
                if a.country == b.country {
                    cx.push(
                        file,
                        l.line,
                        format!(
                            "border link joins two places in {} ('{}', '{}'); a border link joins the two sides of a border",
                            a.country, a.id, b.id
                        ),
                    );
                }
            } else {
                let coords_ok = |p: &Place| {
                    (-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon)
                };
                if matches!(l.mode, Mode::Road | Mode::Rail) && a.country != b.country {
                    cx.push(
                        file,
                        l.line,
                        format!(
                            "{} link crosses from {} to {} without a border link: split it at the two border posts",
                            l.mode, a.country, b.country
                        ),
                    );
                }
                let mut gc = 0.0;
                let mut prev = (a.lat, a.lon);
                for &(lat, lon) in l.waypoints.iter().chain([(b.lat, b.lon)].iter()) {
                    gc += great_circle_km(prev.0, prev.1, lat, lon);
                    prev = (lat, lon);
                }
                let direct = great_circle_km(a.lat, a.lon, b.lat, b.lon);
                let (bound, what) = if l.waypoints.is_empty() {
                    (direct, "the great-circle distance")
                } else {
                    (gc, "the great-circle path through its waypoints")
                };
                if coords_ok(a) && coords_ok(b) && l.distance_km + GC_SLACK_KM < bound {
                    cx.push(
                        file,
                        l.line,
                        format!(
                            "distance_km {:.0} is below {what} between '{}' and '{}' ({:.0} km)",
                            l.distance_km, a.id, b.id, bound
                        ),
                    );
                }
            }
        }
        if l.mode != Mode::Border && l.distance_km <= 0.0 {
            cx.push(file, l.line, "distance_km must be > 0".into());
        }
    }

    // Transfers.
    for t in &r.transfers {
        let file = "transfers.csv";
        if let Some(pl) = &t.place {
            if !places.contains_key(pl.as_str()) {
                let hint = suggest_id(pl, r.places.iter().map(|p| p.id.as_str()));
                cx.push(
                    file,
                    t.line,
                    format!("place '{pl}' is not a place in places.csv{hint}"),
                );
            }
        }
        if t.from == t.to {
            cx.push(
                file,
                t.line,
                "from_carrier equals to_carrier: nothing is transferred".into(),
            );
        }
        if t.kind.is_gauge_change()
            && !(t.from.carries == Carries::Wagon && t.to.carries == Carries::Wagon)
        {
            cx.push(
                file,
                t.line,
                "a gauge change goes from wagon:GAUGE to wagon:GAUGE".into(),
            );
        }
        cx.src(file, t.line, "source", &t.source);
        check_price(&mut cx, file, t.line, &t.price);
    }

    // Connectivity.
    for pl in &r.places {
        if !connected.contains(pl.id.as_str()) {
            cx.push(
                "places.csv",
                pl.line,
                format!("place '{}' has no links: nothing connects to it", pl.id),
            );
        }
    }

    constraints::validate(r, &mut cx);
    // link_geometry.csv (derived): its own checks; its sources count as used.
    for g in &r.link_geometry {
        cx.used.insert(g.source.as_str());
    }
    cx.p.extend(geometry::validate(r));

    // Unused sources are worth flagging: a source list that drifts from the data hides errors.
    for s in &r.sources {
        if !cx.used.contains(s.id.as_str()) {
            cx.push(
                "sources.csv",
                s.line,
                format!("source '{}' is not used by any figure", s.id),
            );
        }
    }
    cx.p.sort();
    cx.p
}

#[derive(Default)]
pub(crate) struct Ctx<'a> {
    p: Vec<Problem>,
    sources: HashSet<&'a str>,
    used: HashSet<&'a str>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn push(&mut self, file: &str, line: u64, message: String) {
        self.p.push(Problem {
            file: file.into(),
            line,
            message,
        });
    }
    pub(crate) fn src(&mut self, file: &str, line: u64, col: &str, id: &'a str) {
        if id.is_empty() {
            return;
        }
        if self.sources.contains(id) {
            self.used.insert(id);
        } else {
            self.push(
                file,
                line,
                format!("{col} '{id}' is not an id in sources.csv"),
            );
        }
    }
}
