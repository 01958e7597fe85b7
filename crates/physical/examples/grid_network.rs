//! A synthetic road network for benchmarks: a `SIDE` × `SIDE` grid of nodes about 2.2 km
//! apart (south-east Poland), each street 0–30 % longer than the straight line and about one
//! in ten left out (a fixed pseudo-random sequence, so every run writes the same network),
//! saved as `NAME` in `DIR`. Used for the OSRM table figures in docs/benchmarks.md.
//!
//! ```text
//! cargo run -p corridor-physical --example grid_network -- DIR NAME SIDE
//! ```

use corridor_physical::{Meta, NetworkBuilder, NetworkDir};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, name, side] = args.as_slice() else {
        return Err("usage: grid_network DIR NAME SIDE".into());
    };
    let side: usize = side.parse()?;
    // A 64-bit linear congruential generator (Knuth's MMIX constants): fixed and dependency-free.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut b = NetworkBuilder::new();
    let tag = b.tag("highway=primary")?;
    let mut ids = Vec::with_capacity(side * side);
    for i in 0..side {
        for j in 0..side {
            ids.push(b.add_node(50.0 + i as f64 * 0.02, 20.0 + j as f64 * 0.03)?);
        }
    }
    let pos = |i: usize, j: usize| (50.0 + i as f64 * 0.02, 20.0 + j as f64 * 0.03);
    for i in 0..side {
        for j in 0..side {
            for (di, dj) in [(0, 1), (1, 0)] {
                let (k, l) = (i + di, j + dj);
                if k >= side || l >= side || next() < 0.1 {
                    continue;
                }
                let (a, c) = (pos(i, j), pos(k, l));
                let m = corridor_physical::haversine_m(a.0, a.1, c.0, c.1) * (1.0 + 0.3 * next());
                b.add_edge(ids[i * side + j], ids[k * side + l], Some(m), tag)?;
            }
        }
    }
    let net = b.build(
        Meta {
            name: name.clone(),
            source: format!("synthetic {side}×{side} grid (examples/grid_network.rs)"),
            attribution: "none".into(),
            ..Meta::default()
        },
        false,
    )?;
    let path = NetworkDir::new(dir).save(name, &net)?;
    println!(
        "{}: {} nodes, {} arcs",
        path.display(),
        net.node_count(),
        net.arc_count()
    );
    Ok(())
}
