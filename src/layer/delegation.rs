//! Layer 5, delegation: what a user may grant to someone else, never more than they hold: keys,
//! scopes, approval amounts and modules.

use crate::catalog::Module;
use crate::catalog::spec::ModuleKind;
use crate::token::{Grant, MAX_ID_LEN, MAX_LIST};

use super::Layer;
use super::approval::effective_limit;
use super::coverage::{Dim, product_within, union_covers};
use super::scope::{Bounds, NO_CAP, Restricted};

/// Why [`Subject::can_grant`](crate::Subject::can_grant) refused a grant, or
/// [`Subject::can_assign_module`](crate::Subject::can_assign_module) a module; each names the
/// rule it broke.
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
    /// The module belongs to another catalog than the granter's.
    #[error("the module belongs to another catalog than the granter's")]
    ForeignModule,
    /// Layer 1: the company has not bought (a usable) key's module, or the module to assign.
    #[error("the company is not entitled to the module (layer 1)")]
    NotEntitled(Module),
    /// Layer 2: the module to assign is not assigned to the granter.
    #[error("the module is not assigned to the granter (layer 2)")]
    ModuleNotAssigned(Module),
    /// The module is never assigned to users through this catalog: an external module (its own
    /// platform decides) or a catalog without a commercial model.
    #[error("the module is not assigned to users through this catalog")]
    ModuleNotAssignable(Module),
    /// The module (of the key, or to assign) is not among the granter's delegable modules.
    #[error("the granter's delegation policy does not list this module")]
    ModuleNotDelegable(Module),
    /// The module to assign is an add-on, and the granter may not buy or assign add-ons.
    #[error("the module is an add-on, and the granter may not buy or assign add-ons")]
    AddonNotAssignable(Module),
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
    /// An approval key, and the granter has no approval limit: they could not approve anything
    /// themselves (the reason [`decide`](crate::decide) gives them,
    /// [`Denial::ApprovalLimitMissing`](crate::Denial::ApprovalLimitMissing)).
    #[error("the granter has no approval limit, so cannot grant an approval key")]
    ApprovalLimitMissing,
    /// An approval key granted without an approval limit: a grant of an approval key must say how
    /// much it approves ([`Grant::approval_limit`]).
    #[error("a grant of an approval key must carry an approval limit")]
    ApprovalLimitRequired,
    /// The grant's approval limit is over what the granter may approve somewhere in its scope.
    #[error("the grant's approval limit is over the granter's: at most {limit} over this scope")]
    ExceedsApprovalLimit {
        /// The largest approval limit the granter could grant over the grant's scope.
        limit: u64,
    },
    /// An approval limit on a grant of a key that is not an approval.
    #[error("the key is not an approval key, so its grant cannot carry an approval limit")]
    ApprovalLimitNotApplicable,
    /// The grant's scope is wider than the granter's delegation scope bound.
    #[error("the grant's scope is wider than the granter's delegation scope bound")]
    ExceedsScopeBound,
    /// A re-delegable grant without the right to re-delegate the key (no GRANT OPTION).
    #[error("the granter may not grant this key re-delegable (no grant option)")]
    NotRedelegable,
    /// A re-delegable grant in a catalog whose right to delegate is itself a key (B.A.M's
    /// `change_permissions`): grant that key instead.
    #[error(
        "this catalog gives the right to delegate through its change_permissions keys, not through re-delegable grants"
    )]
    RedelegationNotApplicable,
    /// A list of the grant is longer than claims allow ([`MAX_LIST`]).
    #[error("the grant lists too many {what}: {count} (at most {max})")]
    TooMany {
        /// Which list (`business units`, `workflows`).
        what: &'static str,
        /// How many it holds.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An identifier of the grant is empty or longer than claims allow ([`MAX_ID_LEN`]).
    #[error("the grant's {what} at position {index} is {len} bytes long (1 to {MAX_ID_LEN})")]
    BadId {
        /// Which identifier (`company`, `business unit`, `workflow`).
        what: &'static str,
        /// Its position in its list (0 for the company).
        index: usize,
        /// Its length in bytes.
        len: usize,
    },
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
            DelegationDenial::ForeignModule => "foreign_module",
            DelegationDenial::ModuleNotAssigned(_) => "module_not_assigned",
            DelegationDenial::ModuleNotAssignable(_) => "module_not_assignable",
            DelegationDenial::AddonNotAssignable(_) => "addon_not_assignable",
            DelegationDenial::ApprovalLimitMissing => "approval_limit_missing",
            DelegationDenial::ApprovalLimitRequired => "approval_limit_required",
            DelegationDenial::ExceedsApprovalLimit { .. } => "exceeds_approval_limit",
            DelegationDenial::ApprovalLimitNotApplicable => "approval_limit_not_applicable",
            DelegationDenial::RedelegationNotApplicable => "redelegation_not_applicable",
            DelegationDenial::TooMany { .. } => "too_many",
            DelegationDenial::BadId { .. } => "bad_id",
        }
    }

    /// The module the denial is about, for those that name one.
    pub const fn module(self) -> Option<Module> {
        match self {
            DelegationDenial::NotEntitled(m)
            | DelegationDenial::ModuleNotDelegable(m)
            | DelegationDenial::ModuleNotAssigned(m)
            | DelegationDenial::ModuleNotAssignable(m)
            | DelegationDenial::AddonNotAssignable(m) => Some(m),
            _ => None,
        }
    }

    /// The layer whose rule was broken: membership, commercial eligibility (the company must be
    /// entitled to what is granted), module assignment, permission (a key of another catalog),
    /// scope (the granter cannot approve at all), or delegation itself.
    pub const fn layer(self) -> Layer {
        match self {
            DelegationDenial::NotMember => Layer::Membership,
            DelegationDenial::NotEntitled(_) => Layer::Commercial,
            DelegationDenial::ModuleNotAssigned(_) | DelegationDenial::ModuleNotAssignable(_) => {
                Layer::Module
            }
            DelegationDenial::ForeignKey | DelegationDenial::ForeignModule => Layer::Permission,
            DelegationDenial::ApprovalLimitMissing => Layer::Scope,
            DelegationDenial::ModuleNotDelegable(_)
            | DelegationDenial::AddonNotAssignable(_)
            | DelegationDenial::PermissionNotDelegable
            | DelegationDenial::ExceedsPersonalAccess
            | DelegationDenial::ApprovalLimitRequired
            | DelegationDenial::ExceedsApprovalLimit { .. }
            | DelegationDenial::ApprovalLimitNotApplicable
            | DelegationDenial::ExceedsScopeBound
            | DelegationDenial::NotRedelegable
            | DelegationDenial::RedelegationNotApplicable
            | DelegationDenial::TooMany { .. }
            | DelegationDenial::BadId { .. } => Layer::Delegation,
        }
    }
}

