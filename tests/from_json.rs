//! `Subject::from_json` through the public API: it copies no name of the token (its allocations
//! are `from_claims`'s plus a few lists, however many grants the token holds), and it gives what
//! serde_json and `from_claims` give. The differential property tests are in
//! `src/subject/from_json/tests.rs`, next to the reader they check.

mod common;

use common::alloc::{Counting, allocations};
use kisum_access::{Catalog, Claims, ClaimsError, Entitlements, Subject};

#[global_allocator]
static ALLOC: Counting = Counting;

/// A token of one membership holding the first `grants` keys of the embedded catalog, bare, and
/// one restricted grant.
fn token(grants: usize) -> String {
    let cat = Catalog::embedded();
    let names: Vec<String> = cat
        .keys()
        .take(grants)
        .map(|k| format!("{:?}", cat.name(k)))
        .collect();
    format!(
        r#"{{"sub": "u1", "exp": 1900000000, "memberships": [{{"company": "acme",
          "modules": ["promoter", "finance"], "permissions": [{}
          {{"key": "finance.bill.view", "business_units": ["bu-x"]}}]}}]}}"#,
        names.iter().map(|n| format!("{n}, ")).collect::<String>()
    )
}

#[test]
fn from_json_copies_no_name_of_the_token() {
    let cat = Catalog::embedded();
    let ents = [Entitlements::new("acme", ["promoter", "finance"])];
    for grants in [0, 10, 40] {
        let json = token(grants);
        let claims: Claims = serde_json::from_str(&json).expect("the token parses");
        let (compiled, _) = allocations(|| Subject::from_claims(cat, &claims, &ents));
        let (parsed, _) = allocations(|| serde_json::from_str::<Claims>(&json));
        let (n, s) = allocations(|| Subject::from_json(cat, json.as_bytes(), &ents));
        s.expect("the subject builds");
        // The reader's lists: memberships, and the grants it did not resolve (here the
        // restricted one, its restrictions in place: bare names of catalog keys are resolved as
        // read; two modules and one business unit are held inline); the compiler then reserves
        // the restricted grants exactly, where from_claims grows and shrinks them.
        assert!(
            n <= compiled + 1,
            "{grants} grants: {n} allocations, from_claims {compiled}"
        );
        // Those 2, and the subject's 6: memberships, user, restricted grants, their business
        // units, the table and its pool of business units (each pool reserved once, never
        // regrown nor shrunk). Ids of up to 15 bytes (`acme`, `bu-x`) are held in place. The
        // embedded catalog's shared array of decisions was made with the first subject, by
        // `from_claims` above.
        assert!(n <= 8, "{grants} grants: {n} allocations");
        assert!(
            parsed >= u64::try_from(grants).unwrap_or(0),
            "serde_json copies each name"
        );
    }
}

#[test]
fn errors_are_those_of_serde_json_and_from_claims() {
    let cat = Catalog::embedded();
    let twice = br#"{"sub": "u", "memberships": [{"company": "acme"}, {"company": "acme"}]}"#;
    assert_eq!(
        Subject::from_json(cat, twice, &[]).unwrap_err(),
        ClaimsError::DuplicateCompany("acme".into())
    );
    let long = format!(
        r#"{{"sub": "u", "memberships": [{{"company": "{}"}}]}}"#,
        "c".repeat(300)
    );
    let want = serde_json::from_str::<Claims>(&long)
        .unwrap_err()
        .to_string();
    assert_eq!(
        Subject::from_json(cat, long.as_bytes(), &[]).unwrap_err(),
        ClaimsError::Json(want)
    );
    assert!(matches!(
        Subject::from_json(cat, b"{\"sub\": \"u\"}", &[]),
        Err(ClaimsError::Json(m)) if m.contains("memberships")
    ));
}
