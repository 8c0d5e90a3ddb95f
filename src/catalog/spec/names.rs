//! Well-formed names: key segments and whole keys.

use super::{MAX_KEY_LEN, MIN_SEGMENTS};

/// Why a name is not a well-formed permission key.
///
/// Key names are two or more dot-separated segments, each `[a-z][a-z0-9_-]*`, at most
/// [`MAX_KEY_LEN`] bytes in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NameFault {
    /// The name is empty.
    Empty,
    /// The name is longer than [`MAX_KEY_LEN`] bytes.
    TooLong,
    /// The name has fewer than two segments.
    TooFewSegments,
    /// A segment is empty (`a..b`, a leading or a trailing dot).
    EmptySegment,
    /// A segment does not start with a lowercase ASCII letter.
    BadSegmentStart,
    /// A byte outside `[a-z0-9_-]` (this includes uppercase and any non-ASCII character).
    BadByte,
}

impl NameFault {
    /// A short human description, used in error messages.
    pub const fn describe(self) -> &'static str {
        match self {
            NameFault::Empty => "the name is empty",
            NameFault::TooLong => "the name is longer than 48 bytes",
            NameFault::TooFewSegments => "a key needs at least two dot-separated segments",
            NameFault::EmptySegment => "a segment is empty",
            NameFault::BadSegmentStart => "a segment must start with a lowercase letter a-z",
            NameFault::BadByte => "only a-z, 0-9, '_' and '-' may appear in a segment",
        }
    }
}

impl core::fmt::Display for NameFault {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.describe())
    }
}

/// Checks one segment: `[a-z][a-z0-9_-]*`.
pub const fn check_segment(seg: &[u8]) -> Result<(), NameFault> {
    if seg.is_empty() {
        return Err(NameFault::EmptySegment);
    }
    if !seg[0].is_ascii_lowercase() {
        return Err(NameFault::BadSegmentStart);
    }
    let mut i = 1;
    while i < seg.len() {
        let b = seg[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') {
            return Err(NameFault::BadByte);
        }
        i += 1;
    }
    Ok(())
}

/// Checks a whole key name: at least two segments, each well formed, at most [`MAX_KEY_LEN`] bytes.
pub fn check_key_name(name: &str) -> Result<(), NameFault> {
    if name.is_empty() {
        return Err(NameFault::Empty);
    }
    if name.len() > MAX_KEY_LEN {
        return Err(NameFault::TooLong);
    }
    let mut segments = 0;
    for seg in name.as_bytes().split(|&b| b == b'.') {
        check_segment(seg)?;
        segments += 1;
    }
    if segments < MIN_SEGMENTS {
        return Err(NameFault::TooFewSegments);
    }
    Ok(())
}
