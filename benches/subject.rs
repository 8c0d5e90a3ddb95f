//! Building a `Subject` from a typical token (the contract's example, plus ~20 more grants),
//! parsing the token, and re-deriving the subject for fresh entitlements, side by side.
//!
//! Run: `cargo bench --bench subject -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::{Catalog, Claims, Entitlements, Subject};

#[allow(dead_code)] // Each bench uses part of what the benches share.
mod shared;
use shared::TOKEN;

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
