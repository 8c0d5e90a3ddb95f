//! One `tracing` event per decision, target `kisum_access`: `key`, `company`, `outcome`, and for a
//! denial `layer` and `code`. Allows are DEBUG, denials INFO. When no subscriber listens at that
//! level nothing is formatted or allocated.

use kisum_access::{Denial, Key, Subject};

#[inline]
pub(crate) fn decision(subject: &Subject, key: Key, company: &str, outcome: Result<(), Denial>) {
    match outcome {
        Ok(()) => tracing::debug!(
            target: "kisum_access",
            key = subject.catalog().name(key),
            company,
            outcome = "allow",
            "access decision"
        ),
        Err(d) => tracing::info!(
            target: "kisum_access",
            key = subject.catalog().name(key),
            company,
            outcome = "deny",
            layer = d.layer().code(),
            code = d.code(),
            "access decision"
        ),
    }
}
