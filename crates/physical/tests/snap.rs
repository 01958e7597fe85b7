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
        .build(Meta { name: "rail".into(), ..Meta::default() }, false)
        .unwrap();
    let s = Snapper::new(&net);
    let hit = s.snap(&net, -33.9, 18.4, 50.0).unwrap();
    assert_eq!(hit.node, cape);
    let expect = corridor_physical::haversine_m(-33.9, 18.4, -33.92, 18.42);
    assert!((hit.distance_m - expect).abs() < 1.0, "{} vs {expect}", hit.distance_m);
    // Near the isolated node, the nearest *connected* node is hundreds of km away.
    let err = s.snap(&net, -30.0, 25.0, 50.0).unwrap_err();
    match &err {
        Error::NoSnap { distance_km, limit_km, network, .. } => {
            assert!(*distance_km > 400.0, "{distance_km}");
            assert_eq!(*limit_km, 50.0);
            assert_eq!(network, "rail");
        }
        e => panic!("{e}"),
    }
    assert_eq!(err.code(), "NoSnap");
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("--max-snap-km"));
    // A larger limit accepts it.
    assert_ne!(s.snap(&net, -30.0, 25.0, 1000.0).unwrap().node, lonely);
}

#[test]
fn an_empty_network_never_snaps() {
    let net = NetworkBuilder::new().build(Meta::default(), false).unwrap();
    let err = Snapper::new(&net).snap(&net, 0.0, 0.0, 50.0).unwrap_err();
    assert!(matches!(err, Error::NoSnap { distance_km, .. } if distance_km.is_infinite()));
}
