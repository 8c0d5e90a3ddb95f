//! Seed scenarios for the decision engine: each layer denying on its own, the blueprint's finance
//! examples (§9), approvals, own-only vs org-wide (the catalog's flow tables are in `flows.rs`),
//! ticketing roles, claims errors, list filters and explanations.

use kisum_access::{
    Catalog, Claims, ClaimsError, ClaimsOptions, Decision, Denial, Entitlements, ErrorOrigin,
    Grant, KeyError, Layer, Outcome, Reach, Scope, ScopeFilter, Subject, UnknownNames, decide,
    explain, key, keys,
};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

fn from_json(json: &str, ents: &[Entitlements]) -> Result<Subject, ClaimsError> {
    let claims: Claims = serde_json::from_str(json).expect("test JSON parses");
    Subject::from_claims(catalog(), &claims, ents)
}

fn deny(d: Decision) -> Denial {
    d.denial()
        .unwrap_or_else(|| panic!("expected a denial, got {d:?}"))
}

/// The DESIGN §3 example token.
const DESIGN_TOKEN: &str = r#"{ "sub": "user-42",
  "memberships": [{
    "company": "acme",
    "modules": ["promoter", "finance"],
    "roles": ["promoter.viewer"],
    "permissions": [
      "promoter.event.view",
      {"key": "finance.bill.view", "business_units": ["bu-x"]},
      {"key": "promoter.event.edit", "own_only": true},
      {"key": "promoter.event.edit", "workflows": ["wf-1"]}
    ],
    "scope": {"business_units": ["bu-x", "bu-y"]},
    "approval_limit": 500000,
    "delegation": {"modules": ["finance"], "permissions": ["finance.bill.view"],
                   "manage_users": false, "buy_addons": false,
                   "scope": {"business_units": ["bu-x"]}, "redelegate": []}
  }] }"#;

fn design_subject() -> Subject {
    from_json(
        DESIGN_TOKEN,
        &[Entitlements::new("acme", ["promoter", "finance"])],
    )
    .unwrap()
}

#[test]
fn the_design_token_compiles_and_decides() {
    let s = design_subject();
    let bu_x = Scope::company("acme").business_unit("bu-x");
    assert!(decide(&s, keys::PROMOTER_EVENT_VIEW, &bu_x).is_allowed());
    // From the promoter.viewer role.
    assert!(decide(&s, keys::PROMOTER_EVENT_SALES_VIEW, &bu_x).is_allowed());
    assert!(decide(&s, keys::FINANCE_BILL_VIEW, &bu_x).is_allowed());
    // The membership-wide scope (bu-x, bu-y) intersects everything, even unrestricted grants.
    assert_eq!(
        deny(decide(
            &s,
            keys::PROMOTER_EVENT_VIEW,
            &Scope::company("acme").business_unit("bu-z")
        )),
        Denial::OutOfScope
    );
    // ... and a request with no business unit does not satisfy it.
    assert_eq!(
        deny(decide(
            &s,
            keys::PROMOTER_EVENT_VIEW,
            &Scope::company("acme")
        )),
        Denial::OutOfScope
    );
}

// ---------------------------------------------------------------------------------------------
// Each layer denies on its own.
// ---------------------------------------------------------------------------------------------

