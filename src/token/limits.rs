//! The limits on what a token may hold, checked while parsing and again when a subject is built.

use super::ClaimsError;

/// Most memberships (companies, B.A.M orgs) in one token.
pub const MAX_MEMBERSHIPS: usize = 64;
/// Most permission grants in one membership (direct grants, after role expansion is not counted).
pub const MAX_GRANTS: usize = 1024;
/// Most roles, modules, business units or workflows in one list.
pub const MAX_LIST: usize = 256;
/// Longest identifier (user, company, business unit, workflow, module, role), in bytes.
pub const MAX_ID_LEN: usize = 256;

pub(crate) fn check_id(what: &'static str, value: &str) -> Result<(), ClaimsError> {
    if value.is_empty() || value.len() > MAX_ID_LEN {
        let cut: String = value.chars().take(80).collect();
        return Err(ClaimsError::BadId { what, value: cut });
    }
    Ok(())
}

pub(crate) fn check_len(what: &'static str, count: usize, max: usize) -> Result<(), ClaimsError> {
    if count > max {
        return Err(ClaimsError::TooMany { what, count, max });
    }
    Ok(())
}
