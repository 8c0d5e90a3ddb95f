//! The errors of looking a key up, naming the input without allocating.

use core::fmt;

use super::spec::{self, NameFault};

/// A key name copied into the error that names it, without allocating.
///
/// Holds up to 48 bytes (the longest valid key, [`MAX_KEY_LEN`](crate::MAX_KEY_LEN)); a longer input is cut at a character boundary
/// and shown with a trailing `…`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyName {
    len: u8,
    truncated: bool,
    bytes: [u8; spec::MAX_KEY_LEN],
}

impl KeyName {
    pub(crate) fn new(name: &str) -> KeyName {
        let mut len = name.len().min(spec::MAX_KEY_LEN);
        while !name.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0u8; spec::MAX_KEY_LEN];
        bytes[..len].copy_from_slice(&name.as_bytes()[..len]);
        KeyName {
            len: len as u8,
            truncated: len < name.len(),
            bytes,
        }
    }

    /// The name (possibly cut; see [`KeyName::is_truncated`]).
    pub fn as_str(&self) -> &str {
        let b = &self.bytes[..self.len as usize];
        // Cut on a char boundary of a `str`, so always valid UTF-8; never empty-on-error in practice.
        core::str::from_utf8(b).unwrap_or_default()
    }

    /// Whether the input was longer than could be kept.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

/// Why a name is not a usable key of a catalog. Returned by [`Catalog::key`](crate::Catalog::key)
/// without allocating; each variant names the offending input.
///
/// This enum is `#[non_exhaustive]`: new kinds of refusal may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not a well-formed key name (see [`NameFault`]).
    #[error("malformed permission key `{name}`: {fault}")]
    Malformed {
        /// The input.
        name: KeyName,
        /// What is wrong with it.
        fault: NameFault,
    },
    /// Well formed, but not a key of this catalog.
    #[error("unknown permission key `{name}`: it is not in the catalog")]
    Unknown {
        /// The input.
        name: KeyName,
    },
    /// A legacy key (`basic.*`), never accepted; it names its replacement if it has one.
    #[error("legacy permission key `{name}` is no longer accepted; {}", legacy_hint(.replacement))]
    Legacy {
        /// The input.
        name: KeyName,
        /// The key that replaces it, or `None` if it was dropped.
        replacement: Option<KeyName>,
    },
}

fn legacy_hint(replacement: &Option<KeyName>) -> String {
    match replacement {
        Some(r) => format!("use `{r}` instead"),
        None => "it has no replacement (see the catalog's [[legacy]] table for why)".to_string(),
    }
}

impl KeyError {
    /// The offending input, as far as it was kept.
    pub fn name(&self) -> &str {
        match self {
            KeyError::Malformed { name, .. }
            | KeyError::Unknown { name }
            | KeyError::Legacy { name, .. } => name.as_str(),
        }
    }

    /// For a legacy key, the name of its replacement.
    pub fn replacement(&self) -> Option<&str> {
        match self {
            KeyError::Legacy {
                replacement: Some(r),
                ..
            } => Some(r.as_str()),
            _ => None,
        }
    }
}
