//! Snapping to the nearest node, and NoSnap beyond the limit.

use corridor_physical::{Error, Meta, NetworkBuilder, Snapper, NO_TAG};

#[test]
fn snaps_to_the_nearest_node_and_refuses_far_points() {
    let mut b = NetworkBuilder::new();
    let cape = b.add_node(-33.92, 18.42).unwrap();
    let durban = b.add_node(-29.87, 31.03).unwrap();
    let lonely = b.add_node(-30.0, 25.0).unwrap(); // no arcs: never snapped to
    b.add_edge(cape, durban, None, NO_TAG).unwrap();
    let net = b
        .build(
            Meta {
                name: "rail".into(),
                ..Meta::default()
            },
            false,
        )
        .unwrap();
    let s = Snapper::new(&net);
    let hit = s.snap(&net, -33.9, 18.4, 50.0).unwrap();
    assert_eq!(hit.node, cape);
    let expect = corridor_physical::haversine_m(-33.9, 18.4, -33.92, 18.42);
    assert!(
        (hit.distance_m - expect).abs() < 1.0,
        "{} vs {expect}",
        hit.distance_m
    );
    // Near the isolated node, the nearest *connected* node is hundreds of km away.
    let err = s.snap(&net, -30.0, 25.0, 50.0).unwrap_err();
    match &err {
        Error::NoSnap {
            distance_km,
            limit_km,
            network,
            ..
        } => {
            assert!(*distance_km > 400.0, "{distance_km}");
            assert_eq!(*limit_km, 50.0);
            assert_eq!(network, "rail");
        }
        e => panic!("{e}"),
    }
    assert_eq!(err.code(), "NoSnap");
    assert_eq!(err.exit_code(), 2);
    // The option by its name, as the API and the CLI both take it (the CLI adds its flag).
    assert!(err.to_string().contains("max_snap_km"), "{err}");
    assert!(!err.to_string().contains("--"), "{err}");
    // A larger limit accepts it.
    assert_ne!(s.snap(&net, -30.0, 25.0, 1000.0).unwrap().node, lonely);
}

#[test]
fn an_empty_network_never_snaps() {
    let net = NetworkBuilder::new().build(Meta::default(), false).unwrap();
    let err = Snapper::new(&net).snap(&net, 0.0, 0.0, 50.0).unwrap_err();
    assert!(matches!(err, Error::NoSnap { distance_km, .. } if distance_km.is_infinite()));
}

#[test]
fn a_pair_snaps_into_one_component() {
    // A main line A–B, and a short fragment F1–F2 right next to the origin.
    let mut b = NetworkBuilder::new();
    let a = b.add_node(43.00, 76.00).unwrap();
    let z = b.add_node(43.00, 78.00).unwrap();
    let f1 = b.add_node(43.10, 76.00).unwrap();
    let f2 = b.add_node(43.11, 76.01).unwrap();
    b.add_edge(a, z, None, NO_TAG).unwrap();
    b.add_edge(f1, f2, None, NO_TAG).unwrap();
    let net = b.build(Meta::default(), false).unwrap();
    let s = Snapper::new(&net);
    // Alone, the origin snaps to the fragment (1 km away, the main line is 10 km away).
    assert_eq!(s.snap(&net, 43.09, 76.0, 50.0).unwrap().node, f1);
    let (from, to) = s
        .snap_pair(&net, (43.09, 76.0), (43.0, 78.0), 50.0)
        .unwrap();
    assert_eq!((from.node, to.node), (a, z));
    assert!(
        (from.distance_m - 10_000.0).abs() < 100.0,
        "{}",
        from.distance_m
    );
    // With a 5 km limit the main line is out of reach: the nearest nodes come back.
    let (from, _) = s.snap_pair(&net, (43.09, 76.0), (43.0, 78.0), 5.0).unwrap();
    assert_eq!(from.node, f1);
    let per = s.per_component(&net, 43.09, 76.0, 50.0, 10);
    assert_eq!(per.iter().map(|p| p.node).collect::<Vec<_>>(), vec![f1, a]);
}
