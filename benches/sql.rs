//! The cost of `ScopeFilter::to_condition`, and of a list query on a 100,000-row SQLite table
//! with the filter and without it (an index on the business unit column).
//!
//! Run: `cargo bench --bench sql -- --warm-up-time 1 --measurement-time 3`; the query plans are
//! printed first.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kisum_access::sql::Columns;
use kisum_access::sql::sea_query::{Condition, Query, SelectStatement, SqliteQueryBuilder};
use kisum_access::{Catalog, Grant, ScopeFilter, Subject, keys};
use rusqlite::Connection;
use sea_query_rusqlite::RusqliteBinder;

const ROWS: u64 = 100_000;
const UNITS: u64 = 20;
const USERS: u64 = 50;

/// 100,000 bills: 90% of acme, 20 business units, 50 creators, amounts up to 10,000; indexed
/// on the business unit.
fn table() -> Connection {
    let db = Connection::open_in_memory().expect("SQLite");
    db.execute_batch(
        "CREATE TABLE bills (id INTEGER PRIMARY KEY, company TEXT NOT NULL, business_unit TEXT,
             workflow TEXT, created_by TEXT, amount INTEGER);
         CREATE INDEX bills_business_unit ON bills (business_unit);",
    )
    .expect("schema");
    let tx = db.unchecked_transaction().expect("transaction");
    {
        let mut insert = tx
            .prepare("INSERT INTO bills (company, business_unit, workflow, created_by, amount) VALUES (?1, ?2, ?3, ?4, ?5)")
            .expect("insert");
        // A fixed LCG: the same table on every run.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..ROWS {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let company = if x.is_multiple_of(10) {
                "globex"
            } else {
                "acme"
            };
            let unit = format!("bu-{:02}", (x >> 8) % UNITS);
            let workflow = format!("wf-{}", (x >> 16) % 3);
            let user = format!("user-{}", (x >> 24) % USERS);
            let amount = ((x >> 32) % 10_000) as i64;
            insert
                .execute(rusqlite::params![company, unit, workflow, user, amount])
                .expect("row");
        }
    }
    tx.commit().expect("commit");
    db.execute_batch("ANALYZE").expect("analyze");
    db
}

fn subject() -> Subject {
    Subject::builder(Catalog::embedded(), "user-7")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .permission(keys::FINANCE_INVOICE_VIEW)
        .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-03", "bu-11"]))
        .grant(&Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-03", "bu-11"]))
        .grant(&Grant::new("acme", keys::FINANCE_BILL_EDIT).own_only())
        .grant(&Grant::new("acme", keys::FINANCE_BILL_APPROVE).business_units(["bu-03"]))
        .approval_limit(5_000)
        .build()
        .expect("bench subject builds")
}

fn columns() -> Columns {
    Columns::new("company")
        .business_unit("business_unit")
        .workflow("workflow")
        .owner("created_by")
        .amount("amount")
}

fn select(condition: Option<Condition>) -> SelectStatement {
    let mut q = Query::select();
    q.columns(["id", "amount"]).from("bills");
    if let Some(c) = condition {
        q.cond_where(c);
    }
    q
}

/// All ids and amounts `select` returns.
fn run(db: &Connection, select: &SelectStatement) -> usize {
    let (sql, values) = select.build_rusqlite(SqliteQueryBuilder);
    let mut statement = db.prepare_cached(&sql).expect("prepare");
    let rows = statement
        .query_map(&*values.as_params(), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })
        .expect("query");
    let mut n = 0;
    for r in rows {
        black_box(r.expect("row"));
        n += 1;
    }
    n
}

fn plan(db: &Connection, select: &SelectStatement) -> String {
    let (sql, values) = select.build_rusqlite(SqliteQueryBuilder);
    let mut statement = db
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("plan");
    let steps = statement
        .query_map(&*values.as_params(), |r| r.get::<_, String>(3))
        .expect("plan rows");
    steps
        .map(|s| s.expect("step"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn to_condition(c: &mut Criterion) {
    let s = subject();
    let cols = columns();
    let mut g = c.benchmark_group("sql_condition");
    for (name, key) in [
        ("all", keys::FINANCE_INVOICE_VIEW),
        ("2 units", keys::FINANCE_BILL_VIEW),
        ("2 units or own", keys::FINANCE_BILL_EDIT),
        ("approval", keys::FINANCE_BILL_APPROVE),
    ] {
        let filter = s.filter(key, "acme");
        g.bench_function(format!("to_condition ({name})"), |b| {
            b.iter(|| black_box(&filter).to_condition(black_box(&cols)))
        });
    }
    g.bench_function("filter + to_condition + SQL text (2 units or own)", |b| {
        b.iter(|| {
            let f = s.filter(black_box(keys::FINANCE_BILL_EDIT), "acme");
            select(Some(f.to_condition(&cols))).build(SqliteQueryBuilder)
        })
    });
    g.finish();
}

fn queries(c: &mut Criterion) {
    let db = table();
    let s = subject();
    let cols = columns();
    let condition = |key| Some(s.filter(key, "acme").to_condition(&cols));
    let cases: [(&str, SelectStatement); 5] = [
        ("no filter (every row)", select(None)),
        (
            "company only (All)",
            select(condition(keys::FINANCE_INVOICE_VIEW)),
        ),
        ("2 units of 20", select(condition(keys::FINANCE_BILL_VIEW))),
        ("2 units or own", select(condition(keys::FINANCE_BILL_EDIT))),
        (
            "approval: 1 unit, amount <= 5000",
            select(condition(keys::FINANCE_BILL_APPROVE)),
        ),
    ];
    assert!(matches!(
        s.filter(keys::FINANCE_INVOICE_VIEW, "acme"),
        ScopeFilter::All { .. }
    ));
    let mut g = c.benchmark_group("sql_query");
    for (name, statement) in &cases {
        let (sql, _) = statement.build(SqliteQueryBuilder);
        eprintln!(
            "{name}: {} rows\n  {sql}\n  plan: {}",
            run(&db, statement),
            plan(&db, statement)
        );
        g.bench_function(*name, |b| b.iter(|| run(&db, statement)));
    }
    // The union with an own-only reach, once the owner column has an index too.
    db.execute_batch("CREATE INDEX bills_created_by ON bills (created_by); ANALYZE;")
        .expect("owner index");
    let (name, statement) = ("2 units or own (owner indexed too)", &cases[3].1);
    eprintln!(
        "{name}: {} rows\n  plan: {}",
        run(&db, statement),
        plan(&db, statement)
    );
    g.bench_function(name, |b| b.iter(|| run(&db, statement)));
    g.finish();
}

criterion_group!(benches, to_condition, queries);
criterion_main!(benches);
