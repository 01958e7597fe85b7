//! Published worked examples reproduced with the method, each citing its document, page or
//! table and inputs (transcribed in shared/reference/emission-factors.tsv, rows EX-*), and hand
//! calculations where no example is published for a mode.
//!
//! GLEC = GLEC Framework (Smart Freight Centre): v3.0 print 2024-04-02, v3.1 print 2024-10-23.
//! Tolerance: 0.5% unless stated; published results are rounded (e.g. "3.70 t").

use corridor_data::{Dataset, EmissionBasis, GridFactor, HubBasis, Mode, TransferKind};
use corridor_emissions::calc::{
    hub, simple_factor, simple_hub, transport, DistanceKind, FactorSet, Hoc, Shipment, Tce,
};
use corridor_emissions::chain::{Element, Footprint};

fn close(what: &str, got: f64, want: f64, rel: f64) {
    let err = (got - want).abs() / want.abs().max(1e-12);
    assert!(
        err <= rel,
        "{what}: computed {got:.4}, published {want:.4} ({:.3}% off, tolerance {:.2}%)",
        err * 100.0,
        rel * 100.0
    );
}

fn none() -> FactorSet<'static> {
    FactorSet {
        factors: &[],
        grid: &[],
        hubs: &[],
        pollutants: &[],
    }
}

fn embedded() -> &'static Dataset {
    use std::sync::OnceLock;
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| Dataset::embedded().unwrap())
}

/// GLEC v3.1 Module 4 s.4.1 p.128 (EX-006): container ship Hamburg–Shanghai, 10 TEU dry ×
/// 21,000 km × 44.1 g CO2e/TEU-km (Table 14 p.109, Asia to-from North Europe, end-user factor)
/// = 9.26 t. v3.0 Module 4 s.4.1 p.118 (EX-005): 49.9 g → 10.48 t; 5 reefer TEU × 128.7 g
/// → 13.51 t. The end-user factor includes the +15% distance correction: no further DAF.
#[test]
fn ex006_hamburg_shanghai_container_v31() {
    let ds = embedded();
    let set = FactorSet::from_dataset(ds);
    let f = set.factor("EF-SEA-ASIA-NEU").unwrap();
    let t = Tce::new(
        "HAM-SHA",
        Mode::Sea,
        21_000.0,
        DistanceKind::Network,
        Shipment::teu(10.0, 10.0),
        Some(f),
    );
    let r = transport(&t, &set).unwrap();
    close("EX-006 WTW kg", r.co2e_kg.unwrap(), 9261.0, 0.0005);
    assert_eq!(
        r.emission_distance_km, 21_000.0,
        "no DAF on end-user factors"
    );
    // TTW and WTT from the same table: 37.5 and 6.7 g/TEU-km.
    close("EX-006 TTW kg", r.co2e_ttw_kg.unwrap(), 7875.0, 0.0005);
    close("EX-006 WTT kg", r.co2e_wtt_kg.unwrap(), 1407.0, 0.0005);
    // 10 TEU × 10 t × 21,000 km = 2.1 M tkm → 4.41 g/tkm.
    close("EX-006 g/tkm", r.intensity_g_per_tkm.unwrap(), 4.41, 0.001);
}

#[test]
fn ex005_hamburg_shanghai_container_v30() {
    let dry = simple_factor("v30-dry", Mode::Sea, EmissionBasis::TeuKm, 49.9, None, None);
    let reefer = simple_factor(
        "v30-reefer",
        Mode::Sea,
        EmissionBasis::TeuKm,
        128.7,
        None,
        None,
    );
    let r = |f, teu| {
        transport(
            &Tce::new(
                "x",
                Mode::Sea,
                21_000.0,
                DistanceKind::Network,
                Shipment::teu(teu, 10.0),
                Some(f),
            ),
            &none(),
        )
        .unwrap()
        .co2e_kg
        .unwrap()
    };
    close("EX-005 dry", r(&dry, 10.0), 10_480.0, 0.001);
    close("EX-005 reefer", r(&reefer, 5.0), 13_510.0, 0.001);
}

