//! Layer 5, delegation: the blueprint's ADMIN / MANAGER examples (§7) and the finance delegation
//! example (§9.3) in the catalog's namespaces; every `DelegationDenial` from a concrete case; and
//! property tests that a grantee never gets more than its granter (also along chains of
//! re-delegation), and that `can_grant` is monotone (narrowing an accepted grant keeps it
//! accepted, widening a refused one keeps it refused).

use kisum_access::{
    Catalog, ClaimsError, ClaimsOptions, DelegationClaim, DelegationDenial, Grant, Key, Layer,
    Scope, ScopeClaim, Subject, decide, keys,
};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

fn cat() -> &'static Catalog {
    Catalog::embedded()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

fn names(list: &[Key]) -> Vec<String> {
    list.iter().map(|k| cat().name(*k).to_string()).collect()
}

fn module(name: &str) -> kisum_access::Module {
    cat()
        .module(name)
        .expect("a module of the embedded catalog")
}

// ---------------------------------------------------------------------------------------------
// Blueprint §7: ADMIN and MANAGER, translated to the catalog's namespaces.
// ---------------------------------------------------------------------------------------------

/// §7 ADMIN: "can grant: basic, finance; can grant permissions: finance.bills.read,
/// finance.expenses.read; canManageUsers: true; canBuyAddons: false". `basic` is now `promoter`,
/// `finance.bills.read` is `finance.bill.view`; the catalog has no expenses resource, so the
/// expense-side stand-in is `finance.vendor.view` (the vendor master bills are paid to).
fn admin() -> Subject {
    Subject::builder(cat(), "admin")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["promoter", "finance"])
        .permission(keys::PROMOTER_EVENT_VIEW)
        .permission(keys::FINANCE_BILL_VIEW)
        .permission(keys::FINANCE_BILL_EDIT)
        .permission(keys::FINANCE_VENDOR_VIEW)
        .delegation(DelegationClaim {
            modules: strings(&["promoter", "finance"]),
            permissions: names(&[keys::FINANCE_BILL_VIEW, keys::FINANCE_VENDOR_VIEW]),
            manage_users: true,
            buy_addons: false,
            scope: None,
            redelegate: Vec::new(),
        })
        .build()
        .expect("the ADMIN token compiles")
}

#[test]
fn admin_manages_users_and_grants_only_listed_keys_of_its_modules() {
    let admin = admin();
    assert!(admin.may_manage_users("acme"));
    assert!(!admin.may_buy_addons("acme"));
    // Capabilities are per membership.
    assert!(!admin.may_manage_users("globex"));

    for k in [keys::FINANCE_BILL_VIEW, keys::FINANCE_VENDOR_VIEW] {
        assert_eq!(admin.can_grant(&Grant::new("acme", k)), Ok(()));
        assert_eq!(
            admin.can_grant(&Grant::new("acme", k).business_units(["bu-a"]).own_only()),
            Ok(())
        );
    }
    // Held and in a delegable module, but not listed: personal access is not delegable access.
    for k in [keys::FINANCE_BILL_EDIT, keys::PROMOTER_EVENT_VIEW] {
        assert!(decide(&admin, k, &Scope::company("acme")).is_allowed());
        assert_eq!(
            admin.can_grant(&Grant::new("acme", k)),
            Err(DelegationDenial::PermissionNotDelegable)
        );
    }
    // No GRANT OPTION in the policy.
    assert_eq!(
        admin.can_grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).redelegable()),
        Err(DelegationDenial::NotRedelegable)
    );
}

/// §7 MANAGER: "can grant: basic; can grant permissions: basic.events.read, basic.tasks.manage;
/// canManageUsers: false; canBuyAddons: false", with a business-unit bound (bu-a).
/// `basic.events.read` is `promoter.event.view`; `basic.tasks.manage` has no replacement.
fn manager_policy(permissions: Vec<String>) -> DelegationClaim {
    DelegationClaim {
        modules: strings(&["promoter"]),
        permissions,
        manage_users: false,
        buy_addons: false,
        scope: Some(ScopeClaim {
            business_units: Some(strings(&["bu-a"])),
            workflows: None,
        }),
        redelegate: Vec::new(),
    }
}

fn manager_builder(policy: DelegationClaim) -> kisum_access::SubjectBuilder<'static> {
    Subject::builder(cat(), "manager")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["promoter", "finance"])
        .permission(keys::PROMOTER_EVENT_VIEW)
        .permission(keys::PROMOTER_EVENT_EDIT)
        .permission(keys::FINANCE_BILL_VIEW)
        .delegation(policy)
}

#[test]
fn manager_grants_listed_keys_within_its_business_unit_bound() {
    let manager = manager_builder(manager_policy(names(&[keys::PROMOTER_EVENT_VIEW])))
        .build()
        .unwrap();
    assert!(!manager.may_manage_users("acme"));
    assert!(!manager.may_buy_addons("acme"));

    let view = || Grant::new("acme", keys::PROMOTER_EVENT_VIEW);
    assert_eq!(manager.can_grant(&view().business_units(["bu-a"])), Ok(()));
    assert_eq!(
        manager.can_grant(&view().business_units(["bu-a"]).workflows(["wf-1"])),
        Ok(())
    );
    // Wider than the bound, though the manager holds the key company-wide.
    assert!(decide(&manager, keys::PROMOTER_EVENT_VIEW, &Scope::company("acme")).is_allowed());
    for wide in [
        view(),
        view().business_units(["bu-a", "bu-b"]),
        view().workflows(["wf-1"]),
    ] {
        assert_eq!(
            manager.can_grant(&wide),
            Err(DelegationDenial::ExceedsScopeBound)
        );
    }
    assert_eq!(
        manager.can_grant(&Grant::new("acme", keys::PROMOTER_EVENT_EDIT).business_units(["bu-a"])),
        Err(DelegationDenial::PermissionNotDelegable)
    );
    assert_eq!(
        manager.can_grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).business_units(["bu-a"])),
        Err(DelegationDenial::ModuleNotDelegable(module("finance")))
    );

    // The grantee gets the key in bu-a and nothing else.
    let grant = view().business_units(["bu-a"]);
    let clerk = Subject::builder(cat(), "clerk")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["promoter", "finance"])
        .grant(&grant)
        .build()
        .unwrap();
    let acme = Scope::company("acme");
    assert!(
        decide(
            &clerk,
            keys::PROMOTER_EVENT_VIEW,
            &acme.business_unit("bu-a")
        )
        .is_allowed()
    );
    assert!(
        !decide(
            &clerk,
            keys::PROMOTER_EVENT_VIEW,
            &acme.business_unit("bu-b")
        )
        .is_allowed()
    );
    assert!(!decide(&clerk, keys::PROMOTER_EVENT_VIEW, &acme).is_allowed());
    assert!(
        !decide(
            &clerk,
            keys::PROMOTER_EVENT_EDIT,
            &acme.business_unit("bu-a")
        )
        .is_allowed()
    );
    // Not re-delegable: the clerk grants nothing on.
    assert!(clerk.can_grant(&grant).is_err());
}

