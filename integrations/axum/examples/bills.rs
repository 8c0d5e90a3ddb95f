//! A bills service on SQLite: list (filtered in SQL, keyset paging), get, approve.
//!
//! ```sh
//! cargo run -p kisum-access-axum --example bills            # serves on 127.0.0.1:3000
//! cargo run -p kisum-access-axum --example bills -- mint    # prints a token for user-42
//! ```
//!
//! Environment: `BILLS_ADDR` (default `127.0.0.1:3000`), `BILLS_CACHE_ENTRIES` (subject cache
//! size; `0` turns it off). Tokens are HS256 with the development secret below, audience `bills`.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kisum_access::sql::sea_query::{self as sql, ExprTrait};
use kisum_access_axum::prelude::*;
use rusqlite::{Connection, OptionalExtension};
use sea_query_rusqlite::RusqliteBinder;
use serde::{Deserialize, Serialize};

/// The development signing secret (HS256). A real service takes its issuer's key from config.
pub const DEV_SECRET: &[u8] = b"kisum-bills-development-secret-32+bytes";
/// The audience the service accepts.
pub const AUDIENCE: &str = "bills";
/// Most bills in one page.
pub const MAX_PAGE: u32 = 100;

/// The service's state: one SQLite connection (the queries are short).
#[derive(Clone)]
pub struct Db(Arc<Mutex<Connection>>);

