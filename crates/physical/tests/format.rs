//! The network file: round trip, atomic write, and clear errors for truncated, foreign,
//! corrupt and future files.

use corridor_physical::{format, Error, Meta, Network, NetworkBuilder, NetworkDir};

fn sample() -> Network {
    let mut b = NetworkBuilder::new();
    let suez = b.tag("passage=suez").unwrap();
    let n: Vec<u32> = [
        (31.3, 32.3),
        (30.0, 32.5),
        (29.9, 32.6),
        (-33.9, 18.4),
        (12.4, 43.7),
    ]
    .iter()
    .map(|&(lat, lon)| b.add_node(lat, lon).unwrap())
    .collect();
    b.add_edge(n[0], n[1], None, suez).unwrap();
    b.add_edge(n[1], n[2], Some(20_000.0), 0).unwrap();
    b.add_arc(n[2], n[4], None, 0).unwrap();
    b.build(
        Meta {
            name: "sea".into(),
            source: "test".into(),
            ..Meta::default()
        },
        false,
    )
    .unwrap()
}

#[test]
fn round_trip_through_a_file() {
    let net = sample();
    let dir = tempfile::tempdir().unwrap();
    let store = NetworkDir::new(dir.path().join("nested"));
    let path = store.save("sea", &net).unwrap();
    assert_eq!(store.list(), vec!["sea".to_string()]);
    // No temporary file left behind.
    assert_eq!(
        std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
        1
    );
    for back in [
        Network::open(&path).unwrap(),
        Network::read(&path).unwrap(),
        store.open("sea").unwrap(),
    ] {
        assert_eq!(back.meta(), net.meta());
        assert_eq!(back.as_bytes(), net.as_bytes());
        let (a, b) = (back.parts(), net.parts());
        assert_eq!(a.lat_lon, b.lat_lon);
        assert_eq!(a.head, b.head);
        assert_eq!(a.length_m, b.length_m);
        assert_eq!(a.tag, b.tag);
        assert_eq!(a.component, b.component);
    }
    assert_eq!(net.meta().tags[1], "passage=suez");
    assert_eq!(net.meta().report.components.count, 2);
    assert_eq!(net.meta().report.components.largest, 4);
}

#[test]
fn building_twice_gives_the_same_bytes() {
    assert_eq!(sample().as_bytes(), sample().as_bytes());
}

#[test]
fn every_truncation_is_an_error() {
    let net = sample();
    let bytes = net.as_bytes();
    let p = std::path::Path::new("t.cnet");
    for len in 0..bytes.len() {
        let err = Network::from_bytes(&bytes[..len], p).unwrap_err();
        match (len, &err) {
            (0..=7, Error::Foreign { .. }) => {}
            (8.., Error::Truncated { .. }) => {}
            _ => panic!("length {len}: {err}"),
        }
    }
    // On disk too, through the memory map.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rail.cnet");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = Network::open(&path).unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
    assert_eq!(err.code(), "InvalidData");
    assert_eq!(err.exit_code(), 4);
}

#[test]
fn foreign_files_are_refused() {
    let p = std::path::Path::new("x.cnet");
    for junk in [
        &b"PK\x03\x04 a zip file"[..],
        b"{\"type\":\"FeatureCollection\"}",
        b"",
    ] {
        let err = Network::from_bytes(junk, p).unwrap_err();
        assert!(matches!(err, Error::Foreign { .. }), "{err}");
        assert!(err.to_string().contains("not a corridor network file"));
    }
}

#[test]
fn corruption_and_versions_are_reported() {
    let net = sample();
    let p = std::path::Path::new("x.cnet");
    // A flipped payload byte fails the checksum.
    let mut bytes = net.as_bytes().to_vec();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x55;
    let err = Network::from_bytes(&bytes, p).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("checksum"));
    // Another format version.
    let mut bytes = net.as_bytes().to_vec();
    bytes[8..12].copy_from_slice(&(format::FORMAT_VERSION + 1).to_le_bytes());
    let err = Network::from_bytes(&bytes, p).unwrap_err();
    assert!(matches!(err, Error::Version { found, .. } if found == format::FORMAT_VERSION + 1));
    // Trailing bytes.
    let mut bytes = net.as_bytes().to_vec();
    bytes.extend_from_slice(&[0; 8]);
    assert!(matches!(
        Network::from_bytes(&bytes, p),
        Err(Error::Corrupt { .. })
    ));
    // A header that claims billions of nodes.
    let mut bytes = net.as_bytes().to_vec();
    bytes[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = Network::from_bytes(&bytes, p).unwrap_err();
    assert!(
        matches!(&err, Error::Corrupt { reason, .. } if reason.starts_with(&format!("payload length {} does not match {} nodes", bytes.len() - 64, u32::MAX))),
        "{err}"
    );
}

#[test]
fn arrays_that_lie_are_refused_even_with_a_valid_checksum() {
    let net = sample();
    let p = std::path::Path::new("x.cnet");
    let mut bytes = net.as_bytes().to_vec();
    // Point the first arc's head past the nodes, then fix the checksum.
    let n = net.node_count();
    let head_at = 64 + ((n * 16 + (n + 1) * 4).div_ceil(8) * 8);
    bytes[head_at..head_at + 4].copy_from_slice(&1000u32.to_le_bytes());
    let crc = crc32(&bytes[64..]);
    bytes[40..44].copy_from_slice(&crc.to_le_bytes());
    let err = Network::from_bytes(&bytes, p).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
}

fn crc32(data: &[u8]) -> u32 {
    // Bitwise CRC-32 (IEEE), independent of the crate under test.
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A folder or a device where a network file should be is invalid data, found before any
/// byte is read (a folder exited 1 as an internal error; /dev/zero was read until memory ran
/// out; issue 17).
#[test]
fn folders_and_devices_are_not_network_files() {
    let dir = tempfile::tempdir().unwrap();
    for path in [dir.path(), std::path::Path::new("/dev/zero")] {
        for r in [
            corridor_physical::Network::open(path),
            corridor_physical::Network::read(path),
        ] {
            match r {
                Err(corridor_physical::Error::Foreign { reason, .. }) => {
                    assert!(
                        reason.contains("a folder") || reason.contains("not a regular file"),
                        "{reason}"
                    )
                }
                Err(e) => panic!("{}: {e:?}", path.display()),
                Ok(_) => panic!("{} opened", path.display()),
            }
        }
    }
}
