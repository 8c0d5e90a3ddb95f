//! The outcomes of the commonest table entries as data: a [`Code`] per entry, and per subject
//! the array of decisions the codes stand for ([`outcomes`]), so that `decide` selects and reads
//! an outcome where it would otherwise branch to it.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::catalog::{Catalog, Key};
use crate::layer::{Decision, Denial};

#[cfg(doc)]
use super::Fast;

/// What a [`Fast::Decided`] entry decides: an index into the subject's outcomes ([`outcomes`],
/// kept in `Subject::outcomes`). Most codes stand for one outcome; the two conditional ones
/// ([`Code::IN_SCOPE`], [`Code::WITHIN_LIMIT`]) for two, at `code` (the request's value does not
/// pass) and `code + 1` (it does), so that choosing one is arithmetic on the comparison's result
/// and reading it is a load, with no branch on which it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Code(u8);

impl Code {
    /// Allowed.
    pub(crate) const ALLOW: Code = Code(0);
    /// Layer 3: [`Denial::MissingPermission`].
    pub(crate) const MISSING_PERMISSION: Code = Code(1);
    /// Layer 4: [`Denial::ApprovalLimitMissing`] (an approval key, in a membership without an
    /// approval limit).
    pub(super) const APPROVAL_LIMIT_MISSING: Code = Code(2);
    /// Allowed if the request's business unit or owner passes, else [`Denial::OutOfScope`].
    pub(super) const IN_SCOPE: Code = Code(3);
    /// Allowed if the request's amount passes, else [`Denial::ApprovalAmountMissing`] (over the
    /// limit, `decide` takes the membership's [`Denial::ApprovalLimitExceeded`] instead).
    pub(super) const WITHIN_LIMIT: Code = Code(5);
    /// [`Denial::ForeignKey`]: the entry a dense table holds after its keys' (see
    /// [`Fast::FOREIGN`]).
    pub(super) const FOREIGN_KEY: Code = Code(7);
    /// The codes before the modules' denials.
    const FIXED: u8 = 8;

    /// The code of a denial of layers 1–3: past the [`Code::FIXED`] above, three per module (not
    /// entitled, add-on without base, not assigned). At most `8 + 3 * MAX_MODULES` (200) codes.
    pub(super) fn of(d: Denial) -> Code {
        let (kind, module) = match d {
            Denial::NotEntitled(m) => (0, m),
            Denial::AddonWithoutBase(m) => (1, m),
            Denial::ModuleNotAssigned(m) => (2, m),
            // Layers 1–3 deny with nothing else.
            _ => return Code::MISSING_PERMISSION,
        };
        // A module's index is below MAX_MODULES (64): 8 + 3 * 63 + 2 fits a byte.
        Code(Code::FIXED + 3 * module.index() as u8 + kind)
    }

    /// Where the code's outcome is in [`outcomes`]: for a conditional code, the next one if the
    /// request's value passes (`found`); `found` is false for the others.
    #[inline(always)]
    pub(crate) const fn index(self, found: bool) -> usize {
        self.0 as usize + found as usize
    }

    /// The outcome of layers 1–3 the code records, for `key`.
    pub(super) fn layers_1_to_3(self, key: Key) -> Result<(), Denial> {
        let module = key.module();
        Err(match self.0 {
            0 | 2..=6 => return Ok(()),
            1 => Denial::MissingPermission,
            7 => Denial::ForeignKey,
            c => match (c - Code::FIXED) % 3 {
                0 => Denial::NotEntitled(module),
                1 => Denial::AddonWithoutBase(module),
                _ => Denial::ModuleNotAssigned(module),
            },
        })
    }
}

/// Every decision a [`Code`] stands for against `cat`, at its indexes ([`Code::index`]). The embedded catalog's
/// array is made once per process and borrowed by its subjects (id 0 is the embedded catalog's
/// alone); a catalog loaded at run time gets one per subject.
pub(crate) fn outcomes(cat: &Catalog) -> Cow<'static, [Decision]> {
    static EMBEDDED: OnceLock<Box<[Decision]>> = OnceLock::new();
    if cat.id() == 0 {
        return Cow::Borrowed(EMBEDDED.get_or_init(|| all_outcomes(cat)));
    }
    Cow::Owned(all_outcomes(cat).into_vec())
}

fn all_outcomes(cat: &Catalog) -> Box<[Decision]> {
    let (allow, deny) = (Decision::Allow, Decision::Deny);
    let mut all = Vec::with_capacity(usize::from(Code::FIXED) + 3 * cat.modules().len());
    all.extend([
        allow,
        deny(Denial::MissingPermission),
        deny(Denial::ApprovalLimitMissing),
        // IN_SCOPE, then WITHIN_LIMIT: not passing, passing.
        deny(Denial::OutOfScope),
        allow,
        deny(Denial::ApprovalAmountMissing),
        allow,
        deny(Denial::ForeignKey),
    ]);
    for m in cat.modules() {
        all.extend([
            deny(Denial::NotEntitled(m)),
            deny(Denial::AddonWithoutBase(m)),
            deny(Denial::ModuleNotAssigned(m)),
        ]);
    }
    all.into()
}

#[cfg(test)]
mod tests {
    use super::{Code, outcomes};
    use crate::catalog::Catalog;
    use crate::layer::{Decision, Denial};

    /// Each denial of layers 1–3 has a code whose outcome is that denial, and whose
    /// `layers_1_to_3` gives it back, for every module of the catalog and every key; the
    /// conditional codes pass layers 1–3 and allow exactly when the request's value passes.
    #[test]
    fn codes_stand_for_their_outcomes() {
        let cat = Catalog::embedded();
        let all = outcomes(cat);
        let both = |c: Code| (all[c.index(false)], all[c.index(true)]);
        let one = |c: Code| all[c.index(false)];
        for key in cat.keys() {
            let m = key.module();
            for d in [
                Denial::NotEntitled(m),
                Denial::AddonWithoutBase(m),
                Denial::ModuleNotAssigned(m),
                Denial::MissingPermission,
            ] {
                let code = Code::of(d);
                assert_eq!(one(code), Decision::Deny(d), "{d:?}");
                assert_eq!(code.layers_1_to_3(key), Err(d), "{d:?}");
            }
            for c in [Code::ALLOW, Code::IN_SCOPE, Code::WITHIN_LIMIT] {
                assert_eq!(c.layers_1_to_3(key), Ok(()), "{c:?}");
            }
        }
        let deny = Decision::Deny;
        assert_eq!(one(Code::ALLOW), Decision::Allow);
        let scope = deny(Denial::OutOfScope);
        assert_eq!(both(Code::IN_SCOPE), (scope, Decision::Allow));
        let limit = deny(Denial::ApprovalLimitMissing);
        assert_eq!(one(Code::APPROVAL_LIMIT_MISSING), limit);
        let amount = deny(Denial::ApprovalAmountMissing);
        assert_eq!(both(Code::WITHIN_LIMIT), (amount, Decision::Allow));
        assert_eq!(one(Code::FOREIGN_KEY), deny(Denial::ForeignKey));
        let key = cat.keys().next().expect("a key");
        assert_eq!(
            Code::FOREIGN_KEY.layers_1_to_3(key),
            Err(Denial::ForeignKey)
        );
        assert_eq!(
            all.len(),
            usize::from(Code::FIXED) + 3 * cat.modules().len()
        );
    }
}
