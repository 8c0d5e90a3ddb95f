//! A list query filtered by `ScopeFilter::to_condition` returns a row exactly when `decide` allows
//! the scope built from that row: on a real SQLite (always) and a real PostgreSQL (when
//! `KISUM_PG_URL` is set; `.ci/postgres` starts one). Random subjects x a table of every
//! combination of attribute values, NULLs, long ids, negative and huge amounts.

mod pg;
mod render;
mod sqlite;
mod subjects;
mod table;

use std::collections::{BTreeSet, HashMap};

use kisum_access::sql::sea_query::{Alias, Condition, Order, Query, SelectStatement};
use kisum_access::{ScopeFilter, decide};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use subjects::{KEYS, QUERIED};
use table::{Layout, Row};

/// Random subjects per run, and queries (key, company, table layout) per subject.
const SUBJECTS: u32 = 128;
const QUERIES: usize = 4;
/// What one run must check at least: rows x queries.
const MIN_ROW_CHECKS: usize = 1_000_000;

/// `SELECT id FROM bills WHERE <condition> ORDER BY id`.
pub fn select_ids(condition: Condition) -> SelectStatement {
    Query::select()
        .column("id")
        .from(Alias::new("bills"))
        .cond_where(condition)
        .order_by("id", Order::Asc)
        .to_owned()
}

fn layout() -> impl Strategy<Value = Layout> {
    let some = (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(business_unit, workflow, owner, amount)| Layout {
            business_unit,
            workflow,
            owner,
            amount,
        },
    );
    prop_oneof![4 => Just(Layout::FULL), 1 => some]
}

/// A query: a key granted in the company (when `held` and there is one) or any key, a company,
/// and which columns the table has.
#[derive(Debug, Clone)]
struct ListQuery {
    held: Option<prop::sample::Index>,
    key: usize,
    company: &'static str,
    layout: Layout,
}

fn query() -> impl Strategy<Value = ListQuery> {
    (
        prop::option::weighted(0.7, any::<prop::sample::Index>()),
        0..KEYS.len(),
        prop::sample::select(QUERIED),
        layout(),
    )
        .prop_map(|(held, key, company, layout)| ListQuery {
            held,
            key,
            company,
            layout,
        })
}

/// Runs the differential test against one database: `select` runs a query and returns the ids.
/// Returns the number of row checks; panics on the first disagreement, naming the row, the
/// filter and the SQL.
pub fn differential(
    rows: &[Row],
    select: impl Fn(&SelectStatement) -> Result<Vec<i64>, String>,
) -> usize {
    let checks = std::cell::Cell::new(0usize);
    let kinds = std::cell::RefCell::new(HashMap::<&str, usize>::new());
    let allowed = std::cell::Cell::new(0usize);
    let runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::with_cases(SUBJECTS)
    });
    let strategy = (subjects::subject(), prop::collection::vec(query(), QUERIES));
    let result = runner.clone().run(&strategy, |(spec, queries)| {
        let subject = subjects::build(&spec);
        for q in queries {
            let (company, layout) = (q.company, q.layout);
            let key = q
                .held
                .and_then(|pick| subjects::granted(&spec, company, pick))
                .unwrap_or(q.key);
            let filter = subject.filter(KEYS[key], company);
            let statement = select_ids(filter.to_condition(&layout.columns()));
            let got: BTreeSet<i64> = select(&statement)
                .map_err(TestCaseError::fail)?
                .into_iter()
                .collect();
            // The query lists one company: a row of another is never returned, even where
            // `decide` would allow it.
            for row in rows {
                let want = row.company == Some(company)
                    && row
                        .scope(layout)
                        .is_some_and(|s| decide(&subject, KEYS[key], &s).is_allowed());
                prop_assert_eq!(
                    got.contains(&row.id),
                    want,
                    "row {:?} (layout {:?})\nfilter {:?}\nSQL {}",
                    row,
                    layout,
                    filter,
                    statement.to_string(kisum_access::sql::sea_query::SqliteQueryBuilder)
                );
            }
            checks.set(checks.get() + rows.len());
            allowed.set(allowed.get() + got.len());
            let kind = match &filter {
                ScopeFilter::All { .. } => "all",
                ScopeFilter::Restricted { reaches, .. } if reaches[0].max_amount.is_some() => {
                    "restricted amounts"
                }
                ScopeFilter::Restricted { .. } => "restricted",
                ScopeFilter::None(_) => "none",
            };
            *kinds.borrow_mut().entry(kind).or_default() += 1;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (checks, allowed, kinds) = (checks.get(), allowed.get(), kinds.into_inner());
    assert!(checks >= MIN_ROW_CHECKS, "only {checks} row checks");
    // Not a test of empty answers: every kind of filter, and many rows returned.
    for kind in ["all", "restricted", "restricted amounts", "none"] {
        assert!(kinds.get(kind).copied().unwrap_or(0) >= 20, "{kinds:?}");
    }
    assert!(allowed >= 10_000, "only {allowed} of {checks} rows allowed");
    println!("{checks} row checks, {allowed} rows returned, 0 disagreements; filters {kinds:?}");
    checks
}
