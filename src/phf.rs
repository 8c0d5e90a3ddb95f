//! Build-time perfect hashing of key names (hash and displace, after `phf_generator`).
//!
//! Compiled into `build.rs` (through `#[path]`) to build the embedded catalog's table, and into the
//! library to build tables for catalogs loaded at run time, so both hash identically. Table and
//! bucket counts are powers of two: a lookup is one hash, two masks and one name comparison, with
//! no division.

/// Hashes a name with a seed. Fast on short ASCII strings: 8 bytes per step.
#[inline]
pub fn hash(bytes: &[u8], seed: u64) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
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
    for attempt in 0..64u64 {
        let seed = 0x6b69_7375_6d00_0000 ^ attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        if let Some(t) = try_seed(names, seed, table_len, buckets_len) {
            return Some(t);
        }
    }
    None
}

fn try_seed(names: &[&str], seed: u64, table_len: usize, buckets_len: usize) -> Option<Table> {
    let hashes: Vec<(u32, u32, u32)> = names
        .iter()
        .map(|n| split(hash(n.as_bytes(), seed)))
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
    Some(Table { seed, disps, slots })
}
