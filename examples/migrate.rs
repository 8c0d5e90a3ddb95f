//! The `basic.*` migration (seed 000 §6): migrate a legacy role template and print the report,
//! then show the claims rollout option — legacy keys refused by default, translated and reported
//! when the caller opts in.
//!
//! Run: `cargo run --example migrate`

use kisum_access::{
    Catalog, Claims, ClaimsOptions, Entitlements, Scope, Subject, decide, keys, migrate,
};

/// A role template of the legacy naming: the blueprint's §3.1 `basic.*` family, one key that is
/// already current, and one old-style finance key the new catalog never aliased.
const LEGACY_TEMPLATE: &[&str] = &[
    "basic.artists.read",
    "basic.artists.analyze",
    "basic.contacts.read",
    "basic.events.read",
    "basic.events.create",
    "basic.events.update",
    "basic.market-study.read",
    "basic.pnl.read",
    "basic.tasks.manage",
    "basic.news.read",
    "promoter.venue.view",
    "finance.bills.read",
];

const LEGACY_TOKEN: &str = r#"{
  "sub": "user-9",
  "memberships": [{
    "company": "acme",
    "modules": ["promoter"],
    "permissions": ["basic.events.read", "basic.pnl.read", "promoter.news.view"]
  }]
}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::embedded();

    let report = migrate(catalog, LEGACY_TEMPLATE);
    println!("legacy role template, migrated:\n{report}");
    let names: Vec<&str> = report.keys().into_iter().map(|k| catalog.name(k)).collect();
    println!("new template: {names:?}");
    println!("lossless: {}\n", report.is_lossless());

    // The rollout window: a token still carrying basic.* keys.
    let claims: Claims = serde_json::from_str(LEGACY_TOKEN)?;
    let ents = [Entitlements::new("acme", ["promoter"])];
    match Subject::from_claims(catalog, &claims, &ents) {
        Ok(_) => println!("legacy token accepted by default (unexpected)"),
        Err(e) => println!("by default the legacy token is refused: {e}"),
    }
    let options = ClaimsOptions::default().translate_legacy(true);
    let subject = Subject::from_claims_with(catalog, &claims, &ents, options)?;
    println!(
        "with translate_legacy, {} legacy keys were translated:",
        subject.legacy_translations().len()
    );
    for (old, new) in subject.legacy_translations() {
        match new {
            Some(k) => println!("  {old} -> {}", catalog.name(*k)),
            None => println!("  {old} -> dropped, grants nothing"),
        }
    }
    let acme = Scope::company("acme");
    println!(
        "promoter.event.view in acme: {:?}",
        decide(&subject, keys::PROMOTER_EVENT_VIEW, &acme)
    );
    Ok(())
}
