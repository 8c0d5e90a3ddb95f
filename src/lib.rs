//! kisum-access (crate docs are written below, with the engine).
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]

mod catalog;
mod claims;
mod decide;
mod delegation;
mod embedded;
mod key;
mod keyset;
mod phf;
mod scope;
mod spec;
mod subject;

pub use catalog::{Catalog, CatalogError, Role};
pub use claims::{
    BamLevels, BamToken, Claims, ClaimsError, DelegationClaim, Entitlements, MAX_GRANTS,
    MAX_ID_LEN, MAX_LIST, MAX_MEMBERSHIPS, MembershipClaims, PermissionClaim, RestrictedPermission,
    ScopeClaim,
};
pub use decide::{Decision, Denial, Explanation, Layer, Outcome, Verdict, decide, explain};
pub use delegation::{DelegationDenial, Grant};
pub use embedded::keys;
pub use key::{Key, KeyError, KeyName, Module};
pub use scope::{Reach, Scope, ScopeFilter};
pub use spec::{
    DelegationRule, MAX_KEY_LEN, MAX_KEYS, MAX_LEGACY, MAX_MODULES, MAX_ROLES, ModuleKind,
    ModuleStatus, NameFault, Problem, ProblemKind,
};
pub use subject::{ClaimsOptions, Subject, SubjectBuilder};

#[doc(hidden)]
pub mod __private {
    pub use crate::key::embedded_key;
}
