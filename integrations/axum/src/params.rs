//! Which path or query parameters carry the scope of a request.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use kisum_access::Scope;

use crate::reject::Rejection;

/// Where one scope part is read from: a path parameter (`/companies/{company}`) or a query
/// parameter (`?bu=bu-x`), by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// A path parameter of the route.
    Path(&'static str),
    /// A query-string parameter.
    Query(&'static str),
}

impl Param {
    fn name(self) -> &'static str {
        match self {
            Param::Path(n) | Param::Query(n) => n,
        }
    }
}

/// The parameters the app names for the scope; the company is required, the rest are read when
/// the request carries them.
///
/// ```
/// use kisum_access_axum::{Param, ScopeParams};
///
/// let params = ScopeParams::default() // company from the path parameter `company`
///     .business_unit(Param::Query("bu"))
///     .amount(Param::Query("amount"));
/// # let _ = params;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeParams {
    company: Param,
    business_unit: Option<Param>,
    workflow: Option<Param>,
    owner: Option<Param>,
    amount: Option<Param>,
}

impl Default for ScopeParams {
    /// The company from the path parameter `company`; nothing else.
    fn default() -> Self {
        ScopeParams::company(Param::Path("company"))
    }
}

impl ScopeParams {
    /// The company from `param`, nothing else yet.
    pub fn company(param: Param) -> Self {
        ScopeParams {
            company: param,
            business_unit: None,
            workflow: None,
            owner: None,
            amount: None,
        }
    }

    /// The business unit from `param`.
    pub fn business_unit(mut self, param: Param) -> Self {
        self.business_unit = Some(param);
        self
    }

    /// The workflow from `param`.
    pub fn workflow(mut self, param: Param) -> Self {
        self.workflow = Some(param);
        self
    }

    /// The resource owner from `param`.
    pub fn owner(mut self, param: Param) -> Self {
        self.owner = Some(param);
        self
    }

    /// The amount (a whole number) from `param`.
    pub fn amount(mut self, param: Param) -> Self {
        self.amount = Some(param);
        self
    }
}

/// The scope parts one request carries, owned.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestScope {
    pub(crate) company: String,
    business_unit: Option<String>,
    workflow: Option<String>,
    owner: Option<String>,
    amount: Option<u64>,
}

impl RequestScope {
    pub(crate) async fn read(parts: &mut Parts, params: &ScopeParams) -> Result<Self, Rejection> {
        let path = RawPathParams::from_request_parts(parts, &()).await.ok();
        let query = parts.uri.query().unwrap_or("");
        let get = |p: Param| -> Option<String> {
            match p {
                Param::Path(n) => path
                    .as_ref()?
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| v.to_string()),
                Param::Query(n) => form_urlencoded::parse(query.as_bytes())
                    .find(|(k, _)| k == n)
                    .map(|(_, v)| v.into_owned()),
            }
        };
        let company = get(params.company).ok_or(Rejection::BadRequest {
            code: "scope_param_missing",
            param: params.company.name(),
        })?;
        let amount = match params.amount.and_then(|p| Some((p, get(p)?))) {
            None => None,
            Some((p, v)) => Some(v.parse::<u64>().map_err(|_| Rejection::BadRequest {
                code: "scope_param_invalid",
                param: p.name(),
            })?),
        };
        Ok(RequestScope {
            company,
            business_unit: params.business_unit.and_then(get),
            workflow: params.workflow.and_then(get),
            owner: params.owner.and_then(get),
            amount,
        })
    }

    /// Whether the request carries nothing but the company.
    pub(crate) fn company_only(&self) -> bool {
        self.business_unit.is_none()
            && self.workflow.is_none()
            && self.owner.is_none()
            && self.amount.is_none()
    }

    pub(crate) fn scope(&self) -> Scope<'_> {
        Scope::company(&self.company)
            .maybe_business_unit(self.business_unit.as_deref())
            .maybe_workflow(self.workflow.as_deref())
            .maybe_owner(self.owner.as_deref())
            .maybe_amount(self.amount)
    }
}
