//! A membership's pools of ids: the business-unit (and workflow) lists its table entries
//! compare the request with, one after the other, and the hash indexes of the longer ones.

use crate::id::Id;
use crate::id::index::{Index, SCAN};

use crate::layer::{Bounds, NO_CAP};

use super::Membership;
use super::fast::{Fast, Probe};

/// The business-unit lists (and a [`Fast::Either`] entry's workflows) of a membership's table
/// entries (see [`Membership::units`]), and the indexes of the longer lists (see
/// [`Membership::unit_index`]).
#[derive(Default)]
pub(super) struct Pools {
    pub units: Vec<Id>,
    pub index: Index,
}

impl Pools {
    /// Empty pools for `m`'s table, its lists' room reserved ([`units_bound`]).
    pub(super) fn for_membership(m: &Membership) -> Pools {
        Pools {
            units: Vec::with_capacity(units_bound(m)),
            index: Index::default(),
        }
    }
}

/// At least as many business units as the table's lists will hold, and seldom more: the lists are
/// the membership-wide restriction's, once, and subsets of the grants restricted to business units
/// alone. Reserved at once, so the pool is allocated once and its slice seldom shrunk.
fn units_bound(m: &Membership) -> usize {
    // Business units alone, or (for `Fast::Either`) workflows alone.
    let of = |b: &Bounds| match (&b.business_units, &b.workflows) {
        (Some(list), None) | (None, Some(list)) => list.len(),
        _ => 0,
    };
    let grants: usize = (m.restricted.iter())
        .filter(|r| !r.own_only && r.cap == NO_CAP)
        .map(|r| of(&r.bounds))
        .sum();
    // The user's id, for own-only entries.
    let owner = usize::from(m.restricted.iter().any(|r| r.own_only));
    grants + of(&m.bounds) + owner
}

/// Appends a business-unit list to a membership's pools and returns the entry that checks it:
/// [`Fast::unit`] for one id, [`Fast::Units`] for up to [`SCAN`], [`Fast::Set`] (indexed)
/// past that; `None` if the pools' positions would overflow (the caller keeps [`Fast::Scope`],
/// whose walk gives the same answer).
pub(super) fn push_units<'a>(
    pools: &mut Pools,
    list: impl ExactSizeIterator<Item = &'a Id>,
) -> Option<Fast> {
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
        Some(_) if len == 1 => Fast::unit(start, Probe::Unit),
        _ => Fast::Units { start, len },
    })
}

/// Appends the two lists of a [`Fast::Either`] entry to a membership's pool of ids, one after
/// the other, and returns the entry; `None` if the pool's positions would overflow (the caller
/// keeps [`Fast::Scope`], whose walk gives the same answer).
pub(super) fn push_either(pools: &mut Pools, units: &[&Id], workflows: &[&Id]) -> Option<Fast> {
    let start = u16::try_from(pools.units.len()).ok()?;
    // At most SCAN ids each (see `Condition::Either`).
    let (u, w) = (
        u8::try_from(units.len()).ok()?,
        u8::try_from(workflows.len()).ok()?,
    );
    pools
        .units
        .extend(units.iter().chain(workflows).map(|&id| id.clone()));
    Some(Fast::Either {
        start,
        units: u,
        workflows: w,
    })
}
