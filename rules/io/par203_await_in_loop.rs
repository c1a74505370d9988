//! PAR203 await-in-loop: a coroutine awaited once per item, one after another.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::library::IoKind;
use crate::analysis::loops::{
    awaited_call, independent_comprehension_with, independent_for_with, Awaits, Collector,
    IndependentLoop,
};
use crate::analysis::names::expr_names;
use crate::analysis::summary::Suspension;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::imports::{import_member, ImportStyle};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR203",
    name: "await-in-loop",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "Independent coroutines awaited one at a time in a loop; run them concurrently with `asyncio.gather`",
    docs: DOCS,
    kinds: &[NodeKind::For, NodeKind::ListComp, NodeKind::SetComp],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `for` loop or comprehension inside `async def` that awaits one coroutine per item
and collects the results: `for x in xs: out.append(await f(x))`, `[await f(x) for x in xs]`.
It fires only when:
- the iterations are independent (no iteration reads what another writes, no
  `break`/`return`, no writes to shared objects), the awaited call depends on the item.
  Loops as real code writes them count: temporaries, `async with` over a per-item
  response, `try/except` that logs and continues, `continue` filters, prints, counters and
  several collectors. The loop analysis splits the body into per-item work and a combine
  step kept in order; any other await in the work must wait on I/O too or act on a per-item
  object (`await response.json()`);
- awaiting the call really waits on I/O, as the effect summaries see it: through the
  module's own coroutines to an HTTP client (`aiohttp.ClientSession`, `httpx.AsyncClient`),
  asyncio streams or subprocesses, an async database driver, or a worker thread
  (`asyncio.to_thread`, `run_in_executor`). The message names the path. A coroutine that
  finishes without waiting (building a dict, a registry lookup), `await asyncio.sleep(...)`
  (pacing), and an awaited call whose behaviour cannot be seen (an SDK method of an object of
  unknown type) are left alone;
- the iterations share no object that must be used in order: a database session,
  connection, transaction or cursor, a stream reader or writer, a socket or device handle
  passed to every call or called on (recognised by the client it was made from, the
  annotation of the parameter it comes from, or its name). HTTP client sessions are made for
  concurrent requests and stay candidates. A `self` method that reads and writes the same
  attribute (a check-then-set cache) also keeps the loop sequential, as do
  `read*`/`recv*`/`write*`/`send*`/`drain` methods.

## Why is this bad?
Each `await` waits for the previous coroutine to finish before the next one starts, so a
loop over 100 HTTP requests takes 100 round trips. This is I/O-bound work: started together
with `asyncio.gather`, the coroutines wait on the network at the same time, and the loop
takes about as long as the slowest one.

## Example
```python
async def fetch_all(session, urls):
    pages = []
    for url in urls:
        pages.append(await fetch(session, url))
    return pages
```

Use instead:
```python
import asyncio

async def fetch_all(session, urls):
    pages = []
    pages.extend(await asyncio.gather(*(fetch(session, url) for url in urls)))
    return pages
```

## Fix
`out.append(await f(x))` loops become `out.extend(await asyncio.gather(*(f(x) for x in xs)))`
and `[await f(x) for x in xs]` becomes `await asyncio.gather(*(f(x) for x in xs))` (`set(...)`
for a set comprehension); an `if` guard becomes the generator's condition. Results keep the
order of the items. `asyncio` is imported when missing. Loops that compute temporaries
first, hold comments, or whose loop variables are read after the loop get the suggestion
only; for a very large number of items, bound the concurrency with an `asyncio.Semaphore`.

Other loops get the outlining fix: the per-item work (up to the last statement awaiting
I/O) becomes a nested coroutine (`fetch_one`) returning what the rest of the loop needs,
and the loop becomes `for ... in await asyncio.gather(*(fetch_one(x) for x in xs)):` running
the rest in item order. `continue` in the work becomes `return None` and the parent skips
those items. A `try` around the work whose handlers print keeps its handlers in the parent
(the worker hands the exception back, the parent re-raises it); other output inside the
work gets the suggestion only.

## Fix safety
Unsafe: the coroutines now run concurrently, so their side effects may interleave, and the
first exception propagates while the other coroutines keep running.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    if !checker.semantic.in_async_function() {
        return;
    }
    match node {
        Node::Stmt(Stmt::For(for_stmt)) => check_for(checker, for_stmt),
        Node::Expr(Expr::ListComp(comp)) => {
            check_comprehension(checker, node, &comp.elt, &comp.generators, false)
        }
        Node::Expr(Expr::SetComp(comp)) => {
            check_comprehension(checker, node, &comp.elt, &comp.generators, true)
        }
        _ => {}
    }
}

