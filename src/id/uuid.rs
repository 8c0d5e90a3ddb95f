//! Exact tags for UUIDs: a canonical UUID's 36 bytes carry 128 bits, which fit a [`Tag`]'s two
//! words, so two UUIDs compare as two words, as ids of up to 15 bytes do, with no bytes to confirm.
//!
//! A *canonical* UUID here is the form RFC 9562 writes: 36 bytes, lowercase hexadecimal digits
//! with hyphens at bytes 8, 13, 18 and 23, and a version digit (byte 14) from `1` to `e`. Every
//! version in use qualifies (1 to 8). The tag holds the 32 digits, 4 bits each, with the version
//! digit moved to the top of the high word: its top byte is then `0x10..=0xEF`, which no other
//! tag has (an exact short id's is its length, 0 to 15; a long id's is `0xFF`), so a UUID's tag
//! equals only the tag of the same UUID. Anything else of 36 bytes (uppercase digits, the nil
//! UUID, a misplaced hyphen) keeps a long id's tag and is confirmed byte for byte.

use super::{Tag, word4, word8};

/// The length of a canonical UUID.
pub(super) const UUID: usize = 36;

/// `1` in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The top bit of every byte of a word.
const TOPS: u64 = 0x8080_8080_8080_8080;

/// The exact tag of `b` if it is a canonical UUID (see the module's docs), else `None`.
#[inline(never)]
pub(super) const fn tag(b: &[u8]) -> Option<Tag> {
    // A fixed length: every read below is in bounds, with no check left to make.
    let Some(b) = b.first_chunk::<UUID>() else {
        return None;
    };
    let dashes = [b[8], b[13], b[18], b[23]];
    if u32::from_le_bytes(dashes) != u32::from_le_bytes([b'-'; 4]) {
        return None;
    }
    // The 32 digits, 8 per word: 0..8, 9..13 + 14..18, 19..23 + 24..28, 28..36.
    let words = [
        word8(b, 0),
        word4(b, 9) as u64 | (word4(b, 14) as u64) << 32,
        word4(b, 19) as u64 | (word4(b, 24) as u64) << 32,
        word8(b, 28),
    ];
    let (mut all, mut ascii, mut pairs) = (TOPS, 0, [0u64; 4]);
    let mut i = 0;
    while i < 4 {
        let (hex, digits) = hex8(words[i]);
        (all, ascii, pairs[i]) = (all & hex, ascii | words[i], digits);
        i += 1;
    }
    if all != TOPS || ascii & TOPS != 0 {
        return None;
    }
    // Each word's digits sit in pairs in its even bytes: two words interleave into one.
    let (lo, hi) = (pairs[0] | pairs[1] << 8, pairs[2] | pairs[3] << 8);
    // The version digit (byte 14) is the low half of byte 4 of the second word, at bits 40..44
    // of `lo`; it swaps places with the last digit, at the top of `hi`.
    let version = (lo >> 40) & 0xF;
    if version == 0 || version == 0xF {
        return None;
    }
    let last = hi >> 60;
    Some(Tag {
        lo: (lo & !(0xF << 40)) | last << 40,
        hi: (hi & !(0xF << 60)) | version << 60,
    })
}

/// The 8 bytes of `x` (little-endian) read as lowercase hexadecimal digits, without a branch:
/// the top bit of each byte that is one (all of [`TOPS`] for 8 digits), and the digits' values
/// in pairs, byte `2k` holding digit `2k` in its low half and digit `2k + 1` in its high half.
/// Only for bytes below 0x80 (the caller checks).
#[inline(always)]
const fn hex8(x: u64) -> (u64, u64) {
    // `at_least(c)` implies `at_least(b)` for `b < c`, so `^` keeps the bytes in `b..c`.
    let digit = at_least(x, b'0') ^ at_least(x, b'9' + 1);
    let letter = at_least(x, b'a') ^ at_least(x, b'f' + 1);
    // `0`-`9` are 0x30-0x39, `a`-`f` are 0x61-0x66: the low 4 bits, plus 9 for a letter.
    let v = (x & (ONES * 0xF)) + (letter >> 7) * 9;
    (digit | letter, (v | v >> 4) & 0x00FF_00FF_00FF_00FF)
}

