//! `decide` on every path, for a subject with 2 memberships and ~60 grants (unrestricted,
//! business-unit, workflow and own-only restricted), beside a baseline bit test.
//!
//! Run: `cargo bench --bench decide -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::{Catalog, Grant, Key, Scope, Subject, decide, keys};

/// acme: promoter + finance (+ ai bought, not assigned), 52 promoter keys, restricted finance
/// grants, an approval limit. globex: venue, 8 keys, no approval limit.
fn subject() -> Subject {
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

fn decide_paths(c: &mut Criterion) {
    let s = subject();
    let bam = Catalog::from_toml_str(include_str!("../catalogs/bam.toml")).expect("bam loads");
    let foreign = bam.key("event.event.view").expect("bam key");
    let acme = Scope::company("acme");
    let rows: [(&str, Key, Scope<'_>, bool); 16] = [
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
    ];
    let mut g = c.benchmark_group("decide");
    let bits: u16 = 0b1010_0110_0101_0011;
    g.bench_function("baseline (bit test on a u16)", |b| {
        b.iter(|| black_box(bits) & (1 << black_box(5u16)) != 0)
    });
    // Not `decide`: the per-request cost of building a scope, which prepares its company and
    // business unit for comparison (the rows below build theirs outside the loop).
    g.bench_function(
        "Scope::company(..).business_unit(..), once per request",
        |b| {
            b.iter(|| {
                let scope = Scope::company(black_box("acme")).business_unit(black_box("bu-w"));
                black_box(&scope);
            })
        },
    );
    for (name, key, scope, expect) in rows {
        assert_eq!(decide(&s, key, &scope).is_allowed(), expect, "{name}");
        // The whole `Decision` is made and its address handed to `black_box`: returning it by
        // value would add a 16-byte copy whose load waits on the partial write of a payload-less
        // variant (a failed store-to-load forward, ~3 ns), which no caller pays.
        g.bench_function(name, |b| {
            b.iter(|| {
                let decision = decide(black_box(&s), black_box(key), black_box(&scope));
                black_box(&decision);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, decide_paths);
criterion_main!(benches);
