//! Fresh entitlements for a compiled subject: when a company buys or cancels a module, the
//! subject is re-derived from the membership tables it already has, without the token.

use crate::catalog::spec::DelegationRule;
use crate::token::{ClaimsError, Entitlements};

use super::compile::{Build, entitlements_of};
use super::{Subject, code, fast, index, policy};

impl Subject {
    /// The same user's access under fresh entitlements (from Core), without parsing or compiling
    /// the token again: layer 1, the precomputed tables and the delegation clamp are redone for
    /// every membership; grants, roles and restrictions are kept.
    ///
    /// A subject holds the entitlements it was built with. When a company buys a module, a
    /// subject built before stays stale until it is rebuilt: cache subjects per token *and*
    /// entitlements revision ([`Subject::entitlements_revision`]), or call this when Core says a
    /// company's entitlements changed.
    ///
    /// # Errors
    ///
    /// As [`Subject::from_claims`] for entitlements: a member company listed twice, too many
    /// modules, external modules, and unknown modules under [`UnknownNames::Reject`].
    ///
    /// [`UnknownNames::Reject`]: crate::UnknownNames::Reject
    ///
    /// ```
    /// use kisum_access::{Catalog, Entitlements, Scope, Subject, decide, keys};
    ///
    /// let s = Subject::builder(Catalog::embedded(), "u1")
    ///     .membership("acme")
    ///     .entitled(["promoter"])
    ///     .modules(["finance"])
    ///     .permission(keys::FINANCE_BILL_VIEW)
    ///     .build()?;
    /// let acme = Scope::company("acme");
    /// assert!(!decide(&s, keys::FINANCE_BILL_VIEW, &acme).is_allowed()); // finance not bought
    ///
    /// let bought = [Entitlements::new("acme", ["promoter", "finance"]).revision(8)];
    /// let fresh = s.with_entitlements(&bought)?;
    /// assert!(decide(&fresh, keys::FINANCE_BILL_VIEW, &acme).is_allowed());
    /// assert_eq!(fresh.entitlements_revision("acme"), Some(8));
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    pub fn with_entitlements(&self, entitlements: &[Entitlements]) -> Result<Subject, ClaimsError> {
        let cat = &self.catalog;
        let mut build = Build {
            catalog: cat,
            user: &self.user,
            options: self.options,
            legacy: Vec::new(),
            skipped: self.skipped.to_vec(),
            skipped_entitled: Vec::new(),
        };
        let mut memberships = self.memberships.to_vec();
        for m in &mut memberships {
            let ents = entitlements_of(entitlements, m.company.as_str())?;
            m.bought = build.bought(m.company.as_str(), ents)?;
            m.entitled = build.effective(m.bought);
            m.revision = ents.and_then(|e| e.revision);
            let table = fast::table(cat, m, &self.user);
            (m.fast, m.sparse) = (table.fast, table.sparse);
            (m.units, m.unit_index) = (table.units, table.unit_index);
            if cat.delegation_rule() == DelegationRule::Policy {
                let d = &m.delegation;
                (m.delegation.keys, m.delegation.redelegate) =
                    policy::clamp(cat, m, &d.listed, &d.listed_redelegate);
            }
        }
        Ok(Subject {
            catalog: cat.clone(),
            user: self.user.clone(),
            index: index(&memberships),
            outcomes: code::outcomes(cat),
            memberships: memberships.into(),
            // The token's translations stay; those of the entitlements are redone.
            legacy: (self.legacy.iter())
                .filter(|t| !t.from_entitlements())
                .cloned()
                .chain(build.legacy)
                .collect(),
            skipped: self.skipped.clone(),
            skipped_entitled: build.skipped_entitled.into(),
            options: self.options,
        })
    }

    /// The revision of `company`'s entitlements this subject was built with
    /// ([`Entitlements::revision`]), if Core gave one; `None` too if the user is not a member.
    pub fn entitlements_revision(&self, company: &str) -> Option<u64> {
        self.membership(company).and_then(|m| m.revision)
    }
}
