//! `filter`: what part of a company a key reaches, for list queries where there is no single scope.

use crate::catalog::Key;
use crate::layer::{Allowed, Bounds, Denial};
use crate::subject::Subject;

use super::decide::up_to_permission;

/// What part of a company a key reaches for a subject: what a list endpoint needs to build its
/// query. From [`Subject::filter`](crate::Subject::filter).
///
/// A small closed algebra: everything in the company, a union of [`Reach`]es inside it, or
/// nothing. A filter from [`Subject::filter`](crate::Subject::filter) is normalised: a
/// `Restricted` filter has at least one reach, no reach is unconstrained (that is `All`), none lies
/// inside another, and every list is sorted without duplicates. [`ScopeFilter::admits`] evaluates
/// it on one scope, and `to_condition` (feature `sql`) turns it into a SQL condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeFilter<'s> {
    /// Every resource of the company.
    All {
        /// The company.
        company: &'s str,
    },
    /// Only resources of the company inside at least one of `reaches` (a union).
    Restricted {
        /// The company.
        company: &'s str,
        /// The union of what the grants reach.
        reaches: Vec<Reach<'s>>,
    },
    /// Nothing, and why.
    None(Denial),
}

/// One reachable region of a company: all its present constraints hold at once (an
/// intersection). An absent constraint (`None`) does not restrict; a present one is met only by a
/// resource that has the attribute, with a matching value: a resource without a business unit is
/// outside every `business_units` constraint, even one that lists many (fail closed).
///
/// `Reach::default()` has no constraint: it reaches the whole company.
/// [`Subject::filter`](crate::Subject::filter) never returns such a reach (it returns
/// [`ScopeFilter::All`] instead), and a reach of an approval key always carries its `max_amount`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reach<'s> {
    /// Only these business units, if restricted.
    pub business_units: Option<Vec<&'s str>>,
    /// Only these workflows, if restricted.
    pub workflows: Option<Vec<&'s str>>,
    /// Only resources owned by this user, if own-only.
    pub owner: Option<&'s str>,
    /// Only amounts at or under this limit, if bounded: for approval keys, the membership's
    /// approval limit (a resource without an amount is then outside).
    pub max_amount: Option<u64>,
}

impl Subject {
    /// What part of `company` the subject reaches with `key`: for list queries, where there is no
    /// single scope to [`decide`](crate::decide) on.
    ///
    /// The result is the union of the key's grants, each intersected with the membership-wide
    /// restriction and, for an approval key, bounded by the approval limit; normalised (see
    /// [`ScopeFilter`]); [`ScopeFilter::None`] when a layer denies or no grant reaches anything.
    ///
    /// ```
    /// use kisum_access::{Catalog, Grant, Reach, ScopeFilter, Subject, keys};
    ///
    /// let s = Subject::builder(Catalog::embedded(), "u1")
    ///     .membership("acme")
    ///     .entitled(["promoter", "finance"])
    ///     .modules(["finance"])
    ///     .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x"]))
    ///     .build()?;
    /// let ScopeFilter::Restricted { company, reaches } = s.filter(keys::FINANCE_BILL_VIEW, "acme") else { panic!() };
    /// assert_eq!(company, "acme");
    /// assert_eq!(reaches, [Reach { business_units: Some(vec!["bu-x"]), ..Reach::default() }]);
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    pub fn filter(&self, key: Key, company: &str) -> ScopeFilter<'_> {
        let m = match up_to_permission(self, key, company) {
            Ok(m) => m,
            Err(d) => return ScopeFilter::None(d),
        };
        let max_amount = if key.needs_approval() {
            match m.approval_limit {
                Some(limit) => Some(limit),
                None => return ScopeFilter::None(Denial::ApprovalLimitMissing),
            }
        } else {
            None
        };
        let grants: Vec<(&Bounds, bool)> = if m.unrestricted.contains(key.index()) {
            vec![(&NO_BOUNDS, false)]
        } else {
            m.restricted_for(key.index() as u16)
                .iter()
                .map(|g| (&g.bounds, g.own_only))
                .collect()
        };
        let reaches: Vec<Reach<'_>> = grants
            .into_iter()
            .filter_map(|(b, own_only)| {
                Some(Reach {
                    business_units: intersect(&m.bounds.business_units, &b.business_units)?,
                    workflows: intersect(&m.bounds.workflows, &b.workflows)?,
                    owner: own_only.then_some(&*self.user),
                    max_amount,
                })
            })
            .collect();
        ScopeFilter::union(&m.company, reaches)
    }
}

static NO_BOUNDS: Bounds = Bounds {
    business_units: None,
    workflows: None,
};

/// Intersects two allowed-value sets. `Some(None)`: unrestricted; `None`: empty (reaches nothing).
#[allow(clippy::option_option)]
fn intersect<'s>(a: &'s Allowed, b: &'s Allowed) -> Option<Option<Vec<&'s str>>> {
    let list: Vec<&str> = match (a, b) {
        (None, None) => return Some(None),
        (Some(x), None) | (None, Some(x)) => x.iter().map(|s| &**s).collect(),
        (Some(x), Some(y)) => x.iter().filter(|v| y.contains(v)).map(|s| &**s).collect(),
    };
    if list.is_empty() {
        None
    } else {
        Some(Some(list))
    }
}
