//! Hostile input for every parser — catalogs, key names, Kisum claims, B.A.M tokens: arbitrary
//! bytes, structure-aware mutations of valid inputs, misspelt fields, and every limit at and over
//! its bound. Each case must end in a typed error or a valid result, never a panic.

use std::sync::LazyLock;

use kisum_access::{
    BamToken, Catalog, Claims, ClaimsError, Entitlements, KeyError, MAX_GRANTS, MAX_ID_LEN,
    MAX_KEY_LEN, MAX_KEYS, MAX_LIST, MAX_MEMBERSHIPS, MAX_MODULES, ProblemKind, Scope, Subject,
    decide, explain,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const KISUM_TOML: &str = include_str!("../catalog.toml");
const BAM_TOML: &str = include_str!("../catalogs/bam.toml");

static BAM: LazyLock<Catalog> = LazyLock::new(|| Catalog::from_toml_str(BAM_TOML).unwrap());

/// The token of DESIGN §3, with a ticketing role and a legacy-free key set.
const KISUM_TOKEN: &str = r#"{ "sub": "user-42",
  "memberships": [{
    "company": "acme",
    "modules": ["promoter", "finance"],
    "roles": ["promoter.viewer", "ticketing.staff"],
    "permissions": [
      "promoter.event.view",
      {"key": "finance.bill.view", "business_units": ["bu-x"]},
      {"key": "promoter.event.edit", "own_only": true},
      {"key": "promoter.event.edit", "workflows": ["wf-1"]},
      "finance.bill.approve"
    ],
    "scope": {"business_units": ["bu-x", "bu-y"]},
    "approval_limit": 500000,
    "delegation": {"modules": ["finance"], "permissions": ["finance.bill.view"],
                   "manage_users": false, "buy_addons": false,
                   "scope": {"business_units": ["bu-x"]}, "redelegate": []}
  }, {"company": "globex", "modules": ["venue"], "permissions": ["venue.booking.view"]}] }"#;

const BAM_TOKEN: &str = r#"{"sub": "u1", "permissions": [
  {"ACME": [{"org_level": ["event.event.view", "bc.change_permissions", "bc.event.create"]},
            {"owner": ["account.user.update"]}]},
  {"GLOBEX": {"owner": ["event.event.update"]}}]}"#;

/// JSON and TOML fragments a structure-aware mutation splices in: syntax, field names right and
/// misspelt, key names current, legacy, external and malformed, odd numbers and strings.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "=",
    "\n",
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    "18446744073709551616",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"é\"",
    "\"key\"",
    "\"company\"",
    "\"business_units\"",
    "\"buisness_units\"",
    "\"workflows\"",
    "\"own_only\"",
    "\"scope\"",
    "\"org_level\"",
    "\"owner\"",
    "\"acme\"",
    "\"promoter.event.view\"",
    "\"basic.events.read\"",
    "\"ticketing.scan.operate\"",
    "\"finance..view\"",
    "\"Finance.Bill.View\"",
    "\"event.event.view\"",
    "[[permission]]",
    "[[module]]",
    "[[role]]",
    "key = \"bc.event.create\"",
    "grants = [\"*\"]",
    "includes = [\"Admin\"]",
    "kind = \"addon\"",
    "attaches_to = [\"event\"]",
];

