//! `kisum-access who-can KEY`: the role templates that grant a key and, given tokens, the users
//! that hold it in each of their companies, as the crate's own `Subject::filter` answers.

use std::path::PathBuf;

use kisum_access::{Catalog, Key, Reach, ScopeFilter, Subject};
use serde_json::{Value, json};

use crate::input;
use crate::output::{DIM, Exit, Failure, GOOD, HEAD, paint, print_json};

/// Arguments of `who-can`.
#[derive(clap::Args)]
pub struct Args {
    /// The permission key (`finance.bill.view`).
    key: String,
    /// A catalog file (`catalogs/bam.toml`); the Kisum catalog built into the tool by default.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// A directory of token files (`*.json`: Kisum claims or B.A.M tokens) to search for holders.
    #[arg(long)]
    tokens: Option<PathBuf>,
    /// Company entitlements (JSON array of `{"company", "modules"}`), needed for Kisum tokens.
    #[arg(long, requires = "tokens")]
    entitlements: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::Format::Human)]
    format: crate::Format,
}

/// One user's hold on the key in one company (`reaches: None`: everything).
struct Holder<'s> {
    file: &'s str,
    user: &'s str,
    company: &'s str,
    reaches: Option<Vec<Reach<'s>>>,
    max_amount: Option<u64>,
}

fn describe_reach(r: &Reach<'_>) -> String {
    let mut parts = Vec::new();
    if let Some(units) = &r.business_units {
        parts.push(format!("business units {}", units.join(", ")));
    }
    if let Some(flows) = &r.workflows {
        parts.push(format!("workflows {}", flows.join(", ")));
    }
    if r.owner.is_some() {
        parts.push("own resources only".to_owned());
    }
    if parts.is_empty() {
        "everywhere".to_owned()
    } else {
        parts.join("; ")
    }
}

fn describe(h: &Holder) -> String {
    let mut text = match &h.reaches {
        None => "everything".to_owned(),
        Some(reaches) => {
            let each: Vec<String> = reaches
                .iter()
                .map(|r| format!("[{}]", describe_reach(r)))
                .collect();
            each.join(" or ")
        }
    };
    if let Some(limit) = h.max_amount {
        text.push_str(&format!("; amounts up to {limit}"));
    }
    text
}

fn reach_json(r: &Reach<'_>) -> Value {
    json!({"business_units": r.business_units, "workflows": r.workflows, "owner": r.owner})
}

/// Every token of `--tokens`, compiled against the catalog.
fn subjects(args: &Args, catalog: &Catalog) -> Result<Vec<(String, Subject)>, Failure> {
    let Some(dir) = &args.tokens else {
        return Ok(Vec::new());
    };
    let ents = args
        .entitlements
        .as_deref()
        .map(input::entitlements)
        .transpose()?;
    let mut out = Vec::new();
    for (path, token) in input::tokens(dir)? {
        let file = path.display().to_string();
        match token.subject(catalog, ents.as_deref()) {
            Ok(subject) => out.push((file, subject)),
            Err(e) => return Err(Failure(format!("{file}: {e}"))),
        }
    }
    Ok(out)
}

/// Who holds `key` where, as `Subject::filter` says.
fn holders(subjects: &[(String, Subject)], key: Key) -> Vec<Holder<'_>> {
    let mut out = Vec::new();
    for (file, subject) in subjects {
        for company in subject.companies() {
            let (reaches, max_amount) = match subject.filter(key, company) {
                ScopeFilter::All => (None, None),
                ScopeFilter::Restricted {
                    reaches,
                    max_amount,
                } => (Some(reaches), max_amount),
                _ => continue,
            };
            let user = subject.user_id();
            out.push(Holder {
                file,
                user,
                company,
                reaches,
                max_amount,
            });
        }
    }
    out
}

/// Prints the roles and holders of the key; exit 0 (2 for an unknown key or a bad file).
pub fn run(args: &Args) -> Result<Exit, Failure> {
    let catalog = input::catalog_or_embedded(args.catalog.as_deref())?;
    let key = catalog.key(&args.key).map_err(|e| Failure(e.to_string()))?;
    let roles: Vec<(&str, &str)> = catalog
        .roles()
        .filter(|r| r.contains(key))
        .map(|r| {
            (
                r.name(),
                if r.grants().any(|k| k == key) {
                    "all"
                } else {
                    "own_only"
                },
            )
        })
        .collect();
    let subjects = subjects(args, &catalog)?;
    let holders = holders(&subjects, key);
    let module = catalog.module_name(key.module());
    if args.format == crate::Format::Json {
        let roles: Vec<Value> = roles
            .iter()
            .map(|(r, l)| json!({"role": r, "level": l}))
            .collect();
        let users: Vec<Value> = holders.iter().map(|h| json!({
            "file": h.file, "user": h.user, "company": h.company,
            "access": if h.reaches.is_none() { "all" } else { "restricted" },
            "reaches": h.reaches.as_ref().map(|r| r.iter().map(reach_json).collect::<Vec<_>>()),
            "max_amount": h.max_amount,
        })).collect();
        let tokens = args.tokens.is_some().then_some(users);
        print_json(
            &json!({"key": args.key, "module": module, "gates": catalog.gates(key), "roles": roles, "holders": tokens}),
        );
        return Ok(Exit::Ok);
    }
    anstream::println!(
        "{}  {}",
        paint(HEAD, &args.key),
        paint(DIM, catalog.gates(key))
    );
    anstream::println!("module: {module} ({})", key.module().kind().as_str());
    anstream::println!("{}", paint(HEAD, "roles that grant it:"));
    if roles.is_empty() {
        anstream::println!("  none");
    }
    let width = roles.iter().map(|(r, _)| r.len()).max().unwrap_or(0);
    for (role, level) in &roles {
        anstream::println!("  {role:width$}  {level}");
    }
    if args.tokens.is_some() {
        anstream::println!(
            "{}",
            paint(HEAD, format!("users that hold it ({}):", holders.len()))
        );
        for h in &holders {
            anstream::println!(
                "  {}  {}  {}  {}",
                paint(GOOD, h.user),
                h.company,
                describe(h),
                paint(DIM, h.file)
            );
        }
    }
    Ok(Exit::Ok)
}
