//! `kisum-access diff` on `catalog.toml` against edited copies: each kind of change is classified
//! and gates the exit code as documented.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const CATALOG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../catalog.toml");
const BAM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../catalogs/bam.toml");

/// A copy of `base` with each `(from, to)` applied; every `from` must occur exactly once.
fn variant(base: &str, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(base).expect("the catalog is readable");
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit target {from:?} must be unique"
        );
        text = text.replacen(from, to, 1);
    }
    let dir = std::env::temp_dir().join(format!("kisum-cli-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).expect("temp file");
    path
}

/// Runs `diff --format json OLD NEW`: the exit code and the document.
fn diff(old: &str, new: &PathBuf) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_kisum-access"))
        .args(["diff", "--format", "json", old])
        .arg(new)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().expect("an exit code"), doc)
}

fn role<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let changed = doc["roles"]["changed"].as_array().expect("a list");
    changed
        .iter()
        .find(|r| r["role"] == name)
        .unwrap_or_else(|| panic!("{name} changed: {doc}"))
}

const ESTIMATE: &str = "[[permission]]\nkey = \"promoter.event.estimate.view\"\ngates = \"View estimated event costs\"\n";
const HEADER_END: &str = "\"run\", \"send\", \"operate\", \"refund\"]\n";

#[test]
fn unchanged_catalog_is_ok() {
    let same = variant(CATALOG, "same", &[]);
    let (code, doc) = diff(CATALOG, &same);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["keys"]["removed"], serde_json::json!([]));
    assert_eq!(doc["old"], doc["new"], "same version, same fingerprint");
    assert_eq!(doc["new"]["version"], "2026.11.1");
}

#[test]
fn removed_key_without_alias_breaks_unless_intended() {
    let removed = variant(CATALOG, "removed", &[(ESTIMATE, "")]);
    let (code, doc) = diff(CATALOG, &removed);
    assert_eq!(code, 1, "{doc}");
    assert_ne!(doc["old"]["fingerprint"], doc["new"]["fingerprint"]);
    let r = &doc["keys"]["removed"][0];
    assert_eq!(r["key"], "promoter.event.estimate.view");
    assert_eq!(
        (&r["alias"], &r["intended"]),
        (&Value::Null, &Value::Bool(false))
    );
    assert_eq!(
        doc["breaking"][0],
        "key `promoter.event.estimate.view` removed without a legacy alias"
    );
    // The viewer role, which matched it with a wildcard, narrows: no widening.
    let viewer = role(&doc, "promoter.viewer");
    assert_eq!(viewer["loses"][0]["key"], "promoter.event.estimate.view");
    assert_eq!(viewer["widens"], false);

    let mark =
        format!("{HEADER_END}\n[catalog.intended]\nremoved = [\"promoter.event.estimate.view\"]\n");
    let intended = variant(
        CATALOG,
        "removed-intended",
        &[(ESTIMATE, ""), (HEADER_END, &mark)],
    );
    let (code, doc) = diff(CATALOG, &intended);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["keys"]["removed"][0]["intended"], true);
}

#[test]
fn renamed_key_with_alias_is_ok_and_roles_keep_it() {
    let renamed = variant(
        CATALOG,
        "renamed",
        &[
            (
                "key = \"promoter.event.estimate.view\"",
                "key = \"promoter.event.costs.view\"",
            ),
            (
                "[[legacy]]\nkey = \"basic.events.read\"",
                "[[legacy]]\nkey = \"promoter.event.estimate.view\"\nreplacement = \"promoter.event.costs.view\"\n\n[[legacy]]\nkey = \"basic.events.read\"",
            ),
        ],
    );
    let (code, doc) = diff(CATALOG, &renamed);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(
        doc["keys"]["added"],
        serde_json::json!(["promoter.event.costs.view"])
    );
    let r = &doc["keys"]["removed"][0];
    assert_eq!(r["alias"]["replacement"], "promoter.event.costs.view");
    assert_eq!(
        doc["roles"]["changed"],
        serde_json::json!([]),
        "a rename is not a role change"
    );
    assert_eq!(
        doc["legacy"]["added"],
        serde_json::json!(["promoter.event.estimate.view"])
    );
    // An unused mark is reported for clean-up, without failing.
    let mark = format!("{HEADER_END}\n[catalog.intended]\nwidened = [\"finance.viewer\"]\n");
    let marked = variant(
        &renamed.to_string_lossy(),
        "renamed-marked",
        &[(HEADER_END, &mark)],
    );
    let (code, doc) = diff(CATALOG, &marked);
    assert_eq!(code, 0, "{doc}");
    let text = std::fs::read_to_string(&marked).expect("written above");
    let line = 1 + text
        .lines()
        .position(|l| l.starts_with("widened = "))
        .expect("the mark");
    let expected = format!("widened: `finance.viewer` (line {line})");
    assert_eq!(doc["unused_intended_marks"], serde_json::json!([expected]));
}

