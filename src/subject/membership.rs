//! One company's worth of a user's access: the membership tables `decide` reads.

#[cfg(doc)]
use crate::catalog::DENSE_KEYS;
use crate::catalog::{Key, KeySet};
use crate::id::index::Index;
use crate::id::{Id, IdRef};
use crate::layer::{self, Bounds, Denial, Restricted};

use super::Fast;

/// A membership's delegation rights, already clamped to personal access (layers 1–3; layer 4 is
/// checked per grant).
#[derive(Debug, Clone, Default)]
pub(crate) struct Delegation {
    pub modules: u64,
    pub keys: KeySet,
    pub redelegate: KeySet,
    /// The policy's keys in its modules, before the clamp to personal access (which depends on
    /// the entitlements): kept so that fresh entitlements re-clamp them. Empty where delegation
    /// follows `change_permissions` keys, which no entitlement changes.
    pub listed: KeySet,
    /// The policy's `redelegate` keys, before the clamp.
    pub listed_redelegate: KeySet,
    pub manage_users: bool,
    pub buy_addons: bool,
    pub bound: Bounds,
}

/// A membership's approval limit as `decide` reads it, derived from it once: the limit (0
/// without one) and the decision on an amount over it, so that `decide` compares an amount and
/// picks the denial with no branch (it never does without a limit).
#[derive(Debug, Clone)]
pub(crate) struct OverLimit {
    pub limit: u64,
    pub exceeded: layer::Decision,
}

impl OverLimit {
    /// For a membership whose approval limit is `limit`.
    pub(crate) fn new(limit: Option<u64>) -> OverLimit {
        let limit = limit.unwrap_or(0);
        OverLimit {
            limit,
            exceeded: layer::Decision::Deny(Denial::ApprovalLimitExceeded { limit }),
        }
    }
}

/// One company's worth of a user's access.
#[derive(Debug, Clone)]
pub(crate) struct Membership {
    pub company: Id,
    /// Modules the company bought (as listed by Core).
    pub bought: u64,
    /// Bought modules that are usable: add-ons only with a bought base they attach to.
    pub entitled: u64,
    /// Modules assigned to the user.
    pub assigned: u64,
    /// Keys held through any grant or role.
    pub held: KeySet,
    /// Keys held through at least one unrestricted grant (these supersede restricted ones).
    pub unrestricted: KeySet,
    /// Restricted grants of keys not in `unrestricted`, sorted by key.
    pub restricted: Vec<Restricted>,
    /// Membership-wide restriction, intersected with every grant.
    pub bounds: Bounds,
    pub approval_limit: Option<u64>,
    /// `approval_limit` as `decide` reads it (see [`OverLimit`]).
    pub over: OverLimit,
    /// The revision of the entitlements the membership was built with, if Core gave one.
    pub revision: Option<u64>,
    pub delegation: Delegation,
    /// Per key id of a catalog of at most [`DENSE_KEYS`] keys, the outcome of layers 1–3 and
    /// what is left of layer 4, precomputed with the same checks `decide` would run: the hot path
    /// reads one entry; after them, [`Fast::FOREIGN`], read for a key of another catalog. Empty
    /// for a larger catalog, whose table is `sparse`.
    pub fast: Box<[Fast]>,
    /// For a catalog of more than [`DENSE_KEYS`] keys, the entries of the held keys only, so that
    /// a membership costs what it holds: `sparse[i]` is the entry of the `i`-th key of `held`,
    /// ascending. A key not held is denied by layers 1-3, computed when asked.
    pub sparse: Box<[Fast]>,
    /// The business units of [`Fast::Decided`], [`Fast::Units`] and [`Fast::Set`] entries, and
    /// the business units and workflows of [`Fast::Either`] entries, one list after the other.
    pub units: Box<[Id]>,
    /// The hash indexes of the longer business-unit lists of [`Fast::Set`] entries, one after
    /// the other.
    pub unit_index: Index,
}

impl Membership {
    /// Layers 1-3 for `key`, in order: what the table precomputes, and what `check` and `filter`
    /// ask before a scope is known.
    #[inline]
    pub(crate) fn layers_1_to_3(&self, key: Key) -> Result<(), Denial> {
        layer::commercial(self.entitled, self.bought, key)?;
        layer::module(self.assigned, key)?;
        layer::permission(&self.held, key)
    }

    /// The business units of a `units` entry of [`Fast::Units`].
    #[inline]
    pub(crate) fn units_at(&self, start: u16, len: u8) -> &[Id] {
        let start = usize::from(start);
        self.units
            .get(start..start + usize::from(len))
            .unwrap_or_default()
    }

    /// Whether the request's business unit `unit` or its workflow `workflow` is in the lists of
    /// a [`Fast::Either`] entry (or of a [`Fast::Units`] entry: no workflows). With exact ids
    /// (the common case) every id is compared and the results combined without a branch, so that
    /// the steps do not depend on the request.
    #[inline(always)]
    pub(crate) fn in_either<const EXACT: bool>(
        &self,
        (start, units, workflows): (u16, u8, u8),
        unit: IdRef<'_>,
        workflow: IdRef<'_>,
    ) -> bool {
        let ids = self.units_at(start, units.saturating_add(workflows));
        let (us, ws) = ids.split_at(usize::from(units).min(ids.len()));
        if EXACT || (unit.is_exact() && workflow.is_exact()) {
            let any =
                |list: &[Id], id: IdRef<'_>| list.iter().fold(false, |hit, x| hit | x.tag_is(&id));
            any(us, unit) | any(ws, workflow)
        } else {
            let find = |list: &[Id], id: IdRef<'_>| crate::id::find(list, |x| x, id).is_some();
            find(us, unit) || find(ws, workflow)
        }
    }

    /// Whether the business unit `id` is in the list a [`Fast::Set`] entry indexes. Out of
    /// line, so that it does not weigh on the inlined hot path.
    #[inline(never)]
    pub(crate) fn unit_in_set(&self, at: u16, bits: u8, id: &IdRef<'_>) -> bool {
        (self.unit_index).contains(at.into(), bits.into(), &self.units, |u| u, id)
    }

    /// The restricted grants of one key.
    #[inline]
    pub(crate) fn restricted_for(&self, key: u16) -> &[Restricted] {
        let (start, len) = self.restricted_range(key);
        self.restricted_at(start, len)
    }

    /// Where the restricted grants of one key are in [`Membership::restricted`] (sorted by key:
    /// two binary searches).
    pub(crate) fn restricted_range(&self, key: u16) -> (u16, u16) {
        let start = self.restricted.partition_point(|r| r.key < key);
        let rest = self.restricted.get(start..).unwrap_or_default();
        let len = rest.partition_point(|r| r.key == key);
        // At most MAX_GRANTS + roles' own-only keys, well under u16::MAX.
        (start as u16, len as u16)
    }

    /// The entry of `key` in a sparse table (see [`Membership::sparse`]), if the key is held.
    pub(crate) fn sparse_entry(&self, key: usize) -> Option<&Fast> {
        self.sparse.get(self.held.rank(key)?)
    }

    /// The restricted grants `restricted[start..start + len]` (see [`Fast::Scope`]).
    #[inline(always)]
    pub(crate) fn restricted_at(&self, start: u16, len: u16) -> &[Restricted] {
        let start = usize::from(start);
        self.restricted
            .get(start..start + usize::from(len))
            .unwrap_or_default()
    }
}
