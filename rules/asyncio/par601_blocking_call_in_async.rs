//! PAR601 blocking-call-in-async: a blocking I/O call made directly inside a coroutine.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::workload::{IoKind, Workload};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::imports::{import_member, ImportStyle};
use crate::rules::asyncio::calls::{
    arguments_text, awaited, bound_value, callable_and_arguments, callee_text, coroutine,
    is_async_library, is_coroutine_function, position, Position,
};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR601",
    name: "blocking-call-in-async",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A blocking I/O call inside `async def` stalls the event loop; await `asyncio.sleep` or `asyncio.to_thread` instead",
    docs: DOCS,
    kinds: &[NodeKind::CoroutineCall],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a blocking I/O call made directly inside an `async def`: `time.sleep`, network calls
(`requests.*`, `httpx.get` and the rest of httpx's sync API, `urllib.request.urlopen`,
`socket` calls, the methods of a `requests.Session()` / `httpx.Client()` object),
`subprocess.run`/`call`/`check_output`/`Popen` and `os.system`, sync file access (`open`,
`pathlib.Path.read_text`/`write_bytes`/..., `shutil` copies, directory listings) and DB-API
connections and cursors — however the module or function was imported or aliased, and also
a call of one of the module's own sync functions (or methods) that makes such a call.

Not flagged: awaited calls (`await session.get(url)` on an `aiohttp.ClientSession` or
`httpx.AsyncClient`), `async with` / `async for` headers, anything from `asyncio`,
`aiohttp`, `aiofiles` and other async libraries, calls of the module's own `async def`
functions, and calls inside a nested sync `def` or `lambda` (such as the callable handed to
`asyncio.to_thread` or `loop.run_in_executor`): those bodies do not run on the loop.

## Why is this bad?
An event loop runs one coroutine at a time and only switches at an `await`. A blocking call
holds the loop for its whole duration: every other task (other requests being served,
timeouts, heartbeats) freezes until it returns. The work is I/O-bound, so the strategy is to
wait without holding the loop: `await asyncio.sleep(...)` instead of `time.sleep(...)`,
and `await asyncio.to_thread(...)` to run any other blocking call in a worker thread.

## Example
```python
import time

import requests

async def poll(url):
    time.sleep(1)
    return requests.get(url).json()
```

Use instead:
```python
import asyncio
import time

import requests

async def poll(url):
    await asyncio.sleep(1)
    return (await asyncio.to_thread(requests.get, url)).json()
```

## Fix
`time.sleep(x)` becomes `await asyncio.sleep(x)`; any other call `fn(*args, **kwargs)`
becomes `await asyncio.to_thread(fn, *args, **kwargs)`, in parentheses where the result is
used further (`.json()`, `[0]`). `asyncio` is imported when missing. The fix is shown only
(not applied) inside a generator expression, where `await` would make it an async
generator, and for `asyncio.to_thread` when the target version is below Python 3.9.
Rewriting to a native async client (`aiohttp`, `httpx.AsyncClient`, `aiofiles`) is usually
better still, and is left to you.

## Fix safety
Unsafe: the coroutine now yields to the loop at that point, so other tasks can run in
between and observe intermediate state; with `to_thread` the call also runs in another
thread, which matters for objects that are not thread-safe (an `sqlite3` connection is
bound to the thread that created it).
"#;

/// The kinds of I/O that block the loop.
fn is_blocking(kind: IoKind) -> bool {
    matches!(
        kind,
        IoKind::Network | IoKind::File | IoKind::Subprocess | IoKind::Sleep | IoKind::Database
    )
}

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    let Some(def) = coroutine(checker) else {
        return;
    };
    // An awaited call makes an awaitable: it does not block (checked first, as it is cheap).
    if checker.is_awaited(call) {
        return;
    }
    let Workload::IoBound(kind) = checker.workload_of_callable(&call.func) else {
        return;
    };
    if !is_blocking(kind)
        || is_async_library(checker, &call.func)
        || is_coroutine_function(checker, &call.func)
        || !blocking_receiver(checker, &call.func)
        || numeric_only_lookup(checker, call)
        || offloaded_elsewhere(def, &call.func)
    {
        return;
    }
    let Some(position) = position(checker, call) else {
        return;
    };
    if position.async_header || position.feeds_async_api(checker, call) {
        return;
    }
    let is_time_sleep = checker.semantic.resolves_to(&call.func, "time.sleep");
    let strategy = if is_time_sleep {
        "wait with `await asyncio.sleep(...)`"
    } else {
        "run it in a worker thread with `await asyncio.to_thread(...)`"
    };
    let message = format!(
        "{} call `{}` blocks the event loop inside `async def {}`; {strategy}",
        kind.describe(),
        callee_text(checker, call),
        def.name.as_str(),
    );
    let fix = if is_time_sleep {
        sleep_fix(checker, call, &position)
    } else {
        to_thread_fix(checker, call, &position)
    };
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// For a method call on an object: whether the object is a blocking client. An async client
/// (`aiohttp.ClientSession()`, `httpx.AsyncClient()`, an awaited connection) returns
/// awaitables; a file object from `open(...)` has had its `open` reported already.
fn blocking_receiver<'a>(checker: &Checker<'a>, func: &'a Expr) -> bool {
    let Expr::Attribute(attribute) = func else {
        return true;
    };
    if checker.semantic.client_kind(&attribute.value).is_none() {
        // A method of the module's own classes, followed by the workload analysis.
        return true;
    }
    let value = match attribute.value.as_ref() {
        receiver @ (Expr::Name(_) | Expr::Attribute(_)) => {
            let Some(value) = bound_value(checker, receiver) else {
                // Precision first: a client we cannot see the making of may be async.
                return false;
            };
            value
        }
        value => value,
    };
    !makes_async_or_file_object(checker, value)
}

