//! Layer 2, module access: the key's module is assigned to the user.

use crate::catalog::Key;

use super::Denial;

/// Layer 2 for `key`, given the modules assigned to the user. Keys outside the commercial model
/// pass.
#[inline]
pub(crate) fn module(assigned: u64, key: Key) -> Result<(), Denial> {
    if !key.commercial_layers_apply() || assigned & key.module().bit() != 0 {
        Ok(())
    } else {
        Err(Denial::ModuleNotAssigned(key.module()))
    }
}
