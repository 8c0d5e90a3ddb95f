//! Hash indexes over ids, so that finding one id among many costs the same wherever it is: the
//! company among a user's memberships, the business unit among a grant's hundreds.
//!
//! An index is an open-addressing table of `u16` slots, at most a quarter full: each slot is 0 (empty)
//! or one plus the position of an id in the list it indexes. A request id's tag picks its first
//! slot; equal tags are confirmed as [`Id::is`] does, so an index answers exactly as a scan would.

use super::{Id, IdRef, Tag};

/// Lists of at most this many ids are scanned, not indexed: for a few ids one or two tag
/// comparisons cost less than hashing.
pub(crate) const SCAN: usize = 4;

/// The largest list an index takes: its positions must fit a slot (`u16`, 0 meaning empty).
pub(crate) const MAX_INDEXED: usize = u16::MAX as usize - 1;

/// The first slot of an id in a table of `1 << bits` slots (`bits` from 1 to 16): the tag's
/// words (and, for an id longer than its tag, every 8 bytes of its text) folded and multiplied by
/// 64-bit odd constants, which carry every bit upwards, and the top `bits` bits of the mix kept.
/// Ids that differ in a byte or two, such as `company-07` and `company-63`, land apart.
#[inline(always)]
fn home(tag: Tag, text: &str, bits: u32) -> usize {
    let mut mixed = tag.lo ^ tag.hi.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    if !tag.is_exact() {
        mixed ^= fold(text.as_bytes());
    }
    (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
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

/// An index over `ids` whose positions start at `base` in the list they belong to (the slots
/// hold `base + i + 1`): a power of two of at least four times as many slots as ids. `None` if the
/// positions would not fit a slot ([`MAX_INDEXED`]).
pub(crate) fn build<'a>(
    ids: impl ExactSizeIterator<Item = &'a Id>,
    base: usize,
) -> Option<Box<[u16]>> {
    if base + ids.len() > MAX_INDEXED {
        return None;
    }
    let size = (4 * ids.len()).next_power_of_two().max(2);
    let (bits, mask) = (size.trailing_zeros(), size - 1);
    let mut slots = vec![0u16; size];
    for (i, id) in ids.enumerate() {
        let mut at = home(id.tag, id.as_str(), bits);
        while slots[at] != 0 {
            at = (at + 1) & mask;
        }
        slots[at] = (base + i + 1) as u16;
    }
    Some(slots.into())
}

/// The item of `items` whose id (`id_of`) is `id`, found through `slots` (built by [`build`] over
/// those items' ids). Probes from the id's first slot to the first empty one, at most every slot.
#[inline(always)]
pub(crate) fn lookup<'i, T>(
    slots: &[u16],
    items: &'i [T],
    id_of: impl Fn(&T) -> &Id,
    id: IdRef<'_>,
) -> Option<&'i T> {
    let (bits, mask) = (slots.len().trailing_zeros(), slots.len().wrapping_sub(1));
    let mut at = home(id.tag, id.text, bits.max(1));
    for _ in 0..slots.len() {
        let position = usize::from(*slots.get(at)?).checked_sub(1)?;
        let item = items.get(position)?;
        if id_of(item).tag == id.tag && (id.is_exact() || id_of(item).is(id)) {
            return Some(item);
        }
        at = (at + 1) & mask;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every id of a list is found at its position, and ids not in the list are not, for lists
    /// of short, long and colliding ids at every size up to 300 (the naive scan is the oracle).
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
            let slots = build(ids.iter(), 0).expect("fits");
            assert!(slots.len() >= 4 * n && slots.len().is_power_of_two());
            let probes = (0..n + 40)
                .flat_map(|i| [format!("bu-{i}"), long(i), format!("bu-{i}x")])
                .chain(["".to_string(), long(1).replace('-', "_")]);
            for probe in probes {
                let want = ids.iter().position(|x| x.as_str() == probe);
                let got = lookup(&slots, &ids, |x| x, IdRef::new(&probe));
                assert_eq!(
                    got.map(|x| x.as_str()),
                    want.map(|i| ids[i].as_str()),
                    "{probe}"
                );
            }
            assert!(lookup(&slots, &ids, |x| x, IdRef::ABSENT).is_none());
        }
    }

    /// Positions are offset by `base`, and a list too long for a slot is refused.
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
            let slots = build(ids.iter(), 0).expect("fits");
            let (bits, mask) = (slots.len().trailing_zeros(), slots.len() - 1);
            let probes: usize = ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let mut at = home(id.tag, id.as_str(), bits);
                    let mut p = 1;
                    while usize::from(slots[at]) != i + 1 {
                        at = (at + 1) & mask;
                        p += 1;
                    }
                    p
                })
                .sum();
            assert!(probes * 2 <= n * 3, "{name}: {probes} probes for {n} ids");
        }
    }

    #[test]
    fn positions_start_at_base_and_overflow_is_refused() {
        let ids: Vec<Id> = ["a", "b", "c"].map(Id::new).into();
        let pool: Vec<Id> = ["x", "y"]
            .map(Id::new)
            .into_iter()
            .chain(ids.clone())
            .collect();
        let slots = build(ids.iter(), 2).expect("fits");
        let found = lookup(&slots, &pool, |x| x, IdRef::new("b"));
        assert!(found.is_some_and(|x| core::ptr::eq(x, &pool[3])));
        assert!(lookup(&slots, &pool, |x| x, IdRef::new("x")).is_none());
        assert!(build(ids.iter(), MAX_INDEXED - 2).is_none());
        assert!(build(ids.iter(), MAX_INDEXED - 3).is_some());
    }
}
