//! A small CLI: prints the decision and every layer's verdict for one request.
//!
//! ```text
//! cargo run --example explain -- --claims token.json --entitlements ents.json \
//!     --key finance.bill.view --company acme [--business-unit bu-x] [--workflow wf-1] \
//!     [--owner u] [--amount N]
//! ```
//!
//! `--entitlements` takes a JSON array of `{"company", "modules"}` objects (or one object).
//! `--help` prints the usage and exits 0; bad arguments or input print the error and the usage
//! and exit 2; a request that is denied exits 1.

use std::io::Write;
use std::process::ExitCode;

use kisum_access::{Catalog, Claims, Entitlements, Scope, Subject, explain};

const USAGE: &str = "usage: explain --claims FILE --entitlements FILE --key KEY --company ID \
[--business-unit ID] [--workflow ID] [--owner ID] [--amount N]";

#[derive(Default)]
struct Args {
    claims: Option<String>,
    entitlements: Option<String>,
    key: Option<String>,
    company: Option<String>,
    business_unit: Option<String>,
    workflow: Option<String>,
    owner: Option<String>,
    amount: Option<u64>,
    help: bool,
}

fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args::default();
    while let Some(flag) = argv.next() {
        if flag == "--help" || flag == "-h" {
            a.help = true;
            return Ok(a);
        }
        let value = argv.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let slot = match flag.as_str() {
            "--claims" => &mut a.claims,
            "--entitlements" => &mut a.entitlements,
            "--key" => &mut a.key,
            "--company" => &mut a.company,
            "--business-unit" => &mut a.business_unit,
            "--workflow" => &mut a.workflow,
            "--owner" => &mut a.owner,
            "--amount" => {
                a.amount = Some(
                    value
                        .parse()
                        .map_err(|_| format!("--amount takes a whole number, not {value:?}"))?,
                );
                continue;
            }
            other => return Err(format!("unknown argument {other:?}")),
        };
        if slot.replace(value).is_some() {
            return Err(format!("{flag} given twice"));
        }
    }
    Ok(a)
}

fn run(a: Args) -> Result<bool, String> {
    let need = |v: Option<String>, name: &str| v.ok_or_else(|| format!("missing {name}"));
    let claims_path = need(a.claims, "--claims")?;
    let ents_path = need(a.entitlements, "--entitlements")?;
    let key_name = need(a.key, "--key")?;
    let company = need(a.company, "--company")?;

    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"));
    let claims: Claims =
        serde_json::from_str(&read(&claims_path)?).map_err(|e| format!("{claims_path}: {e}"))?;
    let ents_text = read(&ents_path)?;
    // A list, or one object: the first non-blank character says which, so the error reported is
    // the one about the shape the file has.
    let ents: Vec<Entitlements> = if ents_text.trim_start().starts_with('[') {
        serde_json::from_str(&ents_text)
    } else {
        serde_json::from_str::<Entitlements>(&ents_text).map(|e| vec![e])
    }
    .map_err(|e| format!("{ents_path}: {e}"))?;

    let catalog = Catalog::embedded();
    let key = catalog.key(&key_name).map_err(|e| e.to_string())?;
    let subject = Subject::from_claims(catalog, &claims, &ents).map_err(|e| e.to_string())?;
    let scope = Scope::company(&company)
        .maybe_business_unit(a.business_unit.as_deref())
        .maybe_workflow(a.workflow.as_deref())
        .maybe_owner(a.owner.as_deref())
        .maybe_amount(a.amount);
    let e = explain(&subject, key, &scope);
    print!("{e}");
    Ok(e.decision().is_allowed())
}

/// The whole program: 0 allowed (or `--help`), 1 denied, 2 bad arguments or input; errors and
/// the usage go to `err`. (`tests/examples.rs` calls it.)
pub fn cli(argv: impl Iterator<Item = String>, err: &mut dyn Write) -> u8 {
    let args = match parse(argv) {
        Ok(a) if a.help => {
            println!("{USAGE}");
            return 0;
        }
        Ok(a) => a,
        Err(msg) => {
            let _ = writeln!(err, "error: {msg}\n{USAGE}");
            return 2;
        }
    };
    match run(args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(msg) => {
            let _ = writeln!(err, "error: {msg}\n{USAGE}");
            2
        }
    }
}

fn main() -> ExitCode {
    ExitCode::from(cli(std::env::args().skip(1), &mut std::io::stderr()))
}
