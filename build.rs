//! Compiles `catalog.toml` into `$OUT_DIR/catalog.rs`: the interned key table, its perfect hash,
//! the module table, role bitsets, the legacy table and one `keys::` constant per key.
//!
//! The parser and validator are `src/catalog/spec/`, the perfect hash `src/catalog/phf.rs`: the library compiles
//! the same files, so `Catalog::from_toml_str` applies exactly these rules at run time.

#[allow(dead_code)]
#[path = "src/catalog/spec/mod.rs"]
mod spec;

#[allow(dead_code)]
#[path = "src/catalog/phf.rs"]
mod phf;

#[allow(dead_code)]
#[path = "src/catalog/names.rs"]
mod names;

#[allow(dead_code)]
#[path = "src/bytes.rs"]
mod bytes;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

const CATALOG: &str = "catalog.toml";

fn main() -> ExitCode {
    for f in [
        CATALOG,
        "build.rs",
        "src/catalog/spec",
        "src/catalog/phf.rs",
        "src/catalog/names.rs",
        "src/bytes.rs",
    ] {
        println!("cargo:rerun-if-changed={f}");
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {CATALOG}:{p}");
            }
            eprintln!(
                "error: {CATALOG} has {} problem(s); the build stops here",
                problems.len()
            );
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Vec<String>> {
    let src = std::fs::read_to_string(CATALOG).map_err(|e| vec![format!("cannot read: {e}")])?;
    let spec = spec::parse(&src).map_err(|ps| {
        ps.iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.kind))
            .collect::<Vec<_>>()
    })?;

    // Constant and type names must be unique once dots and dashes become underscores.
    let mut consts: BTreeMap<String, &str> = BTreeMap::new();
    let mut clashes = Vec::new();
    for k in &spec.keys {
        for (c, what) in [
            (const_name(&k.name), "constant"),
            (type_name(&k.name), "type"),
        ] {
            if let Some(other) = consts.insert(c.clone(), &k.name) {
                clashes.push(format!(
                    "keys `{other}` and `{}` both become {what} `{c}`",
                    k.name
                ));
            }
        }
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }

    let table = phf::build(&names_of(&spec))
        .ok_or_else(|| vec!["no perfect hash found for the key names".to_string()])?;
    let code = generate(&spec, &table);

    let out = PathBuf::from(
        std::env::var_os("OUT_DIR").ok_or_else(|| vec!["OUT_DIR is not set".to_string()])?,
    )
    .join("catalog.rs");
    // Write only on change, so dependents are not rebuilt for nothing.
    if std::fs::read_to_string(&out).ok().as_deref() != Some(code.as_str()) {
        std::fs::write(&out, code)
            .map_err(|e| vec![format!("cannot write {}: {e}", out.display())])?;
    }
    Ok(())
}

/// The token reader's name table, if the catalog has one: its slots, and rows made by the const
/// `names::row`.
fn write_names(w: &mut String, spec: &spec::Spec) -> Option<names::Table> {
    let reader = names::build(&names_of(spec), |id| spec.resolvable(id))?;
    let slots = &reader.slots;
    let _ = writeln!(w, "static NAME_SLOTS: [u8; {}] = {slots:?};", slots.len());
    let rows = spec.keys.len();
    let _ = writeln!(w, "static NAME_ROWS: [[u8; names::ROW]; {rows}] = [");
    for (id, k) in spec.keys.iter().enumerate() {
        let _ = writeln!(w, "    names::row({:?}, {}),", k.name, spec.resolvable(id));
    }
    let _ = writeln!(w, "];\n");
    Some(reader)
}

fn names_of(spec: &spec::Spec) -> Vec<&str> {
    spec.keys.iter().map(|k| k.name.as_str()).collect()
}

fn const_name(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            '.' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// `finance.bill.view` -> `FinanceBillView`: each word between dots, dashes and underscores
/// capitalised.
fn type_name(key: &str) -> String {
    key.split(['.', '-', '_'])
        .flat_map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase())
                .into_iter()
                .chain(c)
        })
        .collect()
}

fn kind(k: spec::ModuleKind) -> &'static str {
    match k {
        spec::ModuleKind::Base => "ModuleKind::Base",
        spec::ModuleKind::Addon => "ModuleKind::Addon",
        spec::ModuleKind::External => "ModuleKind::External",
        spec::ModuleKind::System => "ModuleKind::System",
    }
}

/// A bitset of key ids (`Spec::key_words`) as a static slice's source.
fn words(words: &[u64]) -> String {
    let items: Vec<String> = words.iter().map(|x| format!("{x:#018x}")).collect();
    format!("&[{}]", items.join(", "))
}

