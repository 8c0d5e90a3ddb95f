//! B.A.M tokens from arbitrary JSON: parse and compile against catalogs/bam.toml; then, on a fixed
//! set of requests per organization for every key, `decide` must answer as the reference model
//! (`tests/oracle`, reading the same JSON on its own) does and `explain` must give the model's
//! verdict layer by layer. `can_grant` must not panic.
#![no_main]

#[path = "../../tests/oracle/mod.rs"]
mod oracle;

use std::sync::LazyLock;

use kisum_access::{BamToken, Catalog, Grant, Subject, decide, explain};
use libfuzzer_sys::fuzz_target;
use oracle::{Expect, ModelCatalog, Req, check_explain, model_decide, model_verdicts};

const SOURCE: &str = include_str!("../../catalogs/bam.toml");
static BAM: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::from_toml_str(SOURCE).expect("bam.toml is valid"));
static MODEL: LazyLock<ModelCatalog> = LazyLock::new(|| ModelCatalog::parse(SOURCE));

/// Organizations asked about: the token's first few, and one it does not name.
const ORGS: usize = 3;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = serde_json::from_slice::<BamToken>(data) else {
        return;
    };
    let Ok(subject) = Subject::from_bam_token(&BAM, &token) else {
        return;
    };
    let json: serde_json::Value = serde_json::from_slice(data).expect("accepted tokens are JSON");
    let model = oracle::json::subject_from_bam(&json);
    let orgs = token.permissions.keys().map(String::as_str).take(ORGS);
    for org in orgs.chain(["NOT-A-MEMBER"]) {
        let bare = Req {
            company: org,
            business_unit: None,
            workflow: None,
            owner: None,
            amount: None,
        };
        let requests = [
            bare,
            Req {
                owner: Some(subject.user_id()),
                ..bare
            },
            Req {
                owner: Some("someone-else"),
                business_unit: Some("bu-x"),
                ..bare
            },
        ];
        for key in BAM.keys() {
            let name = BAM.name(key);
            for req in &requests {
                let scope = req.scope();
                let want = model_decide(&MODEL, &model, name, req);
                let got = Expect::of(&BAM, decide(&subject, key, &scope));
                assert_eq!(got, want, "decide {name} {req:?}");
                let verdicts = model_verdicts(&MODEL, &model, name, req);
                let e = explain(&subject, key, &scope);
                check_explain(&BAM, &e, &verdicts, &want).unwrap();
            }
            let _ = subject.can_grant(&Grant::new(org, key));
        }
    }
});
