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
/// Building a scope also prepares its company, business unit, workflow and owner for comparison
/// (two machine words each), so [`decide`](crate::decide) compares words rather than strings:
/// build one scope per request and reuse it for every key checked there. A `const` scope is
/// prepared at compile time. Ids of up to 15 bytes and canonical UUIDs are their two words; a
/// scope with a longer id is decided on a slower path that confirms equal words byte for byte.
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
    /// The company, business unit, workflow and owner, at [`COMPANY`], [`UNIT`], [`WORKFLOW`]
    /// and [`OWNER`]: an array, so that `decide` picks the business unit or the owner by index.
    ids: [IdRef<'a>; 4],
    /// The amount if [`AMOUNT`] is set in `flags`, else 0.
    amount: u64,
    /// [`AMOUNT`], and a bit per id at [`LONG`]: beside the amount rather than in an `Option`
    /// (which would leave no room for them in the same 16 bytes).
    flags: u8,
}

/// An amount is given: the low bit, so that `flags & AMOUNT` is 1 or 0.
const AMOUNT: u8 = 1;
/// The id at `i` is too long for its tag to be the id: bit `LONG << i` (see
/// [`Scope::has_long_id`]), one per id so that replacing one updates its bit alone.
const LONG: u8 = 2;
/// Every id's [`LONG`] bit.
const ANY_LONG: u8 = 0b1111 * LONG;

/// Where [`Scope`]'s ids are.
const COMPANY: usize = 0;
/// See [`COMPANY`].
pub(crate) const UNIT: usize = 1;
/// See [`COMPANY`].
const WORKFLOW: usize = 2;
/// See [`COMPANY`].
pub(crate) const OWNER: usize = 3;

impl<'a> Scope<'a> {
    /// A request inside `company`, with nothing narrower known.
    #[inline]
    pub const fn company(company: &'a str) -> Scope<'a> {
        let absent = IdRef::ABSENT;
        Scope {
            ids: [absent; 4],
            amount: 0,
            flags: 0,
        }
        .with(COMPANY, IdRef::new(company))
    }

    /// The business unit the resource belongs to.
    #[inline]
    pub const fn business_unit(self, business_unit: &'a str) -> Scope<'a> {
        self.with(UNIT, IdRef::new(business_unit))
    }

    /// The workflow the resource belongs to.
    #[inline]
    pub const fn workflow(self, workflow: &'a str) -> Scope<'a> {
        self.with(WORKFLOW, IdRef::new(workflow))
    }

    /// The user who owns (created) the resource; own-only grants reach it only if this is the subject.
    #[inline]
    pub const fn owner(self, owner: &'a str) -> Scope<'a> {
        self.with(OWNER, IdRef::new(owner))
    }

    /// The amount of an approval (`finance.*.approve`), in the company's minor currency unit.
    #[inline]
    pub const fn amount(self, amount: u64) -> Scope<'a> {
        self.maybe_amount(Some(amount))
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
            None => self.with(UNIT, IdRef::ABSENT),
        }
    }

    /// The workflow, if known (see [`Scope::maybe_business_unit`]).
    #[inline]
    pub const fn maybe_workflow(self, workflow: Option<&'a str>) -> Scope<'a> {
        match workflow {
            Some(w) => self.workflow(w),
            None => self.with(WORKFLOW, IdRef::ABSENT),
        }
    }

    /// The resource owner, if known (see [`Scope::maybe_business_unit`]).
    #[inline]
    pub const fn maybe_owner(self, owner: Option<&'a str>) -> Scope<'a> {
        match owner {
            Some(o) => self.owner(o),
            None => self.with(OWNER, IdRef::ABSENT),
        }
    }

    /// The approval amount, if known (see [`Scope::maybe_business_unit`]).
    #[inline]
    pub const fn maybe_amount(self, amount: Option<u64>) -> Scope<'a> {
        let (amount, given) = match amount {
            Some(a) => (a, AMOUNT),
            None => (0, 0),
        };
        Scope {
            amount,
            flags: self.flags & !AMOUNT | given,
            ..self
        }
    }

    /// The company.
    #[inline]
    pub const fn company_id(&self) -> &'a str {
        self.ids[COMPANY].text()
    }

    /// The business unit, if given.
    #[inline]
    pub const fn business_unit_id(&self) -> Option<&'a str> {
        self.ids[UNIT].get()
    }

    /// The workflow, if given.
    #[inline]
    pub const fn workflow_id(&self) -> Option<&'a str> {
        self.ids[WORKFLOW].get()
    }

