//! A user's access, compiled from claims once per token and reused for many decisions.

use crate::catalog::Catalog;
use crate::claims::{
    self, Claims, ClaimsError, DelegationClaim, Entitlements, MembershipClaims, PermissionClaim,
    RestrictedPermission, ScopeClaim,
};
use crate::decide::Denial;
use crate::delegation::Grant;
use crate::id::{Id, IdRef};
use crate::key::{Key, KeyError};
use crate::keyset::KeySet;
use crate::scope::Scope;
use crate::spec::{DelegationRule, ModuleKind};

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
    legacy: Vec<(Box<str>, Option<Key>)>,
}

/// A set of allowed values for one scope attribute: `None` means any (including absent).
pub(crate) type Allowed = Option<Box<[Id]>>;

/// Business-unit and workflow restrictions (of a grant, a membership, or a delegation bound).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bounds {
    pub business_units: Allowed,
    pub workflows: Allowed,
}

impl Bounds {
    /// Whether a request scope lies inside these bounds, comparing ids with `same` ([`Id::is`],
    /// or [`Id::is_exactly`] when the request's ids are exact). A request missing an attribute a
    /// bound needs is outside (fail closed).
    #[inline(always)]
    pub(crate) fn admits_by(
        &self,
        scope: &Scope<'_>,
        same: impl Fn(&Id, IdRef<'_>) -> bool + Copy,
    ) -> bool {
        admits_by(&self.business_units, scope.business_unit_ref(), same)
            && admits_by(&self.workflows, scope.workflow_ref(), same)
    }

    pub(crate) fn is_unbounded(&self) -> bool {
        self.business_units.is_none() && self.workflows.is_none()
    }
}

/// Whether `allowed` admits the request's `value` (any value when unrestricted).
#[inline(always)]
pub(crate) fn admits(allowed: &Allowed, value: IdRef<'_>) -> bool {
    admits_by(allowed, value, Id::is)
}

#[inline(always)]
fn admits_by(allowed: &Allowed, value: IdRef<'_>, same: impl Fn(&Id, IdRef<'_>) -> bool) -> bool {
    match allowed {
        None => true,
        // A plain loop rather than `Iterator::any`, which LLVM left as a call in the walk.
        Some(list) => {
            for x in list {
                if same(x, value) {
                    return true;
                }
            }
            false
        }
    }
}

/// A grant with restrictions; restrictions on one grant intersect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Restricted {
    pub key: u16,
    pub bounds: Bounds,
    pub own_only: bool,
}

/// A membership's delegation rights, already clamped to personal access (layers 1–3; layer 4 is
/// checked per grant).
#[derive(Debug, Clone, Default)]
pub(crate) struct Delegation {
    pub modules: u64,
    pub keys: KeySet,
    pub redelegate: KeySet,
    pub manage_users: bool,
    pub buy_addons: bool,
    pub bound: Bounds,
}

/// One company's worth of a user's access.
#[derive(Debug, Clone)]
pub(crate) struct Membership {
    pub company: Id,
    /// Modules the company bought (as listed by Core).
    pub bought: u64,
    /// Bought modules that are usable: add-ons only with a bought base they attach to.
    pub entitled: u64,
    /// Modules assigned to the user.
    pub assigned: u64,
    /// Keys held through any grant or role.
    pub held: KeySet,
    /// Keys held through at least one unrestricted grant (these supersede restricted ones).
    pub unrestricted: KeySet,
    /// Restricted grants of keys not in `unrestricted`, sorted by key.
    pub restricted: Vec<Restricted>,
    /// `restricted[starts[k]..starts[k + 1]]` are key `k`'s restricted grants (one entry per key,
    /// plus one): an O(1) lookup on the hot path.
    pub starts: Box<[u16]>,
    /// Membership-wide restriction, intersected with every grant.
    pub bounds: Bounds,
    pub approval_limit: Option<u64>,
    pub delegation: Delegation,
    /// Per key id, the outcome of layers 1–3 and what is left of layer 4, precomputed with the
    /// same checks `decide` would run: the hot path reads one entry.
    pub fast: Box<[Fast]>,
    /// The business units of [`Fast::Unit`] and [`Fast::Units`] entries, one list after the other.
    pub units: Box<[Id]>,
}

