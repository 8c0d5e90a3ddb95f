//! `kisum-access`: the permission catalog's lifecycle on the command line.
//!
//! Validate catalogs (`check`), gate catalog pull requests (`diff`), find who holds a key
//! (`who-can`), explain one decision (`explain`), report the `basic.*` migration (`migrate`) and
//! generate documentation and frontend types (`export`). Every answer comes from the
//! `kisum-access` crate itself: its validator, `decide`, `filter` and `migrate`.
//!
//! Exit codes: 0 ok, 1 findings (catalog problems, a breaking diff, a denied request, names that
//! do not migrate), 2 usage (bad arguments, unreadable or invalid input).

mod check;
mod diff;
mod diff_report;
mod explain;
mod export;
mod input;
mod intent;
mod migrate;
mod output;
mod who_can;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::output::{Exit, Failure};

const EXIT_CODES: &str = "Exit codes:
  0  ok
  1  findings: catalog problems, a breaking diff, a denied request, names that do not migrate
  2  usage: bad arguments, unreadable or invalid input";

/// The permission catalog's lifecycle: check, diff, export, who-can, explain, migrate.
#[derive(Parser)]
#[command(name = "kisum-access", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output for humans (coloured on a terminal only) or as JSON.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Text for people.
    Human,
    /// One JSON document on stdout.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Validate catalogs: every problem of each file, as `file:line:col: message`.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// Catalog files (`catalog.toml`, `catalogs/bam.toml`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format (`json` for CI annotations).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Compare two versions of a catalog; fails on a key removed without an alias or a role that
    /// widens, unless the new catalog lists the change under `[catalog.intended]`.
    #[command(after_help = EXIT_CODES)]
    Diff {
        /// The catalog before the change.
        old: PathBuf,
        /// The catalog after the change.
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// The roles that grant a key and, with tokens, the users that hold it and where.
    #[command(name = "who-can", after_help = EXIT_CODES)]
    WhoCan(who_can::Args),
    /// Every layer's verdict for one request of one token.
    #[command(after_help = EXIT_CODES)]
    Explain(explain::Args),
    /// What becomes of legacy key names: given names, a role template file, or tokens.
    #[command(after_help = EXIT_CODES)]
    Migrate(migrate::Args),
    /// The catalog as JSON, Markdown (docs/catalog.md) or TypeScript (for frontends).
    #[command(after_help = EXIT_CODES)]
    Export(export::Args),
}

fn run(command: Command) -> Result<Exit, Failure> {
    match command {
        Command::Check { files, format } => check::run(&files, format == Format::Json),
        Command::Diff { old, new, format } => diff::run(&old, &new, format == Format::Json),
        Command::WhoCan(args) => who_can::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Migrate(args) => migrate::run(&args),
        Command::Export(args) => export::run(&args),
    }
}

fn main() -> ExitCode {
    // clap prints usage errors and exits 2 itself; `--help` and `--version` exit 0.
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(exit) => exit.code(),
        Err(failure) => failure.report(),
    }
}
