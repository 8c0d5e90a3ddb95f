//! Each membership's table: per key (of a small catalog) or per held key (of a large one), the
//! outcome of layers 1-3 and what is left of layer 4, precomputed with the layer rules `decide`
//! runs, so the hot path reads one entry.

use crate::catalog::{Catalog, DENSE_KEYS, Key};
use crate::id::Id;
use crate::id::index::{Index, SCAN};
use crate::layer::{self, Condition, Decision, Denial};

use super::Membership;

/// What a [`Fast::Decided`] entry decides: an index into the subject's outcomes
/// ([`outcomes`], kept in `Subject::outcomes`), so that choosing between two of them is
/// arithmetic and reading the outcome is a load, with no branch on which it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Code(u8);

impl Code {
    /// Allowed.
    pub(crate) const ALLOW: Code = Code(0);
    /// Layer 3: [`Denial::MissingPermission`].
    pub(crate) const MISSING_PERMISSION: Code = Code(1);
    /// Layer 4: [`Denial::OutOfScope`].
    pub(crate) const OUT_OF_SCOPE: Code = Code(2);
    /// Layer 4: [`Denial::ApprovalLimitMissing`] (an approval key, in a membership without an
    /// approval limit).
    const APPROVAL_LIMIT_MISSING: Code = Code(3);
    /// The codes before the modules' denials.
    const FIXED: u8 = 4;

    /// The code of a denial of layers 1–3: past the [`Code::FIXED`] above, three per module (not
    /// entitled, add-on without base, not assigned). At most `4 + 3 * MAX_MODULES` (196) codes.
    fn of(d: Denial) -> Code {
        let (kind, module) = match d {
            Denial::NotEntitled(m) => (0, m),
            Denial::AddonWithoutBase(m) => (1, m),
            Denial::ModuleNotAssigned(m) => (2, m),
            // Layers 1–3 deny with nothing else.
            _ => return Code::MISSING_PERMISSION,
        };
        // A module's index is below MAX_MODULES (64): 4 + 3 * 63 + 2 fits a byte.
        Code(Code::FIXED + 3 * module.index() as u8 + kind)
    }

    /// Where the code's outcome is in [`outcomes`].
    #[inline(always)]
    pub(crate) const fn index(self) -> usize {
        self.0 as usize
    }

    /// Of two codes, `hit` if `found`, else `miss`: selected with a mask (written as `if`, the
    /// compiler branches).
    #[inline(always)]
    pub(crate) fn select(found: bool, hit: Code, miss: Code) -> Code {
        let pick = u8::from(found).wrapping_neg();
        Code(miss.0 ^ ((hit.0 ^ miss.0) & pick))
    }

    /// The outcome of layers 1–3 the code records, for `key`.
    fn layers_1_to_3(self, key: Key) -> Result<(), Denial> {
        let module = key.module();
        Err(match self.0 {
            0 | 2 | 3 => return Ok(()),
            1 => Denial::MissingPermission,
            c => match (c - Code::FIXED) % 3 {
                0 => Denial::NotEntitled(module),
                1 => Denial::AddonWithoutBase(module),
                _ => Denial::ModuleNotAssigned(module),
            },
        })
    }
}

/// Every decision a [`Code`] stands for against `cat`, at its index.
pub(crate) fn outcomes(cat: &Catalog) -> Box<[Decision]> {
    let deny = Decision::Deny;
    let mut all = Vec::with_capacity(usize::from(Code::FIXED) + 3 * cat.modules().len());
    all.extend([
        Decision::Allow,
        deny(Denial::MissingPermission),
        deny(Denial::OutOfScope),
        deny(Denial::ApprovalLimitMissing),
    ]);
    for m in cat.modules() {
        all.extend([
            deny(Denial::NotEntitled(m)),
            deny(Denial::AddonWithoutBase(m)),
            deny(Denial::ModuleNotAssigned(m)),
        ]);
    }
    all.into()
}

