//! Every subcommand's output and exit code, snapshotted with insta (`cargo insta review` after an
//! intended change), including bad files and bad arguments.

use std::path::PathBuf;
use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

/// The tool, run from `cli/` (fixtures in `tests/fixtures`, the Kisum catalog at `../catalog.toml`),
/// with colour left to its terminal detection (never a terminal here).
fn cli(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kisum-access"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .args(args);
    cmd
}

const TOKENS: [&str; 4] = [
    "--tokens",
    "tests/fixtures/tokens",
    "--entitlements",
    "tests/fixtures/ents.json",
];

#[test]
fn top_level() {
    assert_cmd_snapshot!("no_command", cli(&[]));
    assert_cmd_snapshot!("help", cli(&["--help"]));
    assert_cmd_snapshot!("unknown_command", cli(&["frobnicate"]));
}

#[test]
fn check() {
    assert_cmd_snapshot!(
        "check_ok",
        cli(&["check", "../catalog.toml", "../catalogs/bam.toml"])
    );
    let broken = "tests/fixtures/broken.toml";
    assert_cmd_snapshot!("check_broken", cli(&["check", "../catalog.toml", broken]));
    assert_cmd_snapshot!(
        "check_broken_json",
        cli(&["check", "--format", "json", broken])
    );
    assert_cmd_snapshot!(
        "check_syntax",
        cli(&["check", "tests/fixtures/syntax.toml"])
    );
    assert_cmd_snapshot!(
        "check_misspelt",
        cli(&["check", "tests/fixtures/misspelt.toml"])
    );
    assert_cmd_snapshot!("check_marks", cli(&["check", "tests/fixtures/marks.toml"]));
    assert_cmd_snapshot!("check_missing_file", cli(&["check", "nope.toml", broken]));
    assert_cmd_snapshot!("check_no_files", cli(&["check"]));
    assert_cmd_snapshot!(
        "check_bad_format",
        cli(&["check", "--format", "xml", broken])
    );
}

/// `small.toml` and a changed copy of it, in a scratch directory: `(dir, "old.toml", "new.toml")`.
fn diff_pair() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("diff-snapshot");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let old = include_str!("fixtures/small.toml");
    let edits = [
        // store.order.view removed without alias; store.item.view renamed with an alias.
        (
            "[[permission]]\nkey = \"store.order.view\"\ngates = \"View orders\"\n",
            "",
        ),
        (
            "key = \"store.item.view\"\ngates = \"View items\"",
            "key = \"store.article.view\"\ngates = \"View articles\"",
        ),
        (
            "replacement = \"store.item.view\"",
            "replacement = \"store.article.view\"\n\n[[legacy]]\nkey = \"store.item.view\"\nreplacement = \"store.article.view\"",
        ),
        // billing.viewer widens to approvals; the approval flag is dropped; a gates text changes.
        ("grants = [\"billing.*.view\"]", "grants = [\"billing.*\"]"),
        (
            "gates = \"Approve invoices\"\napproval = true",
            "gates = \"Approve invoices of any amount\"",
        ),
        // store.clerk's own-only edit becomes org-wide; outlet becomes active.
        (
            "own_only = [\"store.item.edit\"]",
            "grants = [\"store.item.edit\"]",
        ),
        ("status = \"reserved\"", "status = \"active\""),
        (
            "actions = [\"view\", \"edit\", \"approve\"]\n",
            "actions = [\"view\", \"edit\", \"approve\"]\n\n[catalog.intended]\nwidened = [\"store.clerk\"]\nremoved = [\"store.item.edit\"]\n",
        ),
    ];
    let mut new = old.to_owned();
    for (from, to) in edits {
        assert_eq!(new.matches(from).count(), 1, "{from:?}");
        new = new.replacen(from, to, 1);
    }
    std::fs::write(dir.join("old.toml"), old).expect("old");
    std::fs::write(dir.join("new.toml"), new).expect("new");
    dir
}

#[test]
fn diff() {
    let dir = diff_pair();
    let run = |args: &[&str]| {
        let mut cmd = cli(args);
        cmd.current_dir(&dir);
        cmd
    };
    assert_cmd_snapshot!("diff_human", run(&["diff", "old.toml", "new.toml"]));
    assert_cmd_snapshot!(
        "diff_json",
        run(&["diff", "--format", "json", "old.toml", "new.toml"])
    );
    assert_cmd_snapshot!("diff_same", run(&["diff", "old.toml", "old.toml"]));
    std::fs::write(
        dir.join("broken.toml"),
        include_str!("fixtures/broken.toml"),
    )
    .expect("copy");
    assert_cmd_snapshot!(
        "diff_invalid_new",
        run(&["diff", "old.toml", "broken.toml"])
    );
    assert_cmd_snapshot!("diff_one_file", run(&["diff", "old.toml"]));
}

