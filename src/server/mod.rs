//! `pyparallel server`: a Language Server over stdio, built on `lsp-server` (the JSON-RPC
//! transport rust-analyzer uses) and `lsp-types`. It lints the editor's text of open `.py` and
//! `.pyi` files with the same linter as `pyparallel check`, under the same configuration
//! files, and offers the same fixes as code actions.
//!
//! One thread serves everything in order: a lint of a file is milliseconds, so requests never
//! wait long, and there is no state shared between threads. Edits are debounced: diagnostics
//! come [`DEBOUNCE`] after the last keystroke, not after every one.

mod actions;
mod diagnostics;
mod documents;
mod hover;
mod layout;
mod notebook;
mod workspace;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification, request};
use lsp_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    ConfigurationItem, ConfigurationParams, DiagnosticOptions, DiagnosticServerCapabilities,
    DidChangeWatchedFilesRegistrationOptions, DocumentDiagnosticReport, FileSystemWatcher,
    FullDocumentDiagnosticReport, GlobPattern, HoverProviderCapability, InitializeParams,
    MessageType, PublishDiagnosticsParams, Registration, RegistrationParams,
    RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, UnchangedDocumentDiagnosticReport, Url,
    WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};

use crate::settings::Settings;
use diagnostics::{lint, to_lsp, Checked};
use documents::{Documents, Encoding};
use layout::{Layout, Part};
use workspace::{ClientSettings, Workspace};

/// How long after the last change a document is linted again.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// The configuration files whose change reloads the settings.
const CONFIG_FILES: [&str; 3] = ["pyparallel.toml", ".pyparallel.toml", "pyproject.toml"];

/// Runs the server on standard input and output until the editor says `exit`; the exit code
/// (0 after `shutdown`, 1 otherwise, as the protocol asks).
pub fn run() -> u8 {
    let (connection, io_threads) = Connection::stdio();
    // Deeply nested code recurses deeply in the parser and the walk (as `check`'s workers).
    let served = std::thread::Builder::new()
        .name("pyparallel-server".to_string())
        .stack_size(256 * 1024 * 1024)
        .spawn(move || serve(connection))
        .map_err(|error| error.to_string())
        .and_then(|handle| {
            handle
                .join()
                .map_err(|payload| diagnostics::panic_message(payload.as_ref()))
        });
    let code = match served {
        Ok(Ok(code)) => code,
        Ok(Err(error)) | Err(error) => {
            eprintln!("pyparallel server: {error}");
            2
        }
    };
    if let Err(error) = io_threads.join() {
        // The editor went away without `exit` (its end of the pipe is closed).
        eprintln!("pyparallel server: {error}");
    }
    code
}

fn serve(connection: Connection) -> Result<u8, String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|error| error.to_string())?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|error| format!("bad initialize: {error}"))?;
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref()),
    );
    let mut capabilities =
        serde_json::to_value(capabilities(encoding)).map_err(|error| error.to_string())?;
    // Notebook document sync (LSP 3.17), which `lsp-types` 0.95 does not spell: every
    // notebook's Python cells.
    capabilities["notebookDocumentSync"] = serde_json::json!({
        "notebookSelector": [{"notebook": "*", "cells": [{"language": "python"}]}],
        "save": true,
    });
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "pyparallel".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        },
    });
    // Answered here rather than with `initialize_finish`, which insists that `initialized`
    // comes next: an editor may also send `exit` (or `shutdown`) right away.
    connection
        .sender
        .send(Response::new_ok(id, result).into())
        .map_err(|error| error.to_string())?;
    let mut server = Server::new(connection.sender.clone(), params, encoding);
    let mut shutting_down = false;
    loop {
        let deadline = server.next_deadline();
        let timer = match deadline {
            Some(at) => crossbeam_channel::at(at),
            None => crossbeam_channel::never(),
        };
        select! {
            recv(connection.receiver) -> message => {
                let Ok(message) = message else {
                    // Standard input closed without `exit`.
                    return Ok(1);
                };
                match message {
                    Message::Request(request) if shutting_down => {
                        server.respond(Response::new_err(
                            request.id,
                            ErrorCode::InvalidRequest as i32,
                            "the server is shutting down".to_string(),
                        ));
                    }
                    Message::Request(request) if request.method == request::Shutdown::METHOD => {
                        shutting_down = true;
                        server.respond(Response::new_ok(request.id, ()));
                    }
                    Message::Request(request) => server.on_request(request),
                    Message::Notification(note) if note.method == notification::Exit::METHOD => {
                        return Ok(if shutting_down { 0 } else { 1 });
                    }
                    Message::Notification(_) if shutting_down => {}
                    Message::Notification(note) => server.on_notification(note),
                    Message::Response(response) => server.on_response(response),
                }
            }
            recv(timer) -> _ => server.lint_due(),
        }
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
                actions::fix_all_kind(),
            ]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("pyparallel".to_string()),
            inter_file_dependencies: false,
            workspace_diagnostics: false,
            ..DiagnosticOptions::default()
        })),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp_types::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// What the editor can do, as far as the server cares.
