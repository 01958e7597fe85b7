//! Contraction hierarchies (CH): a one-off preparation of a [`Network`] that answers
//! shortest-path queries by two small upward searches, stored beside the network.
//!
//! - [`build()`] contracts the nodes one by one (order by [`build::Params`] and a lazily updated
//!   priority, see [`mod@build`]), adding a shortcut `u → w` with middle node `v` whenever a bounded
//!   witness search finds no path from `u` to `w` as short as `u → v → w` without `v`.
//! - [`ContractionHierarchy`] is the index: nodes renumbered by rank (CH node `r` is the `r`-th
//!   contracted), the upward arcs of each node in two CSR arrays (forward: original direction
//!   `r → h`; backward: original direction `h → r`; always `h > r`), each with its weight and
//!   middle node. It is stored in its own checked, versioned, memory-mappable file (`NAME.ch`
//!   beside `NAME.cnet`, layout below) that names the network file it belongs to by the
//!   network's checksum, so a re-imported network is never answered with a stale hierarchy.
//! - [`ChQuery`] (reusable per thread) answers a path (unpacked into network nodes and arcs,
//!   for geometry and tag lengths) or a length only; it stalls on demand.
//! - [`matrix`] computes many-to-many distances with buckets (one backward search per target,
//!   one forward search per source, the sources spread over threads with rayon).
//!
//! ```text
//! offset  size  field (all little-endian)
//!      0     8  magic  b"CORRCH\0\x1a"
//!      8     4  format version (u32) = CH_FORMAT_VERSION
//!     12     4  header length (u32) = 64
//!     16     4  n = node count (u32), as in the network
//!     20     4  mf = forward up arcs (u32)
//!     24     4  mb = backward up arcs (u32)
//!     28     4  metadata length in bytes (u32)
//!     32     8  payload length in bytes (u64): file length - 64
//!     40     4  CRC-32 (IEEE) of the payload (u32)
//!     44     4  CRC-32 of the network file's payload (the network header's checksum)
//!     48     4  arc count of the network (u32)
//!     52    12  reserved, zero
//!     64        payload; every array starts on a multiple of 8 bytes (zero padding):
//!               rank        n × u32    network node → CH node
//!               node_of     n × u32    CH node → network node
//!               fwd_first   (n+1) × u32, fwd_head mf × u32, fwd_mid mf × u32, fwd_weight mf × u64
//!                           (fwd_mid: middle CH node, or ORIGINAL | network arc id)
//!               bwd_first   (n+1) × u32, bwd_head mb × u32, bwd_mid mb × u32, bwd_weight mb × u64
//!               meta        JSON ([`ChMeta`]), UTF-8
//! ```
//!
//! Weights are metres (`u64`: shortcuts can be longer than the 4,294 km an arc can hold).
//! A `mid` with the top bit set ([`ORIGINAL`]) marks an original arc and holds its network
//! arc id in the other 31 bits, so unpacking needs no search in the network.

pub mod build;
mod matrix;
mod query;

pub use build::{build, Params};
pub use matrix::{matrix, matrix_within};
pub use query::ChQuery;

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};
use crate::format::Network;

/// The first eight bytes of every hierarchy file.
pub const CH_MAGIC: [u8; 8] = *b"CORRCH\x00\x1a";
/// The hierarchy format version this build reads and writes.
pub const CH_FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 64;
/// Flag of the `mid` entry of an original (not shortcut) arc; the low 31 bits are then the
/// network's arc id.
pub const ORIGINAL: u32 = 1 << 31;

/// How the hierarchy was built, stored as JSON at the end of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChMeta {
    /// Name of the network it was built for.
    pub network: String,
    /// Arc tags left out of the hierarchy (e.g. `passage=northwest`); a query with another
    /// set of blocked tags cannot use it.
    pub blocked_tags: Vec<String>,
    /// Number of shortcut arcs.
    pub shortcuts: u64,
    /// [`Params::witness_settled`].
    pub witness_settled: u64,
    /// [`Params::priority_settled`].
    pub priority_settled: u64,
    /// The corridor version that wrote the file.
    pub written_by: String,
}

