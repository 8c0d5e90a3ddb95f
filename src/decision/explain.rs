//! `explain`: every layer's verdict for one request, with names, for logs, support and tests.

use core::fmt;

use crate::catalog::{Catalog, Key};
use crate::layer::{self, Denial, Layer};
use crate::scope::Scope;
use crate::subject::{LegacyTranslation, Membership, Subject};

use super::Decision;
use super::decide::{decide, membership, reach};

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
    catalog: CatalogId,
    skipped: Vec<String>,
    translated: Vec<LegacyTranslation>,
}

/// Which catalog decided: its name, version and content fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CatalogId {
    name: String,
    version: String,
    fingerprint: u64,
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

    /// The key's name.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The requested company.
    pub fn company(&self) -> &str {
        &self.company
    }

    /// The catalog that decided: its name, version and content fingerprint.
    pub fn catalog(&self) -> (&str, &str, u64) {
        let c = &self.catalog;
        (&c.name, &c.version, c.fingerprint)
    }

    /// The names the subject's token held that the catalog does not know (skipped; see
    /// [`Subject::skipped_names`]).
    pub fn skipped_names(&self) -> &[String] {
        &self.skipped
    }

    /// The legacy names the subject's token (or Core's entitlements) held and how each was
    /// translated (see [`Subject::legacy_translations`]); widening ones are marked.
    pub fn legacy_translations(&self) -> &[LegacyTranslation] {
        &self.translated
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
        let c = &self.catalog;
        writeln!(
            f,
            "  catalog {} {} (fingerprint {:016x})",
            c.name, c.version, c.fingerprint
        )?;
        if !self.skipped.is_empty() {
            writeln!(
                f,
                "  skipped, unknown to this catalog: {}",
                self.skipped.join(", ")
            )?;
        }
        for t in &self.translated {
            let mark = if t.widens() { "WIDENING " } else { "" };
            writeln!(f, "  {mark}translated from legacy: {t}")?;
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
    let name = cat.name(key);
    let company = scope.company_id();
    let mut verdicts = Vec::with_capacity(6);
    match membership_verdict(subject, key, scope) {
        (v, None) => {
            verdicts.push(v);
            verdicts.extend(LATER.iter().map(|&(layer, check)| Verdict {
                layer,
                check,
                outcome: Outcome::NotReached,
            }));
        }
        (v, Some(m)) => {
            verdicts.push(v);
            verdicts.extend(commercial_verdicts(cat, m, key, company));
            verdicts.push(permission_verdict(m, key, name));
            let reached = reach(subject, m, key, scope);
            verdicts.push(scope_verdict(m, key, scope, name, reached.map(|_| ())));
            // Out of scope, the approval verdict shows the membership's limit.
            let cap = reached.unwrap_or(layer::NO_CAP);
            verdicts.push(approval_verdict(m, key, scope, cap));
        }
    }
    Explanation {
        key: name.to_string(),
        company: company.to_string(),
        decision: decide(subject, key, scope),
        verdicts,
        catalog: CatalogId {
            name: cat.catalog_name().to_string(),
            version: cat.version().to_string(),
            fingerprint: cat.fingerprint(),
        },
        skipped: subject.skipped_names().map(str::to_string).collect(),
        translated: subject.legacy_translations().to_vec(),
    }
}

/// The checks after the membership's, in order.
const LATER: [(Layer, &str); 5] = [
    (Layer::Commercial, "module bought"),
    (Layer::Module, "module assigned"),
    (Layer::Permission, "key held"),
    (Layer::Scope, "scope reached"),
    (Layer::Scope, "approval limit"),
];

/// A verdict from a rule's result, with the text for either outcome.
fn verdict(
    layer: Layer,
    check: &'static str,
    r: Result<(), Denial>,
    pass: String,
    deny: String,
) -> Verdict {
    Verdict {
        layer,
        check,
        outcome: match r {
            Ok(()) => Outcome::Pass(pass),
            Err(d) => Outcome::Deny(d, deny),
        },
    }
}

/// Before the layers: the user is a member of the company, and the key is of the subject's catalog.
fn membership_verdict<'s>(
    subject: &'s Subject,
    key: Key,
    scope: &Scope<'_>,
) -> (Verdict, Option<&'s Membership>) {
    let company = scope.company_id();
    match membership(subject, key, scope) {
        Ok(m) => {
            let text = format!("user `{}` is a member of `{company}`", subject.user);
            let v = verdict(Layer::Membership, "membership", Ok(()), text, String::new());
            (v, Some(m))
        }
        Err(Denial::ForeignKey) => {
            let text = "the key belongs to another catalog".to_string();
            let outcome = Outcome::Deny(Denial::ForeignKey, text);
            (
                Verdict {
                    layer: Layer::Permission,
                    check: "catalog",
                    outcome,
                },
                None,
            )
        }
        Err(d) => {
            let text = format!("user `{}` is not a member of `{company}`", subject.user);
            let outcome = Outcome::Deny(d, text);
            (
                Verdict {
                    layer: Layer::Membership,
                    check: "membership",
                    outcome,
                },
                None,
            )
        }
    }
}

