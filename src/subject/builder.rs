//! Subjects built in code (tests, service accounts, tools), through the same checks as claims.

use crate::catalog::{Catalog, Key};
use crate::token::{
    Claims, ClaimsError, DelegationClaim, Entitlements, Grant, MembershipClaims, PermissionClaim,
    RestrictedPermission, ScopeClaim,
};

use super::{ClaimsOptions, Subject};

impl Subject {
    /// Starts building a subject in code (tests, service accounts, tools); the result goes
    /// through the same validation as claims.
    ///
    /// ```
    /// use kisum_access::{Catalog, Grant, Scope, Subject, decide, keys};
    ///
    /// let subject = Subject::builder(Catalog::embedded(), "user-7")
    ///     .membership("acme")
    ///     .entitled(["promoter", "finance"])
    ///     .modules(["finance"])
    ///     .permission(keys::FINANCE_BILL_VIEW)
    ///     .grant(&Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-x"]))
    ///     .build()?;
    /// let bu_y = Scope::company("acme").business_unit("bu-y");
    /// assert!(decide(&subject, keys::FINANCE_BILL_VIEW, &bu_y).is_allowed());
    /// assert!(!decide(&subject, keys::FINANCE_BILL_EDIT, &bu_y).is_allowed());
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    pub fn builder(catalog: &Catalog, user_id: impl Into<String>) -> SubjectBuilder<'_> {
        SubjectBuilder {
            catalog,
            claims: Claims {
                sub: user_id.into(),
                memberships: Vec::new(),
                registered: Default::default(),
            },
            entitlements: Vec::new(),
            options: ClaimsOptions::default(),
        }
    }
}

/// Builds a [`Subject`] in code; see [`Subject::builder`]. Calls after [`SubjectBuilder::membership`]
/// apply to that membership.
#[derive(Debug, Clone)]
#[must_use]
pub struct SubjectBuilder<'c> {
    catalog: &'c Catalog,
    claims: Claims,
    entitlements: Vec<Entitlements>,
    options: ClaimsOptions,
}

impl SubjectBuilder<'_> {
    fn current(&mut self) -> &mut MembershipClaims {
        if self.claims.memberships.is_empty() {
            self.claims.memberships.push(MembershipClaims::default());
        }
        let last = self.claims.memberships.len() - 1;
        &mut self.claims.memberships[last]
    }

    fn names(&self, keys: impl IntoIterator<Item = Key>) -> Vec<String> {
        keys.into_iter()
            .map(|k| self.catalog.name(k).to_string())
            .collect()
    }

    /// Starts a membership of `company`.
    pub fn membership(mut self, company: impl Into<String>) -> Self {
        self.claims.memberships.push(MembershipClaims {
            company: company.into(),
            ..Default::default()
        });
        self
    }

    /// The current company bought these modules (layer 1).
    pub fn entitled<S: Into<String>>(mut self, modules: impl IntoIterator<Item = S>) -> Self {
        let company = self.current().company.clone();
        let modules = modules.into_iter().map(Into::into);
        match self.entitlements.iter_mut().find(|e| e.company == company) {
            Some(e) => e.modules.extend(modules),
            None => self.entitlements.push(Entitlements::new(company, modules)),
        }
        self
    }

    /// These modules are assigned to the user (layer 2).
    pub fn modules<S: Into<String>>(mut self, modules: impl IntoIterator<Item = S>) -> Self {
        self.current()
            .modules
            .extend(modules.into_iter().map(Into::into));
        self
    }

    /// Grants a role template.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.current().roles.push(role.into());
        self
    }

    /// Grants a key without restriction.
    pub fn permission(mut self, key: Key) -> Self {
        let name = self.catalog.name(key).to_string();
        self.current().permissions.push(PermissionClaim::Key(name));
        self
    }

    /// Adds a grant (to the membership of the grant's company, started if needed) — e.g. one
    /// accepted by [`Subject::can_grant`], with its restrictions and its approval limit. A
    /// re-delegable grant also gives the right to grant the key on (GRANT OPTION), still clamped
    /// to what the grantee holds; in a catalog that derives delegation from `change_permissions`
    /// keys, building then fails ([`ClaimsError::DelegationPolicyNotApplicable`]), as
    /// [`Subject::can_grant`] refuses such a grant.
    pub fn grant(mut self, grant: &Grant) -> Self {
        let name = self.catalog.name(grant.key()).to_string();
        let module = self.catalog.module_name(grant.key().module()).to_string();
        let index = match self
            .claims
            .memberships
            .iter()
            .rposition(|m| m.company == grant.company())
        {
            Some(i) => i,
            None => {
                self = self.membership(grant.company());
                self.claims.memberships.len() - 1
            }
        };
        let m = &mut self.claims.memberships[index];
        m.permissions
            .push(PermissionClaim::Restricted(RestrictedPermission {
                key: name.clone(),
                business_units: grant.business_unit_ids().map(<[String]>::to_vec),
                workflows: grant.workflow_ids().map(<[String]>::to_vec),
                own_only: grant.is_own_only(),
                approval_limit: grant.approval_limit_value(),
            }));
        if grant.is_redelegable() {
            let d = m.delegation.get_or_insert_with(DelegationClaim::default);
            d.modules.push(module);
            d.permissions.push(name.clone());
            d.redelegate.push(name);
        }
        self
    }

    /// Restricts the whole membership to these business units.
    pub fn business_units<S: Into<String>>(mut self, units: impl IntoIterator<Item = S>) -> Self {
        let scope = self.current().scope.get_or_insert_with(ScopeClaim::default);
        scope.business_units = Some(units.into_iter().map(Into::into).collect());
        self
    }

    /// Restricts the whole membership to these workflows.
    pub fn workflows<S: Into<String>>(mut self, workflows: impl IntoIterator<Item = S>) -> Self {
        let scope = self.current().scope.get_or_insert_with(ScopeClaim::default);
        scope.workflows = Some(workflows.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the membership's approval limit.
    pub fn approval_limit(mut self, limit: u64) -> Self {
        self.current().approval_limit = Some(limit);
        self
    }

    /// Sets the membership's delegation policy.
    pub fn delegation(mut self, policy: DelegationClaim) -> Self {
        self.current().delegation = Some(policy);
        self
    }

    /// Keys the user may grant (shorthand for a delegation policy with these keys and their modules).
    pub fn delegable(mut self, keys: impl IntoIterator<Item = Key>) -> Self {
        let keys: Vec<Key> = keys.into_iter().collect();
        let names = self.names(keys.iter().copied());
        let modules: Vec<String> = keys
            .iter()
            .map(|k| self.catalog.module_name(k.module()).to_string())
            .collect();
        let d = self
            .current()
            .delegation
            .get_or_insert_with(DelegationClaim::default);
        d.permissions.extend(names);
        d.modules.extend(modules);
        self
    }

    /// Uses these options (e.g. legacy translation).
    pub fn options(mut self, options: ClaimsOptions) -> Self {
        self.options = options;
        self
    }

    /// Validates and compiles the subject.
    ///
    /// # Errors
    ///
    /// As [`Subject::from_claims`].
    pub fn build(self) -> Result<Subject, ClaimsError> {
        Subject::from_claims_with(self.catalog, &self.claims, &self.entitlements, self.options)
    }

    /// The claims built so far (e.g. to serialize a test token).
    pub fn claims(&self) -> &Claims {
        &self.claims
    }
}
