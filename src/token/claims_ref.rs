//! A borrowed view of [`Claims`](super::Claims), read straight from a token's bytes by the
//! [`Reader`]: every name is a slice of the token, so reading copies no string.
//!
//! It reads what [`Claims`](super::Claims) reads, with the same limits, and declines (`None`)
//! whatever it does not handle itself: `null`, escapes, a field twice, a
//! list or identifier over its limit, an unknown field inside a membership, malformed JSON. The
//! caller then parses with serde_json, which accepts or names the error; so this view only has to
//! agree with [`Claims`](super::Claims) on the tokens it accepts.

use smallvec::SmallVec;

use super::json::{Reader, WINDOW, unknown};
use super::{MAX_GRANTS, MAX_LIST, MAX_MEMBERSHIPS};
use crate::catalog::DENSE_KEYS;

/// A token payload's `sub` and `memberships`; its registered claims are checked, not kept (a
/// subject does not read them).
pub(crate) struct ClaimsRef<'a> {
    pub(crate) sub: &'a str,
    pub(crate) memberships: Vec<MembershipRef<'a>>,
}

/// As [`MembershipClaims`](super::MembershipClaims).
#[derive(Default)]
pub(crate) struct MembershipRef<'a> {
    pub(crate) company: &'a str,
    pub(crate) modules: Ids<'a>,
    pub(crate) roles: Ids<'a>,
    /// The grants the reader's caller did not take as it read them (see
    /// [`ClaimsRef::read_resolving`]), in order.
    pub(crate) permissions: Vec<PermissionRef<'a>>,
    /// The bare key names the caller took: the ids it resolved them to, a bit each.
    pub(crate) resolved: [u64; DENSE_KEYS / 64],
    /// How many names the caller took (a name twice counts twice, as in `permissions`).
    pub(crate) resolved_count: usize,
    pub(crate) scope: Option<ListsRef<'a>>,
    pub(crate) approval_limit: Option<u64>,
    /// Boxed: few tokens delegate, and a membership is moved while it is read.
    pub(crate) delegation: Option<Box<DelegationRef<'a>>>,
}

/// As [`DelegationClaim`](super::DelegationClaim).
#[derive(Default)]
pub(crate) struct DelegationRef<'a> {
    pub(crate) modules: Ids<'a>,
    pub(crate) permissions: Ids<'a>,
    pub(crate) manage_users: bool,
    pub(crate) buy_addons: bool,
    pub(crate) scope: Option<ListsRef<'a>>,
    pub(crate) redelegate: Ids<'a>,
}

/// As [`PermissionClaim`](super::PermissionClaim). The bare names of a small catalog's keys are
/// resolved as they are read, never listed, so the grants listed are few: a restricted one holds
/// its restrictions in place (one list to allocate, not two).
pub(crate) enum PermissionRef<'a> {
    Key(&'a str),
    /// A key with restrictions.
    Restricted {
        key: &'a str,
        restriction: RestrictedRef<'a>,
    },
}

/// As [`RestrictedPermission`](super::RestrictedPermission), without the key.
#[derive(Default)]
pub(crate) struct RestrictedRef<'a> {
    pub(crate) lists: ListsRef<'a>,
    pub(crate) own_only: bool,
    pub(crate) approval_limit: Option<u64>,
}

/// Business units and workflows, as in [`ScopeClaim`](super::ScopeClaim).
#[derive(Default)]
pub(crate) struct ListsRef<'a> {
    pub(crate) business_units: Option<Ids<'a>>,
    pub(crate) workflows: Option<Ids<'a>>,
}

/// Records field `bit` as read, declining a field read twice.
fn once(seen: &mut u8, bit: u8) -> Option<()> {
    let first = *seen & bit == 0;
    *seen |= bit;
    first.then_some(())
}

/// Stores a field's `value` in `slot`: `None` if the value was not read or the field was already
/// (`bit` of `seen`).
fn set<T>(seen: &mut u8, bit: u8, slot: &mut T, value: Option<T>) -> Option<()> {
    once(seen, bit)?;
    *slot = value?;
    Some(())
}

/// A list of identifiers of a token: the first two (a membership's modules, a grant's business
/// unit) held inline, with no allocation.
pub(crate) type Ids<'a> = SmallVec<[&'a str; 2]>;

