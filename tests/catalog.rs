//! The catalogs against the seeds, the validator against broken catalogs, and `Catalog::key` on
//! any input (no panic, no allocation).

mod common;

use common::alloc::{Counting, allocations};
use kisum_access::{Catalog, Key, KeyError, ModuleKind, NameFault, ProblemKind, key, keys};
use proptest::prelude::*;

#[global_allocator]
static ALLOC: Counting = Counting;

const SEED_CATALOG: &str = include_str!("seeds/000_9a88d85e31a63c8e.txt");
const SEED_BLUEPRINT: &str = include_str!("seeds/001_a8c9c92dabef3ec6.txt");
const SEED_BAM: &str = include_str!("seeds/002_788b93fa0dbabe3d.txt");
const BAM: &str = include_str!("../catalogs/bam.toml");
const KISUM: &str = include_str!("../catalog.toml");

/// Keys of seed 000: table rows read `<key><What it gates>` with no separator.
fn seed_000_keys() -> Vec<(String, String)> {
    let modules = [
        "promoter.",
        "artist.",
        "venue.",
        "finance.",
        "ai.",
        "ticketing.",
    ];
    let mut out = Vec::new();
    for line in SEED_CATALOG.lines() {
        if !modules.iter().any(|m| line.starts_with(m)) {
            continue;
        }
        let end = line
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'))
            .unwrap_or(line.len());
        let rest = &line[end..];
        if rest.starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push((line[..end].to_string(), rest.to_string()));
        }
    }
    out
}

/// Keys of seed 002: every `'system.resource.action'` in the list.
fn seed_002_keys() -> Vec<String> {
    SEED_BAM
        .split('\'')
        .skip(1)
        .step_by(2)
        .filter(|s| s.contains('.'))
        .map(str::to_string)
        .collect()
}

