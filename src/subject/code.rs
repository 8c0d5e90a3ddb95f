//! The outcomes of the commonest table entries as data: a [`Code`] per entry, and per subject
//! the array of decisions the codes stand for ([`outcomes`]), so that `decide` selects and reads
//! an outcome where it would otherwise branch to it.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::catalog::{Catalog, Key};
use crate::layer::{Decision, Denial};

#[cfg(doc)]
use super::Fast;

/// What a [`Fast::Decided`] entry decides: an index into the subject's outcomes
/// ([`outcomes`], kept in `Subject::outcomes`), so that choosing between two of them is
/// arithmetic and reading the outcome is a load, with no branch on which it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Code(u8);

impl Code {
    /// Allowed.
    pub(crate) const ALLOW: Code = Code(0);
    /// Layer 3: [`Denial::MissingPermission`].
    pub(crate) const MISSING_PERMISSION: Code = Code(1);
    /// Layer 4: [`Denial::OutOfScope`].
    pub(crate) const OUT_OF_SCOPE: Code = Code(2);
    /// Layer 4: [`Denial::ApprovalLimitMissing`] (an approval key, in a membership without an
    /// approval limit).
    pub(super) const APPROVAL_LIMIT_MISSING: Code = Code(3);
    /// The codes before the modules' denials.
    pub(super) const FIXED: u8 = 4;

    /// The code of a denial of layers 1–3: past the [`Code::FIXED`] above, three per module (not
    /// entitled, add-on without base, not assigned). At most `4 + 3 * MAX_MODULES` (196) codes.
    pub(super) fn of(d: Denial) -> Code {
        let (kind, module) = match d {
            Denial::NotEntitled(m) => (0, m),
            Denial::AddonWithoutBase(m) => (1, m),
            Denial::ModuleNotAssigned(m) => (2, m),
            // Layers 1–3 deny with nothing else.
            _ => return Code::MISSING_PERMISSION,
        };
        // A module's index is below MAX_MODULES (64): 4 + 3 * 63 + 2 fits a byte.
        Code(Code::FIXED + 3 * module.index() as u8 + kind)
    }

    /// Where the code's outcome is in [`outcomes`].
    #[inline(always)]
    pub(crate) const fn index(self) -> usize {
        self.0 as usize
    }

    /// Of two codes, `hit` if `found`, else `miss`, without a branch: `found` varies from one
    /// request to the next as the requests do, which a branch would mispredict. The two are
    /// read from memory at an index (`black_box` keeps the compiler from turning the read back
    /// into a select, which it branches on, hint or mask notwithstanding).
    #[inline(always)]
    pub(crate) fn select(found: bool, hit: Code, miss: Code) -> Code {
        let pair = std::hint::black_box([miss.0, hit.0]);
        Code(pair[usize::from(found)])
    }

    /// The outcome of layers 1–3 the code records, for `key`.
    pub(super) fn layers_1_to_3(self, key: Key) -> Result<(), Denial> {
        let module = key.module();
        Err(match self.0 {
            0 | 2 | 3 => return Ok(()),
            1 => Denial::MissingPermission,
            c => match (c - Code::FIXED) % 3 {
                0 => Denial::NotEntitled(module),
                1 => Denial::AddonWithoutBase(module),
                _ => Denial::ModuleNotAssigned(module),
            },
        })
    }
}

/// Every decision a [`Code`] stands for against `cat`, at its index. The embedded catalog's
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
    let deny = Decision::Deny;
    let mut all = Vec::with_capacity(usize::from(Code::FIXED) + 3 * cat.modules().len());
    all.extend([
        Decision::Allow,
        deny(Denial::MissingPermission),
        deny(Denial::OutOfScope),
        deny(Denial::ApprovalLimitMissing),
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
    /// `layers_1_to_3` gives it back, for every module of the catalog and every key.
    #[test]
    fn codes_stand_for_their_denials() {
        let cat = Catalog::embedded();
        let all = outcomes(cat);
        for key in cat.keys() {
            let m = key.module();
            for d in [
                Denial::NotEntitled(m),
                Denial::AddonWithoutBase(m),
                Denial::ModuleNotAssigned(m),
                Denial::MissingPermission,
            ] {
                let code = Code::of(d);
                assert_eq!(all[code.index()], Decision::Deny(d), "{d:?}");
                assert_eq!(code.layers_1_to_3(key), Err(d), "{d:?}");
            }
        }
        assert_eq!(all[Code::ALLOW.index()], Decision::Allow);
        let scope = Decision::Deny(Denial::OutOfScope);
        assert_eq!(all[Code::OUT_OF_SCOPE.index()], scope);
        let limit = Decision::Deny(Denial::ApprovalLimitMissing);
        assert_eq!(all[Code::APPROVAL_LIMIT_MISSING.index()], limit);
        assert_eq!(
            all.len(),
            usize::from(Code::FIXED) + 3 * cat.modules().len()
        );
    }

    /// `select` picks `hit` exactly when found, for every pair of codes.
    #[test]
    fn select_picks_hit_when_found() {
        for hit in 0..=u8::MAX {
            for miss in [0, 1, 2, 3, 100, 195, 255] {
                assert_eq!(Code::select(true, Code(hit), Code(miss)), Code(hit));
                assert_eq!(Code::select(false, Code(hit), Code(miss)), Code(miss));
            }
        }
    }
}