#[test]
fn each_layer_denies_on_its_own() {
    let bam = Catalog::from_toml_str(include_str!("../catalogs/bam.toml")).unwrap();
    let s = Subject::builder(catalog(), "u1")
        .membership("acme")
        .entitled(["promoter", "finance", "artist"])
        .modules(["promoter", "finance"])
        .permission(keys::PROMOTER_EVENT_VIEW)
        .permission(keys::ARTIST_VIEW)
        .permission(keys::FINANCE_BILL_APPROVE)
        .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x"]))
        .build()
        .unwrap();
    let no_limit = Subject::builder(catalog(), "u1")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .permission(keys::FINANCE_BILL_APPROVE)
        .build()
        .unwrap();
    let acme = Scope::company("acme");
    let cases: [(&Subject, kisum_access::Key, Scope<'_>, Denial, Layer); 9] = [
        (
            &s,
            keys::PROMOTER_EVENT_VIEW,
            Scope::company("globex"),
            Denial::NoMembership,
            Layer::Membership,
        ),
        (
            &s,
            keys::AI_COPILOT_USE,
            acme,
            Denial::NotEntitled(catalog().module("ai").unwrap()),
            Layer::Commercial,
        ),
        (
            &s,
            keys::ARTIST_VIEW,
            acme,
            Denial::ModuleNotAssigned(catalog().module("artist").unwrap()),
            Layer::Module,
        ),
        (
            &s,
            keys::PROMOTER_EVENT_EDIT,
            acme,
            Denial::MissingPermission,
            Layer::Permission,
        ),
        (
            &s,
            keys::FINANCE_BILL_VIEW,
            acme.business_unit("bu-y"),
            Denial::OutOfScope,
            Layer::Scope,
        ),
        (
            &no_limit,
            keys::FINANCE_BILL_APPROVE,
            acme.amount(1),
            Denial::ApprovalLimitMissing,
            Layer::Scope,
        ),
        (
            &s,
            bam.key("event.event.view").unwrap(),
            acme,
            Denial::ForeignKey,
            Layer::Permission,
        ),
        (
            &s,
            keys::FINANCE_BILL_APPROVE,
            acme,
            Denial::ApprovalLimitMissing,
            Layer::Scope,
        ),
        (
            &s,
            keys::PROMOTER_EVENT_VIEW,
            Scope::company(""),
            Denial::NoMembership,
            Layer::Membership,
        ),
    ];
    for (subject, key, scope, denial, layer) in cases {
        let d = deny(decide(subject, key, &scope));
        assert_eq!(d, denial, "{key:?} in {scope:?}");
        assert_eq!(d.layer(), layer);
        assert_eq!(
            explain(subject, key, &scope).decision(),
            Decision::Deny(denial)
        );
    }
    assert!(decide(&s, keys::PROMOTER_EVENT_VIEW, &acme).is_allowed());
    assert!(decide(&s, keys::FINANCE_BILL_VIEW, &acme.business_unit("bu-x")).is_allowed());
}

#[test]
fn an_addon_needs_a_bought_base_it_attaches_to() {
    // finance attaches to promoter/venue/artist/vendor; bought alone it is unusable.
    let alone = Subject::builder(catalog(), "u1")
        .membership("acme")
        .entitled(["finance"])
        .modules(["finance"])
        .permission(keys::FINANCE_BILL_VIEW)
        .build()
        .unwrap();
    let finance = catalog().module("finance").unwrap();
    let d = deny(decide(
        &alone,
        keys::FINANCE_BILL_VIEW,
        &Scope::company("acme"),
    ));
    assert_eq!(d, Denial::AddonWithoutBase(finance));
    assert_eq!(d.layer(), Layer::Commercial);
    assert!(
        explain(&alone, keys::FINANCE_BILL_VIEW, &Scope::company("acme"))
            .to_string()
            .contains("no base module it attaches to")
    );
    // With a base module it attaches to, it is usable.
    let with_base = Subject::builder(catalog(), "u1")
        .membership("acme")
        .entitled(["finance", "venue"])
        .modules(["finance"])
        .permission(keys::FINANCE_BILL_VIEW)
        .build()
        .unwrap();
    assert!(decide(&with_base, keys::FINANCE_BILL_VIEW, &Scope::company("acme")).is_allowed());
}

#[test]
fn a_membership_without_entitlements_is_entitled_to_nothing() {
    let s = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "modules": ["promoter"], "permissions": ["promoter.event.view"]}]}"#,
        &[Entitlements::new("globex", ["promoter"])],
    )
    .unwrap();
    assert_eq!(
        deny(decide(
            &s,
            keys::PROMOTER_EVENT_VIEW,
            &Scope::company("acme")
        )),
        Denial::NotEntitled(catalog().module("promoter").unwrap())
    );
}

// ---------------------------------------------------------------------------------------------
// Blueprint §9: finance examples.
// ---------------------------------------------------------------------------------------------

