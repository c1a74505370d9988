//! PAR701 over-parallelization: a pool running a callable so cheap that handing it to a
//! worker costs more than running it.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::semantic::{PoolKind, Runner};
use crate::analysis::workload::Workload;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::edits::contains_comment;
use crate::fix::imports::{import_member, ImportStyle};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR701",
    name: "over-parallelization",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A pool runs a trivial callable (one cheap expression, `len`/`str`/`int`, an `operator` function): the per-task overhead exceeds the work",
    docs: DOCS,
    kinds: &[NodeKind::RunnerCall],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a pool (`ThreadPoolExecutor`, `ProcessPoolExecutor`, `InterpreterPoolExecutor`,
`multiprocessing.Pool`, `ThreadPool`) whose `map`, `imap`, `imap_unordered`, `starmap`,
`submit`, `apply`, `apply_async`, `map_async` or `starmap_async` is handed a *trivial*
callable: a lambda or a `def` of this file whose body is one cheap expression
(`lambda x: x * 2`, `def key(r): return r[0]`), a builtin such as `len`, `str`, `int`, a
method such as `str.upper`, or an `operator` function.

Not flagged when the call is a statement of its own whose results are dropped
(`pool.map(int, range(n))`, `list(executor.map(int, [0] * n))`): that is the idiom that
starts (warms up) the workers before measured work, or probes that pools work at all.

It is flagged whatever the size of the collection: the overhead is paid per item, so more
items only add more overhead. A small collection of heavy work (three long simulations) is
fine and not flagged; neither is any callable that is CPU-bound, I/O-bound or unknown. (The
`min-items` setting, the size below which PAR103 stays silent, plays no part here.)

## Why is this bad?
Every task handed to a pool costs far more than a cheap expression: a thread pool wraps it in
a future, queues it and wakes a thread (and the GIL lets only one run the expression anyway);
a process pool also pickles the callable, its arguments and its result and sends them
between processes. For `x * 2` the pool spends almost all its time on this bookkeeping:
the parallel version is many times slower than a plain loop.

## Example
```python
with ProcessPoolExecutor() as executor:
    lengths = list(executor.map(len, lines))
```

Use instead:
```python
with ProcessPoolExecutor() as executor:
    lengths = list(map(len, lines))
```

## Fix
Replaces the pool call with the sequential equivalent: `executor.map(f, xs)` (a lazy
iterator) becomes `map(f, xs)`, `pool.map(f, xs)` (a list) becomes `list(map(f, xs))`,
`pool.imap(f, xs)`/`imap_unordered` become `map(f, xs)` and `pool.starmap(f, xs)` becomes
`list(itertools.starmap(f, xs))` (the import is added or reused). `chunksize` and `timeout`
arguments are dropped. `submit`, `apply` and the `*_async` methods return futures or
results objects the rest of the code relies on: for them the fix is display-only. The pool
itself is left in place (it may serve other work); remove it when it has none.

## Fix safety
Unsafe: the results are the same, but `executor.map` submits every item at once while
`map` is lazy (an input mutated between the call and the iteration would be seen
differently), and `imap_unordered`'s results now come in input order.
"#;

