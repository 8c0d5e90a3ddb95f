//! Catalog files: every problem reported at once with its line and column (TOML and shape errors
//! included), and the version and fingerprint a fleet compares.

use kisum_access::{Catalog, ProblemKind};

const HEADER: &str = r#"[catalog]
name = "demo"
version = "1.2.0"
commercial = false
delegation = "policy"
actions = ["view", "edit"]

[[module]]
key = "shop"
name = "Shop"
kind = "system"
status = "active"
"#;

#[test]
fn every_problem_is_reported_with_its_line_and_column() {
    let src = format!(
        r#"{HEADER}
[[permission]]
key = "shop.item.view"
gates = "View items"
colour = "red"

[[permission]]
key = "shop.item.edit"

[[permission]]
key = "shop.item.fly"
gates = "Fly items"

[[permission]]
key = "shop.item.view"
gates = 7

[[role]]
name = "clerk"
grants = ["shop.*.nothing"]

[extras]
a = 1
"#
    );
    let err = Catalog::from_toml_str(&src).unwrap_err();
    let found: Vec<(usize, String)> = err
        .problems()
        .iter()
        .map(|p| (p.line, p.kind.to_string()))
        .collect();
    let line_of = |needle: &str| {
        1 + src
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} in source"))
    };
    let expect = [
        (line_of("colour"), "colour"),                      // unknown field
        (line_of("key = \"shop.item.edit\"") - 1, "gates"), // missing: at its [[permission]]
        (line_of("key = \"shop.item.fly\""), "fly"),        // action not in the list
        (line_of("gates = 7"), "string"),                   // wrong type
        (line_of("shop.*.nothing"), "nothing"),             // pattern matches nothing
        (line_of("[extras]"), "unknown section `extras`"),  // unknown section
    ];
    for (line, needle) in expect {
        assert!(
            found.iter().any(|(l, t)| *l == line && t.contains(needle)),
            "no problem mentioning {needle:?} on line {line}: {found:#?}"
        );
    }
    assert!(err.problems().windows(2).all(|w| w[0].line <= w[1].line));
    let colour = &err.problems()[0];
    assert_eq!((colour.line, colour.column), (line_of("colour"), 1));
}

#[test]
fn syntax_errors_are_all_reported_and_a_missing_header_is_one() {
    let src = "[catalog]\nname = \"x\nversion = 1.2.3\n\n[[module]]\nkey = = \"a\"\n";
    let err = Catalog::from_toml_str(src).unwrap_err();
    let lines: Vec<usize> = err.problems().iter().map(|p| p.line).collect();
    assert!(lines.len() >= 2, "{err}");
    assert!(
        lines.contains(&6),
        "the second syntax error is reported too: {err}"
    );
    assert!(
        err.problems()
            .iter()
            .all(|p| matches!(p.kind, ProblemKind::Syntax(_)))
    );
    let no_header = Catalog::from_toml_str("[[module]]\nkey = \"a\"\n").unwrap_err();
    assert!(
        no_header
            .to_string()
            .contains("missing section `[catalog]`"),
        "{no_header}"
    );
    let bad_version = HEADER.replace("1.2.0", "1.2 beta");
    let err = Catalog::from_toml_str(&bad_version).unwrap_err();
    assert!(matches!(&err.problems()[0].kind, ProblemKind::BadVersion(v) if v == "1.2 beta"));
    assert_eq!(err.problems()[0].line, 3);
}

#[test]
fn the_fingerprint_follows_content_not_layout() {
    let base =
        format!("{HEADER}\n[[permission]]\nkey = \"shop.item.view\"\ngates = \"View items\"\n");
    let a = Catalog::from_toml_str(&base).unwrap();
    assert_eq!(a.version(), "1.2.0");
    let relaid = format!(
        "# a comment\n\n{}",
        base.replace("version = \"1.2.0\"", "version = \"1.3.0\"")
    );
    let b = Catalog::from_toml_str(&relaid).unwrap();
    assert_eq!(
        a.fingerprint(),
        b.fingerprint(),
        "comments, blank lines, version"
    );
    let regated = base.replace("View items", "View shop items");
    let c = Catalog::from_toml_str(&regated).unwrap();
    assert_ne!(a.fingerprint(), c.fingerprint(), "a gates text changed");
    let unversioned = Catalog::from_toml_str(&base.replace("version = \"1.2.0\"\n", "")).unwrap();
    assert_eq!(unversioned.version(), "unversioned");
    // The embedded catalog's fingerprint, computed by the build script, is what loading the same
    // file at run time computes.
    let embedded = Catalog::embedded();
    let loaded = Catalog::from_toml_str(include_str!("../catalog.toml")).unwrap();
    assert_eq!(embedded.fingerprint(), loaded.fingerprint());
    assert_eq!(embedded.version(), loaded.version());
    assert_ne!(embedded.version(), "unversioned");
}