#[test]
fn manager_policy_in_legacy_names_translates_only_when_asked() {
    let legacy = strings(&["basic.events.read", "basic.tasks.manage"]);
    let refused = manager_builder(manager_policy(legacy.clone())).build();
    assert!(
        matches!(refused, Err(ClaimsError::Key { .. })),
        "{refused:?}"
    );

    let manager = manager_builder(manager_policy(legacy))
        .options(ClaimsOptions::default().translate_legacy(true))
        .build()
        .unwrap();
    let translated: Vec<_> = manager
        .legacy_translations()
        .iter()
        .map(|t| (t.name().to_string(), t.key()))
        .collect();
    assert_eq!(
        translated,
        [
            (
                "basic.events.read".to_string(),
                Some(keys::PROMOTER_EVENT_VIEW)
            ),
            ("basic.tasks.manage".to_string(), None),
        ]
    );
    assert_eq!(
        manager.can_grant(&Grant::new("acme", keys::PROMOTER_EVENT_VIEW).business_units(["bu-a"])),
        Ok(())
    );
    // The dropped key delegates nothing, and nothing else is delegable in its place.
    for k in cat().keys().filter(|k| *k != keys::PROMOTER_EVENT_VIEW) {
        assert!(
            manager
                .can_grant(&Grant::new("acme", k).business_units(["bu-a"]))
                .is_err(),
            "{}",
            cat().name(k)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Blueprint §9.3, capabilities, policies listing keys not held.
// ---------------------------------------------------------------------------------------------

#[test]
fn finance_manager_uses_write_personally_but_grants_only_read() {
    let manager = Subject::builder(cat(), "manager")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .permission(keys::FINANCE_BILL_VIEW)
        .permission(keys::FINANCE_BILL_EDIT)
        .delegable([keys::FINANCE_BILL_VIEW])
        .build()
        .unwrap();
    let acme = Scope::company("acme");
    assert!(decide(&manager, keys::FINANCE_BILL_EDIT, &acme).is_allowed());
    for edit in [
        Grant::new("acme", keys::FINANCE_BILL_EDIT),
        Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-a"]),
        Grant::new("acme", keys::FINANCE_BILL_EDIT).own_only(),
    ] {
        let denial = manager.can_grant(&edit).unwrap_err();
        assert_eq!(denial, DelegationDenial::PermissionNotDelegable);
        assert_eq!(denial.layer(), Layer::Delegation);
    }
    let grant = Grant::new("acme", keys::FINANCE_BILL_VIEW);
    assert_eq!(manager.can_grant(&grant), Ok(()));
    let clerk = Subject::builder(cat(), "clerk")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .grant(&grant)
        .build()
        .unwrap();
    assert!(decide(&clerk, keys::FINANCE_BILL_VIEW, &acme).is_allowed());
    assert!(!decide(&clerk, keys::FINANCE_BILL_EDIT, &acme).is_allowed());
    // Income is another resource: neither held nor delegable.
    assert!(!decide(&manager, keys::FINANCE_INVOICE_VIEW, &acme).is_allowed());
    assert!(
        manager
            .can_grant(&Grant::new("acme", keys::FINANCE_INVOICE_VIEW))
            .is_err()
    );
}

#[test]
fn capabilities_never_imply_a_permission_nor_a_delegable_key() {
    let owner = Subject::builder(cat(), "owner")
        .membership("acme")
        .entitled(["promoter", "venue", "finance", "ai"])
        .modules(["promoter", "venue", "finance", "ai"])
        .delegation(DelegationClaim {
            modules: strings(&["promoter", "venue", "finance", "ai"]),
            permissions: names(&[keys::PROMOTER_EVENT_VIEW, keys::FINANCE_BILL_VIEW]),
            manage_users: true,
            buy_addons: true,
            scope: None,
            redelegate: names(&[keys::PROMOTER_EVENT_VIEW]),
        })
        .build()
        .unwrap();
    assert!(owner.may_manage_users("acme"));
    assert!(owner.may_buy_addons("acme"));
    let acme = Scope::company("acme");
    for k in cat().keys() {
        assert!(!decide(&owner, k, &acme).is_allowed(), "{}", cat().name(k));
        assert!(
            owner.can_grant(&Grant::new("acme", k)).is_err(),
            "{}",
            cat().name(k)
        );
    }
}

#[test]
fn a_policy_listing_a_key_not_personally_held_delegates_nothing() {
    let policy = DelegationClaim {
        modules: strings(&["promoter", "finance"]),
        permissions: names(&[
            keys::FINANCE_BILL_VIEW,
            keys::FINANCE_INVOICE_VIEW,
            keys::PROMOTER_EVENT_VIEW,
        ]),
        redelegate: names(&[keys::FINANCE_INVOICE_VIEW, keys::PROMOTER_EVENT_VIEW]),
        ..Default::default()
    };
    // Holds bill view; holds event view but promoter is not assigned; invoice view not at all.
    let s = Subject::builder(cat(), "u")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["finance"])
        .permission(keys::FINANCE_BILL_VIEW)
        .permission(keys::PROMOTER_EVENT_VIEW)
        .delegation(policy)
        .build()
        .unwrap();
    assert_eq!(
        s.can_grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW)),
        Ok(())
    );
    for k in [keys::FINANCE_INVOICE_VIEW, keys::PROMOTER_EVENT_VIEW] {
        for g in [Grant::new("acme", k), Grant::new("acme", k).redelegable()] {
            assert_eq!(
                s.can_grant(&g),
                Err(DelegationDenial::PermissionNotDelegable),
                "{}",
                cat().name(k)
            );
        }
    }
    // `redelegate` without `permissions` gives no GRANT OPTION either.
    assert_eq!(
        s.can_grant(&Grant::new("acme", keys::FINANCE_BILL_VIEW).redelegable()),
        Err(DelegationDenial::NotRedelegable)
    );
}

// ---------------------------------------------------------------------------------------------
// Every DelegationDenial, from a concrete case.
// ---------------------------------------------------------------------------------------------

