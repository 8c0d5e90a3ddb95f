//! Translation never silently widens access. A model of what each legacy key allowed, written from
//! the blueprint's action words (§4.1: read views, create adds records, update modifies them,
//! delete removes them, manage is broad control of the resource family; `write`, used by its
//! examples, is create + update), and of what each current key gates (its text in the catalog
//! seed), in the same words. From it: every alias's class is right, and a legacy token translated
//! with widening off is never allowed a request its legacy keys did not cover.

use std::collections::BTreeSet;

use kisum_access::{
    AliasClass, Catalog, Claims, ClaimsError, ClaimsOptions, Entitlements, Key, Scope, Subject,
    decide,
};
use proptest::prelude::*;

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

/// An atom of access: an action on a legacy resource (or part of one).
type Atom = (String, &'static str);

const MANAGE: &[&str] = &[
    "read", "create", "update", "delete", "approve", "export", "assign",
];

/// What a legacy action word allows.
fn actions(word: &str) -> &'static [&'static str] {
    match word {
        "read" => &["read"],
        "create" => &["create"],
        "update" => &["update"],
        "delete" => &["delete"],
        "write" => &["create", "update"],
        "manage" => MANAGE,
        "approve" => &["approve"],
        "analyze" => &["analyze"],
        other => panic!("no meaning for the legacy action `{other}`"),
    }
}

/// Legacy resources that are one thing under two names, and ones made of parts a current key
/// can cover alone. Assumptions, stated in `catalog.toml` next to the aliases they justify.
fn parts(resource: &str) -> Vec<String> {
    match resource {
        // The blueprint lists the venue calendar under "Venue Availability".
        "venue.calendar" => vec!["venue.availability".into()],
        // The legacy naming has no invoices: they were part of income.
        "finance.income" => vec![
            "finance.income/invoices".into(),
            "finance.income/other".into(),
        ],
        r => vec![r.to_string()],
    }
}

/// What a legacy key allowed.
fn legacy_atoms(name: &str) -> BTreeSet<Atom> {
    let (resource, action) = name.rsplit_once('.').expect("module.resource.action");
    let mut atoms = BTreeSet::new();
    for part in parts(resource) {
        for &a in actions(action) {
            atoms.insert((part.clone(), a));
        }
    }
    atoms
}

/// Legacy resources and the actions on each.
type Gates = &'static [(&'static str, &'static [&'static str])];

/// What a current key gates, in the legacy words, read from its gates text. A key not listed
/// gates nothing any legacy key spoke of.
const GATES: &[(&str, Gates)] = &[
    ("promoter.artist.view", &[("basic.artists", &["read"])]),
    ("promoter.event.view", &[("basic.events", &["read"])]),
    // "Create / update / delete promoter events and edit tabs"
    (
        "promoter.event.edit",
        &[("basic.events", &["create", "update", "delete"])],
    ),
    ("promoter.news.view", &[("basic.news", &["read"])]),
    ("finance.bill.view", &[("finance.bills", &["read"])]),
    // "Create / update bills"
    (
        "finance.bill.edit",
        &[("finance.bills", &["create", "update"])],
    ),
    (
        "finance.invoice.view",
        &[("finance.income/invoices", &["read"])],
    ),
    // "Create / update invoices"
    (
        "finance.invoice.edit",
        &[("finance.income/invoices", &["create", "update"])],
    ),
    ("finance.report.view", &[("finance.reports", &["read"])]),
    ("finance.vendor.view", &[("finance.vendors", &["read"])]),
    // "View AI-generated reports / forecasts"
    (
        "ai.report.view",
        &[
            ("ai.predictions", &["read"]),
            ("ai.sales-reports", &["read"]),
        ],
    ),
    (
        "venue.availability.view",
        &[("venue.availability", &["read"])],
    ),
    // "Create / update / delete venue availability blocks"
    (
        "venue.availability.edit",
        &[("venue.availability", &["create", "update", "delete"])],
    ),
    ("venue.venue.view", &[("venue.details", &["read"])]),
    // "Create / update / delete venue profile"
    (
        "venue.venue.edit",
        &[("venue.details", &["create", "update", "delete"])],
    ),
    ("venue.booking.view", &[("venue.bookings", &["read"])]),
    // "Accept / reject / cancel / manage venue bookings"
    ("venue.booking.manage", &[("venue.bookings", MANAGE)]),
    ("venue.customer.view", &[("venue.customers", &["read"])]),
    // "Edit customer / client overlays"
    ("venue.customer.edit", &[("venue.customers", &["update"])]),
    ("venue.contract.view", &[("venue.contracts", &["read"])]),
    // "Issue / upload / edit / sign contracts"
    ("venue.contract.manage", &[("venue.contracts", MANAGE)]),
];

