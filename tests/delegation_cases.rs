//! Delegation keeps its promise on amounts, modules and size: one test per case a new user found
//! broken, with the inputs they tried: a manager without an approval limit, a manager limited to
//! 100 and a grantee whose membership says 1,000,000, modules the granter does not control, lists
//! of 1,000 and 3,000 entries, re-delegable grants on B.A.M, and a role pattern that made catalog
//! loading exponential.

use kisum_access::{
    BamToken, Catalog, ClaimsError, DelegationClaim, DelegationDenial, Denial, Grant, Layer,
    MAX_ID_LEN, MAX_LIST, MAX_PATTERN_LEN, ProblemKind, Reach, Scope, ScopeFilter, Subject, decide,
    explain, keys,
};

const ADVERSARIAL: &str = include_str!("../benches/data/adversarial_pattern.toml");

fn cat() -> &'static Catalog {
    Catalog::embedded()
}

fn finance_delegation() -> DelegationClaim {
    DelegationClaim {
        modules: vec!["finance".into()],
        permissions: vec!["finance.bill.approve".into(), "finance.bill.view".into()],
        ..Default::default()
    }
}

/// A finance manager of `acme` who holds bill approval and may delegate it.
fn manager(limit: Option<u64>) -> Subject {
    let mut b = Subject::builder(cat(), "manager")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .permission(keys::FINANCE_BILL_APPROVE)
        .permission(keys::FINANCE_BILL_VIEW)
        .delegation(finance_delegation());
    if let Some(l) = limit {
        b = b.approval_limit(l);
    }
    b.build().unwrap()
}

#[test]
fn a_manager_without_an_approval_limit_cannot_grant_approval() {
    let m = manager(None);
    let approve = |amount| {
        decide(
            &m,
            keys::FINANCE_BILL_APPROVE,
            &Scope::company("acme").amount(amount),
        )
    };
    assert_eq!(approve(1).denial(), Some(Denial::ApprovalLimitMissing));
    let refused = m
        .can_grant(&Grant::new("acme", keys::FINANCE_BILL_APPROVE))
        .unwrap_err();
    assert_eq!(refused, DelegationDenial::ApprovalLimitMissing);
    // The same reason, at the same layer, as decide gives the manager.
    assert_eq!(refused.layer(), Denial::ApprovalLimitMissing.layer());
    let with_limit = Grant::new("acme", keys::FINANCE_BILL_APPROVE).approval_limit(1);
    assert_eq!(
        m.can_grant(&with_limit),
        Err(DelegationDenial::ApprovalLimitMissing)
    );
    // Keys that are not approvals are unaffected.
    assert_eq!(
        m.can_grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW)),
        Ok(())
    );
}

#[test]
fn a_manager_limited_to_100_never_lets_a_grantee_approve_more() {
    let m = manager(Some(100));
    let approve = Grant::new("acme", keys::FINANCE_BILL_APPROVE);
    // Refused, not capped: the grant must say how much it approves.
    assert_eq!(
        m.can_grant(&approve),
        Err(DelegationDenial::ApprovalLimitRequired)
    );
    assert_eq!(
        m.can_grant(&approve.clone().approval_limit(1_000_000)),
        Err(DelegationDenial::ExceedsApprovalLimit { limit: 100 })
    );
    assert_eq!(
        m.can_grant(&approve.clone().approval_limit(101)),
        Err(DelegationDenial::ExceedsApprovalLimit { limit: 100 })
    );
    let accepted = approve.approval_limit(100);
    assert_eq!(m.can_grant(&accepted), Ok(()));

    // The grantee's membership says 1,000,000; the grant's own limit still binds.
    let grantee = Subject::builder(cat(), "grantee")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .approval_limit(1_000_000)
        .grant(&accepted)
        .build()
        .unwrap();
    let acme = Scope::company("acme");
    for (amount, allowed) in [(0, true), (100, true), (101, false), (1_000_000, false)] {
        let scope = acme.amount(amount);
        let d = decide(&grantee, keys::FINANCE_BILL_APPROVE, &scope);
        assert_eq!(d.is_allowed(), allowed, "{amount}: {d:?}");
        assert_eq!(
            decide(&m, keys::FINANCE_BILL_APPROVE, &scope).is_allowed(),
            allowed
        );
        if !allowed {
            assert_eq!(
                d.denial(),
                Some(Denial::ApprovalLimitExceeded { limit: 100 })
            );
        }
        let e = explain(&grantee, keys::FINANCE_BILL_APPROVE, &scope);
        assert_eq!(e.decision(), d, "{e}");
    }
    let e = explain(&grantee, keys::FINANCE_BILL_APPROVE, &acme.amount(100));
    assert!(
        e.to_string()
            .contains("within limit 100 (the grant's own limit)"),
        "{e}"
    );
    // A list query gets the grant's limit, not the membership's.
    assert_eq!(
        grantee.filter(keys::FINANCE_BILL_APPROVE, "acme"),
        ScopeFilter::Restricted {
            reaches: vec![Reach {
                max_amount: Some(100),
                ..Reach::default()
            }]
        }
    );
    // A limit on a key that is not an approval is refused, by can_grant and in claims.
    let stray = Grant::new("acme", keys::FINANCE_BILL_VIEW).approval_limit(5);
    assert_eq!(
        m.can_grant(&stray),
        Err(DelegationDenial::ApprovalLimitNotApplicable)
    );
    let built = Subject::builder(cat(), "g").grant(&stray).build();
    assert!(
        matches!(built, Err(ClaimsError::ApprovalLimitNotApplicable { .. })),
        "{built:?}"
    );
}

