//! B.A.M Ticketing (seed 002): tokens in both shapes, every role, `org_level` vs `owner`,
//! cross-organization denial, `change_permissions` delegation, and no commercial layers.

use std::sync::LazyLock;

use kisum_access::{
    BamLevels, BamToken, Catalog, Claims, ClaimsError, ClaimsOptions, Decision, DelegationDenial,
    Denial, Grant, Key, Layer, Outcome, Scope, Subject, UnknownNames, decide, explain,
};

static BAM: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::from_toml_str(include_str!("../catalogs/bam.toml")).unwrap());

fn key(name: &str) -> Key {
    BAM.key(name).unwrap()
}

fn token(json: &str) -> BamToken {
    serde_json::from_str(json).unwrap()
}

fn subject(json: &str) -> Subject {
    Subject::from_bam_token(&BAM, &token(json)).unwrap()
}

fn with_role(role: &str) -> Subject {
    let token = BamToken::from_roles(&BAM, "u1", [("ACME", role)]).unwrap();
    Subject::from_bam_token(&BAM, &token).unwrap()
}

fn deny(d: Decision) -> Denial {
    d.denial().expect("expected a denial, got Allow")
}

const ACME: Scope<'static> = Scope::company("ACME");
const MINE: Scope<'static> = Scope::company("ACME").owner("u1");
const THEIRS: Scope<'static> = Scope::company("ACME").owner("u2");

fn allowed(s: &Subject, name: &str, scope: &Scope<'_>) -> bool {
    decide(s, key(name), scope).is_allowed()
}

#[test]
fn the_design_token_and_the_seed_bracket_form_parse_alike() {
    let map = token(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["event.event.view"], "owner": ["account.user.update"]}}}"#,
    );
    let list = token(
        r#"{"sub": "u1", "permissions": [{"ACME": [{"org_level": ["event.event.view"]}, {"owner": ["account.user.update"]}]}]}"#,
    );
    assert_eq!(map, list);
    assert_eq!(map.permissions["ACME"].org_level, ["event.event.view"]);
    assert_eq!(map.permissions["ACME"].owner, ["account.user.update"]);

    let s = Subject::from_bam_token(&BAM, &map).unwrap();
    assert!(allowed(&s, "event.event.view", &ACME));
    assert!(allowed(&s, "account.user.update", &MINE));
    assert_eq!(
        deny(decide(&s, key("account.user.update"), &THEIRS)),
        Denial::OutOfScope
    );
}

#[test]
fn a_misspelt_level_or_field_is_an_error_not_a_grant() {
    for json in [
        r#"{"sub": "u1", "permissions": {"ACME": {"org-level": ["event.event.view"]}}}"#,
        r#"{"sub": "u1", "permissions": [{"ACME": [{"orglevel": ["event.event.view"]}]}]}"#,
        r#"{"sub": "u1", "permisions": {"ACME": {"org_level": ["event.event.view"]}}}"#,
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": "event.event.view"}}}"#,
    ] {
        assert!(
            serde_json::from_str::<BamToken>(json).is_err(),
            "accepted: {json}"
        );
    }
}

#[test]
fn user_reaches_only_their_own_account() {
    let s = with_role("User");
    for name in ["account.user.view", "account.user.update"] {
        assert!(allowed(&s, name, &MINE), "{name}");
        assert_eq!(deny(decide(&s, key(name), &THEIRS)), Denial::OutOfScope);
        // A request that does not say whose resource it is cannot pass an own-only grant.
        assert_eq!(deny(decide(&s, key(name), &ACME)), Denial::OutOfScope);
    }
    for name in [
        "account.user.list",
        "account.user.delete",
        "event.event.view",
    ] {
        assert_eq!(
            deny(decide(&s, key(name), &MINE)),
            Denial::MissingPermission,
            "{name}"
        );
    }
}

