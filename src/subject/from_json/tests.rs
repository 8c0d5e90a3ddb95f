//! The borrowed path against the reference path (serde_json into `Claims`, then `from_claims`),
//! on generated and mutated tokens and on every token literal of the integration tests: where the
//! reader accepts a token, serde_json must accept it too and both must compile to the same subject
//! or the same error; `Subject::from_json` must always give what the reference path gives.

use proptest::prelude::*;

use super::{fast, reference};
use crate::token::ClaimsRef;
use crate::{Catalog, ClaimsOptions, Entitlements, Subject, UnknownNames};

fn entitlements() -> Vec<Entitlements> {
    vec![
        Entitlements::new("acme", ["promoter", "finance"]).revision(7),
        Entitlements::new("globex", ["venue", "basic", "nosuch"]),
    ]
}

fn options(i: u8) -> ClaimsOptions {
    let unknown = [UnknownNames::Skip, UnknownNames::Reject][usize::from(i & 1)];
    ClaimsOptions::default()
        .translate_legacy(i & 2 != 0)
        .allow_widening(i & 4 != 0)
        .unknown_names(unknown)
}

/// Both paths on `token`; returns whether the reader accepted it.
fn agree(token: &[u8], opts: ClaimsOptions) -> Result<bool, TestCaseError> {
    let (cat, ents) = (Catalog::embedded(), entitlements());
    let want = reference(cat, token, &ents, opts);
    let show = |r: &Result<Subject, crate::ClaimsError>| format!("{r:?}");
    let got = Subject::from_json_with(cat, token, &ents, opts);
    prop_assert_eq!(
        show(&got),
        show(&want),
        "from_json on {}",
        String::from_utf8_lossy(token)
    );
    let Some(borrowed) = fast(cat, token, &ents, opts) else {
        return Ok(false);
    };
    let parsed = serde_json::from_slice::<crate::Claims>(token);
    prop_assert!(
        parsed.is_ok(),
        "the reader accepted what serde_json refuses: {parsed:?}"
    );
    prop_assert_eq!(show(&borrowed), show(&want));
    Ok(true)
}

const KEYS: &[&str] = &[
    "finance.bill.view",
    "finance.bill.approve",
    "promoter.event.view",
    "promoter.event.edit",
    "venue.venue.view",
    "ticketing.order.view",
    "ticketing.event.view",
    "basic.events.read",
    "basic.events.create",
    "nosuch.thing.view",
    "Bad Key",
    "",
];
const MODULES: &[&str] = &[
    "promoter",
    "finance",
    "venue",
    "basic",
    "ticketing",
    "nosuch",
    "B d",
];
const ROLES: &[&str] = &["promoter.viewer", "ticketing.manager", "no.role"];
const IDS: &[&str] = &["bu-x", "bu-y", "", "wf-1", "b\\u0075-x", "é"];
const NUMBERS: &[&str] = &[
    "0",
    "1000",
    "-1",
    "1.5",
    "01",
    "1e3",
    "18446744073709551616",
    "null",
];

fn pick(set: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(set).prop_map(|s| format!("{s:?}").replace("\\\\", "\\"))
}

fn list(set: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(pick(set), 0..4).prop_map(|v| format!("[{}]", v.join(", ")))
}

