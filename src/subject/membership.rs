//! One company's worth of a user's access: the membership tables `decide` reads.

use crate::catalog::{Key, KeySet};
use crate::id::Id;
use crate::layer::{self, Bounds, Condition, Denial, Restricted};

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
    /// `restricted[starts[k]..starts[k + 1]]` are key `k`'s restricted grants (one entry per key,
    /// plus one): an O(1) lookup on the hot path.
    pub starts: Box<[u16]>,
    /// Membership-wide restriction, intersected with every grant.
    pub bounds: Bounds,
    pub approval_limit: Option<u64>,
    /// The revision of the entitlements the membership was built with, if Core gave one.
    pub revision: Option<u64>,
    pub delegation: Delegation,
    /// Per key id, the outcome of layers 1–3 and what is left of layer 4, precomputed with the
    /// same checks `decide` would run: the hot path reads one entry.
    pub fast: Box<[Fast]>,
    /// The business units of [`Fast::Unit`] and [`Fast::Units`] entries, one list after the other.
    pub units: Box<[Id]>,
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

    /// Layer 4 for `key` in this membership, reduced to a [`Condition`] where that is simple.
    pub(crate) fn condition(&self, key: Key) -> Condition<'_> {
        layer::condition(
            key,
            self.unrestricted.contains(key.index()),
            &self.bounds,
            self.restricted_for(key.index() as u16),
        )
    }

    /// The business units of a `units` entry of [`Fast::Units`].
    #[inline]
    pub(crate) fn units_at(&self, start: u16, len: u8) -> &[Id] {
        let start = usize::from(start);
        self.units
            .get(start..start + usize::from(len))
            .unwrap_or_default()
    }

    /// The restricted grants of one key.
    #[inline]
    pub(crate) fn restricted_for(&self, key: u16) -> &[Restricted] {
        let (start, len) = self.restricted_range(key);
        self.restricted_at(start, len)
    }

    /// Where the restricted grants of one key are in [`Membership::restricted`].
    pub(crate) fn restricted_range(&self, key: u16) -> (u16, u16) {
        let k = key as usize;
        match (self.starts.get(k), self.starts.get(k + 1)) {
            (Some(&a), Some(&b)) => (a, b.saturating_sub(a)),
            _ => (0, 0),
        }
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
