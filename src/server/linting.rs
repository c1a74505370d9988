//! When and what the server lints: a file, or a notebook's cells together (a "unit"), once
//! per version of its text and of the settings; and where the results are published.

use super::*;

impl Server {
    /// The settings (or a configuration file) changed: every open document is linted again.
    pub(super) fn settings_changed(&mut self) {
        self.generation += 1;
        self.checked.clear();
        // Files, and notebooks (their cells are linted with them).
        let mut uris: Vec<Url> = self
            .documents
            .uris()
            .filter(|uri| !self.cell_owner.contains_key(uri))
            .cloned()
            .collect();
        uris.extend(self.notebooks.keys().cloned());
        if self.client.pulls_diagnostics {
            if self.client.refreshes_diagnostics {
                self.request::<request::WorkspaceDiagnosticRefresh>(());
            }
            return;
        }
        for uri in uris {
            self.lint_now(&uri);
        }
    }

    pub(super) fn next_deadline(&self) -> Option<Instant> {
        self.due.values().min().copied()
    }

    /// Lints the documents whose debounce time has come.
    pub(super) fn lint_due(&mut self) {
        let now = Instant::now();
        let ready: Vec<Url> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            self.lint_now(&uri);
        }
    }

    /// Lints a file or notebook now and, unless the editor pulls, publishes its diagnostics
    /// (for a notebook, to each of its code cells, so cells whose findings went are cleared).
    pub(super) fn lint_now(&mut self, unit: &Url) {
        self.due.remove(unit);
        self.ensure_checked(unit);
        if self.client.pulls_diagnostics {
            return;
        }
        let targets: Vec<(Url, i32)> = match self.notebooks.get(unit) {
            Some(notebook) => notebook
                .code_cells()
                .filter_map(|(_, cell)| Some((cell.clone(), self.documents.get(cell)?.version)))
                .collect(),
            None => match self.documents.get(unit) {
                Some(document) => vec![(unit.clone(), document.version)],
                None => return,
            },
        };
        let mut found: HashMap<Url, Vec<lsp_types::Diagnostic>> = HashMap::new();
        if let (Some(checked), Some(layout)) = (self.checked.get(unit), self.layout(unit)) {
            for (uri, diagnostic) in to_lsp(checked, &layout) {
                found.entry(uri).or_default().push(diagnostic);
            }
        }
        for (uri, version) in targets {
            let diagnostics = found.remove(&uri).unwrap_or_default();
            self.publish(&uri, diagnostics, Some(version));
        }
    }

    /// The file or notebook a document's lint belongs to: a cell's notebook, else itself.
    pub(super) fn unit_of(&self, uri: &Url) -> Url {
        self.cell_owner.get(uri).unwrap_or(uri).clone()
    }

    /// How the last lint of `unit` maps onto its documents.
    pub(super) fn layout(&self, unit: &Url) -> Option<Layout<'_>> {
        let checked = self.checked.get(unit)?;
        let Some(notebook) = self.notebooks.get(unit) else {
            let (uri, document) = self.documents.get_key_value(unit)?;
            return Some(Layout::file(uri, document, self.encoding));
        };
        let map = checked.output.cells.as_ref()?;
        let parts = map
            .cells()
            .map(|(number, start)| {
                let uri = &notebook.cells.get(number - 1)?.document;
                let (uri, document) = self.documents.get_key_value(uri)?;
                Some(Part {
                    uri,
                    document,
                    start: usize::from(start),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Layout {
            parts,
            encoding: self.encoding,
            notebook: true,
        })
    }

    /// Applies a notebook change: cells added, removed or changed in kind, and cell texts
    /// edited; the notebook is linted after the debounce.
    pub(super) fn change_notebook(&mut self, params: notebook::DidChangeParams) {
        let uri = params.notebook_document.uri;
        let encoding = self.encoding;
        let Some(notebook) = self.notebooks.get_mut(&uri) else {
            return;
        };
        notebook.version = params.notebook_document.version;
        let Some(cells) = params.change.cells else {
            self.due.insert(uri, Instant::now() + DEBOUNCE);
            return;
        };
        if let Some(structure) = cells.structure {
            notebook.splice(structure.array);
            for closed in structure.did_close.unwrap_or_default() {
                self.cell_owner.remove(&closed.uri);
                self.documents.close(&closed.uri);
                if !self.client.pulls_diagnostics {
                    self.publish(&closed.uri, Vec::new(), None);
                }
            }
            for opened in structure.did_open.unwrap_or_default() {
                self.cell_owner.insert(opened.uri.clone(), uri.clone());
                self.documents.open(opened.uri, opened.text, opened.version);
            }
        }
        if let (Some(data), Some(notebook)) = (cells.data, self.notebooks.get_mut(&uri)) {
            for changed in data {
                if let Some(cell) = notebook
                    .cells
                    .iter_mut()
                    .find(|cell| cell.document == changed.document)
                {
                    cell.kind = changed.kind;
                }
            }
        }
        for content in cells.text_content.unwrap_or_default() {
            if let Some(document) = self.documents.get_mut(&content.document.uri) {
                document.apply_changes(content.changes, content.document.version, encoding);
            }
        }
        self.due.insert(uri, Instant::now() + DEBOUNCE);
    }

    pub(super) fn publish(
        &self,
        uri: &Url,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) {
        self.notify::<notification::PublishDiagnostics>(PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        });
    }

    /// Makes the lint of `unit` (a file or a notebook) current with its text and the
    /// settings; an excluded file, or one whose lint panicked, has none.
    pub(super) fn ensure_checked(&mut self, unit: &Url) {
        let (version, text, cells) = match self.notebooks.get(unit) {
            Some(notebook) => {
                let texts: Vec<(usize, &str)> = notebook
                    .code_cells()
                    .filter_map(|(number, cell)| {
                        Some((number, self.documents.get(cell)?.text.as_str()))
                    })
                    .collect();
                let (text, map) = crate::notebook::CellMap::join(texts);
                (notebook.version, text, Some(map))
            }
            None => match self.documents.get(unit) {
                Some(document) => (document.version, document.text.clone(), None),
                None => return,
            },
        };
        if self
            .checked
            .get(unit)
            .is_some_and(|checked| checked.version == version)
        {
            return;
        }
        let path = self.path_of(unit);
        self.checked.remove(unit);
        let settings = self.settings_for(&path);
        // Excluded files (vendored code, generated code) are not linted, as in Ruff's server.
        if self
            .workspace
            .folder_for(&path)
            .is_excluded(&path, &settings)
        {
            return;
        }
        let started = Instant::now();
        match lint(text, &path, &settings, cells) {
            Ok(output) => {
                eprintln!(
                    "pyparallel server: checked {} (version {version}) in {:.1?}",
                    path.display(),
                    started.elapsed()
                );
                self.checked.insert(
                    unit.clone(),
                    Checked {
                        version,
                        output,
                        settings,
                        fix_all: std::cell::OnceCell::new(),
                    },
                );
            }
            Err(error) => self.log(MessageType::ERROR, &error),
        }
    }

    pub(super) fn settings_for(&mut self, path: &Path) -> Arc<Settings> {
        let folder = self.workspace.folder_for(path);
        match folder.settings_for(path) {
            Ok(settings) => settings,
            Err(error) => {
                let root = folder.root.clone();
                self.show_error(format!("{error} (using the built-in defaults)"));
                Arc::new(Settings::defaults(&root))
            }
        }
    }

    /// The file a document is: its path for a `file:` URI; an unsaved buffer is checked as
    /// if it were a file of that name in the first workspace folder.
    pub(super) fn path_of(&self, uri: &Url) -> PathBuf {
        if let Ok(path) = uri.to_file_path() {
            return path;
        }
        let name = uri
            .path_segments()
            .and_then(|mut segments| segments.next_back())
            .filter(|name| !name.is_empty())
            .unwrap_or("untitled.py");
        let root = self
            .workspace
            .folders
            .first()
            .map(|folder| folder.root.clone())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        root.join(name)
    }
}
