//! Role templates: patterns over key names, expanded to key ids.

use toml::Spanned;

use super::check::Checker;
use super::raw::RawRole;
use super::*;

/// Longest role pattern, in bytes: the same as [`MAX_KEY_LEN`]. A pattern matches only keys at
/// least as long as itself (each `*` stands for at least one non-empty segment), so a longer one
/// could match no key; it is reported as [`ProblemKind::PatternTooLong`]. It bounds a pattern to
/// 24 segments, as [`MAX_KEY_LEN`] bounds a key.
pub const MAX_PATTERN_LEN: usize = MAX_KEY_LEN;

/// Does a role pattern match a key? `*` matches one or more whole segments.
///
/// Greedy, without backtracking: the pattern is literal runs of segments separated by groups of
/// `*`s. The leading run must match the key's start, the trailing run its end, and each run in
/// between is placed at its leftmost occurrence after the previous run plus one segment per `*`.
/// Leftmost is always the right choice: any later placement that lets the rest match leaves it
/// less room. Each run is looked for once, so a match costs at most (pattern segments) × (key
/// segments) segment comparisons, 24 × 24 within [`MAX_PATTERN_LEN`] and [`MAX_KEY_LEN`], and no
/// pattern can make it exponential.
pub fn pattern_matches(pattern: &str, key: &str) -> bool {
    if pattern.len() > key.len() {
        return false;
    }
    let p: Vec<&str> = pattern.split('.').collect();
    let k: Vec<&str> = key.split('.').collect();
    let literal_run = |from: usize| {
        let len = p[from..].iter().take_while(|s| **s != "*").count();
        &p[from..from + len]
    };
    // The leading run, anchored at the start.
    let lead = literal_run(0);
    if k.get(..lead.len()) != Some(lead) {
        return false;
    }
    let (mut i, mut j) = (lead.len(), lead.len());
    if i == p.len() {
        return j == k.len();
    }
    loop {
        let stars = p[i..].iter().take_while(|s| **s == "*").count();
        i += stars;
        j += stars;
        let run = literal_run(i);
        i += run.len();
        if i == p.len() {
            // The trailing run, anchored at the end, after at least `j` segments.
            return k.len() >= j + run.len() && k[k.len() - run.len()..] == *run;
        }
        // A run between `*`s: its leftmost occurrence at or after `j`.
        let last_start = match k.len().checked_sub(run.len()) {
            Some(last) => last,
            None => return false,
        };
        match (j..=last_start).find(|&s| k[s..s + run.len()] == *run) {
            Some(s) => j = s + run.len(),
            None => return false,
        }
    }
}

fn expand(
    ck: &mut Checker,
    role: &str,
    patterns: &[Spanned<String>],
    keys: &[KeySpec],
) -> Vec<u16> {
    let mut out = Vec::new();
    for p in patterns {
        if p.get_ref().len() > MAX_PATTERN_LEN {
            ck.report(
                p.span(),
                ProblemKind::PatternTooLong {
                    role: role.to_string(),
                    pattern: p.get_ref().chars().take(80).collect(),
                    len: p.get_ref().len(),
                },
            );
            continue;
        }
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

#[cfg(test)]
mod tests {
    use super::pattern_matches;

    /// The definition, by backtracking: exponential in the number of `*`s, fine for short cases.
    fn naive(pattern: &str, key: &str) -> bool {
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

    /// Every sequence of up to 5 segments over `a`, `b` (keys) and `a`, `b`, `*` (patterns).
    fn words(alphabet: &[&'static str], max: usize) -> Vec<String> {
        let mut out: Vec<Vec<&str>> = vec![vec![]];
        let mut all = Vec::new();
        for _ in 0..max {
            out = out
                .iter()
                .flat_map(|w| {
                    alphabet.iter().map(move |s| {
                        let mut w = w.clone();
                        w.push(*s);
                        w
                    })
                })
                .collect();
            all.extend(out.iter().map(|w| w.join(".")));
        }
        all
    }

    #[test]
    fn greedy_matching_agrees_with_backtracking_on_every_small_case() {
        let patterns = words(&["a", "b", "*"], 5);
        let keys = words(&["a", "b"], 6);
        let mut matched = 0;
        for p in &patterns {
            for k in &keys {
                let want = naive(p, k);
                assert_eq!(pattern_matches(p, k), want, "{p} on {k}");
                matched += usize::from(want);
            }
        }
        assert_eq!(patterns.len(), 3 + 9 + 27 + 81 + 243);
        assert!(
            matched > 5_000,
            "only {matched} pairs match: the comparison would be vacuous"
        );
    }

    #[test]
    fn catalog_patterns() {
        assert!(pattern_matches("ticketing.*", "ticketing.event.view"));
        assert!(pattern_matches(
            "promoter.*.view",
            "promoter.event.sales.view"
        ));
        assert!(!pattern_matches("promoter.*.view", "promoter.view"));
        assert!(pattern_matches("*", "artist.view"));
        assert!(!pattern_matches(
            "a.*.*.*.*.*.*.*.*.*.*.*.zz",
            "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.zy"
        ));
    }
}
