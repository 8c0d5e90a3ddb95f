//! Layer 4 for approval keys (`finance.*.approve`): a membership approval limit, and the
//! request's amount at or under it. Permission alone is never enough.

use crate::catalog::Key;
use crate::scope::Scope;

use super::Denial;

/// The approval check for `key` under the membership's approval `limit`. Keys that are not
/// approvals pass.
#[inline(always)]
pub(crate) fn approval(limit: Option<u64>, key: Key, scope: &Scope<'_>) -> Result<(), Denial> {
    if !key.needs_approval() {
        return Ok(());
    }
    let limit = limit.ok_or(Denial::ApprovalLimitMissing)?;
    let amount = scope.amount_value().ok_or(Denial::ApprovalAmountMissing)?;
    if amount <= limit {
        Ok(())
    } else {
        Err(Denial::ApprovalLimitExceeded { limit })
    }
}

/// The effective approval limit of a grant: the smaller of the membership's `limit` and the
/// grant's own `cap` ([`NO_CAP`](super::scope::NO_CAP) when it has none). No membership limit
/// means no approvals, whatever the grant says.
#[inline(always)]
pub(crate) fn effective_limit(limit: Option<u64>, cap: u64) -> Option<u64> {
    limit.map(|l| l.min(cap))
}
