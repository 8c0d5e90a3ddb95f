//! Hash indexes over ids, so that finding one id among many costs the same wherever it is: the
//! company among a user's memberships, the business unit among a grant's hundreds.
//!
//! An index is an open-addressing table of slots, at most a quarter full: each slot holds a tag
//! (or [`EMPTY`]) and the position of its id in the list it indexes, so a probe compares the
//! request's tag in the slot itself. Equal tags of ids too long for an exact tag are confirmed as
//! [`Id::is`] does, so an index answers exactly as a scan would. Several indexes may share one
//! [`Index`], one after the other (a membership's business-unit lists).

use super::{Id, IdRef, Tag};

/// The tag of an empty slot: equal to no id's tag (its top byte is neither a length, nor the long
/// marker, nor the absent marker).
const EMPTY: Tag = Tag {
    lo: 0,
    hi: 0xFD << 56,
};

/// Lists of at most this many ids are scanned, not indexed: for a few ids one or two tag
/// comparisons cost less than hashing.
pub(crate) const SCAN: usize = 4;

/// The largest list an index takes: its positions must fit a slot (`u16`, 0 meaning empty).
pub(crate) const MAX_INDEXED: usize = u16::MAX as usize - 1;

/// The first slot of an id in a table of `1 << bits` slots (`bits` from 1 to 16): the tag's
/// words (and, for an id longer than its tag, every 8 bytes of its text) folded, multiplied by a
/// 64-bit odd constant, which carries every bit upwards, and the top `bits` bits kept.
/// Ids that differ in a byte or two, such as `company-07` and `company-63`, land apart.
#[inline(always)]
fn home(tag: Tag, text: &str, bits: u32) -> usize {
    let mut mixed = tag.lo ^ tag.hi.rotate_left(29);
    if !tag.is_exact() {
        mixed ^= fold(text.as_bytes());
    }
    let mixed = mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // `64 - bits` in two shifts, each below 64 (`bits` is at most 16; 0 gives slot 0).
    ((mixed >> 1) >> (63 - bits.min(63))) as usize
}

/// The words of a long id's text past its first 8 bytes, folded (a long id's tag holds its first
/// and last 8 bytes only, so ids differing in the middle would share a slot without it).
#[inline(never)]
fn fold(b: &[u8]) -> u64 {
    let mut fold = 0u64;
    let mut at = 8;
    while at < b.len() {
        fold = fold.rotate_left(23) ^ crate::bytes::word(b, at);
        at += 8;
    }
    fold
}

/// What one slot says about an id.
enum Probe<'i, T> {
    /// The slot holds the id: here is its item.
    Found(&'i T),
    /// The slot is empty (or past the index): the id is not indexed.
    Empty,
    /// The slot holds another id: probe the next one.
    Other,
}

/// Hash indexes over lists of ids, one after the other: slot `i` is `tags[i]` and
/// `positions[i]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    tags: Vec<Tag>,
    positions: Vec<u16>,
}

