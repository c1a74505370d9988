//! Jupyter notebooks: the code cells are joined into one module (so an import in the first
//! cell resolves a call in the fifth) and go through the same parse, walk and fix passes as a
//! `.py` file; diagnostics are mapped back to (cell, row in the cell), and a fixed notebook is
//! written back by replacing only the `source` values of the cells that changed, so outputs,
//! metadata, key order, indentation and the final newline stay byte for byte as they were.
//!
//! `ruff_notebook` (0.0.10) was considered: it re-serialises the whole notebook with one-space
//! indentation, which rewrites every notebook not saved by Jupyter itself; splicing keeps them.

use std::ops::Range;

use ruff_text_size::{Ranged, TextRange, TextSize};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diagnostic::Edit;
use crate::source::{Location, SourceText};

/// Cell magics whose body is Python (IPython runs it as such); a cell opened by any other
/// `%%magic` (`%%bash`, `%%html`, `%%writefile` ...) is not Python and is left alone.
const PYTHON_CELL_MAGICS: &[&str] = &[
    "capture", "debug", "prun", "pypy", "python", "python3", "time", "timeit",
];

/// Why a notebook cannot be read.
#[derive(Debug)]
pub struct NotebookError(String);

impl std::fmt::Display for NotebookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a valid Jupyter notebook: {}", self.0)
    }
}

#[derive(Deserialize)]
struct RawNotebook<'a> {
    #[serde(borrow)]
    cells: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    metadata: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawCell<'a> {
    cell_type: String,
    #[serde(borrow)]
    source: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SourceValue {
    Text(String),
    Lines(Vec<String>),
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    kernelspec: Option<Language>,
    #[serde(default)]
    language_info: Option<LanguageInfo>,
}

#[derive(Deserialize)]
struct Language {
    #[serde(default)]
    language: Option<String>,
}

#[derive(Deserialize)]
struct LanguageInfo {
    #[serde(default)]
    name: Option<String>,
}

/// One code cell that takes part in the check.
#[derive(Debug, Clone)]
struct CodeCell {
    /// 1-based position among all cells (markdown included), as Ruff and editors count.
    number: usize,
    /// Byte range of the cell's `source` value in the notebook's JSON text.
    span: Range<usize>,
    /// The source was a list of lines (nbformat's usual form) rather than one string.
    list: bool,
    /// The original lines with their JSON tokens, to keep unchanged lines byte for byte.
    tokens: Vec<(String, Range<usize>)>,
    text: String,
    /// A line break was added to join the cell (its source did not end with one).
    added_newline: bool,
}

/// A parsed notebook: its JSON text and the code cells checked.
#[derive(Debug, Clone)]
pub struct Notebook {
    raw: String,
    cells: Vec<CodeCell>,
}

/// Where each checked cell starts in the joined source, kept current through fix passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellMap {
    starts: Vec<TextSize>,
    numbers: Vec<usize>,
}

