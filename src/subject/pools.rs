//! A membership's pools of ids: the business-unit (and workflow) lists its table entries
//! compare the request with, one after the other, and the hash indexes of the longer ones.

use crate::id::Id;
use crate::id::index::{Index, SCAN};

#[cfg(doc)]
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
