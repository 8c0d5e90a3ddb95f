//! The bound of `tests/exhaustive.rs`: its catalog, the membership configurations, the grant shapes
//! per key, the requests, and the subjects built from them (the crate's and the model's).

use std::collections::HashSet;

use kisum_access::{Catalog, DelegationClaim, Grant, Subject};

use crate::oracle::delegation::ModelPolicy;
use crate::oracle::{ModelGrant, ModelMembership, ModelSubject, Req};

/// The catalog of the bound.
pub const CATALOG: &str = r#"
[catalog]
name = "small"
commercial = true
delegation = "policy"
actions = ["view", "edit", "approve"]

[[module]]
key = "core"
name = "Core"
kind = "base"
status = "active"

[[module]]
key = "extra"
name = "Extra"
kind = "addon"
status = "active"
attaches_to = ["core"]

[[permission]]
key = "core.item.view"
gates = "View items"

[[permission]]
key = "core.item.edit"
gates = "Edit items"

[[permission]]
key = "extra.bill.view"
gates = "View bills"

[[permission]]
key = "extra.bill.approve"
gates = "Approve bills"
approval = true

[[role]]
name = "core.clerk"
grants = ["core.item.view", "extra.bill.approve"]
own_only = ["core.item.edit"]
"#;

pub const COMPANY: &str = "co";
pub const USER: &str = "u1";
pub const GRANTEE: &str = "u2";
pub const ROLE: &str = "core.clerk";
pub const MODULES: [&str; 2] = ["core", "extra"];
pub const KEYS: [&str; 4] = [
    "core.item.view",
    "core.item.edit",
    "extra.bill.view",
    "extra.bill.approve",
];

/// A grant's shape: business units, workflows, own-only (restrictions on one grant intersect).
pub type Shape = (
    Option<&'static [&'static str]>,
    Option<&'static [&'static str]>,
    bool,
);

/// The grant shapes a key's configuration picks at most two of.
pub const SHAPES: [Shape; 6] = [
    (None, None, false),
    (Some(&["a"]), None, false),
    (Some(&["a", "b"]), None, false),
    (None, Some(&["w"]), false),
    (None, None, true),
    (Some(&["b"]), Some(&["w"]), true),
];

/// Configurations are staggered by this much from one key to the next (coprime with 22).
pub const STRIDE: usize = 5;

/// Every set of at most two shapes, as indices into [`SHAPES`].
pub fn key_configs() -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for a in 0..SHAPES.len() {
        out.push(vec![a]);
        for b in a + 1..SHAPES.len() {
            out.push(vec![a, b]);
        }
    }
    out
}