/// A key's precomputed outcome in one membership (see [`Membership::fast`]): six bytes, so a
/// membership's table is six bytes per key of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fast {
    /// Allowed for every scope of the company: held unrestricted, usable module, not an approval
    /// key, no membership-wide restriction.
    Allow,
    /// As [`Fast::Allow`], for an approval key: layer 4 is only the amount check (a membership
    /// approval limit, and the request's amount at or under it).
    Approval,
    /// Layers 1–3 pass, and layer 4 reduces to: the request's business unit is `units[at]` (of
    /// [`Membership::units`]), an exact id ([`Id::is_exact`]). The common restricted grant, so it
    /// has a variant of its own.
    Unit {
        /// Where the business unit is in [`Membership::units`].
        at: u16,
    },
    /// As [`Fast::Unit`], for any other number of business units: the request's is one of
    /// `units[start..start + len]`. An empty list reaches nothing.
    Units {
        /// Where the list starts in [`Membership::units`].
        start: u16,
        /// How many business units it holds.
        len: u8,
    },
    /// Layers 1–3 pass; layer 4 (scope, approval) decides, walking the key's restricted grants
    /// `restricted[start..start + len]` (of [`Membership::restricted`]). None: the key is held
    /// unrestricted, which supersedes restricted grants of it (they are dropped).
    Scope {
        /// Where the key's grants start in [`Membership::restricted`].
        start: u16,
        /// How many there are.
        len: u16,
    },
    /// Layer 1: [`Denial::NotEntitled`] (of the key's module).
    NotEntitled,
    /// Layer 1: [`Denial::AddonWithoutBase`] (of the key's module).
    AddonWithoutBase,
    /// Layer 2: [`Denial::ModuleNotAssigned`] (of the key's module).
    ModuleNotAssigned,
    /// Layer 3: [`Denial::MissingPermission`].
    MissingPermission,
}

impl Fast {
    fn denied(d: Denial) -> Fast {
        match d {
            Denial::NotEntitled(_) => Fast::NotEntitled,
            Denial::AddonWithoutBase(_) => Fast::AddonWithoutBase,
            Denial::ModuleNotAssigned(_) => Fast::ModuleNotAssigned,
            // Layers 1–3 deny with nothing else.
            _ => Fast::MissingPermission,
        }
    }
}

/// What layer 4 asks of a request for one key, when that is simple enough to precompute.
enum Condition<'m> {
    /// Nothing: every request of the company passes.
    None,
    /// The request's business unit is one of the membership-wide restriction's (the key is held
    /// unrestricted). The same list for every such key, so it is stored once.
    MembershipUnits,
    /// The request's business unit is one of these (none: nothing passes).
    Units(Vec<&'m Id>),
    /// Anything else (a workflow, an owner, an amount): walk the grants.
    Other,
}

impl Membership {
    /// The business units of a `units` entry of [`Fast::Units`].
    #[inline]
    pub(crate) fn units_at(&self, start: u16, len: u8) -> &[Id] {
        let start = usize::from(start);
        self.units
            .get(start..start + usize::from(len))
            .unwrap_or_default()
    }

