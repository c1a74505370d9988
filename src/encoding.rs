//! Source encodings as Python reads them (PEP 263): a UTF-8 byte-order mark, or a coding
//! declaration (`# -*- coding: latin-1 -*-`) on the first line, or on the second when the first
//! is blank or a comment; UTF-8 otherwise. Files are decoded for checking and encoded back in
//! the same encoding when fixed, byte for byte outside the fix.

use encoding_rs::Encoding;

const BOM: &[u8] = b"\xef\xbb\xbf";

/// How a file's bytes map to text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    /// Python's `latin-1`: each byte is the code point of the same number. (The web's
    /// "latin1" label means windows-1252, which differs from 0x80 to 0x9f.)
    Latin1,
    /// Python's `ascii`: bytes below 0x80 only.
    Ascii,
    /// Any other ASCII-compatible encoding Python and the WHATWG encoding standard both know
    /// (cp1252, iso-8859-15, koi8-r, shift_jis, euc-jp, gbk, big5 ...).
    Other(&'static Encoding),
}

impl SourceEncoding {
    /// The name to show people.
    pub fn name(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "utf-8",
            SourceEncoding::Latin1 => "latin-1",
            SourceEncoding::Ascii => "ascii",
            SourceEncoding::Other(encoding) => encoding.name(),
        }
    }
}

/// A file's text with what is needed to write it back as it was stored.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Without the byte-order mark, so positions start at the code.
    pub text: String,
    pub has_bom: bool,
    pub encoding: SourceEncoding,
    /// For [`SourceEncoding::Other`]: the bytes after the byte-order mark, to refuse a write
    /// that would change bytes outside the fix.
    original: Option<Vec<u8>>,
}

/// Why bytes are not Python source (each of these is a `SyntaxError` in Python).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// No declaration, and not UTF-8.
    NotUtf8 {
        at: BytePosition,
    },
    /// Bytes the declared encoding cannot decode.
    Invalid {
        encoding: &'static str,
        declared_on: usize,
        at: BytePosition,
    },
    UnknownEncoding {
        name: String,
        declared_on: usize,
    },
    /// UTF-16 and the like: the declaration itself could not be read in them.
    NotAsciiCompatible {
        name: String,
        declared_on: usize,
    },
    BomMismatch {
        name: String,
        declared_on: usize,
    },
}

/// Where an undecodable byte is: its value, 1-based line, 1-based byte column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BytePosition {
    pub byte: u8,
    pub line: usize,
    pub column: usize,
}

impl BytePosition {
    fn of(bytes: &[u8], offset: usize) -> Self {
        let before = &bytes[..offset];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        Self {
            byte: bytes[offset],
            line: 1 + before
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && before.get(i + 1) != Some(&b'\n')))
                .count(),
            column: offset - line_start + 1,
        }
    }
}

impl std::fmt::Display for BytePosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid byte 0x{:02X} at line {}, column {}",
            self.byte, self.line, self.column
        )
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::NotUtf8 { at } => write!(
                f,
                "not valid UTF-8 ({at}) and no PEP 263 coding declaration on its first two lines"
            ),
            DecodeError::Invalid {
                encoding,
                declared_on,
                at,
            } => write!(
                f,
                "not valid {encoding}, the encoding declared on line {declared_on} ({at})"
            ),
            DecodeError::UnknownEncoding { name, declared_on } => {
                write!(f, "unknown encoding `{name}` declared on line {declared_on}")
            }
            DecodeError::NotAsciiCompatible { name, declared_on } => write!(
                f,
                "the encoding `{name}` declared on line {declared_on} cannot encode Python source (it is not ASCII-compatible)"
            ),
            DecodeError::BomMismatch { name, declared_on } => write!(
                f,
                "a UTF-8 byte-order mark and the coding declaration `{name}` on line {declared_on} disagree"
            ),
        }?;
        write!(f, "; Python would reject it")
    }
}

