//! End-to-end tests of `pyparallel server`: the real binary, spoken to over stdio in the
//! Language Server Protocol as an editor speaks it (JSON-RPC with `Content-Length` headers).
//! The fixture has one diagnostic of each kind of fix: PAR603 (safe fix), PAR601 (unsafe fix)
//! and PAR604 (a suggestion only, shown as related information).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const FIXTURE: &str = "\
import asyncio
import time


async def fetch():
    time.sleep(1)
    return asyncio.get_event_loop()


async def main():
    asyncio.create_task(fetch())
";

/// How long a test waits for any one message (generous: CI machines are slow and shared).
const TIMEOUT: Duration = Duration::from_secs(30);

/// An editor's side of the conversation.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications (and server requests) read while waiting for something else.
    backlog: VecDeque<Value>,
    next_id: i64,
    /// What the client answers to `workspace/configuration` (per item: global, then folders).
    pub configuration: Value,
    _dir: tempfile::TempDir,
    root: PathBuf,
}

struct Options {
    initialization_options: Value,
    /// Declare pull diagnostics (`textDocument/diagnostic`) support.
    pull: bool,
    /// Answer `workspace/configuration` requests.
    configuration: bool,
    folders: Vec<&'static str>,
    env: Vec<(&'static str, &'static str)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            initialization_options: Value::Null,
            pull: false,
            configuration: false,
            folders: vec![""],
            env: Vec::new(),
        }
    }
}

