//! A catalog's name lookup with its tables resolved once: what a loop that looks up many names
//! (a token's grants) holds, so that each name costs the hash, one probe and one comparison.

use super::spec::MAX_KEY_LEN;
use super::tables::KeyInfo;
use super::{Catalog, Key, phf};
use crate::bytes::same;

/// The perfect hash over a catalog's key names, borrowed from its tables.
pub(crate) struct KeyLookup<'c> {
    catalog: u32,
    seed: u64,
    full: bool,
    disps: &'c [(u32, u32)],
    slots: &'c [u16],
    keys: &'c [KeyInfo],
}

impl Catalog {
    /// This catalog's name lookup.
    #[inline]
    pub(crate) fn lookup(&self) -> KeyLookup<'_> {
        let t = self.tables();
        KeyLookup {
            catalog: self.id(),
            seed: t.phf_seed,
            full: t.phf_full,
            disps: &t.phf_disps,
            slots: &t.phf_slots,
            keys: &t.keys,
        }
    }
}

impl KeyLookup<'_> {
    /// The key named `name` (bytes compared as they are: a name that is not UTF-8 is no key's).
    #[inline(always)]
    pub(crate) fn find(&self, name: &[u8]) -> Option<Key> {
        if name.len() > MAX_KEY_LEN {
            return None;
        }
        let (g, f1, f2) = phf::split(phf::hash(name, self.seed, self.full));
        // Both lengths are powers of two (>= 1), so the masks keep every index in bounds.
        let d = *self
            .disps
            .get(g as usize & self.disps.len().wrapping_sub(1))?;
        let mask = (self.slots.len() as u32).wrapping_sub(1);
        let id = *self.slots.get(phf::slot(f1, f2, d, mask))?;
        let info = self.keys.get(usize::from(id))?;
        same(info.name.as_bytes(), name)
            .then(|| Key::from_parts(self.catalog, id, info.module, info.flags))
    }
}
