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
        }
    }
}
