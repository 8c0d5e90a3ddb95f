//! Finding a key by name: the perfect hash's probe, used by [`Catalog::key`]; and the token
//! reader's lookup in a small catalog's name table ([`NameLookup`]).

use super::keyset::DENSE_KEYS;
use super::names::{self, ROW};
use super::spec::MAX_KEY_LEN;
use super::tables::{KeyInfo, Tables};
use super::{Catalog, phf};

/// The one key a name of at most [`MAX_KEY_LEN`] bytes can be, if any: its id and row, for the
/// caller to compare the names.
#[inline(always)]
pub(super) fn probe<'t>(t: &'t Tables, name: &[u8]) -> Option<(u16, &'t KeyInfo)> {
    if name.len() > MAX_KEY_LEN {
        return None;
    }
    let (g, f1, f2) = phf::split(phf::hash(name, t.phf_seed, t.phf_full));
    let disps: &[(u32, u32)] = &t.phf_disps;
    let slots: &[u16] = &t.phf_slots;
    // Both lengths are powers of two (>= 1), so the masks keep every index in bounds.
    let d = *disps.get(g as usize & disps.len().wrapping_sub(1))?;
    let id = *slots.get(phf::slot(f1, f2, d, (slots.len() as u32).wrapping_sub(1)))?;
    Some((id, t.keys.get(usize::from(id))?))
}

/// A small catalog's name table ([`super::names`]), for the loop that resolves a token's grants.
#[derive(Clone, Copy)]
pub(crate) struct NameLookup<'c> {
    seed: u64,
    bits: u32,
    slots: &'c [u8],
    rows: &'c [[u8; ROW]],
}

// Every id a dense membership table indexes fits the name table's byte; a row's compare is one
// 64-bit mask.
const _: () = assert!(DENSE_KEYS == names::MAX_NAMES && ROW <= 64);

impl Catalog {
    /// This catalog's name table, if it has one (at most [`names::MAX_NAMES`] keys whose names
    /// the table tells apart).
    #[inline(always)]
    pub(crate) fn names(&self) -> Option<NameLookup<'_>> {
        self.tables().names.as_ref().map(|t| NameLookup {
            seed: t.seed,
            bits: t.bits,
            slots: &t.slots,
            rows: &t.rows,
        })
    }
}

impl NameLookup<'_> {
    /// The id of the key whose name is the first `len` bytes of `w`, followed by its closing
    /// quote (whatever the bytes after it), if the table lists it: any key but an external
    /// module's.
    #[inline(always)]
    pub(crate) fn find(&self, w: &[u8; ROW], len: usize) -> Option<u8> {
        if len > names::ROW_NAME {
            return None;
        }
        let slot = names::slot(names::hash(w, len), self.seed, self.bits);
        let id = *self.slots.get(slot)?;
        let row = self.rows.get(usize::from(id))?;
        same_prefix(row, w, len + 1).then_some(id)
    }
}

/// Whether the first `len` (at most 48) bytes of `a` and `b` are equal: three 16-byte compares
/// and one mask, no branch (SSE2, which every x86-64 processor has).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn same_prefix(a: &[u8; ROW], b: &[u8; ROW], len: usize) -> bool {
    use safe_arch::{cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i};
    let (a, _) = a.as_chunks::<16>();
    let (b, _) = b.as_chunks::<16>();
    let equal = a.iter().zip(b).enumerate().fold(0u64, |mask, (i, (x, y))| {
        let eq = cmp_eq_mask_i8_m128i(load_unaligned_m128i(x), load_unaligned_m128i(y));
        mask | u64::from(move_mask_i8_m128i(eq) as u16) << (16 * i)
    });
    // The first byte that differs (48 or more: none of the 48) is not among the first `len`.
    (!equal).trailing_zeros() as usize >= len
}

/// As above, elsewhere.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn same_prefix(a: &[u8; ROW], b: &[u8; ROW], len: usize) -> bool {
    a.get(..len) == b.get(..len)
}

#[cfg(test)]
mod tests {
    use super::super::names::{self, ROW};
    use super::Catalog;
    use crate::ModuleKind;

    /// `name` at the start of a window, then its closing quote and `after` to the end: what the
    /// token reader hands the table.
    fn window(name: &[u8], after: u8) -> [u8; ROW] {
        let mut w = [after; ROW];
        w[..name.len()].copy_from_slice(name);
        if let Some(q) = w.get_mut(name.len()) {
            *q = b'"';
        }
        w
    }

    /// What the name table must answer for `name`: the id of the key so named, unless it is an
    /// external module's (the naive oracle: the catalog's perfect hash and a string compare).
    fn expected(c: &Catalog, name: &[u8]) -> Option<u8> {
        let key = c.find_key(std::str::from_utf8(name).ok()?)?;
        (key.module().kind() != ModuleKind::External).then(|| key.index() as u8)
    }

