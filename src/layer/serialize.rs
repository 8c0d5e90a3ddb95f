//! The JSON shapes of layers and denials (`serde::Serialize`), pinned by tests: a denial is
//! `{"code": .., "layer": .., "message": ..}`, with `"module"` and `"limit"` where it has them.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{DelegationDenial, Denial, Layer};

impl Serialize for Layer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl Serialize for Denial {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("layer", &self.layer())?;
        if let Some(m) = self.module() {
            map.serialize_entry("module", &m)?;
        }
        if let Denial::ApprovalLimitExceeded { limit } = self {
            map.serialize_entry("limit", limit)?;
        }
        map.serialize_entry("message", &self.to_string())?;
        map.end()
    }
}

impl Serialize for DelegationDenial {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("layer", &self.layer())?;
        if let Some(m) = self.module() {
            map.serialize_entry("module", &m)?;
        }
        match *self {
            DelegationDenial::ExceedsApprovalLimit { limit } => {
                map.serialize_entry("limit", &limit)?
            }
            DelegationDenial::TooMany { what, .. } | DelegationDenial::BadId { what, .. } => {
                map.serialize_entry("what", what)?
            }
            _ => {}
        }
        map.serialize_entry("message", &self.to_string())?;
        map.end()
    }
}
