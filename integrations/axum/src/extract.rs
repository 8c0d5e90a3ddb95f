//! Extractors that decide before the handler runs: the subject itself, a key in the request's
//! scope ([`Authorized`]), and a key over a list ([`Listed`]).

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use kisum_access::{Decision, KeyType, Scope, ScopeFilter, Subject, decide};

use crate::layer::Authenticated;
use crate::params::RequestScope;
use crate::reject::Rejection;
use crate::row::Scoped;
use crate::trace;

fn authenticated(parts: &Parts) -> Result<&Authenticated, Rejection> {
    parts
        .extensions
        .get::<Authenticated>()
        .ok_or(Rejection::Internal("layer_missing"))
}

/// The request's [`Subject`], shared with the layer's cache.
#[derive(Debug, Clone)]
pub struct CurrentSubject(pub Arc<Subject>);

impl std::ops::Deref for CurrentSubject {
    type Target = Subject;
    fn deref(&self) -> &Subject {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentSubject {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Rejection> {
        authenticated(parts).map(|a| CurrentSubject(Arc::clone(&a.subject)))
    }
}

/// The subject may use key `K` in the request's scope, decided before the handler runs; a denial
/// is answered 403 `{code, layer}`.
///
/// The scope is read from the parameters the layer names ([`ScopeParams`](crate::ScopeParams)).
/// When the request carries only the company, layers 1–3 are decided here and layer 4 (business
/// unit, workflow, owner, amount) by the handler on the row it loads: [`Authorized::require`].
/// When it carries more, all layers are decided here.
///
/// ```
/// use axum::extract::Path;
/// use kisum_access::key_types::FinanceBillView;
/// use kisum_access_axum::{Authorized, Rejection};
///
/// async fn get_bill(
///     auth: Authorized<FinanceBillView>,
///     Path((_company, id)): Path<(String, u64)>,
/// ) -> Result<String, Rejection> {
///     let business_unit = "bu-x"; // from the row `id`
///     auth.require(|scope| scope.business_unit(business_unit))?;
///     Ok(format!("bill {id}"))
/// }
/// ```
#[derive(Debug)]
pub struct Authorized<K> {
    subject: Arc<Subject>,
    scope: RequestScope,
    key: PhantomData<fn() -> K>,
}

impl<K: KeyType> Authorized<K> {
    /// The subject.
    pub fn subject(&self) -> &Arc<Subject> {
        &self.subject
    }

    /// The company of the request.
    pub fn company(&self) -> &str {
        &self.scope.company
    }

    /// The request's scope, as read from its parameters.
    pub fn scope(&self) -> Scope<'_> {
        self.scope.scope()
    }

    /// Decides `K` on the request's scope narrowed by `row` (the loaded resource's business unit,
    /// owner, amount): layer 4 for a row. Allocates nothing when no subscriber listens to the
    /// decision events.
    ///
    /// # Errors
    ///
    /// [`Rejection::Forbidden`] with the denial (answered 403 `{code, layer}`).
    pub fn require<'a>(
        &'a self,
        row: impl FnOnce(Scope<'a>) -> Scope<'a>,
    ) -> Result<(), Rejection> {
        let scope = row(self.scope.scope());
        let outcome = match decide(&self.subject, K::KEY, &scope) {
            Decision::Allow => Ok(()),
            Decision::Deny(d) => Err(d),
        };
        trace::decision(&self.subject, K::KEY, scope.company_id(), outcome);
        outcome.map_err(Rejection::Forbidden)
    }

    /// [`Authorized::require`] with the scope `row` gives itself ([`Scoped`], often written with
    /// [`scoped!`](crate::scoped)): layer 4 on a loaded resource, its amount included.
    ///
    /// # Errors
    ///
    /// [`Rejection::Forbidden`] with the denial (answered 403 `{code, layer}`).
    pub fn require_row<'a, R: Scoped + ?Sized>(&'a self, row: &'a R) -> Result<(), Rejection> {
        self.require(|scope| row.scope(scope))
    }
}

impl<K: KeyType, S: Send + Sync> FromRequestParts<S> for Authorized<K> {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Rejection> {
        let auth = authenticated(parts)?.clone();
        let scope = RequestScope::read(parts, &auth.params).await?;
        let outcome = if scope.company_only() {
            auth.subject.check(K::KEY, &scope.company)
        } else {
            match decide(&auth.subject, K::KEY, &scope.scope()) {
                Decision::Allow => Ok(()),
                Decision::Deny(d) => Err(d),
            }
        };
        trace::decision(&auth.subject, K::KEY, &scope.company, outcome);
        outcome.map_err(Rejection::Forbidden)?;
        Ok(Authorized {
            subject: auth.subject,
            scope,
            key: PhantomData,
        })
    }
}

/// The subject may list resources of key `K` in the request's company: what part of it they
/// reach ([`Listed::filter`]) for the list query. A subject that reaches nothing is answered 403
/// before the handler runs.
#[derive(Debug)]
pub struct Listed<K> {
    subject: Arc<Subject>,
    company: String,
    key: PhantomData<fn() -> K>,
}

impl<K: KeyType> Listed<K> {
    /// The subject.
    pub fn subject(&self) -> &Arc<Subject> {
        &self.subject
    }

    /// The company of the request.
    pub fn company(&self) -> &str {
        &self.company
    }

    /// What part of the company the subject reaches with `K`: never
    /// [`ScopeFilter::None`] (that was answered 403).
    pub fn filter(&self) -> ScopeFilter<'_> {
        self.subject.filter(K::KEY, &self.company)
    }

    /// [`Listed::filter`] as a `WHERE` condition over the table's `columns` (feature `sql`):
    /// the company, and the union of what the subject reaches, with every value bound. A column
    /// the table lacks matches no restriction on it; a `NULL` never matches one.
    #[cfg(feature = "sql")]
    pub fn condition(&self, columns: &kisum_access::sql::Columns) -> sea_query::Condition {
        self.filter().to_condition(columns)
    }
}

impl<K: KeyType, S: Send + Sync> FromRequestParts<S> for Listed<K> {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Rejection> {
        let auth = authenticated(parts)?.clone();
        let scope = RequestScope::read(parts, &auth.params).await?;
        let outcome = match auth.subject.filter(K::KEY, &scope.company) {
            ScopeFilter::None(d) => Err(d),
            _ => Ok(()),
        };
        trace::decision(&auth.subject, K::KEY, &scope.company, outcome);
        outcome.map_err(Rejection::Forbidden)?;
        Ok(Listed {
            subject: auth.subject,
            company: scope.company,
            key: PhantomData,
        })
    }
}
