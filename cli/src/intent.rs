//! `[catalog.intended]`: the changes a catalog pull request makes on purpose.
//!
//! ```toml
//! [catalog.intended]
//! removed = ["promoter.news.view"]   # keys removed without a legacy alias
//! widened = ["finance.viewer"]       # role templates that gain keys (or lose an own-only limit)
//! ```
//!
//! `kisum-access diff OLD NEW` reads the marks of NEW: a removal or a widening listed there is
//! reported but does not fail the diff. Marks have no effect on decisions; clear them once the
//! release has shipped (`diff` reports marks that match no change).

use kisum_access::{Catalog, KeyError};
use serde::Deserialize;
use toml::Spanned;

use crate::output::Failure;

#[derive(Deserialize)]
struct Raw {
    catalog: Header,
}

#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    intended: Marks,
}

#[derive(Deserialize, Default)]
struct Marks {
    #[serde(default)]
    removed: Vec<Spanned<String>>,
    #[serde(default)]
    widened: Vec<Spanned<String>>,
}

/// One mark and where it is written (1-based line and column).
#[derive(Debug, Clone)]
pub struct Mark {
    /// The key or role named.
    pub name: String,
    /// Its line.
    pub line: usize,
    /// Its column.
    pub column: usize,
}

/// The marks of one catalog.
#[derive(Debug, Clone, Default)]
pub struct Intended {
    /// Keys removed without an alias on purpose.
    pub removed: Vec<Mark>,
    /// Roles that widen on purpose.
    pub widened: Vec<Mark>,
}

fn locate(source: &str, at: usize) -> (usize, usize) {
    let before = source.get(..at).unwrap_or(source);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

impl Intended {
    /// Reads the marks from a catalog's text (which the crate's validator has accepted).
    pub fn read(source: &str) -> Result<Intended, Failure> {
        let raw: Raw = toml::from_str(source).map_err(|e| Failure(e.message().to_owned()))?;
        let marks = |list: Vec<Spanned<String>>| -> Vec<Mark> {
            list.into_iter()
                .map(|s| {
                    let (line, column) = locate(source, s.span().start);
                    Mark {
                        name: s.into_inner(),
                        line,
                        column,
                    }
                })
                .collect()
        };
        Ok(Intended {
            removed: marks(raw.catalog.intended.removed),
            widened: marks(raw.catalog.intended.widened),
        })
    }

    /// Whether removing `key` without an alias is intended.
    pub fn removes(&self, key: &str) -> bool {
        self.removed.iter().any(|m| m.name == key)
    }

    /// Whether `role` gaining keys is intended.
    pub fn widens(&self, role: &str) -> bool {
        self.widened.iter().any(|m| m.name == role)
    }

    /// Marks that cannot be right in `catalog`: a "removed" key that is still a key (or has an
    /// alias, or is not a key name at all), a "widened" role the catalog does not declare.
    pub fn problems(&self, catalog: &Catalog) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        for m in &self.removed {
            let why = match catalog.key(&m.name) {
                Ok(_) => Some("is still a key of the catalog".to_owned()),
                Err(KeyError::Legacy { .. }) => {
                    Some("has a legacy alias, so its removal needs no mark".to_owned())
                }
                Err(KeyError::Malformed { fault, .. }) => {
                    Some(format!("is not a key name: {fault}"))
                }
                Err(_) => None,
            };
            if let Some(why) = why {
                let msg = format!("[catalog.intended] removed: `{}` {why}", m.name);
                out.push((m.line, m.column, msg));
            }
        }
        for m in &self.widened {
            if catalog.role(&m.name).is_none() {
                let msg = format!(
                    "[catalog.intended] widened: `{}` is not a role of the catalog",
                    m.name
                );
                out.push((m.line, m.column, msg));
            }
        }
        out
    }
}
