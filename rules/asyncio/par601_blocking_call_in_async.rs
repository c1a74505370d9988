//! PAR601 blocking-call-in-async: a blocking I/O call made directly inside a coroutine.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::library::is_lifecycle_hook;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::imports::{import_member, ImportStyle};
use crate::rules::asyncio::calls::{
    arguments_text, awaited, bound_value, callable_and_arguments, callee_text, coroutine,
    is_async_library, is_coroutine_function, position, Position,
};
use crate::rules::evidence::call_path;
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
Flags a call made directly inside an `async def` that blocks the event loop's thread, as the
effect summaries see it: `time.sleep`, network calls (`requests.*`, httpx's sync API,
`urllib.request.urlopen`, `socket` calls, the methods of a `requests.Session()` /
`httpx.Client()` object), `subprocess.run`/`call`/`check_output` and `os.system`, file
access (`open`, `pathlib.Path.read_text`/`write_bytes`/..., `shutil` copies), directory
listings and walks (`os.walk`, `os.scandir`, `Path.glob`/`rglob`/`iterdir`), DB-API
connections and cursors, and waits on locks, queues and futures (`queue.Queue().get()`) —
however the module or function was imported or aliased, and through any chain of the
module's own functions and methods. The message names the path: "`sync_inventory` →
`post_inventory` → `requests.post` (line 17)".

Not flagged, because they do not block:
- awaited calls, `async with` / `async for` headers, and anything of `asyncio`, `aiohttp`,
  `aiofiles` and other async libraries;
- calls of `async def` functions (they only make a coroutine), helpers that only schedule
  work (`asyncio.create_task(...)`, `ensure_future`, a `TaskGroup`), and nested `def`s or
  `lambda`s, whose bodies run elsewhere;
- a single metadata call (`os.path.exists`, `os.stat`, `Path.is_file()`);
- socket calls after `setblocking(False)` or `settimeout(0)`, and calls inside a `try` that
  catches `BlockingIOError`;
- a helper whose I/O sits behind a parameter the call turns off (`export(rows,
  upload=False)` where `export` posts only `if upload:`);
- a generator (or lazy listing) handed on rather than iterated here (a streaming response
  iterates it, often in a worker thread).

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
used further (`.json()`, `[0]`). A directory listing iterated on the spot (`for ... in
os.walk(root)`, `sorted(Path(p).rglob("*"))`) becomes `await asyncio.to_thread(lambda:
list(os.walk(root)))`: the walk runs as it is iterated, so the whole iteration must move into
the thread; a loop that prunes `os.walk`'s directory list as it goes gets the suggestion
only. `asyncio` is imported when missing.

The rewrite is only shown, never applied: when the callee also reaches something that must
run on the event loop's thread (`asyncio.create_task`, `loop.call_soon`, future results, or
an `event-loop-functions` entry) — off the loop thread it would raise "no running event loop"
or corrupt the loop; for a generator of the module (it may stream more than fits in a list);
inside a generator expression, where `await` would make it an async generator; and for
`asyncio.to_thread` when the target version is below Python 3.9. Rewriting to a native async
client (`aiohttp`, `httpx.AsyncClient`, `aiofiles`) is usually better still, and is left to
you.