struct Client {
    /// The editor pulls diagnostics (`textDocument/diagnostic`); otherwise they are pushed.
    pulls_diagnostics: bool,
    /// It can be asked to pull again after the settings changed.
    refreshes_diagnostics: bool,
    /// It answers `workspace/configuration`.
    configuration: bool,
    /// It takes a file watcher registration for the configuration files.
    watches_files: bool,
}

impl Client {
    fn new(capabilities: &ClientCapabilities) -> Self {
        let workspace = capabilities.workspace.as_ref();
        Self {
            pulls_diagnostics: capabilities
                .text_document
                .as_ref()
                .is_some_and(|text| text.diagnostic.is_some()),
            refreshes_diagnostics: workspace
                .and_then(|w| w.diagnostic.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            watches_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
        }
    }
}

struct Server {
    sender: Sender<Message>,
    encoding: Encoding,
    client: Client,
    /// Open documents: files, and the cells of open notebooks.
    documents: Documents,
    /// Open notebooks, and the notebook each cell document belongs to.
    notebooks: HashMap<Url, notebook::Notebook>,
    cell_owner: HashMap<Url, Url>,
    /// The last lint of each open file or notebook (a notebook's cells are linted together).
    checked: HashMap<Url, Checked>,
    /// Files and notebooks changed since their last lint, and when to lint them.
    due: HashMap<Url, Instant>,
    workspace: Workspace,
    /// The editor's settings from `initializationOptions`; `workspace/configuration` answers
    /// are layered over them.
    initial: ClientSettings,
    /// Our requests awaiting an answer: `workspace/configuration` ones with the folder each
    /// item was for (`None`: the global settings).
    configuration_requests: HashMap<RequestId, Vec<Option<PathBuf>>>,
    next_request: i32,
    /// Configuration errors already shown (each is shown once, not on every keystroke).
    shown_errors: HashSet<String>,
    /// Bumped when the settings change, so a pulled report of an unchanged text is new.
    generation: u32,
}

impl Server {
    fn new(sender: Sender<Message>, params: InitializeParams, encoding: Encoding) -> Self {
        let client = Client::new(&params.capabilities);
        let initial = match params.initialization_options.as_ref() {
            Some(options) => ClientSettings::from_json(options).unwrap_or_else(|error| {
                eprintln!("pyparallel server: ignoring initializationOptions: {error}");
                ClientSettings::default()
            }),
            None => ClientSettings::default(),
        };
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| folder.uri.to_file_path().ok())
            .collect();
        #[allow(deprecated)] // Older clients send only `rootUri`.
        if roots.is_empty() {
            roots.extend(params.root_uri.and_then(|uri| uri.to_file_path().ok()));
        }
        let server = Self {
            sender,
            encoding,
            client,
            documents: Documents::default(),
            notebooks: HashMap::new(),
            cell_owner: HashMap::new(),
            checked: HashMap::new(),
            due: HashMap::new(),
            workspace: Workspace::new(roots, initial.clone()),
            initial,
            configuration_requests: HashMap::new(),
            next_request: 0,
            shown_errors: HashSet::new(),
            generation: 0,
        };
        server.log(
            MessageType::INFO,
            &format!(
                "pyparallel {} serving ({} diagnostics, positions in {:?})",
                env!("CARGO_PKG_VERSION"),
                if server.client.pulls_diagnostics {
                    "pulled"
                } else {
                    "pushed"
                },
                encoding
            ),
        );
        server
    }

    // ------------------------------------------------------------------ messages out

    fn send(&self, message: Message) {
        // The writer is gone only when the editor is: the reader ends the loop then.
        let _ = self.sender.send(message);
    }

    fn respond(&self, response: Response) {
        self.send(response.into());
    }

