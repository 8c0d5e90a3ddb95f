//! A small catalog's key names laid out for the token reader: each name in a 48-byte row, and a
//! one-level table from a hash of the name to its key id.
//!
//! The reader finds a grant's closing quote in the 48 bytes after its opening one; this table
//! lets it resolve the name from those same bytes: one hash (three independent multiplies, then
//! the table's multiplier), one table read, and one comparison of the name with its row (vector
//! compares where the target has them). [`super::phf`]'s two-level perfect hash serves every
//! catalog and [`Catalog::key`]; this one serves catalogs of at most [`MAX_NAMES`] keys, whose ids
//! fit a byte.
//!
//! Compiled into `build.rs` (through `#[path]`) to lay out the embedded catalog's table, and into
//! the library for catalogs loaded at run time, so both hash identically.
//!
//! [`Catalog::key`]: super::Catalog::key

use crate::bytes::load;

/// Bytes in a row, and in the window of token bytes a name is looked up in: three 16-byte
/// vectors.
pub const ROW: usize = 48;

/// Catalogs of at most this many keys get a table (key ids fit a byte).
pub const MAX_NAMES: usize = 256;

/// The longest name the table lists: a row holds the name and its closing quote. A key of the
/// catalog's longest names ([`MAX_KEY_LEN`](super::spec::MAX_KEY_LEN), 48 bytes) is not listed:
/// its grants are resolved when the subject is compiled.
pub const ROW_NAME: usize = ROW - 1;

/// The row of a key named `name`: its bytes, a quote, zeros; all zeros for a key the table must
/// not resolve (or a name too long for a row). A token's name followed by its closing quote
/// equals the row's first bytes up to the quote exactly when it is the key's name: names hold no
/// quote.
pub const fn row(name: &str, listed: bool) -> [u8; ROW] {
    let mut row = [0u8; ROW];
    let b = name.as_bytes();
    if b.len() > ROW_NAME || !listed {
        return row;
    }
    let mut i = 0;
    while i < b.len() {
        row[i] = b[i];
        i += 1;
    }
    row[i] = b'"';
    row
}

/// Hashes the name held in the first `len` bytes of `w` (`len` < [`ROW`]; the bytes after it are
/// not read), before the table's multiplier: three 8-byte words (start, middle, end) and the
/// length, multiplied independently.
#[inline(always)]
pub fn hash(w: &[u8; ROW], len: usize) -> u64 {
    let (first, middle, last) = if len >= 8 {
        (load(w, 0), load(w, len / 2 - 4), load(w, len - 8))
    } else {
        // The first word without the bytes past the name.
        let keep = u64::MAX.checked_shr(8 * (8 - len) as u32).unwrap_or(0);
        (load(w, 0) & keep, 0, 0)
    };
    first.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (middle ^ len as u64).wrapping_mul(0xff51_afd7_ed55_8ccd)
        ^ last.wrapping_mul(0xc4ce_b9fe_1a85_ec53)
}

/// The slot of a name's [`hash`] in a table of `1 << bits` slots with multiplier `seed`.
#[inline(always)]
pub fn slot(hash: u64, seed: u64, bits: u32) -> usize {
    (hash.wrapping_mul(seed) >> (64 - bits)) as usize
}

/// A name table's multiplier and slots: `slots[slot(..)]` is the id of the only listed key that
/// can have the name; a slot no listed key hashes to holds 0 (the name comparison rejects it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The multiplier (odd).
    pub seed: u64,
    /// `slots.len()` is `1 << bits`.
    pub bits: u32,
    /// Key id per slot.
    pub slots: Vec<u8>,
}

/// Seeds tried per table size before the size doubles.
const SEEDS: u64 = 1024;

/// Builds the table of the keys named `names` (ids are their indices) for which `listed` holds.
/// Deterministic: fixed multipliers, tried in order; the table has 16 to 128 slots per listed
/// key (a byte each).
///
/// `None` for a catalog of more than [`MAX_NAMES`] keys, or one where two listed names hash alike
/// whatever the multiplier (same length, same three words), or where no multiplier separates
/// them: the reader then leaves every name to the catalog's perfect hash.
pub fn build(names: &[&str], listed: impl Fn(usize) -> bool) -> Option<Table> {
    if names.len() > MAX_NAMES {
        return None;
    }
    let hashes: Vec<(u64, u8)> = names
        .iter()
        .enumerate()
        .filter(|&(id, name)| listed(id) && name.len() <= ROW_NAME)
        .map(|(id, name)| (hash(&row(name, true), name.len()), id as u8))
        .collect();
    let mut sorted: Vec<u64> = hashes.iter().map(|h| h.0).collect();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    let min_bits = (hashes.len().max(1) * 16)
        .next_power_of_two()
        .trailing_zeros();
    for bits in min_bits.max(6)..=min_bits.max(6) + 3 {
        let mut slots = vec![None; 1 << bits];
        for attempt in 0..SEEDS {
            let seed = (0x6b69_7375_6d6e_616d ^ attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1;
            if place(&hashes, seed, bits, &mut slots) {
                let slots = slots.iter().map(|s| s.unwrap_or(0)).collect();
                return Some(Table { seed, bits, slots });
            }
        }
    }
    None
}

/// Places every name in `slots` (all `None`) with multiplier `seed`: `true` if no two share a
/// slot, else `false` with `slots` emptied again (only the slots written are reset: a failed
/// attempt usually stops after a few names).
fn place(hashes: &[(u64, u8)], seed: u64, bits: u32, slots: &mut [Option<u8>]) -> bool {
    for (i, &(h, id)) in hashes.iter().enumerate() {
        let s = slot(h, seed, bits);
        if slots[s].is_some() {
            for &(h, _) in &hashes[..i] {
                slots[slot(h, seed, bits)] = None;
            }
            return false;
        }
        slots[s] = Some(id);
    }
    true
}