    /// The resource owner, if given.
    #[inline]
    pub const fn owner_id(&self) -> Option<&'a str> {
        self.ids[OWNER].get()
    }

    /// The approval amount, if given.
    #[inline]
    pub const fn amount_value(&self) -> Option<u64> {
        match self.flags & AMOUNT {
            0 => None,
            _ => Some(self.amount),
        }
    }

    /// The scope with id `at` replaced by `id`, and its bit of [`LONG`] with it.
    #[inline]
    const fn with(self, at: usize, id: IdRef<'a>) -> Scope<'a> {
        let mut ids = self.ids;
        ids[at] = id;
        let bit = LONG << at;
        let long = if id.is_exact() { 0 } else { bit };
        Scope {
            ids,
            flags: self.flags & !bit | long,
            ..self
        }
    }

    /// Whether an id of the scope is too long for its tag to prove it equal to another
    /// (`IdRef::is_exact`): `decide` then confirms equal tags byte for byte, out of line, so
    /// that the common path compares tags only and tests this once.
    #[inline(always)]
    pub(crate) const fn has_long_id(&self) -> bool {
        self.flags & ANY_LONG != 0
    }

    /// The amount as `decide` reads it: whether it is given (1 or 0), and its value (0 if not).
    #[inline(always)]
    pub(crate) const fn amount_bits(&self) -> (u8, u64) {
        (self.flags & AMOUNT, self.amount)
    }

    /// The company, by reference (no copy where it is passed on out of line).
    #[inline(always)]
    pub(crate) const fn company_at(&self) -> &IdRef<'a> {
        &self.ids[COMPANY]
    }

    /// The business unit, by reference (see [`Scope::company_at`]).
    #[inline(always)]
    pub(crate) const fn business_unit_at(&self) -> &IdRef<'a> {
        &self.ids[UNIT]
    }

    /// The id at `at` of [`UNIT`] and [`OWNER`] (any index is taken modulo 4), by reference: an
    /// address computed, not a branch.
    #[inline(always)]
    pub(crate) const fn id_at(&self, at: usize) -> &IdRef<'a> {
        &self.ids[at % 4]
    }

    /// The business unit, prepared for comparison ([`IdRef::ABSENT`] if not given).
    #[inline(always)]
    pub(crate) const fn business_unit_ref(&self) -> IdRef<'a> {
        self.ids[UNIT]
    }

    /// The workflow, prepared for comparison ([`IdRef::ABSENT`] if not given).
    #[inline(always)]
    pub(crate) const fn workflow_ref(&self) -> IdRef<'a> {
        self.ids[WORKFLOW]
    }
}

impl fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("company", &self.company_id())
            .field("business_unit", &self.business_unit_id())
            .field("workflow", &self.workflow_id())
            .field("owner", &self.owner_id())
            .field("amount", &self.amount_value())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Scope;

    /// The flags beside the amount follow the scope's last values: an amount cleared is no
    /// amount (and the scope equals one that never had it), a long id replaced is no long id.
    #[test]
    fn flags_follow_the_last_values() {
        let acme = Scope::company("acme");
        let cleared = acme.amount(7).maybe_amount(None);
        assert_eq!((cleared.amount_value(), cleared), (None, acme));
        assert_eq!(acme.maybe_amount(Some(0)).amount_value(), Some(0));
        let long = "business-unit-0000000000000000000001";
        assert!(!acme.has_long_id());
        assert!(acme.business_unit(long).has_long_id());
        assert!(Scope::company(long).workflow("wf").has_long_id());
        assert!(acme.owner(long).amount(3).has_long_id());
        let replaced = acme.business_unit(long).business_unit("bu-x");
        assert!(!replaced.has_long_id());
        assert_eq!(replaced, acme.business_unit("bu-x"));
        assert!(!acme.owner(long).maybe_owner(None).has_long_id());
        // A canonical UUID's tag is exact.
        let uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assert!(!Scope::company(uuid).business_unit(uuid).has_long_id());
    }
}
