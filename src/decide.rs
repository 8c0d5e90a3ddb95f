//! The hot path: `decide` walks layers 1–4 and reports the first that denies; `explain` reports
//! every layer's verdict.

use core::fmt;

use crate::id::{Id, IdRef};
use crate::key::{Key, Module};
use crate::scope::Scope;
use crate::subject::{Fast, Membership, Restricted, Subject};

/// The outcome of [`decide`]: `Copy`, 16 bytes. Ignoring it is a bug, hence `#[must_use]`.
#[must_use = "an authorization decision that is not checked authorizes nothing"]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Every layer allows.
    Allow,
    /// A layer denies; the denial says which and why.
    Deny(Denial),
}

impl Decision {
    /// Whether the decision is [`Decision::Allow`].
    #[inline]
    pub const fn is_allowed(self) -> bool {
        matches!(self, Decision::Allow)
    }

    /// The denial, if any.
    #[inline]
    pub const fn denial(self) -> Option<Denial> {
        match self {
            Decision::Allow => None,
            Decision::Deny(d) => Some(d),
        }
    }
}

/// The layers access resolves in (blueprint §1), plus the membership check before them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// Is the user a member of the requested company at all?
    Membership,
    /// 1: did the company buy the module (and, for an add-on, a base it attaches to)?
    Commercial,
    /// 2: is the module assigned to the user?
    Module,
    /// 3: does the user hold the key (directly or through a role)?
    Permission,
    /// 4: does a grant reach this business unit / workflow / owner, and, for approvals, this amount?
    Scope,
    /// 5: may the user grant it to someone else? (see [`Subject::can_grant`])
    Delegation,
}

impl Layer {
    /// The layer's name.
    pub const fn name(self) -> &'static str {
        match self {
            Layer::Membership => "membership",
            Layer::Commercial => "1 commercial",
            Layer::Module => "2 module",
            Layer::Permission => "3 permission",
            Layer::Scope => "4 scope",
            Layer::Delegation => "5 delegation",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why [`decide`] denied. `Copy`, no allocation; [`explain`] gives names and details.
///
/// This enum is `#[non_exhaustive]`: new reasons may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Denial {
    /// The user is not a member of the requested company.
    #[error("the user is not a member of the requested company")]
    NoMembership,
    /// The company did not buy the key's module.
    #[error("the company has not bought the key's module")]
    NotEntitled(Module),
    /// The company bought this add-on but no base module it attaches to.
    #[error("the company bought the add-on but no base module it attaches to")]
    AddonWithoutBase(Module),
    /// The key's module is not assigned to the user.
    #[error("the key's module is not assigned to the user")]
    ModuleNotAssigned(Module),
    /// The user does not hold the key.
    #[error("the user does not hold the permission")]
    MissingPermission,
    /// The user holds the key, but no grant reaches this scope.
    #[error("no grant of the permission reaches the requested scope")]
    OutOfScope,
    /// An approval key, and the membership has no approval limit.
    #[error("approvals need a membership approval limit, and there is none")]
    ApprovalLimitMissing,
    /// An approval key, and the request gives no amount.
    #[error("approvals need the request's amount, and none was given")]
    ApprovalAmountMissing,
    /// An approval key, and the amount is over the membership's limit.
    #[error("the amount is over the approval limit of {limit}")]
    ApprovalLimitExceeded {
        /// The membership's approval limit.
        limit: u64,
    },
    /// The key belongs to another catalog than the subject's.
    #[error("the key belongs to another catalog than the subject's")]
    ForeignKey,
}

impl Denial {
    /// The layer that denied.
    pub const fn layer(self) -> Layer {
        match self {
            Denial::NoMembership => Layer::Membership,
            Denial::NotEntitled(_) | Denial::AddonWithoutBase(_) => Layer::Commercial,
            Denial::ModuleNotAssigned(_) => Layer::Module,
            Denial::MissingPermission | Denial::ForeignKey => Layer::Permission,
            Denial::OutOfScope
            | Denial::ApprovalLimitMissing
            | Denial::ApprovalAmountMissing
            | Denial::ApprovalLimitExceeded { .. } => Layer::Scope,
        }
    }
}

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
/// 1–3 and, where it is that simple, layer 4 as an amount check or a list of business units. The
/// [`Scope`] prepares its ids once per request. What is left is `#[inline(always)]`: a company
/// match, one table entry, and at most a business-unit comparison, compiled into the caller. Keys
/// whose layer 4 needs the grants themselves (workflows, own-only grants, restricted approval
/// keys) walk them in a call.
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
    let m = match membership(subject, key, scope) {
        Ok(m) => m,
        Err(d) => return Decision::Deny(d),
    };
    // Layers 1–3, and layer 4 where it reduces to an amount check or a list of business units,
    // were decided when the subject was built (`layers_1_to_3`, `Membership::condition`), for
    // every key; the rest of layer 4 walks the key's grants out of line.
    let denial = match m.fast.get(key.index()) {
        Some(Fast::Allow) => return Decision::Allow,
        Some(Fast::Approval) => match approval(m, key, scope) {
            Ok(()) => return Decision::Allow,
            Err(d) => d,
        },
        Some(&Fast::Unit { at }) => {
            let unit = m.units.get(usize::from(at));
            if unit.is_some_and(|u| u.is_exactly_branch_free(scope.business_unit_ref())) {
                return Decision::Allow;
            }
            Denial::OutOfScope
        }
        Some(&Fast::Units { start, len }) => {
            if crate::id::find(m.units_at(start, len), |u| u, scope.business_unit_ref()).is_some() {
                return Decision::Allow;
            }
            Denial::OutOfScope
        }
        Some(&Fast::Scope { start, len }) => return walk(subject, m, key, scope, start, len),
        Some(Fast::NotEntitled) => Denial::NotEntitled(key.module()),
        Some(Fast::AddonWithoutBase) => Denial::AddonWithoutBase(key.module()),
        Some(Fast::ModuleNotAssigned) => Denial::ModuleNotAssigned(key.module()),
        Some(Fast::MissingPermission) | None => Denial::MissingPermission,
    };
    Decision::Deny(denial)
}

