//! The condition renders with sea-query's PostgreSQL, MySQL and SQLite builders, with every id
//! and amount bound; edge cases of the algebra render as constants, never as `()`.

use kisum_access::sql::Columns;
use kisum_access::sql::sea_query::{
    MysqlQueryBuilder, PostgresQueryBuilder, QueryBuilder, SqliteQueryBuilder, Value,
};
use kisum_access::{Catalog, Denial, Grant, Reach, ScopeFilter, Subject, keys};

use crate::select_ids;

fn columns() -> Columns {
    Columns::new("company")
        .business_unit("business_unit")
        .workflow("workflow")
        .owner("owner")
        .amount("amount")
}

/// The WHERE clause and the bound values of `filter` on `columns`, with `builder`.
fn render(
    filter: &ScopeFilter<'_>,
    columns: &Columns,
    builder: impl QueryBuilder,
) -> (String, Vec<Value>) {
    let (sql, values) = select_ids(filter.to_condition(columns)).build(builder);
    let clause = sql
        .split_once(" WHERE ")
        .and_then(|(_, w)| w.split_once(" ORDER BY"))
        .expect("a WHERE clause")
        .0
        .to_string();
    (clause, values.0)
}

fn restricted<'a>(reaches: Vec<Reach<'a>>) -> ScopeFilter<'a> {
    ScopeFilter::Restricted {
        company: "acme",
        reaches,
    }
}

#[test]
fn every_dialect_renders_the_same_condition_with_bound_values() {
    let s = Subject::builder(Catalog::embedded(), "u1")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .grant(&Grant::new("acme", keys::FINANCE_BILL_APPROVE).business_units(["bu-y", "bu-x"]))
        .grant(
            &Grant::new("acme", keys::FINANCE_BILL_APPROVE)
                .own_only()
                .workflows(["wf-1"]),
        )
        .approval_limit(5_000)
        .build()
        .unwrap();
    let filter = s.filter(keys::FINANCE_BILL_APPROVE, "acme");
    let shape = "{C} = P AND (({B} IN (P, P) AND {A} >= P AND {A} <= P) \
        OR ({W} = P AND {O} = P AND {A} >= P AND {A} <= P))";
    let quoted = |q: &str| {
        [
            ("{C}", "company"),
            ("{B}", "business_unit"),
            ("{W}", "workflow"),
            ("{O}", "owner"),
            ("{A}", "amount"),
        ]
        .iter()
        .fold(shape.to_string(), |s, (from, to)| {
            s.replace(from, &format!("{q}{to}{q}"))
        })
    };
    // PostgreSQL numbers its placeholders.
    let numbered = |s: String| {
        let mut parts = s.split('P');
        let first = parts.next().unwrap_or_default().to_string();
        parts
            .enumerate()
            .fold(first, |out, (i, part)| format!("{out}${}{part}", i + 1))
    };
    let expected_values: Vec<Value> = vec![
        "acme".into(),
        "bu-x".into(),
        "bu-y".into(),
        0i64.into(),
        5_000i64.into(),
        "wf-1".into(),
        "u1".into(),
        0i64.into(),
        5_000i64.into(),
    ];
    let (pg, pg_values) = render(&filter, &columns(), PostgresQueryBuilder);
    assert_eq!(pg, numbered(quoted("\"")));
    assert_eq!(pg_values, expected_values);
    let (mysql, mysql_values) = render(&filter, &columns(), MysqlQueryBuilder);
    assert_eq!(mysql, quoted("`").replace('P', "?"));
    assert_eq!(mysql_values, expected_values);
    let (sqlite, sqlite_values) = render(&filter, &columns(), SqliteQueryBuilder);
    assert_eq!(sqlite, quoted("\"").replace('P', "?"));
    assert_eq!(sqlite_values, expected_values);
}

#[test]
fn ids_are_bound_never_spliced() {
    let hostile = "bu' OR '1'='1";
    let filter = restricted(vec![Reach {
        business_units: Some(vec![hostile]),
        owner: Some("u1\"; DROP TABLE bills; --"),
        ..Reach::default()
    }]);
    for (sql, values) in [
        render(&filter, &columns(), PostgresQueryBuilder),
        render(&filter, &columns(), MysqlQueryBuilder),
        render(&filter, &columns(), SqliteQueryBuilder),
    ] {
        assert!(!sql.contains("bu'") && !sql.contains("DROP"), "{sql}");
        assert!(values.contains(&hostile.into()), "{values:?}");
    }
}

#[test]
fn limits_past_i64_max_bound_nothing_and_negative_amounts_never_match() {
    let at = |limit| {
        let f = restricted(vec![Reach {
            max_amount: Some(limit),
            ..Reach::default()
        }]);
        render(&f, &columns(), SqliteQueryBuilder)
    };
    let at_max = at(i64::MAX as u64);
    assert_eq!(
        at_max.0,
        r#""company" = ? AND ("amount" >= ? AND "amount" <= ?)"#
    );
    assert_eq!(at_max.1[1..], [0i64.into(), i64::MAX.into()]);
    for past in [i64::MAX as u64 + 1, u64::MAX] {
        let (sql, values) = at(past);
        assert_eq!(sql, r#""company" = ? AND "amount" >= ?"#);
        assert_eq!(values, ["acme".into(), 0i64.into()]);
    }
}

#[test]
fn nothing_renders_false_and_everything_renders_the_company_alone() {
    let none = ScopeFilter::None(Denial::MissingPermission);
    let all = ScopeFilter::All { company: "acme" };
    let unit = |units: Vec<&'static str>| Reach {
        business_units: Some(units),
        ..Reach::default()
    };
    let cases = [
        (none, "FALSE"),
        (all, r#""company" = ?"#),
        (restricted(vec![]), r#""company" = ? AND FALSE"#),
        (restricted(vec![unit(vec![])]), r#""company" = ? AND FALSE"#),
        (
            restricted(vec![Reach::default()]),
            r#""company" = ? AND TRUE"#,
        ),
        (
            restricted(vec![unit(vec![]), unit(vec!["bu-x"])]),
            r#""company" = ? AND "business_unit" = ?"#,
        ),
    ];
    for (filter, want) in cases {
        assert_eq!(
            render(&filter, &columns(), SqliteQueryBuilder).0,
            want,
            "{filter:?}"
        );
    }
}

#[test]
fn a_restriction_on_a_column_the_table_lacks_matches_nothing() {
    let filter = restricted(vec![
        Reach {
            workflows: Some(vec!["wf-1"]),
            ..Reach::default()
        },
        Reach {
            owner: Some("u1"),
            ..Reach::default()
        },
    ]);
    let no_workflow = Columns::new("company").owner("owner");
    assert_eq!(
        render(&filter, &no_workflow, SqliteQueryBuilder).0,
        r#""company" = ? AND "owner" = ?"#
    );
    let neither = Columns::new(("bills", "company"));
    assert_eq!(
        render(&filter, &neither, PostgresQueryBuilder).0,
        r#""bills"."company" = $1 AND FALSE"#
    );
}

#[test]
fn conventional_columns_are_named_after_the_scope() {
    let filter = restricted(vec![Reach {
        business_units: Some(vec!["bu-x"]),
        workflows: Some(vec!["wf-1"]),
        owner: Some("u1"),
        max_amount: Some(5_000),
    }]);
    assert_eq!(
        render(&filter, &Columns::conventional(), SqliteQueryBuilder).0,
        r#""company" = ? AND ("business_unit" = ? AND "workflow" = ? AND "owner" = ? AND "amount" >= ? AND "amount" <= ?)"#
    );
}
