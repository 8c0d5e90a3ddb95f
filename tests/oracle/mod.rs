//! The reference model of `decide` and `explain`, written straight from the design's layer rules
//! with strings and sets. Shared by the tests (`mod oracle;`) and the fuzz targets
//! (`#[path = "../../tests/oracle/mod.rs"] mod oracle;`).
//!
//! It shares no code with `src/`: it reads a catalog's TOML with the `toml` crate (modules, add-on
//! attachments, approval flags, role templates, legacy aliases, the commercial flag) and evaluates
//! the layers on `HashSet`s. The crate's public types are used only to translate its answers
//! (`Expect::of`, `verdicts_of`) and to build a `Scope` from a request (`Req::scope`).
#![allow(dead_code)]

pub mod delegation;
pub mod explain;
pub mod json;

#[allow(unused_imports)] // Not every test uses `explain`.
pub use explain::{check_explain, model_verdicts};

use std::collections::{HashMap, HashSet};

use kisum_access::{Catalog, Decision, Denial, Scope};

pub struct ModelCatalog {
    /// Every key, in file order.
    pub keys: Vec<String>,
    /// Keys flagged `approval = true`.
    pub approval: HashSet<String>,
    /// Module name -> kind (`base`, `addon`, `external`).
    pub kind: HashMap<String, String>,
    /// Add-on -> the base modules it attaches to.
    pub attaches_to: HashMap<String, HashSet<String>>,
    /// Role -> (keys granted org-wide, keys granted own-only).
    pub roles: HashMap<String, (HashSet<String>, HashSet<String>)>,
    /// Legacy name -> replacement (`None`: dropped).
    pub legacy: HashMap<String, Option<String>>,
    /// `[catalog] commercial`: do layers 1-2 apply at all?
    pub commercial: bool,
}

fn strings(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().expect("a string").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn tables<'t>(t: &'t toml::Table, name: &str) -> &'t [toml::Value] {
    t.get(name)
        .and_then(toml::Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn text<'v>(v: &'v toml::Value, field: &str) -> &'v str {
    v.get(field)
        .and_then(toml::Value::as_str)
        .unwrap_or_else(|| panic!("field `{field}` in {v:?}"))
}

/// `*` matches one or more whole segments; any other segment matches itself.
pub fn pattern_matches(pattern: &[&str], key: &[&str]) -> bool {
    match pattern.split_first() {
        None => key.is_empty(),
        Some((&"*", rest)) => (1..=key.len()).any(|n| pattern_matches(rest, &key[n..])),
        Some((seg, rest)) => key.first() == Some(seg) && pattern_matches(rest, &key[1..]),
    }
}

type RoleKeys = (HashSet<String>, HashSet<String>);

/// A role's own patterns, then its includes; `except` removes from the result, and a key granted
/// org-wide is not also own-only.
fn resolve_role(
    name: &str,
    raw: &HashMap<String, &toml::Value>,
    expand: &dyn Fn(&[String]) -> HashSet<String>,
) -> RoleKeys {
    let r = raw[name];
    let mut grants = expand(&strings(r.get("grants")));
    let mut own = expand(&strings(r.get("own_only")));
    for inc in strings(r.get("includes")) {
        let (g, o) = resolve_role(&inc, raw, expand);
        grants.extend(g);
        own.extend(o);
    }
    let except = expand(&strings(r.get("except")));
    grants.retain(|k| !except.contains(k));
    own.retain(|k| !except.contains(k) && !grants.contains(k));
    (grants, own)
}

impl ModelCatalog {
    pub fn parse(src: &str) -> ModelCatalog {
        let t: toml::Table = src.parse().expect("the catalog parses");
        let commercial = t
            .get("catalog")
            .and_then(|c| c.get("commercial"))
            .and_then(toml::Value::as_bool)
            .expect("[catalog] commercial");
        let mut kind = HashMap::new();
        let mut attaches_to = HashMap::new();
        for m in tables(&t, "module") {
            let name = text(m, "key").to_string();
            kind.insert(name.clone(), text(m, "kind").to_string());
            attaches_to.insert(name, strings(m.get("attaches_to")).into_iter().collect());
        }
        let mut keys = Vec::new();
        let mut approval = HashSet::new();
        for p in tables(&t, "permission") {
            let key = text(p, "key").to_string();
            if p.get("approval").and_then(toml::Value::as_bool) == Some(true) {
                approval.insert(key.clone());
            }
            keys.push(key);
        }
        let expand = |patterns: &[String]| -> HashSet<String> {
            keys.iter()
                .filter(|k| {
                    let k: Vec<&str> = k.split('.').collect();
                    patterns
                        .iter()
                        .any(|p| pattern_matches(&p.split('.').collect::<Vec<_>>(), &k))
                })
                .cloned()
                .collect()
        };
        let raw: HashMap<String, &toml::Value> = tables(&t, "role")
            .iter()
            .map(|r| (text(r, "name").to_string(), r))
            .collect();
        let roles = raw
            .keys()
            .map(|name| (name.clone(), resolve_role(name, &raw, &expand)))
            .collect();
        let legacy = tables(&t, "legacy")
            .iter()
            .map(|l| {
                let replacement = l
                    .get("replacement")
                    .and_then(toml::Value::as_str)
                    .map(str::to_string);
                (text(l, "key").to_string(), replacement)
            })
            .collect();
        ModelCatalog {
            keys,
            approval,
            kind,
            attaches_to,
            roles,
            legacy,
            commercial,
        }
    }

