//! `decide` where the other benches are kind to it, side by side with what it is compared to:
//! the 16 decide paths drawn at random each iteration (branch predictor and caches get no
//! repeated request) beside the floor row; 36-byte (UUID) ids beside short ones; the 64th of 64
//! memberships beside the first; a key restricted to 1, 100, 255 and 1,000 business units.
//!
//! Run: `cargo bench --bench worst -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::{Key, Scope, Subject, decide, keys};

#[allow(dead_code)] // Each bench uses part of what the benches share.
mod shared;
use shared::draws::{DRAWS, draws, word};
use shared::worst::{
    OTHER_COMPANY, OTHER_UNIT, UUID_COMPANY, UUID_UNIT, companies, member_of, restricted_to,
    sixty_four, units,
};

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
            let (company, allowed) = floor[usize::from(seq[i])];
            black_box(black_box(company) == acme && allowed)
        })
    });
    g.bench_function("16 decide paths drawn at random", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & (DRAWS - 1);
            let (_, key, scope, _) = &paths[usize::from(seq[i])];
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
    let short = member_of("acme", "bu-x");
    let long = member_of(UUID_COMPANY, UUID_UNIT);
    let mut g = c.benchmark_group("ids");
    let view = keys::PROMOTER_EVENT_VIEW;
    let bill = keys::FINANCE_BILL_VIEW;
    let acme = Scope::company("acme");
    row(&mut g, "allow, short ids", &short, view, &acme, true);
    let uuid = Scope::company(UUID_COMPANY);
    row(&mut g, "allow, 36-byte ids", &long, view, &uuid, true);
    row(
        &mut g,
        "bu-allow, short ids",
        &short,
        bill,
        &acme.business_unit("bu-x"),
        true,
    );
    let bu = uuid.business_unit(UUID_UNIT);
    row(&mut g, "bu-allow, 36-byte ids", &long, bill, &bu, true);
    // Ids of 36 bytes that are not canonical UUIDs keep a long tag, confirmed byte for byte.
    let other = member_of(OTHER_COMPANY, OTHER_UNIT);
    let bu = Scope::company(OTHER_COMPANY).business_unit(OTHER_UNIT);
    row(
        &mut g,
        "bu-allow, 36-byte non-UUID ids",
        &other,
        bill,
        &bu,
        true,
    );
    // A request builds its scope once: what preparing the ids costs, with one decision.
    built(&mut g, "short ids", &short, ("acme", "bu-x"));
    built(&mut g, "36-byte ids", &long, (UUID_COMPANY, UUID_UNIT));
    built(
        &mut g,
        "36-byte non-UUID ids",
        &other,
        (OTHER_COMPANY, OTHER_UNIT),
    );
    g.finish();
}

/// A bu-allow row that builds the scope from the request's ids in each iteration.
fn built(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    s: &Subject,
    (company, unit): (&str, &str),
) {
    let bill = keys::FINANCE_BILL_VIEW;
    let scope = Scope::company(company).business_unit(unit);
    assert!(decide(s, bill, &scope).is_allowed(), "{name}");
    g.bench_function(format!("bu-allow with the scope built, {name}"), |b| {
        b.iter(|| {
            let scope = Scope::company(black_box(company)).business_unit(black_box(unit));
            let decision = decide(black_box(s), bill, &scope);
            black_box(&decision);
        })
    });
}

fn memberships(c: &mut Criterion) {
    let companies = companies();
    let s = sixty_four();
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
    for count in [1, 100, 255, 1000] {
        let units = units(count);
        let s = restricted_to(&units);
        let last = Scope::company("acme").business_unit(&units[count - 1]);
        let name = format!("last of {count} units");
        row(&mut g, &name, &s, keys::FINANCE_BILL_VIEW, &last, true);
    }
    g.finish();
}

criterion_group!(benches, random_mix, ids, memberships, business_units);
criterion_main!(benches);
