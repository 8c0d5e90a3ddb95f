//! The catalog's legacy names: key aliases (`basic.events.read` -> `promoter.event.view`, with
//! how the replacement compares) and module aliases (`basic` -> `promoter`).

use super::spec::AliasClass;
use super::tables::{LegacyInfo, LegacyModuleInfo};
use super::{Catalog, Key, Module};

/// A legacy key alias of a catalog: its replacement and class, or why it was dropped.
///
/// ```
/// use kisum_access::{AliasClass, Catalog, keys};
///
/// let alias = Catalog::embedded().legacy_alias("basic.events.create").unwrap();
/// assert_eq!(alias.replacement(), Some(keys::PROMOTER_EVENT_EDIT));
/// assert_eq!(alias.class(), Some(AliasClass::Wider)); // edit also deletes events
/// ```
#[derive(Debug, Clone, Copy)]
pub struct LegacyAlias<'c> {
    catalog: &'c Catalog,
    info: &'c LegacyInfo,
}

impl<'c> LegacyAlias<'c> {
    /// The legacy name (`basic.events.read`).
    pub fn name(&self) -> &'c str {
        &self.info.name
    }

    /// The key that replaces it, or `None` if it was dropped.
    pub fn replacement(&self) -> Option<Key> {
        self.info.replacement.map(|(id, _)| self.catalog.key_at(id))
    }

    /// How the replacement compares with the legacy key; `None` if it was dropped.
    pub fn class(&self) -> Option<AliasClass> {
        self.info.replacement.map(|(_, class)| class)
    }

    /// Why it was dropped; `None` if it has a replacement.
    pub fn reason(&self) -> Option<&'c str> {
        self.info.dropped.as_deref()
    }
}

/// A legacy module alias of a catalog: its replacement module, or why it was dropped.
///
/// A module alias only renames the module at layers 1 (company entitlements) and 2 (module
/// assignment); access still needs a key at layer 3, so it cannot widen access on its own.
#[derive(Debug, Clone, Copy)]
pub struct LegacyModule<'c> {
    catalog: &'c Catalog,
    info: &'c LegacyModuleInfo,
}

impl<'c> LegacyModule<'c> {
    /// The legacy module name (`basic`).
    pub fn name(&self) -> &'c str {
        &self.info.name
    }

    /// The module that replaces it, or `None` if it was dropped.
    pub fn replacement(&self) -> Option<Module> {
        let id = self.info.replacement?;
        self.catalog.modules().nth(id as usize)
    }

    /// Why it was dropped; `None` if it has a replacement.
    pub fn reason(&self) -> Option<&'c str> {
        self.info.dropped.as_deref()
    }
}

impl Catalog {
    /// Every legacy key alias, in catalog order.
    pub fn legacy(&self) -> impl ExactSizeIterator<Item = LegacyAlias<'_>> + '_ {
        self.tables().legacy.iter().map(move |info| LegacyAlias {
            catalog: self,
            info,
        })
    }

    /// The legacy key alias of this name, if the catalog declares one.
    pub fn legacy_alias(&self, name: &str) -> Option<LegacyAlias<'_>> {
        self.legacy().find(|a| a.name() == name)
    }

    /// Every legacy module alias, in catalog order.
    pub fn legacy_modules(&self) -> impl ExactSizeIterator<Item = LegacyModule<'_>> + '_ {
        self.tables()
            .legacy_modules
            .iter()
            .map(move |info| LegacyModule {
                catalog: self,
                info,
            })
    }

    /// The legacy module alias of this name (`basic`), if the catalog declares one.
    pub fn legacy_module(&self, name: &str) -> Option<LegacyModule<'_>> {
        self.legacy_modules().find(|m| m.name() == name)
    }

    /// Whether `name` is a legacy key: an alias, or any key of a legacy module (`basic.*`). A
    /// legacy name is never "unknown": claims refuse it (or translate it on opt-in), they never
    /// skip it.
    pub fn is_legacy(&self, name: &str) -> bool {
        self.legacy_alias(name).is_some() || self.in_legacy_module(name)
    }

    /// Whether the name's first segment is a legacy module.
    pub(crate) fn in_legacy_module(&self, name: &str) -> bool {
        name.split_once('.')
            .is_some_and(|(module, _)| self.legacy_module(module).is_some())
    }
}