    fn notify<N: notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params).into());
    }

    fn request<R: request::Request>(&mut self, params: R::Params) -> RequestId {
        self.next_request += 1;
        let id = RequestId::from(format!("pyparallel-{}", self.next_request));
        self.send(Request::new(id.clone(), R::METHOD.to_string(), params).into());
        id
    }

    /// Logs to standard error (editors keep it in their log) and, for warnings and errors,
    /// to the editor's log window too.
    fn log(&self, level: MessageType, message: &str) {
        eprintln!("pyparallel server: {message}");
        if level == MessageType::ERROR || level == MessageType::WARNING {
            self.notify::<notification::LogMessage>(lsp_types::LogMessageParams {
                typ: level,
                message: message.to_string(),
            });
        }
    }

    /// Shows a configuration problem to the user once.
    fn show_error(&mut self, message: String) {
        self.log(MessageType::ERROR, &message);
        if self.shown_errors.insert(message.clone()) {
            self.notify::<notification::ShowMessage>(lsp_types::ShowMessageParams {
                typ: MessageType::ERROR,
                message: format!("pyparallel: {message}"),
            });
        }
    }

    // ------------------------------------------------------------------ requests

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            request::DocumentDiagnosticRequest::METHOD => {
                parse::<request::DocumentDiagnosticRequest>(request)
                    .map(|params| self.pull_diagnostics(params))
                    .and_then(to_value)
            }
            request::CodeActionRequest::METHOD => parse::<request::CodeActionRequest>(request)
                .map(|params| self.code_actions(params))
                .and_then(to_value),
            request::HoverRequest::METHOD => parse::<request::HoverRequest>(request)
                .map(|params| self.hover(params))
                .and_then(to_value),
            method => Err((
                ErrorCode::MethodNotFound,
                format!("pyparallel does not handle {method}"),
            )),
        };
        self.respond(match result {
            Ok(value) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Err((code, message)) => Response::new_err(id, code as i32, message),
        });
    }

    fn pull_diagnostics(
        &mut self,
        params: lsp_types::DocumentDiagnosticParams,
    ) -> DocumentDiagnosticReportResult {
        let uri = params.text_document.uri;
        let unit = self.unit_of(&uri);
        self.due.remove(&unit);
        self.ensure_checked(&unit);
        let Some(checked) = self.checked.get(&unit) else {
            return full_report(None, Vec::new());
        };
        let result_id = format!("{}-{}", checked.version, self.generation);
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
                RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                },
            ));
        }
        let Some(layout) = self.layout(&unit) else {
            return full_report(None, Vec::new());
        };
        let items = to_lsp(checked, &layout)
            .into_iter()
            .filter(|(at, _)| *at == uri)
            .map(|(_, diagnostic)| diagnostic)
            .collect();
        full_report(Some(result_id), items)
    }

    fn code_actions(
        &mut self,
        params: lsp_types::CodeActionParams,
    ) -> Option<lsp_types::CodeActionResponse> {
        let uri = params.text_document.uri;
        let unit = self.unit_of(&uri);
        self.ensure_checked(&unit);
        let path = self.path_of(&unit);
        let checked = self.checked.get(&unit)?;
        let layout = self.layout(&unit)?;
        let request = actions::Request {
            uri: &uri,
            path: &path,
            layout: &layout,
            checked,
            unsafe_fixes: checked.settings.unsafe_fixes,
        };
        Some(actions::code_actions(
            &request,
            params.range,
            params.context.only.as_deref(),
        ))
    }

    fn hover(&mut self, params: lsp_types::HoverParams) -> Option<lsp_types::Hover> {
        let position = params.text_document_position_params;
        let document = self.documents.get(&position.text_document.uri)?;
        hover::hover(document, position.position, self.encoding)
    }

    // ------------------------------------------------------------------ notifications

    fn on_notification(&mut self, note: Notification) {
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

    fn on_initialized(&mut self) {
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
    fn request_configuration(&mut self) {
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

    fn on_response(&mut self, response: Response) {
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

    // ------------------------------------------------------------------ linting

    /// The settings (or a configuration file) changed: every open document is linted again.
    fn settings_changed(&mut self) {
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

    fn next_deadline(&self) -> Option<Instant> {
        self.due.values().min().copied()
    }

    /// Lints the documents whose debounce time has come.
    fn lint_due(&mut self) {
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
    fn lint_now(&mut self, unit: &Url) {
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
    fn unit_of(&self, uri: &Url) -> Url {
        self.cell_owner.get(uri).unwrap_or(uri).clone()
    }

    /// How the last lint of `unit` maps onto its documents.
    fn layout(&self, unit: &Url) -> Option<Layout<'_>> {
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
    fn change_notebook(&mut self, params: notebook::DidChangeParams) {
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

    fn publish(&self, uri: &Url, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.notify::<notification::PublishDiagnostics>(PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        });
    }

    /// Makes the lint of `unit` (a file or a notebook) current with its text and the
    /// settings; an excluded file, or one whose lint panicked, has none.
    fn ensure_checked(&mut self, unit: &Url) {
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
        if settings.is_excluded(&path) {
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
                    },
                );
            }
            Err(error) => self.log(MessageType::ERROR, &error),
        }
    }

    fn settings_for(&mut self, path: &Path) -> Arc<Settings> {
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
    fn path_of(&self, uri: &Url) -> PathBuf {
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

type DocumentDiagnosticReportResult = lsp_types::DocumentDiagnosticReportResult;

fn full_report(
    result_id: Option<String>,
    items: Vec<lsp_types::Diagnostic>,
) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        },
    ))
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

type Handled<T> = Result<T, (ErrorCode, String)>;

fn parse<R: request::Request>(request: Request) -> Handled<R::Params> {
    serde_json::from_value(request.params)
        .map_err(|error| (ErrorCode::InvalidParams, format!("{}: {error}", R::METHOD)))
}

fn to_value(value: impl serde::Serialize) -> Handled<serde_json::Value> {
    serde_json::to_value(value).map_err(|error| (ErrorCode::InternalError, error.to_string()))
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
