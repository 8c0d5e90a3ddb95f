//! `Catalog::key` (build-time perfect hash) side by side with a `HashMap<&str, Key>` and a binary
//! search over a sorted slice, on the same names. Inputs cycle through every key of the embedded
//! catalog in a fixed order, so each row sees the same mix.
//!
//! Run: `cargo bench --bench lookup -- --warm-up-time 1 --measurement-time 3`

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::{Catalog, Key};

fn lookup(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    let names: Vec<&str> = catalog.keys().map(|k| catalog.name(k)).collect();
    let map: HashMap<&str, Key> = catalog.keys().map(|k| (catalog.name(k), k)).collect();
    let mut sorted: Vec<(&str, Key)> = catalog.keys().map(|k| (catalog.name(k), k)).collect();
    sorted.sort_unstable_by_key(|(n, _)| *n);

    let mut g = c.benchmark_group("lookup");
    g.bench_function("baseline (index a slice)", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) % names.len();
            black_box(names[black_box(i)])
        })
    });
    g.bench_function("kisum Catalog::key (phf)", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) % names.len();
            catalog.key(black_box(names[i]))
        })
    });
    g.bench_function("std HashMap<&str, Key>", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) % names.len();
            map.get(black_box(names[i])).copied()
        })
    });
    g.bench_function("sorted slice binary search", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) % names.len();
            let n = black_box(names[i]);
            sorted
                .binary_search_by_key(&n, |(k, _)| *k)
                .ok()
                .map(|j| sorted[j].1)
        })
    });
    g.bench_function("kisum Catalog::key miss (unknown)", |b| {
        b.iter(|| catalog.key(black_box("promoter.event.delete")))
    });
    g.bench_function("kisum Catalog::key miss (legacy)", |b| {
        b.iter(|| catalog.key(black_box("basic.events.read")))
    });
    g.finish();
}

criterion_group!(benches, lookup);
criterion_main!(benches);
