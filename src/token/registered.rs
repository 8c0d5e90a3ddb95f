//! The registered claims of a JWT payload (RFC 7519 §4.1: `iss`, `sub`, `aud`, `exp`, `nbf`,
//! `iat`, `jti`): accepted beside the permissions, exposed, never read as permissions.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use serde::{Deserialize, Serialize};

use super::bounded;

/// The registered claims of a token, as the Auth service (or any JWT issuer) sets them.
///
/// Signature and time checks are the job of the JWT library that verified the token; these are
/// kept so that a service can read them (cache a subject until [`expires_at`], log
/// [`token_id`]) without parsing the payload twice.
///
/// [`expires_at`]: RegisteredClaims::expires_at
/// [`token_id`]: RegisteredClaims::token_id
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RegisteredClaims {
    /// `iss`: who issued the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// `aud`: who the token is for (a string or a list in the token; always a list here).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aud: Vec<String>,
    /// `exp`: when the token expires, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<u64>,
    /// `nbf`: when the token becomes valid, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// `iat`: when the token was issued, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// `jti`: the token's unique id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
}

impl RegisteredClaims {
    /// `exp`, in seconds since the Unix epoch.
    pub fn expires_at(&self) -> Option<u64> {
        self.exp
    }

    /// `nbf`, in seconds since the Unix epoch.
    pub fn not_before(&self) -> Option<u64> {
        self.nbf
    }

    /// `iat`, in seconds since the Unix epoch.
    pub fn issued_at(&self) -> Option<u64> {
        self.iat
    }

    /// `jti`.
    pub fn token_id(&self) -> Option<&str> {
        self.jti.as_deref()
    }

    /// `iss`.
    pub fn issuer(&self) -> Option<&str> {
        self.iss.as_deref()
    }

    /// `aud`, as a list (a single string in the token is a list of one).
    pub fn audience(&self) -> &[String] {
        &self.aud
    }

    /// Reads the value of registered claim `claim` into these claims.
    pub(super) fn read<'de, A: MapAccess<'de>>(
        &mut self,
        claim: Claim,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match claim {
            Claim::Iss => self.iss = Some(once(map, "iss", self.iss.is_some())?.0),
            Claim::Jti => self.jti = Some(once(map, "jti", self.jti.is_some())?.0),
            Claim::Aud if !self.aud.is_empty() => return Err(de::Error::duplicate_field("aud")),
            Claim::Aud => self.aud = map.next_value::<Audience>()?.0,
            Claim::Exp => self.exp = Some(time(map, "exp", self.exp.is_some())?),
            Claim::Nbf => self.nbf = Some(time(map, "nbf", self.nbf.is_some())?),
            Claim::Iat => self.iat = Some(time(map, "iat", self.iat.is_some())?),
        }
        Ok(())
    }
}

/// A registered claim other than `sub`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Claim {
    Iss,
    Aud,
    Exp,
    Nbf,
    Iat,
    Jti,
}

/// A top-level field of a token payload, read without copying its name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    /// `sub`.
    Sub,
    /// `memberships` (Kisum claims).
    Memberships,
    /// `permissions` (B.A.M tokens).
    Permissions,
    /// A registered claim.
    Registered(Claim),
    /// Anything else: ignored.
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    "sub" => Field::Sub,
                    "memberships" => Field::Memberships,
                    "permissions" => Field::Permissions,
                    "iss" => Field::Registered(Claim::Iss),
                    "aud" => Field::Registered(Claim::Aud),
                    "exp" => Field::Registered(Claim::Exp),
                    "nbf" => Field::Registered(Claim::Nbf),
                    "iat" => Field::Registered(Claim::Iat),
                    "jti" => Field::Registered(Claim::Jti),
                    _ => Field::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

/// A token payload's top level: `sub`, the token's own `body` field (`memberships` or
/// `permissions`), the registered claims; any other field is skipped. `sub` and the body are
/// required, and no field may appear twice.
pub(super) fn payload<'de, A: MapAccess<'de>, B: Deserialize<'de>>(
    mut map: A,
    body: Field,
    body_name: &'static str,
) -> Result<(String, B, RegisteredClaims), A::Error> {
    let mut sub: Option<bounded::Id> = None;
    let mut value: Option<B> = None;
    let mut registered = RegisteredClaims::default();
    while let Some(field) = map.next_key::<Field>()? {
        match field {
            Field::Sub if sub.is_some() => return Err(de::Error::duplicate_field("sub")),
            Field::Sub => sub = Some(map.next_value()?),
            f if f == body && value.is_some() => {
                return Err(de::Error::duplicate_field(body_name));
            }
            f if f == body => value = Some(map.next_value()?),
            Field::Registered(claim) => registered.read(claim, &mut map)?,
            _ => skip(&mut map)?,
        }
    }
    let sub = sub.ok_or_else(|| de::Error::missing_field("sub"))?.0;
    let value = value.ok_or_else(|| de::Error::missing_field(body_name))?;
    Ok((sub, value, registered))
}

/// A bounded string value, refused if the field was already read.
fn once<'de, A: MapAccess<'de>>(
    map: &mut A,
    field: &'static str,
    seen: bool,
) -> Result<bounded::Id, A::Error> {
    if seen {
        return Err(de::Error::duplicate_field(field));
    }
    map.next_value()
}

/// A NumericDate in whole seconds, refused if the field was already read.
fn time<'de, A: MapAccess<'de>>(
    map: &mut A,
    field: &'static str,
    seen: bool,
) -> Result<u64, A::Error> {
    if seen {
        return Err(de::Error::duplicate_field(field));
    }
    map.next_value::<u64>()
        .map_err(|e| de::Error::custom(format_args!("`{field}`: {e}")))
}

/// Skips the value of a top-level field that is neither a registered claim nor the token's own:
/// other top-level fields can never widen access, so they are ignored. Ignored, not unread: the
/// value is still parsed (strings as UTF-8), so a malformed payload stays an error.
fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<Skipped>().map(|_| ())
}

/// Any well-formed value, read through and dropped. Unlike [`IgnoredAny`](serde::de::IgnoredAny), which lets a format
/// skip without decoding (serde_json then never checks a string's UTF-8), it asks for each value
/// to be decoded.
struct Skipped;

impl<'de> Deserialize<'de> for Skipped {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skipped;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_none<E: de::Error>(self) -> Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Skipped, D::Error> {
        Skipped::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skipped, A::Error> {
        while seq.next_element::<Skipped>()?.is_some() {}
        Ok(Skipped)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skipped, A::Error> {
        while map.next_entry::<Skipped, Skipped>()?.is_some() {}
        Ok(Skipped)
    }
}

/// `aud`: a string or a list of strings (bounded like every list).
struct Audience(Vec<String>);

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Audience;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`aud` as a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Audience, E> {
                bounded::Id::deserialize(de::value::StrDeserializer::<E>::new(v))
                    .map(|i| Audience(vec![i.0]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Audience, A::Error> {
                bounded::ids(de::value::SeqAccessDeserializer::new(seq)).map(Audience)
            }
        }
        d.deserialize_any(V)
    }
}
