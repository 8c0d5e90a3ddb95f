//! Where a request applies: company, business unit, workflow, owner, and an amount for approvals.

use core::fmt;

use crate::id::IdRef;

/// The scope of one request: borrowed, `Copy`, built with `const` methods.
///
/// Every field but the company is optional. A field a restriction needs but the scope lacks is a
/// denial, never a pass: a grant restricted to business unit `bu-x` does not reach a request that
/// names no business unit.
///
/// Building a scope also prepares its company, business unit and workflow for comparison (two
/// machine words each), so [`decide`](crate::decide) compares words rather than strings: build
/// one scope per request and reuse it for every key checked there. A `const` scope is prepared
/// at compile time.
///
/// ```
/// use kisum_access::Scope;
///
/// const BILLS_OF_BU_X: Scope<'static> = Scope::company("acme").business_unit("bu-x");
/// let approval = BILLS_OF_BU_X.amount(12_500);
/// assert_eq!(approval.amount_value(), Some(12_500));
/// assert_eq!(approval.company_id(), "acme");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope<'a> {
    company: IdRef<'a>,
    business_unit: IdRef<'a>,
    workflow: IdRef<'a>,
    owner: Option<&'a str>,
    amount: Option<u64>,
}

impl<'a> Scope<'a> {
    /// A request inside `company`, with nothing narrower known.
    #[inline]
    pub const fn company(company: &'a str) -> Scope<'a> {
        Scope {
            company: IdRef::new(company),
            business_unit: IdRef::ABSENT,
            workflow: IdRef::ABSENT,
            owner: None,
            amount: None,
        }
    }

    /// The business unit the resource belongs to.
    #[inline]
    pub const fn business_unit(self, business_unit: &'a str) -> Scope<'a> {
        Scope {
            business_unit: IdRef::new(business_unit),
            ..self
        }
    }

    /// The workflow the resource belongs to.
    #[inline]
    pub const fn workflow(self, workflow: &'a str) -> Scope<'a> {
        Scope {
            workflow: IdRef::new(workflow),
            ..self
        }
    }

    /// The user who owns (created) the resource; own-only grants reach it only if this is the subject.
    #[inline]
    pub const fn owner(self, owner: &'a str) -> Scope<'a> {
        Scope {
            owner: Some(owner),
            ..self
        }
    }

    /// The amount of an approval (`finance.*.approve`), in the company's minor currency unit.
    #[inline]
    pub const fn amount(self, amount: u64) -> Scope<'a> {
        Scope {
            amount: Some(amount),
            ..self
        }
    }

    /// The company.
    #[inline]
    pub const fn company_id(&self) -> &'a str {
        self.company.text()
    }

    /// The business unit, if given.
    #[inline]
    pub const fn business_unit_id(&self) -> Option<&'a str> {
        self.business_unit.get()
    }

    /// The workflow, if given.
    #[inline]
    pub const fn workflow_id(&self) -> Option<&'a str> {
        self.workflow.get()
    }

    /// The resource owner, if given.
    #[inline]
    pub const fn owner_id(&self) -> Option<&'a str> {
        self.owner
    }

    /// The approval amount, if given.
    #[inline]
    pub const fn amount_value(&self) -> Option<u64> {
        self.amount
    }

    /// The company, prepared for comparison.
    #[inline(always)]
    pub(crate) const fn company_ref(&self) -> IdRef<'a> {
        self.company
    }

    /// The business unit, prepared for comparison ([`IdRef::ABSENT`] if not given).
    #[inline(always)]
    pub(crate) const fn business_unit_ref(&self) -> IdRef<'a> {
        self.business_unit
    }

    /// The workflow, prepared for comparison ([`IdRef::ABSENT`] if not given).
    #[inline(always)]
    pub(crate) const fn workflow_ref(&self) -> IdRef<'a> {
        self.workflow
    }
}

impl fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("company", &self.company_id())
            .field("business_unit", &self.business_unit_id())
            .field("workflow", &self.workflow_id())
            .field("owner", &self.owner)
            .field("amount", &self.amount)
            .finish()
    }
}

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
    None(crate::Denial),
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

impl crate::Subject {
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
    pub fn filter(&self, key: crate::Key, company: &str) -> ScopeFilter<'_> {
        let m = match crate::decide::up_to_permission(self, key, company) {
            Ok(m) => m,
            Err(d) => return ScopeFilter::None(d),
        };
        let max_amount = if key.needs_approval() {
            match m.approval_limit {
                Some(limit) => Some(limit),
                None => return ScopeFilter::None(crate::Denial::ApprovalLimitMissing),
            }
        } else {
            None
        };
        let grants: Vec<(&crate::subject::Bounds, bool)> = if m.unrestricted.contains(key.index()) {
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

static NO_BOUNDS: crate::subject::Bounds = crate::subject::Bounds {
    business_units: None,
    workflows: None,
};

/// Intersects two allowed-value sets. `Some(None)`: unrestricted; `None`: empty (reaches nothing).
#[allow(clippy::option_option)]
fn intersect<'s>(
    a: &'s crate::subject::Allowed,
    b: &'s crate::subject::Allowed,
) -> Option<Option<Vec<&'s str>>> {
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
