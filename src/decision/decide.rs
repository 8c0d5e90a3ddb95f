//! The hot path: `decide` walks the membership check and layers 1-4 and reports the first that
//! denies, reading the membership's precomputed table; what the table leaves open (workflows,
//! owners, restricted approvals) walks the key's grants out of line.

use crate::bytes::same;
use crate::catalog::Key;
use crate::id::IdRef;
use crate::layer::{self, Decision, Denial, Restricted, best_cap_through, reach_exact};
use crate::scope::{self, Scope};
use crate::subject::{Code, Fast, Membership, Probe, Subject};

/// Decides whether `subject` may use `key` in `scope`. Allocates nothing, takes no lock, never
/// panics.
///
/// Walks the membership of `scope`'s company, then layer 1 (the company bought the module; an
/// add-on also needs a base it attaches to), layer 2 (the module is assigned to the user), layer 3
/// (the key is held), layer 4 (a grant reaches the business unit, workflow and owner; for approval
/// keys, the amount is at or under the approval limit), and returns the first denial.
///
/// # Performance
///
/// Most of the work is done once per subject: for each membership and key, the outcome of layers
/// 1–3 and, where it is that simple, layer 4 as an amount check or a set of business units. The
/// [`Scope`] prepares its ids once per request, and notes whether one is too long for its
/// two-word tag to be the id (more than 15 bytes, not a UUID): such a request takes a copy of
/// these steps out of line that confirms equal tags byte for byte, so that the others test for
/// long ids once rather than at each comparison. What is left is `#[inline(always)]`: a company
/// match, one table entry, and at most a business-unit comparison, compiled into the caller.
/// The commonest entries (allowed, denied by layers 1–3, one business unit, own-only, an approval
/// key's amount) decide without a branch on the outcome: the entry holds the outcomes as data,
/// and the walk of a key's grants takes the same branches for every request of that key, so
/// requests drawn at random mispredict where they take another path (another company, a walk),
/// not where they get another answer (about twice the cost of one request repeated). A key
/// granted in a few business units alone and in a few workflows alone compares them all in line.
/// Nothing grows with the subject: more than four memberships, or more than four business units
/// for a key, are found through a hash index in a call; a catalog of more than 256 keys keeps
/// entries for held keys only, searched in a call. Keys whose layer 4 needs the grants themselves
/// (workflows, own-only grants, restricted approval keys) walk them in a call.
///
/// # Example
///
/// ```
/// use kisum_access::{Catalog, Denial, Layer, Scope, Subject, decide, keys};
///
/// let subject = Subject::builder(Catalog::embedded(), "user-42")
///     .membership("acme")
///     .entitled(["promoter", "finance"])
///     .modules(["finance"])
///     .permission(keys::FINANCE_BILL_APPROVE)
///     .approval_limit(5_000)
///     .build()?;
/// let acme = Scope::company("acme");
///
/// assert!(decide(&subject, keys::FINANCE_BILL_APPROVE, &acme.amount(4_000)).is_allowed());
/// let over = decide(&subject, keys::FINANCE_BILL_APPROVE, &acme.amount(9_000)).denial().unwrap();
/// assert_eq!(over, Denial::ApprovalLimitExceeded { limit: 5_000 });
/// assert_eq!(over.layer(), Layer::Scope);
///
/// let not_assigned = decide(&subject, keys::PROMOTER_EVENT_VIEW, &acme).denial().unwrap();
/// assert_eq!(not_assigned.layer(), Layer::Module);
/// # Ok::<(), kisum_access::ClaimsError>(())
/// ```
#[inline(always)]
pub fn decide(subject: &Subject, key: Key, scope: &Scope<'_>) -> Decision {
    if scope.has_long_id() {
        return decide_long(subject, key, scope);
    }
    decide_ids::<true>(subject, key, scope)
}

/// [`decide`] for a scope with an id too long for its tag to prove equality (see
/// [`Scope::has_long_id`]): equal tags are confirmed byte for byte. Out of line, so that the
/// common path compares tags alone and tests for long ids once.
#[inline(never)]
fn decide_long(subject: &Subject, key: Key, scope: &Scope<'_>) -> Decision {
    decide_ids::<false>(subject, key, scope)
}