    pub fn module_of(key: &str) -> &str {
        key.split('.').next().expect("a segment")
    }

    /// Whether layers 1-2 apply to `key`: a commercial catalog, and not an external module.
    pub fn commercial_layers_apply(&self, key: &str) -> bool {
        self.commercial && self.kind[Self::module_of(key)] != "external"
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelGrant {
    pub key: String,
    pub business_units: Option<HashSet<String>>,
    pub workflows: Option<HashSet<String>>,
    pub own_only: bool,
    /// The grant's own approval limit (approval keys only): its effective limit is the smaller of
    /// this and the membership's.
    pub approval_limit: Option<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct ModelMembership {
    pub bought: HashSet<String>,
    pub assigned: HashSet<String>,
    pub roles: Vec<String>,
    pub grants: Vec<ModelGrant>,
    pub business_units: Option<HashSet<String>>,
    pub workflows: Option<HashSet<String>>,
    pub approval_limit: Option<u64>,
    /// The delegation policy, as listed (the model clamps it to personal access when it decides).
    pub delegation: Option<delegation::ModelPolicy>,
}

#[derive(Debug, Clone)]
pub struct ModelSubject {
    pub user: String,
    pub memberships: HashMap<String, ModelMembership>,
}

/// A request scope, as plain strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Req<'a> {
    pub company: &'a str,
    pub business_unit: Option<&'a str>,
    pub workflow: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub amount: Option<u64>,
}

impl<'a> Req<'a> {
    pub fn scope(&self) -> Scope<'a> {
        let mut s = Scope::company(self.company);
        if let Some(b) = self.business_unit {
            s = s.business_unit(b);
        }
        if let Some(w) = self.workflow {
            s = s.workflow(w);
        }
        if let Some(o) = self.owner {
            s = s.owner(o);
        }
        if let Some(a) = self.amount {
            s = s.amount(a);
        }
        s
    }
}

/// What the model expects, in its own terms (module names as strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    Allow,
    NoMembership,
    NotEntitled(String),
    AddonWithoutBase(String),
    ModuleNotAssigned(String),
    MissingPermission,
    OutOfScope,
    ApprovalLimitMissing,
    ApprovalAmountMissing,
    ApprovalLimitExceeded(u64),
    ForeignKey,
}

impl Expect {
    /// The layer, by the name the crate prints (`Layer::name`), assigned from the design's table.
    pub fn layer(&self) -> Option<&'static str> {
        Some(match self {
            Expect::Allow => return None,
            Expect::NoMembership => "membership",
            Expect::NotEntitled(_) | Expect::AddonWithoutBase(_) => "1 commercial",
            Expect::ModuleNotAssigned(_) => "2 module",
            Expect::MissingPermission | Expect::ForeignKey => "3 permission",
            Expect::OutOfScope
            | Expect::ApprovalLimitMissing
            | Expect::ApprovalAmountMissing
            | Expect::ApprovalLimitExceeded(_) => "4 scope",
        })
    }

    /// A denial of `catalog`'s crate, translated into the model's terms.
    pub fn of_denial(catalog: &Catalog, d: Denial) -> Expect {
        let module = |m| catalog.module_name(m).to_string();
        match d {
            Denial::NoMembership => Expect::NoMembership,
            Denial::NotEntitled(m) => Expect::NotEntitled(module(m)),
            Denial::AddonWithoutBase(m) => Expect::AddonWithoutBase(module(m)),
            Denial::ModuleNotAssigned(m) => Expect::ModuleNotAssigned(module(m)),
            Denial::MissingPermission => Expect::MissingPermission,
            Denial::OutOfScope => Expect::OutOfScope,
            Denial::ApprovalLimitMissing => Expect::ApprovalLimitMissing,
            Denial::ApprovalAmountMissing => Expect::ApprovalAmountMissing,
            Denial::ApprovalLimitExceeded { limit } => Expect::ApprovalLimitExceeded(limit),
            Denial::ForeignKey => Expect::ForeignKey,
            other => panic!("a denial the model does not know: {other:?}"),
        }
    }

    /// The crate's decision, translated into the model's terms.
    pub fn of(catalog: &Catalog, d: Decision) -> Expect {
        match d {
            Decision::Allow => Expect::Allow,
            Decision::Deny(d) => Expect::of_denial(catalog, d),
        }
    }
}

