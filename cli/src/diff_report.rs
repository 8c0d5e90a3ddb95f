//! Printing a [`Diff`]: for people (sections, `+`/`-`/`~` lines) and as JSON.

use std::path::Path;

use serde_json::{Value, json};

use crate::diff::{Alias, Diff, Level, LevelChange};
use crate::output::{BAD, DIM, GOOD, HEAD, WARN, paint};

fn level(l: Option<Level>) -> Value {
    l.map_or(Value::Null, |l| Value::from(l.as_str()))
}

fn changes(list: &[LevelChange]) -> Value {
    let items = list
        .iter()
        .map(|c| json!({"key": c.key, "from": level(c.from), "to": level(c.to)}));
    Value::Array(items.collect())
}

fn identity((version, fingerprint): &(String, u64)) -> Value {
    json!({"version": version, "fingerprint": format!("{fingerprint:016x}")})
}

/// The diff as one JSON document; `ok` is false when `breaking` is not empty.
pub fn json(d: &Diff, breaking: &[String]) -> Value {
    let removed = d.keys_removed.iter().map(|r| {
        let alias = match &r.alias {
            Some(Alias::Replaced(k)) => json!({"replacement": k}),
            Some(Alias::Dropped(why)) => json!({"dropped": why}),
            None => Value::Null,
        };
        json!({"key": r.key, "alias": alias, "intended": r.intended})
    });
    let gates = d
        .gates_changed
        .iter()
        .map(|c| json!({"key": c.key, "old": c.old, "new": c.new}));
    let approval = d
        .approval_changed
        .iter()
        .map(|c| json!({"key": c.key, "old": c.old, "new": c.new}));
    let pair =
        |p: Option<(&str, &str)>| p.map_or(Value::Null, |(o, n)| json!({"old": o, "new": n}));
    let modules = d
        .modules_changed
        .iter()
        .map(|m| json!({"module": m.module, "kind": pair(m.kind), "status": pair(m.status)}));
    let roles = d.roles_changed.iter().map(|r| {
        json!({"role": r.role, "gains": changes(&r.gains), "loses": changes(&r.loses),
               "widens": !r.gains.is_empty(), "intended": r.intended})
    });
    json!({
        "ok": breaking.is_empty(),
        "old": identity(&d.identity[0]),
        "new": identity(&d.identity[1]),
        "breaking": breaking,
        "keys": {"added": d.keys_added, "removed": removed.collect::<Vec<_>>(),
                 "gates_changed": gates.collect::<Vec<_>>(), "approval_changed": approval.collect::<Vec<_>>()},
        "modules": {"added": d.modules_added, "removed": d.modules_removed, "changed": modules.collect::<Vec<_>>()},
        "roles": {"added": d.roles_added, "removed": d.roles_removed, "changed": roles.collect::<Vec<_>>()},
        "legacy": {"added": d.legacy_added, "removed": d.legacy_removed},
        "unused_intended_marks": d.unused_marks,
    })
}

fn section(title: &str, lines: Vec<String>) {
    if lines.is_empty() {
        return;
    }
    anstream::println!("{}", paint(HEAD, title));
    for l in lines {
        anstream::println!("  {l}");
    }
}

fn added(names: &[String]) -> impl Iterator<Item = String> + '_ {
    names.iter().map(|n| paint(GOOD, format!("+ {n}")))
}

fn removed(names: &[String]) -> impl Iterator<Item = String> + '_ {
    names.iter().map(|n| paint(BAD, format!("- {n}")))
}

fn level_word(l: Option<Level>) -> &'static str {
    l.map_or("none", Level::as_str)
}

fn role_lines(d: &Diff) -> Vec<String> {
    let mut out: Vec<String> = added(&d.roles_added)
        .chain(removed(&d.roles_removed))
        .collect();
    for r in &d.roles_changed {
        let note = match (r.gains.is_empty(), r.intended) {
            (true, _) => paint(DIM, "narrows"),
            (false, true) => paint(WARN, "widens (intended)"),
            (false, false) => paint(BAD, "WIDENS"),
        };
        out.push(format!("~ {}  {note}", r.role));
        for c in &r.gains {
            out.push(paint(
                GOOD,
                format!(
                    "    + {}  ({} -> {})",
                    c.key,
                    level_word(c.from),
                    level_word(c.to)
                ),
            ));
        }
        for c in &r.loses {
            out.push(paint(
                BAD,
                format!(
                    "    - {}  ({} -> {})",
                    c.key,
                    level_word(c.from),
                    level_word(c.to)
                ),
            ));
        }
    }
    out
}

fn key_lines(d: &Diff) -> Vec<String> {
    let mut out: Vec<String> = added(&d.keys_added).collect();
    for r in &d.keys_removed {
        let how = match (&r.alias, r.intended) {
            (Some(Alias::Replaced(k)), _) => format!("renamed: legacy alias to `{k}`"),
            (Some(Alias::Dropped(why)), _) => format!("dropped: {why}"),
            (None, true) => "no alias (intended)".to_owned(),
            (None, false) => "NO ALIAS".to_owned(),
        };
        out.push(paint(BAD, format!("- {}  {how}", r.key)));
    }
    for c in &d.gates_changed {
        out.push(paint(
            WARN,
            format!("~ {}  gates: {:?} -> {:?}", c.key, c.old, c.new),
        ));
    }
    for c in &d.approval_changed {
        out.push(paint(
            WARN,
            format!("~ {}  approval: {} -> {}", c.key, c.old, c.new),
        ));
    }
    out
}

/// The diff for people; ends with the verdict.
pub fn human(d: &Diff, breaking: &[String], old: &Path, new: &Path) {
    let [(ov, of), (nv, nf)] = &d.identity;
    let (old, new) = (old.display(), new.display());
    anstream::println!(
        "{}",
        paint(
            HEAD,
            format!("{old} ({ov}, {of:016x}) -> {new} ({nv}, {nf:016x})")
        )
    );
    if of == nf {
        anstream::println!(
            "{}",
            paint(DIM, "same content fingerprint: the same access rules")
        );
    }
    section("keys", key_lines(d));
    let mut modules: Vec<String> = added(&d.modules_added)
        .chain(removed(&d.modules_removed))
        .collect();
    for m in &d.modules_changed {
        let mut what = Vec::new();
        if let Some((o, n)) = m.kind {
            what.push(format!("kind {o} -> {n}"));
        }
        if let Some((o, n)) = m.status {
            what.push(format!("status {o} -> {n}"));
        }
        modules.push(paint(WARN, format!("~ {}  {}", m.module, what.join(", "))));
    }
    section("modules", modules);
    section("roles", role_lines(d));
    section(
        "legacy aliases",
        added(&d.legacy_added)
            .chain(removed(&d.legacy_removed))
            .collect(),
    );
    let unused = d
        .unused_marks
        .iter()
        .map(|m| paint(WARN, format!("{m} matches no change")));
    section("[catalog.intended] marks to clear", unused.collect());
    if breaking.is_empty() {
        anstream::println!(
            "{}",
            paint(
                GOOD,
                "ok: no key removed without an alias, no role widened unintended"
            )
        );
    } else {
        for b in breaking {
            anstream::println!("{} {b}", paint(BAD.bold(), "breaking:"));
        }
        anstream::println!(
            "mark intended changes in the new catalog's [catalog.intended] (removed = [keys], widened = [roles])"
        );
    }
}