#[test]
fn on_site_sales_adds_order_confirmation_org_wide() {
    let s = with_role("OnSiteSales");
    assert!(allowed(&s, "payment.order.confirm", &ACME));
    assert!(allowed(&s, "payment.order.confirm", &THEIRS));
    assert!(allowed(&s, "account.user.view", &MINE));
    assert!(!allowed(&s, "account.user.view", &THEIRS));
    assert!(!allowed(&s, "event.event.view", &ACME));
}

#[test]
fn host_organizer_has_organizer_wide_event_permissions() {
    let s = with_role("HostOrganizer");
    for name in [
        "event.event.view",
        "event.event.create",
        "event.event.update",
        "event.event.delete",
        "event.event.list",
    ] {
        assert!(allowed(&s, name, &ACME), "{name}");
        assert!(allowed(&s, name, &THEIRS), "{name}");
    }
    for name in [
        "event.change_permissions",
        "event.event.change_permissions",
        "bc.event.create",
        "payment.order.confirm",
    ] {
        assert_eq!(
            deny(decide(&s, key(name), &ACME)),
            Denial::MissingPermission,
            "{name}"
        );
    }
    assert!(allowed(&s, "account.user.update", &MINE));
}

#[test]
fn host_manager_adds_the_blockchain_event_permissions() {
    let s = with_role("HostManager");
    for name in [
        "bc.event.create",
        "bc.event.cancel",
        "bc.event.update_dates",
    ] {
        assert!(allowed(&s, name, &ACME), "{name}");
    }
    assert!(allowed(&s, "event.event.delete", &ACME));
    for name in [
        "bc.event.change_permissions",
        "bc.ticket.cancel",
        "bc.discount.create",
        "payment.order.confirm",
    ] {
        assert!(!allowed(&s, name, &ACME), "{name}");
    }
}

#[test]
fn admin_has_every_key_at_organization_level() {
    let s = with_role("Admin");
    assert_eq!(BAM.len(), 50);
    for k in BAM.keys() {
        assert!(decide(&s, k, &THEIRS).is_allowed(), "{}", BAM.name(k));
        assert!(decide(&s, k, &ACME).is_allowed(), "{}", BAM.name(k));
    }
}

#[test]
fn custom_has_no_template_and_lists_its_keys() {
    assert_eq!(
        BamToken::from_roles(&BAM, "u1", [("ACME", "Custom")]),
        Err(ClaimsError::UnknownRole {
            company: "ACME".into(),
            role: "Custom".into()
        })
    );
    let s = subject(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["bc.ticket.invalidate"]}}}"#,
    );
    assert!(allowed(&s, "bc.ticket.invalidate", &ACME));
    assert!(!allowed(&s, "bc.ticket.cancel", &ACME));
}

#[test]
fn role_helper_builds_the_levels_of_the_template() {
    let organizer = BamLevels::from_role(&BAM.role("HostOrganizer").unwrap());
    assert_eq!(
        organizer.owner,
        ["account.user.update", "account.user.view"]
    );
    assert_eq!(organizer.org_level.len(), 5);
    // Two roles in one organization merge; another organization is separate.
    let t = BamToken::from_roles(
        &BAM,
        "u1",
        [
            ("ACME", "OnSiteSales"),
            ("ACME", "HostOrganizer"),
            ("OTHER", "User"),
        ],
    )
    .unwrap();
    assert_eq!(t.permissions.len(), 2);
    assert_eq!(t.permissions["ACME"].org_level.len(), 6);
    assert_eq!(
        t.permissions["ACME"].owner.len(),
        2,
        "merged without repeats"
    );
    // The token round-trips through JSON.
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(serde_json::from_str::<BamToken>(&json).unwrap(), t);
    assert!(matches!(
        BamToken::from_roles(&BAM, "", [("ACME", "User")]),
        Err(ClaimsError::BadId { what: "sub", .. })
    ));
}

#[test]
fn org_level_supersedes_owner() {
    let both = subject(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["event.event.update"], "owner": ["event.event.update"]}}}"#,
    );
    assert!(allowed(&both, "event.event.update", &THEIRS));
    assert!(allowed(&both, "event.event.update", &ACME));
    let owner_only =
        subject(r#"{"sub": "u1", "permissions": {"ACME": {"owner": ["event.event.update"]}}}"#);
    assert!(allowed(&owner_only, "event.event.update", &MINE));
    assert!(!allowed(&owner_only, "event.event.update", &THEIRS));
}