/// §9.1: company owns finance; user gets bills read, not income. The catalog's bills are
/// `finance.bill.*`; it has no income resource, so income is modelled by its nearest key,
/// invoices (money coming in), which the user does not get.
#[test]
fn blueprint_9_1_bills_only() {
    let s = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "modules": ["finance"], "permissions": ["finance.bill.view"]}]}"#,
        &[Entitlements::new("acme", ["promoter", "finance"])],
    )
    .unwrap();
    let acme = Scope::company("acme");
    assert!(
        decide(&s, keys::FINANCE_BILL_VIEW, &acme).is_allowed(),
        "can access bills"
    );
    assert!(decide(&s, keys::FINANCE_BILL_VIEW, &acme.business_unit("any")).is_allowed());
    assert_eq!(
        deny(decide(&s, keys::FINANCE_INVOICE_VIEW, &acme)),
        Denial::MissingPermission,
        "cannot access income"
    );
    assert_eq!(
        deny(decide(&s, keys::FINANCE_BILL_EDIT, &acme)),
        Denial::MissingPermission
    );
}

/// §9.2: bills for one business unit only.
#[test]
fn blueprint_9_2_bills_for_one_business_unit() {
    let s = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "modules": ["finance"],
            "permissions": [{"key": "finance.bill.view", "business_units": ["BU-X"]}]}]}"#,
        &[Entitlements::new("acme", ["promoter", "finance"])],
    )
    .unwrap();
    let acme = Scope::company("acme");
    assert!(decide(&s, keys::FINANCE_BILL_VIEW, &acme.business_unit("BU-X")).is_allowed());
    assert_eq!(
        deny(decide(
            &s,
            keys::FINANCE_BILL_VIEW,
            &acme.business_unit("BU-Y")
        )),
        Denial::OutOfScope
    );
    // Fail closed: a request that names no business unit is outside a BU restriction.
    assert_eq!(
        deny(decide(&s, keys::FINANCE_BILL_VIEW, &acme)),
        Denial::OutOfScope
    );
    // Scope narrows, never creates: the restriction grants nothing else.
    assert_eq!(
        deny(decide(
            &s,
            keys::FINANCE_INVOICE_VIEW,
            &acme.business_unit("BU-X")
        )),
        Denial::MissingPermission
    );
    assert_eq!(
        s.filter(keys::FINANCE_BILL_VIEW, "acme"),
        ScopeFilter::Restricted {
            company: "acme",
            reaches: vec![Reach {
                business_units: Some(vec!["BU-X"]),
                ..Reach::default()
            }],
        }
    );
}