/// The awaited call of an independent loop, when the coroutines can overlap: the call
/// depends on the item, awaiting it really waits on I/O (its summary says so, through the
/// module's own coroutines to an HTTP client, a stream, a subprocess, a database driver or an
/// executor), and the iterations share no object that must be used in order.
fn overlappable_await<'a>(
    checker: &Checker<'a>,
    independent: &IndependentLoop<'a>,
) -> Option<OverlappableAwait<'a>> {
    let call = awaited_call(independent.collector.value())?;
    let parts = std::iter::once(&*call.func)
        .chain(call.arguments.args.iter())
        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value));
    let reads_item = parts
        .flat_map(|part| expr_names(part).free())
        .any(|name| independent.iteration_names.contains(&name));
    if !reads_item || uses_ordered_method(call) {
        return None;
    }
    let summary = checker.summaries().of_call(&checker.semantic, call, true);
    let Suspension::Io { kind, path } = summary.suspension else {
        return None;
    };
    if matches!(kind, IoKind::Sleep | IoKind::Wait) {
        return None;
    }
    if shares_stateful_object(checker, call, &independent.iteration_names, kind)
        || checker
            .callee_summary(&call.func)
            .is_some_and(|callee| callee.mutation.self_read_and_written)
    {
        return None;
    }
    Some(OverlappableAwait { call, kind, path })
}

/// Methods that consume or produce an ordered sequence: reading a stream twice at once
/// interleaves the bytes.
const ORDERED_METHOD_PREFIXES: &[&str] = &["read", "recv", "write", "send", "drain"];

fn uses_ordered_method(call: &ast::ExprCall) -> bool {
    matches!(call.func.as_ref(), Expr::Attribute(attribute)
        if ORDERED_METHOD_PREFIXES
            .iter()
            .any(|prefix| attribute.attr.as_str().starts_with(prefix)))
}

struct OverlappableAwait<'a> {
    call: &'a ast::ExprCall,
    kind: IoKind,
    path: crate::analysis::summary::CallPath,
}

/// Whether every call gets the same stateful object that must be used in order: a database
/// session, connection, transaction or cursor, a stream writer, a device handle, as an
/// argument or as the object the method is called on. Recognised by the client it was made
/// from (`asyncpg.connect()`), by the annotation of the parameter it comes from
/// (`session: AsyncSession`), or by its name. HTTP client sessions (`aiohttp.ClientSession`,
/// `httpx.AsyncClient`) are made for concurrent requests and stay candidates.
fn shares_stateful_object<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    iteration_names: &[&str],
    kind: IoKind,
) -> bool {
    let mut shared: Vec<&'a Expr> = call
        .arguments
        .args
        .iter()
        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
        .map(|argument| match argument {
            Expr::Starred(starred) => &*starred.value,
            other => other,
        })
        .collect();
    let mut receiver = call.func.as_ref();
    while let Expr::Attribute(attribute) = receiver {
        receiver = &attribute.value;
        shared.push(receiver);
    }
    shared.into_iter().any(|expr| {
        let varies = expr_names(expr)
            .free()
            .iter()
            .any(|name| iteration_names.contains(name));
        !varies && is_stateful(checker, expr, kind)
    })
}

fn is_stateful<'a>(checker: &Checker<'a>, expr: &'a Expr, kind: IoKind) -> bool {
    if let Some(client) = checker.semantic.client_kind(expr) {
        return match client.io {
            IoKind::Network => !client.asynchronous,
            IoKind::Database | IoKind::File | IoKind::Subprocess => true,
            IoKind::Wait | IoKind::Sleep | IoKind::Other => false,
        };
    }
    let name = match expr {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        _ => return false,
    };
    if let Some(annotation) = parameter_annotation(checker, expr) {
        let annotation = checker.source.slice(annotation.range());
        if STATEFUL_TYPES
            .iter()
            .any(|fragment| annotation.contains(fragment))
        {
            return true;
        }
        if HTTP_CLIENT_TYPES
            .iter()
            .any(|fragment| annotation.contains(fragment))
        {
            return false;
        }
    }
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    if lower.contains("session") {
        // An HTTP session when what the call waits on is the network; a database (ORM)
        // session otherwise.
        return kind != IoKind::Network;
    }
    STATEFUL_NAMES
        .iter()
        .any(|fragment| lower == *fragment || lower.ends_with(&format!("_{fragment}")))
}

