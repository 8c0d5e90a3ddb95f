//! Tokens as they arrive from a real Auth service: signed JWTs with registered claims, names
//! from a newer catalog, entitlements from Core, B.A.M shapes; and the machine-readable outcomes
//! a service returns.

mod common;

use common::alloc::{Counting, allocations};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use kisum_access::{
    BamToken, Catalog, Claims, ClaimsError, ClaimsOptions, Decision, Denial, Entitlements,
    ErrorOrigin, Layer, Scope, Subject, UnknownNames, decide, explain, keys,
};
use serde_json::json;

#[global_allocator]
static ALLOC: Counting = Counting;

const SECRET: &[u8] = b"a test secret of the Auth service";

fn ents() -> Vec<Entitlements> {
    vec![Entitlements::new("acme", ["promoter", "finance"])]
}

fn payload(extra: serde_json::Value) -> serde_json::Value {
    let mut p = json!({
        "sub": "user-42",
        "iss": "https://auth.kisum.test",
        "aud": ["bills", "events"],
        "exp": 4_102_444_800u64,
        "nbf": 1_700_000_000u64,
        "iat": 1_700_000_000u64,
        "jti": "3f6c1d2e-8a4b-4c1e-9f00-5b7d2a9e4c11",
        "memberships": [{
            "company": "acme",
            "modules": ["finance"],
            "permissions": [{"key": "finance.bill.view", "business_units": ["bu-x"]}]
        }]
    });
    if let (Some(p), Some(extra)) = (p.as_object_mut(), extra.as_object()) {
        p.extend(extra.clone());
    }
    p
}

#[test]
fn a_real_signed_jwt_payload_becomes_a_subject() {
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &payload(json!({})),
        &EncodingKey::from_secret(SECRET),
    )
    .unwrap();
    // The documented path: the JWT library verifies signature, exp, nbf, iss and aud, and hands
    // over the payload as `Claims`.
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&["https://auth.kisum.test"]);
    validation.set_audience(&["bills"]);
    let claims: Claims =
        jsonwebtoken::decode(&token, &DecodingKey::from_secret(SECRET), &validation)
            .unwrap()
            .claims;
    assert_eq!(claims.expires_at(), Some(4_102_444_800));
    assert_eq!(claims.issued_at(), Some(1_700_000_000));
    assert_eq!(
        claims.token_id(),
        Some("3f6c1d2e-8a4b-4c1e-9f00-5b7d2a9e4c11")
    );
    assert_eq!(claims.registered.issuer(), Some("https://auth.kisum.test"));
    assert_eq!(claims.registered.audience(), ["bills", "events"]);
    assert_eq!(claims.registered.not_before(), Some(1_700_000_000));
    let s = Subject::from_claims(Catalog::embedded(), &claims, &ents()).unwrap();
    let bu_x = Scope::company("acme").business_unit("bu-x");
    assert!(decide(&s, keys::FINANCE_BILL_VIEW, &bu_x).is_allowed());
    // A single audience string is a list of one.
    let one: Claims = serde_json::from_value(payload(json!({"aud": "bills"}))).unwrap();
    assert_eq!(one.registered.audience(), ["bills"]);
}