/// A restriction (`None`: no restriction) admits a value only if the request names one in it.
pub fn admits(allowed: &Option<HashSet<String>>, value: Option<&str>) -> bool {
    match allowed {
        None => true,
        Some(set) => value.is_some_and(|v| set.contains(v)),
    }
}

/// The grants of `key` in `m`: direct ones, and one per role that grants it (org-wide, or own-only
/// where the role grants it only so). A role or key this model does not know grants nothing.
pub fn grants_of(cat: &ModelCatalog, m: &ModelMembership, key: &str) -> Vec<ModelGrant> {
    let mut grants: Vec<ModelGrant> = m.grants.iter().filter(|g| g.key == key).cloned().collect();
    for (org_wide, own) in m.roles.iter().filter_map(|r| cat.roles.get(r)) {
        if org_wide.contains(key) || own.contains(key) {
            grants.push(ModelGrant {
                key: key.to_string(),
                business_units: None,
                workflows: None,
                own_only: !org_wide.contains(key),
                approval_limit: None,
            });
        }
    }
    grants
}

/// Layer 1 alone: the company bought the module; an add-on also needs a bought base module it
/// attaches to.
fn commercial(cat: &ModelCatalog, m: &ModelMembership, module: &str) -> Result<(), Expect> {
    if !m.bought.contains(module) {
        return Err(Expect::NotEntitled(module.to_string()));
    }
    let no_base = cat.kind[module] == "addon"
        && !cat.attaches_to[module]
            .iter()
            .any(|base| m.bought.contains(base) && cat.kind[base] == "base");
    if no_base {
        return Err(Expect::AddonWithoutBase(module.to_string()));
    }
    Ok(())
}

/// Layer 4's reach alone: the grants reaching the request. The grants are a union; each grant's
/// restrictions and the membership-wide one intersect; a request lacking what a restriction needs
/// is outside it (fail closed). An unrestricted grant reaches everything an own-only one does, so
/// the union lets it supersede.
fn reached<'g>(
    grants: &'g [ModelGrant],
    m: &ModelMembership,
    user: &str,
    req: &Req<'_>,
) -> Vec<&'g ModelGrant> {
    let inside = admits(&m.business_units, req.business_unit) && admits(&m.workflows, req.workflow);
    grants
        .iter()
        .filter(|g| {
            inside
                && admits(&g.business_units, req.business_unit)
                && admits(&g.workflows, req.workflow)
                && (!g.own_only || req.owner == Some(user))
        })
        .collect()
}

/// The approval rule alone: a membership limit, a request amount, and amount <= limit, where the
/// limit is the largest effective limit (the smaller of the grant's own and the membership's) of
/// the grants `reaching` the request.
fn approval(
    cat: &ModelCatalog,
    m: &ModelMembership,
    key: &str,
    req: &Req<'_>,
    reaching: &[&ModelGrant],
) -> Expect {
    if !cat.approval.contains(key) {
        return Expect::Allow;
    }
    let Some(membership_limit) = m.approval_limit else {
        return Expect::ApprovalLimitMissing;
    };
    let limit = reaching
        .iter()
        .map(|g| {
            g.approval_limit
                .map_or(membership_limit, |l| l.min(membership_limit))
        })
        .max()
        .unwrap_or(membership_limit);
    match req.amount {
        None => Expect::ApprovalAmountMissing,
        Some(amount) if amount > limit => Expect::ApprovalLimitExceeded(limit),
        Some(_) => Expect::Allow,
    }
}

/// The design's layers, in order: membership, 1 commercial, 2 module, 3 permission, 4 scope,
/// approval; the first that denies.
///
/// Where the design leaves a choice open, the model follows the crate:
/// - the approval checks come after the scope check (both are layer 4, so only the reported
///   denial differs when both fail);
/// - the membership-wide restriction bounds every grant, role grants of external modules included;
/// - a bought base module that is still reserved (`vendor`) counts as a base an add-on attaches to;
/// - `ForeignKey` (a key of another catalog) is not modelled: every key asked is of `cat`.
pub fn model_decide(cat: &ModelCatalog, s: &ModelSubject, key: &str, req: &Req<'_>) -> Expect {
    let Some(m) = s.memberships.get(req.company) else {
        return Expect::NoMembership;
    };
    let module = ModelCatalog::module_of(key);
    // External modules (ticketing) and catalogs without a commercial model skip layers 1-2.
    if cat.commercial_layers_apply(key) {
        if let Err(e) = commercial(cat, m, module) {
            return e;
        }
        if !m.assigned.contains(module) {
            return Expect::ModuleNotAssigned(module.to_string());
        }
    }
    let grants = grants_of(cat, m, key);
    if grants.is_empty() {
        return Expect::MissingPermission;
    }
    let reaching = reached(&grants, m, &s.user, req);
    if reaching.is_empty() {
        return Expect::OutOfScope;
    }
    approval(cat, m, key, req, &reaching)
}
