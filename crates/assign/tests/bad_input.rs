//! Bad input gets an error that names the file and line (or the field) and the fix; never a
//! panic. And a gap that cannot be reached in max-iter is answered with the gap reached.

use std::path::Path;

use corridor_assign::tntp::{parse_flow, parse_net, parse_trips};
use corridor_assign::{assign, Algorithm, Demand, Link, Network, Options};

const NET: &str = "<NUMBER OF ZONES> 2
<NUMBER OF NODES> 3
<FIRST THRU NODE> 1
<NUMBER OF LINKS> 3
<END OF METADATA>

~ init_node term_node capacity length free_flow_time b power speed toll link_type ;
1 3 100 1 1 0.15 4 0 0 1 ;
3 2 100 1 1 0.15 4 0 0 1 ;
1 2 50 1 3 0.15 4 0 0 1 ;
";

const TRIPS: &str = "<NUMBER OF ZONES> 2
<TOTAL OD FLOW> 150.0
<END OF METADATA>

Origin 1
    1 : 0.0; 2 : 150.0;
";

fn net_err(text: &str) -> String {
    parse_net(text, Path::new("x_net.tntp"))
        .unwrap_err()
        .to_string()
}

fn trips_err(text: &str) -> String {
    parse_trips(text, Path::new("x_trips.tntp"), 2, &mut Vec::new())
        .unwrap_err()
        .to_string()
}

#[test]
fn the_valid_files_read() {
    let net = parse_net(NET, Path::new("x_net.tntp")).unwrap();
    assert_eq!(net.links().len(), 3);
    let mut w = Vec::new();
    let d = parse_trips(TRIPS, Path::new("x_trips.tntp"), 2, &mut w).unwrap();
    assert_eq!(d.total(), 150.0);
    assert!(w.is_empty());
}

#[test]
fn malformed_net_rows_name_file_and_line() {
    let e = net_err(&NET.replace("3 2 100 1 1 0.15 4 0 0 1 ;", "3 2 100 1 1 0.15 4 0 0 1"));
    assert!(
        e.starts_with("x_net.tntp:9:") && e.contains("does not end with ';'"),
        "{e}"
    );
    let e = net_err(&NET.replace("3 2 100", "3 7 100"));
    assert!(
        e.starts_with("x_net.tntp:9:") && e.contains("unknown node 7"),
        "{e}"
    );
    let e = net_err(&NET.replace("3 2 100 1 1", "3 2 100 1 abc"));
    assert!(
        e.starts_with("x_net.tntp:9:") && e.contains("\"abc\" is not a number"),
        "{e}"
    );
    let e = net_err(&NET.replace("3 2 100 1 1 0.15 4 0 0 1 ;", "3 2 100 ;"));
    assert!(
        e.starts_with("x_net.tntp:9:") && e.contains("missing"),
        "{e}"
    );
    let e = net_err(&NET.replace("<NUMBER OF LINKS> 3", "<NUMBER OF LINKS> 4"));
    assert!(
        e.starts_with("x_net.tntp:4:") && e.contains("says 4"),
        "{e}"
    );
    let e = net_err(&NET.replace("<END OF METADATA>", ""));
    assert!(e.contains("END OF METADATA"), "{e}");
    let e = net_err(&NET.replace("<NUMBER OF NODES> 3\n", ""));
    assert!(e.contains("NUMBER OF NODES"), "{e}");
}

#[test]
fn zero_capacity_where_bpr_needs_it_is_an_error() {
    let e = net_err(&NET.replace("1 2 50 1 3", "1 2 0 1 3"));
    assert!(
        e.starts_with("x_net.tntp:10:") && e.contains("capacity 0 must be > 0"),
        "{e}"
    );
    let e = net_err(&NET.replace("1 2 50 1 3", "1 2 -5 1 3"));
    assert!(e.contains("capacity -5 must be > 0"), "{e}");
    // without congestion (b = 0) the capacity is not used
    assert!(parse_net(
        &NET.replace("1 2 50 1 3 0.15", "1 2 0 1 3 0"),
        Path::new("x")
    )
    .is_ok());
    let e = net_err(&NET.replace("1 2 50 1 3 0.15", "1 2 50 1 NaN 0.15"));
    assert!(e.contains("free-flow time NaN"), "{e}");
}

