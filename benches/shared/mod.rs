//! What the benches share: the decide benches' subject, its 16 decide paths, and a typical token.
//! Included with `mod shared;` by the benches.

pub mod draws;
pub mod peers_token;
pub mod worst;

use kisum_access::{Catalog, Grant, Key, Scope, Subject, keys};

/// acme: promoter + finance (+ ai bought, not assigned), 52 promoter keys, restricted finance
/// grants, an approval limit. globex: venue, 8 keys, no approval limit.
pub fn subject() -> Subject {
    let cat = Catalog::embedded();
    let mut b = Subject::builder(cat, "user-42")
        .membership("acme")
        .entitled(["promoter", "finance", "ai"])
        .modules(["promoter", "finance"])
        .approval_limit(500_000);
    for k in cat
        .keys()
        .filter(|k| cat.name(*k).starts_with("promoter.") && *k != keys::PROMOTER_COMPANY_EDIT)
    {
        b = b.permission(k);
    }
    b = b
        .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x", "bu-w"]))
        .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).workflows(["wf-1"]))
        .grant(&Grant::new("acme", keys::FINANCE_INVOICE_EDIT).own_only())
        .grant(
            &Grant::new("acme", keys::FINANCE_REPORT_VIEW)
                .business_units(["bu-x"])
                .workflows(["wf-2"]),
        )
        .permission(keys::FINANCE_BILL_APPROVE)
        .permission(keys::FINANCE_INVOICE_APPROVE)
        .membership("globex")
        .entitled(["venue"])
        .modules(["venue"]);
    for k in cat
        .keys()
        .filter(|k| cat.name(*k).starts_with("venue."))
        .take(8)
    {
        b = b.permission(k);
    }
    b.build().expect("bench subject builds")
}

/// One decide path: its row name, key, scope and the expected outcome (allowed or not).
pub type Path = (&'static str, Key, Scope<'static>, bool);

/// The 16 decide paths of [`subject`]: every allow path and every denial.
pub fn paths() -> [Path; 16] {
    let bam = Catalog::from_toml_str(include_str!("../../catalogs/bam.toml")).expect("bam loads");
    let foreign = bam.key("event.event.view").expect("bam key");
    let acme = Scope::company("acme");
    [
        ("allow", keys::PROMOTER_EVENT_VIEW, acme, true),
        (
            "allow (2nd membership)",
            keys::VENUE_VENUE_VIEW,
            Scope::company("globex"),
            true,
        ),
        (
            "allow restricted bu",
            keys::FINANCE_BILL_VIEW,
            acme.business_unit("bu-w"),
            true,
        ),
        (
            "allow restricted own-only",
            keys::FINANCE_INVOICE_EDIT,
            acme.owner("user-42"),
            true,
        ),
        (
            "allow approval",
            keys::FINANCE_BILL_APPROVE,
            acme.amount(10_000),
            true,
        ),
        (
            "deny restricted bu (OutOfScope)",
            keys::FINANCE_BILL_VIEW,
            acme.business_unit("bu-y"),
            false,
        ),
        (
            "deny restricted own-only (OutOfScope)",
            keys::FINANCE_INVOICE_EDIT,
            acme.owner("user-7"),
            false,
        ),
        (
            "deny NoMembership",
            keys::PROMOTER_EVENT_VIEW,
            Scope::company("initech"),
            false,
        ),
        ("deny NotEntitled", keys::ARTIST_VIEW, acme, false),
        ("deny ModuleNotAssigned", keys::AI_COPILOT_USE, acme, false),
        (
            "deny MissingPermission",
            keys::PROMOTER_COMPANY_EDIT,
            acme,
            false,
        ),
        (
            "deny ApprovalLimitMissing",
            keys::FINANCE_BILL_APPROVE,
            Scope::company("globex"),
            false,
        ),
        (
            "deny ApprovalAmountMissing",
            keys::FINANCE_BILL_APPROVE,
            acme,
            false,
        ),
        (
            "deny ApprovalLimitExceeded",
            keys::FINANCE_BILL_APPROVE,
            acme.amount(900_000),
            false,
        ),
        ("deny ForeignKey", foreign, acme, false),
        (
            "deny ticketing (MissingPermission)",
            keys::TICKETING_SCAN_OPERATE,
            acme,
            false,
        ),
    ]
}

/// A typical token (the contract's example, plus ~20 more grants), in JSON.
pub const TOKEN: &str = r#"{ "sub": "user-42",
  "memberships": [{
    "company": "acme",
    "modules": ["promoter", "finance"],
    "roles": ["promoter.viewer"],
    "permissions": [
      "promoter.event.view", "promoter.event.sales.edit", "promoter.event.estimate.edit",
      "promoter.event.commercial.edit", "promoter.event.marketing_sales.edit",
      "promoter.event.talent_programming.edit", "promoter.event.venue_site.edit",
      "promoter.artist.offer.edit", "promoter.artist.contract.edit", "promoter.venue.booking.edit",
      "promoter.vendor.edit", "promoter.calendar.edit", "finance.report.view", "finance.invoice.edit",
      {"key": "finance.bill.view", "business_units": ["bu-x"]},
      {"key": "finance.bill.edit", "business_units": ["bu-x"], "workflows": ["wf-1", "wf-2"]},
      {"key": "promoter.event.edit", "own_only": true},
      {"key": "promoter.event.edit", "workflows": ["wf-1"]},
      "finance.bill.approve"
    ],
    "scope": {"business_units": ["bu-x", "bu-y"]},
    "approval_limit": 500000,
    "delegation": {"modules": ["finance"], "permissions": ["finance.bill.view"],
                   "manage_users": false, "buy_addons": false,
                   "scope": {"business_units": ["bu-x"]}, "redelegate": []}
  }, {
    "company": "globex",
    "modules": ["venue"],
    "permissions": ["venue.venue.view", "venue.booking.manage", "venue.deal.view"]
  }] }"#;
