//! The catalog file format and its validator.
//!
//! This file is compiled twice: into `build.rs` (through `#[path]`), which turns the embedded
//! `catalog.toml` into generated tables, and into the library, where
//! [`Catalog::from_toml_str`](crate::Catalog::from_toml_str) runs the very same rules at run time.
//! It therefore depends on nothing of the crate: it reads TOML and returns either a validated
//! [`Spec`] or every [`Problem`] it found, each with its line.

use serde::Deserialize;
use toml::Spanned;

/// Most modules a catalog may declare (a module set is one `u64` bitset).
pub const MAX_MODULES: usize = 64;
/// Most permission keys a catalog may declare (key ids are `u16`; bitsets stay small).
pub const MAX_KEYS: usize = 4096;
/// Most role templates a catalog may declare.
pub const MAX_ROLES: usize = 1024;
/// Most legacy aliases a catalog may declare.
pub const MAX_LEGACY: usize = 1024;
/// Longest permission key name, in bytes. Longer input is malformed without being scanned.
pub const MAX_KEY_LEN: usize = 48;
/// Fewest segments in a key (`artist.view`).
pub const MIN_SEGMENTS: usize = 2;

/// Why a name is not a well-formed permission key.
///
/// Key names are two or more dot-separated segments, each `[a-z][a-z0-9_-]*`, at most
/// [`MAX_KEY_LEN`] bytes in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NameFault {
    /// The name is empty.
    Empty,
    /// The name is longer than [`MAX_KEY_LEN`] bytes.
    TooLong,
    /// The name has fewer than two segments.
    TooFewSegments,
    /// A segment is empty (`a..b`, a leading or a trailing dot).
    EmptySegment,
    /// A segment does not start with a lowercase ASCII letter.
    BadSegmentStart,
    /// A byte outside `[a-z0-9_-]` (this includes uppercase and any non-ASCII character).
    BadByte,
}

impl NameFault {
    /// A short human description, used in error messages.
    pub const fn describe(self) -> &'static str {
        match self {
            NameFault::Empty => "the name is empty",
            NameFault::TooLong => "the name is longer than 48 bytes",
            NameFault::TooFewSegments => "a key needs at least two dot-separated segments",
            NameFault::EmptySegment => "a segment is empty",
            NameFault::BadSegmentStart => "a segment must start with a lowercase letter a-z",
            NameFault::BadByte => "only a-z, 0-9, '_' and '-' may appear in a segment",
        }
    }
}

impl core::fmt::Display for NameFault {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.describe())
    }
}

/// Checks one segment: `[a-z][a-z0-9_-]*`.
pub const fn check_segment(seg: &[u8]) -> Result<(), NameFault> {
    if seg.is_empty() {
        return Err(NameFault::EmptySegment);
    }
    if !seg[0].is_ascii_lowercase() {
        return Err(NameFault::BadSegmentStart);
    }
    let mut i = 1;
    while i < seg.len() {
        let b = seg[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') {
            return Err(NameFault::BadByte);
        }
        i += 1;
    }
    Ok(())
}

/// Checks a whole key name: at least two segments, each well formed, at most [`MAX_KEY_LEN`] bytes.
pub fn check_key_name(name: &str) -> Result<(), NameFault> {
    if name.is_empty() {
        return Err(NameFault::Empty);
    }
    if name.len() > MAX_KEY_LEN {
        return Err(NameFault::TooLong);
    }
    let mut segments = 0;
    for seg in name.as_bytes().split(|&b| b == b'.') {
        check_segment(seg)?;
        segments += 1;
    }
    if segments < MIN_SEGMENTS {
        return Err(NameFault::TooFewSegments);
    }
    Ok(())
}

/// What a module is commercially (seed 000 §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleKind {
    /// A primary persona surface a company buys (`promoter`, `venue`, `artist`, `vendor`).
    Base,
    /// An optional capability layered onto a base module (`finance`, `ai`, ...).
    Addon,
    /// A standalone platform listed for cross-reference (`ticketing`): layers 1–2 are not Kisum's.
    External,
    /// A module of a catalog without a commercial model (B.A.M's systems): layers 1–2 do not apply.
    System,
}

impl ModuleKind {
    /// The word used for this kind in catalog files.
    pub const fn as_str(self) -> &'static str {
        match self {
            ModuleKind::Base => "base",
            ModuleKind::Addon => "addon",
            ModuleKind::External => "external",
            ModuleKind::System => "system",
        }
    }
}

