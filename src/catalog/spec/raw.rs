//! The catalog file as TOML gives it, before validation: every name keeps its span.

use serde::Deserialize;
use toml::Spanned;

use super::{DelegationRule, ModuleKind, ModuleStatus};

/// The sections of a catalog file, each entry read on its own (see `read`), so that a bad entry
/// is reported and the others are still checked.
pub(super) struct RawCatalog {
    pub(super) catalog: RawHeader,
    pub(super) module: Vec<Spanned<RawModule>>,
    pub(super) permission: Vec<Spanned<RawPermission>>,
    pub(super) role: Vec<Spanned<RawRole>>,
    pub(super) legacy: Vec<Spanned<RawLegacy>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) version: Option<Spanned<String>>,
    pub(super) commercial: bool,
    pub(super) delegation: DelegationRule,
    pub(super) actions: Vec<Spanned<String>>,
    /// Changes from the previous catalog marked as intended. Read by `kisum-access diff` only.
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) intended: Option<RawIntended>,
}

/// `[catalog.intended]`: keys removed without an alias, and roles that gain keys, on purpose.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(super) struct RawIntended {
    #[serde(default)]
    pub(super) removed: Vec<String>,
    #[serde(default)]
    pub(super) widened: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawModule {
    pub(super) key: Spanned<String>,
    pub(super) name: String,
    pub(super) kind: ModuleKind,
    pub(super) status: ModuleStatus,
    pub(super) service: Option<String>,
    pub(super) attaches_to: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPermission {
    pub(super) key: Spanned<String>,
    pub(super) gates: String,
    #[serde(default)]
    pub(super) approval: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRole {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) grants: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) own_only: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) except: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) includes: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLegacy {
    pub(super) key: Spanned<String>,
    pub(super) replacement: Option<Spanned<String>>,
    pub(super) dropped: Option<String>,
}
