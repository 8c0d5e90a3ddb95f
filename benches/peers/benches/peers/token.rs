//! End to end: from the token's JSON bytes to 5 decisions, for kisum-access and for Cedar's best
//! equivalents. Everything a service does per token is timed: parsing, building the subject (or
//! Cedar's entities), building each request, deciding. What a service holds for its lifetime is
//! not: the catalog, Cedar's policies, the key constants.
//!
//! - kisum: `Subject::from_json` (the token's bytes read in place) -> 5 `decide`.
//! - kisum-claims: `serde_json` -> `Claims` -> `Subject::from_claims` -> 5 `decide`.
//! - cedar-entities-json: Cedar's entities JSON (the modelling of the `peers/*` rows) ->
//!   `Entities::from_json_str` -> 5 `is_authorized`.
//! - cedar-token-rust: our token -> `Claims` (the same parse as kisum's) -> `Entities` built in
//!   Rust (the user, the company, its two business units, one action per unrestricted grant, child
//!   of `Action::"held"`) -> 5 `is_authorized`.

use std::collections::HashSet;
use std::hint::black_box;
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid,
    PolicySet, Request,
};
use criterion::Criterion;
use kisum_access::{Catalog, Claims, Entitlements, Key, PermissionClaim, Subject, decide};

use super::peers_token::{FIVE, peers_token};
use super::{COMPANY, Cedar, USER, Workload, cedar_action_group, cedar_entities_json, kisum_scope};

/// Cedar's entity types, parsed once per service.
struct Types {
    user: EntityTypeName,
    company: EntityTypeName,
    unit: EntityTypeName,
    action: EntityTypeName,
}

fn uid(t: &EntityTypeName, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(t.clone(), EntityId::new(id))
}

/// The entities of the token's one membership, built in Rust.
fn entities_of(claims: &Claims, t: &Types) -> Entities {
    let m = &claims.memberships[0];
    let company = uid(&t.company, &m.company);
    let held = HashSet::from([uid(&t.action, "held")]);
    let mut list = vec![
        Entity::new_no_attrs(uid(&t.user, &claims.sub), HashSet::new()),
        Entity::new_no_attrs(company.clone(), HashSet::new()),
        Entity::new_no_attrs(uid(&t.action, "held"), HashSet::new()),
    ];
    for bu in ["bu-x", "bu-y"] {
        list.push(Entity::new_no_attrs(
            uid(&t.unit, bu),
            HashSet::from([company.clone()]),
        ));
    }
    for p in &m.permissions {
        if let PermissionClaim::Key(key) = p {
            list.push(Entity::new_no_attrs(uid(&t.action, key), held.clone()));
        }
    }
    Entities::from_entities(list, None).unwrap()
}

/// The 5 answers of `allows` as bits (request `i` allowed: bit `i`), checked before timing.
/// `allows` is given the request's index, its key name and its business unit.
fn five(mut allows: impl FnMut(usize, &str, Option<&str>) -> bool) -> u8 {
    FIVE.iter().enumerate().fold(0, |acc, (i, &(k, bu, _))| {
        acc | u8::from(allows(i, k, bu)) << i
    })
}

/// The request for `key` in `bu` (the company without one), built from the names with Cedar's
/// entity types held for the service's lifetime: no Cedar syntax parsed per request (parsing
/// each uid, as `cedar_request` does for the other rows' setup, costs about 4x as much).
fn request(t: &Types, key: &str, bu: Option<&str>) -> Request {
    let resource = match bu {
        Some(b) => uid(&t.unit, b),
        None => uid(&t.company, COMPANY),
    };
    Request::new(
        uid(&t.user, USER),
        uid(&t.action, key),
        resource,
        Context::empty(),
        None,
    )
    .unwrap()
}

/// Cedar's answer for `key` in `bu`.
fn cedar(
    a: &Authorizer,
    policies: &PolicySet,
    entities: &Entities,
    t: &Types,
    (key, bu): (&str, Option<&str>),
) -> bool {
    a.is_authorized(&request(t, key, bu), policies, entities)
        .decision()
        == Decision::Allow
}

