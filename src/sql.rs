//! List queries filtered in the database (feature `sql`): a [`ScopeFilter`] becomes a
//! [`sea_query::Condition`], so that paging, sorting and counting stay in SQL.
//!
//! ```
//! use kisum_access::sql::{Columns, sea_query::{Asterisk, PostgresQueryBuilder, Query}};
//! use kisum_access::{Catalog, Grant, Subject, keys};
//!
//! let s = Subject::builder(Catalog::embedded(), "u1")
//!     .membership("acme")
//!     .entitled(["promoter", "finance"])
//!     .modules(["finance"])
//!     .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-x", "bu-y"]))
//!     .grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).own_only())
//!     .build()?;
//! let columns = Columns::new("company").business_unit("business_unit").owner("created_by");
//! let condition = s.filter(keys::FINANCE_BILL_VIEW, "acme").to_condition(&columns);
//! let (sql, values) = Query::select()
//!     .column(Asterisk)
//!     .from("bills")
//!     .cond_where(condition)
//!     .build(PostgresQueryBuilder);
//! assert_eq!(
//!     sql,
//!     r#"SELECT * FROM "bills" WHERE "company" = $1 AND ("business_unit" IN ($2, $3) OR "created_by" = $4)"#
//! );
//! assert_eq!(values.0.len(), 4); // "acme", "bu-x", "bu-y", "u1": bound, never spliced
//! # Ok::<(), kisum_access::ClaimsError>(())
//! ```
//!
//! # What a row must hold
//!
//! A row is returned exactly when [`decide`](crate::decide) allows the scope built from it:
//! company, business unit, workflow and owner from their columns (a `NULL` or an absent column is
//! a scope without that attribute), and the amount from its column when it is a valid amount.
//!
//! - **`NULL` never matches a restriction.** Every restriction is a comparison (`=`, `IN`, `>=`,
//!   `<=`), false or unknown on `NULL`, so such a row is not returned: fail closed. Do not negate
//!   the condition to find what a user may *not* see: `NOT` of an unknown is still unknown.
//! - **Amounts are signed 64-bit integers** (`BIGINT`, SQLite `INTEGER`); the limits are `u64`.
//!   A limit above `i64::MAX` bounds no `i64`, so it becomes no upper bound. A negative amount is
//!   no amount a [`Scope`](crate::Scope) can carry (`u64`), so it never meets an approval limit:
//!   a restricted amount is `amount >= 0 AND amount <= limit`.
//! - **Ids compare byte for byte**, as [`decide`](crate::decide) compares them. That is the
//!   default in PostgreSQL and SQLite (`BINARY`); in MySQL use a `_bin` collation for these
//!   columns, or `'BU-X'` would match `'bu-x'` (and `'bu-x '` too).

pub use sea_query;
use sea_query::{ColumnRef, Condition, Expr, ExprTrait, IntoColumnRef};

use crate::{Reach, ScopeFilter};

/// The columns of a table that a [`ScopeFilter`] restricts: the company, and those of business
/// unit, workflow, owner and amount the table has. Built like a query: name the company column,
/// then each other column the table has (`"name"` or `("table", "name")`).
///
/// A column left out is absent: a restriction on it matches no row, as [`decide`](crate::decide)
/// denies a scope that lacks what a restriction needs. Only an unrestricted attribute can be
/// left out without losing rows.
#[derive(Debug, Clone)]
pub struct Columns {
    company: ColumnRef,
    business_unit: Option<ColumnRef>,
    workflow: Option<ColumnRef>,
    owner: Option<ColumnRef>,
    amount: Option<ColumnRef>,
}

impl Columns {
    /// A table whose company column is `company`, and none of the other columns.
    pub fn new(company: impl IntoColumnRef) -> Columns {
        Columns {
            company: company.into_column_ref(),
            business_unit: None,
            workflow: None,
            owner: None,
            amount: None,
        }
    }

