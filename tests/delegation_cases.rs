//! Delegation keeps its promise on amounts and size: one test per case a new user found broken,
//! with the inputs they tried: a manager without an approval limit, a manager limited to 100 and a
//! grantee whose membership says 1,000,000, and lists of 1,000 and 3,000 entries. Modules, B.A.M
//! and role patterns are in `tests/delegation_modules.rs`.

use kisum_access::{
    Catalog, ClaimsError, DelegationClaim, DelegationDenial, Denial, Grant, MAX_ID_LEN, MAX_LIST,
    Reach, Scope, ScopeFilter, Subject, decide, explain, keys,
};

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
            company: "acme",
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
