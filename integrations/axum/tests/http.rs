//! The bills example over real HTTP on loopback: every way a request is let through or not.

#[allow(dead_code, clippy::all)]
#[path = "../examples/bills.rs"]
mod bills;
mod common;

use common::{Http, bills_claims, hs256, now, serve, sign, with};
use hyper::StatusCode;
use jsonwebtoken::Algorithm;
use kisum_access_axum::{EntitlementsProvider, KisumLayer, StaticEntitlements, Verifier};
use serde_json::json;

fn entitlements() -> StaticEntitlements {
    StaticEntitlements::new([
        ("acme", &["promoter", "finance"][..]),
        ("globex", &["finance"][..]),
    ])
}

async fn bills_with<P: EntitlementsProvider>(verifier: Verifier, provider: P) -> Http {
    let layer = KisumLayer::builder(verifier, provider).build();
    Http::new(serve(bills::app(layer, bills::seed(40).unwrap())).await)
}

async fn bills_app() -> Http {
    bills_with(
        Verifier::hs256(common::SECRET).audience("bills"),
        entitlements(),
    )
    .await
}

fn code(a: &common::Answer) -> (StatusCode, &str, Option<&str>) {
    (
        a.status,
        a.json["code"].as_str().unwrap_or(""),
        a.json["layer"].as_str(),
    )
}

#[tokio::test]
async fn allowed_out_of_scope_and_wrong_company() {
    let http = bills_app().await;
    let token = hs256(&bills_claims());
    let ok = http.get("/companies/acme/bills/3", Some(&token)).await; // bu-x
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.json["id"], 3);
    let bu_z = http.get("/companies/acme/bills/2", Some(&token)).await;
    assert_eq!(
        code(&bu_z),
        (StatusCode::FORBIDDEN, "out_of_scope", Some("scope"))
    );
    let no_unit = http.get("/companies/acme/bills/7", Some(&token)).await; // NULL unit: fail closed
    assert_eq!(
        code(&no_unit),
        (StatusCode::FORBIDDEN, "out_of_scope", Some("scope"))
    );
    let globex = http.get("/companies/globex/bills/41", Some(&token)).await;
    assert_eq!(
        code(&globex),
        (StatusCode::FORBIDDEN, "no_membership", Some("membership"))
    );
    let list = http.get("/companies/globex/bills", Some(&token)).await;
    assert_eq!(
        code(&list),
        (StatusCode::FORBIDDEN, "no_membership", Some("membership"))
    );
}

#[tokio::test]
async fn approval_up_to_the_limit_only() {
    let http = bills_app().await;
    let token = hs256(&bills_claims());
    let ok = http
        .post("/companies/acme/bills/3/approve", Some(&token))
        .await; // 112,000
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.json["approved_by"], "user-42");
    let over = http
        .post("/companies/acme/bills/15/approve", Some(&token))
        .await; // 556,000
    assert_eq!(
        code(&over),
        (
            StatusCode::FORBIDDEN,
            "approval_limit_exceeded",
            Some("scope")
        )
    );
    let no_limit = hs256(&with(
        bills_claims(),
        "memberships",
        json!([{"company": "acme",
        "modules": ["finance"], "permissions": ["finance.bill.approve"]}]),
    ));
    let missing = http
        .post("/companies/acme/bills/3/approve", Some(&no_limit))
        .await;
    assert_eq!(
        code(&missing),
        (
            StatusCode::FORBIDDEN,
            "approval_limit_missing",
            Some("scope")
        )
    );
}