fn generate(spec: &spec::Spec, table: &phf::Table) -> String {
    let mut s = String::new();
    let n = spec.keys.len();
    let w = &mut s;
    let _ = writeln!(
        w,
        "// @generated by build.rs from {CATALOG}. Do not edit: edit {CATALOG} and rebuild."
    );
    let _ = writeln!(
        w,
        "// {} modules, {n} keys, {} roles, {} legacy aliases.",
        spec.modules.len(),
        spec.roles.len(),
        spec.legacy.len()
    );
    let _ = writeln!(w);

    let _ = writeln!(
        w,
        "static MODULES: [ModuleInfo; {}] = [",
        spec.modules.len()
    );
    for m in &spec.modules {
        let status = match m.status {
            spec::ModuleStatus::Active => "ModuleStatus::Active",
            spec::ModuleStatus::Reserved => "ModuleStatus::Reserved",
        };
        let service = match &m.service {
            Some(s) => format!("Some(Cow::Borrowed({s:?}))"),
            None => "None".to_string(),
        };
        let _ = writeln!(
            w,
            "    ModuleInfo {{ key: Cow::Borrowed({:?}), name: Cow::Borrowed({:?}), kind: {}, status: {status}, service: {service}, attaches_to: {:#x} }},",
            m.key,
            m.name,
            kind(m.kind),
            m.attaches_to
        );
    }
    let _ = writeln!(w, "];\n");

    let _ = writeln!(w, "static KEYS: [KeyInfo; {n}] = [");
    for k in &spec.keys {
        let _ = writeln!(
            w,
            "    KeyInfo {{ name: Cow::Borrowed({:?}), gates: Cow::Borrowed({:?}), module: {}, flags: {} }},",
            k.name,
            k.gates,
            k.module,
            spec.key_flags(k)
        );
    }
    let _ = writeln!(w, "];\n");

    let _ = writeln!(
        w,
        "static ACTIONS: [Cow<'static, str>; {}] = [",
        spec.actions.len()
    );
    for a in &spec.actions {
        let _ = writeln!(w, "    Cow::Borrowed({a:?}),");
    }
    let _ = writeln!(w, "];\n");

    let _ = writeln!(w, "static ROLES: [RoleInfo; {}] = [", spec.roles.len());
    for r in &spec.roles {
        let _ = writeln!(
            w,
            "    RoleInfo {{ name: Cow::Borrowed({:?}), grants: Cow::Borrowed({}), own_only: Cow::Borrowed({}) }},",
            r.name,
            words(&spec.key_words(r.grants.iter().copied())),
            words(&spec.key_words(r.own_only.iter().copied()))
        );
    }
    let _ = writeln!(w, "];\n");

    write_legacy(w, spec);

    let _ = writeln!(
        w,
        "static PHF_DISPS: [(u32, u32); {}] = {:?};",
        table.disps.len(),
        table.disps
    );
    let _ = writeln!(
        w,
        "static PHF_SLOTS: [u16; {}] = {:?};\n",
        table.slots.len(),
        table.slots
    );

    let reader = write_names(w, spec);

    let _ = writeln!(w, "pub(crate) static TABLES: Tables = Tables {{");
    let _ = writeln!(w, "    name: Cow::Borrowed({:?}),", spec.name);
    let version = match &spec.version {
        Some(v) => format!("Some(Cow::Borrowed({v:?}))"),
        None => "None".to_string(),
    };
    let _ = writeln!(w, "    version: {version},");
    let _ = writeln!(w, "    fingerprint: {:#018x},", spec.fingerprint());
    let _ = writeln!(w, "    commercial: {},", spec.commercial);
    let delegation = match spec.delegation {
        spec::DelegationRule::Policy => "DelegationRule::Policy",
        spec::DelegationRule::ChangePermissions => "DelegationRule::ChangePermissions",
    };
    let _ = writeln!(w, "    delegation: {delegation},");
    let _ = writeln!(w, "    actions: Cow::Borrowed(&ACTIONS),");
    let _ = writeln!(w, "    modules: Cow::Borrowed(&MODULES),");
    let _ = writeln!(w, "    keys: Cow::Borrowed(&KEYS),");
    let (runs, approval) = (spec.module_runs(), words(&spec.approval_words()));
    let _ = writeln!(w, "    module_runs: Cow::Borrowed(&{runs:?}),");
    let _ = writeln!(w, "    approval: Cow::Borrowed({approval}),");
    let _ = writeln!(w, "    phf_seed: {:#018x},", table.seed);
    let _ = writeln!(w, "    phf_full: {},", table.full);
    let _ = writeln!(w, "    phf_disps: Cow::Borrowed(&PHF_DISPS),");
    let _ = writeln!(w, "    phf_slots: Cow::Borrowed(&PHF_SLOTS),");
    match reader {
        Some(t) => {
            let _ = writeln!(
                w,
                "    names: Some(NameTable {{ seed: {:#018x}, bits: {}, \
                 slots: Cow::Borrowed(&NAME_SLOTS), rows: Cow::Borrowed(&NAME_ROWS) }}),",
                t.seed, t.bits
            );
        }
        None => {
            let _ = writeln!(w, "    names: None,");
        }
    }
    let _ = writeln!(w, "    roles: Cow::Borrowed(&ROLES),");
    let _ = writeln!(w, "    legacy: Cow::Borrowed(&LEGACY),");
    let _ = writeln!(w, "    legacy_modules: Cow::Borrowed(&LEGACY_MODULES),");
    let _ = writeln!(w, "}};\n");

    let _ = writeln!(w, "/// Key names by id, for `const` lookups (`key!`).");
    let _ = writeln!(w, "pub(crate) const KEY_NAMES: [&str; {n}] = [");
    for k in &spec.keys {
        let _ = writeln!(w, "    {:?},", k.name);
    }
    let _ = writeln!(w, "];\n");
    let _ = writeln!(w, "/// Module keys by id.");
    let _ = writeln!(
        w,
        "pub(crate) const MODULE_NAMES: [&str; {}] = [",
        spec.modules.len()
    );
    for m in &spec.modules {
        let _ = writeln!(w, "    {:?},", m.key);
    }
    let _ = writeln!(w, "];\n");

    let _ = writeln!(
        w,
        "/// Every key handle by id, for `const` lookups (`key!`)."
    );
    let _ = writeln!(w, "pub(crate) const ALL_KEYS: [Key; {n}] = [");
    for k in &spec.keys {
        let _ = writeln!(w, "    keys::{},", const_name(&k.name));
    }
    let _ = writeln!(w, "];\n");

    let _ = writeln!(
        w,
        "/// One constant per key of the embedded Kisum catalog (`catalog.toml`), named after the key"
    );
    let _ = writeln!(
        w,
        "/// with dots and dashes as underscores. Each constant's documentation is what the key gates."
    );
    let _ = writeln!(w, "pub mod keys {{");
    let _ = writeln!(w, "    use crate::Key;");
    for (id, k) in spec.keys.iter().enumerate() {
        let m = &spec.modules[k.module as usize];
        let approval = if k.approval {
            " Approval key: also needs a membership `approval_limit` and a request amount at or under it."
        } else {
            ""
        };
        let _ = writeln!(w, "    #[doc = {:?}]", k.gates);
        let _ = writeln!(w, "    #[doc = \"\"]");
        let _ = writeln!(
            w,
            "    #[doc = {:?}]",
            format!(
                "Key `{}`, module `{}` ({}).{approval}",
                k.name,
                m.key,
                m.kind.as_str()
            )
        );
        let _ = writeln!(
            w,
            "    pub const {}: Key = Key::from_parts(0, {id}, {}, {});",
            const_name(&k.name),
            k.module,
            spec.key_flags(k)
        );
    }
    let _ = writeln!(w, "}}\n");
    key_types(w, spec);
    s
}

