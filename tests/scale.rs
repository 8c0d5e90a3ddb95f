//! The forms a subject takes at scale decide as the reference model does: memberships found
//! through the company index (more than a few memberships), business units through a unit index
//! (long lists), sparse tables (a catalog of more than 256 keys), with short ids, 36-byte (UUID)
//! ids, and ids that share their first and last 8 bytes with another (the same tag in the crate).
//!
//! Random subjects are drawn from a seed (proptest picks the seeds and reports the failing one);
//! the model (`tests/oracle`) evaluates on strings and sets and shares no code with `src/`.

mod common;
mod oracle;

use std::collections::{HashMap, HashSet};

use common::alloc::{Counting, allocations};
use kisum_access::{Catalog, Claims, Entitlements, Key, Subject, decide};
use oracle::{Expect, ModelCatalog, ModelGrant, ModelMembership, ModelSubject, Req, model_decide};
use proptest::prelude::*;
use serde_json::{Value, json};

#[global_allocator]
static ALLOC: Counting = Counting;

/// SplitMix64: the subjects and requests of one case, from its seed.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, from: &'a [String]) -> &'a String {
        &from[self.below(from.len())]
    }
    /// `n` distinct ids of `pool`.
    fn some(&mut self, pool: &[String], n: usize) -> Vec<String> {
        let mut chosen = HashSet::new();
        while chosen.len() < n.min(pool.len()) {
            chosen.insert(self.pick(pool).clone());
        }
        chosen.into_iter().collect()
    }
    /// A list length: few (scanned), or many (indexed), up to the token's limit of 256.
    fn list_len(&mut self) -> usize {
        match self.below(4) {
            0 => 1 + self.below(4),
            1 => 5 + self.below(40),
            2 => 200 + self.below(57),
            _ => 0,
        }
    }
}

/// `n` ids in five shapes: short (`{prefix}-{i}`); 36 bytes that are not a canonical UUID, and
/// 36 bytes sharing the first and last 8 bytes of the previous one (its tag twin); a canonical
/// UUID (an exact tag), and one differing from the previous only in its middle digits.
fn ids(prefix: &str, n: usize) -> Vec<String> {
    let tail = prefix.bytes().fold(0u64, |h, b| h * 31 + u64::from(b)) & 0xFFFF;
    (0..n)
        .map(|i| match i % 5 {
            0 => format!("{prefix}-{i}"),
            1 => format!("{i:08}-3c1d-4f2a-9e7b-{prefix:>4}8a1f2e3b"),
            2 => format!("{:08}-3c1d-XXXX-9e7b-{prefix:>4}8a1f2e3b", i - 1),
            3 => format!("{i:08x}-3c1d-4f2a-9e7b-{tail:04x}8a1f2e3b"),
            _ => format!("{:08x}-3c1d-4f2a-{:04x}-{tail:04x}8a1f2e3b", i - 1, i),
        })
        .collect()
}

/// One drawn subject, as claims JSON and as the model's subject, with its entitlements.
struct Drawn {
    claims: Claims,
    entitlements: Vec<Entitlements>,
    model: ModelSubject,
}

/// A subject of `memberships` companies of `companies`, each holding some of `keys`
/// unrestricted or in drawn business units, some with a membership-wide business-unit scope.
fn subject(
    d: &mut Draw,
    companies: &[String],
    units: &[String],
    keys: &[&str],
    modules: &[&str],
    memberships: usize,
) -> Drawn {
    let (mut json_members, mut entitlements, mut model) = (vec![], vec![], HashMap::new());
    for company in d.some(companies, memberships) {
        let (mut perms, mut grants) = (vec![], vec![]);
        for key in keys {
            if !d.chance(60) {
                continue;
            }
            let bus = (d.chance(70)).then(|| {
                let n = d.list_len().max(1);
                d.some(units, n)
            });
            perms.push(match &bus {
                Some(b) => json!({"key": key, "business_units": b}),
                None => json!(key),
            });
            grants.push(ModelGrant {
                key: key.to_string(),
                business_units: bus.map(|b| b.into_iter().collect()),
                workflows: None,
                own_only: false,
                approval_limit: None,
            });
        }
        let scope = (d.chance(25)).then(|| {
            let n = d.list_len();
            d.some(units, n)
        });
        let bought: Vec<&str> = modules.iter().copied().filter(|_| d.chance(90)).collect();
        let assigned: Vec<&str> = modules.iter().copied().filter(|_| d.chance(90)).collect();
        let mut member = json!({"company": company, "modules": assigned, "permissions": perms});
        if let Some(s) = &scope {
            member["scope"] = json!({"business_units": s});
        }
        json_members.push(member);
        entitlements.push(Entitlements::new(company.as_str(), bought.iter().copied()));
        let m = ModelMembership {
            bought: bought.iter().map(|s| s.to_string()).collect(),
            assigned: assigned.iter().map(|s| s.to_string()).collect(),
            grants,
            business_units: scope.map(|s| s.into_iter().collect()),
            ..ModelMembership::default()
        };
        model.insert(company, m);
    }
    let token: Value = json!({"sub": "u1", "memberships": json_members});
    Drawn {
        claims: serde_json::from_value(token).expect("the drawn token parses"),
        entitlements,
        model: ModelSubject {
            user: "u1".into(),
            memberships: model,
        },
    }
}

