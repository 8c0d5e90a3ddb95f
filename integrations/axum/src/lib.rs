//! axum/tower integration of [`kisum_access`]: verified JWTs, subjects cached per token,
//! extractors that decide before the handler runs.
//!
//! # Example: the three endpoints of a bills service
//!
//! ```no_run
//! use axum::{Router, routing::{get, post}, extract::Path};
//! use kisum_access::key_types::{FinanceBillApprove, FinanceBillView};
//! use kisum_access_axum::{Authorized, KisumLayer, Listed, Rejection, StaticEntitlements, Verifier};
//!
//! async fn list(bills: Listed<FinanceBillView>) -> String {
//!     format!("{:?}", bills.filter()) // put it in the WHERE clause
//! }
//! async fn show(auth: Authorized<FinanceBillView>, Path((_, id)): Path<(String, u64)>)
//!     -> Result<String, Rejection> {
//!     auth.require(|s| s.business_unit("bu-x"))?; // the row's business unit
//!     Ok(format!("bill {id}"))
//! }
//! async fn approve(auth: Authorized<FinanceBillApprove>, Path((_, id)): Path<(String, u64)>)
//!     -> Result<String, Rejection> {
//!     auth.require(|s| s.business_unit("bu-x").amount(12_500))?; // the row's unit and amount
//!     Ok(format!("approved {id}"))
//! }
//!
//! # async fn run() -> std::io::Result<()> {
//! let layer = KisumLayer::builder(
//!     Verifier::hs256(b"dev secret, 32 bytes or more......").audience("bills"),
//!     StaticEntitlements::new([("acme", &["promoter", "finance"][..])]),
//! )
//! .build();
//! let app = Router::new()
//!     .route("/companies/{company}/bills", get(list))
//!     .route("/companies/{company}/bills/{id}", get(show))
//!     .route("/companies/{company}/bills/{id}/approve", post(approve))
//!     .layer(layer);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! axum::serve(listener, app).await
//! # }
//! ```
//!
//! # Responses
//!
//! A request that is not let through gets a [`Rejection`]: 401 `{"code"}` for a missing, invalid
//! or expired token ([`TokenError`]), 403 `{"code", "layer"}` for a denial, 500 `{"code"}` when the
//! entitlements provider fails. Bodies never carry the token or an error chain.
//!
//! # Tracing
//!
//! Each decision is a `tracing` event with target `kisum_access` and fields `key`, `company`,
//! `outcome`, and for denials `layer` and `code` (allows at DEBUG, denials at INFO). Refused
//! tokens and provider failures are events too, without the token.
#![forbid(unsafe_code)]
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]

mod cache;
mod extract;
mod layer;
mod params;
mod provider;
mod reject;
pub mod row;
mod trace;
mod verify;

pub use cache::{CacheConfig, CacheStats, DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_TTL};
pub use extract::{Authorized, CurrentSubject, Listed};
pub use layer::{KisumLayer, KisumLayerBuilder, KisumService};
pub use params::{Param, ScopeParams};
pub use provider::{EntitlementsProvider, ProviderError, StaticEntitlements};
pub use reject::{Rejection, TokenError};
pub use verify::{DEFAULT_LEEWAY_SECS, KeyError, MAX_TOKEN_LEN, Verifier};

/// What an app needs, in one import: the extractors, [`Rejection`], the layer and its
/// configuration, [`Scoped`](row::Scoped) and [`scoped!`], the request [`Scope`](row::Scope),
/// every key type of the embedded catalog ([`kisum_access::key_types`]), and with feature `sql`
/// the table's [`Columns`](kisum_access::sql::Columns).
///
/// The key types are many but named after their keys (`FinanceBillView`); a type of the app's
/// with the same name takes precedence over the glob import.
pub mod prelude {
    pub use crate::row::{Scope, Scoped};
    pub use crate::{
        Authorized, CacheConfig, CurrentSubject, EntitlementsProvider, KisumLayer, Listed, Param,
        Rejection, ScopeParams, StaticEntitlements, Verifier, scoped,
    };
    pub use kisum_access::key_types::*;
    #[cfg(feature = "sql")]
    pub use kisum_access::sql::Columns;
}
