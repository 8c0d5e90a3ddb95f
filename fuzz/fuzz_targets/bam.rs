//! B.A.M tokens from arbitrary JSON: parse, compile against catalogs/bam.toml, decide every key.
#![no_main]

use std::sync::LazyLock;

use kisum_access::{BamToken, Catalog, Grant, Scope, Subject, decide, explain};
use libfuzzer_sys::fuzz_target;

static BAM: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::from_toml_str(include_str!("../../catalogs/bam.toml")).expect("bam.toml is valid")
});

fuzz_target!(|data: &[u8]| {
    let Ok(token) = serde_json::from_slice::<BamToken>(data) else {
        return;
    };
    let Ok(subject) = Subject::from_bam_token(&BAM, &token) else {
        return;
    };
    for org in token.permissions.keys() {
        let scopes = [
            Scope::company(org),
            Scope::company(org).owner(subject.user_id()),
        ];
        for key in BAM.keys() {
            for scope in &scopes {
                assert_eq!(
                    explain(&subject, key, scope).decision(),
                    decide(&subject, key, scope)
                );
            }
            let _ = subject.can_grant(&Grant::new(org.as_str(), key));
        }
    }
});
