//! A migration report for humans (`Display`, grouped by class) and for tools (`Serialize`).

use core::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{AliasClass, Catalog, Migrated, Migration, MigrationEntry};

/// The groups of the report, in print order: a heading and which entries it holds.
const GROUPS: [(&str, Group); 6] = [
    (
        "exact (the replacement gates what the legacy key did)",
        Group::Class(AliasClass::Exact),
    ),
    (
        "narrower (the replacement gates less: access is lost)",
        Group::Class(AliasClass::Narrower),
    ),
    (
        "wider (the replacement gates more: access is gained; translating needs allow_widening)",
        Group::Class(AliasClass::Wider),
    ),
    ("already current", Group::Current),
    ("dropped (grants nothing)", Group::Dropped),
    (
        "unknown (neither a current nor a legacy key)",
        Group::Unknown,
    ),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Class(AliasClass),
    Current,
    Dropped,
    Unknown,
}

fn group(e: &MigrationEntry<'_>) -> Group {
    match e.outcome {
        Migrated::Replaced(_) => Group::Class(e.class.unwrap_or(AliasClass::Wider)),
        Migrated::Current(_) => Group::Current,
        Migrated::Dropped { .. } => Group::Dropped,
        Migrated::Unknown(_) => Group::Unknown,
    }
}

impl Migration<'_> {
    fn current(&self) -> usize {
        self.count(|m| matches!(m, Migrated::Current(_)))
    }
}

impl fmt::Display for Migration<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = |c| self.replaced_as(c);
        writeln!(
            f,
            "{} names: {} replaced ({} exact, {} narrower, {} wider), {} already current, {} dropped, {} unknown",
            self.entries.len(),
            self.replaced(),
            class(AliasClass::Exact),
            class(AliasClass::Narrower),
            class(AliasClass::Wider),
            self.current(),
            self.dropped(),
            self.unknown()
        )?;
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        writeln!(
            f,
            "lossless: {}; widens: {}",
            yes_no(self.is_lossless()),
            yes_no(self.widens())
        )?;
        let width = self.entries.iter().map(|e| e.from.len()).max().unwrap_or(0);
        for (heading, g) in GROUPS {
            let mut entries = self.entries.iter().filter(|e| group(e) == g).peekable();
            if entries.peek().is_none() {
                continue;
            }
            writeln!(f, "\n{heading}:")?;
            for e in entries {
                self.line(f, e, width)?;
            }
        }
        Ok(())
    }
}

impl Migration<'_> {
    fn line(
        &self,
        f: &mut fmt::Formatter<'_>,
        e: &MigrationEntry<'_>,
        width: usize,
    ) -> fmt::Result {
        let from = &e.from;
        match e.outcome {
            Migrated::Current(_) => writeln!(f, "  {from}"),
            Migrated::Replaced(k) if e.class == Some(AliasClass::Exact) => {
                writeln!(f, "  {from:width$}  -> {}", self.catalog.name(k))
            }
            Migrated::Replaced(k) => writeln!(
                f,
                "  {from:width$}  -> {} ({})",
                self.catalog.name(k),
                self.catalog.gates(k)
            ),
            Migrated::Dropped { reason } => writeln!(f, "  {from:width$}  {reason}"),
            Migrated::Unknown(error) => writeln!(f, "  {from:width$}  {error}"),
        }
    }
}

/// See [`Migration`]: `{"catalog": {"name", "version", "fingerprint"}, "names", "lossless",
/// "widens", "counts": {"exact", "narrower", "wider", "current", "dropped", "unknown"},
/// "entries"}`.
impl Serialize for Migration<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cat = self.catalog;
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("catalog", &CatalogJson(cat))?;
        map.serialize_entry("names", &self.entries.len())?;
        map.serialize_entry("lossless", &self.is_lossless())?;
        map.serialize_entry("widens", &self.widens())?;
        map.serialize_entry("counts", &Counts(self))?;
        let entries: Vec<EntryJson<'_, '_>> = (self.entries.iter())
            .map(|entry| EntryJson {
                report: self,
                entry,
            })
            .collect();
        map.serialize_entry("entries", &entries)?;
        map.end()
    }
}

/// `{"name", "version", "fingerprint"}`, the fingerprint as 16 hex digits (as in explanations).
struct CatalogJson<'c>(&'c Catalog);

impl Serialize for CatalogJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("name", self.0.catalog_name())?;
        map.serialize_entry("version", self.0.version())?;
        map.serialize_entry("fingerprint", &format!("{:016x}", self.0.fingerprint()))?;
        map.end()
    }
}

struct Counts<'r, 'c>(&'r Migration<'c>);

impl Serialize for Counts<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut map = s.serialize_map(Some(6))?;
        for class in AliasClass::ALL {
            map.serialize_entry(class.as_str(), &m.replaced_as(class))?;
        }
        map.serialize_entry("current", &m.current())?;
        map.serialize_entry("dropped", &m.dropped())?;
        map.serialize_entry("unknown", &m.unknown())?;
        map.end()
    }
}

/// One entry: `{"from", "outcome": "current" | "replaced" | "dropped" | "unknown"}`, with `"to"`
/// (current and replaced), `"class"` and `"gates"` (replaced), `"reason"` (dropped) or `"error"`
/// (unknown).
struct EntryJson<'r, 'c> {
    report: &'r Migration<'c>,
    entry: &'r MigrationEntry<'c>,
}

impl Serialize for EntryJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (cat, e) = (self.report.catalog, self.entry);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("from", &e.from)?;
        match e.outcome {
            Migrated::Current(k) => {
                map.serialize_entry("outcome", "current")?;
                map.serialize_entry("to", cat.name(k))?;
            }
            Migrated::Replaced(k) => {
                map.serialize_entry("outcome", "replaced")?;
                map.serialize_entry("to", cat.name(k))?;
                map.serialize_entry("class", &e.class)?;
                map.serialize_entry("gates", cat.gates(k))?;
            }
            Migrated::Dropped { reason } => {
                map.serialize_entry("outcome", "dropped")?;
                map.serialize_entry("reason", reason)?;
            }
            Migrated::Unknown(error) => {
                map.serialize_entry("outcome", "unknown")?;
                map.serialize_entry("error", &error.to_string())?;
            }
        }
        map.end()
    }
}
