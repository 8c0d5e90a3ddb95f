//! The validator's walk over a parsed catalog: header, modules and keys (roles and legacy
//! aliases have files of their own).

use toml::Spanned;

use super::legacy::{check_legacy, check_legacy_modules};
use super::raw::{RawCatalog, RawModule, RawPermission};
use super::roles::check_roles;
use super::*;

/// Collects problems, placing each at the 1-based line and column of a byte offset.
pub(super) struct Checker<'s> {
    src: &'s str,
    /// Byte offsets where lines start.
    starts: Vec<usize>,
    pub(super) problems: Vec<Problem>,
}

impl<'s> Checker<'s> {
    pub(super) fn new(src: &'s str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Checker {
            src,
            starts,
            problems: Vec::new(),
        }
    }

    pub(super) fn report(&mut self, span: core::ops::Range<usize>, kind: ProblemKind) {
        let at = span.start.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= at);
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let column = self.src.get(start..at).map_or(1, |s| s.chars().count() + 1);
        self.problems.push(Problem { line, column, kind });
    }

    pub(super) fn check_count(&mut self, what: &'static str, count: usize, max: usize) -> bool {
        if count > max {
            self.problems.push(Problem {
                line: 1,
                column: 1,
                kind: ProblemKind::TooMany { what, count, max },
            });
            return false;
        }
        true
    }
}

pub(super) fn check_name(
    ck: &mut Checker,
    name: &Spanned<String>,
    fault: Result<(), NameFault>,
) -> bool {
    match fault {
        Ok(()) => true,
        Err(fault) => {
            ck.report(
                name.span(),
                ProblemKind::Malformed {
                    name: name.get_ref().clone(),
                    fault,
                },
            );
            false
        }
    }
}

pub(super) fn check(ck: &mut Checker, raw: RawCatalog) -> Spec {
    let header = raw.catalog;
    check_name(
        ck,
        &header.name,
        check_segment(header.name.get_ref().as_bytes()),
    );

    let mut actions: Vec<String> = Vec::new();
    for a in &header.actions {
        if !check_name(ck, a, check_segment(a.get_ref().as_bytes())) {
            continue;
        }
        if actions.contains(a.get_ref()) {
            ck.report(a.span(), ProblemKind::DuplicateAction(a.get_ref().clone()));
        } else {
            actions.push(a.get_ref().clone());
        }
    }

    let modules = check_modules(ck, &raw.module, header.commercial);
    let keys = check_keys(ck, &raw.permission, &modules, &actions);
    let roles = check_roles(ck, &raw.role, &keys);
    let legacy = check_legacy(ck, &raw.legacy, &keys);
    let legacy_modules = check_legacy_modules(ck, &raw.legacy_module, &modules);

    let version = header.version.and_then(|v| {
        let ok = !v.get_ref().is_empty()
            && v.get_ref().len() <= MAX_VERSION_LEN
            && v.get_ref()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._+-".contains(&b));
        if !ok {
            ck.report(v.span(), ProblemKind::BadVersion(v.get_ref().clone()));
        }
        ok.then(|| v.into_inner())
    });
    Spec {
        name: header.name.into_inner(),
        version,
        commercial: header.commercial,
        delegation: header.delegation,
        actions,
        modules,
        keys,
        roles,
        legacy,
        legacy_modules,
    }
}

fn check_modules(
    ck: &mut Checker,
    raw: &[Spanned<RawModule>],
    commercial: bool,
) -> Vec<ModuleSpec> {
    let mut modules: Vec<ModuleSpec> = Vec::new();
    if !ck.check_count("modules", raw.len(), MAX_MODULES) {
        return modules;
    }
    for m in raw {
        let m = m.get_ref();
        let key = m.key.get_ref();
        check_name(ck, &m.key, check_segment(key.as_bytes()));
        if modules.iter().any(|x| &x.key == key) {
            ck.report(m.key.span(), ProblemKind::DuplicateModule(key.clone()));
        }
        let allowed = match m.kind {
            ModuleKind::System => !commercial,
            _ => commercial,
        };
        if !allowed {
            ck.report(
                m.key.span(),
                ProblemKind::KindNotAllowed {
                    module: key.clone(),
                    kind: m.kind.as_str(),
                    commercial,
                },
            );
        }
        modules.push(ModuleSpec {
            key: key.clone(),
            name: m.name.clone(),
            kind: m.kind,
            status: m.status,
            service: m.service.clone(),
            attaches_to: 0,
        });
    }
    // Attachments are resolved once every module is known, so order in the file does not matter.
    for (i, m) in raw.iter().enumerate() {
        let m = m.get_ref();
        let key = m.key.get_ref();
        match (&m.attaches_to, m.kind) {
            (None, ModuleKind::Addon) => {
                ck.report(m.key.span(), ProblemKind::AddonWithoutBase(key.clone()));
            }
            (Some(targets), ModuleKind::Addon) => {
                if targets.is_empty() {
                    ck.report(m.key.span(), ProblemKind::AddonWithoutBase(key.clone()));
                }
                for t in targets {
                    match modules.iter().position(|x| &x.key == t.get_ref()) {
                        Some(j) if modules[j].kind == ModuleKind::Base => {
                            modules[i].attaches_to |= 1u64 << j;
                        }
                        _ => ck.report(
                            t.span(),
                            ProblemKind::AttachesToNonBase {
                                addon: key.clone(),
                                target: t.get_ref().clone(),
                            },
                        ),
                    }
                }
            }
            (Some(_), _) => ck.report(m.key.span(), ProblemKind::AttachesOnNonAddon(key.clone())),
            (None, _) => {}
        }
    }
    modules
}

fn check_keys(
    ck: &mut Checker,
    raw: &[Spanned<RawPermission>],
    modules: &[ModuleSpec],
    actions: &[String],
) -> Vec<KeySpec> {
    let mut keys: Vec<KeySpec> = Vec::new();
    if !ck.check_count("keys", raw.len(), MAX_KEYS) {
        return keys;
    }
    let mut seen = std::collections::HashSet::new();
    for p in raw {
        let p = p.get_ref();
        let name = p.key.get_ref();
        let span = p.key.span();
        if !check_name(ck, &p.key, check_key_name(name)) {
            continue;
        }
        if !seen.insert(name.as_str()) {
            ck.report(span.clone(), ProblemKind::DuplicateKey(name.clone()));
            continue;
        }
        let module_name = name.split('.').next().unwrap_or_default();
        let action = name.rsplit('.').next().unwrap_or_default();
        if !actions.iter().any(|a| a == action) {
            ck.report(
                span.clone(),
                ProblemKind::UnknownAction {
                    key: name.clone(),
                    action: action.to_string(),
                },
            );
        }
        let Some(module) = modules.iter().position(|m| m.key == module_name) else {
            ck.report(
                span,
                ProblemKind::UndeclaredModule {
                    key: name.clone(),
                    module: module_name.to_string(),
                },
            );
            continue;
        };
        if modules[module].status == ModuleStatus::Reserved {
            ck.report(
                span,
                ProblemKind::ReservedModule {
                    key: name.clone(),
                    module: module_name.to_string(),
                },
            );
        }
        keys.push(KeySpec {
            name: name.clone(),
            gates: p.gates.clone(),
            // `module < MAX_MODULES <= u8::MAX` was checked above.
            module: module as u8,
            approval: p.approval,
        });
    }
    keys
}
