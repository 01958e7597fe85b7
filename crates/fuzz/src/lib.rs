//! # corridor-fuzz: a fuzz harness that runs on stable Rust
//!
//! Mutation fuzzing without cargo-fuzz: seed inputs (the committed fixtures) are mutated by a
//! seeded generator ([`Mutator`]) and fed to one parser per target under `catch_unwind`
//! ([`run`]); a panic is a finding, its input saved under `target/fuzz-findings/`. The targets
//! are in `tests/fuzz.rs` (one test each), so `cargo test --workspace` runs them for a bounded
//! time; `CORRIDOR_FUZZ_SECS=300` spreads five minutes over the targets (docs/http-api.md,
//! "Fuzzing").
#![deny(missing_docs)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Targets sharing the time of `CORRIDOR_FUZZ_SECS`.
pub const TARGETS: u32 = 6;
/// Seconds per target without `CORRIDOR_FUZZ_SECS` (the targets run in parallel in tests).
pub const DEFAULT_SECS_PER_TARGET: f64 = 2.5;

/// Time for one target: `CORRIDOR_FUZZ_SECS` / [`TARGETS`], else [`DEFAULT_SECS_PER_TARGET`].
pub fn budget() -> Duration {
    let total = std::env::var("CORRIDOR_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0);
    Duration::from_secs_f64(total.map_or(DEFAULT_SECS_PER_TARGET, |t| t / TARGETS as f64))
}

/// A xorshift64* generator: the same seed, the same inputs.
#[derive(Debug, Clone)]
pub struct Mutator(u64);

/// Tokens that break parsers of numbers, CSV, TOML and JSON.
const TOKENS: &[&str] = &[
    "1e308",
    "-1",
    "NaN",
    "inf",
    "-0",
    "1e-300",
    "99999999999999999999",
    ",",
    "\"",
    "\n",
    "\r\n",
    "|",
    "=",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\\",
    "%",
    "%ff",
    "&",
    "~r",
    "*",
    "0",
    "\u{feff}",
    "é",
];

impl Mutator {
    /// A generator from `seed` (any value).
    pub fn new(seed: u64) -> Mutator {
        Mutator(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn bits(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.bits() % n as u64) as usize
        }
    }

    /// `seed` changed by one to four edits: bit flips, boundary bytes, tokens inserted,
    /// ranges deleted or duplicated, bytes overwritten.
    pub fn mutate(&mut self, seed: &[u8]) -> Vec<u8> {
        let mut b = seed.to_vec();
        for _ in 0..1 + self.below(4) {
            let len = b.len();
            let at = self.below(len + 1);
            match self.below(7) {
                0 if len > 0 => {
                    let i = self.below(len);
                    b[i] ^= 1 << self.below(8);
                }
                1 if len > 0 => {
                    let i = self.below(len);
                    b[i] = [0u8, 0xff, 0x7f, 0x80, b'9', b'-'][self.below(6)];
                }
                2 => {
                    let t = TOKENS[self.below(TOKENS.len())].as_bytes();
                    b.splice(at..at, t.iter().copied());
                }
                3 if len > 0 => {
                    let end = (at + 1 + self.below(16)).min(len);
                    b.drain(at.min(len - 1)..end);
                }
                4 if len > 0 => {
                    let end = (at + 1 + self.below(64)).min(len);
                    let piece = b[at.min(len - 1)..end].to_vec();
                    let to = self.below(b.len() + 1);
                    b.splice(to..to, piece);
                }
                5 if len >= 4 => {
                    // A little-endian u32 overwritten (sizes, offsets, node ids).
                    let i = self.below(len - 3);
                    let v = [0u32, 1, u32::MAX, 0x8000_0000, self.bits() as u32][self.below(5)];
                    b[i..i + 4].copy_from_slice(&v.to_le_bytes());
                }
                _ => b.truncate(at),
            }
        }
        b
    }
}

/// What a target's run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Inputs tried.
    pub executions: u64,
    /// Inputs that panicked, saved as files.
    pub findings: Vec<PathBuf>,
}

/// Feeds mutations of `seeds` to `target` for `time` (at least one input), catching panics;
/// prints the executions and findings of `name`. Each finding's input is written to
/// `target/fuzz-findings/NAME-N.bin`.
pub fn run(name: &str, seeds: &[Vec<u8>], time: Duration, mut target: impl FnMut(&[u8])) -> Report {
    let mut m = Mutator::new(0x00c0_ffee ^ name.len() as u64 ^ seed_of(name));
    let mut report = Report::default();
    let start = Instant::now();
    let findings_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/fuzz-findings");
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    while report.executions == 0 || start.elapsed() < time {
        let seed = &seeds[m.below(seeds.len())];
        let input = if report.executions < seeds.len() as u64 {
            seeds[report.executions as usize].clone()
        } else {
            m.mutate(seed)
        };
        report.executions += 1;
        if catch_unwind(AssertUnwindSafe(|| target(&input))).is_err() {
            let _ = std::fs::create_dir_all(&findings_dir);
            let path = findings_dir.join(format!("{name}-{}.bin", report.findings.len()));
            let _ = std::fs::write(&path, &input);
            report.findings.push(path);
            if report.findings.len() >= 10 {
                break;
            }
        }
    }
    std::panic::set_hook(quiet);
    println!(
        "fuzz {name}: {} executions in {:.1} s, {} findings {:?}",
        report.executions,
        start.elapsed().as_secs_f64(),
        report.findings.len(),
        report.findings
    );
    report
}

fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_deterministic_and_do_change_the_input() {
        let seed = b"place,lat,lon\nKZ-aktau,43.65,51.2\n".to_vec();
        let (mut a, mut b) = (Mutator::new(7), Mutator::new(7));
        let xs: Vec<Vec<u8>> = (0..50).map(|_| a.mutate(&seed)).collect();
        let ys: Vec<Vec<u8>> = (0..50).map(|_| b.mutate(&seed)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().filter(|x| **x != seed).count() > 40);
    }

    #[test]
    fn a_panicking_target_is_a_finding_and_a_quiet_one_is_not() {
        let seeds = vec![b"abc".to_vec()];
        let r = run("selftest-quiet", &seeds, Duration::from_millis(20), |_| {});
        assert!(r.executions > 1 && r.findings.is_empty());
        let r = run("selftest-panics", &seeds, Duration::from_millis(20), |b| {
            assert!(!b.contains(&b'x') || b.len() > 1000);
            if b.is_empty() {
                panic!("empty");
            }
        });
        assert!(!r.findings.is_empty());
        for f in r.findings {
            let _ = std::fs::remove_file(f);
        }
    }
}
