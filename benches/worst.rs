//! `decide` where the other benches are kind to it, side by side with what it is compared to:
//! the 16 decide paths drawn at random each iteration (branch predictor and caches get no
//! repeated request) beside the floor row; 36-byte (UUID) ids beside short ones; the 64th of 64
//! memberships beside the first; a key restricted to 1, 100, 255 and 1,000 business units.
//!
//! Run: `cargo bench --bench worst -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::{Catalog, Grant, Key, Scope, Subject, decide, keys};

#[allow(dead_code)] // Each bench uses part of what the benches share.
mod shared;

/// Draws in a precomputed random sequence (a power of two: the index wraps with a mask).
const DRAWS: usize = 4096;

/// `DRAWS` indices below `n`, from splitmix64 with a fixed seed: the same sequence every run.
fn draws(n: usize) -> Vec<usize> {
    let mut state: u64 = 0x005E_ED0F_DEC1_DE00;
    (0..DRAWS)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % n as u64) as usize
        })
        .collect()
}

/// The company's first 8 bytes as a word: the floor row's company match.
fn word(company: &str) -> u64 {
    let mut w = [0u8; 8];
    let n = company.len().min(8);
    w[..n].copy_from_slice(&company.as_bytes()[..n]);
    u64::from_le_bytes(w)
}

fn random_mix(c: &mut Criterion) {
    let s = shared::subject();
    let paths = shared::paths();
    let seq = draws(paths.len());
    // The floor: per path, its company as a word and its answer from a precomputed table.
    let floor: Vec<(u64, bool)> = paths
        .iter()
        .map(|p| (word(p.2.company_id()), p.3))
        .collect();
    let acme = word("acme");
    let mut g = c.benchmark_group("random mix");
    g.bench_function("floor: company match + a precomputed table entry", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & (DRAWS - 1);
            let (company, allowed) = floor[seq[i]];
            black_box(black_box(company) == acme && allowed)
        })
    });
    g.bench_function("16 decide paths drawn at random", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & (DRAWS - 1);
            let (_, key, scope, _) = &paths[seq[i]];
            let decision = decide(black_box(&s), *key, scope);
            black_box(&decision);
        })
    });
    g.bench_function("16 decide paths in a fixed order", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % paths.len();
            let (_, key, scope, _) = &paths[black_box(i)];
            let decision = decide(black_box(&s), *key, scope);
            black_box(&decision);
        })
    });
    g.finish();
}

/// A user in `company` holding promoter keys, and `finance.bill.view` in business unit `unit`.
fn member_of(company: &str, unit: &str) -> Subject {
    Subject::builder(Catalog::embedded(), "u1")
        .membership(company)
        .entitled(["promoter", "finance"])
        .modules(["promoter", "finance"])
        .permission(keys::PROMOTER_EVENT_VIEW)
        .grant(&Grant::new(company, keys::FINANCE_BILL_VIEW).business_units([unit]))
        .build()
        .expect("subject builds")
}

/// One `decide` row: `key` in `scope` for `s`, whose answer must be `allowed`.
fn row(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    s: &Subject,
    key: Key,
    scope: &Scope<'_>,
    allowed: bool,
) {
    assert_eq!(decide(s, key, scope).is_allowed(), allowed, "{name}");
    g.bench_function(name, |b| {
        b.iter(|| {
            let decision = decide(black_box(s), black_box(key), black_box(scope));
            black_box(&decision);
        })
    });
}

fn ids(c: &mut Criterion) {
    const UUID_COMPANY: &str = "0b8f4a6e-3c1d-4f2a-9e7b-5d6c8a1f2e3b";
    const UUID_UNIT: &str = "7e2d9c4b-1a3f-4e8d-b6c5-2f9a0e1d7c4b";
    let short = member_of("acme", "bu-x");
    let long = member_of(UUID_COMPANY, UUID_UNIT);
    let mut g = c.benchmark_group("ids");
    let view = keys::PROMOTER_EVENT_VIEW;
    let bill = keys::FINANCE_BILL_VIEW;
    row(
        &mut g,
        "allow, short ids",
        &short,
        view,
        &Scope::company("acme"),
        true,
    );
    row(
        &mut g,
        "allow, 36-byte ids",
        &long,
        view,
        &Scope::company(UUID_COMPANY),
        true,
    );
    let bu = Scope::company("acme").business_unit("bu-x");
    row(&mut g, "bu-allow, short ids", &short, bill, &bu, true);
    let bu = Scope::company(UUID_COMPANY).business_unit(UUID_UNIT);
    row(&mut g, "bu-allow, 36-byte ids", &long, bill, &bu, true);
    g.finish();
}

fn memberships(c: &mut Criterion) {
    let companies: Vec<String> = (0..64).map(|m| format!("company-{m:02}")).collect();
    let mut b = Subject::builder(Catalog::embedded(), "u1");
    for company in &companies {
        b = b
            .membership(company)
            .entitled(["promoter"])
            .modules(["promoter"])
            .permission(keys::PROMOTER_EVENT_VIEW);
    }
    let s = b.build().expect("subject builds");
    let mut g = c.benchmark_group("memberships");
    let view = keys::PROMOTER_EVENT_VIEW;
    row(
        &mut g,
        "1st of 64",
        &s,
        view,
        &Scope::company(&companies[0]),
        true,
    );
    row(
        &mut g,
        "64th of 64",
        &s,
        view,
        &Scope::company(&companies[63]),
        true,
    );
    g.finish();
}

fn business_units(c: &mut Criterion) {
    let mut g = c.benchmark_group("business units");
    // At most 256 units per grant (`MAX_LIST`): 1,000 units are 4 grants of 250 of the same key.
    for (count, per_grant) in [(1, 1), (100, 100), (255, 255), (1000, 250)] {
        let units: Vec<String> = (0..count).map(|u| format!("bu-{u:04}")).collect();
        let mut b = Subject::builder(Catalog::embedded(), "u1")
            .membership("acme")
            .entitled(["promoter", "finance"])
            .modules(["promoter", "finance"]);
        for chunk in units.chunks(per_grant) {
            b = b.grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(chunk));
        }
        let s = b.build().expect("subject builds");
        let last = Scope::company("acme").business_unit(&units[count - 1]);
        let name = format!("last of {count} units");
        row(&mut g, &name, &s, keys::FINANCE_BILL_VIEW, &last, true);
    }
    g.finish();
}

criterion_group!(benches, random_mix, ids, memberships, business_units);
criterion_main!(benches);
