//! What can be wrong with a catalog, each problem with its line.

use super::NameFault;

/// A catalog problem, with the 1-based line it was found on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the catalog source.
    pub line: usize,
    /// 1-based column (in characters) on that line.
    pub column: usize,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl core::fmt::Display for Problem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

/// What is wrong with a catalog. Each variant names the offending value.
///
/// This enum is `#[non_exhaustive]`: new checks may be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The file is not valid TOML, or does not have the catalog's shape.
    #[error("TOML: {0}")]
    Syntax(String),
    /// The catalog version is empty, too long, or has characters other than letters, digits and
    /// `._+-`.
    #[error("catalog version `{0}` must be 1 to 64 letters, digits or `._+-`")]
    BadVersion(String),
    /// A module is declared twice.
    #[error("duplicate module `{0}`")]
    DuplicateModule(String),
    /// A key is declared twice.
    #[error("duplicate key `{0}`")]
    DuplicateKey(String),
    /// A role is declared twice.
    #[error("duplicate role `{0}`")]
    DuplicateRole(String),
    /// A legacy alias is declared twice.
    #[error("duplicate legacy key `{0}`")]
    DuplicateLegacy(String),
    /// An action word is listed twice.
    #[error("duplicate action `{0}`")]
    DuplicateAction(String),
    /// A name (key, module, action, catalog, legacy key) is not well formed.
    #[error("malformed name `{name}`: {fault}")]
    Malformed {
        /// The offending name.
        name: String,
        /// Why.
        fault: NameFault,
    },
    /// A key's first segment is not a declared module.
    #[error("key `{key}` is in undeclared module `{module}`")]
    UndeclaredModule {
        /// The key.
        key: String,
        /// Its first segment.
        module: String,
    },
    /// A key belongs to a module still marked `reserved`.
    #[error(
        "key `{key}` is in reserved module `{module}`: mark the module active before adding keys"
    )]
    ReservedModule {
        /// The key.
        key: String,
        /// The reserved module.
        module: String,
    },
    /// A key's last segment is not in `[catalog].actions`.
    #[error("key `{key}` uses action `{action}`, which is not listed in [catalog].actions")]
    UnknownAction {
        /// The key.
        key: String,
        /// Its last segment.
        action: String,
    },
    /// A legacy alias names a replacement that is not a key of the catalog.
    #[error("legacy key `{legacy}` points to unknown key `{target}`")]
    UnknownReplacement {
        /// The legacy key.
        legacy: String,
        /// The missing replacement.
        target: String,
    },
    /// A legacy alias (key or module) must have exactly one of `replacement` and `dropped`.
    #[error("legacy name `{0}` needs exactly one of `replacement` or `dropped`")]
    LegacyTarget(String),
    /// A legacy alias with a replacement does not say how the replacement compares.
    #[error(
        "legacy key `{0}` has a replacement but no `class`: say whether it is \"exact\", \"narrower\" or \"wider\""
    )]
    LegacyClassMissing(String),
    /// A dropped legacy alias has a `class` (only a replacement has one).
    #[error("legacy key `{0}` is dropped, so it cannot have a `class`")]
    LegacyClassOnDropped(String),
    /// A legacy module alias is declared twice.
    #[error("duplicate legacy module `{0}`")]
    DuplicateLegacyModule(String),
    /// A legacy module alias has the name of a declared module.
    #[error("legacy module `{0}` is also a declared module of the catalog")]
    LegacyShadowsModule(String),
    /// A legacy module alias names a replacement that is not a declared, active, non-external
    /// module.
    #[error(
        "legacy module `{legacy}` points to `{target}`, which is not a declared, active, non-external module"
    )]
    BadModuleReplacement {
        /// The legacy module.
        legacy: String,
        /// The bad replacement.
        target: String,
    },
    /// A legacy alias has the name of a live key.
    #[error("legacy key `{0}` is also a live key of the catalog")]
    LegacyShadowsKey(String),
    /// A role pattern (in `grants`, `own_only` or `except`) matches no key.
    #[error("role `{role}`: pattern `{pattern}` matches no key")]
    PatternMatchesNothing {
        /// The role.
        role: String,
        /// The pattern.
        pattern: String,
    },
    /// A role includes a role that is not declared.
    #[error("role `{role}` includes unknown role `{include}`")]
    UnknownInclude {
        /// The role.
        role: String,
        /// The missing role.
        include: String,
    },
    /// A role pattern is longer than [`MAX_PATTERN_LEN`](super::MAX_PATTERN_LEN) bytes: it could
    /// match no key.
    #[error(
        "role `{role}`: pattern `{pattern}` is {len} bytes long (at most {max})",
        max = super::MAX_PATTERN_LEN
    )]
    PatternTooLong {
        /// The role.
        role: String,
        /// The pattern (cut to 80 characters).
        pattern: String,
        /// Its length in bytes.
        len: usize,
    },
    /// Role includes form a cycle.
    #[error("role `{0}` includes itself (directly or through other roles)")]
    RoleCycle(String),
    /// A role name is empty or too long.
    #[error("role name `{0}` must be 1 to 64 bytes")]
    BadRoleName(String),
    /// An add-on's `attaches_to` names a module that is not a base module.
    #[error("add-on `{addon}` attaches to `{target}`, which is not a declared base module")]
    AttachesToNonBase {
        /// The add-on.
        addon: String,
        /// The bad target.
        target: String,
    },
    /// An add-on attaches to nothing, so no company could ever use it.
    #[error("add-on `{0}` has an empty `attaches_to`")]
    AddonWithoutBase(String),
    /// `attaches_to` on a module that is not an add-on.
    #[error("module `{0}` is not an add-on but declares `attaches_to`")]
    AttachesOnNonAddon(String),
    /// The module's kind does not fit the catalog's `commercial` setting.
    #[error(
        "module `{module}` has kind `{kind}`, which a catalog with commercial = {commercial} cannot declare"
    )]
    KindNotAllowed {
        /// The module.
        module: String,
        /// Its kind.
        kind: &'static str,
        /// The catalog's setting.
        commercial: bool,
    },
    /// More entries than the engine supports.
    #[error("too many {what}: {count} (at most {max})")]
    TooMany {
        /// What overflowed (`modules`, `keys`, ...).
        what: &'static str,
        /// How many were declared.
        count: usize,
        /// The limit.
        max: usize,
    },
}
