//! The main demo, on the embedded Kisum catalog: the catalog's modules and a few key lookups, then
//! a subject built from a JSON token and the blueprint's finance examples (§9), each decision
//! printed with its explanation.
//!
//! Run: `cargo run --example quickstart`

use kisum_access::{Catalog, Claims, Entitlements, Scope, Subject, decide, explain, keys};

/// A token as the Auth service issues it (DESIGN §3).
const TOKEN: &str = r#"{
  "sub": "user-42",
  "memberships": [{
    "company": "acme",
    "modules": ["promoter", "finance"],
    "roles": ["promoter.viewer"],
    "permissions": [
      "promoter.event.view",
      {"key": "finance.bill.view", "business_units": ["bu-x"]},
      "finance.bill.approve",
      {"key": "promoter.event.edit", "own_only": true}
    ],
    "approval_limit": 500000
  }]
}"#;

const ENTITLEMENTS: &str = r#"[{"company": "acme", "modules": ["promoter", "finance"]}]"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::embedded();

    println!("== The embedded catalog: {} keys ==", catalog.len());
    for m in catalog.modules() {
        let count = catalog.keys().filter(|k| k.module() == m).count();
        let status = if catalog.is_reserved(m) {
            "reserved"
        } else {
            "active"
        };
        println!(
            "  {:<18} {:<28} {:<8} {:<8} {count:>3} keys",
            catalog.module_name(m),
            catalog.module_display_name(m),
            m.kind().as_str(),
            status
        );
    }
    println!();
    for name in [
        "promoter.event.view",
        "finance.bill.approve",
        "basic.events.read",
        "promoter.event.veiw",
    ] {
        match catalog.key(name) {
            Ok(k) => println!("  key({name:?}) -> {k:?}: {}", catalog.gates(k)),
            Err(e) => println!("  key({name:?}) -> error: {e}"),
        }
    }

    println!("\n== A subject from a token ==");
    let claims: Claims = serde_json::from_str(TOKEN)?;
    let entitlements: Vec<Entitlements> = serde_json::from_str(ENTITLEMENTS)?;
    let subject = Subject::from_claims(catalog, &claims, &entitlements)?;
    println!(
        "  user {} in {:?}\n",
        subject.user_id(),
        subject.companies().collect::<Vec<_>>()
    );

    let acme = Scope::company("acme");
    let requests = [
        (
            "§9.1 bills only: view bills",
            keys::FINANCE_BILL_VIEW,
            acme.business_unit("bu-x"),
        ),
        (
            "§9.1 bills only: view income (invoices)",
            keys::FINANCE_INVOICE_VIEW,
            acme.business_unit("bu-x"),
        ),
        (
            "§9.2 bills of BU-X only: bu-y",
            keys::FINANCE_BILL_VIEW,
            acme.business_unit("bu-y"),
        ),
        (
            "approve a bill of 12,500 (limit 500,000)",
            keys::FINANCE_BILL_APPROVE,
            acme.amount(12_500),
        ),
        (
            "approve a bill of 900,000",
            keys::FINANCE_BILL_APPROVE,
            acme.amount(900_000),
        ),
        (
            "edit someone else's event (own-only grant)",
            keys::PROMOTER_EVENT_EDIT,
            acme.owner("user-7"),
        ),
        (
            "use the AI copilot (module not bought)",
            keys::AI_COPILOT_USE,
            acme,
        ),
    ];
    for (what, key, scope) in requests {
        let decision = decide(&subject, key, &scope);
        println!(
            "-- {what}: {}",
            if decision.is_allowed() {
                "allowed"
            } else {
                "denied"
            }
        );
        print!("{}", explain(&subject, key, &scope));
        println!();
    }
    Ok(())
}
