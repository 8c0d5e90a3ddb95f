//! `explain` in the model: every check's verdict on its own, and the comparison with the crate's.

use kisum_access::{Catalog, Explanation, Outcome};

use super::{Expect, ModelCatalog, ModelSubject, Req, approval, commercial, grants_of, reached};

/// One check's outcome in the model's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Deny(Expect),
    NotApplicable,
    NotReached,
}

impl Verdict {
    fn of(r: Result<(), Expect>) -> Verdict {
        match r {
            Ok(()) => Verdict::Pass,
            Err(e) => Verdict::Deny(e),
        }
    }
}

/// The checks `explain` reports, in order, each with its layer's name.
pub const CHECKS: [(&str, &str); 6] = [
    ("membership", "membership"),
    ("1 commercial", "module bought"),
    ("2 module", "module assigned"),
    ("3 permission", "key held"),
    ("4 scope", "scope reached"),
    ("4 scope", "approval limit"),
];

/// Every check's verdict, each evaluated on its own (not stopping at the first denial): what
/// `explain` must report, layer by layer. Without a membership nothing else can be evaluated.
pub fn model_verdicts(
    cat: &ModelCatalog,
    s: &ModelSubject,
    key: &str,
    req: &Req<'_>,
) -> [Verdict; 6] {
    let Some(m) = s.memberships.get(req.company) else {
        let n = || Verdict::NotReached;
        return [Verdict::Deny(Expect::NoMembership), n(), n(), n(), n(), n()];
    };
    let module = ModelCatalog::module_of(key);
    let (bought, assigned) = if cat.commercial_layers_apply(key) {
        let assigned = m.assigned.contains(module);
        (
            Verdict::of(commercial(cat, m, module)),
            Verdict::of(
                assigned
                    .then_some(())
                    .ok_or(Expect::ModuleNotAssigned(module.into())),
            ),
        )
    } else {
        (Verdict::NotApplicable, Verdict::NotApplicable)
    };
    let grants = grants_of(cat, m, key);
    let held = (!grants.is_empty())
        .then_some(())
        .ok_or(Expect::MissingPermission);
    let reach = reached(&grants, m, &s.user, req)
        .then_some(())
        .ok_or(Expect::OutOfScope);
    let limit = match approval(cat, m, key, req) {
        Expect::Allow => Verdict::Pass,
        e => Verdict::Deny(e),
    };
    [
        Verdict::Pass,
        bought,
        assigned,
        Verdict::of(held),
        Verdict::of(reach),
        limit,
    ]
}

/// `explain`'s verdicts in the model's terms, with each one's (layer name, check), for comparison
/// with [`CHECKS`] and [`model_verdicts`].
pub fn verdicts_of(
    catalog: &Catalog,
    e: &Explanation,
) -> Vec<((&'static str, &'static str), Verdict)> {
    e.verdicts()
        .iter()
        .map(|v| {
            let outcome = match &v.outcome {
                Outcome::Pass(_) => Verdict::Pass,
                Outcome::Deny(d, _) => Verdict::Deny(Expect::of_denial(catalog, *d)),
                Outcome::NotApplicable(_) => Verdict::NotApplicable,
                Outcome::NotReached => Verdict::NotReached,
            };
            ((v.layer.name(), v.check), outcome)
        })
        .collect()
}

/// Compares `explain` with the model layer by layer, and its first denying verdict with the
/// model's decision. `Err` says what differs.
pub fn check_explain(
    catalog: &Catalog,
    e: &Explanation,
    want_verdicts: &[Verdict; 6],
    want: &Expect,
) -> Result<(), String> {
    let got = verdicts_of(catalog, e);
    let names: Vec<_> = got.iter().map(|(n, _)| *n).collect();
    if names != CHECKS {
        return Err(format!("explain reports the checks {names:?}\n{e}"));
    }
    for ((check, got), want) in got.iter().zip(want_verdicts) {
        if got != want {
            return Err(format!(
                "{check:?}: explain says {got:?}, the model {want:?}\n{e}"
            ));
        }
    }
    let first = got.iter().find_map(|(_, v)| match v {
        Verdict::Deny(d) => Some(d.clone()),
        _ => None,
    });
    if first.as_ref().unwrap_or(&Expect::Allow) != want {
        return Err(format!(
            "explain's first denial {first:?}, the model decides {want:?}\n{e}"
        ));
    }
    Ok(())
}
