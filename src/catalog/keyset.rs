//! Sets of key ids: one bit per key for small catalogs, the sorted ids for large ones, so that a
//! set costs what it holds, not what the catalog holds.

use smallvec::SmallVec;

/// Catalogs of at most this many keys hold their sets as bitsets (at most 32 bytes; the Kisum
/// catalog's 120 keys and B.A.M's 50 fit in two inline words, no allocation). Larger catalogs
/// hold sorted key ids: 2 bytes per key in the set, nothing for an empty one.
pub(crate) const DENSE_KEYS: usize = 256;

/// A set of key ids of one catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeySet {
    /// One bit per key of the catalog.
    Bits(SmallVec<[u64; 2]>),
    /// The ids in the set, ascending, each once.
    Ids(Vec<u16>),
}

impl Default for KeySet {
    fn default() -> KeySet {
        KeySet::Bits(SmallVec::new())
    }
}

impl KeySet {
    /// An empty set for a catalog of `keys` keys: bits up to [`DENSE_KEYS`], ids past it.
    pub(crate) fn with_capacity(keys: usize) -> KeySet {
        if keys <= DENSE_KEYS {
            KeySet::Bits(SmallVec::from_elem(0, keys.div_ceil(64)))
        } else {
            KeySet::Ids(Vec::new())
        }
    }

    #[inline]
    pub(crate) fn contains(&self, id: usize) -> bool {
        match self {
            KeySet::Bits(words) => contains(words, id),
            KeySet::Ids(ids) => u16::try_from(id).is_ok_and(|id| ids.binary_search(&id).is_ok()),
        }
    }

    /// Adds `id` (ignored past the end of a bitset's catalog; ids are key indexes, below
    /// `u16::MAX`).
    #[inline(always)]
    pub(crate) fn insert(&mut self, id: usize) {
        match self {
            KeySet::Bits(words) => {
                if let Some(w) = words.get_mut(id / 64) {
                    *w |= 1 << (id % 64);
                }
            }
            KeySet::Ids(ids) => insert_id(ids, id),
        }
    }

    /// Adds every id set in `words` (a role's bitset of the same catalog).
    pub(crate) fn union_words(&mut self, words: &[u64]) {
        match self {
            KeySet::Bits(mine) => {
                for (w, o) in mine.iter_mut().zip(words) {
                    *w |= o;
                }
            }
            KeySet::Ids(ids) => {
                ids.extend(iter(words).filter_map(|id| u16::try_from(id).ok()));
                ids.sort_unstable();
                ids.dedup();
            }
        }
    }

    /// Where `id` is among the set's ids, ascending (its rank), if the set holds it.
    pub(crate) fn rank(&self, id: usize) -> Option<usize> {
        let id = u16::try_from(id).ok()?;
        match self {
            KeySet::Bits(words) => contains(words, id.into()).then(|| {
                let (word, bit) = (usize::from(id) / 64, id % 64);
                let below: u32 = words.iter().take(word).map(|w| w.count_ones()).sum();
                let mask = (1u64 << bit) - 1;
                below as usize + (words.get(word).map_or(0, |w| w & mask).count_ones() as usize)
            }),
            KeySet::Ids(ids) => ids.binary_search(&id).ok(),
        }
    }

    /// Calls `f` with each id in the set, ascending: as [`KeySet::iter`], in plain loops.
    #[inline]
    pub(crate) fn for_each(&self, mut f: impl FnMut(usize)) {
        match self {
            KeySet::Bits(words) => {
                for (i, &w) in words.iter().enumerate() {
                    each_bit(w, |bit| f(i * 64 + bit));
                }
            }
            KeySet::Ids(ids) => ids.iter().for_each(|&id| f(usize::from(id))),
        }
    }

    /// Frees the room a list of ids grew into beyond what it holds.
    pub(crate) fn shrink(mut self) -> KeySet {
        if let KeySet::Ids(ids) = &mut self {
            ids.shrink_to_fit();
        }
        self
    }

    /// The ids in the set, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let (words, ids): (&[u64], &[u16]) = match self {
            KeySet::Bits(words) => (words, &[]),
            KeySet::Ids(ids) => (&[], ids),
        };
        iter(words).chain(ids.iter().map(|&id| usize::from(id)))
    }
}

/// Adds `id` to the sorted ids of a [`KeySet::Ids`], out of line.
fn insert_id(ids: &mut Vec<u16>, id: usize) {
    let Ok(id) = u16::try_from(id) else { return };
    if ids.last().is_none_or(|&last| last < id) {
        ids.push(id);
    } else if let Err(at) = ids.binary_search(&id) {
        ids.insert(at, id);
    }
}

