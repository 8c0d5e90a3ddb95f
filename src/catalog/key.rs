//! Permission keys and modules as `Copy` handles.

use super::spec::{self, ModuleKind};

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
