//! The catalog as one JSON document.

use kisum_access::{Catalog, DelegationRule};
use serde_json::{Map, Value, json};

fn delegation(rule: DelegationRule) -> &'static str {
    match rule {
        DelegationRule::Policy => "policy",
        DelegationRule::ChangePermissions => "change_permissions",
    }
}

/// The whole document, pretty-printed, ending in a newline.
pub fn document(c: &Catalog) -> String {
    let modules: Vec<Value> = c
        .modules()
        .map(|m| {
            let attaches: Vec<&str> = c.attaches_to(m).map(|b| c.module_name(b)).collect();
            json!({"key": c.module_name(m), "name": c.module_display_name(m), "kind": m.kind().as_str(),
                   "status": if c.is_reserved(m) { "reserved" } else { "active" },
                   "service": c.module_service(m), "attaches_to": attaches})
        })
        .collect();
    let keys: Vec<Value> = c
        .keys()
        .map(|k| {
            json!({"key": c.name(k), "module": c.module_name(k.module()), "gates": c.gates(k),
                   "approval": k.needs_approval(), "commercial_layers": k.commercial_layers_apply()})
        })
        .collect();
    let names = |keys: &mut dyn Iterator<Item = kisum_access::Key>| -> Vec<String> {
        keys.map(|k| c.name(k).to_owned()).collect()
    };
    let roles: Vec<Value> = c
        .roles()
        .map(|r| json!({"name": r.name(), "grants": names(&mut r.grants()), "own_only": names(&mut r.own_only())}))
        .collect();
    let legacy: Vec<Value> = c
        .legacy()
        .map(|(name, replacement, dropped)| {
            json!({"key": name, "replacement": replacement.map(|k| c.name(k)), "dropped": dropped})
        })
        .collect();
    let mut doc = Map::new();
    for (field, value) in super::identity(c) {
        doc.insert(field.to_owned(), Value::from(value));
    }
    doc.insert("commercial".into(), Value::from(c.has_commercial_layers()));
    doc.insert(
        "delegation".into(),
        Value::from(delegation(c.delegation_rule())),
    );
    doc.insert(
        "actions".into(),
        Value::from(c.actions().collect::<Vec<_>>()),
    );
    doc.insert("modules".into(), Value::from(modules));
    doc.insert("keys".into(), Value::from(keys));
    doc.insert("roles".into(), Value::from(roles));
    doc.insert("legacy".into(), Value::from(legacy));
    let mut text = serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default();
    text.push('\n');
    text
}
