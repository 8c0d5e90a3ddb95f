//! The embedded Kisum catalog: the one place that includes what `build.rs` generates from
//! `catalog.toml` (`$OUT_DIR/catalog.rs`).

use std::borrow::Cow;

use crate::catalog::{Catalog, KeyInfo, LegacyInfo, ModuleInfo, RoleInfo, Tables};
use crate::key::{Key, Module};
use crate::spec::{DelegationRule, ModuleKind, ModuleStatus};

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The compiled catalog; its tables are `static`, nothing is parsed at run time.
pub(crate) static CATALOG: Catalog = Catalog::from_static(&TABLES);

/// A key's name if it is a key of the embedded catalog (for `Debug`).
pub(crate) fn name_of(key: Key) -> Option<&'static str> {
    if key.catalog_id() != 0 {
        return None;
    }
    KEY_NAMES.get(key.index()).copied()
}

/// A module's key if it is a module of the embedded catalog (for `Debug`).
pub(crate) fn module_name_of(module: Module) -> Option<&'static str> {
    if module.catalog_id() != 0 {
        return None;
    }
    MODULE_NAMES.get(module.index()).copied()
}
