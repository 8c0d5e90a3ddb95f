//! The rules of the layers access resolves in, one file per layer, each a small function over the
//! data it reads. The subject compiler runs them once per key to precompute its table; `decide`,
//! `explain`, `filter` and `can_grant` run the same functions.

use core::fmt;

mod approval;
mod commercial;
mod coverage;
mod delegation;
mod denial;
mod module;
mod permission;
mod scope;
mod serialize;

pub(crate) use approval::{approval, effective_limit};
pub(crate) use commercial::commercial;
pub(crate) use coverage::{Dim, product_within};
pub use delegation::DelegationDenial;
pub(crate) use delegation::{Holding, approval_delegable, bounded, module_assignable};
pub use denial::{Decision, Denial};
pub(crate) use module::module;
pub(crate) use permission::permission;
pub(crate) use scope::{
    Allowed, Bounds, Condition, NO_CAP, Restricted, best_cap_through, condition, reach_exact,
};

/// The layers access resolves in plus the membership check before them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// Is the user a member of the requested company at all?
    Membership,
    /// 1: did the company buy the module (and, for an add-on, a base it attaches to)?
    Commercial,
    /// 2: is the module assigned to the user?
    Module,
    /// 3: does the user hold the key (directly or through a role)?
    Permission,
    /// 4: does a grant reach this business unit / workflow / owner, and, for approvals, this amount?
    Scope,
    /// 5: may the user grant it to someone else? (see [`Subject::can_grant`](crate::Subject::can_grant))
    Delegation,
}

impl Layer {
    /// A stable snake_case code for logs and API responses: `membership`, `commercial`, `module`,
    /// `permission`, `scope`, `delegation`. Part of the crate's contract: codes are never renamed.
    pub const fn code(self) -> &'static str {
        match self {
            Layer::Membership => "membership",
            Layer::Commercial => "commercial",
            Layer::Module => "module",
            Layer::Permission => "permission",
            Layer::Scope => "scope",
            Layer::Delegation => "delegation",
        }
    }

    /// The layer's name.
    pub const fn name(self) -> &'static str {
        match self {
            Layer::Membership => "membership",
            Layer::Commercial => "1 commercial",
            Layer::Module => "2 module",
            Layer::Permission => "3 permission",
            Layer::Scope => "4 scope",
            Layer::Delegation => "5 delegation",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
