//! The permission catalog: modules, keys, role templates and legacy aliases.

mod embedded;
mod key;
mod key_error;
mod key_type;
mod keyset;
mod legacy;
mod load;
mod lookup;
pub(crate) mod names;
pub(crate) mod phf;
mod role;
pub(crate) mod spec;
mod tables;

use std::fmt;
use std::sync::Arc;

#[doc(hidden)]
pub use embedded::embedded_key;
pub use embedded::{key_types, keys};
pub use key::{Key, Module};
pub use key_error::{KeyError, KeyName};
pub use key_type::KeyType;
pub(crate) use keyset::{DENSE_KEYS, KeySet, contains as key_bit, each_bit, each_run, set_range};
pub use legacy::{LegacyAlias, LegacyModule};
pub use load::CatalogError;
pub use role::Role;

use spec::{DelegationRule, ModuleStatus};
use tables::{KeyInfo, ModuleInfo, Tables};

#[derive(Debug, Clone)]
enum TablesRef {
    Static(&'static Tables),
    Shared(Arc<Tables>),
}

/// A permission catalog: the modules, keys, role templates and legacy aliases of one system.
///
/// The Kisum catalog is compiled into the crate ([`Catalog::embedded`]); any other catalog in the
/// same TOML format is loaded with [`Catalog::from_toml_str`], which runs the very validator the
/// build script runs. Cloning is cheap (a reference count).
///
/// # Example
///
/// ```
/// use kisum_access::{Catalog, KeyError};
///
/// let catalog = Catalog::embedded();
/// let key = catalog.key("finance.bill.view")?;
/// assert_eq!(catalog.name(key), "finance.bill.view");
/// assert_eq!(catalog.module_name(key.module()), "finance");
///
/// // Legacy keys are refused, naming their replacement.
/// let err = catalog.key("basic.events.read").unwrap_err();
/// assert_eq!(err.replacement(), Some("promoter.event.view"));
/// # Ok::<(), KeyError>(())
/// ```
#[derive(Clone)]
pub struct Catalog {
    id: u32,
    tables: TablesRef,
}

impl Catalog {
    pub(crate) const fn from_static(tables: &'static Tables) -> Catalog {
        Catalog {
            id: 0,
            tables: TablesRef::Static(tables),
        }
    }

    pub(crate) fn from_shared(id: u32, tables: Tables) -> Catalog {
        Catalog {
            id,
            tables: TablesRef::Shared(Arc::new(tables)),
        }
    }

    #[inline]
    pub(crate) fn tables(&self) -> &Tables {
        match &self.tables {
            TablesRef::Static(t) => t,
            TablesRef::Shared(t) => t,
        }
    }

    /// This catalog's identity; keys carry it.
    #[inline]
    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    /// The catalog's name (`kisum`, `bam`).
    pub fn catalog_name(&self) -> &str {
        &self.tables().name
    }

    /// The catalog's version (`[catalog] version`), or `"unversioned"` if the file gives none.
    /// With [`Catalog::fingerprint`], what a fleet compares to know which catalog a service runs.
    pub fn version(&self) -> &str {
        self.tables().version.as_deref().unwrap_or("unversioned")
    }

    /// A hash of the catalog's content (keys, gates texts, modules, roles, aliases), independent
    /// of the file's layout, comments and version: equal fingerprints mean the same access rules.
    pub fn fingerprint(&self) -> u64 {
        self.tables().fingerprint
    }

    /// Whether the commercial layers (1 commercial eligibility, 2 module access) apply.
    pub fn has_commercial_layers(&self) -> bool {
        self.tables().commercial
    }

    /// Where delegation rights come from in this catalog.
    pub fn delegation_rule(&self) -> DelegationRule {
        self.tables().delegation
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.tables().keys.len()
    }

    /// Whether the catalog has no keys.
    pub fn is_empty(&self) -> bool {
        self.tables().keys.is_empty()
    }

    /// The allowed action words (last segments of keys).
    pub fn actions(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.tables().actions.iter().map(|a| &**a)
    }

    /// Looks up a key by name. Never allocates and never panics, on any input.
    ///
    /// The hit path is one hash, one table probe and one name comparison (a perfect hash built at
    /// compile time for the embedded catalog).
    ///
    /// # Errors
    ///
    /// [`KeyError::Legacy`] for a legacy alias (naming its replacement), [`KeyError::Malformed`]
    /// for a name that is not `segment.segment[...]`, [`KeyError::Unknown`] otherwise.
    ///
    /// # Example
    ///
    /// ```
    /// use kisum_access::{Catalog, KeyError, keys};
    ///
    /// let catalog = Catalog::embedded();
    /// assert_eq!(catalog.key("promoter.event.view")?, keys::PROMOTER_EVENT_VIEW);
    /// assert!(matches!(catalog.key("Promoter.Event"), Err(KeyError::Malformed { .. })));
    /// assert!(matches!(catalog.key("promoter.event.fly"), Err(KeyError::Unknown { .. })));
    /// # Ok::<(), KeyError>(())
    /// ```
    #[inline]
    pub fn key(&self, name: &str) -> Result<Key, KeyError> {
        self.find_key(name).ok_or_else(|| self.key_miss(name))
    }

    /// [`Catalog::key`] without the error (made out of line, only for a name not found).
    #[inline(always)]
    pub(crate) fn find_key(&self, name: &str) -> Option<Key> {
        let (id, info) = lookup::probe(self.tables(), name.as_bytes())?;
        (info.name.as_bytes() == name.as_bytes())
            .then(|| Key::from_parts(self.id, id, info.module, info.flags))
    }

