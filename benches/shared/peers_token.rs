//! The peers' workload as a token: one user (`u1`) in `acme`, entitled to and assigned promoter
//! and finance, holding 40 grants: 39 unrestricted keys (every non-approval finance key, then the
//! first promoter keys) and `finance.bill.view` restricted to business unit `bu-x`.
//!
//! Shared by `benches/token.rs` and the peers bench (`benches/peers`, through `#[path]`).

use kisum_access::{Catalog, Key};

/// The key held only in business unit `bu-x`.
pub const RESTRICTED: &str = "finance.bill.view";

/// Every key of the promoter and finance modules.
pub fn peers_keys() -> Vec<Key> {
    let c = Catalog::embedded();
    c.keys()
        .filter(|&k| {
            let name = c.name(k);
            name.starts_with("promoter.") || name.starts_with("finance.")
        })
        .collect()
}

/// The 39 keys held without restriction (no approval keys: those also need a limit and an
/// amount, which the other engines would have to model too).
pub fn peers_held() -> Vec<Key> {
    let c = Catalog::embedded();
    let keys = peers_keys();
    let grantable = |module: &'static str| {
        keys.iter().copied().filter(move |&k| {
            let name = c.name(k);
            name.starts_with(module) && !name.ends_with(".approve") && name != RESTRICTED
        })
    };
    let mut held: Vec<Key> = grantable("finance.").collect();
    held.extend(grantable("promoter.").take(39 - held.len()));
    assert_eq!(held.len(), 39);
    held
}

/// The workload: the keys considered, and which of them are held unrestricted.
pub struct Workload {
    /// Every key of promoter and finance, the agreement check's keys.
    pub keys: Vec<Key>,
    /// The 39 keys held without restriction ([`peers_held`]).
    pub held: Vec<Key>,
    /// The key held only in business unit `bu-x`.
    pub restricted: Key,
}

/// The peers' workload.
pub fn workload() -> Workload {
    Workload {
        keys: peers_keys(),
        held: peers_held(),
        restricted: Catalog::embedded()
            .key(RESTRICTED)
            .expect("an embedded key"),
    }
}

/// The token's JSON, as Auth would sign it.
pub fn peers_token() -> String {
    let c = Catalog::embedded();
    let mut permissions: Vec<String> = peers_held()
        .iter()
        .map(|&k| format!("{:?}", c.name(k)))
        .collect();
    permissions.push(format!(
        r#"{{"key": "{RESTRICTED}", "business_units": ["bu-x"]}}"#
    ));
    format!(
        r#"{{"sub": "u1", "memberships": [{{"company": "acme", "modules": ["promoter", "finance"], "permissions": [{}]}}]}}"#,
        permissions.join(", ")
    )
}

/// The five requests of the end-to-end rows: key, business unit, and the expected answer.
pub const FIVE: [(&str, Option<&str>, bool); 5] = [
    ("promoter.event.estimate.view", None, true),
    ("promoter.event.general_administrative.edit", None, false),
    (RESTRICTED, Some("bu-x"), true),
    (RESTRICTED, Some("bu-y"), false),
    ("finance.invoice.edit", None, true),
];
