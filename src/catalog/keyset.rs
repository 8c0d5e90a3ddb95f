//! Sets of key ids as bitsets: one bit per key of a catalog.

use smallvec::SmallVec;

/// A set of key ids. Two words inline: the Kisum catalog (120 keys) and B.A.M (50) never
/// allocate for it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeySet(SmallVec<[u64; 2]>);

impl KeySet {
    /// An empty set sized for `keys` keys.
    pub(crate) fn with_capacity(keys: usize) -> KeySet {
        KeySet(SmallVec::from_elem(0, keys.div_ceil(64)))
    }

    #[inline]
    pub(crate) fn contains(&self, id: usize) -> bool {
        contains(&self.0, id)
    }

    pub(crate) fn insert(&mut self, id: usize) {
        if let Some(w) = self.0.get_mut(id / 64) {
            *w |= 1 << (id % 64);
        }
    }

    /// Adds every id set in `words` (a role's bitset of the same catalog).
    pub(crate) fn union_words(&mut self, words: &[u64]) {
        for (w, o) in self.0.iter_mut().zip(words) {
            *w |= o;
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        iter(&self.0)
    }
}

/// Whether bit `id` is set in `words`; false past the end.
#[inline]
pub(crate) fn contains(words: &[u64], id: usize) -> bool {
    words
        .get(id / 64)
        .is_some_and(|w| w & (1 << (id % 64)) != 0)
}

/// The ids set in `words`, ascending.
pub(crate) fn iter(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(i, &w)| {
        (0..64)
            .filter(move |b| w & (1u64 << b) != 0)
            .map(move |b| i * 64 + b)
    })
}
