//! Where company entitlements come from (Core): an async trait, and an in-memory implementation.

use std::collections::HashMap;
use std::future::Future;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use kisum_access::Entitlements;

/// The provider could not answer (Core unreachable, a timeout, ...). The request gets a 500 with
/// `{"code": "entitlements_unavailable"}`; this error goes to `tracing`, never into the body.
#[derive(Debug, thiserror::Error)]
#[error("entitlements provider failed: {0}")]
pub struct ProviderError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl ProviderError {
    /// Wraps any error.
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ProviderError(e.into())
    }
}

/// Company entitlements (what each company bought), asked once per token that misses the cache.
///
/// ```
/// use kisum_access::Entitlements;
/// use kisum_access_axum::{EntitlementsProvider, ProviderError};
///
/// struct Core; // a client of the Core service
///
/// impl EntitlementsProvider for Core {
///     async fn entitlements(&self, companies: &[&str]) -> Result<Vec<Entitlements>, ProviderError> {
///         Ok(companies.iter().map(|c| Entitlements::new(*c, ["promoter"])).collect())
///     }
/// }
/// ```
pub trait EntitlementsProvider: Send + Sync + 'static {
    /// The entitlements of `companies` (the token's memberships; no other company is asked for).
    /// A company left out is entitled to nothing.
    ///
    /// # Errors
    ///
    /// [`ProviderError`] when the data cannot be had; the request is answered 500.
    fn entitlements(
        &self,
        companies: &[&str],
    ) -> impl Future<Output = Result<Vec<Entitlements>, ProviderError>> + Send;

    /// The revision of the data: it must change whenever any company's entitlements change.
    /// Cached subjects built at another revision are not used. Cheap: read on every request.
    fn revision(&self) -> u64 {
        0
    }
}

/// Entitlements held in memory, set by the app (tests, a service that receives Core's pushes).
/// Every [`StaticEntitlements::set`] is a new revision.
///
/// ```
/// use kisum_access_axum::{EntitlementsProvider, StaticEntitlements};
///
/// let core = StaticEntitlements::new([("acme", &["promoter", "finance"][..])]);
/// let before = core.revision();
/// core.set("acme", ["promoter"]);
/// assert_ne!(core.revision(), before);
/// ```
#[derive(Debug, Default)]
pub struct StaticEntitlements {
    companies: RwLock<HashMap<String, Entitlements>>,
    revision: AtomicU64,
}

impl StaticEntitlements {
    /// Entitlements of each `(company, modules)`.
    pub fn new<'a>(companies: impl IntoIterator<Item = (&'a str, &'a [&'a str])>) -> Self {
        let map = companies
            .into_iter()
            .map(|(c, m)| (c.to_string(), Entitlements::new(c, m.iter().copied())))
            .collect();
        StaticEntitlements {
            companies: RwLock::new(map),
            revision: AtomicU64::new(0),
        }
    }

    /// Replaces what `company` bought; a new revision.
    pub fn set<S: Into<String>>(&self, company: &str, modules: impl IntoIterator<Item = S>) {
        let e = Entitlements::new(company, modules);
        let mut map = self.companies.write().unwrap_or_else(|p| p.into_inner());
        map.insert(company.to_string(), e);
        self.revision.fetch_add(1, Ordering::Release);
    }
}

impl EntitlementsProvider for StaticEntitlements {
    async fn entitlements(&self, companies: &[&str]) -> Result<Vec<Entitlements>, ProviderError> {
        let map = self.companies.read().unwrap_or_else(|p| p.into_inner());
        Ok(companies
            .iter()
            .filter_map(|c| map.get(*c).cloned())
            .collect())
    }

    fn revision(&self) -> u64 {
        self.revision.load(Ordering::Acquire)
    }
}