    /// A table that names its columns by convention: `company`, `business_unit`, `workflow`,
    /// `owner` and `amount`. Use [`Columns::new`] and the column builders for other names, or to
    /// leave out a column the table lacks.
    ///
    /// ```
    /// use kisum_access::sql::Columns;
    ///
    /// let named = Columns::new("company").business_unit("business_unit").workflow("workflow");
    /// let conventional = Columns::conventional(); // the same, and the owner and amount columns
    /// # let _ = (named, conventional);
    /// ```
    pub fn conventional() -> Columns {
        Columns::new("company")
            .business_unit("business_unit")
            .workflow("workflow")
            .owner("owner")
            .amount("amount")
    }

    /// The business unit column (text).
    pub fn business_unit(self, column: impl IntoColumnRef) -> Columns {
        let business_unit = Some(column.into_column_ref());
        Columns {
            business_unit,
            ..self
        }
    }

    /// The workflow column (text).
    pub fn workflow(self, column: impl IntoColumnRef) -> Columns {
        let workflow = Some(column.into_column_ref());
        Columns { workflow, ..self }
    }

    /// The owner column (text: the user id of whoever owns the row).
    pub fn owner(self, column: impl IntoColumnRef) -> Columns {
        let owner = Some(column.into_column_ref());
        Columns { owner, ..self }
    }

    /// The amount column (a signed 64-bit integer, in the company's minor currency unit).
    pub fn amount(self, column: impl IntoColumnRef) -> Columns {
        let amount = Some(column.into_column_ref());
        Columns { amount, ..self }
    }
}

impl ScopeFilter<'_> {
    /// The filter as a SQL condition on a table with `columns`: rows of the filter's company
    /// inside at least one reach. Every id and amount is a bound value; the condition renders with
    /// sea-query's PostgreSQL, MySQL and SQLite builders.
    ///
    /// [`ScopeFilter::None`] and a filter whose every reach restricts a column the table lacks
    /// become `FALSE`. See the [module docs](crate::sql) for `NULL`s, amounts and collations.
    pub fn to_condition(&self, columns: &Columns) -> Condition {
        let (company, reaches) = match self {
            ScopeFilter::None(_) => return nothing(),
            ScopeFilter::All { company } => (company, None),
            ScopeFilter::Restricted { company, reaches } => (company, Some(reaches)),
        };
        let mut condition = Condition::all().add(Expr::col(columns.company.clone()).eq(*company));
        if let Some(reaches) = reaches {
            let union = reaches
                .iter()
                .filter_map(|r| r.to_condition(columns))
                .fold(Condition::any(), Condition::add);
            condition = condition.add(if union.is_empty() { nothing() } else { union });
        }
        condition
    }
}

impl Reach<'_> {
    /// The reach as an intersection of column conditions; `None` if it reaches no row of a table
    /// with `columns` (a restriction on an absent column, or an empty list).
    fn to_condition(&self, columns: &Columns) -> Option<Condition> {
        let mut all = Condition::all();
        if let Some(list) = &self.business_units {
            all = all.add(in_list(columns.business_unit.as_ref()?, list)?);
        }
        if let Some(list) = &self.workflows {
            all = all.add(in_list(columns.workflow.as_ref()?, list)?);
        }
        if let Some(owner) = self.owner {
            all = all.add(Expr::col(columns.owner.clone()?).eq(owner));
        }
        if let Some(limit) = self.max_amount {
            let amount = columns.amount.clone()?;
            // A negative amount is no valid amount; a limit past `i64::MAX` bounds no `i64`.
            all = all.add(Expr::col(amount.clone()).gte(0i64));
            if let Ok(limit) = i64::try_from(limit) {
                all = all.add(Expr::col(amount).lte(limit));
            }
        }
        Some(all)
    }
}

/// `column = value` for one value, `column IN (values)` for more; `None` for no value.
fn in_list(column: &ColumnRef, list: &[&str]) -> Option<Expr> {
    match list {
        [] => None,
        [one] => Some(Expr::col(column.clone()).eq(*one)),
        _ => Some(Expr::col(column.clone()).is_in(list.iter().copied())),
    }
}

/// A condition no row meets: the constant `FALSE`.
fn nothing() -> Condition {
    Condition::all().add(Expr::Constant(false.into()))
}