#[test]
fn grant_limits_on_restricted_grants_are_checked_per_grant() {
    // Approves up to 5,000 in bu-a but only 100 in bu-b (membership limit 10,000).
    let m = Subject::builder(cat(), "manager")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .approval_limit(10_000)
        .grant(
            &Grant::new("acme", keys::FINANCE_BILL_APPROVE)
                .business_units(["bu-a"])
                .approval_limit(5_000),
        )
        .grant(
            &Grant::new("acme", keys::FINANCE_BILL_APPROVE)
                .business_units(["bu-b"])
                .approval_limit(100),
        )
        .delegation(finance_delegation())
        .build()
        .unwrap();
    let at = |bu, amount| {
        decide(
            &m,
            keys::FINANCE_BILL_APPROVE,
            &Scope::company("acme").business_unit(bu).amount(amount),
        )
    };
    assert!(at("bu-a", 5_000).is_allowed());
    assert_eq!(
        at("bu-b", 5_000).denial(),
        Some(Denial::ApprovalLimitExceeded { limit: 100 })
    );
    assert_eq!(at("bu-c", 1).denial(), Some(Denial::OutOfScope));
    let g = |units: &[&str], limit| {
        m.can_grant(
            &Grant::new("acme", keys::FINANCE_BILL_APPROVE)
                .business_units(units.iter().copied())
                .approval_limit(limit),
        )
    };
    assert_eq!(g(&["bu-a"], 5_000), Ok(()));
    assert_eq!(g(&["bu-a", "bu-b"], 100), Ok(()));
    assert_eq!(
        g(&["bu-a", "bu-b"], 101),
        Err(DelegationDenial::ExceedsApprovalLimit { limit: 100 })
    );
    assert_eq!(
        g(&["bu-a", "bu-c"], 1),
        Err(DelegationDenial::ExceedsPersonalAccess)
    );
    assert_eq!(
        g(&["bu-a"], 10_001),
        Err(DelegationDenial::ExceedsApprovalLimit { limit: 5_000 })
    );
}

