//! The open documents: their text as the editor has it (not as it is on disk), kept current by
//! applying the editor's incremental changes, and the position conversions between LSP's
//! line/character pairs (in the negotiated encoding) and the linter's byte offsets.

use std::collections::HashMap;

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Url};
use ruff_text_size::{TextRange, TextSize};

/// How a `Position`'s `character` counts: LSP's default is UTF-16 code units; a client may
/// offer UTF-8 (bytes, no conversion) or UTF-32 (characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding to use among those the client offers (`general.positionEncodings`):
    /// UTF-8 when offered (offsets need no conversion), else UTF-16, which every client has.
    pub fn negotiate(offered: Option<&[lsp_types::PositionEncodingKind]>) -> Self {
        let offered = offered.unwrap_or_default();
        if offered.contains(&lsp_types::PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.is_empty() || offered.contains(&lsp_types::PositionEncodingKind::UTF16) {
            Encoding::Utf16
        } else if offered.contains(&lsp_types::PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
            Encoding::Utf32 => lsp_types::PositionEncodingKind::UTF32,
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// Where each line of a text starts, by LSP's rules (`\n`, `\r\n` and `\r` end lines), so a
/// position converts to an offset and back without rescanning the text from its start.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + found;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next as u32);
            i = next;
        }
        Self { starts }
    }

    /// The byte offset of `position`, clamped to the text (a client may point past a line's
    /// end or past the last line, as editors do for "the end").
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line] as usize;
        let end = self.line_content_end(text, line);
        let line_text = &text[start..end];
        if encoding == Encoding::Utf8 {
            let mut at = (position.character as usize).min(line_text.len());
            while !line_text.is_char_boundary(at) {
                at -= 1;
            }
            return start + at;
        }
        let mut units = 0;
        for (index, c) in line_text.char_indices() {
            if units >= position.character {
                return start + index;
            }
            units += encoding.width(c);
        }
        end
    }

    /// The position of byte offset `offset`.
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = offset.min(text.len());
        let line = self
            .starts
            .partition_point(|&start| start as usize <= offset)
            - 1;
        let start = self.starts[line] as usize;
        let prefix = &text[start..offset];
        let character = match encoding {
            Encoding::Utf8 => prefix.len() as u32,
            _ => prefix.chars().map(|c| encoding.width(c)).sum(),
        };
        Position::new(line as u32, character)
    }

    pub fn range(&self, text: &str, range: TextRange, encoding: Encoding) -> Range {
        Range::new(
            self.position(text, usize::from(range.start()), encoding),
            self.position(text, usize::from(range.end()), encoding),
        )
    }

    pub fn text_range(&self, text: &str, range: Range, encoding: Encoding) -> TextRange {
        let start = self.offset(text, range.start, encoding);
        let end = self.offset(text, range.end, encoding).max(start);
        TextRange::new(to_size(start), to_size(end))
    }

    /// The end of `line`'s content, before its line break.
    fn line_content_end(&self, text: &str, line: usize) -> usize {
        match self.starts.get(line + 1) {
            Some(&next) => {
                let next = next as usize;
                let bytes = text.as_bytes();
                if next >= 2 && &bytes[next - 2..next] == b"\r\n" {
                    next - 2
                } else {
                    next - 1
                }
            }
            None => text.len(),
        }
    }
}

fn to_size(offset: usize) -> TextSize {
    TextSize::try_from(offset).unwrap_or(TextSize::new(u32::MAX))
}

/// One open text document.
#[derive(Debug)]
pub struct Document {
    pub text: String,
    pub version: i32,
    pub index: LineIndex,
}

impl Document {
    pub fn new(text: String, version: i32) -> Self {
        let index = LineIndex::new(&text);
        Self {
            text,
            version,
            index,
        }
    }

    /// Applies the editor's changes in order (each range is relative to the text the previous
    /// change left); a change without a range replaces the whole text.
    pub fn apply_changes(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
        encoding: Encoding,
    ) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let range = self.index.text_range(&self.text, range, encoding);
                    self.text.replace_range(
                        usize::from(range.start())..usize::from(range.end()),
                        &change.text,
                    );
                }
                None => self.text = change.text,
            }
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
    }

    pub fn range(&self, range: TextRange, encoding: Encoding) -> Range {
        self.index.range(&self.text, range, encoding)
    }

    pub fn text_range(&self, range: Range, encoding: Encoding) -> TextRange {
        self.index.text_range(&self.text, range, encoding)
    }
}

/// The open documents by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Url, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Url, text: String, version: i32) {
        self.open.insert(uri, Document::new(text, version));
    }

    pub fn close(&mut self, uri: &Url) {
        self.open.remove(uri);
    }

    pub fn get(&self, uri: &Url) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn get_key_value(&self, uri: &Url) -> Option<(&Url, &Document)> {
        self.open.get_key_value(uri)
    }

    pub fn get_mut(&mut self, uri: &Url) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    pub fn uris(&self) -> impl Iterator<Item = &Url> {
        self.open.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_in_every_encoding() {
        let text = "a = 'é𝄞'\r\nb\rc\n";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(
            index.position(text, b, Encoding::Utf16),
            Position::new(1, 0)
        );
        let after = text.find("'\r").unwrap();
        // `é` is one UTF-16 unit, `𝄞` two; in UTF-8 they are 2 and 4 bytes.
        assert_eq!(
            index.position(text, after, Encoding::Utf16),
            Position::new(0, 8)
        );
        assert_eq!(
            index.position(text, after, Encoding::Utf32),
            Position::new(0, 7)
        );
        assert_eq!(
            index.position(text, after, Encoding::Utf8),
            Position::new(0, 11)
        );
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for offset in [0, b, after, text.find('c').unwrap(), text.len()] {
                let position = index.position(text, offset, encoding);
                assert_eq!(index.offset(text, position, encoding), offset);
            }
        }
        // Past the end of a line: the line's end; past the last line: the text's end.
        assert_eq!(
            index.offset(text, Position::new(1, 99), Encoding::Utf16),
            b + 1
        );
        assert_eq!(
            index.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut document = Document::new("x = 1\ny = 2\n".to_string(), 1);
        let change = |line, from, to, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(line, from),
                Position::new(line, to),
            )),
            range_length: None,
            text: text.to_string(),
        };
        document.apply_changes(
            vec![change(0, 4, 5, "10"), change(1, 0, 0, "# two\n")],
            2,
            Encoding::Utf16,
        );
        assert_eq!(document.text, "x = 10\n# two\ny = 2\n");
        assert_eq!(document.version, 2);
    }
}