/// Holds bill view (unrestricted), bill edit (bu-a only) and invoice view (own-only); may delegate
/// all three in finance, within bu-a / bu-b, with no GRANT OPTION.
fn finance_delegator(entitled: &[&str]) -> Subject {
    Subject::builder(cat(), "granter")
        .membership("acme")
        .entitled(entitled.iter().copied())
        .modules(["promoter", "finance"])
        .permission(keys::FINANCE_BILL_VIEW)
        .grant(&Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-a"]))
        .grant(&Grant::new("acme", keys::FINANCE_INVOICE_VIEW).own_only())
        .permission(keys::PROMOTER_EVENT_VIEW)
        .delegation(DelegationClaim {
            modules: strings(&["finance"]),
            permissions: names(&[
                keys::FINANCE_BILL_VIEW,
                keys::FINANCE_BILL_EDIT,
                keys::FINANCE_INVOICE_VIEW,
                keys::PROMOTER_EVENT_VIEW,
            ]),
            scope: Some(ScopeClaim {
                business_units: Some(strings(&["bu-a", "bu-b"])),
                workflows: None,
            }),
            ..Default::default()
        })
        .build()
        .unwrap()
}

#[test]
fn every_delegation_denial_has_a_case_and_a_layer() {
    let bam = Catalog::from_toml_str(include_str!("../catalogs/bam.toml")).unwrap();
    let bam_key = bam.key("event.event.view").unwrap();
    let s = finance_delegator(&["promoter", "finance"]);
    // Finance is an add-on: without a base module bought it is not usable.
    let addon_only = finance_delegator(&["finance"]);
    let not_bought = finance_delegator(&["promoter"]);
    let bill_view = || Grant::new("acme", keys::FINANCE_BILL_VIEW);

    let cases: [(&Subject, Grant, DelegationDenial, Layer); 11] = [
        (
            &s,
            Grant::new("globex", keys::FINANCE_BILL_VIEW),
            DelegationDenial::NotMember,
            Layer::Membership,
        ),
        (
            &s,
            Grant::new("acme", bam_key),
            DelegationDenial::ForeignKey,
            Layer::Permission,
        ),
        (
            &not_bought,
            bill_view().business_units(["bu-a"]),
            DelegationDenial::NotEntitled(module("finance")),
            Layer::Commercial,
        ),
        (
            &addon_only,
            bill_view().business_units(["bu-a"]),
            DelegationDenial::NotEntitled(module("finance")),
            Layer::Commercial,
        ),
        (
            &s,
            Grant::new("acme", keys::PROMOTER_EVENT_VIEW).business_units(["bu-a"]),
            DelegationDenial::ModuleNotDelegable(module("promoter")),
            Layer::Delegation,
        ),
        (
            &s,
            Grant::new("acme", keys::FINANCE_VENDOR_VIEW).business_units(["bu-a"]),
            DelegationDenial::PermissionNotDelegable,
            Layer::Delegation,
        ),
        (
            &s,
            Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-a", "bu-b"]),
            DelegationDenial::ExceedsPersonalAccess,
            Layer::Delegation,
        ),
        // Own-only access reaches the granter's resources, never the grantee's: not delegable,
        // not even as an own-only grant.
        (
            &s,
            Grant::new("acme", keys::FINANCE_INVOICE_VIEW)
                .business_units(["bu-a"])
                .own_only(),
            DelegationDenial::ExceedsPersonalAccess,
            Layer::Delegation,
        ),
        (
            &s,
            bill_view(),
            DelegationDenial::ExceedsScopeBound,
            Layer::Delegation,
        ),
        (
            &s,
            bill_view().business_units(["bu-c"]),
            DelegationDenial::ExceedsScopeBound,
            Layer::Delegation,
        ),
        (
            &s,
            bill_view().business_units(["bu-a"]).redelegable(),
            DelegationDenial::NotRedelegable,
            Layer::Delegation,
        ),
    ];
    for (subject, grant, denial, layer) in cases {
        assert_eq!(subject.can_grant(&grant), Err(denial), "{grant:?}");
        assert_eq!(denial.layer(), layer, "{denial:?}");
        assert!(!denial.to_string().is_empty());
    }
    // And the same granter accepts what it may give.
    for ok in [
        bill_view().business_units(["bu-a", "bu-b"]),
        bill_view()
            .business_units(["bu-b"])
            .workflows(["wf-1"])
            .own_only(),
        Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-a"]),
    ] {
        assert_eq!(s.can_grant(&ok), Ok(()), "{ok:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// A fixed chain A -> B -> C.
// ---------------------------------------------------------------------------------------------

fn grantee(user: &str, grants: &[Grant]) -> Subject {
    let mut b = Subject::builder(cat(), user)
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["promoter", "finance"]);
    for g in grants {
        b = b.grant(g);
    }
    b.build().unwrap()
}

#[test]
fn redelegation_passes_on_at_most_what_was_received() {
    let a = Subject::builder(cat(), "a")
        .membership("acme")
        .entitled(["promoter", "finance"])
        .modules(["promoter", "finance"])
        .permission(keys::FINANCE_BILL_VIEW)
        .permission(keys::FINANCE_BILL_EDIT)
        .delegation(DelegationClaim {
            modules: strings(&["finance"]),
            permissions: names(&[keys::FINANCE_BILL_VIEW, keys::FINANCE_BILL_EDIT]),
            redelegate: names(&[keys::FINANCE_BILL_VIEW]),
            ..Default::default()
        })
        .build()
        .unwrap();
    let to_b = [
        Grant::new("acme", keys::FINANCE_BILL_VIEW)
            .business_units(["bu-a", "bu-b"])
            .redelegable(),
        Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-a"]),
    ];
    // The GRANT OPTION is per key.
    assert_eq!(
        a.can_grant(&to_b[1].clone().redelegable()),
        Err(DelegationDenial::NotRedelegable)
    );
    for g in &to_b {
        assert_eq!(a.can_grant(g), Ok(()));
    }
    let b = grantee("b", &to_b);
    let view = || Grant::new("acme", keys::FINANCE_BILL_VIEW);
    assert_eq!(b.can_grant(&view().business_units(["bu-a"])), Ok(()));
    assert_eq!(
        b.can_grant(&view().business_units(["bu-b"]).redelegable()),
        Ok(())
    );
    assert_eq!(
        b.can_grant(&view().business_units(["bu-c"])),
        Err(DelegationDenial::ExceedsPersonalAccess)
    );
    assert_eq!(
        b.can_grant(&view()),
        Err(DelegationDenial::ExceedsPersonalAccess)
    );
    // Received without the GRANT OPTION: not delegable.
    assert_eq!(
        b.can_grant(&Grant::new("acme", keys::FINANCE_BILL_EDIT).business_units(["bu-a"])),
        Err(DelegationDenial::PermissionNotDelegable)
    );

    let c = grantee("c", &[view().business_units(["bu-a"])]);
    let acme = Scope::company("acme");
    assert!(decide(&c, keys::FINANCE_BILL_VIEW, &acme.business_unit("bu-a")).is_allowed());
    assert!(!decide(&c, keys::FINANCE_BILL_VIEW, &acme.business_unit("bu-b")).is_allowed());
    // C got no GRANT OPTION and has no delegation policy at all.
    assert_eq!(
        c.can_grant(&view().business_units(["bu-a"])),
        Err(DelegationDenial::ModuleNotDelegable(module("finance")))
    );

    // An own-only re-delegable grant reaches only B's own resources, which are not C's.
    let own = view().own_only().redelegable();
    assert_eq!(a.can_grant(&own), Ok(()));
    let b_own = grantee("b", std::slice::from_ref(&own));
    for g in [
        view(),
        view().own_only(),
        view().business_units(["bu-a"]).own_only(),
    ] {
        assert_eq!(
            b_own.can_grant(&g),
            Err(DelegationDenial::ExceedsPersonalAccess)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Property tests: random granters and grants.
// ---------------------------------------------------------------------------------------------

const COMPANIES: [&str; 2] = ["acme", "globex"];
/// Request companies: the granter's possible ones and one it never belongs to.
const REQUEST_COMPANIES: [&str; 3] = ["acme", "globex", "initech"];
const MODULES: &[&str] = &["promoter", "venue", "finance"];
const ROLES: &[&str] = &["promoter.viewer", "finance.viewer"];
const BUS: &[&str] = &["bu-a", "bu-b", "bu-c"];
const WFS: &[&str] = &["wf-1", "wf-2"];
const POOL: &[Key] = &[
    keys::PROMOTER_EVENT_VIEW,
    keys::PROMOTER_EVENT_EDIT,
    keys::PROMOTER_EVENT_SALES_VIEW,
    keys::PROMOTER_DASHBOARD_VIEW,
    keys::FINANCE_BILL_VIEW,
    keys::FINANCE_BILL_EDIT,
    keys::FINANCE_BILL_APPROVE,
    keys::FINANCE_INVOICE_VIEW,
    keys::FINANCE_REPORT_VIEW,
    keys::VENUE_VENUE_VIEW,
    keys::VENUE_BOOKING_MANAGE,
    keys::VENUE_SPACE_EDIT,
];
/// Granters' membership approval limits.
const LIMITS: &[u64] = &[100, 1_000, 10_000];

/// An approval limit anywhere from 0 to `u64::MAX`: the ends, a value around each of [`LIMITS`]
/// (one under, on, one over), or any value at all.
fn any_limit() -> impl Strategy<Value = u64> {
    prop_oneof![
        1 => Just(0u64),
        1 => Just(u64::MAX),
        2 => any::<u64>(),
        6 => (prop::sample::select(LIMITS), -1i64..=1)
            .prop_map(|(l, d)| l.saturating_add_signed(d)),
    ]
}

/// The parts of a grant, rebuilt into a [`Grant`] by [`make`].
#[derive(Debug, Clone)]
struct Parts {
    company: &'static str,
    key: Key,
    bu: Option<Vec<&'static str>>,
    wf: Option<Vec<&'static str>>,
    own_only: bool,
    redelegable: bool,
    /// The grant's own approval limit.
    limit: Option<u64>,
}

fn make(p: &Parts) -> Grant {
    let mut g = Grant::new(p.company, p.key);
    if let Some(bu) = &p.bu {
        g = g.business_units(bu.iter().copied());
    }
    if let Some(wf) = &p.wf {
        g = g.workflows(wf.iter().copied());
    }
    if p.own_only {
        g = g.own_only();
    }
    if p.redelegable {
        g = g.redelegable();
    }
    if let Some(l) = p.limit {
        g = g.approval_limit(l);
    }
    g
}

#[derive(Debug, Clone)]
struct PolicySpec {
    modules: Vec<&'static str>,
    /// Which of the membership's held grants' keys the policy lists.
    from_held: Vec<bool>,
    /// Keys listed whether held or not.
    extra: Vec<Key>,
    /// Which listed keys may be granted re-delegable.
    redelegate: Vec<bool>,
    bound_bu: Option<Vec<&'static str>>,
    bound_wf: Option<Vec<&'static str>>,
    manage_users: bool,
    buy_addons: bool,
}

#[derive(Debug, Clone)]
struct MemberSpec {
    entitled: Vec<&'static str>,
    assigned: Vec<&'static str>,
    roles: Vec<&'static str>,
    /// Held grants; their company is the membership's.
    held: Vec<Parts>,
    bu: Option<Vec<&'static str>>,
    wf: Option<Vec<&'static str>>,
    approval_limit: Option<u64>,
    policy: Option<PolicySpec>,
}

#[derive(Debug, Clone)]
struct GranterSpec {
    memberships: Vec<(&'static str, MemberSpec)>,
}

fn some_of<T: Clone + std::fmt::Debug + 'static>(
    pool: &'static [T],
    p: f64,
) -> impl Strategy<Value = Vec<T>> {
    prop::collection::vec(prop::bool::weighted(p), pool.len()).prop_map(move |picks| {
        pool.iter()
            .zip(picks)
            .filter(|(_, keep)| *keep)
            .map(|(x, _)| x.clone())
            .collect()
    })
}

/// A non-empty subset, or (rarely) the empty list, which reaches nothing.
fn subset(pool: &'static [&'static str]) -> impl Strategy<Value = Vec<&'static str>> {
    prop_oneof![
        1 => Just(Vec::new()),
        8 => prop::sample::subsequence(pool, 1..=pool.len()),
    ]
}

fn restriction(
    pool: &'static [&'static str],
    p_restricted: f64,
) -> impl Strategy<Value = Option<Vec<&'static str>>> {
    prop::option::weighted(p_restricted, subset(pool))
}

fn held(company: &'static str) -> impl Strategy<Value = Parts> {
    (
        prop::sample::select(POOL),
        restriction(BUS, 0.4),
        restriction(WFS, 0.3),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.5, any_limit()),
    )
        .prop_map(move |(key, bu, wf, own_only, limit)| Parts {
            company,
            key,
            bu,
            wf,
            own_only,
            redelegable: false,
            // Only approval keys take a limit in claims.
            limit: limit.filter(|_| key.needs_approval()),
        })
}

fn policy() -> impl Strategy<Value = PolicySpec> {
    (
        some_of(MODULES, 0.9),
        prop::collection::vec(prop::bool::weighted(0.8), 6),
        some_of(POOL, 0.1),
        prop::collection::vec(prop::bool::weighted(0.6), 6 + POOL.len()),
        restriction(BUS, 0.25),
        restriction(WFS, 0.15),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                modules,
                from_held,
                extra,
                redelegate,
                bound_bu,
                bound_wf,
                manage_users,
                buy_addons,
            )| {
                PolicySpec {
                    modules,
                    from_held,
                    extra,
                    redelegate,
                    bound_bu,
                    bound_wf,
                    manage_users,
                    buy_addons,
                }
            },
        )
}

