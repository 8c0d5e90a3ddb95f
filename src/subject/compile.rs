//! Compiling claims into a subject, in named steps: check the token's limits, resolve modules and
//! keys against the catalog, collect each membership's grants, then precompute its table and
//! clamp its delegation policy.

use crate::catalog::spec::{ModuleKind, check_segment};
use crate::catalog::{Catalog, Key, KeySet};
use crate::id::Id;
use crate::layer::{Bounds, NO_CAP, Restricted};
use crate::token::{self, Claims, ClaimsError, Entitlements};

use super::membership::OverLimit;
use super::source::{MembershipSource, PermissionSource, bounds};
use super::{
    ClaimsOptions, LegacyTranslation, Membership, Subject, UnknownNames, code, fast, index,
};

impl Subject {
    /// Compiles a user's claims, with their companies' entitlements, against a catalog.
    ///
    /// A membership whose company has no entry in `entitlements` is entitled to nothing (layer 1
    /// denies every commercial key), never to everything.
    ///
    /// # Errors
    ///
    /// A [`ClaimsError`] naming the offending value: an unknown, malformed or legacy key; a
    /// `ticketing.*` key (external, granted only through its roles); an unknown or external
    /// module; an unknown role; a company listed twice; a list or identifier over its limit.
    ///
    /// # Example
    ///
    /// ```
    /// use kisum_access::{Catalog, Claims, Entitlements, Scope, Subject, decide, keys};
    ///
    /// let claims: Claims = serde_json::from_str(r#"{"sub": "user-42", "memberships": [{
    ///     "company": "acme", "modules": ["finance"],
    ///     "permissions": [{"key": "finance.bill.view", "business_units": ["bu-x"]}]}]}"#)?;
    /// let subject = Subject::from_claims(
    ///     Catalog::embedded(),
    ///     &claims,
    ///     &[Entitlements::new("acme", ["promoter", "finance"])],
    /// )?;
    /// let bu_x = Scope::company("acme").business_unit("bu-x");
    /// assert!(decide(&subject, keys::FINANCE_BILL_VIEW, &bu_x).is_allowed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_claims(
        catalog: &Catalog,
        claims: &Claims,
        entitlements: &[Entitlements],
    ) -> Result<Subject, ClaimsError> {
        Self::from_claims_with(catalog, claims, entitlements, ClaimsOptions::default())
    }

    /// As [`Subject::from_claims`], with options (legacy translation for the migration window).
    ///
    /// # Errors
    ///
    /// As [`Subject::from_claims`].
    pub fn from_claims_with(
        catalog: &Catalog,
        claims: &Claims,
        entitlements: &[Entitlements],
        options: ClaimsOptions,
    ) -> Result<Subject, ClaimsError> {
        compile(
            catalog,
            &claims.sub,
            &claims.memberships,
            entitlements,
            options,
        )
    }
}

/// [`Subject::from_claims_with`], from owned or borrowed claims.
pub(super) fn compile<M: MembershipSource>(
    catalog: &Catalog,
    sub: &str,
    claimed: &[M],
    entitlements: &[Entitlements],
    options: ClaimsOptions,
) -> Result<Subject, ClaimsError> {
    token::check_id("sub", sub)?;
    token::check_len("memberships", claimed.len(), token::MAX_MEMBERSHIPS)?;
    let mut builder = Build {
        catalog,
        user: sub,
        options,
        legacy: Vec::new(),
        skipped: Vec::new(),
        skipped_entitled: Vec::new(),
    };
    let mut memberships = Vec::with_capacity(claimed.len());
    for (i, mc) in claimed.iter().enumerate() {
        let company = mc.company();
        token::check_id("company", company)?;
        if claimed[..i].iter().any(|o| o.company() == company) {
            return Err(ClaimsError::DuplicateCompany(company.into()));
        }
        let ents = entitlements_of(entitlements, company)?;
        builder.membership(mc, ents, &mut memberships)?;
    }
    Ok(Subject {
        catalog: catalog.clone(),
        user: sub.into(),
        index: index(&memberships),
        outcomes: code::outcomes(catalog),
        memberships: memberships.into(),
        legacy: builder.legacy,
        skipped: builder.skipped.into(),
        skipped_entitled: builder.skipped_entitled.into(),
        options,
    })
}

/// The entitlements of `company`, if Core listed it (once). Only the entitlements of companies
/// the user is a member of are ever read.
pub(super) fn entitlements_of<'e>(
    entitlements: &'e [Entitlements],
    company: &str,
) -> Result<Option<&'e Entitlements>, ClaimsError> {
    let mut of = entitlements.iter().filter(|e| e.company == company);
    let first = of.next();
    if of.next().is_some() {
        return Err(ClaimsError::DuplicateEntitlements(company.into()));
    }
    Ok(first)
}

