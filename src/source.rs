//! One checked file's text, with the position and style facts every stage needs.

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_source_file::{LineIndex, OneIndexed};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// A 1-based row and a 1-based column counted in characters, as Ruff reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub row: usize,
    pub column: usize,
}

/// The text of a file plus its line index (built on first use — most files have no
/// diagnostic and need no rows — and shared by checker, fixes, output).
#[derive(Debug)]
pub struct SourceText {
    text: String,
    index: std::sync::OnceLock<LineIndex>,
}

impl SourceText {
    pub fn new(text: String) -> Self {
        Self {
            text,
            index: std::sync::OnceLock::new(),
        }
    }

    fn index(&self) -> &LineIndex {
        self.index
            .get_or_init(|| LineIndex::from_source_text(&self.text))
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn location(&self, offset: TextSize) -> Location {
        let lc = self.index().line_column(offset, &self.text);
        Location {
            row: lc.line.get(),
            column: lc.column.get(),
        }
    }

    /// The 1-based row holding `offset`.
    pub fn row(&self, offset: TextSize) -> usize {
        self.index().line_index(offset).get()
    }

    pub fn line_start(&self, offset: TextSize) -> TextSize {
        let row = self.index().line_index(offset);
        self.index().line_start(row, &self.text)
    }

    /// The end of the line holding `offset`, before its line break.
    pub fn line_end(&self, offset: TextSize) -> TextSize {
        let row = self.index().line_index(offset);
        self.row_end(row)
    }

    /// The end of `row` before its line break (the line index's own `line_end` includes it).
    fn row_end(&self, row: OneIndexed) -> TextSize {
        let start = self.index().line_start(row, &self.text);
        let end = self.index().line_end(row, &self.text);
        let line = &self.text[TextRange::new(start, end)];
        let content = line.trim_end_matches(['\n', '\r']);
        start + TextSize::of(content)
    }

    /// The start of the line after the one holding `offset` (end of file if last).
    pub fn next_line_start(&self, offset: TextSize) -> TextSize {
        let row = self.index().line_index(offset);
        match row.checked_add(OneIndexed::MIN) {
            Some(next) if next.get() <= self.index().line_count() => {
                self.index().line_start(next, &self.text)
            }
            _ => TextSize::of(self.text.as_str()),
        }
    }

    /// The text of the 1-based `row`, without its line break.
    pub fn line_text(&self, row: usize) -> &str {
        let Some(row) = OneIndexed::new(row) else {
            return "";
        };
        if row.get() > self.index().line_count() {
            return "";
        }
        let range = TextRange::new(self.index().line_start(row, &self.text), self.row_end(row));
        &self.text[range]
    }

    pub fn slice(&self, range: TextRange) -> &str {
        &self.text[range]
    }

    /// The offset where 1-based `row` starts (end of file past the last row).
    pub fn row_start(&self, row: usize) -> TextSize {
        match OneIndexed::new(row) {
            Some(row) if row.get() <= self.index().line_count() => {
                self.index().line_start(row, &self.text)
            }
            _ => TextSize::of(self.text.as_str()),
        }
    }

    pub fn text_len(&self) -> TextSize {
        TextSize::of(self.text.as_str())
    }

    pub fn line_count(&self) -> usize {
        self.index().line_count()
    }
}

/// How the file writes line breaks and indentation, so generated code matches it.
#[derive(Debug, Clone)]
pub struct Stylist {
    pub line_ending: &'static str,
    pub indent_unit: String,
}

impl Stylist {
    pub fn detect(text: &str, tokens: &Tokens) -> Self {
        let line_ending = match memchr::memchr(b'\n', text.as_bytes()) {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
            Some(_) => "\n",
            None => match memchr::memchr(b'\r', text.as_bytes()) {
                Some(_) => "\r",
                None => "\n",
            },
        };
        let indent_unit = tokens
            .iter()
            .find(|token| token.kind() == TokenKind::Indent)
            .map(|token| {
                let indent = &text[token.range()];
                // After a backslash continuation the token also covers `\` and the line break:
                // the unit is the whitespace on the indented line itself.
                let indent = indent.rsplit(['\n', '\r']).next().unwrap_or(indent);
                // An indent token covers the whole leading whitespace of the first indented line.
                if indent.starts_with('\t') {
                    "\t".to_string()
                } else {
                    indent.to_string()
                }
            })
            .filter(|unit| !unit.is_empty() && unit.chars().all(|c| c == ' ' || c == '\t'))
            .unwrap_or_else(|| "    ".to_string());
        Self {
            line_ending,
            indent_unit,
        }
    }
}

/// The leading whitespace of the line containing `offset`.
pub fn indentation_at(text: &str, line_start: TextSize) -> &str {
    let rest = &text[usize::from(line_start)..];
    let width = rest.len() - rest.trim_start_matches([' ', '\t', '\x0c']).len();
    &rest[..width]
}
