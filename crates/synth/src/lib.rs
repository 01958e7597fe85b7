//! # corridor-synth: seeded, corridor-like synthetic networks
//!
//! Writes a complete corridor data folder (`places.csv`, `links.csv`, `transfers.csv`, …) of
//! any size from a seed, so that the real loader, validator, network build and engine can be
//! measured and tested on networks far larger than the embedded one (issue 6). Nothing here is
//! a real place: countries use the ISO 3166 user-assigned codes `XA`–`XZ` and `QM`–`QZ`.
//!
//! The layout imitates the Eurasian corridors:
//!
//! - a west–east band of countries, three rows (north, middle, south) of up to 13 columns
//!   (`1 × 3` for tiny networks); the east and west ends have sea ports, linked by ocean lanes
//!   through `suez` (cheap, slow, low CO2e per TEU-km);
//! - each country is a jittered grid of places joined by roads; every third grid row is a rail
//!   line of the country's gauge (1435 mm at both ends, 1520 mm in the middle half) and one
//!   north–south rail spine joins them;
//! - neighbouring countries meet at border-post pairs (one post per side, `border` links per
//!   direction and carrier with their own dwell and fee): rail and road crossings on the rail
//!   rows, road-only crossings between them; where the gauges differ the 1520 mm post is dual
//!   gauge with a gauge transshipment rule;
//! - in the middle row a "Caspian" sea separates two columns: truck and wagon ferries with
//!   three departures a week and long, uncertain port dwells; the north and south rows go round;
//! - airports in every other country, with air links between all of them (fast and dear).
//!
//! Figures (speeds, prices, dwells) are drawn per country, crossing and link from ranges set
//! around the embedded network's, each with a `sources.csv` row whose `estimate:` note says how;
//! emission factors are the embedded GLEC v3.1 defaults with their original source. The same
//! [`SynthConfig`] always gives byte-identical files, hence the same dataset hash.
//!
//! ```
//! let cfg = corridor_synth::SynthConfig { places: 300, seed: 1 };
//! let ds = corridor_synth::dataset(&cfg).unwrap();
//! assert_eq!(ds.places.len(), 300);
//! ```
#![deny(missing_docs)]

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use corridor_data::validate::great_circle_km;
use corridor_data::{DataError, Dataset, RawFiles, REQUIRED_FILES};

/// Fewest places a synthetic network can have (three countries with their border posts,
/// ports and airports).
pub const MIN_PLACES: usize = 12;
/// Most places (the network's transfer table and the search states stay within bounds).
pub const MAX_PLACES: usize = 1_000_000;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthConfig {
    /// Number of places, exactly.
    pub places: usize,
    /// Seed of the generator; the same seed gives the same files.
    pub seed: u64,
}

/// Why no network was generated.
#[derive(Debug)]
pub enum SynthError {
    /// The place count is outside [`MIN_PLACES`]..=[`MAX_PLACES`].
    Size(usize),
    /// The generated files did not pass the validator (a bug in the generator).
    Data(DataError),
    /// A file could not be written.
    Io(std::path::PathBuf, std::io::Error),
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SynthError::Size(n) => write!(
                f,
                "--places {n} is out of range: a synthetic network has {MIN_PLACES} to {MAX_PLACES} places"
            ),
            SynthError::Data(e) => write!(f, "the generated network is invalid (a generator bug): {e}"),
            SynthError::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for SynthError {}

/// The generated data folder as file texts (the input of [`Dataset::from_raw`]).
pub fn files(cfg: &SynthConfig) -> Result<RawFiles, SynthError> {
    if !(MIN_PLACES..=MAX_PLACES).contains(&cfg.places) {
        return Err(SynthError::Size(cfg.places));
    }
    let g = Gen::build(cfg).ok_or(SynthError::Size(cfg.places))?;
    Ok(g.into_files(cfg))
}

/// Generates the network and runs the real loader and validator on it.
pub fn dataset(cfg: &SynthConfig) -> Result<Dataset, SynthError> {
    Dataset::from_raw(&files(cfg)?).map_err(SynthError::Data)
}

/// Writes the data folder to `dir` (created if missing) after checking it, so that
/// `corridor validate DIR` and `corridor --data DIR route …` work on it.
pub fn write_dir(cfg: &SynthConfig, dir: &Path) -> Result<Dataset, SynthError> {
    let raw = files(cfg)?;
    let ds = Dataset::from_raw(&raw).map_err(SynthError::Data)?;
    std::fs::create_dir_all(dir).map_err(|e| SynthError::Io(dir.to_path_buf(), e))?;
    for name in REQUIRED_FILES {
        let path = dir.join(name);
        let text = raw.files.get(name).map(String::as_str).unwrap_or("");
        std::fs::write(&path, text).map_err(|e| SynthError::Io(path, e))?;
    }
    Ok(ds)
}

/// `count` seeded origin–destination place ids for benchmarks: origins among the easternmost
/// tenth of the places (by longitude), destinations among the westernmost tenth, terminals
/// and road hubs only (the "China → Europe" queries of the corridors).
pub fn od_pairs(ds: &Dataset, count: usize, seed: u64) -> Vec<(String, String)> {
    use corridor_data::PlaceKind;
    let mut idx: Vec<usize> = (0..ds.places.len())
        .filter(|&i| {
            matches!(
                ds.places[i].kind,
                PlaceKind::RailTerminal | PlaceKind::RoadHub
            )
        })
        .collect();
    idx.sort_by(|&a, &b| {
        ds.places[a]
            .lon
            .total_cmp(&ds.places[b].lon)
            .then(a.cmp(&b))
    });
    let tenth = (idx.len() / 10).max(1);
    let west = &idx[..tenth];
    let east = &idx[idx.len() - tenth..];
    let mut rng = Rng::new(seed ^ 0x0D0D_0D0D);
    (0..count)
        .map(|_| {
            let o = east[rng.below(east.len())];
            let d = west[rng.below(west.len())];
            (ds.places[o].id.clone(), ds.places[d].id.clone())
        })
        .collect()
}

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_C0FF_EE00_0000)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * u
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Rounds to `d` decimals (the precision the files are written with).
fn round(x: f64, d: i32) -> f64 {
    let m = 10f64.powi(d);
    (x * m).round() / m
}

