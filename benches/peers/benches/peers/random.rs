//! The four rows drawn at random each iteration (a precomputed sequence from a fixed seed), so
//! no engine sees the same request twice in a row, beside the floor: a company match and a
//! precomputed table entry, on the same draws.

use std::hint::black_box;

use casbin::{CachedEnforcer, CoreApi};
use cedar_policy::Authorizer;
use criterion::Criterion;
use kisum_access::decide;

use super::{
    COMPANY, USER, Workload, bench_rows, casbin, casbin_obj, cedar_action_group, cedar_allows,
    cedar_request, kisum_scope, kisum_subject, name,
};

#[path = "../../../shared/draws.rs"]
mod draws;
use draws::{DRAWS, draws, word};

pub fn bench(c: &mut Criterion, w: &Workload) {
    let rows = bench_rows(w);
    let seq = draws(rows.len());
    let subject = kisum_subject(w);
    let scopes: Vec<_> = rows.iter().map(|r| (r.key, kisum_scope(r.bu))).collect();
    let authorizer = Authorizer::new();
    let group = cedar_action_group(w);
    let requests: Vec<_> = rows
        .iter()
        .map(|r| cedar_request(name(r.key), r.bu))
        .collect();
    let cached: CachedEnforcer = casbin(w);
    let args: Vec<_> = rows
        .iter()
        .map(|r| (USER, COMPANY, casbin_obj(r.bu), name(r.key)))
        .collect();
    for (r, a) in rows.iter().zip(&args) {
        // Warms the cache, and checks the row's expected answer (the engines agree: see `agree`).
        assert_eq!(cached.enforce(*a).unwrap(), r.allowed, "row {}", r.id);
    }
    let floor: Vec<(u64, bool)> = rows.iter().map(|r| (word(COMPANY), r.allowed)).collect();
    let acme = word(COMPANY);

    let mut g = c.benchmark_group("peers/random");
    g.bench_function("kisum", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & (DRAWS - 1);
            let (key, scope) = &scopes[usize::from(seq[i])];
            decide(black_box(&subject), *key, scope).is_allowed()
        })
    });
    g.bench_function("cedar-action-group", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & (DRAWS - 1);
            cedar_allows(
                &authorizer,
                black_box(&group),
                &requests[usize::from(seq[i])],
            )
        })
    });
    g.bench_function("casbin-cached", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & (DRAWS - 1);
            cached
                .enforce(black_box(args[usize::from(seq[i])]))
                .unwrap()
        })
    });
    g.bench_function("floor: company match + a precomputed table entry", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & (DRAWS - 1);
            let (company, allowed) = floor[usize::from(seq[i])];
            black_box(black_box(company) == acme && allowed)
        })
    });
    g.finish();
}
