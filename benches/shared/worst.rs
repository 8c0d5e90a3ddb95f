//! The subjects of the worst cases: 36-byte (UUID) ids, 64 memberships, many business units.
//! Shared by `benches/worst.rs` (times) and `benches/instructions.rs` (instruction counts).

use kisum_access::{Catalog, Grant, Subject, keys};

/// A UUID-shaped company id (36 bytes).
pub const UUID_COMPANY: &str = "0b8f4a6e-3c1d-4f2a-9e7b-5d6c8a1f2e3b";
/// A UUID-shaped business unit id (36 bytes).
pub const UUID_UNIT: &str = "7e2d9c4b-1a3f-4e8d-b6c5-2f9a0e1d7c4b";
/// A 36-byte company id that is not a canonical UUID (uppercase), so its tag is not exact.
pub const OTHER_COMPANY: &str = "0B8F4A6E-3C1D-4F2A-9E7B-5D6C8A1F2E3B";
/// A 36-byte business unit id that is not a UUID.
pub const OTHER_UNIT: &str = "business-unit-of-the-north-east-0042";

/// A user in `company` holding `promoter.event.view`, and `finance.bill.view` in business unit
/// `unit` only.
pub fn member_of(company: &str, unit: &str) -> Subject {
    Subject::builder(Catalog::embedded(), "u1")
        .membership(company)
        .entitled(["promoter", "finance"])
        .modules(["promoter", "finance"])
        .permission(keys::PROMOTER_EVENT_VIEW)
        .grant(&Grant::new(company, keys::FINANCE_BILL_VIEW).business_units([unit]))
        .build()
        .expect("subject builds")
}

/// The 64 companies of [`sixty_four`], in the token's order.
pub fn companies() -> Vec<String> {
    (0..64).map(|m| format!("company-{m:02}")).collect()
}

/// A user in 64 companies ([`companies`]), holding `promoter.event.view` in each.
pub fn sixty_four() -> Subject {
    let mut b = Subject::builder(Catalog::embedded(), "u1");
    for company in &companies() {
        b = b
            .membership(company)
            .entitled(["promoter"])
            .modules(["promoter"])
            .permission(keys::PROMOTER_EVENT_VIEW);
    }
    b.build().expect("subject builds")
}

/// `count` business units `bu-0000`, `bu-0001`, ...
pub fn units(count: usize) -> Vec<String> {
    (0..count).map(|u| format!("bu-{u:04}")).collect()
}

/// A user in `acme` holding `finance.bill.view` in the business units `units`. At most 256 units
/// per grant (`MAX_LIST`): a longer list becomes grants of 250 units of the same key.
pub fn restricted_to(units: &[String]) -> Subject {
    let mut b = Subject::builder(Catalog::embedded(), "u1")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["promoter", "finance"]);
    let per_grant = if units.len() > 256 { 250 } else { units.len() };
    for chunk in units.chunks(per_grant) {
        b = b.grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(chunk));
    }
    b.build().expect("subject builds")
}