#[test]
fn negative_nan_and_unknown_demand_are_errors() {
    let e = trips_err(&TRIPS.replace("2 : 150.0", "2 : -150.0"));
    assert!(
        e.starts_with("x_trips.tntp:6:") && e.contains("-150.0") && e.contains(">= 0"),
        "{e}"
    );
    let e = trips_err(&TRIPS.replace("2 : 150.0", "2 : NaN"));
    assert!(e.starts_with("x_trips.tntp:6:") && e.contains("NaN"), "{e}");
    let e = trips_err(&TRIPS.replace("2 : 150.0", "5 : 150.0"));
    assert!(
        e.starts_with("x_trips.tntp:6:") && e.contains("\"5\" is not a zone"),
        "{e}"
    );
    let e = trips_err(&TRIPS.replace("Origin 1", "Origin 9"));
    assert!(
        e.starts_with("x_trips.tntp:5:") && e.contains("not a zone"),
        "{e}"
    );
    let e = trips_err(&TRIPS.replace("2 : 150.0;", "2 : 150.0"));
    assert!(
        e.starts_with("x_trips.tntp:6:") && e.contains("does not end with ';'"),
        "{e}"
    );
    let e = trips_err(&TRIPS.replace("2 : 150.0;", "2 150.0;"));
    assert!(e.contains("not `dest : flow`"), "{e}");
    let e = trips_err(&TRIPS.replace("Origin 1\n", ""));
    assert!(e.contains("before the first `Origin N`"), "{e}");
    let e = trips_err(&TRIPS.replace("<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> 3"));
    assert!(
        e.starts_with("x_trips.tntp:1:") && e.contains("3 zones here but 2"),
        "{e}"
    );
    // a TOTAL OD FLOW that disagrees is said, not fatal
    let mut w = Vec::new();
    parse_trips(
        &TRIPS.replace("150.0\n<END", "99\n<END"),
        Path::new("t"),
        2,
        &mut w,
    )
    .unwrap();
    assert!(w.len() == 1 && w[0].contains("says 99"), "{w:?}");
    // and the API refuses what the reader would
    let mut d = Demand::new(2);
    assert!(d.add(0, 1, f64::NAN).is_err());
    assert!(d.add(0, 1, -1.0).is_err());
    assert!(d.add(0, 7, 1.0).is_err());
}

#[test]
fn malformed_flow_rows_and_missing_folders_are_errors() {
    let e = parse_flow("From To Volume Cost\n1 2 x 3\n", Path::new("f"), 3).unwrap_err();
    assert!(e.to_string().starts_with("f:2:"), "{e}");
    let e = parse_flow("From To Volume Cost\n1 9 1 3\n", Path::new("f"), 3).unwrap_err();
    assert!(e.to_string().contains("unknown node 9"), "{e}");
    let dir = std::env::temp_dir().join(format!("corridor-assign-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let e = corridor_assign::tntp::read_dir(&dir)
        .unwrap_err()
        .to_string();
    std::fs::remove_dir_all(&dir).ok();
    assert!(e.contains("no *_net.tntp file"), "{e}");
    assert!(corridor_assign::tntp::read_dir(Path::new("/nonexistent/tntp")).is_err());
}

#[test]
fn unreachable_demand_and_bad_options_are_errors() {
    let link = Link {
        from: 0,
        to: 2,
        capacity: 1.0,
        free_flow_time: 1.0,
        b: 0.15,
        power: 4.0,
        length: 0.0,
        toll: 0.0,
        delay: Default::default(),
        preload: 0.0,
    };
    let net = Network::new(3, 2, 0, vec![link]).unwrap();
    let mut d = Demand::new(2);
    d.add(0, 1, 1.0).unwrap();
    let e = assign(&net, &d, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("demand 1 -> 2") && e.contains("no path"), "{e}");
    let net = parse_net(NET, Path::new("n")).unwrap();
    let d = parse_trips(TRIPS, Path::new("t"), 2, &mut Vec::new()).unwrap();
    for bad in [
        Options {
            gap: f64::NAN,
            ..Options::default()
        },
        Options {
            gap: -1.0,
            ..Options::default()
        },
        Options {
            max_iter: 0,
            ..Options::default()
        },
    ] {
        assert!(assign(&net, &d, &bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_gap_not_reached_in_max_iter_is_answered_not_converged() {
    let net = parse_net(NET, Path::new("n")).unwrap();
    let d = parse_trips(TRIPS, Path::new("t"), 2, &mut Vec::new()).unwrap();
    let opts = Options {
        algorithm: Algorithm::FrankWolfe,
        gap: 1e-3,
        max_iter: 1,
        ..Options::default()
    };
    let a = assign(&net, &d, &opts).unwrap();
    assert!(!a.converged);
    assert_eq!(a.iterations.len(), 1);
    // all-or-nothing at free flow piles 150 on the 2-link path of capacity 100
    assert!(a.relative_gap > 1e-3 && a.relative_gap == a.iterations[0].relative_gap);
    // and the flows still carry all the demand out of zone 1
    assert!((a.flows[0] + a.flows[2] - 150.0).abs() < 1e-9);
}
