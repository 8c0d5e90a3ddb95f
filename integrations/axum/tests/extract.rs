//! Extractors over real HTTP: scope parameters, legacy tokens, a route without the layer, and
//! the decision events.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get;
use common::{Http, claims, hs256, serve, with};
use hyper::StatusCode;
use kisum_access::ClaimsOptions;
use kisum_access::key_types::{FinanceBillApprove, PromoterEventView};
use kisum_access_axum::{
    Authorized, CurrentSubject, KisumLayer, Param, ScopeParams, StaticEntitlements, Verifier,
};
use serde_json::json;

async fn ok<K: kisum_access::KeyType>(_: Authorized<K>) -> &'static str {
    "ok"
}

async fn app(options: ClaimsOptions) -> Http {
    let layer = KisumLayer::builder(
        Verifier::hs256(common::SECRET).audience("bills"),
        StaticEntitlements::new([("acme", &["promoter", "finance"][..])]),
    )
    .claims_options(options)
    .scope_params(
        ScopeParams::company(Param::Path("org"))
            .business_unit(Param::Query("bu"))
            .amount(Param::Query("amount")),
    )
    .build();
    let app = Router::new()
        .route("/orgs/{org}/events", get(ok::<PromoterEventView>))
        .route("/orgs/{org}/approve", get(ok::<FinanceBillApprove>))
        .route("/approve", get(ok::<FinanceBillApprove>))
        .layer(layer);
    Http::new(serve(app).await)
}

fn approver() -> String {
    hs256(&claims(
        json!([{"key": "finance.bill.approve", "business_units": ["bu-x"]}]),
    ))
}

#[tokio::test]
async fn the_scope_comes_from_the_parameters_the_app_names() {
    let http = app(ClaimsOptions::default()).await;
    let t = approver();
    let cases = [
        (
            "/orgs/acme/approve?bu=bu-x&amount=100",
            StatusCode::OK,
            json!(null),
        ),
        (
            "/orgs/acme/approve?bu=bu-x&amount=600000",
            StatusCode::FORBIDDEN,
            json!({"code": "approval_limit_exceeded", "layer": "scope"}),
        ),
        (
            "/orgs/acme/approve?bu=bu-y&amount=100",
            StatusCode::FORBIDDEN,
            json!({"code": "out_of_scope", "layer": "scope"}),
        ),
        (
            "/orgs/acme/approve?bu=bu-x",
            StatusCode::FORBIDDEN,
            json!({"code": "approval_amount_missing", "layer": "scope"}),
        ),
        (
            "/orgs/globex/approve?bu=bu-x&amount=1",
            StatusCode::FORBIDDEN,
            json!({"code": "no_membership", "layer": "membership"}),
        ),
        (
            "/orgs/acme/approve?bu=bu-x&amount=ten",
            StatusCode::BAD_REQUEST,
            json!({"code": "scope_param_invalid", "param": "amount"}),
        ),
        (
            "/approve?bu=bu-x&amount=1",
            StatusCode::BAD_REQUEST,
            json!({"code": "scope_param_missing", "param": "org"}),
        ),
    ];
    for (path, status, body) in cases {
        let a = http.get(path, Some(&t)).await;
        assert_eq!(a.status, status, "{path}: {}", a.text);
        if status != StatusCode::OK {
            assert_eq!(a.json, body, "{path}");
        }
    }
    // Only the company: layers 1-3 here, layer 4 is the handler's (on the row it loads).
    assert_eq!(
        http.get("/orgs/acme/approve", Some(&t)).await.status,
        StatusCode::OK
    );
    let viewer = hs256(&claims(json!(["finance.bill.view"])));
    let a = http.get("/orgs/acme/approve", Some(&viewer)).await;
    assert_eq!(
        a.json,
        json!({"code": "missing_permission", "layer": "permission"})
    );
}

#[tokio::test]
async fn legacy_tokens_only_with_the_opt_in() {
    let legacy = hs256(&claims(json!(["basic.events.read"])));
    let strict = app(ClaimsOptions::default()).await;
    let a = strict.get("/orgs/acme/events", Some(&legacy)).await;
    assert_eq!(
        (a.status, a.json.clone()),
        (
            StatusCode::UNAUTHORIZED,
            json!({"code": "token_claims_rejected"})
        )
    );
    assert!(!a.text.contains("basic"), "{}", a.text);
    let migrating = app(ClaimsOptions::default().translate_legacy(true)).await;
    let a = migrating.get("/orgs/acme/events", Some(&legacy)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
}

#[tokio::test]
async fn an_extractor_on_a_route_without_the_layer_is_a_500() {
    async fn who(s: CurrentSubject) -> String {
        s.user_id().to_string()
    }
    let http = Http::new(serve(Router::new().route("/me", get(who))).await);
    let a = http.get("/me", Some(&hs256(&claims(json!([]))))).await;
    assert_eq!(
        (a.status, a.json),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"code": "layer_missing"})
        )
    );
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test] // current-thread runtime: the server runs on this thread, under this subscriber
async fn each_decision_is_an_event_with_key_company_outcome_layer_and_code() {
    let out = Captured::default();
    let sink = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let http = app(ClaimsOptions::default()).await;
    let t = approver();
    http.get("/orgs/acme/approve?bu=bu-x&amount=100", Some(&t))
        .await;
    http.get("/orgs/acme/approve?bu=bu-x&amount=600000", Some(&t))
        .await;
    http.get(
        "/orgs/acme/approve",
        Some(&with(claims(json!([])), "aud", json!("x")).to_string()),
    )
    .await;
    let log = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("access decision"))
        .collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].contains("DEBUG")
            && lines[0].contains("key=\"finance.bill.approve\"")
            && lines[0].contains("company=\"acme\"")
            && lines[0].contains("outcome=\"allow\""),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("INFO")
            && lines[1].contains("outcome=\"deny\"")
            && lines[1].contains("layer=\"scope\"")
            && lines[1].contains("code=\"approval_limit_exceeded\""),
        "{}",
        lines[1]
    );
    assert!(
        log.contains("token refused") && log.contains("token_malformed"),
        "{log}"
    );
    assert!(!log.contains(&t), "the token is logged");
}