## Fix safety
Unsafe: the coroutine now yields to the loop at that point, so other tasks can run in
between and observe intermediate state; with `to_thread` the call also runs in another
thread, which matters for objects that are not thread-safe (an `sqlite3` connection is
bound to the thread that created it).
"#;

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
    let effects = checker.call_summary(call);
    let Some(blocking) = effects.dominant_blocking().cloned() else {
        return;
    };
    if is_async_library(checker, &call.func)
        || is_coroutine_function(checker, &call.func)
        || !blocking_receiver(checker, &call.func)
        || numeric_only_lookup(checker, call)
        || offloaded_elsewhere(def, &call.func)
        || returns_at_once(checker, def, call)
        || is_lifecycle_hook(def.name.as_str())
        || fills_a_cache(checker, def, call)
        || resolves_locally_here(checker, call, &blocking)
    {
        return;
    }
    let Some(position) = position(checker, call) else {
        return;
    };
    if position.async_header || position.feeds_async_api(checker, call) {
        return;
    }
    // A lazy iterator blocks where it is iterated: here only when the coroutine iterates it
    // on the spot. Handed on (to a streaming response, say), it may well be iterated in a
    // worker thread.
    if blocking.lazy && !only_iterated(checker, call, &position) {
        return;
    }
    let is_time_sleep = checker.semantic.resolves_to(&call.func, "time.sleep");
    let strategy = if is_time_sleep {
        "wait with `await asyncio.sleep(...)`"
    } else {
        "run it in a worker thread with `await asyncio.to_thread(...)`"
    };
    let evidence = if blocking.path.len() > 1 {
        format!(
            " (it waits on {}: {})",
            blocking.kind.waits_on(),
            call_path(checker, &blocking.path)
        )
    } else {
        String::new()
    };
    let message = format!(
        "{} call `{}` blocks the event loop inside `async def {}`{evidence}; {strategy}",
        blocking.kind.describe(),
        callee_text(checker, call),
        def.name.as_str(),
    );
    let fix = if is_time_sleep {
        sleep_fix(checker, call, &position)
    } else if let Some(affinity) = &effects.affinity {
        Fix::display_only(
            format!(
                "Not in a worker thread as it is: it also reaches {}, which must run on the event loop's thread; move the blocking part into a function of its own and run that with `await asyncio.to_thread(...)`",
                call_path(checker, &affinity.path)
            ),
            Vec::new(),
        )
    } else if let Some(block) = opened_by_with(checker, call) {
        Fix::display_only(
            format!(
                "The reads and writes in the `with` block block too: move the whole block into a function and run it with `await asyncio.to_thread(...)` (line {})",
                checker.source.row(block.start())
            ),
            Vec::new(),
        )
    } else if let Err(reason) = safe_to_offload(checker, call, &effects) {
        Fix::display_only(
            format!("Not moved to a worker thread automatically: {reason}; run it with `await asyncio.to_thread(...)` once that is safe"),
            Vec::new(),
        )
    } else if blocking.lazy && blocking.path.len() == 1 {
        // A directory listing: its entries fit in a list.
        lazy_fix(checker, call, &position)
    } else if blocking.lazy {
        // A generator of the module may stream far more than fits in memory.
        Fix::display_only(
            "The call returns a generator that does its I/O as it is iterated: move the whole loop over it into a function and run that with `await asyncio.to_thread(...)`",
            Vec::new(),
        )
    } else {
        to_thread_fix(checker, call, &position)
    };
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// Whether the call is in the branch of `if self.X:` (or `if self.X is None:`, `if not
/// self.X:`) taken while `self.X` is empty, and the coroutine fills `self.X` there (itself,
/// or through the method it calls): a lazy load that blocks once, then serves from memory.
fn fills_a_cache<'a>(
    checker: &Checker<'a>,
    def: &'a ast::StmtFunctionDef,
    call: &'a ast::ExprCall,
) -> bool {
    let Some(self_name) = crate::analysis::semantic::first_parameter_name(def) else {
        return false;
    };
    checker.statements().iter().any(|stmt| {
        let ast::Stmt::If(if_stmt) = stmt else {
            return false;
        };
        let Some((attr, empty_in_body)) = self_attribute_test(&if_stmt.test, self_name) else {
            return false;
        };
        let in_body = if_stmt
            .body
            .iter()
            .any(|inner| inner.range().contains_range(call.range()));
        if in_body != empty_in_body {
            return false;
        }
        crate::analysis::summarize::assigns_self_attribute(&def.body, self_name, attr)
            || checker.callee_summary(&call.func).is_some_and(|callee| {
                callee
                    .mutation
                    .self_attributes
                    .iter()
                    .any(|written| &**written == attr)
            })
    })
}

