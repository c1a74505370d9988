//! PAR602 cpu-bound-in-async: a CPU-bound call made directly inside a coroutine.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::semantic::BindingKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::imports::{import_member, ImportStyle};
use crate::rules::asyncio::calls::{
    arguments_text, awaited, callable_and_arguments, callee_text, coroutine, is_async_library,
    is_coroutine_function, position, Position,
};
use crate::rules::{evidence, FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR602",
    name: "cpu-bound-in-async",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A CPU-bound call inside `async def` blocks the event loop; run it in a process pool with `loop.run_in_executor`",
    docs: DOCS,
    kinds: &[NodeKind::CoroutineCall],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a CPU-bound call made directly inside an `async def`: a function of the module whose
cost grows with its input — a loop counting to a number it is given (`for i in range(n)`,
`while n > 1`), nested data-dependent loops (an edit distance, a pairwise comparison), heavy
arithmetic on every item of a collection, branching recursion (`fib(n - 1) + fib(n - 2)`),
followed through the module's own functions — or a known heavy routine
(`hashlib.pbkdf2_hmac`, `hashlib.scrypt`, `zlib`/`bz2`/`lzma` compression, `bcrypt`) and the
`cpu-functions` setting. The message names the evidence: "it loops over `enumerate(b, 1)`
inside loops over `enumerate(a, 1)` (line 13): superlinear: nested loops".

Not flagged: light per-item work over a collection (a few operations per item cost about
as much as handing the collection to another process), functions that change their
arguments in place (the change would be lost in the worker), work bounded by the call's
constant arguments (`squares(10)`), functions that also do I/O or call something unknown,
methods of `self`, generator functions, calls inside a nested sync `def` or `lambda`,
awaited calls and calls of the module's own `async def` functions.

## Why is this bad?
The event loop runs one coroutine at a time: while the computation runs, every other task
waits — requests time out, heartbeats are missed. This is CPU-bound work, so moving it to a
thread does not help much (the GIL lets only one thread run Python code); the strategy is to
run it in a process pool, `await loop.run_in_executor(process_pool, fn, *args)`, and let the
loop serve other tasks meanwhile.

## Example
```python
from concurrent.futures import ProcessPoolExecutor

def edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            cost = 0 if left == right else 1
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost))
        previous = current
    return previous[-1]

async def handle(query, name, pool: ProcessPoolExecutor):
    return edit_distance(query, name)
```

Use instead:
```python
import asyncio
from concurrent.futures import ProcessPoolExecutor

def edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            cost = 0 if left == right else 1
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost))
        previous = current
    return previous[-1]

async def handle(query, name, pool: ProcessPoolExecutor):
    return await asyncio.get_running_loop().run_in_executor(pool, edit_distance, query, name)
```

## Fix
Where a `ProcessPoolExecutor` is reachable by name (a variable of the coroutine, of an
enclosing function or of the module, or `self.<attr>` in a method) and the callee is a
module-level function or a library function (so it can be pickled), the call becomes
`await asyncio.get_running_loop().run_in_executor(pool, fn, *args)`; keyword arguments go
through `functools.partial(fn, *args, **kwargs)`. `asyncio` and `functools` are imported
when missing. Otherwise the rewrite is only shown: create one `ProcessPoolExecutor` for the
program and hand it to the coroutine. The default executor (`None`) is never suggested: it
is a thread pool, which does not speed up CPU-bound Python code.

## Fix safety
Unsafe: the function and its arguments are pickled and run in another process, so they must
be picklable, their side effects on module state are lost, and the coroutine now yields to
the loop while the computation runs.
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
    let Some(work) = effects.cpu_work() else {
        return;
    };
    if is_async_library(checker, &call.func)
        || is_coroutine_function(checker, &call.func)
        || is_stateful_or_lazy(checker, &call.func)
        || mutates_its_arguments(checker, &call.func)
    {
        return;
    }
    let Some(position) = position(checker, call) else {
        return;
    };
    if position.async_header
        || position.feeds_async_api(checker, call)
        || position.in_log_call(checker)
    {
        return;
    }
    let own = checker.callee_summary(&call.func);
    let cost = own.as_ref().map_or(&effects.cost, |summary| &summary.cost);
    let evidence = evidence::cost(checker, cost)
        .map(|cost| format!(" (it {cost})"))
        .unwrap_or_else(|| format!(" ({})", work.describe()));
    let message = format!(
        "CPU-bound call `{}` blocks the event loop inside `async def {}`{evidence}; run it in a process pool with `await loop.run_in_executor(pool, ...)`",
        callee_text(checker, call),
        def.name.as_str(),
    );
    let fix = executor_fix(checker, call, &position).unwrap_or_else(|| {
        Fix::display_only(
            "Run it in a process pool: `await asyncio.get_running_loop().run_in_executor(process_pool, fn, *args)` with one `ProcessPoolExecutor` created for the program (not the default thread executor)",
            Vec::new(),
        )
    });
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// Shapes found on the corpus that are not CPU work to move: a method of `self`/`cls`
/// (django's `self.chunk_bytes`, distributed's `self._request_locks` update the object's
/// bookkeeping, which a process could not do), and a generator function (calling it computes
/// nothing until it is iterated).
fn is_stateful_or_lazy<'a>(checker: &Checker<'a>, func: &'a Expr) -> bool {
    match func {
        Expr::Attribute(attribute) => matches!(attribute.value.as_ref(),
            Expr::Name(base) if matches!(base.id.as_str(), "self" | "cls")),
        Expr::Name(name) => matches!(
            checker.semantic.lookup(name.id.as_str(), name.start()).map(|binding| binding.kind),
            Some(BindingKind::Function(def)) if crate::rules::asyncio::calls::is_generator(def)
        ),
        _ => false,
    }
}

