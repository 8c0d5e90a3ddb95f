//! The compiled `Subject`: a user's access, compiled from a token once and reused for many
//! decisions. Built from Kisum claims (`compile`), B.A.M tokens (`bam`) or in code (`builder`);
//! each membership holds a precomputed table of layers 1-4 per key (`fast`).

mod bam;
mod builder;
mod code;
mod compile;
mod entitlements;
mod fast;
mod from_json;
mod membership;
mod options;
mod policy;
mod pools;
mod source;
mod translation;

use crate::catalog::Catalog;
use crate::id::IdRef;
use crate::id::index::{Index, SCAN};

pub use builder::SubjectBuilder;
pub(crate) use code::Code;
pub(crate) use fast::{Fast, Probe};
pub(crate) use membership::Membership;
pub use options::{ClaimsOptions, UnknownNames};
pub use translation::{LegacyTranslation, Translated};

/// The most heap and inline bytes a [`Subject`] holds per byte of the token JSON it was compiled
/// from, beyond what role templates add ([`MAX_SUBJECT_BYTES_PER_ROLE_KEY`]) and the tables of a
/// catalog of at most 256 keys ([`MAX_SUBJECT_BYTES_PER_DENSE_KEY`]).
///
/// A token of `t` bytes and `m` memberships whose roles grant `r` keys (counted per membership),
/// compiled against a catalog of `k` keys, makes a subject of at most
/// `MAX_SUBJECT_BYTES_PER_TOKEN_BYTE * t + MAX_SUBJECT_BYTES_PER_ROLE_KEY * r` bytes, plus
/// `MAX_SUBJECT_BYTES_PER_DENSE_KEY * (k + 1) * m` if `k` is at most 256. Against a larger
/// catalog a membership's tables hold its grants, not the catalog's keys, so the subject is
/// bounded by its token whatever the catalog's size. Measured by `tests/memory.rs`.
pub const MAX_SUBJECT_BYTES_PER_TOKEN_BYTE: usize = 48;

/// The bytes a membership's table takes per key of a catalog of at most 256 keys (see
/// [`MAX_SUBJECT_BYTES_PER_TOKEN_BYTE`]): every membership holds an entry for each of the
/// catalog's keys, which `decide` reads at the key's index, and one more, which it reads for a
/// key of another catalog (a larger catalog's tables hold the membership's keys only, searched).
pub const MAX_SUBJECT_BYTES_PER_DENSE_KEY: usize = 8;

/// The most bytes a [`Subject`] holds per key a role template grants (see
/// [`MAX_SUBJECT_BYTES_PER_TOKEN_BYTE`]): a role name of a few bytes may expand to hundreds of keys.
pub const MAX_SUBJECT_BYTES_PER_ROLE_KEY: usize = 16;

/// A user's compiled access: what [`decide`](crate::decide) reads.
///
/// Built once per token ([`Subject::from_claims`], [`Subject::from_bam_token`],
/// [`Subject::builder`]) and then shared: it is `Send + Sync + Clone`. Everything a decision needs
/// is precomputed per membership: bitsets of entitled modules, assigned modules and held keys,
/// unrestricted grants kept apart from restricted ones, roles expanded through the catalog's
/// templates, the delegation policy clamped to personal access.
#[derive(Debug, Clone)]
pub struct Subject {
    pub(crate) catalog: Catalog,
    pub(crate) user: Box<str>,
    pub(crate) memberships: Box<[Membership]>,
    /// A hash index of `memberships` by company, so the 64th is found as fast as the first;
    /// empty for at most [`SCAN`] memberships, which are scanned.
    pub(crate) index: Index,
    /// What the [`Code`]s of the memberships' tables stand for (`code::outcomes`), so a decision
    /// reads its outcome rather than branching to it: shared by the embedded catalog's subjects.
    pub(crate) outcomes: std::borrow::Cow<'static, [crate::layer::Decision]>,
    pub(crate) legacy: Vec<LegacyTranslation>,
    pub(crate) skipped: Box<[Box<str>]>,
    pub(crate) skipped_entitled: Box<[Box<str>]>,
    pub(crate) options: ClaimsOptions,
}

