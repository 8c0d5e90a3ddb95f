//! Reading a catalog file into its raw sections, reporting every problem TOML and the file's shape
//! give, each with its line: every syntax error, then every entry whose fields are wrong (an
//! unknown field, a missing one, a value of the wrong type), while the other entries are read on.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::ProblemKind;
use super::check::Checker;
use super::raw::RawCatalog;

/// The sections a catalog file may have.
const SECTIONS: [&str; 6] = [
    "catalog",
    "module",
    "permission",
    "role",
    "legacy",
    "legacy_module",
];

/// The raw catalog, or `None` when it cannot be checked further (syntax errors, or no usable
/// `[catalog]` header); every problem found is reported to `ck` either way.
pub(super) fn read(ck: &mut Checker, src: &str) -> Option<RawCatalog> {
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        for e in errors {
            syntax(ck, &e);
        }
        return None;
    }
    let doc_span = doc.span();
    let mut table = doc.into_inner();
    for (key, value) in table.iter() {
        if !SECTIONS.contains(&&**key.get_ref()) {
            let kind = ProblemKind::Syntax(format!(
                "unknown section `{}`, expected one of {}",
                key.get_ref(),
                SECTIONS.map(|s| format!("`{s}`")).join(", ")
            ));
            ck.report(value.span(), kind);
        }
    }
    let mut take = |name: &str| table.remove(name);
    let header = match take("catalog") {
        Some(h) => entry(ck, h),
        None => {
            let kind = ProblemKind::Syntax("missing section `[catalog]`".into());
            ck.report(doc_span.start..doc_span.start, kind);
            None
        }
    };
    let module = entries(ck, take("module"), "module");
    let permission = entries(ck, take("permission"), "permission");
    let role = entries(ck, take("role"), "role");
    let legacy = entries(ck, take("legacy"), "legacy");
    let legacy_module = entries(ck, take("legacy_module"), "legacy_module");
    Some(RawCatalog {
        catalog: header?.into_inner(),
        module,
        permission,
        role,
        legacy,
        legacy_module,
    })
}

fn syntax(ck: &mut Checker, e: &toml::de::Error) {
    let span = e.span().unwrap_or(0..0);
    ck.report(span, ProblemKind::Syntax(e.message().trim().to_string()));
}

/// One entry, or `None` (reported) if its fields are wrong.
fn entry<T: DeserializeOwned>(ck: &mut Checker, value: Spanned<DeValue<'_>>) -> Option<Spanned<T>> {
    match Spanned::<T>::deserialize(ValueDeserializer::from(value)) {
        Ok(v) => Some(v),
        Err(e) => {
            syntax(ck, &e);
            None
        }
    }
}

/// The entries of an array of tables (`[[module]]`), each read on its own.
fn entries<T: DeserializeOwned>(
    ck: &mut Checker,
    value: Option<Spanned<DeValue<'_>>>,
    section: &str,
) -> Vec<Spanned<T>> {
    let Some(value) = value else {
        return Vec::new();
    };
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => items.into_iter().filter_map(|v| entry(ck, v)).collect(),
        _ => {
            let kind = ProblemKind::Syntax(format!(
                "`{section}` must be an array of tables: write each entry as [[{section}]]"
            ));
            ck.report(span, kind);
            Vec::new()
        }
    }
}