/// The compilation of claims into memberships.
pub(super) struct Build<'c> {
    pub(super) catalog: &'c Catalog,
    /// The user (`sub`): own-only entries compare the request's owner with it.
    pub(super) user: &'c str,
    pub(super) options: ClaimsOptions,
    /// Legacy names translated (under [`ClaimsOptions::translate_legacy`]).
    pub(super) legacy: Vec<LegacyTranslation>,
    /// Well-formed names of the token this catalog does not know, skipped
    /// ([`UnknownNames::Skip`]).
    pub(super) skipped: Vec<Box<str>>,
    /// Likewise, of Core's entitlements.
    pub(super) skipped_entitled: Vec<Box<str>>,
}

/// Where a list of modules comes from: errors name the source.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Modules {
    /// Core's entitlements of the company.
    Entitled,
    /// The membership's `modules`, or its delegation policy's.
    Claimed,
}

impl Build<'_> {
    /// One membership: its modules, its grants, its precomputed table and its delegation rights,
    /// compiled in place at the end of `out` (a membership is large: it is not moved there).
    fn membership<M: MembershipSource>(
        &mut self,
        mc: &M,
        ents: Option<&Entitlements>,
        out: &mut Vec<Membership>,
    ) -> Result<(), ClaimsError> {
        let company = mc.company();
        token::check_len("modules", mc.modules().len(), token::MAX_LIST)?;
        token::check_len("roles", mc.roles().len(), token::MAX_LIST)?;
        let grants = mc.permissions().len() + mc.resolved().1;
        token::check_len("permissions", grants, token::MAX_GRANTS)?;

        let bought = self.bought(company, ents)?;
        let entitled = self.effective(bought);
        let assigned = self.modules(company, mc.modules(), Modules::Claimed)?;
        let (unrestricted, restricted) = self.grants(company, mc)?;
        let mut held = unrestricted.clone();
        for r in &restricted {
            held.insert(r.key as usize);
        }
        let held = held.shrink();
        let bounds = match mc.scope() {
            Some(s) => bounds(s.business_units, s.workflows)?,
            None => Bounds::default(),
        };
        out.push(Membership {
            company: Id::new(company),
            bought,
            entitled,
            assigned,
            held,
            unrestricted,
            restricted,
            bounds,
            approval_limit: mc.approval_limit(),
            over: OverLimit::new(mc.approval_limit()),
            revision: ents.and_then(|e| e.revision),
            delegation: Default::default(),
            fast: Box::default(),
            sparse: Box::default(),
            units: Box::default(),
            unit_index: Default::default(),
        });
        // Just pushed: the list is never empty here.
        let Some(m) = out.last_mut() else {
            return Ok(());
        };
        let table = fast::table(self.catalog, m, self.user);
        (m.fast, m.sparse) = (table.fast, table.sparse);
        (m.units, m.unit_index) = (table.units, table.unit_index);
        m.delegation = self.delegation(company, mc, m)?;
        Ok(())
    }

    /// A membership's grants: keys held unrestricted (directly or through roles), and restricted
    /// grants of the other keys, sorted by key. An unrestricted grant supersedes restricted grants
    /// of the same key.
    fn grants<M: MembershipSource>(
        &mut self,
        company: &str,
        mc: &M,
    ) -> Result<(KeySet, Vec<Restricted>), ClaimsError> {
        let cat = self.catalog;
        let mut unrestricted = KeySet::with_capacity(cat.len());
        if let (words, 1..) = mc.resolved() {
            unrestricted.union_words(words);
        }
        let mut restricted: Vec<Restricted> = Vec::with_capacity(mc.restricted_hint());
        for role in mc.roles().iter().map(AsRef::as_ref) {
            let Some(r) = cat.role(role) else {
                self.unknown(role.len() <= crate::MAX_KEY_LEN, || {
                    ClaimsError::UnknownRole {
                        company: company.into(),
                        role: role.into(),
                    }
                })?;
                self.skip(role, false);
                continue;
            };
            unrestricted.union_words(r.grant_words());
            restricted.extend(r.own_only().map(|k| Restricted {
                key: k.index() as u16,
                bounds: Bounds::default(),
                own_only: true,
                cap: NO_CAP,
            }));
        }
        for p in mc.permissions() {
            let Some(key) = self.key(company, p.key())? else {
                continue;
            };
            if key.module().kind() == ModuleKind::External {
                return Err(ClaimsError::ExternalKey {
                    company: company.into(),
                    key: p.key().into(),
                });
            }
            match mc.restriction(p) {
                Some(r) if r.approval_limit.is_some() && !key.needs_approval() => {
                    return Err(ClaimsError::ApprovalLimitNotApplicable {
                        company: company.into(),
                        key: p.key().into(),
                    });
                }
                Some(r)
                    if r.own_only
                        || r.lists.business_units.is_some()
                        || r.lists.workflows.is_some()
                        || r.approval_limit.is_some() =>
                {
                    restricted.push(Restricted {
                        key: key.index() as u16,
                        bounds: bounds(r.lists.business_units, r.lists.workflows)?,
                        own_only: r.own_only,
                        cap: r.approval_limit.unwrap_or(NO_CAP),
                    });
                }
                _ => unrestricted.insert(key.index()),
            }
        }
        restricted.retain(|r| !unrestricted.contains(r.key as usize));
        restricted.sort_by_key(|r| r.key);
        restricted.dedup();
        restricted.shrink_to_fit();
        Ok((unrestricted.shrink(), restricted))
    }

    /// Resolves a key name. `Ok(None)`: a dropped legacy key under translation, or an unknown
    /// name skipped (grants nothing).
    #[inline]
    pub(super) fn key(&mut self, company: &str, name: &str) -> Result<Option<Key>, ClaimsError> {
        match self.catalog.find_key(name) {
            Some(k) => Ok(Some(k)),
            None => self.key_error(company, name, self.catalog.key_miss(name)),
        }
    }

    /// A well-formed name this catalog does not know: skipped and reported, or `error` with
    /// [`UnknownNames::Reject`]. A malformed one is always `error`.
    fn unknown(
        &self,
        well_formed: bool,
        error: impl FnOnce() -> ClaimsError,
    ) -> Result<(), ClaimsError> {
        if well_formed && self.options.unknown_names == UnknownNames::Skip {
            Ok(())
        } else {
            Err(error())
        }
    }

    /// Records a skipped name of the token (`entitled`: of Core's entitlements), once.
    pub(super) fn skip(&mut self, name: &str, entitled: bool) {
        let seen = |list: &[Box<str>]| list.iter().any(|s| &**s == name);
        if seen(&self.skipped) || seen(&self.skipped_entitled) {
            return;
        }
        if entitled {
            self.skipped_entitled.push(name.into());
        } else {
            self.skipped.push(name.into());
        }
    }

    /// A bitset of modules. External modules are errors; legacy ones are errors or translated
    /// (see [`ClaimsOptions::translate_legacy`]); unknown ones are skipped or errors (see
    /// [`UnknownNames`]), named after their source.
    pub(super) fn modules<S: AsRef<str>>(
        &mut self,
        company: &str,
        names: &[S],
        source: Modules,
    ) -> Result<u64, ClaimsError> {
        let mut mask = 0u64;
        for name in names.iter().map(AsRef::as_ref) {
            let (company, module) = (|| company.to_string(), || name.to_string());
            if let Some(legacy) = self.catalog.legacy_module(name) {
                let translated = self.legacy_module(&company(), legacy, source)?;
                mask |= translated.map_or(0, |m| m.bit());
                continue;
            }
            let Some(m) = self.catalog.module(name) else {
                let well_formed = check_segment(name.as_bytes()).is_ok();
                self.unknown(well_formed, || match source {
                    Modules::Entitled => ClaimsError::UnknownEntitledModule {
                        company: company(),
                        module: module(),
                    },
                    Modules::Claimed => ClaimsError::UnknownModule {
                        company: company(),
                        module: module(),
                    },
                })?;
                self.skip(name, source == Modules::Entitled);
                continue;
            };
            if m.kind() == ModuleKind::External {
                let (company, module) = (company(), module());
                return Err(match source {
                    Modules::Entitled => ClaimsError::ExternalEntitledModule { company, module },
                    Modules::Claimed => ClaimsError::ExternalModule { company, module },
                });
            }
            mask |= m.bit();
        }
        Ok(mask)
    }

    /// The modules a company bought, as a bitset; none without entitlements (layer 1 then denies
    /// every commercial key, never allows it).
    pub(super) fn bought(
        &mut self,
        company: &str,
        ents: Option<&Entitlements>,
    ) -> Result<u64, ClaimsError> {
        let Some(e) = ents else { return Ok(0) };
        if e.modules.len() > token::MAX_LIST {
            return Err(ClaimsError::TooManyEntitledModules {
                company: company.into(),
                count: e.modules.len(),
                max: token::MAX_LIST,
            });
        }
        self.modules(company, &e.modules, Modules::Entitled)
    }

    /// Bought modules that are usable: an add-on needs a bought base module it attaches to.
    pub(super) fn effective(&self, bought: u64) -> u64 {
        let mut entitled = 0u64;
        for m in self.catalog.modules() {
            if bought & m.bit() == 0 {
                continue;
            }
            let usable = match m.kind() {
                ModuleKind::Addon => self.catalog.attach_mask(m.index()) & bought != 0,
                _ => true,
            };
            if usable {
                entitled |= m.bit();
            }
        }
        entitled
    }
}
