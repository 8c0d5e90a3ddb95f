//! Kisum claims from arbitrary JSON: parse, compile to a subject, decide and explain every key.
#![no_main]

use kisum_access::{Catalog, Claims, Entitlements, Scope, Subject, decide, explain};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(claims) = serde_json::from_slice::<Claims>(data) else {
        return;
    };
    let ents = [Entitlements::new("acme", ["promoter", "finance"])];
    let catalog = Catalog::embedded();
    let Ok(subject) = Subject::from_claims(catalog, &claims, &ents) else {
        return;
    };
    let scopes = [
        Scope::company("acme"),
        Scope::company("acme").business_unit("bu-x").amount(100),
        Scope::company("acme")
            .owner(subject.user_id())
            .workflow("wf-1"),
    ];
    for key in catalog.keys() {
        for scope in &scopes {
            assert_eq!(
                explain(&subject, key, scope).decision(),
                decide(&subject, key, scope)
            );
        }
    }
});