/// Whether the called function changes an argument in place: in another process the change
/// would be lost.
fn mutates_its_arguments<'a>(checker: &Checker<'a>, func: &'a Expr) -> bool {
    checker
        .callee_summary(func)
        .is_some_and(|summary| summary.mutation.mutates_arguments())
}

/// Whether the callee can be pickled by reference: a module-level function of this file or
/// an imported function.
fn is_picklable_callee<'a>(checker: &Checker<'a>, func: &'a Expr) -> bool {
    match func {
        Expr::Name(name) => checker
            .semantic
            .lookup(name.id.as_str(), name.start())
            .is_some_and(|binding| match binding.kind {
                BindingKind::Function(def) => binding.module_level && !def.is_async,
                BindingKind::FromImport { .. } => true,
                _ => false,
            }),
        Expr::Attribute(attribute) => {
            matches!(attribute.value.as_ref(), Expr::Name(_))
                && checker.semantic.qualified_name(func).is_some()
        }
        _ => false,
    }
}

fn executor_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    position: &Position,
) -> Option<Fix> {
    if position.in_generator(call) || !is_picklable_callee(checker, &call.func) {
        return None;
    }
    let pool = checker.semantic.process_executor_in_scope(call.start())?;
    let func = checker.source.slice(call.func.range());
    let loop_getter = import_member(
        checker,
        "asyncio",
        "get_running_loop",
        ImportStyle::Module,
        call.start(),
    )?;
    let mut edits = Vec::new();
    let task = if call.arguments.keywords.is_empty() {
        callable_and_arguments(func, arguments_text(checker, call)?)
    } else {
        let partial = import_member(
            checker,
            "functools",
            "partial",
            ImportStyle::Module,
            call.start(),
        )?;
        edits.extend(partial.edit);
        format!(
            "{}({})",
            partial.text,
            callable_and_arguments(func, arguments_text(checker, call)?)
        )
    };
    let inner = format!("{}().run_in_executor({pool}, {task})", loop_getter.text);
    edits.insert(
        0,
        Edit::replace(call.range(), awaited(position, call, &inner)),
    );
    edits.extend(loop_getter.edit);
    Some(Fix::unsafe_(
        format!("Run the call in the process pool `{pool}` with `await loop.run_in_executor`"),
        edits,
    ))
}