/// Whether a module is live or only reserved for later keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleStatus {
    /// Keys may be declared and granted.
    Active,
    /// Declared for the commercial model; a key in it is a catalog error.
    Reserved,
}

/// Key flag: the key is an approval (needs an approval limit and an amount).
pub const FLAG_APPROVAL: u8 = 1;
/// Key flag: layers 1–2 do not apply (external module, or a catalog without a commercial model).
pub const FLAG_NO_COMMERCIAL: u8 = 2;
/// Key flags: the module's kind, in bits 2–3.
const KIND_SHIFT: u8 = 2;

/// The module kind stored in a key's flags.
pub const fn flag_kind(flags: u8) -> ModuleKind {
    match (flags >> KIND_SHIFT) & 3 {
        0 => ModuleKind::Base,
        1 => ModuleKind::Addon,
        2 => ModuleKind::External,
        _ => ModuleKind::System,
    }
}

impl Spec {
    /// The flags a key handle carries: approval, whether layers 1–2 apply, the module's kind.
    pub fn key_flags(&self, key: &KeySpec) -> u8 {
        let kind = self.modules[key.module as usize].kind;
        let mut flags = (kind as u8) << KIND_SHIFT;
        if key.approval {
            flags |= FLAG_APPROVAL;
        }
        if !self.commercial || kind == ModuleKind::External {
            flags |= FLAG_NO_COMMERCIAL;
        }
        flags
    }
}

/// Where a membership's delegation rights come from (layer 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegationRule {
    /// From the membership's explicit delegation policy in the claims (Kisum).
    Policy,
    /// From held `<system>[.<resource>].change_permissions` keys (B.A.M).
    ChangePermissions,
}

/// A catalog problem, with the 1-based line it was found on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the catalog source.
    pub line: usize,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl core::fmt::Display for Problem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

/// What is wrong with a catalog. Each variant names the offending value.
///
/// This enum is `#[non_exhaustive]`: new checks may be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The file is not valid TOML, or does not have the catalog's shape.
    #[error("TOML: {0}")]
    Syntax(String),
    /// A module is declared twice.
    #[error("duplicate module `{0}`")]
    DuplicateModule(String),
    /// A key is declared twice.
    #[error("duplicate key `{0}`")]
    DuplicateKey(String),
    /// A role is declared twice.
    #[error("duplicate role `{0}`")]
    DuplicateRole(String),
    /// A legacy alias is declared twice.
    #[error("duplicate legacy key `{0}`")]
    DuplicateLegacy(String),
    /// An action word is listed twice.
    #[error("duplicate action `{0}`")]
    DuplicateAction(String),
    /// A name (key, module, action, catalog, legacy key) is not well formed.
    #[error("malformed name `{name}`: {fault}")]
    Malformed {
        /// The offending name.
        name: String,
        /// Why.
        fault: NameFault,
    },
    /// A key's first segment is not a declared module.
    #[error("key `{key}` is in undeclared module `{module}`")]
    UndeclaredModule {
        /// The key.
        key: String,
        /// Its first segment.
        module: String,
    },
    /// A key belongs to a module still marked `reserved`.
    #[error(
        "key `{key}` is in reserved module `{module}`: mark the module active before adding keys"
    )]
    ReservedModule {
        /// The key.
        key: String,
        /// The reserved module.
        module: String,
    },
    /// A key's last segment is not in `[catalog].actions`.
    #[error("key `{key}` uses action `{action}`, which is not listed in [catalog].actions")]
    UnknownAction {
        /// The key.
        key: String,
        /// Its last segment.
        action: String,
    },
    /// A legacy alias names a replacement that is not a key of the catalog.
    #[error("legacy key `{legacy}` points to unknown key `{target}`")]
    UnknownReplacement {
        /// The legacy key.
        legacy: String,
        /// The missing replacement.
        target: String,
    },
    /// A legacy alias must have exactly one of `replacement` and `dropped`.
    #[error("legacy key `{0}` needs exactly one of `replacement` or `dropped`")]
    LegacyTarget(String),
    /// A legacy alias has the name of a live key.
    #[error("legacy key `{0}` is also a live key of the catalog")]
    LegacyShadowsKey(String),
    /// A role pattern (in `grants`, `own_only` or `except`) matches no key.
    #[error("role `{role}`: pattern `{pattern}` matches no key")]
    PatternMatchesNothing {
        /// The role.
        role: String,
        /// The pattern.
        pattern: String,
    },
    /// A role includes a role that is not declared.
    #[error("role `{role}` includes unknown role `{include}`")]
    UnknownInclude {
        /// The role.
        role: String,
        /// The missing role.
        include: String,
    },
    /// Role includes form a cycle.
    #[error("role `{0}` includes itself (directly or through other roles)")]
    RoleCycle(String),
    /// A role name is empty or too long.
    #[error("role name `{0}` must be 1 to 64 bytes")]
    BadRoleName(String),
    /// An add-on's `attaches_to` names a module that is not a base module.
    #[error("add-on `{addon}` attaches to `{target}`, which is not a declared base module")]
    AttachesToNonBase {
        /// The add-on.
        addon: String,
        /// The bad target.
        target: String,
    },
    /// An add-on attaches to nothing, so no company could ever use it.
    #[error("add-on `{0}` has an empty `attaches_to`")]
    AddonWithoutBase(String),
    /// `attaches_to` on a module that is not an add-on.
    #[error("module `{0}` is not an add-on but declares `attaches_to`")]
    AttachesOnNonAddon(String),
    /// The module's kind does not fit the catalog's `commercial` setting.
    #[error(
        "module `{module}` has kind `{kind}`, which a catalog with commercial = {commercial} cannot declare"
    )]
    KindNotAllowed {
        /// The module.
        module: String,
        /// Its kind.
        kind: &'static str,
        /// The catalog's setting.
        commercial: bool,
    },
    /// More entries than the engine supports.
    #[error("too many {what}: {count} (at most {max})")]
    TooMany {
        /// What overflowed (`modules`, `keys`, ...).
        what: &'static str,
        /// How many were declared.
        count: usize,
        /// The limit.
        max: usize,
    },
}

