//! Shared by the differential tests: a seeded generator and random graphs.
#![allow(dead_code)]

use corridor_physical::{Meta, Network, NetworkBuilder, NO_TAG};

/// xorshift64*: a fixed-seed generator so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A random directed graph. With `spread`, nodes are scattered over ~200 km and arc
/// lengths are the great-circle length times 1–2 (and some shorter, which the builder
/// raises); without it, all nodes sit on one point and lengths are arbitrary.
pub fn random_graph(
    rng: &mut Rng,
    n: usize,
    arcs: usize,
    spread: bool,
) -> (Network, Vec<(u32, u32, u64)>) {
    let mut b = NetworkBuilder::new();
    let mut pos = Vec::new();
    for _ in 0..n {
        let (lat, lon) = if spread {
            (43.0 + rng.unit() * 2.0, 76.0 + rng.unit() * 2.0)
        } else {
            (43.0, 76.0)
        };
        pos.push((lat, lon));
        b.add_node(lat, lon).unwrap();
    }
    let mut input = Vec::new();
    for _ in 0..arcs {
        let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
        let len = if spread {
            let (a, c) = (pos[u as usize], pos[v as usize]);
            let gc = corridor_physical::haversine_m(a.0, a.1, c.0, c.1);
            (gc * (0.9 + rng.unit() * 1.1)).round()
        } else {
            rng.below(1000) as f64
        };
        b.add_arc(u, v, Some(len), NO_TAG).unwrap();
        input.push((u, v, len as u64));
    }
    (b.build(Meta::default(), false).unwrap(), input)
}
