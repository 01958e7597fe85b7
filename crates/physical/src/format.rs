//! The network file: a versioned header, a CRC-32 over the payload, then fixed-width arrays
//! that can be used in place from a memory map.
//!
//! ```text
//! offset  size  field (all little-endian)
//!      0     8  magic  b"CORRNET\x1a"
//!      8     4  format version (u32) = FORMAT_VERSION
//!     12     4  header length (u32) = 64
//!     16     4  n = node count (u32)
//!     20     4  m = arc count (u32)
//!     24     4  metadata length in bytes (u32)
//!     28     4  flags (u32) = 0
//!     32     8  payload length in bytes (u64): file length - 64
//!     40     4  CRC-32 (IEEE) of the payload (u32)
//!     44    20  reserved, zero
//!     64        payload; every array starts on a multiple of 8 bytes (zero padding):
//!               lat_lon    n × [f64; 2]   degrees, [lat, lon]
//!               first_out  (n+1) × u32    arcs of node u: first_out[u]..first_out[u+1]
//!               head       m × u32        head node of each arc
//!               length_m   m × u32        arc length, metres, >= great-circle length
//!               tag        m × u16        index into meta.tags (0 = none)
//!               first_in   (n+1) × u32    reverse adjacency, grouped by head
//!               back_tail  m × u32        tail node of each reverse arc
//!               back_arc   m × u32        forward arc id of each reverse arc
//!               component  n × u32        connected component (0 = largest)
//!               meta       JSON ([`Meta`]), UTF-8
//! ```
//!
//! Files are written to a temporary file in the target folder and renamed into place, so a
//! reader never sees half a file. Opening checks magic, version, sizes, the checksum and the
//! arrays' consistency, and reports a truncated or foreign file as an error.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::builder::BuildReport;
use crate::error::{Error, Result};

#[cfg(target_endian = "big")]
compile_error!("corridor network files are little-endian; big-endian hosts are not supported");

/// The first eight bytes of every network file.
pub const MAGIC: [u8; 8] = *b"CORRNET\x1a";
/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// Header length, bytes.
pub const HEADER_LEN: usize = 64;

/// What the network is and where it came from, stored as JSON at the end of the file.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    /// Network name (rail, road, sea, road+sea, ferry, …).
    pub name: String,
    /// Where the data came from (`scgraph-data 2.0.0 world_railways`, a file name, …).
    pub source: String,
    /// Attribution and licence to show with results.
    pub attribution: String,
    /// The corridor version that wrote the file.
    pub written_by: String,
    /// Arc tag strings; arc tag `i` is `tags[i]`, and `tags[0]` is empty.
    pub tags: Vec<String>,
    /// What the build did.
    pub report: BuildReport,
    /// What `corridor import --heal` added, if it ran ([`crate::heal`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heal: Option<crate::heal::HealReport>,
}

/// Byte offsets of the arrays in a file (from the start of the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    n: usize,
    m: usize,
    lat_lon: usize,
    first_out: usize,
    head: usize,
    length_m: usize,
    tag: usize,
    first_in: usize,
    back_tail: usize,
    back_arc: usize,
    component: usize,
    meta: usize,
    meta_len: usize,
    end: usize,
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder (created if
/// missing), synced, made world-readable (temporary files are 0600), then renamed over `path`.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir: PathBuf = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    for chunk in bytes.chunks(1 << 22) {
        tmp.write_all(chunk).map_err(io)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::Permissions::from_mode(0o644);
        tmp.as_file().set_permissions(perms).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Checks that a file is exactly `end` bytes long and that the CRC-32 of everything after the
/// `header_len`-byte header equals `header_crc` (shared by network and hierarchy files).
pub(crate) fn check_extent_and_crc(
    b: &[u8],
    end: usize,
    header_len: usize,
    header_crc: u32,
    path: &Path,
) -> Result<()> {
    if b.len() < end {
        return Err(Error::Truncated {
            path: path.to_path_buf(),
            reason: format!("the header promises {end} bytes, the file has {}", b.len()),
        });
    }
    if b.len() > end {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: format!("{} bytes after the end", b.len() - end),
        });
    }
    let crc = crc32fast::hash(&b[header_len..]);
    if crc != header_crc {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: format!("checksum {crc:08x} ≠ {header_crc:08x} in the header"),
        });
    }
    Ok(())
}

