//! The model's subject from a token's JSON, read with `serde_json::Value` (not with the crate's
//! parser): Kisum claims with their companies' entitlements, and B.A.M tokens. Only for input the
//! crate accepted, so the shapes are known; names the model's catalog lacks grant nothing.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::delegation::ModelPolicy;
use super::{ModelGrant, ModelMembership, ModelSubject};

fn list(v: Option<&Value>) -> Option<HashSet<String>> {
    let items = v?.as_array()?;
    Some(
        items
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect(),
    )
}

fn names(v: Option<&Value>) -> HashSet<String> {
    list(v).unwrap_or_default()
}

fn grant(p: &Value) -> Option<ModelGrant> {
    if let Some(key) = p.as_str() {
        return Some(ModelGrant {
            key: key.to_string(),
            business_units: None,
            workflows: None,
            own_only: false,
        });
    }
    Some(ModelGrant {
        key: p.get("key")?.as_str()?.to_string(),
        business_units: list(p.get("business_units")),
        workflows: list(p.get("workflows")),
        own_only: p.get("own_only").and_then(Value::as_bool).unwrap_or(false),
    })
}

fn policy(d: &Value) -> Option<ModelPolicy> {
    if d.is_null() {
        return None;
    }
    let scope = d.get("scope").filter(|s| !s.is_null());
    Some(ModelPolicy {
        modules: names(d.get("modules")),
        permissions: names(d.get("permissions")),
        redelegate: names(d.get("redelegate")),
        business_units: scope.and_then(|s| list(s.get("business_units"))),
        workflows: scope.and_then(|s| list(s.get("workflows"))),
    })
}

/// Kisum claims (`{"sub", "memberships": [...]}`) and Core's entitlements, as (company, modules).
pub fn subject_from_claims(claims: &Value, entitlements: &[(&str, &[&str])]) -> ModelSubject {
    let mut memberships = HashMap::new();
    let empty = Vec::new();
    let ms = claims.get("memberships").and_then(Value::as_array);
    for m in ms.unwrap_or(&empty) {
        let company = m["company"].as_str().expect("a company").to_string();
        let bought = entitlements
            .iter()
            .find(|(c, _)| *c == company)
            .map(|(_, modules)| modules.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        let scope = m.get("scope").filter(|s| !s.is_null());
        let grants = m.get("permissions").and_then(Value::as_array);
        let membership = ModelMembership {
            bought,
            assigned: names(m.get("modules")),
            roles: names(m.get("roles")).into_iter().collect(),
            grants: grants.unwrap_or(&empty).iter().filter_map(grant).collect(),
            business_units: scope.and_then(|s| list(s.get("business_units"))),
            workflows: scope.and_then(|s| list(s.get("workflows"))),
            approval_limit: m.get("approval_limit").and_then(Value::as_u64),
            delegation: m.get("delegation").and_then(policy),
        };
        memberships.insert(company, membership);
    }
    ModelSubject {
        user: claims["sub"].as_str().expect("a sub").to_string(),
        memberships,
    }
}

/// A map, or a list of single-entry maps (the B.A.M seed's brackets): its entries, in order.
fn entries(v: &Value) -> Vec<(&String, &Value)> {
    match v {
        Value::Object(map) => map.iter().collect(),
        Value::Array(items) => items.iter().flat_map(entries).collect(),
        _ => Vec::new(),
    }
}

/// A B.A.M token: each organization a membership; `org_level` keys unrestricted, `owner` keys
/// own-only. No commercial layers (the catalog has none), no roles.
pub fn subject_from_bam(token: &Value) -> ModelSubject {
    let mut memberships: HashMap<String, ModelMembership> = HashMap::new();
    for (org, levels) in entries(&token["permissions"]) {
        let m = memberships.entry(org.clone()).or_default();
        for (level, keys) in entries(levels) {
            let own_only = level == "owner";
            for key in names(Some(keys)) {
                m.grants.push(ModelGrant {
                    key,
                    business_units: None,
                    workflows: None,
                    own_only,
                });
            }
        }
    }
    ModelSubject {
        user: token["sub"].as_str().expect("a sub").to_string(),
        memberships,
    }
}