/// A proposed grant within the limits claims have: at most [`MAX_LIST`] business units and
/// workflows, each id (and the company) 1 to [`MAX_ID_LEN`] bytes. Checked before any other work.
pub(crate) fn bounded(grant: &Grant) -> Result<(), DelegationDenial> {
    let id = |what, index, v: &str| {
        if v.is_empty() || v.len() > MAX_ID_LEN {
            Err(DelegationDenial::BadId {
                what,
                index,
                len: v.len(),
            })
        } else {
            Ok(())
        }
    };
    id("company", 0, grant.company())?;
    let lists = [
        ("business units", "business unit", grant.business_unit_ids()),
        ("workflows", "workflow", grant.workflow_ids()),
    ];
    for (what, one, list) in lists {
        let list = list.unwrap_or_default();
        if list.len() > MAX_LIST {
            return Err(DelegationDenial::TooMany {
                what,
                count: list.len(),
                max: MAX_LIST,
            });
        }
        for (i, v) in list.iter().enumerate() {
            id(one, i, v)?;
        }
    }
    Ok(())
}

/// What a granter holds of one key in one membership: what `can_grant` compares a grant with.
pub(crate) struct Holding<'m> {
    /// The membership-wide restriction.
    pub bounds: &'m Bounds,
    /// Whether the key is held unrestricted (superseding its restricted grants).
    pub unrestricted: bool,
    /// The key's restricted grants.
    pub grants: &'m [Restricted],
    /// The membership's approval limit.
    pub limit: Option<u64>,
}

