//! `Catalog::from_toml_str` on arbitrary input: an error or a coherent catalog, never a panic.
#![no_main]

use kisum_access::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(catalog) = Catalog::from_toml_str(src) {
        for key in catalog.keys() {
            assert_eq!(catalog.key(catalog.name(key)), Ok(key));
        }
        for role in catalog.roles() {
            assert!(
                role.grants()
                    .chain(role.own_only())
                    .all(|k| catalog.contains(k))
            );
        }
    }
});
