//! Where the text the linter saw came from: one document, or a notebook's code cells joined
//! into one module (so names defined in one cell are known in the next, as when the notebook
//! runs). Offsets in the linted text map to a document and a position in it, and back.

use lsp_types::{Range, Url};
use ruff_text_size::{TextRange, TextSize};

use super::documents::{Document, Encoding};

/// One document's part of the linted text.
pub struct Part<'a> {
    pub uri: &'a Url,
    pub document: &'a Document,
    /// Where the document's text starts in the linted text.
    pub start: usize,
}

pub struct Layout<'a> {
    /// In order of `start`.
    pub parts: Vec<Part<'a>>,
    pub encoding: Encoding,
    /// The parts are a notebook's cells.
    pub notebook: bool,
}

impl<'a> Layout<'a> {
    pub fn file(uri: &'a Url, document: &'a Document, encoding: Encoding) -> Self {
        Self {
            parts: vec![Part {
                uri,
                document,
                start: 0,
            }],
            encoding,
            notebook: false,
        }
    }

    fn part_at(&self, offset: usize) -> Option<&Part<'a>> {
        let index = self.parts.partition_point(|part| part.start <= offset);
        self.parts.get(index.checked_sub(1)?)
    }

    /// The document and range of `range` of the linted text. A range that runs past its
    /// document's end (into the line break a cell was given, or into the next cell) is cut at
    /// that end.
    pub fn locate(&self, range: TextRange) -> Option<(&'a Url, Range)> {
        let start = usize::from(range.start());
        let part = self.part_at(start)?;
        let len = part.document.text.len();
        let local = |offset: usize| TextSize::try_from((offset - part.start).min(len)).ok();
        let local = TextRange::new(local(start)?, local(usize::from(range.end()).max(start))?);
        Some((part.uri, part.document.range(local, self.encoding)))
    }

    /// `range` of the document `uri` as a range of the linted text.
    pub fn to_linted(&self, uri: &Url, range: Range) -> Option<TextRange> {
        let part = self.parts.iter().find(|part| part.uri == uri)?;
        let local = part.document.text_range(range, self.encoding);
        let shift = TextSize::try_from(part.start).ok()?;
        Some(local + shift)
    }
}
