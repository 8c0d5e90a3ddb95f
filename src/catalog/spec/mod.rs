//! The catalog file format and its validator.
//!
//! This file is compiled twice: into `build.rs` (through `#[path]`), which turns the embedded
//! `catalog.toml` into generated tables, and into the library, where
//! [`Catalog::from_toml_str`](crate::Catalog::from_toml_str) runs the very same rules at run time.
//! It therefore depends on nothing of the crate: it reads TOML and returns either a validated
//! [`Spec`] or every [`Problem`] it found, each with its line.

mod check;
mod fingerprint;
mod legacy;
mod names;
mod problem;
mod raw;
mod read;
mod roles;

use serde::Deserialize;

pub use legacy::{AliasClass, LegacyModuleSpec, LegacySpec};
pub use names::{NameFault, check_key_name, check_segment};
pub use problem::{Problem, ProblemKind};
pub use roles::MAX_PATTERN_LEN;

/// Most modules a catalog may declare (a module set is one `u64` bitset).
pub const MAX_MODULES: usize = 64;
/// Most permission keys a catalog may declare (key ids are `u16`; bitsets stay small).
pub const MAX_KEYS: usize = 4096;
/// Most role templates a catalog may declare.
pub const MAX_ROLES: usize = 1024;
/// Most legacy aliases a catalog may declare.
pub const MAX_LEGACY: usize = 1024;
/// Longest permission key name, in bytes. Longer input is malformed without being scanned.
pub const MAX_KEY_LEN: usize = 48;
/// Longest catalog version, in bytes.
pub const MAX_VERSION_LEN: usize = 64;
/// Fewest segments in a key (`artist.view`).
pub const MIN_SEGMENTS: usize = 2;

/// What a module is commercially.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleKind {
    /// A primary persona surface a company buys (`promoter`, `venue`, `artist`, `vendor`).
    Base,
    /// An optional capability layered onto a base module (`finance`, `ai`, ...).
    Addon,
    /// A standalone platform listed for cross-reference (`ticketing`): layers 1–2 are not Kisum's.
    External,
    /// A module of a catalog without a commercial model (B.A.M's systems): layers 1–2 do not apply.
    System,
}

impl ModuleKind {
    /// The word used for this kind in catalog files.
    pub const fn as_str(self) -> &'static str {
        match self {
            ModuleKind::Base => "base",
            ModuleKind::Addon => "addon",
            ModuleKind::External => "external",
            ModuleKind::System => "system",
        }
    }
}

/// Whether a module is live or only reserved for later keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleStatus {
    /// Keys may be declared and granted.
    Active,
    /// Declared for the commercial model; a key in it is a catalog error.
    Reserved,
}

/// Key flag: the key is an approval (needs an approval limit and an amount).
pub const FLAG_APPROVAL: u8 = 1;
/// Key flag: layers 1–2 do not apply (external module, or a catalog without a commercial model).
pub const FLAG_NO_COMMERCIAL: u8 = 2;
/// Key flags: the module's kind, in bits 2–3.
const KIND_SHIFT: u8 = 2;

/// The module kind stored in a key's flags.
pub const fn flag_kind(flags: u8) -> ModuleKind {
    match (flags >> KIND_SHIFT) & 3 {
        0 => ModuleKind::Base,
        1 => ModuleKind::Addon,
        2 => ModuleKind::External,
        _ => ModuleKind::System,
    }
}

impl Spec {
    /// The runs of consecutive keys of one module, as (first key id, length), in key order: what
    /// a membership's dense table fills an outcome at a time.
    pub fn module_runs(&self) -> Vec<(u16, u16)> {
        let mut runs: Vec<(u16, u16)> = Vec::new();
        for (id, k) in self.keys.iter().enumerate() {
            match runs.last_mut() {
                Some((first, len)) if self.keys[usize::from(*first)].module == k.module => {
                    *len += 1
                }
                // Key ids are below u16::MAX (a catalog's limit).
                _ => runs.push((id as u16, 1)),
            }
        }
        runs
    }

    /// Keys of this catalog by id, a bit each (bit `id % 64` of word `id / 64`): a role's grants,
    /// the approval keys.
    pub fn key_words(&self, ids: impl IntoIterator<Item = u16>) -> Vec<u64> {
        let mut words = vec![0u64; self.keys.len().div_ceil(64)];
        for id in ids.into_iter().map(usize::from) {
            words[id / 64] |= 1 << (id % 64);
        }
        words
    }

