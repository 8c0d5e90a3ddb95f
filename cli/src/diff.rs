//! `kisum-access diff OLD NEW`: what a catalog change does to keys, modules and role templates,
//! and whether it may ship.
//!
//! Breaking (exit 1) unless NEW marks it in `[catalog.intended]`: a key removed without a legacy
//! alias (tokens and services still using it lose access silently), and a role template that
//! widens (every holder of the role gains access).

use std::collections::BTreeMap;
use std::path::Path;

use kisum_access::{Catalog, Role};

use crate::input;
use crate::intent::Intended;
use crate::output::{Exit, Failure};

/// What a removed key left behind in the new catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alias {
    /// A legacy alias to this key (a rename).
    Replaced(String),
    /// A legacy alias dropped without replacement, with its reason.
    Dropped(String),
}

/// A key of OLD that NEW does not have.
#[derive(Debug, Clone)]
pub struct RemovedKey {
    /// The key's name.
    pub key: String,
    /// NEW's legacy alias for it, if any.
    pub alias: Option<Alias>,
    /// Listed in NEW's `[catalog.intended] removed`.
    pub intended: bool,
}

/// How far a role grants a key: on the holder's own resources, or org-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// On the holder's own resources only.
    Own,
    /// Org-wide.
    All,
}

impl Level {
    /// The word used in reports (`own_only`, `all`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Own => "own_only",
            Level::All => "all",
        }
    }
}

/// One key whose level in a role changed: `from` -> `to` (`None`: not granted).
#[derive(Debug, Clone)]
pub struct LevelChange {
    /// The key's name (OLD's names read through NEW's aliases).
    pub key: String,
    /// Its level in OLD's role.
    pub from: Option<Level>,
    /// Its level in NEW's role.
    pub to: Option<Level>,
}

/// A role template of both catalogs whose keys changed.
#[derive(Debug, Clone)]
pub struct RoleChange {
    /// The role's name.
    pub role: String,
    /// Keys it grants more widely (a widening).
    pub gains: Vec<LevelChange>,
    /// Keys it grants less widely.
    pub loses: Vec<LevelChange>,
    /// Listed in NEW's `[catalog.intended] widened`.
    pub intended: bool,
}

/// A module of both catalogs whose kind or status changed: `(old, new)`.
#[derive(Debug, Clone)]
pub struct ModuleChange {
    /// The module's key.
    pub module: String,
    /// Its kind, when it changed.
    pub kind: Option<(&'static str, &'static str)>,
    /// Its status, when it changed.
    pub status: Option<(&'static str, &'static str)>,
}

/// A key of both catalogs whose text or flag changed: `(old, new)`.
#[derive(Debug, Clone)]
pub struct KeyChange<T> {
    /// The key's name.
    pub key: String,
    /// In OLD.
    pub old: T,
    /// In NEW.
    pub new: T,
}

/// Everything that differs between two catalogs.
#[derive(Debug, Clone, Default)]
pub struct Diff {
    /// Keys only NEW has.
    pub keys_added: Vec<String>,
    /// Keys only OLD has.
    pub keys_removed: Vec<RemovedKey>,
    /// Keys whose gates text changed.
    pub gates_changed: Vec<KeyChange<String>>,
    /// Keys whose approval flag changed.
    pub approval_changed: Vec<KeyChange<bool>>,
    /// Modules only NEW has.
    pub modules_added: Vec<String>,
    /// Modules only OLD has.
    pub modules_removed: Vec<String>,
    /// Modules whose kind or status changed.
    pub modules_changed: Vec<ModuleChange>,
    /// Role templates only NEW has.
    pub roles_added: Vec<String>,
    /// Role templates only OLD has.
    pub roles_removed: Vec<String>,
    /// Role templates whose keys changed.
    pub roles_changed: Vec<RoleChange>,
    /// Legacy aliases only NEW has.
    pub legacy_added: Vec<String>,
    /// Legacy aliases only OLD has.
    pub legacy_removed: Vec<String>,
    /// `[catalog.intended]` marks of NEW that match no change.
    pub unused_marks: Vec<String>,
    /// Each catalog's version and content fingerprint: `[old, new]`.
    pub identity: [(String, u64); 2],
}

