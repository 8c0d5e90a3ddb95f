//! Why a decision denied: one reason per rule, each tagged with its layer.

use crate::catalog::Module;

use super::Layer;

/// Why [`decide`](crate::decide) denied. `Copy`, no allocation; [`explain`](crate::explain) gives names and details.
///
/// This enum is `#[non_exhaustive]`: new reasons may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Denial {
    /// The user is not a member of the requested company.
    #[error("the user is not a member of the requested company")]
    NoMembership,
    /// The company did not buy the key's module.
    #[error("the company has not bought the key's module")]
    NotEntitled(Module),
    /// The company bought this add-on but no base module it attaches to.
    #[error("the company bought the add-on but no base module it attaches to")]
    AddonWithoutBase(Module),
    /// The key's module is not assigned to the user.
    #[error("the key's module is not assigned to the user")]
    ModuleNotAssigned(Module),
    /// The user does not hold the key.
    #[error("the user does not hold the permission")]
    MissingPermission,
    /// The user holds the key, but no grant reaches this scope.
    #[error("no grant of the permission reaches the requested scope")]
    OutOfScope,
    /// An approval key, and the membership has no approval limit.
    #[error("approvals need a membership approval limit, and there is none")]
    ApprovalLimitMissing,
    /// An approval key, and the request gives no amount.
    #[error("approvals need the request's amount, and none was given")]
    ApprovalAmountMissing,
    /// An approval key, and the amount is over the membership's limit.
    #[error("the amount is over the approval limit of {limit}")]
    ApprovalLimitExceeded {
        /// The membership's approval limit.
        limit: u64,
    },
    /// The key belongs to another catalog than the subject's.
    #[error("the key belongs to another catalog than the subject's")]
    ForeignKey,
}

impl Denial {
    /// A stable snake_case code for logs and API responses (`out_of_scope`,
    /// `approval_limit_exceeded`, ...; the README lists them all). Part of the crate's contract:
    /// codes are never renamed or reused.
    pub const fn code(self) -> &'static str {
        match self {
            Denial::NoMembership => "no_membership",
            Denial::NotEntitled(_) => "not_entitled",
            Denial::AddonWithoutBase(_) => "addon_without_base",
            Denial::ModuleNotAssigned(_) => "module_not_assigned",
            Denial::MissingPermission => "missing_permission",
            Denial::OutOfScope => "out_of_scope",
            Denial::ApprovalLimitMissing => "approval_limit_missing",
            Denial::ApprovalAmountMissing => "approval_amount_missing",
            Denial::ApprovalLimitExceeded { .. } => "approval_limit_exceeded",
            Denial::ForeignKey => "foreign_key",
        }
    }

    /// The module a layer 1 or 2 denial is about.
    pub const fn module(self) -> Option<crate::Module> {
        match self {
            Denial::NotEntitled(m) | Denial::AddonWithoutBase(m) | Denial::ModuleNotAssigned(m) => {
                Some(m)
            }
            _ => None,
        }
    }

    /// The layer that denied.
    pub const fn layer(self) -> Layer {
        match self {
            Denial::NoMembership => Layer::Membership,
            Denial::NotEntitled(_) | Denial::AddonWithoutBase(_) => Layer::Commercial,
            Denial::ModuleNotAssigned(_) => Layer::Module,
            Denial::MissingPermission | Denial::ForeignKey => Layer::Permission,
            Denial::OutOfScope
            | Denial::ApprovalLimitMissing
            | Denial::ApprovalAmountMissing
            | Denial::ApprovalLimitExceeded { .. } => Layer::Scope,
        }
    }
}

/// The outcome of [`decide`](crate::decide): `Copy`, 16 bytes. Ignoring it is a bug, hence `#[must_use]`.
#[must_use = "an authorization decision that is not checked authorizes nothing"]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Every layer allows.
    Allow,
    /// A layer denies; the denial says which and why.
    Deny(Denial),
}

impl Decision {
    /// Whether the decision is [`Decision::Allow`].
    #[inline]
    pub const fn is_allowed(self) -> bool {
        matches!(self, Decision::Allow)
    }

    /// The denial, if any.
    #[inline]
    pub const fn denial(self) -> Option<Denial> {
        match self {
            Decision::Allow => None,
            Decision::Deny(d) => Some(d),
        }
    }
}
