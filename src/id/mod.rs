//! Identifiers (companies, business units, workflows) as two machine words.
//!
//! Every decision compares the request's ids with the subject's: the company with each
//! membership's, the business unit with a grant's. An [`Id`] keeps its text and a [`Tag`]. For ids
//! of up to [`EXACT`] bytes the tag *is* the id (its bytes and its length, packed in two words), so
//! equality is two word comparisons: no pointer to follow, no byte loop. So it is for a canonical
//! UUID (36 bytes of lowercase hexadecimal digits and hyphens, see `uuid`), whose 128 bits fill
//! the tag. Any other longer id's tag is a filter: equal tags are then confirmed byte for byte.

pub(crate) mod index;
mod uuid;

use core::fmt;
use core::ops::Deref;

use crate::bytes::same;

/// The longest id whose [`Tag`] is exact (the id's bytes, zero-padded, and its length).
pub(crate) const EXACT: usize = 15;

/// The top byte of a long id's tag. An exact tag's top byte is its length (at most [`EXACT`]).
const LONG: u64 = 0xFF << 56;

/// Two words standing for an identifier: equal tags mean equal ids up to [`EXACT`] bytes or for
/// canonical UUIDs, and possibly equal ids otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Tag {
    lo: u64,
    hi: u64,
}

impl Tag {
    /// The tag of no id: equal to no tag [`Tag::of`] makes (its top byte is neither a length
    /// nor the long marker), so an absent request value matches no id.
    const ABSENT: Tag = Tag {
        lo: 0,
        hi: 0xFE << 56,
    };

    /// The tag of `id`: bytes `0..8` in `lo`, bytes `8..15` and the length in `hi` (exact); a
    /// canonical UUID's 32 digits (exact); or for a longer id its first and last 8 bytes with the
    /// long marker. `const`, so a constant [`Scope`](crate::Scope) has its tags computed at
    /// compile time.
    #[inline]
    pub(crate) const fn of(id: &str) -> Tag {
        let b = id.as_bytes();
        let n = b.len();
        let len = (n as u64) << 56;
        if n > EXACT {
            Tag::long(b)
        } else if n >= 8 {
            let lo = word8(b, 0);
            let last = word8(b, n - 8);
            // Bytes 8..n are the top n - 8 bytes of the last word (none when n = 8).
            let rest = match last.checked_shr(8 * (16 - n) as u32) {
                Some(rest) => rest,
                None => 0,
            };
            Tag { lo, hi: rest | len }
        } else if n >= 4 {
            // Two overlapping 4-byte words cover bytes 0..n; where they overlap they agree.
            let lo = word4(b, 0) as u64 | (word4(b, n - 4) as u64) << (8 * (n - 4));
            Tag { lo, hi: len }
        } else if n > 0 {
            // 1 to 3 bytes: the first, middle and last byte cover them all.
            let lo = byte(b, 0) | byte(b, n / 2) << (8 * (n / 2)) | byte(b, n - 1) << (8 * (n - 1));
            Tag { lo, hi: len }
        } else {
            Tag { lo: 0, hi: 0 }
        }
    }

    /// The tag of an id longer than [`EXACT`] bytes: exact for a canonical UUID, else its first
    /// and last 8 bytes with the long marker. Out of line, to keep [`Tag::of`] small where it is
    /// inlined.
    #[inline(never)]
    const fn long(b: &[u8]) -> Tag {
        if b.len() == uuid::UUID
            && let Some(tag) = uuid::tag(b)
        {
            return tag;
        }
        Tag {
            lo: word8(b, 0),
            hi: word8(b, b.len().saturating_sub(8)) | LONG,
        }
    }

    /// `self == other`, both words at once without a branch between them.
    #[inline(always)]
    const fn same(self, other: Tag) -> bool {
        (self.lo ^ other.lo) | (self.hi ^ other.hi) == 0
    }

    /// Whether equal tags prove equal ids (the id has at most [`EXACT`] bytes, or is a canonical
    /// UUID).
    #[inline]
    pub(crate) const fn is_exact(self) -> bool {
        self.hi & LONG != LONG
    }
}

/// The 8 bytes at `at` (little-endian), or 0 past the end.
#[inline(always)]
const fn word8(b: &[u8], at: usize) -> u64 {
    if let Some((_, rest)) = b.split_at_checked(at)
        && let Some(w) = rest.first_chunk::<8>()
    {
        return u64::from_le_bytes(*w);
    }
    0
}

