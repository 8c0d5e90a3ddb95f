//! Why a token or Core's data could not become a subject.

use crate::catalog::KeyError;

use super::MAX_ID_LEN;

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
    /// A legacy module (`basic`) in `modules` or a delegation policy, without
    /// [`ClaimsOptions::translate_legacy`](crate::ClaimsOptions::translate_legacy).
    #[error("company `{company}`: legacy module `{module}` is no longer accepted; {}", module_hint(.replacement))]
    LegacyModule {
        /// The membership.
        company: String,
        /// The legacy module.
        module: String,
        /// The module that replaces it, or `None` if it was dropped.
        replacement: Option<String>,
    },
    /// A legacy key whose replacement is wider than it (gates more), under
    /// [`ClaimsOptions::translate_legacy`](crate::ClaimsOptions::translate_legacy) without
    /// [`ClaimsOptions::allow_widening`](crate::ClaimsOptions::allow_widening).
    #[error(
        "company `{company}`: legacy key `{key}` would translate to `{replacement}`, which is wider (gates more than the legacy key did); grant `{replacement}` explicitly or allow widening"
    )]
    WideningTranslation {
        /// The membership.
        company: String,
        /// The legacy key.
        key: String,
        /// Its wider replacement.
        replacement: String,
    },
    /// A role the catalog does not declare.
    #[error("company `{company}`: unknown role `{role}`")]
    UnknownRole {
        /// The membership.
        company: String,
        /// The role.
        role: String,
    },
    /// The same company appears twice in the token's memberships.
    #[error("company `{0}` is listed twice")]
    DuplicateCompany(String),
    /// Core's entitlements list a company the user is a member of twice.
    #[error("entitlements: company `{0}` is listed twice")]
    DuplicateEntitlements(String),
    /// Core's entitlements of a member company list more modules than [`MAX_LIST`](crate::MAX_LIST).
    #[error("entitlements of company `{company}`: too many modules: {count} (at most {max})")]
    TooManyEntitledModules {
        /// The company.
        company: String,
        /// How many modules were listed.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Core's entitlements name a module the catalog does not declare ([`UnknownNames::Reject`];
    /// skipped by default).
    ///
    /// [`UnknownNames::Reject`]: crate::UnknownNames::Reject
    #[error("entitlements of company `{company}`: unknown module `{module}`")]
    UnknownEntitledModule {
        /// The company.
        company: String,
        /// The module.
        module: String,
    },
    /// Core's entitlements name a legacy module (`basic`), without
    /// [`ClaimsOptions::translate_legacy`](crate::ClaimsOptions::translate_legacy).
    #[error("entitlements of company `{company}`: legacy module `{module}` is no longer accepted; {}", module_hint(.replacement))]
    LegacyEntitledModule {
        /// The company.
        company: String,
        /// The legacy module.
        module: String,
        /// The module that replaces it, or `None` if it was dropped.
        replacement: Option<String>,
    },
    /// Core's entitlements name an external module, which Kisum never entitles.
    #[error(
        "entitlements of company `{company}`: module `{module}` is external and is not entitled through Kisum"
    )]
    ExternalEntitledModule {
        /// The company.
        company: String,
        /// The module.
        module: String,
    },
    /// A grant of a key that is not an approval carries an `approval_limit`.
    #[error(
        "company `{company}`: `{key}` is not an approval key, so its grant cannot carry an approval_limit"
    )]
    ApprovalLimitNotApplicable {
        /// The membership.
        company: String,
        /// The key.
        key: String,
    },
    /// A delegation policy in a catalog whose delegation comes from `change_permissions` keys.
    #[error(
        "company `{0}`: this catalog derives delegation from change_permissions keys; a delegation policy is not accepted"
    )]
    DelegationPolicyNotApplicable(String),
    /// The token is not JSON of the claims' shape ([`Subject::from_json`]): malformed JSON, a
    /// misspelt field in a membership, a list or string over its limit while parsing. Holds
    /// serde_json's message, which names the field or value and where it is.
    ///
    /// [`Subject::from_json`]: crate::Subject::from_json
    #[error("token payload: {0}")]
    Json(String),
}

fn module_hint(replacement: &Option<String>) -> String {
    match replacement {
        Some(r) => format!("use `{r}` (or translate legacy names during the migration window)"),
        None => "it has no replacement (see the catalog's [[legacy_module]] table for why)".into(),
    }
}

/// Whose data an error is about: the token's (the client's fault: answer 401) or Core's
/// entitlements (the platform's: answer 500 and alert).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorOrigin {
    /// The token (claims from the Auth service, or a B.A.M token).
    Token,
    /// The entitlements from Core.
    Entitlements,
}

impl ClaimsError {
    /// Whose data was at fault: the token or Core's entitlements.
    ///
    /// ```
    /// use kisum_access::{Catalog, Claims, ClaimsError, ErrorOrigin, Entitlements, Subject};
    ///
    /// let claims: Claims = serde_json::from_str(r#"{"sub": "u", "memberships": [{"company": "acme"}]}"#)?;
    /// let twice = [Entitlements::new("acme", ["promoter"]), Entitlements::new("acme", ["venue"])];
    /// let err = Subject::from_claims(Catalog::embedded(), &claims, &twice).unwrap_err();
    /// assert_eq!(err.origin(), ErrorOrigin::Entitlements);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn origin(&self) -> ErrorOrigin {
        match self {
            ClaimsError::DuplicateEntitlements(_)
            | ClaimsError::TooManyEntitledModules { .. }
            | ClaimsError::UnknownEntitledModule { .. }
            | ClaimsError::LegacyEntitledModule { .. }
            | ClaimsError::ExternalEntitledModule { .. } => ErrorOrigin::Entitlements,
            _ => ErrorOrigin::Token,
        }
    }
}
