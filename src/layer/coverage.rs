//! Coverage of a proposed grant's scope by a union of grants, without enumerating its points.
//!
//! A grant's scope is a product: its business units × its workflows, where an unrestricted
//! dimension is the single point "any value, or none" ([`Dim::Any`]), which only an unrestricted
//! restriction covers (a list never covers values it does not name). A restriction on one grant
//! intersects across dimensions, so a grant reaches a product of its own; the grants of a key are
//! a union. "The granter reaches every point of the proposed scope" is therefore the coverage of
//! one product by a union of products.
//!
//! # How, and why it is exact
//!
//! - Against **one** product (a membership-wide restriction, a delegation scope bound), coverage is
//!   per dimension: every point `(b, w)` of a non-empty product `B × W` lies in `X × Y` iff every
//!   `b` is in `X` and every `w` is in `Y` ([`Dim::within`]). An empty `B` or `W` has no point, and
//!   is covered by anything.
//! - Against a **union**, per dimension is not enough (`{b1}×{w1} ∪ {b2}×{w2}` covers each unit
//!   and each workflow but not `(b1, w2)`). [`union_covers`] is exact instead: for each grant it
//!   marks, as bits, which workflows of `W` the grant reaches, and ORs that mask into every `b` of
//!   `B` the grant reaches (each found by binary search). `(b, w)` is covered iff some grant
//!   reaching `b` reaches `w`, i.e. iff bit `w` of `b`'s mask is set; so `B × W` is covered iff
//!   every `b`'s mask is full.
//!
//! # Cost
//!
//! With `n` the proposed lists' lengths (at most [`MAX_LIST`]) and `K` the total length of the
//! grants' lists: sorting `O(n log n)`, marking `O(K log n)`, and `O(n)` mask checks of
//! `MAX_LIST / 64` = 4 words each: `O((n + K) log n)` in all, with no product `|B| × |W|`.

use crate::id::IdRef;
use crate::token::MAX_LIST;

use super::scope::{Allowed, Bounds};

/// A set of up to [`MAX_LIST`] values of a [`Dim`], one bit each.
type Bits = [u64; MAX_LIST / 64];

/// One dimension of a proposed grant's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dim<'g> {
    /// Unrestricted: the single point "any value, or none".
    Any,
    /// Restricted to these values, sorted by [`IdRef::order`] and deduplicated (at most
    /// [`MAX_LIST`]).
    Values(Vec<IdRef<'g>>),
}

