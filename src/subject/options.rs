//! Options for compiling claims.

/// Options for building a subject from claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimsOptions {
    /// Translate legacy (`basic.*`) keys to their replacements instead of refusing them — for the
    /// migration window only. Dropped legacy keys grant nothing. Every translation is reported by
    /// [`Subject::legacy_translations`](crate::Subject::legacy_translations). Off by default.
    pub translate_legacy: bool,
    /// What to do with well-formed keys, roles and modules this catalog does not know:
    /// [`UnknownNames::Skip`] by default.
    pub unknown_names: UnknownNames,
}

/// What to do with a well-formed key, role or module that the catalog does not know, as when
/// Auth or Core ship a name before this service is rebuilt with the catalog that has it.
///
/// Malformed names, legacy keys (without the opt-in) and keys of external modules are errors in
/// either mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnknownNames {
    /// Skip it and report it ([`Subject::skipped_names`](crate::Subject::skipped_names)): it grants
    /// nothing, and skipping can only narrow access. One new name does not lock the user out of
    /// every company. The default.
    #[default]
    Skip,
    /// Refuse the whole token with an error naming it: for the Auth service itself, and tests.
    Reject,
}

impl ClaimsOptions {
    /// Sets [`ClaimsOptions::translate_legacy`].
    pub fn translate_legacy(mut self, on: bool) -> Self {
        self.translate_legacy = on;
        self
    }

    /// Sets [`ClaimsOptions::unknown_names`].
    pub fn unknown_names(mut self, mode: UnknownNames) -> Self {
        self.unknown_names = mode;
        self
    }
}