fn dormagen(road_g: f64, hub_kg_per_t: f64) -> f64 {
    // GLEC v3.0 Module 5 Annex 3 pp.151-152 Table 23 (EX-016): 120 t of chemicals, truck 40 km
    // + transshipment + electric rail 1,757.5 km at 10 g/tkm + transshipment + truck 52.5 km,
    // and 7 tank cleanings (606 kg; not a transport or hub operation corridor models, added
    // as published).
    let road = simple_factor("road", Mode::Road, EmissionBasis::Tkm, road_g, None, None);
    let rail = simple_factor("rail-el", Mode::Rail, EmissionBasis::Tkm, 10.0, None, None);
    let hubf = simple_hub("hub", "lift", HubBasis::Tonne, hub_kg_per_t);
    let s = Shipment::tonnes(120.0);
    let leg = |seq: u32, id: &str, mode, km, f| Element::Leg {
        seq,
        label: id.into(),
        from: None,
        to: None,
        result: transport(
            &Tce::new(id, mode, km, DistanceKind::Given, s, Some(f)),
            &none(),
        )
        .unwrap(),
    };
    let hop = |seq: u32, id: &str| Element::Hub {
        seq,
        label: id.into(),
        place: None,
        result: hub(&Hoc {
            id: id.into(),
            kind: TransferKind::Lift,
            place: id.into(),
            country: "DE".into(),
            shipment: s,
            factor: Some(&hubf),
        }),
    };
    let fp = Footprint::new(
        s,
        vec![
            leg(0, "truck Dormagen", Mode::Road, 40.0, &road),
            hop(1, "terminal 1"),
            leg(2, "rail", Mode::Rail, 1757.5, &rail),
            hop(3, "terminal 2"),
            leg(4, "truck Italy", Mode::Road, 52.5, &road),
        ],
    );
    assert!(fp.totals.complete);
    assert_eq!(fp.totals.co2e_hubs_kg, 2.0 * hub_kg_per_t * 120.0);
    fp.totals.co2e_kg + 606.0
}

/// EX-016, level 3 with the v3.0 factors: road 76.1 g/tkm, transshipment 0.6 kg/t →
/// published 3.70 t (365.3 + 72 + 2,109 + 72 + 479.4 + 606 kg).
#[test]
fn ex016_dormagen_italy_truck_rail_truck_v30() {
    close("EX-016 v3.0", dormagen(76.1, 0.6), 3700.0, 0.002);
}

/// The same with the v3.1 factors (Module 5 pp.162-163): road 88.3 g/tkm, transshipment
/// 1.3 kg/t → published 4.01 t.
#[test]
fn ex016_dormagen_italy_truck_rail_truck_v31() {
    close("EX-016 v3.1", dormagen(88.3, 1.3), 4010.0, 0.002);
}

/// GLEC v3.0 Module 4 s.1 p.104 (EX-001): road, 0.45 t × 20 km × 0.498 kg/tkm = 4.48 kg.
#[test]
fn ex001_road_from_fuel() {
    let f = simple_factor("road", Mode::Road, EmissionBasis::Tkm, 498.0, None, None);
    let t = Tce::new(
        "x",
        Mode::Road,
        20.0,
        DistanceKind::Given,
        Shipment::tonnes(0.45),
        Some(&f),
    );
    close(
        "EX-001",
        transport(&t, &none()).unwrap().co2e_kg.unwrap(),
        4.48,
        0.001,
    );
}

