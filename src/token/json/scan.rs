//! The byte scans of the reader: quotes, special bytes and UTF-8 in a token's strings.

use super::WINDOW;

const ONES: u64 = u64::from_ne_bytes([1; 8]);
const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);

/// How many bytes of `b` precede its first quote, if it has one: three 16-byte compares, one bit
/// scan, no branch (SSE2, which every x86-64 processor has). A name the catalog's name table
/// lists is followed by its closing quote within these 48 bytes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(super) fn quote_in(b: &[u8; WINDOW]) -> Option<usize> {
    use safe_arch::{
        cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let quote = set_splat_i8_m128i(b'"' as i8);
    let (chunks, _) = b.as_chunks::<16>();
    let mask = chunks.iter().enumerate().fold(0u64, |mask, (i, chunk)| {
        let found = move_mask_i8_m128i(cmp_eq_mask_i8_m128i(load_unaligned_m128i(chunk), quote));
        mask | u64::from(found as u16) << (16 * i)
    });
    (mask != 0).then(|| mask.trailing_zeros() as usize)
}

/// As above, elsewhere: `memchr`.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
pub(super) fn quote_in(b: &[u8; WINDOW]) -> Option<usize> {
    memchr::memchr(b'"', b)
}

/// `b` as text, if it is UTF-8. For the short strings of a token (ids, names): the first of
/// [`<[u8]>::utf8_chunks`] is all of `b` exactly when `b` is UTF-8, found in a byte loop without
/// `str::from_utf8`'s setup for long texts (about 80 instructions a call on the peers token's
/// strings, against 97).
#[inline]
pub(super) fn utf8(b: &[u8]) -> Option<&str> {
    match b.utf8_chunks().next() {
        // No chunk: no bytes.
        None => Some(""),
        Some(chunk) => (chunk.valid().len() == b.len()).then(|| chunk.valid()),
    }
}

/// How many bytes of `b` precede the first quote, backslash or control character (all of `b` if
/// none): sixteen bytes at a time (two words tested, one branch: a key name takes one or two
/// rounds), then one by one for the last few. Out of line: the loop then has the registers to
/// itself.
#[inline(never)]
pub(super) fn plain_len(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(pair) = b.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        let pair = u128::from_le_bytes(*pair);
        let (lo, hi) = (special(pair as u64), special((pair >> 64) as u64));
        if lo | hi != 0 {
            // The lowest flagged byte is exact (see `special`).
            let at = if lo != 0 {
                lo.trailing_zeros()
            } else {
                64 + hi.trailing_zeros()
            };
            return i + (at / 8) as usize;
        }
        i += 16;
    }
    for &c in b.get(i..).unwrap_or_default() {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// Where the first quote, backslash or control character of `b`'s first 16 bytes is, if `b` has
/// 16 bytes and one of them is such a byte: one vector's compares, in line (SSE2).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(super) fn first_special(b: &[u8]) -> Option<usize> {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, min_u8_m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };
    let v = load_unaligned_m128i(b.first_chunk::<16>()?);
    let quote = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b'"' as i8));
    let backslash = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b'\\' as i8));
    // At most 0x1f: unchanged by the minimum with 0x1f.
    let control = cmp_eq_mask_i8_m128i(min_u8_m128i(v, set_splat_i8_m128i(0x1f)), v);
    let mask = move_mask_i8_m128i(bitor_m128i(bitor_m128i(quote, backslash), control));
    (mask != 0).then(|| mask.trailing_zeros() as usize)
}

/// As above, elsewhere: the byte loop's answer.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
pub(super) fn first_special(_: &[u8]) -> Option<usize> {
    None
}

/// The high bit of each byte of `w` that may be a quote, a backslash or a control character: the
/// classic "has a byte less than n" test (n <= 128), which never misses one and whose lowest
/// flagged byte is always a real one (a false flag needs a borrow from a real one below it).
/// One test finds both quotes and control characters: flipping bit 1 turns a quote (0x22) into
/// 0x20 and keeps control characters (0x00-0x1f) below 0x20, while every other byte stays at or
/// above 0x21.
fn special(w: u64) -> u64 {
    let less = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    less(w ^ (ONES * 0x02), 0x21) | less(w ^ (ONES * u64::from(b'\\')), 1)
}