fn member(company: &'static str) -> impl Strategy<Value = MemberSpec> {
    (
        some_of(MODULES, 0.9),
        some_of(MODULES, 0.9),
        some_of(ROLES, 0.1),
        prop::collection::vec(held(company), 1..=6),
        restriction(BUS, 0.15),
        restriction(WFS, 0.1),
        prop::option::weighted(0.6, prop::sample::select(LIMITS)),
        prop::option::weighted(0.9, policy()),
    )
        .prop_map(
            |(entitled, assigned, roles, held, bu, wf, approval_limit, policy)| MemberSpec {
                entitled,
                assigned,
                roles,
                held,
                bu,
                wf,
                approval_limit,
                policy,
            },
        )
}

fn granter_spec() -> impl Strategy<Value = GranterSpec> {
    (member(COMPANIES[0]), member(COMPANIES[1]), 0..3usize).prop_map(|(acme, globex, which)| {
        let memberships = match which {
            0 => vec![(COMPANIES[0], acme)],
            1 => vec![(COMPANIES[1], globex)],
            _ => vec![(COMPANIES[0], acme), (COMPANIES[1], globex)],
        };
        GranterSpec { memberships }
    })
}

fn build_granter(spec: &GranterSpec) -> Subject {
    let mut b = Subject::builder(cat(), "granter");
    for (company, m) in &spec.memberships {
        b = b
            .membership(*company)
            .entitled(m.entitled.iter().copied())
            .modules(m.assigned.iter().copied());
        for r in &m.roles {
            b = b.role(*r);
        }
        for h in &m.held {
            b = b.grant(&make(h));
        }
        if let Some(bu) = &m.bu {
            b = b.business_units(bu.iter().copied());
        }
        if let Some(wf) = &m.wf {
            b = b.workflows(wf.iter().copied());
        }
        if let Some(l) = m.approval_limit {
            b = b.approval_limit(l);
        }
        if let Some(p) = &m.policy {
            let mut listed: Vec<Key> = m
                .held
                .iter()
                .zip(&p.from_held)
                .filter_map(|(h, keep)| keep.then_some(h.key))
                .collect();
            listed.extend(p.extra.iter().copied());
            let redelegate: Vec<Key> = listed
                .iter()
                .zip(&p.redelegate)
                .filter_map(|(k, keep)| keep.then_some(*k))
                .collect();
            let scope = (p.bound_bu.is_some() || p.bound_wf.is_some()).then(|| ScopeClaim {
                business_units: p.bound_bu.as_deref().map(strings),
                workflows: p.bound_wf.as_deref().map(strings),
            });
            b = b.delegation(DelegationClaim {
                modules: strings(&p.modules),
                permissions: names(&listed),
                manage_users: p.manage_users,
                buy_addons: p.buy_addons,
                scope,
                redelegate: names(&redelegate),
            });
        }
    }
    b.build().expect("generated claims are valid")
}

