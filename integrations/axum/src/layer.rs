//! The tower layer: bearer token -> verified claims -> entitlements -> cached `Subject`, put in
//! the request's extensions for the extractors.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::response::{IntoResponse, Response};
use kisum_access::{Catalog, ClaimsError, ClaimsOptions, Entitlements, ErrorOrigin, Subject};
use tower_layer::Layer;
use tower_service::Service;

use crate::cache::{CacheConfig, CacheStats, Lookup, SubjectCache};
use crate::params::ScopeParams;
use crate::provider::EntitlementsProvider;
use crate::reject::{Rejection, TokenError};
use crate::verify::Verifier;

/// What the layer leaves in the request's extensions for the extractors.
#[derive(Clone)]
pub(crate) struct Authenticated {
    pub(crate) subject: Arc<Subject>,
    pub(crate) params: ScopeParams,
}

struct Shared<P> {
    verifier: Verifier,
    provider: P,
    catalog: Catalog,
    options: ClaimsOptions,
    params: ScopeParams,
    cache: SubjectCache,
}

/// The tower [`Layer`]: every request must carry `Authorization: Bearer <jwt>`; the layer verifies
/// it, builds (or takes from its cache) the [`Subject`], and hands it to the extractors
/// ([`CurrentSubject`](crate::CurrentSubject), [`Authorized`](crate::Authorized),
/// [`Listed`](crate::Listed)). A missing or bad token is answered 401, a provider failure 500,
/// before the handler runs. Clones share the cache.
pub struct KisumLayer<P> {
    shared: Arc<Shared<P>>,
}

impl<P> Clone for KisumLayer<P> {
    fn clone(&self) -> Self {
        KisumLayer {
            shared: Arc::clone(&self.shared),
        }
    }
}

/// Builds a [`KisumLayer`]: [`KisumLayer::builder`].
pub struct KisumLayerBuilder<P> {
    verifier: Verifier,
    provider: P,
    catalog: Catalog,
    options: ClaimsOptions,
    params: ScopeParams,
    cache: CacheConfig,
}

impl<P: EntitlementsProvider> KisumLayer<P> {
    /// A layer checking tokens with `verifier` and asking `provider` for entitlements; the
    /// embedded catalog, the default [`CacheConfig`] and [`ScopeParams`], no legacy translation.
    pub fn builder(verifier: Verifier, provider: P) -> KisumLayerBuilder<P> {
        KisumLayerBuilder {
            verifier,
            provider,
            catalog: Catalog::embedded().clone(),
            options: ClaimsOptions::default(),
            params: ScopeParams::default(),
            cache: CacheConfig::default(),
        }
    }

    /// Hit and miss counts of the subject cache.
    pub fn cache_stats(&self) -> CacheStats {
        self.shared.cache.stats()
    }

    /// The entitlements provider.
    pub fn provider(&self) -> &P {
        &self.shared.provider
    }
}

impl<P: EntitlementsProvider> KisumLayerBuilder<P> {
    /// Checks tokens against `catalog` instead of the embedded one.
    pub fn catalog(mut self, catalog: Catalog) -> Self {
        self.catalog = catalog;
        self
    }

    /// Options for compiling claims (legacy translation for the migration window).
    pub fn claims_options(mut self, options: ClaimsOptions) -> Self {
        self.options = options;
        self
    }

    /// Where the extractors read the scope.
    pub fn scope_params(mut self, params: ScopeParams) -> Self {
        self.params = params;
        self
    }

    /// The subject cache's size and lifetime.
    pub fn cache(mut self, config: CacheConfig) -> Self {
        self.cache = config;
        self
    }

    /// The layer.
    pub fn build(self) -> KisumLayer<P> {
        KisumLayer {
            shared: Arc::new(Shared {
                verifier: self.verifier,
                provider: self.provider,
                catalog: self.catalog,
                options: self.options,
                params: self.params,
                cache: SubjectCache::new(self.cache),
            }),
        }
    }
}

