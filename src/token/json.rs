//! A strict reader of the JSON that tokens are made of, borrowing every string from the input.
//!
//! It reads a subset of JSON and declines (`None`) anything outside it: strings with escapes or
//! control characters, `null`, fractions, exponents and integers past 18 digits in ignored fields,
//! nesting past [`DEPTH`], and every malformed input. A caller that gets `None` falls back to the
//! full parser ([`serde_json`] through [`Claims`](super::Claims)), which either accepts the token
//! or names what is wrong with it: declining is always safe, accepting must match it.

pub(crate) use items::Items;
use scan::{first_special, plain_len, quote_in, utf8};

use super::MAX_ID_LEN;

/// Deepest nesting of an ignored top-level field's value that the reader skips itself.
const DEPTH: u8 = 32;

/// A position in a token's bytes.
///
/// The bytes are not checked for UTF-8 as a whole: outside strings every byte the reader accepts
/// is an ASCII one it expects, and each string is checked as it is read ([`Reader::string`]), or
/// is a name its caller knows ([`Reader::ids_or`]). serde_json requires UTF-8 of every string.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The next byte after whitespace, not consumed.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(self.at) {
            self.at += 1;
        }
        b.get(self.at).copied()
    }

    /// Consumes `c` (after whitespace), or declines.
    fn eat(&mut self, c: u8) -> Option<()> {
        self.eat_if(c).then_some(())
    }

    /// Consumes `c` (after whitespace) if it is next.
    fn eat_if(&mut self, c: u8) -> bool {
        let next = self.peek() == Some(c);
        self.at += usize::from(next);
        next
    }

    /// After an item: consumes `close` (`true`) or a comma (`false`), or declines.
    fn end_or_comma(&mut self, close: u8) -> Option<bool> {
        let next = self.peek()?;
        self.at += 1;
        match next {
            b',' => Some(false),
            c if c == close => Some(true),
            _ => None,
        }
    }

    /// The end of the input, after whitespace.
    pub(crate) fn end(&mut self) -> Option<()> {
        (self.peek().is_none()).then_some(())
    }

    /// A UTF-8 string without escapes or control characters.
    #[inline]
    pub(crate) fn string(&mut self) -> Option<&'a str> {
        utf8(self.raw_string()?)
    }

    /// The bytes of a string without escapes or control characters, not checked for UTF-8.
    #[inline]
    fn raw_string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.at;
        let rest = self.bytes().get(start..)?;
        let end = start + first_special(rest).unwrap_or_else(|| plain_len(rest));
        if self.bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        self.bytes().get(start..end)
    }

    /// An identifier: a string of at most [`MAX_ID_LEN`] bytes.
    pub(crate) fn id(&mut self) -> Option<&'a str> {
        self.string().filter(|s| s.len() <= MAX_ID_LEN)
    }

    /// A non-negative integer that fits a `u64`, without fraction or exponent.
    pub(crate) fn uint(&mut self) -> Option<u64> {
        self.peek()?;
        let b = self.bytes();
        let start = self.at;
        let mut n: u64 = 0;
        while let Some(&d @ b'0'..=b'9') = b.get(self.at) {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.at += 1;
        }
        let digits = self.at - start;
        let leading_zero = digits > 1 && b.get(start) == Some(&b'0');
        let float = matches!(b.get(self.at), Some(b'.' | b'e' | b'E'));
        (digits > 0 && !leading_zero && !float).then_some(n)
    }

    /// `true` or `false`.
    pub(crate) fn boolean(&mut self) -> Option<bool> {
        if self.literal("true").is_some() {
            return Some(true);
        }
        self.literal("false").map(|()| false)
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        self.peek()?;
        let rest = self.bytes().get(self.at..)?;
        rest.starts_with(word.as_bytes())
            .then(|| self.at += word.len())
    }

    /// `[item, ...]` of at most `max` items, each read by `item`.
    #[inline]
    pub(crate) fn list<T>(
        &mut self,
        max: usize,
        item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.list_in(Vec::new(), max, item)
    }

    /// As [`Reader::list`], into `out` (empty, with the capacity the caller expects to need, or
    /// a `SmallVec` that holds the first few inline).
    #[inline]
    pub(crate) fn list_in<T, C: Items<T>>(
        &mut self,
        mut out: C,
        max: usize,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<C> {
        self.eat(b'[')?;
        if self.eat_if(b']') {
            return Some(out);
        }
        loop {
            if out.count() == max {
                return None;
            }
            out.add(item(self)?);
            if self.end_or_comma(b']')? {
                return Some(out);
            }
        }
    }

    /// As [`Reader::list_in`], for a list whose items are mostly identifiers: an identifier is
    /// read in a loop of its own (whitespace, quotes and separators checked in place, the common
    /// single space first) and handed to `take`, which takes it itself (`true`) or leaves it to
    /// `name`, which makes it an item; any other item is read by `other`. At most `max` items in
    /// all, taken or not. A token's grants are such a list: dozens of names, a few objects.
    ///
    /// `take` is handed the [`WINDOW`] bytes after the opening quote and the name's length: the
    /// name is their first `len` bytes, up to the closing quote found a vector at a time
    /// ([`quote_in`]; nearer the end of the input than a window, the rest is copied into a
    /// zeroed one). A name that does not end within the window is not handed to `take`. The bytes
    /// are not yet checked: `take` must take only names it knows to be UTF-8 without a backslash
    /// or control character (a catalog's key names). Those it leaves are then checked as
    /// [`Reader::id`] checks them (so a list whose names `take` never takes is read twice).
    /// Returns the items made and how many items the list has (taken or not).
    pub(crate) fn ids_or<T>(
        &mut self,
        mut out: Vec<T>,
        max: usize,
        mut take: impl FnMut(&[u8; WINDOW], usize) -> bool,
        mut name: impl FnMut(&'a str) -> T,
        mut other: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<(Vec<T>, usize)> {
        self.eat(b'[')?;
        if self.eat_if(b']') {
            return Some((out, 0));
        }
        let b = self.bytes();
        let mut pad: [u8; WINDOW];
        // The next item's first byte. From one name to the next, the position is never computed
        // from the bytes' values, only checked against them (branches a loop over names
        // predicts): each name starts its lookup as soon as the previous closing quote is found.
        let mut at = self.at;
        for read in 0..max {
            if b.get(at) == Some(&b'"') {
                let start = at + 1;
                let rest = b.get(start..)?;
                // Nearer the end of the input than a window: the rest copied into a zeroed one
                // (no byte of an earlier copy is read as this name's).
                let w = match rest.first_chunk() {
                    Some(w) => w,
                    None => {
                        pad = [0; WINDOW];
                        pad.get_mut(..rest.len())?.copy_from_slice(rest);
                        &pad
                    }
                };
                // The common separator, `", "` after the name, read in the window: the next
                // name's opening quote is 3 bytes on.
                let (len, taken, next) = match quote_in(w) {
                    Some(len) => (len, take(w, len), w.get(len..len + 4) == Some(b"\", \"")),
                    None => (memchr::memchr(b'"', rest)?, false, false),
                };
                let end = start + len;
                if !taken {
                    // Not taken: checked as any identifier is.
                    let bytes = b.get(start..end)?;
                    if plain_len(bytes) != bytes.len() || bytes.len() > MAX_ID_LEN {
                        return None;
                    }
                    out.push(name(utf8(bytes)?));
                }
                if next {
                    at = end + 3;
                    continue;
                }
                at = end + 1;
            } else {
                self.at = at;
                out.push(other(self)?);
                at = self.at;
            }
            match b.get(at) {
                Some(b',') => at += 1 + usize::from(b.get(at + 1) == Some(&b' ')),
                Some(b']') => {
                    self.at = at + 1;
                    return Some((out, read + 1));
                }
                _ => {
                    self.at = at;
                    if self.end_or_comma(b']')? {
                        return Some((out, read + 1));
                    }
                    at = self.at;
                }
            }
        }
        // More than `max` items.
        None
    }

    /// `{"name": value, ...}`, each value read by `field` given its name's bytes: not checked
    /// for UTF-8, which a name equal to one `field` expects is. A `field` that reads the value of
    /// a name it does not know (an ignored field) checks the name with [`unknown`].
    #[inline]
    pub(crate) fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, &'a [u8]) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        if self.eat_if(b'}') {
            return Some(());
        }
        loop {
            let name = self.raw_string()?;
            self.eat(b':')?;
            field(self, name)?;
            if self.end_or_comma(b'}')? {
                return Some(());
            }
        }
    }

    /// Any value of the subset, read through and dropped (an ignored top-level field).
    pub(crate) fn skip(&mut self) -> Option<()> {
        self.skip_nested(DEPTH)
    }

    fn skip_nested(&mut self, depth: u8) -> Option<()> {
        let inner = depth.checked_sub(1)?;
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self.object(|r, name| {
                unknown(name)?;
                r.skip_nested(inner)
            }),
            // `()` is zero-sized: the list allocates nothing.
            b'[' => self.list(usize::MAX, |r| r.skip_nested(inner)).map(drop),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'-' => {
                self.at += 1;
                self.small_int()
            }
            _ => self.small_int(),
        }
    }

    /// An integer of at most 18 digits (an `i64` or `u64` to serde_json, never a float).
    fn small_int(&mut self) -> Option<()> {
        let rest = self.bytes().get(self.at..)?;
        let digits = rest.iter().take_while(|d| d.is_ascii_digit()).count();
        (1..=18).contains(&digits).then_some(())?;
        self.uint().map(drop)
    }
}

/// The bytes [`quote_in`] looks at, and [`Reader::ids_or`] hands to its `take`: a row of the
/// catalog's name table.
pub(crate) const WINDOW: usize = crate::catalog::names::ROW;

/// An object's field name that its reader does not know, if it is UTF-8 (serde_json reads every
/// name as a string, ignored or not).
pub(crate) fn unknown(name: &[u8]) -> Option<()> {
    utf8(name).map(drop)
}

mod items;
mod scan;

#[cfg(test)]
mod tests;
