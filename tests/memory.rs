//! What a subject costs in memory, measured with a counting allocator: against a 4,000-key
//! run-time catalog a membership costs what it holds (its grants), not what the catalog holds;
//! and the documented bound on subject bytes per token byte holds for every token shape tried.

mod common;

use common::alloc::{Counting, heap_bytes};
use kisum_access::{Catalog, Claims, Subject};

#[global_allocator]
static ALLOC: Counting = Counting;

/// Keys in the run-time catalog: 10 modules of 400.
const BIG_KEYS: usize = 4000;

/// A catalog of [`BIG_KEYS`] keys `mM.rR.view` without a commercial model, and a role `m3.all`
/// granting the 400 keys of module `m3`.
fn big_catalog() -> Catalog {
    catalog_of(BIG_KEYS)
}

/// A catalog of `keys` keys `mM.rR.view` (modules of 400) without a commercial model, and, if it
/// has a module `m3`, a role `m3.all` granting its keys.
fn catalog_of(keys: usize) -> Catalog {
    let mut src = String::from(
        "[catalog]\nname = \"big\"\ncommercial = false\ndelegation = \"change_permissions\"\n\
         actions = [\"view\"]\n",
    );
    for m in 0..keys.div_ceil(400) {
        src += &format!(
            "[[module]]\nkey = \"m{m}\"\nname = \"M{m}\"\nkind = \"system\"\nstatus = \"active\"\n"
        );
    }
    for k in 0..keys {
        src += &format!(
            "[[permission]]\nkey = \"m{}.r{k}.view\"\ngates = \"r\"\n",
            k / 400
        );
    }
    if keys > 3 * 400 {
        src += "[[role]]\nname = \"m3.all\"\ngrants = [\"m3.*.view\"]\n";
    }
    Catalog::from_toml_str(&src).expect("the generated catalog loads")
}

