//! Claims in the migration window: legacy keys and modules are refused by default; translated
//! (exact and narrower keys, modules) on `translate_legacy`, wider keys only with
//! `allow_widening` too; every translation reported, in `explain` as well; never skipped.

use kisum_access::{
    AliasClass, Catalog, Claims, ClaimsError, ClaimsOptions, Entitlements, ErrorOrigin, KeyError,
    Scope, Subject, Translated, decide, explain, keys,
};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

fn claims(json: &str) -> Claims {
    serde_json::from_str(json).unwrap()
}

fn translate() -> ClaimsOptions {
    ClaimsOptions::default().translate_legacy(true)
}

fn widen() -> ClaimsOptions {
    translate().allow_widening(true)
}

const TOKEN: &str = r#"{
  "sub": "user-9",
  "memberships": [{
    "company": "acme",
    "modules": ["promoter"],
    "permissions": [
      "basic.events.read",
      {"key": "basic.events.update", "business_units": ["bu-x"]},
      "basic.pnl.read",
      "basic.events.read"
    ]
  }]
}"#;

fn ents() -> [Entitlements; 1] {
    [Entitlements::new("acme", ["promoter", "finance"])]
}

#[test]
fn legacy_keys_are_refused_by_default_and_wider_ones_without_the_second_opt_in() {
    let c = claims(TOKEN);
    let err = Subject::from_claims(catalog(), &c, &ents()).unwrap_err();
    assert!(
        matches!(&err, ClaimsError::Key { error: e @ KeyError::Legacy { .. }, .. }
            if e.name() == "basic.events.read" && e.replacement() == Some("promoter.event.view")),
        "{err:?}"
    );
    // Translation alone refuses the wider alias, naming the key and its replacement.
    let err = Subject::from_claims_with(catalog(), &c, &ents(), translate()).unwrap_err();
    assert_eq!(
        err,
        ClaimsError::WideningTranslation {
            company: "acme".into(),
            key: "basic.events.update".into(),
            replacement: "promoter.event.edit".into(),
        }
    );
    assert_eq!(err.origin(), ErrorOrigin::Token);
    assert!(err.to_string().contains("wider"), "{err}");
    // Without the wider key, translation alone is enough.
    let exact_only = claims(&TOKEN.replace(
        r#"{"key": "basic.events.update", "business_units": ["bu-x"]},"#,
        "",
    ));
    let s = Subject::from_claims_with(catalog(), &exact_only, &ents(), translate()).unwrap();
    assert!(s.legacy_translations().iter().all(|t| !t.widens()));
    assert!(!decide(&s, keys::PROMOTER_EVENT_EDIT, &Scope::company("acme")).is_allowed());
}

#[test]
fn both_opt_ins_translate_report_each_name_once_and_decide_like_the_replacements() {
    let s = Subject::from_claims_with(catalog(), &claims(TOKEN), &ents(), widen()).unwrap();
    let report: Vec<String> = s
        .legacy_translations()
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert_eq!(
        report,
        [
            "basic.events.read -> promoter.event.view (exact)",
            "basic.events.update -> promoter.event.edit (wider: widens access)",
            "basic.pnl.read -> dropped, grants nothing",
        ]
    );
    let t = &s.legacy_translations()[1];
    assert_eq!(
        (t.name(), t.key(), t.class(), t.widens()),
        (
            "basic.events.update",
            Some(keys::PROMOTER_EVENT_EDIT),
            Some(AliasClass::Wider),
            true
        )
    );
    assert_eq!(s.legacy_translations()[2].to(), Translated::Dropped);

    let acme = Scope::company("acme");
    // The translated grant keeps its restriction; a dropped key grants nothing.
    assert!(decide(&s, keys::PROMOTER_EVENT_EDIT, &acme.business_unit("bu-x")).is_allowed());
    assert!(!decide(&s, keys::PROMOTER_EVENT_EDIT, &acme.business_unit("bu-y")).is_allowed());
    assert!(!decide(&s, keys::FINANCE_REPORT_VIEW, &acme).is_allowed());

    // Decides exactly like a subject given the replacements.
    let direct = claims(
        &TOKEN
            .replace("basic.events.read", "promoter.event.view")
            .replace("basic.events.update", "promoter.event.edit")
            .replace("\"basic.pnl.read\",", ""),
    );
    let direct = Subject::from_claims(catalog(), &direct, &ents()).unwrap();
    for key in catalog().keys() {
        for scope in [acme, acme.business_unit("bu-x"), acme.business_unit("bu-y")] {
            assert_eq!(
                decide(&s, key, &scope),
                decide(&direct, key, &scope),
                "{key:?}"
            );
        }
    }

    // explain shows the translations, the widening one marked; its JSON carries them too.
    let e = explain(&s, keys::PROMOTER_EVENT_EDIT, &acme.business_unit("bu-x"));
    let text = e.to_string();
    assert!(
        text.contains("  WIDENING translated from legacy: basic.events.update -> promoter.event.edit (wider: widens access)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  translated from legacy: basic.events.read -> promoter.event.view (exact)\n"
        ),
        "{text}"
    );
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(
        json["translated"][1],
        serde_json::json!({"from": "basic.events.update", "to": "promoter.event.edit", "kind": "key",
                           "class": "wider", "widens": true, "source": "token"})
    );
}