/// `Some(Cow::Borrowed("..."))` or `None`, as Rust source.
fn opt_str(s: &Option<String>) -> String {
    match s {
        Some(d) => format!("Some(Cow::Borrowed({d:?}))"),
        None => "None".to_string(),
    }
}

/// The legacy key and module alias tables.
fn write_legacy(w: &mut String, spec: &spec::Spec) {
    let _ = writeln!(w, "static LEGACY: [LegacyInfo; {}] = [", spec.legacy.len());
    for l in &spec.legacy {
        let replacement = match l.replacement {
            Some((id, class)) => format!("Some(({id}, AliasClass::{class:?}))"),
            None => "None".to_string(),
        };
        let _ = writeln!(
            w,
            "    LegacyInfo {{ name: Cow::Borrowed({:?}), replacement: {replacement}, dropped: {} }},",
            l.name,
            opt_str(&l.dropped)
        );
    }
    let _ = writeln!(w, "];\n");
    let n = spec.legacy_modules.len();
    let _ = writeln!(w, "static LEGACY_MODULES: [LegacyModuleInfo; {n}] = [");
    for l in &spec.legacy_modules {
        let _ = writeln!(
            w,
            "    LegacyModuleInfo {{ name: Cow::Borrowed({:?}), replacement: {:?}, dropped: {} }},",
            l.name,
            l.replacement,
            opt_str(&l.dropped)
        );
    }
    let _ = writeln!(w, "];\n");
}

/// One zero-sized type per key, so that a key can be a type parameter (`Authorized<FinanceBillView>`).
fn key_types(w: &mut String, spec: &spec::Spec) {
    let _ = writeln!(
        w,
        "/// One zero-sized type per key of the embedded Kisum catalog, named after the key in"
    );
    let _ = writeln!(
        w,
        "/// CamelCase (`finance.bill.view` is `FinanceBillView`); [`KeyType::KEY`](crate::KeyType::KEY) is the key."
    );
    let _ = writeln!(w, "pub mod key_types {{");
    for k in &spec.keys {
        let (t, c) = (type_name(&k.name), const_name(&k.name));
        let _ = writeln!(
            w,
            "    #[doc = {:?}]",
            format!(
                "Key `{}` as a type: [`keys::{c}`](crate::keys::{c}).",
                k.name
            )
        );
        let _ = writeln!(
            w,
            "    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]"
        );
        let _ = writeln!(w, "    pub struct {t};");
        let _ = writeln!(w, "    impl crate::KeyType for {t} {{");
        let _ = writeln!(w, "        const KEY: crate::Key = crate::keys::{c};");
        let _ = writeln!(w, "    }}");
    }
    let _ = writeln!(w, "}}");
}
