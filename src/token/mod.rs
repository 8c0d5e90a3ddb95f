//! What arrives from outside: Kisum claims and B.A.M tokens from the Auth service, entitlements
//! from Core, proposed grants; their limits and their errors.
//!
//! Every struct rejects unknown fields: a misspelt restriction (`buisness_units`) is an error, never
//! a grant that silently lost its restriction.
//!
//! # Limits
//!
//! Lists and strings are bounded while parsing, before anything large is built:
//! [`MAX_MEMBERSHIPS`] companies (or B.A.M organizations), [`MAX_GRANTS`] grants per membership,
//! [`MAX_LIST`] modules, roles, business units or workflows per list, [`MAX_ID_LEN`] bytes per
//! identifier, and [`MAX_KEY_LEN`](crate::MAX_KEY_LEN) bytes per key name. Nesting is fixed by the
//! types (a token is at most six levels deep, each a known shape), so deeper input fails at the
//! first unexpected bracket; serde_json's own recursion limit (128) bounds the rest. Subjects built
//! in code ([`Subject::builder`](crate::Subject::builder)) go through the same checks.

mod bam;
mod bam_json;
mod bounded;
mod claims;
mod claims_ref;
mod entitlements;
mod error;
mod grant;
mod json;
mod limits;
mod registered;

pub use bam::{BamLevels, BamToken};
pub use claims::{
    Claims, DelegationClaim, MembershipClaims, PermissionClaim, RestrictedPermission, ScopeClaim,
};
pub(crate) use claims_ref::{ClaimsRef, DelegationRef, ListsRef, MembershipRef, PermissionRef};
pub use entitlements::Entitlements;
pub use error::{ClaimsError, ErrorOrigin};
pub use grant::Grant;
pub(crate) use json::WINDOW;
pub use limits::{MAX_GRANTS, MAX_ID_LEN, MAX_LIST, MAX_MEMBERSHIPS};
pub(crate) use limits::{check_id, check_len};
pub use registered::RegisteredClaims;
