//! The token contract with the Auth service (Kisum claims, company entitlements),
//! its limits, and its errors.
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

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::key::KeyError;

/// Most memberships (companies, B.A.M orgs) in one token.
pub const MAX_MEMBERSHIPS: usize = 64;
/// Most permission grants in one membership (direct grants, after role expansion is not counted).
pub const MAX_GRANTS: usize = 1024;
/// Most roles, modules, business units or workflows in one list.
pub const MAX_LIST: usize = 256;
/// Longest identifier (user, company, business unit, workflow, module, role), in bytes.
pub const MAX_ID_LEN: usize = 256;

/// The claims of one user, as the Auth service issues them (DESIGN §3).
///
/// ```
/// use kisum_access::Claims;
///
/// let claims: Claims = serde_json::from_str(r#"{
///   "sub": "user-42",
///   "memberships": [{
///     "company": "acme",
///     "modules": ["finance"],
///     "permissions": ["finance.bill.view", {"key": "finance.bill.edit", "business_units": ["bu-x"]}]
///   }]
/// }"#)?;
/// assert_eq!(claims.memberships[0].permissions.len(), 2);
///
/// // A misspelt restriction is an error, not an unrestricted grant.
/// let typo = serde_json::from_str::<Claims>(r#"{"sub": "u", "memberships": [{"company": "acme",
///   "permissions": [{"key": "finance.bill.edit", "buisness_units": ["bu-x"]}]}]}"#);
/// assert!(typo.unwrap_err().to_string().contains("buisness_units"));
///
/// // Lists and strings are bounded while parsing, before anything large is built.
/// let huge = format!(r#"{{"sub": "{}", "memberships": []}}"#, "u".repeat(10_000));
/// assert!(serde_json::from_str::<Claims>(&huge).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    /// The user id.
    #[serde(deserialize_with = "bounded::id")]
    pub sub: String,
    /// One entry per company the user belongs to.
    #[serde(default, deserialize_with = "bounded::memberships")]
    pub memberships: Vec<MembershipClaims>,
}

/// A user's membership of one company.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipClaims {
    /// The company id.
    #[serde(deserialize_with = "bounded::id")]
    pub company: String,
    /// Modules assigned to the user (layer 2).
    #[serde(default, deserialize_with = "bounded::ids")]
    pub modules: Vec<String>,
    /// Role templates of the catalog (`promoter.viewer`, `ticketing.manager`).
    #[serde(default, deserialize_with = "bounded::ids")]
    pub roles: Vec<String>,
    /// Direct grants (layer 3), each possibly restricted (layer 4).
    #[serde(default, deserialize_with = "bounded::permissions")]
    pub permissions: Vec<PermissionClaim>,
    /// Membership-wide restriction, intersected with every grant.
    #[serde(default)]
    pub scope: Option<ScopeClaim>,
    /// Largest amount the user may approve (`finance.*.approve`); none means no approvals.
    #[serde(default)]
    pub approval_limit: Option<u64>,
    /// What the user may grant to others (layer 5).
    #[serde(default)]
    pub delegation: Option<DelegationClaim>,
}

/// One grant: a bare key name (unrestricted) or an object with restrictions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PermissionClaim {
    /// `"promoter.event.view"`: the key, unrestricted.
    Key(String),
    /// `{"key": "...", "business_units": [...], ...}`: the key, restricted.
    Restricted(RestrictedPermission),
}

impl PermissionClaim {
    /// The key name.
    pub fn key(&self) -> &str {
        match self {
            PermissionClaim::Key(k) => k,
            PermissionClaim::Restricted(r) => &r.key,
        }
    }
}

// Hand-written rather than `#[serde(untagged)]`, whose error ("data did not match any variant")
// would hide which field was wrong.
impl<'de> Deserialize<'de> for PermissionClaim {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PermissionClaim;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a permission key string or an object {\"key\": ..., restrictions}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                bounded::Id::deserialize(de::value::StrDeserializer::<E>::new(v))
                    .map(|i| PermissionClaim::Key(i.0))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RestrictedPermission::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(PermissionClaim::Restricted)
            }
        }
        d.deserialize_any(V)
    }
}