impl Diff {
    /// The changes that fail the diff: unmarked removals without alias, unmarked widenings.
    pub fn breaking(&self) -> Vec<String> {
        let removed = self
            .keys_removed
            .iter()
            .filter(|r| r.alias.is_none() && !r.intended);
        let widened = self
            .roles_changed
            .iter()
            .filter(|r| !r.gains.is_empty() && !r.intended);
        removed
            .map(|r| format!("key `{}` removed without a legacy alias", r.key))
            .chain(widened.map(|r| format!("role `{}` widens", r.role)))
            .collect()
    }
}

fn names(c: &Catalog) -> Vec<&str> {
    c.keys().map(|k| c.name(k)).collect()
}

fn status(c: &Catalog, m: kisum_access::Module) -> &'static str {
    if c.is_reserved(m) {
        "reserved"
    } else {
        "active"
    }
}

/// A role's keys by name with their level; OLD's names are read through NEW's legacy aliases, so
/// a renamed key is the same key on both sides.
fn levels(role: &Role<'_>, rename: &dyn Fn(&str) -> String) -> BTreeMap<String, Level> {
    let c = role.catalog();
    let mut out = BTreeMap::new();
    for (keys, level) in [
        (role.own_only().collect::<Vec<_>>(), Level::Own),
        (role.grants().collect(), Level::All),
    ] {
        for k in keys {
            let entry = out.entry(rename(c.name(k))).or_insert(level);
            *entry = (*entry).max(level);
        }
    }
    out
}

fn role_change(old: &Role<'_>, new: &Role<'_>, new_catalog: &Catalog) -> RoleChange {
    let rename = |name: &str| -> String {
        if new_catalog.key(name).is_err()
            && let Some((_, Some(k), _)) = new_catalog.legacy().find(|(n, _, _)| *n == name)
        {
            return new_catalog.name(k).to_owned();
        }
        name.to_owned()
    };
    let (before, after) = (levels(old, &rename), levels(new, &|n: &str| n.to_owned()));
    let mut change = RoleChange {
        role: new.name().to_owned(),
        gains: vec![],
        loses: vec![],
        intended: false,
    };
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let (from, to) = (before.get(key).copied(), after.get(key).copied());
        let entry = LevelChange {
            key: key.clone(),
            from,
            to,
        };
        if to > from {
            change.gains.push(entry);
        } else if to < from {
            change.loses.push(entry);
        }
    }
    change
}

fn keys_diff(old: &Catalog, new: &Catalog, marks: &Intended, d: &mut Diff) {
    let (old_names, new_names) = (names(old), names(new));
    d.keys_added = new_names
        .iter()
        .filter(|n| !old_names.contains(n))
        .map(|n| n.to_string())
        .collect();
    for ok in old.keys() {
        let name = old.name(ok);
        let Ok(nk) = new.key(name) else {
            let alias = new
                .legacy()
                .find(|(n, _, _)| *n == name)
                .map(|(_, r, why)| match r {
                    Some(k) => Alias::Replaced(new.name(k).to_owned()),
                    None => Alias::Dropped(why.unwrap_or_default().to_owned()),
                });
            d.keys_removed.push(RemovedKey {
                key: name.to_owned(),
                alias,
                intended: marks.removes(name),
            });
            continue;
        };
        if old.gates(ok) != new.gates(nk) {
            let (old, new) = (old.gates(ok).to_owned(), new.gates(nk).to_owned());
            d.gates_changed.push(KeyChange {
                key: name.to_owned(),
                old,
                new,
            });
        }
        if ok.needs_approval() != nk.needs_approval() {
            let (old, new) = (ok.needs_approval(), nk.needs_approval());
            d.approval_changed.push(KeyChange {
                key: name.to_owned(),
                old,
                new,
            });
        }
    }
}