/// Every subset of `items`.
pub fn subsets(items: &[&'static str]) -> Vec<Vec<&'static str>> {
    (0..1usize << items.len())
        .map(|bits| {
            let picked = items.iter().enumerate().filter(|(i, _)| bits >> i & 1 == 1);
            picked.map(|(_, x)| *x).collect()
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct MembershipCfg {
    pub bought: Vec<&'static str>,
    pub assigned: Vec<&'static str>,
    pub role: bool,
    /// The membership-wide restriction: business units, workflows.
    pub bound: Shape,
    pub limit: Option<u64>,
}

/// The membership-wide restrictions of the bound: none, unit `a`, unit `b`, workflow `w`.
pub const MEMBERSHIP_BOUNDS: [Shape; 4] = [
    (None, None, false),
    (Some(&["a"]), None, false),
    (Some(&["b"]), None, false),
    (None, Some(&["w"]), false),
];

/// Every membership configuration of the bound.
pub fn membership_configs() -> Vec<MembershipCfg> {
    let mut out = Vec::new();
    for bought in subsets(&MODULES) {
        for assigned in subsets(&MODULES) {
            for role in [false, true] {
                for bound in MEMBERSHIP_BOUNDS {
                    for limit in [None, Some(0), Some(10)] {
                        out.push(MembershipCfg {
                            bought: bought.clone(),
                            assigned: assigned.clone(),
                            role,
                            bound,
                            limit,
                        });
                    }
                }
            }
        }
    }
    // A fixed scrambled order (i -> 235 i mod n, 235 prime to n and about n / 1.618, so every
    // digit of the configuration changes from one to the next): the first seconds, and each
    // thread's share, reach every kind of configuration, so a wrong answer is found early.
    let n = out.len();
    assert_eq!(gcd(235, n), 1);
    (0..n).map(|i| out[i * 235 % n].clone()).collect()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Every request of the bound.
pub fn requests() -> Vec<Req<'static>> {
    let mut out = Vec::new();
    for business_unit in [None, Some("a"), Some("b"), Some("c")] {
        for workflow in [None, Some("w"), Some("v")] {
            for owner in [None, Some(USER), Some(GRANTEE)] {
                for amount in [None, Some(0), Some(10), Some(11)] {
                    out.push(Req {
                        company: COMPANY,
                        business_unit,
                        workflow,
                        owner,
                        amount,
                    });
                }
            }
        }
    }
    out
}

pub fn grant(catalog: &Catalog, key: &str, shape: &Shape) -> Grant {
    let mut g = Grant::new(COMPANY, catalog.key(key).unwrap());
    if let Some(units) = shape.0 {
        g = g.business_units(units.iter().copied());
    }
    if let Some(flows) = shape.1 {
        g = g.workflows(flows.iter().copied());
    }
    if shape.2 { g.own_only() } else { g }
}

pub fn set(list: Option<&[&str]>) -> Option<HashSet<String>> {
    list.map(|l| l.iter().map(|s| s.to_string()).collect())
}

/// The crate's subject and the model's, for a membership configuration and each key's shapes.
pub fn subjects(
    catalog: &Catalog,
    m: &MembershipCfg,
    shapes: &[&[usize]],
) -> (Subject, ModelSubject) {
    let all = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut b = Subject::builder(catalog, USER)
        .membership(COMPANY)
        .entitled(m.bought.iter().copied())
        .modules(m.assigned.iter().copied());
    let mut model = ModelMembership {
        bought: m.bought.iter().map(|s| s.to_string()).collect(),
        assigned: m.assigned.iter().map(|s| s.to_string()).collect(),
        business_units: set(m.bound.0),
        workflows: set(m.bound.1),
        approval_limit: m.limit,
        delegation: Some(ModelPolicy {
            modules: all(&MODULES).into_iter().collect(),
            permissions: all(&KEYS).into_iter().collect(),
            redelegate: all(&KEYS).into_iter().collect(),
            ..ModelPolicy::default()
        }),
        ..ModelMembership::default()
    };
    if m.role {
        b = b.role(ROLE);
        model.roles.push(ROLE.to_string());
    }
    for (key, shapes) in KEYS.iter().zip(shapes) {
        for shape in shapes.iter().map(|&i| &SHAPES[i]) {
            b = b.grant(&grant(catalog, key, shape));
            model.grants.push(ModelGrant {
                key: key.to_string(),
                business_units: set(shape.0),
                workflows: set(shape.1),
                own_only: shape.2,
            });
        }
    }
    if let Some(units) = m.bound.0 {
        b = b.business_units(units.iter().copied());
    }
    if let Some(flows) = m.bound.1 {
        b = b.workflows(flows.iter().copied());
    }
    if let Some(limit) = m.limit {
        b = b.approval_limit(limit);
    }
    let b = b.delegation(DelegationClaim {
        modules: all(&MODULES),
        permissions: all(&KEYS),
        redelegate: all(&KEYS),
        ..DelegationClaim::default()
    });
    let memberships = [(COMPANY.to_string(), model)].into();
    let model = ModelSubject {
        user: USER.to_string(),
        memberships,
    };
    (b.build().unwrap(), model)
}

/// The grants asked of `can_grant` for each key: business units none/a/b/c/a+b × workflows
/// none/w/v × own-only or not.
pub fn grant_shapes() -> Vec<Shape> {
    const UNITS: [Option<&[&str]>; 5] = [
        None,
        Some(&["a"]),
        Some(&["b"]),
        Some(&["c"]),
        Some(&["a", "b"]),
    ];
    const FLOWS: [Option<&[&str]>; 3] = [None, Some(&["w"]), Some(&["v"])];
    let mut out = Vec::new();
    for units in UNITS {
        for flows in FLOWS {
            for own_only in [false, true] {
                out.push((units, flows, own_only));
            }
        }
    }
    out
}
