//! Role templates: patterns over key names, expanded to key ids.

use toml::Spanned;

use super::check::Checker;
use super::raw::RawRole;
use super::*;

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

pub(super) fn check_roles(
    ck: &mut Checker,
    raw: &[Spanned<RawRole>],
    keys: &[KeySpec],
) -> Vec<RoleSpec> {
    if !ck.check_count("roles", raw.len(), MAX_ROLES) {
        return Vec::new();
    }
    // First each role's own patterns, then includes resolved in dependency order.
    let mut own: Vec<Expanded> = Vec::new();
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
    let mut resolved = resolve_includes(raw, &names, &own);
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

/// A role's own patterns expanded: grants, own-only grants, exceptions.
type Expanded = (Vec<u16>, Vec<u16>, Vec<u16>);

/// Resolves includes in dependency order: each role's keys are its own plus those of the roles it
/// includes, less its exceptions; an unrestricted grant supersedes an own-only one. A role left
/// `None` includes an unknown role or sits in a cycle (the caller reports which).
fn resolve_includes(
    raw: &[Spanned<RawRole>],
    names: &[&str],
    own: &[Expanded],
) -> Vec<Option<(Vec<u16>, Vec<u16>)>> {
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
    resolved
}
