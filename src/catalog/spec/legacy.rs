//! Legacy aliases: each names its replacement or says why it was dropped.

use toml::Spanned;

use super::check::{Checker, check_name};
use super::raw::RawLegacy;
use super::*;

pub(super) fn check_legacy(
    ck: &mut Checker,
    raw: &[Spanned<RawLegacy>],
    keys: &[KeySpec],
) -> Vec<LegacySpec> {
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
