//! With no subscriber listening, a handler's row check (`Authorized::require` and `require_row`:
//! the decision and its event) allocates nothing, allowed or denied. Counted per thread by a
//! counting allocator.

mod common;

use axum::Router;
use axum::routing::{get, post};
use common::{Http, claims, hs256, serve};
use kisum_access::key_types::FinanceBillApprove;
use kisum_access_axum::{Authorized, KisumLayer, StaticEntitlements, Verifier};
use serde_json::json;

// The core crate's counting allocator (per thread), shared rather than written again.
#[path = "../../../tests/common/alloc.rs"]
mod counting;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

/// Decides the row `(bu-x, amount)` and answers how many allocations that took.
async fn approve(auth: Authorized<FinanceBillApprove>, body: String) -> String {
    let amount: u64 = body.parse().unwrap();
    let (took, outcome) =
        counting::allocations(|| auth.require(|s| s.business_unit("bu-x").amount(amount)));
    format!("{} {took}", outcome.is_ok())
}

struct Bill {
    business_unit: Option<String>,
    amount: i64,
}
kisum_access_axum::scoped!(Bill: business_unit, amount);

/// The same row as a `Scoped` type, checked with `require_row`.
async fn approve_row(auth: Authorized<FinanceBillApprove>, body: String) -> String {
    let row = Bill {
        business_unit: Some("bu-x".into()),
        amount: body.parse().unwrap(),
    };
    let (took, outcome) = counting::allocations(|| auth.require_row(&row));
    format!("{} {took}", outcome.is_ok())
}

#[tokio::test]
async fn the_row_check_allocates_nothing_when_no_one_listens() {
    let layer = KisumLayer::builder(
        Verifier::hs256(common::SECRET).audience("bills"),
        StaticEntitlements::new([("acme", &["promoter", "finance"][..])]),
    )
    .build();
    let app = Router::new()
        .route("/companies/{company}/approve", get(approve).post(approve))
        .route("/companies/{company}/approve_row", post(approve_row))
        .layer(layer);
    let http = Http::new(serve(app).await);
    let t = hs256(&claims(
        json!([{"key": "finance.bill.approve", "business_units": ["bu-x"]}]),
    ));
    for route in ["approve", "approve_row"] {
        for (amount, want) in [(100, "true 0"), (900_000, "false 0")] {
            let path = format!("/companies/acme/{route}");
            let a = http
                .send_body(hyper::Method::POST, &path, Some(&t), amount.to_string())
                .await;
            assert_eq!(a.text, want, "{route} {amount}");
        }
    }
}
