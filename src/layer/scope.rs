//! Layer 4, scope: a grant reaches the request's business unit, workflow and owner.
//!
//! Scope narrows, it never creates: a restriction with no grant grants nothing, and a request that
//! lacks what a restriction needs is denied (fail closed). Grants of one key are a union;
//! restrictions on one grant and the membership-wide one intersect; an unrestricted grant
//! supersedes an own-only one.

use smallvec::SmallVec;

use crate::bytes::same as same_bytes;
use crate::catalog::Key;
use crate::id::index::{MAX_INDEXED, SCAN};
use crate::id::{Id, IdRef};
use crate::scope::Scope;

use super::Denial;

/// A set of allowed values for one scope attribute: `None` means any (including absent).
pub(crate) type Allowed = Option<Box<[Id]>>;

/// Business-unit and workflow restrictions (of a grant, a membership, or a delegation bound).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bounds {
    pub business_units: Allowed,
    pub workflows: Allowed,
}

impl Bounds {
    /// Whether a request scope lies inside these bounds (ids compared with [`Id::is`]). A request
    /// missing an attribute a bound needs is outside (fail closed).
    pub(crate) fn admits(&self, scope: &Scope<'_>) -> bool {
        let any = |allowed: &Allowed, value: IdRef<'_>| {
            allowed
                .as_ref()
                .is_none_or(|list| list.iter().any(|x| x.is(value)))
        };
        any(&self.business_units, scope.business_unit_ref())
            && any(&self.workflows, scope.workflow_ref())
    }

    /// [`Bounds::admits`] for exact ids ([`IdRef::is_exact`]), every id compared (see
    /// [`reach_exact`]).
    #[inline(always)]
    fn admits_exact(&self, unit: IdRef<'_>, workflow: IdRef<'_>) -> bool {
        let any = |allowed: &Allowed, value: IdRef<'_>| match allowed {
            None => true,
            Some(list) => list.iter().fold(false, |hit, x| hit | x.tag_is(&value)),
        };
        any(&self.business_units, unit) & any(&self.workflows, workflow)
    }

    pub(crate) fn is_unbounded(&self) -> bool {
        self.business_units.is_none() && self.workflows.is_none()
    }
}

/// A grant with restrictions; restrictions on one grant intersect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Restricted {
    pub key: u16,
    pub bounds: Bounds,
    pub own_only: bool,
    /// The grant's own approval limit ([`NO_CAP`] when it has none): its effective limit is the
    /// smaller of this and the membership's. Only approval keys have one.
    pub cap: u64,
}

/// The [`Restricted::cap`] of a grant without an approval limit of its own. `u64::MAX` is exact:
/// the smaller of it and any membership limit is the membership limit.
pub(crate) const NO_CAP: u64 = u64::MAX;

/// What layer 4 asks of a request for one key, when that is simple enough to precompute.
pub(crate) enum Condition<'m> {
    /// Nothing: every request of the company passes.
    None,
    /// The request's business unit is one of the membership-wide restriction's (the key is held
    /// unrestricted). The same list for every such key, so it is stored once.
    MembershipUnits,
    /// The request's business unit is one of these (none: nothing passes); a few are held
    /// inline, with no allocation.
    Units(SmallVec<[&'m Id; 4]>),
    /// The request's owner is the user: every grant of the key is own-only with no other
    /// restriction, in a membership without one.
    Owner,
    /// The request's business unit is one of the first list, or its workflow one of the second:
    /// every grant of the key is restricted to business units alone or to workflows alone (at
    /// least one to workflows), at most `SCAN` ids of each kind in all, in a membership without a
    /// restriction of its own.
    Either(SmallVec<[&'m Id; 4]>, SmallVec<[&'m Id; 4]>),
    /// Anything else (a workflow, an amount, a mix): walk the grants.
    Other,
}

/// Layer 4's reach for `key` (the approval check aside) in a membership, as a [`Condition`]:
/// `unrestricted` if the key is held unrestricted there, the membership-wide restriction, and the
/// key's restricted `grants`. The same rules as
/// `decide`'s walk: grants of the key are a union, each intersected with the membership-wide
/// restriction. A key whose grants list more than `MAX_INDEXED` business units in all is left to
/// the walk, and so is an approval key unless it is held unrestricted in an unrestricted
/// membership (then only its amount is checked).
pub(crate) fn condition<'m>(
    key: Key,
    unrestricted: bool,
    membership: &'m Bounds,
    grants: &'m [Restricted],
) -> Condition<'m> {
    if key.needs_approval() {
        // Only the amount check is left out of the walk for approval keys.
        return if unrestricted && membership.is_unbounded() {
            Condition::None
        } else {
            Condition::Other
        };
    }
    if membership.workflows.is_some() {
        return Condition::Other;
    }
    if unrestricted {
        return match membership.business_units {
            None => Condition::None,
            Some(_) => Condition::MembershipUnits,
        };
    }
    let own_only = |g: &Restricted| g.own_only && g.bounds.is_unbounded() && g.cap == NO_CAP;
    if !grants.is_empty() && membership.is_unbounded() && grants.iter().all(own_only) {
        return Condition::Owner;
    }
    let (mut units, mut workflows): (SmallVec<[&Id; 4]>, SmallVec<[&Id; 4]>) = Default::default();
    for g in grants {
        if g.own_only || g.cap != NO_CAP {
            return Condition::Other;
        }
        match (&g.bounds.business_units, &g.bounds.workflows) {
            (Some(list), None) if units.len() + list.len() <= MAX_INDEXED => {
                units.extend(list.iter());
            }
            // Under a membership-wide business-unit restriction, a workflow grant reaches only
            // inside it: left to the walk.
            (None, Some(list))
                if membership.business_units.is_none() && workflows.len() + list.len() <= SCAN =>
            {
                workflows.extend(list.iter());
            }
            _ => return Condition::Other,
        }
    }
    if !workflows.is_empty() {
        return match units.len() <= SCAN {
            true => Condition::Either(units, workflows),
            false => Condition::Other,
        };
    }
    if let Some(only) = &membership.business_units {
        let mut only: SmallVec<[&str; 4]> = only.iter().map(Id::as_str).collect();
        only.sort_unstable();
        units.retain(|x| only.binary_search(&x.as_str()).is_ok());
    }
    units.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    units.dedup_by(|a, b| a.as_str() == b.as_str());
    Condition::Units(units)
}