/// A grant with restrictions; restrictions on one grant intersect.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestrictedPermission {
    /// The key name.
    #[serde(deserialize_with = "bounded::id")]
    pub key: String,
    /// Only these business units (an empty list reaches nothing).
    #[serde(
        default,
        deserialize_with = "bounded::opt_ids",
        skip_serializing_if = "Option::is_none"
    )]
    pub business_units: Option<Vec<String>>,
    /// Only these workflows (an empty list reaches nothing).
    #[serde(
        default,
        deserialize_with = "bounded::opt_ids",
        skip_serializing_if = "Option::is_none"
    )]
    pub workflows: Option<Vec<String>>,
    /// Only resources the user owns.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_only: bool,
}

/// A membership-wide restriction, or the scope bound of a delegation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeClaim {
    /// Only these business units.
    #[serde(
        default,
        deserialize_with = "bounded::opt_ids",
        skip_serializing_if = "Option::is_none"
    )]
    pub business_units: Option<Vec<String>>,
    /// Only these workflows.
    #[serde(
        default,
        deserialize_with = "bounded::opt_ids",
        skip_serializing_if = "Option::is_none"
    )]
    pub workflows: Option<Vec<String>>,
}

/// A membership's delegation policy (layer 5; blueprint §7). Clamped to personal access when the
/// subject is built: listing a key you do not hold delegates nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegationClaim {
    /// Modules whose keys may be granted.
    #[serde(default, deserialize_with = "bounded::ids")]
    pub modules: Vec<String>,
    /// Keys that may be granted.
    #[serde(default, deserialize_with = "bounded::ids")]
    pub permissions: Vec<String>,
    /// May manage users (a capability, not a permission).
    #[serde(default)]
    pub manage_users: bool,
    /// May buy or assign add-ons (a capability, not a permission).
    #[serde(default)]
    pub buy_addons: bool,
    /// The widest scope a grant may have.
    #[serde(default)]
    pub scope: Option<ScopeClaim>,
    /// Keys that may be granted re-delegable (SQL's GRANT OPTION).
    #[serde(default, deserialize_with = "bounded::ids")]
    pub redelegate: Vec<String>,
}

/// What a company bought (from Core): `{"company": "acme", "modules": ["promoter", "finance"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entitlements {
    /// The company id.
    #[serde(deserialize_with = "bounded::id")]
    pub company: String,
    /// Modules (base and add-ons) the company bought.
    #[serde(deserialize_with = "bounded::ids")]
    pub modules: Vec<String>,
}

impl Entitlements {
    /// Entitlements of `company` to `modules`.
    pub fn new<S: Into<String>>(
        company: impl Into<String>,
        modules: impl IntoIterator<Item = S>,
    ) -> Self {
        Entitlements {
            company: company.into(),
            modules: modules.into_iter().map(Into::into).collect(),
        }
    }
}