/// GLEC v3.0 Module 5 Annex 3 road example 1 p.147 (EX-011): 82 g/tkm × 10 t × 250 km × 1.05
/// road distance adjustment = 215.25 kg.
#[test]
fn ex011_road_groupage_with_distance_adjustment() {
    let mut f = simple_factor("road", Mode::Road, EmissionBasis::Tkm, 82.0, None, None);
    f.daf = Some(1.05);
    let t = Tce::new(
        "x",
        Mode::Road,
        250.0,
        DistanceKind::Given,
        Shipment::tonnes(10.0),
        Some(&f),
    );
    let r = transport(&t, &none()).unwrap();
    close("EX-011", r.co2e_kg.unwrap(), 215.25, 0.0001);
    assert_eq!(r.tkm, 2500.0, "tkm on the planned distance");
}

/// GLEC v3.0 Module 4 Table 6 p.113 (EX-002; same numbers v3.1 p.123): electric train in
/// Europe, 50 t × 400 km; 8,183 g CO2e per vehicle-km at 322 g CO2e/kWh (EU average WTW)
/// over 1,056 t average cargo → 7.75 g/tkm → 155 kg. Here as kWh × grid: 8,183 / 322 / 1,056
/// = 0.024065 kWh/tkm × 322 g/kWh.
#[test]
fn ex002_electric_train_via_grid_factor() {
    let mut f = simple_factor(
        "rail-el",
        Mode::Rail,
        EmissionBasis::Tkm,
        0.0,
        Some(0.0),
        None,
    );
    f.wtw = None;
    f.kwh = Some(8183.0 / 322.0 / 1056.0);
    let grid = [GridFactor {
        country: "DE".into(),
        g_per_kwh: 322.0,
        year: 2022,
        source: "test".into(),
        note: String::new(),
        line: 0,
    }];
    let set = FactorSet {
        factors: &[],
        grid: &grid,
        hubs: &[],
        pollutants: &[],
    };
    let mut t = Tce::new(
        "x",
        Mode::Rail,
        400.0,
        DistanceKind::Given,
        Shipment::tonnes(50.0),
        Some(&f),
    );
    t.countries = vec!["DE".into()];
    let r = transport(&t, &set).unwrap();
    close("EX-002", r.co2e_kg.unwrap(), 155.0, 0.001);
    assert_eq!(r.co2e_ttw_kg, Some(0.0));
    assert_eq!(r.co2e_wtt_kg, r.co2e_kg, "electricity: all well-to-tank");
    // Without a grid factor for the country the CO2e is null with a reason, never 0.
    t.countries = vec!["XX".into()];
    let r = transport(&t, &set).unwrap();
    assert_eq!(r.co2e_kg, None);
    assert!(r.missing.unwrap().contains("XX"));
}

/// GLEC v3.0 Module 4 Table 8 p.116 (EX-004): air belly freight, 275 kg × 1,000 km at the
/// TOC intensity 1.572 kg CO2e/tkm WTW (jet 4.02 kg CO2e/kg WTW, 3.18 TTW, 0.84 WTT) →
/// WTW 432.3, TTW 342.1, WTT 90.2 kg. The 1,000 km is the flown distance: no +95 km.
#[test]
fn ex004_air_belly_freight() {
    let wtw = 1572.0;
    let f = simple_factor(
        "air",
        Mode::Air,
        EmissionBasis::Tkm,
        wtw,
        Some(wtw * 3.18 / 4.02),
        Some(wtw * 0.84 / 4.02),
    );
    let t = Tce::new(
        "x",
        Mode::Air,
        1000.0,
        DistanceKind::Network,
        Shipment::tonnes(0.275),
        Some(&f),
    );
    let r = transport(&t, &none()).unwrap();
    close("EX-004 WTW", r.co2e_kg.unwrap(), 432.3, 0.001);
    close("EX-004 TTW", r.co2e_ttw_kg.unwrap(), 342.1, 0.001);
    close("EX-004 WTT", r.co2e_wtt_kg.unwrap(), 90.2, 0.002);
}

