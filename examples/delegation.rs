//! Delegation (layer 5): a finance manager delegates bill viewing for one business unit, and is
//! refused write access, a wider scope, and re-delegation (blueprint §6–7, §9.3).
//!
//! Run: `cargo run --example delegation`

use kisum_access::{Catalog, Claims, Entitlements, Grant, Scope, Subject, decide, keys};

const MANAGER: &str = r#"{
  "sub": "manager-1",
  "memberships": [{
    "company": "acme",
    "modules": ["promoter", "finance"],
    "permissions": ["finance.bill.view", "finance.bill.edit"],
    "delegation": {
      "modules": ["finance"],
      "permissions": ["finance.bill.view"],
      "scope": {"business_units": ["bu-x"]},
      "redelegate": []
    }
  }]
}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::embedded();
    let ents = [Entitlements::new("acme", ["promoter", "finance"])];
    let manager = Subject::from_claims(catalog, &serde_json::from_str::<Claims>(MANAGER)?, &ents)?;
    let acme = Scope::company("acme");
    println!(
        "manager personally: bill view {}, bill edit {}",
        decide(&manager, keys::FINANCE_BILL_VIEW, &acme).is_allowed(),
        decide(&manager, keys::FINANCE_BILL_EDIT, &acme).is_allowed()
    );

    let attempts = [
        (
            "bill view for bu-x",
            Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x"]),
        ),
        (
            "bill edit for bu-x (write access)",
            Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-x"]),
        ),
        (
            "bill view for the whole company (wider scope)",
            Grant::new("acme", keys::FINANCE_BILL_VIEW),
        ),
        (
            "bill view for bu-x, re-delegable",
            Grant::new("acme", keys::FINANCE_BILL_VIEW)
                .business_units(["bu-x"])
                .redelegable(),
        ),
        (
            "invoice view (not held)",
            Grant::new("acme", keys::FINANCE_INVOICE_VIEW).business_units(["bu-x"]),
        ),
    ];
    let mut accepted = None;
    for (what, grant) in attempts {
        match manager.can_grant(&grant) {
            Ok(()) => {
                println!("  grant {what}: accepted");
                accepted.get_or_insert(grant);
            }
            Err(denial) => println!("  grant {what}: refused — {denial}"),
        }
    }

    // The grantee gets exactly what was granted, and never more than the manager holds.
    let grant = accepted.ok_or("the first grant should be accepted")?;
    let clerk = Subject::builder(catalog, "clerk-9")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .grant(&grant)
        .build()?;
    for bu in ["bu-x", "bu-y"] {
        let scope = acme.business_unit(bu);
        println!(
            "clerk views bills of {bu}: {}",
            if decide(&clerk, keys::FINANCE_BILL_VIEW, &scope).is_allowed() {
                "allowed"
            } else {
                "denied"
            }
        );
    }
    println!(
        "clerk may grant it on: {}",
        clerk
            .can_grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x"]))
            .is_ok()
    );
    Ok(())
}
