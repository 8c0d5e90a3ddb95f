//! The `basic.*` → `promoter.*` migration: what becomes of each old key name.
//!
//! [`migrate`] is for tools and reviews — a legacy role template, a database column of granted
//! keys — and reports every name. The hot path never sees a legacy key: [`Catalog::key`] refuses
//! them, and claims translate them only on opt-in
//! ([`ClaimsOptions::translate_legacy`](crate::ClaimsOptions::translate_legacy)).

use std::fmt;

use crate::catalog::Catalog;
use crate::catalog::{Key, KeyError};

/// What became of one old name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Migrated<'c> {
    /// Already a current key of the catalog: nothing to change.
    Current(Key),
    /// A legacy key, replaced by this one.
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
}

/// The report of [`migrate`]: one entry per name, in the order given; `Display` prints it for
/// humans.
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
        .map(|name| {
            let name = name.as_ref();
            let outcome = match catalog.key(name) {
                Ok(key) => Migrated::Current(key),
                Err(error @ KeyError::Legacy { .. }) => {
                    match catalog.legacy().find(|(old, _, _)| *old == name) {
                        Some((_, Some(key), _)) => Migrated::Replaced(key),
                        Some((_, None, reason)) => Migrated::Dropped {
                            reason: reason.unwrap_or("dropped"),
                        },
                        // `key` said legacy, so the alias table has it; stay total anyway.
                        None => Migrated::Unknown(error),
                    }
                }
                Err(error) => Migrated::Unknown(error),
            };
            MigrationEntry {
                from: name.to_owned(),
                outcome,
            }
        })
        .collect();
    Migration { catalog, entries }
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

    /// Whether every name migrated to a key (nothing dropped, nothing unknown): the old grant
    /// set and the new one give the same access.
    pub fn is_lossless(&self) -> bool {
        self.dropped() == 0 && self.unknown() == 0
    }

    fn count(&self, pred: impl Fn(&Migrated<'c>) -> bool) -> usize {
        self.entries.iter().filter(|e| pred(&e.outcome)).count()
    }
}

impl fmt::Display for Migration<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.entries.len() - self.replaced() - self.dropped() - self.unknown();
        writeln!(
            f,
            "{} names: {} replaced, {} already current, {} dropped, {} unknown",
            self.entries.len(),
            self.replaced(),
            current,
            self.dropped(),
            self.unknown()
        )?;
        let width = self.entries.iter().map(|e| e.from.len()).max().unwrap_or(0);
        for e in &self.entries {
            let from = &e.from;
            match e.outcome {
                Migrated::Current(_) => writeln!(f, "  {from:width$}  = current")?,
                Migrated::Replaced(k) => {
                    writeln!(f, "  {from:width$}  -> {}", self.catalog.name(k))?
                }
                Migrated::Dropped { reason } => writeln!(f, "  {from:width$}  dropped: {reason}")?,
                Migrated::Unknown(error) => writeln!(f, "  {from:width$}  unknown: {error}")?,
            }
        }
        Ok(())
    }
}
