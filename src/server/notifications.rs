//! The notifications the server follows: documents and notebooks opened, changed, saved and
//! closed; configuration files and settings changed; workspace folders added and removed; and
//! the answers to its own `workspace/configuration` requests.

use super::*;

impl Server {
    pub(super) fn on_notification(&mut self, note: Notification) {
        match note.method.as_str() {
            notification::Initialized::METHOD => self.on_initialized(),
            notification::DidOpenTextDocument::METHOD => {
                if let Some(params) = extract::<notification::DidOpenTextDocument>(note) {
                    let document = params.text_document;
                    if !is_python(&document.uri, &document.language_id) {
                        return;
                    }
                    self.documents
                        .open(document.uri.clone(), document.text, document.version);
                    self.lint_now(&document.uri);
                }
            }
            notification::DidChangeTextDocument::METHOD => {
                if let Some(params) = extract::<notification::DidChangeTextDocument>(note) {
                    let uri = params.text_document.uri;
                    let encoding = self.encoding;
                    if let Some(document) = self.documents.get_mut(&uri) {
                        document.apply_changes(
                            params.content_changes,
                            params.text_document.version,
                            encoding,
                        );
                        let unit = self.unit_of(&uri);
                        self.due.insert(unit, Instant::now() + DEBOUNCE);
                    }
                }
            }
            notification::DidSaveTextDocument::METHOD => {
                if let Some(params) = extract::<notification::DidSaveTextDocument>(note) {
                    let uri = params.text_document.uri;
                    if self.documents.get(&uri).is_some() {
                        let unit = self.unit_of(&uri);
                        self.lint_now(&unit);
                    }
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                if let Some(params) = extract::<notification::DidCloseTextDocument>(note) {
                    let uri = params.text_document.uri;
                    self.documents.close(&uri);
                    self.due.remove(&uri);
                    if self.checked.remove(&uri).is_some() && !self.client.pulls_diagnostics {
                        self.publish(&uri, Vec::new(), None);
                    }
                }
            }
            notebook::DID_OPEN => {
                if let Some(params) = extract_json::<notebook::DidOpenParams>(note) {
                    let uri = params.notebook_document.uri;
                    for cell in params.cell_text_documents {
                        self.cell_owner.insert(cell.uri.clone(), uri.clone());
                        self.documents.open(cell.uri, cell.text, cell.version);
                    }
                    self.notebooks.insert(
                        uri.clone(),
                        notebook::Notebook {
                            version: params.notebook_document.version,
                            cells: params.notebook_document.cells,
                        },
                    );
                    self.lint_now(&uri);
                }
            }
            notebook::DID_CHANGE => {
                if let Some(params) = extract_json::<notebook::DidChangeParams>(note) {
                    self.change_notebook(params);
                }
            }
            notebook::DID_SAVE => {
                if let Some(params) = extract_json::<notebook::DidSaveParams>(note) {
                    let uri = params.notebook_document.uri;
                    if self.notebooks.contains_key(&uri) {
                        self.lint_now(&uri);
                    }
                }
            }
            notebook::DID_CLOSE => {
                if let Some(params) = extract_json::<notebook::DidCloseParams>(note) {
                    let uri = params.notebook_document.uri;
                    let cells: Vec<Url> = self
                        .notebooks
                        .remove(&uri)
                        .map(|notebook| notebook.cells.into_iter().map(|c| c.document).collect())
                        .unwrap_or_default();
                    self.due.remove(&uri);
                    self.checked.remove(&uri);
                    let closed = params.cell_text_documents.into_iter().map(|cell| cell.uri);
                    for cell in cells.into_iter().chain(closed) {
                        self.cell_owner.remove(&cell);
                        if self.documents.get(&cell).is_some() {
                            self.documents.close(&cell);
                            if !self.client.pulls_diagnostics {
                                self.publish(&cell, Vec::new(), None);
                            }
                        }
                    }
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                if let Some(params) = extract::<notification::DidChangeWatchedFiles>(note) {
                    let configuration_changed = params.changes.iter().any(|change| {
                        change
                            .uri
                            .path_segments()
                            .and_then(|mut segments| segments.next_back())
                            .is_some_and(|name| CONFIG_FILES.contains(&name))
                    });
                    if configuration_changed {
                        self.log(MessageType::INFO, "a configuration file changed: reloading");
                        self.workspace.reload();
                        self.settings_changed();
                    }
                }
            }
            notification::DidChangeConfiguration::METHOD => {
                if let Some(params) = extract::<notification::DidChangeConfiguration>(note) {
                    if self.client.configuration {
                        // The payload may be partial or empty by convention: ask for it.
                        self.request_configuration();
                    } else {
                        match ClientSettings::from_json(&params.settings) {
                            Ok(settings) => {
                                let global = settings.over(&self.initial);
                                if self.workspace.set_global(global) {
                                    self.settings_changed();
                                }
                            }
                            Err(error) => self.show_error(format!("bad settings: {error}")),
                        }
                    }
                }
            }
            notification::DidChangeWorkspaceFolders::METHOD => {
                if let Some(params) = extract::<notification::DidChangeWorkspaceFolders>(note) {
                    for removed in params.event.removed {
                        if let Ok(root) = removed.uri.to_file_path() {
                            self.workspace.remove_folder(&root);
                        }
                    }
                    for added in params.event.added {
                        if let Ok(root) = added.uri.to_file_path() {
                            self.workspace.add_folder(root);
                        }
                    }
                    if self.client.configuration {
                        self.request_configuration();
                    }
                    self.settings_changed();
                }
            }
            // `$/cancelRequest`, `$/setTrace` and the like: requests are answered at once, and
            // the log is standard error.
            _ => {}
        }
    }

    pub(super) fn on_initialized(&mut self) {
        if self.client.watches_files {
            let watchers = CONFIG_FILES
                .iter()
                .map(|name| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{name}")),
                    kind: None,
                })
                .collect();
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            self.request::<request::RegisterCapability>(RegistrationParams {
                registrations: vec![Registration {
                    id: "pyparallel-configuration-files".to_string(),
                    method: notification::DidChangeWatchedFiles::METHOD.to_string(),
                    register_options: serde_json::to_value(options).ok(),
                }],
            });
        }
        if self.client.configuration {
            self.request_configuration();
        }
    }

    /// Asks the editor for the `pyparallel` settings: once globally, once per folder.
    pub(super) fn request_configuration(&mut self) {
        let mut scopes = vec![None];
        scopes.extend(
            self.workspace
                .folders
                .iter()
                .map(|folder| Some(folder.root.clone())),
        );
        let items = scopes
            .iter()
            .map(|scope| ConfigurationItem {
                scope_uri: scope
                    .as_ref()
                    .and_then(|root| Url::from_directory_path(root).ok()),
                section: Some("pyparallel".to_string()),
            })
            .collect();
        let id = self.request::<request::WorkspaceConfiguration>(ConfigurationParams { items });
        self.configuration_requests.insert(id, scopes);
    }

    pub(super) fn on_response(&mut self, response: Response) {
        let Some(scopes) = self.configuration_requests.remove(&response.id) else {
            return;
        };
        let Some(values) = response
            .result
            .and_then(|result| serde_json::from_value::<Vec<serde_json::Value>>(result).ok())
        else {
            return;
        };
        let mut global = self.initial.clone();
        let mut per_folder = Vec::new();
        for (scope, value) in scopes.into_iter().zip(values) {
            let settings = match ClientSettings::from_json(&value) {
                Ok(settings) => settings,
                Err(error) => {
                    self.show_error(format!("bad settings: {error}"));
                    continue;
                }
            };
            match scope {
                None => global = settings.over(&self.initial),
                Some(root) => per_folder.push((root, settings)),
            }
        }
        let mut changed = self.workspace.set_global(global.clone());
        for (root, settings) in per_folder {
            if let Some(folder) = self.workspace.folder_mut(&root) {
                changed |= folder.set_client(settings.over(&global));
            }
        }
        // The first answer usually says what `initializationOptions` said: nothing to redo.
        if changed {
            self.settings_changed();
        }
    }
}

/// Whether the server lints a document: Python source or stubs (a notebook's JSON opened as
/// text is not Python).
fn is_python(uri: &Url, language_id: &str) -> bool {
    let extension = Path::new(uri.path())
        .extension()
        .and_then(|ext| ext.to_str())
        .unwrap_or("");
    match extension {
        "py" | "pyi" => true,
        "" => language_id == "python",
        _ => false,
    }
}

fn extract_json<P: serde::de::DeserializeOwned>(note: Notification) -> Option<P> {
    match serde_json::from_value(note.params) {
        Ok(params) => Some(params),
        Err(error) => {
            eprintln!(
                "pyparallel server: ignoring a malformed {}: {error}",
                note.method
            );
            None
        }
    }
}

fn extract<N: notification::Notification>(note: Notification) -> Option<N::Params> {
    match serde_json::from_value(note.params) {
        Ok(params) => Some(params),
        Err(error) => {
            eprintln!(
                "pyparallel server: ignoring a malformed {}: {error}",
                N::METHOD
            );
            None
        }
    }
}