/// The 4 bytes at `at` (little-endian), or 0 past the end.
#[inline(always)]
const fn word4(b: &[u8], at: usize) -> u32 {
    if let Some((_, rest)) = b.split_at_checked(at)
        && let Some(w) = rest.first_chunk::<4>()
    {
        return u32::from_le_bytes(*w);
    }
    0
}

/// The byte at `i`, or 0 past the end.
#[inline(always)]
const fn byte(b: &[u8], i: usize) -> u64 {
    if i < b.len() { b[i] as u64 } else { 0 }
}

/// A request's id (company, business unit, workflow) with its tag, computed once when the
/// [`Scope`](crate::Scope) is built; or no id at all ([`IdRef::ABSENT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct IdRef<'a> {
    tag: Tag,
    text: &'a str,
}

impl<'a> IdRef<'a> {
    /// No id: matches no [`Id`].
    pub(crate) const ABSENT: IdRef<'static> = IdRef {
        tag: Tag::ABSENT,
        text: "",
    };

    /// The id `text`.
    #[inline]
    pub(crate) const fn new(text: &'a str) -> IdRef<'a> {
        IdRef {
            tag: Tag::of(text),
            text,
        }
    }

    /// Whether the id is short enough for its tag to be the id itself (see [`Id::is_exactly`]).
    #[inline(always)]
    pub(crate) const fn is_exact(self) -> bool {
        self.tag.is_exact()
    }

    /// The id's text (empty if absent).
    #[inline]
    pub(crate) const fn text(self) -> &'a str {
        self.text
    }

    /// A total order on ids, consistent with equality: by tag (two word comparisons), then, for
    /// long ids whose tags tie, by text. For sorting and binary search over many ids.
    pub(crate) fn order(self, other: IdRef<'_>) -> core::cmp::Ordering {
        (self.tag.lo, self.tag.hi)
            .cmp(&(other.tag.lo, other.tag.hi))
            .then_with(|| {
                if self.tag.is_exact() {
                    core::cmp::Ordering::Equal
                } else {
                    self.text.cmp(other.text)
                }
            })
    }

    /// The id, if any.
    #[inline]
    pub(crate) const fn get(self) -> Option<&'a str> {
        if self.tag.hi == Tag::ABSENT.hi {
            None
        } else {
            Some(self.text)
        }
    }
}

impl<'a> From<Option<&'a str>> for IdRef<'a> {
    fn from(id: Option<&'a str>) -> IdRef<'a> {
        match id {
            Some(text) => IdRef::new(text),
            None => IdRef::ABSENT,
        }
    }
}

/// An owned identifier with its [`Tag`], compared against request ids on the hot path.
///
/// An id of up to [`EXACT`] bytes is its tag alone: the tag's sixteen bytes (little-endian words)
/// are the id's bytes, zeros, and its length in the last byte, so such an id is not allocated.
/// A longer one also keeps its text.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Id {
    /// The tag's two words, little-endian, as bytes.
    tag: [u8; 16],
    /// The text of an id longer than [`EXACT`] bytes.
    long: Option<Box<str>>,
}

impl Id {
    pub(crate) fn new(text: &str) -> Id {
        let tag = Tag::of(text);
        let bytes = (u128::from(tag.hi) << 64 | u128::from(tag.lo)).to_le_bytes();
        Id {
            tag: bytes,
            long: (text.len() > EXACT).then(|| text.into()),
        }
    }

    /// The id's tag.
    #[inline(always)]
    fn tag(&self) -> Tag {
        // Both chunks are there (the array is 16 bytes): two word loads.
        let (lo, hi) = (self.tag.first_chunk(), self.tag.last_chunk());
        Tag {
            lo: u64::from_le_bytes(*lo.unwrap_or(&[0; 8])),
            hi: u64::from_le_bytes(*hi.unwrap_or(&[0; 8])),
        }
    }

    /// Whether this is the request's id `id` (never, if it is absent): equal tags, and for ids
    /// too long for an exact tag, equal bytes. See [`find`] for the hot path.
    #[inline(always)]
    pub(crate) fn is(&self, id: IdRef<'_>) -> bool {
        // Equal tags that are not exact are two long ids' tags: both keep their text.
        let long = || self.long.as_deref().unwrap_or_default();
        self.tag() == id.tag && (id.tag.is_exact() || same(long().as_bytes(), id.text.as_bytes()))
    }

    /// [`Id::is`] when either id is known to be exact ([`Id::is_exact`], [`IdRef::is_exact`]):
    /// an exact tag equals only the tag of the same id, so one comparison of tags decides.
    ///
    /// It stops at the first word that differs, which suits a scan over several ids.
    #[inline(always)]
    pub(crate) fn is_exactly(&self, id: IdRef<'_>) -> bool {
        self.tag() == id.tag
    }

