//! What a service pays per token, side by side: the peers' 40-grant token from its JSON bytes to
//! a `Subject` and to 5 decisions (serde_json and `from_claims`, or `Subject::from_json`), and `from_claims` against a 4,000-key run-time catalog
//! (64 empty memberships; one membership of 40 grants).
//!
//! Run: `cargo bench --bench token -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::{Catalog, Claims, Entitlements, Key, Scope, Subject, decide};

#[allow(dead_code)] // Each bench uses part of what the benches share.
mod shared;
use shared::peers_token::{FIVE, peers_token};

/// Keys in the run-time catalog: 10 modules of 400.
const BIG_KEYS: usize = 4000;

/// A catalog of [`BIG_KEYS`] keys `mM.rR.view`, without a commercial model (no entitlements).
fn big_catalog() -> Catalog {
    let mut src = String::from(
        "[catalog]\nname = \"big\"\nversion = \"1\"\ncommercial = false\n\
         delegation = \"change_permissions\"\nactions = [\"view\"]\n",
    );
    for m in 0..BIG_KEYS / 400 {
        src += &format!(
            "[[module]]\nkey = \"m{m}\"\nname = \"M{m}\"\nkind = \"system\"\nstatus = \"active\"\n"
        );
    }
    for k in 0..BIG_KEYS {
        src += &format!(
            "[[permission]]\nkey = \"m{}.r{k}.view\"\ngates = \"r{k}\"\n",
            k / 400
        );
    }
    let catalog = Catalog::from_toml_str(&src).expect("the generated catalog loads");
    assert_eq!(catalog.keys().count(), BIG_KEYS);
    catalog
}

/// A token of `memberships` memberships, each holding `grants` keys of the big catalog.
fn big_token(memberships: usize, grants: usize) -> Claims {
    let members: Vec<String> = (0..memberships)
        .map(|m| {
            let keys: Vec<String> = (0..grants).map(|k| format!("\"m0.r{k}.view\"")).collect();
            format!(
                r#"{{"company": "c{m:02}", "permissions": [{}]}}"#,
                keys.join(", ")
            )
        })
        .collect();
    let json = format!(
        r#"{{"sub": "u1", "memberships": [{}]}}"#,
        members.join(", ")
    );
    serde_json::from_str(&json).expect("the generated token parses")
}

/// The peers' token, parsed and compiled.
fn subject_of(token: &[u8], entitlements: &[Entitlements]) -> Subject {
    let claims: Claims = serde_json::from_slice(token).expect("token parses");
    Subject::from_claims(Catalog::embedded(), &claims, entitlements).expect("subject builds")
}

/// How many of the five requests `s` allows.
fn five_decisions(s: &Subject, five: &[(Key, Option<&str>, bool)]) -> usize {
    let mut allowed = 0;
    for &(key, bu, _) in black_box(five) {
        let scope = Scope::company("acme");
        let scope = bu.map_or(scope, |b| scope.business_unit(b));
        allowed += usize::from(decide(s, key, &scope).is_allowed());
    }
    allowed
}

fn peers_token_rows(c: &mut Criterion) {
    let token = peers_token().into_bytes();
    let ents = [Entitlements::new("acme", ["promoter", "finance"])];
    let five: Vec<(Key, Option<&str>, bool)> = FIVE
        .iter()
        .map(|&(k, bu, allowed)| (Catalog::embedded().key(k).expect("key"), bu, allowed))
        .collect();
    let s = subject_of(&token, &ents);
    let borrowed = Subject::from_json(Catalog::embedded(), &token, &ents).expect("subject builds");
    assert_eq!(format!("{borrowed:?}"), format!("{s:?}"));
    for &(key, bu, allowed) in &five {
        let scope = Scope::company("acme");
        let scope = bu.map_or(scope, |b| scope.business_unit(b));
        assert_eq!(decide(&s, key, &scope).is_allowed(), allowed);
    }
    let claims: Claims = serde_json::from_slice(&token).expect("token parses");
    let mut g = c.benchmark_group("token");
    g.bench_function("peers token: serde_json::from_slice::<Claims>", |b| {
        b.iter(|| serde_json::from_slice::<Claims>(black_box(&token)).expect("parses"))
    });
    g.bench_function("peers token: Subject::from_claims", |b| {
        b.iter(|| Subject::from_claims(Catalog::embedded(), black_box(&claims), &ents))
    });
    g.bench_function("peers token: bytes -> Subject", |b| {
        b.iter(|| subject_of(black_box(&token), &ents))
    });
    g.bench_function("peers token: bytes -> 5 decisions", |b| {
        b.iter(|| five_decisions(&subject_of(black_box(&token), &ents), &five))
    });
    g.bench_function("peers token: Subject::from_json", |b| {
        b.iter(|| {
            Subject::from_json(Catalog::embedded(), black_box(&token), &ents).expect("builds")
        })
    });
    g.bench_function("peers token: from_json -> 5 decisions", |b| {
        b.iter(|| {
            let s = Subject::from_json(Catalog::embedded(), black_box(&token), &ents);
            five_decisions(&s.expect("builds"), &five)
        })
    });
    g.finish();
}

fn big_catalog_rows(c: &mut Criterion) {
    let catalog = big_catalog();
    let mut g = c.benchmark_group("token, 4,000-key run-time catalog");
    for (name, claims) in [
        ("from_claims: 64 empty memberships", big_token(64, 0)),
        ("from_claims: 1 membership of 40 grants", big_token(1, 40)),
        ("from_claims: 1 empty membership", big_token(1, 0)),
    ] {
        Subject::from_claims(&catalog, &claims, &[]).expect("subject builds");
        g.bench_function(name, |b| {
            b.iter(|| Subject::from_claims(&catalog, black_box(&claims), &[]).expect("builds"))
        });
    }
    g.finish();
}

criterion_group!(benches, peers_token_rows, big_catalog_rows);
criterion_main!(benches);
