//! B.A.M Ticketing tokens: `{"sub": .., "permissions": {ORG: {"org_level": [..],
//! "owner": [..]}}}`, compiled against `catalogs/bam.toml` into a [`Subject`], and built from the
//! catalog's role templates.
//!
//! An organization is a membership. `org_level` keys reach every resource of the organization and
//! supersede `owner` keys, which reach only resources whose owner is the token's subject. The
//! commercial layers (1–2) do not apply to this catalog, and delegation follows the
//! `change_permissions` keys the user holds (see [`Subject::can_grant`](crate::Subject::can_grant)).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, Role};

use super::{ClaimsError, RegisteredClaims};

/// A B.A.M Ticketing token: `{"sub": .., "permissions": {ORG: {"org_level": [..], "owner": [..]}}}`.
///
/// The bracketed form — a list of single-entry maps, `[{ORG: [{LEVEL: [..]}]}]` — is accepted too.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BamToken {
    /// The user id.
    pub sub: String,
    /// Per organization, the keys granted at each level.
    pub permissions: BTreeMap<String, BamLevels>,
    /// The JWT's registered claims (`iss`, `aud`, `exp`, `nbf`, `iat`, `jti`).
    #[serde(flatten)]
    pub registered: RegisteredClaims,
}

/// The keys one organization grants, by level.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BamLevels {
    /// Keys for all resources of the organization (supersede `owner`).
    pub org_level: Vec<String>,
    /// Keys for the resources the user created.
    pub owner: Vec<String>,
}

impl BamLevels {
    /// The levels a role template grants: its organization-wide keys at `org_level`, its
    /// own-only keys at `owner`.
    ///
    /// ```
    /// use kisum_access::{BamLevels, Catalog};
    ///
    /// let bam = Catalog::from_toml_str(include_str!("../../catalogs/bam.toml"))?;
    /// let sales = BamLevels::from_role(&bam.role("OnSiteSales").expect("a B.A.M role"));
    /// assert_eq!(sales.org_level, ["payment.order.confirm"]);
    /// assert_eq!(sales.owner, ["account.user.update", "account.user.view"]);
    /// # Ok::<(), kisum_access::CatalogError>(())
    /// ```
    pub fn from_role(role: &Role<'_>) -> BamLevels {
        let catalog = role.catalog();
        BamLevels {
            org_level: role.grants().map(|k| catalog.name(k).to_owned()).collect(),
            owner: role
                .own_only()
                .map(|k| catalog.name(k).to_owned())
                .collect(),
        }
    }

    /// Adds the keys of `other` that are not already listed at the same level.
    fn merge(&mut self, other: BamLevels) {
        for key in other.org_level {
            if !self.org_level.contains(&key) {
                self.org_level.push(key);
            }
        }
        for key in other.owner {
            if !self.owner.contains(&key) {
                self.owner.push(key);
            }
        }
    }
}

impl BamToken {
    /// A token giving `sub` the listed `(organization, role)` pairs, expanded through the
    /// catalog's role templates; two roles in one organization are merged. The `Custom`
    /// role has no template: a custom token lists its keys directly.
    ///
    /// # Errors
    ///
    /// [`ClaimsError::UnknownRole`] for a role the catalog does not declare,
    /// [`ClaimsError::BadId`] for an empty or oversize subject or organization,
    /// [`ClaimsError::TooMany`] for more than [`MAX_MEMBERSHIPS`](crate::MAX_MEMBERSHIPS) organizations.
    ///
    /// ```
    /// use kisum_access::{BamToken, Catalog, Scope, Subject, decide};
    ///
    /// let bam = Catalog::from_toml_str(include_str!("../../catalogs/bam.toml"))?;
    /// let token = BamToken::from_roles(&bam, "u1", [("ACME", "HostManager")])?;
    /// let subject = Subject::from_bam_token(&bam, &token)?;
    /// let acme = Scope::company("ACME");
    /// assert!(decide(&subject, bam.key("bc.event.create")?, &acme).is_allowed());
    /// assert!(!decide(&subject, bam.key("payment.order.confirm")?, &acme).is_allowed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_roles<'a>(
        catalog: &Catalog,
        sub: impl Into<String>,
        roles: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<BamToken, ClaimsError> {
        let sub = sub.into();
        super::check_id("sub", &sub)?;
        let mut permissions: BTreeMap<String, BamLevels> = BTreeMap::new();
        for (org, name) in roles {
            super::check_id("organization", org)?;
            let role = catalog.role(name).ok_or_else(|| ClaimsError::UnknownRole {
                company: org.to_owned(),
                role: name.to_owned(),
            })?;
            permissions
                .entry(org.to_owned())
                .or_default()
                .merge(BamLevels::from_role(&role));
            super::check_len("organizations", permissions.len(), super::MAX_MEMBERSHIPS)?;
        }
        Ok(BamToken {
            sub,
            permissions,
            registered: RegisteredClaims::default(),
        })
    }
}
