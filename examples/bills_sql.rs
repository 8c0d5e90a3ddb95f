//! A bills list endpoint on SQLite: list the bills a user may see, page through them by keyset,
//! and approve through the filter, with every check in the SQL.
//!
//! ```sh
//! cargo run --example bills_sql
//! ```

use std::error::Error;

use kisum_access::sql::Columns;
use kisum_access::sql::sea_query::{Expr, ExprTrait, Order, Query, SqliteQueryBuilder};
use kisum_access::{Catalog, Grant, Scope, Subject, decide, keys};
use rusqlite::{Connection, OptionalExtension};
use sea_query_rusqlite::RusqliteBinder;

const PAGE: u64 = 4;

fn main() -> Result<(), Box<dyn Error>> {
    let db = bills()?;
    // From the token, once per request: user-7 sees bills of bu-x and the bills they created,
    // and approves bills of bu-x up to 5,000.
    let user = Subject::builder(Catalog::embedded(), "user-7")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x"]))
        .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).own_only())
        .grant(&Grant::new("acme", keys::FINANCE_BILL_APPROVE).business_units(["bu-x"]))
        .approval_limit(5_000)
        .build()?;
    let columns = Columns::new("company")
        .business_unit("business_unit")
        .owner("created_by")
        .amount("amount");

    // GET /acme/bills?after=ID: one page at a time, the filter and the keyset both in SQL.
    let visible = user
        .filter(keys::FINANCE_BILL_VIEW, "acme")
        .to_condition(&columns);
    let mut after = 0;
    let mut page = 1;
    loop {
        let (sql, values) = Query::select()
            .columns([
                "id",
                "company",
                "business_unit",
                "created_by",
                "amount",
                "status",
            ])
            .from("bills")
            .cond_where(visible.clone())
            .cond_where(Expr::col("id").gt(after))
            .order_by("id", Order::Asc)
            .limit(PAGE)
            .build_rusqlite(SqliteQueryBuilder);
        if page == 1 {
            println!("list query: {sql}\n");
        }
        let mut statement = db.prepare_cached(&sql)?;
        let rows: Vec<Bill> = statement
            .query_map(&*values.as_params(), Bill::from_row)?
            .collect::<Result<_, _>>()?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        println!("page {page}:");
        for bill in &rows {
            // What the query returned, decide allows (the crate's tests prove it on every row).
            assert!(decide(&user, keys::FINANCE_BILL_VIEW, &bill.scope()).is_allowed());
            println!("  {bill}");
        }
        page += 1;
    }

    // POST /acme/bills/ID/approve: the UPDATE carries the approval filter, so a bill the user
    // may not approve is never touched, however the request was crafted.
    let approvable = user
        .filter(keys::FINANCE_BILL_APPROVE, "acme")
        .to_condition(&columns);
    println!();
    for id in [3, 8, 1, 5, 15] {
        let (sql, values) = Query::update()
            .table("bills")
            .value("status", "approved")
            .cond_where(approvable.clone())
            .cond_where(Expr::col("id").eq(id))
            .build_rusqlite(SqliteQueryBuilder);
        let approved = db.execute(&sql, &*values.as_params())? == 1;
        let bill = Bill::load(&db, id)?.ok_or("no such bill")?;
        let decision = decide(&user, keys::FINANCE_BILL_APPROVE, &bill.scope());
        assert_eq!(approved, decision.is_allowed());
        match decision.denial() {
            None => println!("approve {id}: approved ({bill})"),
            Some(why) => println!("approve {id}: refused, {why} ({bill})"),
        }
    }
    Ok(())
}

/// One row of the bills table.
struct Bill {
    id: i64,
    company: String,
    business_unit: Option<String>,
    created_by: Option<String>,
    amount: Option<i64>,
    status: String,
}

impl Bill {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Bill> {
        Ok(Bill {
            id: r.get(0)?,
            company: r.get(1)?,
            business_unit: r.get(2)?,
            created_by: r.get(3)?,
            amount: r.get(4)?,
            status: r.get(5)?,
        })
    }

    fn load(db: &Connection, id: i64) -> rusqlite::Result<Option<Bill>> {
        db.query_row(
            "SELECT id, company, business_unit, created_by, amount, status FROM bills WHERE id = ?1",
            [id],
            Bill::from_row,
        )
        .optional()
    }

    /// The bill's scope, for `decide` (a negative amount is no amount: fail closed).
    fn scope(&self) -> Scope<'_> {
        let mut s = Scope::company(&self.company);
        if let Some(b) = &self.business_unit {
            s = s.business_unit(b);
        }
        if let Some(o) = &self.created_by {
            s = s.owner(o);
        }
        if let Some(a) = self.amount.and_then(|a| u64::try_from(a).ok()) {
            s = s.amount(a);
        }
        s
    }
}

impl std::fmt::Display for Bill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let or_null = |v: &Option<String>| v.clone().unwrap_or_else(|| "NULL".into());
        write!(
            f,
            "bill {:>2}  {:<6} {:<5} by {:<7} {:>6}  {}",
            self.id,
            self.company,
            or_null(&self.business_unit),
            or_null(&self.created_by),
            self.amount.map_or("NULL".into(), |a| a.to_string()),
            self.status
        )
    }
}

/// An in-memory bills table, indexed on (company, business unit): bills of three business
/// units, some created by user-7, one without a business unit, and bills of another company.
fn bills() -> rusqlite::Result<Connection> {
    let db = Connection::open_in_memory()?;
    db.execute_batch(
        "CREATE TABLE bills (id INTEGER PRIMARY KEY, company TEXT NOT NULL, business_unit TEXT,
             created_by TEXT, amount INTEGER, status TEXT NOT NULL DEFAULT 'open');
         CREATE INDEX bills_unit ON bills (company, business_unit);",
    )?;
    let units = [Some("bu-x"), Some("bu-y"), Some("bu-x"), None, Some("bu-z")];
    for i in 0..15i64 {
        let creator = if i % 3 == 1 { "user-7" } else { "user-3" };
        let company = if i == 14 { "globex" } else { "acme" };
        db.execute(
            "INSERT INTO bills (company, business_unit, created_by, amount) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![company, units[i as usize % 5], creator, i * 900 - 700],
        )?;
    }
    Ok(db)
}