#[test]
fn top_level_fields_are_ignored_but_memberships_stay_strict() {
    let extra = json!({"scope": "openid", "azp": "web", "nested": {"a": [1, 2]}, "roles": ["x"]});
    let claims: Claims = serde_json::from_value(payload(extra)).unwrap();
    assert_eq!(claims.memberships.len(), 1);
    // A misspelt `memberships` is an error, not a user with none.
    let mut p = payload(json!({}));
    let m = p.as_object_mut().unwrap().remove("memberships").unwrap();
    p.as_object_mut().unwrap().insert("membership".into(), m);
    let err = serde_json::from_value::<Claims>(p).unwrap_err().to_string();
    assert!(err.contains("missing field `memberships`"), "{err}");
    // Inside a membership, unknown fields are still errors.
    let bad = payload(json!({"memberships": [{"company": "acme", "permisions": []}]}));
    let err = serde_json::from_value::<Claims>(bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("permisions"), "{err}");
    // Registered claims have their types: a string `exp` is an error naming it.
    let err = serde_json::from_value::<Claims>(payload(json!({"exp": "tomorrow"})))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`exp`"), "{err}");
    // Ignored is not unread: an ignored field must still be valid JSON (here, UTF-8).
    let mut bad_utf8 = br#"{"sub": "u", "memberships": [], "note": "x"}"#.to_vec();
    let at = bad_utf8.iter().rposition(|&b| b == b'x').unwrap();
    bad_utf8[at] = 0xff;
    assert!(serde_json::from_slice::<Claims>(&bad_utf8).is_err());
    let mut bam = br#"{"sub": "u", "permissions": {}, "note": "x"}"#.to_vec();
    let at = bam.iter().rposition(|&b| b == b'x').unwrap();
    bam[at] = 0xff;
    assert!(serde_json::from_slice::<BamToken>(&bam).is_err());
    let twice = r#"{"sub": "u", "sub": "v", "memberships": []}"#;
    assert!(serde_json::from_str::<Claims>(twice).is_err());
}

