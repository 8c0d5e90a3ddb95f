//! The reader's scans and number parsing.

use super::scan::{first_special, plain_len, quote_in};
use super::{Reader, WINDOW};

#[test]
fn plain_len_stops_at_the_first_special_byte_at_any_offset() {
    for len in 0..20 {
        for special in [b'"', b'\\', b'\n', 0x1f] {
            let mut s = vec![b'a'; 24];
            s[len] = special;
            assert_eq!(plain_len(&s), len, "byte {special:#x} at {len}");
        }
    }
    assert_eq!(plain_len(b"abc\x7f\xc3\xa9defghijk"), 14);
}

/// Every byte value, at every offset of a word and in the byte-by-byte tail: the scan stops
/// exactly at quotes, backslashes and control characters, and at nothing else.
#[test]
fn plain_len_stops_at_exactly_the_special_bytes() {
    for c in 0..=255u8 {
        let special = c == b'"' || c == b'\\' || c < 0x20;
        for at in 0..20 {
            let mut s = vec![b'a'; 20];
            s[at] = c;
            let want = if special { at } else { 20 };
            assert_eq!(plain_len(&s), want, "byte {c:#x} at {at}");
        }
    }
}

/// The in-line first look agrees with [`plain_len`] wherever it answers: every byte value at
/// every offset of its 16 bytes, a second special byte after the first, and inputs of fewer than
/// 16 bytes (no answer: the byte loop decides). It answers on x86-64 only.
#[test]
fn first_special_finds_exactly_the_special_bytes_of_the_first_16() {
    let answers = cfg!(target_arch = "x86_64");
    for c in 0..=255u8 {
        let special = c == b'"' || c == b'\\' || c < 0x20;
        for at in 0..20 {
            let mut s = vec![b'a'; 20];
            s[at] = c;
            s[19] = b'"';
            let want = (answers && special && at < 16).then_some(at);
            assert_eq!(first_special(&s), want, "byte {c:#x} at {at}");
            assert_eq!(
                first_special(&s).unwrap_or_else(|| plain_len(&s)),
                plain_len(&s)
            );
        }
    }
    let mut s = *b"ab\"cd\\efghijklmnop";
    assert_eq!(first_special(&s), answers.then_some(2));
    s[2] = b'x';
    assert_eq!(first_special(&s), answers.then_some(5));
    for len in 0..16 {
        assert_eq!(first_special(&b"\"".repeat(16)[..len]), None, "{len} bytes");
    }
}

/// The window's first quote at every offset, whatever follows it; none: `None`. Bytes that
/// differ from a quote in one bit (the high one, the lowest) are not quotes.
#[test]
fn quote_in_finds_the_first_quote_at_every_offset() {
    for at in 0..WINDOW {
        let mut w = [b'a'; WINDOW];
        w[at] = b'"';
        w[WINDOW - 1] = b'"';
        assert_eq!(quote_in(&w), Some(at), "quote at {at}");
    }
    for other in [b'a', 0xa2, 0x23, 0x02] {
        assert_eq!(quote_in(&[other; WINDOW]), None, "byte {other:#x}");
    }
}

/// A list of names read by `ids_or`: each name of every length from 0 to 70 bytes, with the
/// input ending right after the list (no window of bytes after the name: the fallback) or
/// going on (the window). `take` is handed each name shorter than the window, and takes those
/// starting with `x`; the others are listed.
#[test]
fn ids_or_reads_names_near_the_end_of_the_input_and_far_from_it() {
    for len in 0..70 {
        let name = "k".repeat(len);
        for tail in ["", &" ".repeat(80)] {
            let text = format!(r#"["{name}", "x{name}"]{tail}"#);
            let mut r = Reader::new(text.as_bytes());
            let (mut taken, mut named) = (Vec::new(), Vec::new());
            let out = r.ids_or(
                Vec::new(),
                4,
                |w, len| {
                    // The name's bytes, then the closing quote or (copied) zeros.
                    let after = w[len..].first().copied();
                    assert!(after == Some(b'"') || after == Some(0), "{len} bytes");
                    assert!(w[..len].iter().all(|&c| c == b'x' || c == b'k'));
                    taken.push(len);
                    w[0] == b'x'
                },
                |s| named.push(s.to_string()),
                |_| None,
            );
            let x_name = format!("x{name}");
            // A name is handed with its closing quote within the window.
            let (handed, listed): (Vec<usize>, Vec<&str>) = match len + 1 {
                n if n < WINDOW => (vec![len, len + 1], vec![&name]),
                n if n == WINDOW => (vec![len], vec![&name, &x_name]),
                _ => (vec![], vec![&name, &x_name]),
            };
            let at = format!("{len} bytes, {}", tail.len());
            assert_eq!(
                out.map(|(o, n)| (o.len(), n)),
                Some((listed.len(), 2)),
                "{at}"
            );
            assert_eq!(named, listed, "{at}");
            assert_eq!(taken, handed, "{at}");
        }
    }
}

/// An unterminated name near the end of the input is declined, and no byte of the name copied
/// before it is handed to `take` as its own.
#[test]
fn ids_or_hands_take_no_stale_bytes() {
    let text = br#"["abcdefghijklmnop", "a"#;
    let mut handed = Vec::new();
    let out = Reader::new(text).ids_or(
        Vec::new(),
        4,
        |w, len| {
            handed.push(w[..len].to_vec());
            false
        },
        |s| s.to_string(),
        |_| None,
    );
    assert!(out.is_none());
    assert_eq!(handed, [b"abcdefghijklmnop".to_vec()]);
}

#[test]
fn numbers_are_read_as_serde_json_reads_a_u64() {
    let read = |s: &str| Reader::new(s.as_bytes()).uint();
    assert_eq!(read(" 0"), Some(0));
    assert_eq!(read("18446744073709551615"), Some(u64::MAX));
    for declined in ["18446744073709551616", "01", "1.0", "1e3", "-1", "", "x"] {
        assert_eq!(read(declined), None, "{declined}");
    }
}

/// `utf8` accepts exactly what `str::from_utf8` accepts: every string of up to three bytes drawn
/// from bytes at the edges of UTF-8's ranges, and a few longer ones.
#[test]
fn utf8_agrees_with_str_from_utf8() {
    let edges = [
        0x00, 0x22, 0x41, 0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xff,
    ];
    let mut cases: Vec<Vec<u8>> = vec![Vec::new(), "é🦀x".into(), b"bu-\xc3\xa9-\xff".to_vec()];
    for &a in &edges {
        for &b in &edges {
            for &c in &edges {
                cases.extend([vec![a], vec![a, b], vec![a, b, c]]);
            }
        }
    }
    for case in cases {
        assert_eq!(
            super::utf8(&case),
            std::str::from_utf8(&case).ok(),
            "{case:x?}"
        );
    }
}
