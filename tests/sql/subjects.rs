//! Random subjects for the differential tests: grants restricted by business units, workflows
//! and ownership, membership-wide scopes, roles, approval limits around `i64::MAX`.

use kisum_access::{Catalog, Grant, Key, Subject, keys};
use proptest::prelude::*;

use crate::table::{
    ACME, GLOBEX, LONG_COMPANY, LONG_COMPANY_TWIN, LONG_UNIT, LONG_UNIT_TWIN, USER,
};

/// The keys queried: views, an edit often held own-only, two approval keys.
pub const KEYS: [Key; 5] = [
    keys::FINANCE_BILL_VIEW,
    keys::FINANCE_BILL_EDIT,
    keys::FINANCE_BILL_APPROVE,
    keys::FINANCE_INVOICE_APPROVE,
    keys::PROMOTER_EVENT_EDIT,
];
const UNITS: &[&str] = &["bu-a", "bu-b", "bu-c", LONG_UNIT];
const WORKFLOWS: &[&str] = &["wf-1", "wf-2"];
const MODULES: &[&str] = &["finance", "promoter"];
const ROLES: &[&str] = &["finance.viewer", "promoter.viewer"];
const LIMITS: &[u64] = &[
    0,
    1_000,
    5_000,
    i64::MAX as u64 - 1,
    i64::MAX as u64,
    i64::MAX as u64 + 1,
    u64::MAX,
];
/// The companies queried: the subject's, and one it never belongs to (the long one's twin).
pub const QUERIED: &[&str] = &[ACME, ACME, GLOBEX, LONG_COMPANY, LONG_COMPANY_TWIN];

#[derive(Debug, Clone)]
pub struct GrantSpec {
    key: usize,
    units: Option<Vec<&'static str>>,
    workflows: Option<Vec<&'static str>>,
    own_only: bool,
}

#[derive(Debug, Clone)]
pub struct MembershipSpec {
    company: &'static str,
    entitled: Vec<&'static str>,
    modules: Vec<&'static str>,
    roles: Vec<&'static str>,
    grants: Vec<GrantSpec>,
    units: Option<Vec<&'static str>>,
    workflows: Option<Vec<&'static str>>,
    limit: Option<u64>,
}

/// Some of `pool`, at least one; the long unit's twin stands in for it now and then.
fn some(pool: &'static [&'static str]) -> impl Strategy<Value = Vec<&'static str>> {
    (
        prop::sample::subsequence(pool, 1..=pool.len()),
        any::<bool>(),
    )
        .prop_map(|(mut v, twin)| {
            if twin {
                v.iter_mut()
                    .filter(|x| **x == LONG_UNIT)
                    .for_each(|x| *x = LONG_UNIT_TWIN);
            }
            v
        })
}

fn grant() -> impl Strategy<Value = GrantSpec> {
    (
        0..KEYS.len(),
        prop::option::weighted(0.5, some(UNITS)),
        prop::option::weighted(0.3, some(WORKFLOWS)),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(key, units, workflows, own_only)| GrantSpec {
            key,
            units,
            workflows,
            own_only,
        })
}

fn membership(company: &'static str) -> impl Strategy<Value = MembershipSpec> {
    (
        prop_oneof![3 => Just(MODULES.to_vec()), 1 => prop::sample::subsequence(MODULES, 1..=2)],
        prop_oneof![3 => Just(MODULES.to_vec()), 1 => prop::sample::subsequence(MODULES, 0..=2)],
        prop::sample::subsequence(ROLES, 0..=1),
        prop::collection::vec(grant(), 0..7),
        prop::option::weighted(0.25, some(UNITS)),
        prop::option::weighted(0.15, some(WORKFLOWS)),
        prop::option::weighted(0.8, prop::sample::select(LIMITS)),
    )
        .prop_map(
            move |(entitled, modules, roles, grants, units, workflows, limit)| MembershipSpec {
                company,
                entitled,
                modules,
                roles,
                grants,
                units,
                workflows,
                limit,
            },
        )
}

/// `acme` always, the other member companies sometimes.
pub fn subject() -> impl Strategy<Value = Vec<MembershipSpec>> {
    (
        membership(ACME),
        prop::option::of(membership(GLOBEX)),
        prop::option::of(membership(LONG_COMPANY)),
    )
        .prop_map(|(a, g, l)| [Some(a), g, l].into_iter().flatten().collect())
}

/// The index in [`KEYS`] of a key granted in `company` (the `pick`th), if any.
pub fn granted(spec: &[MembershipSpec], company: &str, pick: prop::sample::Index) -> Option<usize> {
    let m = spec.iter().find(|m| m.company == company)?;
    let keys: Vec<usize> = m.grants.iter().map(|g| g.key).collect();
    (!keys.is_empty()).then(|| keys[pick.index(keys.len())])
}

/// The subject, built through the public builder.
pub fn build(spec: &[MembershipSpec]) -> Subject {
    let mut b = Subject::builder(Catalog::embedded(), USER);
    for m in spec {
        b = b
            .membership(m.company)
            .entitled(m.entitled.iter().copied())
            .modules(m.modules.iter().copied());
        for r in &m.roles {
            b = b.role(*r);
        }
        for g in &m.grants {
            let mut grant = Grant::new(m.company, KEYS[g.key]);
            if let Some(u) = &g.units {
                grant = grant.business_units(u.iter().copied());
            }
            if let Some(w) = &g.workflows {
                grant = grant.workflows(w.iter().copied());
            }
            if g.own_only {
                grant = grant.own_only();
            }
            b = b.grant(&grant);
        }
        if let Some(u) = &m.units {
            b = b.business_units(u.iter().copied());
        }
        if let Some(w) = &m.workflows {
            b = b.workflows(w.iter().copied());
        }
        if let Some(l) = m.limit {
            b = b.approval_limit(l);
        }
    }
    b.build()
        .unwrap_or_else(|e| panic!("random subject rejected: {e}\n{spec:?}"))
}
