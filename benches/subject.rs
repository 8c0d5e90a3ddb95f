//! Building a `Subject` from a typical token (the contract's example, plus ~20 more grants),
//! parsing the token, and re-deriving the subject for fresh entitlements, side by side.
//!
//! Run: `cargo bench --bench subject -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::{Catalog, Claims, Entitlements, Subject};

const TOKEN: &str = r#"{ "sub": "user-42",
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

fn build(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    let claims: Claims = serde_json::from_str(TOKEN).expect("token parses");
    let ents = [
        Entitlements::new("acme", ["promoter", "finance"]),
        Entitlements::new("globex", ["venue"]),
    ];
    let mut g = c.benchmark_group("subject");
    g.bench_function("serde_json::from_str::<Claims>", |b| {
        b.iter(|| serde_json::from_str::<Claims>(black_box(TOKEN)).expect("parses"))
    });
    g.bench_function("Subject::from_claims", |b| {
        b.iter(|| {
            Subject::from_claims(catalog, black_box(&claims), black_box(&ents)).expect("builds")
        })
    });
    let subject = Subject::from_claims(catalog, &claims, &ents).expect("builds");
    let fresh = [
        Entitlements::new("acme", ["promoter", "finance", "ai"]).revision(2),
        Entitlements::new("globex", ["venue"]).revision(2),
    ];
    g.bench_function(
        "Subject::with_entitlements (fresh entitlements, no token)",
        |b| {
            b.iter(|| {
                black_box(&subject)
                    .with_entitlements(black_box(&fresh))
                    .expect("builds")
            })
        },
    );
    g.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
