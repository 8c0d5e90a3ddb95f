//! Each membership's table: per key (of a small catalog) or per held key (of a large one), the
//! outcome of layers 1-3 and what is left of layer 4, precomputed with the layer rules `decide`
//! runs, so the hot path reads one entry.

use crate::catalog::{Catalog, DENSE_KEYS, Key, KeySet, each_bit, each_run, key_bit, set_range};
use crate::id::Id;
use crate::id::index::Index;
#[cfg(doc)]
use crate::id::index::SCAN;
use crate::layer::{self, Condition, Denial};

use super::Membership;
pub(crate) use super::code::Code;
use super::pools::{Pools, push_either, push_units};

/// A key's precomputed outcome in one membership (see [`Membership::fast`]): eight bytes, so a
/// membership's table is eight bytes per key of a catalog of up to 256 keys, or per held key of a
/// larger one.
///
/// Six bytes would hold it; aligned to eight, an entry is one word: a run of equal entries is
/// written a vector at a time (a membership's dense table, built per token, is mostly runs of a
/// module's outcome: 2–6% less time for the peers' token's `Subject::from_json`, depending on
/// where the code lands), and `decide` reads an entry in one aligned load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(align(8))]
pub(crate) enum Fast {
    /// The outcome is `code`'s: one of two, whether the request's value that `probe` names
    /// passes (its business unit or owner is `units[at]` of [`Membership::units`]; its amount is
    /// at or under the membership's approval limit) or not. The commonest entries are this one
    /// variant, so that a mix of them takes no branch between them:
    /// - allowed for every scope of the company (held unrestricted, usable module, not an
    ///   approval key, no membership-wide restriction): [`Code::ALLOW`];
    /// - denied by layers 1–3: the denial's code;
    /// - layers 1–3 pass and layer 4 reduces to one business unit (or the owner being the user):
    ///   [`Code::IN_SCOPE`] (a long id's bytes are confirmed behind equal tags);
    /// - an approval key held unrestricted in a membership without an approval limit: denied
    ///   ([`Code::APPROVAL_LIMIT_MISSING`]) whatever the amount;
    /// - an approval key held unrestricted in a membership with an approval limit: layer 4 is
    ///   only the amount check, [`Code::WITHIN_LIMIT`]. Only for a key held through an
    ///   unrestricted grant, whose effective limit is the membership's; a grant with an approval
    ///   limit of its own is a restricted grant (an unrestricted one supersedes it, its limit
    ///   being at least as large), so such keys take [`Fast::Scope`] and compare each grant's
    ///   limit.
    ///
    /// `at` is 0 where the outcome does not depend on it.
    ///
    /// The entry's `probe` and `code` go together: [`Probe::Nothing`] with the codes of one
    /// outcome, [`Probe::Unit`] and [`Probe::Owner`] with [`Code::IN_SCOPE`], [`Probe::Amount`]
    /// with [`Code::WITHIN_LIMIT`] (made by [`Fast::outright`], [`Fast::unit`],
    /// [`Fast::APPROVAL`]).
    Decided {
        /// The outcomes.
        code: Code,
        /// Which of the request's values the entry checks.
        probe: Probe,
        /// Where the business unit is in [`Membership::units`].
        at: u16,
    },
    /// Layers 1–3 pass, and layer 4 reduces to: the request's business unit is one of
    /// `units[start..start + len]`, at most [`SCAN`] of them. An empty list reaches nothing.
    Units {
        /// Where the list starts in [`Membership::units`].
        start: u16,
        /// How many business units it holds.
        len: u8,
    },
    /// As [`Fast::Units`], for a longer list: the request's business unit is found through the
    /// hash index of `1 << bits` slots at `at` in [`Membership::unit_index`] over the
    /// list's ids in [`Membership::units`], in one or two probes whatever the list's length.
    Set {
        /// Where the index starts in [`Membership::unit_index`].
        at: u16,
        /// The index has `1 << bits` slots.
        bits: u8,
    },
    /// Layers 1–3 pass, and layer 4 reduces to: the request's business unit is one of
    /// `units[start..start + units]`, or its workflow one of the `workflows` ids after them (see
    /// `Condition::Either`).
    Either {
        /// Where the business units start in [`Membership::units`]; the workflows follow them.
        start: u16,
        /// How many business units there are (at most [`SCAN`]).
        units: u8,
        /// How many workflows there are (at most [`SCAN`]).
        workflows: u8,
    },
    /// As a [`Fast::Decided`] entry on the owner, where the membership's pool of business units
    /// is full: the request's owner is the user, compared byte for byte.
    Owner,
    /// Layers 1–3 pass; layer 4 (scope, approval) decides, walking the key's restricted grants
    /// `restricted[start..start + len]` (of [`Membership::restricted`]). None: the key is held
    /// unrestricted, which supersedes restricted grants of it (they are dropped).
    Scope {
        /// Where the key's grants start in [`Membership::restricted`].
        start: u16,
        /// How many there are.
        len: u16,
    },
}