/// `self.X` (empty in the `else`), `not self.X` or `self.X is None` (empty in the body),
/// `self.X is not None` (empty in the `else`): the attribute and whether the body is the
/// branch where it is empty.
fn self_attribute_test<'a>(test: &'a Expr, self_name: &str) -> Option<(&'a str, bool)> {
    let attribute = |expr: &'a Expr| match expr {
        Expr::Attribute(attribute) if matches!(attribute.value.as_ref(), Expr::Name(base) if base.id.as_str() == self_name) => {
            Some(attribute.attr.as_str())
        }
        _ => None,
    };
    match test {
        Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not => {
            attribute(&unary.operand).map(|attr| (attr, true))
        }
        Expr::Compare(compare)
            if compare.ops.len() == 1 && compare.comparators[0].is_none_literal_expr() =>
        {
            let attr = attribute(&compare.left)?;
            match compare.ops[0] {
                ast::CmpOp::Is => Some((attr, true)),
                ast::CmpOp::IsNot => Some((attr, false)),
                _ => None,
            }
        }
        other => attribute(other).map(|attr| (attr, false)),
    }
}

/// Whether a host-name lookup is of a name the enclosing `if` compared equal to a local one
/// (`if host == "localhost": host = socket.gethostbyname(host)`).
fn resolves_locally_here<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    blocking: &crate::analysis::summary::Blocking,
) -> bool {
    if blocking.path.len() != 1 || blocking.kind != crate::analysis::library::IoKind::Network {
        return false;
    }
    let Some(host) = call.arguments.args.first() else {
        return false;
    };
    let known = checker.statements().iter().flat_map(|stmt| match stmt {
        ast::Stmt::If(if_stmt)
            if if_stmt
                .body
                .iter()
                .any(|inner| inner.range().contains_range(call.range())) =>
        {
            crate::analysis::summarize::string_equalities(&if_stmt.test)
        }
        _ => Default::default(),
    });
    checker
        .semantic
        .qualified_name(&call.func)
        .is_some_and(|name| crate::analysis::library::is_resolver(name.segments()))
        && crate::analysis::summarize::resolves_locally(host, known)
}

/// The `with` statement whose (synchronous) header opens the call: moving the `open` alone
/// to a thread would leave the block's reads and writes on the loop.
fn opened_by_with<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<&'a ast::StmtWith> {
    match checker.statements().last()? {
        ast::Stmt::With(with)
            if !with.is_async
                && with
                    .items
                    .iter()
                    .any(|item| item.context_expr.range() == call.range()) =>
        {
            Some(with)
        }
        _ => None,
    }
}

/// Whether moving the call to a worker thread is proven safe: the callee's effects are all
/// seen (nothing unknown that might need the loop's thread), and it changes no state other
/// tasks share (its arguments, module globals, or `self`, which the coroutine's other tasks
/// use too). A method of `self` is never moved automatically.
fn safe_to_offload<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    effects: &crate::analysis::summary::Summary,
) -> Result<(), &'static str> {
    if effects.unknown {
        return Err("the call also reaches code whose effects cannot be seen (it may need the event loop's thread)");
    }
    if let Expr::Attribute(attribute) = call.func.as_ref() {
        if matches!(attribute.value.as_ref(), Expr::Name(base) if matches!(base.id.as_str(), "self" | "cls"))
        {
            return Err("it works on `self`, which the loop's other tasks share (a lock or a snapshot of the state may be needed)");
        }
    }
    if let Some(callee) = checker.callee_summary(&call.func) {
        let mutation = &callee.mutation;
        if mutation.mutates_arguments()
            || !mutation.globals.is_empty()
            || !mutation.self_attributes.is_empty()
        {
            return Err("it changes state the loop's other tasks may share");
        }
    }
    Ok(())
}