impl Holding<'_> {
    /// Whether the granter reaches every point of `b × w` through grants that are not own-only
    /// (own-only grants reach the granter's resources, never the grantee's) within the
    /// membership-wide restriction; with `at_least`, only through grants whose effective approval
    /// limit is at least that.
    pub(crate) fn reaches(&self, b: &Dim<'_>, w: &Dim<'_>, at_least: Option<u64>) -> bool {
        if b.len() == 0 || w.len() == 0 {
            return true;
        }
        let enough = |cap: u64| {
            at_least.is_none_or(|l| effective_limit(self.limit, cap).is_some_and(|e| e >= l))
        };
        if !product_within(b, w, self.bounds) {
            return false;
        }
        if self.unrestricted {
            return enough(NO_CAP);
        }
        let grants = self.grants.iter().filter(|g| !g.own_only && enough(g.cap));
        union_covers(b, w, grants.map(|g| &g.bounds))
    }

    /// The largest approval limit the granter could grant over `b × w`: the largest effective
    /// limit `l` of their grants such that grants of at least `l` still reach every point (a
    /// binary search over the distinct limits). `None` if they do not reach it at all.
    pub(crate) fn grantable_limit(&self, b: &Dim<'_>, w: &Dim<'_>) -> Option<u64> {
        let mut caps: Vec<u64> = if self.unrestricted {
            vec![NO_CAP]
        } else {
            self.grants
                .iter()
                .filter(|g| !g.own_only)
                .map(|g| g.cap)
                .collect()
        };
        caps.iter_mut()
            .for_each(|c| *c = effective_limit(self.limit, *c).unwrap_or(0));
        caps.sort_unstable();
        caps.dedup();
        let reached = caps.partition_point(|&c| self.reaches(b, w, Some(c)));
        reached.checked_sub(1).and_then(|i| caps.get(i).copied())
    }
}

/// The approval rule of a grant of an approval key: the granter could approve (a membership
/// limit), the grant says how much (`limit`), and the granter's grants of at least that much
/// reach its whole scope.
pub(crate) fn approval_delegable(
    holding: &Holding<'_>,
    limit: Option<u64>,
    b: &Dim<'_>,
    w: &Dim<'_>,
) -> Result<(), DelegationDenial> {
    if holding.limit.is_none() {
        return Err(DelegationDenial::ApprovalLimitMissing);
    }
    let limit = limit.ok_or(DelegationDenial::ApprovalLimitRequired)?;
    if holding.reaches(b, w, Some(limit)) {
        return Ok(());
    }
    Err(DelegationDenial::ExceedsApprovalLimit {
        limit: holding.grantable_limit(b, w).unwrap_or(0),
    })
}

/// Whether a granter may assign `module` to someone else: modules assigned to users (not an
/// external module, nor one of a catalog without a commercial model), bought by the company and
/// usable (layer 1, `entitled`), assigned to the granter (layer 2, `assigned`), listed in the
/// granter's delegation policy (`delegable`), and for an add-on, the right to buy or assign
/// add-ons (`buy_addons`).
pub(crate) fn module_assignable(
    module: Module,
    entitled: u64,
    assigned: u64,
    delegable: u64,
    buy_addons: bool,
) -> Result<(), DelegationDenial> {
    if matches!(module.kind(), ModuleKind::External | ModuleKind::System) {
        return Err(DelegationDenial::ModuleNotAssignable(module));
    }
    if entitled & module.bit() == 0 {
        return Err(DelegationDenial::NotEntitled(module));
    }
    if assigned & module.bit() == 0 {
        return Err(DelegationDenial::ModuleNotAssigned(module));
    }
    if delegable & module.bit() == 0 {
        return Err(DelegationDenial::ModuleNotDelegable(module));
    }
    if module.kind() == ModuleKind::Addon && !buy_addons {
        return Err(DelegationDenial::AddonNotAssignable(module));
    }
    Ok(())
}