/// Whether bit `id` is set in `words`; false past the end.
#[inline]
pub(crate) fn contains(words: &[u64], id: usize) -> bool {
    words
        .get(id / 64)
        .is_some_and(|w| w & (1 << (id % 64)) != 0)
}

/// Calls `f` with the position of each set bit of `word`, ascending.
#[inline(always)]
pub(crate) fn each_bit(mut word: u64, mut f: impl FnMut(usize)) {
    while word != 0 {
        f(word.trailing_zeros() as usize);
        word &= word - 1;
    }
}

/// Calls `f` with the start and length of each run of consecutive set bits of `word`, ascending.
#[inline(always)]
pub(crate) fn each_run(mut word: u64, mut f: impl FnMut(usize, usize)) {
    while word != 0 {
        let start = word.trailing_zeros();
        // The bits from `start` on, then zeros: the run ends at the first zero among them.
        let len = (!(word >> start)).trailing_zeros().min(64 - start);
        f(start as usize, len as usize);
        // Clear the run: its bits are the lowest set ones.
        word &= u64::MAX.checked_shl(start + len).unwrap_or(0);
    }
}

/// Sets bits `start..start + len` of `words` (past their end: ignored), a word at a time.
pub(crate) fn set_range(words: &mut [u64], start: usize, len: usize) {
    let (mut at, end) = (start, start + len);
    while at < end {
        let (word, bit) = (at / 64, at % 64);
        let n = (end - at).min(64 - bit);
        if let Some(w) = words.get_mut(word) {
            *w |= u64::MAX >> (64 - n) << bit;
        }
        at += n;
    }
}

/// The ids set in `words`, ascending.
pub(crate) fn iter(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(i, &w)| {
        // The lowest set bit, cleared once yielded: one step per id, not per bit.
        let mut rest = w;
        std::iter::from_fn(move || {
            let bit = rest.trailing_zeros() as usize;
            rest &= rest.wrapping_sub(1);
            (bit < 64).then_some(i * 64 + bit)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both forms hold the same ids, whatever the order of inserts and role unions.
    #[test]
    fn bits_and_ids_agree() {
        let role: Vec<u64> = vec![0b1011, 0, 1 << 63, 0b110];
        let inserts = [200usize, 3, 17, 200, 0, 130, 255, 64];
        let mut dense = KeySet::with_capacity(DENSE_KEYS);
        let mut sparse = KeySet::with_capacity(DENSE_KEYS + 1);
        assert!(matches!(sparse, KeySet::Ids(_)));
        for (i, &id) in inserts.iter().enumerate() {
            dense.insert(id);
            sparse.insert(id);
            if i == 3 {
                dense.union_words(&role);
                sparse.union_words(&role);
            }
        }
        let ids: Vec<usize> = dense.iter().collect();
        assert_eq!(ids, sparse.iter().collect::<Vec<_>>());
        for set in [&dense, &sparse] {
            let mut each = Vec::new();
            set.for_each(|id| each.push(id));
            assert_eq!(each, ids);
        }
        assert_eq!(ids, [0, 1, 3, 17, 64, 130, 191, 193, 194, 200, 255]);
        for id in 0..300 {
            assert_eq!(sparse.contains(id), ids.contains(&id), "{id}");
            assert_eq!(dense.contains(id), ids.contains(&id), "{id}");
            let rank = ids.iter().position(|&x| x == id);
            assert_eq!(sparse.rank(id), rank, "{id}");
            assert_eq!(dense.rank(id), rank, "{id}");
        }
    }

    /// The runs of a word cover exactly its set bits, in order, each maximal (the naive oracle:
    /// bit by bit).
    #[test]
    fn each_run_covers_the_set_bits_in_maximal_runs() {
        let mut words = vec![
            0,
            u64::MAX,
            1,
            1 << 63,
            u64::MAX << 1,
            u64::MAX >> 1,
            0b1011_0110,
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            words.extend([x, x & (x >> 1), x | (x << 3)]);
        }
        for w in words {
            let mut runs = Vec::new();
            each_run(w, |start, len| runs.push((start, len)));
            let mut naive = Vec::new();
            each_bit(w, |b| match naive.last_mut() {
                Some((start, len)) if *start + *len == b => *len += 1,
                _ => naive.push((b, 1)),
            });
            assert_eq!(runs, naive, "{w:#066b}");
        }
    }
}
