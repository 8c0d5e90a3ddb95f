//! Token verification with `jsonwebtoken`: signature (HS256, RS256 or ES256), `exp`, `nbf`, and
//! `iss`/`aud` when configured.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use kisum_access::Claims;
use serde_json::error::Category;

use crate::reject::TokenError;

/// Longest bearer token accepted, in bytes; a longer one is [`TokenError::Malformed`] before it is
/// decoded. Claims inside are bounded again by the core crate's limits.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Clock skew allowed on `exp` and `nbf`, in seconds, unless [`Verifier::leeway`] says otherwise.
pub const DEFAULT_LEEWAY_SECS: u64 = 30;

/// A key that could not be read (not PEM, or not the algorithm's key type).
#[derive(Debug, thiserror::Error)]
#[error("cannot read the {algorithm} verification key: {source}")]
pub struct KeyError {
    algorithm: &'static str,
    source: jsonwebtoken::errors::Error,
}

/// Checks tokens: one key and its algorithm, the expected issuer and audience.
///
/// ```
/// use kisum_access_axum::Verifier;
///
/// let verifier = Verifier::hs256(b"a shared secret of at least 32 bytes!")
///     .issuer("https://auth.kisum.example")
///     .audience("bills");
/// # let _ = verifier;
/// ```
#[derive(Clone)]
pub struct Verifier {
    key: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("algorithms", &self.validation.algorithms)
            .field("iss", &self.validation.iss)
            .field("aud", &self.validation.aud)
            .field("leeway", &self.validation.leeway)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    fn new(key: DecodingKey, algorithm: Algorithm) -> Self {
        let mut validation = Validation::new(algorithm);
        validation.validate_nbf = true;
        validation.leeway = DEFAULT_LEEWAY_SECS;
        // Without a configured audience, a token that names one is refused.
        validation.validate_aud = true;
        Verifier { key, validation }
    }

    /// HMAC with SHA-256 and a shared secret.
    pub fn hs256(secret: &[u8]) -> Self {
        Self::new(DecodingKey::from_secret(secret), Algorithm::HS256)
    }

    /// RSA PKCS#1 v1.5 with SHA-256; `pem` is the issuer's public key.
    ///
    /// # Errors
    ///
    /// [`KeyError`] if `pem` is not an RSA public key in PEM.
    pub fn rs256_pem(pem: &[u8]) -> Result<Self, KeyError> {
        DecodingKey::from_rsa_pem(pem)
            .map(|k| Self::new(k, Algorithm::RS256))
            .map_err(|source| KeyError {
                algorithm: "RS256",
                source,
            })
    }

    /// ECDSA on P-256 with SHA-256; `pem` is the issuer's public key.
    ///
    /// # Errors
    ///
    /// [`KeyError`] if `pem` is not an EC public key in PEM.
    pub fn es256_pem(pem: &[u8]) -> Result<Self, KeyError> {
        DecodingKey::from_ec_pem(pem)
            .map(|k| Self::new(k, Algorithm::ES256))
            .map_err(|source| KeyError {
                algorithm: "ES256",
                source,
            })
    }

    /// Accept only tokens whose `iss` is `issuer` (and require `iss`).
    pub fn issuer(mut self, issuer: &str) -> Self {
        self.validation.set_issuer(&[issuer]);
        self.validation.required_spec_claims.insert("iss".into());
        self
    }

    /// Accept only tokens whose `aud` is or contains `audience` (and require `aud`).
    pub fn audience(mut self, audience: &str) -> Self {
        self.validation.set_audience(&[audience]);
        self.validation.required_spec_claims.insert("aud".into());
        self
    }

    /// Clock skew allowed on `exp` and `nbf` ([`DEFAULT_LEEWAY_SECS`] unless set).
    pub fn leeway(mut self, secs: u64) -> Self {
        self.validation.leeway = secs;
        self
    }

    /// Verifies `token` and returns its Kisum claims and its `exp`.
    pub(crate) fn verify(&self, token: &str) -> Result<(Claims, u64), TokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::Malformed(format!(
                "{} bytes, at most {MAX_TOKEN_LEN}",
                token.len()
            )));
        }
        let claims = jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .map_err(|e| token_error(e.into_kind()))?
            .claims;
        let exp = claims
            .expires_at()
            .ok_or(TokenError::MissingClaim("exp".into()))?;
        Ok((claims, exp))
    }
}

fn token_error(kind: ErrorKind) -> TokenError {
    match kind {
        ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm => TokenError::BadSignature,
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::ImmatureSignature => TokenError::NotYetValid,
        ErrorKind::InvalidAudience => TokenError::WrongAudience,
        ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
        ErrorKind::MissingRequiredClaim(c) => TokenError::MissingClaim(c),
        // Well-formed JSON that is not Kisum claims (a misspelt restriction, an oversized list).
        ErrorKind::Json(e) if e.classify() == Category::Data => TokenError::Claims(e.to_string()),
        other => TokenError::Malformed(format!("{other:?}")),
    }
}
