//! axum/tower integration of [`kisum_access`]: verified JWTs, subjects cached per token,
//! extractors that decide before the handler runs.
//!
//! # Example: the three endpoints of a bills service
//!
//! One import, one line saying where a bill's scope is, a parameter and a check per handler, and
//! the layer:
//!
//! ```no_run
//! use axum::{Json, Router, extract::Path, routing::{get, post}};
//! use kisum_access_axum::prelude::*;
//!
//! #[derive(serde::Serialize)]
//! struct Bill { id: u64, business_unit: Option<String>, owner: String, amount: i64 }
//! scoped!(Bill: business_unit, owner, amount); // the fields that hold a bill's scope
//!
//! async fn list(bills: Listed<FinanceBillView>) -> String {
//!     // With feature `sql`: `.cond_where(bills.condition(&Columns::conventional()))`.
//!     format!("{:?}", bills.filter())
//! }
//! async fn show(auth: Authorized<FinanceBillView>, Path((_, id)): Path<(String, u64)>)
//!     -> Result<Json<Bill>, Rejection> {
//!     let bill = load(auth.company(), id); // layers 1-3 were decided before the handler ran
//!     auth.require_row(&bill)?; // layer 4 on the row: its business unit and owner
//!     Ok(Json(bill))
//! }
//! async fn approve(auth: Authorized<FinanceBillApprove>, Path((_, id)): Path<(String, u64)>)
//!     -> Result<Json<Bill>, Rejection> {
//!     let bill = load(auth.company(), id);
//!     auth.require_row(&bill)?; // and its amount, against the approval limit
//!     Ok(Json(bill))
//! }
//! # fn load(_: &str, id: u64) -> Bill {
//! #     Bill { id, business_unit: Some("bu-x".into()), owner: "user-7".into(), amount: 12_500 }
//! # }
//!
//! # async fn run() -> std::io::Result<()> {
//! let verifier = Verifier::hs256(b"dev secret, 32 bytes or more......").audience("bills");
//! let provider = StaticEntitlements::new([("acme", &["promoter", "finance"][..])]);
//! let layer = KisumLayer::builder(verifier, provider).build();
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
//! A handler whose error type is the app's gives that type a variant for [`Rejection`] (see
//! `examples/bills.rs`). [`Authorized::require`] takes the scope as a closure where no row type
//! fits.
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
/// the table's `Columns` (`kisum_access::sql::Columns`).
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