#[test]
fn modules_are_assigned_only_by_who_controls_them() {
    let cat = cat();
    let module = |n| cat.module(n).unwrap();
    let granter = |buy_addons, entitled: &[&str], assigned: &[&str], listed: &[&str]| {
        Subject::builder(cat, "admin")
            .membership("acme")
            .entitled(entitled.iter().copied())
            .modules(assigned.iter().copied())
            .delegation(DelegationClaim {
                modules: listed.iter().map(|s| s.to_string()).collect(),
                buy_addons,
                ..Default::default()
            })
            .build()
            .unwrap()
    };
    let full = granter(
        true,
        &["promoter", "finance", "venue"],
        &["promoter", "finance"],
        &["promoter", "finance", "venue"],
    );
    assert_eq!(full.can_assign_module("acme", module("promoter")), Ok(()));
    assert_eq!(full.can_assign_module("acme", module("finance")), Ok(()));
    let cases = [
        (
            full.can_assign_module("globex", module("promoter")),
            DelegationDenial::NotMember,
            Layer::Membership,
        ),
        (
            full.can_assign_module("acme", module("artist")),
            DelegationDenial::NotEntitled(module("artist")),
            Layer::Commercial,
        ),
        (
            full.can_assign_module("acme", module("venue")),
            DelegationDenial::ModuleNotAssigned(module("venue")),
            Layer::Module,
        ),
        (
            full.can_assign_module("acme", module("ticketing")),
            DelegationDenial::ModuleNotAssignable(module("ticketing")),
            Layer::Module,
        ),
        (
            granter(true, &["promoter"], &["promoter"], &[])
                .can_assign_module("acme", module("promoter")),
            DelegationDenial::ModuleNotDelegable(module("promoter")),
            Layer::Delegation,
        ),
        (
            granter(false, &["promoter", "finance"], &["finance"], &["finance"])
                .can_assign_module("acme", module("finance")),
            DelegationDenial::AddonNotAssignable(module("finance")),
            Layer::Delegation,
        ),
        // An add-on bought without a base it attaches to is not usable, so not assignable.
        (
            granter(true, &["finance"], &["finance"], &["finance"])
                .can_assign_module("acme", module("finance")),
            DelegationDenial::NotEntitled(module("finance")),
            Layer::Commercial,
        ),
    ];
    for (got, want, layer) in cases {
        assert_eq!(got, Err(want));
        assert_eq!(want.layer(), layer, "{want:?}");
    }
    // B.A.M: no commercial model, modules are not assigned; and a module of another catalog.
    let bam = Catalog::from_toml_str(include_str!("../catalogs/bam.toml")).unwrap();
    let event = bam.module("event").unwrap();
    assert_eq!(
        full.can_assign_module("acme", event),
        Err(DelegationDenial::ForeignModule)
    );
    let token: BamToken = serde_json::from_str(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["event.change_permissions", "event.event.view"]}}}"#,
    )
    .unwrap();
    let admin = Subject::from_bam_token(&bam, &token).unwrap();
    assert_eq!(
        admin.can_assign_module("ACME", event),
        Err(DelegationDenial::ModuleNotAssignable(event))
    );
}

/// A granter holding bill view unrestricted, and bill edit through two restricted grants.
fn wide_granter() -> Subject {
    let units: Vec<String> = (0..MAX_LIST).map(|i| format!("bu-{i}")).collect();
    let flows: Vec<String> = (0..MAX_LIST).map(|i| format!("wf-{i}")).collect();
    Subject::builder(cat(), "granter")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .permission(keys::FINANCE_BILL_VIEW)
        .grant(
            &Grant::new("acme", keys::FINANCE_BILL_EDIT)
                .business_units(&units[..128])
                .workflows(flows.clone()),
        )
        .grant(
            &Grant::new("acme", keys::FINANCE_BILL_EDIT)
                .business_units(&units[128..])
                .workflows(flows),
        )
        .delegable([keys::FINANCE_BILL_VIEW, keys::FINANCE_BILL_EDIT])
        .build()
        .unwrap()
}

#[test]
fn grant_lists_over_the_claims_limits_are_refused_by_name() {
    let g = wide_granter();
    for n in [1_000, 3_000] {
        let list: Vec<String> = (0..n).map(|i| format!("x-{i}")).collect();
        let both = Grant::new("acme", keys::FINANCE_BILL_VIEW)
            .business_units(list.clone())
            .workflows(list.clone());
        assert_eq!(
            g.can_grant(&both),
            Err(DelegationDenial::TooMany {
                what: "business units",
                count: n,
                max: MAX_LIST
            })
        );
        let flows = Grant::new("acme", keys::FINANCE_BILL_VIEW).workflows(list);
        assert_eq!(
            g.can_grant(&flows),
            Err(DelegationDenial::TooMany {
                what: "workflows",
                count: n,
                max: MAX_LIST
            })
        );
        // The builder refuses the same grant.
        let built = Subject::builder(cat(), "g").grant(&flows).build();
        assert!(
            matches!(built, Err(ClaimsError::TooMany { count, .. }) if count == n),
            "{built:?}"
        );
    }
    let long = "x".repeat(MAX_ID_LEN + 1);
    let bad = |units: Vec<&str>| {
        g.can_grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(units))
    };
    assert_eq!(
        bad(vec!["bu-1", ""]),
        Err(DelegationDenial::BadId {
            what: "business unit",
            index: 1,
            len: 0
        })
    );
    assert_eq!(
        bad(vec![long.as_str()]),
        Err(DelegationDenial::BadId {
            what: "business unit",
            index: 0,
            len: MAX_ID_LEN + 1
        })
    );
    assert_eq!(
        g.can_grant(&Grant::new(long.clone(), keys::FINANCE_BILL_VIEW)),
        Err(DelegationDenial::BadId {
            what: "company",
            index: 0,
            len: MAX_ID_LEN + 1
        })
    );
}