#[test]
fn scope_without_a_grant_grants_nothing() {
    // Blueprint §5.1 "bad design": BU scope alone must not give finance access.
    let s = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "modules": ["finance"],
            "scope": {"business_units": ["bu-x"]}}]}"#,
        &[Entitlements::new("acme", ["promoter", "finance"])],
    )
    .unwrap();
    for k in catalog().keys() {
        let scope = Scope::company("acme").business_unit("bu-x");
        assert!(!decide(&s, k, &scope).is_allowed(), "{k:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Approvals (finance.*.approve) and own-only vs org-wide.
// ---------------------------------------------------------------------------------------------

#[test]
fn approvals_need_limit_and_amount_at_or_under_it() {
    let s = Subject::builder(catalog(), "u1")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .permission(keys::FINANCE_INVOICE_APPROVE)
        .permission(keys::FINANCE_BILL_VIEW)
        .approval_limit(500_000)
        .build()
        .unwrap();
    let acme = Scope::company("acme");
    let k = keys::FINANCE_INVOICE_APPROVE;
    assert!(decide(&s, k, &acme.amount(0)).is_allowed());
    assert!(
        decide(&s, k, &acme.amount(500_000)).is_allowed(),
        "at the limit"
    );
    assert_eq!(
        deny(decide(&s, k, &acme.amount(500_001))),
        Denial::ApprovalLimitExceeded { limit: 500_000 }
    );
    assert_eq!(
        deny(decide(&s, k, &acme.amount(u64::MAX))),
        Denial::ApprovalLimitExceeded { limit: 500_000 }
    );
    assert_eq!(deny(decide(&s, k, &acme)), Denial::ApprovalAmountMissing);
    // Permission alone is never enough: the other approval key is not held.
    assert_eq!(
        deny(decide(&s, keys::FINANCE_BILL_APPROVE, &acme.amount(1))),
        Denial::MissingPermission
    );
    // Non-approval keys ignore amounts.
    assert!(decide(&s, keys::FINANCE_BILL_VIEW, &acme.amount(u64::MAX)).is_allowed());
    assert_eq!(
        s.filter(k, "acme"),
        ScopeFilter::Restricted {
            company: "acme",
            reaches: vec![Reach {
                max_amount: Some(500_000),
                ..Reach::default()
            }],
        }
    );
}

#[test]
fn own_only_reaches_own_resources_and_org_wide_supersedes_it() {
    let own = from_json(
        r#"{"sub": "user-7", "memberships": [{"company": "acme", "modules": ["promoter"],
            "permissions": [{"key": "promoter.event.edit", "own_only": true}]}]}"#,
        &[Entitlements::new("acme", ["promoter"])],
    )
    .unwrap();
    let acme = Scope::company("acme");
    let k = keys::PROMOTER_EVENT_EDIT;
    assert!(decide(&own, k, &acme.owner("user-7")).is_allowed());
    assert_eq!(
        deny(decide(&own, k, &acme.owner("user-8"))),
        Denial::OutOfScope
    );
    assert_eq!(
        deny(decide(&own, k, &acme)),
        Denial::OutOfScope,
        "no owner given: fail closed"
    );
    assert_eq!(
        own.filter(k, "acme"),
        ScopeFilter::Restricted {
            company: "acme",
            reaches: vec![Reach {
                owner: Some("user-7"),
                ..Reach::default()
            }],
        }
    );

    let both = from_json(
        r#"{"sub": "user-7", "memberships": [{"company": "acme", "modules": ["promoter"],
            "permissions": [{"key": "promoter.event.edit", "own_only": true}, "promoter.event.edit"]}]}"#,
        &[Entitlements::new("acme", ["promoter"])],
    )
    .unwrap();
    assert!(
        decide(&both, k, &acme.owner("user-8")).is_allowed(),
        "org level supersedes own-only"
    );
    assert!(decide(&both, k, &acme).is_allowed());
    assert_eq!(both.filter(k, "acme"), ScopeFilter::All { company: "acme" });
}

/// Grants of one key restricted to business units alone and to workflows alone reach a request in
/// one of the units or in one of the workflows (the table's `Either` entry, not the walk), with
/// short ids and with ids too long for an exact tag (compared byte for byte).
#[test]
fn grants_of_units_alone_and_of_workflows_alone_reach_either() {
    for (x, y, w) in [
        ("bu-x", "bu-y", "wf-1"),
        (
            "business-unit-x-0000000000000000000000000001",
            "business-unit-y-0000000000000000000000000001",
            "workflow-number-1-000000000000000000000000000",
        ),
    ] {
        let s = from_json(
            &format!(
                r#"{{"sub": "u1", "memberships": [{{"company": "acme", "modules": ["promoter"], "permissions": [
                {{"key": "promoter.event.edit", "business_units": ["{x}", "{y}"]}},
                {{"key": "promoter.event.edit", "workflows": ["{w}"]}}]}}]}}"#
            ),
            &[Entitlements::new("acme", ["promoter"])],
        )
        .unwrap();
        let (acme, k) = (Scope::company("acme"), keys::PROMOTER_EVENT_EDIT);
        let other = "business-unit-x-0000000000000000000000000002";
        for (scope, allowed) in [
            (acme.business_unit(x), true),
            (acme.business_unit(y).workflow("wf-9"), true),
            (acme.business_unit("bu-z").workflow(w), true),
            (acme.workflow(w), true),
            (acme.business_unit("bu-z"), false),
            (acme.business_unit(other), false),
            (acme.workflow("wf-2"), false),
            (acme, false),
        ] {
            let d = decide(&s, k, &scope);
            assert_eq!(d.is_allowed(), allowed, "{scope:?}");
            if !allowed {
                assert_eq!(deny(d), Denial::OutOfScope, "{scope:?}");
            }
        }
    }
}

