//! What a request that is not let through gets: a status and a small JSON body with a stable
//! code. Bodies never carry the token, a claim value or an error chain; details go to `tracing`.

use axum::Json;
use axum::http::header::WWW_AUTHENTICATE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kisum_access::Denial;
use serde::Serialize;

/// Why a token was not accepted (HTTP 401). [`TokenError::code`] is the body's `code`.
///
/// This enum is `#[non_exhaustive]`: new checks may be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// No `Authorization` header.
    #[error("no Authorization header")]
    Missing,
    /// The header is not `Bearer <token>`, the token is longer than
    /// [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN), or it is not a well-formed JWT.
    #[error("malformed token: {0}")]
    Malformed(String),
    /// The signature does not verify with the configured key, or the algorithm is not the key's.
    #[error("bad signature or algorithm")]
    BadSignature,
    /// `exp` has passed.
    #[error("token expired")]
    Expired,
    /// `nbf` is in the future.
    #[error("token not yet valid")]
    NotYetValid,
    /// `aud` is not the configured audience.
    #[error("wrong audience")]
    WrongAudience,
    /// `iss` is not the configured issuer.
    #[error("wrong issuer")]
    WrongIssuer,
    /// A required registered claim (`exp`, and `iss`/`aud` when configured) is missing.
    #[error("required claim `{0}` missing")]
    MissingClaim(String),
    /// The claims do not compile against the catalog (legacy key without the opt-in, unknown
    /// key, misspelt restriction, ...); the message names the offending value.
    #[error("claims rejected: {0}")]
    Claims(String),
}

impl TokenError {
    /// The stable code in the 401 body.
    pub const fn code(&self) -> &'static str {
        match self {
            TokenError::Missing => "token_missing",
            TokenError::Malformed(_) => "token_malformed",
            TokenError::BadSignature => "token_bad_signature",
            TokenError::Expired => "token_expired",
            TokenError::NotYetValid => "token_not_yet_valid",
            TokenError::WrongAudience => "token_wrong_audience",
            TokenError::WrongIssuer => "token_wrong_issuer",
            TokenError::MissingClaim(_) => "token_claim_missing",
            TokenError::Claims(_) => "token_claims_rejected",
        }
    }
}

/// A request that is not let through: the rejection of the layer and of the extractors.
///
/// | variant | status | body |
/// | --- | --- | --- |
/// | [`Rejection::Unauthorized`] | 401 | `{"code": "token_expired"}` |
/// | [`Rejection::Forbidden`] | 403 | `{"code": "out_of_scope", "layer": "scope"}` |
/// | [`Rejection::BadRequest`] | 400 | `{"code": "scope_param_invalid", "param": "amount"}` |
/// | [`Rejection::Internal`] | 500 | `{"code": "entitlements_unavailable"}` |
///
/// This enum is `#[non_exhaustive]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// The token is missing or not accepted.
    #[error("401: {0}")]
    Unauthorized(TokenError),
    /// A layer denied.
    #[error("403: {0}")]
    Forbidden(Denial),
    /// A scope parameter the app named is missing or not valid (`code` is
    /// `scope_param_missing` or `scope_param_invalid`; `param` is the parameter's name).
    #[error("400: {code} `{param}`")]
    BadRequest {
        /// The stable code.
        code: &'static str,
        /// The parameter's name, as the app configured it.
        param: &'static str,
    },
    /// The server could not decide: `entitlements_unavailable` (the provider failed),
    /// `entitlements_invalid` (it returned data the catalog refuses), `layer_missing` (an
    /// extractor on a route without the layer).
    #[error("500: {0}")]
    Internal(&'static str),
}

impl Rejection {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Rejection::Forbidden(_) => StatusCode::FORBIDDEN,
            Rejection::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Rejection::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code in the body.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Unauthorized(e) => e.code(),
            Rejection::Forbidden(d) => d.code(),
            Rejection::BadRequest { code, .. } => code,
            Rejection::Internal(code) => code,
        }
    }
}

impl From<TokenError> for Rejection {
    fn from(e: TokenError) -> Self {
        Rejection::Unauthorized(e)
    }
}

#[derive(Serialize)]
struct Body {
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    layer: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    param: Option<&'static str>,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let body = Body {
            code: self.code(),
            layer: match &self {
                Rejection::Forbidden(d) => Some(d.layer().code()),
                _ => None,
            },
            param: match &self {
                Rejection::BadRequest { param, .. } => Some(param),
                _ => None,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Rejection::Unauthorized(_) = self {
            // RFC 6750: a 401 names the scheme; the reason stays in the body's code.
            let bearer = HeaderValue::from_static("Bearer");
            response.headers_mut().insert(WWW_AUTHENTICATE, bearer);
        }
        response
    }
}