    /// Layer 4's reach for `key` (the approval check aside), as a [`Condition`]. The same rules as
    /// `decide`'s walk: grants of the key are a union, each intersected with the membership-wide
    /// restriction. A key whose grants list more than `u8::MAX` business units in all is left to
    /// the walk, and so is an approval key unless it is held unrestricted in an unrestricted
    /// membership (then only its amount is checked).
    fn condition(&self, key: Key) -> Condition<'_> {
        let unrestricted = self.unrestricted.contains(key.index());
        if key.needs_approval() {
            // Only the amount check is left out of the walk for approval keys.
            return if unrestricted && self.bounds.is_unbounded() {
                Condition::None
            } else {
                Condition::Other
            };
        }
        if self.bounds.workflows.is_some() {
            return Condition::Other;
        }
        if unrestricted {
            return match self.bounds.business_units {
                None => Condition::None,
                Some(_) => Condition::MembershipUnits,
            };
        }
        let mut units: Vec<&Id> = Vec::new();
        for g in self.restricted_for(key.index() as u16) {
            match (&g.bounds.business_units, &g.bounds.workflows, g.own_only) {
                (Some(list), None, false) if units.len() + list.len() <= usize::from(u8::MAX) => {
                    units.extend(list.iter());
                }
                _ => return Condition::Other,
            }
        }
        if let Some(only) = &self.bounds.business_units {
            let mut only: Vec<&str> = only.iter().map(Id::as_str).collect();
            only.sort_unstable();
            units.retain(|x| only.binary_search(&x.as_str()).is_ok());
        }
        units.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        units.dedup_by(|a, b| a.as_str() == b.as_str());
        Condition::Units(units)
    }

    /// The restricted grants of one key.
    #[inline]
    pub(crate) fn restricted_for(&self, key: u16) -> &[Restricted] {
        let (start, len) = self.restricted_range(key);
        self.restricted_at(start, len)
    }

    /// Where the restricted grants of one key are in [`Membership::restricted`].
    fn restricted_range(&self, key: u16) -> (u16, u16) {
        let k = key as usize;
        match (self.starts.get(k), self.starts.get(k + 1)) {
            (Some(&a), Some(&b)) => (a, b.saturating_sub(a)),
            _ => (0, 0),
        }
    }

    /// The restricted grants `restricted[start..start + len]` (see [`Fast::Scope`]).
    #[inline(always)]
    pub(crate) fn restricted_at(&self, start: u16, len: u16) -> &[Restricted] {
        let start = usize::from(start);
        self.restricted
            .get(start..start + usize::from(len))
            .unwrap_or_default()
    }
}

/// Options for building a subject from claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimsOptions {
    /// Translate legacy (`basic.*`) keys to their replacements instead of refusing them — for the
    /// migration window only. Dropped legacy keys grant nothing. Every translation is reported by
    /// [`Subject::legacy_translations`]. Off by default.
    pub translate_legacy: bool,
}

impl ClaimsOptions {
    /// Sets [`ClaimsOptions::translate_legacy`].
    pub fn translate_legacy(mut self, on: bool) -> Self {
        self.translate_legacy = on;
        self
    }
}

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
        claims::check_id("sub", &claims.sub)?;
        claims::check_len(
            "memberships",
            claims.memberships.len(),
            claims::MAX_MEMBERSHIPS,
        )?;
        claims::check_len("entitlements", entitlements.len(), claims::MAX_MEMBERSHIPS)?;
        for (i, e) in entitlements.iter().enumerate() {
            claims::check_id("company", &e.company)?;
            if entitlements[..i].iter().any(|o| o.company == e.company) {
                return Err(ClaimsError::DuplicateCompany(e.company.clone()));
            }
        }
        let mut builder = Build {
            catalog,
            options,
            legacy: Vec::new(),
        };
        // Every entitlement is checked, also those of companies the user is not a member of.
        for e in entitlements {
            claims::check_len("entitled modules", e.modules.len(), claims::MAX_LIST)?;
            builder.modules(&e.company, &e.modules)?;
        }
        let mut memberships = Vec::with_capacity(claims.memberships.len());
        for (i, mc) in claims.memberships.iter().enumerate() {
            claims::check_id("company", &mc.company)?;
            if claims.memberships[..i]
                .iter()
                .any(|o| o.company == mc.company)
            {
                return Err(ClaimsError::DuplicateCompany(mc.company.clone()));
            }
            let ents = entitlements.iter().find(|e| e.company == mc.company);
            memberships.push(builder.membership(mc, ents)?);
        }
        Ok(Subject {
            catalog: catalog.clone(),
            user: claims.sub.as_str().into(),
            memberships: memberships.into(),
            legacy: builder.legacy,
        })
    }

    /// Starts building a subject in code (tests, service accounts, tools); the result goes
    /// through the same validation as claims.
    ///
    /// ```
    /// use kisum_access::{Catalog, Grant, Scope, Subject, decide, keys};
    ///
    /// let subject = Subject::builder(Catalog::embedded(), "user-7")
    ///     .membership("acme")
    ///     .entitled(["promoter", "finance"])
    ///     .modules(["finance"])
    ///     .permission(keys::FINANCE_BILL_VIEW)
    ///     .grant(&Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-x"]))
    ///     .build()?;
    /// let bu_y = Scope::company("acme").business_unit("bu-y");
    /// assert!(decide(&subject, keys::FINANCE_BILL_VIEW, &bu_y).is_allowed());
    /// assert!(!decide(&subject, keys::FINANCE_BILL_EDIT, &bu_y).is_allowed());
    /// # Ok::<(), kisum_access::ClaimsError>(())
    /// ```
    pub fn builder(catalog: &Catalog, user_id: impl Into<String>) -> SubjectBuilder<'_> {
        SubjectBuilder {
            catalog,
            claims: Claims {
                sub: user_id.into(),
                memberships: Vec::new(),
            },
            entitlements: Vec::new(),
            options: ClaimsOptions::default(),
        }
    }

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

    /// Legacy keys translated while building (only with [`ClaimsOptions::translate_legacy`]):
    /// `(legacy name, replacement)`, where `None` means dropped (granted nothing). A service logs
    /// these during the migration window.
    pub fn legacy_translations(&self) -> &[(Box<str>, Option<Key>)] {
        &self.legacy
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

/// Builds a [`Subject`] in code; see [`Subject::builder`]. Calls after [`SubjectBuilder::membership`]
/// apply to that membership.
#[derive(Debug, Clone)]
#[must_use]
pub struct SubjectBuilder<'c> {
    catalog: &'c Catalog,
    claims: Claims,
    entitlements: Vec<Entitlements>,
    options: ClaimsOptions,
}