/// Air distance adjustment, hand calculation (no published example with a GCD): GLEC v3.1
/// Table 1 p.93 freighter long-haul 608 g CO2e/tkm applies to GCD + 95 km. 2 t, GCD 8,265 km
/// (Zhengzhou–Luxembourg): 2 × (8,265 + 95) × 608 / 1000 = 10,165.8 kg.
#[test]
fn air_great_circle_plus_95_km() {
    let set = FactorSet::from_dataset(embedded());
    let f = set.factor("EF-AIR-FREIGHTER-LH").unwrap();
    let t = Tce::new(
        "x",
        Mode::Air,
        8265.0,
        DistanceKind::GreatCircle,
        Shipment::tonnes(2.0),
        Some(f),
    );
    let r = transport(&t, &set).unwrap();
    assert_eq!(r.emission_distance_km, 8360.0);
    close("air", r.co2e_kg.unwrap(), 10_165.76, 1e-9);
    // The network's air links already carry GCD + 95 km: not added twice.
    let t = Tce {
        distance_kind: DistanceKind::Network,
        distance_km: 8360.0,
        ..t
    };
    close(
        "air net",
        transport(&t, &set).unwrap().co2e_kg.unwrap(),
        10_165.76,
        1e-9,
    );
}

/// GLEC v3.0 Module 4 s.4.5 p.121 Table 12 (EX-008): RoPax ferry, the freight share per tkm of
/// laden HGV (29.6 t gross) is 0.0601 kg; per tkm of cargo (15.6 t) 0.1141 kg. The method
/// reallocates a per-gross-tkm intensity to cargo with gross_to_net = 29.6 / 15.6.
#[test]
fn ex008_ropax_reallocation_to_cargo() {
    let mut f = simple_factor("ropax", Mode::Ferry, EmissionBasis::Tkm, 60.1, None, None);
    f.gross_to_net = Some(29.6 / 15.6);
    let t = Tce::new(
        "x",
        Mode::Ferry,
        120.0,
        DistanceKind::Given,
        Shipment::tonnes(15.6),
        Some(&f),
    );
    let r = transport(&t, &none()).unwrap();
    close(
        "EX-008 g per cargo tkm",
        r.intensity_g_per_tkm.unwrap(),
        114.1,
        0.001,
    );
}

/// Ferry with the embedded default, hand calculation (GLEC v3.1 Table 13 p.107, Ro-Pax
/// 10,000–19,999 GT, VLSFO, plain WTW 131.5 g per gross tkm): × 1.15 distance adjustment on
/// the port-to-port distance × 1.897 gross-to-cargo = 286.9 g/cargo tkm. 2 FEU (40 t) Aktau–
/// Baku 470 km: 40 × 470 × 131.5 × 1.15 × 1.897436 / 1000 = 5,394.6 kg WTW;
/// TTW 40 × 470 × 108.3 × 1.15 × 1.897436 / 1000 = 4,442.8 kg.
#[test]
fn ferry_default_hand_calculation() {
    let set = FactorSet::from_dataset(embedded());
    let f = set.default_for(Mode::Ferry).unwrap();
    let t = Tce::new(
        "x",
        Mode::Ferry,
        470.0,
        DistanceKind::Network,
        Shipment::teu(4.0, 10.0),
        Some(f),
    );
    let r = transport(&t, &set).unwrap();
    close("ferry WTW", r.co2e_kg.unwrap(), 5394.6, 0.0005);
    close("ferry TTW", r.co2e_ttw_kg.unwrap(), 4442.8, 0.0005);
    close("ferry g/tkm", r.intensity_g_per_tkm.unwrap(), 286.9, 0.0005);
    // SO2 from the sulphur cap: 0.3427 g per gross tkm × the same multipliers.
    let so2 = r.pollutants.iter().find(|p| p.pollutant == "so2").unwrap();
    close(
        "ferry SO2",
        so2.kg.unwrap(),
        40.0 * 470.0 * 1.15 * 0.3427 * 1.8974 / 1000.0,
        0.001,
    );
    // NOx: 2.71761 g per gross tkm (34.27 g VLSFO × 79.3 g/kg, EMEP/EEA Tier 1) × the same
    // multipliers.
    let nox = r.pollutants.iter().find(|p| p.pollutant == "nox").unwrap();
    close(
        "ferry NOx",
        nox.kg.unwrap(),
        40.0 * 470.0 * 1.15 * 2.71761 * 1.8974 / 1000.0,
        0.001,
    );
}