/// The arrays of a hierarchy, borrowed (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct ChParts<'a> {
    /// Network node → CH node.
    pub rank: &'a [u32],
    /// CH node → network node.
    pub node_of: &'a [u32],
    /// Forward upward CSR offsets, n+1.
    pub fwd_first: &'a [u32],
    /// Forward upward arc heads (CH nodes, above the tail).
    pub fwd_head: &'a [u32],
    /// Middle node of each forward arc (CH node, below both ends), or [`ORIGINAL`] | arc id.
    pub fwd_mid: &'a [u32],
    /// Forward arc weights, metres.
    pub fwd_weight: &'a [u64],
    /// Backward upward CSR offsets, n+1.
    pub bwd_first: &'a [u32],
    /// Backward upward arc heads: the tails of original-direction arcs into the node.
    pub bwd_head: &'a [u32],
    /// Middle node of each backward arc, or [`ORIGINAL`] | arc id.
    pub bwd_mid: &'a [u32],
    /// Backward arc weights, metres.
    pub bwd_weight: &'a [u64],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    n: usize,
    mf: usize,
    mb: usize,
    offsets: [usize; 10],
    meta: usize,
    meta_len: usize,
    end: usize,
}

impl Layout {
    fn new(n: u64, mf: u64, mb: u64, meta_len: u64) -> Option<Layout> {
        let mut at = HEADER_LEN as u64;
        let mut take = |bytes: Option<u64>| -> Option<usize> {
            let start = at;
            at = at.checked_add(bytes?)?.div_ceil(8) * 8;
            usize::try_from(start).ok()
        };
        let n1 = n + 1;
        let offsets = [
            take(n.checked_mul(4))?,
            take(n.checked_mul(4))?,
            take(n1.checked_mul(4))?,
            take(mf.checked_mul(4))?,
            take(mf.checked_mul(4))?,
            take(mf.checked_mul(8))?,
            take(n1.checked_mul(4))?,
            take(mb.checked_mul(4))?,
            take(mb.checked_mul(4))?,
            take(mb.checked_mul(8))?,
        ];
        let meta = take(Some(meta_len))?;
        Some(Layout {
            n: usize::try_from(n).ok()?,
            mf: usize::try_from(mf).ok()?,
            mb: usize::try_from(mb).ok()?,
            offsets,
            meta,
            meta_len: usize::try_from(meta_len).ok()?,
            end: usize::try_from(at).ok()?,
        })
    }
}

enum Bytes {
    Owned(Vec<u64>),
    Mapped(memmap2::Mmap),
}

impl Bytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => bytemuck::cast_slice(v),
            Bytes::Mapped(m) => m,
        }
    }
}

/// A contraction hierarchy of one network (in memory or memory-mapped).
pub struct ContractionHierarchy {
    bytes: Bytes,
    layout: Layout,
    meta: ChMeta,
    network_crc: u32,
}

impl std::fmt::Debug for ContractionHierarchy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContractionHierarchy")
            .field("nodes", &self.layout.n)
            .field("up_arcs", &(self.layout.mf + self.layout.mb))
            .field("meta", &self.meta)
            .finish()
    }
}

fn section<T: bytemuck::Pod>(bytes: &[u8], at: usize, count: usize) -> &[T] {
    bytemuck::cast_slice(&bytes[at..at + count * std::mem::size_of::<T>()])
}

fn section_mut<T: bytemuck::Pod>(bytes: &mut [u8], at: usize, count: usize) -> &mut [T] {
    bytemuck::cast_slice_mut(&mut bytes[at..at + count * std::mem::size_of::<T>()])
}

fn network_crc(net: &Network) -> u32 {
    let b = net.as_bytes();
    u32::from_le_bytes([b[40], b[41], b[42], b[43]])
}