/// Whether the membership-wide restriction admits `scope` and, unless the key is held
/// `unrestricted`, one of its restricted `grants` reaches it (an own-only grant only resources
/// whose owner is `user`), for a request whose business unit and workflow are exact
/// ([`IdRef::is_exact`]: equal tags prove equal ids), evaluated in full: every grant, and every
/// id of the lists, is compared, and the results combined without a branch. The branches taken
/// depend on the grants alone, not on the request, so requests for one key in any order and with
/// any answer take the same path (a walk that stops at the first match mispredicts where
/// requests differ). Grants are few per key, lists are short (see `MAX_INDEXED`), and the
/// comparisons are a few instructions each.
#[inline(always)]
pub(crate) fn reach_exact(
    user: &str,
    membership: &Bounds,
    grants: &[Restricted],
    unrestricted: bool,
    scope: &Scope<'_>,
) -> bool {
    let (unit, workflow) = (scope.business_unit_ref(), scope.workflow_ref());
    let mut reached = unrestricted;
    for g in grants {
        // Own-only is the grant's, so this branch is the same for every request.
        let owner_ok = !g.own_only
            || scope
                .owner_id()
                .is_some_and(|o| same_bytes(o.as_bytes(), user.as_bytes()));
        reached |= owner_ok & g.bounds.admits_exact(unit, workflow);
    }
    reached & membership.admits_exact(unit, workflow)
}

/// Whether the membership-wide restriction admits `scope` and, unless the key is held
/// `unrestricted`, one of its restricted `grants` reaches it (an own-only grant only resources
/// whose owner is `user`), for any request ids, each grant's bytes confirmed behind equal tags:
/// the largest [`Restricted::cap`] of the grants that reach the scope ([`NO_CAP`] for an
/// unrestricted key), so that the effective approval limit there is the smaller of it and the
/// membership's.
pub(crate) fn best_cap_through(
    user: &str,
    membership: &Bounds,
    grants: &[Restricted],
    unrestricted: bool,
    scope: &Scope<'_>,
) -> Result<u64, Denial> {
    if !membership.admits(scope) {
        return Err(Denial::OutOfScope);
    }
    if unrestricted {
        return Ok(NO_CAP);
    }
    grants
        .iter()
        .filter(|g| reaches(g, user, scope))
        .map(|g| g.cap)
        .max()
        .ok_or(Denial::OutOfScope)
}

/// Whether one restricted grant reaches `scope` (its restrictions; for an own-only grant, an
/// owner who is `user`).
#[inline(always)]
fn reaches(g: &Restricted, user: &str, scope: &Scope<'_>) -> bool {
    let owner_ok = !g.own_only
        || scope
            .owner_id()
            .is_some_and(|o| same_bytes(o.as_bytes(), user.as_bytes()));
    owner_ok && g.bounds.admits(scope)
}
