//! Embedded, allocation-free access decisions for the Kisum platform.
//!
//! A service links this crate and asks [`decide`]`(subject, key, scope)` on its hot path: no
//! network hop, no policy server, no allocation, no lock. Keys are checked against the permission
//! catalog at compile time ([`key!`], [`keys`]), and delegation provably never exceeds what the
//! delegating user holds ([`Subject::can_grant`]).
//!
//! # Example: from a token to a decision
//!
//! ```
//! use kisum_access::{Catalog, Claims, Denial, Entitlements, Scope, Subject, decide, explain, keys};
//!
//! // Once per token: compile the claims (from the Auth service) against the catalog.
//! let claims: Claims = serde_json::from_str(r#"{
//!   "sub": "user-42",
//!   "memberships": [{
//!     "company": "acme",
//!     "modules": ["finance"],
//!     "permissions": [{"key": "finance.bill.view", "business_units": ["bu-x"]}]
//!   }]
//! }"#)?;
//! let entitlements = [Entitlements::new("acme", ["promoter", "finance"])]; // from Core
//! let subject = Subject::from_claims(Catalog::embedded(), &claims, &entitlements)?;
//! // With the payload's bytes, `Subject::from_json` does both steps in about a third of the time.
//!
//! // Per request: a few nanoseconds, nothing allocated.
//! let bu_x = Scope::company("acme").business_unit("bu-x");
//! assert!(decide(&subject, keys::FINANCE_BILL_VIEW, &bu_x).is_allowed());
//!
//! let bu_y = Scope::company("acme").business_unit("bu-y");
//! let decision = decide(&subject, keys::FINANCE_BILL_VIEW, &bu_y);
//! assert_eq!(decision.denial(), Some(Denial::OutOfScope));
//!
//! // For logs and support: every layer's verdict, with names.
//! println!("{}", explain(&subject, keys::FINANCE_BILL_VIEW, &bu_y));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The layers
//!
//! Access resolves in five layers. Each can deny on its own,
//! none silently replaces another, and a [`Denial`] says which one denied ([`Denial::layer`]).
//! Before them, the user must be a member of the requested company ([`Layer::Membership`]).
//!
//! ## Layer 1: commercial eligibility
//!
//! The company must have bought the key's module ([`Entitlements`], from Core); an add-on also
//! needs a bought base module it attaches to ([`Denial::NotEntitled`],
//! [`Denial::AddonWithoutBase`]). External modules (`ticketing`) and catalogs without a commercial
//! model (B.A.M) skip layers 1–2, and [`explain`] says so.
//!
//! ## Layer 2: module access
//!
//! The module must be assigned to the user (the membership's `modules`;
//! [`Denial::ModuleNotAssigned`]).
//!
//! ## Layer 3: permission
//!
//! The user must hold the key, directly or through a role template of the catalog
//! ([`Denial::MissingPermission`]). Legacy keys (`basic.*`, `finance.bills.read`, ...) are never
//! accepted: looking one up is a [`KeyError::Legacy`] naming its replacement, and claims translate
//! them only on opt-in ([`ClaimsOptions::translate_legacy`]). A translation never silently widens
//! access: each alias says whether its replacement is [`AliasClass::Exact`], narrower or wider,
//! a wider one needs a second opt-in ([`ClaimsOptions::allow_widening`]), and every translation is
//! reported ([`Subject::legacy_translations`]); [`migrate`] reports a whole role template.
//!
//! ## Layer 4: scope
//!
//! A grant must reach the request's business unit, workflow and owner ([`Scope`]). Scope narrows,
//! never creates: a restriction with no grant grants nothing, a request that lacks what a
//! restriction needs is denied, grants of one key are a union, restrictions on one grant and the
//! membership-wide one intersect, an unrestricted grant supersedes an own-only one. Approval keys
//! (`finance.*.approve`) also need a membership approval limit and an amount at or under it.
//! [`Subject::filter`] gives the same answer for list queries ([`ScopeFilter::admits`]).
//!
//! ## Layer 5: delegation
//!
//! What a user may grant to someone else ([`Subject::can_grant`], [`Grant`]): clamped to their
//! delegation policy (modules, keys, scope bound, re-delegation) and to what they personally hold
//! (layers 1–4). Managing users and buying add-ons are capabilities, not permissions
//! ([`Subject::may_manage_users`], [`Subject::may_buy_addons`]).
//!
//! # Catalogs
//!
//! The Kisum catalog (`catalog.toml`, 120 keys) is compiled into the crate by the build script:
//! an interned key table with a perfect hash ([`Catalog::key`]: no allocation), and one constant
//! per key in [`keys`]. Any other catalog in the same format loads at run time with the same
//! validator ([`Catalog::from_toml_str`]); the B.A.M Ticketing catalog ships as `catalogs/bam.toml`
//! with its own token shape ([`BamToken`], [`Subject::from_bam_token`]).
//!
//! # Crate features
//!
//! - `sql`: `ScopeFilter::to_condition` (module `sql`) turns a list query's filter into a
//!   sea-query condition, for PostgreSQL, MySQL and SQLite, so that paging stays in the database.
//!
//! # Guarantees
//!
//! - [`decide`] and [`Catalog::key`] never allocate (asserted with a counting allocator in the
//!   tests) and never panic; [`Decision`] is `Copy` and `#[must_use]`.
//! - Bad input anywhere is a typed error naming the offending value ([`CatalogError`],
//!   [`KeyError`], [`ClaimsError`], [`DelegationDenial`]); nothing is silently allowed. Unknown
//!   fields inside a membership are errors, so a misspelt restriction never widens a grant; a
//!   well-formed name from a newer catalog is skipped and reported ([`Subject::skipped_names`]),
//!   which can only narrow access.
//! - [`decide`] agrees with a reference model written from these rules on thousands of random
//!   subjects per test run; delegation never exceeds personal access (property-tested).
#![forbid(unsafe_code)]
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]