/// A token of `memberships` memberships, each holding the keys `keys` gives (by index), every
/// `restricted`-th of them restricted to two business units (0: none), and the roles `roles`.
fn token(
    memberships: usize,
    keys: impl Fn(usize) -> Vec<usize>,
    restricted: usize,
    roles: &[&str],
) -> String {
    let members: Vec<String> = (0..memberships)
        .map(|m| {
            let grants: Vec<String> = keys(m)
                .into_iter()
                .enumerate()
                .map(|(i, k)| {
                    let name = format!("m{}.r{k}.view", k / 400);
                    if restricted != 0 && i % restricted == 0 {
                        format!(r#"{{"key": "{name}", "business_units": ["bu-{i}", "bu-x"]}}"#)
                    } else {
                        format!("\"{name}\"")
                    }
                })
                .collect();
            let roles: Vec<String> = roles.iter().map(|r| format!("\"{r}\"")).collect();
            format!(
                r#"{{"company": "company-{m:02}", "roles": [{}], "permissions": [{}]}}"#,
                roles.join(", "),
                grants.join(", ")
            )
        })
        .collect();
    format!(
        r#"{{"sub": "user-42", "memberships": [{}]}}"#,
        members.join(", ")
    )
}

/// The bytes a subject compiled from `json` holds: its own size and its heap.
fn subject_bytes(catalog: &Catalog, json: &str) -> usize {
    let claims: Claims = serde_json::from_str(json).expect("the token parses");
    let (heap, subject) = heap_bytes(|| Subject::from_claims(catalog, &claims, &[]));
    let subject = subject.expect("the subject builds");
    assert!(subject.companies().len() == claims.memberships.len());
    size_of::<Subject>() + usize::try_from(heap).expect("a subject holds memory")
}

#[test]
fn a_membership_costs_what_it_holds_not_what_the_catalog_holds() {
    let catalog = big_catalog();
    let low = token(1, |_| (0..40).collect(), 0, &[]);
    let spread = token(1, |_| (0..40).map(|k| k * 99 + 7).collect(), 0, &[]);
    let units = token(1, |_| (0..40).map(|k| k * 99 + 7).collect(), 4, &[]);
    let empty = token(64, |_| vec![], 0, &[]);
    let (low, spread, units, empty) = (
        subject_bytes(&catalog, &low),
        subject_bytes(&catalog, &spread),
        subject_bytes(&catalog, &units),
        subject_bytes(&catalog, &empty),
    );
    eprintln!(
        "one membership of 40 grants: {low} B (keys 0..40), {spread} B (keys across the catalog), \
         {units} B (a quarter of them in 2 business units); 64 empty memberships: {empty} B"
    );
    assert!(low <= 2048, "one membership of 40 grants: {low} bytes");
    assert!(
        spread <= 2048,
        "one membership of 40 spread grants: {spread} bytes"
    );
    assert!(empty <= 100 * 1024, "64 empty memberships: {empty} bytes");
}

/// [`kisum_access::MAX_SUBJECT_BYTES_PER_TOKEN_BYTE`], [`kisum_access::MAX_SUBJECT_BYTES_PER_ROLE_KEY`]
/// and [`kisum_access::MAX_SUBJECT_BYTES_PER_DENSE_KEY`], on tokens from one empty membership to 64
/// memberships of 40 grants, with and without a role over 400 keys, on the embedded catalog, the
/// large one, and catalogs of 64 and 256 keys (whose every membership holds a table of all keys).
#[test]
fn subject_bytes_stay_within_the_documented_bound() {
    let per_byte = kisum_access::MAX_SUBJECT_BYTES_PER_TOKEN_BYTE;
    let per_role_key = kisum_access::MAX_SUBJECT_BYTES_PER_ROLE_KEY;
    let per_dense_key = kisum_access::MAX_SUBJECT_BYTES_PER_DENSE_KEY;
    for keys in [BIG_KEYS, 256, 64] {
        let catalog = catalog_of(keys);
        // A dense table's entries: one per key, and the one keys of another catalog read.
        let dense_keys = if keys <= 256 { keys + 1 } else { 0 };
        let roles: &[(&[&str], usize)] = if keys == BIG_KEYS {
            &[(&[], 0), (&["m3.all"], 400)]
        } else {
            &[(&[], 0)]
        };
        for memberships in [1, 2, 8, 64] {
            for grants in [0, 1, 10, 40] {
                for &(roles, role_keys) in roles {
                    let json = token(
                        memberships,
                        |m| (0..grants).map(|k| (k * 97 + m) % keys).collect(),
                        4,
                        roles,
                    );
                    let bytes = subject_bytes(&catalog, &json);
                    let bound = per_byte * json.len()
                        + per_role_key * role_keys * memberships
                        + per_dense_key * dense_keys * memberships;
                    assert!(
                        bytes <= bound,
                        "{keys} keys, {memberships} memberships of {grants} grants, roles \
                         {roles:?}: {bytes} bytes for {} token bytes (bound {bound})",
                        json.len()
                    );
                }
            }
            // The fewest token bytes per membership: a company alone, and with an empty scope,
            // list of modules or an approval limit.
            for extra in [
                "",
                r#","scope":{}"#,
                r#","modules":[]"#,
                r#","approval_limit":1"#,
            ] {
                let members: Vec<String> = (0..memberships)
                    .map(|m| format!(r#"{{"company":"{m}"{extra}}}"#))
                    .collect();
                let json = format!(r#"{{"sub":"u","memberships":[{}]}}"#, members.join(","));
                let bytes = subject_bytes(&catalog, &json);
                let bound = per_byte * json.len() + per_dense_key * dense_keys * memberships;
                assert!(
                    bytes <= bound,
                    "{keys} keys, {memberships} bare memberships ({extra}): {bytes} bytes for \
                     {} token bytes (bound {bound})",
                    json.len()
                );
            }
        }
    }
    let embedded = r#"{"sub": "u", "memberships": [{"company": "c", "permissions": []}]}"#;
    // The embedded catalog's array of decisions is made once per process and shared by every
    // subject: made before measuring one.
    subject_bytes(Catalog::embedded(), embedded);
    let bytes = subject_bytes(Catalog::embedded(), embedded);
    let bound = per_byte * embedded.len() + per_dense_key * Catalog::embedded().len();
    assert!(
        bytes <= bound,
        "{bytes} bytes for {} token bytes (bound {bound})",
        embedded.len()
    );
}
