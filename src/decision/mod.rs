//! The decision: `decide` on the hot path, `explain` for people, `filter` for list queries, and
//! `can_grant` for delegation. Each runs the layer rules of [`crate::layer`] on a compiled subject.

mod decide;
mod delegation;
mod explain;
mod filter;
mod filter_algebra;
mod serialize;

pub use crate::layer::Decision;
pub use decide::decide;
pub use explain::{Explanation, Outcome, Verdict, explain};
pub use filter::{Reach, ScopeFilter};