impl<P: EntitlementsProvider> Shared<P> {
    async fn authenticate(&self, headers: &HeaderMap) -> Result<Arc<Subject>, Rejection> {
        let token = bearer(headers)?;
        let revision = self.provider.revision();
        let (subject, expires_at) = match self.cache.get(token, revision) {
            Lookup::Hit(subject) => return Ok(subject),
            // The same token, verified before and not expired: only the entitlements are new.
            Lookup::Stale(old, expires_at) => {
                let entitlements = self.entitlements(old.companies()).await?;
                let subject = old.with_entitlements(&entitlements).map_err(refused)?;
                (subject, expires_at)
            }
            Lookup::Miss => {
                let (claims, expires_at) = self.verifier.verify(token).inspect_err(|e| {
                    tracing::info!(target: "kisum_access", code = e.code(), error = %e, "token refused");
                })?;
                let companies = claims.memberships.iter().map(|m| m.company.as_str());
                let entitlements = self.entitlements(companies).await?;
                let subject =
                    Subject::from_claims_with(&self.catalog, &claims, &entitlements, self.options)
                        .map_err(refused)?;
                (subject, expires_at)
            }
        };
        let subject = Arc::new(subject);
        self.cache
            .insert(token, revision, expires_at, Arc::clone(&subject));
        Ok(subject)
    }

    async fn entitlements<'c>(
        &self,
        companies: impl Iterator<Item = &'c str>,
    ) -> Result<Vec<Entitlements>, Rejection> {
        let companies: Vec<&str> = companies.collect();
        self.provider.entitlements(&companies).await.map_err(|e| {
            tracing::error!(target: "kisum_access", error = %e, "entitlements provider failed");
            Rejection::Internal("entitlements_unavailable")
        })
    }
}

/// A subject that could not be built: the token's fault (401) or Core's (500).
fn refused(e: ClaimsError) -> Rejection {
    match e.origin() {
        ErrorOrigin::Entitlements => {
            tracing::error!(target: "kisum_access", error = %e, "entitlements refused by the catalog");
            Rejection::Internal("entitlements_invalid")
        }
        _ => {
            tracing::info!(target: "kisum_access", code = "token_claims_rejected", error = %e, "token refused");
            Rejection::Unauthorized(TokenError::Claims(e.to_string()))
        }
    }
}

fn bearer(headers: &HeaderMap) -> Result<&str, TokenError> {
    let value = headers.get(AUTHORIZATION).ok_or(TokenError::Missing)?;
    let value = value
        .to_str()
        .map_err(|_| TokenError::Malformed("Authorization is not text".into()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() => {
            Ok(token.trim())
        }
        _ => Err(TokenError::Malformed(
            "Authorization is not `Bearer <token>`".into(),
        )),
    }
}

impl<S, P> Layer<S> for KisumLayer<P> {
    type Service = KisumService<S, P>;

    fn layer(&self, inner: S) -> Self::Service {
        KisumService {
            inner,
            shared: Arc::clone(&self.shared),
        }
    }
}

/// The service [`KisumLayer`] wraps around the app's.
pub struct KisumService<S, P> {
    inner: S,
    shared: Arc<Shared<P>>,
}

impl<S: Clone, P> Clone for KisumService<S, P> {
    fn clone(&self) -> Self {
        KisumService {
            inner: self.inner.clone(),
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<S, P> Service<Request> for KisumService<S, P>
where
    S: Service<Request> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send,
    P: EntitlementsProvider,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        // The clone is the one that was not polled ready; take the ready one (tower's idiom).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let shared = Arc::clone(&self.shared);
        Box::pin(async move {
            match shared.authenticate(req.headers()).await {
                Ok(subject) => {
                    let params = shared.params;
                    req.extensions_mut()
                        .insert(Authenticated { subject, params });
                    inner.call(req).await.map(IntoResponse::into_response)
                }
                Err(rejection) => Ok(rejection.into_response()),
            }
        })
    }
}