#[test]
fn grant_lists_at_the_limit_are_decided_exactly() {
    let g = wide_granter();
    let units: Vec<String> = (0..MAX_LIST).map(|i| format!("bu-{i}")).collect();
    let flows: Vec<String> = (0..MAX_LIST).map(|i| format!("wf-{i}")).collect();
    let edit = |u: &[String], w: &[String]| {
        g.can_grant(
            &Grant::new("acme", keys::FINANCE_BILL_EDIT)
                .business_units(u.to_vec())
                .workflows(w.to_vec()),
        )
    };
    // 256 x 256: covered only by the union of the two grants.
    assert_eq!(edit(&units, &flows), Ok(()));
    let mut one_more = flows[1..].to_vec();
    one_more.push("wf-x".into());
    assert_eq!(
        edit(&units, &one_more),
        Err(DelegationDenial::ExceedsPersonalAccess)
    );
    assert_eq!(
        g.can_grant(&Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(units.clone())),
        Err(DelegationDenial::ExceedsPersonalAccess),
        "no workflow restriction: any workflow, which neither grant covers"
    );
    assert_eq!(
        edit(&units[..0], &flows),
        Ok(()),
        "an empty list reaches nothing"
    );
}

#[test]
fn bam_can_grant_and_the_builder_agree_on_redelegation() {
    let bam = Catalog::from_toml_str(include_str!("../catalogs/bam.toml")).unwrap();
    let token: BamToken = serde_json::from_str(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["event.change_permissions", "event.event.update", "event.event.view"]}}}"#,
    )
    .unwrap();
    let admin = Subject::from_bam_token(&bam, &token).unwrap();
    let mut accepted = 0;
    for key in bam.keys() {
        for redelegable in [false, true] {
            let mut grant = Grant::new("ACME", key);
            if redelegable {
                grant = grant.redelegable();
            }
            let built = Subject::builder(&bam, "u2").grant(&grant).build();
            match admin.can_grant(&grant) {
                Ok(()) => {
                    accepted += 1;
                    assert!(built.is_ok(), "{}: accepted but {built:?}", bam.name(key));
                }
                Err(DelegationDenial::RedelegationNotApplicable) => {
                    assert_eq!(
                        built.unwrap_err(),
                        ClaimsError::DelegationPolicyNotApplicable("ACME".into())
                    );
                }
                Err(_) => {}
            }
        }
        let redelegable = admin.can_grant(&Grant::new("ACME", key).redelegable());
        assert!(redelegable.is_err(), "{}", bam.name(key));
    }
    // event.change_permissions itself is grantable: that is how B.A.M re-delegates.
    assert_eq!(
        admin.can_grant(&Grant::new(
            "ACME",
            bam.key("event.change_permissions").unwrap()
        )),
        Ok(())
    );
    assert_eq!(accepted, 3);
}

#[test]
fn an_adversarial_role_pattern_loads_and_over_long_patterns_are_problems() {
    let c = Catalog::from_toml_str(ADVERSARIAL).unwrap();
    assert_eq!(c.len(), 64);
    let role = c.role("adversarial").unwrap();
    let matched: Vec<&str> = c
        .keys()
        .filter(|k| role.contains(*k))
        .map(|k| c.name(k))
        .collect();
    assert!(
        matched.contains(&"a.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.zz"),
        "{matched:?}"
    );
    // The third pattern also matches `view` keys with six `b` segments apart; not all keys.
    assert!(matched.len() > 1 && matched.len() < 64, "{}", matched.len());

    let pattern = format!("a.{}", "*.".repeat(23)) + "zz";
    assert!(pattern.len() > MAX_PATTERN_LEN);
    let src = ADVERSARIAL.replace("\"a.*.*.*.*.*.*.*.*.*.*.*.zz\"", &format!("\"{pattern}\""));
    let problems = Catalog::from_toml_str(&src).unwrap_err();
    let kinds: Vec<&ProblemKind> = problems.problems().iter().map(|p| &p.kind).collect();
    assert_eq!(
        kinds,
        [&ProblemKind::PatternTooLong {
            role: "adversarial".into(),
            pattern: pattern.clone(),
            len: pattern.len()
        }]
    );
}
