//! Delegation at its size limits, and catalog loading against an adversarial role pattern.
//!
//! - `delegation`: `can_grant` for a grant of 256 business units x 256 workflows (budget: under
//!   50 µs), against a granter holding the key unrestricted and one holding it through two
//!   restricted grants whose union covers the grant; and an approval grant checked per grant limit.
//! - `catalog`: `Catalog::from_toml_str` on `benches/data/adversarial_pattern.toml` (budget: under
//!   10 ms), the same catalog without its role (baseline), and the backtracking matcher the crate
//!   used before on one of its patterns and one key, for scale.
//!
//! Run: `cargo bench --bench delegation -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::{Catalog, Grant, MAX_LIST, Subject, keys};

const ADVERSARIAL: &str = include_str!("data/adversarial_pattern.toml");

fn ids(prefix: &str) -> Vec<String> {
    (0..MAX_LIST).map(|i| format!("{prefix}-{i}")).collect()
}

fn granter(restricted: bool) -> Subject {
    let (units, flows) = (ids("bu"), ids("wf"));
    let mut b = Subject::builder(Catalog::embedded(), "granter")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .approval_limit(1_000_000);
    if restricted {
        for (half, limit) in [(&units[..128], 5_000), (&units[128..], 100)] {
            b = b
                .grant(
                    &Grant::new("acme", keys::FINANCE_BILL_EDIT)
                        .business_units(half)
                        .workflows(flows.clone()),
                )
                .grant(
                    &Grant::new("acme", keys::FINANCE_BILL_APPROVE)
                        .business_units(half)
                        .approval_limit(limit),
                );
        }
    } else {
        b = b.permission(keys::FINANCE_BILL_EDIT);
    }
    b.delegable([keys::FINANCE_BILL_EDIT, keys::FINANCE_BILL_APPROVE])
        .build()
        .expect("the granter builds")
}

fn can_grant(c: &mut Criterion) {
    let grant = Grant::new("acme", keys::FINANCE_BILL_EDIT)
        .business_units(ids("bu"))
        .workflows(ids("wf"));
    let approve = Grant::new("acme", keys::FINANCE_BILL_APPROVE)
        .business_units(ids("bu"))
        .approval_limit(100);
    let (unrestricted, restricted) = (granter(false), granter(true));
    assert_eq!(unrestricted.can_grant(&grant), Ok(()));
    assert_eq!(restricted.can_grant(&grant), Ok(()));
    assert_eq!(restricted.can_grant(&approve), Ok(()));
    let mut g = c.benchmark_group("delegation");
    g.bench_function("baseline: clone the 256 x 256 grant", |b| {
        b.iter(|| black_box(&grant).clone())
    });
    g.bench_function("can_grant 256 x 256, held unrestricted", |b| {
        b.iter(|| unrestricted.can_grant(black_box(&grant)))
    });
    g.bench_function("can_grant 256 x 256, union of two restricted grants", |b| {
        b.iter(|| restricted.can_grant(black_box(&grant)))
    });
    g.bench_function("can_grant approval, 256 units, two grant limits", |b| {
        b.iter(|| restricted.can_grant(black_box(&approve)))
    });
    g.finish();
}

/// The matcher before: tries every number of segments for every `*`, recursively.
fn backtracking(pattern: &[&str], key: &[&str]) -> bool {
    match pattern.split_first() {
        None => key.is_empty(),
        Some((&"*", rest)) => (1..=key.len()).any(|n| backtracking(rest, &key[n..])),
        Some((seg, rest)) => key.first() == Some(seg) && backtracking(rest, &key[1..]),
    }
}

fn catalog(c: &mut Criterion) {
    let without_role = &ADVERSARIAL[..ADVERSARIAL.find("[[role]]").expect("a role")];
    assert!(Catalog::from_toml_str(ADVERSARIAL).is_ok());
    let pattern: Vec<&str> = "a.*.*.*.*.*.*.*.*.*.*.*.zz".split('.').collect();
    let key: Vec<&str> = "a.b.c.b.c.b.c.b.c.b.c.b.c.b.c.b.c.b.c.b.c.b.view"
        .split('.')
        .collect();
    let mut g = c.benchmark_group("catalog");
    g.bench_function("baseline: from_toml_str, 64 keys, no role", |b| {
        b.iter(|| Catalog::from_toml_str(black_box(without_role)))
    });
    g.bench_function("from_toml_str, 64 keys, adversarial role patterns", |b| {
        b.iter(|| Catalog::from_toml_str(black_box(ADVERSARIAL)))
    });
    g.sample_size(10);
    g.bench_function(
        "backtracking matcher (before), one pattern on one key",
        |b| b.iter(|| backtracking(black_box(&pattern), black_box(&key))),
    );
    g.finish();
}

criterion_group!(benches, can_grant, catalog);
criterion_main!(benches);
