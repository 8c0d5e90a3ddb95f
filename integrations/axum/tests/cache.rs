//! The subject cache over real HTTP: a hit after the first request, a miss after a new
//! entitlements revision, nothing cached when it is off.

mod common;

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use common::{Http, bills_claims, hs256, now, serve, with};
use hyper::StatusCode;
use kisum_access::key_types::FinanceBillView;
use kisum_access_axum::{
    Authorized, CacheConfig, CacheStats, CurrentSubject, KisumLayer, Param, ScopeParams,
    StaticEntitlements, Verifier,
};
use serde_json::json;

fn layer(cache: CacheConfig) -> KisumLayer<StaticEntitlements> {
    KisumLayer::builder(
        Verifier::hs256(common::SECRET).audience("bills"),
        StaticEntitlements::new([("acme", &["promoter", "finance"][..])]),
    )
    .cache(cache)
    .scope_params(ScopeParams::default().business_unit(Param::Query("bu")))
    .build()
}

async fn serve_with(layer: &KisumLayer<StaticEntitlements>) -> Http {
    async fn view(_: Authorized<FinanceBillView>) -> &'static str {
        "ok"
    }
    async fn who(s: CurrentSubject) -> String {
        s.user_id().to_string()
    }
    let app = Router::new()
        .route("/companies/{company}/bills", get(view))
        .route("/me", get(who))
        .layer(layer.clone());
    Http::new(serve(app).await)
}

const BILLS: &str = "/companies/acme/bills?bu=bu-x";

#[tokio::test]
async fn a_hit_after_the_first_request_and_a_miss_after_a_new_revision() {
    let layer = layer(CacheConfig::default());
    let http = serve_with(&layer).await;
    let token = hs256(&bills_claims());

    assert_eq!(http.get(BILLS, Some(&token)).await.status, StatusCode::OK);
    assert_eq!(layer.cache_stats(), CacheStats { hits: 0, misses: 1 });
    assert_eq!(http.get(BILLS, Some(&token)).await.status, StatusCode::OK);
    assert_eq!(http.get("/me", Some(&token)).await.text, "user-42");
    assert_eq!(layer.cache_stats(), CacheStats { hits: 2, misses: 1 });

    // Core says acme no longer has finance: the cached subject is not used again.
    layer.provider().set("acme", ["promoter"]);
    let after = http.get(BILLS, Some(&token)).await;
    assert_eq!(after.status, StatusCode::FORBIDDEN, "{}", after.text);
    assert_eq!(
        after.json,
        json!({"code": "not_entitled", "layer": "commercial"})
    );
    assert_eq!(layer.cache_stats(), CacheStats { hits: 2, misses: 2 });
    assert_eq!(
        http.get(BILLS, Some(&token)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(layer.cache_stats(), CacheStats { hits: 3, misses: 2 });
}

#[tokio::test]
async fn each_token_has_its_own_entry_and_a_bad_token_is_never_cached() {
    let layer = layer(CacheConfig::default());
    let http = serve_with(&layer).await;
    let a = hs256(&bills_claims());
    let b = hs256(&with(bills_claims(), "jti", json!("t-2")));
    http.get(BILLS, Some(&a)).await;
    http.get(BILLS, Some(&b)).await;
    assert_eq!(layer.cache_stats(), CacheStats { hits: 0, misses: 2 });
    let expired = hs256(&with(bills_claims(), "exp", json!(now() - 600)));
    for _ in 0..2 {
        assert_eq!(
            http.get(BILLS, Some(&expired)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(layer.cache_stats(), CacheStats { hits: 0, misses: 4 });
}

#[tokio::test]
async fn with_the_cache_off_every_request_misses() {
    let layer = layer(CacheConfig {
        max_entries: 0,
        ..CacheConfig::default()
    });
    let http = serve_with(&layer).await;
    let token = hs256(&bills_claims());
    for _ in 0..3 {
        assert_eq!(http.get(BILLS, Some(&token)).await.status, StatusCode::OK);
    }
    assert_eq!(layer.cache_stats(), CacheStats { hits: 0, misses: 3 });
}

#[tokio::test]
async fn an_entry_lives_no_longer_than_the_configured_ttl() {
    let layer = layer(CacheConfig {
        max_ttl: Duration::from_millis(300),
        ..CacheConfig::default()
    });
    let http = serve_with(&layer).await;
    let token = hs256(&bills_claims());
    http.get(BILLS, Some(&token)).await;
    http.get(BILLS, Some(&token)).await;
    assert_eq!(layer.cache_stats(), CacheStats { hits: 1, misses: 1 });
    tokio::time::sleep(Duration::from_millis(600)).await;
    http.get(BILLS, Some(&token)).await;
    assert_eq!(layer.cache_stats(), CacheStats { hits: 1, misses: 2 });
}
