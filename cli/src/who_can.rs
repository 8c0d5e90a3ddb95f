//! `kisum-access who-can KEY`: the role templates that grant a key and, given tokens, the users
//! that hold it in each of their companies, as the crate's own `Subject::filter` answers.

use std::path::PathBuf;

use kisum_access::{Catalog, Key, KeyError, Reach, ScopeFilter, Subject};
use serde_json::{Value, json};

use crate::input;
use crate::output::{DIM, Exit, Failure, GOOD, HEAD, WARN, paint};

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

/// What `who-can` found: the roles granting the key, the holders, and the names each token
/// carried that the catalog does not know (skipped: they granted nothing, but a newer catalog
/// might grant the key through them).
struct Answer<'s> {
    roles: Vec<(&'s str, &'static str)>,
    holders: Option<Vec<Holder<'s>>>,
    skipped: Vec<(&'s str, &'s str, Vec<&'s str>)>,
}

fn print_json(args: &Args, catalog: &Catalog, key: Key, answer: &Answer<'_>) {
    let roles: Vec<Value> = answer
        .roles
        .iter()
        .map(|(r, l)| json!({"role": r, "level": l}))
        .collect();
    let holders = answer.holders.as_ref().map(|list| {
        let each = list.iter().map(|h| {
            let reaches = h
                .reaches
                .as_ref()
                .map(|r| r.iter().map(reach_json).collect::<Vec<_>>());
            let access = if h.reaches.is_none() {
                "all"
            } else {
                "restricted"
            };
            json!({"file": h.file, "user": h.user, "company": h.company, "access": access,
                   "reaches": reaches, "max_amount": h.max_amount})
        });
        each.collect::<Vec<_>>()
    });
    let skipped: Vec<Value> = answer
        .skipped
        .iter()
        .map(|(file, user, names)| json!({"file": file, "user": user, "names": names}))
        .collect();
    let module = catalog.module_name(key.module());
    crate::output::print_json(
        &json!({"key": args.key, "module": module, "gates": catalog.gates(key),
        "roles": roles, "holders": holders, "skipped_names": skipped}),
    );
}

fn print_human(args: &Args, catalog: &Catalog, key: Key, answer: &Answer<'_>) {
    anstream::println!(
        "{}  {}",
        paint(HEAD, &args.key),
        paint(DIM, catalog.gates(key))
    );
    let (module, kind) = (
        catalog.module_name(key.module()),
        key.module().kind().as_str(),
    );
    anstream::println!("module: {module} ({kind})");
    anstream::println!("{}", paint(HEAD, "roles that grant it:"));
    if answer.roles.is_empty() {
        anstream::println!("  none");
    }
    let width = answer.roles.iter().map(|(r, _)| r.len()).max().unwrap_or(0);
    for (role, level) in &answer.roles {
        anstream::println!("  {role:width$}  {level}");
    }
    if let Some(holders) = &answer.holders {
        anstream::println!(
            "{}",
            paint(HEAD, format!("users that hold it ({}):", holders.len()))
        );
        for h in holders {
            let (user, file) = (paint(GOOD, h.user), paint(DIM, h.file));
            anstream::println!("  {user}  {}  {}  {file}", h.company, describe(h));
        }
    }
    if !answer.skipped.is_empty() {
        anstream::println!(
            "{}",
            paint(
                WARN,
                "names this catalog does not know (skipped, granted nothing):"
            )
        );
        for (file, user, names) in &answer.skipped {
            anstream::println!("  {user}  {}  {}", names.join(", "), paint(DIM, file));
        }
    }
}

/// Prints the roles and holders of the key; exit 0 (2 for an unknown key or a bad file).
pub fn run(args: &Args) -> Result<Exit, Failure> {
    let catalog = input::catalog_or_embedded(args.catalog.as_deref())?;
    let key = catalog
        .key(&args.key)
        .map_err(|e| match (e, &args.catalog) {
            (KeyError::Unknown { .. }, None) => Failure(format!(
                "{e} (the Kisum catalog built into the tool; pass --catalog FILE for another, \
             e.g. catalogs/bam.toml for B.A.M keys)"
            )),
            _ => Failure(e.to_string()),
        })?;
    let level = |r: &kisum_access::Role<'_>| {
        if r.grants().any(|k| k == key) {
            "all"
        } else {
            "own_only"
        }
    };
    let roles = catalog
        .roles()
        .filter(|r| r.contains(key))
        .map(|r| (r.name(), level(&r)))
        .collect();
    let subjects = subjects(args, &catalog)?;
    let skipped = subjects
        .iter()
        .filter(|(_, s)| s.skipped_names().next().is_some())
        .map(|(file, s)| (file.as_str(), s.user_id(), s.skipped_names().collect()))
        .collect();
    let holders = args.tokens.is_some().then(|| holders(&subjects, key));
    let answer = Answer {
        roles,
        holders,
        skipped,
    };
    if args.format == crate::Format::Json {
        print_json(args, &catalog, key, &answer);
    } else {
        print_human(args, &catalog, key, &answer);
    }
    Ok(Exit::Ok)
}