fn ids<'a>(r: &mut Reader<'a>) -> Option<Ids<'a>> {
    r.list_in(SmallVec::new(), MAX_LIST, Reader::id)
}

impl<'a> ClaimsRef<'a> {
    /// The claims of a token payload, or `None` where the full parser must decide.
    #[cfg(test)]
    pub(crate) fn read(token: &'a [u8]) -> Option<ClaimsRef<'a>> {
        Self::read_resolving(token, |_, _| None)
    }

    /// As [`ClaimsRef::read`], handing each bare key name of a membership's `permissions` to
    /// `resolve` as it is read (as [`Reader::ids_or`] hands names to its `take`): a name resolved
    /// to an id (below [`DENSE_KEYS`]: a byte) is taken (a bit of [`MembershipRef::resolved`]),
    /// not listed. The caller resolves only names that
    /// cannot fail to compile (keys of its catalog), so that the others, listed in order, give
    /// the same first error. It is handed the bytes up to the next quote, not yet checked for
    /// UTF-8, escapes or control characters (see [`Reader::ids_or`]): it must resolve only names
    /// it knows to be UTF-8 without them, as a catalog's key names are.
    pub(crate) fn read_resolving(
        token: &'a [u8],
        resolve: impl Fn(&[u8; WINDOW], usize) -> Option<u8> + Copy,
    ) -> Option<ClaimsRef<'a>> {
        let mut r = Reader::new(token);
        let (mut sub, mut memberships) = (None, None);
        let mut seen = 0u8;
        r.object(|r, name| match name {
            b"sub" => set(&mut seen, 1, &mut sub, r.id().map(Some)),
            b"memberships" => {
                // Room for one (most tokens hold one), each read in place: a membership is large.
                let mut list = Vec::with_capacity(1);
                // `()` is zero-sized: the list of results allocates nothing.
                let read = r.list(MAX_MEMBERSHIPS, |r| {
                    MembershipRef::read(r, resolve, &mut list)
                });
                set(&mut seen, 2, &mut memberships, read.map(|_| Some(list)))
            }
            b"iss" => once(&mut seen, 4).and_then(|()| r.id().map(drop)),
            b"jti" => once(&mut seen, 8).and_then(|()| r.id().map(drop)),
            b"aud" => once(&mut seen, 16).and_then(|()| audience(r)),
            b"exp" => once(&mut seen, 32).and_then(|()| r.uint().map(drop)),
            b"nbf" => once(&mut seen, 64).and_then(|()| r.uint().map(drop)),
            b"iat" => once(&mut seen, 128).and_then(|()| r.uint().map(drop)),
            _ => unknown(name).and_then(|()| r.skip()),
        })?;
        r.end()?;
        Some(ClaimsRef {
            sub: sub?,
            memberships: memberships?,
        })
    }
}

/// `aud`: a string or a list of strings, each an identifier.
fn audience(r: &mut Reader<'_>) -> Option<()> {
    if r.peek()? == b'"' {
        return r.id().map(drop);
    }
    // `()` is zero-sized: the list allocates nothing.
    r.list(MAX_LIST, |r| r.id().map(drop)).map(drop)
}

impl<'a> MembershipRef<'a> {
    /// Reads a membership into a new item at the end of `out`, its grants resolved as in
    /// [`ClaimsRef::read_resolving`].
    fn read(
        r: &mut Reader<'a>,
        resolve: impl Fn(&[u8; WINDOW], usize) -> Option<u8> + Copy,
        out: &mut Vec<MembershipRef<'a>>,
    ) -> Option<()> {
        out.push(MembershipRef::default());
        let m = out.last_mut()?;
        let mut company = None;
        let mut seen = 0u8;
        r.object(|r, name| match name {
            b"company" => set(&mut seen, 1, &mut company, r.id().map(Some)),
            b"modules" => set(&mut seen, 2, &mut m.modules, ids(r)),
            b"roles" => set(&mut seen, 4, &mut m.roles, ids(r)),
            b"permissions" => {
                let resolved = &mut m.resolved;
                let take = |window: &[u8; WINDOW], len: usize| {
                    let Some(id) = resolve(window, len) else {
                        return false;
                    };
                    resolved[usize::from(id / 64)] |= 1 << (id % 64);
                    true
                };
                // Names the caller does not take are few: no room reserved.
                let grants = r.ids_or(
                    Vec::new(),
                    MAX_GRANTS,
                    take,
                    PermissionRef::Key,
                    PermissionRef::read,
                );
                let grants = grants.map(|(listed, items)| {
                    m.resolved_count = items - listed.len();
                    listed
                });
                set(&mut seen, 8, &mut m.permissions, grants)
            }
            b"scope" => set(&mut seen, 16, &mut m.scope, ListsRef::read(r).map(Some)),
            b"approval_limit" => set(&mut seen, 32, &mut m.approval_limit, r.uint().map(Some)),
            b"delegation" => set(
                &mut seen,
                64,
                &mut m.delegation,
                DelegationRef::read(r).map(|d| Some(Box::new(d))),
            ),
            // Unknown fields: errors, named by serde_json.
            _ => None,
        })?;
        m.company = company?;
        Some(())
    }
}