#[tokio::test]
async fn the_list_returns_exactly_the_bills_a_get_allows_page_by_page() {
    let http = bills_app().await;
    let token = hs256(&bills_claims());
    let mut listed: Vec<i64> = Vec::new();
    let mut after = 0;
    loop {
        let page = http
            .get(
                &format!("/companies/acme/bills?limit=4&after={after}"),
                Some(&token),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let ids: Vec<i64> = page.json["bills"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["id"].as_i64().unwrap())
            .collect();
        assert!(ids.len() <= 4);
        listed.extend(&ids);
        match page.json["next"].as_i64() {
            Some(next) if !ids.is_empty() => after = next,
            _ => break,
        }
    }
    let mut allowed = Vec::new();
    for id in 1..=42 {
        if http
            .get(&format!("/companies/acme/bills/{id}"), Some(&token))
            .await
            .status
            == StatusCode::OK
        {
            allowed.push(id);
        }
    }
    assert!(listed.len() > 10 && listed.len() < 40, "{listed:?}");
    assert_eq!(listed, allowed);
}

#[tokio::test]
async fn tokens_that_are_not_accepted_get_401_without_echo() {
    let http = bills_app().await;
    let good = bills_claims();
    let other_secret = {
        let key = jsonwebtoken::EncodingKey::from_secret(b"another secret of 32 bytes or more!!");
        jsonwebtoken::encode(&jsonwebtoken::Header::default(), &good, &key).unwrap()
    };
    let cases = [
        (
            hs256(&with(good.clone(), "exp", json!(now() - 3600))),
            "token_expired",
        ),
        (
            hs256(&with(good.clone(), "nbf", json!(now() + 3600))),
            "token_not_yet_valid",
        ),
        (other_secret, "token_bad_signature"),
        (
            hs256(&with(good.clone(), "aud", json!("payroll"))),
            "token_wrong_audience",
        ),
        (
            hs256(
                &good
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(k, _)| *k != "aud")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<serde_json::Map<_, _>>()
                    .into(),
            ),
            "token_claim_missing",
        ),
        ("not.a.jwt".to_string(), "token_malformed"),
        ("garbage".to_string(), "token_malformed"),
        (
            hs256(&with(
                good.clone(),
                "memberships",
                json!([{"company": "acme", "permissions": [{"key": "finance.bill.view", "buisness_units": ["bu-x"]}]}]),
            )),
            "token_claims_rejected",
        ),
    ];
    for (token, want) in cases {
        let a = http.get("/companies/acme/bills/3", Some(&token)).await;
        assert_eq!(
            code(&a),
            (StatusCode::UNAUTHORIZED, want, None),
            "{}",
            a.text
        );
        assert_eq!(
            a.json.as_object().unwrap().len(),
            1,
            "only the code: {}",
            a.text
        );
        assert!(!a.text.contains(&token), "the body echoes the token");
        assert_eq!(a.www_authenticate.as_deref(), Some("Bearer"));
    }
    let none = http.get("/companies/acme/bills/3", None).await;
    assert_eq!(
        code(&none),
        (StatusCode::UNAUTHORIZED, "token_missing", None)
    );
}

#[tokio::test]
async fn rs256_and_es256_keys_verify_and_refuse_other_algorithms() {
    for (alg, verifier) in [
        (
            Algorithm::RS256,
            Verifier::rs256_pem(common::RSA_PUBLIC).unwrap(),
        ),
        (
            Algorithm::ES256,
            Verifier::es256_pem(common::EC_PUBLIC).unwrap(),
        ),
    ] {
        let http = bills_with(
            verifier.audience("bills").issuer("auth.kisum"),
            entitlements(),
        )
        .await;
        let good = with(bills_claims(), "iss", json!("auth.kisum"));
        let ok = http
            .get("/companies/acme/bills/3", Some(&sign(alg, &good)))
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{alg:?}: {}", ok.text);
        let hs = http
            .get("/companies/acme/bills/3", Some(&hs256(&good)))
            .await;
        assert_eq!(code(&hs).1, "token_bad_signature", "{alg:?} accepted HS256");
        let iss = with(good.clone(), "iss", json!("evil"));
        let wrong = http
            .get("/companies/acme/bills/3", Some(&sign(alg, &iss)))
            .await;
        assert_eq!(code(&wrong).1, "token_wrong_issuer", "{alg:?}");
    }
}

#[test]
fn a_key_that_is_not_the_algorithms_is_an_error() {
    let e = Verifier::rs256_pem(common::EC_PUBLIC).unwrap_err();
    assert!(e.to_string().contains("RS256"), "{e}");
    assert!(Verifier::es256_pem(b"not pem").is_err());
}

struct Failing;

impl EntitlementsProvider for Failing {
    async fn entitlements(
        &self,
        _: &[&str],
    ) -> Result<Vec<kisum_access::Entitlements>, kisum_access_axum::ProviderError> {
        Err(kisum_access_axum::ProviderError::new(
            "core at 10.0.0.7 timed out",
        ))
    }
}

#[tokio::test]
async fn a_provider_failure_is_a_500_that_says_nothing_more() {
    let http = bills_with(Verifier::hs256(common::SECRET).audience("bills"), Failing).await;
    let token = hs256(&bills_claims());
    let a = http.get("/companies/acme/bills/3", Some(&token)).await;
    assert_eq!(
        code(&a),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "entitlements_unavailable",
            None
        )
    );
    assert!(
        !a.text.contains("10.0.0.7") && !a.text.contains(&token),
        "{}",
        a.text
    );
}

#[tokio::test]
async fn bad_entitlements_are_a_500_not_the_tokens_fault() {
    let provider = StaticEntitlements::new([("acme", &["promoter", "ticketing"][..])]); // external: never entitled through Core
    let http = bills_with(Verifier::hs256(common::SECRET).audience("bills"), provider).await;
    let a = http
        .get("/companies/acme/bills/3", Some(&hs256(&bills_claims())))
        .await;
    assert_eq!(
        code(&a),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "entitlements_invalid",
            None
        )
    );
}