fn pad8(x: u64) -> u64 {
    x.div_ceil(8) * 8
}

impl Layout {
    /// The layout for `n` nodes, `m` arcs and `meta_len` bytes of metadata, or `None` if the
    /// sizes overflow.
    fn new(n: u64, m: u64, meta_len: u64) -> Option<Layout> {
        let mut at = HEADER_LEN as u64;
        let mut take = |bytes: Option<u64>| -> Option<usize> {
            let start = at;
            at = pad8(at.checked_add(bytes?)?);
            usize::try_from(start).ok()
        };
        let lat_lon = take(n.checked_mul(16))?;
        let first_out = take((n + 1).checked_mul(4))?;
        let head = take(m.checked_mul(4))?;
        let length_m = take(m.checked_mul(4))?;
        let tag = take(m.checked_mul(2))?;
        let first_in = take((n + 1).checked_mul(4))?;
        let back_tail = take(m.checked_mul(4))?;
        let back_arc = take(m.checked_mul(4))?;
        let component = take(n.checked_mul(4))?;
        let meta = take(Some(meta_len))?;
        Some(Layout {
            n: usize::try_from(n).ok()?,
            m: usize::try_from(m).ok()?,
            lat_lon,
            first_out,
            head,
            length_m,
            tag,
            first_in,
            back_tail,
            back_arc,
            component,
            meta,
            meta_len: usize::try_from(meta_len).ok()?,
            end: usize::try_from(at).ok()?,
        })
    }
}

/// The arrays of a network, borrowed (see the module docs for their meaning).
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    /// Node coordinates, degrees, `[lat, lon]`.
    pub lat_lon: &'a [[f64; 2]],
    /// Forward CSR offsets, n+1.
    pub first_out: &'a [u32],
    /// Arc heads.
    pub head: &'a [u32],
    /// Arc lengths, metres.
    pub length_m: &'a [u32],
    /// Arc tags.
    pub tag: &'a [u16],
    /// Reverse CSR offsets, n+1.
    pub first_in: &'a [u32],
    /// Reverse arc tails.
    pub back_tail: &'a [u32],
    /// Reverse arc → forward arc id.
    pub back_arc: &'a [u32],
    /// Component of each node.
    pub component: &'a [u32],
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

/// A network: the arrays of a file (in memory or memory-mapped) and its [`Meta`].
pub struct Network {
    bytes: Bytes,
    layout: Layout,
    meta: Meta,
}

impl std::fmt::Debug for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Network")
            .field("nodes", &self.layout.n)
            .field("arcs", &self.layout.m)
            .field("meta", &self.meta)
            .finish()
    }
}

fn section<T: bytemuck::Pod>(bytes: &[u8], at: usize, count: usize) -> &[T] {
    let len = count * std::mem::size_of::<T>();
    // Layouts are validated against the byte length and aligned to 8 on construction.
    bytemuck::cast_slice(&bytes[at..at + len])
}

fn section_mut<T: bytemuck::Pod>(bytes: &mut [u8], at: usize, count: usize) -> &mut [T] {
    let len = count * std::mem::size_of::<T>();
    bytemuck::cast_slice_mut(&mut bytes[at..at + len])
}