impl Db {
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One bill.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Bill {
    pub id: i64,
    pub business_unit: Option<String>,
    pub owner: String,
    pub amount: i64,
    pub approved_by: Option<String>,
}

// A bill's scope, for `require_row`: its business unit, owner and amount.
scoped!(Bill: business_unit, owner, amount);

/// A page of bills; `next` is the `after` of the next page.
#[derive(Debug, Serialize, Deserialize)]
pub struct Page {
    pub bills: Vec<Bill>,
    pub next: Option<i64>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    after: Option<i64>,
    limit: Option<u32>,
}

/// The errors of the handlers' own logic.
pub enum AppError {
    Denied(Rejection),
    NotFound,
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        AppError::Db(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Denied(r) => r.into_response(),
            AppError::NotFound => StatusCode::NOT_FOUND.into_response(),
            AppError::Db(e) => {
                eprintln!("database error: {e}");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

const COLUMNS: &str = "id, business_unit, owner, amount, approved_by";

fn bill(row: &rusqlite::Row<'_>) -> rusqlite::Result<Bill> {
    Ok(Bill {
        id: row.get(0)?,
        business_unit: row.get(1)?,
        owner: row.get(2)?,
        amount: row.get(3)?,
        approved_by: row.get(4)?,
    })
}

async fn list(
    bills: Listed<FinanceBillView>,
    State(db): State<Db>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page>, AppError> {
    let (sql, values) = sql::Query::select()
        .columns(["id", "business_unit", "owner", "amount", "approved_by"])
        .from("bills")
        .cond_where(bills.condition(&Columns::conventional()))
        .and_where(sql::Expr::col("id").gt(q.after.unwrap_or(0)))
        .order_by("id", sql::Order::Asc)
        .limit(u64::from(q.limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE)))
        .build_rusqlite(sql::SqliteQueryBuilder);
    let db = db.lock();
    let mut stmt = db.prepare(&sql)?;
    let rows = stmt.query_map(&*values.as_params(), bill)?;
    let bills = rows.collect::<rusqlite::Result<Vec<Bill>>>()?;
    let next = bills.last().map(|b| b.id);
    Ok(Json(Page { bills, next }))
}

fn load(db: &Db, company: &str, id: i64) -> Result<Bill, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM bills WHERE company = ?1 AND id = ?2");
    let found = db.lock().query_row(&sql, (company, id), bill).optional()?;
    found.ok_or(AppError::NotFound)
}

async fn show(
    auth: Authorized<FinanceBillView>,
    State(db): State<Db>,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Json<Bill>, AppError> {
    let b = load(&db, auth.company(), id)?;
    auth.require_row(&b).map_err(AppError::Denied)?;
    Ok(Json(b))
}

async fn approve(
    auth: Authorized<FinanceBillApprove>,
    State(db): State<Db>,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Json<Bill>, AppError> {
    let mut b = load(&db, auth.company(), id)?;
    auth.require_row(&b).map_err(AppError::Denied)?;
    let user = auth.subject().user_id().to_string();
    db.lock().execute(
        "UPDATE bills SET approved_by = ?1 WHERE id = ?2",
        (&user, id),
    )?;
    b.approved_by = Some(user);
    Ok(Json(b))
}

/// The service's routes behind the Kisum layer.
pub fn app<P: EntitlementsProvider>(layer: KisumLayer<P>, db: Db) -> Router {
    Router::new()
        .route("/companies/{company}/bills", get(list))
        .route("/companies/{company}/bills/{id}", get(show))
        .route("/companies/{company}/bills/{id}/approve", post(approve))
        .layer(layer)
        .with_state(db)
}

/// An in-memory database with `count` bills of company `acme` and two of `globex`: business
/// units `bu-x`, `bu-y`, `bu-z` in turn (every seventh without one), owners `user-42` and
/// `user-7` in turn, amounts 1,000 to 900,000.
pub fn seed(count: i64) -> rusqlite::Result<Db> {
    let db = Connection::open_in_memory()?;
    db.execute_batch(
        "CREATE TABLE bills (id INTEGER PRIMARY KEY, company TEXT NOT NULL, business_unit TEXT,
         workflow TEXT, owner TEXT NOT NULL, amount INTEGER NOT NULL, approved_by TEXT);",
    )?;
    let units = ["bu-x", "bu-y", "bu-z"];
    for i in 1..=count {
        let unit = (i % 7 != 0).then(|| units[(i % 3) as usize]);
        let owner = if i % 2 == 0 { "user-42" } else { "user-7" };
        let amount = 1_000 + (i * 37_000) % 900_000;
        db.execute(
            "INSERT INTO bills (id, company, business_unit, owner, amount) VALUES (?1, 'acme', ?2, ?3, ?4)",
            (i, unit, owner, amount),
        )?;
    }
    for i in 1..=2 {
        db.execute(
            "INSERT INTO bills (id, company, business_unit, owner, amount) VALUES (?1, 'globex', 'bu-x', 'user-42', 5000)",
            (count + i,),
        )?;
    }
    Ok(Db(Arc::new(Mutex::new(db))))
}

/// A token for `user-42` at `acme`: finance bills viewable in `bu-x` and `bu-y`, approvable up
/// to 500,000; valid for an hour.
pub fn dev_token() -> String {
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        + 3600;
    let claims = serde_json::json!({
        "sub": "user-42", "aud": AUDIENCE, "exp": exp,
        "memberships": [{
            "company": "acme", "modules": ["finance"], "approval_limit": 500_000,
            "permissions": ["finance.bill.approve",
                            {"key": "finance.bill.view", "business_units": ["bu-x", "bu-y"]}]
        }]
    });
    let key = jsonwebtoken::EncodingKey::from_secret(DEV_SECRET);
    jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().nth(1).as_deref() == Some("mint") {
        println!("{}", dev_token());
        return Ok(());
    }
    let addr = std::env::var("BILLS_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let cache = match std::env::var("BILLS_CACHE_ENTRIES") {
        Ok(n) => CacheConfig {
            max_entries: n.parse()?,
            ..CacheConfig::default()
        },
        Err(_) => CacheConfig::default(),
    };
    let verifier = Verifier::hs256(DEV_SECRET).audience(AUDIENCE);
    let provider = StaticEntitlements::new([("acme", &["promoter", "finance"][..])]);
    let layer = KisumLayer::builder(verifier, provider).cache(cache).build();
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("bills on {url}");
    println!("mint a token:  TOKEN=$(cargo run -q -p kisum-access-axum --example bills -- mint)");
    println!("then:          curl -H \"Authorization: Bearer $TOKEN\" {url}/companies/acme/bills");
    axum::serve(listener, app(layer, seed(1_000)?)).await?;
    Ok(())
}
