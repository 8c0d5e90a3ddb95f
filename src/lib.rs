//! kisum-access (crate docs are written below, with the engine).
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]

mod catalog;
mod embedded;
mod key;
mod phf;
mod spec;

pub use catalog::{Catalog, CatalogError, Role};
pub use embedded::keys;
pub use key::{Key, KeyError, KeyName, Module};
pub use spec::{
    DelegationRule, MAX_KEY_LEN, MAX_KEYS, MAX_LEGACY, MAX_MODULES, MAX_ROLES, ModuleKind,
    ModuleStatus, NameFault, Problem, ProblemKind,
};

#[doc(hidden)]
pub mod __private {
    pub use crate::key::embedded_key;
}