    /// Every key's name, whatever bytes follow it in the window, and every name one byte away
    /// from it (each byte changed, one byte less, one byte more), resolve as the oracle says.
    #[test]
    fn the_name_table_finds_exactly_the_listed_keys() {
        let bam = Catalog::from_toml_str(include_str!("../../catalogs/bam.toml")).unwrap();
        for c in [Catalog::embedded(), &bam] {
            let table = c.names().expect("a small catalog has a name table");
            let mut listed = 0;
            for k in c.keys() {
                let name = c.name(k).as_bytes();
                for after in [0, b'a', b'"', 0xff] {
                    let found = table.find(&window(name, after), name.len());
                    assert_eq!(found, expected(c, name), "{:?}", c.name(k));
                }
                listed += usize::from(expected(c, name).is_some());
                let mut near: Vec<Vec<u8>> = vec![name[1..].to_vec(), [name, b"x"].concat()];
                for i in 0..name.len() {
                    for b in [b'.', b'a', b'z', 0x80] {
                        let mut n = name.to_vec();
                        n[i] = b;
                        near.push(n);
                    }
                }
                for n in near.iter().filter(|n| n.as_slice() != name) {
                    let found = table.find(&window(n, b'x'), n.len());
                    assert_eq!(found, expected(c, n), "{:?}", String::from_utf8_lossy(n));
                }
            }
            assert!(
                listed > 40,
                "{} listed keys in {}",
                listed,
                c.catalog_name()
            );
        }
    }

    /// A catalog of one module `m` with the keys `m.{key}.{action}`.
    fn catalog(action: &str, keys: &[String]) -> Catalog {
        let mut src = format!(
            "[catalog]\nname = \"t\"\ncommercial = false\ndelegation = \"change_permissions\"\n\
             actions = [\"{action}\"]\n[[module]]\nkey = \"m\"\nname = \"M\"\nkind = \"system\"\n\
             status = \"active\"\n",
        );
        for k in keys {
            src += &format!("[[permission]]\nkey = \"m.{k}.{action}\"\ngates = \"r\"\n");
        }
        Catalog::from_toml_str(&src).unwrap()
    }

    /// Whatever slot a name lands in, only the exact name of the slot's key is found: not a
    /// prefix of it, not the name with a byte more or one changed (a table whose every slot
    /// holds the same key).
    #[test]
    fn a_slot_finds_only_its_keys_exact_name() {
        let rows = [
            names::row("m.abc.view", true),
            names::row("m.x.view", false),
        ];
        for id in [0u8, 1] {
            let slots = [id; 64];
            let table = super::NameLookup {
                seed: 1,
                bits: 6,
                slots: &slots,
                rows: &rows,
            };
            for name in [
                "m.abc.view",
                "m.abc.vie",
                "m.abc.viewx",
                "m.abd.view",
                "m.x.view",
                "",
            ] {
                let found = table.find(&window(name.as_bytes(), b'w'), name.len());
                let expected = (id == 0 && name == "m.abc.view").then_some(0);
                assert_eq!(found, expected, "{name:?} in slots of key {id}");
            }
        }
    }

    /// Names under 8 bytes are hashed from their own bytes only (their first word is masked).
    #[test]
    fn short_names_are_found_whatever_follows_them() {
        let c = catalog("v", &["a", "b", "ab", "abc", "b1"].map(String::from));
        let table = c.names().unwrap();
        for k in c.keys() {
            let name = c.name(k).as_bytes();
            assert!(name.len() < 8);
            for after in [0, b'a', b'v', b'.', 0xff] {
                let found = table.find(&window(name, after), name.len());
                assert_eq!(found, Some(k.index() as u8), "{:?}", c.name(k));
                let less = &name[..name.len() - 1];
                let shorter = table.find(&window(less, after), less.len());
                assert_eq!(shorter, None, "{:?} less a byte", c.name(k));
            }
        }
    }

    /// A catalog of more than `MAX_NAMES` keys has no name table (its tokens' names are resolved
    /// when the subject is compiled); one whose names no multiplier separates has none either.
    #[test]
    fn large_or_inseparable_catalogs_have_no_name_table() {
        let catalog = |keys: &[String]| catalog("view", keys);
        let many: Vec<String> = (0..=names::MAX_NAMES).map(|i| format!("r{i}")).collect();
        assert!(catalog(&many[..names::MAX_NAMES]).names().is_some());
        assert!(catalog(&many).names().is_none());
        // 30-byte names: the hash reads bytes 0-7, 11-18 and 22-29; these differ in byte 8 only.
        let alike = ["x", "y"].map(|c| format!("aaaaaa{c}{}", "a".repeat(16)));
        assert_eq!(format!("m.{}.view", alike[0]).len(), 30);
        assert!(catalog(&alike).names().is_none());
        // The longest names (`MAX_KEY_LEN`, 48 bytes) are not listed; one byte less is.
        let long = ["a", "bb"].map(|c| format!("{c}{}", "r".repeat(names::ROW_NAME - 8)));
        let c = catalog(&long);
        let table = c.names().unwrap();
        for k in c.keys() {
            let name = c.name(k).as_bytes();
            let found = table.find(&window(name, b'x'), name.len());
            assert_eq!(
                name.len() == names::ROW_NAME,
                found.is_some(),
                "{}",
                name.len()
            );
        }
        assert_eq!(crate::MAX_KEY_LEN, names::ROW);
    }
}