/// Annotations of objects whose operations must happen one at a time.
const STATEFUL_TYPES: &[&str] = &[
    "AsyncSession",
    "Session",
    "Connection",
    "Cursor",
    "Transaction",
    "StreamWriter",
    "StreamReader",
    "AsyncEngine",
    "Pool",
    "WebSocket",
];

/// Annotations of HTTP clients made for concurrent requests.
const HTTP_CLIENT_TYPES: &[&str] = &["ClientSession", "AsyncClient"];

/// Names (or name endings after `_`) of stateful objects.
const STATEFUL_NAMES: &[&str] = &[
    "db",
    "database",
    "conn",
    "connection",
    "cursor",
    "cur",
    "tx",
    "txn",
    "transaction",
    "writer",
    "reader",
    "stream",
    "device",
    "serial",
    "port",
    "ws",
    "websocket",
    "sock",
    "socket",
    "channel",
    "uow",
];

/// The annotation of the enclosing function's parameter `expr` names.
fn parameter_annotation<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<&'a Expr> {
    let Expr::Name(name) = expr else {
        return None;
    };
    let crate::analysis::semantic::ScopeKind::Function(def) =
        checker.semantic.enclosing_function_like()?.kind
    else {
        return None;
    };
    def.parameters
        .iter()
        .find(|parameter| parameter.name().as_str() == name.id.as_str())
        .and_then(|parameter| parameter.annotation())
}

fn message(checker: &Checker, found: &OverlappableAwait, iter: &Expr) -> String {
    let evidence = if found.path.len() > 1 {
        format!(
            " (each waits on {}: {})",
            found.kind.waits_on(),
            crate::rules::evidence::call_path(checker, &found.path)
        )
    } else {
        format!(" (each waits on {})", found.kind.waits_on())
    };
    format!(
        "I/O-bound loop awaits `{}` for each item of `{}` one at a time{evidence}; run the coroutines concurrently with `asyncio.gather`",
        short(checker.source.slice(found.call.func.range())),
        short(checker.source.slice(iter.range()))
    )
}

fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 40 || line.len() < text.len() {
        format!("{}...", line.chars().take(37).collect::<String>())
    } else {
        line.to_string()
    }
}

fn check_for<'a>(checker: &mut Checker<'a>, for_stmt: &'a ast::StmtFor) {
    let simple = simple_for(checker, for_stmt);
    let applicable = |diagnostic: &Diagnostic| {
        diagnostic
            .fix
            .as_ref()
            .is_some_and(|fix| !fix.edits.is_empty())
    };
    if simple.as_ref().is_some_and(applicable) {
        checker.report(simple.unwrap());
        return;
    }
    match modelled_for(checker, for_stmt) {
        Some(modelled) if simple.is_none() || applicable(&modelled) => checker.report(modelled),
        _ => {
            if let Some(simple) = simple {
                checker.report(simple);
            }
        }
    }
}

/// The compact shape: `out.append(await f(x))`.
fn simple_for<'a>(checker: &Checker<'a>, for_stmt: &'a ast::StmtFor) -> Option<Diagnostic> {
    let independent =
        independent_for_with(for_stmt, &checker.semantic, Awaits::AllowedAtCollector)?;
    if matches!(independent.collector, Collector::Effect { .. }) {
        return None;
    }
    let found = overlappable_await(checker, &independent)?;
    let call = found.call;
    let range = crate::rules::cpu::candidates::header_range(checker, for_stmt);
    let fix = for_fix(checker, for_stmt, &independent, call).unwrap_or_else(|| {
        Fix::display_only(
            "Collect the coroutines and await them together: `results = await asyncio.gather(*(f(x) for x in xs))`",
            Vec::new(),
        )
    });
    let message = message(checker, &found, independent.iter);
    Some(Diagnostic::new(&RULE, message, range).with_fix(Some(fix)))
}

