//! Kisum claims from arbitrary JSON: parse and compile to a subject; then, on a fixed set of
//! requests for every key, `decide` must answer as the reference model (`tests/oracle`, reading the
//! same JSON on its own) does, `explain` must give the model's verdict layer by layer, and
//! `can_grant` must accept exactly the unrestricted grants the model accepts.
#![no_main]

#[path = "../../tests/oracle/mod.rs"]
mod oracle;

use std::sync::LazyLock;

use kisum_access::{Catalog, Claims, Entitlements, Grant, Subject, decide, explain};
use libfuzzer_sys::fuzz_target;
use oracle::delegation::{GrantReq, model_can_grant};
use oracle::{Expect, ModelCatalog, Req, check_explain, model_decide, model_verdicts};

static MODEL: LazyLock<ModelCatalog> =
    LazyLock::new(|| ModelCatalog::parse(include_str!("../../catalog.toml")));

/// What Core says `acme` bought; other companies bought nothing.
const ENTITLED: [&str; 2] = ["promoter", "finance"];
/// Companies asked about, besides `acme`: the token's first few.
const MORE_COMPANIES: usize = 2;

/// The fixed requests, in `company`.
fn requests<'a>(company: &'a str, user: &'a str) -> [Req<'a>; 4] {
    let bare = Req {
        company,
        business_unit: None,
        workflow: None,
        owner: None,
        amount: None,
    };
    [
        bare,
        Req {
            business_unit: Some("bu-x"),
            amount: Some(100),
            ..bare
        },
        Req {
            owner: Some(user),
            workflow: Some("wf-1"),
            ..bare
        },
        Req {
            business_unit: Some("bu-y"),
            workflow: Some("wf-2"),
            owner: Some("someone-else"),
            amount: Some(0),
            ..bare
        },
    ]
}

fuzz_target!(|data: &[u8]| {
    let Ok(claims) = serde_json::from_slice::<Claims>(data) else {
        return;
    };
    let ents = [Entitlements::new("acme", ENTITLED)];
    let catalog = Catalog::embedded();
    let Ok(subject) = Subject::from_claims(catalog, &claims, &ents) else {
        return;
    };
    let json: serde_json::Value = serde_json::from_slice(data).expect("accepted claims are JSON");
    let model = oracle::json::subject_from_claims(&json, &[("acme", &ENTITLED)]);
    let companies = claims.memberships.iter().map(|m| m.company.as_str());
    let companies: Vec<&str> = ["acme"]
        .into_iter()
        .chain(companies.take(MORE_COMPANIES))
        .collect();
    for key in catalog.keys() {
        let name = catalog.name(key);
        for company in &companies {
            for req in requests(company, subject.user_id()) {
                let scope = req.scope();
                let want = model_decide(&MODEL, &model, name, &req);
                let got = Expect::of(catalog, decide(&subject, key, &scope));
                assert_eq!(got, want, "decide {name} {req:?}");
                let verdicts = model_verdicts(&MODEL, &model, name, &req);
                let e = explain(&subject, key, &scope);
                check_explain(catalog, &e, &verdicts, &want).unwrap();
            }
            let got = subject.can_grant(&Grant::new(*company, key));
            let asked = GrantReq {
                company,
                key: name,
                business_units: None,
                workflows: None,
                own_only: false,
                redelegable: false,
            };
            let want = model_can_grant(&MODEL, &model, &asked);
            let got = got.map_err(|d| format!("{d:?}"));
            let got = got
                .as_ref()
                .map_err(|d| d.split('(').next().unwrap_or_default());
            assert_eq!(got.copied(), want, "can_grant {name} in {company}");
        }
    }
});