/// `basic.*` keys named anywhere in the blueprint (seed 001). The page runs list items together
/// (`basic.artists.readbasic.events.create`), so a key ends after its action word (blueprint §4).
fn seed_basic_keys() -> Vec<String> {
    const ACTIONS: [&str; 10] = [
        "read", "create", "update", "delete", "approve", "manage", "export", "assign", "analyze",
        "write",
    ];
    let mut out: Vec<String> = Vec::new();
    for (i, _) in SEED_BLUEPRINT.match_indices("basic.") {
        let tail = &SEED_BLUEPRINT[i + "basic.".len()..];
        let Some(dot) = tail.find('.') else { continue };
        let resource = &tail[..dot];
        if resource.is_empty() || !resource.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            continue;
        }
        if let Some(action) = ACTIONS.iter().find(|a| tail[dot + 1..].starts_with(*a)) {
            let name = format!("basic.{resource}.{action}");
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn seed_000_every_key_is_in_the_catalog_with_its_gates_text() {
    let catalog = Catalog::embedded();
    let seed = seed_000_keys();
    assert_eq!(seed.len(), 120, "the seed lists 120 keys");
    assert_eq!(catalog.len(), 120);
    for (name, gates) in &seed {
        let key = catalog.key(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(catalog.name(key), name);
        assert_eq!(catalog.gates(key), gates, "gates text of {name}");
    }
}

#[test]
fn seed_002_every_key_is_in_the_bam_catalog() {
    let bam = Catalog::from_toml_str(BAM).unwrap();
    let seed = seed_002_keys();
    assert_eq!(seed.len(), 50);
    assert_eq!(bam.len(), 50);
    for name in &seed {
        let key = bam.key(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(bam.name(key), name);
    }
    assert!(!bam.has_commercial_layers());
    assert!(bam.keys().all(|k| !k.commercial_layers_apply()));
    let systems: Vec<&str> = bam.modules().map(|m| bam.module_name(m)).collect();
    assert_eq!(systems, ["bc", "account", "event", "payment"]);
}

#[test]
fn every_key_round_trips_name_key_name() {
    for catalog in [
        Catalog::embedded().clone(),
        Catalog::from_toml_str(BAM).unwrap(),
    ] {
        for (i, key) in catalog.keys().enumerate() {
            assert_eq!(key.index(), i);
            assert_eq!(catalog.key(catalog.name(key)), Ok(key));
            assert_eq!(catalog.key_at_index(i), Some(key));
        }
        assert_eq!(catalog.key_at_index(catalog.len()), None);
    }
}

#[test]
fn build_time_and_run_time_compile_the_same_catalog() {
    let embedded = Catalog::embedded();
    let loaded = Catalog::from_toml_str(KISUM).unwrap();
    assert_eq!(embedded.len(), loaded.len());
    for (a, b) in embedded.keys().zip(loaded.keys()) {
        assert_eq!(embedded.name(a), loaded.name(b));
        assert_eq!(embedded.gates(a), loaded.gates(b));
        assert_eq!(a.index(), b.index());
        assert_eq!(a.needs_approval(), b.needs_approval());
        assert_eq!(a.commercial_layers_apply(), b.commercial_layers_apply());
        assert_eq!(
            embedded.module_name(a.module()),
            loaded.module_name(b.module())
        );
        // ... but they are keys of different catalogs.
        assert_ne!(a, b);
        assert!(!embedded.contains(b));
    }
    let roles = |c: &Catalog| -> Vec<(String, Vec<usize>, Vec<usize>)> {
        c.roles()
            .map(|r| {
                (
                    r.name().to_string(),
                    r.grants().map(Key::index).collect(),
                    r.own_only().map(Key::index).collect(),
                )
            })
            .collect()
    };
    assert_eq!(roles(embedded), roles(&loaded));
}

#[test]
fn modules_match_seed_000() {
    let c = Catalog::embedded();
    let expect = [
        ("promoter", ModuleKind::Base, false),
        ("venue", ModuleKind::Base, false),
        ("artist", ModuleKind::Base, false),
        ("vendor", ModuleKind::Base, true),
        ("finance", ModuleKind::Addon, false),
        ("touring", ModuleKind::Addon, true),
        ("ai", ModuleKind::Addon, false),
        ("venue_marketplace", ModuleKind::Addon, true),
        ("ticketing", ModuleKind::External, false),
    ];
    assert_eq!(c.modules().len(), expect.len());
    for (name, kind, reserved) in expect {
        let m = c.module(name).unwrap();
        assert_eq!(c.module_name(m), name);
        assert_eq!(m.kind(), kind, "{name}");
        assert_eq!(c.is_reserved(m), reserved, "{name}");
        if kind == ModuleKind::Addon {
            assert!(c.attaches_to(m).all(|b| b.kind() == ModuleKind::Base));
            assert!(c.attaches_to(m).count() > 0, "{name} attaches to a base");
        }
        if reserved {
            assert!(
                c.keys().all(|k| k.module() != m),
                "reserved {name} has no keys"
            );
        }
    }
    assert_eq!(
        c.module_service(c.module("ticketing").unwrap()),
        Some("Backend-Nextkt")
    );
    assert_eq!(c.module("basic"), None);
}

#[test]
fn approval_flag_is_exactly_the_finance_approve_keys() {
    let c = Catalog::embedded();
    let flagged: Vec<&str> = c
        .keys()
        .filter(|k| k.needs_approval())
        .map(|k| c.name(k))
        .collect();
    assert_eq!(flagged, ["finance.invoice.approve", "finance.bill.approve"]);
    assert!(keys::FINANCE_BILL_APPROVE.needs_approval());
    assert!(!keys::FINANCE_BILL_VIEW.needs_approval());
}

#[test]
fn ticketing_keys_are_external_and_skip_the_commercial_layers() {
    let c = Catalog::embedded();
    for k in c.keys() {
        let external = c.name(k).starts_with("ticketing.");
        assert_eq!(k.module().kind() == ModuleKind::External, external);
        assert_eq!(k.commercial_layers_apply(), !external);
    }
}

#[test]
fn ticketing_role_templates_follow_seed_000_section_5_5() {
    let c = Catalog::embedded();
    let names = |role: &str| -> Vec<String> {
        let r = c.role(role).unwrap();
        assert_eq!(r.own_only().count(), 0);
        r.grants().map(|k| c.name(k).to_string()).collect()
    };
    let all: Vec<String> = c
        .keys()
        .map(|k| c.name(k).to_string())
        .filter(|n| n.starts_with("ticketing."))
        .collect();
    assert_eq!(all.len(), 14);
    assert_eq!(names("ticketing.owner"), all);
    assert_eq!(names("ticketing.system_admin"), all);
    let manager: Vec<String> = all
        .iter()
        .filter(|n| *n != "ticketing.settings.manage")
        .cloned()
        .collect();
    assert_eq!(names("ticketing.manager"), manager);
    assert_eq!(
        names("ticketing.staff"),
        [
            "ticketing.event.view",
            "ticketing.guestlist.view",
            "ticketing.guestlist.manage",
            "ticketing.scan.operate"
        ]
    );
    assert!(c.role("ticketing.nobody").is_none());
    let viewer = c.role("promoter.viewer").unwrap();
    assert!(viewer.contains(keys::PROMOTER_EVENT_SALES_VIEW));
    assert!(!viewer.contains(keys::PROMOTER_EVENT_EDIT));
}

#[test]
fn every_basic_key_of_the_seeds_is_a_legacy_alias() {
    let c = Catalog::embedded();
    let seed = seed_basic_keys();
    assert_eq!(seed.len(), 10, "{seed:?}");
    let table: Vec<&str> = c.legacy().map(|a| a.name()).collect();
    for name in &seed {
        assert!(
            table.contains(&name.as_str()),
            "{name} missing from [[legacy]]"
        );
        match c.key(name) {
            Err(KeyError::Legacy { replacement, .. }) => {
                let alias = c.legacy_alias(name).unwrap();
                let (repl, reason) = (alias.replacement(), alias.reason());
                match repl {
                    Some(k) => {
                        assert_eq!(replacement.unwrap().as_str(), c.name(k));
                        assert!(c.name(k).starts_with("promoter."), "{name} -> promoter.*");
                    }
                    None => assert!(replacement.is_none() && !reason.unwrap().is_empty()),
                }
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let err = c.key("basic.events.read").unwrap_err();
    assert_eq!(err.replacement(), Some("promoter.event.view"));
    assert!(err.to_string().contains("basic.events.read"), "{err}");
    assert!(err.to_string().contains("promoter.event.view"), "{err}");
}

#[test]
fn key_macro_and_constants_agree_with_lookup() {
    let c = Catalog::embedded();
    assert_eq!(
        key!("promoter.event.view"),
        c.key("promoter.event.view").unwrap()
    );
    assert_eq!(key!("artist.view"), keys::ARTIST_VIEW);
    assert_eq!(key!("ticketing.scan.operate"), keys::TICKETING_SCAN_OPERATE);
    assert_eq!(
        format!("{:?}", keys::FINANCE_BILL_VIEW),
        "Key(\"finance.bill.view\")"
    );
}

#[test]
fn handles_are_small_and_pinned() {
    use std::mem::size_of;
    assert_eq!(size_of::<Key>(), 8);
    assert_eq!(size_of::<kisum_access::Module>(), 8);
    // KeyError keeps the offending name inline (no allocation): two 50-byte names and a tag,
    // under clippy's 128-byte `result_large_err` threshold, and so is ClaimsError, which wraps it.
    assert_eq!(size_of::<KeyError>(), 100);
    assert_eq!(size_of::<Result<Key, KeyError>>(), 104);
    assert!(size_of::<kisum_access::ClaimsError>() < 128);
}

#[test]
fn key_errors_are_typed_and_name_the_input() {
    let c = Catalog::embedded();
    let malformed = |name: &str, fault: NameFault| match c.key(name) {
        Err(KeyError::Malformed { name: n, fault: f }) => {
            assert_eq!(f, fault, "{name:?}");
            assert!(name.starts_with(n.as_str()));
        }
        other => panic!("{name:?}: {other:?}"),
    };
    malformed("", NameFault::Empty);
    malformed("promoter", NameFault::TooFewSegments);
    malformed("promoter..view", NameFault::EmptySegment);
    malformed(".promoter.view", NameFault::EmptySegment);
    malformed("promoter.view.", NameFault::EmptySegment);
    malformed("Promoter.event.view", NameFault::BadSegmentStart);
    malformed("promoter.1event.view", NameFault::BadSegmentStart);
    malformed("promoter.évent.view", NameFault::BadSegmentStart);
    malformed("promoter.evént.view", NameFault::BadByte);
    malformed("promoter.event view", NameFault::BadByte);
    let huge = "a.".repeat(10_000);
    malformed(&huge, NameFault::TooLong);
    match c.key(&huge) {
        Err(e) => {
            assert!(
                e.to_string()
                    .ends_with("…`: the name is longer than 48 bytes"),
                "{e}"
            );
        }
        Ok(k) => panic!("{k:?}"),
    }
    let long_unicode = "é".repeat(100);
    let err = c.key(&long_unicode).unwrap_err();
    assert!(err.name().chars().all(|ch| ch == 'é'));

    match c.key("promoter.event.delete") {
        Err(KeyError::Unknown { name }) => assert_eq!(name.as_str(), "promoter.event.delete"),
        other => panic!("{other:?}"),
    }
    // A key of the B.A.M catalog is unknown to Kisum.
    assert!(matches!(
        c.key("event.event.view"),
        Err(KeyError::Unknown { .. })
    ));
}

#[test]
fn key_lookup_allocates_nothing_on_any_path() {
    let c = Catalog::embedded();
    let bam = Catalog::from_toml_str(BAM).unwrap();
    let huge = "x".repeat(4096);
    let inputs = [
        "promoter.event.view",
        "ticketing.settings.manage",
        "basic.events.read",
        "basic.pnl.read",
        "promoter.event.delete",
        "Promoter",
        "",
        "promoter.évent.view",
        huge.as_str(),
    ];
    for name in inputs {
        let (n, r) = allocations(|| c.key(name));
        assert_eq!(n, 0, "{name:?} allocated: {r:?}");
        let (n, _) = allocations(|| bam.key(name));
        assert_eq!(n, 0, "{name:?} allocated in a run-time catalog");
    }
    let (n, _) = allocations(|| {
        for k in c.keys() {
            let _ = c.key(c.name(k));
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn catalogs_loaded_twice_have_distinct_identities() {
    let a = Catalog::from_toml_str(BAM).unwrap();
    let b = Catalog::from_toml_str(BAM).unwrap();
    let ka = a.key("event.event.view").unwrap();
    let kb = b.key("event.event.view").unwrap();
    assert_ne!(ka, kb);
    assert!(a.contains(ka) && !a.contains(kb));
    assert_eq!(b.name(ka), "<foreign key>");
    assert_eq!(
        a.clone().key("event.event.view"),
        Ok(ka),
        "a clone is the same catalog"
    );
}

#[test]
fn bam_roles_follow_seed_002() {
    let bam = Catalog::from_toml_str(BAM).unwrap();
    let names = |role: &str| -> (Vec<String>, Vec<String>) {
        let r = bam.role(role).unwrap();
        (
            r.grants().map(|k| bam.name(k).to_string()).collect(),
            r.own_only().map(|k| bam.name(k).to_string()).collect(),
        )
    };
    let (g, o) = names("User");
    assert!(g.is_empty());
    assert_eq!(o, ["account.user.update", "account.user.view"]);
    let (g, o) = names("OnSiteSales");
    assert_eq!(g, ["payment.order.confirm"]);
    assert_eq!(o.len(), 2);
    let (g, _) = names("HostOrganizer");
    assert_eq!(
        g,
        [
            "event.event.view",
            "event.event.delete",
            "event.event.update",
            "event.event.list",
            "event.event.create"
        ]
    );
    let (g, _) = names("HostManager");
    assert_eq!(g.iter().filter(|n| n.starts_with("bc.event.")).count(), 3);
    assert_eq!(
        g.iter().filter(|n| n.starts_with("event.event.")).count(),
        5
    );
    let (g, o) = names("Admin");
    assert_eq!(g.len(), 50);
    assert!(o.is_empty());
    assert!(bam.role("Custom").is_none(), "Custom has no template");
}

// ---------------------------------------------------------------------------------------------
// The validator, one broken catalog per rule.
// ---------------------------------------------------------------------------------------------

const HEADER: &str = r#"[catalog]
name = "demo"
commercial = true
delegation = "policy"
actions = ["view", "edit"]

[[module]]
key = "shop"
name = "Shop"
kind = "base"
status = "active"

[[permission]]
key = "shop.item.view"
gates = "View items"
"#;

/// Validates HEADER + `extra` and returns the problems as (line, kind).
fn problems(extra: &str) -> Vec<(usize, ProblemKind)> {
    let src = format!("{HEADER}{extra}");
    match Catalog::from_toml_str(&src) {
        Ok(_) => panic!("accepted:\n{src}"),
        Err(e) => e
            .problems()
            .iter()
            .map(|p| (p.line, p.kind.clone()))
            .collect(),
    }
}

#[test]
fn the_base_of_the_broken_catalogs_is_valid() {
    let c = Catalog::from_toml_str(HEADER).unwrap();
    assert_eq!(c.len(), 1);
}

#[test]
fn toml_syntax_error_has_its_line() {
    let p = problems("\n[[permission]\nkey = \"shop.item.edit\"\n");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, 17);
    assert!(matches!(p[0].1, ProblemKind::Syntax(_)));
}

#[test]
fn unknown_field_is_an_error_not_ignored() {
    let p =
        problems("\n[[permission]]\nkey = \"shop.item.edit\"\ngates = \"x\"\napprovall = true\n");
    assert!(
        matches!(&p[0].1, ProblemKind::Syntax(m) if m.contains("approvall")),
        "{p:?}"
    );
}

#[test]
fn duplicate_key_and_module() {
    let p = problems(
        "\n[[permission]]\nkey = \"shop.item.view\"\ngates = \"again\"\n\n[[module]]\nkey = \"shop\"\nname = \"Shop 2\"\nkind = \"base\"\nstatus = \"active\"\n",
    );
    assert_eq!(
        p,
        [
            (18, ProblemKind::DuplicateKey("shop.item.view".into())),
            (22, ProblemKind::DuplicateModule("shop".into())),
        ]
    );
}

#[test]
fn key_in_undeclared_or_reserved_module() {
    let p = problems(
        "\n[[module]]\nkey = \"later\"\nname = \"Later\"\nkind = \"base\"\nstatus = \"reserved\"\n\n[[permission]]\nkey = \"later.item.view\"\ngates = \"x\"\n\n[[permission]]\nkey = \"nowhere.item.view\"\ngates = \"x\"\n",
    );
    assert_eq!(
        p,
        [
            (
                24,
                ProblemKind::ReservedModule {
                    key: "later.item.view".into(),
                    module: "later".into()
                }
            ),
            (
                28,
                ProblemKind::UndeclaredModule {
                    key: "nowhere.item.view".into(),
                    module: "nowhere".into()
                }
            ),
        ]
    );
}

#[test]
fn malformed_segments() {
    for (bad, fault) in [
        ("shop.Item.view", NameFault::BadSegmentStart),
        ("shop..view", NameFault::EmptySegment),
        ("shop", NameFault::TooFewSegments),
        ("shop.it em.view", NameFault::BadByte),
    ] {
        let p = problems(&format!(
            "\n[[permission]]\nkey = \"{bad}\"\ngates = \"x\"\n"
        ));
        assert_eq!(
            p,
            [(
                18,
                ProblemKind::Malformed {
                    name: bad.into(),
                    fault
                }
            )],
            "{bad}"
        );
    }
}

#[test]
fn action_word_not_in_the_list() {
    let p = problems("\n[[permission]]\nkey = \"shop.item.read\"\ngates = \"x\"\n");
    assert_eq!(
        p,
        [(
            18,
            ProblemKind::UnknownAction {
                key: "shop.item.read".into(),
                action: "read".into()
            }
        )]
    );
}

#[test]
fn legacy_alias_to_unknown_key_and_other_alias_errors() {
    let p = problems(
        "\n[[legacy]]\nkey = \"old.item.read\"\nreplacement = \"shop.item.list\"\n\n[[legacy]]\nkey = \"old.item.write\"\n\n[[legacy]]\nkey = \"shop.item.view\"\ndropped = \"x\"\n",
    );
    assert_eq!(
        p,
        [
            (
                19,
                ProblemKind::UnknownReplacement {
                    legacy: "old.item.read".into(),
                    target: "shop.item.list".into()
                }
            ),
            (22, ProblemKind::LegacyTarget("old.item.write".into())),
            (25, ProblemKind::LegacyShadowsKey("shop.item.view".into())),
        ]
    );
}

#[test]
fn role_pattern_that_matches_nothing() {
    let p = problems(
        "\n[[role]]\nname = \"shop.viewer\"\ngrants = [\"shop.*.view\", \"shop.*.edit\"]\nexcept = [\"nope.*\"]\n",
    );
    assert_eq!(
        p,
        [
            (
                19,
                ProblemKind::PatternMatchesNothing {
                    role: "shop.viewer".into(),
                    pattern: "shop.*.edit".into()
                }
            ),
            (
                20,
                ProblemKind::PatternMatchesNothing {
                    role: "shop.viewer".into(),
                    pattern: "nope.*".into()
                }
            ),
        ]
    );
}

#[test]
fn role_includes_unknown_or_cyclic() {
    let p = problems(
        "\n[[role]]\nname = \"a\"\nincludes = [\"b\"]\n\n[[role]]\nname = \"b\"\nincludes = [\"a\"]\n\n[[role]]\nname = \"c\"\nincludes = [\"zzz\"]\n",
    );
    assert_eq!(
        p,
        [
            (18, ProblemKind::RoleCycle("a".into())),
            (22, ProblemKind::RoleCycle("b".into())),
            (
                27,
                ProblemKind::UnknownInclude {
                    role: "c".into(),
                    include: "zzz".into()
                }
            ),
        ]
    );
}

#[test]
fn addon_attaching_to_a_non_base_module() {
    let p = problems(
        "\n[[module]]\nkey = \"extra\"\nname = \"Extra\"\nkind = \"addon\"\nstatus = \"active\"\nattaches_to = [\"shop\", \"more\", \"nothing\"]\n\n[[module]]\nkey = \"more\"\nname = \"More\"\nkind = \"addon\"\nstatus = \"active\"\nattaches_to = []\n",
    );
    assert_eq!(
        p,
        [
            (
                22,
                ProblemKind::AttachesToNonBase {
                    addon: "extra".into(),
                    target: "more".into()
                }
            ),
            (
                22,
                ProblemKind::AttachesToNonBase {
                    addon: "extra".into(),
                    target: "nothing".into()
                }
            ),
            (25, ProblemKind::AddonWithoutBase("more".into())),
        ]
    );
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let p = problems(
        "\n[[permission]]\nkey = \"shop.item.read\"\ngates = \"x\"\n\n[[permission]]\nkey = \"ghost.item.view\"\ngates = \"x\"\n\n[[permission]]\nkey = \"shop.item.view\"\ngates = \"dup\"\n\n[[legacy]]\nkey = \"old.a.b\"\nreplacement = \"shop.x.view\"\n",
    );
    let lines: Vec<usize> = p.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [18, 22, 26, 31], "{p:?}");
    let err = Catalog::from_toml_str(&format!(
        "{HEADER}\n[[permission]]\nkey = \"shop.item.read\"\ngates = \"x\"\n"
    ))
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid catalog (1 problem):\n  line 18: key `shop.item.read`"),
        "{err}"
    );
}

#[test]
fn limits_are_enforced() {
    let mut src = String::from(HEADER);
    for i in 0..65 {
        src.push_str(&format!(
            "\n[[module]]\nkey = \"m{i}\"\nname = \"M\"\nkind = \"base\"\nstatus = \"active\"\n"
        ));
    }
    let err = Catalog::from_toml_str(&src).unwrap_err();
    assert!(err.problems().iter().any(|p| matches!(
        p.kind,
        ProblemKind::TooMany {
            what: "modules",
            count: 66,
            max: 64
        }
    )));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn key_never_panics_and_only_accepts_catalog_names(s in any::<String>()) {
        let c = Catalog::embedded();
        match c.key(&s) {
            Ok(k) => prop_assert_eq!(c.name(k), s.as_str()),
            Err(e) => {
                prop_assert!(s.starts_with(e.name()));
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn key_shaped_strings_are_classified(s in "[a-z][a-z_]{0,8}(\\.[a-z][a-z0-9_-]{0,10}){1,3}") {
        let c = Catalog::embedded();
        match c.key(&s) {
            Ok(k) => prop_assert_eq!(c.name(k), s.as_str()),
            Err(KeyError::Unknown { name }) => prop_assert_eq!(name.as_str(), s.as_str()),
            Err(KeyError::Legacy { .. }) => prop_assert!(c.is_legacy(&s)),
            Err(e) => prop_assert!(false, "{s}: {e}"),
        }
    }

    #[test]
    fn mutated_catalogs_never_panic_the_validator(cut in 0usize..KISUM.len(), byte in any::<u8>()) {
        let mut bytes = KISUM.as_bytes().to_vec();
        bytes[cut] = byte;
        if let Ok(src) = std::str::from_utf8(&bytes) {
            let _ = Catalog::from_toml_str(src);
        }
        let _ = Catalog::from_toml_str(&KISUM[..KISUM.floor_char_boundary_compat(cut)]);
    }
}

trait FloorBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

#[test]
fn names_that_collide_in_the_sampled_hash_fall_back_to_the_full_hash() {
    // 40-byte names identical in the sampled words (bytes 0..8, 16..24, 32..40): they differ only
    // in bytes 10..12, so the sampled hash cannot separate them.
    let mut src = String::from(
        "[catalog]\nname = \"shop\"\ncommercial = true\ndelegation = \"policy\"\nactions = [\"view\"]\n\n\
         [[module]]\nkey = \"shopping\"\nname = \"Shopping\"\nkind = \"base\"\nstatus = \"active\"\n",
    );
    let names: Vec<String> = (0..40)
        .map(|i| format!("shopping.r{i:02}.aaaaaaaaaaaaaaaaaaaaaa.view"))
        .collect();
    for n in &names {
        assert_eq!(n.len(), 40);
        src.push_str(&format!("\n[[permission]]\nkey = \"{n}\"\ngates = \"g\"\n"));
    }
    let c = Catalog::from_toml_str(&src).unwrap();
    for (i, n) in names.iter().enumerate() {
        let k = c.key(n).unwrap();
        assert_eq!(k.index(), i);
        assert_eq!(c.name(k), n);
    }
    assert!(matches!(
        c.key("shopping.r99.aaaaaaaaaaaaaaaaaaaaaa.view"),
        Err(KeyError::Unknown { .. })
    ));
    let (allocs, _) = allocations(|| c.key(&names[7]));
    assert_eq!(allocs, 0);
}