/// A key's precomputed outcome in one membership (see [`Membership::fast`]): six bytes, so a
/// membership's table is six bytes per key of a catalog of up to 256 keys, or per held key of a
/// larger one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fast {
    /// The outcome is `hit` if the request's business unit is `units[at]` (of
    /// [`Membership::units`]), else `miss`. The commonest entries are this one variant, so that a
    /// mix of them takes no branch between them:
    /// - allowed for every scope of the company (held unrestricted, usable module, not an
    ///   approval key, no membership-wide restriction): `hit` and `miss` are [`Code::ALLOW`];
    /// - denied by layers 1–3: `hit` and `miss` are the denial;
    /// - layers 1–3 pass and layer 4 reduces to one business unit: [`Code::ALLOW`] and
    ///   [`Code::OUT_OF_SCOPE`] (a long id's bytes are confirmed behind equal tags);
    /// - an approval key held unrestricted in a membership without an approval limit: denied
    ///   ([`Denial::ApprovalLimitMissing`]) whatever the amount.
    ///
    /// `at` is 0 where the outcome does not depend on it.
    Decided {
        /// The outcome if the request's business unit (or owner) is `units[at]`.
        hit: Code,
        /// The outcome otherwise.
        miss: Code,
        /// Whether `units[at]` is compared with the request's owner (the user's id, for a key
        /// granted own-only with no other restriction, in a membership without one) rather
        /// than its business unit.
        owner: bool,
        /// Where the business unit is in [`Membership::units`].
        at: u16,
    },
    /// Layers 1–3 pass; layer 4 is only the amount check (a membership approval limit, and the
    /// request's amount at or under it), for an approval key held unrestricted. Only for a key
    /// held through an unrestricted grant, whose effective limit is the membership's; a grant
    /// with an approval limit of its own is a restricted grant (an unrestricted one supersedes
    /// it, its limit being at least as large), so such keys take [`Fast::Scope`] and compare
    /// each grant's limit.
    Approval,
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

impl Fast {
    /// Allowed for every scope of the company.
    pub(crate) const ALLOW: Fast = Fast::outright(Code::ALLOW);

    /// Denied by layer 3 (the key is not held).
    pub(crate) const MISSING_PERMISSION: Fast = Fast::outright(Code::MISSING_PERMISSION);

    /// `outcome` whatever the request's scope.
    const fn outright(outcome: Code) -> Fast {
        Fast::Decided {
            hit: outcome,
            miss: outcome,
            owner: false,
            at: 0,
        }
    }

    /// Allowed if the request's business unit (`owner` false) or owner (`owner` true) is
    /// `units[at]`, else out of scope.
    pub(crate) const fn unit(at: u16, owner: bool) -> Fast {
        Fast::Decided {
            hit: Code::ALLOW,
            miss: Code::OUT_OF_SCOPE,
            owner,
            at,
        }
    }

