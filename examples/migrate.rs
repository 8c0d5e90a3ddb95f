//! The migration off the legacy names (`basic.*` and the blueprint's `read`/`write` keys): migrate
//! a legacy role template holding every example name of the Permissions Blueprint and print the
//! report the Auth team reviews; then show what each claims option does with a legacy token.
//!
//! Run: `cargo run --example migrate` (the README's migration section shows its output; a test
//! keeps the two equal).

use std::fmt::Write as _;

use kisum_access::{Catalog, Claims, ClaimsOptions, Entitlements, Scope, Subject, decide, migrate};

/// A legacy role template: every example name of the Permissions Blueprint (§2, §3.1-§3.6, §7,
/// §9), in the blueprint's order.
pub const BLUEPRINT_TEMPLATE: &[&str] = &[
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
    "finance.expenses.read",
    "finance.expenses.write",
    "finance.income.read",
    "finance.income.write",
    "finance.bills.read",
    "finance.bills.write",
    "finance.ticketing.read",
    "finance.reports.read",
    "finance.vendors.read",
    "ai.predictions.read",
    "ai.research.read",
    "ai.valuations.read",
    "ai.sales-reports.read",
    "touring.routes.read",
    "touring.routes.write",
    "touring.logistics.manage",
    "touring.coordination.manage",
    "market.contracts.read",
    "market.contracts.write",
    "market.escrow.read",
    "market.investments.read",
    "venue.availability.read",
    "venue.details.read",
    "venue.details.write",
    "venue.calendar.read",
    "venue.calendar.write",
    "venue.bookings.read",
    "venue.bookings.write",
    "venue.customers.read",
    "venue.customers.write",
    "venue.contracts.read",
    "venue.contracts.write",
    "venue.deposits.read",
    "venue.deposits.write",
    "venue.approvals.read",
    "venue.approvals.approve",
    "venue.reports.read",
    "venue.operations.manage",
];

/// A token Auth issued before it replaced its catalog: the legacy module and legacy keys, one of
/// them (`basic.events.create`) with a wider replacement.
const LEGACY_TOKEN: &str = r#"{
  "sub": "user-9",
  "memberships": [{
    "company": "acme",
    "modules": ["basic"],
    "permissions": ["basic.events.read", "basic.events.create", "basic.pnl.read"]
  }]
}"#;

/// Everything the example prints.
pub fn output() -> Result<String, Box<dyn std::error::Error>> {
    let catalog = Catalog::embedded();
    let mut out = String::new();

    let report = migrate(catalog, BLUEPRINT_TEMPLATE);
    writeln!(out, "== the blueprint's names, migrated\n{report}")?;
    let names: Vec<&str> = report.keys().into_iter().map(|k| catalog.name(k)).collect();
    writeln!(out, "new template: {}\n", names.join(", "))?;

    // The migration window: Core still entitles `basic`, Auth still issues legacy tokens.
    let claims: Claims = serde_json::from_str(LEGACY_TOKEN)?;
    let ents = [Entitlements::new("acme", ["basic"])];
    writeln!(out, "== a legacy token, while Core still entitles `basic`")?;
    let options = [
        ("default", ClaimsOptions::default()),
        (
            "translate_legacy",
            ClaimsOptions::default().translate_legacy(true),
        ),
        (
            "translate_legacy + allow_widening",
            ClaimsOptions::default()
                .translate_legacy(true)
                .allow_widening(true),
        ),
    ];
    for (label, options) in options {
        let subject = match Subject::from_claims_with(catalog, &claims, &ents, options) {
            Ok(s) => s,
            Err(e) => {
                writeln!(out, "{label}: refused: {e}")?;
                continue;
            }
        };
        writeln!(out, "{label}: accepted")?;
        for t in subject.legacy_translations() {
            writeln!(out, "  translated {t}")?;
        }
        let acme = Scope::company("acme");
        let allowed: Vec<&str> = (catalog.keys())
            .filter(|&k| decide(&subject, k, &acme).is_allowed())
            .map(|k| catalog.name(k))
            .collect();
        writeln!(out, "  allowed in acme: {}", allowed.join(", "))?;
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    print!("{}", output()?);
    Ok(())
}