impl SubjectBuilder<'_> {
    fn current(&mut self) -> &mut MembershipClaims {
        if self.claims.memberships.is_empty() {
            self.claims.memberships.push(MembershipClaims::default());
        }
        let last = self.claims.memberships.len() - 1;
        &mut self.claims.memberships[last]
    }

    fn names(&self, keys: impl IntoIterator<Item = Key>) -> Vec<String> {
        keys.into_iter()
            .map(|k| self.catalog.name(k).to_string())
            .collect()
    }

    /// Starts a membership of `company`.
    pub fn membership(mut self, company: impl Into<String>) -> Self {
        self.claims.memberships.push(MembershipClaims {
            company: company.into(),
            ..Default::default()
        });
        self
    }

    /// The current company bought these modules (layer 1).
    pub fn entitled<S: Into<String>>(mut self, modules: impl IntoIterator<Item = S>) -> Self {
        let company = self.current().company.clone();
        let modules = modules.into_iter().map(Into::into);
        match self.entitlements.iter_mut().find(|e| e.company == company) {
            Some(e) => e.modules.extend(modules),
            None => self.entitlements.push(Entitlements::new(company, modules)),
        }
        self
    }

    /// These modules are assigned to the user (layer 2).
    pub fn modules<S: Into<String>>(mut self, modules: impl IntoIterator<Item = S>) -> Self {
        self.current()
            .modules
            .extend(modules.into_iter().map(Into::into));
        self
    }

    /// Grants a role template.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.current().roles.push(role.into());
        self
    }

    /// Grants a key without restriction.
    pub fn permission(mut self, key: Key) -> Self {
        let name = self.catalog.name(key).to_string();
        self.current().permissions.push(PermissionClaim::Key(name));
        self
    }

    /// Adds a grant (to the membership of the grant's company, started if needed) — e.g. one
    /// accepted by [`Subject::can_grant`]. A re-delegable grant also gives the right to grant the
    /// key on (GRANT OPTION), still clamped to what the grantee holds.
    pub fn grant(mut self, grant: &Grant) -> Self {
        let name = self.catalog.name(grant.key()).to_string();
        let module = self.catalog.module_name(grant.key().module()).to_string();
        let index = match self
            .claims
            .memberships
            .iter()
            .rposition(|m| m.company == grant.company())
        {
            Some(i) => i,
            None => {
                self = self.membership(grant.company());
                self.claims.memberships.len() - 1
            }
        };
        let m = &mut self.claims.memberships[index];
        m.permissions
            .push(PermissionClaim::Restricted(RestrictedPermission {
                key: name.clone(),
                business_units: grant.business_unit_ids().map(<[String]>::to_vec),
                workflows: grant.workflow_ids().map(<[String]>::to_vec),
                own_only: grant.is_own_only(),
            }));
        if grant.is_redelegable() {
            let d = m.delegation.get_or_insert_with(DelegationClaim::default);
            d.modules.push(module);
            d.permissions.push(name.clone());
            d.redelegate.push(name);
        }
        self
    }

    /// Restricts the whole membership to these business units.
    pub fn business_units<S: Into<String>>(mut self, units: impl IntoIterator<Item = S>) -> Self {
        let scope = self.current().scope.get_or_insert_with(ScopeClaim::default);
        scope.business_units = Some(units.into_iter().map(Into::into).collect());
        self
    }

    /// Restricts the whole membership to these workflows.
    pub fn workflows<S: Into<String>>(mut self, workflows: impl IntoIterator<Item = S>) -> Self {
        let scope = self.current().scope.get_or_insert_with(ScopeClaim::default);
        scope.workflows = Some(workflows.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the membership's approval limit.
    pub fn approval_limit(mut self, limit: u64) -> Self {
        self.current().approval_limit = Some(limit);
        self
    }

    /// Sets the membership's delegation policy.
    pub fn delegation(mut self, policy: DelegationClaim) -> Self {
        self.current().delegation = Some(policy);
        self
    }

    /// Keys the user may grant (shorthand for a delegation policy with these keys and their modules).
    pub fn delegable(mut self, keys: impl IntoIterator<Item = Key>) -> Self {
        let keys: Vec<Key> = keys.into_iter().collect();
        let names = self.names(keys.iter().copied());
        let modules: Vec<String> = keys
            .iter()
            .map(|k| self.catalog.module_name(k.module()).to_string())
            .collect();
        let d = self
            .current()
            .delegation
            .get_or_insert_with(DelegationClaim::default);
        d.permissions.extend(names);
        d.modules.extend(modules);
        self
    }

    /// Uses these options (e.g. legacy translation).
    pub fn options(mut self, options: ClaimsOptions) -> Self {
        self.options = options;
        self
    }

    /// Validates and compiles the subject.
    ///
    /// # Errors
    ///
    /// As [`Subject::from_claims`].
    pub fn build(self) -> Result<Subject, ClaimsError> {
        Subject::from_claims_with(self.catalog, &self.claims, &self.entitlements, self.options)
    }

    /// The claims built so far (e.g. to serialize a test token).
    pub fn claims(&self) -> &Claims {
        &self.claims
    }
}

/// The compilation of claims into memberships.
struct Build<'c> {
    catalog: &'c Catalog,
    options: ClaimsOptions,
    legacy: Vec<(Box<str>, Option<Key>)>,
}

