//! The JSON shapes of decisions and explanations (`serde::Serialize`), pinned by tests.
//!
//! - [`Decision`]: `{"allowed": true}` or `{"allowed": false, "denial": {"code", "layer", ...}}`.
//! - [`Explanation`]: the key, company and decision, the catalog (`name`, `version`,
//!   `fingerprint` as 16 hex digits: a `u64` does not fit a JSON number exactly), the skipped
//!   names, the legacy translations (`{"from", "to", "kind", "class", "widens", "source"}`), and
//!   each verdict as `{"layer", "check", "outcome", "text"}` (`outcome`: `pass`,
//!   `deny`, `not_applicable` or `not_reached`; a `deny` also has the denial's `code`).
//! - [`ScopeFilter`]: `{"kind": "all", "company"}`, `{"kind": "restricted", "company", "reaches"}`
//!   (each reach with only the constraints it has: `business_units`, `workflows`, `owner`,
//!   `max_amount`) or `{"kind": "none", "denial": {...}}`.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{Decision, Explanation, Outcome, Reach, ScopeFilter, Verdict};

impl Serialize for Decision {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("allowed", &self.is_allowed())?;
        if let Some(d) = self.denial() {
            map.serialize_entry("denial", &d)?;
        }
        map.end()
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("layer", &self.layer)?;
        map.serialize_entry("check", self.check)?;
        let (outcome, text) = match &self.outcome {
            Outcome::Pass(t) => ("pass", Some(t)),
            Outcome::Deny(_, t) => ("deny", Some(t)),
            Outcome::NotApplicable(t) => ("not_applicable", Some(t)),
            Outcome::NotReached => ("not_reached", None),
        };
        map.serialize_entry("outcome", outcome)?;
        if let Outcome::Deny(d, _) = &self.outcome {
            map.serialize_entry("code", d.code())?;
        }
        if let Some(t) = text {
            map.serialize_entry("text", t)?;
        }
        map.end()
    }
}

impl Serialize for Explanation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("key", self.key())?;
        map.serialize_entry("company", self.company())?;
        map.serialize_entry("decision", &self.decision())?;
        map.serialize_entry("catalog", &CatalogJson(self))?;
        map.serialize_entry("skipped", self.skipped_names())?;
        map.serialize_entry("translated", self.legacy_translations())?;
        map.serialize_entry("verdicts", self.verdicts())?;
        map.end()
    }
}

struct CatalogJson<'e>(&'e Explanation);

impl Serialize for CatalogJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (name, version, fingerprint) = self.0.catalog();
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("name", name)?;
        map.serialize_entry("version", version)?;
        map.serialize_entry("fingerprint", &format!("{fingerprint:016x}"))?;
        map.end()
    }
}

impl Serialize for ScopeFilter<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        match self {
            ScopeFilter::All { company } => {
                map.serialize_entry("kind", "all")?;
                map.serialize_entry("company", company)?;
            }
            ScopeFilter::Restricted { company, reaches } => {
                map.serialize_entry("kind", "restricted")?;
                map.serialize_entry("company", company)?;
                map.serialize_entry("reaches", reaches)?;
            }
            ScopeFilter::None(d) => {
                map.serialize_entry("kind", "none")?;
                map.serialize_entry("denial", d)?;
            }
        }
        map.end()
    }
}

impl Serialize for Reach<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if let Some(b) = &self.business_units {
            map.serialize_entry("business_units", b)?;
        }
        if let Some(w) = &self.workflows {
            map.serialize_entry("workflows", w)?;
        }
        if let Some(o) = self.owner {
            map.serialize_entry("owner", o)?;
        }
        if let Some(a) = self.max_amount {
            map.serialize_entry("max_amount", &a)?;
        }
        map.end()
    }
}
