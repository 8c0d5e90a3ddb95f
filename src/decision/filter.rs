//! `filter`: what part of a company a key reaches, for list queries where there is no single scope.

use crate::catalog::Key;
use crate::layer::{Allowed, Bounds, Denial, NO_CAP, effective_limit};
use crate::subject::Subject;

use super::decide::up_to_permission;

/// What part of a company a key reaches for a subject: what a list endpoint needs to build its
/// query. From [`Subject::filter`](crate::Subject::filter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeFilter<'s> {
    /// Every resource of the company.
    All,
    /// Only resources inside at least one of `reaches` (a union).
    Restricted {
        /// The union of what the grants reach.
        reaches: Vec<Reach<'s>>,
    },
    /// Nothing, and why.
    None(Denial),
}

/// One reachable region: all its present constraints hold at once (an intersection).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reach<'s> {
    /// Only these business units, if restricted.
    pub business_units: Option<Vec<&'s str>>,
    /// Only these workflows, if restricted.
    pub workflows: Option<Vec<&'s str>>,
    /// Only resources owned by this user, if own-only.
    pub owner: Option<&'s str>,
    /// For approval keys, only amounts at or under this limit: the grant's effective approval
    /// limit, the smaller of its own and the membership's. Always set for an approval key (a
    /// resource without an amount is then outside), never for other keys.
    pub max_amount: Option<u64>,
}

impl Subject {
    /// What part of `company` the subject reaches with `key`: for list queries, where there is no
    /// single scope to [`decide`](crate::decide) on.
    ///
    /// The result is the union of the key's grants, each intersected with the membership-wide
    /// restriction and, for an approval key, bounded by the grant's effective approval limit;
    /// [`ScopeFilter::None`] when a layer denies or no grant reaches anything.
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
    /// let ScopeFilter::Restricted { reaches, .. } = s.filter(keys::FINANCE_BILL_VIEW, "acme") else { panic!() };
    /// assert_eq!(reaches, [Reach { business_units: Some(vec!["bu-x"]), ..Reach::default() }]);
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    pub fn filter(&self, key: Key, company: &str) -> ScopeFilter<'_> {
        let m = match up_to_permission(self, key, company) {
            Ok(m) => m,
            Err(d) => return ScopeFilter::None(d),
        };
        if key.needs_approval() && m.approval_limit.is_none() {
            return ScopeFilter::None(Denial::ApprovalLimitMissing);
        }
        let grants: Vec<(&Bounds, bool, u64)> = if m.unrestricted.contains(key.index()) {
            vec![(&NO_BOUNDS, false, NO_CAP)]
        } else {
            m.restricted_for(key.index() as u16)
                .iter()
                .map(|g| (&g.bounds, g.own_only, g.cap))
                .collect()
        };
        let reaches: Vec<Reach<'_>> = grants
            .into_iter()
            .filter_map(|(b, own_only, cap)| {
                Some(Reach {
                    business_units: intersect(&m.bounds.business_units, &b.business_units)?,
                    workflows: intersect(&m.bounds.workflows, &b.workflows)?,
                    owner: own_only.then_some(&*self.user),
                    max_amount: if key.needs_approval() {
                        effective_limit(m.approval_limit, cap)
                    } else {
                        None
                    },
                })
            })
            .collect();
        match reaches.as_slice() {
            [] => ScopeFilter::None(Denial::OutOfScope),
            [only] if *only == Reach::default() => ScopeFilter::All,
            _ => ScopeFilter::Restricted { reaches },
        }
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