/// Which of a request's values a [`Fast::Decided`] entry checks: bits (an id, the owner's
/// rather than the business unit's, the amount), so that `decide` masks with them rather than
/// comparing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Probe {
    /// None: the entry's code stands for one outcome (see [`Code::index`]).
    Nothing = 0,
    /// The business unit, against `units[at]`.
    Unit = Probe::ID,
    /// The owner, against `units[at]` (the user's id).
    Owner = Probe::ID | Probe::OWNER,
    /// The amount, against the membership's approval limit.
    Amount = Probe::AMOUNT,
}

impl Probe {
    /// An id is compared with `units[at]`.
    pub(crate) const ID: u8 = 1;
    /// The id is the owner's: the distance from the business unit to the owner in a scope.
    pub(crate) const OWNER: u8 = (crate::scope::OWNER - crate::scope::UNIT) as u8;
    /// The amount is compared with the approval limit.
    pub(crate) const AMOUNT: u8 = 4;
}

// The probe's bits are distinct bits (`OWNER` follows from the scope's layout).
const _: () = assert!(
    Probe::OWNER.is_power_of_two() && (Probe::ID | Probe::OWNER | Probe::AMOUNT).count_ones() == 3
);

impl Fast {
    /// Allowed for every scope of the company.
    pub(crate) const ALLOW: Fast = Fast::outright(Code::ALLOW);

    /// Denied by layer 3 (the key is not held).
    pub(crate) const MISSING_PERMISSION: Fast = Fast::outright(Code::MISSING_PERMISSION);

    /// A dense table's last entry, after its keys': [`decide`](crate::decide) reads it for a key
    /// of another catalog (denied, [`Denial::ForeignKey`]) instead of branching away.
    pub(crate) const FOREIGN: Fast = Fast::outright(Code::FOREIGN_KEY);

    /// `outcome` whatever the request's scope.
    const fn outright(outcome: Code) -> Fast {
        Fast::Decided {
            code: outcome,
            probe: Probe::Nothing,
            at: 0,
        }
    }

    /// Allowed if the request's business unit (`probe` [`Probe::Unit`]) or owner
    /// ([`Probe::Owner`]) is `units[at]`, else out of scope.
    pub(crate) const fn unit(at: u16, probe: Probe) -> Fast {
        Fast::Decided {
            code: Code::IN_SCOPE,
            probe,
            at,
        }
    }

    /// Allowed if the request's amount is at or under the membership's approval limit; denied
    /// without an amount, or over the limit.
    pub(crate) const APPROVAL: Fast = Fast::Decided {
        code: Code::WITHIN_LIMIT,
        probe: Probe::Amount,
        at: 0,
    };

    /// The outcome of layers 1–3 for `key` that this entry records.
    #[inline]
    pub(crate) fn layers_1_to_3(self, key: Key) -> Result<(), Denial> {
        match self {
            Fast::Decided { code, .. } => code.layers_1_to_3(key),
            _ => Ok(()),
        }
    }

    fn denied(d: Denial) -> Fast {
        Fast::outright(Code::of(d))
    }
}