/// [`decide`]'s steps; `EXACT`: every id of `scope` is exact, so equal tags are equal ids.
#[inline(always)]
fn decide_ids<const EXACT: bool>(subject: &Subject, key: Key, scope: &Scope<'_>) -> Decision {
    let foreign = !subject.catalog.issued(key);
    let Some(m) = subject.membership_in::<EXACT>(scope.company_at()) else {
        // Read from a static: a decision made here, or returned by a call, is written in parts
        // that the caller's 16-byte read of it waits on (4.7 ns more for this path alone).
        return NO_MEMBERSHIP[usize::from(foreign)];
    };
    // A key of another catalog reads the dense table's last entry, `Fast::FOREIGN`, rather than
    // branching away: requests drawn at random then mispredict only where the membership or the
    // entry's kind differs (0.2–0.6 ns less on the 16 paths drawn at random, criterion runs
    // alternating with the branch). A sparse table is empty here: its search checks the catalog.
    let at = std::hint::select_unpredictable(foreign, m.fast.len().wrapping_sub(1), key.index());
    // Layers 1–3, and layer 4 where it reduces to an amount check or a list of business units,
    // were decided when the subject was built (`Membership::layers_1_to_3`, `Membership::condition`),
    // for every key of a catalog of up to `DENSE_KEYS` keys; a larger catalog's table holds the
    // held keys only and is searched out of line. The rest of layer 4 walks the key's grants.
    // The commonest entries, with one test and no further branch; lists of business units and
    // workflows in line too (every id compared, no branch on the request: 0.3 ns less on the 16
    // paths drawn at random than a call); the others out of line.
    match m.fast.get(at) {
        Some(&Fast::Decided { code, probe, at }) => {
            decided::<EXACT>(subject, m, scope, code, probe, at)
        }
        Some(&Fast::Either {
            start,
            units,
            workflows,
        }) => REACHED[usize::from(in_lists::<EXACT>(m, (start, units, workflows), scope))],
        Some(entry) => undecided(subject, m, key, scope, entry),
        None => sparse(subject, m, key, scope),
    }
}

/// [`decide`] for a membership whose table is sparse (see [`Membership::fast`]).
#[inline(never)]
fn sparse(subject: &Subject, m: &Membership, key: Key, scope: &Scope<'_>) -> Decision {
    if !subject.catalog.issued(key) {
        return Decision::Deny(Denial::ForeignKey);
    }
    match m.sparse_entry(key.index()) {
        Some(&Fast::Decided { code, probe, at }) => {
            decided::<false>(subject, m, scope, code, probe, at)
        }
        Some(entry) => undecided(subject, m, key, scope, entry),
        None => Decision::Deny(unheld(m, key)),
    }
}

/// [`decide`] for the table entries other than [`Fast::Decided`]: a list of business units, lists
/// of business units and workflows, an owner compared byte for byte, or the key's grants walked.
/// The outcome is read at an index, not branched to: requests for one key that differ only in
/// their answer take the same steps (the branch cost the 16 paths drawn at random 0.65 ns).
#[inline(never)]
fn undecided(
    subject: &Subject,
    m: &Membership,
    key: Key,
    scope: &Scope<'_>,
    entry: &Fast,
) -> Decision {
    let reached = match *entry {
        // Decided in line; were it not, it would deny.
        Fast::Decided { .. } => false,
        // A list of business units is an Either entry without workflows.
        Fast::Units { start, len } => in_lists::<false>(m, (start, len, 0), scope),
        Fast::Set { at, bits } => m.unit_in_set(at, bits, scope.business_unit_at()),
        Fast::Either {
            start,
            units,
            workflows,
        } => in_lists::<false>(m, (start, units, workflows), scope),
        Fast::Owner => {
            let user = subject.user.as_bytes();
            scope.owner_id().is_some_and(|o| same(o.as_bytes(), user))
        }
        Fast::Scope { start, len } => return walk(subject, m, key, scope, start, len),
    };
    REACHED[usize::from(reached)]
}

/// Whether the request's business unit or workflow is in the lists `(start, units, workflows)`
/// of a [`Fast::Either`] entry (of a [`Fast::Units`] entry: no workflows).
#[inline(always)]
fn in_lists<const EXACT: bool>(m: &Membership, lists: (u16, u8, u8), scope: &Scope<'_>) -> bool {
    m.in_either::<EXACT>(lists, scope.business_unit_ref(), scope.workflow_ref())
}