/// Why fixed text cannot be written back in the file's encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// A character the encoding has no bytes for.
    Unmappable {
        encoding: &'static str,
        character: char,
    },
    /// Decoding and encoding the original text does not give back the original bytes (a
    /// multi-byte encoding with several byte sequences for one character): writing would
    /// change bytes the fix did not touch.
    NotRoundTrip { encoding: &'static str },
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EncodeError::Unmappable {
                encoding,
                character,
            } => write!(
                f,
                "the fixed text has {character:?} (U+{:04X}), which the file's encoding {encoding} cannot hold",
                u32::from(*character)
            ),
            EncodeError::NotRoundTrip { encoding } => write!(
                f,
                "its {encoding} bytes do not survive decoding and encoding unchanged, so writing it would alter more than the fix"
            ),
        }
    }
}

/// Decodes a Python source file as Python would.
pub fn decode(mut bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    let has_bom = bytes.starts_with(BOM);
    let bom_length = if has_bom { BOM.len() } else { 0 };
    let declared = declaration(&bytes[bom_length..]);
    let encoding = match &declared {
        None => SourceEncoding::Utf8,
        Some((name, line)) => {
            let encoding = lookup(name).map_err(|not_ascii_compatible| {
                let (name, declared_on) = (name.clone(), *line);
                if not_ascii_compatible {
                    DecodeError::NotAsciiCompatible { name, declared_on }
                } else {
                    DecodeError::UnknownEncoding { name, declared_on }
                }
            })?;
            if has_bom && encoding != SourceEncoding::Utf8 {
                return Err(DecodeError::BomMismatch {
                    name: name.clone(),
                    declared_on: *line,
                });
            }
            encoding
        }
    };
    let declared_on = declared.map(|(_, line)| line);
    let invalid = |body: &[u8], offset: usize| {
        let at = BytePosition::of(body, offset);
        match declared_on {
            None => DecodeError::NotUtf8 { at },
            Some(declared_on) => DecodeError::Invalid {
                encoding: encoding.name(),
                declared_on,
                at,
            },
        }
    };
    if encoding == SourceEncoding::Utf8 {
        // The common case: the bytes become the text without a copy.
        bytes.drain(..bom_length);
        let text = String::from_utf8(bytes).map_err(|error| {
            let offset = error.utf8_error().valid_up_to();
            invalid(&error.into_bytes(), offset)
        })?;
        return Ok(Decoded {
            text,
            has_bom,
            encoding,
            original: None,
        });
    }
    let body = &bytes[bom_length..];
    let text = match encoding {
        SourceEncoding::Latin1 => body.iter().map(|&b| char::from(b)).collect(),
        SourceEncoding::Ascii => match body.iter().position(|b| !b.is_ascii()) {
            Some(offset) => return Err(invalid(body, offset)),
            None => String::from_utf8(body.to_vec()).expect("ASCII is UTF-8"),
        },
        SourceEncoding::Other(other) => {
            match other.decode_without_bom_handling_and_without_replacement(body) {
                Some(text) => text.into_owned(),
                None => return Err(invalid(body, first_undecodable(other, body))),
            }
        }
        SourceEncoding::Utf8 => unreachable!("decoded above"),
    };
    let original = matches!(encoding, SourceEncoding::Other(_)).then(|| body.to_vec());
    Ok(Decoded {
        text,
        has_bom,
        encoding,
        original,
    })
}