impl Network {
    /// Serialises arrays and metadata into a new in-memory network.
    ///
    /// # Errors
    /// [`Error::InvalidNetwork`] if the arrays contradict each other.
    pub fn from_parts(meta: Meta, p: Parts<'_>) -> Result<Network> {
        let json = serde_json::to_vec(&meta).map_err(|e| Error::InvalidNetwork {
            reason: format!("metadata: {e}"),
        })?;
        let (n, m) = (p.lat_lon.len(), p.head.len());
        let layout =
            Layout::new(n as u64, m as u64, json.len() as u64).ok_or(Error::InvalidNetwork {
                reason: "network too large".into(),
            })?;
        let mut words = vec![0u64; layout.end / 8];
        {
            let b: &mut [u8] = bytemuck::cast_slice_mut(&mut words);
            b[0..8].copy_from_slice(&MAGIC);
            b[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
            b[12..16].copy_from_slice(&(HEADER_LEN as u32).to_le_bytes());
            b[16..20].copy_from_slice(&(n as u32).to_le_bytes());
            b[20..24].copy_from_slice(&(m as u32).to_le_bytes());
            b[24..28].copy_from_slice(&(json.len() as u32).to_le_bytes());
            b[32..40].copy_from_slice(&((layout.end - HEADER_LEN) as u64).to_le_bytes());
            let copy = |b: &mut [u8], at: usize, len: usize, src: &[u8]| {
                b[at..at + len].copy_from_slice(src);
            };
            copy(b, layout.lat_lon, n * 16, bytemuck::cast_slice(p.lat_lon));
            section_mut::<u32>(b, layout.first_out, n + 1).copy_from_slice(p.first_out);
            section_mut::<u32>(b, layout.head, m).copy_from_slice(p.head);
            section_mut::<u32>(b, layout.length_m, m).copy_from_slice(p.length_m);
            section_mut::<u16>(b, layout.tag, m).copy_from_slice(p.tag);
            section_mut::<u32>(b, layout.first_in, n + 1).copy_from_slice(p.first_in);
            section_mut::<u32>(b, layout.back_tail, m).copy_from_slice(p.back_tail);
            section_mut::<u32>(b, layout.back_arc, m).copy_from_slice(p.back_arc);
            section_mut::<u32>(b, layout.component, n).copy_from_slice(p.component);
            copy(b, layout.meta, json.len(), &json);
            let crc = crc32fast::hash(&b[HEADER_LEN..]);
            b[40..44].copy_from_slice(&crc.to_le_bytes());
        }
        Network::check(Bytes::Owned(words), Path::new("(in memory)"))
    }

    /// Opens a network file by memory-mapping it, after checking it whole.
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be opened; [`Error::Foreign`], [`Error::Truncated`],
    /// [`Error::Version`] or [`Error::Corrupt`] if it is not a valid network file.
    pub fn open(path: &Path) -> Result<Network> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        let len = regular_len(&file, path)?;
        if len < HEADER_LEN as u64 {
            // Too short to map usefully (and mapping an empty file fails): read it.
            return Network::read(path);
        }
        // SAFETY: corridor writes network files once, to a temporary name, and renames them
        // into place; it never modifies a file in place. Another program truncating the file
        // while it is mapped could still fault, which `memmap2` documents as the caller's risk.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Network::check(Bytes::Mapped(map), path)
    }

    /// Reads a network file into memory (no mapping), after checking it whole.
    ///
    /// # Errors
    /// As [`Network::open`].
    pub fn read(path: &Path) -> Result<Network> {
        let mut file = File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let len = regular_len(&file, path)?;
        let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        // Read no more than the file's size: a file that grows while read is not a network.
        (&mut file)
            .take(len)
            .read_to_end(&mut buf)
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Network::from_bytes(&buf, path)
    }