#[test]
fn another_organization_is_denied_at_membership() {
    let s = subject(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["event.event.view"]}, "GLOBEX": {"owner": ["event.event.view"]}}}"#,
    );
    assert!(allowed(&s, "event.event.view", &ACME));
    let globex = Scope::company("GLOBEX");
    assert!(!allowed(&s, "event.event.view", &globex.owner("u2")));
    assert!(allowed(&s, "event.event.view", &globex.owner("u1")));
    let initech = Scope::company("INITECH");
    let d = deny(decide(&s, key("event.event.view"), &initech));
    assert_eq!(d, Denial::NoMembership);
    assert_eq!(d.layer(), Layer::Membership);
    // A Kisum key is foreign to a B.A.M subject.
    assert_eq!(
        deny(decide(&s, kisum_access::keys::PROMOTER_EVENT_VIEW, &ACME)),
        Denial::ForeignKey
    );
}

#[test]
fn bad_tokens_are_typed_errors() {
    let strict = ClaimsOptions::default().unknown_names(UnknownNames::Reject);
    let unknown = Subject::from_bam_token_with(
        &BAM,
        &token(r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["event.party.view"]}}}"#),
        strict,
    )
    .unwrap_err();
    assert!(
        matches!(&unknown, ClaimsError::Key { company, .. } if &**company == "ACME"),
        "{unknown:?}"
    );
    assert!(
        unknown.to_string().contains("event.party.view"),
        "{unknown}"
    );
    // A Kisum key is not a B.A.M key: refused in strict mode; by default skipped, reported, and
    // granting nothing.
    let kisum_token =
        token(r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["promoter.event.view"]}}}"#);
    assert!(Subject::from_bam_token_with(&BAM, &kisum_token, strict).is_err());
    let skipped = Subject::from_bam_token(&BAM, &kisum_token).unwrap();
    assert_eq!(
        skipped.skipped_names().collect::<Vec<_>>(),
        ["promoter.event.view"]
    );
    for key in BAM.keys() {
        assert!(!decide(&skipped, key, &Scope::company("ACME")).is_allowed());
    }
    // Organizations are bounded.
    let mut many = BamToken {
        sub: "u1".into(),
        ..BamToken::default()
    };
    for i in 0..=kisum_access::MAX_MEMBERSHIPS {
        many.permissions
            .insert(format!("org-{i}"), BamLevels::default());
    }
    assert!(matches!(
        Subject::from_bam_token(&BAM, &many),
        Err(ClaimsError::TooMany { .. })
    ));
    many.permissions.pop_last();
    assert!(Subject::from_bam_token(&BAM, &many).is_ok());
}