mod bytes;
mod catalog;
mod decision;
mod id;
mod layer;
mod migrate;
mod scope;
#[cfg(feature = "sql")]
pub mod sql;
mod subject;
mod token;

pub use catalog::spec::{
    AliasClass, DelegationRule, MAX_KEY_LEN, MAX_KEYS, MAX_LEGACY, MAX_MODULES, MAX_PATTERN_LEN,
    MAX_ROLES, MAX_VERSION_LEN, ModuleKind, ModuleStatus, NameFault, Problem, ProblemKind,
};
pub use catalog::{
    Catalog, CatalogError, Key, KeyError, KeyName, KeyType, LegacyAlias, LegacyModule, Module,
    Role, key_types, keys,
};
pub use decision::{Decision, Explanation, Outcome, Reach, ScopeFilter, Verdict, decide, explain};
pub use layer::{DelegationDenial, Denial, Layer};
pub use migrate::{Migrated, Migration, MigrationEntry, migrate};
pub use scope::Scope;
pub use subject::{
    ClaimsOptions, LegacyTranslation, MAX_SUBJECT_BYTES_PER_DENSE_KEY,
    MAX_SUBJECT_BYTES_PER_ROLE_KEY, MAX_SUBJECT_BYTES_PER_TOKEN_BYTE, Subject, SubjectBuilder,
    Translated, UnknownNames,
};
pub use token::{
    BamLevels, BamToken, Claims, ClaimsError, DelegationClaim, Entitlements, ErrorOrigin, Grant,
    MAX_GRANTS, MAX_ID_LEN, MAX_LIST, MAX_MEMBERSHIPS, MembershipClaims, PermissionClaim,
    RestrictedPermission, ScopeClaim,
};

#[doc(hidden)]
pub mod __private {
    pub use crate::catalog::embedded_key;
}
