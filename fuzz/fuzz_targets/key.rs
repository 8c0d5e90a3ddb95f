//! `Catalog::key` on arbitrary input: only catalog names resolve, errors name their input.
#![no_main]

use kisum_access::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let name = String::from_utf8_lossy(data);
    let catalog = Catalog::embedded();
    match catalog.key(&name) {
        Ok(key) => assert_eq!(catalog.name(key), name),
        Err(e) => assert!(name.starts_with(e.name())),
    }
});