/// A membership's table (see [`Membership::fast`]): dense or sparse entries, and the
/// business-unit lists the entries point into.
pub(super) struct Table {
    pub fast: Box<[Fast]>,
    pub sparse: Box<[Fast]>,
    pub units: Box<[Id]>,
    pub unit_index: Index,
}

/// The table of membership `m`: one entry per key of a catalog of at most [`DENSE_KEYS`] keys,
/// else one per held key, so that building it costs what the membership holds.
pub(super) fn table(cat: &Catalog, m: &Membership, user: &str) -> Table {
    let mut held = Held {
        m,
        user,
        pools: Pools::for_membership(m),
        cursor: 0,
        membership_units: None,
        owner: None,
    };
    let (mut fast, mut sparse) = (Box::default(), Box::default());
    if cat.len() <= DENSE_KEYS {
        fast = dense(cat, &mut held);
    } else {
        sparse = (m.held.iter())
            .map(|id| match cat.key_at_index(id) {
                Some(k) => match m.layers_1_to_3(k) {
                    Err(d) => Fast::denied(d),
                    Ok(()) => held.entry(k),
                },
                None => Fast::MISSING_PERMISSION,
            })
            .collect();
    }
    Table {
        fast,
        sparse,
        units: held.pools.units.into(),
        unit_index: held.pools.index.shrink(),
    }
}

/// The dense table: every key gets the outcome of layers 1 and 2, which depend on its module only
/// (computed once per run of a module's keys), and layer 3's denial; then the held keys that pass
/// layers 1 and 2 get their entry. In a membership without a restriction of its own, the keys
/// held unrestricted are allowed a run of keys at a time (approval keys aside: an amount entry
/// each); every other held key is made one by one. Last, after the keys', [`Fast::FOREIGN`].
fn dense(cat: &Catalog, held: &mut Held<'_>) -> Box<[Fast]> {
    let m = held.m;
    let mut fast = Vec::with_capacity(cat.len() + 1);
    // The keys whose module passes layers 1 and 2, a bit each.
    let mut usable = [0u64; DENSE_KEYS / 64];
    for (first, len) in cat.module_runs() {
        let outcome = match layer::commercial(m.entitled, m.bought, first)
            .and_then(|()| layer::module(m.assigned, first))
        {
            Err(d) => Fast::denied(d),
            Ok(()) => {
                set_range(&mut usable, fast.len(), len);
                Fast::MISSING_PERMISSION
            }
        };
        fast.resize(fast.len() + len, outcome);
    }
    // Ids are below DENSE_KEYS, so below u16::MAX.
    let key = |id: usize| cat.key_at(id as u16);
    let put = |fast: &mut [Fast], id: usize, entry: Fast| {
        if let Some(slot) = fast.get_mut(id) {
            *slot = entry;
        }
    };
    match (&m.held, &m.unrestricted) {
        (KeySet::Bits(all), KeySet::Bits(unrestricted)) if m.bounds.is_unbounded() => {
            let approval = cat.approval_words();
            for (i, ((&all, &open), &ok)) in all.iter().zip(unrestricted).zip(&usable).enumerate() {
                let approval = approval.get(i).copied().unwrap_or_default();
                // Allowed outright: only the entries to write, a run of keys at a time (a grant
                // list holds most of a module's keys: a few runs, not a write per key).
                each_run(open & ok & !approval, |start, len| {
                    let from = i * 64 + start;
                    if let Some(run) = fast.get_mut(from..from + len) {
                        run.fill(Fast::ALLOW);
                    }
                });
                each_bit(open & ok & approval, |bit| {
                    put(&mut fast, i * 64 + bit, open_entry(m, key(i * 64 + bit)));
                });
                // Held keys come in ascending order, as `Held::entry` needs.
                each_bit(all & !open & ok, |bit| {
                    put(&mut fast, i * 64 + bit, held.entry(key(i * 64 + bit)));
                });
            }
        }
        _ => m.held.for_each(|id| {
            if key_bit(&usable, id) {
                put(&mut fast, id, held.entry(key(id)));
            }
        }),
    }
    fast.push(Fast::FOREIGN);
    fast.into_boxed_slice()
}

