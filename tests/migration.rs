//! The `basic.*` migration (seed 000 §6): `migrate` reports every name, claims refuse legacy keys
//! by default, and translate them (reporting it) only when the caller opts in.

use kisum_access::{
    Catalog, Claims, ClaimsError, ClaimsOptions, Entitlements, KeyError, Migrated, Scope, Subject,
    decide, keys, migrate,
};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

#[test]
fn every_legacy_alias_migrates_to_its_replacement_or_its_reason() {
    let legacy: Vec<_> = catalog().legacy().collect();
    assert_eq!(legacy.len(), 10);
    let report = migrate(catalog(), legacy.iter().map(|(name, _, _)| *name));
    assert_eq!(report.entries().len(), legacy.len());
    for (entry, (name, replacement, reason)) in report.entries().iter().zip(&legacy) {
        assert_eq!(entry.from, *name);
        match (entry.outcome, replacement, reason) {
            (Migrated::Replaced(k), Some(r), None) => {
                assert_eq!(k, *r);
                assert!(catalog().name(k).starts_with("promoter."), "{name}");
            }
            (Migrated::Dropped { reason: got }, None, Some(want)) => assert_eq!(got, *want),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert_eq!(report.replaced(), 5);
    assert_eq!(report.dropped(), 5);
    assert!(!report.is_lossless());
}

#[test]
fn current_unknown_and_malformed_names_are_reported_as_such() {
    let report = migrate(
        catalog(),
        [
            "promoter.event.view",
            "finance.bills.read",
            "Not A Key",
            "",
            "basic.events.create",
            "basic.events.update",
        ],
    );
    let outcomes: Vec<Migrated<'_>> = report.entries().iter().map(|e| e.outcome).collect();
    assert_eq!(outcomes[0], Migrated::Current(keys::PROMOTER_EVENT_VIEW));
    assert!(matches!(
        outcomes[1],
        Migrated::Unknown(KeyError::Unknown { .. })
    ));
    assert!(matches!(
        outcomes[2],
        Migrated::Unknown(KeyError::Malformed { .. })
    ));
    assert!(matches!(
        outcomes[3],
        Migrated::Unknown(KeyError::Malformed { .. })
    ));
    assert_eq!(outcomes[4], Migrated::Replaced(keys::PROMOTER_EVENT_EDIT));
    // Two old names with one replacement give one key.
    assert_eq!(
        report.keys(),
        [keys::PROMOTER_EVENT_VIEW, keys::PROMOTER_EVENT_EDIT]
    );
    assert_eq!(report.unknown(), 3);

    let text = report.to_string();
    assert!(text.starts_with("6 names: 2 replaced, 1 already current, 0 dropped, 3 unknown"));
    assert!(
        text.contains("basic.events.create  -> promoter.event.edit"),
        "{text}"
    );
    assert!(text.contains("finance.bills.read"), "{text}");

    let clean = migrate(catalog(), ["basic.events.read", "promoter.news.view"]);
    assert!(clean.is_lossless());
    assert!(
        migrate(catalog(), Vec::<String>::new())
            .entries()
            .is_empty()
    );
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
fn legacy_keys_in_claims_are_refused_by_default_naming_the_replacement() {
    let claims: Claims = serde_json::from_str(TOKEN).unwrap();
    let err = Subject::from_claims(catalog(), &claims, &ents()).unwrap_err();
    match &err {
        ClaimsError::Key {
            company,
            error: KeyError::Legacy { name, replacement },
        } => {
            assert_eq!(&**company, "acme");
            assert_eq!(name.as_str(), "basic.events.read");
            assert_eq!(
                replacement.as_ref().map(|r| r.as_str()),
                Some("promoter.event.view")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("promoter.event.view"), "{err}");
}

#[test]
fn opting_in_translates_and_reports_each_legacy_key_once() {
    let claims: Claims = serde_json::from_str(TOKEN).unwrap();
    let options = ClaimsOptions::default().translate_legacy(true);
    let s = Subject::from_claims_with(catalog(), &claims, &ents(), options).unwrap();
    let report: Vec<(&str, Option<&str>)> = s
        .legacy_translations()
        .iter()
        .map(|(old, new)| (&**old, new.map(|k| catalog().name(k))))
        .collect();
    assert_eq!(
        report,
        [
            ("basic.events.read", Some("promoter.event.view")),
            ("basic.events.update", Some("promoter.event.edit")),
            ("basic.pnl.read", None),
        ]
    );

    let acme = Scope::company("acme");
    assert!(decide(&s, keys::PROMOTER_EVENT_VIEW, &acme).is_allowed());
    // The translated grant keeps its restriction.
    assert!(decide(&s, keys::PROMOTER_EVENT_EDIT, &acme.business_unit("bu-x")).is_allowed());
    assert!(!decide(&s, keys::PROMOTER_EVENT_EDIT, &acme.business_unit("bu-y")).is_allowed());
    // A dropped key grants nothing, in particular not its would-be finance successor.
    assert!(!decide(&s, keys::FINANCE_REPORT_VIEW, &acme).is_allowed());

    // The translated subject decides exactly like one given the replacements.
    let direct: Claims = serde_json::from_str(
        &TOKEN
            .replace("basic.events.read", "promoter.event.view")
            .replace("basic.events.update", "promoter.event.edit")
            .replace("\"basic.pnl.read\",", ""),
    )
    .unwrap();
    let direct = Subject::from_claims(catalog(), &direct, &ents()).unwrap();
    assert!(direct.legacy_translations().is_empty());
    for key in catalog().keys() {
        for bu in [None, Some("bu-x"), Some("bu-y")] {
            let scope = match bu {
                Some(b) => acme.business_unit(b),
                None => acme,
            };
            assert_eq!(
                decide(&s, key, &scope),
                decide(&direct, key, &scope),
                "{} {bu:?}",
                catalog().name(key)
            );
        }
    }
}

#[test]
fn translation_also_covers_delegation_policies() {
    let claims: Claims = serde_json::from_str(
        r#"{"sub": "m", "memberships": [{"company": "acme", "modules": ["promoter"],
            "permissions": ["promoter.event.view"],
            "delegation": {"modules": ["promoter"], "permissions": ["basic.events.read"]}}]}"#,
    )
    .unwrap();
    assert!(Subject::from_claims(catalog(), &claims, &ents()).is_err());
    let s = Subject::from_claims_with(
        catalog(),
        &claims,
        &ents(),
        ClaimsOptions::default().translate_legacy(true),
    )
    .unwrap();
    assert_eq!(
        s.can_grant(&kisum_access::Grant::new("acme", keys::PROMOTER_EVENT_VIEW)),
        Ok(())
    );
    // Reported like any other translation, so the service logs it.
    assert_eq!(s.legacy_translations().len(), 1);
    assert_eq!(&*s.legacy_translations()[0].0, "basic.events.read");
}