/// Loops as real code writes them (temporaries, `async with`, `try/except`, filters, several
/// collectors, prints): the loop decomposition finds the iterations independent, the work
/// awaits I/O with the item, and every other await in the work either waits on I/O too or
/// works on a per-item object (`await response.json()`). Nothing awaited sleeps (pacing) or
/// waits on a lock or queue, and no shared stateful object (a database session, a stream) is
/// used. The fix outlines the work into a coroutine and gathers it.
fn modelled_for<'a>(checker: &Checker<'a>, for_stmt: &'a ast::StmtFor) -> Option<Diagnostic> {
    if for_stmt.is_async {
        return None;
    }
    if checker.in_enclosing_loop(for_stmt) {
        return None;
    }
    let facts = checker.loop_model(for_stmt);
    let model = facts.model().as_ref().ok()?;
    let per_item: Vec<&str> = model.per_item.iter().copied().collect();
    let body = &for_stmt.body;
    let mut work_end = None;
    let mut evidence: Option<(
        IoKind,
        crate::analysis::summary::CallPath,
        &'a ast::ExprCall,
    )> = None;
    for (index, stmt) in body.iter().enumerate() {
        for call in awaited_calls(stmt) {
            if is_pacing(call) {
                return None;
            }
            let summary = checker.summaries().of_call(&checker.semantic, call, true);
            match summary.suspension {
                Suspension::Io {
                    kind: IoKind::Sleep | IoKind::Wait,
                    ..
                } => {
                    return None;
                }
                Suspension::Io { kind, path } => {
                    if uses_ordered_method(call)
                        || shares_stateful_object(checker, call, &per_item, kind)
                        || checker
                            .callee_summary(&call.func)
                            .is_some_and(|callee| callee.mutation.self_read_and_written)
                    {
                        return None;
                    }
                    let reads_item = std::iter::once(&*call.func)
                        .chain(call.arguments.args.iter())
                        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                        .flat_map(|part| expr_names(part).free())
                        .any(|name| model.per_item.contains(name));
                    // Real I/O only: a worker thread running unknown work (`to_thread` of
                    // a shutdown, an import) is not worth overlapping on this evidence.
                    let real_io =
                        matches!(kind, IoKind::Network | IoKind::File | IoKind::Subprocess);
                    if reads_item && real_io {
                        work_end = Some(index);
                        evidence.get_or_insert((kind, path, call));
                    }
                }
                _ => {}
            }
        }
    }
    let work_end = work_end?;
    // Awaits in the work whose effect is unseen must be on per-item objects: a shared bot
    // or channel called once per item may need its calls in order.
    for stmt in &body[..=work_end] {
        for call in awaited_calls(stmt) {
            let summary = checker.summaries().of_call(&checker.semantic, call, true);
            if matches!(summary.suspension, Suspension::Io { .. }) {
                continue;
            }
            if summary.suspension == Suspension::Unknown && !on_per_item_object(call, &per_item) {
                return None;
            }
        }
    }
    if facts.changes_shared_state(model) {
        return None;
    }
    let (kind, path, call) = evidence?;
    let found = OverlappableAwait { call, kind, path };
    let message = message(checker, &found, &for_stmt.iter);
    let worker = match kind {
        IoKind::Network => "fetch_one",
        _ => "process_one",
    };
    let fix = crate::fix::outline::outline_loop(
        checker,
        model,
        work_end,
        worker,
        &crate::fix::outline::Runner::Gather,
        &|stmt| {
            awaited_calls(stmt).iter().any(|call| {
                matches!(
                    checker.summaries().of_call(&checker.semantic, call, true).suspension,
                    Suspension::Io {
                        kind: IoKind::Network | IoKind::File | IoKind::Subprocess,
                        ..
                    }
                )
            })
        },
    )
    .map(|edits| {
        Fix::unsafe_(
            format!("Move the per-item work into the coroutine `{worker}` and await them together with `asyncio.gather`"),
            edits,
        )
    })
    .unwrap_or_else(|| {
        Fix::display_only(
            "Move the per-item work into a coroutine and await them together with `asyncio.gather`, applying the rest of the loop to each result in order (rewrite by hand: output or state in the work would change order)",
            Vec::new(),
        )
    });
    let range = crate::rules::cpu::candidates::header_range(checker, for_stmt);
    Some(Diagnostic::new(&RULE, message, range).with_fix(Some(fix)))
}

/// The calls awaited in a statement (`await f(x)`, and `async with f(x) as r:`), not in
/// nested functions.
fn awaited_calls(stmt: &Stmt) -> Vec<&ast::ExprCall> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder<'a>(Vec<&'a ast::ExprCall>);
    impl<'a> Visitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::With(with) if with.is_async => {
                    for item in &with.items {
                        if let Expr::Call(call) = &item.context_expr {
                            self.0.push(call);
                        }
                    }
                    visitor::walk_stmt(self, stmt);
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => {}
                Expr::Await(await_expr) => {
                    if let Expr::Call(call) = await_expr.value.as_ref() {
                        self.0.push(call);
                    }
                    visitor::walk_expr(self, expr);
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_stmt(stmt);
    finder.0
}

/// `await asyncio.sleep(...)` (or `anyio`'s, `trio`'s) between items: a rate limit.
fn is_pacing(call: &ast::ExprCall) -> bool {
    match call.func.as_ref() {
        Expr::Attribute(attribute) => attribute.attr.as_str() == "sleep",
        Expr::Name(name) => name.id.as_str() == "sleep",
        _ => false,
    }
}