impl Subject {
    /// The user id (`sub`).
    pub fn user_id(&self) -> &str {
        &self.user
    }

    /// The catalog the subject was compiled against.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The companies the user is a member of.
    pub fn companies(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.memberships.iter().map(|m| m.company.as_str())
    }

    /// Legacy names translated while building (only with [`ClaimsOptions::translate_legacy`]),
    /// each once, in the order met: keys with their replacement and its class
    /// ([`LegacyTranslation::widens`] marks the ones that gave more access than the legacy key),
    /// modules (`basic` -> `promoter`, from the token or Core's entitlements), and dropped names
    /// (granted nothing). A service logs these during the migration window; [`explain`] shows them.
    ///
    /// [`explain`]: crate::explain
    pub fn legacy_translations(&self) -> &[LegacyTranslation] {
        &self.legacy
    }

    /// Well-formed keys, roles and modules of the token (or of Core's entitlements) that this
    /// catalog does not know, skipped while building ([`UnknownNames::Skip`]): they granted
    /// nothing. A service logs these; they mean its catalog is older than Auth's or Core's.
    pub fn skipped_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.skipped
            .iter()
            .chain(self.skipped_entitled.iter())
            .map(|s| &**s)
    }

    /// Whether the user may manage users in `company` (a delegation capability, not a permission).
    pub fn may_manage_users(&self, company: &str) -> bool {
        self.membership(company)
            .is_some_and(|m| m.delegation.manage_users)
    }

    /// Whether the user may buy or assign add-ons in `company` (a capability, not a permission).
    pub fn may_buy_addons(&self, company: &str) -> bool {
        self.membership(company)
            .is_some_and(|m| m.delegation.buy_addons)
    }

    pub(crate) fn membership(&self, company: &str) -> Option<&Membership> {
        self.membership_of(&IdRef::new(company))
    }

    /// The membership of `company`: up to [`SCAN`] memberships are scanned in line (a user of a
    /// few companies pays one or two tag comparisons); more are found through the index.
    #[inline(always)]
    pub(crate) fn membership_of(&self, company: &IdRef<'_>) -> Option<&Membership> {
        self.membership_in::<false>(company)
    }

    /// [`Subject::membership_of`]; `EXACT`: `company` is known to be exact (its tag is the id).
    #[inline(always)]
    pub(crate) fn membership_in<const EXACT: bool>(
        &self,
        company: &IdRef<'_>,
    ) -> Option<&Membership> {
        if self.index.is_empty() {
            // At most SCAN memberships: the bound lets the scan unroll.
            let few = self.memberships.get(..SCAN).unwrap_or(&self.memberships);
            if EXACT || company.is_exact() {
                // Both words of each tag compared at once: one branch per membership.
                few.iter().find(|m| m.company.tag_is(company))
            } else {
                crate::id::find(few, |m| &m.company, *company)
            }
        } else {
            self.indexed_membership(company)
        }
    }

    /// [`Subject::membership_of`] through the index: out of line, so that the scan of a few
    /// memberships stays small where it is inlined.
    #[inline(never)]
    fn indexed_membership(&self, company: &IdRef<'_>) -> Option<&Membership> {
        self.index
            .lookup_all(&self.memberships, |m| &m.company, company)
    }
}

/// The index of a subject's memberships by company (see [`Subject::index`]).
pub(super) fn index(memberships: &[Membership]) -> Index {
    let mut index = Index::default();
    if memberships.len() > SCAN {
        // At most MAX_MEMBERSHIPS (64): always fits (else no index, and a scan).
        let _ = index.add(memberships.iter().map(|m| &m.company), 0);
    }
    index.shrink()
}