/// One edit: at a relative position, delete, duplicate, or replace a span, or insert a fragment.
#[derive(Debug, Clone)]
enum Edit {
    Delete(f64, usize),
    Duplicate(f64, usize),
    Insert(f64, usize),
    Replace(f64, usize, usize),
    DeleteLine(f64),
    DuplicateLine(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    let pos = 0.0f64..1.0;
    let frag = 0..FRAGMENTS.len();
    prop_oneof![
        (pos.clone(), 1usize..40).prop_map(|(p, n)| Edit::Delete(p, n)),
        (pos.clone(), 1usize..40).prop_map(|(p, n)| Edit::Duplicate(p, n)),
        (pos.clone(), frag.clone()).prop_map(|(p, f)| Edit::Insert(p, f)),
        (pos.clone(), 1usize..12, frag).prop_map(|(p, n, f)| Edit::Replace(p, n, f)),
        pos.clone().prop_map(Edit::DeleteLine),
        pos.prop_map(Edit::DuplicateLine),
    ]
}

fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(src: &str, edits: &[Edit]) -> String {
    let mut s = src.to_owned();
    for e in edits {
        let at = |p: f64, s: &str| floor(s, (p * s.len() as f64) as usize);
        match *e {
            Edit::Delete(p, n) => {
                let a = at(p, &s);
                let b = floor(&s, a + n);
                s.replace_range(a..b, "");
            }
            Edit::Duplicate(p, n) => {
                let a = at(p, &s);
                let b = floor(&s, a + n);
                let span = s[a..b].to_owned();
                s.insert_str(b, &span);
            }
            Edit::Insert(p, f) => {
                let a = at(p, &s);
                s.insert_str(a, FRAGMENTS[f]);
            }
            Edit::Replace(p, n, f) => {
                let a = at(p, &s);
                let b = floor(&s, a + n);
                s.replace_range(a..b, FRAGMENTS[f]);
            }
            Edit::DeleteLine(p) | Edit::DuplicateLine(p) => {
                let a = at(p, &s);
                let start = s[..a].rfind('\n').map_or(0, |i| i + 1);
                let end = s[a..].find('\n').map_or(s.len(), |i| a + i + 1);
                if matches!(e, Edit::DeleteLine(_)) {
                    s.replace_range(start..end, "");
                } else {
                    let line = s[start..end].to_owned();
                    s.insert_str(end, &line);
                }
            }
        }
    }
    s
}

/// Values a tree-level mutation puts in place of a node: right and wrong types, key names
/// current, legacy, external and unknown, ids at and over their limit.
fn replacement(i: usize) -> Value {
    let values = [
        json!("promoter.event.view"),
        json!("finance.bill.edit"),
        json!("basic.events.read"),
        json!("ticketing.scan.operate"),
        json!("event.event.view"),
        json!("bc.change_permissions"),
        json!("acme"),
        json!("globex"),
        json!("bu-x"),
        json!("finance"),
        json!("ticketing"),
        json!("promoter.viewer"),
        json!("ticketing.manager"),
        json!(""),
        json!("x".repeat(MAX_ID_LEN + 1)),
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!([]),
        json!({}),
        json!(["bu-x", "bu-y"]),
        json!({"key": "finance.bill.edit"}),
        json!({"key": "finance.bill.edit", "own_only": true}),
        json!({"key": "finance.bill.view", "business_units": []}),
        json!({"business_units": ["bu-x"], "workflows": ["wf-1"]}),
        json!({"org_level": ["event.event.view"]}),
    ];
    values[i % values.len()].clone()
}

/// Every node of a JSON tree, as a JSON pointer.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Tree-level edits: replace a node, remove it from its parent, or duplicate an array element.
fn mutate_tree(src: &str, edits: &[(usize, usize, u8)]) -> String {
    let mut v: Value = serde_json::from_str(src).unwrap();
    for &(node, value, op) in edits {
        let mut all = Vec::new();
        pointers(&v, String::new(), &mut all);
        let ptr = all[node % all.len()].clone();
        let (parent, last) = ptr.rsplit_once('/').unwrap_or(("", ""));
        match (op % 3, v.pointer_mut(parent)) {
            (1, Some(Value::Object(map))) if !ptr.is_empty() => {
                map.remove(&last.replace("~1", "/").replace("~0", "~"));
            }
            (1, Some(Value::Array(items))) if !ptr.is_empty() => {
                let i: usize = last.parse().unwrap();
                items.remove(i);
            }
            (2, Some(Value::Array(items))) if !ptr.is_empty() => {
                let i: usize = last.parse().unwrap();
                let copy = items[i].clone();
                items.insert(i, copy);
            }
            _ => {
                if let Some(slot) = v.pointer_mut(&ptr) {
                    *slot = replacement(value);
                }
            }
        }
    }
    v.to_string()
}

/// Whatever the claims are, building and deciding never panics, and an accepted token decides.
fn exercise_claims(json: &str) {
    let Ok(claims) = serde_json::from_str::<Claims>(json) else {
        return;
    };
    // What parsed is exactly what the token said: it survives a round trip unchanged.
    let again: Claims = serde_json::from_str(&serde_json::to_string(&claims).unwrap()).unwrap();
    assert_eq!(again, claims);
    let ents = [
        Entitlements::new("acme", ["promoter", "finance"]),
        Entitlements::new("globex", ["venue"]),
    ];
    if let Ok(subject) = Subject::from_claims(Catalog::embedded(), &claims, &ents) {
        exercise_subject(&subject, Catalog::embedded(), &["acme", "globex"]);
    }
}

fn exercise_subject(subject: &Subject, catalog: &Catalog, companies: &[&str]) {
    for &company in companies {
        let scopes = [
            Scope::company(company),
            Scope::company(company).business_unit("bu-x").amount(10),
            Scope::company(company).owner(subject.user_id()),
            Scope::company(company).workflow("wf-1").owner("other"),
        ];
        for key in catalog.keys() {
            for scope in &scopes {
                let d = decide(subject, key, scope);
                assert_eq!(explain(subject, key, scope).decision(), d);
            }
            let _ = subject.filter(key, company);
        }
    }
}

fn exercise_bam(json: &str) {
    let Ok(token) = serde_json::from_str::<BamToken>(json) else {
        return;
    };
    if let Ok(subject) = Subject::from_bam_token(&BAM, &token) {
        exercise_subject(&subject, &BAM, &["ACME", "GLOBEX"]);
    }
}

/// A catalog that loads is coherent: every key round-trips and every role names its keys.
fn exercise_catalog(src: &str) {
    let Ok(catalog) = Catalog::from_toml_str(src) else {
        return;
    };
    for key in catalog.keys() {
        assert_eq!(catalog.key(catalog.name(key)), Ok(key));
    }
    for role in catalog.roles() {
        for key in role.grants().chain(role.own_only()) {
            assert!(catalog.contains(key));
        }
    }
}

#[test]
fn the_unmutated_inputs_are_valid() {
    let claims: Claims = serde_json::from_str(KISUM_TOKEN).unwrap();
    let ents = [
        Entitlements::new("acme", ["promoter", "finance"]),
        Entitlements::new("globex", ["venue"]),
    ];
    Subject::from_claims(Catalog::embedded(), &claims, &ents).unwrap();
    let token: BamToken = serde_json::from_str(BAM_TOKEN).unwrap();
    Subject::from_bam_token(&BAM, &token).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic_any_parser(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Catalog::embedded().key(&text);
        let _ = BAM.key(&text);
        exercise_claims(&text);
        exercise_bam(&text);
        exercise_catalog(&text);
        if let Ok(v) = serde_json::from_slice::<Claims>(&bytes) {
            let _ = Subject::from_claims(Catalog::embedded(), &v, &[]);
        }
    }

    #[test]
    fn mutated_kisum_claims_never_panic(edits in proptest::collection::vec(edit(), 1..5)) {
        exercise_claims(&apply(KISUM_TOKEN, &edits));
    }

    #[test]
    fn tree_mutated_kisum_claims_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<u8>()), 1..4),
    ) {
        exercise_claims(&mutate_tree(KISUM_TOKEN, &edits));
    }

    #[test]
    fn tree_mutated_bam_tokens_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<u8>()), 1..4),
    ) {
        exercise_bam(&mutate_tree(BAM_TOKEN, &edits));
    }

    #[test]
    fn mutated_bam_tokens_never_panic(edits in proptest::collection::vec(edit(), 1..5)) {
        exercise_bam(&apply(BAM_TOKEN, &edits));
    }

    #[test]
    fn mutated_key_names_are_accepted_only_if_in_the_catalog(
        index in 0usize..120,
        edits in proptest::collection::vec(edit(), 1..3),
    ) {
        let c = Catalog::embedded();
        let name = c.name(c.keys().nth(index).unwrap());
        let mutated = apply(name, &edits);
        match c.key(&mutated) {
            Ok(k) => prop_assert_eq!(c.name(k), mutated.as_str()),
            Err(e) => prop_assert!(mutated.starts_with(e.name()), "{} / {}", mutated, e),
        }
    }
}