#[test]
fn who_can() {
    assert_cmd_snapshot!(
        "who_can_roles",
        cli(&["who-can", "ticketing.guestlist.manage"])
    );
    let with_tokens = [&["who-can", "finance.bill.view"][..], &TOKENS].concat();
    assert_cmd_snapshot!("who_can_tokens", cli(&with_tokens));
    let approve = [
        &["who-can", "finance.bill.approve", "--format", "json"][..],
        &TOKENS,
    ]
    .concat();
    assert_cmd_snapshot!("who_can_json", cli(&approve));
    let bam = [
        "who-can",
        "account.user.update",
        "--catalog",
        "../catalogs/bam.toml",
        "--tokens",
        "tests/fixtures/bam-tokens",
    ];
    assert_cmd_snapshot!("who_can_bam", cli(&bam));
    assert_cmd_snapshot!("who_can_legacy_key", cli(&["who-can", "basic.events.read"]));
    assert_cmd_snapshot!(
        "who_can_unknown_key",
        cli(&["who-can", "promoter.event.fly"])
    );
    let mut bam_key = cli(&["who-can", "event.event.view"]);
    assert_cmd_snapshot!("who_can_bam_key_without_catalog", bam_key);
    let no_ents = [
        "who-can",
        "finance.bill.view",
        "--tokens",
        "tests/fixtures/tokens",
    ];
    assert_cmd_snapshot!("who_can_tokens_without_entitlements", cli(&no_ents));
    let ents_only = [
        "who-can",
        "finance.bill.view",
        "--entitlements",
        "tests/fixtures/ents.json",
    ];
    assert_cmd_snapshot!("who_can_entitlements_without_tokens", cli(&ents_only));
}

const ANNA: &str = "tests/fixtures/tokens/anna.json";

/// `explain` with these claims and entitlements files, for this company.
fn explain_with(claims: &str, entitlements: &str, company: &str, extra: &[&str]) -> Command {
    let base = [
        "explain",
        "--claims",
        claims,
        "--entitlements",
        entitlements,
        "--company",
        company,
    ];
    cli(&[&base[..], extra].concat())
}

/// `explain` for anna's token, with these entitlements and this company.
fn explain_in(entitlements: &str, company: &str, extra: &[&str]) -> Command {
    explain_with(ANNA, entitlements, company, extra)
}

fn explain(extra: &[&str]) -> Command {
    explain_in("tests/fixtures/ents.json", "acme", extra)
}

#[test]
fn explain_decides() {
    let bu_x = ["--key", "finance.bill.view", "--business-unit", "bu-x"];
    assert_cmd_snapshot!("explain_allow", explain(&bu_x));
    let bu_y = ["--key", "finance.bill.view", "--business-unit", "bu-y"];
    assert_cmd_snapshot!("explain_deny", explain(&bu_y));
    let json = [
        "--key",
        "finance.bill.view",
        "--business-unit",
        "bu-y",
        "--format",
        "json",
    ];
    assert_cmd_snapshot!("explain_deny_json", explain(&json));
    let over = ["--key", "finance.bill.approve", "--amount", "6000"];
    let ents = "tests/fixtures/ents.json";
    assert_cmd_snapshot!("explain_over_limit", explain_in(ents, "globex", &over));
    // One entitlements object instead of an array.
    let one = "tests/fixtures/ent-one.json";
    assert_cmd_snapshot!("explain_one_entitlement", explain_in(one, "acme", &bu_x));
    // Names of a newer catalog are skipped, and said so.
    let erin = "tests/fixtures/tokens/erin.json";
    let ents = "tests/fixtures/ents.json";
    let view = ["--key", "finance.bill.view"];
    assert_cmd_snapshot!(
        "explain_skipped_names",
        explain_with(erin, ents, "acme", &view)
    );
}

