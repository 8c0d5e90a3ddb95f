//! `kisum-access export`: the catalog as JSON, as the Markdown reference (`docs/catalog.md`), or
//! as TypeScript for frontends.

mod json;
mod markdown;
mod typescript;

use std::path::PathBuf;

use clap::ValueEnum;
use kisum_access::Catalog;

use crate::input;
use crate::output::{Exit, Failure};

/// What to export as.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Modules, keys, roles and legacy aliases as one JSON document.
    Json,
    /// The Markdown reference committed as `docs/catalog.md`.
    Markdown,
    /// A TypeScript module: key union type, constants, module and role lists.
    Typescript,
}

/// Arguments of `export`.
#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// A catalog file; the Kisum catalog built into the tool by default.
    #[arg(long)]
    catalog: Option<PathBuf>,
}

/// What identifies the catalog in every export: its name, version and content fingerprint (16 hex
/// digits: a `u64` does not fit a JSON or TypeScript number exactly).
pub fn identity(catalog: &Catalog) -> Vec<(&'static str, String)> {
    vec![
        ("name", catalog.catalog_name().to_owned()),
        ("version", catalog.version().to_owned()),
        ("fingerprint", format!("{:016x}", catalog.fingerprint())),
    ]
}

/// Prints the export on stdout.
pub fn run(args: &Args) -> Result<Exit, Failure> {
    let catalog = input::catalog_or_embedded(args.catalog.as_deref())?;
    let text = match args.format {
        ExportFormat::Json => json::document(&catalog),
        ExportFormat::Markdown => {
            let source = args.catalog.as_ref().map(|p| p.display().to_string());
            markdown::document(&catalog, source.as_deref().unwrap_or("catalog.toml"))
        }
        ExportFormat::Typescript => typescript::module(&catalog)?,
    };
    print!("{text}");
    Ok(Exit::Ok)
}