/// Layers 1 and 2, or why they do not apply to this key.
fn commercial_verdicts(cat: &Catalog, m: &Membership, key: Key, company: &str) -> [Verdict; 2] {
    let module_name = cat.module_name(key.module());
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
    if let Some(text) = na {
        return [LATER[0], LATER[1]].map(|(layer, check)| Verdict {
            layer,
            check,
            outcome: Outcome::NotApplicable(text.clone()),
        });
    }
    let bought = layer::commercial(m.entitled, m.bought, key);
    let deny = match bought {
        Err(Denial::AddonWithoutBase(_)) => {
            format!("add-on `{module_name}` is bought but no base module it attaches to is")
        }
        _ => format!("module `{module_name}` not bought by `{company}`"),
    };
    [
        verdict(
            Layer::Commercial,
            "module bought",
            bought,
            format!("`{company}` bought `{module_name}`"),
            deny,
        ),
        verdict(
            Layer::Module,
            "module assigned",
            layer::module(m.assigned, key),
            format!("`{module_name}` is assigned to the user"),
            format!("`{module_name}` is not assigned to the user"),
        ),
    ]
}

/// Layer 3: the key is held, and how.
fn permission_verdict(m: &Membership, key: Key, name: &str) -> Verdict {
    let how = if m.unrestricted.contains(key.index()) {
        "unrestricted"
    } else {
        "with restrictions"
    };
    verdict(
        Layer::Permission,
        "key held",
        layer::permission(&m.held, key),
        format!("`{name}` held {how}"),
        format!("`{name}` is not granted, directly or through a role"),
    )
}

/// Layer 4: a grant reaches the request's scope (whether or not the key is held).
fn scope_verdict(
    m: &Membership,
    key: Key,
    scope: &Scope<'_>,
    name: &str,
    reached: Result<(), Denial>,
) -> Verdict {
    verdict(
        Layer::Scope,
        "scope reached",
        reached,
        describe_scope_pass(m, key),
        format!("no grant of `{name}` reaches {}", describe_request(scope)),
    )
}

/// Layer 4 for approval keys: the limit (the membership's, capped by the largest limit of the
/// grants reaching the scope, `cap`) and the amount.
fn approval_verdict(m: &Membership, key: Key, scope: &Scope<'_>, cap: u64) -> Verdict {
    let limit = layer::effective_limit(m.approval_limit, cap);
    let result = layer::approval(limit, key, scope);
    let text = match result {
        Ok(()) if !key.needs_approval() => "not an approval key".to_string(),
        Ok(()) => format!(
            "amount {} within limit {}{}",
            scope.amount_value().unwrap_or_default(),
            limit.unwrap_or_default(),
            if limit == m.approval_limit {
                ""
            } else {
                " (the grant's own limit)"
            }
        ),
        Err(d) => d.to_string(),
    };
    verdict(Layer::Scope, "approval limit", result, text.clone(), text)
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