/// Whether the call is an attempt that returns at once: a method of a socket the coroutine
/// made non-blocking earlier (`sock.setblocking(False)`), or a call inside a `try` that
/// catches `BlockingIOError`.
fn returns_at_once<'a>(
    checker: &Checker<'a>,
    def: &'a ast::StmtFunctionDef,
    call: &'a ast::ExprCall,
) -> bool {
    use crate::analysis::summarize::{catches_would_block, made_nonblocking_before};
    if let Expr::Attribute(method) = call.func.as_ref() {
        if let Expr::Name(receiver) = method.value.as_ref() {
            if made_nonblocking_before(&def.body, receiver.id.as_str(), call.start()) {
                return true;
            }
        }
    }
    checker.statements().iter().any(|stmt| match stmt {
        ast::Stmt::Try(try_stmt) => {
            catches_would_block(&try_stmt.handlers)
                && try_stmt
                    .body
                    .iter()
                    .any(|inner| inner.range().contains_range(call.range()))
        }
        _ => false,
    })
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
    if position.in_generator(call)
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

/// A call returning a lazy iterator (`os.walk`, `Path.rglob`, a generator function) does its
/// I/O as it is iterated: handing the call alone to a thread would leave the walk on the
/// loop. The whole iteration moves instead, `await asyncio.to_thread(lambda: list(<call>))`,
/// where the result is only iterated (a `for` or comprehension over it, or `list(...)`)
/// and the loop does not prune `os.walk`'s directories as it goes.
fn lazy_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, position: &Position<'a>) -> Fix {
    let suggestion = || {
        Fix::display_only(
            "The call returns a lazy iterator that does its I/O as it is iterated: materialise it in the thread, `await asyncio.to_thread(lambda: list(<call>))`",
            Vec::new(),
        )
    };
    if position.in_generator(call)
        || checker.settings.target_version < 9
        || prunes_walk(checker, call)
        || crate::fix::edits::contains_comment(checker.tokens, call.range())
        || checker.source.slice(call.range()).contains('\\')
    {
        return suggestion();
    }
    let Some(to_thread) = import_member(
        checker,
        "asyncio",
        "to_thread",
        ImportStyle::Module,
        call.start(),
    ) else {
        return suggestion();
    };
    let inner = format!(
        "{}(lambda: list({}))",
        to_thread.text,
        checker.source.slice(call.range())
    );
    let mut edits = vec![Edit::replace(call.range(), awaited(position, call, &inner))];
    edits.extend(to_thread.edit);
    Fix::unsafe_(
        "Iterate it in a worker thread: `await asyncio.to_thread(lambda: list(...))`",
        edits,
    )
}

/// Whether the call's result is only iterated once, so a list in its place behaves the same:
/// it is the iterable of the `for` statement around it or of a comprehension, or the only
/// argument of `list`, `tuple`, `sorted` or `set`.
fn only_iterated<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    position: &Position<'a>,
) -> bool {
    match position.parent() {
        None => matches!(checker.statements().last(), Some(ast::Stmt::For(for_stmt))
            if for_stmt.iter.range() == call.range() && !for_stmt.is_async),
        Some(
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }),
        ) => generators
            .iter()
            .any(|generator| generator.iter.range() == call.range() && !generator.is_async),
        Some(Expr::Call(outer)) => {
            matches!(outer.arguments.args.as_ref(), [only] if only.range() == call.range())
                && outer.arguments.keywords.is_empty()
                && [
                    "builtins.list",
                    "builtins.tuple",
                    "builtins.sorted",
                    "builtins.set",
                ]
                .iter()
                .any(|name| checker.semantic.resolves_to(&outer.func, name))
        }
        _ => false,
    }
}

/// Whether the `for` loop over an `os.walk(...)` changes the directory list it is given
/// (`dirs[:] = ...`, `dirs.remove(...)`): with a finished list, the pruning would be lost.
fn prunes_walk<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let Some(ast::Stmt::For(for_stmt)) = checker.statements().last() else {
        return false;
    };
    if for_stmt.iter.range() != call.range() {
        return false;
    }
    let Expr::Tuple(target) = for_stmt.target.as_ref() else {
        return false;
    };
    let Some(Expr::Name(dirs)) = target.elts.get(1) else {
        return false;
    };
    // Any use of the list in the body: telling a read from a change is not worth the risk.
    for_stmt.body.iter().any(|stmt| {
        crate::analysis::names::stmt_names(stmt)
            .loads
            .iter()
            .any(|(name, _)| *name == dirs.id.as_str())
    })
}

fn to_thread_fix(checker: &Checker, call: &ast::ExprCall, position: &Position) -> Fix {
    let func = checker.source.slice(call.func.range());
    let edit = (!position.in_generator(call))
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
