//! PAR203 await-in-loop: a coroutine awaited once per item, one after another.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::loops::{
    awaited_call, independent_comprehension_with, independent_for_with, Awaits, Collector,
    IndependentLoop,
};
use crate::analysis::names::expr_names;
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
It fires only when the iterations are independent (no iteration reads what another writes,
no `break`/`return`, no printing or logging, nothing else awaited, no writes to shared
objects), when the awaited call depends on the item, and when the results are collected.
A loop that only awaits for an effect (`await websocket.send(message)`) is left alone: such
effects usually have to happen in order. So is one whose awaited call reads or writes an
ordered channel — a stream, socket, queue, connection or cursor passed in or called on, or a
`read*`/`recv*`/`write*`/`send*`/`drain` method — where concurrent calls would interleave.

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

/// The awaited call of an independent loop, when it depends on the item.
fn item_dependent_await<'a>(independent: &IndependentLoop<'a>) -> Option<&'a ast::ExprCall> {
    let call = awaited_call(independent.collector.value())?;
    let parts = std::iter::once(&*call.func)
        .chain(call.arguments.args.iter())
        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value));
    let reads_item = parts
        .flat_map(|part| expr_names(part).free())
        .any(|name| independent.iteration_names.contains(&name));
    (reads_item && !uses_ordered_channel(call, &independent.iteration_names)).then_some(call)
}

/// Name fragments of objects whose operations must stay in order: reading a stream or a
/// socket twice at once interleaves the bytes.
const ORDERED_CHANNELS: &[&str] = &[
    "stream",
    "reader",
    "writer",
    "sock",
    "conn",
    "transport",
    "websocket",
    "channel",
    "pipe",
    "cursor",
    "queue",
];

/// Methods that consume or produce an ordered sequence.
const ORDERED_METHOD_PREFIXES: &[&str] = &["read", "recv", "write", "send", "drain"];

/// Whether the awaited call reads or writes an ordered channel (a stream, socket, queue,
/// connection or cursor): concurrent calls would interleave, so the loop must stay sequential.
fn uses_ordered_channel(call: &ast::ExprCall, iteration_names: &[&str]) -> bool {
    let ordered_name = |name: &str| {
        let lower = name.to_ascii_lowercase();
        lower == "ws"
            || ORDERED_CHANNELS
                .iter()
                .any(|fragment| lower.contains(fragment))
    };
    if let Expr::Attribute(attribute) = call.func.as_ref() {
        if ORDERED_METHOD_PREFIXES
            .iter()
            .any(|prefix| attribute.attr.as_str().starts_with(prefix))
        {
            return true;
        }
        let receiver = match attribute.value.as_ref() {
            Expr::Name(name) => Some(name.id.as_str()),
            Expr::Attribute(inner) => Some(inner.attr.as_str()),
            _ => None,
        };
        if receiver.is_some_and(ordered_name) {
            return true;
        }
    }
    call.arguments
        .args
        .iter()
        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
        .any(|argument| match argument {
            Expr::Name(name) => {
                !iteration_names.contains(&name.id.as_str()) && ordered_name(name.id.as_str())
            }
            Expr::Attribute(attribute) => ordered_name(attribute.attr.as_str()),
            _ => false,
        })
}

fn message(checker: &Checker, call: &ast::ExprCall, iter: &Expr) -> String {
    format!(
        "I/O-bound loop awaits `{}` for each item of `{}` one at a time; run the coroutines concurrently with `asyncio.gather`",
        short(checker.source.slice(call.func.range())),
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
    let Some(independent) =
        independent_for_with(for_stmt, &checker.semantic, Awaits::AllowedAtCollector)
    else {
        return;
    };
    if matches!(independent.collector, Collector::Effect { .. }) {
        return;
    }
    let Some(call) = item_dependent_await(&independent) else {
        return;
    };
    let range = crate::rules::cpu::candidates::header_range(checker, for_stmt);
    let fix = for_fix(checker, for_stmt, &independent, call).unwrap_or_else(|| {
        Fix::display_only(
            "Collect the coroutines and await them together: `results = await asyncio.gather(*(f(x) for x in xs))`",
            Vec::new(),
        )
    });
    let message = message(checker, call, independent.iter);
    checker.report(Diagnostic::new(&RULE, message, range).with_fix(Some(fix)));
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
    let Some(call) = item_dependent_await(&independent) else {
        return;
    };
    let fix = comprehension_fix(checker, comprehension, &independent, call, is_set).unwrap_or_else(
        || {
            Fix::display_only(
                "Await the coroutines together with `asyncio.gather`",
                Vec::new(),
            )
        },
    );
    let message = message(checker, call, independent.iter);
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
