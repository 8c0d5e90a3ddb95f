//! Options for compiling claims.

/// Options for building a subject from claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimsOptions {
    /// Translate legacy (`basic.*`) keys to their replacements instead of refusing them — for the
    /// migration window only. Dropped legacy keys grant nothing. Every translation is reported by
    /// [`Subject::legacy_translations`](crate::Subject::legacy_translations). Off by default.
    pub translate_legacy: bool,
}

impl ClaimsOptions {
    /// Sets [`ClaimsOptions::translate_legacy`].
    pub fn translate_legacy(mut self, on: bool) -> Self {
        self.translate_legacy = on;
        self
    }
}
