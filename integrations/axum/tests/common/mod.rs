//! A real server on 127.0.0.1:0, a real HTTP client (hyper), and tokens signed like the Auth
//! service signs them.
#![allow(dead_code)] // each test file uses part of it

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

pub const SECRET: &[u8] = b"kisum-bills-development-secret-32+bytes";
pub const RSA_PRIVATE: &[u8] = include_bytes!("../keys/rsa_private.pem");
pub const RSA_PUBLIC: &[u8] = include_bytes!("../keys/rsa_public.pem");
pub const EC_PRIVATE: &[u8] = include_bytes!("../keys/ec_private.pem");
pub const EC_PUBLIC: &[u8] = include_bytes!("../keys/ec_public.pem");

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Serves `app` on a free loopback port until the test's runtime ends.
pub async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A keep-alive HTTP/1 client.
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
}

/// Status, body as text, body as JSON (`Null` when it is not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub www_authenticate: Option<String>,
    pub text: String,
    pub json: Value,
}

impl Http {
    pub fn new(addr: SocketAddr) -> Self {
        Http {
            client: Client::builder(TokioExecutor::new()).build_http(),
            base: format!("http://{addr}"),
        }
    }

    pub async fn send(&self, method: Method, path: &str, token: Option<&str>) -> Answer {
        self.send_body(method, path, token, String::new()).await
    }

    pub async fn send_body(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: String,
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let res = self
            .client
            .request(req.body(Full::new(Bytes::from(body))).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let www_authenticate = res
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap().to_string());
        let body = res.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&body).into_owned();
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        Answer {
            status,
            www_authenticate,
            text,
            json,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.send(Method::GET, path, token).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>) -> Answer {
        self.send(Method::POST, path, token).await
    }
}

/// Claims for `user-42` at `acme` with `permissions`, audience `bills`, valid for an hour.
pub fn claims(permissions: Value) -> Value {
    json!({
        "sub": "user-42", "aud": "bills", "exp": now() + 3600, "iat": now(), "jti": "t-1",
        "memberships": [{
            "company": "acme", "modules": ["finance", "promoter"], "approval_limit": 500_000,
            "permissions": permissions
        }]
    })
}

/// The bills example's usual grants: view in bu-x and bu-y, approve anywhere (limit 500,000).
pub fn bills_claims() -> Value {
    claims(json!(["finance.bill.approve",
                  {"key": "finance.bill.view", "business_units": ["bu-x", "bu-y"]}]))
}

pub fn sign(alg: Algorithm, claims: &Value) -> String {
    let key = match alg {
        Algorithm::HS256 => EncodingKey::from_secret(SECRET),
        Algorithm::RS256 => EncodingKey::from_rsa_pem(RSA_PRIVATE).unwrap(),
        Algorithm::ES256 => EncodingKey::from_ec_pem(EC_PRIVATE).unwrap(),
        other => panic!("no test key for {other:?}"),
    };
    jsonwebtoken::encode(&Header::new(alg), claims, &key).unwrap()
}

pub fn hs256(claims: &Value) -> String {
    sign(Algorithm::HS256, claims)
}

/// `claims` with `field` set to `value`.
pub fn with(mut claims: Value, field: &str, value: Value) -> Value {
    claims[field] = value;
    claims
}
