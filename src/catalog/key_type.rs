//! Keys as types: a key can be a type parameter, so that an extractor or a generic function names
//! the key it checks and a wrong key does not compile.

use crate::catalog::Key;

/// A catalog key named by a type. The embedded catalog has one zero-sized type per key in
/// [`key_types`](crate::key_types), generated beside the [`keys`](crate::keys) constants.
///
/// ```
/// use kisum_access::{KeyType, key_types, keys};
///
/// fn key_of<K: KeyType>() -> kisum_access::Key {
///     K::KEY
/// }
/// assert_eq!(key_of::<key_types::FinanceBillView>(), keys::FINANCE_BILL_VIEW);
/// ```
///
/// A key the catalog does not have is not a type, so it does not compile:
///
/// ```compile_fail
/// let _ = kisum_access::key_types::FinanceBillVeiw;
/// ```
pub trait KeyType: Send + Sync + 'static {
    /// The key this type names.
    const KEY: Key;
}