/// A proposed grant: either fresh (company, key and restrictions drawn at random) or following a
/// grant the granter holds or received (`follow`), its restrictions then optionally inherited and
/// intersected with the random ones, so that a good share of proposals is acceptable.
#[derive(Debug, Clone)]
struct GrantSpec {
    follow: Option<Index>,
    company: &'static str,
    key: Key,
    inherit: bool,
    bu: Option<Vec<&'static str>>,
    wf: Option<Vec<&'static str>>,
    own_only: bool,
    redelegable: bool,
    /// The proposed approval limit; kept on a key that is not an approval only if `stray_limit`.
    limit: Option<u64>,
    stray_limit: bool,
}

fn grant_spec() -> impl Strategy<Value = GrantSpec> {
    (
        prop::option::weighted(0.85, any::<Index>()),
        prop::sample::select(&REQUEST_COMPANIES[..]),
        prop::sample::select(POOL),
        prop::bool::weighted(0.75),
        restriction(BUS, 0.5),
        restriction(WFS, 0.35),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.5),
        (
            prop::option::weighted(0.9, any_limit()),
            prop::bool::weighted(0.03),
        ),
    )
        .prop_map(
            |(
                follow,
                company,
                key,
                inherit,
                bu,
                wf,
                own_only,
                redelegable,
                (limit, stray_limit),
            )| {
                GrantSpec {
                    follow,
                    company,
                    key,
                    inherit,
                    bu,
                    wf,
                    own_only,
                    redelegable,
                    limit,
                    stray_limit,
                }
            },
        )
}

/// `base ∩ narrower` where `None` is "everything".
fn intersect(
    base: &Option<Vec<&'static str>>,
    narrower: &Option<Vec<&'static str>>,
) -> Option<Vec<&'static str>> {
    match (base, narrower) {
        (None, n) => n.clone(),
        (b, None) => b.clone(),
        (Some(b), Some(n)) => Some(b.iter().filter(|x| n.contains(x)).copied().collect()),
    }
}

fn realize(spec: &GrantSpec, context: &[Parts]) -> Parts {
    let followed = spec
        .follow
        .filter(|_| !context.is_empty())
        .map(|i| &context[i.index(context.len())]);
    let (company, key, base_bu, base_wf, base_limit) = match followed {
        Some(p) => (p.company, p.key, p.bu.clone(), p.wf.clone(), p.limit),
        None => (spec.company, spec.key, None, None, None),
    };
    let (bu, wf) = if spec.inherit {
        (intersect(&base_bu, &spec.bu), intersect(&base_wf, &spec.wf))
    } else {
        (spec.bu.clone(), spec.wf.clone())
    };
    // Inheriting a limit keeps the smaller of the followed grant's and the proposed one.
    let limit = match (spec.inherit, base_limit, spec.limit) {
        (true, Some(b), Some(l)) => Some(b.min(l)),
        (true, Some(b), None) => Some(b),
        (_, _, l) => l,
    };
    Parts {
        company,
        key,
        bu,
        wf,
        own_only: spec.own_only,
        redelegable: spec.redelegable,
        limit: limit.filter(|_| key.needs_approval() || spec.stray_limit),
    }
}

/// Per company: the entitlements (shared by everyone in the company) and a subject's approval
/// limit there.
type Profile = Vec<(&'static str, Vec<&'static str>, Option<u64>)>;

fn profile(spec: &GranterSpec) -> Profile {
    spec.memberships
        .iter()
        .map(|(c, m)| (*c, m.entitled.clone(), m.approval_limit))
        .collect()
}

