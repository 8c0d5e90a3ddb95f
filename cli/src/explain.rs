//! `kisum-access explain`: one request of one token, every layer's verdict (`explain`), exit 0
//! when allowed and 1 when denied.

use std::path::PathBuf;

use kisum_access::{Scope, explain};

use crate::input;
use crate::output::{BAD, Exit, Failure, GOOD, paint};

/// Arguments of `explain`.
#[derive(clap::Args)]
pub struct Args {
    /// The token: Kisum claims JSON (or a B.A.M token with `--catalog catalogs/bam.toml`).
    #[arg(long)]
    claims: PathBuf,
    /// Company entitlements: a JSON array of `{"company", "modules"}` objects, or one object.
    #[arg(long)]
    entitlements: Option<PathBuf>,
    /// The permission key asked for.
    #[arg(long)]
    key: String,
    /// The company of the request.
    #[arg(long)]
    company: String,
    /// The business unit of the resource.
    #[arg(long)]
    business_unit: Option<String>,
    /// The workflow of the resource.
    #[arg(long)]
    workflow: Option<String>,
    /// The owner (user id) of the resource.
    #[arg(long)]
    owner: Option<String>,
    /// The amount, for approval keys.
    #[arg(long)]
    amount: Option<u64>,
    /// A catalog file; the Kisum catalog built into the tool by default.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Output format (`json`: the explanation's stable JSON shape).
    #[arg(long, value_enum, default_value_t = crate::Format::Human)]
    format: crate::Format,
}

/// Explains the request; exit 0 allowed, 1 denied, 2 bad input.
pub fn run(a: &Args) -> Result<Exit, Failure> {
    let catalog = input::catalog_or_embedded(a.catalog.as_deref())?;
    let token = input::token(&a.claims)?;
    let ents = a
        .entitlements
        .as_deref()
        .map(input::entitlements)
        .transpose()?;
    let key = catalog.key(&a.key).map_err(|e| Failure(e.to_string()))?;
    let subject = token
        .subject(&catalog, ents.as_deref())
        .map_err(|e| Failure(format!("{}: {e}", a.claims.display())))?;
    let mut scope = Scope::company(&a.company);
    if let Some(b) = &a.business_unit {
        scope = scope.business_unit(b);
    }
    if let Some(w) = &a.workflow {
        scope = scope.workflow(w);
    }
    if let Some(o) = &a.owner {
        scope = scope.owner(o);
    }
    if let Some(n) = a.amount {
        scope = scope.amount(n);
    }
    let e = explain(&subject, key, &scope);
    let allowed = e.decision().is_allowed();
    if a.format == crate::Format::Json {
        let value = serde_json::to_value(&e).map_err(|err| Failure(err.to_string()))?;
        crate::output::print_json(&value);
        return Ok(Exit::findings_if(!allowed));
    }
    let text = e.to_string();
    let style = if allowed { GOOD } else { BAD };
    let mut lines = text.lines();
    if let Some(first) = lines.next() {
        anstream::println!("{}", paint(style, first));
    }
    for line in lines {
        anstream::println!("{line}");
    }
    Ok(Exit::findings_if(!allowed))
}