impl ContractionHierarchy {
    /// Serialises arrays and metadata into a new in-memory hierarchy for `net`.
    ///
    /// # Errors
    /// [`Error::InvalidNetwork`] if the arrays contradict each other or `net`.
    pub fn from_parts(meta: ChMeta, net: &Network, p: ChParts<'_>) -> Result<ContractionHierarchy> {
        let invalid = |reason: String| Error::InvalidNetwork { reason };
        let json = serde_json::to_vec(&meta).map_err(|e| invalid(format!("metadata: {e}")))?;
        let (n, mf, mb) = (p.rank.len(), p.fwd_head.len(), p.bwd_head.len());
        let l = Layout::new(n as u64, mf as u64, mb as u64, json.len() as u64)
            .ok_or_else(|| invalid("hierarchy too large".into()))?;
        let mut words = vec![0u64; l.end / 8];
        {
            let b: &mut [u8] = bytemuck::cast_slice_mut(&mut words);
            b[0..8].copy_from_slice(&CH_MAGIC);
            let mut put = |at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
            put(8, CH_FORMAT_VERSION);
            put(12, HEADER_LEN as u32);
            put(16, n as u32);
            put(20, mf as u32);
            put(24, mb as u32);
            put(28, json.len() as u32);
            put(44, network_crc(net));
            put(48, net.arc_count() as u32);
            b[32..40].copy_from_slice(&((l.end - HEADER_LEN) as u64).to_le_bytes());
            let o = l.offsets;
            section_mut::<u32>(b, o[0], n).copy_from_slice(p.rank);
            section_mut::<u32>(b, o[1], n).copy_from_slice(p.node_of);
            section_mut::<u32>(b, o[2], n + 1).copy_from_slice(p.fwd_first);
            section_mut::<u32>(b, o[3], mf).copy_from_slice(p.fwd_head);
            section_mut::<u32>(b, o[4], mf).copy_from_slice(p.fwd_mid);
            section_mut::<u64>(b, o[5], mf).copy_from_slice(p.fwd_weight);
            section_mut::<u32>(b, o[6], n + 1).copy_from_slice(p.bwd_first);
            section_mut::<u32>(b, o[7], mb).copy_from_slice(p.bwd_head);
            section_mut::<u32>(b, o[8], mb).copy_from_slice(p.bwd_mid);
            section_mut::<u64>(b, o[9], mb).copy_from_slice(p.bwd_weight);
            b[l.meta..l.meta + json.len()].copy_from_slice(&json);
            let crc = crc32fast::hash(&b[HEADER_LEN..]);
            b[40..44].copy_from_slice(&crc.to_le_bytes());
        }
        let ch = ContractionHierarchy::check(Bytes::Owned(words), Path::new("(in memory)"))?;
        ch.check_network(net, Path::new("(in memory)"))?;
        Ok(ch)
    }