proptest! {
    // Each case validates a whole catalog; fewer cases, same structure-aware edits.
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn mutated_catalogs_never_panic_and_what_loads_is_coherent(
        edits in proptest::collection::vec(edit(), 1..4),
        kisum in any::<bool>(),
    ) {
        exercise_catalog(&apply(if kisum { KISUM_TOML } else { BAM_TOML }, &edits));
    }

    #[test]
    fn misspelt_fields_are_errors_never_wider_grants(
        field in "[a-z_]{1,16}",
        level in 0usize..4,
    ) {
        let known: &[&str] = match level {
            0 => &["key", "business_units", "workflows", "own_only"],
            1 => &["company", "modules", "roles", "permissions", "scope", "approval_limit", "delegation"],
            2 => &["business_units", "workflows"],
            _ => &["org_level", "owner"],
        };
        prop_assume!(!known.contains(&field.as_str()));
        let json = match level {
            0 => format!(r#"{{"sub": "u", "memberships": [{{"company": "acme",
                "permissions": [{{"key": "finance.bill.view", "{field}": ["bu-x"]}}]}}]}}"#),
            1 => format!(r#"{{"sub": "u", "memberships": [{{"company": "acme",
                "permissions": ["finance.bill.view"], "{field}": {{"business_units": ["bu-x"]}}}}]}}"#),
            2 => format!(r#"{{"sub": "u", "memberships": [{{"company": "acme",
                "permissions": ["finance.bill.view"], "scope": {{"{field}": ["bu-x"]}}}}]}}"#),
            _ => format!(r#"{{"sub": "u", "permissions": {{"ACME": {{"{field}": ["event.event.view"]}}}}}}"#),
        };
        let err = if level == 3 {
            serde_json::from_str::<BamToken>(&json).map(drop).unwrap_err()
        } else {
            serde_json::from_str::<Claims>(&json).map(drop).unwrap_err()
        };
        prop_assert!(err.to_string().contains(field.as_str()), "{}", err);
    }
}

