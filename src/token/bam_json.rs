//! How a B.A.M token reads from JSON: `permissions` as a map of organizations or the bracketed
//! list of single-entry maps, each organization's levels likewise. An organization or level named
//! twice is an error naming it (never "the last one wins"), and a wrong shape names the field.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::registered::{self, Field};
use super::{BamLevels, BamToken, MAX_MEMBERSHIPS, bounded};

impl<'de> Deserialize<'de> for BamToken {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BamToken;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a B.A.M token {\"sub\": ..., \"permissions\": {...}}")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<BamToken, A::Error> {
                let (sub, permissions, registered) =
                    registered::payload::<A, Orgs>(map, Field::Permissions, "permissions")?;
                Ok(BamToken {
                    sub,
                    permissions: permissions.0,
                    registered,
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// `permissions`: organizations, each once.
struct Orgs(BTreeMap<String, BamLevels>);

impl Orgs {
    fn insert<E: de::Error>(&mut self, org: bounded::Id, levels: Levels) -> Result<(), E> {
        if self.0.contains_key(&org.0) {
            return Err(E::custom(format_args!(
                "`permissions`: organization `{}` is listed twice",
                org.0
            )));
        }
        if self.0.len() == MAX_MEMBERSHIPS {
            return Err(E::custom(format_args!(
                "`permissions`: more than the limit of {MAX_MEMBERSHIPS} organizations"
            )));
        }
        self.0.insert(org.0, levels.0);
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Orgs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Orgs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "`permissions` as a map of organizations, or a list of single-entry maps",
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Orgs, A::Error> {
                let mut orgs = Orgs(BTreeMap::new());
                while let Some((org, levels)) = map.next_entry::<bounded::Id, Levels>()? {
                    orgs.insert(org, levels)?;
                }
                Ok(orgs)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Orgs, A::Error> {
                let mut orgs = Orgs(BTreeMap::new());
                while let Some(entry) = seq.next_element::<Single<Levels>>()? {
                    orgs.insert(entry.0, entry.1)?;
                }
                Ok(orgs)
            }
        }
        d.deserialize_any(V)
    }
}

/// One organization's levels, each once (`seen`: org_level, owner).
struct Levels(BamLevels, [bool; 2]);

impl Levels {
    fn new() -> Levels {
        Levels(BamLevels::default(), [false; 2])
    }

    fn insert<E: de::Error>(&mut self, level: bounded::Id, keys: bounded::IdList) -> Result<(), E> {
        let (slot, seen, name) = match level.0.as_str() {
            "org_level" => (&mut self.0.org_level, &mut self.1[0], "org_level"),
            "owner" => (&mut self.0.owner, &mut self.1[1], "owner"),
            other => return Err(E::unknown_variant(other, &["org_level", "owner"])),
        };
        if *seen {
            return Err(E::custom(format_args!("level `{name}` is listed twice")));
        }
        *seen = true;
        *slot = keys.0;
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Levels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Levels;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "an organization's levels as a map {\"org_level\": [...], \"owner\": [...]}, \
                     or a list of single-entry maps",
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Levels, A::Error> {
                let mut levels = Levels::new();
                while let Some((level, keys)) = map.next_entry()? {
                    levels.insert(level, keys)?;
                }
                Ok(levels)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Levels, A::Error> {
                let mut levels = Levels::new();
                while let Some(entry) = seq.next_element::<Single<bounded::IdList>>()? {
                    levels.insert(entry.0, entry.1)?;
                }
                Ok(levels)
            }
        }
        d.deserialize_any(V)
    }
}

/// A map with exactly one entry: `{NAME: value}` (the bracketed form's list items).
struct Single<T>(bounded::Id, T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Single<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(core::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Single<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map with a single entry {NAME: value}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Single<T>, A::Error> {
                let Some((name, value)) = map.next_entry::<bounded::Id, T>()? else {
                    return Err(de::Error::invalid_length(0, &self));
                };
                if map.next_key::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::custom(format_args!(
                        "`{}`: a list item holds one entry; put the others in items of their own",
                        name.0
                    )));
                }
                Ok(Single(name, value))
            }
        }
        d.deserialize_map(V(core::marker::PhantomData))
    }
}