/// Layer 4 by walking the key's grants `restricted[start..start + len]` (see [`Fast::Scope`]), for
/// keys whose scope condition was not precomputed (workflows, owners, approvals). Out of line, so
/// it does not weigh on the inlined hot path.
#[inline(never)]
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
    // With exact request ids (the common case) every comparison is of tags only; the loops stay
    // small, with no byte comparison inlined into them.
    let reached = if scope.business_unit_ref().is_exact() && scope.workflow_ref().is_exact() {
        reach_through(subject, m, grants, unrestricted, scope, Id::is_exactly)
    } else {
        reach_through(subject, m, grants, unrestricted, scope, Id::is)
    };
    match reached.and_then(|()| approval(m, key, scope)) {
        Ok(()) => Decision::Allow,
        Err(d) => Decision::Deny(d),
    }
}

/// Layers 1–3 for one membership, in order: what `Membership::fast` precomputes per key.
pub(crate) fn layers_1_to_3(m: &Membership, key: Key) -> Result<(), Denial> {
    commercial(m, key)?;
    module(m, key)?;
    permission(m, key)
}

/// Layers up to 3 (membership, commercial, module, permission), for [`Subject::filter`].
pub(crate) fn up_to_permission<'s>(
    subject: &'s Subject,
    key: Key,
    company: &str,
) -> Result<&'s Membership, Denial> {
    let m = membership(subject, key, &Scope::company(company))?;
    commercial(m, key)?;
    module(m, key)?;
    permission(m, key)?;
    Ok(m)
}

#[inline(always)]
fn membership<'s>(
    subject: &'s Subject,
    key: Key,
    scope: &Scope<'_>,
) -> Result<&'s Membership, Denial> {
    if key.catalog_id() != subject.catalog.id() {
        return Err(Denial::ForeignKey);
    }
    subject
        .membership_of(scope.company_ref())
        .ok_or(Denial::NoMembership)
}

#[inline]
fn commercial(m: &Membership, key: Key) -> Result<(), Denial> {
    let module = key.module();
    if !key.commercial_layers_apply() || m.entitled & module.bit() != 0 {
        Ok(())
    } else if m.bought & module.bit() != 0 {
        Err(Denial::AddonWithoutBase(module))
    } else {
        Err(Denial::NotEntitled(module))
    }
}

#[inline]
fn module(m: &Membership, key: Key) -> Result<(), Denial> {
    if !key.commercial_layers_apply() || m.assigned & key.module().bit() != 0 {
        Ok(())
    } else {
        Err(Denial::ModuleNotAssigned(key.module()))
    }
}

#[inline]
fn permission(m: &Membership, key: Key) -> Result<(), Denial> {
    if m.held.contains(key.index()) {
        Ok(())
    } else {
        Err(Denial::MissingPermission)
    }
}

/// Layer 4's reach for `key`, whether or not the key is held (for [`explain`]).
fn reach(subject: &Subject, m: &Membership, key: Key, scope: &Scope<'_>) -> Result<(), Denial> {
    let grants = m.restricted_for(key.index() as u16);
    reach_through(
        subject,
        m,
        grants,
        m.unrestricted.contains(key.index()),
        scope,
        Id::is,
    )
}

