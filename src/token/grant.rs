//! A grant one user proposes to give another.

use crate::catalog::Key;

/// A grant one user proposes to give another: a key in a company, optionally restricted, and for
/// an approval key, with the most it approves.
///
/// ```
/// use kisum_access::{Grant, keys};
///
/// let g = Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x"]).redelegable();
/// assert_eq!(g.business_unit_ids(), Some(&["bu-x".to_string()][..]));
/// assert!(g.is_redelegable());
/// let approve = Grant::new("acme", keys::FINANCE_BILL_APPROVE).approval_limit(1_000);
/// assert_eq!(approve.approval_limit_value(), Some(1_000));
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
    approval_limit: Option<u64>,
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
            approval_limit: None,
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

    /// For an approval key: the most the grantee may approve through this grant. Their effective
    /// limit is the smaller of this and their membership's `approval_limit`. A grant of an
    /// approval key needs one to be accepted by
    /// [`Subject::can_grant`](crate::Subject::can_grant), at most what the granter may approve.
    pub fn approval_limit(mut self, limit: u64) -> Grant {
        self.approval_limit = Some(limit);
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

    /// The grant's own approval limit, if any.
    pub fn approval_limit_value(&self) -> Option<u64> {
        self.approval_limit
    }
}