/// The entry of key `k`, held unrestricted in a membership without a business-unit, workflow or
/// own-only restriction of its own, which passes layers 1 and 2: what `layer::condition` makes of
/// such a key (its grants aside: it has none), without looking for them.
#[inline(always)]
fn open_entry(m: &Membership, k: Key) -> Fast {
    match k.needs_approval() {
        // Without a membership approval limit, every approval of the key is denied.
        true if m.approval_limit.is_none() => Fast::outright(Code::APPROVAL_LIMIT_MISSING),
        true => Fast::APPROVAL,
        false => Fast::ALLOW,
    }
}

/// The entries of a membership's held keys that pass layers 1-3, built in ascending key order.
struct Held<'m> {
    m: &'m Membership,
    /// The user, whom own-only entries compare the request's owner with.
    user: &'m str,
    pools: Pools,
    /// Keys come in ascending order, and so do their restricted grants: where the next key's
    /// grants may start in [`Membership::restricted`].
    cursor: usize,
    /// The entry of the keys held unrestricted under a membership-wide business-unit restriction
    /// (one list in the pools for all of them), once made.
    membership_units: Option<Fast>,
    /// The entry of the keys granted own-only with no other restriction (the user's id in the
    /// pools, once), once made.
    owner: Option<Fast>,
}

impl Held<'_> {
    /// The entry of held key `k`, which passes layers 1-3: what is left of layer 4.
    #[inline]
    fn entry(&mut self, k: Key) -> Fast {
        let m = self.m;
        let unrestricted = m.unrestricted.contains(k.index());
        if unrestricted && m.bounds.is_unbounded() {
            return open_entry(m, k);
        }
        self.restricted_entry(k, unrestricted)
    }

    /// [`Held::entry`] of a key held restricted, or under a membership-wide restriction (out of
    /// line: the common unrestricted key stays a few instructions).
    #[inline(never)]
    fn restricted_entry(&mut self, k: Key, unrestricted: bool) -> Fast {
        let (m, id) = (self.m, k.index());
        let rest = m.restricted.get(self.cursor..).unwrap_or_default();
        let skip = rest.partition_point(|r| usize::from(r.key) < id);
        let len = rest[skip..].partition_point(|r| usize::from(r.key) == id);
        let (start, grants) = (self.cursor + skip, &rest[skip..skip + len]);
        self.cursor = start + len;
        // At most MAX_GRANTS + roles' own-only keys, well under u16::MAX.
        let walk = Fast::Scope {
            start: start as u16,
            len: len as u16,
        };
        match layer::condition(k, unrestricted, &m.bounds, grants) {
            Condition::None if k.needs_approval() && m.approval_limit.is_none() => {
                Fast::outright(Code::APPROVAL_LIMIT_MISSING)
            }
            Condition::None if k.needs_approval() => Fast::APPROVAL,
            Condition::None => Fast::ALLOW,
            Condition::MembershipUnits => {
                let pools = &mut self.pools;
                *self.membership_units.get_or_insert_with(|| {
                    let only = m.bounds.business_units.as_deref().unwrap_or_default();
                    push_units(pools, only.iter()).unwrap_or(walk)
                })
            }
            Condition::Units(list) => push_units(&mut self.pools, list.into_iter()).unwrap_or(walk),
            Condition::Either(units, workflows) => {
                push_either(&mut self.pools, &units, &workflows).unwrap_or(walk)
            }
            // The user's id in the pool, once: compared as a business unit is.
            Condition::Owner => {
                let (pools, user) = (&mut self.pools, self.user);
                *self.owner.get_or_insert_with(|| {
                    match push_units(pools, [&Id::new(user)].into_iter()) {
                        Some(Fast::Decided { at, .. }) => Fast::unit(at, Probe::Owner),
                        _ => Fast::Owner,
                    }
                })
            }
            Condition::Other => walk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Fast;

    /// A membership's table is this many bytes per entry, one word each.
    #[test]
    fn a_fast_entry_is_one_word() {
        assert_eq!(size_of::<Fast>(), crate::MAX_SUBJECT_BYTES_PER_DENSE_KEY);
        assert_eq!(align_of::<Fast>(), 8);
    }
}
