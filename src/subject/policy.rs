//! Each membership's delegation rights, clamped to personal access: from an explicit policy in the
//! claims (Kisum), or from the `change_permissions` keys the user holds (B.A.M).

use crate::catalog::spec::DelegationRule;
use crate::catalog::{Catalog, KeySet};
use crate::layer::Bounds;
use crate::token::{self, ClaimsError};

use super::Membership;
use super::compile::{Build, Modules};
use super::membership::Delegation;
use super::source::{DelegationSource, MembershipSource, bounds};

impl Build<'_> {
    /// The membership's delegation rights, by the catalog's rule.
    pub(super) fn delegation<M: MembershipSource>(
        &mut self,
        company: &str,
        mc: &M,
        m: &Membership,
    ) -> Result<Delegation, ClaimsError> {
        match self.catalog.delegation_rule() {
            DelegationRule::Policy => match mc.delegation() {
                Some(d) => self.policy(company, d, m),
                None => Ok(Delegation::default()),
            },
            DelegationRule::ChangePermissions => {
                if mc.delegation().is_some() {
                    return Err(ClaimsError::DelegationPolicyNotApplicable(company.into()));
                }
                Ok(self.change_permissions(m))
            }
        }
    }

    /// An explicit delegation policy, clamped to personal access at layers 1–3.
    fn policy<D: DelegationSource>(
        &mut self,
        company: &str,
        d: &D,
        m: &Membership,
    ) -> Result<Delegation, ClaimsError> {
        token::check_len("delegation modules", d.modules().len(), token::MAX_LIST)?;
        token::check_len(
            "delegation permissions",
            d.permissions().len(),
            token::MAX_GRANTS,
        )?;
        token::check_len("redelegate", d.redelegate().len(), token::MAX_GRANTS)?;
        let modules = self.modules(company, d.modules(), Modules::Claimed)?;
        let n = self.catalog.len();
        let mut listed = KeySet::with_capacity(n);
        for name in d.permissions().iter().map(AsRef::as_ref) {
            if let Some(k) = self.key(company, name)?
                && modules & k.module().bit() != 0
            {
                listed.insert(k.index());
            }
        }
        let mut listed_redelegate = KeySet::with_capacity(n);
        for name in d.redelegate().iter().map(AsRef::as_ref) {
            if let Some(k) = self.key(company, name)? {
                listed_redelegate.insert(k.index());
            }
        }
        let bound = match d.scope() {
            Some(s) => bounds(s.business_units, s.workflows)?,
            None => Bounds::default(),
        };
        let (keys, redelegate) = clamp(self.catalog, m, &listed, &listed_redelegate);
        Ok(Delegation {
            modules,
            keys,
            redelegate,
            listed,
            listed_redelegate,
            manage_users: d.manage_users(),
            buy_addons: d.buy_addons(),
            bound,
        })
    }

    /// B.A.M: `<system>.change_permissions` (held org-wide) lets the holder grant the keys of that
    /// system they hold, `<system>.<resource>.change_permissions` those of that resource.
    fn change_permissions(&self, m: &Membership) -> Delegation {
        const SUFFIX: &str = ".change_permissions";
        let cat = self.catalog;
        // What the `change_permissions` keys held org-wide name: `<system>` or
        // `<system>.<resource>`. Without one (most users), nothing is delegable.
        let scopes: Vec<&str> = (m.unrestricted.iter())
            .filter_map(|id| cat.key_at_index(id))
            .filter_map(|k| cat.name(k).strip_suffix(SUFFIX))
            .collect();
        let mut keys = KeySet::with_capacity(cat.len());
        let mut modules = 0u64;
        for id in m.held.iter().filter(|_| !scopes.is_empty()) {
            let Some(key) = cat.key_at_index(id) else {
                continue;
            };
            let name = cat.name(key);
            let mut segs = name.split('.');
            let system = segs.next().unwrap_or_default();
            let resource = segs.next().unwrap_or_default();
            // `<system>.<resource>`, when the key has a segment after its resource.
            let system_resource = (name.matches('.').count() >= 2)
                .then(|| name.get(..system.len() + 1 + resource.len()))
                .flatten();
            let granted = |scope: &&str| *scope == system || Some(*scope) == system_resource;
            if scopes.iter().any(granted) {
                keys.insert(id);
                modules |= key.module().bit();
            }
        }
        // Re-delegation is granting a `change_permissions` key, never a re-delegable grant.
        Delegation {
            modules,
            redelegate: KeySet::with_capacity(cat.len()),
            keys,
            listed: KeySet::default(),
            listed_redelegate: KeySet::default(),
            manage_users: false,
            buy_addons: false,
            bound: Bounds::default(),
        }
    }
}

/// A policy's keys clamped to personal access at layers 1-3 (held, and for commercial keys in a
/// module the company is entitled to and the user is assigned), and the re-delegable ones among
/// them. Run again when fresh entitlements arrive ([`Subject::with_entitlements`]).
///
/// [`Subject::with_entitlements`]: crate::Subject::with_entitlements
pub(super) fn clamp(
    cat: &Catalog,
    m: &Membership,
    listed: &KeySet,
    listed_redelegate: &KeySet,
) -> (KeySet, KeySet) {
    let mut keys = KeySet::with_capacity(cat.len());
    let mut redelegate = KeySet::with_capacity(cat.len());
    for id in listed.iter() {
        let Some(k) = cat.key_at_index(id) else {
            continue;
        };
        let personal = m.held.contains(id)
            && (!k.commercial_layers_apply() || m.entitled & m.assigned & k.module().bit() != 0);
        if personal {
            keys.insert(id);
            if listed_redelegate.contains(id) {
                redelegate.insert(id);
            }
        }
    }
    (keys, redelegate)
}