impl Build<'_> {
    fn membership(
        &mut self,
        mc: &MembershipClaims,
        ents: Option<&Entitlements>,
    ) -> Result<Membership, ClaimsError> {
        let cat = self.catalog;
        let company = mc.company.as_str();
        claims::check_len("modules", mc.modules.len(), claims::MAX_LIST)?;
        claims::check_len("roles", mc.roles.len(), claims::MAX_LIST)?;
        claims::check_len("permissions", mc.permissions.len(), claims::MAX_GRANTS)?;

        let bought = match ents {
            Some(e) => self.modules(company, &e.modules)?,
            None => 0,
        };
        let entitled = self.effective(bought);
        let assigned = self.modules(company, &mc.modules)?;

        let n = cat.len();
        let mut unrestricted = KeySet::with_capacity(n);
        let mut restricted: Vec<Restricted> = Vec::new();
        for role in &mc.roles {
            let r = cat.role(role).ok_or_else(|| ClaimsError::UnknownRole {
                company: company.into(),
                role: role.clone(),
            })?;
            unrestricted.union_words(r.grant_words());
            restricted.extend(r.own_only().map(|k| Restricted {
                key: k.index() as u16,
                bounds: Bounds::default(),
                own_only: true,
            }));
        }
        for p in &mc.permissions {
            let Some(key) = self.key(company, p.key())? else {
                continue;
            };
            if key.module().kind() == ModuleKind::External {
                return Err(ClaimsError::ExternalKey {
                    company: company.into(),
                    key: p.key().into(),
                });
            }
            match p {
                PermissionClaim::Restricted(r)
                    if r.own_only || r.business_units.is_some() || r.workflows.is_some() =>
                {
                    restricted.push(Restricted {
                        key: key.index() as u16,
                        bounds: bounds(r.business_units.as_deref(), r.workflows.as_deref())?,
                        own_only: r.own_only,
                    });
                }
                _ => unrestricted.insert(key.index()),
            }
        }
        // An unrestricted grant supersedes restricted grants of the same key.
        restricted.retain(|r| !unrestricted.contains(r.key as usize));
        restricted.sort_by_key(|r| r.key);
        restricted.dedup();
        let mut held = unrestricted.clone();
        for r in &restricted {
            held.insert(r.key as usize);
        }
        // At most MAX_GRANTS + roles' own-only keys, well under u16::MAX.
        let starts: Box<[u16]> = (0..=n)
            .map(|k| restricted.partition_point(|r| (r.key as usize) < k) as u16)
            .collect();
        let membership_bounds = match &mc.scope {
            Some(s) => bounds(s.business_units.as_deref(), s.workflows.as_deref())?,
            None => Bounds::default(),
        };
        let mut m = Membership {
            company: Id::new(company),
            bought,
            entitled,
            assigned,
            held,
            unrestricted,
            restricted,
            starts,
            bounds: membership_bounds,
            approval_limit: mc.approval_limit,
            delegation: Delegation::default(),
            fast: Box::default(),
            units: Box::default(),
        };
        let mut fast = Vec::with_capacity(n);
        let mut units: Vec<Id> = Vec::new();
        let mut membership_units: Option<Fast> = None;
        for id in 0..n {
            let Some(k) = cat.key_at_index(id) else {
                fast.push(Fast::MissingPermission);
                continue;
            };
            let (start, len) = m.restricted_range(id as u16);
            let walk = Fast::Scope { start, len };
            fast.push(match crate::decide::layers_1_to_3(&m, k) {
                Err(d) => Fast::denied(d),
                Ok(()) => match m.condition(k) {
                    Condition::None if k.needs_approval() => Fast::Approval,
                    Condition::None => Fast::Allow,
                    Condition::MembershipUnits => *membership_units.get_or_insert_with(|| {
                        let only = m.bounds.business_units.as_deref().unwrap_or_default();
                        push_units(&mut units, only.iter()).unwrap_or(walk)
                    }),
                    Condition::Units(list) => {
                        push_units(&mut units, list.into_iter()).unwrap_or(walk)
                    }
                    Condition::Other => walk,
                },
            });
        }
        m.fast = fast.into();
        m.units = units.into();
        m.delegation = match cat.delegation_rule() {
            DelegationRule::Policy => match &mc.delegation {
                Some(d) => self.policy(company, d, &m)?,
                None => Delegation::default(),
            },
            DelegationRule::ChangePermissions => {
                if mc.delegation.is_some() {
                    return Err(ClaimsError::DelegationPolicyNotApplicable(company.into()));
                }
                self.change_permissions(&m)
            }
        };
        Ok(m)
    }

    /// Resolves a key name. `Ok(None)`: a dropped legacy key under translation (grants nothing).
    fn key(&mut self, company: &str, name: &str) -> Result<Option<Key>, ClaimsError> {
        match self.catalog.key(name) {
            Ok(k) => Ok(Some(k)),
            Err(KeyError::Legacy { .. }) if self.options.translate_legacy => {
                let replacement = self
                    .catalog
                    .legacy()
                    .find(|(n, _, _)| *n == name)
                    .and_then(|(_, r, _)| r);
                if !self.legacy.iter().any(|(n, _)| &**n == name) {
                    self.legacy.push((name.into(), replacement));
                }
                Ok(replacement)
            }
            Err(error) => Err(ClaimsError::Key {
                company: company.into(),
                error,
            }),
        }
    }

    /// A bitset of modules; unknown and external modules are errors.
    fn modules(&self, company: &str, names: &[String]) -> Result<u64, ClaimsError> {
        let mut mask = 0u64;
        for name in names {
            let m = self
                .catalog
                .module(name)
                .ok_or_else(|| ClaimsError::UnknownModule {
                    company: company.into(),
                    module: name.clone(),
                })?;
            if m.kind() == ModuleKind::External {
                return Err(ClaimsError::ExternalModule {
                    company: company.into(),
                    module: name.clone(),
                });
            }
            mask |= m.bit();
        }
        Ok(mask)
    }

    /// Bought modules that are usable: an add-on needs a bought base module it attaches to.
    fn effective(&self, bought: u64) -> u64 {
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

    /// An explicit delegation policy, clamped to personal access at layers 1–3.
    fn policy(
        &mut self,
        company: &str,
        d: &DelegationClaim,
        m: &Membership,
    ) -> Result<Delegation, ClaimsError> {
        claims::check_len("delegation modules", d.modules.len(), claims::MAX_LIST)?;
        claims::check_len(
            "delegation permissions",
            d.permissions.len(),
            claims::MAX_GRANTS,
        )?;
        claims::check_len("redelegate", d.redelegate.len(), claims::MAX_GRANTS)?;
        let modules = self.modules(company, &d.modules)?;
        let n = self.catalog.len();
        let mut keys = KeySet::with_capacity(n);
        for name in &d.permissions {
            if let Some(k) = self.key(company, name)? {
                let personal = m.held.contains(k.index())
                    && (!k.commercial_layers_apply()
                        || m.entitled & m.assigned & k.module().bit() != 0);
                if personal && modules & k.module().bit() != 0 {
                    keys.insert(k.index());
                }
            }
        }
        let mut redelegate = KeySet::with_capacity(n);
        for name in &d.redelegate {
            if let Some(k) = self.key(company, name)?
                && keys.contains(k.index())
            {
                redelegate.insert(k.index());
            }
        }
        let bound = match &d.scope {
            Some(s) => bounds(s.business_units.as_deref(), s.workflows.as_deref())?,
            None => Bounds::default(),
        };
        Ok(Delegation {
            modules,
            keys,
            redelegate,
            manage_users: d.manage_users,
            buy_addons: d.buy_addons,
            bound,
        })
    }

    /// B.A.M: `<system>.change_permissions` (held org-wide) lets the holder grant the keys of that
    /// system they hold, `<system>.<resource>.change_permissions` those of that resource.
    fn change_permissions(&self, m: &Membership) -> Delegation {
        let cat = self.catalog;
        let holds_org_wide = |name: &str| {
            cat.key(name)
                .is_ok_and(|k| m.unrestricted.contains(k.index()))
        };
        let mut keys = KeySet::with_capacity(cat.len());
        let mut modules = 0u64;
        for id in m.held.iter() {
            let Some(key) = cat.key_at_index(id) else {
                continue;
            };
            let name = cat.name(key);
            let mut segs = name.split('.');
            let system = segs.next().unwrap_or_default();
            let resource = segs.next().unwrap_or_default();
            let by_system = holds_org_wide(&format!("{system}.change_permissions"));
            let by_resource = name.matches('.').count() >= 2
                && holds_org_wide(&format!("{system}.{resource}.change_permissions"));
            if by_system || by_resource {
                keys.insert(id);
                modules |= key.module().bit();
            }
        }
        Delegation {
            modules,
            redelegate: keys.clone(),
            keys,
            manage_users: false,
            buy_addons: false,
            bound: Bounds::default(),
        }
    }
}