impl<'g> Dim<'g> {
    /// The dimension of a grant's restriction list (`None`: unrestricted). Values past
    /// [`MAX_LIST`] are the caller's to refuse first; here they are ignored.
    pub(crate) fn new(list: Option<&'g [String]>) -> Dim<'g> {
        match list {
            None => Dim::Any,
            Some(list) => {
                let mut v: Vec<IdRef<'g>> =
                    list.iter().take(MAX_LIST).map(|s| IdRef::new(s)).collect();
                v.sort_unstable_by(|a, b| a.order(*b));
                v.dedup_by(|a, b| a.order(*b).is_eq());
                Dim::Values(v)
            }
        }
    }

    /// How many points it has.
    pub(crate) fn len(&self) -> usize {
        match self {
            Dim::Any => 1,
            Dim::Values(v) => v.len(),
        }
    }

    /// Every point, as bits.
    fn all(&self) -> Bits {
        let mut bits = Bits::default();
        for i in 0..self.len() {
            set(&mut bits, i);
        }
        bits
    }

    /// The points `allowed` covers, as bits: all of them if unrestricted; for a list, the values
    /// it names (found by binary search); the point "any" only if unrestricted.
    fn marks(&self, allowed: &Allowed) -> Bits {
        let Some(list) = allowed else {
            return self.all();
        };
        let mut bits = Bits::default();
        if let Dim::Values(values) = self {
            for x in list.iter() {
                if let Ok(i) = values.binary_search_by(|v| v.order(x.as_ref())) {
                    set(&mut bits, i);
                }
            }
        }
        bits
    }

    /// Whether `allowed` covers every point.
    pub(crate) fn within(&self, allowed: &Allowed) -> bool {
        self.marks(allowed) == self.all()
    }
}

fn set(bits: &mut Bits, i: usize) {
    if let Some(word) = bits.get_mut(i / 64) {
        *word |= 1 << (i % 64);
    }
}

fn or(into: &mut Bits, from: &Bits) {
    for (a, b) in into.iter_mut().zip(from) {
        *a |= b;
    }
}

/// Whether the product `b × w` lies inside the single product `bounds` (per dimension; an empty
/// product lies inside anything).
pub(crate) fn product_within(b: &Dim<'_>, w: &Dim<'_>, bounds: &Bounds) -> bool {
    b.len() == 0
        || w.len() == 0
        || (b.within(&bounds.business_units) && w.within(&bounds.workflows))
}

/// Whether the union of `grants` (each the product of its business units and workflows) covers
/// every point of `b × w`. Exact; see the module documentation for why and at what cost.
pub(crate) fn union_covers<'a>(
    b: &Dim<'_>,
    w: &Dim<'_>,
    grants: impl Iterator<Item = &'a Bounds>,
) -> bool {
    if b.len() == 0 || w.len() == 0 {
        return true;
    }
    let full = w.all();
    // Workflows reached at every business unit (grants unrestricted on business units), and per
    // business unit of `b`, those reached there.
    let mut everywhere = Bits::default();
    let mut at = vec![Bits::default(); b.len()];
    for g in grants {
        let reached = w.marks(&g.workflows);
        match (&g.business_units, b) {
            (None, _) => or(&mut everywhere, &reached),
            // A list never covers "any business unit".
            (Some(_), Dim::Any) => {}
            (Some(units), Dim::Values(values)) => {
                for x in units.iter() {
                    if let Ok(i) = values.binary_search_by(|v| v.order(x.as_ref()))
                        && let Some(mask) = at.get_mut(i)
                    {
                        or(mask, &reached);
                    }
                }
            }
        }
    }
    at.iter_mut().all(|mask| {
        or(mask, &everywhere);
        *mask == full
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::Id;

    fn bounds(b: Option<&[&str]>, w: Option<&[&str]>) -> Bounds {
        let ids = |l: Option<&[&str]>| l.map(|l| l.iter().map(|s| Id::new(s)).collect());
        Bounds {
            business_units: ids(b),
            workflows: ids(w),
        }
    }

    fn dim(list: Option<&[&str]>) -> Dim<'static> {
        let owned: Option<Vec<String>> = list.map(|l| l.iter().map(|s| s.to_string()).collect());
        Dim::new(Box::leak(Box::new(owned)).as_deref())
    }

    /// The definition: every point of the product is in some grant's product.
    fn naive(b: Option<&[&str]>, w: Option<&[&str]>, grants: &[Bounds]) -> bool {
        let points = |l: Option<&[&str]>| -> Vec<Option<String>> {
            match l {
                None => vec![None],
                Some(l) => l.iter().map(|s| Some(s.to_string())).collect(),
            }
        };
        let covers = |a: &Allowed, v: &Option<String>| match (a, v) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(list), Some(v)) => list.iter().any(|x| x.as_str() == v),
        };
        points(b).iter().all(|x| {
            points(w).iter().all(|y| {
                grants
                    .iter()
                    .any(|g| covers(&g.business_units, x) && covers(&g.workflows, y))
            })
        })
    }

    #[test]
    fn union_coverage_is_exact_where_per_dimension_is_not() {
        let b: &[&str] = &["b1", "b2"];
        let w: &[&str] = &["w1", "w2"];
        let diagonal = [
            bounds(Some(&["b1"]), Some(&["w1"])),
            bounds(Some(&["b2"]), Some(&["w2"])),
        ];
        assert!(!naive(Some(b), Some(w), &diagonal));
        assert!(!union_covers(&dim(Some(b)), &dim(Some(w)), diagonal.iter()));
        let rows = [
            bounds(Some(&["b1"]), Some(w)),
            bounds(Some(&["b2", "b9"]), None),
        ];
        assert!(union_covers(&dim(Some(b)), &dim(Some(w)), rows.iter()));
        // "any" is covered only by an unrestricted dimension.
        assert!(!union_covers(&dim(None), &dim(Some(w)), rows.iter()));
        let cols = [bounds(None, Some(&["w1"])), bounds(None, Some(&["w2"]))];
        assert!(union_covers(&dim(None), &dim(Some(w)), cols.iter()));
        assert!(!union_covers(&dim(None), &dim(None), cols.iter()));
        // An empty product is covered by nothing at all.
        assert!(union_covers(&dim(Some(&[])), &dim(None), [].iter()));
    }

    #[test]
    fn union_coverage_agrees_with_the_definition_on_every_small_case() {
        // Every proposed product and every pair of grants over two values per dimension, each
        // dimension unrestricted or a subset; with short ids, and with long ids whose tags tie
        // (same length, same first and last 8 bytes).
        for (x, y) in [("x", "y"), ("aaaaaaaa-x-zzzzzzzz", "aaaaaaaa-y-zzzzzzzz")] {
            let (xs, ys, both) = ([x], [y], [x, y]);
            let subsets: [Option<&[&str]>; 5] =
                [None, Some(&[]), Some(&xs), Some(&ys), Some(&both)];
            let mut cases = 0;
            for b in subsets {
                for w in subsets {
                    for g1 in subsets.iter().flat_map(|x| subsets.map(|y| bounds(*x, y))) {
                        for g2 in subsets.iter().flat_map(|x| subsets.map(|y| bounds(*x, y))) {
                            let grants = [g1.clone(), g2];
                            assert_eq!(
                                union_covers(&dim(b), &dim(w), grants.iter()),
                                naive(b, w, &grants),
                                "{b:?} x {w:?} by {grants:?}"
                            );
                            cases += 1;
                        }
                    }
                }
            }
            assert_eq!(cases, 25 * 625);
        }
    }
}
