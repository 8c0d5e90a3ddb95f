//! Instruction counts per hot path, for `.ci/instructions` (valgrind's callgrind), which compares
//! them with `benches/instructions.baseline`. Counts, unlike times, are the same run to run and
//! on a loaded machine, so a regression of a few instructions shows.
//!
//! - `instructions list` prints the paths' names, one a line.
//! - `instructions run NAME` runs path `NAME` [`CALLS`] times inside [`measured`], the only
//!   function callgrind counts (`--collect-atstart=no --toggle-collect='*measured*'`).
//! - Without arguments (as `cargo bench` runs it), every path runs once and its outcome is
//!   checked; nothing is counted.

use std::hint::black_box;
use std::process::ExitCode;

use kisum_access::{Catalog, Claims, Entitlements, Subject, decide, keys};

#[allow(dead_code)] // Each bench uses part of what the benches share.
mod shared;

/// Calls per counted run: the count per call is the run's total divided by this.
const CALLS: u32 = 1000;

/// Runs `f` `calls` times: callgrind counts the instructions of this function and its callees.
#[inline(never)]
fn measured(calls: u32, mut f: impl FnMut()) {
    for _ in 0..calls {
        f();
    }
}

/// Runs path `name` `calls` times, or reports that no path has that name.
fn run(name: &str, calls: u32) -> Result<(), String> {
    let s = shared::subject();
    let catalog = Catalog::embedded();
    if let Some(&(_, key, scope, allowed)) = shared::paths().iter().find(|p| p.0 == name) {
        assert_eq!(decide(&s, key, &scope).is_allowed(), allowed, "{name}");
        measured(calls, || {
            let d = decide(black_box(&s), black_box(key), black_box(&scope));
            black_box(&d);
        });
        return Ok(());
    }
    match name {
        "Catalog::key" => {
            assert_eq!(
                catalog.key("finance.bill.view"),
                Ok(keys::FINANCE_BILL_VIEW)
            );
            measured(calls, || {
                black_box(catalog.key(black_box("finance.bill.view")).is_ok());
            });
        }
        "Subject::check" => {
            assert!(s.check(keys::PROMOTER_EVENT_VIEW, "acme").is_ok());
            measured(calls, || {
                black_box(black_box(&s).check(black_box(keys::PROMOTER_EVENT_VIEW), "acme")).ok();
            });
        }
        "Subject::from_claims (bench token)" => {
            let claims: Claims = serde_json::from_str(shared::TOKEN).expect("token parses");
            let ents = [
                Entitlements::new("acme", ["promoter", "finance"]),
                Entitlements::new("globex", ["venue"]),
            ];
            measured(calls, || {
                let s = Subject::from_claims(catalog, black_box(&claims), black_box(&ents));
                black_box(s.expect("builds"));
            });
        }
        _ => return Err(format!("no path named {name:?} (see `instructions list`)")),
    }
    Ok(())
}

/// Every path's name: the 16 decide paths, then the others.
fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = shared::paths().iter().map(|p| p.0).collect();
    names.extend([
        "Catalog::key",
        "Subject::check",
        "Subject::from_claims (bench token)",
    ]);
    names
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["list"] => {
            names().iter().for_each(|n| println!("{n}"));
            Ok(())
        }
        ["run", name] => run(name, CALLS),
        // `cargo bench` passes `--bench`: check every path once, count nothing.
        _ => names().iter().try_for_each(|n| run(n, 1)).map(|()| {
            println!("instructions: every path ran; `.ci/instructions` counts them");
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("instructions: {e}");
            ExitCode::FAILURE
        }
    }
}