    /// The approval keys, a bit each ([`Spec::key_words`]): what a membership's dense table tells
    /// apart from the keys it allows outright.
    pub fn approval_words(&self) -> Vec<u64> {
        // Key ids are below u16::MAX (a catalog's limit).
        let approval = self.keys.iter().enumerate().filter(|(_, k)| k.approval);
        self.key_words(approval.map(|(id, _)| id as u16))
    }

    /// Whether a token's bare grant of key `id` can be resolved as the token is read: any key
    /// but an external module's (whose grants a subject checks against the options).
    pub fn resolvable(&self, id: usize) -> bool {
        self.keys
            .get(id)
            .is_some_and(|k| self.modules[k.module as usize].kind != ModuleKind::External)
    }

    /// The flags a key handle carries: approval, whether layers 1–2 apply, the module's kind.
    pub fn key_flags(&self, key: &KeySpec) -> u8 {
        let kind = self.modules[key.module as usize].kind;
        let mut flags = (kind as u8) << KIND_SHIFT;
        if key.approval {
            flags |= FLAG_APPROVAL;
        }
        if !self.commercial || kind == ModuleKind::External {
            flags |= FLAG_NO_COMMERCIAL;
        }
        flags
    }
}

/// Where a membership's delegation rights come from (layer 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegationRule {
    /// From the membership's explicit delegation policy in the claims (Kisum).
    Policy,
    /// From held `<system>[.<resource>].change_permissions` keys (B.A.M).
    ChangePermissions,
}

/// A validated module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSpec {
    /// Module key (`finance`).
    pub key: String,
    /// Display name (`Finance`).
    pub name: String,
    /// Commercial kind.
    pub kind: ModuleKind,
    /// Active or reserved.
    pub status: ModuleStatus,
    /// Owning service, where the source names one.
    pub service: Option<String>,
    /// For add-ons: bitset of the base modules (by id) it attaches to.
    pub attaches_to: u64,
}

/// A validated permission key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySpec {
    /// Full name (`finance.bill.approve`).
    pub name: String,
    /// What it gates.
    pub gates: String,
    /// Module id (index into [`Spec::modules`]).
    pub module: u8,
    /// Needs a membership approval limit and an amount.
    pub approval: bool,
}

/// A role template, expanded to key ids (sorted, unique).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSpec {
    /// Role name.
    pub name: String,
    /// Keys granted without restriction.
    pub grants: Vec<u16>,
    /// Keys granted on the holder's own resources only (and not also in `grants`).
    pub own_only: Vec<u16>,
}

/// A validated catalog: ids are indices into these vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Catalog name.
    pub name: String,
    /// Catalog version, if the file gives one.
    pub version: Option<String>,
    /// Whether layers 1–2 apply.
    pub commercial: bool,
    /// Where delegation rights come from.
    pub delegation: DelegationRule,
    /// Allowed action words.
    pub actions: Vec<String>,
    /// Modules in file order.
    pub modules: Vec<ModuleSpec>,
    /// Keys in file order.
    pub keys: Vec<KeySpec>,
    /// Roles in file order.
    pub roles: Vec<RoleSpec>,
    /// Legacy key aliases in file order.
    pub legacy: Vec<LegacySpec>,
    /// Legacy module aliases in file order.
    pub legacy_modules: Vec<LegacyModuleSpec>,
}

/// Parses and validates a catalog. Returns every problem found, in source order, or the spec.
///
/// # Errors
///
/// A TOML or shape error stops parsing and is returned alone (with its line); otherwise every
/// semantic problem (duplicates, undeclared or reserved modules, malformed names, unknown actions,
/// dangling aliases, dead role patterns, bad add-on attachments, limits) is returned together.
pub fn parse(src: &str) -> Result<Spec, Vec<Problem>> {
    let mut ck = check::Checker::new(src);
    let spec = read::read(&mut ck, src).map(|raw| check::check(&mut ck, raw));
    match spec {
        Some(spec) if ck.problems.is_empty() => Ok(spec),
        _ => {
            ck.problems.sort_by_key(|p| (p.line, p.column));
            Err(ck.problems)
        }
    }
}