    /// Whether the tags of this id and the request's `id` are equal: the two words compared
    /// without a branch. Proves equal ids when `id` [`IdRef::is_exact`].
    #[inline(always)]
    pub(crate) fn tag_is(&self, id: &IdRef<'_>) -> bool {
        self.tag().same(id.tag)
    }

    /// The id's text.
    pub(crate) fn as_str(&self) -> &str {
        match &self.long {
            Some(text) => text,
            // The first bytes of a short id's tag are its bytes, which were UTF-8 (so the
            // fallback is never taken); its length is in the last byte.
            None => {
                let len = usize::from(self.tag[15]).min(EXACT);
                std::str::from_utf8(&self.tag[..len]).unwrap_or_default()
            }
        }
    }

    /// The id as a request id, with its tag (no tag to compute).
    pub(crate) fn as_ref(&self) -> IdRef<'_> {
        IdRef {
            tag: self.tag(),
            text: self.as_str(),
        }
    }
}

/// The first of `items` whose id (`id_of`) is the request's `id`. An exact request id (the
/// common case, and an absent one) is found by comparing tags only; a longer one goes out of line
/// to compare bytes behind equal tags, keeping that loop and its call off the hot path.
#[inline(always)]
pub(crate) fn find<'i, T>(
    items: &'i [T],
    id_of: impl Fn(&T) -> &Id,
    id: IdRef<'_>,
) -> Option<&'i T> {
    if id.is_exact() {
        items.iter().find(|x| id_of(x).is_exactly(id))
    } else {
        find_long(items, id_of, id)
    }
}

#[inline(never)]
fn find_long<'i, T>(items: &'i [T], id_of: impl Fn(&T) -> &Id, id: IdRef<'_>) -> Option<&'i T> {
    items.iter().find(|x| id_of(x).is(id))
}

impl Deref for Id {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of ids from an alphabet that makes short ids collide as much as they can
    /// (shared prefixes and suffixes, zero bytes, every length 0..=40): tags agree with equality
    /// exactly up to 15 bytes, and `Id::is` agrees with equality at every length.
    #[test]
    fn tags_are_exact_up_to_15_bytes_and_is_agrees_with_equality() {
        let mut ids: Vec<String> = vec![String::new()];
        for n in 1..=40 {
            for fill in ['a', 'b', '\0'] {
                let base: String = std::iter::repeat_n(fill, n).collect();
                ids.push(base.clone());
                // One byte changed at each position, so each sampled word is exercised.
                for i in 0..n {
                    let mut v: Vec<char> = base.chars().collect();
                    v[i] = 'z';
                    ids.push(v.into_iter().collect());
                }
            }
        }
        for a in &ids {
            let id = Id::new(a);
            // Held in its tag up to 15 bytes, in a box past that: the same text either way.
            assert_eq!(id.as_str(), a);
            assert_eq!(&*id.clone(), a);
            assert!(!id.is(IdRef::ABSENT), "{a:?} is not absent");
            for b in &ids {
                assert_eq!(id.is(IdRef::new(b)), a == b, "{a:?} vs {b:?}");
                if a.len() <= EXACT || b.len() <= EXACT {
                    assert_eq!(Tag::of(a) == Tag::of(b), a == b, "{a:?} vs {b:?}");
                }
            }
        }
    }

    #[test]
    fn absent_is_no_id_and_tags_are_computed_at_compile_time() {
        const ACME: IdRef<'static> = IdRef::new("acme");
        assert_eq!(ACME.get(), Some("acme"));
        assert_eq!(IdRef::new("").get(), Some(""));
        assert_eq!(IdRef::ABSENT.get(), None);
        assert_eq!(IdRef::from(None), IdRef::ABSENT);
        assert!(Id::new("acme").is(ACME));
        assert!(!Id::new("").is(IdRef::ABSENT));
        for text in [
            "é",
            "ñandú-01",
            "日本-x",
            "ü".repeat(7).as_str(),
            "ü".repeat(8).as_str(),
        ] {
            assert_eq!(Id::new(text).as_str(), text, "{} bytes", text.len());
        }
    }

    #[test]
    fn long_tags_are_marked_and_short_ones_are_not() {
        assert!(Tag::of("").is_exact());
        assert!(Tag::of("acme").is_exact());
        assert!(Tag::of(&"x".repeat(EXACT)).is_exact());
        assert!(!Tag::of(&"x".repeat(EXACT + 1)).is_exact());
        assert!(!Tag::of(&"é".repeat(128)).is_exact());
    }
}
