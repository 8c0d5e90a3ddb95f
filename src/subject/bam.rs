//! Subjects from B.A.M Ticketing tokens: each organization a membership.

use crate::catalog::Catalog;
use crate::token::{
    self, BamToken, Claims, ClaimsError, MembershipClaims, PermissionClaim, RestrictedPermission,
};

use super::{ClaimsOptions, Subject};

impl Subject {
    /// Compiles a B.A.M Ticketing token against the B.A.M catalog (`catalogs/bam.toml`).
    ///
    /// Each organization is a membership; `org_level` keys are unrestricted grants and supersede
    /// `owner` keys, which reach only resources whose owner is the token's subject. The commercial
    /// layers do not apply to that catalog. Delegation follows the held `change_permissions` keys.
    ///
    /// # Errors
    ///
    /// As [`Subject::from_claims`]: unknown or malformed keys, too many organizations, bad ids.
    pub fn from_bam_token(catalog: &Catalog, token: &BamToken) -> Result<Subject, ClaimsError> {
        Self::from_bam_token_with(catalog, token, ClaimsOptions::default())
    }

    /// As [`Subject::from_bam_token`], with options (e.g. [`UnknownNames::Reject`](crate::UnknownNames::Reject)).
    ///
    /// # Errors
    ///
    /// As [`Subject::from_bam_token`].
    pub fn from_bam_token_with(
        catalog: &Catalog,
        token: &BamToken,
        options: ClaimsOptions,
    ) -> Result<Subject, ClaimsError> {
        token::check_len(
            "organizations",
            token.permissions.len(),
            token::MAX_MEMBERSHIPS,
        )?;
        let memberships = token
            .permissions
            .iter()
            .map(|(org, levels)| {
                let own = levels.owner.iter().map(|k| {
                    PermissionClaim::Restricted(RestrictedPermission {
                        key: k.clone(),
                        own_only: true,
                        ..Default::default()
                    })
                });
                let org_level = levels.org_level.iter().cloned().map(PermissionClaim::Key);
                MembershipClaims {
                    company: org.clone(),
                    permissions: org_level.chain(own).collect(),
                    ..Default::default()
                }
            })
            .collect();
        let claims = Claims {
            sub: token.sub.clone(),
            memberships,
            registered: token.registered.clone(),
        };
        Self::from_claims_with(catalog, &claims, &[], options)
    }
}
