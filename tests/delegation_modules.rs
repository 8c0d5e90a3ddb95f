//! Delegation of modules, B.A.M re-delegation and role patterns: the cases a new user found
//! broken, with their inputs: modules the granter does not control, re-delegable grants on B.A.M
//! that building the grantee refused, and a role pattern that made catalog loading exponential.

use kisum_access::{
    BamToken, Catalog, ClaimsError, DelegationClaim, DelegationDenial, Grant, Layer,
    MAX_PATTERN_LEN, ProblemKind, Subject,
};

const ADVERSARIAL: &str = include_str!("../benches/data/adversarial_pattern.toml");
const BAM: &str = include_str!("../catalogs/bam.toml");

/// A granter of `acme`: `entitled` bought, `assigned` to them, `listed` in their delegation policy.
fn granter(buy_addons: bool, entitled: &[&str], assigned: &[&str], listed: &[&str]) -> Subject {
    Subject::builder(Catalog::embedded(), "admin")
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
}

#[test]
fn modules_are_assigned_only_by_who_controls_them() {
    let module = |n| Catalog::embedded().module(n).unwrap();
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
}

#[test]
fn bam_modules_are_not_assigned_and_foreign_modules_are_refused() {
    let full = granter(true, &["promoter"], &["promoter"], &["promoter"]);
    let bam = Catalog::from_toml_str(BAM).unwrap();
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

#[test]
fn bam_can_grant_and_the_builder_agree_on_redelegation() {
    let bam = Catalog::from_toml_str(BAM).unwrap();
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
