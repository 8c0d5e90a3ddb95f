//! The migration off the legacy names: every example name of the blueprint is a classed alias or
//! dropped with a reason, and the validator requires the class; `migrate` reports each name's
//! class (text and JSON). Claims are in `migration_claims.rs`.

use kisum_access::{AliasClass, Catalog, KeyError, Migrated, keys, migrate};

const SEED_BLUEPRINT: &str = include_str!("seeds/001_a8c9c92dabef3ec6.txt");

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

/// Every `<module>.<resource>.<action>` example name of the blueprint, in order of appearance.
/// The seed's text runs names together (`basic.artists.readbasic.events.create`), so a name ends
/// where its action word (§4 plus the words the examples use) ends.
fn blueprint_names() -> Vec<String> {
    const MODULES: [&str; 6] = ["basic", "finance", "ai", "touring", "market", "venue"];
    const ACTIONS: [&str; 10] = [
        "read", "create", "update", "delete", "approve", "manage", "export", "assign", "analyze",
        "write",
    ];
    let mut out: Vec<String> = Vec::new();
    for module in MODULES {
        let prefix = format!("{module}.");
        for (i, _) in SEED_BLUEPRINT.match_indices(&prefix) {
            let tail = &SEED_BLUEPRINT[i + prefix.len()..];
            let Some(dot) = tail.find('.') else { continue };
            let resource = &tail[..dot];
            let ok = |c: char| c.is_ascii_lowercase() || c == '-';
            if resource.is_empty() || !resource.chars().all(ok) {
                continue;
            }
            if let Some(action) = ACTIONS.iter().find(|a| tail[dot + 1..].starts_with(*a)) {
                let name = format!("{module}.{resource}.{action}");
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

#[test]
fn every_example_name_of_the_blueprint_is_a_classed_alias_or_dropped_with_a_reason() {
    let names = blueprint_names();
    assert_eq!(names.len(), 48, "{names:?}");
    for name in &names {
        let alias = catalog()
            .legacy_alias(name)
            .unwrap_or_else(|| panic!("{name} is not a legacy alias"));
        match (alias.replacement(), alias.class(), alias.reason()) {
            (Some(_), Some(_), None) => {}
            (None, None, Some(reason)) => assert!(!reason.is_empty(), "{name}"),
            other => panic!("{name}: {other:?}"),
        }
        // A legacy name is never unknown: looking it up names the replacement, if any.
        match catalog().key(name) {
            Err(e @ KeyError::Legacy { .. }) => {
                assert_eq!(
                    e.replacement(),
                    alias.replacement().map(|k| catalog().name(k))
                );
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    // The catalog's aliases are exactly the blueprint's names.
    assert_eq!(catalog().legacy().len(), names.len());
    // The blueprint's `basic` and `market` modules are legacy modules.
    let basic = catalog().legacy_module("basic").unwrap();
    assert_eq!(basic.replacement(), catalog().module("promoter"));
    let market = catalog().legacy_module("market").unwrap();
    assert!(market.replacement().is_none() && market.reason().is_some());
    // Any key of a legacy module is legacy, listed or not.
    assert!(catalog().is_legacy("basic.calendar.read"));
    assert!(matches!(
        catalog().key("basic.calendar.read"),
        Err(KeyError::Legacy {
            replacement: None,
            ..
        })
    ));
    assert!(!catalog().is_legacy("promoter.event.fly"));
}

#[test]
fn migrate_reports_each_name_with_its_class() {
    let names = [
        "basic.events.read",   // exact
        "finance.income.read", // narrower
        "basic.events.create", // wider
        "promoter.news.view",  // current
        "basic.pnl.read",      // dropped, listed
        "basic.calendar.read", // dropped: a legacy module's key without alias
        "promoter.event.fly",  // unknown
        "Not A Key",           // malformed
        "basic.events.update", // wider, same replacement as create
    ];
    let report = migrate(catalog(), names);
    let got: Vec<(Migrated<'_>, Option<AliasClass>)> = report
        .entries()
        .iter()
        .map(|e| (e.outcome, e.class))
        .collect();
    use AliasClass::*;
    assert_eq!(
        got[0],
        (Migrated::Replaced(keys::PROMOTER_EVENT_VIEW), Some(Exact))
    );
    assert_eq!(
        got[1],
        (
            Migrated::Replaced(keys::FINANCE_INVOICE_VIEW),
            Some(Narrower)
        )
    );
    assert_eq!(
        got[2],
        (Migrated::Replaced(keys::PROMOTER_EVENT_EDIT), Some(Wider))
    );
    assert_eq!(got[3], (Migrated::Current(keys::PROMOTER_NEWS_VIEW), None));
    assert!(matches!(got[4], (Migrated::Dropped { reason }, None) if reason.contains("P&L")));
    assert!(matches!(got[5], (Migrated::Dropped { reason }, None) if reason.contains("legacy")));
    assert!(matches!(
        got[6],
        (Migrated::Unknown(KeyError::Unknown { .. }), None)
    ));
    assert!(matches!(
        got[7],
        (Migrated::Unknown(KeyError::Malformed { .. }), None)
    ));
    assert_eq!(report.replaced_as(Wider), 2);
    assert_eq!(
        (report.replaced(), report.dropped(), report.unknown()),
        (4, 2, 2)
    );
    assert!(!report.is_lossless() && report.widens());
    assert_eq!(
        report.keys(),
        [
            keys::PROMOTER_EVENT_VIEW,
            keys::FINANCE_INVOICE_VIEW,
            keys::PROMOTER_EVENT_EDIT,
            keys::PROMOTER_NEWS_VIEW
        ]
    );

    // What the Auth team reviews: narrower loses access, wider gains it.
    let exact = migrate(catalog(), ["basic.events.read", "promoter.news.view"]);
    assert!(exact.is_lossless() && !exact.widens());
    let narrower = migrate(catalog(), ["venue.customers.write"]);
    assert!(!narrower.is_lossless() && !narrower.widens());
    let wider = migrate(catalog(), ["venue.contracts.write"]);
    assert!(wider.is_lossless() && wider.widens());
    assert!(
        migrate(catalog(), Vec::<String>::new())
            .entries()
            .is_empty()
    );
}

#[test]
fn the_report_text_groups_names_by_class() {
    let report = migrate(
        catalog(),
        [
            "basic.events.create",
            "basic.events.read",
            "basic.pnl.read",
            "venue.customers.write",
        ],
    );
    let text = report.to_string();
    let expected = "\
4 names: 3 replaced (1 exact, 1 narrower, 1 wider), 0 already current, 1 dropped, 0 unknown
lossless: no; widens: yes

exact (the replacement gates what the legacy key did):
  basic.events.read      -> promoter.event.view

narrower (the replacement gates less: access is lost):
  venue.customers.write  -> venue.customer.edit (Edit customer / client overlays)

wider (the replacement gates more: access is gained; translating needs allow_widening):
  basic.events.create    -> promoter.event.edit (Create / update / delete promoter events and edit tabs)

dropped (grants nothing):
  basic.pnl.read         P&L moved to the finance add-on (finance.report.view); translating it would cross a commercial boundary
";
    assert_eq!(text, expected);
}

#[test]
fn the_report_json_shape_is_pinned() {
    let report = migrate(
        catalog(),
        [
            "basic.events.create",
            "basic.events.read",
            "basic.pnl.read",
            "promoter.news.view",
            "x.y.z",
        ],
    );
    let json = serde_json::to_value(&report).unwrap();
    let fingerprint = format!("{:016x}", catalog().fingerprint());
    let expected = serde_json::json!({
        "catalog": {"name": "kisum", "version": catalog().version(), "fingerprint": fingerprint},
        "names": 5,
        "lossless": false,
        "widens": true,
        "counts": {"exact": 1, "narrower": 0, "wider": 1, "current": 1, "dropped": 1, "unknown": 1},
        "entries": [
            {"from": "basic.events.create", "outcome": "replaced", "to": "promoter.event.edit",
             "class": "wider", "gates": "Create / update / delete promoter events and edit tabs"},
            {"from": "basic.events.read", "outcome": "replaced", "to": "promoter.event.view",
             "class": "exact", "gates": "View promoter events list and event details"},
            {"from": "basic.pnl.read", "outcome": "dropped",
             "reason": catalog().legacy_alias("basic.pnl.read").unwrap().reason().unwrap()},
            {"from": "promoter.news.view", "outcome": "current", "to": "promoter.news.view"},
            {"from": "x.y.z", "outcome": "unknown",
             "error": "unknown permission key `x.y.z`: it is not in the catalog"},
        ]
    });
    assert_eq!(json, expected);
}

#[test]
fn the_validator_requires_a_class_on_replacements_and_refuses_it_on_dropped_ones() {
    const HEADER: &str = "[catalog]\nname = \"t\"\ncommercial = true\ndelegation = \"policy\"\nactions = [\"view\"]\n\n[[module]]\nkey = \"shop\"\nname = \"Shop\"\nkind = \"base\"\nstatus = \"active\"\n\n[[permission]]\nkey = \"shop.item.view\"\ngates = \"x\"\n";
    let problems = |extra: &str| -> Vec<(usize, kisum_access::ProblemKind)> {
        let err = Catalog::from_toml_str(&format!("{HEADER}{extra}")).unwrap_err();
        err.problems()
            .iter()
            .map(|p| (p.line, p.kind.clone()))
            .collect()
    };
    use kisum_access::ProblemKind as P;
    let p = problems(
        "\n[[legacy]]\nkey = \"old.item.read\"\nreplacement = \"shop.item.view\"\n\n[[legacy]]\nkey = \"old.item.gone\"\ndropped = \"x\"\nclass = \"exact\"\n",
    );
    assert_eq!(
        p,
        [
            (18, P::LegacyClassMissing("old.item.read".into())),
            (24, P::LegacyClassOnDropped("old.item.gone".into())),
        ]
    );
    // A class that is not one of the three words is a shape error with its line.
    let p = problems(
        "\n[[legacy]]\nkey = \"old.item.read\"\nreplacement = \"shop.item.view\"\nclass = \"same\"\n",
    );
    assert!(
        matches!(&p[..], [(20, P::Syntax(m))] if m.contains("exact")),
        "{p:?}"
    );
    // Module aliases: not a declared module, a declared non-external replacement, no duplicates.
    let p = problems(
        "\n[[legacy_module]]\nkey = \"shop\"\ndropped = \"x\"\n\n[[legacy_module]]\nkey = \"old\"\nreplacement = \"ghost\"\n\n[[legacy_module]]\nkey = \"older\"\nreplacement = \"shop\"\n\n[[legacy_module]]\nkey = \"older\"\ndropped = \"x\"\n",
    );
    assert_eq!(
        p,
        [
            (18, P::LegacyShadowsModule("shop".into())),
            (
                23,
                P::BadModuleReplacement {
                    legacy: "old".into(),
                    target: "ghost".into()
                }
            ),
            (30, P::DuplicateLegacyModule("older".into())),
        ]
    );
    let ok = Catalog::from_toml_str(&format!(
        "{HEADER}\n[[legacy]]\nkey = \"old.item.read\"\nreplacement = \"shop.item.view\"\nclass = \"narrower\"\n\n[[legacy_module]]\nkey = \"old\"\nreplacement = \"shop\"\n"
    ))
    .unwrap();
    assert_eq!(
        ok.legacy_alias("old.item.read").unwrap().class(),
        Some(AliasClass::Narrower)
    );
    assert!(ok.is_legacy("old.thing.view"));
}
