//! Legacy aliases: each key alias names its replacement and how it compares (its class), or says
//! why it was dropped; each module alias names its replacement module or says why it was dropped.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::check::{Checker, check_name};
use super::raw::{RawLegacy, RawLegacyModule};
use super::*;

/// How a legacy key's replacement compares with what the legacy key allowed.
///
/// Translating a legacy key during the migration window never silently widens access: an
/// [`AliasClass::Wider`] replacement is only accepted on a second, explicit opt-in, and every
/// translation is reported with its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AliasClass {
    /// The replacement gates exactly what the legacy key did.
    Exact,
    /// The replacement gates less: translating loses some access, never adds any.
    Narrower,
    /// The replacement gates more (`basic.events.create` -> `promoter.event.edit`, which also
    /// deletes): translating adds access the legacy key never gave.
    Wider,
}

impl AliasClass {
    /// Every class, from the safest.
    pub const ALL: [AliasClass; 3] = [AliasClass::Exact, AliasClass::Narrower, AliasClass::Wider];

    /// The word used in catalog files and JSON (`exact`, `narrower`, `wider`): a stable code.
    pub const fn as_str(self) -> &'static str {
        match self {
            AliasClass::Exact => "exact",
            AliasClass::Narrower => "narrower",
            AliasClass::Wider => "wider",
        }
    }
}

impl core::fmt::Display for AliasClass {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A legacy key alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacySpec {
    /// The legacy name (`basic.events.read`).
    pub name: String,
    /// The replacement key id and how it compares, if any.
    pub replacement: Option<(u16, AliasClass)>,
    /// Why it was dropped, when there is no replacement.
    pub dropped: Option<String>,
}

/// A legacy module alias (`basic` -> `promoter`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyModuleSpec {
    /// The legacy module name (`basic`).
    pub name: String,
    /// The replacement module id, if any.
    pub replacement: Option<u8>,
    /// Why it was dropped, when there is no replacement.
    pub dropped: Option<String>,
}

pub(super) fn check_legacy(
    ck: &mut Checker,
    raw: &[Spanned<RawLegacy>],
    keys: &[KeySpec],
) -> Vec<LegacySpec> {
    let mut legacy: Vec<LegacySpec> = Vec::new();
    if !ck.check_count("legacy aliases", raw.len(), MAX_LEGACY) {
        return legacy;
    }
    for l in raw {
        let l = l.get_ref();
        let name = l.key.get_ref();
        let span = l.key.span();
        if !check_name(ck, &l.key, check_key_name(name)) {
            continue;
        }
        if keys.iter().any(|k| &k.name == name) {
            ck.report(span, ProblemKind::LegacyShadowsKey(name.clone()));
            continue;
        }
        if legacy.iter().any(|x| &x.name == name) {
            ck.report(span, ProblemKind::DuplicateLegacy(name.clone()));
            continue;
        }
        let replacement = match (&l.replacement, &l.dropped, &l.class) {
            (Some(target), None, class) => {
                let Some(id) = keys.iter().position(|k| &k.name == target.get_ref()) else {
                    let kind = ProblemKind::UnknownReplacement {
                        legacy: name.clone(),
                        target: target.get_ref().clone(),
                    };
                    ck.report(target.span(), kind);
                    continue;
                };
                let Some(class) = class else {
                    ck.report(span, ProblemKind::LegacyClassMissing(name.clone()));
                    continue;
                };
                Some((id as u16, *class.get_ref()))
            }
            (None, Some(_), None) => None,
            (None, Some(_), Some(class)) => {
                ck.report(
                    class.span(),
                    ProblemKind::LegacyClassOnDropped(name.clone()),
                );
                continue;
            }
            _ => {
                ck.report(span, ProblemKind::LegacyTarget(name.clone()));
                continue;
            }
        };
        legacy.push(LegacySpec {
            name: name.clone(),
            replacement,
            dropped: l.dropped.clone(),
        });
    }
    legacy
}

pub(super) fn check_legacy_modules(
    ck: &mut Checker,
    raw: &[Spanned<RawLegacyModule>],
    modules: &[ModuleSpec],
) -> Vec<LegacyModuleSpec> {
    let mut legacy: Vec<LegacyModuleSpec> = Vec::new();
    if !ck.check_count("legacy modules", raw.len(), MAX_MODULES) {
        return legacy;
    }
    for l in raw {
        let l = l.get_ref();
        let name = l.key.get_ref();
        let span = l.key.span();
        if !check_name(ck, &l.key, check_segment(name.as_bytes())) {
            continue;
        }
        if modules.iter().any(|m| &m.key == name) {
            ck.report(span, ProblemKind::LegacyShadowsModule(name.clone()));
            continue;
        }
        if legacy.iter().any(|x| &x.name == name) {
            ck.report(span, ProblemKind::DuplicateLegacyModule(name.clone()));
            continue;
        }
        let replacement = match (&l.replacement, &l.dropped) {
            (Some(target), None) => {
                let usable = |m: &ModuleSpec| {
                    m.kind != ModuleKind::External && m.status == ModuleStatus::Active
                };
                match modules.iter().position(|m| &m.key == target.get_ref()) {
                    Some(id) if usable(&modules[id]) => Some(id as u8),
                    _ => {
                        let kind = ProblemKind::BadModuleReplacement {
                            legacy: name.clone(),
                            target: target.get_ref().clone(),
                        };
                        ck.report(target.span(), kind);
                        continue;
                    }
                }
            }
            (None, Some(_)) => None,
            _ => {
                ck.report(span, ProblemKind::LegacyTarget(name.clone()));
                continue;
            }
        };
        legacy.push(LegacyModuleSpec {
            name: name.clone(),
            replacement,
            dropped: l.dropped.clone(),
        });
    }
    legacy
}
