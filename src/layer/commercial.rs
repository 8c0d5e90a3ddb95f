//! Layer 1, commercial eligibility: the company bought the key's module, and for an add-on also a
//! base module it attaches to.

use crate::catalog::Key;

use super::Denial;

/// Layer 1 for `key`, given the modules the company bought and those usable (`entitled`: add-ons
/// only with a bought base). Keys outside the commercial model (external modules, catalogs
/// without one) pass.
#[inline]
pub(crate) fn commercial(entitled: u64, bought: u64, key: Key) -> Result<(), Denial> {
    let module = key.module();
    if !key.commercial_layers_apply() || entitled & module.bit() != 0 {
        Ok(())
    } else if bought & module.bit() != 0 {
        Err(Denial::AddonWithoutBase(module))
    } else {
        Err(Denial::NotEntitled(module))
    }
}
