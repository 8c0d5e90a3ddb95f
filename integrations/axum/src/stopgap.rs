//! Stand-ins for core-crate API that is on its way (registered JWT claims on `Claims`,
//! `ClaimsError::origin`, `Denial::code`, `Layer::code`, `Subject::check`). Each function here is
//! replaced by its core counterpart when it lands; nothing else in the crate knows how they work.

use kisum_access::{
    Catalog, Claims, ClaimsOptions, Decision, Denial, Entitlements, Key, Layer, Scope, Subject,
    decide,
};
use serde_json::{Map, Value};

/// The registered claims (RFC 7519) that are not permissions; `sub` stays (it is the user id).
const REGISTERED: [&str; 6] = ["iss", "aud", "exp", "nbf", "iat", "jti"];

/// Splits a verified payload into the Kisum claims and the expiry (seconds since the epoch).
/// Replaced by `Claims` accepting registered claims and `claims.expires_at()`.
pub(crate) fn claims_and_expiry(mut payload: Map<String, Value>) -> Result<(Claims, u64), String> {
    let exp = payload.get("exp").and_then(Value::as_u64);
    for name in REGISTERED {
        payload.remove(name);
    }
    let claims =
        serde_json::from_value::<Claims>(Value::Object(payload)).map_err(|e| e.to_string())?;
    let exp = exp.ok_or_else(|| "`exp` is not a whole number of seconds".to_string())?;
    Ok((claims, exp))
}

/// Whether a [`Subject::from_claims_with`] error is the entitlements' fault rather than the
/// token's: the claims alone compile. Replaced by `error.origin()`.
pub(crate) fn entitlements_at_fault(
    catalog: &Catalog,
    claims: &Claims,
    options: ClaimsOptions,
) -> bool {
    let none: [Entitlements; 0] = [];
    Subject::from_claims_with(catalog, claims, &none, options).is_ok()
}

/// Layers 1–3 (and membership) for `company`, without a scope. Replaced by `subject.check`.
#[inline]
pub(crate) fn check(subject: &Subject, key: Key, company: &str) -> Result<(), Denial> {
    // `decide` walks the layers in order: a denial at layer 4 means layers 1–3 allowed.
    match decide(subject, key, &Scope::company(company)) {
        Decision::Allow => Ok(()),
        Decision::Deny(d) if d.layer() == Layer::Scope => Ok(()),
        Decision::Deny(d) => Err(d),
    }
}

/// A denial's stable code. Replaced by `denial.code()`.
pub(crate) const fn denial_code(d: Denial) -> &'static str {
    match d {
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
        _ => "denied",
    }
}

/// A layer's stable code. Replaced by `layer.code()`.
pub(crate) const fn layer_code(l: Layer) -> &'static str {
    match l {
        Layer::Membership => "membership",
        Layer::Commercial => "commercial",
        Layer::Module => "module",
        Layer::Permission => "permission",
        Layer::Scope => "scope",
        Layer::Delegation => "delegation",
    }
}

/// Builds a subject, telling a token fault from an entitlements fault (`true`); the error's text
/// names the offending value. Replaced by `Subject::from_claims_with` and `error.origin()`.
pub(crate) fn subject(
    catalog: &Catalog,
    claims: &Claims,
    entitlements: &[Entitlements],
    options: ClaimsOptions,
) -> Result<Subject, (String, bool)> {
    Subject::from_claims_with(catalog, claims, entitlements, options).map_err(|e| {
        (
            e.to_string(),
            entitlements_at_fault(catalog, claims, options),
        )
    })
}