/// The top bit of each byte of `x` that is at least `n`, for bytes below 0x80 (the sum then
/// carries into no other byte).
#[inline(always)]
const fn at_least(x: u64, n: u8) -> u64 {
    x.wrapping_add((0x80 - n as u64) * ONES) & TOPS
}

#[cfg(test)]
mod tests {
    use super::super::{Id, IdRef, Tag};
    use super::*;

    const A: &str = "0b8f4a6e-3c1d-4f2a-9e7b-5d6c8a1f2e3b";

    /// A canonical UUID and every one-byte change of it that matters: each byte replaced by each
    /// digit boundary, an uppercase digit, a neighbour of the hex ranges and a hyphen.
    fn variants() -> Vec<String> {
        let mut ids = vec![A.to_string(), "ffffffff-ffff-7fff-bfff-ffffffffffff".into()];
        for i in 0..UUID {
            for c in "0189afgA/:`-@G~".chars() {
                let mut v: Vec<char> = A.chars().collect();
                v[i] = c;
                ids.push(v.into_iter().collect());
            }
        }
        ids.sort();
        ids.dedup();
        ids
    }

    /// Exact tags agree with equality: two ids have equal tags exactly when they are equal, as
    /// soon as one of them is exact, and `Id::is` agrees with equality everywhere.
    #[test]
    fn uuid_tags_are_exact_and_equal_only_for_equal_ids() {
        let ids = variants();
        for a in &ids {
            let ta = Tag::of(a);
            assert_eq!(ta.is_exact(), canonical(a), "{a:?}");
            for b in &ids {
                let tb = Tag::of(b);
                if ta.is_exact() || tb.is_exact() {
                    assert_eq!(ta == tb, a == b, "{a:?} vs {b:?}");
                }
                assert_eq!(Id::new(a).is(IdRef::new(b)), a == b, "{a:?} vs {b:?}");
            }
        }
    }

    /// The naive definition of a canonical UUID, byte by byte.
    fn canonical(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == UUID
            && b.iter().enumerate().all(|(i, &c)| match i {
                8 | 13 | 18 | 23 => c == b'-',
                14 => matches!(c, b'1'..=b'9' | b'a'..=b'e'),
                _ => matches!(c, b'0'..=b'9' | b'a'..=b'f'),
            })
    }

    #[test]
    fn only_canonical_uuids_get_exact_tags() {
        assert!(Tag::of(A).is_exact());
        assert!(Tag::of("00000000-0000-1000-8000-000000000000").is_exact());
        assert!(
            Tag::of("01890a5d-ac96-774b-bcce-b302099a8057").is_exact(),
            "v7"
        );
        for not in [
            "0B8F4A6E-3C1D-4F2A-9E7B-5D6C8A1F2E3B",  // uppercase
            "00000000-0000-0000-0000-000000000000",  // nil: version 0
            "ffffffff-ffff-ffff-ffff-ffffffffffff",  // max: version f
            "0b8f4a6e-3c1d-4f2a-9e7b+5d6c8a1f2e3b",  // a hyphen replaced
            "0b8f4a6e3-c1d-4f2a-9e7b-5d6c8a1f2e3b",  // a hyphen moved
            "0b8f4a6e-3c1d-4f2a-9e7b-5d6c8a1f2e3bb", // 37 bytes
        ] {
            assert!(!Tag::of(not).is_exact(), "{not}");
        }
    }

    /// Each digit lands in its own 4 bits: changing any one digit to any other changes the tag.
    #[test]
    fn every_digit_counts() {
        let base = Tag::of(A);
        for (i, _) in A.char_indices().filter(|(_, c)| *c != '-') {
            for c in "0123456789abcdef".chars() {
                let mut v: Vec<char> = A.chars().collect();
                if v[i] == c || (i == 14 && (c == '0' || c == 'f')) {
                    continue;
                }
                v[i] = c;
                let other: String = v.into_iter().collect();
                assert_ne!(Tag::of(&other), base, "{other}");
                assert!(Tag::of(&other).is_exact(), "{other}");
            }
        }
    }
}