impl Index {
    /// Whether no index was added.
    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    /// Adds an index over `ids`, whose positions start at `base` in the list they belong to: a
    /// power of two of at least four times as many slots as ids. Returns where its slots start
    /// and their count's log2, or `None` if a position or the start would not fit a `u16`
    /// ([`MAX_INDEXED`]).
    pub(crate) fn add<'a>(
        &mut self,
        ids: impl ExactSizeIterator<Item = &'a Id>,
        base: usize,
    ) -> Option<(u16, u8)> {
        let size = (4 * ids.len()).next_power_of_two().max(2);
        let at = self.tags.len();
        if base + ids.len() > MAX_INDEXED || at + size > MAX_INDEXED {
            return None;
        }
        let (bits, mask) = (size.trailing_zeros(), size - 1);
        self.tags.resize(at + size, EMPTY);
        self.positions.resize(at + size, 0);
        for (i, id) in ids.enumerate() {
            let mut slot = home(id.tag(), id.as_str(), bits);
            while self.tags[at + slot] != EMPTY {
                slot = (slot + 1) & mask;
            }
            self.tags[at + slot] = id.tag();
            self.positions[at + slot] = (base + i) as u16;
        }
        Some((at as u16, bits as u8))
    }

    /// Frees the room the pools grew into beyond what they hold.
    pub(crate) fn shrink(mut self) -> Index {
        self.tags.shrink_to_fit();
        self.positions.shrink_to_fit();
        self
    }

    /// The item of `items` whose id (`id_of`) is `id`, through the index of `1 << bits` slots at
    /// `at` (added by [`Index::add`] over those items' ids). Probes from the id's first slot to
    /// the first empty one, at most every slot of the index.
    #[inline(always)]
    pub(crate) fn lookup<'i, T>(
        &self,
        at: usize,
        bits: u32,
        items: &'i [T],
        id_of: impl Fn(&T) -> &Id,
        id: &IdRef<'_>,
    ) -> Option<&'i T> {
        // An index is at most a quarter full: the first probe decides almost always, so it is
        // written out, and the rest of the walk is a call of its own.
        let first = home(id.tag, id.text, bits);
        match self.probe(at, first, items, &id_of, id) {
            Probe::Found(item) => Some(item),
            Probe::Empty => None,
            Probe::Other => self.walk(at, bits, first, items, &id_of, id),
        }
    }

    /// Whether `id` is one of `items` (see [`Index::lookup`]): an exact id found by its tag in
    /// the slot, without reading the item.
    #[inline(always)]
    pub(crate) fn contains<T>(
        &self,
        at: usize,
        bits: u32,
        items: &[T],
        id_of: impl Fn(&T) -> &Id,
        id: &IdRef<'_>,
    ) -> bool {
        let first = home(id.tag, id.text, bits);
        match self.tags.get(at + first) {
            Some(tag) if tag.same(id.tag) && id.tag.is_exact() => true,
            Some(tag) if tag.same(EMPTY) => false,
            None => false,
            Some(_) => match self.probe(at, first, items, &id_of, id) {
                Probe::Found(_) => true,
                Probe::Empty => false,
                Probe::Other => self.walk(at, bits, first, items, &id_of, id).is_some(),
            },
        }
    }

    /// What slot `at + slot` holds for `id`.
    #[inline(always)]
    fn probe<'i, T>(
        &self,
        at: usize,
        slot: usize,
        items: &'i [T],
        id_of: &impl Fn(&T) -> &Id,
        id: &IdRef<'_>,
    ) -> Probe<'i, T> {
        let Some(&tag) = self.tags.get(at + slot) else {
            return Probe::Empty;
        };
        if tag.same(id.tag) {
            let position = self.positions.get(at + slot).copied().unwrap_or(u16::MAX);
            if let Some(item) = items.get(usize::from(position))
                && (id.tag.is_exact() || id_of(item).is(*id))
            {
                return Probe::Found(item);
            }
        } else if tag.same(EMPTY) {
            return Probe::Empty;
        }
        Probe::Other
    }

    /// The probes after the first: from the slot after `first` to the first empty one, at most
    /// every slot of the index.
    #[inline(never)]
    fn walk<'i, T>(
        &self,
        at: usize,
        bits: u32,
        first: usize,
        items: &'i [T],
        id_of: &impl Fn(&T) -> &Id,
        id: &IdRef<'_>,
    ) -> Option<&'i T> {
        let mask = (1usize << bits).wrapping_sub(1);
        let mut slot = first;
        for _ in 0..mask {
            slot = (slot + 1) & mask;
            match self.probe(at, slot, items, id_of, id) {
                Probe::Found(item) => return Some(item),
                Probe::Empty => return None,
                Probe::Other => {}
            }
        }
        None
    }

    /// [`Index::lookup`] when the whole `Index` is one index.
    #[inline(always)]
    pub(crate) fn lookup_all<'i, T>(
        &self,
        items: &'i [T],
        id_of: impl Fn(&T) -> &Id,
        id: &IdRef<'_>,
    ) -> Option<&'i T> {
        self.lookup(0, self.tags.len().trailing_zeros(), items, id_of, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(ids: &[Id], base: usize) -> (Index, u16, u8) {
        let mut index = Index::default();
        let (at, bits) = index.add(ids.iter(), base).expect("fits");
        (index, at, bits)
    }

    /// Every id of a list is found at its position, and ids not in the list are not, for lists
    /// of short, long and tag-twin ids at every size up to 300 (the naive scan is the oracle).
    #[test]
    fn an_index_finds_what_a_scan_finds() {
        let long = |i: usize| format!("{i:08}-3c1d-4f2a-9e7b-5d6c8a1f{i:04}");
        for n in [0usize, 1, 2, 3, 5, 17, 64, 255, 300] {
            let ids: Vec<Id> = (0..n)
                .map(|i| {
                    Id::new(&if i % 3 == 0 {
                        long(i)
                    } else {
                        format!("bu-{i}")
                    })
                })
                .collect();
            let (index, at, bits) = index_of(&ids, 0);
            assert!((1usize << bits) >= 4 * n);
            let probes = (0..n + 40)
                .flat_map(|i| [format!("bu-{i}"), long(i), format!("bu-{i}x")])
                .chain(["".to_string(), long(1).replace('-', "_")]);
            for probe in probes {
                let want = ids.iter().position(|x| x.as_str() == probe);
                let got = index.lookup(at.into(), bits.into(), &ids, |x| x, &IdRef::new(&probe));
                assert_eq!(
                    got.map(|x| x.as_str()),
                    want.map(|i| ids[i].as_str()),
                    "{probe}"
                );
            }
            let absent = index.lookup(at.into(), bits.into(), &ids, |x| x, &IdRef::ABSENT);
            assert!(absent.is_none());
        }
    }

    /// Sequential ids, as services name companies and units, need few probes: on average at most
    /// 1.5 per id present (an index is at most a quarter full: about 1.17 if ids hashed at random).
    #[test]
    fn sequential_ids_spread() {
        for (n, name) in [
            (64, "company-"),
            (1000, "bu-"),
            (255, "0b8f4a6e-3c1d-4f2a-9e7b-5d6c8a1f"),
        ] {
            let ids: Vec<Id> = (0..n).map(|i| Id::new(&format!("{name}{i:04}"))).collect();
            let (index, _, bits) = index_of(&ids, 0);
            let mask = (1usize << bits) - 1;
            let probes: usize = ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let mut at = home(id.tag(), id.as_str(), bits.into());
                    let mut p = 1;
                    while usize::from(index.positions[at]) != i || index.tags[at] == EMPTY {
                        at = (at + 1) & mask;
                        p += 1;
                    }
                    p
                })
                .sum();
            assert!(probes * 2 <= n * 3, "{name}: {probes} probes for {n} ids");
        }
    }

    /// Indexes share one pool; positions are offset by `base`; what would not fit is refused.
    #[test]
    fn indexes_share_a_pool_and_overflow_is_refused() {
        let ids: Vec<Id> = ["a", "b", "c"].map(Id::new).into();
        let pool: Vec<Id> = ["x", "y"]
            .map(Id::new)
            .into_iter()
            .chain(ids.clone())
            .collect();
        let mut index = Index::default();
        let first = index.add(pool[..2].iter(), 0).expect("fits");
        let (at, bits) = index.add(ids.iter(), 2).expect("fits");
        assert_eq!(usize::from(at), 1 << first.1);
        let found = index.lookup(at.into(), bits.into(), &pool, |x| x, &IdRef::new("b"));
        assert!(found.is_some_and(|x| core::ptr::eq(x, &pool[3])));
        let other = index.lookup(at.into(), bits.into(), &pool, |x| x, &IdRef::new("x"));
        assert!(other.is_none());
        let x = index.lookup(
            first.0.into(),
            first.1.into(),
            &pool,
            |x| x,
            &IdRef::new("x"),
        );
        assert!(x.is_some_and(|x| core::ptr::eq(x, &pool[0])));
        assert!(Index::default().add(ids.iter(), MAX_INDEXED - 2).is_none());
        assert!(Index::default().add(ids.iter(), MAX_INDEXED - 3).is_some());
    }
}
