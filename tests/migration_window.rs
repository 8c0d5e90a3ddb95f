//! The migration window, step by step (seed 000 §6): Core registers the new modules, Auth replaces
//! its catalog, backends accept the new keys, frontends stop sending `basic.*`, Core removes
//! `basic`. At each step one legacy token and one new token meet a service built on this crate,
//! under each option set: which are accepted, and with what access.

use kisum_access::{
    Catalog, Claims, ClaimsError, ClaimsOptions, Entitlements, KeyError, Scope, Subject, decide,
    migrate,
};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

/// The legacy role template a user held before the migration.
const LEGACY_KEYS: [&str; 3] = [
    "basic.events.read",
    "basic.events.create",
    "basic.news.read",
];

/// A token Auth issued from the legacy template (valid until it expires, whatever the step).
fn legacy_token() -> Claims {
    let permissions = serde_json::to_string(&LEGACY_KEYS).unwrap();
    let json = format!(
        r#"{{"sub": "u1", "memberships": [{{"company": "acme", "modules": ["basic"], "permissions": {permissions}}}]}}"#
    );
    serde_json::from_str(&json).unwrap()
}

/// The token Auth issues from step 2 on: the same template migrated by `migrate` (the Auth team
/// reviewed the widening `basic.events.create` -> `promoter.event.edit` and kept it).
fn new_token() -> Claims {
    let report = migrate(catalog(), LEGACY_KEYS);
    assert!(report.widens(), "{report}");
    let names: Vec<&str> = report
        .keys()
        .into_iter()
        .map(|k| catalog().name(k))
        .collect();
    let json = format!(
        r#"{{"sub": "u1", "memberships": [{{"company": "acme", "modules": ["promoter"], "permissions": {}}}]}}"#,
        serde_json::to_string(&names).unwrap()
    );
    serde_json::from_str(&json).unwrap()
}

/// One step: what Core entitles the company to, and which tokens are in circulation.
struct Step {
    step: u8,
    entitled: &'static [&'static str],
    new_tokens: bool,
}

const STEPS: [Step; 5] = [
    // 1. Core registers the new modules; companies are still entitled to `basic` only.
    Step {
        step: 1,
        entitled: &["basic"],
        new_tokens: false,
    },
    // 2. Auth replaces its catalog and issues new tokens; legacy tokens live until they expire.
    Step {
        step: 2,
        entitled: &["basic", "promoter"],
        new_tokens: true,
    },
    // 3. Backends accept the new keys.
    Step {
        step: 3,
        entitled: &["basic", "promoter"],
        new_tokens: true,
    },
    // 4. Frontends stop sending `basic.*`.
    Step {
        step: 4,
        entitled: &["basic", "promoter"],
        new_tokens: true,
    },
    // 5. Core removes `basic` (a legacy token may still be presented until it expires).
    Step {
        step: 5,
        entitled: &["promoter"],
        new_tokens: true,
    },
];

fn options() -> [(&'static str, ClaimsOptions); 3] {
    let translate = ClaimsOptions::default().translate_legacy(true);
    [
        ("default", ClaimsOptions::default()),
        ("translate", translate),
        ("translate+widen", translate.allow_widening(true)),
    ]
}

/// What a service does with the token: refused (why, in short) or accepted (the keys allowed in
/// the company, and whether a translation widened access).
fn outcome(claims: &Claims, entitled: &[&str], options: ClaimsOptions) -> String {
    let ents = [Entitlements::new("acme", entitled.iter().copied())];
    match Subject::from_claims_with(catalog(), claims, &ents, options) {
        Err(ClaimsError::LegacyEntitledModule { module, .. }) => {
            format!("refused: Core entitles legacy module {module}")
        }
        Err(ClaimsError::LegacyModule { module, .. }) => {
            format!("refused: token assigns legacy module {module}")
        }
        Err(ClaimsError::Key {
            error: e @ KeyError::Legacy { .. },
            ..
        }) => {
            format!("refused: legacy key {}", e.name())
        }
        Err(ClaimsError::WideningTranslation { key, .. }) => format!("refused: {key} widens"),
        Err(other) => panic!("unexpected: {other}"),
        Ok(s) => {
            let acme = Scope::company("acme");
            let allowed: Vec<&str> = (catalog().keys())
                .filter(|&k| decide(&s, k, &acme).is_allowed())
                .map(|k| catalog().name(k))
                .collect();
            let widened = s.legacy_translations().iter().any(|t| t.widens());
            let mark = if widened { " (widened)" } else { "" };
            format!("accepted{mark}: {}", allowed.join(" "))
        }
    }
}

#[test]
fn the_five_steps_with_one_legacy_and_one_new_token() {
    let (legacy, new) = (legacy_token(), new_token());
    let mut got: Vec<String> = Vec::new();
    for step in &STEPS {
        for (label, options) in options() {
            let mut tokens = vec![("legacy", &legacy)];
            if step.new_tokens {
                tokens.push(("new", &new));
            }
            for (token, claims) in tokens {
                let o = outcome(claims, step.entitled, options);
                got.push(format!("{} {token} {label}: {o}", step.step));
            }
        }
    }
    let access = "promoter.news.view promoter.event.view promoter.event.edit";
    let with_basic = |step: u8, new: bool| {
        let mut v = vec![
            format!("{step} legacy default: refused: Core entitles legacy module basic"),
            format!("{step} legacy translate: refused: basic.events.create widens"),
            format!("{step} legacy translate+widen: accepted (widened): {access}"),
        ];
        if new {
            // While Core still lists `basic`, even a new token needs the translation opt-in.
            v.insert(
                1,
                format!("{step} new default: refused: Core entitles legacy module basic"),
            );
            v.insert(3, format!("{step} new translate: accepted: {access}"));
            v.push(format!("{step} new translate+widen: accepted: {access}"));
        }
        v
    };
    let mut want: Vec<String> = Vec::new();
    want.extend(with_basic(1, false));
    for step in 2..=4 {
        want.extend(with_basic(step, true));
    }
    want.extend([
        "5 legacy default: refused: token assigns legacy module basic".to_string(),
        format!("5 new default: accepted: {access}"),
        "5 legacy translate: refused: basic.events.create widens".to_string(),
        format!("5 new translate: accepted: {access}"),
        format!("5 legacy translate+widen: accepted (widened): {access}"),
        format!("5 new translate+widen: accepted: {access}"),
    ]);
    assert_eq!(got, want, "\n{}", got.join("\n"));
}

#[test]
fn a_legacy_token_without_wider_keys_needs_only_the_first_opt_in() {
    let exact: Claims = serde_json::from_str(
        r#"{"sub": "u1", "memberships": [{"company": "acme", "modules": ["basic"],
            "permissions": ["basic.events.read", "basic.news.read", "basic.tasks.manage"]}]}"#,
    )
    .unwrap();
    let translate = ClaimsOptions::default().translate_legacy(true);
    for step in &STEPS {
        let o = outcome(&exact, step.entitled, translate);
        // basic.tasks.manage is dropped: it grants nothing.
        assert_eq!(
            o, "accepted: promoter.news.view promoter.event.view",
            "step {}",
            step.step
        );
    }
}
