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

use kisum_access::{Catalog, Claims, Entitlements, Key, Scope, Subject, decide, keys};

#[allow(dead_code)] // Each bench uses part of what the benches share.
mod shared;
use shared::worst::{UUID_COMPANY, UUID_UNIT, member_of, sixty_four};

/// Calls per counted run: the count per call is the run's total divided by this.
const CALLS: u32 = 1000;

/// Runs `f` `calls` times: callgrind counts the instructions of this function and its callees.
#[inline(never)]
fn measured(calls: u32, mut f: impl FnMut()) {
    for _ in 0..calls {
        f();
    }
}

/// The worst cases of `benches/worst.rs`: name, and the subject and scope of an allowed request.
const WORST: [&str; 8] = [
    "bu-allow, short ids",
    "bu-allow, 36-byte ids",
    "1st of 64 memberships",
    "64th of 64 memberships",
    "last of 1 units",
    "last of 100 units",
    "last of 255 units",
    "last of 1000 units",
];

/// The subject, key and scope of worst case `name` (its ids leaked: the binary runs one path).
fn worst(name: &str) -> Option<(Subject, Key, Scope<'static>)> {
    let bill = keys::FINANCE_BILL_VIEW;
    let last_of = |count: usize| {
        let units: &'static [String] = shared::worst::units(count).leak();
        let scope = Scope::company("acme").business_unit(&units[count - 1]);
        (shared::worst::restricted_to(units), bill, scope)
    };
    let companies: &'static [String] = shared::worst::companies().leak();
    let view = keys::PROMOTER_EVENT_VIEW;
    Some(match name {
        "bu-allow, short ids" => (
            member_of("acme", "bu-x"),
            bill,
            Scope::company("acme").business_unit("bu-x"),
        ),
        "bu-allow, 36-byte ids" => (
            member_of(UUID_COMPANY, UUID_UNIT),
            bill,
            Scope::company(UUID_COMPANY).business_unit(UUID_UNIT),
        ),
        "1st of 64 memberships" => (sixty_four(), view, Scope::company(&companies[0])),
        "64th of 64 memberships" => (sixty_four(), view, Scope::company(&companies[63])),
        "last of 1 units" => last_of(1),
        "last of 100 units" => last_of(100),
        "last of 255 units" => last_of(255),
        "last of 1000 units" => last_of(1000),
        _ => return None,
    })
}

/// `decide(s, key, scope)` `calls` times, counted.
fn run_decide(s: &Subject, key: Key, scope: &Scope<'_>, allowed: bool, calls: u32) {
    assert_eq!(decide(s, key, scope).is_allowed(), allowed);
    measured(calls, || {
        let d = decide(black_box(s), black_box(key), black_box(scope));
        black_box(&d);
    });
}

/// Runs path `name` `calls` times, or reports that no path has that name.
fn run(name: &str, calls: u32) -> Result<(), String> {
    let s = shared::subject();
    let catalog = Catalog::embedded();
    if let Some(&(_, key, scope, allowed)) = shared::paths().iter().find(|p| p.0 == name) {
        run_decide(&s, key, &scope, allowed, calls);
        return Ok(());
    }
    if let Some((s, key, scope)) = worst(name) {
        run_decide(&s, key, &scope, true, calls);
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
        "Scope of 2 short ids" => scope_of("acme", "bu-x", calls),
        "Scope of 2 UUIDs" => scope_of(UUID_COMPANY, UUID_UNIT, calls),
        "Subject::from_json (peers token)" => {
            let token = shared::peers_token::peers_token().into_bytes();
            let ents = [Entitlements::new("acme", ["promoter", "finance"])];
            measured(calls, || {
                let s = Subject::from_json(catalog, black_box(&token), black_box(&ents));
                black_box(s.expect("builds"));
            });
        }
        _ => return Err(format!("no path named {name:?} (see `instructions list`)")),
    }
    Ok(())
}

/// Building the scope of a request in `company` and `unit`, `calls` times, counted: what a
/// request pays once to prepare its ids.
fn scope_of(company: &str, unit: &str, calls: u32) {
    measured(calls, || {
        black_box(Scope::company(black_box(company)).business_unit(black_box(unit)));
    });
}

/// Every path's name: the 16 decide paths, the other hot paths, the worst cases.
fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = shared::paths().iter().map(|p| p.0).collect();
    names.extend([
        "Catalog::key",
        "Subject::check",
        "Subject::from_claims (bench token)",
        "Subject::from_json (peers token)",
        "Scope of 2 short ids",
        "Scope of 2 UUIDs",
    ]);
    names.extend(WORST);
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
