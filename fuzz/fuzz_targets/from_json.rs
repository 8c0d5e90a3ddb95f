//! `Subject::from_json` on arbitrary bytes against the reference path (serde_json into `Claims`,
//! then `from_claims_with`), under every combination of options: the same subject (compared
//! through `Debug`, every table included) or the same error, and never a panic.
#![no_main]

use kisum_access::{
    Catalog, Claims, ClaimsError, ClaimsOptions, Entitlements, Subject, UnknownNames,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cat = Catalog::embedded();
    let ents = [
        Entitlements::new("acme", ["promoter", "finance"]),
        Entitlements::new("globex", ["venue", "basic"]),
    ];
    for i in 0..8u8 {
        let unknown = [UnknownNames::Skip, UnknownNames::Reject][usize::from(i & 1)];
        let options = ClaimsOptions::default()
            .translate_legacy(i & 2 != 0)
            .allow_widening(i & 4 != 0)
            .unknown_names(unknown);
        let want = serde_json::from_slice::<Claims>(data)
            .map_err(|e| ClaimsError::Json(e.to_string()))
            .and_then(|c| Subject::from_claims_with(cat, &c, &ents, options));
        let got = Subject::from_json_with(cat, data, &ents, options);
        assert_eq!(format!("{got:?}"), format!("{want:?}"), "options {i}");
    }
});