/// A validated module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSpec {
    /// Module key (`finance`).
    pub key: String,
    /// Display name (`Finance`).
    pub name: String,
    /// Commercial kind.
    pub kind: ModuleKind,
    /// Active or reserved.
    pub status: ModuleStatus,
    /// Owning service, where the source names one.
    pub service: Option<String>,
    /// For add-ons: bitset of the base modules (by id) it attaches to.
    pub attaches_to: u64,
}

/// A validated permission key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySpec {
    /// Full name (`finance.bill.approve`).
    pub name: String,
    /// What it gates.
    pub gates: String,
    /// Module id (index into [`Spec::modules`]).
    pub module: u8,
    /// Needs a membership approval limit and an amount.
    pub approval: bool,
}

/// A role template, expanded to key ids (sorted, unique).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSpec {
    /// Role name.
    pub name: String,
    /// Keys granted without restriction.
    pub grants: Vec<u16>,
    /// Keys granted on the holder's own resources only (and not also in `grants`).
    pub own_only: Vec<u16>,
}

/// A legacy alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacySpec {
    /// The legacy name (`basic.events.read`).
    pub name: String,
    /// The replacement key id, if any.
    pub replacement: Option<u16>,
    /// Why it was dropped, when there is no replacement.
    pub dropped: Option<String>,
}

/// A validated catalog: ids are indices into these vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Catalog name.
    pub name: String,
    /// Whether layers 1–2 apply.
    pub commercial: bool,
    /// Where delegation rights come from.
    pub delegation: DelegationRule,
    /// Allowed action words.
    pub actions: Vec<String>,
    /// Modules in file order.
    pub modules: Vec<ModuleSpec>,
    /// Keys in file order.
    pub keys: Vec<KeySpec>,
    /// Roles in file order.
    pub roles: Vec<RoleSpec>,
    /// Legacy aliases in file order.
    pub legacy: Vec<LegacySpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    catalog: RawHeader,
    #[serde(default)]
    module: Vec<Spanned<RawModule>>,
    #[serde(default)]
    permission: Vec<Spanned<RawPermission>>,
    #[serde(default)]
    role: Vec<Spanned<RawRole>>,
    #[serde(default)]
    legacy: Vec<Spanned<RawLegacy>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: Spanned<String>,
    commercial: bool,
    delegation: DelegationRule,
    actions: Vec<Spanned<String>>,
    /// Changes from the previous catalog marked as intended. Read by `kisum-access diff` only.
    #[serde(default)]
    #[allow(dead_code)]
    intended: Option<RawIntended>,
}

