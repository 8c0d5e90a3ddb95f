//! From a token payload's JSON bytes straight to a subject: the claims are read as slices of the
//! token (no string copied, no intermediate [`Claims`]) and compiled by the same code as
//! [`Subject::from_claims_with`]. What that reader declines, serde_json parses.

use crate::catalog::Catalog;
use crate::token::{Claims, ClaimsError, ClaimsRef, Entitlements, WINDOW};

use super::compile::compile;
use super::{ClaimsOptions, Subject};

impl Subject {
    /// Compiles a token payload's JSON (the verified JWT's payload) into a subject: what
    /// `serde_json::from_slice::<Claims>` followed by [`Subject::from_claims`] does, with the same
    /// checks, limits and errors, in under a third of the time: the token's names are read in
    /// place, never copied into a [`Claims`], and the bare names of keys of a catalog of at most
    /// 256 keys are looked up as they are read. Registered claims are checked as [`Claims`]
    /// checks them, other top-level fields are ignored, memberships stay strict.
    ///
    /// # Errors
    ///
    /// [`ClaimsError::Json`] if the bytes are not a token payload as [`Claims`] reads it
    /// (serde_json's message); otherwise as [`Subject::from_claims`].
    ///
    /// # Example
    ///
    /// ```
    /// use kisum_access::{Catalog, ClaimsError, Entitlements, Scope, Subject, decide, keys};
    ///
    /// let token = br#"{"sub": "user-42", "exp": 1900000000, "memberships": [{
    ///     "company": "acme", "modules": ["finance"],
    ///     "permissions": [{"key": "finance.bill.view", "business_units": ["bu-x"]}]}]}"#;
    /// let entitlements = [Entitlements::new("acme", ["promoter", "finance"])];
    /// let subject = Subject::from_json(Catalog::embedded(), token, &entitlements)?;
    /// let bu_x = Scope::company("acme").business_unit("bu-x");
    /// assert!(decide(&subject, keys::FINANCE_BILL_VIEW, &bu_x).is_allowed());
    ///
    /// // A misspelt restriction is an error naming it, as with `Claims`.
    /// let typo = br#"{"sub": "u", "memberships": [{"company": "acme",
    ///     "permissions": [{"key": "finance.bill.view", "buisness_units": ["bu-x"]}]}]}"#;
    /// let err = Subject::from_json(Catalog::embedded(), typo, &entitlements).unwrap_err();
    /// assert!(matches!(&err, ClaimsError::Json(m) if m.contains("buisness_units")));
    /// # Ok::<(), ClaimsError>(())
    /// ```
    pub fn from_json(
        catalog: &Catalog,
        token: &[u8],
        entitlements: &[Entitlements],
    ) -> Result<Subject, ClaimsError> {
        Self::from_json_with(catalog, token, entitlements, ClaimsOptions::default())
    }

    /// As [`Subject::from_json`], with options (legacy translation for the migration window).
    ///
    /// # Errors
    ///
    /// As [`Subject::from_json`].
    pub fn from_json_with(
        catalog: &Catalog,
        token: &[u8],
        entitlements: &[Entitlements],
        options: ClaimsOptions,
    ) -> Result<Subject, ClaimsError> {
        match fast(catalog, token, entitlements, options) {
            Some(Ok(subject)) => Ok(subject),
            // Errors, and what the reader declines, take the reference path: its errors are the
            // ones `Claims` and `from_claims` give, in the same order.
            _ => reference(catalog, token, entitlements, options),
        }
    }
}

/// The borrowed path: `None` if the reader declines the token.
pub(super) fn fast(
    catalog: &Catalog,
    token: &[u8],
    entitlements: &[Entitlements],
    options: ClaimsOptions,
) -> Option<Result<Subject, ClaimsError>> {
    // The grants of a small catalog's keys are resolved as they are read, in its name table:
    // such a name cannot fail to compile, whatever the options (an external key can: the table
    // does not list it, it stays listed).
    let names = catalog.names();
    // The table moved into the closure, the closure copied into the loop: its fields stay in
    // registers across names.
    let claims = ClaimsRef::read_resolving(token, move |window: &[u8; WINDOW], len| {
        names.as_ref()?.find(window, len)
    })?;
    Some(compile(
        catalog,
        claims.sub,
        &claims.memberships,
        entitlements,
        options,
    ))
}

/// serde_json into [`Claims`], then [`Subject::from_claims_with`].
#[cold]
pub(super) fn reference(
    catalog: &Catalog,
    token: &[u8],
    entitlements: &[Entitlements],
    options: ClaimsOptions,
) -> Result<Subject, ClaimsError> {
    let claims: Claims =
        serde_json::from_slice(token).map_err(|e| ClaimsError::Json(e.to_string()))?;
    Subject::from_claims_with(catalog, &claims, entitlements, options)
}

#[cfg(test)]
mod tests;