/// [`decide`] for a [`Fast::Decided`] entry: `code`'s outcome for whether the request's
/// value that `probe` names passes (over the approval limit: [`Denial::ApprovalLimitExceeded`]).
///
/// Every such entry takes the same steps: the business unit or owner is compared with
/// `units[at]`, the amount with the approval limit, and the outcome is read from the subject's
/// array at an index computed from the comparison ([`Code::index`]). Most codes stand for one
/// outcome whatever the comparison says. Nothing branches on the entry's kind nor on whether the
/// request is allowed, so a mix of such requests costs what each does alone, in whatever order
/// they come; a code out of the array would deny, never allow.
#[inline(always)]
fn decided<const EXACT: bool>(
    subject: &Subject,
    m: &Membership,
    scope: &Scope<'_>,
    code: Code,
    probe: Probe,
    at: u16,
) -> Decision {
    let bits = probe as u8;
    // The business unit, or the owner: `Probe::OWNER` is the distance between them.
    let unit = scope.id_at(scope::UNIT + usize::from(bits & Probe::OWNER));
    let same_id = m.units.get(usize::from(at)).is_some_and(|u| {
        // Equal tags of exact ids are equal ids: data. A long id's bytes are confirmed.
        let same = u.tag_is(unit);
        if EXACT || unit.is_exact() {
            same
        } else {
            same && u.is(*unit)
        }
    });
    // A `Probe::Amount` entry exists only where the membership has an approval limit.
    // As bits (1 or 0), combined with arithmetic: as `bool`s, `&` becomes a chain of selects.
    let (given, amount) = scope.amount_bits();
    let under = u8::from(amount <= m.over.limit);
    // The comparisons the entry asks for, masked with its bits.
    let passed = (u8::from(same_id) * Probe::ID) | ((given & under) * Probe::AMOUNT);
    let found = passed & bits != 0;
    let outcome = (subject.outcomes.get(code.index(found))).unwrap_or(&MISSING_PERMISSION);
    // Over the limit: the one outcome that carries the membership's value, selected without a
    // branch (which requests that differ would mispredict).
    let over = bits & ((given & (under ^ 1)) * Probe::AMOUNT) != 0;
    *std::hint::select_unpredictable(over, &m.over.exceeded, outcome)
}

/// [`decide`]'s denial where the subject has no membership in the scope's company, and where it
/// has none and the key is of another catalog (reported first, as [`membership`] does).
static NO_MEMBERSHIP: [Decision; 2] = [
    Decision::Deny(Denial::NoMembership),
    Decision::Deny(Denial::ForeignKey),
];

/// What a code out of the subject's array decides.
static MISSING_PERMISSION: Decision = Decision::Deny(Denial::MissingPermission);

/// Layers 1-3 for a key a sparse table does not hold (see [`Membership::fast`]): the first denial
/// of the module layers, else the permission layer's.
#[inline(never)]
fn unheld(m: &Membership, key: Key) -> Denial {
    m.layers_1_to_3(key)
        .err()
        .unwrap_or(Denial::MissingPermission)
}

/// Layer 4 by walking the key's grants `restricted[start..start + len]` (see [`Fast::Scope`]), for
/// keys whose scope condition was not precomputed (a grant restricted to both business units and
/// workflows, own-only grants among others, approvals). Part of [`undecided`], which is out of
/// line: one call from the hot path, not two (about 1 ns less a walk).
#[inline(always)]
fn walk(
    subject: &Subject,
    m: &Membership,
    key: Key,
    scope: &Scope<'_>,
    start: u16,
    len: u16,
) -> Decision {
    // A held key without restricted grants is held unrestricted (which supersedes them).
    let (grants, unrestricted) = (m.restricted_at(start, len), len == 0);
    if key.needs_approval() {
        return approval_walk(subject, m, key, scope, grants, unrestricted);
    }
    // With exact request ids (the common case) every comparison is of tags only, and every
    // grant is compared: the branches depend on the grants, not on the request, and the outcome
    // is read at an index.
    if scope.business_unit_ref().is_exact() && scope.workflow_ref().is_exact() {
        let reached = reach_exact(&subject.user, &m.bounds, grants, unrestricted, scope);
        return REACHED[usize::from(reached)];
    }
    // Ids too long for an exact tag: their bytes confirmed (any grant that reaches will do).
    match best_cap_through(&subject.user, &m.bounds, grants, unrestricted, scope) {
        Ok(_) => Decision::Allow,
        Err(d) => Decision::Deny(d),
    }
}

