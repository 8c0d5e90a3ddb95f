//! Role templates as the catalog expanded them: key bitsets.

use std::fmt;

use super::tables::RoleInfo;
use super::{Catalog, Key, keyset};

/// A role template of a catalog: the keys it grants, expanded at build (or load) time.
#[derive(Clone, Copy)]
pub struct Role<'c> {
    pub(super) catalog: &'c Catalog,
    pub(super) info: &'c RoleInfo,
}

impl<'c> Role<'c> {
    /// The catalog the role belongs to (its keys are named there).
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// The role's name.
    pub fn name(&self) -> &'c str {
        &self.info.name
    }

    /// Keys granted without restriction (org-wide).
    pub fn grants(&self) -> impl Iterator<Item = Key> + 'c {
        keyset::iter(&self.info.grants).map(|id| self.catalog.key_at(id as u16))
    }

    /// Keys granted on the holder's own resources only.
    pub fn own_only(&self) -> impl Iterator<Item = Key> + 'c {
        keyset::iter(&self.info.own_only).map(|id| self.catalog.key_at(id as u16))
    }

    /// Whether the role grants `key` at all (unrestricted or own-only).
    pub fn contains(&self, key: Key) -> bool {
        self.catalog.contains(key)
            && (keyset::contains(&self.info.grants, key.index())
                || keyset::contains(&self.info.own_only, key.index()))
    }

    pub(crate) fn grant_words(&self) -> &'c [u64] {
        &self.info.grants
    }
}

impl fmt::Debug for Role<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Role")
            .field("name", &self.name())
            .field(
                "grants",
                &self
                    .grants()
                    .map(|k| self.catalog.name(k))
                    .collect::<Vec<_>>(),
            )
            .field(
                "own_only",
                &self
                    .own_only()
                    .map(|k| self.catalog.name(k))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}