/// Appends a business-unit list to a membership's `units` and returns the entry that checks it:
/// [`Fast::Unit`] for one exact id, [`Fast::Units`] otherwise; `None` if the list cannot be
/// indexed (the caller keeps [`Fast::Scope`], whose walk gives the same answer).
fn push_units<'a>(
    units: &mut Vec<Id>,
    list: impl ExactSizeIterator<Item = &'a Id>,
) -> Option<Fast> {
    let start = u16::try_from(units.len()).ok()?;
    let len = u8::try_from(list.len()).ok()?;
    if units.len() + usize::from(len) > 1 << 16 {
        return None;
    }
    units.extend(list.cloned());
    Some(match units.get(usize::from(start)) {
        Some(only) if len == 1 && only.is_exact() => Fast::Unit { at: start },
        _ => Fast::Units { start, len },
    })
}

fn allowed(list: Option<&[String]>) -> Result<Allowed, ClaimsError> {
    let Some(list) = list else { return Ok(None) };
    claims::check_len("business units or workflows", list.len(), claims::MAX_LIST)?;
    for v in list {
        claims::check_id("business unit or workflow", v)?;
    }
    Ok(Some(list.iter().map(|s| Id::new(s)).collect()))
}

fn bounds(
    business_units: Option<&[String]>,
    workflows: Option<&[String]>,
) -> Result<Bounds, ClaimsError> {
    Ok(Bounds {
        business_units: allowed(business_units)?,
        workflows: allowed(workflows)?,
    })
}

#[cfg(test)]
mod tests {
    use super::Fast;

    /// A membership's table is this many bytes per key of the catalog.
    #[test]
    fn a_fast_entry_is_six_bytes() {
        assert_eq!(size_of::<Fast>(), 6);
    }
}
