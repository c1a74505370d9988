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
mod linting;
mod notebook;
mod notifications;
mod requests;
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
                    Message::Request(request) => {
                        let id = request.id.clone();
                        let method = request.method.clone();
                        if let Err(error) = guarded(|| server.on_request(request)) {
                            server.log(MessageType::ERROR, &format!("{method}: {error}"));
                            server.respond(Response::new_err(
                                id,
                                ErrorCode::InternalError as i32,
                                error,
                            ));
                        }
                    }
                    Message::Notification(note) if note.method == notification::Exit::METHOD => {
                        return Ok(if shutting_down { 0 } else { 1 });
                    }
                    Message::Notification(_) if shutting_down => {}
                    Message::Notification(note) => {
                        let method = note.method.clone();
                        if let Err(error) = guarded(|| server.on_notification(note)) {
                            server.log(MessageType::ERROR, &format!("{method}: {error}"));
                        }
                    }
                    Message::Response(response) => {
                        if let Err(error) = guarded(|| server.on_response(response)) {
                            server.log(MessageType::ERROR, &error);
                        }
                    }
                }
            }
            recv(timer) -> _ => {
                if let Err(error) = guarded(|| server.lint_due()) {
                    server.log(MessageType::ERROR, &error);
                }
            }
        }
    }
}

/// Runs `handle`, turning a panic into an error message: whatever goes wrong with one message
/// (rule panics are already caught around each lint), the server goes on serving the others.
fn guarded(handle: impl FnOnce()) -> Result<(), String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(handle)).map_err(|payload| {
        format!(
            "internal error: {} (this is a bug in pyparallel, please report it)",
            diagnostics::panic_message(payload.as_ref())
        )
    })
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
}
