//! Layer 5 in the model: may the subject give a grant to someone else? From the design's rule
//! "delegation never exceeds personal access": clamped to what the granter holds (layers 1-4), to
//! their delegation policy (modules, keys, scope bound), and re-delegation needs the right to
//! delegate that right.

use std::collections::HashSet;

use super::{ModelCatalog, ModelMembership, ModelSubject, admits, commercial, grants_of};

/// A delegation policy as the claims list it.
#[derive(Debug, Clone, Default)]
pub struct ModelPolicy {
    pub modules: HashSet<String>,
    pub permissions: HashSet<String>,
    pub redelegate: HashSet<String>,
    pub business_units: Option<HashSet<String>>,
    pub workflows: Option<HashSet<String>>,
}

/// A proposed grant (`None`: not restricted on that dimension).
#[derive(Debug, Clone)]
pub struct GrantReq<'a> {
    pub company: &'a str,
    pub key: &'a str,
    pub business_units: Option<&'a [&'a str]>,
    pub workflows: Option<&'a [&'a str]>,
    pub own_only: bool,
    pub redelegable: bool,
}

/// Whether a restriction covers a grant's whole dimension: an unrestricted one covers anything; a
/// restricted one covers only a restricted grant, and only the values it lists.
fn covers(restriction: &Option<HashSet<String>>, granted: Option<&[&str]>) -> bool {
    match (restriction, granted) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(r), Some(list)) => list.iter().all(|v| r.contains(*v)),
    }
}

/// Whether the granter holds `key` at layers 1-3 (module bought and usable, assigned, key held).
fn holds(cat: &ModelCatalog, m: &ModelMembership, key: &str) -> bool {
    let module = ModelCatalog::module_of(key);
    let layers_1_2 = !cat.commercial_layers_apply(key)
        || (commercial(cat, m, module).is_ok() && m.assigned.contains(module));
    layers_1_2 && !grants_of(cat, m, key).is_empty()
}

/// Whether every point of the grant (each listed business unit with each listed workflow; an
/// unlisted dimension is the whole of it) is reached by one of the granter's grants that is not
/// own-only (those reach the granter's resources, never the grantee's), within the membership-wide
/// restriction.
fn personally_reaches(cat: &ModelCatalog, m: &ModelMembership, g: &GrantReq<'_>) -> bool {
    let units: Vec<Option<&str>> = match g.business_units {
        Some(list) => list.iter().map(|u| Some(*u)).collect(),
        None => vec![None],
    };
    let flows: Vec<Option<&str>> = match g.workflows {
        Some(list) => list.iter().map(|w| Some(*w)).collect(),
        None => vec![None],
    };
    let grants = grants_of(cat, m, g.key);
    let point_covered = |restriction: &Option<HashSet<String>>, v: Option<&str>| match v {
        None => restriction.is_none(),
        Some(_) => admits(restriction, v),
    };
    units.iter().all(|&b| {
        flows.iter().all(|&w| {
            point_covered(&m.business_units, b)
                && point_covered(&m.workflows, w)
                && grants.iter().any(|gr| {
                    !gr.own_only
                        && point_covered(&gr.business_units, b)
                        && point_covered(&gr.workflows, w)
                })
        })
    })
}

/// The model's answer, as the name of the `DelegationDenial` variant it expects, in the order the
/// rules are listed: member, entitled, module delegable, key delegable (listed and held), personal
/// reach, scope bound, re-delegation.
pub fn model_can_grant(
    cat: &ModelCatalog,
    s: &ModelSubject,
    g: &GrantReq<'_>,
) -> Result<(), &'static str> {
    let m = s.memberships.get(g.company).ok_or("NotMember")?;
    let module = ModelCatalog::module_of(g.key);
    if cat.commercial_layers_apply(g.key) && commercial(cat, m, module).is_err() {
        return Err("NotEntitled");
    }
    let none = ModelPolicy::default();
    let policy = m.delegation.as_ref().unwrap_or(&none);
    if !policy.modules.contains(module) {
        return Err("ModuleNotDelegable");
    }
    if !(policy.permissions.contains(g.key) && holds(cat, m, g.key)) {
        return Err("PermissionNotDelegable");
    }
    if !personally_reaches(cat, m, g) {
        return Err("ExceedsPersonalAccess");
    }
    if !(covers(&policy.business_units, g.business_units) && covers(&policy.workflows, g.workflows))
    {
        return Err("ExceedsScopeBound");
    }
    if g.redelegable && !policy.redelegate.contains(g.key) {
        return Err("NotRedelegable");
    }
    Ok(())
}