#[test]
fn a_misspelt_restriction_never_becomes_an_unrestricted_grant() {
    let json = r#"{"sub": "u", "memberships": [{"company": "acme", "modules": ["finance"],
        "permissions": [{"key": "finance.bill.view", "buisness_units": ["bu-x"]}]}]}"#;
    let err = serde_json::from_str::<Claims>(json).unwrap_err();
    assert!(err.to_string().contains("buisness_units"), "{err}");
    // Right field, wrong type: also an error, not an empty (or absent) restriction.
    for bad in [
        r#""business_units": "bu-x""#,
        r#""business_units": [1]"#,
        r#""own_only": "yes""#,
    ] {
        let json = format!(
            r#"{{"sub": "u", "memberships": [{{"company": "acme", "permissions": [{{"key": "finance.bill.view", {bad}}}]}}]}}"#
        );
        assert!(serde_json::from_str::<Claims>(&json).is_err(), "{bad}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for n in [200, 100_000] {
        let open = "[".repeat(n);
        let close = "]".repeat(n);
        let claims = format!(r#"{{"sub": "u", "memberships": {open}{close}}}"#);
        assert!(serde_json::from_str::<Claims>(&claims).is_err());
        let bam = format!(r#"{{"sub": "u", "permissions": {open}{close}}}"#);
        assert!(serde_json::from_str::<BamToken>(&bam).is_err());
        let bam = format!(r#"{{"sub": "u", "permissions": {{"ACME": {open}{close}}}}}"#);
        assert!(serde_json::from_str::<BamToken>(&bam).is_err());
        let toml = format!("[catalog]\nname = \"x\"\nactions = {open}{close}\n");
        assert!(Catalog::from_toml_str(&toml).is_err());
        let toml = format!(
            "[catalog]\nname = \"x\"\nactions = {}{}\n",
            "{a=".repeat(n),
            "}".repeat(n)
        );
        assert!(Catalog::from_toml_str(&toml).is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// Limits, at and over the bound.
// ---------------------------------------------------------------------------------------------

fn claims_with(memberships: &[String]) -> String {
    format!(
        r#"{{"sub": "u", "memberships": [{}]}}"#,
        memberships.join(",")
    )
}

fn build(json: &str) -> Result<Subject, String> {
    let claims: Claims = serde_json::from_str(json).map_err(|e| e.to_string())?;
    Subject::from_claims(Catalog::embedded(), &claims, &[]).map_err(|e| e.to_string())
}

#[test]
fn memberships_limit() {
    let m = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| format!(r#"{{"company": "c{i}"}}"#))
            .collect()
    };
    assert_eq!(
        build(&claims_with(&m(MAX_MEMBERSHIPS)))
            .unwrap()
            .companies()
            .len(),
        64
    );
    let err = build(&claims_with(&m(MAX_MEMBERSHIPS + 1))).unwrap_err();
    assert!(err.contains("limit of 64"), "{err}");
    // The same bound holds for subjects built in code, which skip the parser.
    let mut b = Subject::builder(Catalog::embedded(), "u");
    for i in 0..=MAX_MEMBERSHIPS {
        b = b.membership(format!("c{i}"));
    }
    assert!(matches!(
        b.build(),
        Err(ClaimsError::TooMany {
            what: "memberships",
            ..
        })
    ));
}

#[test]
fn grants_per_membership_limit() {
    let grants = |n: usize| -> String {
        let one = r#"{"key": "promoter.event.view", "business_units": ["bu-x"]}"#;
        vec![one; n].join(",")
    };
    let at = format!(
        r#"{{"company": "acme", "permissions": [{}]}}"#,
        grants(MAX_GRANTS)
    );
    build(&claims_with(&[at])).unwrap();
    let over = format!(
        r#"{{"company": "acme", "permissions": [{}]}}"#,
        grants(MAX_GRANTS + 1)
    );
    let err = build(&claims_with(&[over])).unwrap_err();
    assert!(err.contains("limit of 1024"), "{err}");
}

#[test]
fn list_limit() {
    let units = |n: usize| -> String {
        (0..n)
            .map(|i| format!(r#""bu-{i}""#))
            .collect::<Vec<_>>()
            .join(",")
    };
    let at = format!(
        r#"{{"company": "acme", "permissions": [{{"key": "promoter.event.view", "business_units": [{}]}}]}}"#,
        units(MAX_LIST)
    );
    build(&claims_with(&[at])).unwrap();
    let over = format!(
        r#"{{"company": "acme", "scope": {{"business_units": [{}]}}}}"#,
        units(MAX_LIST + 1)
    );
    let err = build(&claims_with(&[over])).unwrap_err();
    assert!(err.contains("limit of 256"), "{err}");
    let bam = format!(
        r#"{{"sub": "u", "permissions": {{"ACME": {{"owner": [{}]}}}}}}"#,
        vec![r#""event.event.view""#; MAX_LIST + 1].join(",")
    );
    assert!(serde_json::from_str::<BamToken>(&bam).is_err());
}

#[test]
fn identifier_length_limit() {
    let at = "c".repeat(MAX_ID_LEN);
    let over = "c".repeat(MAX_ID_LEN + 1);
    build(&claims_with(&[format!(r#"{{"company": "{at}"}}"#)])).unwrap();
    let err = build(&claims_with(&[format!(r#"{{"company": "{over}"}}"#)])).unwrap_err();
    assert!(err.contains("257 bytes"), "{err}");
    // In code too: the builder's ids go through the same check.
    let long = Subject::builder(Catalog::embedded(), over.clone()).build();
    assert!(matches!(long, Err(ClaimsError::BadId { what: "sub", .. })));
    let empty = Subject::builder(Catalog::embedded(), "u")
        .membership("")
        .build();
    assert!(matches!(
        empty,
        Err(ClaimsError::BadId {
            what: "company",
            ..
        })
    ));
}

#[test]
fn key_length_limit() {
    let c = Catalog::embedded();
    let at = format!("promoter.{}", "a".repeat(MAX_KEY_LEN - 9));
    assert_eq!(at.len(), MAX_KEY_LEN);
    assert!(matches!(c.key(&at), Err(KeyError::Unknown { .. })));
    let over = format!("{at}a");
    assert!(matches!(c.key(&over), Err(KeyError::Malformed { .. })));
    let huge = "a.".repeat(1 << 20);
    assert!(matches!(c.key(&huge), Err(KeyError::Malformed { .. })));
}

const HEADER: &str = "[catalog]\nname = \"demo\"\ncommercial = true\ndelegation = \"policy\"\nactions = [\"view\"]\n";

fn modules(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "[[module]]\nkey = \"m{i}\"\nname = \"M\"\nkind = \"base\"\nstatus = \"active\"\n"
            )
        })
        .collect()
}

fn too_many(src: &str, what: &str) -> bool {
    Catalog::from_toml_str(src).is_err_and(|e| {
        e.problems()
            .iter()
            .any(|p| matches!(p.kind, ProblemKind::TooMany { what: w, .. } if w == what))
    })
}

#[test]
fn catalog_limits() {
    let at = format!(
        "{HEADER}{}[[permission]]\nkey = \"m0.x.view\"\ngates = \"g\"\n",
        modules(MAX_MODULES)
    );
    assert_eq!(
        Catalog::from_toml_str(&at).unwrap().modules().len(),
        MAX_MODULES
    );
    let over = format!("{HEADER}{}", modules(MAX_MODULES + 1));
    assert!(too_many(&over, "modules"));

    let keys = |n: usize| -> String {
        (0..n)
            .map(|i| format!("[[permission]]\nkey = \"m0.r{i}.view\"\ngates = \"g\"\n"))
            .collect()
    };
    let at = format!("{HEADER}{}{}", modules(1), keys(MAX_KEYS));
    assert_eq!(Catalog::from_toml_str(&at).unwrap().len(), MAX_KEYS);
    let over = format!("{HEADER}{}{}", modules(1), keys(MAX_KEYS + 1));
    assert!(too_many(&over, "keys"));

    let long = format!("m0.{}.view", "r".repeat(MAX_KEY_LEN));
    let src = format!(
        "{HEADER}{}[[permission]]\nkey = \"{long}\"\ngates = \"g\"\n",
        modules(1)
    );
    assert!(Catalog::from_toml_str(&src).is_err());
}
