//! The request: where it applies (company, business unit, workflow, owner) and, for approvals, on
//! what amount.

use core::fmt;

use crate::id::IdRef;

/// The scope of one request: borrowed, `Copy`, built with `const` methods.
///
/// Every field but the company is optional; each builder has an `Option` twin (`maybe_*`) for
/// request parameters and database columns that may be absent. A field a restriction needs but the scope lacks is a
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
    owner: IdRef<'a>,
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
            owner: IdRef::ABSENT,
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
            owner: IdRef::new(owner),
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

    /// The business unit, if known: `None` leaves it absent (as a request parameter or a
    /// database column may be), so restrictions on business units deny (fail closed).
    ///
    /// ```
    /// use kisum_access::Scope;
    ///
    /// let bu: Option<&str> = None; // e.g. an optional query parameter
    /// let scope = Scope::company("acme").maybe_business_unit(bu).maybe_amount(Some(12));
    /// assert_eq!(scope.business_unit_id(), None);
    /// assert_eq!(scope.amount_value(), Some(12));
    /// ```
    #[inline]
    pub const fn maybe_business_unit(self, business_unit: Option<&'a str>) -> Scope<'a> {
        match business_unit {
            Some(b) => self.business_unit(b),
            None => Scope {
                business_unit: IdRef::ABSENT,
                ..self
            },
        }
    }

    /// The workflow, if known (see [`Scope::maybe_business_unit`]).
    #[inline]
    pub const fn maybe_workflow(self, workflow: Option<&'a str>) -> Scope<'a> {
        match workflow {
            Some(w) => self.workflow(w),
            None => Scope {
                workflow: IdRef::ABSENT,
                ..self
            },
        }
    }

    /// The resource owner, if known (see [`Scope::maybe_business_unit`]).
    #[inline]
    pub const fn maybe_owner(self, owner: Option<&'a str>) -> Scope<'a> {
        match owner {
            Some(o) => self.owner(o),
            None => Scope {
                owner: IdRef::ABSENT,
                ..self
            },
        }
    }

    /// The approval amount, if known (see [`Scope::maybe_business_unit`]).
    #[inline]
    pub const fn maybe_amount(self, amount: Option<u64>) -> Scope<'a> {
        Scope { amount, ..self }
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
        self.owner.get()
    }

    /// The approval amount, if given.
    #[inline]
    pub const fn amount_value(&self) -> Option<u64> {
        self.amount
    }

    /// The company, by reference (no copy where it is passed on out of line).
    #[inline(always)]
    pub(crate) const fn company_at(&self) -> &IdRef<'a> {
        &self.company
    }

    /// The business unit, by reference (see [`Scope::company_at`]).
    #[inline(always)]
    pub(crate) const fn business_unit_at(&self) -> &IdRef<'a> {
        &self.business_unit
    }

    /// The business unit (`owner` false) or the owner (`owner` true), by reference: an address
    /// selected, not a branch.
    #[inline(always)]
    pub(crate) const fn unit_or_owner_at(&self, owner: bool) -> &IdRef<'a> {
        if owner {
            &self.owner
        } else {
            &self.business_unit
        }
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
            .field("owner", &self.owner_id())
            .field("amount", &self.amount)
            .finish()
    }
}