/// Draws `requests` requests over `companies` (members or not), `keys` and `units` (or none),
/// and compares each decision of `s` with the model's; every decision allocates nothing.
#[allow(clippy::too_many_arguments)]
fn compare(
    d: &mut Draw,
    catalog: &Catalog,
    model_catalog: &ModelCatalog,
    drawn: &Drawn,
    s: &Subject,
    companies: &[String],
    units: &[String],
    keys: &[&str],
) -> Result<(), TestCaseError> {
    let members: Vec<String> = drawn.model.memberships.keys().cloned().collect();
    for _ in 0..400 {
        let company = if d.chance(80) {
            d.pick(&members)
        } else {
            d.pick(companies)
        };
        let key_name = keys[d.below(keys.len())];
        let key: Key = catalog.key(key_name).expect("a catalog key");
        let unit = (d.chance(95)).then(|| d.pick(units).as_str());
        let req = Req {
            company,
            business_unit: unit,
            workflow: None,
            owner: None,
            amount: None,
        };
        let scope = req.scope();
        let (allocated, decision) = allocations(|| decide(s, key, &scope));
        prop_assert_eq!(allocated, 0, "decide allocated");
        let want = model_decide(model_catalog, &drawn.model, key_name, &req);
        prop_assert_eq!(
            Expect::of(catalog, decision),
            want,
            "{} {:?}",
            key_name,
            req
        );
    }
    Ok(())
}

const KISUM_KEYS: &[&str] = &[
    "promoter.event.view",
    "promoter.event.edit",
    "finance.bill.view",
    "finance.bill.edit",
    "venue.venue.view",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Up to 64 memberships (indexed past 4), business-unit lists up to 256 long (indexed past 4),
    /// short, UUID and tag-twin ids, on the embedded catalog (a dense table).
    #[test]
    fn many_memberships_and_long_unit_lists_decide_as_the_model(seed: u64) {
        let mut d = Draw(seed);
        let (companies, units) = (ids("co", 90), ids("bu", 600));
        let catalog = Catalog::embedded();
        let model_catalog = ModelCatalog::parse(include_str!("../catalog.toml"));
        let memberships = 1 + d.below(64);
        let modules = ["promoter", "finance", "venue"];
        let drawn = subject(&mut d, &companies, &units, KISUM_KEYS, &modules, memberships);
        let s = Subject::from_claims(catalog, &drawn.claims, &drawn.entitlements)
            .expect("the drawn subject builds");
        compare(&mut d, catalog, &model_catalog, &drawn, &s, &companies, &units, KISUM_KEYS)?;
    }

    /// A catalog of 764 keys (sparse tables: one entry per held key), a role over a module's keys,
    /// an add-on module, and the same draws.
    #[test]
    fn sparse_tables_decide_as_the_model(seed: u64) {
        let mut d = Draw(seed);
        let (companies, units) = (ids("co", 12), ids("bu", 300));
        let (catalog, src) = big();
        let model_catalog = ModelCatalog::parse(&src);
        let names: Vec<String> = catalog.keys().map(|k| catalog.name(k).to_string()).collect();
        let keys: Vec<&str> = (0..40).map(|_| names[d.below(names.len())].as_str()).collect();
        let memberships = 1 + d.below(8);
        let modules = ["m0", "m1", "m9", "x"];
        let mut drawn = subject(&mut d, &companies, &units, &keys, &modules, memberships);
        for (i, m) in drawn.claims.memberships.iter_mut().enumerate() {
            if i % 2 == 0 {
                m.roles.push("m1.viewer".into());
                let model = drawn.model.memberships.get_mut(&m.company).expect("a member");
                model.roles.push("m1.viewer".into());
            }
        }
        let s = Subject::from_claims(catalog, &drawn.claims, &drawn.entitlements)
            .expect("the drawn subject builds");
        let mut asked = keys.clone();
        asked.extend(["m1.r3.view", "x.r1.view", "m9.r399.view"]);
        compare(&mut d, catalog, &model_catalog, &drawn, &s, &companies, &units, &asked)?;
    }
}

/// The large catalog: base modules `m0`..`m9` of 40 keys `mM.rR.view` (`m9` of 400), an add-on
/// `x` attached to `m0`, and a role granting all of `m1`.
fn big() -> (&'static Catalog, String) {
    static BIG: std::sync::OnceLock<(Catalog, String)> = std::sync::OnceLock::new();
    let (catalog, src) = BIG.get_or_init(|| {
        let mut src = String::from(
            "[catalog]\nname = \"big\"\ncommercial = true\ndelegation = \"policy\"\n\
             actions = [\"view\"]\n",
        );
        let module = |key: &str, kind: &str| {
            format!("[[module]]\nkey = \"{key}\"\nname = \"{key}\"\nkind = \"{kind}\"\nstatus = \"active\"\n")
        };
        for m in 0..10 {
            src += &module(&format!("m{m}"), "base");
            let n = if m == 9 { 400 } else { 40 };
            for r in 0..n {
                src += &format!("[[permission]]\nkey = \"m{m}.r{r}.view\"\ngates = \"r\"\n");
            }
        }
        src += &module("x", "addon");
        src += "attaches_to = [\"m0\"]\n";
        for r in 0..4 {
            src += &format!("[[permission]]\nkey = \"x.r{r}.view\"\ngates = \"r\"\n");
        }
        src += "[[role]]\nname = \"m1.viewer\"\ngrants = [\"m1.*.view\"]\n";
        let catalog = Catalog::from_toml_str(&src).expect("the big catalog loads");
        assert!(catalog.keys().count() > 256, "sparse tables are for catalogs over 256 keys");
        (catalog, src)
    });
    (catalog, src.clone())
}