/// Encodes `text` (the fixed version of `decoded`) for writing back, with the byte-order mark
/// if the file had one.
pub fn encode(text: &str, decoded: &Decoded) -> Result<Vec<u8>, EncodeError> {
    let mut bytes = if decoded.has_bom {
        BOM.to_vec()
    } else {
        Vec::new()
    };
    match decoded.encoding {
        SourceEncoding::Utf8 => bytes.extend_from_slice(text.as_bytes()),
        SourceEncoding::Latin1 | SourceEncoding::Ascii => {
            let limit = if decoded.encoding == SourceEncoding::Latin1 {
                0xff
            } else {
                0x7f
            };
            for character in text.chars() {
                match u8::try_from(u32::from(character)) {
                    Ok(byte) if u32::from(byte) <= limit => bytes.push(byte),
                    _ => {
                        return Err(EncodeError::Unmappable {
                            encoding: decoded.encoding.name(),
                            character,
                        })
                    }
                }
            }
        }
        SourceEncoding::Other(encoding) => {
            let unchanged = encoding.encode(&decoded.text).0;
            if decoded.original.as_deref() != Some(&*unchanged) {
                return Err(EncodeError::NotRoundTrip {
                    encoding: encoding.name(),
                });
            }
            if let Some(character) = text.chars().find(|&c| !encodable(encoding, c)) {
                return Err(EncodeError::Unmappable {
                    encoding: encoding.name(),
                    character,
                });
            }
            bytes.extend_from_slice(&encoding.encode(text).0);
        }
    }
    Ok(bytes)
}

/// Whether `encoding` has bytes for `character` (encoding_rs writes an HTML character
/// reference for the others, which must never reach a Python file).
fn encodable(encoding: &'static Encoding, character: char) -> bool {
    let mut buffer = [0u8; 4];
    !encoding.encode(character.encode_utf8(&mut buffer)).2
}

/// The offset of the first byte `encoding` cannot decode.
fn first_undecodable(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut output = vec![0u8; decoder.max_utf8_buffer_length(bytes.len()).unwrap_or(0)];
    let (result, read, _) = decoder.decode_to_utf8_without_replacement(bytes, &mut output, true);
    match result {
        encoding_rs::DecoderResult::Malformed(length, consumed_after) => {
            read.saturating_sub(usize::from(length) + usize::from(consumed_after))
        }
        _ => 0,
    }
}

/// The encoding name of a PEP 263 declaration on line 1, or on line 2 when line 1 is blank or
/// only a comment, with its line number. The same test as Python's `tokenize.detect_encoding`.
fn declaration(bytes: &[u8]) -> Option<(String, usize)> {
    let mut lines = bytes.split_inclusive(|&b| b == b'\n').take(2);
    let first = lines.next()?;
    if let Some(name) = cookie(first) {
        return Some((name, 1));
    }
    if !is_blank_or_comment(first) {
        return None;
    }
    cookie(lines.next()?).map(|name| (name, 2))
}

/// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on one line.
fn cookie(line: &[u8]) -> Option<String> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let indent = line
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
        .count();
    let comment = line[indent..].strip_prefix(b"#")?;
    let mut search = 0;
    while let Some(found) = find(&comment[search..], b"coding") {
        let after = search + found + b"coding".len();
        search = search + found + 1;
        if !matches!(comment.get(after), Some(b':' | b'=')) {
            continue;
        }
        let rest = &comment[after + 1..];
        let rest = &rest[rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count()..];
        let name: Vec<u8> = rest
            .iter()
            .copied()
            .take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            .collect();
        if !name.is_empty() {
            return Some(String::from_utf8(name).expect("ASCII"));
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn is_blank_or_comment(line: &[u8]) -> bool {
    let indent = line
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
        .count();
    matches!(line.get(indent), None | Some(b'#' | b'\r' | b'\n'))
}

/// Python's codec for a declared name. `Err(true)`: a known encoding that is not
/// ASCII-compatible; `Err(false)`: unknown.
fn lookup(name: &str) -> Result<SourceEncoding, bool> {
    let lower = name.to_ascii_lowercase();
    // Python's own normalisation (tokenize._get_normal_name) and its codec aliases.
    let normal = lower.replace('_', "-");
    if normal == "utf-8" || normal.starts_with("utf-8-") || normal == "utf8" {
        return Ok(SourceEncoding::Utf8);
    }
    if matches!(
        normal.as_str(),
        "latin-1"
            | "iso-8859-1"
            | "iso-latin-1"
            | "latin1"
            | "latin"
            | "l1"
            | "iso8859-1"
            | "iso8859"
            | "8859"
            | "cp819"
            | "iso-8859-1-1987"
    ) || ["latin-1-", "iso-8859-1-", "iso-latin-1-"]
        .iter()
        .any(|prefix| normal.starts_with(prefix))
    {
        return Ok(SourceEncoding::Latin1);
    }
    if matches!(
        normal.as_str(),
        "ascii" | "us-ascii" | "646" | "us" | "ansi-x3.4-1968" | "iso646-us" | "cp367"
    ) {
        return Ok(SourceEncoding::Ascii);
    }
    let encoding = Encoding::for_label(lower.as_bytes())
        .or_else(|| Encoding::for_label(normal.as_bytes()))
        .or_else(|| Encoding::for_label(lower.replace('-', "_").as_bytes()))
        .ok_or(false)?;
    if encoding == encoding_rs::REPLACEMENT {
        return Err(false);
    }
    if !encoding.is_ascii_compatible() || encoding.output_encoding() != encoding {
        return Err(true);
    }
    Ok(SourceEncoding::Other(encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_as_python_finds_them() {
        assert_eq!(
            declaration(b"# -*- coding: latin-1 -*-\n"),
            Some(("latin-1".into(), 1))
        );
        assert_eq!(
            declaration(b"#!/usr/bin/python\n# vim: set fileencoding=koi8-r :\n"),
            Some(("koi8-r".into(), 2))
        );
        assert_eq!(
            declaration(b"\n  # coding=cp1252\n"),
            Some(("cp1252".into(), 2))
        );
        // Line 2 is read only after a blank or comment line.
        assert_eq!(declaration(b"x = 1\n# coding: latin-1\n"), None);
        // Not in a comment.
        assert_eq!(declaration(b"s = 'coding: latin-1'\n"), None);
        // Line 3 never counts.
        assert_eq!(declaration(b"#\n#\n# coding: latin-1\n"), None);
        assert_eq!(declaration(b"# encoding: utf8\n"), Some(("utf8".into(), 1)));
    }

    #[test]
    fn python_codec_names() {
        assert_eq!(lookup("UTF-8"), Ok(SourceEncoding::Utf8));
        assert_eq!(lookup("utf_8"), Ok(SourceEncoding::Utf8));
        assert_eq!(lookup("ISO-8859-1"), Ok(SourceEncoding::Latin1));
        assert_eq!(lookup("latin_1"), Ok(SourceEncoding::Latin1));
        assert_eq!(lookup("ascii"), Ok(SourceEncoding::Ascii));
        assert_eq!(
            lookup("cp1252"),
            Ok(SourceEncoding::Other(encoding_rs::WINDOWS_1252))
        );
        assert_eq!(
            lookup("shift_jis"),
            Ok(SourceEncoding::Other(encoding_rs::SHIFT_JIS))
        );
        assert_eq!(
            lookup("euc-jp"),
            Ok(SourceEncoding::Other(encoding_rs::EUC_JP))
        );
        assert_eq!(lookup("utf-16"), Err(true));
        assert_eq!(lookup("klingon"), Err(false));
    }

    #[test]
    fn unencodable_characters_are_refused_never_escaped() {
        let decoded = decode(b"# coding: latin-1\nx = 1\n".to_vec()).unwrap();
        assert_eq!(
            encode("x = '\u{20ac}'\n", &decoded),
            Err(EncodeError::Unmappable {
                encoding: "latin-1",
                character: '\u{20ac}'
            })
        );
        let original = b"# coding: koi8-r\nx = 1\n";
        let decoded = decode(original.to_vec()).unwrap();
        assert_eq!(
            encode("x = '\u{3042}'\n", &decoded),
            Err(EncodeError::Unmappable {
                encoding: "KOI8-R",
                character: '\u{3042}'
            })
        );
    }

    #[test]
    fn undecodable_bytes_are_located() {
        let error = decode(b"# coding: shift_jis\nx = 1\ny = '\x82'\n".to_vec()).unwrap_err();
        assert_eq!(
            error,
            DecodeError::Invalid {
                encoding: "Shift_JIS",
                declared_on: 1,
                at: BytePosition {
                    byte: 0x82,
                    line: 3,
                    column: 6
                }
            }
        );
    }
}