fn makes_async_or_file_object<'a>(checker: &Checker<'a>, value: &'a Expr) -> bool {
    match value {
        Expr::Await(_) => true,
        Expr::Call(call) => {
            is_async_library(checker, &call.func)
                || [
                    "builtins.open",
                    "io.open",
                    "codecs.open",
                    "gzip.open",
                    "bz2.open",
                    "lzma.open",
                ]
                .iter()
                .any(|name| checker.semantic.resolves_to(&call.func, name))
                || match call.func.as_ref() {
                    // `session.get(...)` style chains: judge the object they start from.
                    Expr::Attribute(attribute) => {
                        makes_async_or_file_object(checker, &attribute.value)
                    }
                    _ => false,
                }
        }
        _ => false,
    }
}

fn sleep_fix(checker: &Checker, call: &ast::ExprCall, position: &Position) -> Fix {
    let suggestion = || {
        Fix::display_only(
            "Wait without blocking the loop: `await asyncio.sleep(...)`",
            Vec::new(),
        )
    };
    if position.in_generator()
        || call.arguments.args.len() != 1
        || !call.arguments.keywords.is_empty()
        || matches!(call.arguments.args[0], Expr::Starred(_))
    {
        return suggestion();
    }
    let Some(sleep) = import_member(
        checker,
        "asyncio",
        "sleep",
        ImportStyle::Module,
        call.start(),
    ) else {
        return suggestion();
    };
    let argument = checker.source.slice(call.arguments.args[0].range());
    let mut edits = vec![Edit::replace(
        call.range(),
        awaited(position, call, &format!("{}({argument})", sleep.text)),
    )];
    edits.extend(sleep.edit);
    Fix::unsafe_("Replace with `await asyncio.sleep(...)`", edits)
}

fn to_thread_fix(checker: &Checker, call: &ast::ExprCall, position: &Position) -> Fix {
    let func = checker.source.slice(call.func.range());
    let edit = (!position.in_generator())
        .then(|| arguments_text(checker, call))
        .flatten()
        .and_then(|arguments| {
            let to_thread = import_member(
                checker,
                "asyncio",
                "to_thread",
                ImportStyle::Module,
                call.start(),
            )?;
            let inner = format!(
                "{}({})",
                to_thread.text,
                callable_and_arguments(func, arguments)
            );
            let mut edits = vec![Edit::replace(call.range(), awaited(position, call, &inner))];
            edits.extend(to_thread.edit);
            Some(edits)
        });
    match edit {
        Some(edits) if checker.settings.target_version >= 9 => Fix::unsafe_(
            "Run the call in a worker thread: `await asyncio.to_thread(...)`",
            edits,
        ),
        Some(edits) => Fix::display_only(
            "Run the call in a worker thread: `await asyncio.to_thread(...)` (Python 3.9+; before, `await loop.run_in_executor(None, ...)`)",
            edits,
        ),
        None => Fix::display_only(
            "Run the call in a worker thread: `await asyncio.to_thread(fn, *args, **kwargs)`",
            Vec::new(),
        ),
    }
}

/// `socket.getaddrinfo(..., flags=AI_NUMERICHOST | ...)` resolves nothing: it returns at once
/// (distributed's `_getaddrinfo` tries this fast path before a thread).
fn numeric_only_lookup<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    if !checker
        .semantic
        .resolves_to(&call.func, "socket.getaddrinfo")
    {
        return false;
    }
    let Some(flags) =
        crate::analysis::semantic::keyword(call, "flags").or_else(|| call.arguments.args.get(5))
    else {
        return false;
    };
    let text = checker.source.slice(flags.range());
    if text.contains("NUMERIC") {
        return true;
    }
    // A module constant such as `_NUMERIC_ONLY = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV`.
    let Expr::Name(name) = flags else {
        return false;
    };
    checker.module.iter().any(|stmt| match stmt {
        ast::Stmt::Assign(assign) => {
            assign
                .targets
                .iter()
                .any(|target| matches!(target, Expr::Name(t) if t.id == name.id))
                && checker
                    .source
                    .slice(assign.value.range())
                    .contains("NUMERIC")
        }
        _ => false,
    })
}

/// Whether the coroutine also hands the same function to another call (`await offload(func,
/// data)`, `to_thread(func, ...)`): the inline call beside it is then a deliberate choice, as
/// in distributed's `if len(data) < 10000: func(data) else: await offload(func, data)`.
fn offloaded_elsewhere(def: &ast::StmtFunctionDef, callee: &Expr) -> bool {
    use ruff_python_ast::visitor::{self, Visitor};
    let Expr::Name(callee) = callee else {
        return false;
    };
    struct Finder<'n> {
        name: &'n str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if call
                    .arguments
                    .args
                    .iter()
                    .any(|arg| matches!(arg, Expr::Name(n) if n.id.as_str() == self.name))
                {
                    self.found = true;
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        name: callee.id.as_str(),
        found: false,
    };
    finder.visit_body(&def.body);
    finder.found
}