    /// Opens a hierarchy file by memory-mapping it, after checking it whole and that it
    /// belongs to `net`.
    ///
    /// # Errors
    /// [`Error::Io`]; [`Error::Foreign`], [`Error::Truncated`], [`Error::Version`] or
    /// [`Error::Corrupt`] if it is not a valid hierarchy file; [`Error::StaleHierarchy`] if it
    /// was built for another version of the network.
    pub fn open(path: &Path, net: &Network) -> Result<ContractionHierarchy> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let bytes = if len < HEADER_LEN as u64 {
            let raw = std::fs::read(path).map_err(io)?;
            let mut words = vec![0u64; raw.len().div_ceil(8)];
            bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..raw.len()].copy_from_slice(&raw);
            return ContractionHierarchy::check_len(Bytes::Owned(words), raw.len(), path)
                .and_then(|ch| ch.check_network(net, path).map(|()| ch));
        } else {
            // SAFETY: corridor writes hierarchy files once, to a temporary name, and renames
            // them into place; it never modifies a file in place (as for network files).
            Bytes::Mapped(unsafe { memmap2::Mmap::map(&file) }.map_err(io)?)
        };
        let ch = ContractionHierarchy::check(bytes, path)?;
        ch.check_network(net, path)?;
        Ok(ch)
    }

    /// Reads a hierarchy file into memory (no mapping), with the checks of
    /// [`ContractionHierarchy::open`]; the read is bounded by the file's size.
    ///
    /// # Errors
    /// As [`ContractionHierarchy::open`].
    pub fn read(path: &Path, net: &Network) -> Result<ContractionHierarchy> {
        use std::io::Read;
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = File::open(path).map_err(io)?;
        let meta = file.metadata().map_err(io)?;
        if !meta.is_file() {
            return Err(Error::Foreign {
                path: path.to_path_buf(),
                reason: "not a regular file; a hierarchy file is written by corridor prepare"
                    .into(),
            });
        }
        let mut raw = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        (&mut file)
            .take(meta.len())
            .read_to_end(&mut raw)
            .map_err(io)?;
        let mut words = vec![0u64; raw.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..raw.len()].copy_from_slice(&raw);
        let ch = ContractionHierarchy::check_len(Bytes::Owned(words), raw.len(), path)?;
        ch.check_network(net, path)?;
        Ok(ch)
    }

    fn check_network(&self, net: &Network, path: &Path) -> Result<()> {
        let arcs = u32::from_le_bytes(self.as_bytes()[48..52].try_into().unwrap_or([0; 4]));
        if self.network_crc != network_crc(net)
            || self.layout.n != net.node_count()
            || arcs as usize != net.arc_count()
        {
            return Err(Error::StaleHierarchy {
                path: path.to_path_buf(),
                network: net.meta().name.clone(),
            });
        }
        // Original arcs name network arcs between the right nodes.
        let (p, g) = (self.parts(), net.parts());
        let sides = [
            (p.fwd_first, p.fwd_head, p.fwd_mid, true),
            (p.bwd_first, p.bwd_head, p.bwd_mid, false),
        ];
        for (first, head, mid, forward) in sides {
            for r in 0..self.layout.n {
                for a in first[r] as usize..first[r + 1] as usize {
                    if mid[a] & ORIGINAL == 0 {
                        continue;
                    }
                    let arc = (mid[a] & !ORIGINAL) as usize;
                    let (x, y) = (p.node_of[r], p.node_of[head[a] as usize]);
                    let (tail, to) = if forward { (x, y) } else { (y, x) };
                    let ok = arc < g.head.len()
                        && g.head[arc] == to
                        && (g.first_out[tail as usize]..g.first_out[tail as usize + 1])
                            .contains(&(arc as u32));
                    if !ok {
                        return Err(Error::Corrupt {
                            path: path.to_path_buf(),
                            reason: format!("hierarchy arc {a} names network arc {arc} wrongly"),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn check(bytes: Bytes, path: &Path) -> Result<ContractionHierarchy> {
        let len = bytes.as_slice().len();
        ContractionHierarchy::check_len(bytes, len, path)
    }

    fn check_len(bytes: Bytes, len: usize, path: &Path) -> Result<ContractionHierarchy> {
        let b = &bytes.as_slice()[..len];
        let p = || path.to_path_buf();
        let corrupt = |reason: String| Error::Corrupt { path: p(), reason };
        if b.len() < 8 || b[..8] != CH_MAGIC {
            return Err(Error::Foreign {
                path: p(),
                reason: "it does not start with \"CORRCH\"".into(),
            });
        }
        if b.len() < HEADER_LEN {
            return Err(Error::Truncated {
                path: p(),
                reason: format!(
                    "{} bytes, shorter than the {HEADER_LEN}-byte header",
                    b.len()
                ),
            });
        }
        let u32_at = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        if u32_at(8) != CH_FORMAT_VERSION {
            return Err(Error::Version {
                path: p(),
                found: u32_at(8),
                expected: CH_FORMAT_VERSION,
            });
        }
        if u32_at(12) as usize != HEADER_LEN {
            return Err(corrupt(format!(
                "header length {} ≠ {HEADER_LEN}",
                u32_at(12)
            )));
        }
        let (n, mf, mb, meta_len) = (u32_at(16), u32_at(20), u32_at(24), u32_at(28));
        let mut payload = [0u8; 8];
        payload.copy_from_slice(&b[32..40]);
        let payload_len = u64::from_le_bytes(payload);
        let layout = Layout::new(n as u64, mf as u64, mb as u64, meta_len as u64)
            .ok_or_else(|| corrupt(format!("impossible sizes: {n} nodes, {mf}+{mb} arcs")))?;
        if payload_len != (layout.end - HEADER_LEN) as u64 {
            return Err(corrupt(format!(
                "payload length {payload_len} does not match the array sizes"
            )));
        }
        crate::format::check_extent_and_crc(b, layout.end, HEADER_LEN, u32_at(40), path)?;
        let meta: ChMeta = serde_json::from_slice(&b[layout.meta..layout.meta + layout.meta_len])
            .map_err(|e| corrupt(format!("metadata: {e}")))?;
        let network_crc = u32_at(44);
        let ch = ContractionHierarchy {
            bytes,
            layout,
            meta,
            network_crc,
        };
        ch.validate().map_err(corrupt)?;
        Ok(ch)
    }

    /// Structural checks, so that queries index within bounds and always go upward.
    fn validate(&self) -> std::result::Result<(), String> {
        let g = self.parts();
        let n = self.layout.n;
        for (r, &v) in g.node_of.iter().enumerate() {
            if v as usize >= n || g.rank[v as usize] as usize != r {
                return Err("rank and node_of are not inverse permutations".into());
            }
        }
        let sides = [
            ("forward", g.fwd_first, g.fwd_head, g.fwd_mid),
            ("backward", g.bwd_first, g.bwd_head, g.bwd_mid),
        ];
        for (name, first, head, mid) in sides {
            if first[0] != 0 || first[n] as usize != head.len() {
                return Err(format!("{name} offsets do not span the arcs"));
            }
            if first.windows(2).any(|w| w[0] > w[1]) {
                return Err(format!("{name} offsets are not sorted"));
            }
            for r in 0..n {
                for a in first[r] as usize..first[r + 1] as usize {
                    let (h, m) = (head[a] as usize, mid[a]);
                    if h <= r || h >= n || (m & ORIGINAL == 0 && m as usize >= r) {
                        return Err(format!("{name} arc {a} of node {r} does not go upward"));
                    }
                }
            }
        }
        // A shortcut unpacks into the two arcs of its middle node that a query looks up
        // (`query::unpack`): checked here with the same lookup, so a file whose checksum was
        // recomputed over a wrong shortcut is refused at open instead of failing a query.
        for (name, forward, first, head, mid) in [
            ("forward", true, g.fwd_first, g.fwd_head, g.fwd_mid),
            ("backward", false, g.bwd_first, g.bwd_head, g.bwd_mid),
        ] {
            for r in 0..n {
                for a in first[r] as usize..first[r + 1] as usize {
                    let m = mid[a];
                    if m & ORIGINAL != 0 {
                        continue;
                    }
                    let (x, y) = if forward {
                        (r as u32, head[a])
                    } else {
                        (head[a], r as u32)
                    };
                    if query::shortcut_arcs(&g, x, y, m).is_none() {
                        return Err(format!(
                            "{name} shortcut {a} of node {r} names middle node {m}, which has no arcs to both its ends"
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The arrays.
    pub fn parts(&self) -> ChParts<'_> {
        let b = self.bytes.as_slice();
        let l = &self.layout;
        let o = l.offsets;
        ChParts {
            rank: section(b, o[0], l.n),
            node_of: section(b, o[1], l.n),
            fwd_first: section(b, o[2], l.n + 1),
            fwd_head: section(b, o[3], l.mf),
            fwd_mid: section(b, o[4], l.mf),
            fwd_weight: section(b, o[5], l.mf),
            bwd_first: section(b, o[6], l.n + 1),
            bwd_head: section(b, o[7], l.mb),
            bwd_mid: section(b, o[8], l.mb),
            bwd_weight: section(b, o[9], l.mb),
        }
    }

    /// The metadata.
    pub fn meta(&self) -> &ChMeta {
        &self.meta
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.layout.n
    }

    /// Number of upward arcs (both directions, shortcuts included).
    pub fn arc_count(&self) -> usize {
        self.layout.mf + self.layout.mb
    }

    /// The file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes.as_slice()[..self.layout.end]
    }

    /// Whether a query that blocks exactly `tags` may use this hierarchy.
    pub fn serves(&self, tags: &[&str]) -> bool {
        let mut a: Vec<&str> = self.meta.blocked_tags.iter().map(String::as_str).collect();
        let mut b = tags.to_vec();
        a.sort_unstable();
        b.sort_unstable();
        a.dedup();
        b.dedup();
        a == b
    }

    /// Writes the hierarchy to `path` atomically (temporary file, sync, rename).
    ///
    /// # Errors
    /// [`Error::Io`].
    pub fn write(&self, path: &Path) -> Result<()> {
        crate::format::write_atomic(path, self.as_bytes())
    }
}