#[test]
fn explain_says_the_commercial_layers_do_not_apply() {
    let s = with_role("HostOrganizer");
    let e = explain(&s, key("event.event.view"), &ACME);
    assert!(e.decision().is_allowed());
    for v in e.verdicts() {
        if matches!(v.layer, Layer::Commercial | Layer::Module) {
            match &v.outcome {
                Outcome::NotApplicable(why) => {
                    assert!(why.contains("no commercial model"), "{why}")
                }
                other => panic!("layer {:?} should not apply: {other:?}", v.layer),
            }
        }
    }
    assert!(e.to_string().contains("no commercial model"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Delegation through change_permissions.
// ---------------------------------------------------------------------------------------------

#[test]
fn admin_may_grant_every_key_it_holds() {
    let admin = with_role("Admin");
    for k in BAM.keys() {
        assert_eq!(
            admin.can_grant(&Grant::new("ACME", k)),
            Ok(()),
            "{}",
            BAM.name(k)
        );
    }
    assert_eq!(
        admin.can_grant(&Grant::new("OTHER", key("event.event.view"))),
        Err(DelegationDenial::NotMember)
    );
}

#[test]
fn roles_without_change_permissions_grant_nothing() {
    for role in ["User", "OnSiteSales", "HostOrganizer", "HostManager"] {
        let s = with_role(role);
        for k in BAM.keys() {
            let refused = s.can_grant(&Grant::new("ACME", k)).unwrap_err();
            assert_eq!(refused.layer(), Layer::Delegation, "{role} {}", BAM.name(k));
        }
    }
}

#[test]
fn system_change_permissions_covers_the_held_keys_of_that_system() {
    let s = subject(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["bc.change_permissions", "bc.event.create", "bc.ticket.cancel", "event.event.view"]}}}"#,
    );
    assert_eq!(
        s.can_grant(&Grant::new("ACME", key("bc.event.create"))),
        Ok(())
    );
    assert_eq!(
        s.can_grant(&Grant::new("ACME", key("bc.ticket.cancel"))),
        Ok(())
    );
    // Held, but another system.
    assert_eq!(
        s.can_grant(&Grant::new("ACME", key("event.event.view"))),
        Err(DelegationDenial::ModuleNotDelegable(
            key("event.event.view").module()
        ))
    );
    // Same system, not held: delegation never exceeds personal access.
    assert!(
        s.can_grant(&Grant::new("ACME", key("bc.discount.create")))
            .is_err()
    );
}

#[test]
fn resource_change_permissions_covers_only_that_resource() {
    let s = subject(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["bc.event.change_permissions", "bc.event.create", "bc.ticket.cancel"]}}}"#,
    );
    assert_eq!(
        s.can_grant(&Grant::new("ACME", key("bc.event.create"))),
        Ok(())
    );
    assert_eq!(
        s.can_grant(&Grant::new("ACME", key("bc.ticket.cancel"))),
        Err(DelegationDenial::PermissionNotDelegable)
    );
}

#[test]
fn change_permissions_at_owner_level_delegates_nothing() {
    let s = subject(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["bc.event.create"], "owner": ["bc.change_permissions"]}}}"#,
    );
    assert!(
        s.can_grant(&Grant::new("ACME", key("bc.event.create")))
            .is_err()
    );
}

#[test]
fn own_only_keys_cannot_be_granted_beyond_their_owner() {
    // Admin of the account system, but holds account.user.update only on their own account.
    let s = subject(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["account.change_permissions"], "owner": ["account.user.update"]}}}"#,
    );
    assert_eq!(
        s.can_grant(&Grant::new("ACME", key("account.user.update"))),
        Err(DelegationDenial::ExceedsPersonalAccess)
    );
}

#[test]
fn a_grantee_of_a_bam_grant_gets_exactly_the_grant() {
    let admin = subject(
        r#"{"sub": "u1", "permissions": {"ACME": {"org_level": ["event.change_permissions", "event.event.update", "event.event.view"]}}}"#,
    );
    let grant = Grant::new("ACME", key("event.event.update"));
    assert_eq!(admin.can_grant(&grant), Ok(()));
    let grantee = Subject::builder(&BAM, "u2").grant(&grant).build().unwrap();
    assert!(decide(&grantee, key("event.event.update"), &ACME).is_allowed());
    assert!(!decide(&grantee, key("event.event.view"), &ACME).is_allowed());
    // The grantee holds no change_permissions key, so it cannot pass the grant on.
    assert!(grantee.can_grant(&grant).is_err());
}

#[test]
fn a_delegation_policy_is_refused_in_a_change_permissions_catalog() {
    let claims: Claims = serde_json::from_str(
        r#"{"sub": "u1", "memberships": [{"company": "ACME", "permissions": ["event.event.view"],
            "delegation": {"modules": ["event"], "permissions": ["event.event.view"]}}]}"#,
    )
    .unwrap();
    assert_eq!(
        Subject::from_claims(&BAM, &claims, &[]).unwrap_err(),
        ClaimsError::DelegationPolicyNotApplicable("ACME".into())
    );
}
