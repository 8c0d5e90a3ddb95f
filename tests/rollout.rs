//! The fleet rollout, as properties: names from a newer catalog and extra top-level fields never
//! change a decision. Each case compares a token with and without them on every key of the
//! catalog, over a fixed set of scopes.

use kisum_access::{Catalog, Claims, Entitlements, Grant, Scope, Subject, decide};
use proptest::prelude::*;
use serde_json::{Value, json};

const MODULES: [&str; 4] = ["promoter", "finance", "venue", "artist"];
const ROLES: [&str; 3] = ["promoter.viewer", "finance.viewer", "ticketing.staff"];
const KEYS: [&str; 6] = [
    "promoter.event.view",
    "promoter.event.edit",
    "finance.bill.view",
    "finance.bill.edit",
    "finance.bill.approve",
    "venue.booking.view",
];

fn scopes() -> Vec<Scope<'static>> {
    let acme = Scope::company("acme");
    vec![
        acme,
        acme.business_unit("bu-x"),
        acme.business_unit("bu-y").workflow("wf-1"),
        acme.owner("user-42").amount(50),
        acme.amount(5_000),
        Scope::company("beta"),
    ]
}

/// A membership drawn from names the catalog knows.
fn membership(company: &'static str) -> impl Strategy<Value = Value> {
    (
        proptest::sample::subsequence(MODULES.to_vec(), 0..=4),
        proptest::sample::subsequence(ROLES.to_vec(), 0..=3),
        proptest::collection::vec((proptest::sample::select(KEYS.to_vec()), 0..3u8), 0..5),
        proptest::option::of(0..100u64),
    )
        .prop_map(move |(modules, roles, grants, limit)| {
            let permissions: Vec<Value> = grants
                .into_iter()
                .map(|(k, how)| match how {
                    0 => json!(k),
                    1 => json!({"key": k, "business_units": ["bu-x"]}),
                    _ => json!({"key": k, "own_only": true}),
                })
                .collect();
            json!({"company": company, "modules": modules, "roles": roles,
                   "permissions": permissions, "approval_limit": limit,
                   "delegation": {"modules": ["finance"], "permissions": ["finance.bill.view"]}})
        })
}

/// Well-formed names a newer catalog might have: keys, roles, modules.
fn unknown_names() -> impl Strategy<Value = (Vec<String>, Vec<String>, Vec<String>)> {
    let key = "(vendor|touring|future)\\.[a-z]{1,8}\\.(view|edit|manage)";
    let role = "(vendor|future)\\.[a-z]{1,8}";
    let module = "(vendor_portal|crm|future_[a-z]{1,6})";
    (
        proptest::collection::vec(key, 0..4),
        proptest::collection::vec(role, 0..3),
        proptest::collection::vec(module, 0..3),
    )
}

fn subject(token: &Value, ents: &[Entitlements]) -> Subject {
    let claims: Claims = serde_json::from_value(token.clone()).expect("token parses");
    Subject::from_claims(Catalog::embedded(), &claims, ents).expect("token compiles")
}

fn same_decisions(a: &Subject, b: &Subject) -> Result<(), TestCaseError> {
    for key in Catalog::embedded().keys() {
        for scope in scopes() {
            prop_assert_eq!(decide(a, key, &scope), decide(b, key, &scope), "{:?}", key);
        }
        let grant = Grant::new("acme", key).business_units(["bu-x"]);
        prop_assert_eq!(a.can_grant(&grant), b.can_grant(&grant));
    }
    Ok(())
}

fn push_all(list: &mut Value, names: &[String], at: usize) {
    if let Some(list) = list.as_array_mut() {
        for n in names {
            let i = at.min(list.len());
            list.insert(i, json!(n));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Adding names this catalog does not know, anywhere they may stand (grants, roles, modules,
    /// delegation lists, Core's entitlements), decides exactly like the token without them.
    #[test]
    fn unknown_names_never_change_a_decision(
        acme in membership("acme"),
        beta in membership("beta"),
        (keys, roles, modules) in unknown_names(),
        at in 0..6usize,
    ) {
        let token = json!({"sub": "user-42", "memberships": [acme, beta]});
        let ents = [
            Entitlements::new("acme", ["promoter", "finance", "venue"]),
            Entitlements::new("beta", ["promoter"]),
        ];
        let mut newer = token.clone();
        for m in newer["memberships"].as_array_mut().unwrap() {
            push_all(&mut m["permissions"], &keys, at);
            push_all(&mut m["roles"], &roles, at);
            push_all(&mut m["modules"], &modules, at);
            push_all(&mut m["delegation"]["permissions"], &keys, at);
            push_all(&mut m["delegation"]["modules"], &modules, at);
        }
        let mut newer_ents = ents.clone();
        for e in &mut newer_ents {
            e.modules.extend(modules.iter().cloned());
        }
        let old = subject(&token, &ents);
        let new = subject(&newer, &newer_ents);
        let mut expected: Vec<&str> = keys.iter().chain(&roles).chain(&modules).map(|s| &**s).collect();
        expected.sort_unstable();
        expected.dedup();
        let mut skipped: Vec<&str> = new.skipped_names().collect();
        skipped.sort_unstable();
        prop_assert_eq!(skipped, expected);
        same_decisions(&old, &new)?;
    }

    /// Random top-level fields (other than the token's own and the registered claims) are ignored.
    #[test]
    fn top_level_fields_never_change_a_decision(
        acme in membership("acme"),
        extra in proptest::collection::btree_map("[a-z_]{1,12}", any::<(bool, i32, String)>(), 0..6),
    ) {
        let token = json!({"sub": "user-42", "memberships": [acme]});
        let mut padded = token.clone();
        for (name, (b, n, s)) in extra {
            if ["sub", "memberships", "iss", "aud", "exp", "nbf", "iat", "jti"].contains(&name.as_str()) {
                continue;
            }
            let value = match n % 3 { 0 => json!(b), 1 => json!(n), _ => json!({"nested": [s]}) };
            padded[name] = value;
        }
        let ents = [Entitlements::new("acme", ["promoter", "finance", "venue"])];
        same_decisions(&subject(&token, &ents), &subject(&padded, &ents))?;
    }
}
