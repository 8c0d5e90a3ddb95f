//! `decide` on every path, for a subject with 2 memberships and ~60 grants (unrestricted,
//! business-unit, workflow and own-only restricted), beside a baseline bit test.
//!
//! Run: `cargo bench --bench decide -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::{Scope, decide};

#[allow(dead_code)] // Each bench uses part of what the benches share.
mod shared;

fn decide_paths(c: &mut Criterion) {
    let s = shared::subject();
    let rows = shared::paths();
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