/// Whether the membership-wide restriction admits `scope` and, unless the key is held
/// `unrestricted`, one of its restricted `grants` reaches it; ids compared with `same`.
#[inline(always)]
fn reach_through(
    subject: &Subject,
    m: &Membership,
    grants: &[Restricted],
    unrestricted: bool,
    scope: &Scope<'_>,
    same: impl Fn(&Id, IdRef<'_>) -> bool + Copy,
) -> Result<(), Denial> {
    if !m.bounds.admits_by(scope, same) {
        return Err(Denial::OutOfScope);
    }
    if unrestricted {
        return Ok(());
    }
    // A plain loop rather than `Iterator::any`, which LLVM left as a call here.
    for g in grants {
        let owner_ok = !g.own_only
            || scope
                .owner_id()
                .is_some_and(|o| crate::phf::same(o.as_bytes(), subject.user.as_bytes()));
        if owner_ok && g.bounds.admits_by(scope, same) {
            return Ok(());
        }
    }
    Err(Denial::OutOfScope)
}

#[inline(always)]
fn approval(m: &Membership, key: Key, scope: &Scope<'_>) -> Result<(), Denial> {
    if !key.needs_approval() {
        return Ok(());
    }
    let limit = m.approval_limit.ok_or(Denial::ApprovalLimitMissing)?;
    let amount = scope.amount_value().ok_or(Denial::ApprovalAmountMissing)?;
    if amount <= limit {
        Ok(())
    } else {
        Err(Denial::ApprovalLimitExceeded { limit })
    }
}

/// One layer's verdict in an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The layer allows; the text says on what ground.
    Pass(String),
    /// The layer denies.
    Deny(Denial, String),
    /// The layer does not apply to this key (external module, catalog without a commercial model).
    NotApplicable(String),
    /// The layer could not be evaluated because an earlier one had nothing to evaluate against.
    NotReached,
}

/// A layer and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The layer.
    pub layer: Layer,
    /// What the check was (`"membership"`, `"module bought"`, `"approval limit"`, ...).
    pub check: &'static str,
    /// Its outcome.
    pub outcome: Outcome,
}

/// Every layer's verdict for one request, and the decision. Allocates: for logs, support tools and
/// tests, not the hot path. `Display` prints one line per layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    key: String,
    company: String,
    decision: Decision,
    verdicts: Vec<Verdict>,
}

impl Explanation {
    /// The decision (always equal to [`decide`]'s for the same input).
    pub fn decision(&self) -> Decision {
        self.decision
    }

    /// Each layer's verdict, in order.
    pub fn verdicts(&self) -> &[Verdict] {
        &self.verdicts
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decision {
            Decision::Allow => writeln!(f, "ALLOW {} in {}", self.key, self.company)?,
            Decision::Deny(d) => writeln!(
                f,
                "DENY {} in {} at layer {}: {d}",
                self.key,
                self.company,
                d.layer()
            )?,
        }
        for v in &self.verdicts {
            let (mark, text) = match &v.outcome {
                Outcome::Pass(t) => ("pass", t.as_str()),
                Outcome::Deny(_, t) => ("DENY", t.as_str()),
                Outcome::NotApplicable(t) => ("n/a ", t.as_str()),
                Outcome::NotReached => ("----", "not evaluated"),
            };
            writeln!(
                f,
                "  [{mark}] {:<14} {:<16} {text}",
                v.layer.name(),
                v.check
            )?;
        }
        Ok(())
    }
}