/// Rounds up to one decimal (a distance never falls below the great circle it is made from).
fn up1(x: f64) -> f64 {
    (x * 10.0).ceil() / 10.0
}

/// A number as written: at most `d` decimals, no trailing zeros.
fn num(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Country codes: ISO 3166-1 user-assigned ranges, never a real country.
fn country_code(i: usize) -> String {
    const Q: [u8; 14] = *b"MNOPQRSTUVWXYZ";
    if i < 26 {
        format!("X{}", (b'A' + i as u8) as char)
    } else {
        format!("Q{}", Q[i - 26] as char)
    }
}

struct Country {
    code: String,
    col: usize,
    row: usize,
    gauge: u16,
    west: f64,
    east: f64,
    north: f64,
    south: f64,
    tz: String,
    /// Index of the first grid cell in `Gen::places`; cells are column-major, `gy` per column.
    first: usize,
    cells: usize,
    road_kmh: f64,
    road_usd_km: f64,
    rail_kmh: f64,
    rail_usd_km: f64,
}

struct Place {
    id: String,
    name: String,
    country: usize,
    lat: f64,
    lon: f64,
    kind: &'static str,
    gauges: &'static str,
}

/// A (typical, low, high) triple.
type R3 = (f64, f64, f64);

#[derive(Default)]
struct Link {
    id: String,
    from: usize,
    to: usize,
    mode: &'static str,
    carries: &'static str,
    gauge: Option<u16>,
    bidirectional: bool,
    km: f64,
    speed: Option<R3>,
    moving: Option<R3>,
    source: &'static str,
    departures: Option<f64>,
    dwell: Option<R3>,
    cost_fixed: Option<f64>,
    cost_per_km: Option<f64>,
    cost_unit: &'static str,
    passages: &'static str,
    waypoints: Vec<(f64, f64)>,
    note: String,
}

const LINK_HEADER: &str = "id,from,to,mode,carries,gauge_mm,bidirectional,status,distance_km,distance_source,speed_kmh,speed_kmh_low,speed_kmh_high,moving_h,moving_h_low,moving_h_high,time_source,departures_per_week,wait_source,dwell_h,dwell_h_low,dwell_h_high,dwell_source,cost_fixed,cost_per_km,cost_unit,currency,price_year,cost_source,passages,waypoints,source,note\n";

/// One source per family of figures; every row is used by every network size.
const SOURCES: [(&str, &str, &str); 8] = [
    (
        "SRC-SYN-GEO",
        "Synthetic corridor geography",
        "estimate: synthetic benchmark network (corridor-synth), not real places: a west-east band of countries with ISO 3166 user-assigned codes (XA-XZ, QM-QZ), each a jittered grid of places drawn from the seed; border posts 0.02 deg either side of the border line",
    ),
    (
        "SRC-SYN-DIST",
        "Synthetic distances",
        "estimate: great-circle distance between the end places (through the waypoints for sea lanes) x a detour factor drawn per link (road 1.15-1.40, rail 1.10-1.35, ferry 1.10, sea 1.05), rounded up to 0.1 km; air = great circle + 95 km (GLEC daf_km)",
    ),
    (
        "SRC-SYN-ROAD",
        "Synthetic road figures",
        "estimate: per country a commercial truck speed of 35-55 km/h (slowest 0.6x, fastest 1.3x) and a line haul of 1.2-1.8 USD per truck-km, around the embedded network's road links (data/default/links.csv)",
    ),
    (
        "SRC-SYN-RAIL",
        "Synthetic rail figures",
        "estimate: per country a container-train speed of 30-45 km/h (slowest 0.7x, fastest 1.25x) and 0.45-0.9 USD per FEU-km, around the embedded network's rail links; train waits are in the truck-to-wagon lift dwell as in the embedded transfers.csv",
    ),
    (
        "SRC-SYN-BORDER",
        "Synthetic border crossings",
        "estimate: per crossing and direction a dwell of 4-30 h by road and 8-36 h by rail (low 0.2-0.4x, high 2.5-6x: queues) and a fee of 150-700 USD per truck or wagon, the spread of the CAREC CPMM figures in the embedded network",
    ),
    (
        "SRC-SYN-SEA",
        "Synthetic sea and ferry services",
        "estimate: ocean lanes at 26-32 km/h with 1-2 departures a week, 12-72 h port stay, 600-1000 USD per FEU + 0.04-0.07 USD per FEU-km; Caspian-like ferries 18-26 h moving, 3 departures a week, 12-36 h dwell (high 120-240 h: weather, queues), 700-1200 USD per truck or wagon",
    ),
    (
        "SRC-SYN-AIR",
        "Synthetic air freight",
        "estimate: freighter block speed 600-750 km/h, 5 departures a week, 0.8-1.2 USD per kg + 0.0003-0.0005 USD per kg-km",
    ),
    (
        "SRC-SYN-TRANSFER",
        "Synthetic transfers",
        "estimate: lifts, port handling and air handling as the embedded network's default transfers.csv rows (truck-to-wagon 24 h incl. the wait for a train, USD 80 per box; port THC USD 290 per TEU; air 6 h, USD 0.1 per kg); gauge transshipment 2-12 h (high 24-48 h), USD 329 per box (the CAREC CPMM Dostyk charge)",
    ),
];

/// The embedded emission factors that are defaults for the modes the generator uses.
const FACTOR_MODES: [&str; 6] = ["road", "rail", "sea", "ferry", "air", "border"];

struct Gen {
    rng: Rng,
    countries: Vec<Country>,
    places: Vec<Place>,
    links: String,
    n_links: usize,
    transfers: String,
    gy: usize,
}

/// How the countries and the grid are laid out for a place count.
struct Shape {
    cols: usize,
    rows: usize,
    gy: usize,
    /// Grid rows with a rail line.
    rail_rows: Vec<usize>,
    /// Grid rows with a road-only crossing.
    road_rows: Vec<usize>,
    /// Grid columns of road-only north-south crossings (the rail crossing is at the spine).
    ns_road_cols: Vec<usize>,
    /// Rows of the Caspian ferry lines.
    ferry_rows: Vec<usize>,
    /// Rows with a sea port on the west and east coasts.
    port_rows: Vec<usize>,
}

impl Shape {
    fn new(n: usize, cells_per_country: usize) -> Shape {
        let (cols, rows) = if n < 300 {
            (3, 1)
        } else {
            (((n as f64 / 60.0).sqrt().round() as usize).clamp(4, 13), 3)
        };
        let cpc = cells_per_country.max(1);
        let gy = ((cpc as f64).sqrt().round() as usize).max(1);
        let gx = cpc.div_ceil(gy);
        let rail_rows: Vec<usize> = if gy < 3 {
            vec![gy / 2]
        } else {
            (0..gy).filter(|j| j % 3 == 1).collect()
        };
        let road_rows: Vec<usize> = (0..gy).filter(|j| j % 6 == 3).collect();
        let spine = gx / 2;
        let ns_road_cols: Vec<usize> = (0..gx.saturating_sub(1))
            .filter(|&i| i % 4 == 2 && i != spine)
            .collect();
        let mut ferry_rows = vec![rail_rows[0]];
        if let Some(&last) = rail_rows.last() {
            if last != rail_rows[0] {
                ferry_rows.push(last);
            }
        }
        let port_rows = if gy >= 12 {
            ferry_rows.clone()
        } else {
            vec![rail_rows[rail_rows.len() / 2]]
        };
        Shape {
            cols,
            rows,
            gy,
            rail_rows,
            road_rows,
            ns_road_cols,
            ferry_rows,
            port_rows,
        }
    }

    /// The Caspian: between columns `cm - 1` and `cm` of the middle row.
    fn caspian(&self) -> (usize, usize) {
        (self.rows / 2, self.cols.div_ceil(2))
    }

    fn gauge(&self, col: usize) -> u16 {
        if 4 * col >= self.cols && 4 * col < 3 * self.cols {
            1520
        } else {
            1435
        }
    }

    /// Places that are not grid cells: border posts, ports, airports.
    fn specials(&self) -> usize {
        let mut n = 0;
        // East-west crossings (none across the Caspian), two posts each.
        let ew = self.rows * (self.cols - 1) - 1;
        n += ew * 2 * (self.rail_rows.len() + self.road_rows.len());
        // North-south crossings: the rail spine and the road-only columns.
        n += (self.rows - 1) * self.cols * 2 * (1 + self.ns_road_cols.len());
        // Caspian ferry ports, two per line.
        n += 2 * self.ferry_rows.len();
        // West and east coast ports.
        n += 2 * self.rows * self.port_rows.len();
        // South coast ports (three-row layouts), one per third column.
        if self.rows == 3 {
            n += (0..self.cols).filter(|c| c % 3 == 1).count();
        }
        // Airports in every other country.
        n += (0..self.rows * self.cols)
            .filter(|k| (k / self.cols + k % self.cols).is_multiple_of(2))
            .count();
        n
    }
}

impl Gen {
    fn build(cfg: &SynthConfig) -> Option<Gen> {
        let n = cfg.places;
        // The specials depend on the grid, the grid on what the specials leave: settle it.
        let k0 = if n < 300 {
            3
        } else {
            Shape::new(n, 1).cols * 3
        };
        let mut cpc = n / k0;
        let mut shape = Shape::new(n, cpc);
        for _ in 0..16 {
            let k = shape.cols * shape.rows;
            let next = n.checked_sub(shape.specials())? / k;
            if next == cpc {
                break;
            }
            cpc = next;
            shape = Shape::new(n, cpc);
        }
        let k = shape.cols * shape.rows;
        let cells_total = n.checked_sub(shape.specials())?;
        if cells_total < k {
            return None;
        }
        let mut g = Gen {
            rng: Rng::new(cfg.seed),
            countries: Vec::new(),
            places: Vec::with_capacity(n),
            links: String::from(LINK_HEADER),
            n_links: 0,
            transfers: String::from(TRANSFER_HEADER),
            gy: shape.gy,
        };
        g.countries_and_cells(&shape, cells_total);
        g.grid_links(&shape);
        g.borders(&shape);
        g.caspian(&shape);
        g.ports(&shape);
        g.airports(&shape);
        (g.places.len() == n).then_some(g)
    }

    fn countries_and_cells(&mut self, s: &Shape, cells_total: usize) {
        let k = s.cols * s.rows;
        let (lon0, lon1) = (5.0, 125.0);
        let (lat1, lat0) = if s.rows == 3 {
            (54.0, 36.0)
        } else {
            (46.0, 40.0)
        };
        let w = (lon1 - lon0) / s.cols as f64;
        let h = (lat1 - lat0) / s.rows as f64;
        let (rm, cm) = s.caspian();
        for ci in 0..k {
            let (row, col) = (ci / s.cols, ci % s.cols);
            let mut west = lon0 + col as f64 * w;
            let mut east = west + w;
            // The Caspian sea: 4 degrees of water between the two middle-row columns.
            if row == rm && col + 1 == cm {
                east -= 2.0;
            }
            if row == rm && col == cm {
                west += 2.0;
            }
            let north = lat1 - row as f64 * h;
            let cells = cells_total / k + usize::from(ci < cells_total % k);
            let centre_lon = (west + east) / 2.0;
            let tz_h = (centre_lon / 15.0).round() as i32;
            let tz = if tz_h == 0 {
                "Etc/GMT".to_string()
            } else {
                format!("Etc/GMT-{tz_h}")
            };
            let road_kmh = self.rng.range(35.0, 55.0);
            let road_usd_km = self.rng.range(1.2, 1.8);
            let rail_kmh = self.rng.range(30.0, 45.0);
            let rail_usd_km = self.rng.range(0.45, 0.9);
            let c = Country {
                code: country_code(ci),
                col,
                row,
                gauge: s.gauge(col),
                west,
                east,
                north,
                south: north - h,
                tz,
                first: self.places.len(),
                cells,
                road_kmh,
                road_usd_km,
                rail_kmh,
                rail_usd_km,
            };
            let gy = s.gy;
            let gx = cells.div_ceil(gy);
            let spine = gx / 2;
            let (cw, ch) = (
                (c.east - c.west) / gx as f64,
                (c.north - c.south) / gy as f64,
            );
            for cell in 0..cells {
                let (i, j) = (cell / gy, cell % gy);
                let lon = c.west + cw * (i as f64 + 0.5 + self.rng.range(-0.3, 0.3));
                let lat = c.north - ch * (j as f64 + 0.5 + self.rng.range(-0.3, 0.3));
                let rail = s.rail_rows.contains(&j) || i == spine;
                let (kind, gauges) = if rail {
                    ("rail_terminal", gauge_str(c.gauge))
                } else {
                    ("road_hub", "")
                };
                self.places.push(Place {
                    id: format!("{}-c{i}-{j}", c.code),
                    name: format!("Synthetic {} {} {i}-{j}", c.code, kind.replace('_', " ")),
                    country: ci,
                    lat: round(lat, 4),
                    lon: round(lon, 4),
                    kind,
                    gauges,
                });
            }
            self.countries.push(c);
        }
    }

    /// Place index of cell (i, j) of a country, if it exists.
    fn cell(&self, ci: usize, i: usize, j: usize) -> Option<usize> {
        let c = &self.countries[ci];
        let k = i * self.gy + j;
        (j < self.gy && k < c.cells).then_some(c.first + k)
    }

    fn gx(&self, ci: usize) -> usize {
        self.countries[ci].cells.div_ceil(self.gy)
    }

    fn is_rail(&self, p: usize) -> bool {
        !self.places[p].gauges.is_empty()
    }

    /// The easternmost cell of row `j` (the last column may be short).
    fn east_cell(&self, ci: usize, j: usize) -> usize {
        let gx = self.gx(ci);
        (0..gx)
            .rev()
            .find_map(|i| self.cell(ci, i, j))
            .unwrap_or(self.countries[ci].first)
    }

    /// The westernmost cell of row `j`.
    fn west_cell(&self, ci: usize, j: usize) -> usize {
        self.cell(ci, 0, j.min(self.countries[ci].cells - 1))
            .unwrap_or(self.countries[ci].first)
    }

    /// The lowest existing cell of column `i` (clamped to the country's columns).
    fn bottom_cell(&self, ci: usize, i: usize) -> usize {
        let i = i.min(self.gx(ci) - 1);
        (0..self.gy)
            .rev()
            .find_map(|j| self.cell(ci, i, j))
            .unwrap_or(self.countries[ci].first)
    }

    fn top_cell(&self, ci: usize, i: usize) -> usize {
        let i = i.min(self.gx(ci) - 1);
        self.cell(ci, i, 0).unwrap_or(self.countries[ci].first)
    }

    fn add_place(
        &mut self,
        ci: usize,
        id: String,
        kind: &'static str,
        gauges: &'static str,
        lat: f64,
        lon: f64,
    ) -> usize {
        let c = &self.countries[ci];
        let name = format!("Synthetic {} {}", c.code, id.replace('-', " "));
        self.places.push(Place {
            id,
            name,
            country: ci,
            lat: round(lat, 4),
            lon: round(lon, 4),
            kind,
            gauges,
        });
        self.places.len() - 1
    }

    fn gc(&self, a: usize, b: usize) -> f64 {
        let (pa, pb) = (&self.places[a], &self.places[b]);
        great_circle_km(pa.lat, pa.lon, pb.lat, pb.lon)
    }

    fn road(&mut self, a: usize, b: usize) {
        self.land(a, b, false);
    }

    fn rail(&mut self, a: usize, b: usize) {
        self.land(a, b, true);
    }

    /// A road or rail link inside a country, at the country's speed and price.
    fn land(&mut self, a: usize, b: usize, rail: bool) {
        let c = &self.countries[self.places[a].country];
        let (mode, v, usd, slow, fast, unit, source, gauge, detour) = if rail {
            let g = Some(c.gauge);
            (
                "rail",
                c.rail_kmh,
                c.rail_usd_km,
                0.7,
                1.25,
                "feu",
                "SRC-SYN-RAIL",
                g,
                (1.1, 1.35),
            )
        } else {
            (
                "road",
                c.road_kmh,
                c.road_usd_km,
                0.6,
                1.3,
                "truck",
                "SRC-SYN-ROAD",
                None,
                (1.15, 1.4),
            )
        };
        let f = self.rng.range(detour.0, detour.1);
        let gc = self.gc(a, b);
        let prefix = if rail { "RL" } else { "RD" };
        let l = Link {
            id: format!("{prefix}-{}--{}", self.places[a].id, self.places[b].id),
            from: a,
            to: b,
            mode,
            gauge,
            bidirectional: true,
            km: up1(gc * f),
            speed: Some((v, v * slow, v * fast)),
            source,
            cost_per_km: Some(usd),
            cost_unit: unit,
            note: format!("distance = great-circle {gc:.1} km x {f:.2}"),
            ..Link::default()
        };
        self.link(l);
    }

    /// Roads along every grid edge; rail along the rail rows and the spine.
    fn grid_links(&mut self, s: &Shape) {
        for ci in 0..self.countries.len() {
            let gx = self.gx(ci);
            let spine = gx / 2;
            for i in 0..gx {
                for j in 0..s.gy {
                    let Some(a) = self.cell(ci, i, j) else {
                        continue;
                    };
                    if let Some(b) = self.cell(ci, i + 1, j) {
                        self.road(a, b);
                        if s.rail_rows.contains(&j) {
                            self.rail(a, b);
                        }
                    }
                    if let Some(b) = self.cell(ci, i, j + 1) {
                        self.road(a, b);
                        if i == spine {
                            self.rail(a, b);
                        }
                    }
                }
            }
        }
    }

    /// One crossing: a post on each side joined to its cell, `border` links per direction
    /// (and per carrier where rail crosses too), a gauge change where the gauges differ.
    #[allow(clippy::too_many_arguments)]
    fn crossing(
        &mut self,
        ca: usize,
        cell_a: usize,
        pos_a: (f64, f64),
        cb: usize,
        cell_b: usize,
        pos_b: (f64, f64),
        rail: bool,
    ) {
        let (ga, gb) = (self.countries[ca].gauge, self.countries[cb].gauge);
        let rail = rail && self.is_rail(cell_a) && self.is_rail(cell_b);
        let n = self.places.len();
        let mut posts = [0usize; 2];
        for (k, (ci, (lat, lon), other)) in
            [(ca, pos_a, cb), (cb, pos_b, ca)].into_iter().enumerate()
        {
            let own = self.countries[ci].gauge;
            let dual = rail && ga != gb && own == 1520;
            let gauges = match (rail, dual) {
                (false, _) => "",
                (true, true) => "1435|1520",
                (true, false) => gauge_str(own),
            };
            let id = format!(
                "{}-bp{}-{}",
                self.countries[ci].code,
                n + k,
                self.countries[other].code
            );
            posts[k] = self.add_place(ci, id, "border_post", gauges, lat, lon);
        }
        for (post, cell) in [(posts[0], cell_a), (posts[1], cell_b)] {
            self.road(cell, post);
            if rail {
                self.rail(cell, post);
            }
        }
        let km = up1(self.gc(posts[0], posts[1]).max(0.1));
        let carriers: &[(&'static str, f64, f64)] = if rail {
            &[("truck", 4.0, 30.0), ("wagon", 8.0, 36.0)]
        } else {
            &[("truck", 4.0, 30.0)]
        };
        for &(carries, lo, hi) in carriers {
            for (a, b) in [(posts[0], posts[1]), (posts[1], posts[0])] {
                let t = self.rng.range(lo, hi);
                let low = t * self.rng.range(0.2, 0.4);
                let high = t * self.rng.range(2.5, 6.0);
                let fee = self.rng.range(150.0, 700.0);
                let l = Link {
                    id: format!("BD-{}--{}-{carries}", self.places[a].id, self.places[b].id),
                    from: a,
                    to: b,
                    mode: "border",
                    carries,
                    km,
                    source: "SRC-SYN-BORDER",
                    dwell: Some((t, low, high)),
                    cost_fixed: Some(fee),
                    cost_unit: carries,
                    ..Link::default()
                };
                self.link(l);
            }
        }
        if rail && ga != gb {
            let dual = if ga == 1520 { posts[0] } else { posts[1] };
            let t = self.rng.range(2.0, 12.0);
            let (low, high) = (t * 0.4, self.rng.range(24.0, 48.0));
            for (from, to) in [("1435", "1520"), ("1520", "1435")] {
                self.transfers.push_str(&format!(
                    "{},,wagon:{from},wagon:{to},gauge_transshipment,{},{},{},329,box,USD,2020,SRC-SYN-TRANSFER\n",
                    self.places[dual].id,
                    num(t, 2),
                    num(low, 2),
                    num(high, 2)
                ));
            }
        }
    }

    fn borders(&mut self, s: &Shape) {
        let (rm, cm) = s.caspian();
        for row in 0..s.rows {
            for col in 0..s.cols - 1 {
                if row == rm && col + 1 == cm {
                    continue; // the Caspian: ferries, no land border
                }
                let (ca, cb) = (row * s.cols + col, row * s.cols + col + 1);
                let line = self.countries[ca].east;
                let rows: Vec<(usize, bool)> = s
                    .rail_rows
                    .iter()
                    .map(|&j| (j, true))
                    .chain(s.road_rows.iter().map(|&j| (j, false)))
                    .collect();
                for (j, rail) in rows {
                    let a = self.east_cell(ca, j);
                    let b = self.west_cell(cb, j);
                    let lat = (self.places[a].lat + self.places[b].lat) / 2.0;
                    self.crossing(ca, a, (lat, line - 0.02), cb, b, (lat, line + 0.02), rail);
                }
            }
        }
        for row in 0..s.rows - 1 {
            for col in 0..s.cols {
                let (ca, cb) = (row * s.cols + col, (row + 1) * s.cols + col);
                let line = self.countries[ca].south;
                let spines = (self.gx(ca) / 2, self.gx(cb) / 2);
                let cols: Vec<(usize, usize, bool)> = std::iter::once((spines.0, spines.1, true))
                    .chain(s.ns_road_cols.iter().map(|&i| (i, i, false)))
                    .collect();
                for (ia, ib, rail) in cols {
                    let a = self.bottom_cell(ca, ia);
                    let b = self.top_cell(cb, ib);
                    let (lon_a, lon_b) = (self.places[a].lon, self.places[b].lon);
                    self.crossing(
                        ca,
                        a,
                        (line + 0.02, lon_a),
                        cb,
                        b,
                        (line - 0.02, lon_b),
                        rail,
                    );
                }
            }
        }
    }

    /// A sea port of a country at (lat, lon), joined to `cell` by road and, where the cell
    /// has rail, by rail.
    fn port(&mut self, ci: usize, id: String, cell: usize, lat: f64, lon: f64) -> usize {
        let g = gauge_str(self.countries[ci].gauge);
        let p = self.add_place(ci, id, "sea_port", g, lat, lon);
        self.road(cell, p);
        if self.is_rail(cell) {
            self.rail(cell, p);
        }
        p
    }

    fn caspian(&mut self, s: &Shape) {
        let (rm, cm) = s.caspian();
        let (ca, cb) = (rm * s.cols + cm - 1, rm * s.cols + cm);
        for (k, &j) in s.ferry_rows.iter().enumerate() {
            let a = self.east_cell(ca, j);
            let b = self.west_cell(cb, j);
            let (ea, wb) = (self.countries[ca].east, self.countries[cb].west);
            let (la, lb) = (self.places[a].lat, self.places[b].lat);
            let id = format!("{}-ferry{k}", self.countries[ca].code);
            let pa = self.port(ca, id, a, la, ea + 0.05);
            let id = format!("{}-ferry{k}", self.countries[cb].code);
            let pb = self.port(cb, id, b, lb, wb - 0.05);
            let gc = self.gc(pa, pb);
            let km = up1(gc * 1.1);
            for carries in ["truck", "wagon"] {
                let t = self.rng.range(18.0, 26.0);
                let d = self.rng.range(12.0, 36.0);
                let l = Link {
                    id: format!(
                        "FR-{}--{}-{carries}",
                        self.places[pa].id, self.places[pb].id
                    ),
                    from: pa,
                    to: pb,
                    mode: "ferry",
                    carries,
                    bidirectional: true,
                    km,
                    moving: Some((t, t * 0.85, t * 1.3)),
                    source: "SRC-SYN-SEA",
                    departures: Some(3.0),
                    dwell: Some((d, d * 0.5, self.rng.range(120.0, 240.0))),
                    cost_fixed: Some(self.rng.range(700.0, 1200.0)),
                    cost_unit: carries,
                    note: format!("distance = great-circle {gc:.1} km x 1.10"),
                    ..Link::default()
                };
                self.link(l);
            }
        }
    }

    fn ports(&mut self, s: &Shape) {
        let mut west = Vec::new();
        let mut east = Vec::new();
        let mut south = Vec::new();
        for row in 0..s.rows {
            for (side, col) in [(0usize, 0usize), (1, s.cols - 1)] {
                let ci = row * s.cols + col;
                for (k, &j) in s.port_rows.iter().enumerate() {
                    let cell = if side == 0 {
                        self.west_cell(ci, j)
                    } else {
                        self.east_cell(ci, j)
                    };
                    let lon = if side == 0 {
                        self.countries[ci].west + 0.01
                    } else {
                        self.countries[ci].east - 0.01
                    };
                    let lat = self.places[cell].lat;
                    let id = format!("{}-port{}{k}", self.countries[ci].code, ["w", "e"][side]);
                    let p = self.port(ci, id, cell, lat, lon);
                    [&mut west, &mut east][side].push(p);
                }
            }
        }
        if s.rows == 3 {
            for col in (0..s.cols).filter(|c| c % 3 == 1) {
                let ci = (s.rows - 1) * s.cols + col;
                let cell = self.bottom_cell(ci, self.gx(ci) / 2);
                let lon = self.places[cell].lon;
                let id = format!("{}-ports", self.countries[ci].code);
                let lat = self.countries[ci].south + 0.01;
                let p = self.port(ci, id, cell, lat, lon);
                south.push(p);
            }
        }
        // Ocean lanes: every east port with every west and south port, every south port with
        // every west port, round the south of the band (waypoint in the "Indian Ocean").
        let mut lanes: Vec<(usize, usize)> = Vec::new();
        for &e in &east {
            for &w in west.iter().chain(&south) {
                lanes.push((e, w));
            }
        }
        for &so in &south {
            for &w in &west {
                lanes.push((so, w));
            }
        }
        for (a, b) in lanes {
            let (pa, pb) = (&self.places[a], &self.places[b]);
            let id = format!("SEA-{}--{}", pa.id, pb.id);
            let wp = vec![(12.0, round((pa.lon + pb.lon) / 2.0, 2))];
            let gc = great_circle_km(pa.lat, pa.lon, wp[0].0, wp[0].1)
                + great_circle_km(wp[0].0, wp[0].1, pb.lat, pb.lon);
            let v = self.rng.range(26.0, 32.0);
            let d = self.rng.range(12.0, 72.0);
            let l = Link {
                id,
                from: a,
                to: b,
                mode: "sea",
                bidirectional: true,
                km: up1(gc * 1.05),
                speed: Some((v, v * 0.85, v * 1.1)),
                source: "SRC-SYN-SEA",
                departures: Some(self.rng.range(1.0, 2.0)),
                dwell: Some((d, d * 0.5, d * 3.0)),
                cost_fixed: Some(self.rng.range(600.0, 1000.0)),
                cost_per_km: Some(self.rng.range(0.04, 0.07)),
                cost_unit: "feu",
                passages: "suez",
                waypoints: wp,
                note: format!(
                    "distance = great-circle path through the waypoint {gc:.1} km x 1.05"
                ),
                ..Link::default()
            };
            self.link(l);
        }
    }

    fn airports(&mut self, s: &Shape) {
        let mut airports = Vec::new();
        for ci in 0..self.countries.len() {
            let (row, col) = (self.countries[ci].row, self.countries[ci].col);
            if !(row + col).is_multiple_of(2) {
                continue;
            }
            let gx = self.gx(ci);
            let cell = self
                .cell(ci, gx / 2, s.gy / 2)
                .unwrap_or(self.countries[ci].first);
            let (lat, lon) = (self.places[cell].lat + 0.03, self.places[cell].lon + 0.03);
            let id = format!("{}-air", self.countries[ci].code);
            let p = self.add_place(ci, id, "airport", "", lat, lon);
            self.road(cell, p);
            airports.push(p);
        }
        for (k, &a) in airports.iter().enumerate() {
            for &b in &airports[k + 1..] {
                let gc = self.gc(a, b);
                let v = self.rng.range(600.0, 750.0);
                let l = Link {
                    id: format!("AIR-{}--{}", self.places[a].id, self.places[b].id),
                    from: a,
                    to: b,
                    mode: "air",
                    bidirectional: true,
                    km: up1(gc + 95.0),
                    speed: Some((v, v * 0.85, v * 1.05)),
                    source: "SRC-SYN-AIR",
                    departures: Some(5.0),
                    cost_fixed: Some(self.rng.range(0.8, 1.2)),
                    cost_per_km: Some(self.rng.range(0.0003, 0.0005)),
                    cost_unit: "kg",
                    note: format!("distance = great-circle {gc:.1} km + 95 km"),
                    ..Link::default()
                };
                self.link(l);
            }
        }
    }

    fn link(&mut self, l: Link) {
        let r3 = |r: Option<R3>| match r {
            Some((t, lo, hi)) => format!("{},{},{}", num(t, 2), num(lo, 2), num(hi, 2)),
            None => ",,".into(),
        };
        let opt = |x: Option<f64>, d: usize| x.map(|v| num(v, d)).unwrap_or_default();
        let src = l.source;
        let timed = l.speed.is_some() || l.moving.is_some();
        let priced = l.cost_fixed.is_some() || l.cost_per_km.is_some();
        let waypoints: Vec<String> = l
            .waypoints
            .iter()
            .map(|(a, b)| format!("{} {}", num(*a, 4), num(*b, 4)))
            .collect();
        let fields = [
            l.id,
            self.places[l.from].id.clone(),
            self.places[l.to].id.clone(),
            l.mode.into(),
            l.carries.into(),
            l.gauge.map(|g| g.to_string()).unwrap_or_default(),
            l.bidirectional.to_string(),
            "operating".into(),
            num(l.km, 1),
            if l.mode == "border" {
                "SRC-SYN-GEO"
            } else {
                "SRC-SYN-DIST"
            }
            .into(),
            r3(l.speed),
            r3(l.moving),
            if timed { src } else { "" }.into(),
            opt(l.departures, 2),
            if l.departures.is_some() { src } else { "" }.into(),
            r3(l.dwell),
            if l.dwell.is_some() { src } else { "" }.into(),
            opt(l.cost_fixed, 2),
            opt(l.cost_per_km, 4),
            if priced { l.cost_unit } else { "" }.into(),
            if priced { "USD" } else { "" }.into(),
            if priced { "2025" } else { "" }.into(),
            if priced { src } else { "" }.into(),
            l.passages.into(),
            waypoints.join(";"),
            src.into(),
            l.note,
        ];
        self.links.push_str(&fields.join(","));
        self.links.push('\n');
        self.n_links += 1;
    }

    fn into_files(self, cfg: &SynthConfig) -> RawFiles {
        let mut files: HashMap<&'static str, String> = HashMap::new();
        files.insert(
            "meta.csv",
            format!(
                "key,value\nformat_version,1\nname,synthetic-{}-seed{}\nversion,synth-1\nas_of,2026-01-01\n",
                cfg.places, cfg.seed
            ),
        );
        files.insert("groups.csv", "id,name,aliases,country\n".into());
        let mut places =
            String::from("id,name,aliases,country,lat,lon,kind,gauge_mm,group,timezone,source\n");
        for p in &self.places {
            let c = &self.countries[p.country];
            places.push_str(&format!(
                "{},{},,{},{:.4},{:.4},{},{},,{},SRC-SYN-GEO\n",
                p.id, p.name, c.code, p.lat, p.lon, p.kind, p.gauges, c.tz
            ));
        }
        files.insert("places.csv", places);
        files.insert("links.csv", self.links);
        files.insert("transfers.csv", self.transfers);
        let (factors, mut used) = embedded_factors();
        used.push("SRC-ECB-FX-2024".into());
        files.insert("emission_factors.csv", factors);
        files.insert(
            "fx.csv",
            "currency,usd_per_unit,year,source\nUSD,1,2024,SRC-ECB-FX-2024\n".into(),
        );
        let mut sources = String::from("id,title,publisher,url,date,note\n");
        for (id, title, note) in SOURCES {
            sources.push_str(&format!("{id},{title},corridor-synth,,2026,\"{note}\"\n"));
        }
        sources.push_str(&embedded_sources(&used));
        files.insert("sources.csv", sources);
        RawFiles {
            label: format!(
                "synthetic network ({} places, seed {})",
                cfg.places, cfg.seed
            ),
            files,
        }
    }
}

fn gauge_str(g: u16) -> &'static str {
    if g == 1520 {
        "1520"
    } else {
        "1435"
    }
}

const TRANSFER_HEADER: &str = "place,place_kinds,from_carrier,to_carrier,kind,hours,hours_low,hours_high,cost,cost_unit,currency,price_year,source\n\
*,rail_terminal|sea_port,truck,wagon,lift,24,6,72,80,box,USD,2025,SRC-SYN-TRANSFER\n\
*,rail_terminal|sea_port,wagon,truck,lift,2,1,6,80,box,USD,2025,SRC-SYN-TRANSFER\n\
*,sea_port,truck,box,lift,24,6,96,290,teu,USD,2018,SRC-SYN-TRANSFER\n\
*,sea_port,box,truck,lift,24,6,96,290,teu,USD,2018,SRC-SYN-TRANSFER\n\
*,sea_port,wagon,box,lift,24,6,96,290,teu,USD,2018,SRC-SYN-TRANSFER\n\
*,sea_port,box,wagon,lift,24,6,96,290,teu,USD,2018,SRC-SYN-TRANSFER\n\
*,airport,truck,air,handling,6,3,24,0.1,kg,USD,2025,SRC-SYN-TRANSFER\n\
*,airport,air,truck,handling,6,3,24,0.1,kg,USD,2025,SRC-SYN-TRANSFER\n";

const EMBEDDED_FACTORS: &str = include_str!("../../../data/default/emission_factors.csv");
const EMBEDDED_SOURCES: &str = include_str!("../../../data/default/sources.csv");

/// The embedded default factors for the generator's modes, as CSV, and the sources they cite.
fn embedded_factors() -> (String, Vec<String>) {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(EMBEDDED_FACTORS.as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut used = Vec::new();
    let headers = rdr.headers().cloned().unwrap_or_default();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(def), Some(src)) = (col("default_for"), col("source")) else {
        return (String::new(), used);
    };
    let _ = w.write_record(&headers);
    for rec in rdr.records().flatten() {
        if FACTOR_MODES.contains(&rec.get(def).unwrap_or("")) {
            let s = rec.get(src).unwrap_or("").to_string();
            if !used.contains(&s) {
                used.push(s);
            }
            let _ = w.write_record(&rec);
        }
    }
    let text = w
        .into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    (text, used)
}

/// The embedded `sources.csv` rows with these ids, as CSV without the header.
fn embedded_sources(ids: &[String]) -> String {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(EMBEDDED_SOURCES.as_bytes());
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for rec in rdr.records().flatten() {
        if ids.iter().any(|id| rec.get(0) == Some(id.as_str())) {
            let _ = w.write_record(&rec);
        }
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}
