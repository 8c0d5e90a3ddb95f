//! What compiling a membership reads, whether it comes as owned [`MembershipClaims`] (parsed by
//! serde, or built in code) or as a [`MembershipRef`] borrowing the token's bytes
//! ([`Subject::from_json`](crate::Subject::from_json)): one compilation for both, so both apply
//! the same checks in the same order.

use crate::id::Id;
use crate::layer::{Allowed, Bounds};
use crate::token::{
    self, ClaimsError, DelegationClaim, DelegationRef, ListsRef, MembershipClaims, MembershipRef,
    PermissionClaim, PermissionRef,
};

/// Business units and workflows, each list optional.
pub(crate) struct Lists<'s, S> {
    pub(crate) business_units: Option<&'s [S]>,
    pub(crate) workflows: Option<&'s [S]>,
}

/// A grant's restrictions, as in [`RestrictedPermission`](crate::RestrictedPermission).
pub(crate) struct Restriction<'s, S> {
    pub(crate) lists: Lists<'s, S>,
    pub(crate) own_only: bool,
    pub(crate) approval_limit: Option<u64>,
}

/// One grant of a membership.
pub(crate) trait PermissionSource {
    /// The key name.
    fn key(&self) -> &str;
}

/// A membership's delegation policy.
pub(crate) trait DelegationSource {
    /// How the source holds a name.
    type Str: AsRef<str>;
    fn modules(&self) -> &[Self::Str];
    fn permissions(&self) -> &[Self::Str];
    fn redelegate(&self) -> &[Self::Str];
    fn manage_users(&self) -> bool;
    fn buy_addons(&self) -> bool;
    fn scope(&self) -> Option<Lists<'_, Self::Str>>;
}

/// One membership of a token.
pub(crate) trait MembershipSource {
    /// How the source holds a name.
    type Str: AsRef<str>;
    /// How it holds a grant.
    type Permission: PermissionSource;
    /// How it holds its delegation policy.
    type Delegation: DelegationSource;
    fn company(&self) -> &str;
    fn modules(&self) -> &[Self::Str];
    fn roles(&self) -> &[Self::Str];
    fn permissions(&self) -> &[Self::Permission];
    /// The restrictions of grant `p` (one of `permissions`): `None` for a bare key name.
    fn restriction<'s>(&'s self, p: &'s Self::Permission) -> Option<Restriction<'s, Self::Str>>;
    fn scope(&self) -> Option<Lists<'_, Self::Str>>;
    fn approval_limit(&self) -> Option<u64>;
    /// How many of `permissions` have restrictions, if counting them is cheap (room to reserve);
    /// 0 otherwise.
    fn restricted_hint(&self) -> usize {
        0
    }
    /// Grants held unrestricted that are not in `permissions`: key ids a bit each, resolved as
    /// the token was read (no error possible), and how many names they were.
    fn resolved(&self) -> (&[u64], usize) {
        (&[], 0)
    }
    fn delegation(&self) -> Option<&Self::Delegation>;
}

/// The methods of [`DelegationSource`] for a struct with the fields of [`DelegationClaim`].
macro_rules! delegation_source {
    ($ty:ty, $str:ty) => {
        impl<'a> DelegationSource for $ty {
            type Str = $str;
            fn modules(&self) -> &[$str] {
                &self.modules
            }
            fn permissions(&self) -> &[$str] {
                &self.permissions
            }
            fn redelegate(&self) -> &[$str] {
                &self.redelegate
            }
            fn manage_users(&self) -> bool {
                self.manage_users
            }
            fn buy_addons(&self) -> bool {
                self.buy_addons
            }
            fn scope(&self) -> Option<Lists<'_, $str>> {
                self.scope.as_ref().map(|s| Lists {
                    business_units: s.business_units.as_deref(),
                    workflows: s.workflows.as_deref(),
                })
            }
        }
    };
}

delegation_source!(DelegationClaim, String);
delegation_source!(DelegationRef<'a>, &'a str);

impl PermissionSource for PermissionClaim {
    fn key(&self) -> &str {
        PermissionClaim::key(self)
    }
}

