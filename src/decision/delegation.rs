//! `can_grant` and `can_assign_module`: layer 5 for one proposed grant or module assignment,
//! checked against the granter's membership.

use crate::catalog::Module;
use crate::catalog::spec::DelegationRule;
use crate::layer::{
    DelegationDenial, Dim, Holding, approval_delegable, bounded, module_assignable, product_within,
};
use crate::subject::Subject;
use crate::token::Grant;

impl Subject {
    /// Whether this user may give `grant` to someone else.
    ///
    /// A grant is accepted only if its lists are within the limits claims have (at most
    /// [`MAX_LIST`](crate::MAX_LIST) business units and workflows, ids of 1 to
    /// [`MAX_ID_LEN`](crate::MAX_ID_LEN) bytes); an approval limit is given only for an approval
    /// key; the granter is a member of the grant's company; the company is entitled to the key's
    /// module and the module is delegable for the granter; the key is delegable (policies are
    /// clamped to personal access when the subject is built: listing a key you do not hold
    /// delegates nothing); the granter holds the key personally for at least the whole scope
    /// granted; for an approval key, the granter has an approval limit, the grant carries one
    /// ([`Grant::approval_limit`]; a grant without one is refused, never silently capped) and the
    /// granter's grants whose effective limit is at least that much reach the whole scope; the
    /// scope is within the delegation's scope bound; and a re-delegable grant has the key in the
    /// granter's `redelegate` list (in a catalog that derives delegation from
    /// `change_permissions` keys, re-delegation is granting such a key, never a re-delegable grant).
    ///
    /// A grantee built from accepted grants ([`SubjectBuilder::grant`](crate::SubjectBuilder::grant))
    /// therefore never reaches a scope, nor approves an amount, that the granter could not.
    ///
    /// Runs in `O((n + K) log n)` for `n` business units and workflows in the grant and `K` in
    /// the granter's grants of the key: never one check per business unit × workflow.
    ///
    /// # Errors
    ///
    /// The first rule broken, as a [`DelegationDenial`].
    ///
    /// # Example
    ///
    /// A manager holds bill view and write, but may delegate only view; and approves up to 5,000,
    /// so may let someone else approve up to that much.
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
    ///     .permission(keys::FINANCE_BILL_APPROVE)
    ///     .approval_limit(5_000)
    ///     .delegable([keys::FINANCE_BILL_VIEW, keys::FINANCE_BILL_APPROVE])
    ///     .build()?;
    /// assert_eq!(manager.can_grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW)), Ok(()));
    /// let refused = manager.can_grant(&Grant::new("acme", keys::FINANCE_BILL_EDIT)).unwrap_err();
    /// assert_eq!(refused, DelegationDenial::PermissionNotDelegable);
    /// assert_eq!(refused.layer(), kisum_access::Layer::Delegation);
    ///
    /// let approve = Grant::new("acme", keys::FINANCE_BILL_APPROVE);
    /// assert_eq!(manager.can_grant(&approve.clone().approval_limit(5_000)), Ok(()));
    /// assert_eq!(
    ///     manager.can_grant(&approve.clone().approval_limit(5_001)),
    ///     Err(DelegationDenial::ExceedsApprovalLimit { limit: 5_000 })
    /// );
    /// assert_eq!(manager.can_grant(&approve), Err(DelegationDenial::ApprovalLimitRequired));
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    #[must_use = "a refused grant must not be given"]
    pub fn can_grant(&self, grant: &Grant) -> Result<(), DelegationDenial> {
        bounded(grant)?;
        let key = grant.key();
        if !self.catalog.contains(key) {
            return Err(DelegationDenial::ForeignKey);
        }
        if grant.approval_limit_value().is_some() && !key.needs_approval() {
            return Err(DelegationDenial::ApprovalLimitNotApplicable);
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
        let (b, w) = (
            Dim::new(grant.business_unit_ids()),
            Dim::new(grant.workflow_ids()),
        );
        let holding = Holding {
            bounds: &m.bounds,
            unrestricted: m.unrestricted.contains(key.index()),
            grants: m.restricted_for(key.index() as u16),
            limit: m.approval_limit,
        };
        if !holding.reaches(&b, &w, None) {
            return Err(DelegationDenial::ExceedsPersonalAccess);
        }
        if key.needs_approval() {
            approval_delegable(&holding, grant.approval_limit_value(), &b, &w)?;
        }
        if !product_within(&b, &w, &m.delegation.bound) {
            return Err(DelegationDenial::ExceedsScopeBound);
        }
        if grant.is_redelegable() {
            if self.catalog.delegation_rule() == DelegationRule::ChangePermissions {
                return Err(DelegationDenial::RedelegationNotApplicable);
            }
            if !m.delegation.redelegate.contains(key.index()) {
                return Err(DelegationDenial::NotRedelegable);
            }
        }
        Ok(())
    }

    /// Whether this user may assign `module` to someone else in `company`.
    ///
    /// Only a module that is assigned to users at all (not an external module such as
    /// `ticketing`, nor one of a catalog without a commercial model), that the company bought
    /// (an add-on with a base it attaches to), that is assigned to this user, and that their
    /// delegation policy lists; an add-on also needs the right to buy or assign add-ons
    /// ([`Subject::may_buy_addons`]).
    ///
    /// # Errors
    ///
    /// The first rule broken, as a [`DelegationDenial`].
    ///
    /// # Example
    ///
    /// ```
    /// use kisum_access::{Catalog, DelegationClaim, DelegationDenial, Subject};
    ///
    /// let cat = Catalog::embedded();
    /// let admin = Subject::builder(cat, "admin")
    ///     .membership("acme")
    ///     .entitled(["promoter", "finance"])
    ///     .modules(["promoter", "finance"])
    ///     .delegation(DelegationClaim {
    ///         modules: vec!["promoter".into(), "finance".into()],
    ///         ..Default::default()
    ///     })
    ///     .build()?;
    /// let (promoter, finance) = (cat.module("promoter").unwrap(), cat.module("finance").unwrap());
    /// assert_eq!(admin.can_assign_module("acme", promoter), Ok(()));
    /// // finance is an add-on, and this admin may not buy or assign add-ons.
    /// assert_eq!(
    ///     admin.can_assign_module("acme", finance),
    ///     Err(DelegationDenial::AddonNotAssignable(finance))
    /// );
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    #[must_use = "a refused module assignment must not be made"]
    pub fn can_assign_module(&self, company: &str, module: Module) -> Result<(), DelegationDenial> {
        if module.catalog_id() != self.catalog.id() {
            return Err(DelegationDenial::ForeignModule);
        }
        let m = self
            .membership(company)
            .ok_or(DelegationDenial::NotMember)?;
        module_assignable(
            module,
            m.entitled,
            m.assigned,
            m.delegation.modules,
            m.delegation.buy_addons,
        )
    }
}
