//! Exit codes, errors, and colour: styles are written through `anstream`, which drops them unless
//! stdout (or stderr) is a terminal, and honours `NO_COLOR` and `CLICOLOR_FORCE`.

use std::fmt::Display;
use std::process::ExitCode;

use anstyle::{AnsiColor, Style};

/// Bold: headings.
pub const HEAD: Style = Style::new().bold();
/// Green: additions, allowed.
pub const GOOD: Style = AnsiColor::Green.on_default();
/// Red: removals, denials, errors.
pub const BAD: Style = AnsiColor::Red.on_default();
/// Yellow: changes and warnings.
pub const WARN: Style = AnsiColor::Yellow.on_default();
/// Dimmed: secondary detail.
pub const DIM: Style = Style::new().dimmed();

/// `text` in `style` (the codes are removed on the way out when not on a terminal).
pub fn paint(style: Style, text: impl Display) -> String {
    format!("{style}{text}{style:#}")
}

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Exit 0: nothing to report.
    Ok,
    /// Exit 1: problems, a breaking change, a denial, names that do not migrate.
    Findings,
}

impl Exit {
    /// `Findings` when `found`, else `Ok`.
    pub fn findings_if(found: bool) -> Exit {
        if found { Exit::Findings } else { Exit::Ok }
    }

    /// The process exit code.
    pub fn code(self) -> ExitCode {
        match self {
            Exit::Ok => ExitCode::SUCCESS,
            Exit::Findings => ExitCode::from(1),
        }
    }
}

/// A command that could not run: bad arguments or unreadable/invalid input. Exit 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl Failure {
    /// Prints the message on stderr and gives exit code 2.
    pub fn report(self) -> ExitCode {
        anstream::eprintln!("{} {}", paint(BAD.bold(), "error:"), self.0);
        ExitCode::from(2)
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure(message.to_owned())
    }
}

/// Prints a JSON document on stdout.
pub fn print_json(value: &serde_json::Value) {
    // A `Value` always serializes.
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}
