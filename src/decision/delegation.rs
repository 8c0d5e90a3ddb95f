//! `can_grant`: layer 5 for one proposed grant, checked against the granter's membership.

use crate::layer::{DelegationDenial, covers, personally_reaches};
use crate::subject::Subject;
use crate::token::Grant;

impl Subject {
    /// Whether this user may give `grant` to someone else.
    ///
    /// A grant is accepted only if the granter is a member of the grant's company; the company is
    /// entitled to the key's module and the module is delegable for the granter; the key is
    /// delegable (policies are clamped to personal access when the subject is built: listing a key
    /// you do not hold delegates nothing); the granter holds the key personally for at least the
    /// whole scope granted; the scope is within the delegation's scope bound; and a re-delegable
    /// grant has the key in the granter's `redelegate` list.
    ///
    /// # Errors
    ///
    /// The first rule broken, as a [`DelegationDenial`].
    ///
    /// # Example
    ///
    /// A manager holds bill view and write, but may delegate only view.
    ///
    /// ```
    /// use kisum_access::{Catalog, DelegationDenial, Grant, Subject, keys};
    ///
    /// let manager = Subject::builder(Catalog::embedded(), "manager")
    ///     .membership("acme")
    ///     .entitled(["promoter", "finance"])
    ///     .modules(["finance"])
    ///     .permission(keys::FINANCE_BILL_VIEW)
    ///     .permission(keys::FINANCE_BILL_EDIT)
    ///     .delegable([keys::FINANCE_BILL_VIEW])
    ///     .build()?;
    /// assert_eq!(manager.can_grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW)), Ok(()));
    /// let refused = manager.can_grant(&Grant::new("acme", keys::FINANCE_BILL_EDIT)).unwrap_err();
    /// assert_eq!(refused, DelegationDenial::PermissionNotDelegable);
    /// assert_eq!(refused.layer(), kisum_access::Layer::Delegation);
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    #[must_use = "a refused grant must not be given"]
    pub fn can_grant(&self, grant: &Grant) -> Result<(), DelegationDenial> {
        let key = grant.key();
        if !self.catalog.contains(key) {
            return Err(DelegationDenial::ForeignKey);
        }
        let m = self
            .membership(grant.company())
            .ok_or(DelegationDenial::NotMember)?;
        let module = key.module();
        if key.commercial_layers_apply() && m.entitled & module.bit() == 0 {
            return Err(DelegationDenial::NotEntitled(module));
        }
        if m.delegation.modules & module.bit() == 0 {
            return Err(DelegationDenial::ModuleNotDelegable(module));
        }
        if !m.delegation.keys.contains(key.index()) {
            return Err(DelegationDenial::PermissionNotDelegable);
        }
        let grants = m.restricted_for(key.index() as u16);
        let unrestricted = m.unrestricted.contains(key.index());
        if !points(grant).all(|(b, w)| personally_reaches(&m.bounds, unrestricted, grants, b, w)) {
            return Err(DelegationDenial::ExceedsPersonalAccess);
        }
        let bound = &m.delegation.bound;
        if !points(grant)
            .all(|(b, w)| covers(&bound.business_units, b) && covers(&bound.workflows, w))
        {
            return Err(DelegationDenial::ExceedsScopeBound);
        }
        if grant.is_redelegable() && !m.delegation.redelegate.contains(key.index()) {
            return Err(DelegationDenial::NotRedelegable);
        }
        Ok(())
    }
}

/// The points of a grant's scope: each listed business unit × each listed workflow, with `None`
/// standing for "any value, or none" on an unrestricted dimension. A restriction covers `None`
/// only if it is itself unrestricted on that dimension.
fn points(grant: &Grant) -> impl Iterator<Item = (Option<&str>, Option<&str>)> + '_ {
    let units: Vec<Option<&str>> = match grant.business_unit_ids() {
        Some(list) => list.iter().map(|s| Some(s.as_str())).collect(),
        None => vec![None],
    };
    let flows: Vec<Option<&str>> = match grant.workflow_ids() {
        Some(list) => list.iter().map(|s| Some(s.as_str())).collect(),
        None => vec![None],
    };
    units
        .into_iter()
        .flat_map(move |b| flows.clone().into_iter().map(move |w| (b, w)))
}
