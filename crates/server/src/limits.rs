//! Who a client is (for the rate limit) and the per-client token buckets.
//!
//! A client is its peer address, unless it presented the **configured** API key: a header the
//! server did not configure never picks the bucket (a fresh random `X-API-Key` on each request
//! must not bypass the limit). Buckets are keyed by a fixed-size value (an address, or a hash
//! of the key), and the table holds at most [`MAX_CLIENTS`] of them: a full table first drops
//! the buckets that have refilled (they are the same as a new one), and while it is still full
//! new clients are refused (429) rather than let it grow.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most clients whose buckets are kept (about 64 bytes each).
pub const MAX_CLIENTS: usize = 65_536;

/// Shortest time between two sweeps of a full table.
const PRUNE_EVERY: Duration = Duration::from_millis(100);

/// A rate-limited client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    /// By peer address.
    Peer(IpAddr),
    /// By the configured API key it presented (a keyed hash, never the key).
    Key(u64),
}

/// True when `given` equals `want`, in time independent of where they differ.
pub fn key_matches(given: &str, want: &str) -> bool {
    let (g, w) = (given.as_bytes(), want.as_bytes());
    let mut diff = (g.len() != w.len()) as u8;
    for (i, b) in w.iter().enumerate() {
        diff |= b ^ g.get(i).copied().unwrap_or(0);
    }
    diff == 0
}

#[derive(Default)]
struct Table {
    buckets: HashMap<Client, (f64, Instant)>,
    last_prune: Option<Instant>,
}

/// Token buckets per client.
#[derive(Default)]
pub struct Limiter {
    table: Mutex<Table>,
    hasher: RandomState,
}

impl Limiter {
    /// The client of a request: the configured key if `presented` is it, else the peer address
    /// (unspecified when unknown, as in in-process tests).
    pub fn client(
        &self,
        configured: Option<&str>,
        presented: Option<&str>,
        peer: Option<IpAddr>,
    ) -> Client {
        match (configured, presented) {
            (Some(want), Some(given)) if key_matches(given, want) => {
                Client::Key(self.hasher.hash_one(want))
            }
            _ => Client::Peer(peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))),
        }
    }

    /// Takes a token for `client` at `rate` per second (burst `rate`); false when the client
    /// is over its rate, or is new while the table is full of active clients.
    pub fn take(&self, client: Client, rate: u32) -> bool {
        self.take_at(client, rate, Instant::now())
    }

    fn take_at(&self, client: Client, rate: u32, now: Instant) -> bool {
        let Ok(mut t) = self.table.lock() else {
            return true;
        };
        let cap = f64::from(rate.max(1));
        if !t.buckets.contains_key(&client) && t.buckets.len() >= MAX_CLIENTS {
            let recent = t
                .last_prune
                .is_some_and(|p| now.saturating_duration_since(p) < PRUNE_EVERY);
            if !recent {
                t.last_prune = Some(now);
                // A bucket idle for a second has refilled: dropping it changes nothing.
                t.buckets.retain(|_, (_, at)| {
                    now.saturating_duration_since(*at) < Duration::from_secs(1)
                });
            }
            if t.buckets.len() >= MAX_CLIENTS {
                return false;
            }
        }
        let e = t.buckets.entry(client).or_insert((cap, now));
        let refill = now.saturating_duration_since(e.1).as_secs_f64() * cap;
        e.0 = (e.0 + refill).min(cap);
        e.1 = now;
        if e.0 >= 1.0 {
            e.0 -= 1.0;
            true
        } else {
            false
        }
    }

    /// Buckets held now.
    pub fn len(&self) -> usize {
        self.table.lock().map(|t| t.buckets.len()).unwrap_or(0)
    }

    /// True when no bucket is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unconfigured_key_does_not_pick_the_bucket() {
        let l = Limiter::default();
        let peer: IpAddr = "192.0.2.7".parse().unwrap();
        // No key configured: every header value is the same client (the peer).
        let a = l.client(None, Some("random-1"), Some(peer));
        let b = l.client(None, Some("random-2"), Some(peer));
        assert_eq!(a, b);
        assert_eq!(a, Client::Peer(peer));
        // A key configured: only the right one is a key client; a wrong one is the peer.
        assert_eq!(
            l.client(Some("s3cret"), Some("nope"), Some(peer)),
            Client::Peer(peer)
        );
        assert!(matches!(
            l.client(Some("s3cret"), Some("s3cret"), Some(peer)),
            Client::Key(_)
        ));
        // Two requests a second from one peer with fresh random keys: the third is refused.
        let now = Instant::now();
        for (i, want) in [true, true, false].into_iter().enumerate() {
            let c = l.client(None, Some(&format!("k{i}")), Some(peer));
            assert_eq!(l.take_at(c, 2, now), want, "request {i}");
        }
    }

    #[test]
    fn the_table_is_bounded_and_refilled_buckets_are_dropped() {
        let l = Limiter::default();
        let t0 = Instant::now();
        let peer = |i: usize| Client::Peer(IpAddr::V6(std::net::Ipv6Addr::from(i as u128)));
        for i in 0..MAX_CLIENTS {
            assert!(l.take_at(peer(i), 5, t0));
        }
        assert_eq!(l.len(), MAX_CLIENTS);
        // Full of active clients: a new one is refused, the table does not grow.
        assert!(!l.take_at(peer(MAX_CLIENTS), 5, t0));
        assert_eq!(l.len(), MAX_CLIENTS);
        // A second later every bucket has refilled: the sweep drops them and admits the new one.
        let t1 = t0 + Duration::from_secs(1);
        assert!(l.take_at(peer(MAX_CLIENTS + 1), 5, t1));
        assert_eq!(l.len(), 1);
    }

    #[test]
    fn keys_compare_whole() {
        assert!(key_matches("abc", "abc"));
        assert!(!key_matches("abcd", "abc"));
        assert!(!key_matches("ab", "abc"));
        assert!(!key_matches("", "abc"));
        assert!(!key_matches("abd", "abc"));
    }
}