/// `await response.json()` on a per-item object.
fn on_per_item_object(call: &ast::ExprCall, per_item: &[&str]) -> bool {
    let mut receiver = call.func.as_ref();
    while let Expr::Attribute(attribute) = receiver {
        receiver = &attribute.value;
    }
    matches!(receiver, Expr::Name(name) if per_item.contains(&name.id.as_str()))
        && matches!(call.func.as_ref(), Expr::Attribute(_))
}

fn for_fix(
    checker: &Checker,
    for_stmt: &ast::StmtFor,
    independent: &IndependentLoop,
    call: &ast::ExprCall,
) -> Option<Fix> {
    let Collector::Append { list, .. } = independent.collector else {
        return None;
    };
    // Inside `async def` only (this rule's loops always are).
    if !crate::fix::pool_rewrite::loop_is_replaceable(checker, for_stmt, independent) {
        return None;
    }
    let gather = import_member(
        checker,
        "asyncio",
        "gather",
        ImportStyle::Module,
        for_stmt.start(),
    )?;
    let generator = generator_text(checker, call, independent);
    let mut edits = vec![Edit::replace(
        for_stmt.range(),
        format!("{}.extend(await {}(*{generator}))", list.id, gather.text),
    )];
    edits.extend(gather.edit);
    Some(Fix::unsafe_(
        format!(
            "Await the coroutines together: `{}.extend(await asyncio.gather(...))`",
            list.id
        ),
        edits,
    ))
}

fn check_comprehension<'a>(
    checker: &mut Checker<'a>,
    node: Node<'a>,
    element: &'a Expr,
    generators: &'a [ast::Comprehension],
    is_set: bool,
) {
    let Node::Expr(comprehension) = node else {
        return;
    };
    let Some(independent) = independent_comprehension_with(
        element,
        generators,
        &checker.semantic,
        Awaits::AllowedAtCollector,
    ) else {
        return;
    };
    let Some(found) = overlappable_await(checker, &independent) else {
        return;
    };
    let call = found.call;
    let fix = comprehension_fix(checker, comprehension, &independent, call, is_set).unwrap_or_else(
        || {
            Fix::display_only(
                "Await the coroutines together with `asyncio.gather`",
                Vec::new(),
            )
        },
    );
    let message = message(checker, &found, independent.iter);
    checker.report(Diagnostic::new(&RULE, message, comprehension.range()).with_fix(Some(fix)));
}

fn comprehension_fix(
    checker: &Checker,
    comprehension: &Expr,
    independent: &IndependentLoop,
    call: &ast::ExprCall,
    is_set: bool,
) -> Option<Fix> {
    if crate::fix::pool_rewrite::has_comment(checker, comprehension.range()) {
        return None;
    }
    let gather = import_member(
        checker,
        "asyncio",
        "gather",
        ImportStyle::Module,
        comprehension.start(),
    )?;
    let generator = generator_text(checker, call, independent);
    let awaited = format!("await {}(*{generator})", gather.text);
    let replacement = if is_set {
        format!("set({awaited})")
    } else if is_whole_statement_value(checker, comprehension) {
        awaited
    } else {
        // `await` binds looser than subscripts and attribute access: keep it grouped.
        format!("({awaited})")
    };
    let mut edits = vec![Edit::replace(comprehension.range(), replacement)];
    edits.extend(gather.edit);
    Some(Fix::unsafe_(
        "Await the coroutines together with `asyncio.gather`",
        edits,
    ))
}

/// `(f(x) for x in xs if cond)`, from the loop's own source text.
fn generator_text(
    checker: &Checker,
    call: &ast::ExprCall,
    independent: &IndependentLoop,
) -> String {
    crate::fix::pool_rewrite::generator_text(
        checker,
        independent,
        checker.source.slice(call.range()),
    )
}

/// Whether `expr` is the entire value of the statement around it (`x = [...]`, `return [...]`).
fn is_whole_statement_value(checker: &Checker, expr: &Expr) -> bool {
    let Some(statement) = checker.statements().last() else {
        return false;
    };
    let value = match statement {
        Stmt::Assign(assign) => Some(&*assign.value),
        Stmt::AnnAssign(assign) => assign.value.as_deref(),
        Stmt::Return(ret) => ret.value.as_deref(),
        Stmt::Expr(statement) => Some(&*statement.value),
        _ => None,
    };
    value.is_some_and(|value| value.range() == expr.range())
}
