//! Layer 5: what a user may grant to someone else — never more than they hold.

use crate::decide::Layer;
use crate::key::{Key, Module};
use crate::subject::{Allowed, Membership, Subject, admits};

/// A grant one user proposes to give another: a key in a company, optionally restricted.
///
/// ```
/// use kisum_access::{Grant, keys};
///
/// let g = Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x"]).redelegable();
/// assert_eq!(g.business_unit_ids(), Some(&["bu-x".to_string()][..]));
/// assert!(g.is_redelegable());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[must_use]
pub struct Grant {
    company: String,
    key: Key,
    business_units: Option<Vec<String>>,
    workflows: Option<Vec<String>>,
    own_only: bool,
    redelegable: bool,
}

impl Grant {
    /// An unrestricted grant of `key` in `company`.
    pub fn new(company: impl Into<String>, key: Key) -> Grant {
        Grant {
            company: company.into(),
            key,
            business_units: None,
            workflows: None,
            own_only: false,
            redelegable: false,
        }
    }

    /// Restricts the grant to these business units.
    pub fn business_units<S: Into<String>>(mut self, units: impl IntoIterator<Item = S>) -> Grant {
        self.business_units = Some(units.into_iter().map(Into::into).collect());
        self
    }

    /// Restricts the grant to these workflows.
    pub fn workflows<S: Into<String>>(mut self, workflows: impl IntoIterator<Item = S>) -> Grant {
        self.workflows = Some(workflows.into_iter().map(Into::into).collect());
        self
    }

    /// Restricts the grant to the grantee's own resources.
    pub fn own_only(mut self) -> Grant {
        self.own_only = true;
        self
    }

    /// Lets the grantee grant it on (SQL's GRANT OPTION).
    pub fn redelegable(mut self) -> Grant {
        self.redelegable = true;
        self
    }

    /// The company.
    pub fn company(&self) -> &str {
        &self.company
    }

    /// The key.
    pub fn key(&self) -> Key {
        self.key
    }

    /// The business units it is restricted to, if any.
    pub fn business_unit_ids(&self) -> Option<&[String]> {
        self.business_units.as_deref()
    }

    /// The workflows it is restricted to, if any.
    pub fn workflow_ids(&self) -> Option<&[String]> {
        self.workflows.as_deref()
    }

    /// Whether it is restricted to the grantee's own resources.
    pub fn is_own_only(&self) -> bool {
        self.own_only
    }

    /// Whether the grantee may grant it on.
    pub fn is_redelegable(&self) -> bool {
        self.redelegable
    }
}

/// Why [`Subject::can_grant`] refused a grant; each names the rule it broke (blueprint §6–7).
///
/// This enum is `#[non_exhaustive]`: new rules may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum DelegationDenial {
    /// The granter is not a member of the grant's company.
    #[error("the granter is not a member of the grant's company")]
    NotMember,
    /// The key belongs to another catalog than the granter's.
    #[error("the key belongs to another catalog than the granter's")]
    ForeignKey,
    /// Layer 1: the company has not bought (a usable) key's module.
    #[error("the company is not entitled to the key's module (layer 1)")]
    NotEntitled(Module),
    /// The key's module is not among the granter's delegable modules.
    #[error("the granter may not grant keys of this module")]
    ModuleNotDelegable(Module),
    /// The key is not delegable for the granter (not listed, or not held personally).
    #[error(
        "the granter may not grant this key: not in their delegation policy, or not held personally"
    )]
    PermissionNotDelegable,
    /// The granter does not personally hold the key for the whole scope granted.
    #[error(
        "delegation never exceeds personal access: the granter does not hold the key for the whole scope granted"
    )]
    ExceedsPersonalAccess,
    /// The grant's scope is wider than the granter's delegation scope bound.
    #[error("the grant's scope is wider than the granter's delegation scope bound")]
    ExceedsScopeBound,
    /// A re-delegable grant without the right to re-delegate the key (no GRANT OPTION).
    #[error("the granter may not grant this key re-delegable (no grant option)")]
    NotRedelegable,
}

impl DelegationDenial {
    /// The layer whose rule was broken: membership, commercial eligibility (the company must be
    /// entitled to what is granted), permission (a key of another catalog), or delegation itself.
    pub const fn layer(self) -> Layer {
        match self {
            DelegationDenial::NotMember => Layer::Membership,
            DelegationDenial::NotEntitled(_) => Layer::Commercial,
            DelegationDenial::ForeignKey => Layer::Permission,
            DelegationDenial::ModuleNotDelegable(_)
            | DelegationDenial::PermissionNotDelegable
            | DelegationDenial::ExceedsPersonalAccess
            | DelegationDenial::ExceedsScopeBound
            | DelegationDenial::NotRedelegable => Layer::Delegation,
        }
    }
}

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
    /// Blueprint §9.3: a manager holds bill view and write, but may delegate only view.
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
        if !points(grant).all(|(b, w)| personally_reaches(m, key, b, w)) {
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

/// Whether `allowed` covers a point's value on one dimension (`None` = the whole dimension).
fn covers(allowed: &Allowed, value: Option<&str>) -> bool {
    match value {
        None => allowed.is_none(),
        Some(_) => admits(allowed, value.into()),
    }
}

/// Whether the granter reaches a point through grants that are not own-only (own-only grants
/// reach the granter's resources, never the grantee's), within the membership-wide restriction.
fn personally_reaches(m: &Membership, key: Key, b: Option<&str>, w: Option<&str>) -> bool {
    if !(covers(&m.bounds.business_units, b) && covers(&m.bounds.workflows, w)) {
        return false;
    }
    m.unrestricted.contains(key.index())
        || m.restricted_for(key.index() as u16).iter().any(|g| {
            !g.own_only && covers(&g.bounds.business_units, b) && covers(&g.bounds.workflows, w)
        })
}
