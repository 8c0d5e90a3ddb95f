//! Layer 5, delegation: what a user may grant to someone else, never more than they hold.

use crate::catalog::Module;

use super::Layer;
use super::scope::{Allowed, Bounds, Restricted, admits};

/// Why [`Subject::can_grant`](crate::Subject::can_grant) refused a grant; each names the rule it broke.
///
/// This enum is `#[non_exhaustive]`: new rules may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum DelegationDenial {
    /// The granter is not a member of the grant's company.
    #[error("the granter is not a member of the grant's company")]
    NotMember,
    /// The key belongs to another catalog than the granter's.
    #[error("the key belongs to another catalog than the granter's")]
    ForeignKey,
    /// Layer 1: the company has not bought (a usable) key's module.
    #[error("the company is not entitled to the key's module (layer 1)")]
    NotEntitled(Module),
    /// The key's module is not among the granter's delegable modules.
    #[error("the granter may not grant keys of this module")]
    ModuleNotDelegable(Module),
    /// The key is not delegable for the granter (not listed, or not held personally).
    #[error(
        "the granter may not grant this key: not in their delegation policy, or not held personally"
    )]
    PermissionNotDelegable,
    /// The granter does not personally hold the key for the whole scope granted.
    #[error(
        "delegation never exceeds personal access: the granter does not hold the key for the whole scope granted"
    )]
    ExceedsPersonalAccess,
    /// The grant's scope is wider than the granter's delegation scope bound.
    #[error("the grant's scope is wider than the granter's delegation scope bound")]
    ExceedsScopeBound,
    /// A re-delegable grant without the right to re-delegate the key (no GRANT OPTION).
    #[error("the granter may not grant this key re-delegable (no grant option)")]
    NotRedelegable,
}

impl DelegationDenial {
    /// A stable snake_case code for logs and API responses (the README lists them all). Part of
    /// the crate's contract: codes are never renamed or reused.
    pub const fn code(self) -> &'static str {
        match self {
            DelegationDenial::NotMember => "not_member",
            DelegationDenial::ForeignKey => "foreign_key",
            DelegationDenial::NotEntitled(_) => "not_entitled",
            DelegationDenial::ModuleNotDelegable(_) => "module_not_delegable",
            DelegationDenial::PermissionNotDelegable => "permission_not_delegable",
            DelegationDenial::ExceedsPersonalAccess => "exceeds_personal_access",
            DelegationDenial::ExceedsScopeBound => "exceeds_scope_bound",
            DelegationDenial::NotRedelegable => "not_redelegable",
        }
    }

    /// The module the denial is about, for those that name one.
    pub const fn module(self) -> Option<Module> {
        match self {
            DelegationDenial::NotEntitled(m) | DelegationDenial::ModuleNotDelegable(m) => Some(m),
            _ => None,
        }
    }

    /// The layer whose rule was broken: membership, commercial eligibility (the company must be
    /// entitled to what is granted), permission (a key of another catalog), or delegation itself.
    pub const fn layer(self) -> Layer {
        match self {
            DelegationDenial::NotMember => Layer::Membership,
            DelegationDenial::NotEntitled(_) => Layer::Commercial,
            DelegationDenial::ForeignKey => Layer::Permission,
            DelegationDenial::ModuleNotDelegable(_)
            | DelegationDenial::PermissionNotDelegable
            | DelegationDenial::ExceedsPersonalAccess
            | DelegationDenial::ExceedsScopeBound
            | DelegationDenial::NotRedelegable => Layer::Delegation,
        }
    }
}

/// Whether `allowed` covers a point's value on one dimension (`None` = the whole dimension).
pub(crate) fn covers(allowed: &Allowed, value: Option<&str>) -> bool {
    match value {
        None => allowed.is_none(),
        Some(_) => admits(allowed, value.into()),
    }
}

/// Whether the granter reaches a point of a grant's scope for one key (held `unrestricted`, or
/// through its restricted `grants`) through grants that are not own-only (own-only grants reach the
/// granter's resources, never the grantee's), within the membership-wide restriction.
pub(crate) fn personally_reaches(
    membership: &Bounds,
    unrestricted: bool,
    grants: &[Restricted],
    b: Option<&str>,
    w: Option<&str>,
) -> bool {
    if !(covers(&membership.business_units, b) && covers(&membership.workflows, w)) {
        return false;
    }
    unrestricted
        || grants.iter().any(|g| {
            !g.own_only && covers(&g.bounds.business_units, b) && covers(&g.bounds.workflows, w)
        })
}