/// An id too long for an exact tag, in any field of the scope, is confirmed byte for byte: a tag
/// twin (same first and last 8 bytes) of the company, the business unit, the workflow or the
/// owner is another id, whether it is the scope's only long id or not, whether the long id came
/// first or last into the scope, and whatever short id replaced it.
#[test]
fn tag_twins_in_any_field_of_the_scope_are_other_ids() {
    let (company, twin_company) = ("company-00000000000000001", "company-XXXXXXXXX00000001");
    let (user, twin_user) = (
        "user-0000000000000000000000000042",
        "user-000XXXXXXXXXXXXXXXXXX00000042",
    );
    let (unit, twin_unit) = (
        "unit-0000000000000000000000000007",
        "unit-000XXXXXXXXXXXXXXXXXX00000007",
    );
    let (wf, twin_wf) = (
        "flow-0000000000000000000000000009",
        "flow-000XXXXXXXXXXXXXXXXXX00000009",
    );
    let grants = format!(
        r#""modules": ["promoter"], "permissions": [
            {{"key": "promoter.event.view", "own_only": true}},
            {{"key": "promoter.event.edit", "business_units": ["{unit}"]}},
            {{"key": "promoter.event.analytics.view", "workflows": ["{wf}"]}}]"#
    );
    let json = format!(
        r#"{{"sub": "{user}", "memberships": [{{"company": "acme", {grants}}},
            {{"company": "{company}", {grants}}}]}}"#
    );
    let ents = [
        Entitlements::new("acme", ["promoter"]),
        Entitlements::new(company, ["promoter"]),
    ];
    let s = from_json(&json, &ents).unwrap();
    let (own, in_unit, in_wf) = (
        keys::PROMOTER_EVENT_VIEW,
        keys::PROMOTER_EVENT_EDIT,
        keys::PROMOTER_EVENT_ANALYTICS_VIEW,
    );
    let out = Some(Denial::OutOfScope);
    for at in [Scope::company("acme"), Scope::company(company)] {
        let cases = [
            (own, at.owner(user), None),
            (own, at.owner(twin_user), out),
            (in_unit, at.business_unit(unit), None),
            (in_unit, at.business_unit(twin_unit), out),
            (in_wf, at.workflow(wf), None),
            (in_wf, at.workflow(twin_wf), out),
            // A long id replaced by a short one, and a short one by a long one.
            (in_unit, at.business_unit(unit).business_unit("bu-x"), out),
            (
                in_unit,
                at.business_unit("bu-x").business_unit(twin_unit),
                out,
            ),
            (
                in_unit,
                at.owner(user).maybe_owner(None).business_unit(twin_unit),
                out,
            ),
        ];
        for (key, scope, denial) in cases {
            assert_eq!(decide(&s, key, &scope).denial(), denial, "{scope:?}");
        }
    }
    for twin in [
        Scope::company(twin_company),
        Scope::company(twin_company).owner(user),
    ] {
        assert_eq!(decide(&s, own, &twin).denial(), Some(Denial::NoMembership));
    }
}

