//! Notebook document sync (LSP 3.17): the editor sends a notebook's structure and its cells'
//! texts, and the server lints the code cells joined into one module, as `pyparallel check`
//! lints an `.ipynb` file. `lsp-types` 0.95 predates these messages, so their shapes are
//! spelled here (only the fields the server reads).

use lsp_types::{
    TextDocumentContentChangeEvent, TextDocumentIdentifier, TextDocumentItem, Url,
    VersionedTextDocumentIdentifier,
};
use serde::Deserialize;

pub const DID_OPEN: &str = "notebookDocument/didOpen";
pub const DID_CHANGE: &str = "notebookDocument/didChange";
pub const DID_SAVE: &str = "notebookDocument/didSave";
pub const DID_CLOSE: &str = "notebookDocument/didClose";

/// `NotebookCellKind.Code`; `1` is Markup.
pub const CODE: u8 = 2;

#[derive(Debug, Clone, Deserialize)]
pub struct Cell {
    pub kind: u8,
    pub document: Url,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub uri: Url,
    pub version: i32,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidOpenParams {
    pub notebook_document: Document,
    pub cell_text_documents: Vec<TextDocumentItem>,
}

#[derive(Debug, Deserialize)]
pub struct VersionedIdentifier {
    pub uri: Url,
    pub version: i32,
}

#[derive(Debug, Deserialize)]
pub struct Identifier {
    pub uri: Url,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidChangeParams {
    pub notebook_document: VersionedIdentifier,
    pub change: ChangeEvent,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeEvent {
    pub cells: Option<CellsChange>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CellsChange {
    pub structure: Option<StructureChange>,
    /// Cells whose kind or metadata changed.
    pub data: Option<Vec<Cell>>,
    pub text_content: Option<Vec<TextContentChange>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StructureChange {
    pub array: ArrayChange,
    #[serde(default)]
    pub did_open: Option<Vec<TextDocumentItem>>,
    #[serde(default)]
    pub did_close: Option<Vec<TextDocumentIdentifier>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArrayChange {
    pub start: usize,
    pub delete_count: usize,
    #[serde(default)]
    pub cells: Option<Vec<Cell>>,
}

#[derive(Debug, Deserialize)]
pub struct TextContentChange {
    pub document: VersionedTextDocumentIdentifier,
    pub changes: Vec<TextDocumentContentChangeEvent>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidSaveParams {
    pub notebook_document: Identifier,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidCloseParams {
    pub notebook_document: Identifier,
    #[serde(default)]
    pub cell_text_documents: Vec<TextDocumentIdentifier>,
}

/// An open notebook: its version and its cells in order.
#[derive(Debug)]
pub struct Notebook {
    pub version: i32,
    pub cells: Vec<Cell>,
}

impl Notebook {
    /// Applies a change of the cell list: `delete_count` cells from `start` replaced by
    /// `cells`.
    pub fn splice(&mut self, change: ArrayChange) {
        let start = change.start.min(self.cells.len());
        let end = (start + change.delete_count).min(self.cells.len());
        self.cells
            .splice(start..end, change.cells.unwrap_or_default());
    }

    /// The code cells' documents with their 1-based cell numbers (as `.ipynb` cells count).
    pub fn code_cells(&self) -> impl Iterator<Item = (usize, &Url)> {
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, cell)| cell.kind == CODE)
            .map(|(index, cell)| (index + 1, &cell.document))
    }
}