#[test]
fn bam_tokens_take_registered_claims_and_name_their_faults() {
    let t: BamToken = serde_json::from_value(json!({
        "sub": "u1", "exp": 4_102_444_800u64, "aud": "bam", "client": "pos",
        "permissions": {"ACME": {"org_level": ["event.event.view"]}}
    }))
    .unwrap();
    assert_eq!(t.registered.expires_at(), Some(4_102_444_800));
    assert_eq!(t.permissions["ACME"].org_level, ["event.event.view"]);
    let err = |text: &str| {
        serde_json::from_str::<BamToken>(text)
            .unwrap_err()
            .to_string()
    };
    let dup_org = err(r#"{"sub": "u", "permissions": [{"ACME": {"owner": []}}, {"ACME": {}}]}"#);
    assert!(
        dup_org.contains("organization `ACME` is listed twice"),
        "{dup_org}"
    );
    let dup_org_map = err(r#"{"sub": "u", "permissions": {"ACME": {}, "ACME": {}}}"#);
    assert!(
        dup_org_map.contains("`ACME` is listed twice"),
        "{dup_org_map}"
    );
    let dup_level =
        err(r#"{"sub": "u", "permissions": {"ACME": {"owner": [], "owner": ["a.b"]}}}"#);
    assert!(
        dup_level.contains("level `owner` is listed twice"),
        "{dup_level}"
    );
    let dup_level_list =
        err(r#"{"sub": "u", "permissions": {"ACME": [{"owner": []}, {"owner": []}]}}"#);
    assert!(dup_level_list.contains("level `owner`"), "{dup_level_list}");
    let shape = err(r#"{"sub": "u", "permissions": "ACME"}"#);
    assert!(shape.contains("`permissions`"), "{shape}");
    assert!(!shape.contains("untagged"), "{shape}");
    let level_shape = err(r#"{"sub": "u", "permissions": {"ACME": 7}}"#);
    assert!(level_shape.contains("levels"), "{level_shape}");
    let two_in_one = err(r#"{"sub": "u", "permissions": [{"ACME": {}, "BETA": {}}]}"#);
    assert!(two_in_one.contains("one entry"), "{two_in_one}");
    let bad_level = err(r#"{"sub": "u", "permissions": {"ACME": {"admin": []}}}"#);
    assert!(bad_level.contains("admin"), "{bad_level}");
}

/// The token of seed 000's rollout: Auth has shipped `vendor.*` keys, a new module and a new role
/// that this service's catalog does not know yet.
fn newer_token() -> Claims {
    serde_json::from_value(json!({
        "sub": "user-42",
        "memberships": [
            {"company": "acme", "modules": ["finance", "promoter", "vendor_portal"],
             "roles": ["promoter.viewer", "vendor.manager"],
             "permissions": ["vendor.order.view", "finance.bill.view",
                             {"key": "vendor.invoice.edit", "business_units": ["bu-x"]}],
             "delegation": {"modules": ["finance", "vendor_portal"],
                            "permissions": ["finance.bill.view", "vendor.order.view"]}},
            {"company": "beta", "modules": ["promoter"], "roles": ["promoter.viewer"]}
        ]
    }))
    .unwrap()
}

#[test]
fn names_from_a_newer_catalog_are_skipped_reported_and_never_granted() {
    let catalog = Catalog::embedded();
    let ents = [
        Entitlements::new("acme", ["promoter", "finance", "vendor_portal"]),
        Entitlements::new("beta", ["promoter"]),
        // A company the user is not a member of: not even read.
        Entitlements::new("other", ["crm"]),
    ];
    let s = Subject::from_claims(catalog, &newer_token(), &ents).unwrap();
    let mut skipped: Vec<&str> = s.skipped_names().collect();
    skipped.sort_unstable();
    assert_eq!(
        skipped,
        [
            "vendor.invoice.edit",
            "vendor.manager",
            "vendor.order.view",
            "vendor_portal"
        ]
    );
    // What the catalog knows still works, in both companies.
    let acme = Scope::company("acme");
    assert!(decide(&s, keys::FINANCE_BILL_VIEW, &acme).is_allowed());
    assert!(decide(&s, keys::PROMOTER_EVENT_VIEW, &acme).is_allowed());
    assert!(decide(&s, keys::PROMOTER_EVENT_VIEW, &Scope::company("beta")).is_allowed());
    // explain says what was skipped, and which catalog decided.
    let text = explain(&s, keys::FINANCE_BILL_VIEW, &acme).to_string();
    assert!(
        text.contains("skipped, unknown to this catalog: "),
        "{text}"
    );
    assert!(text.contains("vendor.order.view"), "{text}");
    assert!(
        text.contains(&format!("catalog kisum {}", catalog.version())),
        "{text}"
    );
    assert!(
        text.contains(&format!("{:016x}", catalog.fingerprint())),
        "{text}"
    );

    // Strict mode, for Auth and tests: the first unknown name is an error naming it.
    let strict = ClaimsOptions::default().unknown_names(UnknownNames::Reject);
    let err = Subject::from_claims_with(catalog, &newer_token(), &ents, strict).unwrap_err();
    // (Entitlements are read first: Core's `vendor_portal` is the first unknown name.)
    assert_eq!(
        err,
        ClaimsError::UnknownEntitledModule {
            company: "acme".into(),
            module: "vendor_portal".into()
        }
    );
    // Malformed, legacy and external names stay errors in the default mode too.
    for (bad, origin) in [
        (json!(["Vendor.Order"]), "malformed"),
        (json!(["basic.events.read"]), "legacy"),
        (json!(["ticketing.scan.operate"]), "external"),
    ] {
        let claims: Claims = serde_json::from_value(json!({"sub": "u", "memberships": [
            {"company": "acme", "permissions": bad}]}))
        .unwrap();
        let r = Subject::from_claims(catalog, &claims, &ents);
        assert!(r.is_err(), "{origin} names are errors");
    }
    let malformed_module: Claims = serde_json::from_value(
        json!({"sub": "u", "memberships": [{"company": "acme", "modules": ["Vendor Portal"]}]}),
    )
    .unwrap();
    assert!(Subject::from_claims(catalog, &malformed_module, &ents).is_err());
}

#[test]
fn errors_say_whether_the_token_or_cores_data_was_at_fault() {
    let catalog = Catalog::embedded();
    let claims = newer_token();
    let strict = ClaimsOptions::default().unknown_names(UnknownNames::Reject);
    let cases: [(Vec<Entitlements>, ErrorOrigin); 4] = [
        (
            vec![
                Entitlements::new("acme", ["finance"]),
                Entitlements::new("acme", ["promoter"]),
            ],
            ErrorOrigin::Entitlements,
        ),
        (
            vec![Entitlements::new("acme", ["ticketing"])],
            ErrorOrigin::Entitlements,
        ),
        (
            vec![Entitlements::new("acme", vec!["promoter"; 300])],
            ErrorOrigin::Entitlements,
        ),
        (
            vec![Entitlements::new("acme", ["crm"])],
            ErrorOrigin::Entitlements,
        ),
    ];
    let token_ok: Claims =
        serde_json::from_value(json!({"sub": "u", "memberships": [{"company": "acme"}]})).unwrap();
    for (ents, origin) in cases {
        let err = Subject::from_claims_with(catalog, &token_ok, &ents, strict).unwrap_err();
        assert_eq!(err.origin(), origin, "{err}");
    }
    let err = Subject::from_claims_with(catalog, &claims, &ents(), strict).unwrap_err();
    assert_eq!(err.origin(), ErrorOrigin::Token, "{err}");
}

#[test]
fn outcomes_have_stable_codes_and_pinned_json() {
    let layers = [
        (Layer::Membership, "membership"),
        (Layer::Commercial, "commercial"),
        (Layer::Module, "module"),
        (Layer::Permission, "permission"),
        (Layer::Scope, "scope"),
        (Layer::Delegation, "delegation"),
    ];
    for (layer, code) in layers {
        assert_eq!(layer.code(), code);
        assert_eq!(serde_json::to_value(layer).unwrap(), json!(code));
    }
    let finance = Catalog::embedded().module("finance").unwrap();
    let denials = [
        (Denial::NoMembership, "no_membership"),
        (Denial::NotEntitled(finance), "not_entitled"),
        (Denial::AddonWithoutBase(finance), "addon_without_base"),
        (Denial::ModuleNotAssigned(finance), "module_not_assigned"),
        (Denial::MissingPermission, "missing_permission"),
        (Denial::OutOfScope, "out_of_scope"),
        (Denial::ApprovalLimitMissing, "approval_limit_missing"),
        (Denial::ApprovalAmountMissing, "approval_amount_missing"),
        (
            Denial::ApprovalLimitExceeded { limit: 100 },
            "approval_limit_exceeded",
        ),
        (Denial::ForeignKey, "foreign_key"),
    ];
    for (d, code) in denials {
        assert_eq!(d.code(), code);
    }
    assert_eq!(
        serde_json::to_value(Decision::Deny(Denial::NotEntitled(finance))).unwrap(),
        json!({"allowed": false, "denial": {"code": "not_entitled", "layer": "commercial",
               "module": "finance", "message": "the company has not bought the key's module"}})
    );
    assert_eq!(
        serde_json::to_value(Denial::ApprovalLimitExceeded { limit: 100 }).unwrap(),
        json!({"code": "approval_limit_exceeded", "layer": "scope", "limit": 100,
               "message": "the amount is over the approval limit of 100"})
    );
    assert_eq!(
        serde_json::to_value(Decision::Allow).unwrap(),
        json!({"allowed": true})
    );
    let s = Subject::from_claims(Catalog::embedded(), &newer_token(), &ents()).unwrap();
    let e = explain(&s, keys::FINANCE_BILL_EDIT, &Scope::company("acme"));
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["key"], "finance.bill.edit");
    assert_eq!(v["company"], "acme");
    assert_eq!(v["decision"]["denial"]["code"], "missing_permission");
    assert_eq!(v["catalog"]["name"], "kisum");
    assert_eq!(
        v["catalog"]["fingerprint"],
        format!("{:016x}", Catalog::embedded().fingerprint())
    );
    assert_eq!(v["skipped"].as_array().unwrap().len(), 4, "{v}");
    assert_eq!(
        v["verdicts"][0],
        json!({"layer": "membership", "check": "membership", "outcome": "pass",
               "text": "user `user-42` is a member of `acme`"})
    );
    assert_eq!(v["verdicts"][3]["outcome"], "deny");
    assert_eq!(v["verdicts"][3]["code"], "missing_permission");
}

#[test]
fn check_answers_layers_1_to_3_without_a_scope_or_an_allocation() {
    let s = Subject::from_claims(Catalog::embedded(), &newer_token(), &ents()).unwrap();
    for key in Catalog::embedded().keys() {
        for company in ["acme", "beta", "nobody"] {
            let (n, checked) = allocations(|| s.check(key, company));
            assert_eq!(n, 0, "check allocated");
            // It agrees with decide wherever layer 4 is not what denies.
            let decided = decide(&s, key, &Scope::company(company));
            match decided.denial() {
                Some(d) if d.layer() != Layer::Scope => assert_eq!(checked, Err(d)),
                _ => assert_eq!(checked, Ok(()), "{key:?} in {company}"),
            }
        }
    }
}

#[test]
fn scopes_take_options() {
    let (bu, wf, owner, amount): (Option<&str>, Option<&str>, Option<&str>, Option<u64>) =
        (Some("bu-x"), None, Some("user-42"), Some(7));
    let a = Scope::company("acme")
        .maybe_business_unit(bu)
        .maybe_workflow(wf)
        .maybe_owner(owner)
        .maybe_amount(amount);
    let b = Scope::company("acme")
        .business_unit("bu-x")
        .owner("user-42")
        .amount(7);
    assert_eq!(a, b);
    // `None` removes what was set before: absent means absent.
    let cleared = b
        .maybe_business_unit(None)
        .maybe_owner(None)
        .maybe_amount(None);
    assert_eq!(cleared, Scope::company("acme"));
}

#[test]
fn fresh_entitlements_rederive_a_subject_without_the_token() {
    let catalog = Catalog::embedded();
    let claims: Claims = serde_json::from_value(json!({"sub": "u", "memberships": [
        {"company": "acme", "modules": ["finance", "promoter"],
         "permissions": ["finance.bill.view", "promoter.event.view"],
         "delegation": {"modules": ["finance"], "permissions": ["finance.bill.view"],
                        "redelegate": ["finance.bill.view"]}}]}))
    .unwrap();
    let before = [Entitlements::new("acme", ["promoter"]).revision(1)];
    let after = [Entitlements::new("acme", ["promoter", "finance"]).revision(2)];
    let stale = Subject::from_claims(catalog, &claims, &before).unwrap();
    assert_eq!(stale.entitlements_revision("acme"), Some(1));
    let acme = Scope::company("acme");
    assert!(!decide(&stale, keys::FINANCE_BILL_VIEW, &acme).is_allowed());
    let grant = kisum_access::Grant::new("acme", keys::FINANCE_BILL_VIEW);
    assert!(stale.can_grant(&grant).is_err());

    let fresh = stale.with_entitlements(&after).unwrap();
    let rebuilt = Subject::from_claims(catalog, &claims, &after).unwrap();
    assert_eq!(fresh.entitlements_revision("acme"), Some(2));
    for key in catalog.keys() {
        assert_eq!(decide(&fresh, key, &acme), decide(&rebuilt, key, &acme));
    }
    assert_eq!(fresh.can_grant(&grant.clone().redelegable()), Ok(()));
    // And back: cancelling the module takes access (and the right to delegate it) away.
    let cancelled = fresh.with_entitlements(&before).unwrap();
    assert!(!decide(&cancelled, keys::FINANCE_BILL_VIEW, &acme).is_allowed());
    assert!(cancelled.can_grant(&grant).is_err());
    assert!(decide(&cancelled, keys::PROMOTER_EVENT_VIEW, &acme).is_allowed());
    // Core's faults are still reported.
    let twice = [
        Entitlements::new("acme", ["promoter"]),
        Entitlements::new("acme", ["finance"]),
    ];
    assert_eq!(
        fresh.with_entitlements(&twice).unwrap_err().origin(),
        ErrorOrigin::Entitlements
    );
}