fn modules_diff(old: &Catalog, new: &Catalog, d: &mut Diff) {
    for om in old.modules() {
        let name = old.module_name(om);
        let Some(nm) = new.module(name) else {
            d.modules_removed.push(name.to_owned());
            continue;
        };
        let (ok, nk) = (om.kind().as_str(), nm.kind().as_str());
        let (os, ns) = (status(old, om), status(new, nm));
        if ok != nk || os != ns {
            d.modules_changed.push(ModuleChange {
                module: name.to_owned(),
                kind: (ok != nk).then_some((ok, nk)),
                status: (os != ns).then_some((os, ns)),
            });
        }
    }
    let added = new
        .modules()
        .map(|m| new.module_name(m))
        .filter(|n| old.module(n).is_none());
    d.modules_added = added.map(str::to_owned).collect();
}

/// Compares two catalogs; `marks` are NEW's `[catalog.intended]`.
pub fn compare(old: &Catalog, new: &Catalog, marks: &Intended) -> Diff {
    let mut d = Diff {
        identity: [old, new].map(|c| (c.version().to_owned(), c.fingerprint())),
        ..Diff::default()
    };
    keys_diff(old, new, marks, &mut d);
    modules_diff(old, new, &mut d);
    for or in old.roles() {
        match new.role(or.name()) {
            None => d.roles_removed.push(or.name().to_owned()),
            Some(nr) => {
                let mut change = role_change(&or, &nr, new);
                change.intended = marks.widens(or.name());
                if !change.gains.is_empty() || !change.loses.is_empty() {
                    d.roles_changed.push(change);
                }
            }
        }
    }
    d.roles_added = new
        .roles()
        .filter(|r| old.role(r.name()).is_none())
        .map(|r| r.name().to_owned())
        .collect();
    let old_legacy: Vec<&str> = old.legacy().map(|(n, _, _)| n).collect();
    let new_legacy: Vec<&str> = new.legacy().map(|(n, _, _)| n).collect();
    d.legacy_added = new_legacy
        .iter()
        .filter(|n| !old_legacy.contains(n))
        .map(|n| n.to_string())
        .collect();
    d.legacy_removed = old_legacy
        .iter()
        .filter(|n| !new_legacy.contains(n))
        .map(|n| n.to_string())
        .collect();
    let removed_unaliased = |n: &str| {
        d.keys_removed
            .iter()
            .any(|r| r.key == n && r.alias.is_none())
    };
    let widened = |n: &str| {
        d.roles_changed
            .iter()
            .any(|r| r.role == n && !r.gains.is_empty())
    };
    let unused_removed = marks.removed.iter().filter(|m| !removed_unaliased(&m.name));
    let unused_widened = marks.widened.iter().filter(|m| !widened(&m.name));
    d.unused_marks = unused_removed
        .map(|m| format!("removed: `{}` (line {})", m.name, m.line))
        .chain(unused_widened.map(|m| format!("widened: `{}` (line {})", m.name, m.line)))
        .collect();
    d
}

/// Loads both catalogs, compares them, prints the report; exit 1 on a breaking change.
pub fn run(old_path: &Path, new_path: &Path, json: bool) -> Result<Exit, Failure> {
    let (old, _) = input::catalog_file(old_path)?;
    let (new, new_source) = input::catalog_file(new_path)?;
    let marks = Intended::read(&new_source)?;
    let diff = compare(&old, &new, &marks);
    let breaking = diff.breaking();
    if json {
        crate::output::print_json(&crate::diff_report::json(&diff, &breaking));
    } else {
        crate::diff_report::human(&diff, &breaking, old_path, new_path);
    }
    Ok(Exit::findings_if(!breaking.is_empty()))
}
