//! The `explain` example (a small CLI; the `kisum-access` tool in `cli/` has the full one): it
//! answers `--help` with exit code 0, and bad arguments or input with exit code 2 and the real
//! error, never a panic. (`docs/catalog.md` is kept in sync by the CLI's snapshot tests.)

#[allow(dead_code)]
#[path = "../examples/explain.rs"]
mod explain_example;

use std::path::PathBuf;

fn temp(name: &str, text: &str) -> String {
    let dir: PathBuf = std::env::temp_dir().join(format!("kisum-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn cli(args: &[&str]) -> u8 {
    cli_err(args).0
}

/// The exit code and what the CLI wrote to stderr.
fn cli_err(args: &[&str]) -> (u8, String) {
    let mut err = Vec::new();
    let code = explain_example::cli(args.iter().map(|s| s.to_string()), &mut err);
    (code, String::from_utf8(err).expect("UTF-8"))
}

#[test]
fn explain_cli_decides_and_rejects_bad_arguments() {
    let claims = temp(
        "claims.json",
        r#"{"sub": "u1", "memberships": [{"company": "acme", "modules": ["finance"],
            "permissions": [{"key": "finance.bill.view", "business_units": ["bu-x"]}, "finance.bill.approve"],
            "approval_limit": 100}]}"#,
    );
    let ents = temp(
        "ents.json",
        r#"[{"company": "acme", "modules": ["promoter", "finance"]}]"#,
    );
    let one_ent = temp(
        "ent.json",
        r#"{"company": "acme", "modules": ["promoter", "finance"]}"#,
    );
    let base = [
        "--claims",
        &claims,
        "--entitlements",
        &ents,
        "--company",
        "acme",
    ];
    let with = |extra: &[&str]| -> u8 {
        let mut v: Vec<&str> = base.to_vec();
        v.extend_from_slice(extra);
        cli(&v)
    };
    assert_eq!(
        with(&["--key", "finance.bill.view", "--business-unit", "bu-x"]),
        0
    );
    assert_eq!(
        with(&["--key", "finance.bill.view", "--business-unit", "bu-y"]),
        1
    );
    assert_eq!(
        with(&["--key", "finance.bill.approve", "--amount", "100"]),
        0
    );
    assert_eq!(
        with(&["--key", "finance.bill.approve", "--amount", "101"]),
        1
    );
    assert_eq!(
        cli(&[
            "--claims",
            &claims,
            "--entitlements",
            &one_ent,
            "--company",
            "acme",
            "--key",
            "finance.bill.view",
            "--business-unit",
            "bu-x"
        ]),
        0
    );
    // Bad arguments and bad input: usage and exit code 2.
    assert_eq!(cli(&[]), 2);
    assert_eq!(cli(&["--help"]), 0, "--help is not an error");
    assert_eq!(with(&[]), 2, "missing --key");
    assert_eq!(with(&["--key"]), 2, "flag without value");
    assert_eq!(with(&["--key", "finance.bill.view", "--amount", "lots"]), 2);
    assert_eq!(
        with(&["--key", "finance.bill.view", "--frobnicate", "1"]),
        2
    );
    assert_eq!(
        with(&["--key", "finance.bill.view", "--company", "acme"]),
        2,
        "flag twice"
    );
    assert_eq!(with(&["--key", "basic.events.read"]), 2, "legacy key");
    assert_eq!(with(&["--key", "no such key"]), 2);
    let bad_json = temp("bad.json", "{ not json");
    assert_eq!(
        cli(&[
            "--claims",
            &bad_json,
            "--entitlements",
            &ents,
            "--company",
            "acme",
            "--key",
            "finance.bill.view"
        ]),
        2
    );
    assert_eq!(
        cli(&[
            "--claims",
            "/nonexistent/x.json",
            "--entitlements",
            &ents,
            "--company",
            "acme",
            "--key",
            "finance.bill.view"
        ]),
        2
    );
    // A bad entitlements file: the error is about that file's own fault, not a misleading one.
    let ents_bad = temp(
        "ents-bad.json",
        r#"{"company": "acme", "modules": "finance"}"#,
    );
    let (code, err) = cli_err(&[
        "--claims",
        &claims,
        "--entitlements",
        &ents_bad,
        "--company",
        "acme",
        "--key",
        "finance.bill.view",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("ents-bad.json"), "{err}");
    assert!(
        err.contains("invalid type: string \"finance\""),
        "the real error: {err}"
    );
    let list_bad = temp(
        "ents-list-bad.json",
        r#"[{"company": "acme", "modulez": []}]"#,
    );
    let (_, err) = cli_err(&[
        "--claims",
        &claims,
        "--entitlements",
        &list_bad,
        "--company",
        "acme",
        "--key",
        "finance.bill.view",
    ]);
    assert!(err.contains("modulez"), "the real error: {err}");
}
