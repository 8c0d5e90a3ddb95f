//! Finding a key by name: the perfect hash's probe, shared by [`Catalog::key`] and by the loop that
//! resolves a token's grants ([`KeyLookup`]), which holds the catalog's tables across names.

use super::spec::MAX_KEY_LEN;
use super::tables::{KeyInfo, Tables};
use super::{Catalog, Key, phf};
use crate::bytes::same;

/// The one key a name of at most [`MAX_KEY_LEN`] bytes can be, if any: its id and row, for the
/// caller to compare the names.
#[inline(always)]
pub(super) fn probe<'t>(t: &'t Tables, name: &[u8]) -> Option<(u16, &'t KeyInfo)> {
    if name.len() > MAX_KEY_LEN {
        return None;
    }
    let (g, f1, f2) = phf::split(phf::hash(name, t.phf_seed, t.phf_full));
    let disps: &[(u32, u32)] = &t.phf_disps;
    let slots: &[u16] = &t.phf_slots;
    // Both lengths are powers of two (>= 1), so the masks keep every index in bounds.
    let d = *disps.get(g as usize & disps.len().wrapping_sub(1))?;
    let id = *slots.get(phf::slot(f1, f2, d, (slots.len() as u32).wrapping_sub(1)))?;
    Some((id, t.keys.get(usize::from(id))?))
}

/// A catalog's name lookup with its tables resolved once, for a loop over many names.
pub(crate) struct KeyLookup<'c> {
    catalog: u32,
    tables: &'c Tables,
}

impl Catalog {
    /// This catalog's name lookup.
    #[inline(always)]
    pub(crate) fn lookup(&self) -> KeyLookup<'_> {
        KeyLookup {
            catalog: self.id(),
            tables: self.tables(),
        }
    }
}

impl KeyLookup<'_> {
    /// The key named `name` (bytes compared as they are: a name that is not UTF-8 is no key's),
    /// compared in line rather than by the C library's `bcmp` as [`Catalog::key`] does: a loop
    /// over a token's grants then keeps its registers across names (a few more instructions a
    /// name, and faster there).
    #[inline(always)]
    pub(crate) fn find(&self, name: &[u8]) -> Option<Key> {
        let (id, info) = probe(self.tables, name)?;
        same(info.name.as_bytes(), name)
            .then(|| Key::from_parts(self.catalog, id, info.module, info.flags))
    }
}
