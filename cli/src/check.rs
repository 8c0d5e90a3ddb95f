//! `kisum-access check FILE...`: the crate's validator on each file, every problem with its
//! `file:line:col`, plus the `[catalog.intended]` marks that cannot be right.

use std::path::Path;

use kisum_access::Catalog;
use serde_json::json;

use crate::intent::Intended;
use crate::output::{BAD, Exit, Failure, GOOD, paint, print_json};

/// One finding, located.
struct Finding {
    file: String,
    line: usize,
    column: usize,
    message: String,
}

/// What checking one file gave: its findings, or a summary when it is valid.
enum Checked {
    Unreadable(String),
    Problems(Vec<Finding>),
    Valid(String),
}

fn check_file(path: &Path) -> Checked {
    let file = path.display().to_string();
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => return Checked::Unreadable(format!("cannot read {file}: {e}")),
    };
    let catalog = match Catalog::from_toml_str(&source) {
        Ok(c) => c,
        Err(e) => {
            let findings = e.problems().iter().map(|p| Finding {
                file: file.clone(),
                line: p.line,
                column: p.column,
                message: p.kind.to_string(),
            });
            return Checked::Problems(findings.collect());
        }
    };
    let marks = match Intended::read(&source) {
        Ok(marks) => marks,
        Err(e) => return Checked::Unreadable(format!("{file}: {}", e.0)),
    };
    let findings: Vec<Finding> = marks
        .problems(&catalog)
        .into_iter()
        .map(|(line, column, message)| Finding {
            file: file.clone(),
            line,
            column,
            message,
        })
        .collect();
    if !findings.is_empty() {
        return Checked::Problems(findings);
    }
    Checked::Valid(format!(
        "{file}: ok, catalog `{}`: {} keys, {} modules, {} roles, {} legacy aliases",
        catalog.catalog_name(),
        catalog.len(),
        catalog.modules().len(),
        catalog.roles().len(),
        catalog.legacy().len()
    ))
}

/// Checks every file; exit 1 when any has a problem, 2 when one cannot be read.
pub fn run(files: &[std::path::PathBuf], json: bool) -> Result<Exit, Failure> {
    let results: Vec<Checked> = files.iter().map(|p| check_file(p)).collect();
    let findings: Vec<&Finding> = results
        .iter()
        .filter_map(|r| match r {
            Checked::Problems(f) => Some(f),
            _ => None,
        })
        .flatten()
        .collect();
    let unreadable: Vec<&str> = results
        .iter()
        .filter_map(|r| match r {
            Checked::Unreadable(msg) => Some(msg.as_str()),
            _ => None,
        })
        .collect();
    if json {
        let list: Vec<_> = findings
            .iter()
            .map(|f| {
                json!({"file": f.file, "line": f.line, "column": f.column,
                       "severity": "error", "message": f.message})
            })
            .collect();
        print_json(&json!({"problems": list, "unreadable": unreadable}));
    } else {
        for r in &results {
            match r {
                Checked::Valid(summary) => anstream::println!("{}", paint(GOOD, summary)),
                Checked::Problems(list) => {
                    for f in list {
                        let at = format!("{}:{}:{}:", f.file, f.line, f.column);
                        anstream::println!("{at} {} {}", paint(BAD, "error:"), f.message);
                    }
                }
                Checked::Unreadable(_) => {}
            }
        }
        if !findings.is_empty() {
            anstream::println!("{} problem(s)", findings.len());
        }
    }
    if unreadable.is_empty() {
        Ok(Exit::findings_if(!findings.is_empty()))
    } else {
        Err(Failure(unreadable.join("\n")))
    }
}
