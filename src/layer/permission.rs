//! Layer 3, permission: the user holds the key, directly or through a role template.

use crate::catalog::{Key, KeySet};

use super::Denial;

/// Layer 3 for `key`, given the keys held through any grant or role.
#[inline]
pub(crate) fn permission(held: &KeySet, key: Key) -> Result<(), Denial> {
    if held.contains(key.index()) {
        Ok(())
    } else {
        Err(Denial::MissingPermission)
    }
}
