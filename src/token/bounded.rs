//! Serde helpers that enforce the limits while parsing: an oversize token fails with a clear
//! message as soon as a list or string crosses its bound, before the rest is read or built.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::{MAX_GRANTS, MAX_ID_LEN, MAX_LIST, MAX_MEMBERSHIPS, MembershipClaims, PermissionClaim};

/// A string of at most [`MAX_ID_LEN`] bytes, checked before it is copied.
pub(crate) struct Id(pub String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a string of at most {MAX_ID_LEN} bytes")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                if v.len() > MAX_ID_LEN {
                    return Err(E::custom(format_args!(
                        "string of {} bytes is longer than the limit of {MAX_ID_LEN}",
                        v.len()
                    )));
                }
                Ok(Id(v.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

/// The memberships of a token, bounded like [`memberships`].
pub(crate) struct Memberships(pub Vec<MembershipClaims>);

impl<'de> Deserialize<'de> for Memberships {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        memberships(d).map(Memberships)
    }
}

/// A list of ids, bounded like [`ids`].
pub(crate) struct IdList(pub Vec<String>);

impl<'de> Deserialize<'de> for IdList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ids(d).map(IdList)
    }
}

pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Id::deserialize(d).map(|i| i.0)
}

/// A list of at most `MAX` elements, refused at element `MAX + 1`.
pub(crate) fn list<'de, D, T, const MAX: usize>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T, const MAX: usize>(core::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for V<T, MAX> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of at most {MAX} items")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX));
            while let Some(item) = seq.next_element()? {
                if out.len() == MAX {
                    return Err(de::Error::custom(format_args!(
                        "list longer than the limit of {MAX} items"
                    )));
                }
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V::<T, MAX>(core::marker::PhantomData))
}

pub(crate) fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    list::<D, Id, MAX_LIST>(d).map(|v| v.into_iter().map(|i| i.0).collect())
}

pub(crate) fn opt_ids<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    ids(d).map(Some)
}

pub(crate) fn memberships<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<MembershipClaims>, D::Error> {
    list::<D, MembershipClaims, MAX_MEMBERSHIPS>(d)
}

pub(crate) fn permissions<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<PermissionClaim>, D::Error> {
    list::<D, PermissionClaim, MAX_GRANTS>(d)
}