impl Client {
    fn start(options: Options, files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut command = Command::new(env!("CARGO_BIN_EXE_pyparallel"));
        command
            .arg("server")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (key, value) in &options.env {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Self {
            child,
            stdin,
            messages,
            backlog: VecDeque::new(),
            next_id: 0,
            configuration: json!([]),
            _dir: dir,
            root,
        };
        let folders: Vec<Value> = options
            .folders
            .iter()
            .map(|folder| json!({"uri": client.dir_uri(folder), "name": folder}))
            .collect();
        let mut capabilities = json!({
            "workspace": {
                "configuration": options.configuration,
                "didChangeWatchedFiles": {"dynamicRegistration": true},
                "workspaceFolders": true,
            },
            "textDocument": {"publishDiagnostics": {"relatedInformation": true}},
        });
        if options.pull {
            capabilities["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
        }
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": client.dir_uri(""),
                "capabilities": capabilities,
                "initializationOptions": options.initialization_options,
                "workspaceFolders": folders,
            }),
        );
        assert_eq!(result["serverInfo"]["name"], "pyparallel");
        client.notify("initialized", json!({}));
        client
    }

    fn uri(&self, path: &str) -> String {
        url_of(&self.root.join(path), false)
    }

    fn dir_uri(&self, path: &str) -> String {
        url_of(&self.root.join(path), true)
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Writes several messages in one write (as fast as an editor sends keystrokes).
    fn send_batch(&mut self, messages: &[Value]) {
        let mut bytes = Vec::new();
        for message in messages {
            let body = message.to_string();
            write!(bytes, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        }
        self.stdin.write_all(&bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (answering the server's own requests and
    /// keeping notifications for later); the result, or the error object.
    fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message.get("method").is_none() && message["id"] == id {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The next message from the server; requests from the server are answered here (and
    /// returned too, so a test can look at them).
    fn receive(&mut self) -> Value {
        let message = match self.messages.recv_timeout(TIMEOUT) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => {
                panic!(
                    "no message from the server in time; seen: {:?}",
                    self.backlog
                )
            }
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        };
        if message.get("method").is_some() && message.get("id").is_some() {
            let result = match message["method"].as_str().unwrap() {
                "workspace/configuration" => {
                    let items = message["params"]["items"].as_array().unwrap().len();
                    let mut answers: Vec<Value> =
                        self.configuration.as_array().cloned().unwrap_or_default();
                    answers.resize(items, Value::Null);
                    Value::Array(answers)
                }
                _ => Value::Null,
            };
            let id = message["id"].clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
        }
        message
    }

    /// Waits for a notification `method` that satisfies `wanted`, skipping others.
    fn wait_for(&mut self, method: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(index) = self
                .backlog
                .iter()
                .position(|m| m["method"] == method && wanted(&m["params"]))
            {
                let message = self.backlog.remove(index).unwrap();
                // Everything before it was seen and passed over.
                self.backlog.drain(..index);
                return message["params"].clone();
            }
            assert!(Instant::now() < deadline, "no {method} in time");
            let message = self.receive();
            self.backlog.push_back(message);
        }
    }

    /// The next diagnostics published for `path` (at `version`, when given).
    fn diagnostics(&mut self, path: &str, version: Option<i64>) -> Vec<Value> {
        let uri = self.uri(path);
        let params = self.wait_for("textDocument/publishDiagnostics", |params| {
            params["uri"] == uri.as_str() && version.is_none_or(|v| params["version"] == v)
        });
        params["diagnostics"].as_array().unwrap().clone()
    }

    /// Waits until the diagnostics published for `path` have exactly the codes `expected`
    /// (after a settings change, a publication for the old settings may still be on its way).
    fn diagnostics_become(&mut self, path: &str, expected: &[&str]) {
        let uri = self.uri(path);
        let expected: Vec<String> = expected.iter().map(ToString::to_string).collect();
        self.wait_for("textDocument/publishDiagnostics", |params| {
            params["uri"] == uri.as_str()
                && codes(params["diagnostics"].as_array().unwrap()) == expected
        });
    }

    fn open(&mut self, path: &str, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
        );
    }

    /// Replaces the document's whole text (a change without a range).
    fn replace(&mut self, path: &str, version: i64, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn code_actions(&mut self, path: &str, line: u32, only: Option<&[&str]>) -> Vec<Value> {
        let uri = self.uri(path);
        let mut context = json!({"diagnostics": []});
        if let Some(only) = only {
            context["only"] = json!(only);
        }
        let result = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                "context": context,
            }),
        );
        result.as_array().cloned().unwrap_or_default()
    }

    fn shutdown(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        wait_exit(&mut self.child)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_exit(child: &mut Child) -> i32 {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn url_of(path: &Path, directory: bool) -> String {
    // Temporary folders have plain ASCII names: no percent-encoding is needed.
    let mut uri = format!("file://{}", path.display());
    if directory && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Applies an LSP `WorkspaceEdit`'s edits for `uri` to `text`, as an editor does (edits are
/// relative to the original text; applied from the last to the first). Positions are UTF-16,
/// the fixtures ASCII.
fn apply(text: &str, edit: &Value, uri: &str) -> String {
    let mut edits: Vec<&Value> = edit["changes"][uri].as_array().unwrap().iter().collect();
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        line_start + character
    };
    edits.sort_by_key(|edit| std::cmp::Reverse(offset(&edit["range"]["start"])));
    let mut text = text.to_string();
    for edit in edits {
        let start = offset(&edit["range"]["start"]);
        let end = offset(&edit["range"]["end"]);
        text.replace_range(start..end, edit["newText"].as_str().unwrap());
    }
    text
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("-").to_string())
        .collect()
}

fn titles(actions: &[Value]) -> Vec<String> {
    actions
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------- lifecycle

#[test]
fn initialize_advertises_what_the_server_does_and_shutdown_exit_ends_it_with_zero() {
    // A bare client: an `initialize` with no capabilities, read by hand.
    let mut raw = Command::new(env!("CARGO_BIN_EXE_pyparallel"))
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let body =
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
            .to_string();
    let mut stdin = raw.stdin.take().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
    let mut reader = BufReader::new(raw.stdout.take().unwrap());
    let mut header = String::new();
    reader.read_line(&mut header).unwrap();
    let length: usize = header.trim()["Content-Length: ".len()..].parse().unwrap();
    reader.read_line(&mut String::new()).unwrap();
    let mut response = vec![0; length];
    reader.read_exact(&mut response).unwrap();
    let response: Value = serde_json::from_slice(&response).unwrap();
    let capabilities = &response["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(
        capabilities["textDocumentSync"]["change"], 2,
        "incremental sync"
    );
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(
        capabilities["diagnosticProvider"]["identifier"],
        "pyparallel"
    );
    let kinds = &capabilities["codeActionProvider"]["codeActionKinds"];
    assert!(
        kinds
            .as_array()
            .unwrap()
            .contains(&json!("source.fixAll.pyparallel")),
        "{kinds}"
    );
    assert_eq!(
        capabilities["notebookDocumentSync"]["notebookSelector"][0]["cells"],
        json!([{"language": "python"}])
    );
    // `exit` without `shutdown`: exit code 1, as the protocol asks.
    let exit = json!({"jsonrpc": "2.0", "method": "exit"}).to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{exit}", exit.len()).unwrap();
    stdin.flush().unwrap();
    assert_eq!(wait_exit(&mut raw), 1);

    // After `shutdown`, requests are refused; `exit` then ends the server with 0.
    let mut client = Client::start(Options::default(), &[]);
    client.request("shutdown", Value::Null);
    let refused = client.request_raw("textDocument/hover", json!({}));
    assert_eq!(refused["error"]["code"], -32600, "{refused}");
    client.notify("exit", Value::Null);
    assert_eq!(wait_exit(&mut client.child), 0);
}

// ---------------------------------------------------------------- diagnostics

#[test]
fn opening_a_file_publishes_its_diagnostics() {
    let mut client = Client::start(Options::default(), &[]);
    client.open("app.py", FIXTURE);
    let diagnostics = client.diagnostics("app.py", Some(1));
    let root = url_of(&client.root, true);
    let shown = serde_json::to_string_pretty(&diagnostics)
        .unwrap()
        .replace(&root, "file://[ROOT]/");
    insta::assert_snapshot!("published_diagnostics", shown);
    // The parts an editor relies on, spelled out.
    assert_eq!(codes(&diagnostics), ["PAR601", "PAR603", "PAR604"]);
    // Severity from the rule: PAR604 (a lost task) is a correctness error (1), the others
    // performance warnings (2).
    let severities: Vec<i64> = diagnostics
        .iter()
        .map(|d| d["severity"].as_i64().unwrap())
        .collect();
    assert_eq!(severities, [2, 2, 1]);
    assert!(diagnostics[1]["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/docs/rules/PAR603.md"));
    // The suggestion-only fix is in the related information, with the code it suggests.
    let related = &diagnostics[2]["relatedInformation"][0]["message"];
    assert!(
        related
            .as_str()
            .unwrap()
            .contains("_background_tasks.add(task)"),
        "{related}"
    );
    assert!(diagnostics[0].get("relatedInformation").is_none());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn edits_change_the_diagnostics_after_the_debounce_and_only_once() {
    let mut client = Client::start(Options::default(), &[]);
    client.open("app.py", FIXTURE);
    assert_eq!(client.diagnostics("app.py", Some(1)).len(), 3);
    let uri = client.uri("app.py");
    // Five quick incremental edits (typing `2345` after `1`, and an empty change), then the
    // safe fix typed by hand on line 7 (0-based 6): `get_event_loop` -> `get_running_loop`.
    // Written at once, as an editor sends keystrokes, well within the debounce.
    let mut batch = Vec::new();
    for (version, digit) in (2..=6).zip(["2", "3", "4", "5", ""]) {
        let character = 16 + version - 2;
        batch.push(json!({
            "jsonrpc": "2.0",
            "method": "textDocument/didChange",
            "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": 5, "character": character}, "end": {"line": 5, "character": character}},
                    "text": digit,
                }],
            },
        }));
    }
    batch.push(json!({
        "jsonrpc": "2.0",
        "method": "textDocument/didChange",
        "params": {
            "textDocument": {"uri": uri, "version": 7},
            "contentChanges": [{
                "range": {"start": {"line": 6, "character": 23}, "end": {"line": 6, "character": 33}},
                "text": "running_loop",
            }],
        },
    }));
    client.send_batch(&batch);
    // Debounced: the first publication after the edits is for the last version.
    let uri2 = uri.clone();
    let published = client.wait_for("textDocument/publishDiagnostics", move |p| {
        p["uri"] == uri2.as_str()
    });
    assert_eq!(published["version"], 7);
    let diagnostics = published["diagnostics"].as_array().unwrap().clone();
    assert_eq!(codes(&diagnostics), ["PAR601", "PAR604"]);
    let end = diagnostics[0]["range"]["end"]["character"]
        .as_i64()
        .unwrap();
    assert_eq!(
        end,
        4 + "time.sleep(12345)".len() as i64,
        "the range follows the edits"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn saving_relints_and_closing_clears() {
    let mut client = Client::start(Options::default(), &[]);
    client.open("app.py", FIXTURE);
    client.diagnostics("app.py", Some(1));
    let uri = client.uri("app.py");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(client.diagnostics("app.py", Some(1)).len(), 3);
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let uri2 = uri.clone();
    let cleared = client.wait_for("textDocument/publishDiagnostics", move |p| {
        p["uri"] == uri2.as_str()
    });
    assert_eq!(cleared["diagnostics"], json!([]));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn pull_diagnostics_when_the_client_pulls() {
    let options = Options {
        pull: true,
        ..Options::default()
    };
    let mut client = Client::start(options, &[]);
    client.open("app.py", FIXTURE);
    let uri = client.uri("app.py");
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full");
    assert_eq!(
        codes(report["items"].as_array().unwrap()),
        ["PAR601", "PAR603", "PAR604"]
    );
    let result_id = report["resultId"].clone();
    let again = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": result_id}),
    );
    assert_eq!(again["kind"], "unchanged");
    client.replace("app.py", 2, "import asyncio\n");
    let changed = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": result_id}),
    );
    assert_eq!(changed["kind"], "full");
    assert_eq!(changed["items"], json!([]));
    // Nothing was pushed to a client that pulls.
    assert!(
        !client
            .backlog
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{:?}",
        client.backlog
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_syntax_error_is_a_diagnostic_and_the_server_goes_on() {
    let mut client = Client::start(Options::default(), &[]);
    client.open("broken.py", "def f(:\n    pass\n");
    let diagnostics = client.diagnostics("broken.py", Some(1));
    assert!(!diagnostics.is_empty());
    for diagnostic in &diagnostics {
        assert_eq!(diagnostic["severity"], 1);
        assert!(
            diagnostic["message"]
                .as_str()
                .unwrap()
                .starts_with("SyntaxError:"),
            "{diagnostics:?}"
        );
    }
    client.replace("broken.py", 2, FIXTURE);
    assert_eq!(client.diagnostics("broken.py", Some(2)).len(), 3);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_rule_panic_is_logged_and_the_server_goes_on() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: PYPARALLEL_DEBUG_PANIC works in debug builds only");
        return;
    }
    let options = Options {
        env: vec![("PYPARALLEL_DEBUG_PANIC", "PAR603")],
        ..Options::default()
    };
    let mut client = Client::start(options, &[]);
    client.open("app.py", FIXTURE);
    let logged = client.wait_for("window/logMessage", |p| p["type"] == 1);
    let message = logged["message"].as_str().unwrap();
    assert!(
        message.contains("internal error in rule PAR603") && message.contains("app.py"),
        "{message}"
    );
    assert_eq!(client.diagnostics("app.py", Some(1)), Vec::<Value>::new());
    // Another file, without the rule's callee, is checked as usual.
    client.open(
        "other.py",
        "import time\n\nasync def f():\n    time.sleep(1)\n",
    );
    assert_eq!(codes(&client.diagnostics("other.py", Some(1))), ["PAR601"]);
    assert_eq!(client.shutdown(), 0);
}

// ---------------------------------------------------------------- code actions

#[test]
fn quick_fix_is_offered_per_diagnostic_and_its_edit_fixes_the_text() {
    let mut client = Client::start(Options::default(), &[]);
    client.open("app.py", FIXTURE);
    client.diagnostics("app.py", Some(1));
    let actions = client.code_actions("app.py", 6, None);
    assert_eq!(
        titles(&actions),
        [
            "Replace with `get_running_loop()` (PAR603)",
            "Disable PAR603 for this line",
            "Fix all pyparallel safe fixes",
        ]
    );
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(actions[0]["diagnostics"][0]["code"], "PAR603");
    let uri = client.uri("app.py");
    let fixed = apply(FIXTURE, &actions[0]["edit"], &uri);
    assert_eq!(
        fixed,
        FIXTURE.replace("get_event_loop", "get_running_loop"),
        "the quick fix"
    );
    // The editor applies it: the diagnostic goes away.
    client.replace("app.py", 2, &fixed);
    assert_eq!(
        codes(&client.diagnostics("app.py", Some(2))),
        ["PAR601", "PAR604"]
    );

    // The unsafe fix of PAR601 is not offered by default; the suggestion-only fix of PAR604
    // never is (it is not an edit that can be trusted); both can be disabled for the line.
    let on_sleep = client.code_actions("app.py", 5, None);
    assert_eq!(titles(&on_sleep), ["Disable PAR601 for this line"]);
    let on_task = client.code_actions("app.py", 10, Some(&["quickfix"]));
    assert_eq!(titles(&on_task), ["Disable PAR604 for this line"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn unsafe_fixes_are_offered_marked_when_the_client_setting_allows_them() {
    let options = Options {
        initialization_options: json!({"settings": {"unsafeFixes": true}}),
        ..Options::default()
    };
    let mut client = Client::start(options, &[]);
    client.open("app.py", FIXTURE);
    client.diagnostics("app.py", Some(1));
    let actions = client.code_actions("app.py", 5, Some(&["quickfix"]));
    assert_eq!(
        titles(&actions),
        [
            "Replace with `await asyncio.sleep(...)` (PAR601, unsafe fix)",
            "Disable PAR601 for this line",
        ]
    );
    assert!(
        actions[0].get("isPreferred").is_none(),
        "an unsafe fix is not preferred"
    );
    let uri = client.uri("app.py");
    let fixed = apply(FIXTURE, &actions[0]["edit"], &uri);
    assert!(fixed.contains("    await asyncio.sleep(1)\n"), "{fixed}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn fix_all_applies_the_safe_fixes_as_check_fix_does() {
    let mut client = Client::start(Options::default(), &[]);
    client.open("app.py", FIXTURE);
    client.diagnostics("app.py", Some(1));
    let actions = client.code_actions("app.py", 0, Some(&["source.fixAll"]));
    assert_eq!(titles(&actions), ["Fix all pyparallel safe fixes"]);
    assert_eq!(actions[0]["kind"], "source.fixAll.pyparallel");
    let uri = client.uri("app.py");
    let fixed = apply(FIXTURE, &actions[0]["edit"], &uri);
    // The same text as `pyparallel check --fix` writes.
    std::fs::write(client.root.join("cli.py"), FIXTURE).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_pyparallel"))
        .args(["check", "--fix", "--isolated", "-q", "cli.py"])
        .current_dir(&client.root)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1), "diagnostics remain");
    let by_cli = std::fs::read_to_string(client.root.join("cli.py")).unwrap();
    assert_eq!(fixed, by_cli);
    assert_ne!(fixed, FIXTURE);
    // Nothing safe left to fix: no fix-all offered.
    client.replace("app.py", 2, &fixed);
    client.diagnostics("app.py", Some(2));
    assert!(client
        .code_actions("app.py", 0, Some(&["source.fixAll.pyparallel"]))
        .is_empty());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn disable_for_this_line_adds_or_extends_noqa() {
    let mut client = Client::start(Options::default(), &[]);
    let text = FIXTURE.replace("time.sleep(1)", "time.sleep(1)  # noqa: E501");
    client.open("app.py", &text);
    client.diagnostics("app.py", Some(1));
    let uri = client.uri("app.py");
    let actions = client.code_actions("app.py", 5, None);
    let disable = actions
        .iter()
        .find(|a| a["title"] == "Disable PAR601 for this line")
        .unwrap();
    let extended = apply(&text, &disable["edit"], &uri);
    assert!(
        extended.contains("    time.sleep(1)  # noqa: E501, PAR601\n"),
        "{extended}"
    );
    let actions = client.code_actions("app.py", 6, None);
    let disable = actions
        .iter()
        .find(|a| a["title"] == "Disable PAR603 for this line")
        .unwrap();
    let added = apply(&extended, &disable["edit"], &uri);
    assert!(
        added.contains("    return asyncio.get_event_loop()  # noqa: PAR603\n"),
        "{added}"
    );
    client.replace("app.py", 2, &added);
    assert_eq!(codes(&client.diagnostics("app.py", Some(2))), ["PAR604"]);
    assert_eq!(client.shutdown(), 0);
}

// ---------------------------------------------------------------- hover

#[test]
fn hover_on_a_noqa_code_shows_the_rule_documentation() {
    let mut client = Client::start(Options::default(), &[]);
    let text =
        "import asyncio\nasync def f():\n    return asyncio.get_event_loop()  # noqa: PAR603\n";
    client.open("app.py", text);
    client.diagnostics("app.py", Some(1));
    let uri = client.uri("app.py");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 48}}),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    let page = Command::new(env!("CARGO_BIN_EXE_pyparallel"))
        .args(["rule", "PAR603", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(
        hover["contents"]["value"].as_str().unwrap(),
        String::from_utf8(page.stdout).unwrap(),
        "the same page as `pyparallel rule PAR603`"
    );
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 20}}),
    );
    assert_eq!(nothing, Value::Null);
    assert_eq!(client.shutdown(), 0);
}