    /// The outcome of layers 1–3 for `key` that this entry records.
    #[inline]
    pub(crate) fn layers_1_to_3(self, key: Key) -> Result<(), Denial> {
        match self {
            Fast::Decided { miss, .. } => miss.layers_1_to_3(key),
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
    let n = cat.len();
    let mut pools = Pools::default();
    let mut membership_units: Option<Fast> = None;
    let mut owner: Option<Fast> = None;
    // Keys come in ascending order, and so do their restricted grants: a cursor finds them.
    let mut cursor = 0usize;
    let mut by_module = [None::<Fast>; 64];
    let mut entry = |id: usize| {
        let Some(k) = cat.key_at_index(id) else {
            return Fast::MISSING_PERMISSION;
        };
        if !m.held.contains(id) {
            // Most keys of a catalog: layers 1 and 2, which depend on the module only (computed
            // once per module), then layer 3 denies.
            let outcome = || match layer::commercial(m.entitled, m.bought, k)
                .and_then(|()| layer::module(m.assigned, k))
            {
                Err(d) => Fast::denied(d),
                Ok(()) => Fast::MISSING_PERMISSION,
            };
            return match by_module.get_mut(k.module().index()) {
                Some(known) => *known.get_or_insert_with(outcome),
                None => outcome(),
            };
        }
        let rest = m.restricted.get(cursor..).unwrap_or_default();
        let skip = rest.partition_point(|r| usize::from(r.key) < id);
        let len = rest[skip..].partition_point(|r| usize::from(r.key) == id);
        let (start, grants) = (cursor + skip, &rest[skip..skip + len]);
        cursor = start + len;
        // At most MAX_GRANTS + roles' own-only keys, well under u16::MAX.
        let walk = Fast::Scope {
            start: start as u16,
            len: len as u16,
        };
        let unrestricted = m.unrestricted.contains(id);
        match m.layers_1_to_3(k) {
            Err(d) => Fast::denied(d),
            Ok(()) => match layer::condition(k, unrestricted, &m.bounds, grants) {
                // Without a membership approval limit, every approval of the key is denied.
                Condition::None if k.needs_approval() && m.approval_limit.is_none() => {
                    Fast::outright(Code::APPROVAL_LIMIT_MISSING)
                }
                Condition::None if k.needs_approval() => Fast::Approval,
                Condition::None => Fast::ALLOW,
                Condition::MembershipUnits => *membership_units.get_or_insert_with(|| {
                    let only = m.bounds.business_units.as_deref().unwrap_or_default();
                    push_units(&mut pools, only.iter()).unwrap_or(walk)
                }),
                Condition::Units(list) => push_units(&mut pools, list.into_iter()).unwrap_or(walk),
                // The user's id in the pool, once: compared as a business unit is.
                Condition::Owner => *owner.get_or_insert_with(|| {
                    match push_units(&mut pools, [&Id::new(user)].into_iter()) {
                        Some(Fast::Decided { at, .. }) => Fast::unit(at, true),
                        _ => Fast::Owner,
                    }
                }),
                Condition::Other => walk,
            },
        }
    };
    let (mut fast, mut sparse) = (Box::default(), Box::default());
    if n <= DENSE_KEYS {
        fast = (0..n).map(&mut entry).collect();
    } else {
        sparse = m.held.iter().map(entry).collect();
    }
    Table {
        fast,
        sparse,
        units: pools.units.into(),
        unit_index: pools.index.shrink(),
    }
}

/// The business-unit lists of a membership's table entries (see [`Membership::units`]) and the
/// indexes of the longer ones (see [`Membership::unit_index`]).
#[derive(Default)]
struct Pools {
    units: Vec<Id>,
    index: Index,
}

/// Appends a business-unit list to a membership's pools and returns the entry that checks it:
/// [`Fast::unit`] for one id, [`Fast::Units`] for up to [`SCAN`], [`Fast::Set`] (indexed)
/// past that; `None` if the pools' positions would overflow (the caller keeps [`Fast::Scope`],
/// whose walk gives the same answer).
fn push_units<'a>(pools: &mut Pools, list: impl ExactSizeIterator<Item = &'a Id>) -> Option<Fast> {
    let start = u16::try_from(pools.units.len()).ok()?;
    let len = list.len();
    if len > SCAN {
        let list: Vec<&Id> = list.collect();
        let (at, bits) = pools.index.add(list.iter().copied(), pools.units.len())?;
        pools.units.extend(list.into_iter().cloned());
        return Some(Fast::Set { at, bits });
    }
    let len = len as u8;
    pools.units.extend(list.cloned());
    Some(match pools.units.get(usize::from(start)) {
        Some(_) if len == 1 => Fast::unit(start, false),
        _ => Fast::Units { start, len },
    })
}

#[cfg(test)]
mod tests {
    use super::{Code, Fast, outcomes};
    use crate::catalog::Catalog;
    use crate::layer::{Decision, Denial};

    /// Each denial of layers 1–3 has a code whose outcome is that denial, and whose
    /// `layers_1_to_3` gives it back, for every module of the catalog and every key.
    #[test]
    fn codes_stand_for_their_denials() {
        let cat = Catalog::embedded();
        let all = outcomes(cat);
        for key in cat.keys() {
            let m = key.module();
            for d in [
                Denial::NotEntitled(m),
                Denial::AddonWithoutBase(m),
                Denial::ModuleNotAssigned(m),
                Denial::MissingPermission,
            ] {
                let code = Code::of(d);
                assert_eq!(all[code.index()], Decision::Deny(d), "{d:?}");
                assert_eq!(code.layers_1_to_3(key), Err(d), "{d:?}");
            }
        }
        assert_eq!(all[Code::ALLOW.index()], Decision::Allow);
        let scope = Decision::Deny(Denial::OutOfScope);
        assert_eq!(all[Code::OUT_OF_SCOPE.index()], scope);
        let limit = Decision::Deny(Denial::ApprovalLimitMissing);
        assert_eq!(all[Code::APPROVAL_LIMIT_MISSING.index()], limit);
        assert_eq!(
            all.len(),
            usize::from(Code::FIXED) + 3 * cat.modules().len()
        );
    }

    /// `select` picks `hit` exactly when found, for every pair of codes.
    #[test]
    fn select_picks_hit_when_found() {
        for hit in 0..=u8::MAX {
            for miss in [0, 1, 2, 3, 100, 195, 255] {
                assert_eq!(Code::select(true, Code(hit), Code(miss)), Code(hit));
                assert_eq!(Code::select(false, Code(hit), Code(miss)), Code(miss));
            }
        }
    }

    /// A membership's table is this many bytes per entry.
    #[test]
    fn a_fast_entry_is_six_bytes() {
        assert_eq!(size_of::<Fast>(), 6);
    }
}