#[test]
fn the_basic_module_is_legacy_in_claims_and_entitlements() {
    let c = claims(
        r#"{"sub": "u", "memberships": [{"company": "acme", "modules": ["basic"],
            "permissions": ["promoter.event.view"],
            "delegation": {"modules": ["basic"], "permissions": ["promoter.event.view"]}}]}"#,
    );
    let basic = [Entitlements::new("acme", ["basic"])];
    let promoter = [Entitlements::new("acme", ["promoter"])];
    // Refused by default, naming the replacement, from whichever side names it; never skipped.
    let named = |company: &str| {
        (
            company.to_string(),
            "basic".to_string(),
            Some("promoter".into()),
        )
    };
    let (company, module, replacement) = named("acme");
    let err = Subject::from_claims(catalog(), &c, &basic).unwrap_err();
    let want = ClaimsError::LegacyEntitledModule {
        company,
        module,
        replacement,
    };
    assert_eq!((&err, err.origin()), (&want, ErrorOrigin::Entitlements));
    let (company, module, replacement) = named("acme");
    let err = Subject::from_claims(catalog(), &c, &promoter).unwrap_err();
    let want = ClaimsError::LegacyModule {
        company,
        module,
        replacement,
    };
    assert_eq!((&err, err.origin()), (&want, ErrorOrigin::Token));
    assert!(err.to_string().contains("`promoter`"), "{err}");

    // Translated on the first opt-in (a module alias cannot widen), in all three places.
    let s = Subject::from_claims_with(catalog(), &c, &basic, translate()).unwrap();
    let acme = Scope::company("acme");
    assert!(decide(&s, keys::PROMOTER_EVENT_VIEW, &acme).is_allowed());
    assert!(!decide(&s, keys::PROMOTER_EVENT_EDIT, &acme).is_allowed());
    assert_eq!(
        s.can_grant(&kisum_access::Grant::new("acme", keys::PROMOTER_EVENT_VIEW)),
        Ok(())
    );
    let report: Vec<String> = s
        .legacy_translations()
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert_eq!(
        report,
        [
            "basic -> promoter (module, in entitlements)",
            "basic -> promoter (module)"
        ]
    );
    // Fresh entitlements redo the entitlements' translations and keep the token's.
    let fresh = s.with_entitlements(&promoter).unwrap();
    assert_eq!(fresh.legacy_translations().len(), 1);
    assert!(!fresh.legacy_translations()[0].from_entitlements());
    assert!(
        s.with_entitlements(&basic)
            .unwrap()
            .legacy_translations()
            .len()
            == 2
    );

    // A dropped legacy module grants nothing, and is reported.
    let m = claims(r#"{"sub": "u", "memberships": [{"company": "acme", "modules": ["market"]}]}"#);
    assert!(matches!(
        Subject::from_claims(catalog(), &m, &promoter),
        Err(ClaimsError::LegacyModule {
            replacement: None,
            ..
        })
    ));
    let s = Subject::from_claims_with(catalog(), &m, &promoter, translate()).unwrap();
    assert_eq!(s.legacy_translations()[0].to(), Translated::Dropped);
}

#[test]
fn legacy_names_are_never_skipped_as_unknown() {
    // Skip is the default: a legacy key, listed or only in a legacy module, stays an error.
    for name in [
        "basic.events.read",
        "basic.calendar.read",
        "finance.bills.read",
    ] {
        let c = claims(&format!(
            r#"{{"sub": "u", "memberships": [{{"company": "acme", "permissions": ["{name}"]}}]}}"#
        ));
        let err = Subject::from_claims(catalog(), &c, &ents()).unwrap_err();
        assert!(
            matches!(
                err,
                ClaimsError::Key {
                    error: KeyError::Legacy { .. },
                    ..
                }
            ),
            "{name}: {err:?}"
        );
    }
    let c = claims(r#"{"sub": "u", "memberships": [{"company": "acme", "modules": ["basic"]}]}"#);
    assert!(Subject::from_claims(catalog(), &c, &ents()).is_err());
}