const ENTRY_POINTS: &[&str] = &[
    "map",
    "imap",
    "imap_unordered",
    "starmap",
    "submit",
    "apply",
    "apply_async",
    "map_async",
    "starmap_async",
];

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    if !ENTRY_POINTS.contains(&attribute.attr.as_str()) {
        return;
    }
    let Some(run) = checker.runner_call(call) else {
        return;
    };
    let Runner::Pool(kind) = run.runner else {
        return;
    };
    // `fn=`/`func=` keywords are found by `runner_call` too; only a positional callable is
    // rewritten below, but any trivial callable is reported.
    if checker.workload_of_callable(run.callable) != Workload::Trivial {
        return;
    }
    if is_warm_up(checker, call) {
        return;
    }
    // `operator.call(f)` runs whatever `f` is: not a cheap expression.
    if checker
        .semantic
        .resolves_to_any(run.callable, &["operator.call", "operator.methodcaller"])
        .is_some()
    {
        return;
    }
    let (pool, overhead) = if kind.is_thread() {
        (
            "thread pool",
            "wrapping each task in a future and handing it to a thread",
        )
    } else {
        (
            "process pool",
            "pickling each task and its result between processes",
        )
    };
    let callable = checker.source.slice(run.callable.range());
    let message = format!(
        "`{}` on a {pool} runs the trivial callable `{callable}` (neither CPU-bound nor I/O-bound): {overhead} costs far more than the work; run it sequentially",
        run.entry
    );
    let fix = sequential_fix(checker, call, kind, run.entry).unwrap_or_else(|| {
        Fix::display_only(
            format!("Call `{callable}` directly instead of through the pool"),
            Vec::new(),
        )
    });
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// `pool.map(int, range(n))` or `list(executor.map(int, [0] * n))` as a statement of its own:
/// the results are dropped, so the call only starts the workers (a well-known warm-up idiom,
/// or a probe that pools work at all), not work that could run sequentially.
fn is_warm_up<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let Some(Stmt::Expr(statement)) = checker.statements().last() else {
        return false;
    };
    match statement.value.as_ref() {
        Expr::Call(outer) if outer.range() == call.range() => true,
        Expr::Call(outer) => {
            checker
                .semantic
                .resolves_to_any(
                    &outer.func,
                    &["builtins.list", "builtins.tuple", "builtins.set"],
                )
                .is_some()
                && matches!(outer.arguments.args.as_ref(), [Expr::Call(inner)] if inner.range() == call.range())
        }
        _ => false,
    }
}

/// The sequential replacement of a mapping call, when its arguments allow it.
fn sequential_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    kind: PoolKind,
    method: &str,
) -> Option<Fix> {
    if contains_comment(checker.tokens, call.range()) {
        return None;
    }
    let executor = matches!(
        kind,
        PoolKind::ThreadExecutor | PoolKind::ProcessExecutor | PoolKind::InterpreterExecutor
    );
    let args = &call.arguments.args;
    if args.iter().any(Expr::is_starred_expr) {
        return None;
    }
    // Keywords that only tune the pool can go; anything else is kept by giving up.
    let tuning = ["chunksize", "timeout", "buffersize"];
    if call.arguments.keywords.iter().any(|keyword| {
        keyword
            .arg
            .as_ref()
            .is_none_or(|arg| !tuning.contains(&arg.as_str()))
    }) {
        return None;
    }
    let slice = |expr: &Expr| checker.source.slice(expr.range()).to_string();
    let (template, positional): (&str, &[Expr]) = match (executor, method) {
        // `Executor.map(fn, *iterables)`: a lazy iterator either way.
        (true, "map") if args.len() >= 2 => ("map", args),
        // `Pool.map(func, iterable[, chunksize])` returns a list.
        (false, "map") if matches!(args.len(), 2 | 3) => ("list(map", &args[..2]),
        (false, "imap" | "imap_unordered") if matches!(args.len(), 2 | 3) => ("map", &args[..2]),
        (false, "starmap") if matches!(args.len(), 2 | 3) => ("list(starmap", &args[..2]),
        _ => return None,
    };
    let joined = positional.iter().map(slice).collect::<Vec<_>>().join(", ");
    let mut edits = Vec::new();
    let replacement = match template {
        "map" => format!("map({joined})"),
        "list(map" => format!("list(map({joined}))"),
        _ => {
            let starmap = import_member(
                checker,
                "itertools",
                "starmap",
                ImportStyle::Module,
                call.start(),
            )?;
            edits.extend(starmap.edit);
            format!("list({}({joined}))", starmap.text)
        }
    };
    // `map`/`list` must be the builtins where the call is.
    for builtin in ["map", "list"] {
        if replacement.contains(&format!("{builtin}("))
            && checker.semantic.lookup(builtin, call.start()).is_some()
        {
            return None;
        }
    }
    let message = format!("Run it sequentially: `{replacement}`");
    edits.insert(0, Edit::replace(call.range(), replacement));
    Some(Fix::unsafe_(message, edits))
}
