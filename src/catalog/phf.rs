//! Build-time perfect hashing of key names (hash and displace, after `phf_generator`).
//!
//! Compiled into `build.rs` (through `#[path]`) to build the embedded catalog's table, and into the
//! library to build tables for catalogs loaded at run time, so both hash identically. Table and
//! bucket counts are powers of two: a lookup is one hash, two masks and one name comparison, with
//! no division.

use crate::bytes::{load, word};

/// Hashes a name with a seed.
///
/// The sampled hash reads three 8-byte words (start, middle, end) and the length: three
/// independent multiplies, whatever the name's length. Names that differ only outside the
/// sampled bytes collide; [`build`] then falls back to the full hash (`full = true`), which reads
/// every byte. Either way a lookup compares the whole name, so the hash only has to spread.
#[inline]
pub fn hash(bytes: &[u8], seed: u64, full: bool) -> u64 {
    if full {
        hash_full(bytes, seed)
    } else {
        hash_sampled(bytes, seed)
    }
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn hash_sampled(b: &[u8], seed: u64) -> u64 {
    let n = b.len();
    let (first, middle, last) = if n >= 8 {
        (load(b, 0), load(b, n / 2 - 4), load(b, n - 8))
    } else {
        (word(b, 0), 0, 0)
    };
    let h = (first ^ seed).wrapping_mul(K)
        ^ (last ^ n as u64).wrapping_mul(0xff51_afd7_ed55_8ccd)
        ^ middle.rotate_left(32).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    let h = (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
}

fn hash_full(bytes: &[u8], seed: u64) -> u64 {
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K);
    for c in bytes.chunks(8) {
        h = (h ^ word(c, 0)).wrapping_mul(K).rotate_left(29);
    }
    // fmix64 (MurmurHash3 finalizer)
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The three values a lookup derives from one hash: bucket selector and two displacement inputs.
#[inline]
pub fn split(h: u64) -> (u32, u32, u32) {
    let f2 = h.wrapping_mul(0x2545_f491_4f6c_dd1d);
    ((h >> 32) as u32, h as u32, (f2 >> 32) as u32)
}

/// The slot a name lands in, given its bucket's displacements.
#[inline]
pub fn slot(f1: u32, f2: u32, d: (u32, u32), mask: u32) -> usize {
    (d.1.wrapping_add(f1.wrapping_mul(d.0)).wrapping_add(f2) & mask) as usize
}

/// A perfect-hash table: `slots[slot(..)]` is a key id, or [`EMPTY`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Hash seed.
    pub seed: u64,
    /// Whether the full hash is used (the sampled one collided).
    pub full: bool,
    /// Per-bucket displacements; length is a power of two.
    pub disps: Vec<(u32, u32)>,
    /// Key id per slot; length is a power of two.
    pub slots: Vec<u16>,
}

/// Marks an unused slot.
pub const EMPTY: u16 = u16::MAX;

/// Builds a table for `names` (ids are their indices). Deterministic: fixed seeds, tried in order.
///
/// Returns `None` only if no seed works, which does not happen for distinct names in practice.
pub fn build(names: &[&str]) -> Option<Table> {
    let n = names.len().max(1);
    let table_len = n.next_power_of_two();
    let buckets_len = n.div_ceil(4).next_power_of_two();
    for full in [false, true] {
        for attempt in 0..64u64 {
            let seed = 0x6b69_7375_6d00_0000 ^ attempt.wrapping_mul(K);
            if let Some(t) = try_seed(names, seed, full, table_len, buckets_len) {
                return Some(t);
            }
        }
    }
    None
}

fn try_seed(
    names: &[&str],
    seed: u64,
    full: bool,
    table_len: usize,
    buckets_len: usize,
) -> Option<Table> {
    let hashes: Vec<(u32, u32, u32)> = names
        .iter()
        .map(|n| split(hash(n.as_bytes(), seed, full)))
        .collect();
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); buckets_len];
    for (i, h) in hashes.iter().enumerate() {
        buckets[h.0 as usize & (buckets_len - 1)].push(i);
    }
    let mut order: Vec<usize> = (0..buckets_len).collect();
    order.sort_by_key(|&b| (core::cmp::Reverse(buckets[b].len()), b));

    let mask = (table_len - 1) as u32;
    let mut slots = vec![EMPTY; table_len];
    let mut disps = vec![(0u32, 0u32); buckets_len];
    let mut taken: Vec<usize> = Vec::new();
    for b in order {
        if buckets[b].is_empty() {
            continue;
        }
        let mut placed = false;
        'search: for d0 in 0..table_len as u32 {
            'inner: for d1 in 0..table_len as u32 {
                taken.clear();
                for &i in &buckets[b] {
                    let s = slot(hashes[i].1, hashes[i].2, (d0, d1), mask);
                    if slots[s] != EMPTY || taken.contains(&s) {
                        continue 'inner;
                    }
                    taken.push(s);
                }
                for (&i, &s) in buckets[b].iter().zip(&taken) {
                    slots[s] = i as u16;
                }
                disps[b] = (d0, d1);
                placed = true;
                break 'search;
            }
        }
        if !placed {
            return None;
        }
    }
    Some(Table {
        seed,
        full,
        disps,
        slots,
    })
}
