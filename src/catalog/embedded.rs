//! The embedded Kisum catalog: the one place that includes what `build.rs` generates from
//! `catalog.toml` (`$OUT_DIR/catalog.rs`), and what reads those tables: [`Catalog::embedded`],
//! the `keys::` constants, the `key!` macro, and key and module names in `Debug` output.

use core::fmt;
use std::borrow::Cow;

use super::spec::{AliasClass, DelegationRule, ModuleKind, ModuleStatus};
use super::tables::{
    KeyInfo, LegacyInfo, LegacyModuleInfo, ModuleInfo, NameTable, RoleInfo, Tables,
};
use super::{Catalog, Key, Module, names};

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The compiled catalog; its tables are `static`, nothing is parsed at run time.
static CATALOG: Catalog = Catalog::from_static(&TABLES);

impl Catalog {
    /// The Kisum catalog compiled from `catalog.toml` at build time. No parsing at run time.
    pub fn embedded() -> &'static Catalog {
        &CATALOG
    }
}

/// A key's name if it is a key of the embedded catalog (for `Debug`).
fn name_of(key: Key) -> Option<&'static str> {
    if key.catalog_id() != 0 {
        return None;
    }
    KEY_NAMES.get(key.index()).copied()
}

/// A module's key if it is a module of the embedded catalog (for `Debug`).
fn module_name_of(module: Module) -> Option<&'static str> {
    if module.catalog_id() != 0 {
        return None;
    }
    MODULE_NAMES.get(module.index()).copied()
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match name_of(*self) {
            Some(name) => write!(f, "Key({name:?})"),
            None => write!(f, "Key(#{} of catalog {})", self.index(), self.catalog_id()),
        }
    }
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match module_name_of(*self) {
            Some(name) => write!(f, "Module({name:?})"),
            None => write!(
                f,
                "Module(#{} of catalog {})",
                self.index(),
                self.catalog_id()
            ),
        }
    }
}

/// A module serializes as its name (`"finance"`) for the embedded catalog; a module of a catalog
/// loaded at run time has no global name table, so it serializes as `"#<index> of catalog <id>"`
/// (name it with [`Catalog::module_name`] where the catalog is at hand).
impl serde::Serialize for Module {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match module_name_of(*self) {
            Some(name) => s.serialize_str(name),
            None => s.collect_str(&format_args!(
                "#{} of catalog {}",
                self.index(),
                self.catalog_id()
            )),
        }
    }
}

/// Compares two strings in a `const` context.
const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Looks a name up in the embedded catalog at compile time. Used by [`key!`](crate::key!).
#[doc(hidden)]
pub const fn embedded_key(name: &str) -> Option<Key> {
    let mut i = 0;
    while i < KEY_NAMES.len() {
        if const_eq(KEY_NAMES[i], name) {
            return Some(ALL_KEYS[i]);
        }
        i += 1;
    }
    None
}

/// A key of the embedded catalog, checked at compile time.
///
/// An unknown, malformed or legacy name is a compile error, so a typo cannot reach production:
///
/// ```
/// use kisum_access::{key, keys};
/// assert_eq!(key!("promoter.event.view"), keys::PROMOTER_EVENT_VIEW);
/// ```
///
/// ```compile_fail
/// // `basic.*` keys are legacy: not a key of the catalog.
/// let k = kisum_access::key!("basic.events.read");
/// ```
///
/// ```compile_fail
/// let k = kisum_access::key!("promoter.event.veiw");
/// ```
#[macro_export]
macro_rules! key {
    ($name:literal) => {{
        const KEY: $crate::Key = match $crate::__private::embedded_key($name) {
            ::core::option::Option::Some(k) => k,
            ::core::option::Option::None => ::core::panic!(::core::concat!(
                "`",
                $name,
                "` is not a key of the embedded catalog (unknown, malformed or legacy)"
            )),
        };
        KEY
    }};
}
