//! Kisum claims: the token contract with the Auth service.
//!
//! Everything inside a membership rejects unknown fields: a misspelt restriction (`buisness_units`)
//! is an error, never a grant that silently lost its restriction. At the top level, the JWT's
//! registered claims are read and other fields are ignored.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::bounded;
use super::registered::{self, Field, RegisteredClaims};

/// The claims of one user, as the Auth service issues them.
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// One entry per company the user belongs to. Required in a token, so that a misspelt
    /// `memberships` is an error rather than a user with none.
    pub memberships: Vec<MembershipClaims>,
    /// The JWT's registered claims (`iss`, `aud`, `exp`, `nbf`, `iat`, `jti`).
    #[serde(flatten)]
    pub registered: RegisteredClaims,
}

impl Claims {
    /// `exp`: when the token expires, in seconds since the Unix epoch.
    pub fn expires_at(&self) -> Option<u64> {
        self.registered.expires_at()
    }

    /// `iat`: when the token was issued, in seconds since the Unix epoch.
    pub fn issued_at(&self) -> Option<u64> {
        self.registered.issued_at()
    }

    /// `jti`: the token's unique id.
    pub fn token_id(&self) -> Option<&str> {
        self.registered.token_id()
    }
}

// Hand-written: registered claims are read, other top-level fields are skipped (they can never
// widen access), `sub` and `memberships` are required, and every membership stays strict.
impl<'de> Deserialize<'de> for Claims {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Claims;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a token payload {\"sub\": ..., \"memberships\": [...]}")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Claims, A::Error> {
                let (sub, memberships, registered) = registered::payload::<A, bounded::Memberships>(
                    map,
                    Field::Memberships,
                    "memberships",
                )?;
                Ok(Claims {
                    sub,
                    memberships: memberships.0,
                    registered,
                })
            }
        }
        d.deserialize_map(V)
    }
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
    /// For an approval key only: the most this grant approves. Its effective limit is the smaller
    /// of this and the membership's `approval_limit` (which is still required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_limit: Option<u64>,
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

/// A membership's delegation policy (layer 5). Clamped to personal access when the
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