fn key_atoms(key: Key) -> BTreeSet<Atom> {
    let name = catalog().name(key);
    let Some((_, gates)) = GATES.iter().find(|(k, _)| *k == name) else {
        return BTreeSet::new();
    };
    (gates.iter())
        .flat_map(|(r, acts)| acts.iter().map(move |a| (r.to_string(), *a)))
        .collect()
}

/// The class an alias must have, by the model.
fn model_class(legacy: &str, replacement: Key) -> AliasClass {
    let (old, new) = (legacy_atoms(legacy), key_atoms(replacement));
    assert!(
        !new.is_empty(),
        "{legacy}: the model has no meaning for its replacement"
    );
    if new == old {
        AliasClass::Exact
    } else if new.is_subset(&old) {
        AliasClass::Narrower
    } else {
        AliasClass::Wider
    }
}

#[test]
fn every_alias_class_agrees_with_the_model_of_the_legacy_words() {
    for alias in catalog().legacy() {
        if let Some(r) = alias.replacement() {
            let want = model_class(alias.name(), r);
            assert_eq!(
                alias.class(),
                Some(want),
                "{} -> {}",
                alias.name(),
                catalog().name(r)
            );
        }
    }
}

/// One legacy grant of a generated token: a legacy name, unrestricted or restricted to units.
#[derive(Debug, Clone)]
struct LegacyGrant {
    name: &'static str,
    units: Option<Vec<&'static str>>,
}

impl LegacyGrant {
    fn reaches(&self, unit: Option<&str>) -> bool {
        match (&self.units, unit) {
            (None, _) => true,
            (Some(units), Some(u)) => units.contains(&u),
            (Some(_), None) => false,
        }
    }
}

fn legacy_grant() -> impl Strategy<Value = LegacyGrant> {
    let names: Vec<&'static str> = catalog().legacy().map(|a| a.name()).collect();
    let units = prop::option::of(prop::sample::subsequence(vec!["bu-x", "bu-y"], 1..=2));
    (prop::sample::select(names), units).prop_map(|(name, units)| LegacyGrant { name, units })
}

fn token(grants: &[LegacyGrant]) -> Claims {
    let permissions: Vec<serde_json::Value> = (grants.iter())
        .map(|g| match &g.units {
            None => serde_json::json!(g.name),
            Some(u) => serde_json::json!({"key": g.name, "business_units": u}),
        })
        .collect();
    serde_json::from_value(serde_json::json!({"sub": "u1", "memberships": [{
        "company": "acme", "modules": ["basic", "finance", "venue", "ai"],
        "permissions": permissions}]}))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Translated with widening off, a legacy token is refused (only for a wider alias) or is
    /// allowed nothing its legacy keys did not cover, in any business unit.
    #[test]
    fn translation_without_widening_never_allows_what_the_legacy_keys_did_not(
        grants in prop::collection::vec(legacy_grant(), 1..5),
    ) {
        let ents = [Entitlements::new("acme", ["basic", "finance", "venue", "ai"])];
        let options = ClaimsOptions::default().translate_legacy(true);
        let subject = match Subject::from_claims_with(catalog(), &token(&grants), &ents, options) {
            Err(ClaimsError::WideningTranslation { key, replacement, .. }) => {
                let alias = catalog().legacy_alias(&key).unwrap();
                prop_assert_eq!(alias.class(), Some(AliasClass::Wider));
                prop_assert_eq!(catalog().name(alias.replacement().unwrap()), replacement);
                return Ok(());
            }
            other => other.map_err(|e| TestCaseError::fail(e.to_string()))?,
        };
        prop_assert!(subject.legacy_translations().iter().all(|t| !t.widens()));
        for unit in [None, Some("bu-x"), Some("bu-y"), Some("bu-z")] {
            let scope = match unit {
                Some(u) => Scope::company("acme").business_unit(u),
                None => Scope::company("acme"),
            };
            let covered: BTreeSet<Atom> = (grants.iter())
                .filter(|g| g.reaches(unit))
                .flat_map(|g| legacy_atoms(g.name))
                .collect();
            for key in catalog().keys() {
                if decide(&subject, key, &scope).is_allowed() {
                    let needs = key_atoms(key);
                    prop_assert!(
                        !needs.is_empty() && needs.is_subset(&covered),
                        "{} allowed in {:?}, but the legacy keys {:?} cover only {:?}",
                        catalog().name(key), unit, grants, covered
                    );
                }
            }
        }
    }
}