/// A grantee's membership approval limit: none, a share of or next to its granter's, or
/// anything from 0 to `u64::MAX` (often far above the granter's).
#[derive(Debug, Clone, Copy)]
enum GranteeLimit {
    None,
    Percent(u64),
    Around(i64),
    Abs(u64),
}

impl GranteeLimit {
    fn of(self, granter: Option<u64>) -> Option<u64> {
        match self {
            GranteeLimit::None => None,
            GranteeLimit::Percent(p) => {
                granter.map(|l| (u128::from(l) * u128::from(p) / 100) as u64)
            }
            GranteeLimit::Around(d) => granter.map(|l| l.saturating_add_signed(d)),
            GranteeLimit::Abs(x) => Some(x),
        }
    }
}

fn grantee_limit() -> impl Strategy<Value = GranteeLimit> {
    prop_oneof![
        1 => Just(GranteeLimit::None),
        2 => (0..=100u64).prop_map(GranteeLimit::Percent),
        2 => (-1i64..=1).prop_map(GranteeLimit::Around),
        5 => any_limit().prop_map(GranteeLimit::Abs),
    ]
}

/// A grantee holding exactly `grants`: same companies and entitlements as its granter, an
/// approval limit per `limit`, and either every module assigned (by someone else) or, with
/// `assigner`, exactly the modules the granter may assign.
fn build_grantee(
    user: &str,
    grants: &[Parts],
    granter: &Profile,
    limit: GranteeLimit,
    assigner: Option<&Subject>,
) -> (Subject, Profile) {
    let mut b = Subject::builder(cat(), user);
    let mut out = Profile::new();
    for (company, entitled, granter_limit) in granter {
        if !grants.iter().any(|g| g.company == *company) {
            continue;
        }
        let limit = limit.of(*granter_limit);
        let modules: Vec<&str> = MODULES
            .iter()
            .copied()
            .filter(|m| assigner.is_none_or(|a| a.can_assign_module(company, module(m)).is_ok()))
            .collect();
        b = b
            .membership(*company)
            .entitled(entitled.iter().copied())
            .modules(modules);
        if let Some(l) = limit {
            b = b.approval_limit(l);
        }
        for g in grants.iter().filter(|g| g.company == *company) {
            b = b.grant(&make(g));
        }
        out.push((company, entitled.clone(), limit));
    }
    (b.build().expect("accepted grants build a subject"), out)
}