/// GLEC v3.0 Module 4 s.5.2 p.123 Table 15 (EX-010): container terminal in Germany, 87 t
/// ambient at 0.233 kg/t + 100 t reefer at 1.71 kg/t = 20.2 + 171 = 191.2 kg.
#[test]
fn ex010_container_terminal_hub() {
    let amb = simple_hub("amb", "lift", HubBasis::Tonne, 0.233);
    let reefer = simple_hub("ref", "lift", HubBasis::Tonne, 1.71);
    let h = |t: f64, f| {
        hub(&Hoc {
            id: "x".into(),
            kind: TransferKind::Lift,
            place: "DEHAM".into(),
            country: "DE".into(),
            shipment: Shipment::tonnes(t),
            factor: Some(f),
        })
        .co2e_kg
        .unwrap()
    };
    close("EX-010", h(87.0, &amb) + h(100.0, &reefer), 191.2, 0.001);
}

/// Hub defaults of the embedded data, hand calculation: GLEC v3.1 Table 3 p.95. 2 FEU (4 TEU,
/// 40 t): a lift onto a ship = maritime container terminal 10.7 kg/container × 2 = 21.4 kg;
/// a gauge transshipment = transshipment 1.3 kg/t × 40 t = 52 kg; a bogie exchange has no
/// public factor: null with a reason.
#[test]
fn hub_defaults_hand_calculation() {
    let set = FactorSet::from_dataset(embedded());
    let s = Shipment {
        net_t: 40.0,
        teu: 4.0,
        containers: 2.0,
    };
    let h = |kind, ship| {
        hub(&Hoc {
            id: "x".into(),
            kind,
            place: "p".into(),
            country: "KZ".into(),
            shipment: s,
            factor: set.hub_for(kind, ship),
        })
    };
    close(
        "lift:box",
        h(TransferKind::Lift, true).co2e_kg.unwrap(),
        21.4,
        1e-9,
    );
    close(
        "gauge",
        h(TransferKind::GaugeTransshipment, false).co2e_kg.unwrap(),
        52.0,
        1e-9,
    );
    let b = h(TransferKind::BogieExchange, false);
    assert_eq!(b.co2e_kg, None);
    assert!(b.missing.unwrap().contains("no public factor"));
}

/// Rail, diesel and electric, embedded defaults; hand calculation (no published example for
/// 1520 mm corridors). 2 FEU (40 t) × 1,000 km = 40,000 tkm.
/// Diesel (GLEC v3.1 Table 4 p.96, container): 28.5 / 21.9 / 6.6 g → 1,140 / 876 / 264 kg;
/// energy 0.291 MJ/tkm → 11,640 MJ.
/// Electric in Kazakhstan: 0.0301 kWh/tkm × 821.4 g/kWh (OWID/Ember 2023) = 24.72 g/tkm →
/// 989.0 kg, all WTT. A leg in KZ and CN is split evenly: 0.0301 × (821.4 + 582.3) / 2 =
/// 21.13 g/tkm → 845.1 kg.
#[test]
fn rail_diesel_and_electric_hand_calculation() {
    let set = FactorSet::from_dataset(embedded());
    let s = Shipment::teu(4.0, 10.0);
    let d = set.vehicle(Mode::Rail, "diesel").unwrap();
    let r = transport(
        &Tce::new("d", Mode::Rail, 1000.0, DistanceKind::Given, s, Some(d)),
        &set,
    )
    .unwrap();
    close("diesel WTW", r.co2e_kg.unwrap(), 1140.0, 1e-9);
    close("diesel TTW", r.co2e_ttw_kg.unwrap(), 876.0, 1e-9);
    close("diesel WTT", r.co2e_wtt_kg.unwrap(), 264.0, 1e-9);
    close("diesel MJ", r.energy_mj.unwrap(), 11_640.0, 1e-9);
    let e = set.vehicle(Mode::Rail, "electric").unwrap();
    let mut t = Tce::new("e", Mode::Rail, 1000.0, DistanceKind::Given, s, Some(e));
    t.countries = vec!["KZ".into()];
    let r = transport(&t, &set).unwrap();
    close(
        "electric KZ",
        r.co2e_kg.unwrap(),
        40.0 * 1000.0 * 0.0301 * 821.4 / 1000.0,
        1e-9,
    );
    assert_eq!(r.co2e_ttw_kg, Some(0.0));
    t.countries = vec!["KZ".into(), "CN".into()];
    let r = transport(&t, &set).unwrap();
    close("electric KZ+CN", r.co2e_kg.unwrap(), 845.1, 0.0005);
    assert_eq!(r.grid.len(), 2);
    assert!(set
        .vehicle(Mode::Rail, "maglev")
        .unwrap_err()
        .message
        .contains("unknown rail vehicle class 'maglev'"));
}