    /// Checks bytes of a network file (copied into aligned memory); `path` labels errors.
    ///
    /// # Errors
    /// As [`Network::open`].
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Network> {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..bytes.len()].copy_from_slice(bytes);
        // Keep the true length visible to the checks: pass a trimmed view via Owned + len.
        let net = Network::check_len(Bytes::Owned(words), bytes.len(), path)?;
        Ok(net)
    }

    fn check(bytes: Bytes, path: &Path) -> Result<Network> {
        let len = bytes.as_slice().len();
        Network::check_len(bytes, len, path)
    }

    fn check_len(bytes: Bytes, len: usize, path: &Path) -> Result<Network> {
        let b = &bytes.as_slice()[..len];
        let p = || path.to_path_buf();
        let corrupt = |reason: String| Error::Corrupt { path: p(), reason };
        if b.len() < MAGIC.len() || b[..8] != MAGIC {
            let shown: String = b
                .iter()
                .take(8)
                .map(|&c| if c.is_ascii_graphic() { c as char } else { '.' })
                .collect();
            return Err(Error::Foreign {
                path: p(),
                reason: if b.is_empty() {
                    "the file is empty".into()
                } else {
                    format!("it starts with \"{shown}\", not \"CORRNET\"")
                },
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
        let version = u32_at(8);
        if version != FORMAT_VERSION {
            return Err(Error::Version {
                path: p(),
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        if u32_at(12) as usize != HEADER_LEN {
            return Err(corrupt(format!(
                "header length {} ≠ {HEADER_LEN}",
                u32_at(12)
            )));
        }
        let (n, m, meta_len) = (u32_at(16) as u64, u32_at(20) as u64, u32_at(24) as u64);
        let mut payload = [0u8; 8];
        payload.copy_from_slice(&b[32..40]);
        let payload_len = u64::from_le_bytes(payload);
        let layout = Layout::new(n, m, meta_len)
            .ok_or_else(|| corrupt(format!("impossible sizes: {n} nodes, {m} arcs")))?;
        if payload_len != (layout.end - HEADER_LEN) as u64 {
            return Err(corrupt(format!(
                "payload length {payload_len} does not match {n} nodes and {m} arcs ({} bytes)",
                layout.end - HEADER_LEN
            )));
        }
        check_extent_and_crc(b, layout.end, HEADER_LEN, u32_at(40), path)?;
        let meta: Meta = serde_json::from_slice(&b[layout.meta..layout.meta + layout.meta_len])
            .map_err(|e| corrupt(format!("metadata: {e}")))?;
        let net = Network {
            bytes,
            layout,
            meta,
        };
        net.validate().map_err(corrupt)?;
        Ok(net)
    }

    /// Structural checks, so that searches index only within bounds.
    fn validate(&self) -> std::result::Result<(), String> {
        let g = self.parts();
        let (n, m) = (self.layout.n, self.layout.m);
        for (name, first) in [("first_out", g.first_out), ("first_in", g.first_in)] {
            if first[0] != 0 || first[n] as usize != m {
                return Err(format!("{name} does not span the {m} arcs"));
            }
            if first.windows(2).any(|w| w[0] > w[1]) {
                return Err(format!("{name} is not sorted"));
            }
        }
        if let Some(&h) = g.head.iter().chain(g.back_tail).find(|&&h| h as usize >= n) {
            return Err(format!("arc to node {h} of {n}"));
        }
        if g.back_arc.iter().any(|&a| a as usize >= m) {
            return Err("reverse arc points past the arcs".into());
        }
        // Each reverse arc of node u is a forward arc into u from its tail.
        for u in 0..n {
            for slot in g.first_in[u] as usize..g.first_in[u + 1] as usize {
                let arc = g.back_arc[slot] as usize;
                let tail = g.back_tail[slot] as usize;
                let fwd = g.first_out[tail] as usize..g.first_out[tail + 1] as usize;
                if g.head[arc] as usize != u || !fwd.contains(&arc) {
                    return Err(format!(
                        "reverse arc {slot} does not match forward arc {arc}"
                    ));
                }
            }
        }
        let tags = self.meta.tags.len();
        if g.tag.iter().any(|&t| t as usize >= tags) {
            return Err(format!("arc tag beyond the {tags} tags"));
        }
        if g.lat_lon
            .iter()
            .any(|&[lat, lon]| !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon))
        {
            return Err("coordinates out of range".into());
        }
        Ok(())
    }

    /// The arrays.
    pub fn parts(&self) -> Parts<'_> {
        let b = self.bytes.as_slice();
        let l = &self.layout;
        Parts {
            lat_lon: section(b, l.lat_lon, l.n),
            first_out: section(b, l.first_out, l.n + 1),
            head: section(b, l.head, l.m),
            length_m: section(b, l.length_m, l.m),
            tag: section(b, l.tag, l.m),
            first_in: section(b, l.first_in, l.n + 1),
            back_tail: section(b, l.back_tail, l.m),
            back_arc: section(b, l.back_arc, l.m),
            component: section(b, l.component, l.n),
        }
    }

    /// The metadata.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.layout.n
    }

    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.layout.m
    }

    /// File size, bytes.
    pub fn byte_len(&self) -> usize {
        self.layout.end
    }

    /// The file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes.as_slice()[..self.layout.end]
    }

    /// Writes the network to `path` atomically: a temporary file in the same folder, synced,
    /// then renamed over `path`. The folder is created if missing.
    ///
    /// # Errors
    /// [`Error::Io`].
    pub fn write(&self, path: &Path) -> Result<()> {
        write_atomic(path, self.as_bytes())
    }
}

/// The size of `file` if it is a regular file; a folder, a device (`/dev/zero`) or a FIFO is
/// [`Error::Foreign`] (invalid data), checked before any byte is read or mapped.
fn regular_len(file: &File, path: &Path) -> Result<u64> {
    let meta = file.metadata().map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Err(Error::Foreign {
            path: path.to_path_buf(),
            reason: format!("{what}; a network file is written by corridor import"),
        });
    }
    Ok(meta.len())
}