/// Why claims, entitlements or a token could not become a [`Subject`](crate::Subject).
/// Each variant names the offending value.
///
/// This enum is `#[non_exhaustive]`: new checks may be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// A list is longer than its limit.
    #[error("too many {what}: {count} (at most {max})")]
    TooMany {
        /// What overflowed (`memberships`, `permissions`, ...).
        what: &'static str,
        /// How many there were.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An identifier is empty or longer than [`MAX_ID_LEN`].
    #[error("{what} `{value}` must be 1 to {max} bytes", max = MAX_ID_LEN)]
    BadId {
        /// Which identifier (`sub`, `company`, ...).
        what: &'static str,
        /// The value (cut to 80 characters).
        value: String,
    },
    /// A permission key is unknown, malformed or legacy.
    #[error("company `{company}`: {error}")]
    Key {
        /// The membership it was found in (boxed to keep the error under 128 bytes).
        company: Box<str>,
        /// Why the key was refused.
        error: KeyError,
    },
    /// A key of an external module (`ticketing.*`) in claims: these come only from its roles.
    #[error(
        "company `{company}`: `{key}` belongs to an external module and is never granted through claims; use a role such as `ticketing.manager`"
    )]
    ExternalKey {
        /// The membership.
        company: String,
        /// The key.
        key: String,
    },
    /// An external module in `modules` or entitlements.
    #[error(
        "company `{company}`: module `{module}` is external and is not entitled or assigned through Kisum"
    )]
    ExternalModule {
        /// The membership or entitlement.
        company: String,
        /// The module.
        module: String,
    },
    /// A module the catalog does not declare.
    #[error("company `{company}`: unknown module `{module}`")]
    UnknownModule {
        /// The membership or entitlement.
        company: String,
        /// The module.
        module: String,
    },
    /// A role the catalog does not declare.
    #[error("company `{company}`: unknown role `{role}`")]
    UnknownRole {
        /// The membership.
        company: String,
        /// The role.
        role: String,
    },
    /// The same company appears twice (in memberships, or in entitlements).
    #[error("company `{0}` is listed twice")]
    DuplicateCompany(String),
    /// A delegation policy in a catalog whose delegation comes from `change_permissions` keys.
    #[error(
        "company `{0}`: this catalog derives delegation from change_permissions keys; a delegation policy is not accepted"
    )]
    DelegationPolicyNotApplicable(String),
}

pub(crate) fn check_id(what: &'static str, value: &str) -> Result<(), ClaimsError> {
    if value.is_empty() || value.len() > MAX_ID_LEN {
        let cut: String = value.chars().take(80).collect();
        return Err(ClaimsError::BadId { what, value: cut });
    }
    Ok(())
}

pub(crate) fn check_len(what: &'static str, count: usize, max: usize) -> Result<(), ClaimsError> {
    if count > max {
        return Err(ClaimsError::TooMany { what, count, max });
    }
    Ok(())
}

/// Serde helpers that enforce the limits while parsing: an oversize token fails with a clear
/// message as soon as a list or string crosses its bound, before the rest is read or built.
pub(crate) mod bounded {
    use super::*;

    /// A string of at most [`MAX_ID_LEN`] bytes, checked before it is copied.
    pub(crate) struct Id(pub String);

    impl<'de> Deserialize<'de> for Id {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Id;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    write!(f, "a string of at most {MAX_ID_LEN} bytes")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                    if v.len() > MAX_ID_LEN {
                        return Err(E::custom(format_args!(
                            "string of {} bytes is longer than the limit of {MAX_ID_LEN}",
                            v.len()
                        )));
                    }
                    Ok(Id(v.to_string()))
                }
            }
            d.deserialize_str(V)
        }
    }

    /// A list of ids, bounded like [`ids`].
    pub(crate) struct IdList(pub Vec<String>);

    impl<'de> Deserialize<'de> for IdList {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            ids(d).map(IdList)
        }
    }

    pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Id::deserialize(d).map(|i| i.0)
    }

    /// A list of at most `MAX` elements, refused at element `MAX + 1`.
    pub(crate) fn list<'de, D, T, const MAX: usize>(d: D) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        struct V<T, const MAX: usize>(core::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for V<T, MAX> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a list of at most {MAX} items")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX));
                while let Some(item) = seq.next_element()? {
                    if out.len() == MAX {
                        return Err(de::Error::custom(format_args!(
                            "list longer than the limit of {MAX} items"
                        )));
                    }
                    out.push(item);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V::<T, MAX>(core::marker::PhantomData))
    }

    pub(crate) fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        list::<D, Id, MAX_LIST>(d).map(|v| v.into_iter().map(|i| i.0).collect())
    }

    pub(crate) fn opt_ids<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<String>>, D::Error> {
        ids(d).map(Some)
    }

    pub(crate) fn memberships<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<MembershipClaims>, D::Error> {
        list::<D, MembershipClaims, MAX_MEMBERSHIPS>(d)
    }

    pub(crate) fn permissions<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<PermissionClaim>, D::Error> {
        list::<D, PermissionClaim, MAX_GRANTS>(d)
    }
}
