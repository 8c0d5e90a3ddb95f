//! The bills table of the differential tests: every combination of attribute values, NULLs,
//! long ids that share their first and last 8 bytes, negative and huge amounts.

use kisum_access::Scope;
use kisum_access::sql::Columns;
use kisum_access::sql::sea_query::{InsertStatement, Query};

pub const USER: &str = "user-abc-north-0000001";
/// Another user, with the same first and last 8 bytes as [`USER`].
pub const OTHER_USER: &str = "user-abc-south-0000001";
pub const ACME: &str = "acme";
pub const GLOBEX: &str = "globex";
/// Longer than 15 bytes: compared past the crate's two-word tag.
pub const LONG_COMPANY: &str = "initech-holdings-intl";
/// Never a member; same first and last 8 bytes as [`LONG_COMPANY`].
pub const LONG_COMPANY_TWIN: &str = "initech-wrappings-intl";
pub const LONG_UNIT: &str = "bu-long-north-unit-01";
pub const LONG_UNIT_TWIN: &str = "bu-long-south-unit-01";

const COMPANIES: [Option<&str>; 5] = [
    Some(ACME),
    Some(GLOBEX),
    Some(LONG_COMPANY),
    Some(LONG_COMPANY_TWIN),
    None,
];
const UNITS: [Option<&str>; 7] = [
    Some("bu-a"),
    Some("bu-b"),
    Some("bu-c"),
    Some(LONG_UNIT),
    Some(LONG_UNIT_TWIN),
    Some(""),
    None,
];
const WORKFLOWS: [Option<&str>; 4] = [Some("wf-1"), Some("wf-2"), Some("wf-9"), None];
const OWNERS: [Option<&str>; 4] = [Some(USER), Some(OTHER_USER), Some(""), None];
const AMOUNTS: [Option<i64>; 11] = [
    None,
    Some(i64::MIN),
    Some(-1),
    Some(0),
    Some(999),
    Some(1_000),
    Some(1_001),
    Some(5_000),
    Some(5_001),
    Some(i64::MAX - 1),
    Some(i64::MAX),
];

/// One bill: its id and its scope columns (`None`: `NULL`).
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub id: i64,
    pub company: Option<&'static str>,
    pub business_unit: Option<&'static str>,
    pub workflow: Option<&'static str>,
    pub owner: Option<&'static str>,
    pub amount: Option<i64>,
}

/// Every combination of the values above: 6,160 rows.
pub fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for company in COMPANIES {
        for business_unit in UNITS {
            for workflow in WORKFLOWS {
                for owner in OWNERS {
                    for amount in AMOUNTS {
                        rows.push(Row {
                            id: rows.len() as i64 + 1,
                            company,
                            business_unit,
                            workflow,
                            owner,
                            amount,
                        });
                    }
                }
            }
        }
    }
    rows
}

/// Which of the optional columns a query's table has (the others are absent from `Columns`).
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub business_unit: bool,
    pub workflow: bool,
    pub owner: bool,
    pub amount: bool,
}

impl Layout {
    pub const FULL: Layout = Layout {
        business_unit: true,
        workflow: true,
        owner: true,
        amount: true,
    };

    pub fn columns(&self) -> Columns {
        let mut c = Columns::new("company");
        if self.business_unit {
            c = c.business_unit("business_unit");
        }
        if self.workflow {
            c = c.workflow("workflow");
        }
        if self.owner {
            c = c.owner("owner");
        }
        if self.amount {
            c = c.amount("amount");
        }
        c
    }
}

impl Row {
    /// The scope a service builds from this row when its table has `layout`'s columns: `None`
    /// without a company (no scope can be built, nothing is allowed); an attribute whose column is
    /// absent or `NULL` is left out; a negative amount is no `u64` amount, so it is left out too.
    pub fn scope(&self, layout: Layout) -> Option<Scope<'static>> {
        let mut s = Scope::company(self.company?);
        if let Some(b) = self.business_unit.filter(|_| layout.business_unit) {
            s = s.business_unit(b);
        }
        if let Some(w) = self.workflow.filter(|_| layout.workflow) {
            s = s.workflow(w);
        }
        if let Some(o) = self.owner.filter(|_| layout.owner) {
            s = s.owner(o);
        }
        if let Some(a) = self.amount.filter(|_| layout.amount)
            && let Ok(a) = u64::try_from(a)
        {
            s = s.amount(a);
        }
        Some(s)
    }
}

/// `CREATE TABLE bills (...)`, the same text for SQLite and PostgreSQL.
pub const CREATE: &str = "CREATE TABLE bills (id BIGINT PRIMARY KEY, company TEXT, \
    business_unit TEXT, workflow TEXT, owner TEXT, amount BIGINT)";

/// The rows as INSERT statements of at most 1,000 rows each (values bound).
pub fn inserts(rows: &[Row]) -> Vec<InsertStatement> {
    rows.chunks(1_000)
        .map(|chunk| {
            let mut insert = Query::insert();
            insert.into_table("bills").columns([
                "id",
                "company",
                "business_unit",
                "workflow",
                "owner",
                "amount",
            ]);
            for r in chunk {
                insert.values_panic([
                    r.id.into(),
                    r.company.into(),
                    r.business_unit.into(),
                    r.workflow.into(),
                    r.owner.into(),
                    r.amount.into(),
                ]);
            }
            insert
        })
        .collect()
}
