//! Rows that give their own scope: `scoped!` reads the fields it names (renamed or not, optional
//! or not), and `Authorized::require_row` decides on that scope over real HTTP.

mod common;

use std::borrow::Cow;

use axum::Router;
use axum::routing::post;
use common::{Http, claims, hs256, serve};
use hyper::Method;
use kisum_access_axum::prelude::*;
use kisum_access_axum::row::RowScope;
use serde::Deserialize;
use serde_json::json;

/// A row with the conventional field names.
#[derive(Deserialize)]
struct Bill {
    business_unit: Option<String>,
    owner: String,
    amount: i64,
}
scoped!(Bill: business_unit, owner, amount);

/// A row with its own field names, and a workflow.
#[derive(Deserialize)]
struct Expense {
    unit: Option<String>,
    flow: String,
    created_by: Option<String>,
    total: Option<u64>,
}
scoped!(Expense: business_unit = unit, workflow = flow, owner = created_by, amount = total);

#[test]
fn scoped_reads_the_fields_it_names() {
    let request = Scope::company("acme").business_unit("bu-request");
    let bill = Bill {
        business_unit: Some("bu-x".into()),
        owner: "user-7".into(),
        amount: 12_500,
    };
    let s = bill.scope(request);
    let got = (s.company_id(), s.business_unit_id(), s.workflow_id());
    assert_eq!(got, ("acme", Some("bu-x"), None));
    assert_eq!(
        (s.owner_id(), s.amount_value()),
        (Some("user-7"), Some(12_500))
    );

    let expense = Expense {
        unit: None,
        flow: "wf-1".into(),
        created_by: Some("user-42".into()),
        total: None,
    };
    let s = expense.scope(request);
    // The row has no business unit: the request's is not kept (the row is the truth).
    assert_eq!(
        (s.business_unit_id(), s.workflow_id()),
        (None, Some("wf-1"))
    );
    assert_eq!((s.owner_id(), s.amount_value()), (Some("user-42"), None));
}

#[test]
fn field_types_convert_and_negative_amounts_are_no_amount() {
    let request = Scope::company("acme");
    let (boxed, cow): (Box<str>, Cow<'_, str>) = ("bu-b".into(), Cow::Borrowed("wf-c"));
    let s = RowScope::new(request)
        .business_unit(&boxed)
        .workflow(&cow)
        .owner("user-1")
        .amount(&7u32)
        .get();
    let got = (s.business_unit_id(), s.workflow_id(), s.owner_id());
    assert_eq!(got, (Some("bu-b"), Some("wf-c"), Some("user-1")));
    assert_eq!(s.amount_value(), Some(7));
    for (amount, want) in [
        (-1i64, None),
        (0, Some(0)),
        (i64::MAX, Some(i64::MAX as u64)),
    ] {
        let s = RowScope::new(request).amount(&amount).get();
        assert_eq!(s.amount_value(), want, "{amount}");
    }
    let none: Option<&str> = None;
    assert_eq!(RowScope::new(request).owner(&none).get().owner_id(), None);
}

/// The row check's outcome: `allow` or the denial's code.
fn outcome(r: Result<(), Rejection>) -> String {
    r.map_or_else(|e| e.code().to_string(), |()| "allow".into())
}

async fn approve(auth: Authorized<FinanceBillApprove>, body: String) -> String {
    let bill: Bill = serde_json::from_str(&body).unwrap();
    outcome(auth.require_row(&bill))
}

async fn view(auth: Authorized<FinanceBillView>, body: String) -> String {
    let expense: Expense = serde_json::from_str(&body).unwrap();
    outcome(auth.require_row(&expense))
}

#[tokio::test]
async fn require_row_decides_on_the_rows_scope() {
    let layer = KisumLayer::builder(
        Verifier::hs256(common::SECRET).audience("bills"),
        StaticEntitlements::new([("acme", &["promoter", "finance"][..])]),
    )
    .build();
    let app = Router::new()
        .route("/companies/{company}/approve", post(approve))
        .route("/companies/{company}/view", post(view))
        .layer(layer);
    let http = Http::new(serve(app).await);
    // Approve in bu-x up to the membership's 500,000; view what user-42 owns in wf-1.
    let token = hs256(&claims(json!([
        {"key": "finance.bill.approve", "business_units": ["bu-x"]},
        {"key": "finance.bill.view", "own_only": true, "workflows": ["wf-1"]}
    ])));
    let bill = |unit: &str, amount: i64| {
        let unit = (!unit.is_empty()).then_some(unit);
        json!({"business_unit": unit, "owner": "user-7", "amount": amount})
    };
    let expense = |unit: &str, flow: &str, created_by: Option<&str>| json!({"unit": unit, "flow": flow, "created_by": created_by, "total": null});
    let cases = [
        ("approve", bill("bu-x", 100), "allow"),
        ("approve", bill("bu-y", 100), "out_of_scope"),
        ("approve", bill("", 100), "out_of_scope"), // no business unit: fail closed
        ("approve", bill("bu-x", 500_001), "approval_limit_exceeded"),
        ("approve", bill("bu-x", -5), "approval_amount_missing"),
        ("view", expense("bu-x", "wf-1", Some("user-42")), "allow"),
        (
            "view",
            expense("bu-x", "wf-1", Some("user-7")),
            "out_of_scope",
        ),
        ("view", expense("bu-x", "wf-1", None), "out_of_scope"),
        (
            "view",
            expense("bu-x", "wf-2", Some("user-42")),
            "out_of_scope",
        ),
    ];
    for (route, row, want) in cases {
        let path = format!("/companies/acme/{route}");
        let a = http
            .send_body(Method::POST, &path, Some(&token), row.to_string())
            .await;
        assert_eq!(a.text, want, "{route} {row}");
    }
}