#[test]
fn widened_role_breaks_unless_intended() {
    let grants = "name = \"finance.viewer\"\ngrants = [\"finance.*.view\"";
    let wider = "name = \"finance.viewer\"\ngrants = [\"finance.*.view\", \"finance.bill.edit\"";
    let widened = variant(CATALOG, "widened", &[(grants, wider)]);
    let (code, doc) = diff(CATALOG, &widened);
    assert_eq!(code, 1, "{doc}");
    let viewer = role(&doc, "finance.viewer");
    assert_eq!(viewer["widens"], true);
    let gain = &viewer["gains"][0];
    assert_eq!(
        (&gain["key"], &gain["from"], &gain["to"]),
        (&"finance.bill.edit".into(), &Value::Null, &"all".into())
    );
    assert_eq!(
        doc["breaking"],
        serde_json::json!(["role `finance.viewer` widens"])
    );

    let mark = format!("{HEADER_END}\n[catalog.intended]\nwidened = [\"finance.viewer\"]\n");
    let intended = variant(
        CATALOG,
        "widened-intended",
        &[(grants, wider), (HEADER_END, &mark)],
    );
    let (code, doc) = diff(CATALOG, &intended);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(role(&doc, "finance.viewer")["intended"], true);
}

#[test]
fn narrowed_role_is_ok() {
    let grants = "grants = [\"promoter.*.view\"]\n";
    let narrower = "grants = [\"promoter.*.view\"]\nexcept = [\"promoter.event.sales.view\"]\n";
    let narrowed = variant(CATALOG, "narrowed", &[(grants, narrower)]);
    let (code, doc) = diff(CATALOG, &narrowed);
    assert_eq!(code, 0, "{doc}");
    let viewer = role(&doc, "promoter.viewer");
    assert_eq!(viewer["widens"], false);
    assert_eq!(viewer["gains"], serde_json::json!([]));
    let lose = &viewer["loses"][0];
    assert_eq!(
        (&lose["key"], &lose["from"], &lose["to"]),
        (
            &"promoter.event.sales.view".into(),
            &"all".into(),
            &Value::Null
        )
    );
}

#[test]
fn own_only_becoming_org_wide_widens() {
    let user = "own_only = [\"account.user.view\", \"account.user.update\"]";
    let wider = "grants = [\"account.user.view\"]\nown_only = [\"account.user.update\"]";
    let widened = variant(BAM, "bam-widened", &[(user, wider)]);
    let (code, doc) = diff(BAM, &widened);
    assert_eq!(code, 1, "{doc}");
    // User, and every role that includes it, now reaches every user's account.
    for name in ["User", "OnSiteSales", "HostOrganizer", "HostManager"] {
        let gain = &role(&doc, name)["gains"][0];
        assert_eq!(
            (&gain["key"], &gain["from"], &gain["to"]),
            (
                &"account.user.view".into(),
                &"own_only".into(),
                &"all".into()
            ),
            "{name}"
        );
    }
}

#[test]
fn gates_module_status_and_kind_changes_are_reported() {
    let edits = [
        (
            "gates = \"View estimated event costs\"",
            "gates = \"View estimated and actual event costs\"",
        ),
        (
            "key = \"touring\"\nname = \"Touring\"\nkind = \"addon\"\nstatus = \"reserved\"",
            "key = \"touring\"\nname = \"Touring\"\nkind = \"addon\"\nstatus = \"active\"",
        ),
        ("kind = \"external\"", "kind = \"base\""),
    ];
    let changed = variant(CATALOG, "metadata", &edits);
    let (code, doc) = diff(CATALOG, &changed);
    assert_eq!(code, 0, "{doc}");
    let gates = &doc["keys"]["gates_changed"][0];
    assert_eq!(
        (&gates["key"], &gates["new"]),
        (
            &"promoter.event.estimate.view".into(),
            &"View estimated and actual event costs".into()
        )
    );
    let modules = &doc["modules"]["changed"];
    assert_eq!(modules[0]["module"], "touring");
    assert_eq!(
        modules[0]["status"],
        serde_json::json!({"old": "reserved", "new": "active"})
    );
    assert_eq!(modules[1]["module"], "ticketing");
    assert_eq!(
        modules[1]["kind"],
        serde_json::json!({"old": "external", "new": "base"})
    );
}