/// `[catalog.intended]`: keys removed without an alias, and roles that gain keys, on purpose.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RawIntended {
    #[serde(default)]
    removed: Vec<String>,
    #[serde(default)]
    widened: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModule {
    key: Spanned<String>,
    name: String,
    kind: ModuleKind,
    status: ModuleStatus,
    service: Option<String>,
    attaches_to: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPermission {
    key: Spanned<String>,
    gates: String,
    #[serde(default)]
    approval: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    name: Spanned<String>,
    #[serde(default)]
    grants: Vec<Spanned<String>>,
    #[serde(default)]
    own_only: Vec<Spanned<String>>,
    #[serde(default)]
    except: Vec<Spanned<String>>,
    #[serde(default)]
    includes: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLegacy {
    key: Spanned<String>,
    replacement: Option<Spanned<String>>,
    dropped: Option<String>,
}

/// Maps byte offsets to 1-based line numbers.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

struct Checker {
    lines: Lines,
    problems: Vec<Problem>,
}

impl Checker {
    fn report(&mut self, span: core::ops::Range<usize>, kind: ProblemKind) {
        let line = self.lines.line(span.start);
        self.problems.push(Problem { line, kind });
    }
    fn check_count(&mut self, what: &'static str, count: usize, max: usize) -> bool {
        if count > max {
            self.problems.push(Problem {
                line: 1,
                kind: ProblemKind::TooMany { what, count, max },
            });
            return false;
        }
        true
    }
}

/// Does a role pattern match a key? `*` matches one or more whole segments.
pub fn pattern_matches(pattern: &str, key: &str) -> bool {
    fn go(p: &[&str], k: &[&str]) -> bool {
        match p.split_first() {
            None => k.is_empty(),
            Some((&"*", rest)) => (1..=k.len()).any(|n| go(rest, &k[n..])),
            Some((seg, rest)) => k.first() == Some(seg) && go(rest, &k[1..]),
        }
    }
    let p: Vec<&str> = pattern.split('.').collect();
    let k: Vec<&str> = key.split('.').collect();
    go(&p, &k)
}

/// Parses and validates a catalog. Returns every problem found, in source order, or the spec.
///
/// # Errors
///
/// A TOML or shape error stops parsing and is returned alone (with its line); otherwise every
/// semantic problem (duplicates, undeclared or reserved modules, malformed names, unknown actions,
/// dangling aliases, dead role patterns, bad add-on attachments, limits) is returned together.
pub fn parse(src: &str) -> Result<Spec, Vec<Problem>> {
    let mut ck = Checker {
        lines: Lines::new(src),
        problems: Vec::new(),
    };
    let raw: RawCatalog = match toml::from_str(src) {
        Ok(raw) => raw,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            ck.report(span, ProblemKind::Syntax(e.message().to_string()));
            return Err(ck.problems);
        }
    };
    let spec = check(&mut ck, raw);
    if ck.problems.is_empty() {
        Ok(spec)
    } else {
        ck.problems.sort_by_key(|p| p.line);
        Err(ck.problems)
    }
}

fn check_name(ck: &mut Checker, name: &Spanned<String>, fault: Result<(), NameFault>) -> bool {
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

fn check(ck: &mut Checker, raw: RawCatalog) -> Spec {
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

    Spec {
        name: header.name.into_inner(),
        commercial: header.commercial,
        delegation: header.delegation,
        actions,
        modules,
        keys,
        roles,
        legacy,
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

fn expand(
    ck: &mut Checker,
    role: &str,
    patterns: &[Spanned<String>],
    keys: &[KeySpec],
) -> Vec<u16> {
    let mut out = Vec::new();
    for p in patterns {
        let before = out.len();
        out.extend(
            keys.iter()
                .enumerate()
                .filter(|(_, k)| pattern_matches(p.get_ref(), &k.name))
                .map(|(i, _)| i as u16),
        );
        if out.len() == before {
            ck.report(
                p.span(),
                ProblemKind::PatternMatchesNothing {
                    role: role.to_string(),
                    pattern: p.get_ref().clone(),
                },
            );
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn check_roles(ck: &mut Checker, raw: &[Spanned<RawRole>], keys: &[KeySpec]) -> Vec<RoleSpec> {
    if !ck.check_count("roles", raw.len(), MAX_ROLES) {
        return Vec::new();
    }
    // First each role's own patterns, then includes resolved in dependency order.
    let mut own: Vec<(Vec<u16>, Vec<u16>, Vec<u16>)> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for r in raw {
        let r = r.get_ref();
        let name = r.name.get_ref();
        if name.is_empty() || name.len() > MAX_KEY_LEN {
            ck.report(r.name.span(), ProblemKind::BadRoleName(name.clone()));
        }
        if names.contains(&name.as_str()) {
            ck.report(r.name.span(), ProblemKind::DuplicateRole(name.clone()));
        }
        names.push(name);
        own.push((
            expand(ck, name, &r.grants, keys),
            expand(ck, name, &r.own_only, keys),
            expand(ck, name, &r.except, keys),
        ));
    }
    let mut resolved: Vec<Option<(Vec<u16>, Vec<u16>)>> = vec![None; raw.len()];
    let mut progress = true;
    while progress {
        progress = false;
        for (i, r) in raw.iter().enumerate() {
            if resolved[i].is_some() {
                continue;
            }
            let r = r.get_ref();
            let mut grants = own[i].0.clone();
            let mut own_only = own[i].1.clone();
            let mut ready = true;
            for inc in &r.includes {
                // An unknown include is reported below.
                if let Some(j) = names.iter().position(|n| *n == inc.get_ref()) {
                    match &resolved[j] {
                        Some((g, o)) => {
                            grants.extend_from_slice(g);
                            own_only.extend_from_slice(o);
                        }
                        None => ready = false,
                    }
                }
            }
            if !ready {
                continue;
            }
            let except = &own[i].2;
            grants.retain(|k| !except.contains(k));
            own_only.retain(|k| !except.contains(k));
            grants.sort_unstable();
            grants.dedup();
            // An unrestricted grant supersedes an own-only one.
            own_only.retain(|k| grants.binary_search(k).is_err());
            own_only.sort_unstable();
            own_only.dedup();
            resolved[i] = Some((grants, own_only));
            progress = true;
        }
    }
    let mut roles = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let r = r.get_ref();
        for inc in &r.includes {
            if !names.contains(&inc.get_ref().as_str()) {
                ck.report(
                    inc.span(),
                    ProblemKind::UnknownInclude {
                        role: r.name.get_ref().clone(),
                        include: inc.get_ref().clone(),
                    },
                );
            }
        }
        match resolved[i].take() {
            Some((grants, own_only)) => roles.push(RoleSpec {
                name: r.name.get_ref().clone(),
                grants,
                own_only,
            }),
            None => {
                let unknown = r
                    .includes
                    .iter()
                    .any(|inc| !names.contains(&inc.get_ref().as_str()));
                if !unknown {
                    ck.report(
                        r.name.span(),
                        ProblemKind::RoleCycle(r.name.get_ref().clone()),
                    );
                }
            }
        }
    }
    roles
}

fn check_legacy(ck: &mut Checker, raw: &[Spanned<RawLegacy>], keys: &[KeySpec]) -> Vec<LegacySpec> {
    let mut legacy: Vec<LegacySpec> = Vec::new();
    if !ck.check_count("legacy aliases", raw.len(), MAX_LEGACY) {
        return legacy;
    }
    for l in raw {
        let l = l.get_ref();
        let name = l.key.get_ref();
        let span = l.key.span();
        if !check_name(ck, &l.key, check_key_name(name)) {
            continue;
        }
        if keys.iter().any(|k| &k.name == name) {
            ck.report(span, ProblemKind::LegacyShadowsKey(name.clone()));
            continue;
        }
        if legacy.iter().any(|x| &x.name == name) {
            ck.report(span, ProblemKind::DuplicateLegacy(name.clone()));
            continue;
        }
        let replacement = match (&l.replacement, &l.dropped) {
            (Some(target), None) => match keys.iter().position(|k| &k.name == target.get_ref()) {
                Some(id) => Some(id as u16),
                None => {
                    ck.report(
                        target.span(),
                        ProblemKind::UnknownReplacement {
                            legacy: name.clone(),
                            target: target.get_ref().clone(),
                        },
                    );
                    continue;
                }
            },
            (None, Some(_)) => None,
            _ => {
                ck.report(span, ProblemKind::LegacyTarget(name.clone()));
                continue;
            }
        };
        legacy.push(LegacySpec {
            name: name.clone(),
            replacement,
            dropped: l.dropped.clone(),
        });
    }
    legacy
}
