//! What a company bought, as Core reports it.

use serde::{Deserialize, Serialize};

use super::bounded;

/// What a company bought (from Core): `{"company": "acme", "modules": ["promoter", "finance"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entitlements {
    /// The company id.
    #[serde(deserialize_with = "bounded::id")]
    pub company: String,
    /// Modules (base and add-ons) the company bought.
    #[serde(deserialize_with = "bounded::ids")]
    pub modules: Vec<String>,
    /// Core's revision of this company's entitlements, if it keeps one: a subject reports the
    /// revision it was built with ([`Subject::entitlements_revision`]), so a cache of subjects can
    /// key on it and miss when the company buys or cancels a module.
    ///
    /// [`Subject::entitlements_revision`]: crate::Subject::entitlements_revision
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
}

impl Entitlements {
    /// Entitlements of `company` to `modules`.
    pub fn new<S: Into<String>>(
        company: impl Into<String>,
        modules: impl IntoIterator<Item = S>,
    ) -> Self {
        Entitlements {
            company: company.into(),
            modules: modules.into_iter().map(Into::into).collect(),
            revision: None,
        }
    }

    /// Sets [`Entitlements::revision`].
    pub fn revision(mut self, revision: u64) -> Self {
        self.revision = Some(revision);
        self
    }
}