impl<'a> DelegationRef<'a> {
    fn read(r: &mut Reader<'a>) -> Option<DelegationRef<'a>> {
        let mut d = DelegationRef::default();
        let mut seen = 0u8;
        r.object(|r, name| match name {
            b"modules" => set(&mut seen, 1, &mut d.modules, ids(r)),
            b"permissions" => set(&mut seen, 2, &mut d.permissions, ids(r)),
            b"manage_users" => set(&mut seen, 4, &mut d.manage_users, r.boolean()),
            b"buy_addons" => set(&mut seen, 8, &mut d.buy_addons, r.boolean()),
            b"scope" => set(&mut seen, 16, &mut d.scope, ListsRef::read(r).map(Some)),
            b"redelegate" => set(&mut seen, 32, &mut d.redelegate, ids(r)),
            _ => None,
        })?;
        Some(d)
    }
}

impl<'a> PermissionRef<'a> {
    /// One grant.
    fn read(r: &mut Reader<'a>) -> Option<PermissionRef<'a>> {
        if r.peek()? == b'"' {
            return r.id().map(PermissionRef::Key);
        }
        let mut p = RestrictedRef::default();
        let mut key = None;
        let mut seen = 0u8;
        r.object(|r, name| match name {
            b"key" => set(&mut seen, 1, &mut key, r.id().map(Some)),
            b"own_only" => set(&mut seen, 2, &mut p.own_only, r.boolean()),
            b"approval_limit" => set(&mut seen, 4, &mut p.approval_limit, r.uint().map(Some)),
            _ => p.lists.field(r, name, &mut seen),
        })?;
        Some(PermissionRef::Restricted {
            key: key?,
            restriction: p,
        })
    }
}

impl<'a> ListsRef<'a> {
    fn read(r: &mut Reader<'a>) -> Option<ListsRef<'a>> {
        let mut lists = ListsRef::default();
        let mut seen = 0u8;
        r.object(|r, name| lists.field(r, name, &mut seen))?;
        Some(lists)
    }

    /// Field `name` if it is `business_units` or `workflows` (bits 64 and 128 of `seen`).
    fn field(&mut self, r: &mut Reader<'a>, name: &[u8], seen: &mut u8) -> Option<()> {
        match name {
            b"business_units" => set(seen, 64, &mut self.business_units, ids(r).map(Some)),
            b"workflows" => set(seen, 128, &mut self.workflows, ids(r).map(Some)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::json::WINDOW;
    use super::ClaimsRef;

    /// Names a resolver takes are bits and a count (a name twice counts twice, as a listed one
    /// would); the others stay listed, in order.
    #[test]
    fn taken_names_are_counted_and_the_others_listed() {
        let token = br#"{"sub": "u", "memberships": [{"company": "c", "permissions":
            ["yes.a", "no.b", {"key": "no.c", "own_only": true}, "yes.d", "yes.a", "no.e"]}]}"#;
        // Takes the names starting with `yes.`, as id 3 + their length.
        let resolve = |w: &[u8; WINDOW], len: usize| {
            (w.starts_with(b"yes.") && len < 8).then_some(3 + len as u8)
        };
        let claims = ClaimsRef::read_resolving(token, resolve).expect("read");
        let m = &claims.memberships[0];
        assert_eq!(m.resolved_count, 3);
        assert_eq!(m.resolved, [1 << 8, 0, 0, 0]);
        assert_eq!(m.permissions.len(), 3);
    }
}
