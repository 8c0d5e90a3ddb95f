//! Byte strings read and compared a machine word at a time, without a library call: the perfect
//! hash reads key names this way, and ids compare this way.
//!
//! Compiled into `build.rs` too (through `#[path]`), with the perfect hash that uses it.

/// The 8 bytes at `at`, zero-padded past the end of `b` (the slow path for short tails).
#[inline]
pub fn word(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(src) = b.get(at..) {
        let n = src.len().min(8);
        w[..n].copy_from_slice(&src[..n]);
    }
    u64::from_le_bytes(w)
}

/// The 4 bytes at `at`; the caller guarantees `at + 4 <= b.len()` (else 0, never a panic).
#[inline(always)]
pub fn load4(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(&[b0, b1, b2, b3]) => u32::from_le_bytes([b0, b1, b2, b3]),
        _ => 0,
    }
}

/// The 8 bytes at `at`; the caller guarantees `at + 8 <= b.len()` (else 0, never a panic).
#[inline(always)]
pub fn load(b: &[u8], at: usize) -> u64 {
    match b.get(at..at + 8) {
        Some(&[b0, b1, b2, b3, b4, b5, b6, b7]) => {
            u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7])
        }
        _ => 0,
    }
}

/// Whether two names are equal, comparing 8 bytes at a time without a library call.
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        if n >= 4 {
            // Two overlapping 4-byte words cover 4..=7 bytes.
            return load4(a, 0) == load4(b, 0) && load4(a, n - 4) == load4(b, n - 4);
        }
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut i = 0;
    while i + 8 <= n {
        if load(a, i) != load(b, i) {
            return false;
        }
        i += 8;
    }
    // The last word overlaps the ones already compared; it covers the tail.
    load(a, n - 8) == load(b, n - 8)
}
