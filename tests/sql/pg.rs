//! The differential test on a real PostgreSQL, at `KISUM_PG_URL` (`.ci/postgres` starts a
//! throw-away cluster and sets it).

use std::cell::RefCell;

use kisum_access::sql::sea_query::PostgresQueryBuilder;
use postgres::{Client, NoTls};
use sea_query_postgres::PostgresBinder;

use crate::table;

/// The environment variable naming the database, e.g. `postgres://kisum@127.0.0.1:54329/kisum`.
const URL: &str = "KISUM_PG_URL";

#[test]
#[ignore = "needs a PostgreSQL: set KISUM_PG_URL and pass --include-ignored (.ci/postgres does)"]
fn postgres_returns_a_row_exactly_when_decide_allows_it() {
    let url = std::env::var(URL).unwrap_or_else(|_| {
        panic!(
            "{URL} is not set: this test needs a PostgreSQL to run against. \
             `.ci/postgres` starts a throw-away one and runs it"
        )
    });
    let mut client = Client::connect(&url, NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to {URL}={url}: {e}"));
    // A temporary table: private to this session, gone when it ends.
    client
        .batch_execute(&table::CREATE.replace("CREATE TABLE", "CREATE TEMPORARY TABLE"))
        .unwrap();
    let rows = table::rows();
    for insert in table::inserts(&rows) {
        let (sql, values) = insert.build_postgres(PostgresQueryBuilder);
        client.execute(&sql, &values.as_params()).unwrap();
    }
    let stored: i64 = client
        .query_one("SELECT count(*) FROM bills", &[])
        .unwrap()
        .get(0);
    assert_eq!(stored, rows.len() as i64);
    let version: String = client.query_one("SHOW server_version", &[]).unwrap().get(0);
    let client = RefCell::new(client);
    let checks = crate::differential(&rows, |select| {
        let (sql, values) = select.build_postgres(PostgresQueryBuilder);
        let rows = client
            .borrow_mut()
            .query(&sql, &values.as_params())
            .map_err(|e| format!("{e}: {sql}"))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    });
    println!(
        "PostgreSQL {version}: {checks} row checks over {} rows",
        rows.len()
    );
}