/// Road, embedded defaults; hand calculation: 2 FEU (40 t) × 600 km. EU articulated 34–40 t
/// container (GLEC v3.1 Table 8 p.100): 101 g → 2,424 kg; China 35–40 t (Table 12): 80.86 g →
/// 1,940.6 kg; Asia except China: EU + 22% (p.104): 123.2 g → 2,956.8 kg.
#[test]
fn road_defaults_hand_calculation() {
    let set = FactorSet::from_dataset(embedded());
    let s = Shipment::teu(4.0, 10.0);
    for (v, want) in [
        ("artic_40t_eu", 2424.0),
        ("artic_40t_cn", 1940.64),
        ("artic_40t_asia", 2956.8),
    ] {
        let f = set.vehicle(Mode::Road, v).unwrap();
        let r = transport(
            &Tce::new(v, Mode::Road, 600.0, DistanceKind::Given, s, Some(f)),
            &set,
        )
        .unwrap();
        close(v, r.co2e_kg.unwrap(), want, 1e-9);
    }
}

/// EX-018 (derived arithmetic check in the reference file, GLEC v3.0 factors): 2 TEU (20 t):
/// truck 50 km at 95 g + 2 transshipments at 0.6 kg/t + electric rail 1,000 km at 6.4 g =
/// 95 + 24 + 128 = 247 kg.
#[test]
fn ex018_corridor_arithmetic() {
    let road = simple_factor("r", Mode::Road, EmissionBasis::Tkm, 95.0, None, None);
    let rail = simple_factor("e", Mode::Rail, EmissionBasis::Tkm, 6.4, None, None);
    let hf = simple_hub("h", "lift", HubBasis::Tonne, 0.6);
    let s = Shipment::teu(2.0, 10.0);
    let leg = |seq, km, f| Element::Leg {
        seq,
        label: String::new(),
        from: None,
        to: None,
        result: transport(
            &Tce::new("x", Mode::Road, km, DistanceKind::Given, s, Some(f)),
            &none(),
        )
        .unwrap(),
    };
    let h = |seq| Element::Hub {
        seq,
        label: String::new(),
        place: None,
        result: hub(&Hoc {
            id: "h".into(),
            kind: TransferKind::Lift,
            place: String::new(),
            country: String::new(),
            shipment: s,
            factor: Some(&hf),
        }),
    };
    let fp = Footprint::new(
        s,
        vec![leg(0, 50.0, &road), h(1), h(2), leg(3, 1000.0, &rail)],
    );
    close("EX-018", fp.totals.co2e_kg, 247.0, 1e-9);
    close(
        "EX-018 g/tkm",
        fp.totals.intensity_g_per_tkm.unwrap(),
        247_000.0 / 21_000.0,
        1e-9,
    );
}