impl Notebook {
    /// Parses a notebook's JSON. A notebook whose kernel is not Python has no cells to check.
    pub fn parse(raw: String) -> Result<Self, NotebookError> {
        let notebook: RawNotebook =
            serde_json::from_str(&raw).map_err(|error| NotebookError(error.to_string()))?;
        let metadata: Metadata = notebook
            .metadata
            .and_then(|m| serde_json::from_str(m.get()).ok())
            .unwrap_or_default();
        let language = metadata
            .kernelspec
            .and_then(|k| k.language)
            .or_else(|| metadata.language_info.and_then(|l| l.name));
        let python = language.is_none_or(|name| name.eq_ignore_ascii_case("python"));
        let base = raw.as_ptr() as usize;
        let offset_of = |value: &RawValue| value.get().as_ptr() as usize - base;
        let mut cells = Vec::new();
        for (index, cell) in notebook.cells.iter().enumerate() {
            let cell: RawCell = serde_json::from_str(cell.get())
                .map_err(|error| NotebookError(format!("cell {}: {error}", index + 1)))?;
            if cell.cell_type != "code" || !python {
                continue;
            }
            // Re-parse the borrowed slice so the element tokens point into `raw` too.
            let source_raw: &RawValue = cell.source;
            let start = offset_of(source_raw);
            let span = start..start + source_raw.get().len();
            let value: SourceValue = serde_json::from_str(source_raw.get())
                .map_err(|error| NotebookError(format!("cell {}: {error}", index + 1)))?;
            let (text, list, tokens) = match value {
                SourceValue::Text(text) => (text, false, Vec::new()),
                SourceValue::Lines(lines) => {
                    let elements: Vec<&RawValue> = serde_json::from_str(source_raw.get())
                        .map_err(|error| NotebookError(format!("cell {}: {error}", index + 1)))?;
                    let tokens = lines
                        .iter()
                        .cloned()
                        .zip(elements.iter().map(|element| {
                            let at = offset_of(element);
                            at..at + element.get().len()
                        }))
                        .collect();
                    (lines.concat(), true, tokens)
                }
            };
            if !is_checked_cell(&text) {
                continue;
            }
            let added_newline = !text.ends_with('\n');
            let mut text = text;
            if added_newline {
                text.push('\n');
            }
            cells.push(CodeCell {
                number: index + 1,
                span,
                list,
                tokens,
                text,
                added_newline,
            });
        }
        Ok(Self { raw, cells })
    }

    /// The checked cells joined into one module, and where each one starts.
    pub fn joined(&self) -> (String, CellMap) {
        let mut text = String::with_capacity(self.cells.iter().map(|c| c.text.len()).sum());
        let mut map = CellMap {
            starts: Vec::with_capacity(self.cells.len()),
            numbers: Vec::with_capacity(self.cells.len()),
        };
        for cell in &self.cells {
            map.starts.push(TextSize::of(text.as_str()));
            map.numbers.push(cell.number);
            text.push_str(&cell.text);
        }
        (text, map)
    }

