//! A catalog's content fingerprint: the same for the same keys, modules, roles and aliases,
//! whatever the file's layout, comments or version; different as soon as any of them changes.

use super::Spec;

/// FNV-1a, 64 bits: small, stable across Rust versions and platforms (unlike `DefaultHasher`).
struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.0 = (self.0 ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// A field: its length first, so that `("ab", "c")` and `("a", "bc")` differ.
    fn field(&mut self, b: &[u8]) {
        self.bytes(&(b.len() as u64).to_le_bytes());
        self.bytes(b);
    }

    fn num(&mut self, n: u64) {
        self.bytes(&n.to_le_bytes());
    }
}

impl Spec {
    /// The content fingerprint (see the module docs). The build script stores the embedded
    /// catalog's; a catalog loaded at run time computes its own the same way.
    pub fn fingerprint(&self) -> u64 {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.field(self.name.as_bytes());
        h.num(u64::from(self.commercial));
        h.field(format!("{:?}", self.delegation).as_bytes());
        for a in &self.actions {
            h.field(a.as_bytes());
        }
        for m in &self.modules {
            h.field(m.key.as_bytes());
            h.field(m.name.as_bytes());
            h.field(m.kind.as_str().as_bytes());
            h.num(u64::from(m.status == super::ModuleStatus::Reserved));
            h.field(m.service.as_deref().unwrap_or_default().as_bytes());
            h.num(m.attaches_to);
        }
        for k in &self.keys {
            h.field(k.name.as_bytes());
            h.field(k.gates.as_bytes());
            h.num(u64::from(k.module) << 1 | u64::from(k.approval));
        }
        for r in &self.roles {
            h.field(r.name.as_bytes());
            h.num(r.grants.len() as u64);
            r.grants.iter().for_each(|&g| h.num(u64::from(g)));
            h.num(r.own_only.len() as u64);
            r.own_only.iter().for_each(|&g| h.num(u64::from(g)));
        }
        for l in &self.legacy {
            h.field(l.name.as_bytes());
            h.num(l.replacement.map_or(u64::MAX, |(k, _)| u64::from(k)));
            h.field(l.replacement.map_or("", |(_, c)| c.as_str()).as_bytes());
            h.field(l.dropped.as_deref().unwrap_or_default().as_bytes());
        }
        for l in &self.legacy_modules {
            h.field(l.name.as_bytes());
            h.num(l.replacement.map_or(u64::MAX, u64::from));
            h.field(l.dropped.as_deref().unwrap_or_default().as_bytes());
        }
        h.0
    }
}
