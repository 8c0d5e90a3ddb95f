//! `kisum-access migrate`: the `basic.*` migration report (the crate's `migrate`) for key names,
//! a legacy role template file, or a directory of tokens. Exit 1 when a name is dropped or
//! unknown (its holders would lose access), 0 when every name has a current key.

use std::path::{Path, PathBuf};

use clap::ArgGroup;
use kisum_access::{Catalog, Migrated, Migration, migrate};
use serde_json::{Value, json};

use crate::input::{self, Token};
use crate::output::{Exit, Failure, HEAD, paint, print_json};

/// Arguments of `migrate`.
#[derive(clap::Args)]
#[group(skip)]
#[command(group(ArgGroup::new("source").required(true).args(["names", "template", "tokens"])))]
pub struct Args {
    /// Key names to migrate (`basic.events.read`).
    names: Vec<String>,
    /// A legacy role template: a JSON array of key names, or one name per line (`#` comments).
    #[arg(long)]
    template: Option<PathBuf>,
    /// A directory of token files (`*.json`), or one token file: the names each membership grants.
    #[arg(long)]
    tokens: Option<PathBuf>,
    /// A catalog file; the Kisum catalog built into the tool by default.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::Format::Human)]
    format: crate::Format,
}

/// The names of a role template file.
fn template(path: &Path) -> Result<Vec<String>, Failure> {
    let text = input::read(path)?;
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(&text)
            .map_err(|e| Failure(format!("{}: {e}", path.display())));
    }
    let names = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim());
    Ok(names.filter(|l| !l.is_empty()).map(str::to_owned).collect())
}

/// Per token file and membership: a label and the key names it grants.
fn token_names(path: &Path) -> Result<Vec<(String, Vec<String>)>, Failure> {
    let files = if path.is_dir() {
        input::tokens(path)?
    } else {
        vec![(path.to_owned(), input::token(path)?)]
    };
    let mut out = Vec::new();
    for (file, token) in files {
        let file = file.display();
        match token {
            Token::Kisum(claims) => {
                for m in &claims.memberships {
                    let names = m.permissions.iter().map(|p| p.key().to_owned()).collect();
                    out.push((format!("{file}: {} in {}", claims.sub, m.company), names));
                }
            }
            Token::Bam(token) => {
                for (org, levels) in &token.permissions {
                    let names = levels
                        .org_level
                        .iter()
                        .chain(&levels.owner)
                        .cloned()
                        .collect();
                    out.push((format!("{file}: {} in {org}", token.sub), names));
                }
            }
        }
    }
    Ok(out)
}

fn entry_json(catalog: &Catalog, from: &str, outcome: &Migrated<'_>) -> Value {
    match outcome {
        Migrated::Current(_) => json!({"from": from, "outcome": "current"}),
        Migrated::Replaced(k) => {
            json!({"from": from, "outcome": "replaced", "to": catalog.name(*k)})
        }
        Migrated::Dropped { reason } => {
            json!({"from": from, "outcome": "dropped", "reason": reason})
        }
        Migrated::Unknown(e) => json!({"from": from, "outcome": "unknown", "error": e.to_string()}),
        _ => json!({"from": from, "outcome": "other"}),
    }
}

fn report_json(catalog: &Catalog, label: &str, m: &Migration<'_>) -> Value {
    let entries: Vec<Value> = m
        .entries()
        .iter()
        .map(|e| entry_json(catalog, &e.from, &e.outcome))
        .collect();
    let keys: Vec<&str> = m.keys().into_iter().map(|k| catalog.name(k)).collect();
    json!({"source": label, "entries": entries, "keys": keys, "lossless": m.is_lossless()})
}

/// Migrates every source; exit 1 when a name is dropped or unknown.
pub fn run(args: &Args) -> Result<Exit, Failure> {
    let catalog = input::catalog_or_embedded(args.catalog.as_deref())?;
    let sources: Vec<(String, Vec<String>)> = match (&args.template, &args.tokens) {
        (Some(path), _) => vec![(path.display().to_string(), template(path)?)],
        (None, Some(path)) => token_names(path)?,
        (None, None) => vec![("arguments".to_owned(), args.names.clone())],
    };
    let reports: Vec<(&str, Migration<'_>)> = sources
        .iter()
        .map(|(label, names)| (label.as_str(), migrate(&catalog, names)))
        .collect();
    let lossless = reports.iter().all(|(_, m)| m.is_lossless());
    if args.format == crate::Format::Json {
        let list: Vec<Value> = reports
            .iter()
            .map(|(l, m)| report_json(&catalog, l, m))
            .collect();
        print_json(&json!({"reports": list, "lossless": lossless}));
    } else {
        for (label, m) in &reports {
            anstream::println!("{}", paint(HEAD, label));
            anstream::print!("{m}");
            let keys: Vec<&str> = m.keys().into_iter().map(|k| catalog.name(k)).collect();
            anstream::println!("  keys to grant: {}", keys.join(", "));
        }
    }
    Ok(Exit::findings_if(!lossless))
}
