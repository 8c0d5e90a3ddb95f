//! Options for compiling claims.

/// Options for building a subject from claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimsOptions {
    /// Translate legacy names instead of refusing them — for the migration window only. Off by
    /// default.
    ///
    /// With it, a legacy key whose replacement is [`exact`](crate::AliasClass::Exact) or
    /// [`narrower`](crate::AliasClass::Narrower) becomes its replacement (with the same
    /// restrictions); a legacy module (`basic`), in the token's `modules`, in a delegation policy
    /// or in Core's entitlements, becomes its replacement (`promoter`); a dropped legacy key or
    /// module grants nothing. A [`wider`](crate::AliasClass::Wider) replacement is refused
    /// ([`ClaimsError::WideningTranslation`](crate::ClaimsError::WideningTranslation)) unless
    /// [`ClaimsOptions::allow_widening`] is on too. Every translation is reported, with its class,
    /// by [`Subject::legacy_translations`](crate::Subject::legacy_translations).
    pub translate_legacy: bool,
    /// With [`ClaimsOptions::translate_legacy`], also translate legacy keys whose replacement is
    /// wider than the legacy key (it gates more, e.g. `basic.events.create` -> `promoter.event.edit`,
    /// which also deletes): the user gains access the legacy key never gave. Such translations are
    /// marked as widening in [`Subject::legacy_translations`](crate::Subject::legacy_translations)
    /// and in [`explain`](crate::explain). Off by default; without `translate_legacy` it has no
    /// effect (legacy names are refused anyway).
    pub allow_widening: bool,
    /// What to do with well-formed keys, roles and modules this catalog does not know:
    /// [`UnknownNames::Skip`] by default.
    pub unknown_names: UnknownNames,
}

/// What to do with a well-formed key, role or module that the catalog does not know, as when
/// Auth or Core ship a name before this service is rebuilt with the catalog that has it.
///
/// Malformed names, legacy keys and modules (without the opt-in) and keys of external modules are
/// errors in either mode: a legacy name is never unknown.
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

    /// Sets [`ClaimsOptions::allow_widening`].
    pub fn allow_widening(mut self, on: bool) -> Self {
        self.allow_widening = on;
        self
    }

    /// Sets [`ClaimsOptions::unknown_names`].
    pub fn unknown_names(mut self, mode: UnknownNames) -> Self {
        self.unknown_names = mode;
        self
    }
}
