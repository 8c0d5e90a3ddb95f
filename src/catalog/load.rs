//! Loading a catalog at run time: the validator `build.rs` runs, then the same tables.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU32, Ordering};

use super::Catalog;
use super::spec::{self, Problem};
use super::tables::{
    KeyInfo, LegacyInfo, LegacyModuleInfo, ModuleInfo, NameTable, RoleInfo, Tables,
};
use super::{names, phf};

/// A catalog that failed validation: every problem found, each with its line.
///
/// Returned by [`Catalog::from_toml_str`]; the build script prints the same list when
/// `catalog.toml` is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid catalog ({} problem{}):{}", .problems.len(), if .problems.len() == 1 { "" } else { "s" }, list(.problems))]
pub struct CatalogError {
    problems: Vec<Problem>,
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("\n  {p}")).collect()
}

impl CatalogError {
    /// Every problem, in line order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

/// Catalog ids: 0 is the embedded catalog, run-time catalogs count up from 1.
static NEXT_ID: AtomicU32 = AtomicU32::new(1);

impl Catalog {
    /// Loads and validates a catalog at run time, with the rules `build.rs` applies to
    /// `catalog.toml` (see that file's header for the format).
    ///
    /// Each call gets a fresh identity: keys of one loaded catalog are foreign to another, even
    /// when loaded from the same text.
    ///
    /// # Errors
    ///
    /// A [`CatalogError`] listing every problem with its line: TOML syntax, duplicates, keys in an
    /// undeclared or reserved module, malformed names, action words not in the catalog's list,
    /// legacy aliases to unknown keys, role patterns that match nothing, add-ons attached to
    /// non-base modules, more entries than the engine supports.
    ///
    /// # Example
    ///
    /// ```
    /// use kisum_access::Catalog;
    ///
    /// let bam = Catalog::from_toml_str(include_str!("../../catalogs/bam.toml"))?;
    /// assert_eq!(bam.len(), 50);
    /// assert!(bam.key("event.event.view").is_ok());
    ///
    /// let broken = Catalog::from_toml_str(r#"
    /// [catalog]
    /// name = "demo"
    /// commercial = false
    /// delegation = "policy"
    /// actions = ["view"]
    ///
    /// [[permission]]
    /// key = "shop.item.view"
    /// gates = "View items"
    /// "#);
    /// let err = broken.unwrap_err();
    /// assert_eq!(err.problems()[0].line, 9);
    /// assert!(err.to_string().contains("undeclared module `shop`"));
    /// # Ok::<(), kisum_access::CatalogError>(())
    /// ```
    pub fn from_toml_str(src: &str) -> Result<Catalog, CatalogError> {
        let spec = spec::parse(src).map_err(|problems| CatalogError { problems })?;
        let names: Vec<&str> = spec.keys.iter().map(|k| k.name.as_str()).collect();
        let table = phf::build(&names).ok_or_else(|| CatalogError {
            problems: vec![Problem {
                line: 1,
                column: 1,
                kind: spec::ProblemKind::Syntax("no perfect hash found for the key names".into()),
            }],
        })?;
        let tables = tables_of(&spec, &names, table);
        Ok(Catalog::from_shared(
            NEXT_ID.fetch_add(1, Ordering::Relaxed),
            tables,
        ))
    }
}

/// The tables of a validated catalog, its key `names` in id order, with its perfect hash.
fn tables_of(spec: &spec::Spec, names: &[&str], table: phf::Table) -> Tables {
    let reader = names::build(names, |id| spec.resolvable(id));
    let bits =
        |ids: &[u16]| -> Cow<'static, [u64]> { Cow::Owned(spec.key_words(ids.iter().copied())) };
    Tables {
        name: Cow::Owned(spec.name.clone()),
        version: spec.version.clone().map(Cow::Owned),
        fingerprint: spec.fingerprint(),
        commercial: spec.commercial,
        delegation: spec.delegation,
        actions: spec.actions.iter().map(|a| Cow::Owned(a.clone())).collect(),
        modules: spec
            .modules
            .iter()
            .map(|m| ModuleInfo {
                key: Cow::Owned(m.key.clone()),
                name: Cow::Owned(m.name.clone()),
                kind: m.kind,
                status: m.status,
                service: m.service.clone().map(Cow::Owned),
                attaches_to: m.attaches_to,
            })
            .collect(),
        keys: spec
            .keys
            .iter()
            .map(|k| KeyInfo {
                name: Cow::Owned(k.name.clone()),
                gates: Cow::Owned(k.gates.clone()),
                module: k.module,
                flags: spec.key_flags(k),
            })
            .collect(),
        module_runs: Cow::Owned(spec.module_runs()),
        approval: Cow::Owned(spec.approval_words()),
        phf_seed: table.seed,
        phf_full: table.full,
        phf_disps: Cow::Owned(table.disps),
        phf_slots: Cow::Owned(table.slots),
        names: reader.map(|t| NameTable {
            seed: t.seed,
            bits: t.bits,
            slots: Cow::Owned(t.slots),
            rows: Cow::Owned(
                (spec.keys.iter().enumerate())
                    .map(|(id, k)| names::row(&k.name, spec.resolvable(id)))
                    .collect(),
            ),
        }),
        roles: spec
            .roles
            .iter()
            .map(|r| RoleInfo {
                name: Cow::Owned(r.name.clone()),
                grants: bits(&r.grants),
                own_only: bits(&r.own_only),
            })
            .collect(),
        legacy: spec
            .legacy
            .iter()
            .map(|l| LegacyInfo {
                name: Cow::Owned(l.name.clone()),
                replacement: l.replacement,
                dropped: l.dropped.clone().map(Cow::Owned),
            })
            .collect(),
        legacy_modules: spec
            .legacy_modules
            .iter()
            .map(|l| LegacyModuleInfo {
                name: Cow::Owned(l.name.clone()),
                replacement: l.replacement,
                dropped: l.dropped.clone().map(Cow::Owned),
            })
            .collect(),
    }
}