/// Explains a decision: every layer's verdict in order, with names. The decision is the same as
/// [`decide`]'s: both run the same layer checks, `explain` just does not stop at the first denial.
///
/// ```
/// use kisum_access::{Catalog, Scope, Subject, explain, keys};
///
/// let subject = Subject::builder(Catalog::embedded(), "user-42")
///     .membership("acme")
///     .entitled(["promoter"])
///     .modules(["promoter"])
///     .build()?;
/// let e = explain(&subject, keys::FINANCE_BILL_VIEW, &Scope::company("acme"));
/// assert!(!e.decision().is_allowed());
/// let text = e.to_string();
/// assert!(text.starts_with("DENY finance.bill.view in acme at layer 1 commercial"), "{text}");
/// assert!(text.contains("module `finance` not bought"), "{text}");
/// # Ok::<(), kisum_access::ClaimsError>(())
/// ```
pub fn explain(subject: &Subject, key: Key, scope: &Scope<'_>) -> Explanation {
    let cat = &subject.catalog;
    let mut verdicts = Vec::with_capacity(6);
    let name = cat.name(key).to_string();
    let module_name = cat.module_name(key.module()).to_string();
    let company = scope.company_id().to_string();
    let verdict = |layer, check, r: Result<(), Denial>, pass: String, deny: String| Verdict {
        layer,
        check,
        outcome: match r {
            Ok(()) => Outcome::Pass(pass),
            Err(d) => Outcome::Deny(d, deny),
        },
    };

    let m = match membership(subject, key, scope) {
        Ok(m) => {
            verdicts.push(verdict(
                Layer::Membership,
                "membership",
                Ok(()),
                format!("user `{}` is a member of `{company}`", subject.user),
                String::new(),
            ));
            Some(m)
        }
        Err(d) => {
            let (layer, text) = match d {
                Denial::ForeignKey => (
                    Layer::Permission,
                    "the key belongs to another catalog".to_string(),
                ),
                _ => (
                    Layer::Membership,
                    format!("user `{}` is not a member of `{company}`", subject.user),
                ),
            };
            verdicts.push(Verdict {
                layer,
                check: if layer == Layer::Permission {
                    "catalog"
                } else {
                    "membership"
                },
                outcome: Outcome::Deny(d, text),
            });
            None
        }
    };

    let layers = [
        (Layer::Commercial, "module bought"),
        (Layer::Module, "module assigned"),
        (Layer::Permission, "key held"),
        (Layer::Scope, "scope reached"),
        (Layer::Scope, "approval limit"),
    ];
    match m {
        None => verdicts.extend(layers.iter().map(|&(layer, check)| Verdict {
            layer,
            check,
            outcome: Outcome::NotReached,
        })),
        Some(m) => {
            let na = if !cat.has_commercial_layers() {
                Some(format!(
                    "catalog `{}` has no commercial model",
                    cat.catalog_name()
                ))
            } else if !key.commercial_layers_apply() {
                Some(format!(
                    "module `{module_name}` is external: its own platform decides"
                ))
            } else {
                None
            };
            match &na {
                Some(text) => {
                    for &(layer, check) in &layers[..2] {
                        verdicts.push(Verdict {
                            layer,
                            check,
                            outcome: Outcome::NotApplicable(text.clone()),
                        });
                    }
                }
                None => {
                    let deny = match commercial(m, key) {
                        Err(Denial::AddonWithoutBase(_)) => {
                            format!(
                                "add-on `{module_name}` is bought but no base module it attaches to is"
                            )
                        }
                        _ => format!("module `{module_name}` not bought by `{company}`"),
                    };
                    verdicts.push(verdict(
                        Layer::Commercial,
                        "module bought",
                        commercial(m, key),
                        format!("`{company}` bought `{module_name}`"),
                        deny,
                    ));
                    verdicts.push(verdict(
                        Layer::Module,
                        "module assigned",
                        module(m, key),
                        format!("`{module_name}` is assigned to the user"),
                        format!("`{module_name}` is not assigned to the user"),
                    ));
                }
            }
            let how = if m.unrestricted.contains(key.index()) {
                "unrestricted"
            } else {
                "with restrictions"
            };
            verdicts.push(verdict(
                Layer::Permission,
                "key held",
                permission(m, key),
                format!("`{name}` held {how}"),
                format!("`{name}` is not granted, directly or through a role"),
            ));
            verdicts.push(verdict(
                Layer::Scope,
                "scope reached",
                reach(subject, m, key, scope),
                describe_scope_pass(m, key),
                format!("no grant of `{name}` reaches {}", describe_request(scope)),
            ));
            let approval_text = match approval(m, key, scope) {
                Ok(()) if !key.needs_approval() => "not an approval key".to_string(),
                Ok(()) => format!(
                    "amount {} within limit {}",
                    scope.amount_value().unwrap_or_default(),
                    m.approval_limit.unwrap_or_default()
                ),
                Err(d) => d.to_string(),
            };
            verdicts.push(verdict(
                Layer::Scope,
                "approval limit",
                approval(m, key, scope),
                approval_text.clone(),
                approval_text,
            ));
        }
    }
    let decision = decide(subject, key, scope);
    Explanation {
        key: name,
        company,
        decision,
        verdicts,
    }
}

fn describe_scope_pass(m: &Membership, key: Key) -> String {
    if m.unrestricted.contains(key.index()) && m.bounds.is_unbounded() {
        "unrestricted grant".to_string()
    } else {
        "a grant reaches the requested scope".to_string()
    }
}

fn describe_request(scope: &Scope<'_>) -> String {
    let mut parts = vec![format!("company `{}`", scope.company_id())];
    if let Some(b) = scope.business_unit_id() {
        parts.push(format!("business unit `{b}`"));
    }
    if let Some(w) = scope.workflow_id() {
        parts.push(format!("workflow `{w}`"));
    }
    if let Some(o) = scope.owner_id() {
        parts.push(format!("owner `{o}`"));
    }
    if parts.len() == 1 {
        parts.push("(no business unit, workflow or owner given)".to_string());
    }
    parts.join(", ")
}
