//! Permission keys and modules as `Copy` handles, and the errors of looking one up.

use core::fmt;

use crate::embedded;
use crate::spec::{self, ModuleKind, NameFault};

/// A permission key of one catalog: a `Copy` handle of 8 bytes.
///
/// It carries everything [`decide`](crate::decide) needs — the catalog it belongs to, its id, its
/// module and its flags (approval rule, whether the commercial layers apply, the module's kind) —
/// so the hot path reads no catalog table. Keys of different catalogs never compare equal, and a
/// key of another catalog is denied with [`Denial::ForeignKey`](crate::Denial::ForeignKey).
///
/// Get one from [`Catalog::key`](crate::Catalog::key), the [`keys`](crate::keys) constants, or the
/// [`key!`](crate::key!) macro (checked at compile time).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(C, align(8))]
pub struct Key {
    catalog: u32,
    id: u16,
    module: u8,
    flags: u8,
}

impl Key {
    pub(crate) const fn from_parts(catalog: u32, id: u16, module: u8, flags: u8) -> Key {
        Key {
            catalog,
            id,
            module,
            flags,
        }
    }

    /// The key's index in its catalog (`0..catalog.len()`), for tables indexed by key.
    #[inline]
    pub const fn index(self) -> usize {
        self.id as usize
    }

    /// The module the key belongs to.
    #[inline]
    pub const fn module(self) -> Module {
        Module {
            catalog: self.catalog,
            id: self.module,
            kind: spec::flag_kind(self.flags),
        }
    }

    /// Whether the key is an approval (`finance.*.approve`): allowed only with a membership
    /// approval limit and a request amount at or under it.
    #[inline]
    pub const fn needs_approval(self) -> bool {
        self.flags & spec::FLAG_APPROVAL != 0
    }

    /// Whether layers 1–2 (commercial eligibility, module access) apply to this key. They do not
    /// for an external module (ticketing) or a catalog without a commercial model (B.A.M).
    #[inline]
    pub const fn commercial_layers_apply(self) -> bool {
        self.flags & spec::FLAG_NO_COMMERCIAL == 0
    }

    #[inline]
    pub(crate) const fn catalog_id(self) -> u32 {
        self.catalog
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match embedded::name_of(*self) {
            Some(name) => write!(f, "Key({name:?})"),
            None => write!(f, "Key(#{} of catalog {})", self.id, self.catalog),
        }
    }
}

/// A module of one catalog (`promoter`, `finance`, ...): a `Copy` handle of 8 bytes.
///
/// Get one from [`Catalog::module`](crate::Catalog::module) or [`Key::module`]; its name from
/// [`Catalog::module_name`](crate::Catalog::module_name).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Module {
    catalog: u32,
    id: u8,
    kind: ModuleKind,
}

impl Module {
    pub(crate) const fn from_parts(catalog: u32, id: u8, kind: ModuleKind) -> Module {
        Module { catalog, id, kind }
    }

    /// The module's index in its catalog (`0..64`), e.g. for bitsets of modules.
    #[inline]
    pub const fn index(self) -> usize {
        self.id as usize
    }

    /// The module's commercial kind.
    #[inline]
    pub const fn kind(self) -> ModuleKind {
        self.kind
    }

    #[inline]
    pub(crate) const fn bit(self) -> u64 {
        1u64 << (self.id & 63)
    }

    #[inline]
    pub(crate) const fn catalog_id(self) -> u32 {
        self.catalog
    }
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match embedded::module_name_of(*self) {
            Some(name) => write!(f, "Module({name:?})"),
            None => write!(f, "Module(#{} of catalog {})", self.id, self.catalog),
        }
    }
}

/// A key name copied into the error that names it, without allocating.
///
/// Holds up to 48 bytes (the longest valid key, [`MAX_KEY_LEN`](crate::MAX_KEY_LEN)); a longer input is cut at a character boundary
/// and shown with a trailing `…`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyName {
    len: u8,
    truncated: bool,
    bytes: [u8; spec::MAX_KEY_LEN],
}

impl KeyName {
    pub(crate) fn new(name: &str) -> KeyName {
        let mut len = name.len().min(spec::MAX_KEY_LEN);
        while !name.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0u8; spec::MAX_KEY_LEN];
        bytes[..len].copy_from_slice(&name.as_bytes()[..len]);
        KeyName {
            len: len as u8,
            truncated: len < name.len(),
            bytes,
        }
    }

    /// The name (possibly cut; see [`KeyName::is_truncated`]).
    pub fn as_str(&self) -> &str {
        let b = &self.bytes[..self.len as usize];
        // Cut on a char boundary of a `str`, so always valid UTF-8; never empty-on-error in practice.
        core::str::from_utf8(b).unwrap_or_default()
    }

    /// Whether the input was longer than could be kept.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

/// Why a name is not a usable key of a catalog. Returned by [`Catalog::key`](crate::Catalog::key)
/// without allocating; each variant names the offending input.
///
/// This enum is `#[non_exhaustive]`: new kinds of refusal may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not a well-formed key name (see [`NameFault`]).
    #[error("malformed permission key `{name}`: {fault}")]
    Malformed {
        /// The input.
        name: KeyName,
        /// What is wrong with it.
        fault: NameFault,
    },
    /// Well formed, but not a key of this catalog.
    #[error("unknown permission key `{name}`: it is not in the catalog")]
    Unknown {
        /// The input.
        name: KeyName,
    },
    /// A legacy key (`basic.*`), never accepted; it names its replacement if it has one.
    #[error("legacy permission key `{name}` is no longer accepted; {}", legacy_hint(.replacement))]
    Legacy {
        /// The input.
        name: KeyName,
        /// The key that replaces it, or `None` if it was dropped.
        replacement: Option<KeyName>,
    },
}

fn legacy_hint(replacement: &Option<KeyName>) -> String {
    match replacement {
        Some(r) => format!("use `{r}` instead"),
        None => "it was dropped without a replacement (see the catalog's [[legacy]] table for why)"
            .to_string(),
    }
}

impl KeyError {
    /// The offending input, as far as it was kept.
    pub fn name(&self) -> &str {
        match self {
            KeyError::Malformed { name, .. }
            | KeyError::Unknown { name }
            | KeyError::Legacy { name, .. } => name.as_str(),
        }
    }

    /// For a legacy key, the name of its replacement.
    pub fn replacement(&self) -> Option<&str> {
        match self {
            KeyError::Legacy {
                replacement: Some(r),
                ..
            } => Some(r.as_str()),
            _ => None,
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
    while i < embedded::KEY_NAMES.len() {
        if const_eq(embedded::KEY_NAMES[i], name) {
            return Some(embedded::ALL_KEYS[i]);
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
