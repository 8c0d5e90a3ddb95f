//! The model's subject from a token's JSON, read with `serde_json::Value` (not with the crate's
//! parser): Kisum claims with their companies' entitlements, and B.A.M tokens. Only for input the
//! crate accepted, so the shapes are known; names the model's catalog lacks grant nothing.
//!
//! Like any serde struct, a token's objects may also come as arrays of their fields in declaration
//! order (`["u1", [["acme", ["promoter"]]]]`), with trailing fields left out: [`field`] reads both.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::delegation::ModelPolicy;
use super::{ModelGrant, ModelMembership, ModelSubject};

/// Field `name` of an object, or element `index` of an array (serde's sequence form of a struct).
fn field<'v>(v: &'v Value, name: &str, index: usize) -> Option<&'v Value> {
    match v {
        Value::Object(map) => map.get(name),
        Value::Array(items) => items.get(index),
        _ => None,
    }
}

/// The subject of a token (`sub`, first field) with its memberships.
fn subject(token: &Value, memberships: HashMap<String, ModelMembership>) -> ModelSubject {
    let user = field(token, "sub", 0).and_then(Value::as_str);
    ModelSubject {
        user: user.expect("a sub").to_string(),
        memberships,
    }
}

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
        key: field(p, "key", 0)?.as_str()?.to_string(),
        business_units: list(field(p, "business_units", 1)),
        workflows: list(field(p, "workflows", 2)),
        own_only: field(p, "own_only", 3)
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

fn policy(d: &Value) -> Option<ModelPolicy> {
    if d.is_null() {
        return None;
    }
    let scope = field(d, "scope", 4);
    Some(ModelPolicy {
        modules: names(field(d, "modules", 0)),
        permissions: names(field(d, "permissions", 1)),
        redelegate: names(field(d, "redelegate", 5)),
        business_units: scope.and_then(|s| list(field(s, "business_units", 0))),
        workflows: scope.and_then(|s| list(field(s, "workflows", 1))),
    })
}

/// Kisum claims (`{"sub", "memberships": [...]}`) and Core's entitlements, as (company, modules).
pub fn subject_from_claims(claims: &Value, entitlements: &[(&str, &[&str])]) -> ModelSubject {
    let mut memberships = HashMap::new();
    let empty = Vec::new();
    let ms = field(claims, "memberships", 1).and_then(Value::as_array);
    for m in ms.unwrap_or(&empty) {
        let company = field(m, "company", 0).and_then(Value::as_str);
        let company = company.expect("a company").to_string();
        let bought = entitlements
            .iter()
            .find(|(c, _)| *c == company)
            .map(|(_, modules)| modules.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        let scope = field(m, "scope", 4);
        let grants = field(m, "permissions", 3).and_then(Value::as_array);
        let membership = ModelMembership {
            bought,
            assigned: names(field(m, "modules", 1)),
            roles: names(field(m, "roles", 2)).into_iter().collect(),
            grants: grants.unwrap_or(&empty).iter().filter_map(grant).collect(),
            business_units: scope.and_then(|s| list(field(s, "business_units", 0))),
            workflows: scope.and_then(|s| list(field(s, "workflows", 1))),
            approval_limit: field(m, "approval_limit", 5).and_then(Value::as_u64),
            delegation: field(m, "delegation", 6).and_then(policy),
        };
        memberships.insert(company, membership);
    }
    subject(claims, memberships)
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
    let orgs = field(token, "permissions", 1).unwrap_or(&Value::Null);
    for (org, levels) in entries(orgs) {
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
    subject(token, memberships)
}