// ---------------------------------------------------------------- configuration

#[test]
fn the_closest_configuration_file_applies_and_is_reloaded_when_it_changes() {
    let files = [
        ("pyparallel.toml", "ignore = [\"PAR603\"]\n"),
        (
            "sub/pyproject.toml",
            "[tool.pyparallel]\nignore = [\"PAR601\"]\n",
        ),
    ];
    let mut client = Client::start(Options::default(), &files);
    // The registration of the file watcher for configuration files.
    let registration = client.wait_for("client/registerCapability", |_| true);
    let watchers = &registration["registrations"][0]["registerOptions"]["watchers"];
    assert!(
        watchers.to_string().contains("**/pyproject.toml"),
        "{watchers}"
    );
    client.open("app.py", FIXTURE);
    assert_eq!(
        codes(&client.diagnostics("app.py", Some(1))),
        ["PAR601", "PAR604"]
    );
    client.open("sub/app.py", FIXTURE);
    assert_eq!(
        codes(&client.diagnostics("sub/app.py", Some(1))),
        ["PAR603", "PAR604"],
        "the closest configuration wins"
    );
    std::fs::write(
        client.root.join("pyparallel.toml"),
        "ignore = [\"PAR604\"]\n",
    )
    .unwrap();
    let changed = client.uri("pyparallel.toml");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": changed, "type": 2}]}),
    );
    client.diagnostics_become("app.py", &["PAR601", "PAR603"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn files_the_configuration_excludes_get_no_diagnostics() {
    let files = [("pyparallel.toml", "extend-exclude = [\"generated\"]\n")];
    let mut client = Client::start(Options::default(), &files);
    client.open("generated/app.py", FIXTURE);
    assert_eq!(
        client.diagnostics("generated/app.py", Some(1)),
        Vec::<Value>::new()
    );
    client.open("app.py", FIXTURE);
    assert_eq!(client.diagnostics("app.py", Some(1)).len(), 3);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn client_settings_select_and_ignore_through_workspace_configuration() {
    let options = Options {
        configuration: true,
        initialization_options: json!({"ignore": ["PAR604"]}),
        ..Options::default()
    };
    let mut client = Client::start(options, &[]);
    client.open("app.py", FIXTURE);
    assert_eq!(
        codes(&client.diagnostics("app.py", Some(1))),
        ["PAR601", "PAR603"]
    );
    // The editor's settings change: it says so, the server asks for them.
    client.configuration = json!([{"select": ["PAR6"], "ignore": ["PAR601"]}]);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    client.diagnostics_become("app.py", &["PAR603", "PAR604"]);
    // A `configuration` file named in the settings replaces the closest one; the
    // `initializationOptions` (ignore PAR604) still apply over it.
    std::fs::write(
        client.root.join("strict.toml"),
        "select = [\"PAR603\", \"PAR604\"]\n",
    )
    .unwrap();
    client.configuration = json!([{"configuration": "strict.toml"}]);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    client.diagnostics_become("app.py", &["PAR603"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn each_workspace_folder_has_its_own_configuration_and_settings() {
    let files = [
        ("one/pyparallel.toml", "select = [\"PAR601\"]\n"),
        ("two/pyparallel.toml", "select = [\"PAR603\", \"PAR604\"]\n"),
    ];
    let options = Options {
        configuration: true,
        folders: vec!["one", "two"],
        ..Options::default()
    };
    let mut client = Client::start(options, &files);
    client.open("one/app.py", FIXTURE);
    client.open("two/app.py", FIXTURE);
    assert_eq!(
        codes(&client.diagnostics("one/app.py", Some(1))),
        ["PAR601"]
    );
    assert_eq!(
        codes(&client.diagnostics("two/app.py", Some(1))),
        ["PAR603", "PAR604"]
    );
    // Settings for folder two only (items: global, one, two).
    client.configuration = json!([null, null, {"ignore": ["PAR603"]}]);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    client.diagnostics_become("two/app.py", &["PAR604"]);
    // Folder one keeps its settings: its diagnostics are the same when relinted.
    client.replace("one/app.py", 2, FIXTURE);
    assert_eq!(
        codes(&client.diagnostics("one/app.py", Some(2))),
        ["PAR601"]
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_bad_configuration_is_shown_and_the_defaults_apply() {
    let files = [("pyparallel.toml", "selct = [\"PAR601\"]\n")];
    let mut client = Client::start(Options::default(), &files);
    client.open("app.py", FIXTURE);
    let shown = client.wait_for("window/showMessage", |_| true);
    let message = shown["message"].as_str().unwrap();
    assert!(message.contains("selct"), "{message}");
    assert_eq!(
        codes(&client.diagnostics("app.py", Some(1))),
        ["PAR601", "PAR603", "PAR604"]
    );
    assert_eq!(client.shutdown(), 0);
}

// ---------------------------------------------------------------- notebooks

/// A notebook's cell document URI, as VS Code spells them.
fn cell_uri(client: &Client, notebook: &str, cell: usize) -> String {
    format!(
        "vscode-notebook-cell:{}#W{cell}",
        client.root.join(notebook).display()
    )
}

#[test]
fn notebook_cells_are_linted_together_and_fixed_in_place() {
    let mut client = Client::start(Options::default(), &[]);
    let notebook = client.uri("analysis.ipynb");
    let cells = [
        (2, "import asyncio\nimport time\n"),
        (1, "# Fetching\nThe loop below uses `time`."),
        (
            2,
            "async def fetch():\n    time.sleep(1)\n    return asyncio.get_event_loop()",
        ),
    ];
    let uris: Vec<String> = (0..cells.len())
        .map(|index| cell_uri(&client, "analysis.ipynb", index))
        .collect();
    client.notify(
        "notebookDocument/didOpen",
        json!({
            "notebookDocument": {
                "uri": notebook,
                "notebookType": "jupyter-notebook",
                "version": 1,
                "cells": cells.iter().zip(&uris).map(|((kind, _), uri)| json!({"kind": kind, "document": uri})).collect::<Vec<_>>(),
            },
            "cellTextDocuments": cells.iter().zip(&uris).map(|((kind, text), uri)| json!({
                "uri": uri,
                "languageId": if *kind == 2 { "python" } else { "markdown" },
                "version": 1,
                "text": text,
            })).collect::<Vec<_>>(),
        }),
    );
    // The names imported in the first cell are known in the third: one module, as it runs.
    let first = uris[0].clone();
    let published = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == first.as_str()
    });
    assert_eq!(published["diagnostics"], json!([]));
    let third = uris[2].clone();
    let published = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == third.as_str()
    });
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(codes(diagnostics), ["PAR601", "PAR603"]);
    // Positions are the cell's own.
    assert_eq!(
        diagnostics[1]["range"],
        json!({"start": {"line": 2, "character": 11}, "end": {"line": 2, "character": 35}})
    );

    // The quick fix edits the cell.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uris[2]},
            "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
            "context": {"diagnostics": []},
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(
        titles(actions)[0],
        "Replace with `get_running_loop()` (PAR603)"
    );
    let fixed = apply(cells[2].1, &actions[0]["edit"], &uris[2]);
    assert_eq!(
        fixed,
        cells[2].1.replace("get_event_loop", "get_running_loop")
    );
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.pyparallel")
        .expect("a fix-all action");
    assert_eq!(apply(cells[2].1, &fix_all["edit"], &uris[2]), fixed);
    assert_eq!(
        fix_all["edit"]["changes"].as_object().unwrap().len(),
        1,
        "only the third cell changes"
    );

    // The editor applies it to the cell: the notebook changes, the diagnostic goes.
    client.notify(
        "notebookDocument/didChange",
        json!({
            "notebookDocument": {"uri": notebook, "version": 2},
            "change": {"cells": {"textContent": [{
                "document": {"uri": uris[2], "version": 2},
                "changes": [{"text": fixed}],
            }]}},
        }),
    );
    let published = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == third.as_str() && p["version"] == 2
    });
    assert_eq!(
        codes(published["diagnostics"].as_array().unwrap()),
        ["PAR601"]
    );

    // A new cell inserted before the last one: its diagnostics are its own.
    let new_cell = cell_uri(&client, "analysis.ipynb", 9);
    client.notify(
        "notebookDocument/didChange",
        json!({
            "notebookDocument": {"uri": notebook, "version": 3},
            "change": {"cells": {"structure": {
                "array": {"start": 2, "deleteCount": 0, "cells": [{"kind": 2, "document": new_cell}]},
                "didOpen": [{"uri": new_cell, "languageId": "python", "version": 1,
                             "text": "async def main():\n    asyncio.get_event_loop()\n"}],
            }}},
        }),
    );
    let added = new_cell.clone();
    let published = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == added.as_str()
    });
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(codes(diagnostics), ["PAR603"]);
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": 1, "character": 4})
    );

    client.notify(
        "notebookDocument/didClose",
        json!({"notebookDocument": {"uri": notebook}, "cellTextDocuments": [{"uri": uris[0]}, {"uri": uris[1]}, {"uri": new_cell}, {"uri": uris[2]}]}),
    );
    let published = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == third.as_str() && p["diagnostics"] == json!([])
    });
    assert!(published["version"].is_null());
    assert_eq!(client.shutdown(), 0);
}

