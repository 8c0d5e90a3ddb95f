//! Each membership's table: per key of the catalog, the outcome of layers 1-3 and what is left of
//! layer 4, precomputed with the layer rules `decide` runs, so the hot path reads one entry.

use crate::catalog::Catalog;
use crate::id::Id;
use crate::layer::{Condition, Denial};

use super::Membership;

/// A key's precomputed outcome in one membership (see [`Membership::fast`]): six bytes, so a
/// membership's table is six bytes per key of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fast {
    /// Allowed for every scope of the company: held unrestricted, usable module, not an approval
    /// key, no membership-wide restriction.
    Allow,
    /// As [`Fast::Allow`], for an approval key: layer 4 is only the amount check (a membership
    /// approval limit, and the request's amount at or under it). Only for a key held through an
    /// unrestricted grant, whose effective limit is the membership's; a grant with an approval
    /// limit of its own is a restricted grant (an unrestricted one supersedes it, its limit being
    /// at least as large), so such keys take [`Fast::Scope`] and compare each grant's limit.
    Approval,
    /// Layers 1–3 pass, and layer 4 reduces to: the request's business unit is `units[at]` (of
    /// [`Membership::units`]), an exact id ([`Id::is_exact`]). The common restricted grant, so it
    /// has a variant of its own.
    Unit {
        /// Where the business unit is in [`Membership::units`].
        at: u16,
    },
    /// As [`Fast::Unit`], for any other number of business units: the request's is one of
    /// `units[start..start + len]`. An empty list reaches nothing.
    Units {
        /// Where the list starts in [`Membership::units`].
        start: u16,
        /// How many business units it holds.
        len: u8,
    },
    /// Layers 1–3 pass; layer 4 (scope, approval) decides, walking the key's restricted grants
    /// `restricted[start..start + len]` (of [`Membership::restricted`]). None: the key is held
    /// unrestricted, which supersedes restricted grants of it (they are dropped).
    Scope {
        /// Where the key's grants start in [`Membership::restricted`].
        start: u16,
        /// How many there are.
        len: u16,
    },
    /// Layer 1: [`Denial::NotEntitled`] (of the key's module).
    NotEntitled,
    /// Layer 1: [`Denial::AddonWithoutBase`] (of the key's module).
    AddonWithoutBase,
    /// Layer 2: [`Denial::ModuleNotAssigned`] (of the key's module).
    ModuleNotAssigned,
    /// Layer 3: [`Denial::MissingPermission`].
    MissingPermission,
}

impl Fast {
    fn denied(d: Denial) -> Fast {
        match d {
            Denial::NotEntitled(_) => Fast::NotEntitled,
            Denial::AddonWithoutBase(_) => Fast::AddonWithoutBase,
            Denial::ModuleNotAssigned(_) => Fast::ModuleNotAssigned,
            // Layers 1–3 deny with nothing else.
            _ => Fast::MissingPermission,
        }
    }
}

/// The table of membership `m` and the business-unit lists its entries point into.
pub(super) fn table(cat: &Catalog, m: &Membership) -> (Box<[Fast]>, Box<[Id]>) {
    let n = cat.len();
    let mut fast = Vec::with_capacity(n);
    let mut units: Vec<Id> = Vec::new();
    let mut membership_units: Option<Fast> = None;
    for id in 0..n {
        let Some(k) = cat.key_at_index(id) else {
            fast.push(Fast::MissingPermission);
            continue;
        };
        let (start, len) = m.restricted_range(id as u16);
        let walk = Fast::Scope { start, len };
        fast.push(match m.layers_1_to_3(k) {
            Err(d) => Fast::denied(d),
            Ok(()) => match m.condition(k) {
                Condition::None if k.needs_approval() => Fast::Approval,
                Condition::None => Fast::Allow,
                Condition::MembershipUnits => *membership_units.get_or_insert_with(|| {
                    let only = m.bounds.business_units.as_deref().unwrap_or_default();
                    push_units(&mut units, only.iter()).unwrap_or(walk)
                }),
                Condition::Units(list) => push_units(&mut units, list.into_iter()).unwrap_or(walk),
                Condition::Other => walk,
            },
        });
    }
    (fast.into(), units.into())
}

/// Appends a business-unit list to a membership's `units` and returns the entry that checks it:
/// [`Fast::Unit`] for one exact id, [`Fast::Units`] otherwise; `None` if the list cannot be
/// indexed (the caller keeps [`Fast::Scope`], whose walk gives the same answer).
fn push_units<'a>(
    units: &mut Vec<Id>,
    list: impl ExactSizeIterator<Item = &'a Id>,
) -> Option<Fast> {
    let start = u16::try_from(units.len()).ok()?;
    let len = u8::try_from(list.len()).ok()?;
    if units.len() + usize::from(len) > 1 << 16 {
        return None;
    }
    units.extend(list.cloned());
    Some(match units.get(usize::from(start)) {
        Some(only) if len == 1 && only.is_exact() => Fast::Unit { at: start },
        _ => Fast::Units { start, len },
    })
}

#[cfg(test)]
mod tests {
    use super::Fast;

    /// A membership's table is this many bytes per key of the catalog.
    #[test]
    fn a_fast_entry_is_six_bytes() {
        assert_eq!(size_of::<Fast>(), 6);
    }
}