#[test]
fn explain_rejects_bad_input() {
    assert_cmd_snapshot!("explain_help", cli(&["explain", "--help"]));
    assert_cmd_snapshot!("explain_missing_key", explain(&[]));
    assert_cmd_snapshot!(
        "explain_bad_amount",
        explain(&["--key", "finance.bill.view", "--amount", "lots"])
    );
    assert_cmd_snapshot!(
        "explain_unknown_flag",
        explain(&["--key", "finance.bill.view", "--frobnicate", "1"])
    );
    assert_cmd_snapshot!(
        "explain_flag_twice",
        explain(&["--key", "finance.bill.view", "--key", "finance.bill.edit"])
    );
    assert_cmd_snapshot!(
        "explain_legacy_key",
        explain(&["--key", "basic.events.read"])
    );
    let (good, view) = ("tests/fixtures/ents.json", ["--key", "finance.bill.view"]);
    let mut bad_ents = explain_with(ANNA, "tests/fixtures/ents-bad.json", "acme", &view);
    assert_cmd_snapshot!("explain_bad_entitlements", bad_ents);
    let mut bad_object = explain_with(ANNA, "tests/fixtures/ent-bad-object.json", "acme", &view);
    assert_cmd_snapshot!("explain_bad_entitlements_object", bad_object);
    let mut bad_claims = explain_with("tests/fixtures/not-json.json", good, "acme", &view);
    assert_cmd_snapshot!("explain_bad_claims", bad_claims);
    let mut missing = explain_with("nope.json", good, "acme", &view);
    assert_cmd_snapshot!("explain_missing_claims", missing);
}

#[test]
fn migrate() {
    assert_cmd_snapshot!(
        "migrate_names",
        cli(&[
            "migrate",
            "basic.events.read",
            "promoter.event.edit",
            "basic.events.create"
        ])
    );
    assert_cmd_snapshot!(
        "migrate_lossy",
        cli(&[
            "migrate",
            "basic.pnl.read",
            "Not A Key",
            "promoter.event.fly"
        ])
    );
    assert_cmd_snapshot!(
        "migrate_template_lines",
        cli(&["migrate", "--template", "tests/fixtures/template.txt"])
    );
    assert_cmd_snapshot!(
        "migrate_template_json",
        cli(&[
            "migrate",
            "--format",
            "json",
            "--template",
            "tests/fixtures/template.json"
        ])
    );
    assert_cmd_snapshot!(
        "migrate_token",
        cli(&["migrate", "--tokens", "tests/fixtures/legacy-token.json"])
    );
    assert_cmd_snapshot!(
        "migrate_tokens_dir",
        cli(&["migrate", "--tokens", "tests/fixtures/tokens"])
    );
    assert_cmd_snapshot!("migrate_nothing", cli(&["migrate"]));
    assert_cmd_snapshot!(
        "migrate_two_sources",
        cli(&[
            "migrate",
            "basic.events.read",
            "--template",
            "tests/fixtures/template.txt"
        ])
    );
    assert_cmd_snapshot!(
        "migrate_bad_template",
        cli(&["migrate", "--template", "tests/fixtures/template-bad.json"])
    );
}

#[test]
fn export() {
    let small = "tests/fixtures/small.toml";
    assert_cmd_snapshot!(
        "export_json",
        cli(&["export", "--format", "json", "--catalog", small])
    );
    assert_cmd_snapshot!(
        "export_markdown",
        cli(&["export", "--format", "markdown", "--catalog", small])
    );
    assert_cmd_snapshot!(
        "export_typescript",
        cli(&["export", "--format", "typescript", "--catalog", small])
    );
    assert_cmd_snapshot!("export_no_format", cli(&["export"]));
    assert_cmd_snapshot!(
        "export_invalid_catalog",
        cli(&[
            "export",
            "--format",
            "json",
            "--catalog",
            "tests/fixtures/syntax.toml"
        ])
    );
}

/// `docs/catalog.md` is what `export --format markdown` prints for the Kisum catalog.
#[test]
fn docs_catalog_md_is_up_to_date() {
    let out = cli(&["export", "--format", "markdown"])
        .output()
        .expect("runs");
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/catalog.md"));
    assert!(
        committed.ok().as_deref().map(str::as_bytes) == Some(&out.stdout[..]),
        "docs/catalog.md is out of date: run `cargo run -p kisum-access-cli -- export --format markdown > docs/catalog.md`"
    );
}

/// Colour codes appear when asked for (as on a terminal) and never in a pipe.
#[test]
fn colour_only_when_forced_or_on_a_terminal() {
    let piped = cli(&["who-can", "finance.bill.view"])
        .output()
        .expect("runs");
    assert!(!piped.stdout.contains(&0x1b), "no escape codes in a pipe");
    let forced = cli(&["who-can", "finance.bill.view"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("runs");
    assert!(
        forced.stdout.contains(&0x1b),
        "escape codes when colour is forced"
    );
}