#[test]
fn several_grants_of_one_key_are_a_union_and_restrictions_on_one_intersect() {
    let s = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "modules": ["promoter"], "permissions": [
            {"key": "promoter.event.edit", "business_units": ["bu-x"], "workflows": ["wf-1"]},
            {"key": "promoter.event.edit", "business_units": ["bu-y"]}]}]}"#,
        &[Entitlements::new("acme", ["promoter"])],
    )
    .unwrap();
    let acme = Scope::company("acme");
    let k = keys::PROMOTER_EVENT_EDIT;
    assert!(decide(&s, k, &acme.business_unit("bu-x").workflow("wf-1")).is_allowed());
    assert_eq!(
        deny(decide(&s, k, &acme.business_unit("bu-x").workflow("wf-2"))),
        Denial::OutOfScope
    );
    assert_eq!(
        deny(decide(&s, k, &acme.business_unit("bu-x"))),
        Denial::OutOfScope
    );
    assert!(decide(&s, k, &acme.business_unit("bu-y").workflow("wf-9")).is_allowed());
    assert!(decide(&s, k, &acme.business_unit("bu-y")).is_allowed());
    assert_eq!(
        deny(decide(&s, k, &acme.business_unit("bu-z"))),
        Denial::OutOfScope
    );
    // An empty restriction list reaches nothing.
    let empty = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "modules": ["promoter"], "permissions": [
            {"key": "promoter.event.edit", "business_units": []}]}]}"#,
        &[Entitlements::new("acme", ["promoter"])],
    )
    .unwrap();
    assert_eq!(
        deny(decide(&empty, k, &acme.business_unit("bu-x"))),
        Denial::OutOfScope
    );
    assert_eq!(
        empty.filter(k, "acme"),
        ScopeFilter::None(Denial::OutOfScope)
    );
}

// ---------------------------------------------------------------------------------------------
// Ticketing: external, resolved from its roles only.
// ---------------------------------------------------------------------------------------------

#[test]
fn ticketing_resolves_from_roles_and_skips_the_commercial_layers() {
    let staff = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "roles": ["ticketing.staff"]}]}"#,
        &[],
    )
    .unwrap();
    let acme = Scope::company("acme");
    assert!(decide(&staff, keys::TICKETING_SCAN_OPERATE, &acme).is_allowed());
    assert!(decide(&staff, keys::TICKETING_GUESTLIST_MANAGE, &acme).is_allowed());
    assert_eq!(
        deny(decide(&staff, keys::TICKETING_SALE_REFUND, &acme)),
        Denial::MissingPermission
    );
    let e = explain(&staff, keys::TICKETING_SCAN_OPERATE, &acme);
    assert!(
        matches!(e.verdicts()[1].outcome, Outcome::NotApplicable(_)),
        "{e}"
    );
    assert!(e.to_string().contains("external"), "{e}");

    let manager = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "roles": ["ticketing.manager"]}]}"#,
        &[],
    )
    .unwrap();
    assert!(decide(&manager, keys::TICKETING_SALE_REFUND, &acme).is_allowed());
    assert_eq!(
        deny(decide(&manager, keys::TICKETING_SETTINGS_MANAGE, &acme)),
        Denial::MissingPermission
    );
    let owner = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "roles": ["ticketing.owner"]}]}"#,
        &[],
    )
    .unwrap();
    assert!(decide(&owner, keys::TICKETING_SETTINGS_MANAGE, &acme).is_allowed());
    // A role never grants layer 1/2 access to Kisum modules.
    assert_eq!(
        deny(decide(&owner, keys::PROMOTER_EVENT_VIEW, &acme)).layer(),
        Layer::Commercial
    );
}

// ---------------------------------------------------------------------------------------------
// Bad claims: typed errors naming the offending value.
// ---------------------------------------------------------------------------------------------