/// Request amounts around every limit in play (one under, on, one over), and the ends.
fn amounts_around(limits: impl IntoIterator<Item = Option<u64>>) -> Vec<u64> {
    let mut out = vec![0, u64::MAX];
    for l in limits.into_iter().flatten() {
        out.extend([l.saturating_sub(1), l, l.saturating_add(1)]);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The limits in play: memberships' and grants'.
fn limits_of(profile: &Profile, grants: &[Parts]) -> Vec<Option<u64>> {
    let members = profile.iter().map(|(_, _, l)| *l);
    members.chain(grants.iter().map(|g| g.limit)).collect()
}

/// Every decision `inner` allows over the pool keys and a grid of scopes, `outer` allows too; for
/// approval keys, at every amount of `amounts` and without one.
///
/// Own-only: the scopes are compared as they are, owner included. A grantee's own-only grant
/// reaches resources the *grantee* owns; `can_grant` accepts a grant only where the granter
/// reaches every point through grants that are not own-only (the granter's own-only grants reach
/// the granter's resources, never the grantee's), so the granter must allow the very same request
/// — owner = grantee, owner = granter, or no owner alike.
fn assert_within(
    inner: &Subject,
    outer: &Subject,
    owners: &[&str],
    amounts: &[u64],
) -> Result<(), TestCaseError> {
    let mut owner_opts: Vec<Option<&str>> = vec![None];
    owner_opts.extend(owners.iter().map(|o| Some(*o)));
    let mut with_amounts: Vec<Option<u64>> = vec![None];
    with_amounts.extend(amounts.iter().map(|a| Some(*a)));
    for company in REQUEST_COMPANIES {
        for &key in POOL {
            let amounts = if key.needs_approval() {
                &with_amounts[..]
            } else {
                &[None][..]
            };
            for bu in [None, Some("bu-a"), Some("bu-b"), Some("bu-c")] {
                for wf in [None, Some("wf-1"), Some("wf-2")] {
                    for owner in &owner_opts {
                        for amount in amounts {
                            let mut s = Scope::company(company);
                            if let Some(bu) = bu {
                                s = s.business_unit(bu);
                            }
                            if let Some(wf) = wf {
                                s = s.workflow(wf);
                            }
                            if let Some(o) = owner {
                                s = s.owner(o);
                            }
                            if let Some(a) = amount {
                                s = s.amount(*a);
                            }
                            if decide(inner, key, &s).is_allowed() {
                                prop_assert!(
                                    decide(outer, key, &s).is_allowed(),
                                    "{} allowed {} at {:?} but {} is denied: {:?}",
                                    inner.user_id(),
                                    cat().name(key),
                                    s,
                                    outer.user_id(),
                                    decide(outer, key, &s)
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn held_context(spec: &GranterSpec) -> Vec<Parts> {
    spec.memberships
        .iter()
        .flat_map(|(_, m)| m.held.iter().cloned())
        .collect()
}

fn accepted_by(granter: &Subject, proposals: &[Parts]) -> Vec<Parts> {
    proposals
        .iter()
        .filter(|p| granter.can_grant(&make(p)).is_ok())
        .cloned()
        .collect()
}

/// The share of generated cases in which at least one grant is accepted (hop 1) and, on chains,
/// passed on again (hop 2): the properties below are vacuous if these are small.
#[test]
fn generators_reach_accepted_grants() {
    let mut runner = TestRunner::deterministic();
    let strategy = (
        granter_spec(),
        prop::collection::vec(grant_spec(), 1..=6),
        prop::collection::vec(grant_spec(), 1..=6),
    );
    let (mut hop1, mut hop2, mut redelegated, n) = (0, 0, 0, 400);
    let mut answers = std::collections::BTreeSet::new();
    for _ in 0..n {
        let (spec, first, second) = strategy.new_tree(&mut runner).unwrap().current();
        let a = build_granter(&spec);
        let context = held_context(&spec);
        let to_b: Vec<Parts> = first.iter().map(|g| realize(g, &context)).collect();
        let acc = accepted_by(&a, &to_b);
        for p in &to_b {
            let answer = match a.can_grant(&make(p)) {
                Ok(()) => "Ok".to_string(),
                Err(DelegationDenial::ExceedsApprovalLimit { .. }) => {
                    "ExceedsApprovalLimit { limit: _ }".to_string()
                }
                Err(d) => format!("{d:?}").split('(').next().unwrap().to_string(),
            };
            answers.insert(answer);
        }
        if acc.is_empty() {
            continue;
        }
        hop1 += 1;
        if acc.iter().any(|g| g.redelegable) {
            redelegated += 1;
        }
        let (b, _) = build_grantee("b", &acc, &profile(&spec), GranteeLimit::Percent(100), None);
        let to_c: Vec<Parts> = second.iter().map(|g| realize(g, &acc)).collect();
        if !accepted_by(&b, &to_c).is_empty() {
            hop2 += 1;
        }
    }
    assert!(hop1 * 100 >= n * 35, "hop 1 accepted in {hop1}/{n} cases");
    assert!(
        redelegated * 100 >= n * 15,
        "re-delegable accepted in {redelegated}/{n}"
    );
    assert!(hop2 * 100 >= n * 10, "hop 2 accepted in {hop2}/{n} cases");
    // Every rule refuses some generated grant but ForeignKey (one catalog here),
    // RedelegationNotApplicable (a Kisum catalog) and the input limits (small lists here).
    let expected = [
        "Ok",
        "NotMember",
        "NotEntitled",
        "ModuleNotDelegable",
        "PermissionNotDelegable",
        "ExceedsPersonalAccess",
        "ApprovalLimitMissing",
        "ApprovalLimitRequired",
        "ExceedsApprovalLimit { limit: _ }",
        "ApprovalLimitNotApplicable",
        "ExceedsScopeBound",
        "NotRedelegable",
    ];
    let answers: Vec<&str> = answers.iter().map(String::as_str).collect();
    assert_eq!(answers.len(), expected.len(), "{answers:?}");
    for e in expected {
        assert!(answers.contains(&e), "{e} never seen: {answers:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Grantee ⊆ granter: every grant `can_grant` accepts, given together to one grantee, lets the
    /// grantee do nothing the granter cannot.
    #[test]
    fn a_grantee_never_gets_more_than_its_granter(
        spec in granter_spec(),
        proposals in prop::collection::vec(grant_spec(), 1..=8),
        limit in grantee_limit(),
        assigned_by_granter in any::<bool>(),
    ) {
        let granter = build_granter(&spec);
        let context = held_context(&spec);
        let proposals: Vec<Parts> = proposals.iter().map(|g| realize(g, &context)).collect();
        let accepted = accepted_by(&granter, &proposals);
        for g in &accepted {
            // Only in a company the granter belongs to.
            prop_assert!(spec.memberships.iter().any(|(c, _)| *c == g.company));
        }
        let assigner = assigned_by_granter.then_some(&granter);
        let (grantee, prof) = build_grantee("grantee", &accepted, &profile(&spec), limit, assigner);
        let mut limits = limits_of(&profile(&spec), &held_context(&spec));
        limits.extend(limits_of(&prof, &accepted));
        assert_within(&grantee, &granter, &["grantee", "granter"], &amounts_around(limits))?;
        // Without the GRANT OPTION the grantee grants nothing on.
        if accepted.iter().all(|g| !g.redelegable) {
            for p in proposals.iter().chain(&accepted) {
                prop_assert!(grantee.can_grant(&make(p)).is_err(), "{:?}", p);
            }
        }
    }

    /// Chains A -> B -> C -> D: each hop gives the accepted grants to a fresh subject (as
    /// `SubjectBuilder::grant` does: a re-delegable grant becomes the grantee's delegation right
    /// for that key, without a scope bound, clamped to what it received). Every link stays within
    /// every earlier one; only keys received re-delegable are passed on; a copy of B that received
    /// the same grants without the GRANT OPTION grants nothing at all.
    #[test]
    fn redelegation_chains_never_exceed_the_origin(
        spec in granter_spec(),
        hops in prop::collection::vec(prop::collection::vec(grant_spec(), 1..=6), 3),
        limits in prop::collection::vec(grantee_limit(), 3),
    ) {
        let a = build_granter(&spec);
        let mut chain: Vec<Subject> = vec![a];
        let mut received: Vec<Parts> = held_context(&spec);
        let mut prof = profile(&spec);
        let users = ["granter", "b", "c", "d"];
        let mut in_play = limits_of(&prof, &received);
        for (hop, (proposals, limit)) in hops.iter().zip(&limits).enumerate() {
            let granter = chain.last().unwrap();
            let proposals: Vec<Parts> = proposals.iter().map(|g| realize(g, &received)).collect();
            let accepted = accepted_by(granter, &proposals);
            if hop > 0 {
                for g in &accepted {
                    prop_assert!(
                        received.iter().any(|r| r.company == g.company && r.key == g.key && r.redelegable),
                        "{} passed on {:?} without receiving it re-delegable", users[hop], g
                    );
                }
                // The same grants without the GRANT OPTION: nothing can be passed on.
                let plain: Vec<Parts> = received
                    .iter()
                    .map(|r| Parts { redelegable: false, ..r.clone() })
                    .collect();
                let (no_option, _) =
                    build_grantee("no-option", &plain, &prof, GranteeLimit::Percent(100), None);
                for p in proposals.iter().chain(&plain) {
                    prop_assert!(no_option.can_grant(&make(p)).is_err(), "{:?}", p);
                }
            }
            if accepted.is_empty() {
                break;
            }
            let (next, next_prof) = build_grantee(users[hop + 1], &accepted, &prof, *limit, None);
            in_play.extend(limits_of(&next_prof, &accepted));
            let amounts = amounts_around(in_play.iter().copied());
            for earlier in &chain {
                assert_within(&next, earlier, &users, &amounts)?;
            }
            chain.push(next);
            received = accepted;
            prof = next_prof;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Monotonicity of can_grant.
// ---------------------------------------------------------------------------------------------

/// How to narrow a grant: intersect each dimension with a random restriction (a `None` keeps it),
/// optionally make it own-only, optionally drop the GRANT OPTION.
#[derive(Debug, Clone)]
struct Narrow {
    bu: Option<Vec<&'static str>>,
    wf: Option<Vec<&'static str>>,
    own_only: bool,
    drop_redelegable: bool,
    /// Lower the approval limit to at most this.
    limit: Option<u64>,
}

fn narrow_spec() -> impl Strategy<Value = Narrow> {
    (
        restriction(BUS, 0.6),
        restriction(WFS, 0.5),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(any_limit()),
    )
        .prop_map(|(bu, wf, own_only, drop_redelegable, limit)| Narrow {
            bu,
            wf,
            own_only,
            drop_redelegable,
            limit,
        })
}

fn narrow(p: &Parts, n: &Narrow) -> Parts {
    Parts {
        bu: intersect(&p.bu, &n.bu),
        wf: intersect(&p.wf, &n.wf),
        own_only: p.own_only || n.own_only,
        redelegable: p.redelegable && !n.drop_redelegable,
        limit: p.limit.map(|l| n.limit.map_or(l, |n| n.min(l))),
        ..p.clone()
    }
}

#[derive(Debug, Clone)]
enum Widen1 {
    Keep,
    Unrestrict,
    Add(Vec<&'static str>),
}

fn widen1(pool: &'static [&'static str]) -> impl Strategy<Value = Widen1> {
    prop_oneof![
        Just(Widen1::Keep),
        Just(Widen1::Unrestrict),
        prop::sample::subsequence(pool, 1..=pool.len()).prop_map(Widen1::Add),
    ]
}

fn apply_widen(list: &Option<Vec<&'static str>>, w: &Widen1) -> Option<Vec<&'static str>> {
    match (list, w) {
        (_, Widen1::Unrestrict) | (None, _) => None,
        (Some(l), Widen1::Keep) => Some(l.clone()),
        (Some(l), Widen1::Add(more)) => {
            let mut l = l.clone();
            l.extend(more.iter().filter(|x| !l.contains(x)).collect::<Vec<_>>());
            Some(l)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Narrowing an accepted grant (a subset of business units or workflows, own-only, no GRANT
    /// OPTION, a lower approval limit) keeps it accepted.
    #[test]
    fn narrowing_an_accepted_grant_keeps_it_accepted(
        spec in granter_spec(),
        g in grant_spec(),
        n in narrow_spec(),
    ) {
        let granter = build_granter(&spec);
        let g = realize(&g, &held_context(&spec));
        if granter.can_grant(&make(&g)).is_ok() {
            let narrowed = narrow(&g, &n);
            prop_assert_eq!(granter.can_grant(&make(&narrowed)), Ok(()), "{:?}", narrowed);
        }
    }

    /// Widening a refused grant (more business units or workflows, or none, not own-only, with the
    /// GRANT OPTION, a higher approval limit) keeps it refused.
    #[test]
    fn widening_a_refused_grant_keeps_it_refused(
        spec in granter_spec(),
        g in grant_spec(),
        (bu, wf, drop_own_only, add_redelegable, raise) in
            (widen1(BUS), widen1(WFS), any::<bool>(), any::<bool>(), prop::option::of(any_limit())),
    ) {
        let granter = build_granter(&spec);
        let g = realize(&g, &held_context(&spec));
        if granter.can_grant(&make(&g)).is_err() {
            let widened = Parts {
                bu: apply_widen(&g.bu, &bu),
                wf: apply_widen(&g.wf, &wf),
                own_only: g.own_only && !drop_own_only,
                redelegable: g.redelegable || add_redelegable,
                limit: g.limit.map(|l| raise.map_or(l, |r| r.max(l))),
                ..g.clone()
            };
            prop_assert!(granter.can_grant(&make(&widened)).is_err(), "{:?}", widened);
        }
    }

    /// Own-only restricts a grantee to the grantee's own resources, which the granter reaches only
    /// through grants that are not own-only (the crate's documented semantics: own-only grants
    /// reach the granter's resources, never the grantee's). So own-only neither helps nor hurts: a
    /// grant and its own-only version get the same answer.
    #[test]
    fn own_only_does_not_change_the_answer(spec in granter_spec(), g in grant_spec()) {
        let granter = build_granter(&spec);
        let g = realize(&g, &held_context(&spec));
        let plain = Parts { own_only: false, ..g.clone() };
        let own = Parts { own_only: true, ..g };
        prop_assert_eq!(granter.can_grant(&make(&plain)), granter.can_grant(&make(&own)));
    }
}

// ---------------------------------------------------------------------------------------------
// Module assignment.
// ---------------------------------------------------------------------------------------------

/// Every module of the embedded catalog with its kind and, for add-ons, the bases it attaches to,
/// as `catalog.toml` declares them.
const ALL_MODULES: &[(&str, &str, &[&str])] = &[
    ("promoter", "base", &[]),
    ("venue", "base", &[]),
    ("artist", "base", &[]),
    ("vendor", "base", &[]),
    (
        "finance",
        "addon",
        &["promoter", "venue", "artist", "vendor"],
    ),
    ("touring", "addon", &["promoter", "artist"]),
    ("ai", "addon", &["promoter", "venue", "artist", "vendor"]),
    ("venue_marketplace", "addon", &["promoter", "artist"]),
    ("ticketing", "external", &[]),
];

/// `can_assign_module` by its definition, from the spec the granter was built from: a member; a
/// module assigned to users (not external); bought and usable (an add-on with a bought base it
/// attaches to); assigned to the granter; listed in the policy; for an add-on, `buy_addons`.
fn expected_assignment(spec: &GranterSpec, company: &str, module: &str) -> &'static str {
    let Some((_, m)) = spec.memberships.iter().find(|(c, _)| *c == company) else {
        return "NotMember";
    };
    let (_, kind, bases) = ALL_MODULES.iter().find(|(n, ..)| *n == module).unwrap();
    let usable = m.entitled.contains(&module)
        && (*kind != "addon" || bases.iter().any(|b| m.entitled.contains(b)));
    let policy = m.policy.as_ref();
    if *kind == "external" {
        "ModuleNotAssignable"
    } else if !usable {
        "NotEntitled"
    } else if !m.assigned.contains(&module) {
        "ModuleNotAssigned"
    } else if !policy.is_some_and(|p| p.modules.contains(&module)) {
        "ModuleNotDelegable"
    } else if *kind == "addon" && !policy.is_some_and(|p| p.buy_addons) {
        "AddonNotAssignable"
    } else {
        "Ok"
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// `can_assign_module` agrees with its definition for every company and module, and a module
    /// it lets the granter assign is one the granter personally uses: layers 1 and 2 pass for
    /// every key of it.
    #[test]
    fn module_assignment_never_exceeds_the_granters_modules(spec in granter_spec()) {
        let granter = build_granter(&spec);
        for company in REQUEST_COMPANIES {
            for (name, ..) in ALL_MODULES {
                let m = module(name);
                let got = match granter.can_assign_module(company, m) {
                    Ok(()) => "Ok".to_string(),
                    Err(d) => format!("{d:?}").split('(').next().unwrap().to_string(),
                };
                prop_assert_eq!(&got, expected_assignment(&spec, company, name), "{} {}", company, name);
                if got == "Ok" {
                    for k in cat().keys().filter(|k| k.module() == m) {
                        let d = decide(&granter, k, &Scope::company(company));
                        prop_assert!(
                            d.denial().is_none_or(|d| d.layer() > Layer::Module),
                            "{} assignable but {}: {:?}", name, cat().name(k), d
                        );
                    }
                }
            }
        }
    }
}