/// `"name": value` fields, each present or not.
fn fields(parts: Vec<Option<(&'static str, String)>>) -> String {
    let parts: Vec<String> = parts
        .into_iter()
        .flatten()
        .map(|(name, value)| format!("{name:?}: {value}"))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

fn permission() -> impl Strategy<Value = String> {
    let restricted = (
        prop::option::weighted(0.95, pick(KEYS)),
        prop::option::of(list(IDS)),
        prop::option::weighted(0.2, list(IDS)),
        prop::option::weighted(0.2, proptest::sample::select(&["true", "false", "1"][..])),
        prop::option::weighted(0.2, pick(NUMBERS).prop_map(|n| n.replace('"', ""))),
        prop::option::weighted(0.05, Just("[]".to_string())),
    )
        .prop_map(|(k, bu, wf, own, limit, typo)| {
            fields(vec![
                k.map(|k| ("key", k)),
                bu.map(|b| ("business_units", b)),
                wf.map(|w| ("workflows", w)),
                own.map(|o| ("own_only", o.to_string())),
                limit.map(|l| ("approval_limit", l)),
                typo.map(|t| ("buisness_units", t)),
            ])
        });
    prop_oneof![3 => pick(KEYS), 1 => restricted]
}

fn delegation() -> impl Strategy<Value = String> {
    let flag = || prop::option::weighted(0.2, proptest::sample::select(&["true", "false"][..]));
    (
        prop::option::of(list(MODULES)),
        prop::option::of(list(KEYS)),
        prop::option::weighted(0.3, list(KEYS)),
        flag(),
        flag(),
        prop::option::weighted(0.2, list(IDS)),
    )
        .prop_map(|(modules, keys, redelegate, users, addons, units)| {
            fields(vec![
                modules.map(|m| ("modules", m)),
                keys.map(|k| ("permissions", k)),
                redelegate.map(|r| ("redelegate", r)),
                users.map(|u| ("manage_users", u.to_string())),
                addons.map(|a| ("buy_addons", a.to_string())),
                units.map(|u| ("scope", format!(r#"{{"business_units": {u}}}"#))),
            ])
        })
}

fn membership() -> impl Strategy<Value = String> {
    let scope = (
        prop::option::of(list(IDS)),
        prop::option::weighted(0.3, list(IDS)),
    )
        .prop_map(|(bu, wf)| {
            fields(vec![
                bu.map(|b| ("business_units", b)),
                wf.map(|w| ("workflows", w)),
            ])
        });
    (
        prop::option::weighted(0.95, pick(&["acme", "globex", "initech", ""])),
        prop::option::of(list(MODULES)),
        prop::option::weighted(0.3, list(ROLES)),
        prop::collection::vec(permission(), 0..6),
        prop::option::weighted(0.2, scope),
        prop::option::weighted(0.2, pick(NUMBERS).prop_map(|n| n.replace('"', ""))),
        prop::option::weighted(0.2, delegation()),
    )
        .prop_map(
            |(company, modules, roles, perms, scope, limit, delegation)| {
                fields(vec![
                    company.map(|c| ("company", c)),
                    modules.map(|m| ("modules", m)),
                    roles.map(|r| ("roles", r)),
                    Some(("permissions", format!("[{}]", perms.join(", ")))),
                    scope.map(|s| ("scope", s)),
                    limit.map(|l| ("approval_limit", l)),
                    delegation.map(|d| ("delegation", d)),
                ])
            },
        )
}

fn token() -> impl Strategy<Value = String> {
    let other = r#"{"a": [1, -2, true, false, null, "x", {"b": []}], "c": 1.5}"#;
    (
        prop::option::weighted(0.95, pick(&["u1", "", "u\\u0031"])),
        prop::option::weighted(0.95, prop::collection::vec(membership(), 0..3)),
        prop::option::weighted(0.3, pick(NUMBERS).prop_map(|n| n.replace('"', ""))),
        prop::option::weighted(0.2, prop_oneof![pick(IDS), list(IDS)]),
        prop::option::weighted(0.2, Just(other.to_string())),
    )
        .prop_map(|(sub, members, exp, aud, other)| {
            fields(vec![
                sub.map(|s| ("sub", s)),
                aud.map(|a| ("aud", a)),
                members.map(|m| ("memberships", format!("[{}]", m.join(", ")))),
                exp.map(|e| ("exp", e)),
                other.map(|o| ("note", o)),
            ])
        })
}

/// Deletes, inserts or replaces a byte, or duplicates a range: mostly making JSON the reader must
/// decline, sometimes a token both accept in another shape.
fn mutate(token: String, at: usize, edit: u8, byte: u8) -> Vec<u8> {
    let mut t = token.into_bytes();
    let at = at % (t.len() + 1);
    let byte = b"{}[],:\" \\0a-.9"[usize::from(byte) % 14];
    match edit % 4 {
        0 if at < t.len() => drop(t.remove(at)),
        1 => t.insert(at, byte),
        2 if at < t.len() => t[at] = byte,
        _ => {
            let range = t[at..].iter().take(12).copied().collect::<Vec<_>>();
            t.splice(at..at, range);
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn generated_tokens_compile_alike(token in token(), opts in 0u8..8) {
        agree(token.as_bytes(), options(opts))?;
    }

    #[test]
    fn mutated_tokens_compile_alike(
        token in token(), opts in 0u8..8, at in 0usize..4096, edit: u8, byte: u8,
    ) {
        agree(&mutate(token, at, edit, byte), options(opts))?;
    }
}

#[test]
fn the_reader_takes_the_common_shapes() {
    // The peers' token's shape: 39 bare keys and one restricted to a business unit.
    let cat = Catalog::embedded();
    let names = cat.keys().map(|k| format!("{:?}", cat.name(k))).take(39);
    let peers = format!(
        r#"{{"sub": "u1", "memberships": [{{"company": "acme", "modules": ["promoter", "finance"],
          "permissions": [{}, {{"key": "finance.bill.view", "business_units": ["bu-x"]}}]}}]}}"#,
        names.collect::<Vec<_>>().join(", ")
    );
    let registered = r#"{"iss": "auth", "aud": ["a", "b"], "exp": 1900000000, "nbf": 0,
        "iat": 1, "jti": "t-1", "sub": "u1", "extra": {"x": [1, "y"]}, "memberships": [
        {"company": "acme", "modules": ["finance"], "roles": ["promoter.viewer"],
         "scope": {"business_units": ["bu-x", "bu-y"]}, "approval_limit": 5000,
         "permissions": ["finance.bill.view", {"key": "finance.bill.approve",
           "business_units": ["bu-x"], "workflows": [], "own_only": true,
           "approval_limit": 100}],
         "delegation": {"modules": ["finance"], "permissions": ["finance.bill.view"],
           "redelegate": ["finance.bill.view"], "manage_users": true, "buy_addons": false,
           "scope": {"workflows": ["wf-1"]}}}]}"#;
    for token in [peers.as_str(), registered] {
        assert!(ClaimsRef::read(token.as_bytes()).is_some(), "{token}");
        for opts in 0..8 {
            assert!(agree(token.as_bytes(), options(opts)).is_ok_and(|accepted| accepted));
        }
        // Every byte replaced by each byte of JSON's structure (and a few others), and by bytes
        // that are not UTF-8 there; every two bytes by a two-byte character. The reader's
        // separators, quotes, whitespace and UTF-8 check are tried at every position.
        for at in 0..token.len() {
            for &byte in b"{}[],:\" \t\n\\0a-.9\xff\xc3\x80" {
                let mut t = token.as_bytes().to_vec();
                t[at] = byte;
                agree(&t, options(0)).expect("agree");
            }
            let mut t = token.as_bytes().to_vec();
            t.splice(at..(at + 2).min(t.len()), "é".bytes());
            agree(&t, options(0)).expect("agree");
        }
    }
}

/// Every JSON token literal of the integration tests, and each with any one byte deleted.
#[test]
fn the_integration_tests_tokens_compile_alike() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let mut tokens = Vec::new();
    for entry in std::fs::read_dir(dir).expect("tests/ is readable") {
        let text = std::fs::read_to_string(entry.expect("an entry").path()).unwrap_or_default();
        for literal in text
            .split("r#\"")
            .skip(1)
            .filter_map(|s| s.split("\"#").next())
        {
            if literal.trim_start().starts_with('{') && literal.contains("memberships") {
                tokens.push(literal.to_string());
            }
        }
    }
    assert!(
        tokens.len() > 30,
        "found only {} token literals",
        tokens.len()
    );
    let mut accepted = 0;
    for token in &tokens {
        for opts in [0, 3, 7] {
            accepted += usize::from(agree(token.as_bytes(), options(opts)).expect("agree"));
        }
        for at in 0..token.len() {
            let mut cut = token.clone().into_bytes();
            cut.remove(at);
            agree(&cut, options(0)).expect("agree");
        }
    }
    assert!(
        accepted > tokens.len(),
        "the reader accepted only {accepted} runs"
    );
}

/// The generated tokens exercise the reader: a good share of them it accepts itself.
#[test]
fn the_reader_accepts_many_generated_tokens() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut accepted = 0;
    for _ in 0..400 {
        let token = token().new_tree(&mut runner).expect("a token").current();
        accepted += usize::from(ClaimsRef::read(token.as_bytes()).is_some());
    }
    assert!(accepted > 40, "the reader accepted {accepted} of 400");
}
