//! The migration window: legacy names met while compiling claims are refused, or, when the caller
//! opts in, translated and reported, each with how its replacement compares.

use core::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::catalog::spec::AliasClass;
use crate::catalog::{Key, KeyError, LegacyModule, Module};
use crate::token::ClaimsError;

use super::UnknownNames;
use super::compile::{Build, Modules};

/// What a legacy name of a token (or of Core's entitlements) became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Translated {
    /// A legacy key, translated to this key; `class` says how the replacement compares
    /// ([`AliasClass::Wider`] only under [`ClaimsOptions::allow_widening`]).
    ///
    /// [`ClaimsOptions::allow_widening`]: crate::ClaimsOptions::allow_widening
    Key {
        /// The replacement.
        key: Key,
        /// How it compares with the legacy key.
        class: AliasClass,
    },
    /// A legacy module, translated to this module.
    Module(Module),
    /// A legacy key or module without a replacement: it granted nothing.
    Dropped,
}

/// One legacy name translated while building a subject (see
/// [`Subject::legacy_translations`](crate::Subject::legacy_translations)). `Display` prints
/// `basic.events.create -> promoter.event.edit (wider: widens access)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyTranslation {
    name: Box<str>,
    replacement: Box<str>,
    to: Translated,
    entitled: bool,
}

impl LegacyTranslation {
    /// The legacy name (`basic.events.read`, `basic`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What it became.
    pub fn to(&self) -> Translated {
        self.to
    }

    /// The replacement's name (a key or a module), or `None` if it was dropped.
    pub fn replacement(&self) -> Option<&str> {
        (self.to != Translated::Dropped).then_some(&*self.replacement)
    }

    /// The replacement key, for a legacy key that was not dropped.
    pub fn key(&self) -> Option<Key> {
        match self.to {
            Translated::Key { key, .. } => Some(key),
            _ => None,
        }
    }

    /// How the replacement key compares with the legacy key (`None` for modules and dropped
    /// names).
    pub fn class(&self) -> Option<AliasClass> {
        match self.to {
            Translated::Key { class, .. } => Some(class),
            _ => None,
        }
    }

    /// Whether this translation gave access the legacy key never gave (a wider replacement,
    /// accepted under [`ClaimsOptions::allow_widening`](crate::ClaimsOptions::allow_widening)).
    pub fn widens(&self) -> bool {
        self.class() == Some(AliasClass::Wider)
    }

    /// Whether the name came from Core's entitlements rather than the token.
    pub fn from_entitlements(&self) -> bool {
        self.entitled
    }
}

impl fmt::Display for LegacyTranslation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        let source = if self.entitled {
            ", in entitlements"
        } else {
            ""
        };
        match self.to {
            Translated::Dropped => write!(f, "{name} -> dropped, grants nothing{source}"),
            Translated::Module(_) => write!(f, "{name} -> {} (module{source})", self.replacement),
            Translated::Key { class, .. } => {
                let widens = if self.widens() { ": widens access" } else { "" };
                write!(f, "{name} -> {} ({class}{widens})", self.replacement)
            }
        }
    }
}

/// `{"from", "to" (null if dropped), "kind" ("key" | "module"), "class" (null unless a key was
/// replaced), "widens", "source" ("token" | "entitlements")}`.
impl Serialize for LegacyTranslation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("from", self.name())?;
        map.serialize_entry("to", &self.replacement())?;
        let kind = if self.name.contains('.') {
            "key"
        } else {
            "module"
        };
        map.serialize_entry("kind", kind)?;
        map.serialize_entry("class", &self.class())?;
        map.serialize_entry("widens", &self.widens())?;
        let source = if self.entitled {
            "entitlements"
        } else {
            "token"
        };
        map.serialize_entry("source", source)?;
        map.end()
    }
}

impl Build<'_> {
    /// [`Build::key`] of a name the catalog does not hold as it is: out of line.
    #[cold]
    #[inline(never)]
    pub(super) fn key_error(
        &mut self,
        company: &str,
        name: &str,
        e: KeyError,
    ) -> Result<Option<Key>, ClaimsError> {
        match e {
            error @ KeyError::Legacy { .. } => self.legacy_key(company, name, error),
            KeyError::Unknown { .. } if self.options.unknown_names == UnknownNames::Skip => {
                self.skip(name, false);
                Ok(None)
            }
            error => Err(ClaimsError::Key {
                company: company.into(),
                error,
            }),
        }
    }

    /// A legacy key of the token: an error naming it and its replacement, or, under
    /// `translate_legacy`, its replacement (`None` if dropped), recorded. A wider replacement also
    /// needs `allow_widening`.
    pub(super) fn legacy_key(
        &mut self,
        company: &str,
        name: &str,
        error: KeyError,
    ) -> Result<Option<Key>, ClaimsError> {
        if !self.options.translate_legacy {
            return Err(ClaimsError::Key {
                company: company.into(),
                error,
            });
        }
        let cat = self.catalog;
        let alias = cat.legacy_alias(name);
        let to = match alias.and_then(|a| Some((a.replacement()?, a.class()?))) {
            Some((key, AliasClass::Wider)) if !self.options.allow_widening => {
                return Err(ClaimsError::WideningTranslation {
                    company: company.into(),
                    key: name.into(),
                    replacement: cat.name(key).into(),
                });
            }
            Some((key, class)) => Translated::Key { key, class },
            None => Translated::Dropped,
        };
        let replacement = match to {
            Translated::Key { key, .. } => cat.name(key),
            _ => "",
        };
        self.record(name, replacement, to, false);
        Ok(match to {
            Translated::Key { key, .. } => Some(key),
            _ => None,
        })
    }

    /// A legacy module of the token or of Core's entitlements: an error naming it and its
    /// replacement, or, under `translate_legacy`, its replacement (`None` if dropped), recorded.
    pub(super) fn legacy_module(
        &mut self,
        company: &str,
        legacy: LegacyModule<'_>,
        source: Modules,
    ) -> Result<Option<Module>, ClaimsError> {
        let replacement = legacy.replacement();
        let replacement_name = replacement.map(|m| self.catalog.module_name(m));
        if !self.options.translate_legacy {
            let (company, module) = (company.to_string(), legacy.name().to_string());
            let replacement = replacement_name.map(str::to_string);
            return Err(match source {
                Modules::Entitled => ClaimsError::LegacyEntitledModule {
                    company,
                    module,
                    replacement,
                },
                Modules::Claimed => ClaimsError::LegacyModule {
                    company,
                    module,
                    replacement,
                },
            });
        }
        let to = replacement.map_or(Translated::Dropped, Translated::Module);
        let entitled = source == Modules::Entitled;
        self.record(legacy.name(), replacement_name.unwrap_or(""), to, entitled);
        Ok(replacement)
    }

    /// Records a translation once per name and source.
    fn record(&mut self, name: &str, replacement: &str, to: Translated, entitled: bool) {
        if self
            .legacy
            .iter()
            .any(|t| &*t.name == name && t.entitled == entitled)
        {
            return;
        }
        self.legacy.push(LegacyTranslation {
            name: name.into(),
            replacement: replacement.into(),
            to,
            entitled,
        });
    }
}