    #[cold]
    pub(crate) fn key_miss(&self, name: &str) -> KeyError {
        let alias = self.legacy_alias(name);
        if alias.is_some() || self.in_legacy_module(name) {
            let replacement = alias
                .and_then(|a| a.replacement())
                .map(|k| KeyName::new(self.name(k)));
            return KeyError::Legacy {
                name: KeyName::new(name),
                replacement,
            };
        }
        match spec::check_key_name(name) {
            Err(fault) => KeyError::Malformed {
                name: KeyName::new(name),
                fault,
            },
            Ok(()) => KeyError::Unknown {
                name: KeyName::new(name),
            },
        }
    }

    /// The key with this index (`0..len()`), if any.
    pub fn key_at_index(&self, index: usize) -> Option<Key> {
        (index < self.len()).then(|| self.key_at(index as u16))
    }

    #[inline]
    pub(crate) fn key_at(&self, id: u16) -> Key {
        let info = &self.tables().keys[id as usize];
        Key::from_parts(self.id, id, info.module, info.flags)
    }

    /// Whether `key` belongs to this catalog.
    #[inline]
    pub fn contains(&self, key: Key) -> bool {
        self.issued(key) && key.index() < self.len()
    }

    /// Whether `key` was made by this catalog (its id alone: a key of this catalog is in range).
    #[inline(always)]
    pub(crate) fn issued(&self, key: Key) -> bool {
        key.catalog_id() == self.id
    }

    fn info(&self, key: Key) -> Option<&KeyInfo> {
        if !self.issued(key) {
            return None;
        }
        self.tables().keys.get(key.index())
    }

    /// The key's name. For a key of another catalog: `"<foreign key>"` (never panics).
    pub fn name(&self, key: Key) -> &str {
        self.info(key).map_or("<foreign key>", |k| &k.name)
    }

    /// What the key gates (the catalog's description). Empty for a key of another catalog.
    pub fn gates(&self, key: Key) -> &str {
        self.info(key).map_or("", |k| &k.gates)
    }

    /// The keys in catalog order as runs of keys of one module: the first key of each run and
    /// how many keys it holds. A catalog lists its keys module by module (one run per module),
    /// but a module's keys may come in several runs.
    pub(crate) fn module_runs(&self) -> impl Iterator<Item = (Key, usize)> + '_ {
        (self.tables().module_runs.iter())
            .map(|&(first, len)| (self.key_at(first), usize::from(len)))
    }

    /// The approval keys, a bit each (bit `id % 64` of word `id / 64`).
    #[inline]
    pub(crate) fn approval_words(&self) -> &[u64] {
        &self.tables().approval
    }

    /// Every key, in catalog order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = Key> + '_ {
        (0..self.len() as u16).map(|id| self.key_at(id))
    }

    /// Looks up a module by its key (`"finance"`).
    pub fn module(&self, name: &str) -> Option<Module> {
        let t = self.tables();
        let id = t.modules.iter().position(|m| m.key == name)?;
        Some(Module::from_parts(self.id, id as u8, t.modules[id].kind))
    }

    /// Every module, in catalog order.
    pub fn modules(&self) -> impl ExactSizeIterator<Item = Module> + '_ {
        self.tables()
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| Module::from_parts(self.id, i as u8, m.kind))
    }

    fn module_info(&self, module: Module) -> Option<&ModuleInfo> {
        if module.catalog_id() != self.id {
            return None;
        }
        self.tables().modules.get(module.index())
    }

    /// The module's key (`finance`). For a module of another catalog: `"<foreign module>"`.
    pub fn module_name(&self, module: Module) -> &str {
        self.module_info(module)
            .map_or("<foreign module>", |m| &m.key)
    }

    /// The module's display name (`Finance`).
    pub fn module_display_name(&self, module: Module) -> &str {
        self.module_info(module).map_or("", |m| &m.name)
    }

    /// Whether the module is only reserved (declared, no keys yet).
    pub fn is_reserved(&self, module: Module) -> bool {
        self.module_info(module)
            .is_some_and(|m| m.status == ModuleStatus::Reserved)
    }

    /// The owning service, where the catalog names one.
    pub fn module_service(&self, module: Module) -> Option<&str> {
        self.module_info(module).and_then(|m| m.service.as_deref())
    }

    /// For an add-on: the base modules it attaches to.
    pub fn attaches_to(&self, module: Module) -> impl Iterator<Item = Module> + '_ {
        let mask = self.module_info(module).map_or(0, |m| m.attaches_to);
        self.modules().filter(move |m| mask & m.bit() != 0)
    }

    pub(crate) fn attach_mask(&self, module_index: usize) -> u64 {
        self.tables()
            .modules
            .get(module_index)
            .map_or(0, |m| m.attaches_to)
    }

    /// Looks up a role template by name (`"ticketing.manager"`, `"HostManager"`).
    pub fn role(&self, name: &str) -> Option<Role<'_>> {
        let info = self.tables().roles.iter().find(|r| r.name == name)?;
        Some(Role {
            catalog: self,
            info,
        })
    }

    /// Every role template, in catalog order.
    pub fn roles(&self) -> impl ExactSizeIterator<Item = Role<'_>> + '_ {
        self.tables().roles.iter().map(move |info| Role {
            catalog: self,
            info,
        })
    }
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("name", &self.catalog_name())
            .field("id", &self.id)
            .field("modules", &self.tables().modules.len())
            .field("keys", &self.len())
            .field("roles", &self.tables().roles.len())
            .finish()
    }
}