    /// The texts of the cells in `joined` (split by `map`), paired with the cell numbers of
    /// those that differ from the notebook's: (number, old text, new text).
    pub fn changed_cells<'a>(
        &'a self,
        joined: &'a str,
        map: &CellMap,
    ) -> Vec<(usize, &'a str, &'a str)> {
        self.cells
            .iter()
            .enumerate()
            .filter_map(|(i, cell)| {
                let new = map.cell_text(joined, i);
                (new != cell.text).then_some((cell.number, cell.text.as_str(), new))
            })
            .collect()
    }

    /// The notebook's JSON with the cells' sources replaced by those in `joined`. Only the
    /// `source` values of changed cells are rewritten, in the layout the file already uses.
    pub fn rewrite(&self, joined: &str, map: &CellMap) -> String {
        let mut out = String::with_capacity(self.raw.len() + 256);
        let mut last = 0;
        let newline = if self.raw.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        for (i, cell) in self.cells.iter().enumerate() {
            let new = map.cell_text(joined, i);
            if new == cell.text {
                continue;
            }
            let mut new = new.to_string();
            if cell.added_newline && new.ends_with('\n') {
                new.pop();
            }
            out.push_str(&self.raw[last..cell.span.start]);
            out.push_str(&self.source_value(cell, &new, newline));
            last = cell.span.end;
        }
        out.push_str(&self.raw[last..]);
        out
    }

    /// A cell's new `source` value, formatted as the old one was.
    fn source_value(&self, cell: &CodeCell, text: &str, newline: &str) -> String {
        if !cell.list {
            return json_string(text);
        }
        if text.is_empty() {
            return "[]".to_string();
        }
        let old = &self.raw[cell.span.clone()];
        let blank = |text: &str| text.chars().all(|c| c == ' ' || c == '\t');
        let from_list = match (old.find('\n'), old.rfind('\n'), cell.tokens.first()) {
            (Some(first), Some(last), Some((_, token))) => {
                let item = old.get(first + 1..token.start - cell.span.start);
                let close = old.get(last + 1..old.len() - 1);
                match (item, close) {
                    (Some(item), Some(close)) if blank(item) && blank(close) => {
                        Some((item.to_string(), close.to_string()))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let (item_indent, close_indent) = from_list.unwrap_or_else(|| {
            // `[]`, a one-line list, or an unusual layout: indent as the file indents the line
            // holding the key.
            let line_start = self.raw[..cell.span.start]
                .rfind('\n')
                .map_or(0, |at| at + 1);
            let key_indent: String = self.raw[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            (format!("{key_indent}{}", self.indent_unit()), key_indent)
        });
        let mut value = String::from("[");
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        for (i, line) in lines.iter().enumerate() {
            value.push_str(newline);
            value.push_str(&item_indent);
            match cell.tokens.iter().find(|(old, _)| old == line) {
                Some((_, token)) => value.push_str(&self.raw[token.clone()]),
                None => value.push_str(&json_string(line)),
            }
            if i + 1 < lines.len() {
                value.push(',');
            }
        }
        value.push_str(newline);
        value.push_str(&close_indent);
        value.push(']');
        value
    }

    /// The file's indentation step: the leading whitespace of its first indented line.
    fn indent_unit(&self) -> &str {
        self.raw
            .lines()
            .skip(1)
            .map(|line| &line[..line.len() - line.trim_start_matches([' ', '\t']).len()])
            .find(|indent| !indent.is_empty())
            .unwrap_or(" ")
    }

    /// The JSON file's 1-based line holding row `row` (1-based, in the cell) of cell `number`:
    /// where code scanning and GitHub annotations point for a notebook.
    pub fn file_row(&self, number: usize, row: usize) -> Option<usize> {
        let cell = self.cells.iter().find(|cell| cell.number == number)?;
        // The list element holding the row (nbformat writes one line per element, but an
        // element may hold several).
        let mut first_row = 1;
        let mut offset = cell.span.start;
        for (line, token) in &cell.tokens {
            if first_row > row {
                break;
            }
            offset = token.start;
            first_row += line.matches('\n').count();
        }
        Some(memchr::memchr_iter(b'\n', &self.raw.as_bytes()[..offset]).count() + 1)
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

/// Whether a code cell is checked: it holds something, and Python (not opened by a non-Python
/// cell magic such as `%%bash`).
pub fn is_checked_cell(text: &str) -> bool {
    !text.trim().is_empty() && is_python_cell(text)
}

/// Whether a code cell holds Python: not opened by a non-Python cell magic.
fn is_python_cell(text: &str) -> bool {
    let Some(first) = text.lines().find(|line| !line.trim().is_empty()) else {
        return true;
    };
    let Some(magic) = first.trim_start().strip_prefix("%%") else {
        return true;
    };
    let name = magic.split_whitespace().next().unwrap_or("");
    PYTHON_CELL_MAGICS.contains(&name)
}

impl CellMap {
    /// Joins code cells, given as (number, text) in notebook order, as [`Notebook::joined`]
    /// does: cells that are not checked ([`is_checked_cell`]) are left out, and each cell ends
    /// with a line break. For cells that come from an editor rather than a file (the language
    /// server's notebook documents).
    pub fn join<'t>(cells: impl IntoIterator<Item = (usize, &'t str)>) -> (String, CellMap) {
        let mut text = String::new();
        let mut map = CellMap {
            starts: Vec::new(),
            numbers: Vec::new(),
        };
        for (number, cell) in cells {
            if !is_checked_cell(cell) {
                continue;
            }
            map.starts.push(TextSize::of(text.as_str()));
            map.numbers.push(number);
            text.push_str(cell);
            if !cell.ends_with('\n') {
                text.push('\n');
            }
        }
        (text, map)
    }

    /// Where each checked cell starts in the joined text, with its number.
    pub fn cells(&self) -> impl Iterator<Item = (usize, TextSize)> + '_ {
        self.numbers
            .iter()
            .copied()
            .zip(self.starts.iter().copied())
    }

    fn cell_text<'a>(&self, joined: &'a str, index: usize) -> &'a str {
        let start = usize::from(self.starts[index]);
        let end = self
            .starts
            .get(index + 1)
            .map_or(joined.len(), |end| usize::from(*end));
        &joined[start..end]
    }

    /// The indexes of the cells of `joined` that parse on their own (as Jupyter runs them).
    pub fn parsing_cells(&self, joined: &str, path: &std::path::Path) -> Vec<usize> {
        (0..self.starts.len())
            .filter(|&index| crate::linter::parses(self.cell_text(joined, index), path))
            .collect()
    }

    /// The index (into the checked cells) of the cell holding `offset`.
    fn index_at(&self, offset: TextSize) -> usize {
        self.starts
            .partition_point(|start| *start <= offset)
            .saturating_sub(1)
    }

    /// The cell number and the cell-relative location of `offset`.
    pub fn locate(&self, source: &SourceText, offset: TextSize) -> (usize, Location) {
        if self.starts.is_empty() {
            return (1, source.location(offset));
        }
        let index = self.index_at(offset);
        let first_row = source.row(self.starts[index]);
        let location = source.location(offset);
        (
            self.numbers[index],
            Location {
                row: location.row - first_row + 1,
                column: location.column,
            },
        )
    }

    /// Whether applying `edit` would move text across a cell boundary (or remove the line break
    /// that ends a cell): such a fix cannot be written back into cells.
    pub fn crosses(&self, edit: &Edit) -> bool {
        let range = edit.range();
        self.starts.iter().skip(1).any(|&boundary| {
            (range.start() < boundary && range.end() > boundary)
                || (range.start() < boundary
                    && range.end() == boundary
                    && !edit.content.ends_with('\n'))
        })
    }

    /// The map after `edits` (applied, non-overlapping, none crossing) changed the text. An
    /// edit that ends at a boundary belongs to the cell before it (an import appended after the
    /// first cell's imports stays in that cell).
    pub fn shifted(&self, edits: &[Edit]) -> Self {
        let starts = self
            .starts
            .iter()
            .enumerate()
            .map(|(index, &start)| {
                if index == 0 {
                    return start;
                }
                let mut delta: i64 = 0;
                for edit in edits {
                    let range: TextRange = edit.range();
                    if range.end() <= start
                        && !(range.is_empty()
                            && range.start() == start
                            && !edit.content.ends_with('\n'))
                    {
                        delta += edit.content.len() as i64 - i64::from(u32::from(range.len()));
                    }
                }
                let moved = i64::from(u32::from(start)) + delta;
                TextSize::new(u32::try_from(moved.max(0)).unwrap_or(u32::MAX))
            })
            .collect();
        Self {
            starts,
            numbers: self.numbers.clone(),
        }
    }
}

/// Whether `path` names a notebook.
pub fn is_notebook(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|ext| ext == "ipynb")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTEBOOK: &str = r##"{
  "cells": [
    {
      "cell_type": "markdown",
      "metadata": {},
      "source": ["# Title"]
    },
    {
      "cell_type": "code",
      "execution_count": 1,
      "metadata": {},
      "outputs": [{"name": "stdout", "output_type": "stream", "text": ["1\n"]}],
      "source": [
        "import os\n",
        "print(1)"
      ]
    },
    {
      "cell_type": "code",
      "execution_count": null,
      "metadata": {},
      "outputs": [],
      "source": "%%bash\nls"
    },
    {
      "cell_type": "code",
      "execution_count": null,
      "metadata": {},
      "outputs": [],
      "source": []
    },
    {
      "cell_type": "code",
      "execution_count": null,
      "metadata": {},
      "outputs": [],
      "source": "x = 1\n"
    }
  ],
  "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
  "nbformat": 4,
  "nbformat_minor": 5
}
"##;

    #[test]
    fn joins_code_cells_and_skips_markdown_empty_and_non_python_cells() {
        let notebook = Notebook::parse(NOTEBOOK.to_string()).unwrap();
        let (text, map) = notebook.joined();
        assert_eq!(text, "import os\nprint(1)\nx = 1\n");
        assert_eq!(map.numbers, vec![2, 5]);
        let source = SourceText::new(text.clone());
        let at = TextSize::try_from(text.find("x =").unwrap()).unwrap();
        assert_eq!(map.locate(&source, at), (5, Location { row: 1, column: 1 }));
    }

    #[test]
    fn unchanged_text_rewrites_to_the_same_bytes() {
        let notebook = Notebook::parse(NOTEBOOK.to_string()).unwrap();
        let (text, map) = notebook.joined();
        assert_eq!(notebook.rewrite(&text, &map), NOTEBOOK);
    }

    #[test]
    fn rewrite_replaces_only_the_changed_source_in_the_same_layout() {
        let notebook = Notebook::parse(NOTEBOOK.to_string()).unwrap();
        let (text, map) = notebook.joined();
        let edit = Edit::insert(TextSize::new(10), "import sys\n");
        let new_text = format!("{}import sys\n{}", &text[..10], &text[10..]);
        let map = map.shifted(&[edit]);
        let rewritten = notebook.rewrite(&new_text, &map);
        assert_eq!(
            rewritten,
            NOTEBOOK.replace(
                "        \"import os\\n\",\n        \"print(1)\"",
                "        \"import os\\n\",\n        \"import sys\\n\",\n        \"print(1)\""
            )
        );
    }

    #[test]
    fn unusual_list_layouts_are_rewritten_as_valid_indented_json() {
        for source in [
            r#"["x = 1\n", "y = 2"]"#,
            "[\"x = 1\\n\",\n     \"y = 2\"]",
            "[]",
        ] {
            let raw = format!(
                "{{\n  \"cells\": [\n    {{\n      \"cell_type\": \"code\",\n      \"source\": {source}\n    }}\n  ]\n}}\n"
            );
            let notebook = Notebook::parse(raw.clone()).unwrap();
            let (_, map) = notebook.joined();
            let map = if notebook.cells.is_empty() {
                continue;
            } else {
                map
            };
            let rewritten = notebook.rewrite("z = 3\nw = 4\n", &map);
            let value: serde_json::Value = serde_json::from_str(&rewritten).unwrap();
            assert_eq!(
                value["cells"][0]["source"],
                serde_json::json!(["z = 3\n", "w = 4"])
            );
            assert!(
                rewritten.contains("\n        \"z = 3\\n\",\n        \"w = 4\"\n      ]"),
                "{rewritten}"
            );
        }
    }

    #[test]
    fn each_cell_must_parse_on_its_own() {
        let path = std::path::Path::new("n.ipynb");
        let map = CellMap {
            starts: vec![TextSize::new(0), TextSize::new(6)],
            numbers: vec![1, 2],
        };
        assert_eq!(map.parsing_cells("x = 1\ny = 2\n", path), vec![0, 1]);
        // Joined, `if x:\n` + `    pass\n` is fine; as two cells neither parses.
        assert_eq!(
            map.parsing_cells("if x:\n    pass\n", path),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn edits_across_a_cell_boundary_are_detected() {
        let notebook = Notebook::parse(NOTEBOOK.to_string()).unwrap();
        let (_, map) = notebook.joined();
        let boundary = map.starts[1];
        let across = Edit::replace(
            TextRange::new(boundary - TextSize::new(2), boundary + TextSize::new(1)),
            "y",
        );
        assert!(map.crosses(&across));
        let inside = Edit::replace(TextRange::new(boundary, boundary + TextSize::new(1)), "z");
        assert!(!map.crosses(&inside));
    }
}