pub fn bench(c: &mut Criterion, w: &Workload) {
    let token = peers_token().into_bytes();
    let ents = [Entitlements::new("acme", ["promoter", "finance"])];
    // The service's key constants (`keys::*`), one per request.
    let keys: Vec<Key> = FIVE
        .iter()
        .map(|&(k, _, _)| Catalog::embedded().key(k).unwrap())
        .collect();
    let kisum = || {
        let s = Subject::from_json(Catalog::embedded(), black_box(&token), &ents).unwrap();
        five(|i, _, bu| decide(&s, keys[i], &kisum_scope(bu)).is_allowed())
    };
    let kisum_claims = || {
        let claims: Claims = serde_json::from_slice(black_box(&token)).unwrap();
        let s = Subject::from_claims(Catalog::embedded(), &claims, &ents).unwrap();
        five(|i, _, bu| decide(&s, keys[i], &kisum_scope(bu)).is_allowed())
    };
    let authorizer = Authorizer::new();
    let t = Types {
        user: EntityTypeName::from_str("User").unwrap(),
        company: EntityTypeName::from_str("Company").unwrap(),
        unit: EntityTypeName::from_str("BusinessUnit").unwrap(),
        action: EntityTypeName::from_str("Action").unwrap(),
    };
    let Cedar { policies, .. } = cedar_action_group(w);
    let json = cedar_entities_json(w, true).to_string();
    let cedar_json = || {
        let entities = Entities::from_json_str(black_box(&json), None).unwrap();
        five(|_, k, bu| cedar(&authorizer, &policies, &entities, &t, (k, bu)))
    };
    let cedar_rust = || {
        let claims: Claims = serde_json::from_slice(black_box(&token)).unwrap();
        let entities = entities_of(&claims, &t);
        five(|_, k, bu| cedar(&authorizer, &policies, &entities, &t, (k, bu)))
    };
    let expected = five(|_, k, bu| FIVE.iter().any(|f| (f.0, f.1, true) == (k, bu, f.2)));
    for (engine, allowed) in [
        ("kisum", kisum()),
        ("kisum claims", kisum_claims()),
        ("cedar json", cedar_json()),
        ("cedar rust", cedar_rust()),
    ] {
        assert_eq!(allowed, expected, "{engine}: the 5 requests' answers");
    }
    let mut g = c.benchmark_group("peers/token JSON -> 5 decisions");
    g.bench_function("kisum", |b| b.iter(kisum));
    g.bench_function("kisum-claims", |b| b.iter(kisum_claims));
    g.bench_function("cedar-entities-json", |b| b.iter(cedar_json));
    g.bench_function("cedar-token-rust", |b| b.iter(cedar_rust));
    g.finish();
    paired(kisum, cedar_rust);
}

/// Blocks of the paired measurement, and calls per block of kisum and of Cedar (about 2 ms each).
const BLOCKS: usize = 60;
const KISUM_CALLS: u32 = 2000;
const CEDAR_CALLS: u32 = 20;

/// End to end, kisum against Cedar's best, side by side in the same minutes: criterion times
/// each row for seconds, one after the other, while this machine's speed drifts by 5-10% from one
/// minute to the next, which moves the ratio of two rows as much. Here the two alternate in blocks
/// of about 2 ms; printed: the mean of each and their ratio, and the ratio per block.
fn paired(kisum: impl Fn() -> u8, cedar: impl Fn() -> u8) {
    let (mut k_sum, mut c_sum, mut ratios) = (0.0, 0.0, Vec::with_capacity(BLOCKS));
    for _ in 0..BLOCKS {
        let k = time(&kisum, KISUM_CALLS);
        let c = time(&cedar, CEDAR_CALLS);
        (k_sum, c_sum) = (k_sum + k, c_sum + c);
        ratios.push(c / k);
    }
    ratios.sort_by(f64::total_cmp);
    let n = BLOCKS as f64;
    println!(
        "peers/token JSON -> 5 decisions, paired ({BLOCKS} blocks): kisum {:.1} ns, \
         cedar-token-rust {:.1} µs, {:.1}x (per block: min {:.1}x, median {:.1}x, max {:.1}x)",
        k_sum / n * 1e9,
        c_sum / n * 1e6,
        c_sum / k_sum,
        ratios[0],
        ratios[BLOCKS / 2],
        ratios[BLOCKS - 1],
    );
}

/// Seconds per call of `f` over `calls` calls.
fn time(f: &impl Fn() -> u8, calls: u32) -> f64 {
    let start = std::time::Instant::now();
    for _ in 0..calls {
        black_box(f());
    }
    (start.elapsed() / calls).as_secs_f64()
}