/// The error of a token in strict mode (`UnknownNames::Reject`, as the Auth service runs it).
fn claims_error(membership: &str) -> ClaimsError {
    let json = format!(r#"{{"sub": "u1", "memberships": [{membership}]}}"#);
    strict(&json, &[Entitlements::new("acme", ["promoter"])]).unwrap_err()
}

fn strict(json: &str, ents: &[Entitlements]) -> Result<Subject, ClaimsError> {
    let claims: Claims = serde_json::from_str(json).expect("test JSON parses");
    let options = ClaimsOptions::default().unknown_names(UnknownNames::Reject);
    Subject::from_claims_with(catalog(), &claims, ents, options)
}

#[test]
fn bad_claims_are_typed_errors_naming_the_value() {
    let e = claims_error(r#"{"company": "acme", "permissions": ["promoter.event.fly"]}"#);
    assert!(
        matches!(&e, ClaimsError::Key { company, error: KeyError::Unknown { .. } } if &**company == "acme")
    );
    assert!(e.to_string().contains("promoter.event.fly"), "{e}");

    let e = claims_error(r#"{"company": "acme", "permissions": ["Promoter.Event"]}"#);
    assert!(
        matches!(
            e,
            ClaimsError::Key {
                error: KeyError::Malformed { .. },
                ..
            }
        ),
        "{e}"
    );

    let e = claims_error(r#"{"company": "acme", "permissions": ["basic.events.read"]}"#);
    assert!(
        matches!(
            e,
            ClaimsError::Key {
                error: KeyError::Legacy { .. },
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string().contains("promoter.event.view"),
        "names the replacement: {e}"
    );

    let e = claims_error(r#"{"company": "acme", "permissions": ["ticketing.scan.operate"]}"#);
    assert_eq!(
        e,
        ClaimsError::ExternalKey {
            company: "acme".into(),
            key: "ticketing.scan.operate".into()
        }
    );

    let e = claims_error(r#"{"company": "acme", "modules": ["ticketing"]}"#);
    assert!(
        matches!(e, ClaimsError::ExternalModule { ref module, .. } if module == "ticketing"),
        "{e}"
    );

    let e = claims_error(r#"{"company": "acme", "modules": ["marketing"]}"#);
    assert!(
        matches!(e, ClaimsError::UnknownModule { ref module, .. } if module == "marketing"),
        "{e}"
    );

    let e = claims_error(r#"{"company": "acme", "roles": ["promoter.admin"]}"#);
    assert!(
        matches!(e, ClaimsError::UnknownRole { ref role, .. } if role == "promoter.admin"),
        "{e}"
    );

    let e = claims_error(r#"{"company": "acme"}, {"company": "acme"}"#);
    assert_eq!(e, ClaimsError::DuplicateCompany("acme".into()));

    let e = claims_error(r#"{"company": ""}"#);
    assert!(
        matches!(
            e,
            ClaimsError::BadId {
                what: "company",
                ..
            }
        ),
        "{e}"
    );

    // Entitlements are Core's data: their errors say so, and only member companies' are read.
    let dup_ents = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme"}]}"#,
        &[
            Entitlements::new("acme", ["promoter"]),
            Entitlements::new("acme", ["venue"]),
        ],
    )
    .unwrap_err();
    assert_eq!(dup_ents, ClaimsError::DuplicateEntitlements("acme".into()));
    assert_eq!(dup_ents.origin(), ErrorOrigin::Entitlements);

    let unknown_entitlement = strict(
        r#"{"sub": "u1", "memberships": [{"company": "acme"}]}"#,
        &[Entitlements::new("acme", ["crm"])],
    )
    .unwrap_err();
    assert_eq!(
        unknown_entitlement,
        ClaimsError::UnknownEntitledModule {
            company: "acme".into(),
            module: "crm".into()
        }
    );
    assert_eq!(unknown_entitlement.origin(), ErrorOrigin::Entitlements);
    assert_eq!(
        claims_error(r#"{"company": "acme", "modules": ["marketing"]}"#).origin(),
        ErrorOrigin::Token
    );
}

#[test]
fn misspelt_restrictions_are_errors_not_wider_grants() {
    for bad in [
        r#"{"sub": "u", "memberships": [{"company": "acme", "permissions": [{"key": "finance.bill.view", "buisness_units": ["bu-x"]}]}]}"#,
        r#"{"sub": "u", "memberships": [{"company": "acme", "scope": {"bussiness_units": ["bu-x"]}}]}"#,
        r#"{"sub": "u", "memberships": [{"company": "acme", "permisions": ["finance.bill.view"]}]}"#,
        r#"{"sub": "u", "memberships": [{"company": "acme", "permissions": [{"key": "finance.bill.view", "own_only": "yes"}]}]}"#,
    ] {
        assert!(serde_json::from_str::<Claims>(bad).is_err(), "{bad}");
    }
}

// ---------------------------------------------------------------------------------------------
// Explanations, filters and the handles' shapes.
// ---------------------------------------------------------------------------------------------

#[test]
fn explain_reports_every_layer_in_order() {
    let s = design_subject();
    let scope = Scope::company("acme").business_unit("bu-y");
    let e = explain(&s, keys::FINANCE_BILL_VIEW, &scope);
    assert_eq!(e.decision(), decide(&s, keys::FINANCE_BILL_VIEW, &scope));
    let layers: Vec<Layer> = e.verdicts().iter().map(|v| v.layer).collect();
    assert_eq!(
        layers,
        [
            Layer::Membership,
            Layer::Commercial,
            Layer::Module,
            Layer::Permission,
            Layer::Scope,
            Layer::Scope
        ]
    );
    let text = e.to_string();
    assert!(
        text.starts_with("DENY finance.bill.view in acme at layer 4 scope"),
        "{text}"
    );
    assert!(text.contains("business unit `bu-y`"), "{text}");

    // Layers after a denial are still evaluated: here both layer 2 and layer 3 deny.
    let e = explain(&s, keys::AI_COPILOT_USE, &Scope::company("acme"));
    let denied: Vec<Layer> = e
        .verdicts()
        .iter()
        .filter(|v| matches!(v.outcome, Outcome::Deny(..)))
        .map(|v| v.layer)
        .collect();
    assert_eq!(denied[0], Layer::Commercial);
    assert!(denied.contains(&Layer::Permission));

    let e = explain(&s, keys::PROMOTER_EVENT_VIEW, &Scope::company("globex"));
    assert!(
        e.verdicts()[1..]
            .iter()
            .all(|v| v.outcome == Outcome::NotReached)
    );
}

#[test]
fn filter_unions_grants_and_intersects_the_membership_scope() {
    let s = design_subject();
    // promoter.event.edit: own-only and workflow wf-1, both within the membership's bu-x/bu-y.
    match s.filter(keys::PROMOTER_EVENT_EDIT, "acme") {
        ScopeFilter::Restricted { company, reaches } => {
            assert_eq!(company, "acme");
            assert!(reaches.iter().all(|r| r.max_amount.is_none()));
            assert_eq!(reaches.len(), 2);
            assert!(
                reaches
                    .iter()
                    .all(|r| r.business_units == Some(vec!["bu-x", "bu-y"]))
            );
            assert!(reaches.iter().any(|r| r.owner == Some("user-42")));
            assert!(reaches.iter().any(|r| r.workflows == Some(vec!["wf-1"])));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.filter(keys::PROMOTER_COMPANY_EDIT, "acme"),
        ScopeFilter::None(Denial::MissingPermission)
    );
    assert_eq!(
        s.filter(keys::PROMOTER_EVENT_VIEW, "globex"),
        ScopeFilter::None(Denial::NoMembership)
    );
}

#[test]
fn capabilities_are_not_permissions() {
    let s = from_json(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "modules": ["promoter"],
            "delegation": {"manage_users": true, "buy_addons": true}}]}"#,
        &[Entitlements::new("acme", ["promoter"])],
    )
    .unwrap();
    assert!(s.may_manage_users("acme"));
    assert!(s.may_buy_addons("acme"));
    assert!(!s.may_manage_users("globex"));
    assert!(
        catalog()
            .keys()
            .all(|k| !decide(&s, k, &Scope::company("acme")).is_allowed())
    );
}

#[test]
fn handles_and_decisions_are_small_copy_and_thread_safe() {
    fn send_sync_clone<T: Send + Sync + Clone>() {}
    send_sync_clone::<Subject>();
    send_sync_clone::<Catalog>();
    assert_eq!(std::mem::size_of::<Decision>(), 16);
    assert_eq!(std::mem::size_of::<Denial>(), 16);
    // Company, business unit, workflow and owner, each with its two-word tag; amount. Passed to
    // `decide` by reference.
    assert_eq!(std::mem::size_of::<Scope<'_>>(), 144);
    assert_eq!(key!("finance.bill.view"), keys::FINANCE_BILL_VIEW);
}