/// Layer 4's outcome, not reached and reached.
static REACHED: [Decision; 2] = [Decision::Deny(Denial::OutOfScope), Decision::Allow];

/// Layer 4 for an approval key by walking its grants: the largest effective approval limit of
/// the grants reaching `scope` (each the smaller of the grant's own and the membership's), then
/// the amount. Out of line: approvals are the rarer walks.
#[inline(never)]
fn approval_walk(
    subject: &Subject,
    m: &Membership,
    key: Key,
    scope: &Scope<'_>,
    grants: &[Restricted],
    unrestricted: bool,
) -> Decision {
    let approved = best_cap_through(&subject.user, &m.bounds, grants, unrestricted, scope)
        .and_then(|cap| layer::approval(layer::effective_limit(m.approval_limit, cap), key, scope));
    match approved {
        Ok(()) => Decision::Allow,
        Err(d) => Decision::Deny(d),
    }
}

/// Layers up to 3 (membership, commercial, module, permission), for [`Subject::filter`].
pub(crate) fn up_to_permission<'s>(
    subject: &'s Subject,
    key: Key,
    company: &str,
) -> Result<&'s Membership, Denial> {
    if !subject.catalog.issued(key) {
        return Err(Denial::ForeignKey);
    }
    // The company alone: no scope to build. (`membership` taking the company instead of the
    // scope, to share these lines, measured the peers' random rows at 7.5 ns against 4.5 ns: the
    // hot path's code moved.)
    let m = subject
        .membership_of(&IdRef::new(company))
        .ok_or(Denial::NoMembership)?;
    // A dense table has the answer precomputed; a sparse one asks the layers.
    match m.fast.get(key.index()) {
        Some(entry) => entry.layers_1_to_3(key),
        None => m.layers_1_to_3(key),
    }
    .map(|()| m)
}

#[inline(always)]
pub(crate) fn membership<'s>(
    subject: &'s Subject,
    key: Key,
    scope: &Scope<'_>,
) -> Result<&'s Membership, Denial> {
    if !subject.catalog.issued(key) {
        return Err(Denial::ForeignKey);
    }
    subject
        .membership_of(scope.company_at())
        .ok_or(Denial::NoMembership)
}

/// Layer 4's reach for `key`, whether or not the key is held (for [`explain`]): the largest cap
/// of the grants reaching `scope` (see [`best_cap_through`]).
pub(crate) fn reach(
    subject: &Subject,
    m: &Membership,
    key: Key,
    scope: &Scope<'_>,
) -> Result<u64, Denial> {
    let grants = m.restricted_for(key.index() as u16);
    best_cap_through(
        &subject.user,
        &m.bounds,
        grants,
        m.unrestricted.contains(key.index()),
        scope,
    )
}

impl Subject {
    /// The membership check and layers 1-3 for `key` in `company`, without a scope: for a handler
    /// that must refuse before it loads the resource (whose business unit, workflow or owner
    /// layer 4 needs). Allocates nothing.
    ///
    /// `Ok` means only that layer 4 is left: [`decide`] with the resource's scope still decides.
    ///
    /// # Errors
    ///
    /// The first denial of those layers, as [`decide`] would report it.
    ///
    /// ```
    /// use kisum_access::{Catalog, Denial, Grant, Subject, keys};
    ///
    /// let s = Subject::builder(Catalog::embedded(), "u1")
    ///     .membership("acme")
    ///     .entitled(["promoter", "finance"])
    ///     .modules(["finance"])
    ///     .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x"]))
    ///     .build()?;
    /// assert_eq!(s.check(keys::FINANCE_BILL_VIEW, "acme"), Ok(()));
    /// assert_eq!(s.check(keys::FINANCE_BILL_EDIT, "acme"), Err(Denial::MissingPermission));
    /// assert_eq!(s.check(keys::FINANCE_BILL_VIEW, "other"), Err(Denial::NoMembership));
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    pub fn check(&self, key: Key, company: &str) -> Result<(), Denial> {
        up_to_permission(self, key, company).map(|_| ())
    }
}