impl MembershipSource for MembershipClaims {
    type Str = String;
    type Permission = PermissionClaim;
    type Delegation = DelegationClaim;
    fn company(&self) -> &str {
        &self.company
    }
    fn modules(&self) -> &[String] {
        &self.modules
    }
    fn roles(&self) -> &[String] {
        &self.roles
    }
    fn permissions(&self) -> &[PermissionClaim] {
        &self.permissions
    }
    fn restriction<'s>(&'s self, p: &'s PermissionClaim) -> Option<Restriction<'s, String>> {
        let PermissionClaim::Restricted(r) = p else {
            return None;
        };
        Some(Restriction {
            lists: Lists {
                business_units: r.business_units.as_deref(),
                workflows: r.workflows.as_deref(),
            },
            own_only: r.own_only,
            approval_limit: r.approval_limit,
        })
    }
    fn scope(&self) -> Option<Lists<'_, String>> {
        self.scope.as_ref().map(|s| Lists {
            business_units: s.business_units.as_deref(),
            workflows: s.workflows.as_deref(),
        })
    }
    fn approval_limit(&self) -> Option<u64> {
        self.approval_limit
    }
    fn delegation(&self) -> Option<&DelegationClaim> {
        self.delegation.as_ref()
    }
}

impl PermissionSource for PermissionRef<'_> {
    fn key(&self) -> &str {
        match self {
            PermissionRef::Key(k) | PermissionRef::Restricted { key: k, .. } => k,
        }
    }
}

fn lists<'s, 'a>(l: &'s ListsRef<'a>) -> Lists<'s, &'a str> {
    Lists {
        business_units: l.business_units.as_deref(),
        workflows: l.workflows.as_deref(),
    }
}

impl<'a> MembershipSource for MembershipRef<'a> {
    type Str = &'a str;
    type Permission = PermissionRef<'a>;
    type Delegation = DelegationRef<'a>;
    fn company(&self) -> &str {
        self.company
    }
    fn modules(&self) -> &[&'a str] {
        &self.modules
    }
    fn roles(&self) -> &[&'a str] {
        &self.roles
    }
    fn permissions(&self) -> &[PermissionRef<'a>] {
        &self.permissions
    }
    fn restriction<'s>(&'s self, p: &'s PermissionRef<'a>) -> Option<Restriction<'s, &'a str>> {
        let PermissionRef::Restricted { restriction: r, .. } = p else {
            return None;
        };
        Some(Restriction {
            lists: lists(&r.lists),
            own_only: r.own_only,
            approval_limit: r.approval_limit,
        })
    }
    fn scope(&self) -> Option<Lists<'_, &'a str>> {
        self.scope.as_ref().map(lists)
    }
    fn approval_limit(&self) -> Option<u64> {
        self.approval_limit
    }
    /// The grants listed are few (bare names of a small catalog's keys are not listed).
    fn restricted_hint(&self) -> usize {
        (self.permissions.iter())
            .filter(|p| matches!(p, PermissionRef::Restricted { .. }))
            .count()
    }
    fn resolved(&self) -> (&[u64], usize) {
        (&self.resolved, self.resolved_count)
    }
    fn delegation(&self) -> Option<&DelegationRef<'a>> {
        self.delegation.as_deref()
    }
}

fn allowed<S: AsRef<str>>(list: Option<&[S]>) -> Result<Allowed, ClaimsError> {
    let Some(list) = list else { return Ok(None) };
    token::check_len("business units or workflows", list.len(), token::MAX_LIST)?;
    for v in list {
        token::check_id("business unit or workflow", v.as_ref())?;
    }
    Ok(Some(list.iter().map(|s| Id::new(s.as_ref())).collect()))
}

pub(super) fn bounds<S: AsRef<str>>(
    business_units: Option<&[S]>,
    workflows: Option<&[S]>,
) -> Result<Bounds, ClaimsError> {
    Ok(Bounds {
        business_units: allowed(business_units)?,
        workflows: allowed(workflows)?,
    })
}
