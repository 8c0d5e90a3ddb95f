//! The differential test on a real SQLite (bundled, in memory).

use kisum_access::sql::sea_query::{Query, SelectStatement, SqliteQueryBuilder};
use kisum_access::{Reach, ScopeFilter};
use rusqlite::Connection;
use sea_query_rusqlite::RusqliteBinder;

use crate::table::{self, Layout, Row};

/// An in-memory database with the bills table, filled with `rows`.
pub fn database(rows: &[Row]) -> rusqlite::Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.execute(table::CREATE, [])?;
    for insert in table::inserts(rows) {
        let (sql, values) = insert.build_rusqlite(SqliteQueryBuilder);
        conn.execute(&sql, &*values.as_params())?;
    }
    Ok(conn)
}

/// The ids `select` returns.
pub fn ids(conn: &Connection, select: &SelectStatement) -> rusqlite::Result<Vec<i64>> {
    let (sql, values) = select.build_rusqlite(SqliteQueryBuilder);
    let mut statement = conn.prepare_cached(&sql)?;
    let ids = statement.query_map(&*values.as_params(), |r| r.get(0))?;
    ids.collect()
}

#[test]
fn sqlite_returns_a_row_exactly_when_decide_allows_it() {
    let rows = table::rows();
    let conn = database(&rows).expect("SQLite database");
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM bills", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, rows.len() as i64);
    assert!(rows.len() >= 5_000);
    let checks = crate::differential(&rows, |select| {
        ids(&conn, select).map_err(|e| e.to_string())
    });
    println!("SQLite: {checks} row checks over {} rows", rows.len());
}

/// The query plan's steps for `select`.
fn plan(conn: &Connection, select: &SelectStatement) -> rusqlite::Result<String> {
    let (sql, values) = select.build_rusqlite(SqliteQueryBuilder);
    let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let steps = statement.query_map(&*values.as_params(), |r| r.get::<_, String>(3))?;
    Ok(steps.collect::<rusqlite::Result<Vec<_>>>()?.join("; "))
}

#[test]
fn a_filter_on_business_units_searches_their_index() {
    let conn = database(&table::rows()).expect("SQLite database");
    conn.execute_batch("CREATE INDEX bills_business_unit ON bills (business_unit); ANALYZE;")
        .expect("index");
    let filter = ScopeFilter::Restricted {
        company: "acme",
        reaches: vec![Reach {
            business_units: Some(vec!["bu-a", "bu-b"]),
            max_amount: Some(5_000),
            ..Reach::default()
        }],
    };
    let select = Query::select()
        .column("id")
        .from("bills")
        .cond_where(filter.to_condition(&Layout::FULL.columns()))
        .to_owned();
    assert_eq!(
        plan(&conn, &select).expect("plan"),
        "SEARCH bills USING INDEX bills_business_unit (business_unit=?)"
    );
}
