//! The algebra of [`ScopeFilter`]: normal form, and evaluation on one scope.
//!
//! A filter is `All`, `None`, or a union of [`Reach`]es; a reach is an intersection of at most
//! four constraints (business unit in a set, workflow in a set, owner is the user, amount at or
//! under a limit). A constraint is met only by a resource that has the attribute: a missing value
//! (a scope without it, a SQL `NULL`) never matches a constraint, whatever it lists (fail closed).

use super::filter::{Reach, ScopeFilter};
use crate::layer::Denial;
use crate::scope::Scope;

impl<'s> ScopeFilter<'s> {
    /// The normal form of the union of `reaches` inside `company`: reaches that reach nothing
    /// (an empty list) and reaches inside another are dropped, lists are sorted and deduplicated;
    /// no reach left is [`ScopeFilter::None`] (out of scope), and a single unconstrained reach is
    /// [`ScopeFilter::All`].
    pub(crate) fn union(company: &'s str, mut reaches: Vec<Reach<'s>>) -> ScopeFilter<'s> {
        for r in &mut reaches {
            for list in [&mut r.business_units, &mut r.workflows]
                .into_iter()
                .flatten()
            {
                list.sort_unstable();
                list.dedup();
            }
        }
        reaches.retain(|r| !r.is_empty());
        // Keep a reach unless another one contains it; of two equal reaches, the first.
        let keep: Vec<bool> = (0..reaches.len())
            .map(|i| {
                !reaches.iter().enumerate().any(|(j, other)| {
                    j != i
                        && reaches[i].is_within(other)
                        && (j < i || !other.is_within(&reaches[i]))
                })
            })
            .collect();
        let mut keep = keep.into_iter();
        reaches.retain(|_| keep.next().unwrap_or(false));
        match reaches.as_slice() {
            [] => ScopeFilter::None(Denial::OutOfScope),
            [only] if only.is_unconstrained() => ScopeFilter::All { company },
            _ => ScopeFilter::Restricted { company, reaches },
        }
    }

    /// Whether the filter admits `scope`: the scope is in the filter's company and, for a
    /// restricted filter, inside at least one reach. Allocates nothing.
    ///
    /// For a filter from [`Subject::filter`](crate::Subject::filter)`(key, company)`, this is
    /// exactly whether [`decide`](crate::decide)`(subject, key, scope)` allows, for every scope of
    /// `company`; a scope of another company is never admitted.
    ///
    /// ```
    /// use kisum_access::{Catalog, Grant, Scope, Subject, keys};
    ///
    /// let s = Subject::builder(Catalog::embedded(), "u1")
    ///     .membership("acme")
    ///     .entitled(["promoter", "finance"])
    ///     .modules(["finance"])
    ///     .grant(&Grant::new("acme", keys::FINANCE_BILL_APPROVE).business_units(["bu-x"]))
    ///     .approval_limit(5_000)
    ///     .build()?;
    /// let filter = s.filter(keys::FINANCE_BILL_APPROVE, "acme");
    /// let bu_x = Scope::company("acme").business_unit("bu-x");
    /// assert!(filter.admits(&bu_x.amount(5_000)));
    /// assert!(!filter.admits(&bu_x.amount(5_001)));
    /// assert!(!filter.admits(&bu_x)); // no amount: fail closed
    /// assert!(!filter.admits(&Scope::company("acme").amount(10)));
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    pub fn admits(&self, scope: &Scope<'_>) -> bool {
        match self {
            ScopeFilter::All { company } => scope.company_id() == *company,
            ScopeFilter::Restricted { company, reaches } => {
                scope.company_id() == *company && reaches.iter().any(|r| r.admits(scope))
            }
            ScopeFilter::None(_) => false,
        }
    }

    /// The company the filter is for; `None` for [`ScopeFilter::None`].
    pub fn company(&self) -> Option<&'s str> {
        match self {
            ScopeFilter::All { company } | ScopeFilter::Restricted { company, .. } => Some(company),
            ScopeFilter::None(_) => None,
        }
    }
}

impl Reach<'_> {
    /// Whether `scope` meets every constraint of the reach (the company is not looked at). A
    /// scope without an attribute a constraint needs does not meet it. Allocates nothing.
    pub fn admits(&self, scope: &Scope<'_>) -> bool {
        in_list(&self.business_units, scope.business_unit_id())
            && in_list(&self.workflows, scope.workflow_id())
            && self.owner.is_none_or(|o| scope.owner_id() == Some(o))
            && self
                .max_amount
                .is_none_or(|limit| scope.amount_value().is_some_and(|a| a <= limit))
    }

    /// Whether the reach has no constraint: it reaches the whole company.
    pub fn is_unconstrained(&self) -> bool {
        self.business_units.is_none()
            && self.workflows.is_none()
            && self.owner.is_none()
            && self.max_amount.is_none()
    }

    /// Whether the reach reaches nothing: a constraint lists no value.
    pub(crate) fn is_empty(&self) -> bool {
        [&self.business_units, &self.workflows]
            .into_iter()
            .any(|l| l.as_ref().is_some_and(|l| l.is_empty()))
    }

    /// Whether everything `self` reaches, `other` reaches too: each constraint of `other` is
    /// implied by one of `self`.
    pub(crate) fn is_within(&self, other: &Reach<'_>) -> bool {
        let subset = |mine: &Option<Vec<&str>>, theirs: &Option<Vec<&str>>| match (mine, theirs) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(m), Some(t)) => m.iter().all(|x| t.contains(x)),
        };
        subset(&self.business_units, &other.business_units)
            && subset(&self.workflows, &other.workflows)
            && other.owner.is_none_or(|o| self.owner == Some(o))
            && other
                .max_amount
                .is_none_or(|l| self.max_amount.is_some_and(|m| m <= l))
    }
}

/// Whether `value` meets the constraint `list` (any value, even none, when unconstrained).
fn in_list(list: &Option<Vec<&str>>, value: Option<&str>) -> bool {
    match list {
        None => true,
        Some(list) => value.is_some_and(|v| list.contains(&v)),
    }
}
