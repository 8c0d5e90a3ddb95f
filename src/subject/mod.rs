//! The compiled `Subject`: a user's access, compiled from a token once and reused for many
//! decisions. Built from Kisum claims (`compile`), B.A.M tokens (`bam`) or in code (`builder`);
//! each membership holds a precomputed table of layers 1-4 per key (`fast`).

mod bam;
mod builder;
mod compile;
mod entitlements;
mod fast;
mod from_json;
mod membership;
mod options;
mod policy;
mod source;
mod translation;

use crate::catalog::Catalog;
use crate::id::IdRef;

pub use builder::SubjectBuilder;
pub(crate) use fast::Fast;
pub(crate) use membership::Membership;
pub use options::{ClaimsOptions, UnknownNames};
pub use translation::{LegacyTranslation, Translated};

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
        self.membership_of(IdRef::new(company))
    }

    #[inline(always)]
    pub(crate) fn membership_of(&self, company: IdRef<'_>) -> Option<&Membership> {
        crate::id::find(&self.memberships, |m| &m.company, company)
    }
}