// ---------------------------------------------------------------- documented setups

/// The fenced blocks of `language` in docs/editors.md.
fn documented(language: &str) -> Vec<String> {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/editors.md")).unwrap();
    let fence = format!("```{language}\n");
    page.split(&fence)
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_string())
        .collect()
}

/// Every settings key an editor setup in the docs passes is one the server reads.
fn assert_known_settings(settings: &Value, context: &str) {
    for key in settings.as_object().unwrap().keys() {
        assert!(
            ["select", "ignore", "unsafeFixes", "configuration"].contains(&key.as_str()),
            "{context}: unknown setting `{key}`"
        );
    }
}

#[test]
fn the_documented_editor_setups_start_the_server_with_known_settings() {
    // Helix and Zed: TOML and JSON that parse, and start `pyparallel server` (Helix) or run
    // `pyparallel check` (Zed's task); VS Code's settings name the server and known keys.
    let helix: Vec<toml::Table> = documented("toml")
        .iter()
        .map(|text| toml::from_str(text).unwrap())
        .collect();
    assert_eq!(helix.len(), 1);
    let server = &helix[0]["language-server"]["pyparallel"];
    assert_eq!(server["command"].as_str(), Some("pyparallel"));
    assert_eq!(
        server["args"].as_array().unwrap()[0].as_str(),
        Some("server")
    );
    let config = serde_json::to_value(&server["config"]).unwrap();
    assert_known_settings(&config, "Helix");
    let python = &helix[0]["language"].as_array().unwrap()[0];
    assert!(python["language-servers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|name| name.as_str() == Some("pyparallel")));

    let json: Vec<Value> = documented("json")
        .iter()
        .map(|text| serde_json::from_str(text).unwrap())
        .collect();
    let vscode = json
        .iter()
        .find(|block| block.get("glspc.server.command").is_some())
        .expect("the VS Code settings");
    assert_eq!(vscode["glspc.server.command"], "pyparallel");
    assert_eq!(vscode["glspc.server.commandArguments"], json!(["server"]));
    assert_known_settings(&vscode["glspc.server.initializationOptions"], "VS Code");
    assert!(json.iter().any(|block| {
        block["[python]"]["editor.codeActionsOnSave"]
            .get("source.fixAll.pyparallel")
            .is_some()
    }));
    let zed = json
        .iter()
        .find(|block| block.is_array())
        .expect("the Zed task");
    assert_eq!(zed[0]["command"], "pyparallel");
    assert_eq!(zed[0]["args"][0], "check");

    // Neovim: every form starts `pyparallel server` with the settings under `pyparallel`.
    let lua = documented("lua");
    assert_eq!(lua.len(), 3, "0.11+, 0.8-0.10 and 0.7");
    for snippet in &lua {
        assert!(
            snippet.contains(r#"cmd = { "pyparallel", "server" }"#),
            "{snippet}"
        );
        assert!(
            snippet.contains("settings = { pyparallel = { unsafeFixes = false } }"),
            "{snippet}"
        );
    }
    // The settings shapes the docs show reach the server: `initializationOptions` as the
    // object itself (Helix, VS Code) and `workspace/configuration` (Neovim) are both tested
    // above; here the exact objects the docs pass are accepted.
    let options = Options {
        initialization_options: config,
        ..Options::default()
    };
    let mut client = Client::start(options, &[]);
    client.open("app.py", FIXTURE);
    assert_eq!(client.diagnostics("app.py", Some(1)).len(), 3);
    assert_eq!(client.shutdown(), 0);
}
