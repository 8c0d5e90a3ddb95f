//! The `basic.*` → `promoter.*` migration: what becomes of each old key name.
//!
//! [`migrate`] is for tools and reviews — a legacy role template, a database column of granted
//! keys — and reports every name. The hot path never sees a legacy key: [`Catalog::key`] refuses
//! them, and claims translate them only on opt-in
//! ([`ClaimsOptions::translate_legacy`](crate::ClaimsOptions::translate_legacy)).

mod report;

use crate::catalog::spec::AliasClass;
use crate::catalog::{Catalog, Key, KeyError};

/// The reason given for a key of a legacy module (`basic.*`) that the catalog has no alias for.
const UNLISTED: &str = "its module is legacy and the catalog has no alias for this key";

/// What became of one old name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Migrated<'c> {
    /// Already a current key of the catalog: nothing to change.
    Current(Key),
    /// A legacy key, replaced by this one; [`MigrationEntry::class`] says how it compares.
    Replaced(Key),
    /// A legacy key dropped without replacement, with the catalog's reason.
    Dropped {
        /// Why the catalog has no replacement.
        reason: &'c str,
    },
    /// Neither a current nor a legacy key of the catalog (malformed or unknown).
    Unknown(KeyError),
}

/// One old name and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationEntry<'c> {
    /// The name as given.
    pub from: String,
    /// Its outcome.
    pub outcome: Migrated<'c>,
    /// For a [`Migrated::Replaced`] name, how the replacement compares with the legacy key:
    /// exact, narrower (access is lost) or wider (access is gained). `None` otherwise.
    pub class: Option<AliasClass>,
}

/// The report of [`migrate`]: one entry per name, in the order given. `Display` prints it for
/// humans, grouped by class (exact, narrower, wider, already current, dropped, unknown);
/// `Serialize` gives it to tools as JSON (`{"catalog", "names", "lossless", "widens", "counts",
/// "entries"}`, each entry `{"from", "outcome", ...}`; the shape is pinned by a test).
#[derive(Debug, Clone)]
pub struct Migration<'c> {
    catalog: &'c Catalog,
    entries: Vec<MigrationEntry<'c>>,
}

/// Migrates key names to the catalog's current keys: for each name, its replacement if it is a
/// legacy alias, the catalog's reason if the alias was dropped, the key itself if it is current,
/// or the lookup error if it is neither.
///
/// ```
/// use kisum_access::{Catalog, Migrated, keys, migrate};
///
/// let report = migrate(Catalog::embedded(), ["basic.events.read", "basic.pnl.read", "promoter.event.edit"]);
/// assert_eq!(report.entries()[0].outcome, Migrated::Replaced(keys::PROMOTER_EVENT_VIEW));
/// assert!(matches!(report.entries()[1].outcome, Migrated::Dropped { .. }));
/// assert_eq!(report.keys(), [keys::PROMOTER_EVENT_VIEW, keys::PROMOTER_EVENT_EDIT]);
/// println!("{report}");
/// ```
pub fn migrate<'c, S: AsRef<str>>(
    catalog: &'c Catalog,
    names: impl IntoIterator<Item = S>,
) -> Migration<'c> {
    let entries = names
        .into_iter()
        .map(|name| entry(catalog, name.as_ref()))
        .collect();
    Migration { catalog, entries }
}

fn entry<'c>(catalog: &'c Catalog, name: &str) -> MigrationEntry<'c> {
    let (outcome, class) = match catalog.key(name) {
        Ok(key) => (Migrated::Current(key), None),
        Err(error @ KeyError::Legacy { .. }) => match catalog.legacy_alias(name) {
            Some(alias) => match (alias.replacement(), alias.reason()) {
                (Some(key), _) => (Migrated::Replaced(key), alias.class()),
                (None, reason) => (
                    Migrated::Dropped {
                        reason: reason.unwrap_or(UNLISTED),
                    },
                    None,
                ),
            },
            None if catalog.is_legacy(name) => (Migrated::Dropped { reason: UNLISTED }, None),
            // `key` said legacy, so the catalog knows it; stay total anyway.
            None => (Migrated::Unknown(error), None),
        },
        Err(error) => (Migrated::Unknown(error), None),
    };
    MigrationEntry {
        from: name.to_owned(),
        outcome,
        class,
    }
}

impl<'c> Migration<'c> {
    /// Every name given, with its outcome, in order.
    pub fn entries(&self) -> &[MigrationEntry<'c>] {
        &self.entries
    }

    /// The keys to grant after the migration: current and replacement keys, each once, in the
    /// order first seen. Dropped and unknown names contribute nothing.
    pub fn keys(&self) -> Vec<Key> {
        let mut keys: Vec<Key> = Vec::new();
        for entry in &self.entries {
            if let Migrated::Current(k) | Migrated::Replaced(k) = entry.outcome
                && !keys.contains(&k)
            {
                keys.push(k);
            }
        }
        keys
    }

    /// How many names were replaced by a key of this class.
    pub fn replaced_as(&self, class: AliasClass) -> usize {
        self.entries
            .iter()
            .filter(|e| e.class == Some(class))
            .count()
    }

    /// How many names were replaced.
    pub fn replaced(&self) -> usize {
        self.count(|m| matches!(m, Migrated::Replaced(_)))
    }

    /// How many names were dropped.
    pub fn dropped(&self) -> usize {
        self.count(|m| matches!(m, Migrated::Dropped { .. }))
    }

    /// How many names were neither current nor legacy.
    pub fn unknown(&self) -> usize {
        self.count(|m| matches!(m, Migrated::Unknown(_)))
    }

    /// Whether no name loses access: nothing dropped, nothing unknown, no narrower replacement.
    /// With `!widens()` too, the new grant set gives exactly the old access.
    pub fn is_lossless(&self) -> bool {
        self.dropped() == 0 && self.unknown() == 0 && self.replaced_as(AliasClass::Narrower) == 0
    }

    /// Whether some replacement is wider than its legacy key: the new grant set gives access the
    /// old one never did. The Auth team reviews these before replacing the catalog; claims
    /// translate them only under
    /// [`ClaimsOptions::allow_widening`](crate::ClaimsOptions::allow_widening).
    pub fn widens(&self) -> bool {
        self.replaced_as(AliasClass::Wider) > 0
    }

    /// The catalog the names were migrated against.
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    fn count(&self, pred: impl Fn(&Migrated<'c>) -> bool) -> usize {
        self.entries.iter().filter(|e| pred(&e.outcome)).count()
    }
}
